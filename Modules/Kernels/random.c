// Random numbers in bulk from a counter-based generator, for the per-element passes of a training step
// (dropout masks, Gaussian noise, flips): Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random
// numbers: as easy as 1, 2, 3", SC 2011), eight blocks at a time with AVX2 where the CPU has it.
//
// The stream of a 64-bit key is a sequence of 32-bit words: word i is word i mod 4 of the Philox4x32-10
// block of counter (i/4 low 32 bits, i/4 high 32 bits, 0, 0) under the key (low 32 bits, high 32 bits).
// A word depends only on the key and its index, so any part of the stream can be computed alone, in any
// order, on any thread: the vector and scalar code, and both halves of a split pass, give the same bits.
//
// From the words (every path below computes the same operations, one rounding each, a fused
// multiply-add at the same places, as exp.c does):
//   - a Bernoulli mask: element i is 0 when word i < threshold (probability threshold / 2³²), else keep;
//   - normal draws by Box–Muller, four per block (w0, w1, w2, w3): u = ((w0 >> 8) + 1)·2⁻²⁴ in (0, 1],
//     r = √(−2 ln u), θ = 2π·(w1 >> 8)·2⁻²⁴; elements 4j, 4j+1 are σr·cos θ, σr·sin θ, and w2, w3 give
//     elements 4j+2, 4j+3 the same way. ln is Cephes' logf polynomial, cos and sin Cephes' on
//     [−π/4, π/4] after an exact reduction by quarter turns (relative errors about 1e-7); |draw| ≤ 5.8σ.
#include "gemm_internal.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#pragma clang fp contract(off)

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

// Cephes logf on [√½ − 1, √2 − 1], and sinf, cosf on [−π/4, π/4].
#define SQRT2 1.41421356237f
#define LN2_HI 0.693359375f
#define LN2_LO -2.12194440e-4f
#define L0 7.0376836292e-2f
#define L1 -1.1514610310e-1f
#define L2 1.1676998740e-1f
#define L3 -1.2420140846e-1f
#define L4 1.4249322787e-1f
#define L5 -1.6668057665e-1f
#define L6 2.0000714765e-1f
#define L7 -2.4999993993e-1f
#define L8 3.3333331174e-1f
#define S0 -1.6666654611e-1f
#define S1 8.3321608736e-3f
#define S2 -1.9515295891e-4f
#define C0 4.166664568298827e-2f
#define C1 -1.388731625493765e-3f
#define C2 2.443315711809948e-5f
// 2π·2⁻²⁴: a quarter turn is 2²² steps of the 24-bit angle.
#define ANGLE_STEP 3.74507028e-7f

