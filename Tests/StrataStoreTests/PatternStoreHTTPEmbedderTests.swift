import Foundation
import StrataStore
import StrataTestSupport
import Testing

@Suite struct PatternStoreHTTPEmbedderTests {
    /// A store whose manifest names an OpenAI-compatible server: texts go over HTTP at add and
    /// at search, and a reopened store rebuilds the embedder from its manifest alone.
    @Test func storeEmbedsThroughAnOpenAICompatibleServer() throws {
        let words = WordHashEmbedder(dimension: 32)
        let server = LoopbackHTTPServer { request in
            let inputs = request.json?["input"] as? [String] ?? []
            let vectors = (try? words.embed(inputs)) ?? []
            let data = inputs.indices.map { index -> [String: Any] in
                ["index": index, "embedding": Array(vectors[index * 32..<(index + 1) * 32]).map(Double.init)]
            }
            let body = try! JSONSerialization.data(withJSONObject: ["data": data, "model": "words"])
            return .init(status: 200, headers: ["Content-Type": "application/json"], body: String(decoding: body, as: UTF8.self))
        }
        defer { server.stop() }
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let endpoint = "http://127.0.0.1:\(server.port)"
        var configuration = StoreConfiguration()
        configuration.dimension = 32
        let embedder = try HTTPEmbedder(configuration: .init(endpoint: endpoint, model: "words", dimension: 32))
        do {
            let store = try PatternStore.create(at: directory, configuration: configuration, embedder: embedder, settings: .openAICompatible(endpoint: endpoint, model: "words"))
            try store.add([
                NewPattern(id: "pg", text: "insert rows into postgres"),
                NewPattern(id: "json", text: "parse json file"),
            ])
            try store.close()
        }
        let reopened = try PatternStore.open(at: directory)
        #expect(reopened.space.embedder == "openai:words")
        #expect(try reopened.search(text: "postgres rows", k: 1).hits.first?.pattern.id == "pg")
        #expect(server.requests.count >= 2)
    }
}
