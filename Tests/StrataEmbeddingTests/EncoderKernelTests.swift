import CStrataShims
import Foundation
import Testing

/// The encoder's C kernels against plain loops, at every tail length around their block sizes
/// (12 rows, 32 columns, 16 lanes).
@Suite struct EncoderKernelTests {
    /// Deterministic values in [-1, 1).
    static func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { Float(((($0 + 1) * 7919 + seed * 104_729) % 2001) - 1000) / 1000 }
    }

    /// `C = bias + A · Wᵀ` in double precision.
    static func reference(_ a: [Float], _ w: [Float], m: Int, n: Int, k: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.5
                for p in 0..<k { sum += Double(a[i * k + p]) * Double(w[j * k + p]) }
                c[i * n + j] = sum
            }
        }
        return c
    }

    @Test(arguments: [(1, 1, 1), (5, 15, 3), (12, 16, 17), (13, 17, 64), (25, 33, 2), (7, 70, 33), (121, 40, 48)])
    func float32ProductMatches(m: Int, n: Int, k: Int) {
        let a = Self.values(m * k, seed: 1), w = Self.values(n * k, seed: 2)
        var panels = [Float](repeating: 0, count: strata_enc_packed_f32_count(n, k))
        strata_enc_pack_f32(w, n, k, &panels)
        var c = [Float](repeating: 0.5, count: m * n)
        strata_enc_gemm_f32(a, k, panels, &c, n, m, n, k, 1)
        let expected = Self.reference(a, w, m: m, n: n, k: k)
        #expect(zip(c, expected).map { abs(Double($0) - $1) }.max()! < 1e-4)
    }

    @Test(arguments: [(1, 1, 1), (5, 15, 3), (12, 16, 17), (13, 17, 64), (25, 33, 2), (7, 70, 33), (121, 40, 48)])
    func bfloat16ProductIsClose(m: Int, n: Int, k: Int) {
        let a = Self.values(m * k, seed: 3), w = Self.values(n * k, seed: 4)
        var panels = [UInt16](repeating: 0, count: strata_enc_packed_bf16_count(n, k))
        strata_enc_pack_bf16(w, n, k, &panels)
        var c = [Float](repeating: 0.5, count: m * n)
        strata_enc_gemm_bf16(a, k, panels, &c, n, m, n, k, 1)
        let expected = Self.reference(a, w, m: m, n: n, k: k)
        // bfloat16 keeps 8 bits of each factor: error ~ 2⁻⁸ · Σ|a·w| ≤ k / 128.
        let worst = zip(c, expected).map { abs(Double($0) - $1) }.max()!
        #expect(worst < Double(k) / 128 + 1e-4)
    }

    @Test(arguments: [1, 15, 16, 17, 384, 385])
    func layerNormSoftmaxAndGELUMatch(n: Int) {
        var x = Self.values(3 * n, seed: 5).map { $0 * 4 }
        let original = x
        let gamma = Self.values(n, seed: 6), beta = Self.values(n, seed: 7)
        strata_enc_layernorm(&x, gamma, beta, 3, n, 1e-12)
        for r in 0..<3 {
            let row = original[(r * n)..<((r + 1) * n)].map(Double.init)
            let mean = row.reduce(0, +) / Double(n)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
            for i in 0..<n {
                let expected = (row[i] - mean) / (variance + 1e-12).squareRoot() * Double(gamma[i]) + Double(beta[i])
                #expect(abs(Double(x[r * n + i]) - expected) < 1e-4)
            }
        }
        var s = original
        strata_enc_softmax_rows(&s, 3, n, n, 0.5)
        for r in 0..<3 {
            let row = original[(r * n)..<((r + 1) * n)].map { Double($0) * 0.5 }
            let top = row.max()!, total = row.map { exp($0 - top) }.reduce(0, +)
            for i in 0..<n { #expect(abs(Double(s[r * n + i]) - exp(row[i] - top) / total) < 1e-6) }
        }
        var g = original
        strata_enc_gelu(&g, 3 * n)
        for i in 0..<(3 * n) {
            let v = Double(original[i])
            #expect(abs(Double(g[i]) - 0.5 * v * (1 + erf(v / 2.0.squareRoot()))) < 1e-6)
        }
    }
}
