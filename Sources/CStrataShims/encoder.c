// Element-wise kernels of the sentence encoder's forward pass (LayerNorm, GELU, softmax), with
// an AVX-512 body chosen at run time and a portable scalar fallback. The matrix products run
// on OpenBLAS (float32) or on strata_enc_gemm_bf16 below.
#include "CStrataShims.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static int encoder_cpu_level = -1; // 0 scalar, 1 AVX-512F, 2 AVX-512F + AVX512_BF16

int strata_enc_cpu_level(void) {
    int level = __atomic_load_n(&encoder_cpu_level, __ATOMIC_ACQUIRE);
    if (level >= 0) return level;
    level = 0;
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("fma")) {
        level = 1;
        if (__builtin_cpu_supports("avx512bf16")) level = 2;
    }
#endif
    __atomic_store_n(&encoder_cpu_level, level, __ATOMIC_RELEASE);
    return level;
}

// MARK: - scalar fallbacks

static float gelu_scalar(float x) { return 0.5f * x * (1.0f + erff(x * 0.70710678118654752f)); }

static void layernorm_scalar(float *x, const float *gamma, const float *beta, long rows, long n, float eps) {
    for (long r = 0; r < rows; r++) {
        float *row = x + r * n;
        double mean = 0, var = 0;
        for (long i = 0; i < n; i++) mean += row[i];
        mean /= (double)n;
        for (long i = 0; i < n; i++) { double d = row[i] - mean; var += d * d; }
        float rstd = (float)(1.0 / sqrt(var / (double)n + eps));
        for (long i = 0; i < n; i++) row[i] = ((float)(row[i] - mean)) * rstd * gamma[i] + beta[i];
    }
}

static void softmax_scalar(float *x, long rows, long n, long ld, float scale) {
    for (long r = 0; r < rows; r++) {
        float *row = x + r * ld;
        float m = row[0];
        for (long i = 1; i < n; i++) m = row[i] > m ? row[i] : m;
        float sum = 0;
        for (long i = 0; i < n; i++) { row[i] = expf((row[i] - m) * scale); sum += row[i]; }
        float inv = 1.0f / sum;
        for (long i = 0; i < n; i++) row[i] *= inv;
    }
}

#if defined(__x86_64__)
#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))

// e^x to about 2 ulp: x = n·ln2 + r, |r| ≤ ln2/2, e^r by a degree-6 polynomial (Cephes'
// coefficients), then scaled by 2^n with vscalefps (which also flushes large negative x to 0).
AVX512 static inline __m512 exp512(__m512 x) {
    x = _mm512_max_ps(x, _mm512_set1_ps(-100.0f));
    x = _mm512_min_ps(x, _mm512_set1_ps(88.0f));
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500E-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507E-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073E-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894E-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459E-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201E-1f));
    __m512 y = _mm512_fmadd_ps(_mm512_mul_ps(p, r), r, _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    return _mm512_scalef_ps(y, n);
}

// GELU(x) = x/2 · (1 + erf(x/√2)); erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7).
AVX512 static inline __m512 gelu512(__m512 x) {
    __m512 z = _mm512_mul_ps(x, _mm512_set1_ps(0.70710678118654752f));
    __m512 a = _mm512_abs_ps(z);
    __m512 t = _mm512_div_ps(_mm512_set1_ps(1.0f), _mm512_fmadd_ps(a, _mm512_set1_ps(0.3275911f), _mm512_set1_ps(1.0f)));
    __m512 p = _mm512_set1_ps(1.061405429f);
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-1.453152027f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.421413741f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-0.284496736f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.254829592f));
    p = _mm512_mul_ps(p, t);
    __m512 e = exp512(_mm512_sub_ps(_mm512_setzero_ps(), _mm512_mul_ps(a, a)));
    __m512 erf_abs = _mm512_fnmadd_ps(p, e, _mm512_set1_ps(1.0f));
    // Copy z's sign onto erf(|z|).
    __m512 erf = _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(erf_abs),
        _mm512_and_si512(_mm512_castps_si512(z), _mm512_set1_epi32((int)0x80000000u))));
    return _mm512_mul_ps(_mm512_mul_ps(x, _mm512_set1_ps(0.5f)), _mm512_add_ps(erf, _mm512_set1_ps(1.0f)));
}

