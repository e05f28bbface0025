// strata-analytics-bench: times the analytics kernels on a vector file, release build.
//
//   strata-analytics-bench kmeans FILE.fvecs [--k 64] [--iterations 25] [--seed 1234]
//       [--runs 3] [--threads N] [--seeding-sample N|all] [--training-sample N] [--json]
//   strata-analytics-bench pca FILE.fvecs [--runs 3]
//
// k-means prints the median seconds over the runs, the seeding time alone, and the inertia
// recomputed in double precision from the final centroids on every vector (the measure
// ../shared/bench/kmeans_ridge.py reports for scikit-learn and FAISS as "inertia_full").
import Foundation
import StrataAnalytics
import StrataIndex
import StrataKernels

func argument(_ name: String, _ arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

/// Σ over vectors of the squared L2 distance to the nearest centroid, in double.
func fullInertia(_ vectors: VectorSet, _ centroids: VectorSet) -> Double {
    let d = vectors.dimension
    var total = 0.0
    for row in 0..<vectors.count {
        var best = Double.infinity
        for c in 0..<centroids.count {
            var sum = 0.0
            for i in 0..<d {
                let diff = Double(vectors.values[row * d + i]) - Double(centroids.values[c * d + i])
                sum += diff * diff
            }
            best = min(best, sum)
        }
        total += best
    }
    return total
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: strata-analytics-bench kmeans|pca FILE.fvecs [options]\n".utf8))
    exit(2)
}
let vectors: VectorSet
do { vectors = try VectorSet.read(contentsOf: arguments[1]) } catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
let runs = Int(argument("--runs", arguments) ?? "3") ?? 3
let json = arguments.contains("--json")

switch arguments[0] {
case "kmeans":
    var configuration = KMeansConfiguration(
        clusters: Int(argument("--k", arguments) ?? "64") ?? 64,
        maxIterations: Int(argument("--iterations", arguments) ?? "25") ?? 25,
        tolerance: 0,
        seed: UInt64(argument("--seed", arguments) ?? "1234") ?? 1234
    )
    configuration.variant = .lloyd
    if let threads = argument("--threads", arguments).flatMap(Int.init) { configuration.threads = threads }
    if let sample = argument("--training-sample", arguments).flatMap(Int.init) { configuration.trainingSample = sample }
    if let sample = argument("--seeding-sample", arguments) { configuration.seedingSample = sample == "all" ? Int.max : Int(sample) }
    var seconds: [Double] = []
    var seedingSeconds: [Double] = []
    var result: KMeansResult?
    for _ in 0..<runs {
        var seedingOnly = configuration
        seedingOnly.maxIterations = 1
        let start = DispatchTime.now().uptimeNanoseconds
        result = try KMeans.fit(vectors, configuration: configuration)
        seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        // Seeding plus one pass, minus one pass's share of the full run.
        let seedStart = DispatchTime.now().uptimeNanoseconds
        _ = try KMeans.fit(vectors, configuration: seedingOnly)
        let oneIteration = Double(DispatchTime.now().uptimeNanoseconds - seedStart) / 1e9
        let perIteration = (seconds.last! - oneIteration) / Double(max(1, configuration.maxIterations - 1))
        seedingSeconds.append(max(0, oneIteration - 2 * perIteration))
    }
    let inertia = fullInertia(vectors, result!.centroids)
    let summary: [String: Any] = [
        "n": vectors.count, "d": vectors.dimension, "k": result!.k, "iterations": result!.iterations,
        "threads": configuration.threads, "seconds_median": median(seconds), "seconds_best": seconds.min()!,
        "seeding_seconds_median": median(seedingSeconds), "inertia": result!.inertia, "inertia_full": inertia,
        "seeding_sample": min(vectors.count, configuration.seedingSample ?? max(4_096, 64 * result!.k)),
    ]
    if json {
        let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    } else {
        print(String(format: "k-means n=%d d=%d k=%d iters=%d threads=%d: median %.3f s (best %.3f, seeding ~%.3f), inertia %.2f (full, double %.2f)",
                     vectors.count, vectors.dimension, result!.k, result!.iterations, configuration.threads,
                     median(seconds), seconds.min()!, median(seedingSeconds), result!.inertia, inertia))
    }
case "pca":
    var seconds: [Double] = []
    var components: PrincipalComponents?
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        components = try PrincipalComponents.fit(vectors, components: 2)
        _ = try components!.project(vectors)
        seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    print(String(format: "PCA n=%d d=%d: median %.3f s, explained %.3f + %.3f", vectors.count, vectors.dimension, median(seconds),
                 components!.explainedRatios[0], components!.explainedRatios[1]))
default:
    FileHandle.standardError.write(Data("unknown benchmark \(arguments[0]); expected kmeans or pca\n".utf8))
    exit(2)
}
