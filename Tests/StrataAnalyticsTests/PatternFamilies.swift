import Foundation
import StrataKernels
import StrataStore
import StrataTestSupport
import StrataAnalytics
import StrataText

/// Generated Python functions in families with their own vocabulary, so a good clustering
/// has an answer key: the family is the `domain` of each pattern.
enum PatternFamilies {
    static let subjects = ["order", "invoice", "customer", "shipment", "payment", "refund", "account", "session", "device",
                           "ticket", "report", "profile", "basket", "coupon", "review", "address", "message", "alert"]

    /// The families: domain, node type, quality, and a few function shapes.
    static let families: [(domain: String, nodeType: NodeType, quality: Double, shapes: [@Sendable (String) -> String])] = [
        ("kafka", .effect, 0.8, [
            { s in "def publish_\(s)_event(producer, \(s)):\n    \"\"\"Send the \(s) event to the kafka topic.\"\"\"\n    payload = serialize_\(s)(\(s))\n    producer.send(KAFKA_\(s.uppercased())_TOPIC, key=\(s).id, value=payload)\n    producer.flush(timeout=10)\n" },
            { s in "def stream_\(s)_updates(kafka_producer, updates):\n    for update in updates:\n        record = ProducerRecord(topic=\"\(s)-updates\", partition=update.partition, value=update.encode())\n        kafka_producer.send(record)\n    kafka_producer.flush()\n" },
            { s in "class \(s.capitalized)EventProducer(KafkaProducerBase):\n    def send_\(s)(self, \(s)):\n        self.producer.send(self.topic, \(s).to_bytes(), acks=\"all\")\n        return self.producer.flush()\n" },
        ]),
        ("database", .effect, 0.75, [
            { s in "def fetch_\(s)_rows(connection, limit):\n    with connection.cursor() as cursor:\n        cursor.execute(\"SELECT * FROM \(s)s ORDER BY created_at LIMIT %s\", (limit,))\n        return cursor.fetchall()\n" },
            { s in "def insert_\(s)_row(pg_pool, \(s)):\n    with pg_pool.connection() as conn:\n        conn.execute(\"INSERT INTO \(s)s (id, body) VALUES (%s, %s)\", (\(s).id, \(s).body))\n        conn.commit()\n" },
            { s in "def delete_stale_\(s)s(postgres, cutoff):\n    cursor = postgres.cursor()\n    cursor.execute(\"DELETE FROM \(s)s WHERE updated_at < %s\", (cutoff,))\n    postgres.commit()\n    return cursor.rowcount\n" },
        ]),
        ("http", .orchestrator, 0.7, [
            { s in "def get_\(s)_json(session, base_url, \(s)_id):\n    response = session.get(f\"{base_url}/\(s)s/{\(s)_id}\", timeout=5)\n    response.raise_for_status()\n    return response.json()\n" },
            { s in "def post_\(s)_request(http_client, url, \(s)):\n    headers = {\"Content-Type\": \"application/json\"}\n    reply = http_client.post(url, json=\(s).as_dict(), headers=headers)\n    if reply.status_code >= 400:\n        raise HTTPError(reply.status_code)\n    return reply.json()\n" },
            { s in "async def download_\(s)_page(client, url):\n    async with client.get(url) as response:\n        if response.status != 200:\n            return None\n        return await response.text()\n" },
        ]),
        ("math", .compute, 0.3, [
            { s in "def \(s)_variance(values):\n    mean = sum(values) / len(values)\n    squares = [(value - mean) ** 2 for value in values]\n    return sum(squares) / (len(values) - 1)\n" },
            { s in "def \(s)_euclidean_norm(vector):\n    total = 0.0\n    for component in vector:\n        total += component * component\n    return math.sqrt(total)\n" },
            { s in "def \(s)_geometric_mean(numbers):\n    product = 1.0\n    for number in numbers:\n        product *= number\n    return product ** (1.0 / len(numbers))\n" },
        ]),
    ]

    /// `perFamily` patterns of each family (ids `<domain>-<i>`), subjects and the first
    /// `shapes` shapes cycled.
    static func patterns(perFamily: Int, families: Range<Int> = 0..<4, shapes shapeCount: Int = 3, idOffset: Int = 0) -> [NewPattern] {
        var out: [NewPattern] = []
        for family in families {
            let (domain, nodeType, quality, allShapes) = Self.families[family]
            let shapes = allShapes.prefix(shapeCount)
            for i in idOffset..<(idOffset + perFamily) {
                let subject = subjects[i % subjects.count] + (i >= subjects.count ? "\(i / subjects.count)" : "")
                // The shape turns with each round of subjects, so no two patterns share both.
                let text = shapes[(i + i / subjects.count) % shapes.count + shapes.startIndex](subject)
                out.append(NewPattern(id: "\(domain)-\(i)", text: text, name: "\(domain)_\(subject)", nodeType: nodeType,
                                      domain: domain, language: "python", quality: quality))
            }
        }
        return out
    }

    /// A store with the built-in embedder and near-duplicate merging off (the planted copies
    /// must stay separate patterns).
    static func makeStore(_ directory: String, backend: CatalogBackend = .sqlite) throws -> PatternStore {
        var configuration = StoreConfiguration()
        configuration.dimension = 256
        configuration.nearDuplicateSimilarity = nil
        return try PatternStore.create(at: directory, catalog: backend.storeCatalog(), configuration: configuration, embedder: CodeEmbedder(dimension: 256), settings: .builtin)
    }

    /// Runs `body` on a fresh store (and its folder) holding `patterns`; both go afterwards.
    static func withStore<T>(_ patterns: [NewPattern], backend: CatalogBackend = .sqlite, name: String = #function, _ body: (PatternStore, String) throws -> T) throws -> T {
        let directory = temporaryDirectory(name)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try makeStore(directory, backend: backend)
        defer { try? store.close() }
        _ = try store.add(patterns)
        return try body(store, directory)
    }

    static func temporaryDirectory(_ name: String = #function) -> String {
        FileManager.default.temporaryDirectory.path + "/strata-report-tests/" + name.filter(\.isLetter) + "-" + UUID().uuidString.prefix(8)
    }
}

extension PatternFamilies {
    /// The words each family's patterns use and no other family's do, by domain: what a
    /// cluster of that family should be told apart by.
    static func exclusiveWords(_ patterns: [NewPattern]) -> [String: Set<String>] {
        var words: [String: Set<String>] = [:]
        for pattern in patterns {
            IdentifierWords().forEachWord(in: pattern.text) { _, word in
                words[pattern.domain, default: []].insert(String(decoding: word, as: UTF8.self))
            }
        }
        return words.mapValues { own in
            own.subtracting(words.values.filter { $0 != own }.reduce(into: Set<String>()) { $0.formUnion($1) })
        }
    }
}
