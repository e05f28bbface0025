import Foundation
import Hummingbird
import StrataStore

/// Qdrant's answers: `{"result": ..., "status": "ok", "time": seconds}`, the time counted from
/// the request's arrival (``StrataRequestContext/arrival``).
///
/// Points (records and scored points, the answers of searches, queries and scrolls) are
/// written straight from typed fields, as the native search answer is
/// (``PatternController/searchAnswer(_:includeText:)``); the rest goes through ``JSONText``.
enum QdrantAnswer {
    /// The envelope around a result already written as JSON text.
    static func make(result: [UInt8], context: StrataRequestContext) -> Response {
        var out: [UInt8] = []
        out.reserveCapacity(result.count + 48)
        out.append(literal: #"{"result":"#)
        out += result
        out.append(literal: #","status":"ok","time":"#)
        JSONText.writeDouble((ContinuousClock.now - context.arrival) / .seconds(1), into: &out)
        out.append(UInt8(ascii: "}"))
        return JSONResponse.make(bytes: out)
    }

    /// The envelope around a result made of plain values.
    static func make(_ result: Any, context: StrataRequestContext) -> Response {
        make(result: JSONText.bytes(result), context: context)
    }

    /// An update's result: Strata acknowledges a write once it is durable, so it is always
    /// completed (`wait` or not).
    static func completed(context: StrataRequestContext) -> Response {
        make(["operation_id": Int(Date().timeIntervalSince1970 * 1_000), "status": "completed"], context: context)
    }
}

/// Writes stored points as Qdrant's `Record` (`{"id", "payload", "vector"}`) or
/// `ScoredPoint` (with `"version"` and `"score"`), in the ``RecordShape`` a request asked for.
struct QdrantPointWriter {
    let shape: RecordShape
    let store: PatternStore
    var out: [UInt8] = []

    init(shape: RecordShape, store: PatternStore, expected count: Int) {
        self.shape = shape
        self.store = store
        out.reserveCapacity(64 + count * (shape.vector ? 4_096 : 256))
    }

    /// Writes `[point, …]`, a point for each element: its pattern, and its score for a
    /// scored point.
    mutating func list<Element>(_ elements: some Sequence<Element>, _ point: (Element) -> (pattern: Pattern, score: Double?)) throws(StoreError) {
        out.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            let (pattern, score) = point(element)
            try self.point(pattern, score: score)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Writes one point; a scored point when `score` is given.
    mutating func point(_ pattern: Pattern, score: Double?) throws(StoreError) {
        out.append(literal: #"{"id":"#)
        if let id = QdrantPointID(storageKey: pattern.id) { id.write(into: &out) } else { JSONText.writeString(pattern.id, into: &out) }
        if let score {
            out.append(literal: #","version":"#)
            out.append(decimal: pattern.version)
            out.append(literal: #","score":"#)
            JSONText.writeDouble(score, into: &out)
        }
        out.append(literal: #","payload":"#)
        writePayload(pattern.payload)
        out.append(literal: #","vector":"#)
        if shape.vector {
            try writeVectors(pattern)
        } else {
            out.append(literal: "null")
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The dense vector alone, or for a collection of named or sparse vectors an object of
    /// them by name (the unnamed dense one under `""`).
    private mutating func writeVectors(_ pattern: Pattern) throws(StoreError) {
        let configuration = store.configuration
        guard configuration.vectorName != nil || configuration.sparseVectorNames != nil else {
            JSONText.writeFloats(try store.vector(id: pattern.id), into: &out)
            return
        }
        out.append(UInt8(ascii: "{"))
        JSONText.writeString(configuration.vectorName ?? "", into: &out)
        out.append(UInt8(ascii: ":"))
        JSONText.writeFloats(try store.vector(id: pattern.id), into: &out)
        for (name, sparse) in pattern.sparse.sorted(by: { $0.key < $1.key }) {
            out.append(UInt8(ascii: ","))
            JSONText.writeString(name, into: &out)
            out.append(literal: #":{"indices":["#)
            for (position, index) in sparse.indices.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                out.append(decimal: Int(index))
            }
            out.append(literal: #"],"values":"#)
            JSONText.writeFloats(sparse.values, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "}"))
    }

    private mutating func writePayload(_ payload: String?) {
        switch shape.payload {
        case .none: out.append(literal: "null")
        case .all: out.append(contentsOf: (payload ?? "{}").utf8)
        case let .include(keys), let .exclude(keys):
            let whole = (payload.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [String: Any]) ?? [:]
            let include: Bool
            if case .include = shape.payload { include = true } else { include = false }
            JSONText.write(whole.filter { keys.contains($0.key) == include }, into: &out)
        }
    }
}
