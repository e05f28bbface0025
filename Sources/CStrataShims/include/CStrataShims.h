#ifndef STRATA_CSTRATASHIMS_H
#define STRATA_CSTRATASHIMS_H

#include <stddef.h>
#include <stdint.h>

/// True when the running CPU executes AVX2 and FMA instructions.
int strata_cpu_has_avx2_fma(void);

/// The best vector-kernel level the running CPU (and its operating system) supports:
/// 0 portable, 1 AVX2 + FMA, 2 AVX-512 F/BW/VL/DQ, 3 the same with AVX-512 VNNI. Detected once.
int strata_cpu_kernel_level(void);

/// True when the running CPU has the SSE 4.2 CRC-32C instruction.
int strata_cpu_has_crc32c(void);

/// CRC-32C (Castagnoli) of `length` bytes, continuing from `crc` (0 to start).
/// Uses the SSE 4.2 instruction when the CPU has it, a table otherwise.
uint32_t strata_crc32c(uint32_t crc, const void *data, size_t length);

/// Hints the CPU to fetch the cache line holding `address` for reading.
static inline void strata_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Hints the CPU to fetch every cache line of `bytes` bytes starting at `address`.
static inline void strata_prefetch_range(const void *address, size_t bytes) {
    const char *p = (const char *)address;
    for (size_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(p + offset, 0, 3);
}

/// Per-node spin lock over one 32-bit word (0 = free, 1 = held). Held for a few hundred
/// nanoseconds at most (one neighbour-list update), so spinning beats a futex.
static inline void strata_spin_lock(uint32_t *word) {
    for (;;) {
        if (__atomic_exchange_n(word, 1u, __ATOMIC_ACQUIRE) == 0u) return;
        while (__atomic_load_n(word, __ATOMIC_RELAXED) != 0u) {
#if defined(__x86_64__)
            __builtin_ia32_pause();
#endif
        }
    }
}

static inline void strata_spin_unlock(uint32_t *word) {
    __atomic_store_n(word, 0u, __ATOMIC_RELEASE);
}

/// Atomic word accessors for values read by searching threads while a writer updates them.
static inline uint32_t strata_load_acquire_u32(const uint32_t *word) {
    return __atomic_load_n(word, __ATOMIC_ACQUIRE);
}
static inline void strata_store_release_u32(uint32_t *word, uint32_t value) {
    __atomic_store_n(word, value, __ATOMIC_RELEASE);
}
static inline uint64_t strata_load_acquire_u64(const uint64_t *word) {
    return __atomic_load_n(word, __ATOMIC_ACQUIRE);
}
static inline void strata_store_release_u64(uint64_t *word, uint64_t value) {
    __atomic_store_n(word, value, __ATOMIC_RELEASE);
}
static inline uint64_t strata_fetch_add_u64(uint64_t *word, uint64_t delta) {
    return __atomic_fetch_add(word, delta, __ATOMIC_ACQ_REL);
}

#if defined(__x86_64__)
#include <immintrin.h>

/// `Σ a[i] * b[i]` over `count` int8 codes, exact in 32-bit integers (AVX2).
///
/// Sixteen codes at a time are sign-extended to 16 bits (`vpmovsxbw`) and multiplied in
/// pairs with the pair sums widened to 32 bits (`vpmaddwd`): a product is at most 128², a
/// pair sum at most 2^15, so no lane can overflow. Swift cannot reach `vpmaddwd` (LLVM does
/// not form it from Swift's SIMD types), which is why this lives in C. Callers must run on a
/// CPU with AVX2: Strata only calls it from code compiled for Haswell (`STRATA_AVX2`).
__attribute__((target("avx2")))
static inline int32_t strata_dot_i8_avx2(const int8_t *a, const int8_t *b, long count) {
    __m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
    long i = 0;
    for (; i + 32 <= count; i += 32) {
        __m256i a0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(a + i)));
        __m256i b0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(b + i)));
        __m256i a1 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(a + i + 16)));
        __m256i b1 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(b + i + 16)));
        acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(a0, b0));
        acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(a1, b1));
    }
    if (i + 16 <= count) {
        __m256i a0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(a + i)));
        __m256i b0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(b + i)));
        acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(a0, b0));
        i += 16;
    }
    __m256i acc = _mm256_add_epi32(acc0, acc1);
    __m128i sum = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 0x4E));
    sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 0xB1));
    int32_t total = _mm_cvtsi128_si32(sum);
    for (; i < count; i++) total += (int32_t)a[i] * (int32_t)b[i];
    return total;
}

