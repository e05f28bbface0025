import Foundation
import StrataStore

/// A point's or a search's vectors as Qdrant requests give them: `[0.1, …]` (the dense
/// vector), `{"text": [0.1, …], "splade": {"indices": [...], "values": [...]}}` (named: at
/// most one dense, any sparse; the name `""` is the unnamed dense vector), or `{"name":
/// "text", "vector": [0.1, …] | {"indices", "values"}}` (one named search vector).
struct QdrantVector: Decodable {
    /// The dense vector's name as given (nil: unnamed).
    var name: String?
    /// The dense vector, when given.
    var values: [Float]?
    /// The sparse vectors given, by name.
    var sparse: [String: SparseVector] = [:]

    init(name: String?, values: [Float]?) {
        self.name = name
        self.values = values
    }

    init(from decoder: any Decoder) throws {
        if let values = try? decoder.singleValueContainer().decode([Float].self) {
            self.values = values
            return
        }
        guard let object = try? decoder.container(keyedBy: JSONKey.self) else {
            values = try decoder.singleValueContainer().decode([Float].self)
            return
        }
        let keys = Set(object.allKeys.map(\.stringValue))
        if keys == ["name", "vector"], let name = try? object.decode(String.self, forKey: JSONKey("name")) {
            if let dense = try? object.decode([Float].self, forKey: JSONKey("vector")) {
                (self.name, values) = (name, dense)
            } else {
                sparse[name] = try object.decode(QdrantSparseVector.self, forKey: JSONKey("vector")).vector
            }
            return
        }
        for key in object.allKeys {
            if let dense = try? object.decode([Float].self, forKey: key) {
                guard values == nil else {
                    throw DecodingError.dataCorruptedError(forKey: key, in: object, debugDescription: "is a second dense vector; a collection here has one")
                }
                (name, values) = (key.stringValue.isEmpty ? nil : key.stringValue, dense)
            } else {
                sparse[key.stringValue] = try object.decode(QdrantSparseVector.self, forKey: key).vector
            }
        }
    }
}

/// `{"indices": [whole numbers], "values": [numbers]}`, checked.
struct QdrantSparseVector: Decodable {
    var vector: SparseVector

    private enum CodingKeys: String, CodingKey { case indices, values }

    init(from decoder: any Decoder) throws {
        let object = try decoder.container(keyedBy: CodingKeys.self)
        vector = SparseVector(indices: try object.decode([UInt32].self, forKey: .indices), values: try object.decode([Float].self, forKey: .values))
        if let problem = vector.problem {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "is not a sparse vector: it \(problem)"))
        }
    }
}