AVX512 static inline __mmask16 tail_mask(long remaining) {
    return remaining >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << remaining) - 1u);
}

AVX512 static void gelu_avx512(float *x, long count) {
    for (long i = 0; i < count; i += 16) {
        __mmask16 m = tail_mask(count - i);
        _mm512_mask_storeu_ps(x + i, m, gelu512(_mm512_maskz_loadu_ps(m, x + i)));
    }
}

AVX512 static void layernorm_avx512(float *x, const float *gamma, const float *beta, long rows, long n, float eps) {
    for (long r = 0; r < rows; r++) {
        float *row = x + r * n;
        __m512 s = _mm512_setzero_ps();
        for (long i = 0; i < n; i += 16) s = _mm512_add_ps(s, _mm512_maskz_loadu_ps(tail_mask(n - i), row + i));
        float mean = _mm512_reduce_add_ps(s) / (float)n;
        __m512 vm = _mm512_set1_ps(mean), q = _mm512_setzero_ps();
        for (long i = 0; i < n; i += 16) {
            __mmask16 m = tail_mask(n - i);
            __m512 d = _mm512_maskz_sub_ps(m, _mm512_maskz_loadu_ps(m, row + i), vm);
            q = _mm512_fmadd_ps(d, d, q);
        }
        float rstd = 1.0f / sqrtf(_mm512_reduce_add_ps(q) / (float)n + eps);
        __m512 vr = _mm512_set1_ps(rstd);
        for (long i = 0; i < n; i += 16) {
            __mmask16 m = tail_mask(n - i);
            __m512 d = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, row + i), vm), vr);
            __m512 y = _mm512_fmadd_ps(d, _mm512_maskz_loadu_ps(m, gamma + i), _mm512_maskz_loadu_ps(m, beta + i));
            _mm512_mask_storeu_ps(row + i, m, y);
        }
    }
}

AVX512 static void softmax_avx512(float *x, long rows, long n, long ld, float scale) {
    __m512 vs = _mm512_set1_ps(scale);
    for (long r = 0; r < rows; r++) {
        float *row = x + r * ld;
        __m512 mx = _mm512_set1_ps(-INFINITY);
        for (long i = 0; i < n; i += 16) {
            __mmask16 m = tail_mask(n - i);
            mx = _mm512_mask_max_ps(mx, m, mx, _mm512_maskz_loadu_ps(m, row + i));
        }
        __m512 vmax = _mm512_set1_ps(_mm512_reduce_max_ps(mx));
        __m512 sum = _mm512_setzero_ps();
        for (long i = 0; i < n; i += 16) {
            __mmask16 m = tail_mask(n - i);
            __m512 e = exp512(_mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, row + i), vmax), vs));
            e = _mm512_maskz_mov_ps(m, e);
            sum = _mm512_add_ps(sum, e);
            _mm512_mask_storeu_ps(row + i, m, e);
        }
        __m512 inv = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sum));
        for (long i = 0; i < n; i += 16) {
            __mmask16 m = tail_mask(n - i);
            _mm512_mask_storeu_ps(row + i, m, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, row + i), inv));
        }
    }
}
#endif

// MARK: - entry points

void strata_enc_gelu(float *x, long count) {
#if defined(__x86_64__)
    if (strata_enc_cpu_level() >= 1) { gelu_avx512(x, count); return; }
#endif
    for (long i = 0; i < count; i++) x[i] = gelu_scalar(x[i]);
}

void strata_enc_layernorm(float *x, const float *gamma, const float *beta, long rows, long n, float eps) {
#if defined(__x86_64__)
    if (strata_enc_cpu_level() >= 1) { layernorm_avx512(x, gamma, beta, rows, n, eps); return; }
#endif
    layernorm_scalar(x, gamma, beta, rows, n, eps);
}

void strata_enc_softmax_rows(float *x, long rows, long n, long ld, float scale) {
#if defined(__x86_64__)
    if (strata_enc_cpu_level() >= 1) { softmax_avx512(x, rows, n, ld, scale); return; }
#endif
    softmax_scalar(x, rows, n, ld, scale);
}

