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
    /// Products are formed in 16 bits (|code| ≤ 127, so |a·b| ≤ 16,129) and summed in pairs
    /// into 32-bit lanes, which compiles to `vpmaddwd` on AVX2.
    @inlinable
    public static func dot(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
        var acc0 = SIMD8<Int32>(), acc1 = SIMD8<Int32>()
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var i = 0
        while i &+ 16 <= count {
            let va = SIMD16<Int16>(truncatingIfNeeded: ra.loadUnaligned(fromByteOffset: i, as: SIMD16<Int8>.self))
            let vb = SIMD16<Int16>(truncatingIfNeeded: rb.loadUnaligned(fromByteOffset: i, as: SIMD16<Int8>.self))
            let p = va &* vb
            acc0 &+= SIMD8<Int32>(truncatingIfNeeded: p.evenHalf)
            acc1 &+= SIMD8<Int32>(truncatingIfNeeded: p.oddHalf)
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
