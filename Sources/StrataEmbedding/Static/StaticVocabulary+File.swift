import Foundation
import StrataKernels

extension StaticVocabulary {
    static let magic = "STRSTATV"
    static let version: UInt32 = 1

    /// Where the distilled vocabulary of a model is cached: beside the model's own files.
    static func cachePath(modelFolder: String, dimension: Int) -> String {
        modelFolder + "/strata-static-\(dimension).bin"
    }

    /// The distilled vocabulary of the model `encoder` names: read from its cache file when
    /// that exists and belongs to these weights, else distilled (seconds) and cached for the
    /// next time. A cache that cannot be written (a read-only models folder) only costs the
    /// distillation again at the next open.
    ///
    /// - Throws: what loading the encoder throws (``EmbeddingError/modelMissing(path:remedy:)``
    ///   when the model is absent).
    public static func load(encoder configuration: SentenceEncoder.Configuration, dimension: Int = 256) throws(EmbeddingError) -> StaticVocabulary {
        let encoder = try SentenceEncoder(configuration: configuration.forDistillation)
        let path = cachePath(modelFolder: configuration.modelFolder, dimension: dimension)
        if let bytes = FileManager.default.contents(atPath: path),
           let cached = try? StaticVocabulary(serialized: [UInt8](bytes), encoder: encoder, source: path),
           cached.dimension == dimension {
            return cached
        }
        let distilled = try distill(from: encoder, dimension: dimension)
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        if FileManager.default.createFile(atPath: temporary, contents: Data(distilled.serialized())) {
            if rename(temporary, path) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
        }
        return distilled
    }

    /// Words are short: sequences of at most 16 pieces in batches of 512 keep the matrix
    /// products large and the scratch small; float32, so that every machine distills alike.
    static let distillationTokens = 16

    func serialized() -> [UInt8] {
        var writer = BinaryRecordWriter(magic: Self.magic, version: Self.version)
        writer.put(modelChecksum)
        writer.put(modelName)
        writer.put(UInt32(dimension))
        writer.put(UInt32(projection.dimension))
        writer.put(UInt32(pieceCount))
        writer.put(projection.mean)
        writer.put(projection.axes)
        writer.put(pieceVectors)
        return writer.finished()
    }

    /// Reads a cache file; it must belong to `encoder`'s weights.
    convenience init(serialized bytes: [UInt8], encoder: SentenceEncoder, source: String) throws(EmbeddingError) {
        var reader = try BinaryRecordReader(bytes, magic: Self.magic, version: Self.version, source: source)
        let checksum = try reader.string()
        guard checksum == encoder.modelChecksum else { throw .modelInvalid(file: source, problem: "distilled from other weights") }
        let name = try reader.string()
        let dimension = Int(try reader.read() as UInt32)
        let encoderDimension = Int(try reader.read() as UInt32)
        let pieces = Int(try reader.read() as UInt32)
        guard encoderDimension == encoder.dimension, pieces == encoder.tokenizer.vocabularySize, (2...encoderDimension).contains(dimension) else {
            throw .modelInvalid(file: source, problem: "its shape (\(pieces) pieces, \(encoderDimension) → \(dimension)) is not the model's")
        }
        let mean = try reader.floats(encoderDimension)
        let axes = try reader.floats(dimension * encoderDimension)
        let vectors = try reader.floats(pieces * dimension)
        try reader.finish()
        let projection = PrincipalComponents(
            mean: mean, axes: axes, variances: [Double](repeating: 0, count: dimension), totalVariance: 0, dimension: encoderDimension)
        self.init(dimension: dimension, modelName: name, modelChecksum: checksum, pieceVectors: vectors, projection: projection, tokenizer: encoder.tokenizer)
    }
}

extension SentenceEncoder.Configuration {
    /// These settings as distillation runs the encoder (see ``StaticVocabulary/distillationTokens``).
    var forDistillation: SentenceEncoder.Configuration {
        var settings = self
        settings.precision = .float32
        settings.batchSize = 512
        settings.maxTokens = StaticVocabulary.distillationTokens
        return settings
    }
}