void strata_enc_rows_plus(float *out, const float *rows_in, const float *bias, long rows, long n) {
    for (long r = 0; r < rows; r++) {
        float *o = out + r * n;
        const float *in = rows_in ? rows_in + r * n : NULL;
        if (in) { for (long i = 0; i < n; i++) o[i] = in[i] + bias[i]; }
        else { memcpy(o, bias, (size_t)n * sizeof(float)); }
    }
}

// MARK: - bfloat16 matrix product (AVX512_BF16)
//
// Packed weight layout, for W[n×k] (PyTorch: row = output column of C):
//
//   panel j (32 output columns j·32 … j·32+31), then pair p (inputs 2p, 2p+1), then column c:
//   packed[((j · K2) + p) · 64 + 2c + {0, 1}] = bf16(W[j·32 + c][2p + {0, 1}])
//
// with K2 = ⌈k/2⌉, zeros past n and k. One pair of a panel is two zmm registers, whose lane c
// holds column c's two inputs, which is what vdpbf16ps multiplies against a broadcast pair of
// A's inputs. The kernel computes 12 rows × 32 columns at a time (24 accumulators).

#define BF16_NR 32
#define BF16_MR 12
#define BF16_MC 120

long strata_enc_packed_bf16_count(long n, long k) {
    return ((n + BF16_NR - 1) / BF16_NR) * BF16_NR * ((k + 1) / 2) * 2;
}

static uint16_t to_bf16_scalar(float f) {
    uint32_t bits;
    memcpy(&bits, &f, 4);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((bits >> 16) | 0x40); // NaN stays NaN
    bits += 0x7fffu + ((bits >> 16) & 1u);
    return (uint16_t)(bits >> 16);
}

void strata_enc_to_bf16(const float *source, uint16_t *destination, long count) {
    for (long i = 0; i < count; i++) destination[i] = to_bf16_scalar(source[i]);
}

void strata_enc_pack_bf16(const float *w, long n, long k, uint16_t *packed) {
    long panels = (n + BF16_NR - 1) / BF16_NR, k2 = (k + 1) / 2;
    for (long j = 0; j < panels; j++)
        for (long p = 0; p < k2; p++)
            for (long c = 0; c < BF16_NR; c++)
                for (long h = 0; h < 2; h++) {
                    long row = j * BF16_NR + c, col = 2 * p + h;
                    float v = (row < n && col < k) ? w[row * k + col] : 0.0f;
                    packed[((j * k2 + p) * BF16_NR + c) * 2 + h] = to_bf16_scalar(v);
                }
}

#if defined(__x86_64__)
#define AVX512BF16 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma,avx512bf16")))

// Rows [0, rows) of A (k floats each, lda apart) to bf16 pairs, k2 pairs a row, zero-padded to
// BF16_MC rows so the kernel never reads past the buffer.
AVX512BF16 static void convert_rows_bf16(const float *a, long lda, long rows, long k, uint32_t *out, long k2) {
    for (long r = 0; r < rows; r++) {
        const float *src = a + r * lda;
        uint16_t *dst = (uint16_t *)(out + r * k2);
        long i = 0;
        for (; i + 32 <= k; i += 32) {
            __m512bh v = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(src + i + 16), _mm512_loadu_ps(src + i));
            _mm512_storeu_si512((void *)(dst + i), (__m512i)v);
        }
        for (; i < k; i++) dst[i] = to_bf16_scalar(src[i]);
        if (k & 1) dst[k] = 0;
    }
}

