import Foundation
import StrataIndex
import StrataKernels
import StrataStore
import StrataTestSupport

/// A fresh folder under the temporary directory, removed by `cleanup`.
func temporaryStoreDirectory(_ name: String = #function) -> String {
    let path = FileManager.default.temporaryDirectory.path + "/strata-store-tests/" + name.filter(\.isLetter) + "-" + UUID().uuidString.prefix(8)
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func cleanup(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

/// A store over caller-given vectors (no embedder), small thresholds so tests reach every
/// tier transition with little data.
func makeVectorStore(_ directory: String, backend: CatalogBackend = .sqlite, dimension: Int = 32, configure: (inout StoreConfiguration) -> Void = { _ in }) throws -> PatternStore {
    var configuration = StoreConfiguration()
    configuration.dimension = dimension
    configuration.efConstruction = 64
    configuration.bulkSegmentMinimum = 200
    configuration.flushOnCloseMinimum = 50
    // Clustered test vectors are often within 0.95 of each other; the dedup tests turn it on.
    configuration.nearDuplicateSimilarity = nil
    configure(&configuration)
    return try PatternStore.create(at: directory, catalog: backend.storeCatalog(), configuration: configuration, embedder: nil, settings: .external(identifier: "test-vectors"))
}

/// Clustered unit vectors, as embeddings of related code tend to be.
func clusteredVectors(count: Int, dimension: Int, seed: UInt64) -> [[Float]] {
    let set = SyntheticDataset(dimension: dimension, centres: 20, seed: seed).base(count: count)
    return (0..<count).map { Array(set.values[$0 * dimension..<($0 + 1) * dimension]) }
}

/// Test patterns with metadata cycling through node types, languages and quality.
func samplePatterns(_ vectors: [[Float]], prefix: String = "p") -> [NewPattern] {
    let types: [NodeType] = [.effect, .compute, .reducer, .orchestrator, .none]
    let languages = ["python", "swift", "go"]
    return vectors.enumerated().map { index, vector in
        NewPattern(
            id: "\(prefix)\(index)", text: "def function_\(prefix)_\(index)(x):\n    return x + \(index)\n",
            name: "function_\(index)", nodeType: types[index % types.count], domain: index % 2 == 0 ? "database" : "http",
            language: languages[index % languages.count], tags: index % 3 == 0 ? ["io", "db"] : ["pure"],
            quality: Double(index % 10) / 10, vector: vector)
    }
}

/// Brute-force nearest ids by cosine among `candidates`.
func exactNearest(_ query: [Float], among candidates: [(id: String, vector: [Float])], k: Int) -> [String] {
    var q = query
    Kernels.normalize(&q)
    let scored = candidates.map { candidate -> (String, Float) in
        var v = candidate.vector
        Kernels.normalize(&v)
        return (candidate.id, zip(q, v).reduce(0) { $0 + $1.0 * $1.1 })
    }
    return scored.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.prefix(k).map(\.0)
}

/// A deterministic word-hashing embedder for text tests that do not exercise the built-in one.
struct WordHashEmbedder: Embedder {
    let identifier = "test-words"
    let dimension: Int

    func embed(_ texts: [String]) throws(EmbeddingError) -> [Float] {
        var out: [Float] = []
        for text in texts {
            var vector = [Float](repeating: 0, count: dimension)
            for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
                var hash: UInt64 = 14_695_981_039_346_656_037
                for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
                vector[Int(hash % UInt64(dimension))] += 1
            }
            vector[0] += 0.01
            Kernels.normalize(&vector)
            out += vector
        }
        return out
    }
}
