import Foundation
import StrataEmbedding

/// The encoder's fixtures (`Fixtures/encoder/`) and the model they were made with.
enum EncoderFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/encoder").path

    /// all-MiniLM-L6-v2 in the default models folder (`make model` puts it there).
    static let modelFolder = SentenceEncoder.defaultModelsFolder() + "/all-MiniLM-L6-v2"

    /// One encoder shared by the tests (loading costs ~0.2 s).
    static let encoder: SentenceEncoder = {
        do { return try SentenceEncoder(configuration: .init(modelFolder: modelFolder, threads: 2)) } catch {
            fatalError("the encoder tests need the model: \(error)")
        }
    }()

    struct TokenizerCase: Decodable {
        var text: String
        var ids: [Int32]
    }

    /// Token ids HuggingFace `tokenizers` gives (Benchmarks/encoder/make_tokenizer_fixture.py).
    static func tokenizerCases() throws -> [TokenizerCase] {
        struct File: Decodable { var cases: [TokenizerCase] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/tokenizer-cases.json"))).cases
    }

    struct ReferenceItem: Decodable {
        var name: String
        var text: String
        var ids: [Int32]
        var ids128: [Int32]
        var vector: [Float]
    }

    /// sentence-transformers' ids and vectors (max_seq_length 256) for 14 texts.
    static func reference() throws -> [ReferenceItem] {
        struct File: Decodable { var items: [ReferenceItem] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/minilm-st-reference.json"))).items
    }

    /// A copy of the model folder in a fresh temporary folder, for tests that damage it.
    static func copyOfModel() throws -> String {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("strata-encoder-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        for name in ["config.json", "vocab.txt", "sentence_bert_config.json", "model.safetensors"] {
            try FileManager.default.copyItem(atPath: modelFolder + "/" + name, toPath: copy + "/" + name)
        }
        return copy
    }
}
