import StrataKernels
import Testing

/// Naive references the kernels must agree with.
enum Reference {
    static func dot(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    static func l2(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
}

func randomVector(_ n: Int, _ rng: inout some RandomNumberGenerator) -> [Float] {
    (0..<n).map { _ in Float.random(in: -1...1, using: &rng) }
}

@Suite struct KernelsTests {
    /// Every tail length around the 8- and 32-lane blocks, and the real dimensions.
    static let lengths = Array(0...70) + [127, 128, 129, 383, 384, 385, 768, 1536]

    @Test func dotAndL2MatchTheNaiveLoopAtEveryLength() {
        var rng = SeededRandom(seed: 1)
        for n in Self.lengths {
            let a = randomVector(n, &rng), b = randomVector(n, &rng)
            let tolerance = Float(1e-5) * Float(max(n, 1))
            let dot = Kernels.dot(a, b, count: n)
            let l2 = Kernels.l2Squared(a, b, count: n)
            #expect(abs(dot - Reference.dot(a, b)) <= tolerance, "dot at \(n)")
            #expect(abs(l2 - Reference.l2(a, b)) <= tolerance, "l2 at \(n)")
            for metric in Metric.allCases {
                let expected: Float = switch metric {
                case .cosine: 1 - Reference.dot(a, b)
                case .innerProduct: -Reference.dot(a, b)
                case .l2: Reference.l2(a, b)
                }
                #expect(abs(Kernels.distance(metric, a, b, count: n) - expected) <= tolerance)
            }
        }
    }

    @Test func normalizeGivesUnitLengthAndLeavesZeroAlone() {
        var v: [Float] = [3, 4]
        Kernels.normalize(&v)
        #expect(abs(v[0] - 0.6) < 1e-6 && abs(v[1] - 0.8) < 1e-6)
        var zero: [Float] = [0, 0, 0]
        Kernels.normalize(&zero)
        #expect(zero == [0, 0, 0])
        var rng = SeededRandom(seed: 2)
        var long = randomVector(385, &rng)
        Kernels.normalize(&long)
        #expect(abs(Reference.dot(long, long) - 1) < 1e-5)
    }

    @Test func firstNonFiniteFindsNaNAndInfinity() {
        #expect([Float](arrayLiteral: 1, 2, 3).withUnsafeBufferPointer { Kernels.firstNonFinite($0) } == nil)
        #expect([Float](arrayLiteral: 1, .nan, 3).withUnsafeBufferPointer { Kernels.firstNonFinite($0) } == 1)
        #expect([Float](arrayLiteral: 1, 2, -.infinity).withUnsafeBufferPointer { Kernels.firstNonFinite($0) } == 2)
    }

    @Test func metricNamesAndScores() {
        #expect(Metric(name: "dot") == .innerProduct)
        #expect(Metric(name: "Euclidean") == .l2)
        #expect(Metric(name: "manhattan") == nil)
        for metric in Metric.allCases { #expect(Metric(code: metric.code) == metric) }
        #expect(Metric(code: 9) == nil)
        #expect(Metric.cosine.score(fromDistance: 0.25) == 0.75)
        #expect(Metric.innerProduct.score(fromDistance: -2) == 2)
        #expect(Metric.l2.score(fromDistance: 9) == 3)
        #expect(Metric.l2.distance(dot: 1, squaredNormA: 2, squaredNormB: 3) == 3)
    }
}

@Suite struct BatchScoresTests {
    @Test(arguments: [1, 7, 64])
    func sgemmAndSgemvMatchPairwiseDots(dimension: Int) {
        var rng = SeededRandom(seed: 3)
        let queries = (0..<5).map { _ in randomVector(dimension, &rng) }
        let base = (0..<33).map { _ in randomVector(dimension, &rng) }
        let q = queries.flatMap { $0 }, b = base.flatMap { $0 }
        var scores = [Float](repeating: .nan, count: 5 * 33)
        BatchScores.dotProducts(queries: q, queryCount: 5, base: b, baseCount: 33, dimension: dimension, into: &scores)
        var single = [Float](repeating: .nan, count: 33)
        BatchScores.dotProducts(query: queries[2], base: b, baseCount: 33, dimension: dimension, into: &single)
        for i in 0..<5 {
            for j in 0..<33 {
                #expect(abs(scores[i * 33 + j] - Reference.dot(queries[i], base[j])) < 1e-4)
            }
        }
        for j in 0..<33 { #expect(abs(single[j] - Reference.dot(queries[2], base[j])) < 1e-4) }
        var norms = [Float](repeating: 0, count: 33)
        BatchScores.squaredNorms(b, count: 33, dimension: dimension, into: &norms)
        #expect(abs(norms[4] - Reference.dot(base[4], base[4])) < 1e-4)
    }

    @Test func blasRuntimeIsOpenBLASOnOneThread() {
        let runtime = BLAS.runtime
        #expect(runtime.configuration.contains("OpenBLAS"))
        #expect(runtime.threads == 1)
        #expect(runtime.processors >= 1)
    }
}

@Suite struct TopKTests {
    @Test func keepsTheSmallestInOrderWithTiesBrokenByID() {
        var rng = SeededRandom(seed: 4)
        let distances = (0..<1000).map { _ in Float(Int.random(in: 0..<200, using: &rng)) }
        for k in [0, 1, 5, 100, 1000, 2000] {
            var top = TopK(k: k)
            distances.withUnsafeBufferPointer { top.insert(distances: $0) }
            let expected = distances.enumerated().sorted { ($0.element, $0.offset) < ($1.element, $1.offset) }
                .prefix(k).map { TopK.Entry(distance: $0.element, id: UInt64($0.offset)) }
            #expect(top.sorted() == Array(expected), "k = \(k)")
        }
    }

    @Test func boundIsInfiniteUntilFull() {
        var top = TopK(k: 2)
        #expect(top.bound == .infinity)
        top.insert(distance: 3, id: 1)
        #expect(top.bound == .infinity)
        top.insert(distance: 1, id: 2)
        #expect(top.bound == 3)
        top.insert(distance: 2, id: 3)
        #expect(top.sorted().map(\.id) == [2, 3])
    }
}

@Suite struct QuantizationTests {
    @Test func roundTripErrorIsAtMostHalfAStep() {
        var rng = SeededRandom(seed: 5)
        let v = randomVector(384, &rng)
        let (codes, scale) = ScalarQuantizer.quantize(v)
        #expect(codes.allSatisfy { (-127...127).contains($0) })
        let restored = ScalarQuantizer.dequantize(codes, scale: scale)
        for (a, b) in zip(v, restored) { #expect(abs(a - b) <= scale / 2 + 1e-6) }
        #expect(ScalarQuantizer.quantize([0, 0, 0]).scale == 0)
    }

    @Test func int8DotIsExactOnCodesAndCloseOnVectors() {
        var rng = SeededRandom(seed: 6)
        for n in KernelsTests.lengths {
            let a = randomVector(n, &rng), b = randomVector(n, &rng)
            let (ca, sa) = ScalarQuantizer.quantize(a), (cb, sb) = ScalarQuantizer.quantize(b)
            let exact = zip(ca, cb).reduce(Int32(0)) { $0 + Int32($1.0) * Int32($1.1) }
            #expect(ScalarQuantizer.dot(ca, cb, count: n) == exact, "codes at \(n)")
            let approx = ScalarQuantizer.dot(ca, scaleA: sa, cb, scaleB: sb, count: n)
            #expect(abs(approx - Reference.dot(a, b)) <= 0.01 * Float(max(n, 1)).squareRoot() + 1e-3)
        }
    }

    /// The AVX2 kernel and the portable Swift loop agree with a plain sum on every length
    /// (the 32-, 16- and 1-code steps) and on the extreme codes, where a 16-bit pair sum
    /// would overflow if the kernel widened too late: -128 × -128 twice is 2^15.
    @Test func int8DotKernelsAgreeOnExtremeCodes() {
        var rng = SeededRandom(seed: 7)
        for n in KernelsTests.lengths + [16, 32, 47, 48, 384, 1536] {
            for fill in [Int8.min, Int8.max, nil] {
                let a = (0..<n).map { i in fill ?? Int8(truncatingIfNeeded: Int(rng.next() % 256) + i) }
                let b = (0..<n).map { _ in fill ?? Int8(truncatingIfNeeded: Int(rng.next() % 256)) }
                let exact = zip(a, b).reduce(Int32(0)) { $0 + Int32($1.0) * Int32($1.1) }
                #expect(ScalarQuantizer.dot(a, b, count: n) == exact, "\(n) codes, fill \(String(describing: fill))")
                #expect(ScalarQuantizer.portableDot(a, b, count: n) == exact, "\(n) codes, fill \(String(describing: fill))")
            }
        }
    }
}

@Suite struct ParallelTests {
    @Test func visitsEveryItemOnce() {
        final class Marks: @unchecked Sendable {
            var hits = [Int](repeating: 0, count: 1000)
        }
        let marks = Marks()
        Parallel.forEach(1000, threads: 4) { _, item in marks.hits[item] += 1 }
        #expect(marks.hits.allSatisfy { $0 == 1 })
        #expect(CPUSupport.compiledForAVX2 == false || CPUSupport.runningCPUHasAVX2)
    }
}
