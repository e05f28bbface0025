import CStrataShims
import StrataKernels
import Testing

/// Every kernel set the CPU can run computes what the portable one does: int8 dot products
/// exactly, float32 ones to within the rounding of another summation order, on random and
/// extreme inputs and at every length around the vector widths.
@Suite struct KernelSetTests {
    /// The lengths that exercise each kernel's main loop, its remainder steps and its tail.
    static let lengths = Array(0...70) + [127, 128, 129, 255, 256, 257, 383, 384, 385, 768, 1536]

    static func sets() -> [(KernelLevel, any KernelSet.Type)] {
        var sets: [(KernelLevel, any KernelSet.Type)] = [(.portable, PortableKernels.self)]
        #if arch(x86_64)
        let all: [(KernelLevel, any KernelSet.Type)] = [(.avx2, AVX2Kernels.self), (.avx512, AVX512Kernels.self), (.avx512VNNI, AVX512VNNIKernels.self)]
        sets += all.filter { $0.0 <= KernelLevel.detected }
        #endif
        return sets
    }

    @Test func int8DotProductsAreExactOnEverySet() {
        var rng = SeededRandom(seed: 17)
        for n in Self.lengths {
            let fills: [(Int) -> (Int8, Int8)] = [
                { _ in (Int8(truncatingIfNeeded: Int(rng.next() % 255) - 127), Int8(truncatingIfNeeded: Int(rng.next() % 255) - 127)) },
                { _ in (-127, -127) },  // every product at its largest
                { _ in (127, -127) },   // and at its most negative
                { i in (i % 2 == 0 ? 127 : -127, 127) },
            ]
            for fill in fills {
                let pairs = (0..<n).map(fill)
                let a = pairs.map(\.0), b = pairs.map(\.1)
                let exact = zip(a, b).reduce(Int32(0)) { $0 + Int32($1.0) * Int32($1.1) }
                for (level, kernels) in Self.sets() {
                    #expect(kernels.dot(a, b, count: n) == exact, "\(level) at \(n) codes")
                }
            }
        }
    }

    @Test func floatKernelsAgreeWithThePortableOnes() {
        var rng = SeededRandom(seed: 23)
        for n in Self.lengths {
            let inputs: [([Float], [Float])] = [
                ((0..<n).map { _ in Float.random(in: -1...1, using: &rng) }, (0..<n).map { _ in Float.random(in: -1...1, using: &rng) }),
                ((0..<n).map { _ in Float.random(in: -1e18...1e18, using: &rng) }, (0..<n).map { _ in Float.random(in: -1e-18...1e-18, using: &rng) }),
                (Array(repeating: 1e19, count: n), Array(repeating: -1e19, count: n)),  // squares overflow to infinity alike
                (Array(repeating: 0, count: n), Array(repeating: 0, count: n)),
            ]
            for (a, b) in inputs {
                let dot = PortableKernels.dot(a, b, count: n), l2 = PortableKernels.l2Squared(a, b, count: n)
                let magnitude = zip(a, b).reduce(Float(0)) { $0 + abs($1.0 * $1.1) }
                for (level, kernels) in Self.sets() {
                    let d = kernels.dot(a, b, count: n), e = kernels.l2Squared(a, b, count: n)
                    #expect(abs(d - dot) <= 1e-5 * max(1, magnitude) || (d.isInfinite && d == dot), "\(level) dot at \(n): \(d) vs \(dot)")
                    #expect(abs(e - l2) <= 1e-5 * max(1, l2) || (e.isInfinite && e == l2), "\(level) l2 at \(n): \(e) vs \(l2)")
                }
            }
        }
    }

    /// The C float32 kernels, which a Haswell build leaves to builds for baseline x86-64 (the
    /// sets run the inlined Swift there), against the portable ones all the same.
    @Test func theCFloatKernelsAgreeWithThePortableOnes() {
        #if arch(x86_64)
        var rng = SeededRandom(seed: 29)
        for n in Self.lengths {
            let a = (0..<n).map { _ in Float.random(in: -2...2, using: &rng) }
            let b = (0..<n).map { _ in Float.random(in: -2...2, using: &rng) }
            let dot = PortableKernels.dot(a, b, count: n), l2 = PortableKernels.l2Squared(a, b, count: n)
            let magnitude = zip(a, b).reduce(Float(0)) { $0 + abs($1.0 * $1.1) }
            var variants: [(String, Float, Float)] = []
            if KernelLevel.detected >= .avx2 { variants.append(("avx2", strata_dot_f32_avx2(a, b, n), strata_l2_f32_avx2(a, b, n))) }
            if KernelLevel.detected >= .avx512 { variants.append(("avx512", strata_dot_f32_avx512(a, b, n), strata_l2_f32_avx512(a, b, n))) }
            for (name, d, e) in variants {
                #expect(abs(d - dot) <= 1e-5 * max(1, magnitude), "\(name) dot at \(n)")
                #expect(abs(e - l2) <= 1e-5 * max(1, l2), "\(name) l2 at \(n)")
            }
        }
        #endif
    }

    @Test func aNaNReachesTheResultOnEverySet() {
        for n in [1, 16, 33, 384] {
            var a = [Float](repeating: 0.5, count: n)
            a[n - 1] = .nan
            let b = [Float](repeating: 1, count: n)
            for (level, kernels) in Self.sets() {
                #expect(kernels.dot(a, b, count: n).isNaN, "\(level) at \(n)")
                #expect(kernels.l2Squared(a, b, count: n).isNaN, "\(level) at \(n)")
            }
        }
    }

    @Test func theActiveLevelIsOneTheCPURunsAndNamesParse() throws {
        #expect(KernelLevel.active <= KernelLevel.detected)
        #expect(KernelLevel.runnable.first == .portable)
        #expect(KernelLevel.runnable.last == KernelLevel.detected)
        for level in KernelLevel.allCases {
            #expect(try KernelLevel(named: level.description) == level)
            #expect(level.kernelNames.keys.sorted() == ["f32", "i8"])
        }
        let error = #expect(throws: KernelLevelError.self) { try KernelLevel(named: "sse9") }
        #expect(error?.description.contains("portable, avx2, avx512, avx512vnni") == true)
    }
}
