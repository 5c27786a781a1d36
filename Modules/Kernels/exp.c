// e^x over Float arrays: the softmax's exponentials, eight at a time with AVX2 and FMA where the CPU
// has them (glibc's expf is a call per value: 1,000 of them were 3.6 µs of an A2 step's loss).
//
// The vector and the scalar code compute the same function, step for step (one rounding per
// operation, a fused multiply-add at the same places), so a value's exponential depends neither on
// where it falls in an array nor on the CPU:
//   n = round-to-even(x·log2 e),  r = x − n·ln2 (ln2 in two parts, Cody and Waite, |r| ≤ ln2/2),
//   e^r = 1 + r + r²·P(r) with Cephes' degree-5 minimax P (relative error about 1e-7),
//   e^x = e^r · 2^n (the exponent bits).
// Inputs above 88.376 give +∞ (e^x is finite up to 88.72: the softmax only passes x ≤ 0), below
// −87.337 (where e^x leaves Float's normal range) 0, and NaN gives NaN.
#include "gemm_internal.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#pragma clang fp contract(off)

#define EXP_HI 88.3762626647949f
#define EXP_LO -87.3365447504f
#define LOG2E 1.44269504088896341f
#define LN2_HI 0.693359375f
#define LN2_LO -2.12194440e-4f
#define P0 1.9875691500e-4f
#define P1 1.3981999507e-3f
#define P2 8.3334519073e-3f
#define P3 4.1665795894e-2f
#define P4 1.6666665459e-1f
#define P5 5.0000001201e-1f

// One value; `fmaf` is a fused multiply-add in hardware where the target has one (the AVX2 file's
// copy below), a correctly rounded library call elsewhere: the same result either way.
#define DEFINE_EXP_ONE(NAME, ATTRIBUTES)                                                                      \
    ATTRIBUTES static inline float NAME(float x) {                                                           \
        if (x != x) return x;                                                                                \
        if (x > EXP_HI) return INFINITY;                                                                     \
        if (x < EXP_LO) return 0.0f;                                                                         \
        const float n = rintf(x * LOG2E);                                                                    \
        float r = fmaf(-n, LN2_HI, x);                                                                       \
        r = fmaf(-n, LN2_LO, r);                                                                             \
        float p = P0;                                                                                        \
        p = fmaf(p, r, P1);                                                                                  \
        p = fmaf(p, r, P2);                                                                                  \
        p = fmaf(p, r, P3);                                                                                  \
        p = fmaf(p, r, P4);                                                                                  \
        p = fmaf(p, r, P5);                                                                                  \
        const float r2 = r * r;                                                                              \
        const float y = fmaf(p, r2, r) + 1.0f;                                                               \
        const uint32_t bits = (uint32_t)((int32_t)n + 127) << 23;                                            \
        float scale;                                                                                         \
        memcpy(&scale, &bits, sizeof scale);                                                                 \
        return y * scale;                                                                                    \
    }

DEFINE_EXP_ONE(exp_one, )

#if defined(__x86_64__) || defined(__i386__)
#include "gemm_avx2_common.h"

DEFINE_EXP_ONE(exp_one_fma, BP_AVX2)

BP_AVX2 static void exp_avx2(const float *x, float *y, ptrdiff_t count) {
    const __m256 hi = _mm256_set1_ps(EXP_HI), lo = _mm256_set1_ps(EXP_LO), log2e = _mm256_set1_ps(LOG2E);
    const __m256 ln2Hi = _mm256_set1_ps(LN2_HI), ln2Lo = _mm256_set1_ps(LN2_LO), one = _mm256_set1_ps(1.0f);
    const __m256 infinity = _mm256_set1_ps(INFINITY), zero = _mm256_setzero_ps();
    ptrdiff_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256 v = _mm256_loadu_ps(x + i);
        const __m256 n = _mm256_round_ps(_mm256_mul_ps(v, log2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        __m256 r = _mm256_fnmadd_ps(n, ln2Hi, v);
        r = _mm256_fnmadd_ps(n, ln2Lo, r);
        __m256 p = _mm256_set1_ps(P0);
        p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(P1));
        p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(P2));
        p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(P3));
        p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(P4));
        p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(P5));
        const __m256 r2 = _mm256_mul_ps(r, r);
        __m256 e = _mm256_add_ps(_mm256_fmadd_ps(p, r2, r), one);
        const __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
        e = _mm256_mul_ps(e, _mm256_castsi256_ps(bits));
        // Out of range: the exponent bits above are meaningless there. NaN compares false to both and
        // stays NaN through the arithmetic.
        e = _mm256_blendv_ps(e, infinity, _mm256_cmp_ps(v, hi, _CMP_GT_OQ));
        e = _mm256_blendv_ps(e, zero, _mm256_cmp_ps(v, lo, _CMP_LT_OQ));
        _mm256_storeu_ps(y + i, e);
    }
    for (; i < count; i++) y[i] = exp_one_fma(x[i]);
}
#endif

void bp_sexp(const float *x, float *y, ptrdiff_t count) {
#if defined(__x86_64__) || defined(__i386__)
    if (bp_gemm_kernel_supported(BP_GEMM_KERNEL_AVX2)) {
        exp_avx2(x, y, count);
        return;
    }
#endif
    for (ptrdiff_t i = 0; i < count; i++) y[i] = exp_one(x[i]);
}
