// strata-embedding-bench: the sentence encoder's throughput on a JSONL of texts.
//
//   strata-embedding-bench --texts FILE.jsonl [--max-tokens 128] [--batch 32] [--threads 2]
//       [--precision float32|bfloat16] [--runs 5] [--limit N] [--model DIR] [--out vectors.f32]
//
// Prints the CPU, the settings, tokens per second of each run and their median. Tokens are
// the real ones ([CLS] and [SEP] included, no padding). `--out` writes the vectors as raw
// little-endian float32, texts × dimension, for Benchmarks/encoder/compare.py.
import Foundation
import StrataEmbedding

struct Options {
    var texts = ""
    var maxTokens = 128
    var batch = 32
    var threads = 2
    var precision = SentenceEncoder.Precision.float32
    var runs = 5
    var limit = Int.max
    var model = SentenceEncoder.defaultModelsFolder() + "/all-MiniLM-L6-v2"
    var out: String?
    var idsOut: String?

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { fail("\(flag) needs a value") }
            switch flag {
            case "--texts": options.texts = value
            case "--max-tokens": options.maxTokens = integer(value, "--max-tokens")
            case "--batch": options.batch = integer(value, "--batch")
            case "--threads": options.threads = integer(value, "--threads")
            case "--precision": options.precision = parsePrecision(value)
            case "--runs": options.runs = integer(value, "--runs")
            case "--limit": options.limit = integer(value, "--limit")
            case "--model": options.model = value
            case "--out": options.out = value
            case "--ids-out": options.idsOut = value
            default: fail("unknown flag \(flag)")
            }
        }
        if options.texts.isEmpty { fail("--texts FILE.jsonl is required") }
        return options
    }
}

func integer(_ value: String, _ flag: String) -> Int {
    guard let number = Int(value), number > 0 else { fail("\(flag) takes a positive integer, not \(value)") }
    return number
}

func parsePrecision(_ value: String) -> SentenceEncoder.Precision {
    guard let precision = SentenceEncoder.Precision(rawValue: value) else { fail("--precision is float32 or bfloat16, not \(value)") }
    return precision
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("strata-embedding-bench: \(message)\n".utf8))
    exit(2)
}

func readTexts(_ path: String, limit: Int) -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    var texts: [String] = []
    for line in data.split(separator: UInt8(ascii: "\n")) where texts.count < limit {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
              let text = object["text"] as? String else { fail("a line of \(path) has no \"text\"") }
        texts.append(text)
    }
    return texts
}

/// CPU seconds this process has used (user + system), to see through other load on the machine.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func cpuName() -> String {
    let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let line = info.split(separator: "\n").first { $0.hasPrefix("model name") }
    return line.map { $0.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
}

func main() {
    let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
    let texts = readTexts(options.texts, limit: options.limit)
    let configuration = SentenceEncoder.Configuration(
        modelFolder: options.model, maxTokens: options.maxTokens, batchSize: options.batch,
        threads: options.threads, precision: options.precision)
    let loadStart = Date()
    let encoder: SentenceEncoder
    do { encoder = try SentenceEncoder(configuration: configuration) } catch { fail("\(error)") }
    let loadSeconds = Date().timeIntervalSince(loadStart)
    let tokenizeStart = Date()
    let ids = texts.map { encoder.tokenizer.tokenize($0, maxTokens: encoder.maxTokens) }
    let tokenizeSeconds = Date().timeIntervalSince(tokenizeStart)
    let tokens = ids.reduce(0) { $0 + $1.count }
    print("cpu: \(cpuName()), \(ProcessInfo.processInfo.activeProcessorCount) cores")
    print("model: \(encoder.identifier) dim \(encoder.dimension), loaded in \(String(format: "%.2f", loadSeconds)) s")
    print("settings: max-tokens \(encoder.maxTokens), batch \(options.batch), threads \(options.threads), precision \(encoder.precision.rawValue)")
    print("texts: \(texts.count), tokens: \(tokens) (\(String(format: "%.1f", Double(tokens) / Double(max(1, texts.count)))) a text), tokenized at \(Int(Double(tokens) / max(tokenizeSeconds, 1e-9))) tokens/s")
    var rates: [Double] = []
    var cpuRates: [Double] = []
    var vectors: [Float] = []
    for run in 1...max(1, options.runs) {
        let start = Date()
        let cpuStart = processCPUSeconds()
        // Tokenize and embed as `embed(_:)` does, minus its refusal of blank texts (corpora
        // have some; their rows are [CLS] [SEP]).
        vectors = encoder.embed(tokenIDs: texts.map { encoder.tokenizer.tokenize($0, maxTokens: encoder.maxTokens) })
        let seconds = Date().timeIntervalSince(start)
        let cpuSeconds = processCPUSeconds() - cpuStart
        rates.append(Double(tokens) / seconds)
        cpuRates.append(Double(tokens) / cpuSeconds * Double(options.threads))
        print("run \(run): \(String(format: "%.3f", seconds)) s, \(Int(rates.last!)) tokens/s; \(String(format: "%.3f", cpuSeconds)) CPU s")
    }
    let median = rates.sorted()[rates.count / 2]
    let cpuMedian = cpuRates.sorted()[cpuRates.count / 2]
    print("median: \(Int(median)) tokens/s (tokenize + embed, wall clock)")
    print("median: \(Int(cpuMedian)) tokens/s per \(options.threads) busy cores (tokens / CPU seconds × threads: what an idle machine gives)")
    if let idsOut = options.idsOut {
        let lines = ids.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: "\n") + "\n"
        do { try lines.write(toFile: idsOut, atomically: true, encoding: .utf8) } catch { fail("cannot write \(idsOut): \(error)") }
    }
    if let out = options.out {
        let data = vectors.withUnsafeBufferPointer { Data(buffer: $0) }
        do { try data.write(to: URL(fileURLWithPath: out)) } catch { fail("cannot write \(out): \(error)") }
        print("wrote \(texts.count) × \(encoder.dimension) float32 to \(out)")
    }
}

main()
