import ArgumentParser
import StrataIndex

extension Strata {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a segment file: header, every section's checksum, and the graph's structure.",
            discussion: "Exits 0 when the file is sound, 1 when a problem is found (each printed on a line of its own).")

        @Argument(help: "The segment file to check.")
        var file: String

        func run() throws {
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
    }
}

/// The message of an index error without the path prefix it already carries.
func errorProblem(_ error: Error) -> String {
    if case let IndexError.file(_, problem) = error { return problem }
    return "\(error)"
}
