import Foundation

/// Real functions for the embedder tests: every top-level function and method of 5–60 lines
/// in the machine's Python standard library (its own test suites left out).
enum PythonCorpus {
    /// The functions, in a fixed order, or `nil` when no Python standard library is installed.
    static let functions: [String]? = load()

    /// `/usr/lib/python3.N` holding `os.py`, the newest first.
    static func standardLibrary() -> URL? {
        let root = URL(fileURLWithPath: "/usr/lib")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        let candidates = names
            .filter { $0.hasPrefix("python3.") }
            .sorted { (Int($0.dropFirst(8)) ?? 0) > (Int($1.dropFirst(8)) ?? 0) }
        return candidates
            .map { root.appendingPathComponent($0) }
            .first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("os.py").path) }
    }

    private static func load() -> [String]? {
        guard let root = standardLibrary(),
              let enumerator = FileManager.default.enumerator(atPath: root.path) else { return nil }
        let skipped = ["test", "tests", "idle_test", "site-packages", "dist-packages", "__pycache__"]
        var paths: [String] = []
        while let path = enumerator.nextObject() as? String {
            let parts = path.split(separator: "/")
            if parts.dropLast().contains(where: { skipped.contains(String($0)) }) { continue }
            if path.hasSuffix(".py") { paths.append(path) }
        }
        var functions: [String] = []
        for path in paths.sorted() {
            guard let source = try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) else { continue }
            functions += split(source)
        }
        return functions
    }

    /// The `def` blocks at indentation 0 or 4: the `def` line and the lines after it that are
    /// blank or indented deeper, trailing blank lines dropped.
    static func split(_ source: String) -> [String] {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        func indent(_ line: Substring) -> Int { line.prefix { $0 == " " }.count }
        func isBlank(_ line: Substring) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" } }
        var functions: [String] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            let depth = indent(line)
            let body = line.dropFirst(depth)
            guard depth == 0 || depth == 4, body.hasPrefix("def ") || body.hasPrefix("async def ") else {
                i += 1
                continue
            }
            var end = i + 1
            while end < lines.count && (isBlank(lines[end]) || indent(lines[end]) > depth) { end += 1 }
            var last = end
            while last > i + 1 && isBlank(lines[last - 1]) { last -= 1 }
            let count = last - i
            if (5...60).contains(count) {
                functions.append(lines[i..<last].map { String($0.dropFirst(min(depth, indent($0)))) }.joined(separator: "\n"))
            }
            i = end
        }
        return functions
    }
}
