import Foundation

/// Writes a rendered node under an output folder as `node_<domain>_<name>_<type>/v1_0_0/...`.
///
/// The version folder is written whole into a hidden sibling first and renamed into place,
/// so a crash or a failed write leaves either the old version or the new one, never a mix.
/// An existing version is replaced only when `force` is set; other versions of the same node
/// are left alone.
public enum NodeWriter {
    /// Writes `node` and returns the version folder's path.
    ///
    /// - Throws: ``GenerationError/file(path:problem:)`` when the version exists and `force`
    ///   is not set, or a file cannot be written.
    @discardableResult
    public static func write(_ node: RenderedNode, into outputDirectory: String, force: Bool = false) throws(GenerationError) -> String {
        let files = FileManager.default
        let versionFolder = versionFolder(of: node.intent, node.contract, in: outputDirectory)
        let nodeFolder = (versionFolder as NSString).deletingLastPathComponent
        if !force { try refuseExisting(versionFolder) }
        let staging = (nodeFolder as NSString).appendingPathComponent(".\(node.versionFolder).writing-\(ProcessInfo.processInfo.processIdentifier)")
        do throws(GenerationError) {
            try filing(versionFolder) {
                try files.createDirectory(atPath: nodeFolder, withIntermediateDirectories: true)
                try? files.removeItem(atPath: staging)
                for file in node.files {
                    guard !file.path.hasPrefix("/"), !file.path.split(separator: "/").contains("..") else {
                        throw GenerationError.file(path: file.path, problem: "is not a relative path inside the node folder")
                    }
                    let inVersion = file.path.hasPrefix(node.versionFolder + "/")
                    let target = inVersion
                        ? (staging as NSString).appendingPathComponent(String(file.path.dropFirst(node.versionFolder.count + 1)))
                        : (nodeFolder as NSString).appendingPathComponent(file.path)
                    try files.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    // The staging folder is renamed into place whole, so a file in it needs no
                    // rename of its own; one beside it (the node package's) does.
                    try Data(file.text.utf8).write(to: URL(fileURLWithPath: target), options: inVersion ? [] : .atomic)
                }
                if files.fileExists(atPath: versionFolder) { try files.removeItem(atPath: versionFolder) }
                try files.moveItem(atPath: staging, toPath: versionFolder)
            }
        } catch {
            try? files.removeItem(atPath: staging)
            throw error
        }
        return versionFolder
    }

    /// Runs file work for `path`, turning a failure into a ``GenerationError/file(path:problem:)``
    /// that says what to check (a ``GenerationError`` thrown inside passes as it is).
    static func filing(_ path: String, _ body: () throws -> Void) throws(GenerationError) {
        do {
            try body()
        } catch let error as GenerationError {
            throw error
        } catch {
            throw .file(path: path, problem: "could not be written (\(error.localizedDescription)); check the folder's permissions and free space")
        }
    }

    /// The version folder the node of `intent` and `contract` is written to under `outputDirectory`.
    static func versionFolder(of intent: GenerationIntent, _ contract: NodeContract, in outputDirectory: String) -> String {
        ((outputDirectory as NSString).appendingPathComponent(intent.folderName) as NSString).appendingPathComponent(contract.versionFolder)
    }

    /// Refuses a version folder that exists: replacing one takes `force`.
    static func refuseExisting(_ versionFolder: String) throws(GenerationError) {
        if FileManager.default.fileExists(atPath: versionFolder) {
            throw .file(path: versionFolder, problem: "already exists; pass --force (NodeWriter force: true) to replace it, or choose another --out")
        }
    }
}