void bp_philox4x32_10(const uint32_t counter[4], const uint32_t key[2], uint32_t out[4]) {
    uint32_t c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3], k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; round++) {
        if (round > 0) {
            k0 += PHILOX_W0;
            k1 += PHILOX_W1;
        }
        const uint64_t p0 = (uint64_t)PHILOX_M0 * c0, p1 = (uint64_t)PHILOX_M1 * c2;
        const uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0, n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
        c1 = (uint32_t)p1;
        c3 = (uint32_t)p0;
        c0 = n0;
        c2 = n2;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

// The block of counter `block` in the stream of `key`.
static inline void block_of(uint64_t key, uint64_t block, uint32_t out[4]) {
    const uint32_t counter[4] = {(uint32_t)block, (uint32_t)(block >> 32), 0, 0};
    const uint32_t k[2] = {(uint32_t)key, (uint32_t)(key >> 32)};
    bp_philox4x32_10(counter, k, out);
}

static inline float as_float(uint32_t bits) {
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static inline uint32_t as_bits(float f) {
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    return bits;
}

// Scalar Box–Muller of one pair of words: (σr·cos θ, σr·sin θ). `fmaf` is a hardware fused multiply-add
// where the target has one, a correctly rounded library call elsewhere: the same result either way.
static void normal_pair(uint32_t w0, uint32_t w1, float sigma, float *x, float *y) {
    // ln u, u = m·2^e with m in [√½, √2).
    const float u = (float)((w0 >> 8) + 1) * 0x1p-24f;
    const uint32_t bits = as_bits(u);
    float e = (float)((int32_t)(bits >> 23) - 127);
    float m = as_float((bits & 0x7FFFFFu) | 0x3F800000u);
    if (m > SQRT2) {
        m = m * 0.5f;
        e = e + 1.0f;
    }
    const float f = m - 1.0f, z = f * f;
    float p = L0;
    p = fmaf(p, f, L1);
    p = fmaf(p, f, L2);
    p = fmaf(p, f, L3);
    p = fmaf(p, f, L4);
    p = fmaf(p, f, L5);
    p = fmaf(p, f, L6);
    p = fmaf(p, f, L7);
    p = fmaf(p, f, L8);
    float y0 = (p * f) * z;
    y0 = fmaf(e, LN2_LO, y0);
    y0 = fmaf(-0.5f, z, y0);
    const float logu = fmaf(e, LN2_HI, f + y0);
    const float scale = sigma * sqrtf(-2.0f * logu);
    // θ = q·π/2 + a, |a| ≤ π/4, from the 24-bit angle k: exact in integers.
    const int32_t k = (int32_t)(w1 >> 8), turns = (k + (1 << 21)) >> 22;
    const float a = (float)(k - (turns << 22)) * ANGLE_STEP, a2 = a * a;
    float ps = S2;
    ps = fmaf(ps, a2, S1);
    ps = fmaf(ps, a2, S0);
    const float s = fmaf(ps * a2, a, a);
    float pc = C2;
    pc = fmaf(pc, a2, C1);
    pc = fmaf(pc, a2, C0);
    const float c = fmaf(pc * a2, a2, fmaf(-0.5f, a2, 1.0f));
    const int q = turns & 3;
    const float cosine = (q & 1) ? s : c, sine = (q & 1) ? c : s;
    *x = scale * (((q + 1) & 2) ? -cosine : cosine);
    *y = scale * ((q & 2) ? -sine : sine);
}

// Elements `from ..< to` of the stream, one block at a time: the heads and tails of the vector loops,
// and every element without AVX2.
static void words_scalar(uint64_t key, uint64_t from, uint64_t to, uint32_t *out) {
    uint32_t w[4];
    for (uint64_t i = from; i < to; i++) {
        if (i == from || i % 4 == 0) block_of(key, i / 4, w);
        out[i - from] = w[i % 4];
    }
}

static void normals_scalar(uint64_t key, float sigma, uint64_t from, uint64_t to, float *out) {
    float z[4];
    for (uint64_t i = from; i < to; i++) {
        if (i == from || i % 4 == 0) {
            uint32_t w[4];
            block_of(key, i / 4, w);
            normal_pair(w[0], w[1], sigma, &z[0], &z[1]);
            normal_pair(w[2], w[3], sigma, &z[2], &z[3]);
        }
        out[i - from] = z[i % 4];
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include "gemm_avx2_common.h"

// The high and low halves of the eight 32×32-bit products m·c (the even lanes' products, then the odd
// lanes' moved down and back).
BP_INLINE BP_AVX2 void mulhilo8(__m256i m, __m256i c, __m256i *hi, __m256i *lo) {
    const __m256i even = _mm256_mul_epu32(m, c), odd = _mm256_mul_epu32(m, _mm256_srli_epi64(c, 32));
    *lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
    *hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

// Blocks `block ..< block + 8` of `key`'s stream, word w of lane l in c[w][l].
BP_INLINE BP_AVX2 void blocks8(uint64_t key, uint64_t block, __m256i c[4]) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i low = _mm256_add_epi32(_mm256_set1_epi32((int32_t)(uint32_t)block), lanes);
    // The high word carries when the low one wrapped (unsigned low < lane).
    const __m256i bias = _mm256_set1_epi32(INT32_MIN);
    const __m256i wrapped = _mm256_cmpgt_epi32(_mm256_xor_si256(lanes, bias), _mm256_xor_si256(low, bias));
    __m256i c0 = low, c1 = _mm256_sub_epi32(_mm256_set1_epi32((int32_t)(uint32_t)(block >> 32)), wrapped);
    __m256i c2 = _mm256_setzero_si256(), c3 = _mm256_setzero_si256();
    __m256i k0 = _mm256_set1_epi32((int32_t)(uint32_t)key), k1 = _mm256_set1_epi32((int32_t)(uint32_t)(key >> 32));
    const __m256i m0 = _mm256_set1_epi32((int32_t)PHILOX_M0), m1 = _mm256_set1_epi32((int32_t)PHILOX_M1);
    const __m256i w0 = _mm256_set1_epi32((int32_t)PHILOX_W0), w1 = _mm256_set1_epi32((int32_t)PHILOX_W1);
    for (int round = 0; round < 10; round++) {
        if (round > 0) {
            k0 = _mm256_add_epi32(k0, w0);
            k1 = _mm256_add_epi32(k1, w1);
        }
        __m256i hi0, lo0, hi1, lo1;
        mulhilo8(m0, c0, &hi0, &lo0);
        mulhilo8(m1, c2, &hi1, &lo1);
        c0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), k0);
        c2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), k1);
        c1 = lo1;
        c3 = lo0;
    }
    c[0] = c0;
    c[1] = c1;
    c[2] = c2;
    c[3] = c3;
}

