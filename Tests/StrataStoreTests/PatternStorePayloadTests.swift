import Foundation
import StrataStore
import Testing
import StrataTestSupport

/// Payloads (a JSON object per pattern), vector-only patterns, payload conditions, id-order
/// scrolling, delete by filter, and the catalog migration that added the payload column.
@Suite struct PatternStorePayloadTests {
    static func point(_ id: String, _ vector: [Float], _ payload: String?) -> NewPattern {
        NewPattern(id: id, text: "", kind: "point", vector: vector, payload: payload)
    }

    /// Runs `body` with a fresh 8-dimensional vector store, closed and removed afterwards.
    static func withStore(_ backend: CatalogBackend, _ body: (PatternStore) throws -> Void, function: String = #function) throws {
        let directory = temporaryStoreDirectory(function)
        defer { cleanup(directory) }
        let store = try makeVectorStore(directory, backend: backend, dimension: 8)
        defer { try? store.close() }
        try body(store)
    }

    static func filter(_ condition: PayloadCondition) -> PatternFilter {
        var filter = PatternFilter()
        filter.payload = condition
        return filter
    }

    @Test(arguments: CatalogBackend.available) func vectorOnlyPatternsKeepTheirPayloadsAndAreNeverMergedByText(_ backend: CatalogBackend) throws {
        try Self.withStore(backend) { store in
            let vectors = clusteredVectors(count: 3, dimension: 8, seed: 3)
            let outcomes = try store.add([
                Self.point("a", vectors[0], #"{"lang":"go","n":1,"tags":["x","y"],"meta":{"who":"ann"}}"#),
                Self.point("b", vectors[1], #"{"lang":"py","n":2.5,"flag":false,"gone":null}"#),
                Self.point("c", vectors[2], nil),
            ])
            #expect(outcomes.map(\.action) == [.added, .added, .added])
            #expect(try store.pattern(id: "a").payload?.contains(#""who":"ann""#) == true)
            #expect(try store.pattern(id: "c").payload == nil)
            let object = try store.pattern(id: "b").jsonObject()
            #expect((object["payload"] as? [String: Any])?["lang"] as? String == "py")
            let back = try NewPattern(jsonObject: object.merging(["vector": vectors[1].map(Double.init)]) { $1 })
            #expect(back.payload?.contains(#""flag":false"#) == true)

            let key = try PayloadKey("n")
            let counts: [(PayloadCondition, Int)] = [
                (.equals(try PayloadKey("lang"), .string("go")), 1),
                (.equals(try PayloadKey("tags"), .string("y")), 1),
                (.equals(try PayloadKey("meta.who"), .string("ann")), 1),
                (.equals(try PayloadKey("flag"), .bool(false)), 1),
                (.range(key, PayloadRange(greaterThan: 1)), 1),
                (.range(key, PayloadRange(greaterThanOrEqual: 1, lessThanOrEqual: 2.5)), 2),
                (.isEmpty(try PayloadKey("tags")), 2),
                (.isNull(try PayloadKey("gone")), 1),
                (.noneOf(try PayloadKey("lang"), [.string("go")]), 1),
                (.not(.hasID(["a"])), 2),
                (.any([.hasID(["c"]), .containsText(try PayloadKey("lang"), "p")]), 2),
            ]
            for (condition, expected) in counts {
                #expect(try store.count(Self.filter(condition)) == expected, "\(condition)")
            }
            // A payload filter in a search reads its candidates from the catalog.
            let hits = try store.search(SearchRequest(query: .vector(vectors[0]), k: 3, filter: Self.filter(.equals(try PayloadKey("lang"), .string("py")))))
            #expect(hits.hits.map(\.pattern.id) == ["b"])
            #expect(try store.delete(matching: Self.filter(.range(key, PayloadRange(lessThan: 2)))) == 1)
            #expect(try store.count() == 2)
            #expect(throws: StoreError.self) { try PayloadKey("a..b") }
        }
    }

    @Test(arguments: CatalogBackend.available) func aPayloadThatIsNotAnObjectIsRefusedAndNothingIsStored(_ backend: CatalogBackend) throws {
        try Self.withStore(backend) { store in
            let vectors = clusteredVectors(count: 2, dimension: 8, seed: 4)
            #expect(throws: StoreError.self) {
                try store.add([Self.point("a", vectors[0], "{}"), Self.point("b", vectors[1], "[1, 2]")])
            }
            #expect(throws: StoreError.self) { try store.add(NewPattern(id: "t", text: "  ")) }
            let stored = try store.count()
            #expect(stored == 0)
        }
    }

    @Test(arguments: CatalogBackend.available) func scrollWalksIdsInByteOrderFromAnyStart(_ backend: CatalogBackend) throws {
        try Self.withStore(backend) { store in
            let ids = ["k", "b", "x", "a", "m"]
            let vectors = clusteredVectors(count: ids.count, dimension: 8, seed: 5)
            _ = try store.add(zip(ids, vectors).map { Self.point($0, $1, #"{"i":1}"#) })
            var walked: [String] = []
            var from: String?
            repeat {
                let page = try store.scroll(from: from, limit: 2)
                walked += page.patterns.map(\.id)
                from = page.nextID
            } while from != nil
            #expect(walked == ids.sorted())
            #expect(try store.scroll(from: "l", limit: 10).patterns.map(\.id) == ["m", "x"])
            #expect(throws: StoreError.self) { try store.scroll(limit: 0) }
        }
    }

    /// A store written before the payload column and the change feed (schema 1) opens, keeps
    /// its patterns and takes payloads.
    @Test func aSchemaOneCatalogIsMigrated() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 2, dimension: 8, seed: 6)
        do {
            let store = try makeVectorStore(directory, dimension: 8)
            try store.add(NewPattern(id: "old", text: "def old():\n    return 1\n", vector: vectors[0]))
            try store.close()
        }
        let script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("ALTER TABLE patterns DROP COLUMN payload")
            db.execute("ALTER TABLE patterns DROP COLUMN sparse")
            db.execute("DROP TABLE changes")
            db.execute("PRAGMA user_version = 1")
            db.commit()
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, directory + "/catalog.sqlite"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 could not rewrite the catalog as schema 1")
        let store = try PatternStore.open(at: directory)
        defer { try? store.close() }
        #expect(try store.pattern(id: "old").payload == nil)
        try store.add(Self.point("new", vectors[1], #"{"v":2}"#))
        #expect(try store.count(Self.filter(.equals(try PayloadKey("v"), .integer(2)))) == 1)
        #expect(try store.verify().isEmpty)
    }
}
