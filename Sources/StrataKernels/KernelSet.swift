import CStrataShims

/// The hot kernels of one ``KernelLevel``: the graph walk and the build are generic over this
/// protocol and specialized per conforming type, so each distance is a direct (inlinable)
/// call into the level's code.
///
/// Every set computes the same values: int8 dot products exactly, float32 ones up to the
/// rounding of a different summation order (tests compare each set against
/// ``PortableKernels`` on random and extreme inputs).
public protocol KernelSet {
    /// The level this set belongs to.
    static var level: KernelLevel { get }
    /// `Σ a[i] · b[i]` over `count` floats.
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float
    /// `Σ (a[i] − b[i])²` over `count` floats.
    static func l2Squared(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float
    /// `Σ a[i] · b[i]` over `count` int8 codes, exact.
    static func dot(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32
}

/// Swift SIMD: the reference every other set is tested against, and the path of CPUs without
/// AVX2.
public enum PortableKernels: KernelSet {
    public static var level: KernelLevel { .portable }

    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        Kernels.portableDot(a, b, count: count)
    }

    @inlinable @inline(__always)
    public static func l2Squared(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        Kernels.portableL2Squared(a, b, count: count)
    }

    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
        ScalarQuantizer.portableDot(a, b, count: count)
    }
}

#if arch(x86_64)
/// AVX2 + FMA kernels. Float32 runs the Swift SIMD code when this module is compiled for
/// Haswell (it is then AVX2 + FMA code, and it inlines into the walk, which a C function with
/// its own `target` cannot: `strata-kernel-bench levels` measured the C kernel slower in L1,
/// 16.3 against 10.7 ns at 128-d, and no faster from memory); the C kernels serve builds for
/// baseline x86-64. Int8 is the C kernel (`vpmaddwd`, which Swift cannot express).
public enum AVX2Kernels: KernelSet {
    public static var level: KernelLevel { .avx2 }

    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        #if STRATA_AVX2
        Kernels.portableDot(a, b, count: count)
        #else
        strata_dot_f32_avx2(a, b, count)
        #endif
    }

    @inlinable @inline(__always)
    public static func l2Squared(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        #if STRATA_AVX2
        Kernels.portableL2Squared(a, b, count: count)
        #else
        strata_l2_f32_avx2(a, b, count)
        #endif
    }

    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
        strata_dot_i8_avx2(a, b, count)
    }
}

/// The float32 kernels every AVX-512 set shares: the AVX2 set's, inlined Swift SIMD in a
/// Haswell build (the C AVX-512 kernels measured slower in L1, 19.9 against 10.7 ns at 128-d,
/// and no faster from memory on a Zen 4, which runs a 512-bit FMA as two halves); the C
/// 512-bit kernels (masked tails) in a build for baseline x86-64.
public protocol AVX512FloatKernels: KernelSet {}

extension AVX512FloatKernels {
    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        #if STRATA_AVX2
        Kernels.portableDot(a, b, count: count)
        #else
        strata_dot_f32_avx512(a, b, count)
        #endif
    }

    @inlinable @inline(__always)
    public static func l2Squared(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        #if STRATA_AVX2
        Kernels.portableL2Squared(a, b, count: count)
        #else
        strata_l2_f32_avx512(a, b, count)
        #endif
    }
}

/// AVX-512 F/BW kernels (C): 512-bit float FMA, int8 through 512-bit `vpmaddwd`.
public enum AVX512Kernels: AVX512FloatKernels {
    public static var level: KernelLevel { .avx512 }

    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
        strata_dot_i8_avx512bw(a, b, count)
    }
}

/// AVX-512 with VNNI: the AVX-512 float kernels, int8 through `vpdpwssd`.
public enum AVX512VNNIKernels: AVX512FloatKernels {
    public static var level: KernelLevel { .avx512VNNI }

    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
        strata_dot_i8_avx512vnni(a, b, count)
    }
}
#endif

/// Runs generic work with the kernel set of a level: what turns the start-up choice into a
/// specialized call.
public protocol KernelSetWork {
    associatedtype Output
    func run<K: KernelSet>(_ kernels: K.Type) -> Output
}

extension KernelLevel {
    /// `work` run with this level's kernel set.
    @inlinable
    public func dispatch<W: KernelSetWork>(_ work: W) -> W.Output {
        #if arch(x86_64)
        switch self {
        case .portable: work.run(PortableKernels.self)
        case .avx2: work.run(AVX2Kernels.self)
        case .avx512: work.run(AVX512Kernels.self)
        case .avx512VNNI: work.run(AVX512VNNIKernels.self)
        }
        #else
        work.run(PortableKernels.self)
        #endif
    }
}