// MARK: - Kernels chosen at run time (StrataKernels `KernelLevel`)
//
// Each is compiled for its own instruction set with a `target` attribute, so one binary holds
// every variant and runs on any x86-64 CPU; Swift calls the one `strata_cpu_kernel_level()`
// allows, chosen once per search (a walk specialized per kernel set), never one the CPU lacks.

/// The sum of the 16 lanes of `v`.
__attribute__((target("avx512f")))
static inline float strata_hsum512(__m512 v) { return _mm512_reduce_add_ps(v); }

/// The sum of the 8 lanes of `v`.
__attribute__((target("avx2")))
static inline float strata_hsum256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/// `Σ a[i] · b[i]` in float32, AVX2 + FMA: four 8-lane accumulators hide the FMA latency.
__attribute__((target("avx2,fma")))
static inline float strata_dot_f32_avx2(const float *a, const float *b, long count) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    long i = 0;
    for (; i + 32 <= count; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
    }
    for (; i + 8 <= count; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    float sum = strata_hsum256(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < count; i++) sum += a[i] * b[i];
    return sum;
}

/// `Σ (a[i] − b[i])²` in float32, AVX2 + FMA.
__attribute__((target("avx2,fma")))
static inline float strata_l2_f32_avx2(const float *a, const float *b, long count) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    long i = 0;
    for (; i + 32 <= count; i += 32) {
        __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
        __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
        __m256 d2 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16));
        __m256 d3 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24));
        s0 = _mm256_fmadd_ps(d0, d0, s0);
        s1 = _mm256_fmadd_ps(d1, d1, s1);
        s2 = _mm256_fmadd_ps(d2, d2, s2);
        s3 = _mm256_fmadd_ps(d3, d3, s3);
    }
    for (; i + 8 <= count; i += 8) {
        __m256 d = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
        s0 = _mm256_fmadd_ps(d, d, s0);
    }
    float sum = strata_hsum256(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < count; i++) { float d = a[i] - b[i]; sum += d * d; }
    return sum;
}

/// `Σ a[i] · b[i]` in float32, AVX-512: two 16-lane accumulators (a 384-d vector is
/// twenty-four 512-bit FMAs), the tail under a mask, so no scalar loop.
__attribute__((target("avx512f")))
static inline float strata_dot_f32_avx512(const float *a, const float *b, long count) {
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    long i = 0;
    for (; i + 32 <= count; i += 32) {
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
        s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
    }
    for (; i + 16 <= count; i += 16) s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    if (i < count) {
        __mmask16 m = (__mmask16)((1u << (count - i)) - 1u);
        s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), s1);
    }
    return strata_hsum512(_mm512_add_ps(s0, s1));
}

/// `Σ (a[i] − b[i])²` in float32, AVX-512, the tail under a mask.
__attribute__((target("avx512f")))
static inline float strata_l2_f32_avx512(const float *a, const float *b, long count) {
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    long i = 0;
    for (; i + 32 <= count; i += 32) {
        __m512 d0 = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
        __m512 d1 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16));
        s0 = _mm512_fmadd_ps(d0, d0, s0);
        s1 = _mm512_fmadd_ps(d1, d1, s1);
    }
    for (; i + 16 <= count; i += 16) {
        __m512 d = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
        s0 = _mm512_fmadd_ps(d, d, s0);
    }
    if (i < count) {
        __mmask16 m = (__mmask16)((1u << (count - i)) - 1u);
        __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i));
        s1 = _mm512_fmadd_ps(d, d, s1);
    }
    return strata_hsum512(_mm512_add_ps(s0, s1));
}

/// `Σ a[i] · b[i]` over int8 codes, exact in 32-bit integers, AVX-512 BW: 32 codes a step
/// sign-extended to 16 bits in a 512-bit register and multiplied in pairs (`vpmaddwd`),
/// twice the AVX2 kernel's width; the tail under a mask.
__attribute__((target("avx512f,avx512bw,avx512vl")))
static inline int32_t strata_dot_i8_avx512bw(const int8_t *a, const int8_t *b, long count) {
    __m512i acc0 = _mm512_setzero_si512(), acc1 = _mm512_setzero_si512();
    long i = 0;
    for (; i + 64 <= count; i += 64) {
        acc0 = _mm512_add_epi32(acc0, _mm512_madd_epi16(_mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(a + i))),
                                                        _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(b + i)))));
        acc1 = _mm512_add_epi32(acc1, _mm512_madd_epi16(_mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(a + i + 32))),
                                                        _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(b + i + 32)))));
    }
    for (; i < count; i += 32) {
        long left = count - i;
        __mmask32 m = left >= 32 ? 0xFFFFFFFFu : (__mmask32)((1u << left) - 1u);
        acc0 = _mm512_add_epi32(acc0, _mm512_madd_epi16(_mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(m, a + i)),
                                                        _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(m, b + i))));
    }
    return _mm512_reduce_add_epi32(_mm512_add_epi32(acc0, acc1));
}

