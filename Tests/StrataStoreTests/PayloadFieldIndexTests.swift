import Foundation
import StrataKernels
import StrataStore
import Testing
import StrataTestSupport

/// Payload field indexes: every condition answers the same through the catalog's SQL, a scan
/// of the parsed payloads, and the in-RAM field indexes, on random payloads and random
/// conditions; indexes persist, follow every write, and refuse what they cannot read.
@Suite struct PayloadFieldIndexTests {
    static let keys = ["lang", "n", "tags", "meta.who", "loc", "when", "obj", "cities[].name", "cities[].pop"]

    /// A random payload: each field missing, null, a scalar of a mixed type, or an array.
    static func payload(_ random: inout SeededRandom) -> String {
        func scalar() -> Any {
            switch Int.random(in: 0..<6, using: &random) {
            case 0: return ["go", "py", "rust", "gopher"].randomElement(using: &random)!
            case 1: return Int.random(in: -2...3, using: &random)
            case 2: return [0.5, 1.0, 2.25].randomElement(using: &random)!
            case 3: return Bool.random(using: &random)
            case 4: return NSNull()
            default: return ["x", "y", ""].randomElement(using: &random)!
            }
        }
        func field() -> Any? {
            switch Int.random(in: 0..<5, using: &random) {
            case 0: return nil
            case 1: return (0..<Int.random(in: 0...3, using: &random)).map { _ in scalar() }
            default: return scalar()
            }
        }
        var object: [String: Any] = [:]
        object["lang"] = field()
        object["n"] = field()
        object["tags"] = field()
        if Bool.random(using: &random) { object["meta"] = ["who": field() ?? NSNull()] }
        if Int.random(in: 0..<4, using: &random) > 0 {
            object["loc"] = ["lat": Double.random(in: 40...60, using: &random), "lon": Double.random(in: -5...25, using: &random)]
        }
        object["when"] = [
            "2024-01-01T00:00:00Z", "2024-03-15T12:30:00+02:00", "2024-03-15 09:00", "2025-07-01", "not a date", 17,
        ].randomElement(using: &random)!
        object["obj"] = Bool.random(using: &random) ? ["go": "py"] : field()
        object["cities"] = (0..<Int.random(in: 0...3, using: &random)).map { _ in
            ["name": ["Paris", "Lyon", "Oslo"].randomElement(using: &random)!, "pop": Int.random(in: 1...9, using: &random)] as [String: Any]
        }
        let data = try! JSONSerialization.data(withJSONObject: object.compactMapValues { $0 }, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// A random condition over the test keys, `depth` levels of compounds at most.
    static func condition(_ random: inout SeededRandom, depth: Int, ids: [String]) -> PayloadCondition {
        func key(_ name: String) -> PayloadKey { try! PayloadKey(name) }
        func value() -> PayloadValue {
            switch Int.random(in: 0..<4, using: &random) {
            case 0: .string(["go", "py", "x", "Lyon"].randomElement(using: &random)!)
            case 1: .integer(Int64.random(in: -1...3, using: &random))
            case 2: .bool(Bool.random(using: &random))
            default: .string("")
            }
        }
        func range() -> PayloadRange {
            PayloadRange(
                greaterThan: Bool.random(using: &random) ? Double.random(in: -2...2, using: &random) : nil,
                lessThanOrEqual: Bool.random(using: &random) ? Double.random(in: 0...9, using: &random) : nil)
        }
        if depth > 0, Int.random(in: 0..<3, using: &random) == 0 {
            let parts = (0..<Int.random(in: 0...3, using: &random)).map { _ in condition(&random, depth: depth - 1, ids: ids) }
            switch Int.random(in: 0..<4, using: &random) {
            case 0: return .all(parts)
            case 1: return .any(parts)
            case 2: return .not(parts.first ?? .isEmpty(key("lang")))
            default: return .atLeast(Int.random(in: 0...2, using: &random), parts)
            }
        }
        let scalarKey = key(["lang", "n", "tags", "meta.who", "obj", "cities[].name", "cities[].pop"].randomElement(using: &random)!)
        switch Int.random(in: 0..<14, using: &random) {
        case 0, 1: return .equals(scalarKey, value())
        case 2: return .oneOf(scalarKey, (0..<Int.random(in: 0...3, using: &random)).map { _ in value() })
        case 3: return .noneOf(scalarKey, (0..<Int.random(in: 1...2, using: &random)).map { _ in value() })
        case 4: return .containsText(scalarKey, ["o", "", "ust", "Ly"].randomElement(using: &random)!)
        case 5: return .range(scalarKey, range())
        case 6: return .isEmpty(scalarKey)
        case 7: return .isNull(scalarKey)
        case 8: return .valuesCount(scalarKey, PayloadRange(greaterThanOrEqual: Double(Int.random(in: 0...2, using: &random))))
        case 9: return .hasID((0..<3).map { _ in ids.randomElement(using: &random)! } + ["absent"])
        case 10:
            let start = PayloadTime.seconds("2024-03-01")!
            return .timeRange(key("when"), PayloadRange(greaterThanOrEqual: start, lessThan: start + Double.random(in: 0...1, using: &random) * 4e7))
        case 11: return .geoRadius(key("loc"), center: GeoPoint(latitude: 50, longitude: 10), meters: Double.random(in: 1e5...1e6, using: &random))
        case 12: return .geoBox(key("loc"), topLeft: GeoPoint(latitude: 55, longitude: 0), bottomRight: GeoPoint(latitude: 45, longitude: 15))
        default:
            let inner: PayloadCondition = Bool.random(using: &random)
                ? .equals(key("name"), .string("Lyon")) : .all([.range(key("pop"), range()), .not(.equals(key("name"), .string("Oslo")))])
            return .nested(key("cities"), inner)
        }
    }

    static func filter(_ condition: PayloadCondition) -> PatternFilter {
        var filter = PatternFilter()
        filter.payload = condition
        return filter
    }

    /// Every id the filter accepts, through scroll pages.
    static func scrolled(_ store: PatternStore, _ filter: PatternFilter) throws -> [String] {
        var ids: [String] = []
        var from: String?
        repeat {
            let page = try store.scroll(filter, from: from, limit: 37)
            ids += page.patterns.map(\.id)
            from = page.nextID
        } while from != nil
        return ids
    }

    /// Nil when two answers agree, else a short account of how they differ.
    static func difference(_ got: [String], _ expected: [String]) -> String? {
        guard got != expected else { return nil }
        let extra = Set(got).subtracting(expected).sorted().prefix(5)
        let missing = Set(expected).subtracting(got).sorted().prefix(5)
        return "\(got.count) ids against \(expected.count): extra \(extra), missing \(missing)"
    }

    /// Whether a condition holds anywhere a nested one could be (only a scan answers those).
    static func isNested(_ condition: PayloadCondition) -> Bool {
        switch condition {
        case .nested: true
        case let .all(parts), let .any(parts), let .atLeast(_, parts): parts.contains(where: isNested)
        case let .not(inner): isNested(inner)
        default: false
        }
    }

    @Test(arguments: CatalogBackend.available) func theCatalogTheScanAndTheIndexesGiveTheSameAnswers(_ backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let store = try makeVectorStore(directory, backend: backend, dimension: 8)
        defer { try? store.close() }
        var random = SeededRandom(seed: 1_818)
        let vectors = clusteredVectors(count: 240, dimension: 8, seed: 18)
        let ids = (0..<vectors.count).map { String(format: "p%03d", $0) }
        _ = try store.add(zip(ids, vectors).map { NewPattern(id: $0, text: "", kind: "point", vector: $1, payload: Self.payload(&random)) })
        let conditions = (0..<160).map { _ in Self.condition(&random, depth: 3, ids: ids) }
        // A nested condition on a key no payload holds is false: `any` with it changes no
        // answer but takes the condition off the SQL path, onto the scan.
        let never = PayloadCondition.nested(try PayloadKey("absent"), .isNull(try PayloadKey("x")))
        var unindexed: [[String]] = []
        for condition in conditions {
            let plain = try Self.scrolled(store, Self.filter(condition))
            let scanned = try Self.scrolled(store, Self.filter(.any([condition, never])))
            #expect(Self.difference(plain, scanned) == nil, "catalog and scan differ on \(condition)")
            #expect(try store.count(Self.filter(condition)) == plain.count)
            unindexed.append(plain)
        }
        #expect(Set(unindexed.map(\.count)).count > 10, "the random conditions select too alike")
        let schemas: [PayloadFieldSchema] = [.keyword, .float, .keyword, .keyword, .geo, .datetime, .text, .keyword, .integer]
        for (name, schema) in zip(Self.keys, schemas) { try store.payloadFields.create(try PayloadKey(name), schema: schema) }
        for (condition, expected) in zip(conditions, unindexed) {
            let indexed = try Self.scrolled(store, Self.filter(condition))
            #expect(Self.difference(indexed, expected) == nil, "indexes and catalog differ on \(condition)")
            #expect(try store.count(Self.filter(condition)) == expected.count)
            var all: [String] = []
            var cursor: String?
            repeat {
                let page = try store.list(Self.filter(condition), after: cursor, limit: 50)
                all += page.patterns.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(Self.difference(all.sorted(), expected) == nil, "a page in row order differs on \(condition)")
            if !Self.isNested(condition) {
                let exact = try store.search(SearchRequest(query: .vector(vectors[0]), k: 240, filter: Self.filter(condition), exact: true))
                #expect(Self.difference(exact.hits.map(\.pattern.id).sorted(), expected) == nil, "a search differs on \(condition)")
                #expect(exact.matched == expected.count)
            }
        }
    }

    @Test(arguments: CatalogBackend.available) func indexesPersistFollowEveryWriteAndCountTheirPoints(_ backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 6, dimension: 8, seed: 19)
        let lang = try PayloadKey("lang")
        let goes = Self.filter(.equals(lang, .string("go")))
        func point(_ id: String, _ index: Int, _ payload: String) -> NewPattern {
            NewPattern(id: id, text: "", kind: "point", vector: vectors[index], payload: payload)
        }
        do {
            let store = try makeVectorStore(directory, backend: backend, dimension: 8)
            defer { try? store.close() }
            try store.payloadFields.create(lang, schema: .keyword)
            try store.payloadFields.create(try PayloadKey("n"), schema: .integer)
            _ = try store.add([point("a", 0, #"{"lang":"go","n":1}"#), point("b", 1, #"{"lang":["go","py"]}"#), point("c", 2, #"{"lang":"py","n":2.5}"#)])
            #expect(try store.count(goes) == 2)
            #expect(try store.payloadFields.list() == [
                PayloadFieldInfo(key: "lang", schema: .keyword, points: 3), PayloadFieldInfo(key: "n", schema: .integer, points: 1),
            ])
            // A replaced payload, a deleted point, a delete by an indexed condition.
            _ = try store.add([point("a", 0, #"{"lang":"rust"}"#)], existing: .replace)
            #expect(try store.count(goes) == 1)
            try store.delete(id: "b")
            #expect(try store.count(goes) == 0)
            _ = try store.add([point("d", 3, #"{"lang":"go"}"#), point("e", 4, #"{"lang":"go","n":7}"#)])
            #expect(try store.delete(matching: Self.filter(.all([.equals(lang, .string("go")), .range(try PayloadKey("n"), PayloadRange(greaterThan: 5))]))) == 1)
            #expect(try store.scroll(goes).patterns.map(\.id) == ["d"])
        }
        let store = try PatternStore.open(at: directory)
        defer { try? store.close() }
        #expect(try store.payloadFields.list().map(\.key) == ["lang", "n"])
        #expect(try store.scroll(goes).patterns.map(\.id) == ["d"])
        #expect(try store.payloadFields.delete(lang))
        #expect(try !store.payloadFields.delete(lang))
        #expect(try store.payloadFields.list().map(\.key) == ["n"])
        #expect(try store.count(goes) == 1)
        #expect(try store.verify().isEmpty)
    }

    @Test func dateTimesReadAsRFC3339AndItsCommonRelaxations() {
        #expect(PayloadTime.seconds("1970-01-01") == 0)
        #expect(PayloadTime.seconds("2024-02-29T12:00:00Z") == 1_709_208_000)
        #expect(PayloadTime.seconds("2024-02-29 14:00:00+02:00") == 1_709_208_000)
        #expect(PayloadTime.seconds("2024-02-29t06:30-0530") == 1_709_208_000)
        #expect(PayloadTime.seconds("2024-02-29T12:00:00.25Z") == 1_709_208_000.25)
        #expect(PayloadTime.seconds("1969-12-31T23:59:59Z") == -1)
        for bad in ["2023-02-29", "2024-13-01", "2024-01-01T25:00", "2024-01-01T10:00:00Q", "2024-1-01", "yesterday", "2024-01-01T10:00:00.Z", ""] {
            #expect(PayloadTime.seconds(bad) == nil, "\(bad)")
        }
    }
}
