// The AVX2 + FMA kernel family (x86-64): register tiles of 6×16 Float and 6×8 Double (12 ymm
// accumulators, 2 B vectors, 1 broadcast A value), and packing routines with in-register transposes.
//
// Every function carries `target("avx2,fma")`, so only this code uses AVX2 instructions: the package
// needs no global compiler flag and the binary still starts on CPUs without AVX2, where the dispatcher
// (gemm_dispatch.c) never calls in here.
#include "gemm_internal.h"

#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#define BP_AVX2 __attribute__((target("avx2,fma")))
#define BP_INLINE static inline __attribute__((always_inline))
#define AMR 6

// MARK: - Float packing

// An 8×8 transpose: rows r[0..7] in, columns out in r[0..7].
BP_INLINE BP_AVX2 void transpose8_ps(__m256 r[8]) {
    __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    r[0] = _mm256_permute2f128_ps(u0, u4, 0x20);
    r[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
    r[2] = _mm256_permute2f128_ps(u2, u6, 0x20);
    r[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
    r[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
    r[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
    r[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
    r[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

// Lane mask with the first `count` (0...8) lanes set.
BP_INLINE BP_AVX2 __m256i mask8(int count) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(count), lanes);
}

// Packs a full panel (lines == R, R a multiple of 8 or R == 6) through 8×8 transposes; R is a constant
// at each call site. Stores go in increasing address order, so for R == 6 an 8-lane store that spills
// into the next step's slots is overwritten by the next store.
BP_INLINE BP_AVX2 void s_pack_strided_full(const int R, ptrdiff_t kc, const float *src, ptrdiff_t ls,
                                           float *dst) {
    const int groups = (R + 7) / 8;
    ptrdiff_t p = 0;
    for (; p + 8 <= kc; p += 8) {
        __m256 v[2][8];
        for (int g = 0; g < groups; g++) {
            for (int r = 0; r < 8; r++)
                v[g][r] = g * 8 + r < R ? _mm256_loadu_ps(src + (g * 8 + r) * ls + p) : _mm256_setzero_ps();
            transpose8_ps(v[g]);
        }
        for (int q = 0; q < 8; q++)
            for (int g = 0; g < groups; g++) _mm256_storeu_ps(dst + (p + q) * R + g * 8, v[g][q]);
    }
    for (; p < kc; p++)
        for (int r = 0; r < R; r++) dst[p * R + r] = src[r * ls + p];
}

// One panel: dst[p*R + r] = src[r*ls + p].
BP_AVX2 static void s_pack_strided_panel(int R, int lines, ptrdiff_t kc, const float *src, ptrdiff_t ls,
                                         float *dst) {
    if (lines == R) {
        switch (R) {
        case 6: s_pack_strided_full(6, kc, src, ls, dst); return;
        case 8: s_pack_strided_full(8, kc, src, ls, dst); return;
        case 16: s_pack_strided_full(16, kc, src, ls, dst); return;
        default: break;
        }
    }
    for (ptrdiff_t p = 0; p < kc; p++)
        for (int r = 0; r < R; r++) dst[p * R + r] = r < lines ? src[r * ls + p] : 0.0f;
}

// MARK: - Double packing

BP_INLINE BP_AVX2 void transpose4_pd(__m256d r[4]) {
    __m256d t0 = _mm256_unpacklo_pd(r[0], r[1]), t1 = _mm256_unpackhi_pd(r[0], r[1]);
    __m256d t2 = _mm256_unpacklo_pd(r[2], r[3]), t3 = _mm256_unpackhi_pd(r[2], r[3]);
    r[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
    r[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
    r[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
    r[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
}

BP_INLINE BP_AVX2 __m256i mask4(int count) {
    const __m256i lanes = _mm256_setr_epi64x(0, 1, 2, 3);
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(count), lanes);
}

BP_INLINE BP_AVX2 void d_pack_strided_full(const int R, ptrdiff_t kc, const double *src, ptrdiff_t ls,
                                           double *dst) {
    const int groups = (R + 3) / 4;
    ptrdiff_t p = 0;
    for (; p + 4 <= kc; p += 4) {
        __m256d v[2][4];
        for (int g = 0; g < groups; g++) {
            for (int r = 0; r < 4; r++)
                v[g][r] = g * 4 + r < R ? _mm256_loadu_pd(src + (g * 4 + r) * ls + p) : _mm256_setzero_pd();
            transpose4_pd(v[g]);
        }
        for (int q = 0; q < 4; q++)
            for (int g = 0; g < groups; g++) _mm256_storeu_pd(dst + (p + q) * R + g * 4, v[g][q]);
    }
    for (; p < kc; p++)
        for (int r = 0; r < R; r++) dst[p * R + r] = src[r * ls + p];
}

BP_AVX2 static void d_pack_strided_panel(int R, int lines, ptrdiff_t kc, const double *src, ptrdiff_t ls,
                                         double *dst) {
    if (lines == R) {
        switch (R) {
        case 4: d_pack_strided_full(4, kc, src, ls, dst); return;
        case 6: d_pack_strided_full(6, kc, src, ls, dst); return;
        case 8: d_pack_strided_full(8, kc, src, ls, dst); return;
        default: break;
        }
    }
    for (ptrdiff_t p = 0; p < kc; p++)
        for (int r = 0; r < R; r++) dst[p * R + r] = r < lines ? src[r * ls + p] : 0.0;
}

// MARK: - Block packing

// Both precisions pack whole blocks: panel q (lines q·R ..< q·R + R) goes to dst + q·R·kc, with width R,
// or R/2 for a last panel of at most R/2 lines when `narrow` is set (the kernel's narrow edge tile).
//
// Strided blocks go panel by panel: each line is a contiguous run of kc values. Contiguous blocks go
// row by row across all panels: reading one panel's R values from each of kc rows instead would touch
// kc lines that map to the same L1 set whenever the row stride is a multiple of 4 KiB (3072 or 2048
// Floats), and short runs per row defeat the prefetchers. A load may read the next panel's lines into
// lanes beyond a panel of R = 6; those lanes land in slots that the next row's store overwrites, and
// the panel's last row stores them masked off. Loads past the block's lines are masked.
#define DEFINE_BLOCK_PACKING(T, V, L, PREFIX, LOADU, STOREU, MASKLOAD, MASKSTORE, MASK)                   \
    BP_AVX2 static void PREFIX##_pack_strided(int R, int narrow, ptrdiff_t lines, ptrdiff_t kc,           \
                                              const T *src, ptrdiff_t ls, T *dst) {                       \
        for (ptrdiff_t q0 = 0; q0 < lines; q0 += R) {                                                     \
            const int count = (int)(lines - q0 < R ? lines - q0 : R);                                     \
            const int width = narrow && count <= R / 2 ? R / 2 : R;                                       \
            PREFIX##_pack_strided_panel(width, count, kc, src + q0 * ls, ls, dst + q0 * kc);              \
        }                                                                                                 \
    }                                                                                                     \
    BP_AVX2 static void PREFIX##_pack_contiguous(int R, int narrow, ptrdiff_t lines, ptrdiff_t kc,        \
                                                 const T *src, ptrdiff_t ls, T *dst) {                    \
        const int groups = (R + L - 1) / L;                                                               \
        /* Panels whose vector loads all stay inside the block's lines: row by row, all panels. */       \
        const ptrdiff_t full = lines >= groups * L ? (lines - groups * L) / R + 1 : 0;                     \
        if (full > 0) {                                                                                   \
            const __m256i lastMask = MASK(R - (groups - 1) * L);                                          \
            for (ptrdiff_t p = 0; p < kc; p++) {                                                          \
                const T *s = src + p * ls;                                                                \
                T *d = dst + p * R;                                                                       \
                const int last = p + 1 == kc && R % L != 0;                                               \
                for (ptrdiff_t q0 = 0; q0 < full * R; q0 += R) {                                          \
                    for (int g = 0; g + 1 < groups; g++) STOREU(d + q0 * kc + g * L, LOADU(s + q0 + g * L)); \
                    const V v = LOADU(s + q0 + (groups - 1) * L);                                         \
                    if (last) MASKSTORE(d + q0 * kc + (groups - 1) * L, lastMask, v);                     \
                    else STOREU(d + q0 * kc + (groups - 1) * L, v);                                       \
                }                                                                                         \
            }                                                                                             \
        }                                                                                                 \
        /* The rest, panel by panel with masked loads. */                                                 \
        for (ptrdiff_t q0 = full * R; q0 < lines; q0 += R) {                                              \
            const int count = (int)(lines - q0 < R ? lines - q0 : R);                                     \
            const int width = narrow && count <= R / 2 ? R / 2 : R;                                       \
            const int widthGroups = (width + L - 1) / L;                                                  \
            T *d = dst + q0 * kc;                                                                         \
            const T *s = src + q0;                                                                        \
            __m256i loadMask[2], storeMask[2];                                                            \
            int stored[2];                                                                                \
            for (int g = 0; g < widthGroups; g++) {                                                       \
                const int loaded = count - g * L < 0 ? 0 : (count - g * L > L ? L : count - g * L);       \
                stored[g] = width - g * L > L ? L : width - g * L;                                        \
                loadMask[g] = MASK(loaded);                                                               \
                storeMask[g] = MASK(stored[g]);                                                           \
            }                                                                                             \
            /* Rows in increasing order, groups inside: overhanging lanes are overwritten later. */       \
            for (ptrdiff_t p = 0; p < kc; p++)                                                            \
                for (int g = 0; g < widthGroups; g++) {                                                   \
                    const V v = MASKLOAD(s + p * ls + g * L, loadMask[g]);                                \
                    if (stored[g] == L || p + 1 < kc) STOREU(d + p * width + g * L, v);                   \
                    else MASKSTORE(d + p * width + g * L, storeMask[g], v);                               \
                }                                                                                         \
        }                                                                                                 \
    }

DEFINE_BLOCK_PACKING(float, __m256, 8, s, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_maskload_ps,
                     _mm256_maskstore_ps, mask8)
DEFINE_BLOCK_PACKING(double, __m256d, 4, d, _mm256_loadu_pd, _mm256_storeu_pd, _mm256_maskload_pd,
                     _mm256_maskstore_pd, mask4)

// MARK: - Micro-kernels

// The tile body, for ROWS (1...6) rows and W (1 or 2) vectors per row, both constants at each call
// site so that the accumulators stay in registers. C is updated in place for full-width tiles, through
// a small buffer for the last, partial column panel.
#define DEFINE_TILE(T, V, L, PREFIX, SETZERO, LOADU, STOREU, BROADCAST, FMADD, MUL, ADD, SET1)                 \
    BP_INLINE BP_AVX2 void PREFIX##_tile(ptrdiff_t kc, const T *a, const T *b, T *c, ptrdiff_t ldc,       \
                                         const T *scale, const int ROWS, const int W, int nr) {          \
        V acc[AMR][2];                                                                                    \
        for (int i = 0; i < ROWS; i++)                                                                    \
            for (int j = 0; j < 2; j++) acc[i][j] = SETZERO();                                            \
        for (int i = 0; i < ROWS; i++) _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);            \
        if (W == 2) {                                                                                     \
            for (ptrdiff_t p = 0; p < kc; p++) {                                                          \
                const V b0 = LOADU(b), b1 = LOADU(b + L);                                                 \
                for (int i = 0; i < ROWS; i++) {                                                          \
                    const V ai = BROADCAST(a + i);                                                        \
                    acc[i][0] = FMADD(ai, b0, acc[i][0]);                                                 \
                    acc[i][1] = FMADD(ai, b1, acc[i][1]);                                                 \
                }                                                                                         \
                a += AMR;                                                                                 \
                b += 2 * L;                                                                               \
            }                                                                                             \
        } else {                                                                                          \
            /* One vector per row: even and odd steps go to separate accumulators, or the 4-cycle  */    \
            /* FMA latency would hold six chains to 1.5 FMA per cycle. */                                 \
            ptrdiff_t p = 0;                                                                              \
            for (; p + 2 <= kc; p += 2) {                                                                 \
                const V b0 = LOADU(b), b1 = LOADU(b + L);                                                 \
                for (int i = 0; i < ROWS; i++) {                                                          \
                    acc[i][0] = FMADD(BROADCAST(a + i), b0, acc[i][0]);                                   \
                    acc[i][1] = FMADD(BROADCAST(a + AMR + i), b1, acc[i][1]);                             \
                }                                                                                         \
                a += 2 * AMR;                                                                             \
                b += 2 * L;                                                                               \
            }                                                                                             \
            if (p < kc)                                                                                   \
                for (int i = 0; i < ROWS; i++) acc[i][0] = FMADD(BROADCAST(a + i), LOADU(b), acc[i][0]);  \
            for (int i = 0; i < ROWS; i++) acc[i][0] = ADD(acc[i][0], acc[i][1]);                         \
        }                                                                                                 \
        /* alpha and beta are read only now: held in registers through the loop they would push an */    \
        /* accumulator out to the stack. */                                                               \
        const T alpha = scale[0], beta = scale[1];                                                        \
        const V va = SET1(alpha);                                                                         \
        if (nr == W * L) {                                                                                \
            const V vb = SET1(beta);                                                                      \
            for (int i = 0; i < ROWS; i++)                                                                \
                for (int j = 0; j < W; j++) {                                                             \
                    T *cij = c + i * ldc + j * L;                                                         \
                    V r = MUL(acc[i][j], va);                                                             \
                    if (beta != (T)0) r = FMADD(LOADU(cij), vb, r);                                       \
                    STOREU(cij, r);                                                                       \
                }                                                                                         \
        } else {                                                                                          \
            for (int i = 0; i < ROWS; i++) {                                                              \
                T row[2 * L];                                                                             \
                for (int j = 0; j < W; j++) STOREU(row + j * L, MUL(acc[i][j], va));                      \
                T *ci = c + i * ldc;                                                                      \
                if (beta == (T)0) {                                                                       \
                    for (int j = 0; j < nr; j++) ci[j] = row[j];                                          \
                } else {                                                                                  \
                    for (int j = 0; j < nr; j++) ci[j] = row[j] + beta * ci[j];                           \
                }                                                                                         \
            }                                                                                             \
        }                                                                                                 \
    }                                                                                                     \
    BP_AVX2 static void PREFIX##_kernel(ptrdiff_t kc, const T *a, const T *b, T *c, ptrdiff_t ldc,        \
                                        const T *scale, int mr, int nr) {                                \
        if (nr > L) {                                                                                     \
            switch (mr) {                                                                                 \
            case 1: PREFIX##_tile(kc, a, b, c, ldc, scale, 1, 2, nr); break;                        \
            case 2: PREFIX##_tile(kc, a, b, c, ldc, scale, 2, 2, nr); break;                        \
            case 3: PREFIX##_tile(kc, a, b, c, ldc, scale, 3, 2, nr); break;                        \
            case 4: PREFIX##_tile(kc, a, b, c, ldc, scale, 4, 2, nr); break;                        \
            case 5: PREFIX##_tile(kc, a, b, c, ldc, scale, 5, 2, nr); break;                        \
            default: PREFIX##_tile(kc, a, b, c, ldc, scale, 6, 2, nr); break;                       \
            }                                                                                             \
        } else {                                                                                          \
            switch (mr) {                                                                                 \
            case 1: PREFIX##_tile(kc, a, b, c, ldc, scale, 1, 1, nr); break;                        \
            case 2: PREFIX##_tile(kc, a, b, c, ldc, scale, 2, 1, nr); break;                        \
            case 3: PREFIX##_tile(kc, a, b, c, ldc, scale, 3, 1, nr); break;                        \
            case 4: PREFIX##_tile(kc, a, b, c, ldc, scale, 4, 1, nr); break;                        \
            case 5: PREFIX##_tile(kc, a, b, c, ldc, scale, 5, 1, nr); break;                        \
            default: PREFIX##_tile(kc, a, b, c, ldc, scale, 6, 1, nr); break;                       \
            }                                                                                             \
        }                                                                                                 \
    }

DEFINE_TILE(float, __m256, 8, s, _mm256_setzero_ps, _mm256_loadu_ps, _mm256_storeu_ps,
            _mm256_broadcast_ss, _mm256_fmadd_ps, _mm256_mul_ps, _mm256_add_ps, _mm256_set1_ps)
DEFINE_TILE(double, __m256d, 4, d, _mm256_setzero_pd, _mm256_loadu_pd, _mm256_storeu_pd,
            _mm256_broadcast_sd, _mm256_fmadd_pd, _mm256_mul_pd, _mm256_add_pd, _mm256_set1_pd)

// Blocks (Zen 3: 32 KiB L1d, 512 KiB L2 per core): the B micro-panel kc×16 Float is 16 KiB (half of
// L1), the A block mc×kc 144 KiB (under a third of L2), the B block kc×nc 4 MiB (L3).
const bp_sgemm_family bp_sgemm_avx2 = {
    .mr = AMR, .nr = 16, .mc = 144, .kc = 256, .nc = 4080,
    .kernel = s_kernel, .pack_strided = s_pack_strided, .pack_contiguous = s_pack_contiguous,
};

const bp_dgemm_family bp_dgemm_avx2 = {
    .mr = AMR, .nr = 8, .mc = 72, .kc = 256, .nc = 4080,
    .kernel = d_kernel, .pack_strided = d_pack_strided, .pack_contiguous = d_pack_contiguous,
};

#endif