/// `Σ a[i] · b[i]` over int8 codes, exact, AVX-512 VNNI: `vpdpwssd` multiplies the 16-bit
/// pairs and adds them into the 32-bit accumulator in one instruction (the BW kernel's
/// `vpmaddwd` + `vpaddd`). Pairs of 16-bit products cannot overflow (see the AVX2 kernel).
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
static inline int32_t strata_dot_i8_avx512vnni(const int8_t *a, const int8_t *b, long count) {
    __m512i acc0 = _mm512_setzero_si512(), acc1 = _mm512_setzero_si512();
    long i = 0;
    for (; i + 64 <= count; i += 64) {
        acc0 = _mm512_dpwssd_epi32(acc0, _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(a + i))),
                                   _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(b + i))));
        acc1 = _mm512_dpwssd_epi32(acc1, _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(a + i + 32))),
                                   _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(b + i + 32))));
    }
    for (; i < count; i += 32) {
        long left = count - i;
        __mmask32 m = left >= 32 ? 0xFFFFFFFFu : (__mmask32)((1u << left) - 1u);
        acc0 = _mm512_dpwssd_epi32(acc0, _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(m, a + i)),
                                   _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(m, b + i)));
    }
    return _mm512_reduce_add_epi32(_mm512_add_epi32(acc0, acc1));
}
#endif

// MARK: - Sentence encoder kernels (encoder.c)

/// What the encoder kernels run on: 0 portable C, 1 AVX-512 (F, BW, VL, DQ), 2 AVX-512 with
/// AVX512_BF16 (`vdpbf16ps`). Detected once.
int strata_enc_cpu_level(void);

/// `x = GELU(x)` (erf form, as BERT) over `count` floats.
void strata_enc_gelu(float *x, long count);

/// LayerNorm over `rows` rows of `n` floats, in place: `(x - mean) / sqrt(var + eps) * gamma + beta`.
void strata_enc_layernorm(float *x, const float *gamma, const float *beta, long rows, long n, float eps);

/// Softmax of `scale * x` over the first `n` floats of each of `rows` rows `ld` floats apart, in place.
void strata_enc_softmax_rows(float *x, long rows, long n, long ld, float scale);

/// `out[r] = rows_in[r] + bias` for each of `rows` rows of `n` floats (`rows_in` NULL: just `bias`).
void strata_enc_rows_plus(float *out, const float *rows_in, const float *bias, long rows, long n);

/// Converts `count` floats to bfloat16 (round to nearest even), for packing weights.
void strata_enc_to_bf16(const float *source, uint16_t *destination, long count);

/// `C[m×n] (+)= A[m×k] · B` with A float32 (rounded to bfloat16 on the fly) and B packed by
/// `strata_enc_pack_bf16`; needs `strata_enc_cpu_level() == 2`. `accumulate` 0 overwrites C.
void strata_enc_gemm_bf16(const float *a, long lda, const uint16_t *packed_b, float *c, long ldc,
                          long m, long n, long k, int accumulate);

/// Packs a PyTorch-layout weight `w[n×k]` (row r = output r) for `strata_enc_gemm_bf16`:
/// `packed` holds `strata_enc_packed_bf16_count(n, k)` values.
void strata_enc_pack_bf16(const float *w, long n, long k, uint16_t *packed);
long strata_enc_packed_bf16_count(long n, long k);

/// `C[m×n] (+)= A[m×k] · B` in float32 with B packed by `strata_enc_pack_f32` (AVX-512 when
/// `strata_enc_cpu_level() >= 1`, portable C otherwise). `accumulate` 0 overwrites C.
void strata_enc_gemm_f32(const float *a, long lda, const float *packed_b, float *c, long ldc,
                         long m, long n, long k, int accumulate);

/// Packs a PyTorch-layout weight `w[n×k]` for `strata_enc_gemm_f32`: `packed` holds
/// `strata_enc_packed_f32_count(n, k)` floats.
void strata_enc_pack_f32(const float *w, long n, long k, float *packed);
long strata_enc_packed_f32_count(long n, long k);

#endif
