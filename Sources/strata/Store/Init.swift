import ArgumentParser
import Foundation
import StrataIndex
import StrataKernels
import StrataStore

extension Strata {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an empty pattern store.",
            discussion: """
            --embedder builtin (the default) hashes code features: offline, no model files, microseconds a text, and \
            it finds renamed copies. --embedder encoder runs the native sentence encoder (all-MiniLM-L6-v2, installed by \
            `make model`): the best words-to-code retrieval, milliseconds a text. --embedder static embeds by lookup in a \
            vocabulary distilled from the encoder and fitted on the store's own corpus (microseconds a text). \
            --embedder openai uses an OpenAI-compatible /v1/embeddings server (OpenAI, Ollama, vLLM, TEI): give \
            --endpoint and --model, and the API key in STRATA_EMBED_API_KEY. --embedder none stores caller-given \
            vectors only. Every store also indexes its texts' words (BM25) for lexical and hybrid search.
            """)

        @OptionGroup var options: StoreOptions
        @Option(help: "Vector dimension of the store's embedding space (default: 256 for static, the model's for encoder, 384 otherwise).")
        var dim: Int?
        @Option(help: "Embedder: builtin, encoder, static, openai or none.")
        var embedder: EmbedderChoice = .builtin
        @Option(help: "Embedding server URL for --embedder openai, such as http://127.0.0.1:11434.")
        var endpoint: String?
        @Option(help: "Embedding model: for --embedder openai the server's (nomic-embed-text), for static and encoder a folder under the models folder (default all-MiniLM-L6-v2).")
        var model: String?
        @Option(help: "Metric: cosine, ip or l2.")
        var metric: Metric = .cosine
        @Option(help: "Vector reads while searching: int8 (8-bit traversal, float32 re-rank; the default) or none (float32).")
        var quantization: VectorQuantization = StoreConfiguration().quantization
        @Option(help: "HNSW M of the store's graphs.")
        var m: Int = StoreConfiguration().m
        @Option(name: .customLong("ef-construction"), help: "HNSW efConstruction of the store's graphs.")
        var efConstruction: Int = StoreConfiguration().efConstruction
        @Option(name: .customLong("ef-search"), help: "Default HNSW ef of searches.")
        var efSearch: Int = StoreConfiguration().efSearch
        @Option(name: .customLong("flush-threshold"), help: "Hot patterns that trigger a flush to a cold segment.")
        var flushThreshold: Int = StoreConfiguration().flushThreshold
        @Option(name: .customLong("near-duplicate"), help: "Cosine similarity at which an added pattern merges into a stored one; 'off' disables; 'auto' (the default): 0.95 for the built-in embedder, off for the others, whose similarity measures meaning, not sameness.")
        var nearDuplicate: String = "auto"

        func run() throws {
            var configuration = StoreConfiguration()
            configuration.metric = metric
            configuration.flushThreshold = flushThreshold
            configuration.quantization = quantization
            configuration.m = m
            configuration.efConstruction = efConstruction
            configuration.efSearch = efSearch
            let (embedder, settings) = try embedder.make(dimension: dim, endpoint: endpoint, model: model)
            switch nearDuplicate {
            case "auto": configuration.nearDuplicateSimilarity = settings.defaultNearDuplicateSimilarity
            case "off": configuration.nearDuplicateSimilarity = nil
            default:
                guard let similarity = Double(nearDuplicate) else {
                    throw ValidationError("--near-duplicate takes a similarity such as 0.95, off or auto; got \(nearDuplicate)")
                }
                configuration.nearDuplicateSimilarity = similarity
            }
            configuration.dimension = embedder?.dimension ?? dim ?? 384
            let store = try PatternStore.create(at: options.path, catalog: options.catalog(), configuration: configuration, embedder: embedder, settings: settings)
            let space = store.space
            try store.close()
            if options.json {
                options.emit(["store": options.path, "catalog": store.catalogLocation.description, "embedder": space.embedder, "dimension": space.dimension, "metric": space.metric.rawValue])
            } else {
                print("created store \(options.path): \(space); catalog \(store.catalogLocation)")
            }
        }
    }
}

/// The embedders `init` and `reembed` can set up.
enum EmbedderChoice: String, ExpressibleByArgument, CaseIterable {
    case `static`, encoder, builtin, openai, none

    /// The sentence encoder's model when none is named.
    static let defaultModel = "all-MiniLM-L6-v2"

    /// Tokens a store's encoder reads of each text: all-MiniLM-L6-v2 was trained on 128, and on
    /// the retrieval dev set (Benchmarks/retrieval) it finds code better at 128 than at its
    /// configured 256 (docstring → function MRR@10 0.805 against 0.750), at half the cost.
    static let encoderTokens = 128

    func make(dimension: Int?, endpoint: String?, model: String?) throws -> ((any Embedder)?, EmbedderSettings) {
        switch self {
        case .static:
            let model = model ?? Self.defaultModel
            let encoder = SentenceEncoder.Configuration(modelFolder: SentenceEncoder.defaultModelsFolder() + "/" + model)
            let vocabulary = try StaticVocabulary.load(encoder: encoder, dimension: dimension ?? 256)
            return (try StaticEmbedder(vocabulary: vocabulary, encoder: encoder), .staticDistilled(model: model, dimension: vocabulary.dimension))
        case .encoder:
            let model = model ?? Self.defaultModel
            let encoder = try SentenceEncoder(configuration: .init(modelFolder: SentenceEncoder.defaultModelsFolder() + "/" + model, maxTokens: Self.encoderTokens))
            if let dimension, dimension != encoder.dimension {
                throw ValidationError("--dim \(dimension): the encoder \(model) gives \(encoder.dimension)-dimensional vectors; leave --dim out")
            }
            return (encoder, .sentenceEncoder(model: model, maxTokens: Self.encoderTokens))
        case .builtin:
            return (try CodeEmbedder(dimension: dimension ?? 384), .builtin)
        case .openai:
            let environment = ProcessInfo.processInfo.environment
            guard let endpoint = endpoint ?? environment["STRATA_EMBED_URL"], let model = model ?? environment["STRATA_EMBED_MODEL"] else {
                throw ValidationError("--embedder openai needs --endpoint and --model (or STRATA_EMBED_URL and STRATA_EMBED_MODEL)")
            }
            let configuration = HTTPEmbedder.Configuration(
                endpoint: endpoint, model: model, apiKey: environment["STRATA_EMBED_API_KEY"], dimension: dimension)
            return (try HTTPEmbedder(configuration: configuration), .openAICompatible(endpoint: endpoint, model: model))
        case .none:
            return (nil, .external(identifier: "external"))
        }
    }
}
