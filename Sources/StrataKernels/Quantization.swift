import CStrataShims

/// Int8 scalar quantization with one scale per vector.
///
/// A vector `x` is stored as `codes[i] = round(x[i] / scale)` with
/// `scale = max|x[i]| / 127`, so every code lies in -127...127 and the largest component is
/// exact. The dot product of two quantized vectors is `scaleA * scaleB * Σ codesA[i] * codesB[i]`,
/// computed in exact integer arithmetic; the only error is the rounding of each component
/// (at most `scale / 2`).
public enum ScalarQuantizer {
    /// Quantizes `count` floats into `codes`.
    ///
    /// - Returns: the scale; 0 for a zero vector (all codes 0).
    @inlinable
    public static func quantize(_ vector: UnsafePointer<Float>, count: Int, into codes: UnsafeMutablePointer<Int8>) -> Float {
        var maxAbs: Float = 0
        for i in 0..<count { maxAbs = max(maxAbs, abs(vector[i])) }
        guard maxAbs > 0, maxAbs.isFinite else {
            codes.initialize(repeating: 0, count: count)
            return 0
        }
        let scale = maxAbs / 127
        let inverse = 1 / scale
        for i in 0..<count {
            codes[i] = Int8(clamping: Int32((vector[i] * inverse).rounded()))
        }
        return scale
    }

    /// Quantizes a vector held in an array.
    public static func quantize(_ vector: [Float]) -> (codes: [Int8], scale: Float) {
        var scale: Float = 0
        let codes = [Int8](unsafeUninitializedCapacity: vector.count) { buffer, initialized in
            scale = vector.withUnsafeBufferPointer { quantize($0.baseAddress!, count: vector.count, into: buffer.baseAddress!) }
            initialized = vector.count
        }
        return (codes, scale)
    }

    /// Reconstructs the floats a quantized vector stands for.
    public static func dequantize(_ codes: [Int8], scale: Float) -> [Float] {
        codes.map { Float($0) * scale }
    }

    /// `Σ a[i] * b[i]` over int8 codes, accumulated exactly in 32-bit integers, by the active
    /// level's kernel (``KernelLevel``).
    ///
    /// The AVX2 kernel `strata_dot_i8_avx2` sign-extends codes to 16 bits and multiplies them
    /// in pairs by `vpmaddwd`, 15–19 ns at 384 dimensions with the data in L1; the AVX-512
    /// ones do 32 codes a step (`vpmaddwd` on BW, `vpdpwssd` with VNNI). Swift's SIMD types
    /// cannot express `vpmaddwd`; the best Swift form, kept as the portable path, widens each
    /// half of 16 codes to eight 32-bit lanes (`vpmovsxbd`) and multiplies there: 40 ns,
    /// against 107 ns for 16-bit products widened afterwards and 138 ns for even/odd pairs.
    @inlinable
    public static func dot(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
        #if arch(x86_64)
        switch KernelLevel.active {
        case .portable: portableDot(a, b, count: count)
        case .avx2: AVX2Kernels.dot(a, b, count: count)
        case .avx512: AVX512Kernels.dot(a, b, count: count)
        case .avx512VNNI: AVX512VNNIKernels.dot(a, b, count: count)
        }
        #else
        portableDot(a, b, count: count)
        #endif
    }

    /// The Swift form of ``dot(_:_:count:)``, for CPUs without AVX2 and as the reference
    /// the C kernels are tested against.
    @inlinable
    public static func portableDot(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
        var acc0 = SIMD8<Int32>(), acc1 = SIMD8<Int32>()
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var i = 0
        while i &+ 16 <= count {
            let va = ra.loadUnaligned(fromByteOffset: i, as: SIMD16<Int8>.self)
            let vb = rb.loadUnaligned(fromByteOffset: i, as: SIMD16<Int8>.self)
            acc0 &+= SIMD8<Int32>(truncatingIfNeeded: va.lowHalf) &* SIMD8<Int32>(truncatingIfNeeded: vb.lowHalf)
            acc1 &+= SIMD8<Int32>(truncatingIfNeeded: va.highHalf) &* SIMD8<Int32>(truncatingIfNeeded: vb.highHalf)
            i &+= 16
        }
        var sum = (acc0 &+ acc1).wrappedSum()
        while i < count {
            sum &+= Int32(a[i]) &* Int32(b[i])
            i &+= 1
        }
        return sum
    }

    /// The approximate dot product of two quantized vectors.
    @inlinable
    public static func dot(_ a: UnsafePointer<Int8>, scaleA: Float, _ b: UnsafePointer<Int8>, scaleB: Float, count: Int) -> Float {
        Float(dot(a, b, count: count)) * scaleA * scaleB
    }
}
