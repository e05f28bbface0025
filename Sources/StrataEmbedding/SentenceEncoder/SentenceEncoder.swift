import CStrataShims
import Crypto
import Foundation

/// A BERT-family sentence encoder (all-MiniLM-L6-v2 by default) run natively: WordPiece,
/// safetensors weights, the forward pass on OpenBLAS, mean pooling and L2 normalization.
///
/// Its vectors match sentence-transformers' for the same model to cosine ≥ 0.9999 in float32.
///
/// ```swift
/// let encoder = try SentenceEncoder(configuration: .init())
/// let vectors = try encoder.embed(["def add(a, b): return a + b", "sum of two numbers"])
/// // vectors.count == 2 * encoder.dimension, each row of unit length
/// ```
///
/// - Important: `Sendable` and immutable; call it from any number of threads. One call spreads
///   its batches over `configuration.threads` workers, each running single-threaded BLAS.
public struct SentenceEncoder: Sendable {
    /// The settings it was loaded with.
    public let configuration: Configuration
    /// The model's shape, from `config.json`.
    public let architecture: BertArchitecture
    /// The tokenizer, from `vocab.txt`.
    public let tokenizer: WordPieceTokenizer
    /// Longest sequence in tokens, special tokens included.
    public let maxTokens: Int
    /// The precision actually used: `.float32` when `.bfloat16` was asked for on a CPU without
    /// AVX512_BF16.
    public let precision: Precision
    /// SHA-256 of `model.safetensors`, lowercase hex.
    public let modelChecksum: String
    let weights: BertWeights
    /// Scratch memory reused across calls (one workspace per worker thread).
    let workspaces: EncoderWorkspacePool

    /// Width of the vectors.
    public var dimension: Int { architecture.hiddenSize }

    /// Names the embedding space: the model folder's name, plus every setting that changes the
    /// vectors (`all-MiniLM-L6-v2`, `all-MiniLM-L6-v2@128`, `all-MiniLM-L6-v2@256+bf16`). Stable
    /// across runs and machines.
    public var identifier: String {
        let name = (configuration.modelFolder as NSString).standardizingPath.split(separator: "/").last.map(String.init) ?? "encoder"
        let suffix = precision == .bfloat16 ? "+bf16" : ""
        return maxTokens == defaultMaxTokens && suffix.isEmpty ? name : "\(name)@\(maxTokens)\(suffix)"
    }

    /// The model's own sequence limit (`max_seq_length`), for `identifier`.
    let defaultMaxTokens: Int

    /// Loads the model in `configuration.modelFolder`.
    ///
    /// - Throws: `EmbeddingError.invalidArgument` for a setting out of range,
    ///   `EmbeddingError.modelMissing` when the folder or one of its files is absent,
    ///   `EmbeddingError.modelInvalid` naming the file (and tensor) that is truncated, of the
    ///   wrong shape, or inconsistent with `config.json`.
    public init(configuration: Configuration = Configuration()) throws(EmbeddingError) {
        try configuration.validate()
        let folder = configuration.modelFolder
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw .modelMissing(path: folder, remedy: Self.modelRemedy)
        }
        let architecture = try BertArchitecture(configFile: folder + "/config.json")
        let tokenizer = try WordPieceTokenizer(vocabularyFile: folder + "/vocab.txt")
        guard tokenizer.vocabularySize <= architecture.vocabularySize else {
            throw .modelInvalid(file: "vocab.txt", problem: "has \(tokenizer.vocabularySize) pieces but config.json's vocab_size is \(architecture.vocabularySize)")
        }
        try Self.checkPooling(folder: folder)
        let modelMax = min(Self.sentenceLimit(folder: folder) ?? architecture.maxPositions, architecture.maxPositions)
        let file = try SafeTensors(path: folder + "/model.safetensors")
        let kernel = BertWeights.Kernel.best(for: configuration.precision)
        let precision: Precision = kernel == .bfloat16 ? .bfloat16 : .float32
        self.weights = try BertWeights(file: file, architecture: architecture, kernel: kernel)
        self.configuration = configuration
        self.architecture = architecture
        self.tokenizer = tokenizer
        self.precision = precision
        self.defaultMaxTokens = modelMax
        self.maxTokens = min(configuration.maxTokens ?? modelMax, architecture.maxPositions)
        self.modelChecksum = Self.sha256(file: file)
        self.workspaces = EncoderWorkspacePool(architecture: architecture, limit: max(2, configuration.threads))
    }

    /// `max_seq_length` from `sentence_bert_config.json`, when the file has it.
    private static func sentenceLimit(folder: String) -> Int? {
        guard let data = FileManager.default.contents(atPath: folder + "/sentence_bert_config.json"),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return (json["max_seq_length"] as? NSNumber)?.intValue
    }

    /// Refuses a pooling other than mean (`1_Pooling/config.json`; mean when absent).
    private static func checkPooling(folder: String) throws(EmbeddingError) {
        guard let data = FileManager.default.contents(atPath: folder + "/1_Pooling/config.json") else { return }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .modelInvalid(file: "1_Pooling/config.json", problem: "is not a JSON object")
        }
        for mode in ["pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens"]
        where (json[mode] as? Bool) == true {
            throw .modelInvalid(file: "1_Pooling/config.json", problem: "asks for \(mode); the encoder implements mean pooling only")
        }
    }

    private static func sha256(file: SafeTensors) -> String {
        file.withBytes { bytes in
            SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        }
    }
}
extension SentenceEncoder: Embedder {}