// Stores lanes as blocks: out[4l + w] = v[w][l] for the 32 values of four registers.
BP_INLINE BP_AVX2 void store_blocks(const __m256 v[4], float *out) {
    const __m256 t0 = _mm256_unpacklo_ps(v[0], v[1]), t1 = _mm256_unpackhi_ps(v[0], v[1]);
    const __m256 t2 = _mm256_unpacklo_ps(v[2], v[3]), t3 = _mm256_unpackhi_ps(v[2], v[3]);
    const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    _mm256_storeu_ps(out, _mm256_permute2f128_ps(u0, u1, 0x20));
    _mm256_storeu_ps(out + 8, _mm256_permute2f128_ps(u2, u3, 0x20));
    _mm256_storeu_ps(out + 16, _mm256_permute2f128_ps(u0, u1, 0x31));
    _mm256_storeu_ps(out + 24, _mm256_permute2f128_ps(u2, u3, 0x31));
}

// The part of `from ..< to` the vector loops take: from the first whole block, in steps of eight
// blocks (32 elements); the scalar code takes the head before it and the tail after it.
static inline void vector_part(uint64_t from, uint64_t to, uint64_t *begin, uint64_t *end) {
    const uint64_t first = (from + 3) / 4 * 4;
    *begin = first < to ? first : to;
    *end = *begin + (to - *begin) / 32 * 32;
}

BP_AVX2 static void words_avx2(uint64_t key, uint64_t from, uint64_t to, uint32_t *out) {
    uint64_t begin, end;
    vector_part(from, to, &begin, &end);
    words_scalar(key, from, begin, out);
    for (uint64_t i = begin; i < end; i += 32) {
        __m256i c[4];
        blocks8(key, i / 4, c);
        const __m256 v[4] = {_mm256_castsi256_ps(c[0]), _mm256_castsi256_ps(c[1]), _mm256_castsi256_ps(c[2]),
                             _mm256_castsi256_ps(c[3])};
        store_blocks(v, (float *)(out + (i - from)));
    }
    words_scalar(key, end, to, out + (end - from));
}

