import Foundation

/// Reads generated nodes back from disk, as generated or as people edited them, so that the
/// validation gates and the quality score can judge any node folder (`strata check`).
public enum NodeReader {
    /// Every node under `folder`: each `node_*` folder with a `v*/contract.yaml`, its latest
    /// version, sorted by path.
    ///
    /// - Throws: ``GenerationError/file(path:problem:)`` when the folder cannot be read or a
    ///   contract cannot be parsed.
    public static func nodes(under folder: String) throws(GenerationError) -> [(path: String, node: RenderedNode)] {
        let manager = FileManager.default
        guard manager.fileExists(atPath: folder) else { throw .file(path: folder, problem: "does not exist") }
        guard let walker = manager.enumerator(atPath: folder) else { throw .file(path: folder, problem: "cannot be read") }
        var contracts: [String] = []
        while let relative = walker.nextObject() as? String {
            let parts = relative.split(separator: "/")
            if parts.last == "__pycache__" || parts.contains(where: { $0.hasPrefix(".") }) { walker.skipDescendants(); continue }
            if parts.last == "contract.yaml", parts.count >= 3, parts[parts.count - 2].hasPrefix("v"), parts[parts.count - 3].hasPrefix("node_") {
                contracts.append(relative)
            }
        }
        // The latest version of each node folder.
        var latest: [String: String] = [:]
        for contract in contracts.sorted() {
            let nodeFolder = ((contract as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
            latest[nodeFolder] = contract
        }
        return try latest.keys.sorted().map { (nodeFolder) throws(GenerationError) in
            let path = (folder as NSString).appendingPathComponent(nodeFolder)
            return (path, try node(at: path, contract: (folder as NSString).appendingPathComponent(latest[nodeFolder]!)))
        }
    }

    /// The node in `nodeFolder` whose contract is at `contractPath`: its files (Python, YAML)
    /// relative to the node folder, and the intent its contract and model files imply.
    static func node(at nodeFolder: String, contract contractPath: String) throws(GenerationError) -> RenderedNode {
        guard let text = try? String(contentsOfFile: contractPath, encoding: .utf8) else { throw .file(path: contractPath, problem: "cannot be read as UTF-8 text") }
        let contract = try NodeContract(yaml: text, source: contractPath)
        var files: [GeneratedFile] = []
        if let walker = FileManager.default.enumerator(atPath: nodeFolder) {
            while let relative = walker.nextObject() as? String {
                if relative.hasSuffix("__pycache__") { walker.skipDescendants(); continue }
                guard relative.hasSuffix(".py") || relative.hasSuffix(".yaml") else { continue }
                let path = (nodeFolder as NSString).appendingPathComponent(relative)
                guard let source = try? String(contentsOfFile: path, encoding: .utf8) else { throw .file(path: path, problem: "cannot be read as UTF-8 text") }
                files.append(GeneratedFile(path: relative, text: source))
            }
        }
        files.sort { $0.path < $1.path }
        // `Node<Name><Type>`, and the snake name from `models/model_<snake>_input.py`.
        var name = contract.className
        if name.hasPrefix("Node") { name.removeFirst(4) }
        if name.hasSuffix(contract.nodeType.className) { name.removeLast(contract.nodeType.className.count) }
        let modelPrefix = "\(contract.versionFolder)/models/model_"
        let snake = files.lazy.map(\.path).first { $0.hasPrefix(modelPrefix) && $0.hasSuffix("_input.py") }
            .map { String($0.dropFirst(modelPrefix.count).dropLast("_input.py".count)) }
        let intent = GenerationIntent(
            prompt: contract.description, nodeType: contract.nodeType, name: name, snakeName: snake, domain: contract.domain,
            operations: contract.actions.map(\.name))
        return RenderedNode(intent: intent, contract: contract, files: files)
    }
}
