import ArgumentParser
import Foundation
import StrataStore

extension Strata {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add the patterns of a JSONL file (one JSON object a line).",
            discussion: """
            Each line: {"id", "text"} and optionally name, kind, node_type, domain, language, tags, quality, summary, \
            lifecycle, success_rate, usage_count, created_at, path, line_start, line_end (the export format). With \
            --vectors, row i of the .fvecs/.npy file is line i's embedding. Every line is checked before anything is \
            written; a bad one is reported with its line number and nothing changes. Ids already stored are left when \
            unchanged and replaced otherwise, so re-running an interrupted import completes it. With --json, a line \
            {"committed": N, "total": M} is printed after each batch commits.
            """)

        @OptionGroup var options: StoreOptions
        @Argument(help: "The JSONL file.")
        var file: String
        @Option(help: "Embeddings for the lines, .fvecs or .npy, row i for line i.")
        var vectors: String?
        @Option(help: "Records per transaction.")
        var batch: Int = 50_000

        func run() throws {
            let store = try options.open()
            let json = options.json
            let report = try store.importJSONL(path: file, vectorsPath: vectors, batchSize: batch) { committed, total in
                if json {
                    printJSON(["committed": committed, "total": total])
                    fflush(nil)
                } else {
                    note("committed \(committed) of \(total) records")
                }
            }
            try store.close()
            if json {
                options.emit(["records": report.records, "added": report.added, "replaced": report.replaced, "unchanged": report.unchanged,
                              "merged_exact": report.mergedExact, "merged_near": report.mergedNear, "seconds": report.seconds])
            } else {
                print("\(report.records) records in \(format(report.seconds, digits: 2)) s: \(report.added) added, \(report.replaced) replaced, \(report.unchanged) unchanged, \(report.mergedExact) exact and \(report.mergedNear) near duplicates merged")
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the store's patterns as JSONL (the import format).")

        @OptionGroup var options: StoreOptions
        @Argument(help: "The output file, or - for standard output.")
        var file: String = "-"
        @Option(help: "Also write the vectors, in the same order, to this .fvecs file.")
        var vectors: String?
        @Option(help: "Export only patterns matching this filter. Format: node_type=effect,quality>=0.7")
        var filter: String?

        func run() throws {
            let store = try options.openForReading()
            let count = try store.exportJSONL(to: file, vectorsPath: vectors, filter: try parseFilter(filter))
            try store.close()
            if file != "-" {
                if options.json { options.emit(["file": file, "patterns": count]) } else { print("exported \(count) patterns to \(file)") }
            }
        }
    }

    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cut source trees into patterns (functions, methods, types) and add them.",
            discussion: """
            Python, Swift, Go, JavaScript, TypeScript, Rust and Java. Hidden, vendored and generated folders and files \
            are skipped. Files unchanged since the last ingest are skipped, so re-ingesting adds nothing; a changed \
            function replaces its pattern.
            """)

        @OptionGroup var options: StoreOptions
        @Argument(help: "Folders or files to ingest.")
        var paths: [String]
        @Option(name: .customLong("min-lines"), help: "Shortest unit kept, in lines.")
        var minLines: Int = 3

        func run() throws {
            let store = try options.open()
            var bar: ProgressBar?
            var splitter = SourceSplitter.Options()
            splitter.minimumLines = minLines
            let report = try store.ingest(paths, splitter: splitter) { done, total, patterns in
                if bar == nil { bar = ProgressBar(total: total, unit: "files", piped: .silent, enabled: !options.json) }
                bar?.update(done: done, detail: ProgressBar.patterns(patterns))
            }
            bar?.finish(done: report.files, detail: ProgressBar.patterns(report.added + report.replaced))
            try store.close()
            if options.json {
                options.emit(["files": report.files, "unchanged_files": report.unchangedFiles, "skipped_files": report.skippedFiles,
                              "units": report.units, "added": report.added, "replaced": report.replaced, "unchanged": report.unchanged,
                              "merged": report.merged, "removed": report.removed, "seconds": report.seconds])
            } else {
                print("\(report.files) files (\(report.unchangedFiles) unchanged, \(report.skippedFiles) skipped), \(report.units) units: \(report.added) added, \(report.replaced) replaced, \(report.merged) merged as duplicates, \(report.removed) removed, in \(format(report.seconds, digits: 2)) s")
            }
        }
    }
}