// Box–Muller of eight pairs of words, as normal_pair does it.
BP_INLINE BP_AVX2 void normal_pairs8(__m256i w0, __m256i w1, __m256 sigma, __m256 *x, __m256 *y) {
    const __m256i mantissa = _mm256_set1_epi32(0x7FFFFF), one = _mm256_set1_epi32(0x3F800000);
    const __m256 u = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(_mm256_srli_epi32(w0, 8), _mm256_set1_epi32(1))),
                                   _mm256_set1_ps(0x1p-24f));
    const __m256i bits = _mm256_castps_si256(u);
    __m256 e = _mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(127)));
    __m256 m = _mm256_castsi256_ps(_mm256_or_si256(_mm256_and_si256(bits, mantissa), one));
    const __m256 large = _mm256_cmp_ps(m, _mm256_set1_ps(SQRT2), _CMP_GT_OQ);
    m = _mm256_blendv_ps(m, _mm256_mul_ps(m, _mm256_set1_ps(0.5f)), large);
    e = _mm256_blendv_ps(e, _mm256_add_ps(e, _mm256_set1_ps(1.0f)), large);
    const __m256 f = _mm256_sub_ps(m, _mm256_set1_ps(1.0f)), z = _mm256_mul_ps(f, f);
    __m256 p = _mm256_set1_ps(L0);
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(L1));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(L2));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(L3));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(L4));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(L5));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(L6));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(L7));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(L8));
    __m256 y0 = _mm256_mul_ps(_mm256_mul_ps(p, f), z);
    y0 = _mm256_fmadd_ps(e, _mm256_set1_ps(LN2_LO), y0);
    y0 = _mm256_fmadd_ps(_mm256_set1_ps(-0.5f), z, y0);
    const __m256 logu = _mm256_fmadd_ps(e, _mm256_set1_ps(LN2_HI), _mm256_add_ps(f, y0));
    const __m256 scale = _mm256_mul_ps(sigma, _mm256_sqrt_ps(_mm256_mul_ps(_mm256_set1_ps(-2.0f), logu)));
    const __m256i k = _mm256_srli_epi32(w1, 8);
    const __m256i turns = _mm256_srai_epi32(_mm256_add_epi32(k, _mm256_set1_epi32(1 << 21)), 22);
    const __m256 a = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(k, _mm256_slli_epi32(turns, 22))),
                                   _mm256_set1_ps(ANGLE_STEP));
    const __m256 a2 = _mm256_mul_ps(a, a);
    __m256 ps = _mm256_set1_ps(S2);
    ps = _mm256_fmadd_ps(ps, a2, _mm256_set1_ps(S1));
    ps = _mm256_fmadd_ps(ps, a2, _mm256_set1_ps(S0));
    const __m256 s = _mm256_fmadd_ps(_mm256_mul_ps(ps, a2), a, a);
    __m256 pc = _mm256_set1_ps(C2);
    pc = _mm256_fmadd_ps(pc, a2, _mm256_set1_ps(C1));
    pc = _mm256_fmadd_ps(pc, a2, _mm256_set1_ps(C0));
    const __m256 c = _mm256_fmadd_ps(_mm256_mul_ps(pc, a2), a2,
                                     _mm256_fmadd_ps(_mm256_set1_ps(-0.5f), a2, _mm256_set1_ps(1.0f)));
    // Quarter turn q: odd swaps sine and cosine; q = 1, 2 negate the cosine, q = 2, 3 the sine.
    const __m256i q = _mm256_and_si256(turns, _mm256_set1_epi32(3));
    const __m256 odd = _mm256_castsi256_ps(_mm256_slli_epi32(q, 31));
    const __m256 cosine = _mm256_blendv_ps(c, s, odd), sine = _mm256_blendv_ps(s, c, odd);
    const __m256 cosSign = _mm256_castsi256_ps(
        _mm256_slli_epi32(_mm256_and_si256(_mm256_add_epi32(q, _mm256_set1_epi32(1)), _mm256_set1_epi32(2)), 30));
    const __m256 sinSign = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_and_si256(q, _mm256_set1_epi32(2)), 30));
    *x = _mm256_mul_ps(scale, _mm256_xor_ps(cosine, cosSign));
    *y = _mm256_mul_ps(scale, _mm256_xor_ps(sine, sinSign));
}

BP_AVX2 static void normals_avx2(uint64_t key, float sigma, uint64_t from, uint64_t to, float *out) {
    const __m256 sigmas = _mm256_set1_ps(sigma);
    uint64_t begin, end;
    vector_part(from, to, &begin, &end);
    normals_scalar(key, sigma, from, begin, out);
    for (uint64_t i = begin; i < end; i += 32) {
        __m256i c[4];
        blocks8(key, i / 4, c);
        __m256 v[4];
        normal_pairs8(c[0], c[1], sigmas, &v[0], &v[1]);
        normal_pairs8(c[2], c[3], sigmas, &v[2], &v[3]);
        store_blocks(v, out + (i - from));
    }
    normals_scalar(key, sigma, end, to, out + (end - from));
}
#endif

