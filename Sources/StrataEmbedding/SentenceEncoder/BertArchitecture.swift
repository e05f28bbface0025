import Foundation

/// The shape of a BERT encoder, read from its `config.json`.
///
/// Any BERT-shaped model works (MiniLM, BERT-base, BGE, E5 …); nothing here is fixed to
/// all-MiniLM-L6-v2.
public struct BertArchitecture: Sendable, Equatable {
    /// Width of every token's vector (`hidden_size`), e.g. 384.
    public var hiddenSize: Int
    /// Transformer layers (`num_hidden_layers`), e.g. 6.
    public var layers: Int
    /// Attention heads per layer (`num_attention_heads`); divides `hiddenSize`.
    public var heads: Int
    /// Width of the feed-forward layer (`intermediate_size`), e.g. 1536.
    public var intermediateSize: Int
    /// Positions the model has embeddings for (`max_position_embeddings`), e.g. 512.
    public var maxPositions: Int
    /// Token types (`type_vocab_size`), usually 2.
    public var tokenTypes: Int
    /// Vocabulary size (`vocab_size`), e.g. 30522.
    public var vocabularySize: Int
    /// LayerNorm's epsilon (`layer_norm_eps`), e.g. 1e-12.
    public var layerNormEpsilon: Float

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / heads }

    public init(hiddenSize: Int, layers: Int, heads: Int, intermediateSize: Int, maxPositions: Int,
                tokenTypes: Int = 2, vocabularySize: Int, layerNormEpsilon: Float = 1e-12) {
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.heads = heads
        self.intermediateSize = intermediateSize
        self.maxPositions = maxPositions
        self.tokenTypes = tokenTypes
        self.vocabularySize = vocabularySize
        self.layerNormEpsilon = layerNormEpsilon
    }

    /// Reads `config.json`.
    ///
    /// - Throws: `EmbeddingError.modelMissing` when the file is absent,
    ///   `EmbeddingError.modelInvalid` naming the key that is missing or out of range, or an
    ///   activation other than GELU.
    public init(configFile path: String) throws(EmbeddingError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .modelMissing(path: path, remedy: SentenceEncoder.modelRemedy)
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .modelInvalid(file: "config.json", problem: "is not a JSON object")
        }
        func integer(_ key: String) throws(EmbeddingError) -> Int {
            guard let value = (json[key] as? NSNumber)?.intValue, value > 0 else {
                throw .modelInvalid(file: "config.json", problem: "needs a positive integer \(key)")
            }
            return value
        }
        if let activation = json["hidden_act"] as? String, activation != "gelu" {
            throw .modelInvalid(file: "config.json", problem: "hidden_act is \(activation); the encoder implements BERT's gelu only")
        }
        if let kind = json["position_embedding_type"] as? String, kind != "absolute" {
            throw .modelInvalid(file: "config.json", problem: "position_embedding_type is \(kind); only absolute positions are supported")
        }
        self.init(
            hiddenSize: try integer("hidden_size"), layers: try integer("num_hidden_layers"),
            heads: try integer("num_attention_heads"), intermediateSize: try integer("intermediate_size"),
            maxPositions: try integer("max_position_embeddings"),
            tokenTypes: (json["type_vocab_size"] as? NSNumber)?.intValue ?? 2,
            vocabularySize: try integer("vocab_size"),
            layerNormEpsilon: (json["layer_norm_eps"] as? NSNumber)?.floatValue ?? 1e-12
        )
        guard hiddenSize % heads == 0 else {
            throw .modelInvalid(file: "config.json", problem: "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(heads)")
        }
        guard tokenTypes >= 1 else {
            throw .modelInvalid(file: "config.json", problem: "needs type_vocab_size ≥ 1")
        }
    }
}
