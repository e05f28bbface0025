/// One file of a generated node, its path relative to the node's folder
/// (`node_<domain>_<name>_<type>/`): `__init__.py`, `v1_0_0/node.py`, `v1_0_0/models/...`.
public struct GeneratedFile: Sendable, Equatable {
    /// The file with no trailing white space on a line and one final newline: the template
    /// sections that render empty and the blocks' indentation leave some.
    var tidied: GeneratedFile {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var line = line
            while line.last == " " { line.removeLast() }
            return line
        }
        var text = lines.joined(separator: "\n")
        while text.last?.isNewline == true { text.removeLast() }
        return GeneratedFile(path: path, text: text + "\n")
    }

    /// Relative, `/`-separated, never starting with `/` or containing `..`.
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    /// Whether the file is Python source.
    public var isPython: Bool { path.hasSuffix(".py") }
}

/// A node as rendered, before it is validated or written: what it was built from and every
/// file of its package.
public struct RenderedNode: Sendable, Equatable {
    public var intent: GenerationIntent
    public var contract: NodeContract
    /// Every file, in the order they are written; paths are unique.
    public var files: [GeneratedFile]
    /// The operations whose body came from a retrieved pattern, with that pattern's id.
    public var reusedBodies: [String: String]

    public init(intent: GenerationIntent, contract: NodeContract, files: [GeneratedFile], reusedBodies: [String: String] = [:]) {
        self.intent = intent
        self.contract = contract
        self.files = files
        self.reusedBodies = reusedBodies
    }

    /// The version folder: `v1_0_0`.
    public var versionFolder: String { contract.versionFolder }

    /// `v1_0_0/node.py`: the file holding the node class.
    public var nodePath: String { "\(versionFolder)/node.py" }

    /// The file at `path`, or `nil`.
    public func file(_ path: String) -> GeneratedFile? { files.first { $0.path == path } }

    /// Replaces the text of the file at `path`, or adds the file.
    public mutating func setFile(_ path: String, text: String) {
        if let index = files.firstIndex(where: { $0.path == path }) {
            files[index].text = text
        } else {
            files.append(GeneratedFile(path: path, text: text))
        }
    }
}