// MARK: - Passes, split over both cores when large

typedef enum { PASS_WORDS, PASS_NORMALS, PASS_SMASK, PASS_DMASK } pass_kind;

typedef struct {
    pass_kind kind;
    uint64_t key, start;
    ptrdiff_t count;
    void *out;
    float sigma;
    uint64_t threshold;
    double keep;
} random_job;

// Word-producing passes in chunks: the words of a chunk go through a small buffer on the stack.
#define CHUNK 1024

static void fill_words(uint64_t key, uint64_t start, ptrdiff_t count, uint32_t *out) {
#if defined(__x86_64__) || defined(__i386__)
    if (bp_gemm_kernel_supported(BP_GEMM_KERNEL_AVX2)) {
        words_avx2(key, start, start + (uint64_t)count, out);
        return;
    }
#endif
    words_scalar(key, start, start + (uint64_t)count, out);
}

static void random_run(void *argument) {
    const random_job *j = argument;
    switch (j->kind) {
    case PASS_WORDS:
        fill_words(j->key, j->start, j->count, j->out);
        return;
    case PASS_NORMALS:
#if defined(__x86_64__) || defined(__i386__)
        if (bp_gemm_kernel_supported(BP_GEMM_KERNEL_AVX2)) {
            normals_avx2(j->key, j->sigma, j->start, j->start + (uint64_t)j->count, j->out);
            return;
        }
#endif
        normals_scalar(j->key, j->sigma, j->start, j->start + (uint64_t)j->count, j->out);
        return;
    case PASS_SMASK:
    case PASS_DMASK:
        for (ptrdiff_t done = 0; done < j->count; done += CHUNK) {
            uint32_t w[CHUNK];
            const ptrdiff_t n = j->count - done < CHUNK ? j->count - done : CHUNK;
            fill_words(j->key, j->start + (uint64_t)done, n, w);
            if (j->kind == PASS_SMASK) {
                float *mask = (float *)j->out + done;
                const float keep = (float)j->keep;
                for (ptrdiff_t i = 0; i < n; i++) mask[i] = (uint64_t)w[i] < j->threshold ? 0.0f : keep;
            } else {
                double *mask = (double *)j->out + done;
                for (ptrdiff_t i = 0; i < n; i++) mask[i] = (uint64_t)w[i] < j->threshold ? 0.0 : j->keep;
            }
        }
        return;
    }
}

// Split as update passes are (`bp_update_splits`: from BP_UPDATE_PARALLEL_COUNT elements, when the
// helper thread may run).
static void run_split(random_job job, size_t size) {
    if (!bp_update_splits(job.count)) {
        random_run(&job);
        return;
    }
    random_job second = job;
    const ptrdiff_t split = bp_update_split(job.count, size);
    job.count = split;
    second.start += (uint64_t)split;
    second.count -= split;
    second.out = (char *)second.out + (size_t)split * size;
    bp_gemm_run_pair(random_run, &job, &second);
}

void bp_random_words(uint64_t key, uint64_t start, uint32_t *out, ptrdiff_t count) {
    if (count <= 0) return;
    run_split((random_job){PASS_WORDS, key, start, count, out, 0, 0, 0}, sizeof(uint32_t));
}

void bp_srandom_normal(uint64_t key, uint64_t start, float sigma, float *out, ptrdiff_t count) {
    if (count <= 0) return;
    run_split((random_job){PASS_NORMALS, key, start, count, out, sigma, 0, 0}, sizeof(float));
}

void bp_sbernoulli_mask(uint64_t key, uint64_t threshold, float keep, float *mask, ptrdiff_t count) {
    if (count <= 0) return;
    run_split((random_job){PASS_SMASK, key, 0, count, mask, 0, threshold, keep}, sizeof(float));
}

void bp_dbernoulli_mask(uint64_t key, uint64_t threshold, double keep, double *mask, ptrdiff_t count) {
    if (count <= 0) return;
    run_split((random_job){PASS_DMASK, key, 0, count, mask, 0, threshold, keep}, sizeof(double));
}
