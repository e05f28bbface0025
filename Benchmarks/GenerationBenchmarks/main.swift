// strata-generation-bench: the generation pipeline's figures, release build, offline provider.
//
//   strata-generation-bench learning --fixtures F.jsonl --prompts P.txt [--json OUT]
//       A fresh store seeded with the fixture corpus only; every prompt generated in order
//       (pass 1), then all again (pass 2). Prints each pass's mean quality, retrieval hits
//       above the similarity threshold, gates, what was stored, and latencies.
//   strata-generation-bench latency --store DIR --prompts P.txt [--runs 3] [--full] [--json OUT]
//       Generations against an existing store, e.g. the 25,450-pattern store of `make
//       bench-store`: end-to-end seconds and the RAG stage. Dry runs (nothing written,
//       recorded or stored) unless --full, which writes the nodes to a temporary folder,
//       records them and stores the good ones in the store, as `strata generate` does.
//   strata-generation-bench features [--rounds 5] [--dry] [--json OUT]
//       Every shipped workflow for three entities, no store, in one process, alternating
//       three ways each round: the feature with the independent nodes at once, the feature
//       with its nodes one after another, and its nodes as single generations one after
//       another that start an interpreter each for the syntax gate (the pipeline before
//       syntax workers). Prints per workflow the medians and the ratios of the first to the
//       other two. Features are written (to a temporary folder), as `strata generate` does,
//       unless --dry.
import Foundation
import StrataAnalytics
import StrataGeneration
import StrataStore

func argument(_ name: String, _ arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("strata-generation-bench: \(message)\n".utf8))
    exit(2)
}

func prompts(_ path: String) -> [String] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fail("cannot read prompts from \(path)") }
    // A line is a prompt, or `type<TAB>prompt` (the expected type is not needed here).
    return text.split(separator: "\n").map { ($0.split(separator: "\t").last.map(String.init) ?? "").trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty && !$0.hasPrefix("#") }
}

func line(_ name: String, _ summary: GenerationBatchSummary) -> String {
    String(format: "%@: %d generations, mean quality %.4f, gates all passed %d, hits above threshold %d (in %d generations), mean top similarity %.3f, stored %d new + %d merged, median %.3f s (p95 %.3f), RAG median %.2f ms (p95 %.2f)",
           name, summary.generations, summary.meanQuality, summary.allGatesPassed, summary.hits, summary.generationsWithHits,
           summary.meanTopSimilarity, summary.storedNew, summary.merged, summary.medianSeconds, summary.p95Seconds,
           summary.medianRetrieveMilliseconds, summary.p95RetrieveMilliseconds)
}

func write(_ object: Any, to path: String?) {
    guard let path else { return }
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    _ = FileManager.default.createFile(atPath: path, contents: data)
}

