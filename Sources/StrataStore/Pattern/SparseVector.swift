import Foundation

/// A sparse vector: weights at a few dimensions of a vocabulary (a SPLADE or BM25 term
/// vector, Qdrant's sparse vectors). Scored against another by their dot product.
public struct SparseVector: Sendable, Equatable {
    /// The dimensions with a weight, each once.
    public var indices: [UInt32]
    /// The weight at each of `indices`, finite.
    public var values: [Float]

    public init(indices: [UInt32], values: [Float]) {
        self.indices = indices
        self.values = values
    }

    /// What is wrong with the vector, or nil: lists of different lengths, an index given
    /// twice, or a weight that is not a finite number.
    public var problem: String? {
        guard indices.count == values.count else { return "has \(indices.count) indices and \(values.count) values; give one value per index" }
        guard Set(indices).count == indices.count else { return "gives an index twice" }
        guard values.allSatisfy(\.isFinite) else { return "has a value that is not a finite number" }
        return nil
    }

    /// Named sparse vectors as the catalog keeps them: `{"name": {"indices": [...], "values": [...]}}`.
    static func encode(_ vectors: [String: SparseVector]) -> String? {
        guard !vectors.isEmpty else { return nil }
        let object = vectors.mapValues { ["indices": $0.indices.map(Int.init), "values": $0.values.map(Double.init)] }
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Reads what ``encode(_:)`` wrote (or a pattern's JSON `sparse` field); nil when it is not that.
    static func decode(_ object: Any) -> [String: SparseVector]? {
        guard let named = object as? [String: Any] else { return nil }
        var vectors: [String: SparseVector] = [:]
        for (name, value) in named {
            guard let fields = value as? [String: Any], let indices = fields["indices"] as? [NSNumber], let values = fields["values"] as? [NSNumber],
                  indices.allSatisfy({ !$0.isJSONBoolean && $0.int64Value >= 0 && $0.int64Value <= Int64(UInt32.max) })
            else { return nil }
            vectors[name] = SparseVector(indices: indices.map(\.uint32Value), values: values.map(\.floatValue))
        }
        return vectors
    }

    static func decode(text: String?) -> [String: SparseVector] {
        text.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }.flatMap(decode) ?? [:]
    }
}
