import Foundation

extension NodeContract {
    /// The contract as YAML (block style, two-space indent, strings quoted only where YAML
    /// would read them as something else).
    public var yaml: String {
        var lines: [String] = [
            "contract_version: \(Self.scalar("1.0.0"))",
            "name: \(Self.scalar(name))",
            "class_name: \(Self.scalar(className))",
            "version: \(Self.scalar(version))",
            "node_type: \(Self.scalar(nodeType.rawValue))",
            "domain: \(Self.scalar(domain))",
            "description: \(Self.scalar(description))",
        ]
        for (key, model) in [("input_model", input), ("output_model", output)] {
            lines.append("\(key):")
            lines.append("  name: \(Self.scalar(model.name))")
            lines.append("  fields:")
            for field in model.fields {
                lines.append("    - name: \(Self.scalar(field.name))")
                lines.append("      type: \(Self.scalar(field.type))")
                lines.append("      required: \(field.required)")
                lines.append("      description: \(Self.scalar(field.description))")
            }
        }
        lines.append("actions:")
        for action in actions {
            lines.append("  - name: \(Self.scalar(action.name))")
            lines.append("    description: \(Self.scalar(action.description))")
        }
        lines.append(dependencies.isEmpty ? "dependencies: []" : "dependencies:")
        for dependency in dependencies {
            lines.append("  - name: \(Self.scalar(dependency.name))")
            lines.append("    purpose: \(Self.scalar(dependency.purpose))")
            lines.append("    optional: \(dependency.optional)")
        }
        if nodeType == .effect || nodeType == .orchestrator {
            lines.append("events:")
            lines.append("  publishes:" + (publishes.isEmpty ? " []" : ""))
            lines += publishes.map { "    - \(Self.scalar($0))" }
            lines.append("  consumes:" + (consumes.isEmpty ? " []" : ""))
            lines += consumes.map { "    - \(Self.scalar($0))" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML scalar: plain when it cannot be misread, else double-quoted with escapes.
    static func scalar(_ text: String) -> String {
        let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "~", ""]
        let plainSafe = text.allSatisfy { $0.isLetter || $0.isNumber || " _-./".contains($0) }
            && !reserved.contains(text.lowercased())
            && text.first.map { $0.isLetter || $0 == "_" } == true
            && !text.hasSuffix(" ")
        if plainSafe { return text }
        // A YAML double-quoted scalar takes the same escapes as a Python string literal.
        return PythonText.literal(text)
    }
}
