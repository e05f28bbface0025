import Foundation
import Testing
import StrataStore

/// The splitter over real code on this machine: whatever it meets, it must not crash and
/// every unit must be well formed. Each test returns early where its corpus is absent.
@Suite struct SourceSplitterCorpusTests {
    private struct Tally {
        var files = 0
        var bytes = 0
        var byKind: [SourceUnit.Kind: Int] = [:]
        var seconds = 0.0
        var violation: String?
        var total: Int { byKind.values.reduce(0, +) }

        var summary: String {
            let kinds = SourceUnit.Kind.allCases.compactMap { kind in byKind[kind].map { "\($0) \(kind.rawValue)" } }
            return "\(total) units (\(kinds.joined(separator: ", "))) from \(files) files, "
                + "\(bytes / 1_000_000) MB, split in \(String(format: "%.2f", seconds)) s"
        }
    }

    /// Splits every file under `roots`, timing the splitting alone (not the reading).
    private func split(_ roots: [String], configuration: SourceTree.Configuration) throws -> Tally {
        var tally = Tally()
        let clock = ContinuousClock()
        for file in try SourceTree(roots: roots, configuration: configuration).files() {
            guard let text = try file.readText() else { continue }
            tally.files += 1
            tally.bytes += file.size
            var units: [SourceUnit] = []
            let elapsed = clock.measure {
                units = SourceSplitter.units(in: text, path: file.path, language: file.language)
            }
            tally.seconds += Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)
            for unit in units { tally.byKind[unit.kind, default: 0] += 1 }
            if tally.violation == nil {
                let lineCount = text.utf8.count { $0 == UInt8(ascii: "\n") } + (text.utf8.last == UInt8(ascii: "\n") ? 0 : 1)
                tally.violation = invariantViolation(units, lineCount: max(1, lineCount))
            }
        }
        return tally
    }

    /// `/usr/lib/python3.*`, the interpreter's standard library folders.
    private func pythonStandardLibraries() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib")) ?? []
        return names.filter { $0.hasPrefix("python3.") }.sorted().map { "/usr/lib/" + $0 }
    }

    @Test func pythonStandardLibrary() throws {
        let standardLibrary = pythonStandardLibraries()
        guard !standardLibrary.isEmpty else { return }
        // The standard library as it is: only caches are skipped (its own `site-packages`
        // and `test` folders hold packages and tests, which are code patterns too).
        let configuration = SourceTree.Configuration(skippedFolderNames: ["__pycache__"], skipsGeneratedFiles: false)
        let stdlib = try split(standardLibrary, configuration: configuration)
        print("Python standard library \(standardLibrary.joined(separator: " ")): \(stdlib.summary)")
        #expect(stdlib.violation == nil, "\(stdlib.violation ?? "")")
        #expect(stdlib.total > 10_000)

        // With the Debian-packaged modules beside it, the issue's 20,000+ patterns.
        let distPackages = "/usr/lib/python3/dist-packages"
        guard FileManager.default.fileExists(atPath: distPackages) else { return }
        let packages = try split([distPackages], configuration: configuration)
        print("Python dist-packages \(distPackages): \(packages.summary)")
        #expect(packages.violation == nil, "\(packages.violation ?? "")")
        #expect(stdlib.total + packages.total > 20_000)
    }

    @Test func braceLanguageCorpora() throws {
        // npm's JavaScript, and the Swift of this package's own dependency checkouts.
        let corpora = ["/usr/lib/node_modules/npm", "/opt/swift/usr/share/docc/render/js", ".build/checkouts"]
            .filter { FileManager.default.fileExists(atPath: $0) }
        for corpus in corpora {
            let configuration = SourceTree.Configuration(skippedFolderNames: [], skipsHiddenEntries: false)
            let tally = try split([corpus], configuration: configuration)
            print("\(corpus): \(tally.summary)")
            #expect(tally.violation == nil, "\(tally.violation ?? "")")
        }
    }
}
