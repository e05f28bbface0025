import Dispatch
import Foundation
import StrataStore
import StrataTestSupport
import Testing

/// The contract every ``Embedder`` keeps, checked on each embedder the store ships: one
/// row of `dimension` floats per text, in input order, unit length, the same for a text
/// whatever batch it comes in, whichever thread asks, and however often.
@Suite struct EmbedderProtocolTests {
    static let texts = [
        "def write_rows(conn, rows):\n    with conn.cursor() as cur:\n        cur.executemany(SQL, rows)",
        "func retry<T>(_ body: () throws -> T) rethrows -> T { try body() }",
        "parse a filter expression into clauses",
        "class HTTPServerConfig:\n    port: int = 8080",
        "SELECT id, name FROM patterns WHERE quality >= 0.7",
    ]

    static func checkContract(_ embedder: any Embedder, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(!embedder.identifier.isEmpty, sourceLocation: sourceLocation)
        let dimension = embedder.dimension
        #expect(try embedder.embed([]).isEmpty, "no texts, no floats", sourceLocation: sourceLocation)
        let batch = try embedder.embed(texts)
        #expect(batch.count == texts.count * dimension, sourceLocation: sourceLocation)
        for row in 0..<texts.count {
            let vector = batch[row * dimension..<(row + 1) * dimension]
            let norm = vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-4, "row \(row) has norm \(norm)", sourceLocation: sourceLocation)
            #expect(vector.allSatisfy { $0.isFinite }, sourceLocation: sourceLocation)
        }
        // Batch independence and order: each text alone gives its row of the batch.
        let oneByOne = try texts.flatMap { try embedder.embed([$0]) }
        let worst = zip(batch, oneByOne).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-5, "a text's vector depends on its batch (largest difference \(worst))", sourceLocation: sourceLocation)
        #expect(try embedder.embed(Array(texts.reversed())) == (0..<texts.count).reversed().flatMap { Array(batch[$0 * dimension..<($0 + 1) * dimension]) },
                "rows follow the input order", sourceLocation: sourceLocation)
        // Called from several threads at once, as a store's searches and adds do.
        let results = ConcurrentResults(count: 8)
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            results.set(index, (try? embedder.embed(texts)) ?? [])
        }
        #expect(results.all.allSatisfy { $0 == batch }, "concurrent calls disagree", sourceLocation: sourceLocation)
    }

    @Test func theBuiltInEmbedderKeepsTheContractFittedOrNot() throws {
        let embedder = try CodeEmbedder(dimension: 128)
        try Self.checkContract(embedder)
        #expect(embedder.identifier == (try CodeEmbedder(dimension: 128)).identifier)
        let fitted = try embedder.fitted(on: Self.texts + (0..<80).map { "func helper\($0)(value: Int) -> Int { value * \($0) }" })
        #expect(fitted.isFitted && !embedder.isFitted)
        try Self.checkContract(fitted)
        // The fitted state survives the catalog's round trip.
        let restored = try CodeEmbedder(dimension: 128, weights: CodeEmbedder.Weights(serialized: fitted.serializedState()))
        #expect(try restored.embed(Self.texts) == fitted.embed(Self.texts))
    }

    @Test func theHTTPEmbedderKeepsTheContract() throws {
        let server = LoopbackHTTPServer { request in
            // Unnormalized, order-scrambled answers: the client normalizes and sorts by index.
            let inputs = request.json?["input"] as? [String] ?? []
            let items = inputs.enumerated().reversed().map { index, text -> String in
                let numbers = (0..<16).map { component in "\(Double((text.utf8.reduce(component * 31) { $0 &* 33 &+ Int($1) } % 2_000) - 1_000) / 10)" }
                return #"{"object":"embedding","index":\#(index),"embedding":[\#(numbers.joined(separator: ","))]}"#
            }
            return .init(status: 200, body: #"{"object":"list","model":"m","data":[\#(items.joined(separator: ","))]}"#)
        }
        defer { server.stop() }
        let embedder = try HTTPEmbedder(configuration: HTTPEmbedder.Configuration(
            endpoint: "http://127.0.0.1:\(server.port)", model: "m", dimension: 16,
            requestTimeout: .seconds(3), connectTimeout: .seconds(1)))
        try Self.checkContract(embedder)
    }

    @Test func storeErrorsNameTheSpace() {
        let error = StoreError.dimensionMismatch(space: "builtin-code-v1, 384 dimensions, cosine", got: 3)
        #expect(error.description.contains("384 dimensions"))
    }
}

/// Results written by concurrent workers, one slot each.
private final class ConcurrentResults: @unchecked Sendable {
    private var values: [[Float]]
    private let lock = NSLock()

    init(count: Int) { values = Array(repeating: [], count: count) }

    func set(_ index: Int, _ value: [Float]) { lock.withLock { values[index] = value } }

    var all: [[Float]] { lock.withLock { values } }
}