AVX512BF16 static void kernel_bf16(const uint32_t *a, long k2, const uint16_t *b, float *c, long ldc,
                                   long rows, __mmask16 m0, __mmask16 m1, int accumulate) {
    __m512 acc[BF16_MR][2];
    for (int r = 0; r < BF16_MR; r++) {
        if (accumulate && r < rows) {
            acc[r][0] = _mm512_maskz_loadu_ps(m0, c + r * ldc);
            acc[r][1] = _mm512_maskz_loadu_ps(m1, c + r * ldc + 16);
        } else {
            acc[r][0] = _mm512_setzero_ps();
            acc[r][1] = _mm512_setzero_ps();
        }
    }
    for (long p = 0; p < k2; p++) {
        __m512bh b0 = (__m512bh)_mm512_loadu_si512((const void *)(b + p * 64));
        __m512bh b1 = (__m512bh)_mm512_loadu_si512((const void *)(b + p * 64 + 32));
        for (int r = 0; r < BF16_MR; r++) {
            __m512bh av = (__m512bh)_mm512_set1_epi32((int)a[r * k2 + p]);
            acc[r][0] = _mm512_dpbf16_ps(acc[r][0], av, b0);
            acc[r][1] = _mm512_dpbf16_ps(acc[r][1], av, b1);
        }
    }
    for (int r = 0; r < BF16_MR; r++) {
        if (r >= rows) break;
        _mm512_mask_storeu_ps(c + r * ldc, m0, acc[r][0]);
        _mm512_mask_storeu_ps(c + r * ldc + 16, m1, acc[r][1]);
    }
}

AVX512BF16 static void gemm_bf16(const float *a, long lda, const uint16_t *packed_b, float *c, long ldc,
                                 long m, long n, long k, int accumulate, uint32_t *abuf) {
    long k2 = (k + 1) / 2, panels = (n + BF16_NR - 1) / BF16_NR;
    for (long i0 = 0; i0 < m; i0 += BF16_MC) {
        long rows = m - i0 < BF16_MC ? m - i0 : BF16_MC;
        memset(abuf, 0, sizeof(uint32_t) * (size_t)(BF16_MC * k2));
        convert_rows_bf16(a + i0 * lda, lda, rows, k, abuf, k2);
        for (long j = 0; j < panels; j++) {
            long cols = n - j * BF16_NR;
            __mmask16 m0 = cols >= 16 ? 0xFFFF : (__mmask16)((1u << cols) - 1u);
            __mmask16 m1 = cols >= 32 ? 0xFFFF : (cols <= 16 ? 0 : (__mmask16)((1u << (cols - 16)) - 1u));
            const uint16_t *bp = packed_b + j * k2 * 64;
            for (long r = 0; r < rows; r += BF16_MR) {
                long mr = rows - r < BF16_MR ? rows - r : BF16_MR;
                kernel_bf16(abuf + r * k2, k2, bp, c + (i0 + r) * ldc + j * BF16_NR, ldc, mr, m0, m1, accumulate);
            }
        }
    }
}
#endif

void strata_enc_gemm_bf16(const float *a, long lda, const uint16_t *packed_b, float *c, long ldc,
                          long m, long n, long k, int accumulate) {
#if defined(__x86_64__)
    if (strata_enc_cpu_level() >= 2) {
        long k2 = (k + 1) / 2;
        uint32_t *abuf = (uint32_t *)aligned_alloc(64, ((sizeof(uint32_t) * (size_t)(BF16_MC * k2)) + 63) / 64 * 64);
        if (abuf) {
            gemm_bf16(a, lda, packed_b, c, ldc, m, n, k, accumulate, abuf);
            free(abuf);
            return;
        }
    }
#endif
    // Portable path: widen the packed weights back, one product at a time (slow; tests only).
    long k2 = (k + 1) / 2;
    for (long i = 0; i < m; i++)
        for (long col = 0; col < n; col++) {
            long j = col / BF16_NR, cc = col % BF16_NR;
            float sum = accumulate ? c[i * ldc + col] : 0.0f;
            for (long kk = 0; kk < k; kk++) {
                uint32_t bits = (uint32_t)packed_b[((j * k2 + kk / 2) * BF16_NR + cc) * 2 + (kk & 1)] << 16;
                float w;
                memcpy(&w, &bits, 4);
                uint32_t abits = (uint32_t)to_bf16_scalar(a[i * lda + kk]) << 16;
                float av;
                memcpy(&av, &abits, 4);
                sum += av * w;
            }
            c[i * ldc + col] = sum;
        }
}

// MARK: - float32 matrix product with pre-packed weights (AVX-512F)
//
// Same panels as the bfloat16 layout, one input per step instead of a pair:
//   packed[(j · k + p) · 32 + c] = W[j·32 + c][p], zeros past n.
// A is read in place (one broadcast per row and step), so nothing is copied per call; the
// 12 × 32 block of C stays in 24 registers for the whole k loop.

