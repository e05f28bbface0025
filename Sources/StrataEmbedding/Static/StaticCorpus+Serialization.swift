extension StaticCorpus {
    static let magic = "STRSTATC"
    static let version: UInt32 = 1

    /// The state as the catalog keeps it: the model's checksum (a state never meets another
    /// model's vocabulary), the weights, the words and their vectors, checksummed.
    func serialized(vocabulary: StaticVocabulary) -> [UInt8] {
        var writer = BinaryRecordWriter(magic: Self.magic, version: Self.version)
        writer.put(vocabulary.modelChecksum)
        writer.put(UInt32(vocabulary.dimension))
        writer.put(UInt64(corpusWords))
        writer.put(UInt32(pieceWeights.count))
        writer.put(pieceWeights)
        let words = wordRows.sorted { $0.value < $1.value }
        writer.put(UInt32(words.count))
        for (key, _) in words { writer.put(key) }
        writer.put(wordVectors)
        return writer.finished()
    }

    /// Reads a state written by ``serialized(vocabulary:)`` for `vocabulary`.
    init(serialized bytes: [UInt8], vocabulary: StaticVocabulary) throws(EmbeddingError) {
        let source = "the static embedder's state in the catalog"
        var reader = try BinaryRecordReader(bytes, magic: Self.magic, version: Self.version, source: source)
        let checksum = try reader.string()
        guard checksum == vocabulary.modelChecksum else {
            throw .modelInvalid(file: source, problem: "it was fitted with another model (SHA-256 \(checksum.prefix(12))…, this one is \(vocabulary.modelChecksum.prefix(12))…); run `strata reembed`")
        }
        let dimension = Int(try reader.read() as UInt32)
        guard dimension == vocabulary.dimension else {
            throw .modelInvalid(file: source, problem: "it holds \(dimension)-dimensional vectors, the vocabulary \(vocabulary.dimension)")
        }
        corpusWords = Int(try reader.read() as UInt64)
        let pieces = Int(try reader.read() as UInt32)
        guard pieces == vocabulary.pieceCount else { throw .modelInvalid(file: source, problem: "it weighs \(pieces) pieces, the vocabulary has \(vocabulary.pieceCount)") }
        pieceWeights = try reader.floats(pieces)
        let words = Int(try reader.read() as UInt32)
        var rows: [UInt64: Int32] = [:]
        for row in 0..<words { rows[try reader.read() as UInt64] = Int32(row) }
        wordRows = rows
        wordVectors = try reader.floats(words * dimension)
        try reader.finish()
    }
}
