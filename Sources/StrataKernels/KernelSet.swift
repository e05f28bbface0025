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
/// The float32 kernels of the AVX sets. In a build for Haswell (`STRATA_AVX2`) they are the
/// Swift SIMD code, which is then AVX2 + FMA code and inlines into the walk, as a C function
/// with its own `target` cannot (`strata-kernel-bench levels` measured the C kernels slower in
/// L1, 16.3 (AVX2) and 19.9 (AVX-512) against 10.7 ns at 128-d, and no faster from memory on
/// a Zen 4, which runs a 512-bit FMA as two halves). In a build for baseline x86-64 they are
/// the C kernels of the set's width (AVX-512 with masked tails when ``usesWideFloat``).
public protocol AVXFloatKernels: KernelSet {
    /// Whether the C float32 kernels are the 512-bit ones.
    static var usesWideFloat: Bool { get }
}

extension AVXFloatKernels {
    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        #if STRATA_AVX2
        Kernels.portableDot(a, b, count: count)
        #else
        usesWideFloat ? strata_dot_f32_avx512(a, b, count) : strata_dot_f32_avx2(a, b, count)
        #endif
    }

    @inlinable @inline(__always)
    public static func l2Squared(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        #if STRATA_AVX2
        Kernels.portableL2Squared(a, b, count: count)
        #else
        usesWideFloat ? strata_l2_f32_avx512(a, b, count) : strata_l2_f32_avx2(a, b, count)
        #endif
    }
}

/// AVX2 + FMA kernels: the AVX float32 kernels, int8 through the C kernel (`vpmaddwd`, which
/// Swift cannot express).
public enum AVX2Kernels: AVXFloatKernels {
    public static var level: KernelLevel { .avx2 }
    public static var usesWideFloat: Bool { false }

    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
        strata_dot_i8_avx2(a, b, count)
    }
}

/// AVX-512 F/BW kernels: the AVX float32 kernels (512-bit in a baseline build), int8 through
/// 512-bit `vpmaddwd`.
public enum AVX512Kernels: AVXFloatKernels {
    public static var level: KernelLevel { .avx512 }
    public static var usesWideFloat: Bool { true }

    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
        strata_dot_i8_avx512bw(a, b, count)
    }
}

/// AVX-512 with VNNI: the AVX float32 kernels (512-bit in a baseline build), int8 through
/// `vpdpwssd`.
public enum AVX512VNNIKernels: AVXFloatKernels {
    public static var level: KernelLevel { .avx512VNNI }
    public static var usesWideFloat: Bool { true }

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