long strata_enc_packed_f32_count(long n, long k) {
    return ((n + BF16_NR - 1) / BF16_NR) * BF16_NR * k;
}

void strata_enc_pack_f32(const float *w, long n, long k, float *packed) {
    long panels = (n + BF16_NR - 1) / BF16_NR;
    for (long j = 0; j < panels; j++)
        for (long p = 0; p < k; p++)
            for (long c = 0; c < BF16_NR; c++) {
                long row = j * BF16_NR + c;
                packed[(j * k + p) * BF16_NR + c] = row < n ? w[row * k + p] : 0.0f;
            }
}

#if defined(__x86_64__)
AVX512 static void kernel_f32(const float *a, long lda, long k, const float *b, float *c, long ldc,
                              long rows, __mmask16 m0, __mmask16 m1, int accumulate) {
    __m512 acc[BF16_MR][2];
    const float *arow[BF16_MR];
    for (int r = 0; r < BF16_MR; r++) {
        // Rows past `rows` re-read the last real row; their sums are never stored.
        arow[r] = a + (r < rows ? r : rows - 1) * lda;
        if (accumulate && r < rows) {
            acc[r][0] = _mm512_maskz_loadu_ps(m0, c + r * ldc);
            acc[r][1] = _mm512_maskz_loadu_ps(m1, c + r * ldc + 16);
        } else {
            acc[r][0] = _mm512_setzero_ps();
            acc[r][1] = _mm512_setzero_ps();
        }
    }
    for (long p = 0; p < k; p++) {
        __m512 b0 = _mm512_loadu_ps(b + p * 32);
        __m512 b1 = _mm512_loadu_ps(b + p * 32 + 16);
        for (int r = 0; r < BF16_MR; r++) {
            __m512 av = _mm512_set1_ps(arow[r][p]);
            acc[r][0] = _mm512_fmadd_ps(av, b0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(av, b1, acc[r][1]);
        }
    }
    for (int r = 0; r < BF16_MR && r < rows; r++) {
        _mm512_mask_storeu_ps(c + r * ldc, m0, acc[r][0]);
        _mm512_mask_storeu_ps(c + r * ldc + 16, m1, acc[r][1]);
    }
}

AVX512 static void gemm_f32(const float *a, long lda, const float *packed_b, float *c, long ldc,
                            long m, long n, long k, int accumulate) {
    long panels = (n + BF16_NR - 1) / BF16_NR;
    for (long i0 = 0; i0 < m; i0 += BF16_MC) {
        long rows = m - i0 < BF16_MC ? m - i0 : BF16_MC;
        for (long j = 0; j < panels; j++) {
            long cols = n - j * BF16_NR;
            __mmask16 m0 = cols >= 16 ? 0xFFFF : (__mmask16)((1u << cols) - 1u);
            __mmask16 m1 = cols >= 32 ? 0xFFFF : (cols <= 16 ? 0 : (__mmask16)((1u << (cols - 16)) - 1u));
            const float *bp = packed_b + j * k * BF16_NR;
            for (long r = 0; r < rows; r += BF16_MR) {
                long mr = rows - r < BF16_MR ? rows - r : BF16_MR;
                kernel_f32(a + (i0 + r) * lda, lda, k, bp, c + (i0 + r) * ldc + j * BF16_NR, ldc, mr, m0, m1, accumulate);
            }
        }
    }
}
#endif

void strata_enc_gemm_f32(const float *a, long lda, const float *packed_b, float *c, long ldc,
                         long m, long n, long k, int accumulate) {
#if defined(__x86_64__)
    if (strata_enc_cpu_level() >= 1) { gemm_f32(a, lda, packed_b, c, ldc, m, n, k, accumulate); return; }
#endif
    for (long i = 0; i < m; i++)
        for (long col = 0; col < n; col++) {
            const float *bp = packed_b + (col / BF16_NR) * k * BF16_NR + col % BF16_NR;
            float sum = accumulate ? c[i * ldc + col] : 0.0f;
            for (long p = 0; p < k; p++) sum += a[i * lda + p] * bp[p * BF16_NR];
            c[i * ldc + col] = sum;
        }
}
