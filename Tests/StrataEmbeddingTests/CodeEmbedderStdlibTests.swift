import Foundation
import Testing
import StrataEmbedding

/// The embedder against thousands of real functions: the Python standard library.
///
/// Serialized, so that the throughput figure is not shared with another test.
@Suite(.serialized)
struct CodeEmbedderStdlibTests {
    /// A function and its renamed copy find each other: the copy, as a query, has the
    /// original as its nearest neighbour among all the functions.
    @Test(arguments: ["numbered", "words"])
    func renamedCopyFindsItsOriginal(style: String) throws {
        guard let corpus = PythonCorpus.functions else {
            Issue.record("no Python standard library under /usr/lib/python3.*")
            return
        }
        #expect(corpus.count >= 3000)
        let weights = CodeEmbedder.Weights.fit(corpus: corpus)
        let embedder = try CodeEmbedder(weights: weights)
        let dimension = embedder.dimension
        let vectors = try embedder.embed(corpus)

        // Every 10th function whose text is unique and which has something to rename.
        var occurrences: [String: Int] = [:]
        for function in corpus { occurrences[function, default: 0] += 1 }
        let renamer = PythonRenamer(style: style == "numbered" ? .numbered : .words(seed: 7))
        var sample: [(index: Int, copy: String)] = []
        for index in stride(from: 0, to: corpus.count, by: max(1, corpus.count / 400)) where occurrences[corpus[index]] == 1 {
            let copy = renamer.rename(corpus[index])
            if copy != corpus[index] { sample.append((index, copy)) }
        }
        #expect(sample.count >= 200)

        let queries = try embedder.embed(sample.map(\.copy))
        var hits = 0
        var misses: [String] = []
        vectors.withUnsafeBufferPointer { base in
            queries.withUnsafeBufferPointer { query in
                for (q, entry) in sample.enumerated() {
                    let row = query.baseAddress! + q * dimension
                    var best = -1
                    var bestScore = -Float.infinity
                    for b in 0..<corpus.count {
                        let other = base.baseAddress! + b * dimension
                        var score: Float = 0
                        for k in 0..<dimension { score += row[k] * other[k] }
                        if score > bestScore { bestScore = score; best = b }
                    }
                    if best == entry.index {
                        hits += 1
                    } else if misses.count < 3 {
                        misses.append("--- original #\(entry.index):\n\(corpus[entry.index])\n--- copy:\n\(entry.copy)\n--- found #\(best):\n\(corpus[best])")
                    }
                }
            }
        }
        let rate = Double(hits) / Double(sample.count)
        print("renamed copies (\(style)): \(hits)/\(sample.count) top-1 = \(String(format: "%.1f", rate * 100)) % over \(corpus.count) functions")
        for miss in misses { print(miss) }
        #expect(rate >= 0.95)
    }

    /// Code search: the first line of a function's docstring, as a query, finds the function
    /// with its docstring taken out. Words and trigrams alone carry this.
    @Test func docstringSummariesFindTheirFunctions() throws {
        guard let functions = PythonCorpus.functions else { return }
        var corpus: [String] = []
        var queries: [(text: String, target: Int)] = []
        for function in functions {
            if let (summary, stripped) = Self.splitDocstring(function) {
                queries.append((summary, corpus.count))
                corpus.append(stripped)
            } else {
                corpus.append(function)
            }
        }
        let embedder = try CodeEmbedder(weights: .fit(corpus: corpus))
        let dimension = embedder.dimension
        let vectors = try embedder.embed(corpus)
        let sample = Array(queries.prefix(300))
        let queryVectors = try embedder.embed(sample.map(\.text))
        var reciprocalRanks = 0.0
        var top10 = 0
        vectors.withUnsafeBufferPointer { base in
            queryVectors.withUnsafeBufferPointer { query in
                for (q, entry) in sample.enumerated() {
                    let row = query.baseAddress! + q * dimension
                    func score(_ b: Int) -> Float {
                        var sum: Float = 0
                        for k in 0..<dimension { sum += row[k] * base[b * dimension + k] }
                        return sum
                    }
                    let target = score(entry.target)
                    let rank = 1 + (0..<corpus.count).filter { $0 != entry.target && score($0) > target }.count
                    reciprocalRanks += 1 / Double(rank)
                    if rank <= 10 { top10 += 1 }
                }
            }
        }
        let mrr = reciprocalRanks / Double(sample.count)
        print("docstring summaries: \(sample.count) queries over \(corpus.count) functions, MRR \(String(format: "%.3f", mrr)), target in top 10 for \(top10)")
        #expect(sample.count == 300)
        #expect(mrr >= 0.2)
    }

    /// The first line of the docstring opening `function` (of three words or more), and the
    /// function without that docstring.
    static func splitDocstring(_ function: String) -> (summary: String, stripped: String)? {
        let lines = function.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 2 else { return nil }
        let opening = lines[1].drop { $0 == " " }
        guard opening.hasPrefix("\"\"\"") else { return nil }
        var summary = opening.dropFirst(3)
        var last = 1
        if let close = summary.range(of: "\"\"\"") {
            summary = summary[..<close.lowerBound]
        } else {
            last = 2
            while last < lines.count && !lines[last].contains("\"\"\"") { last += 1 }
        }
        guard summary.split(separator: " ").count >= 3, last + 1 < lines.count else { return nil }
        let stripped = ([lines[0]] + lines[(last + 1)...]).joined(separator: "\n")
        return (summary.trimmingCharacters(in: .whitespaces), stripped)
    }

    /// Prints embedding and fitting throughput on the standard library; asserts nothing
    /// about speed, which depends on the machine.
    @Test func throughput() throws {
        guard let corpus = PythonCorpus.functions else { return }
        let clock = ContinuousClock()
        let fitStart = clock.now
        let weights = CodeEmbedder.Weights.fit(corpus: corpus)
        let fitTime = clock.now - fitStart
        let embedder = try CodeEmbedder(weights: weights)
        let embedStart = clock.now
        let vectors = try embedder.embed(corpus)
        let embedTime = clock.now - embedStart
        #expect(vectors.count == corpus.count * embedder.dimension)
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        }
        let lines = corpus.reduce(0) { $0 + $1.split(separator: "\n").count }
        print("""
            code embedder on \(corpus.count) functions (\(lines / corpus.count) lines each on average), \
            \(ProcessInfo.processInfo.activeProcessorCount) cores: \
            fit \(String(format: "%.2f", seconds(fitTime))) s (\(Int(Double(corpus.count) / seconds(fitTime))) functions/s), \
            embed \(String(format: "%.2f", seconds(embedTime))) s (\(Int(Double(corpus.count) / seconds(embedTime))) functions/s), \
            weights \(weights.serialized().count) bytes
            """)
    }
}
