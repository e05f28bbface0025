import Foundation
import Yams

extension NodeContract {
    /// The contract as YAML, emitted by Yams (libyaml): block style, two-space indent, keys in
    /// the contract's order, strings plain where YAML reads them back as the same string and
    /// double-quoted (libyaml's escapes) otherwise, so every value round-trips.
    public var yaml: String {
        var pairs: [(Node, Node)] = [
            ("contract_version", Self.scalar("1.0.0")),
            ("name", Self.scalar(name)),
            ("class_name", Self.scalar(className)),
            ("version", Self.scalar(version)),
            ("node_type", Self.scalar(nodeType.rawValue)),
            ("domain", Self.scalar(domain)),
            ("description", Self.scalar(description)),
        ]
        let fields = { (fields: [Field]) in
            Self.sequence(fields.map { field in
                Self.mapping([
                    ("name", Self.scalar(field.name)), ("type", Self.scalar(field.type)),
                    ("required", Self.flag(field.required)), ("description", Self.scalar(field.description)),
                ])
            })
        }
        for (key, model) in [("input_model", input), ("output_model", output)] {
            pairs.append((Node(key), Self.mapping([("name", Self.scalar(model.name)), ("fields", fields(model.fields))])))
        }
        if !record.isEmpty { pairs.append(("record_fields", fields(record))) }
        pairs.append(("actions", Self.sequence(actions.map { Self.mapping([("name", Self.scalar($0.name)), ("description", Self.scalar($0.description))]) })))
        pairs.append(("dependencies", Self.sequence(dependencies.map {
            Self.mapping([("name", Self.scalar($0.name)), ("purpose", Self.scalar($0.purpose)), ("optional", Self.flag($0.optional))])
        })))
        if nodeType == .effect || nodeType == .orchestrator {
            pairs.append(("events", Self.mapping([
                ("publishes", Self.sequence(publishes.map(Self.scalar))), ("consumes", Self.sequence(consumes.map(Self.scalar))),
            ])))
        }
        // Nothing in a contract is outside what libyaml emits; a failure here is a bug.
        return (try? Yams.serialize(node: Self.mapping(pairs), indent: 2, width: -1, allowUnicode: true)) ?? ""
    }

    /// A string node: plain when YAML reads it back as this very string, else double-quoted.
    static func scalar(_ text: String) -> Node {
        let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "~", ""]
        let plainSafe = text.allSatisfy { $0.isLetter || $0.isNumber || " _-./".contains($0) }
            && !reserved.contains(text.lowercased())
            && text.first.map { $0.isLetter || $0 == "_" } == true
            && !text.hasSuffix(" ")
        return .scalar(.init(text, .init(.str), plainSafe ? .plain : .doubleQuoted))
    }

    static func flag(_ value: Bool) -> Node { .scalar(.init(value ? "true" : "false", .init(.bool), .plain)) }

    static func mapping(_ pairs: [(Node, Node)]) -> Node { .mapping(.init(pairs, .implicit, .block)) }

    /// A block sequence, or `[]` when empty (a block sequence cannot be empty).
    static func sequence(_ items: [Node]) -> Node { .sequence(.init(items, .implicit, items.isEmpty ? .flow : .block)) }

    /// The top-level string values of a contract's YAML with the line each is on (from 1);
    /// nil when the text is not a YAML mapping.
    package static func topLevelScalars(_ text: String) -> [String: (value: String, line: Int)]? {
        guard let root = try? Yams.compose(yaml: text), case let .mapping(mapping) = root else { return nil }
        var result: [String: (value: String, line: Int)] = [:]
        for (key, value) in mapping {
            guard let name = key.string, case let .scalar(scalar) = value else { continue }
            result[name] = (scalar.string, key.mark?.line ?? 0)
        }
        return result
    }
}
