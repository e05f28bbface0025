// Single-pair kernel micro-benchmark: Swift SIMD (`Kernels.dot`, `Kernels.l2Squared`,
// `ScalarQuantizer.dot`) against OpenBLAS `cblas_sdot`, at the dimensions embeddings have.
//
// Two access patterns: `l1` scores the same pair over and over (data in L1), `random` scores
// random pairs from a pool far larger than the caches, as graph traversal does.
// Each figure is the median of 7 runs, in nanoseconds per pair. Run:
//     swift run -c release strata-kernel-bench
// and the exact (flat) batch search, 1,000 queries against N vectors:
//     swift run -c release strata-kernel-bench flat 25000 100000
// and every kernel level this CPU runs, side by side (`KernelLevel`, `STRATA_KERNELS`):
//     swift run -c release strata-kernel-bench levels
import CLinearAlgebra
import Foundation
import StrataIndex
import StrataKernels

@inline(never)
func measure(_ pairs: Int, _ body: () -> Float) -> Double {
    var times: [Double] = []
    var sink: Float = 0
    for _ in 0..<7 {
        let start = DispatchTime.now().uptimeNanoseconds
        sink += body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(pairs))
    }
    if sink == .infinity { print("") }
    return times.sorted()[3]
}

BLAS.ensureConfigured()
let arguments = CommandLine.arguments
if arguments.count > 1 && arguments[1] == "flat" {
    // Exact batch search: 1,000 queries against N clustered 384-d vectors on all cores,
    // best of 5, as ../shared/bench times FAISS IndexFlatIP.
    let data = SyntheticDataset(dimension: 384, seed: 1)
    let queries = data.queries(count: 1000)
    for n in arguments.dropFirst(2).compactMap({ Int($0) }) {
        let flat = try FlatIndex(dimension: 384, metric: .cosine)
        try flat.add(contentsOf: data.base(count: n).values, ids: (0..<UInt64(n)).map { $0 })
        var best = Double.infinity
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try flat.search(batch: queries.values, k: 10)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        print(String(format: "exact batch, 1000 queries × %d: %.0f QPS on %d threads", n, 1000 / best, Parallel.coreCount))
    }
    exit(0)
}
if arguments.count > 1 && arguments[1] == "levels" {
    runLevels()
    exit(0)
}
var rng = SeededRandom(seed: 42)
print("dim  pattern  swift-simd  cblas_sdot  simd/sdot  l2-simd  int8-simd  (ns per pair, median of 7)")
for dim in [128, 384, 768, 1536] {
    let poolBytes = 256 << 20
    let poolCount = poolBytes / (dim * 4)
    let pool = UnsafeMutablePointer<Float>.allocate(capacity: poolCount * dim)
    for i in 0..<(poolCount * dim) { pool[i] = Float.random(in: -1...1, using: &rng) }
    let codes = UnsafeMutablePointer<Int8>.allocate(capacity: poolCount * dim)
    var scales = [Float](repeating: 0, count: poolCount)
    for v in 0..<poolCount { scales[v] = ScalarQuantizer.quantize(pool + v * dim, count: dim, into: codes + v * dim) }
    let pairs = 200_000
    let order = (0..<pairs).map { _ in (Int.random(in: 0..<poolCount, using: &rng), Int.random(in: 0..<poolCount, using: &rng)) }
    let n32 = Int32(dim)

    for pattern in ["l1", "random"] {
        let index: (Int) -> (Int, Int) = pattern == "l1" ? { _ in (0, 1) } : { order[$0] }
        let simd = measure(pairs) {
            var s: Float = 0
            for p in 0..<pairs { let (a, b) = index(p); s += Kernels.dot(pool + a * dim, pool + b * dim, count: dim) }
            return s
        }
        let sdot = measure(pairs) {
            var s: Float = 0
            for p in 0..<pairs { let (a, b) = index(p); s += cblas_sdot(n32, pool + a * dim, 1, pool + b * dim, 1) }
            return s
        }
        let l2 = measure(pairs) {
            var s: Float = 0
            for p in 0..<pairs { let (a, b) = index(p); s += Kernels.l2Squared(pool + a * dim, pool + b * dim, count: dim) }
            return s
        }
        let int8 = measure(pairs) {
            var s: Float = 0
            for p in 0..<pairs {
                let (a, b) = index(p)
                s += ScalarQuantizer.dot(codes + a * dim, scaleA: scales[a], codes + b * dim, scaleB: scales[b], count: dim)
            }
            return s
        }
        print(String(format: "%4d  %-7@  %10.1f  %10.1f  %9.2f  %7.1f  %9.1f", dim, pattern, simd, sdot, simd / sdot, l2, int8))
    }
    pool.deallocate()
    codes.deallocate()
}

/// One level's kernels timed on pairs from a pool larger than the caches (as a graph walk
/// reads them) and on one pair in L1: float32 dot, L2, int8 dot, ns per pair.
struct LevelTiming: KernelSetWork {
    let dimension: Int
    let pool: UnsafeMutablePointer<Float>
    let codes: UnsafeMutablePointer<Int8>
    let order: [(Int, Int)]

    func run<K: KernelSet>(_: K.Type) -> [Double] {
        let d = dimension
        var figures: [Double] = []
        for pattern in ["l1", "random"] {
            let pairs = order.count
            let index: (Int) -> (Int, Int) = pattern == "l1" ? { _ in (0, 1) } : { order[$0] }
            figures.append(measure(pairs) {
                var s: Float = 0
                for p in 0..<pairs { let (a, b) = index(p); s += K.dot(pool + a * d, pool + b * d, count: d) }
                return s
            })
            figures.append(measure(pairs) {
                var s: Float = 0
                for p in 0..<pairs { let (a, b) = index(p); s += K.l2Squared(pool + a * d, pool + b * d, count: d) }
                return s
            })
            figures.append(measure(pairs) {
                var s: Int32 = 0
                for p in 0..<pairs { let (a, b) = index(p); s &+= K.dot(codes + a * d, codes + b * d, count: d) }
                return Float(s)
            })
        }
        return figures
    }
}

/// Every runnable level at the dimensions embeddings have, with the CPU named.
func runLevels() {
    var rng = SeededRandom(seed: 7)
    print("cpu: \(CPUSupport.modelName); detected \(KernelLevel.detected); ns per pair, median of 7")
    print("dim   level        l1: f32-dot  f32-l2  i8-dot   random: f32-dot  f32-l2  i8-dot")
    for dim in [128, 384, 768] {
        let poolCount = (128 << 20) / (dim * 4)
        let pool = UnsafeMutablePointer<Float>.allocate(capacity: poolCount * dim)
        let codes = UnsafeMutablePointer<Int8>.allocate(capacity: poolCount * dim)
        defer { pool.deallocate(); codes.deallocate() }
        for i in 0..<(poolCount * dim) { pool[i] = Float.random(in: -1...1, using: &rng) }
        for v in 0..<poolCount { _ = ScalarQuantizer.quantize(pool + v * dim, count: dim, into: codes + v * dim) }
        let order = (0..<200_000).map { _ in (Int.random(in: 0..<poolCount, using: &rng), Int.random(in: 0..<poolCount, using: &rng)) }
        for level in KernelLevel.runnable {
            let f = level.dispatch(LevelTiming(dimension: dim, pool: pool, codes: codes, order: order))
            print(String(format: "%4d  %-11@  %12.1f  %6.1f  %6.1f  %15.1f  %6.1f  %6.1f", dim, level.description, f[0], f[1], f[2], f[3], f[4], f[5]))
        }
    }
}
