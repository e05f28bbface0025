/// Vector math over contiguous `Float` buffers.
///
/// Single-pair kernels (``dot(_:_:count:)``, ``l2Squared(_:_:count:)``) run the kernel set of
/// ``KernelLevel/active`` (AVX-512, AVX2 or portable, chosen once at start-up); the graph
/// walk does not come through here but is specialized per ``KernelSet``. The portable forms
/// are Swift SIMD with four independent 8-lane accumulators: compiled for Haswell (see
/// `Package.swift`) each becomes one `vfmadd231ps` per 8 floats. `Benchmarks/KernelBenchmarks`
/// measured them against `cblas_sdot` at 128, 384, 768 and 1536 dimensions; the SIMD kernels
/// won at every size because a BLAS call pays for a PLT jump, argument checks and a dispatch
/// on every pair, which is most of the work at these lengths (figures in
/// `Benchmarks/RESULTS.md`). `cblas_sdot` is therefore not used.
///
/// Batched scores go through BLAS level 2 and 3 (``BatchScores``), where BLAS wins by far.
public enum Kernels {
    /// `accumulator += a * b`, lane by lane.
    ///
    /// Compiled for Haswell this is one `vfmadd231ps`. Without FMA in the target, LLVM lowers
    /// `addProduct` to a library call per lane (about 30× slower, measured), so a portable
    /// build multiplies and adds instead.
    @inlinable @inline(__always)
    static func accumulate(_ accumulator: inout SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) {
        #if STRATA_AVX2
        accumulator.addProduct(a, b)
        #else
        accumulator += a * b
        #endif
    }

    /// The inner product of two vectors, by the active level's kernel.
    ///
    /// - Parameters:
    ///   - a: `count` readable floats.
    ///   - b: `count` readable floats.
    ///   - count: the dimension.
    /// - Complexity: O(count).
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        #if arch(x86_64)
        switch KernelLevel.active {
        case .portable: portableDot(a, b, count: count)
        case .avx2: AVX2Kernels.dot(a, b, count: count)
        case .avx512, .avx512VNNI: AVX512Kernels.dot(a, b, count: count)
        }
        #else
        portableDot(a, b, count: count)
        #endif
    }

    /// The squared Euclidean distance between two vectors, by the active level's kernel.
    ///
    /// - Complexity: O(count).
    @inlinable
    public static func l2Squared(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        #if arch(x86_64)
        switch KernelLevel.active {
        case .portable: portableL2Squared(a, b, count: count)
        case .avx2: AVX2Kernels.l2Squared(a, b, count: count)
        case .avx512, .avx512VNNI: AVX512Kernels.l2Squared(a, b, count: count)
        }
        #else
        portableL2Squared(a, b, count: count)
        #endif
    }

    /// The Swift SIMD inner product: ``PortableKernels``' and the reference of the others.
    @inlinable
    public static func portableDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var i = 0
        // Invariant: i + 32 <= count inside the loop, so every load stays in bounds.
        while i &+ 32 <= count {
            let o = i &* 4
            accumulate(&s0, ra.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self),
                          rb.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self))
            accumulate(&s1, ra.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD8<Float>.self),
                          rb.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD8<Float>.self))
            accumulate(&s2, ra.loadUnaligned(fromByteOffset: o &+ 64, as: SIMD8<Float>.self),
                          rb.loadUnaligned(fromByteOffset: o &+ 64, as: SIMD8<Float>.self))
            accumulate(&s3, ra.loadUnaligned(fromByteOffset: o &+ 96, as: SIMD8<Float>.self),
                          rb.loadUnaligned(fromByteOffset: o &+ 96, as: SIMD8<Float>.self))
            i &+= 32
        }
        while i &+ 8 <= count {
            let o = i &* 4
            accumulate(&s0, ra.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self),
                          rb.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self))
            i &+= 8
        }
        var sum = ((s0 + s1) + (s2 + s3)).sum()
        while i < count {
            sum += a[i] * b[i]
            i &+= 1
        }
        return sum
    }

    /// The Swift SIMD squared Euclidean distance: ``PortableKernels``' and the reference of
    /// the others.
    @inlinable
    public static func portableL2Squared(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var i = 0
        while i &+ 32 <= count {
            let o = i &* 4
            let d0 = ra.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                - rb.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            let d1 = ra.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD8<Float>.self)
                - rb.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD8<Float>.self)
            let d2 = ra.loadUnaligned(fromByteOffset: o &+ 64, as: SIMD8<Float>.self)
                - rb.loadUnaligned(fromByteOffset: o &+ 64, as: SIMD8<Float>.self)
            let d3 = ra.loadUnaligned(fromByteOffset: o &+ 96, as: SIMD8<Float>.self)
                - rb.loadUnaligned(fromByteOffset: o &+ 96, as: SIMD8<Float>.self)
            accumulate(&s0, d0, d0)
            accumulate(&s1, d1, d1)
            accumulate(&s2, d2, d2)
            accumulate(&s3, d3, d3)
            i &+= 32
        }
        while i &+ 8 <= count {
            let o = i &* 4
            let d = ra.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                - rb.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            accumulate(&s0, d, d)
            i &+= 8
        }
        var sum = ((s0 + s1) + (s2 + s3)).sum()
        while i < count {
            let d = a[i] - b[i]
            sum += d * d
            i &+= 1
        }
        return sum
    }

    /// The distance of `metric` between two vectors, as defined on ``Metric``.
    ///
    /// For ``Metric/cosine`` both vectors must already be normalized.
    @inlinable
    public static func distance(_ metric: Metric, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        switch metric {
        case .cosine: 1 - dot(a, b, count: count)
        case .innerProduct: -dot(a, b, count: count)
        case .l2: l2Squared(a, b, count: count)
        }
    }

    /// Scales `vector` to unit length in place.
    ///
    /// - Returns: the length before scaling; a zero vector is left as it is and returns 0.
    @inlinable
    @discardableResult
    public static func normalize(_ vector: UnsafeMutablePointer<Float>, count: Int) -> Float {
        // The portable kernel, on every CPU: normalized vectors are stored, and the same text
        // must give the same bytes on every machine (another summation order moves the last bit).
        let norm = portableDot(vector, vector, count: count).squareRoot()
        guard norm > 0, norm.isFinite else { return norm }
        let inverse = 1 / norm
        for i in 0..<count { vector[i] *= inverse }
        return norm
    }

    /// Scales each vector of an array to unit length in place.
    @inlinable
    public static func normalize(_ vector: inout [Float]) {
        let count = vector.count
        vector.withUnsafeMutableBufferPointer { _ = normalize($0.baseAddress!, count: count) }
    }

    /// The index of the first NaN or infinite value, or `nil` when all are finite.
    @inlinable
    public static func firstNonFinite(_ values: UnsafeBufferPointer<Float>) -> Int? {
        for i in values.indices where !values[i].isFinite { return i }
        return nil
    }
}
