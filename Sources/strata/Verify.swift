import ArgumentParser
import StrataIndex
import StrataStore

extension Strata {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a store (catalog, every segment, tiers) or one segment file.",
            discussion: "Without FILE, checks the store (--store). Exits 0 when sound, 1 when a problem is found (each printed on a line of its own).")

        @OptionGroup var options: StoreOptions
        @Argument(help: "A segment file to check on its own.")
        var file: String?

        func run() throws {
            guard let file else { return try verifyStore() }
            let segment: Segment
            do { segment = try Segment(path: file) } catch {
                print("\(file): \(errorProblem(error))")
                throw ExitCode(1)
            }
            let problems = segment.verify()
            if problems.isEmpty {
                print("\(file): ok — \(segment.count) live of \(segment.slotCount) slots, dimension \(segment.dimension), \(segment.metric.rawValue), M=\(segment.m), \(segment.fileBytes) bytes; \(segment.unreachableCount()) unreachable")
                return
            }
            for problem in problems { print("\(file): \(problem)") }
            throw ExitCode(1)
        }

        private func verifyStore() throws {
            let store = try options.openForReading()
            let problems = try store.verify()
            let stats = try store.stats()
            try store.close()
            if options.json {
                options.emit(["ok": problems.isEmpty, "problems": problems, "patterns": stats.patterns, "segments": stats.segments.count])
            } else if problems.isEmpty {
                print("\(options.path): ok — \(stats.patterns) patterns (\(stats.hot) hot, \(stats.cold) cold in \(stats.segments.count) segments)")
            } else {
                for problem in problems { print("\(options.path): \(problem)") }
            }
            if !problems.isEmpty { throw ExitCode(1) }
        }
    }
}

/// The message of an index error without the path prefix it already carries.
func errorProblem(_ error: Error) -> String {
    if case let IndexError.file(_, problem) = error { return problem }
    return "\(error)"
}
