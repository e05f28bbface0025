import Foundation
import Testing
import StrataEmbedding

/// A missing or damaged model is a typed error naming the file and the fix, never a crash.
@Suite struct SentenceEncoderErrorTests {
    @Test func missingFolderSaysHowToGetTheModel() {
        let folder = "/nonexistent/strata-models/all-MiniLM-L6-v2"
        #expect(throws: EmbeddingError.modelMissing(path: folder, remedy: SentenceEncoder.modelRemedy)) {
            try SentenceEncoder(configuration: .init(modelFolder: folder))
        }
        #expect(SentenceEncoder.modelRemedy.contains("make model"))
    }

    @Test func truncatedWeightsNameTheTensor() throws {
        let copy = try EncoderFixtures.copyOfModel()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let handle = try #require(FileHandle(forUpdatingAtPath: copy + "/model.safetensors"))
        try handle.truncate(atOffset: 50_000_000)
        try handle.close()
        let error = try #require(throws: EmbeddingError.self) { try SentenceEncoder(configuration: .init(modelFolder: copy)) }
        guard case let .modelInvalid(file, problem) = error else { Issue.record("got \(error)"); return }
        #expect(file == "model.safetensors")
        #expect(problem.contains("truncated") && problem.contains("tensor"))
    }

    @Test func wrongShapeNamesTheTensor() throws {
        let copy = try EncoderFixtures.copyOfModel()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        // Same byte length: [1536, 384] becomes [384, 1536] in the first layer's intermediate weight.
        let path = copy + "/model.safetensors"
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let headerLength = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        var header = String(decoding: data[8..<(8 + headerLength)], as: UTF8.self)
        let key = "\"encoder.layer.0.intermediate.dense.weight\":{\"dtype\":\"F32\",\"shape\":[1536,384]"
        #expect(header.contains(key))
        header = header.replacingOccurrences(of: key, with: key.replacingOccurrences(of: "[1536,384]", with: "[384,1536]"))
        data.replaceSubrange(8..<(8 + headerLength), with: Data(header.utf8))
        try data.write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: EmbeddingError.self) { try SentenceEncoder(configuration: .init(modelFolder: copy)) }
        guard case let .modelInvalid(file, problem) = error else { Issue.record("got \(error)"); return }
        #expect(file == "model.safetensors")
        #expect(problem.contains("encoder.layer.0.intermediate.dense.weight"))
    }

    @Test func configOfAnotherSizeIsRefused() throws {
        let copy = try EncoderFixtures.copyOfModel()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let path = copy + "/config.json"
        let config = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\"hidden_size\": 384", with: "\"hidden_size\": 768")
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: EmbeddingError.self) { try SentenceEncoder(configuration: .init(modelFolder: copy)) }
        guard case let .modelInvalid(file, problem) = error else { Issue.record("got \(error)"); return }
        #expect(file == "model.safetensors")
        #expect(problem.contains("embeddings.word_embeddings.weight"))
    }

    @Test func settingsOutOfRangeAreNamed() {
        #expect(throws: EmbeddingError.invalidArgument(name: "batchSize", value: "0", expected: "at least 1")) {
            try SentenceEncoder(configuration: .init(modelFolder: EncoderFixtures.modelFolder, batchSize: 0))
        }
    }
}
