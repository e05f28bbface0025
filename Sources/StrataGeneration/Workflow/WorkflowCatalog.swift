import Foundation
import StrataStore

/// The workflows a generation may name: the built-in ones, then every `*.yaml` file of the
/// folders given (a store's `workflows/`, a `--workflows` path), a file's workflow replacing a
/// built-in one of the same name.
public struct WorkflowCatalog: Sendable {
    public private(set) var workflows: [String: Workflow]

    /// The folder of a store's own workflow files: `<store>/workflows`.
    public static func folder(ofStore storeDirectory: String) -> String {
        (storeDirectory as NSString).appendingPathComponent("workflows")
    }

    /// The built-in workflows and those of `folders` (a missing folder adds none).
    ///
    /// - Throws: ``GenerationError/file(path:problem:)`` for the first file that cannot be
    ///   read or is not a valid workflow, naming its line.
    public init(folders: [String] = []) throws(GenerationError) {
        workflows = Workflow.builtin
        for folder in folders {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                let path = (folder as NSString).appendingPathComponent(name)
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw .file(path: path, problem: "cannot be read as UTF-8 text")
                }
                let workflow = try Workflow(yaml: text, source: path)
                workflows[workflow.name] = workflow
            }
        }
    }

    /// The workflow called `name`.
    ///
    /// - Throws: ``GenerationError/invalidArgument(name:value:expected:)`` listing the known ones.
    public func workflow(named name: String) throws(GenerationError) -> Workflow {
        guard let workflow = workflows[name.lowercased()] else {
            throw .invalidArgument(name: "workflow", value: name, expected: "one of " + workflows.keys.sorted().joined(separator: ", "))
        }
        return workflow
    }

    /// The workflow a prompt asks for by its words (`"Create CRUD API for User"` → crud), or
    /// nil when none does, or when the prompt asks for one node (`"... Effect node"`).
    public func detect(in prompt: String) -> Workflow? {
        let words = prompt.lowercased().split(whereSeparator: { !$0.isLetter })
        if words.contains(where: { $0 == "node" || NodeType(buildableName: String($0)) != nil }) { return nil }
        let text = " " + prompt.lowercased().map { $0.isLetter || $0.isNumber ? $0 : " " }.reduce(into: "") { $0.append($1) } + " "
        return workflows.values.sorted { $0.name < $1.name }.first { workflow in
            workflow.detect.contains { text.contains(" " + $0.lowercased() + " ") }
        }
    }
}
