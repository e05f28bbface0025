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

    /// `Σ a[i] * b[i]` over int8 codes, accumulated exactly in 32-bit integers.
    ///
    /// Each half of 16 codes is sign-extended to eight 32-bit lanes (`vpmovsxbd`) and
    /// multiplied and added there. Measured at 384 dimensions with the data in L1: 40 ns,
    /// against 107 ns for 16-bit products widened afterwards, 138 ns for even/odd lane pairs
    /// (which LLVM does not turn into `vpmaddwd`), and 35 ns for conversion to float with
    /// FMA, which is exact only while sums stay below 2^24.
    @inlinable
    public static func dot(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
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