func generate(_ generator: Generator, _ prompt: String) -> GenerationResult {
    do {
        return try generator.generate(prompt: prompt)
    } catch {
        fail("\"\(prompt)\": \(error)")
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "learning":
    guard let fixtures = argument("--fixtures", arguments), let promptFile = argument("--prompts", arguments) else {
        fail("learning needs --fixtures F.jsonl --prompts P.txt")
    }
    let folder = NSTemporaryDirectory() + "strata-learning-\(ProcessInfo.processInfo.processIdentifier)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    do {
        let store = try PatternStore.create(at: folder + "/store", embedder: CodeEmbedder(), settings: .builtin)
        let seeded = try store.importJSONL(path: fixtures)
        let tracker = try PerformanceTracker.open(storeDirectory: folder + "/store")
        var configuration = GeneratorConfiguration()
        configuration.outputDirectory = folder + "/out"
        configuration.force = true
        let generator = try Generator(store: store, tracker: tracker, configuration: configuration)
        let list = prompts(promptFile)
        print("store seeded with \(seeded.added) fixture patterns; \(list.count) prompts, two passes")
        let first = GenerationBatchSummary(list.map { generate(generator, $0) })
        print(line("pass 1", first))
        let second = GenerationBatchSummary(list.map { generate(generator, $0) })
        print(line("pass 2", second))
        print(String(format: "pass 2 - pass 1: mean quality %+.4f, hits %+d", second.meanQuality - first.meanQuality, second.hits - first.hits))
        write(["fixtures": seeded.added, "prompts": list.count, "pass1": first.jsonObject, "pass2": second.jsonObject], to: argument("--json", arguments))
        try store.close()
    } catch {
        fail("\(error)")
    }
case "latency":
    guard let storePath = argument("--store", arguments), let promptFile = argument("--prompts", arguments) else {
        fail("latency needs --store DIR --prompts P.txt")
    }
    let runs = Int(argument("--runs", arguments) ?? "3") ?? 3
    let full = arguments.contains("--full")
    let output = NSTemporaryDirectory() + "strata-latency-\(ProcessInfo.processInfo.processIdentifier)"
    defer { try? FileManager.default.removeItem(atPath: output) }
    do {
        let store = try PatternStore.open(at: storePath)
        var configuration = GeneratorConfiguration()
        configuration.writeFiles = full
        configuration.learn = full
        configuration.force = true
        configuration.outputDirectory = output
        let generator = try Generator(store: store, tracker: try PerformanceTracker.open(storeDirectory: storePath), configuration: configuration)
        let list = prompts(promptFile)
        _ = generate(generator, list[0])  // warm the caches and the interpreter
        var results: [GenerationResult] = []
        for _ in 0..<runs { results += list.map { generate(generator, $0) } }
        let summary = GenerationBatchSummary(results)
        print("store \(storePath): \(try store.count()) patterns; \(list.count) prompts × \(runs) runs, \(full ? "written, recorded and learned" : "dry runs")")
        print(line("offline", summary))
        var stages: [String: Double] = [:]
        for stage in GenerationStage.allCases {
            let values = results.compactMap { $0.stages.first { $0.stage == stage }?.milliseconds }.sorted()
            stages[stage.rawValue] = values.isEmpty ? 0 : values[values.count / 2]
        }
        print("median per stage (ms): " + GenerationStage.allCases.map { String(format: "%@ %.2f", $0.rawValue, stages[$0.rawValue]!) }.joined(separator: ", "))
        write(["patterns": try store.count(), "runs": runs, "full": full, "summary": summary.jsonObject, "median_stage_ms": stages], to: argument("--json", arguments))
        try store.close()
    } catch {
        fail("\(error)")
    }
case "features":
    let rounds = Int(argument("--rounds", arguments) ?? "5") ?? 5
    let output = NSTemporaryDirectory() + "strata-features-\(ProcessInfo.processInfo.processIdentifier)"
    defer { try? FileManager.default.removeItem(atPath: output) }
    do {
        var configuration = GeneratorConfiguration()
        configuration.force = true
        configuration.outputDirectory = output
        configuration.writeFiles = !arguments.contains("--dry")
        let concurrent = try FeatureGenerator(configuration: configuration)
        let sequential = try FeatureGenerator(configuration: configuration, concurrent: false)
        configuration.validation.keepsInterpreter = false
        let single = try Generator(configuration: configuration)
        let catalog = try WorkflowCatalog()
        var rows: [[String: Any]] = []
        for name in ["crud", "event-handler", "api-endpoint", "etl"] {
            let workflow = try catalog.workflow(named: name)
            var times: [String: [Double]] = [:]
            for round in 0...rounds {
                for (entityName, fields) in [("User", "name:str,email:str"), ("Order", "total:float,paid:bool"), ("ClassRoom", "capacity:int")] {
                    let entity = try FeatureEntity(name: entityName, fields: try FeatureEntity.parseFields(fields))
                    let prompt = "Build the \(name) feature for \(entityName)"
                    let both = try concurrent.generate(prompt: prompt, workflow: workflow, entity: entity).seconds
                    let ordered = try sequential.generate(prompt: prompt, workflow: workflow, entity: entity).seconds
                    var singles = 0.0
                    for node in workflow.nodes {
                        let request = FeatureGenerator.request(for: node, entity: entity, domain: nil)
                        singles += try single.generate(prompt: request.prompt, overrides: request.overrides).seconds
                    }
                    // Round 0 warms the caches and the syntax workers; it is not counted.
                    guard round > 0 else { continue }
                    times["concurrent", default: []].append(both)
                    times["sequential", default: []].append(ordered)
                    times["singles", default: []].append(singles)
                }
            }
            let median = times.mapValues { $0.sorted()[$0.count / 2] }
            let row: [String: Any] = [
                "workflow": name, "nodes": workflow.nodes.count, "features": times["concurrent"]!.count,
                "concurrent_ms": median["concurrent"]! * 1000, "sequential_ms": median["sequential"]! * 1000, "singles_ms": median["singles"]! * 1000,
                "concurrent_over_sequential": median["concurrent"]! / median["sequential"]!, "concurrent_over_singles": median["concurrent"]! / median["singles"]!,
            ]
            print(String(format: "%@ (%d nodes, %d features each way): median concurrent %.1f ms, sequential %.1f ms, single generations %.1f ms; concurrent/sequential %.2f, concurrent/singles %.2f",
                         name, workflow.nodes.count, times["concurrent"]!.count, median["concurrent"]! * 1000, median["sequential"]! * 1000,
                         median["singles"]! * 1000, row["concurrent_over_sequential"] as! Double, row["concurrent_over_singles"] as! Double))
            rows.append(row)
        }
        write(["cpu_count": ProcessInfo.processInfo.activeProcessorCount, "rounds": rounds, "workflows": rows], to: argument("--json", arguments))
    } catch {
        fail("\(error)")
    }
default:
    fail("usage: strata-generation-bench learning --fixtures F --prompts P | latency --store DIR --prompts P [--runs N] | features [--rounds N]")
}
