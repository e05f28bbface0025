import Foundation
import StrataStore
import Yams

extension NodeContract {
    /// Reads a contract as ``yaml`` writes it (and as people edit it); `source` names it in errors.
    ///
    /// - Throws: ``GenerationError/file(path:problem:)`` for text that is not YAML, or a
    ///   missing or mistyped key, naming the key.
    public init(yaml text: String, source: String) throws(GenerationError) {
        let object: [String: Any]
        do {
            guard let loaded = try Yams.load(yaml: text) as? [String: Any] else { throw GenerationError.file(path: source, problem: "is not a YAML mapping") }
            object = loaded
        } catch let error as GenerationError {
            throw error
        } catch {
            throw .file(path: source, problem: "is not valid YAML: \(error)")
        }
        func string(_ key: String, in object: [String: Any], at path: String) throws(GenerationError) -> String {
            guard let value = object[key] else { throw .file(path: source, problem: "has no \(path)\(key)") }
            return value as? String ?? "\(value)"
        }
        func list(_ key: String, in object: [String: Any]) throws(GenerationError) -> [[String: Any]] {
            guard let value = object[key] else { return [] }
            guard let items = value as? [[String: Any]] else { throw .file(path: source, problem: "\(key) must be a list of mappings") }
            return items
        }
        func fields(_ key: String, in object: [String: Any], at path: String) throws(GenerationError) -> [Field] {
            try list(key, in: object).map { (field) throws(GenerationError) -> Field in
                Field(name: try string("name", in: field, at: "\(path)[]."), type: try string("type", in: field, at: "\(path)[]."),
                      required: field["required"] as? Bool ?? true, description: field["description"] as? String ?? "")
            }
        }
        func model(_ key: String) throws(GenerationError) -> Model {
            guard let model = object[key] as? [String: Any] else { throw .file(path: source, problem: "has no \(key) mapping") }
            return Model(name: try string("name", in: model, at: "\(key)."), fields: try fields("fields", in: model, at: "\(key).fields"))
        }
        let typeName = try string("node_type", in: object, at: "")
        guard let type = NodeType(buildableName: typeName) else {
            throw .file(path: source, problem: "node_type \"\(typeName)\" is not effect, compute, reducer or orchestrator")
        }
        let events = object["events"] as? [String: Any] ?? [:]
        self.init(
            name: try string("name", in: object, at: ""), className: try string("class_name", in: object, at: ""),
            version: try string("version", in: object, at: ""), nodeType: type, domain: try string("domain", in: object, at: ""),
            description: object["description"] as? String ?? "", input: try model("input_model"), output: try model("output_model"),
            actions: try list("actions", in: object).map { (action) throws(GenerationError) in
                Action(name: try string("name", in: action, at: "actions[]."), description: action["description"] as? String ?? "")
            },
            dependencies: try list("dependencies", in: object).map { (dependency) throws(GenerationError) in
                Dependency(name: try string("name", in: dependency, at: "dependencies[]."), purpose: dependency["purpose"] as? String ?? "",
                           optional: dependency["optional"] as? Bool ?? true)
            },
            publishes: events["publishes"] as? [String] ?? [], consumes: events["consumes"] as? [String] ?? [],
            record: try fields("record_fields", in: object, at: "record_fields"))
    }
}
