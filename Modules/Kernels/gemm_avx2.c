// The AVX2 + FMA kernel family (x86-64): register tiles of 6×16 Float and 6×8 Double (12 ymm
// accumulators, 2 B vectors, 1 broadcast A value), packing routines with in-register transposes, and
// the transposition of a product computed as Cᵀ.
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

// Zeros standing in for the missing lines of a partial panel; no family's kc exceeds 512.
static const float zeros_ps[512 + 16] __attribute__((aligned(64)));
static const double zeros_pd[512 + 8] __attribute__((aligned(64)));

// Packs a panel of R lines (R a multiple of 8, or 6) through 8×8 transposes; lines past `lines` read
// zeros. R is a constant at each call site. Stores go in increasing address order, so for R = 6 an
// 8-lane store that spills into the next step's slots is overwritten by the next store.
BP_INLINE BP_AVX2 void s_pack_strided_lines(const int R, int lines, ptrdiff_t kc, const float *src, bp_rows rows,
                                            float *dst) {
    const int groups = (R + 7) / 8;
    const float *line[16];
    for (int r = 0; r < groups * 8; r++) line[r] = r < lines && r < R ? src + bp_row_offset(rows, r) : zeros_ps;
    ptrdiff_t p = 0;
    // Sixteen steps (one cache line of each line) per group of eight lines: with a row stride that is
    // a multiple of 4 KiB all lines share an L1 set, so each cache line is used up at once.
    for (; p + 16 <= kc; p += 16)
        for (int g = 0; g < groups; g++) {
            __m256 low[8], high[8];
            for (int r = 0; r < 8; r++) {
                low[r] = _mm256_loadu_ps(line[g * 8 + r] + p);
                high[r] = _mm256_loadu_ps(line[g * 8 + r] + p + 8);
            }
            transpose8_ps(low);
            transpose8_ps(high);
            for (int q = 0; q < 8; q++) _mm256_storeu_ps(dst + (p + q) * R + g * 8, low[q]);
            for (int q = 0; q < 8; q++) _mm256_storeu_ps(dst + (p + 8 + q) * R + g * 8, high[q]);
        }
    for (; p + 8 <= kc; p += 8) {
        __m256 v[2][8];
        for (int g = 0; g < groups; g++) {
            for (int r = 0; r < 8; r++) v[g][r] = _mm256_loadu_ps(line[g * 8 + r] + p);
            transpose8_ps(v[g]);
        }
        for (int q = 0; q < 8; q++)
            for (int g = 0; g < groups; g++) _mm256_storeu_ps(dst + (p + q) * R + g * 8, v[g][q]);
    }
    for (; p < kc; p++)
        for (int r = 0; r < R; r++) dst[p * R + r] = line[r][p];
}

// One panel: dst[p*R + r] = src[bp_row_offset(rows, r) + p].
BP_AVX2 static void s_pack_strided_panel(int R, int lines, ptrdiff_t kc, const float *src, bp_rows rows,
                                         float *dst) {
    switch (R) {
    case 6: s_pack_strided_lines(6, lines, kc, src, rows, dst); return;
    case 8: s_pack_strided_lines(8, lines, kc, src, rows, dst); return;
    case 16: s_pack_strided_lines(16, lines, kc, src, rows, dst); return;
    default:
        for (ptrdiff_t p = 0; p < kc; p++)
            for (int r = 0; r < R; r++) dst[p * R + r] = r < lines ? src[bp_row_offset(rows, r) + p] : 0.0f;
    }
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

BP_INLINE BP_AVX2 void d_pack_strided_lines(const int R, int lines, ptrdiff_t kc, const double *src, bp_rows rows,
                                            double *dst) {
    const int groups = (R + 3) / 4;
    const double *line[8];
    for (int r = 0; r < groups * 4; r++) line[r] = r < lines && r < R ? src + bp_row_offset(rows, r) : zeros_pd;
    ptrdiff_t p = 0;
    // Eight steps (one cache line of each line) per group of four lines, as for Float.
    for (; p + 8 <= kc; p += 8) {
        __m256d low[2][4], high[2][4];
        for (int g = 0; g < groups; g++) {
            for (int r = 0; r < 4; r++) {
                low[g][r] = _mm256_loadu_pd(line[g * 4 + r] + p);
                high[g][r] = _mm256_loadu_pd(line[g * 4 + r] + p + 4);
            }
            transpose4_pd(low[g]);
            transpose4_pd(high[g]);
        }
        for (int q = 0; q < 4; q++)
            for (int g = 0; g < groups; g++) _mm256_storeu_pd(dst + (p + q) * R + g * 4, low[g][q]);
        for (int q = 0; q < 4; q++)
            for (int g = 0; g < groups; g++) _mm256_storeu_pd(dst + (p + 4 + q) * R + g * 4, high[g][q]);
    }
    for (; p + 4 <= kc; p += 4) {
        __m256d v[2][4];
        for (int g = 0; g < groups; g++) {
            for (int r = 0; r < 4; r++) v[g][r] = _mm256_loadu_pd(line[g * 4 + r] + p);
            transpose4_pd(v[g]);
        }
        for (int q = 0; q < 4; q++)
            for (int g = 0; g < groups; g++) _mm256_storeu_pd(dst + (p + q) * R + g * 4, v[g][q]);
    }
    for (; p < kc; p++)
        for (int r = 0; r < R; r++) dst[p * R + r] = line[r][p];
}

BP_AVX2 static void d_pack_strided_panel(int R, int lines, ptrdiff_t kc, const double *src, bp_rows rows,
                                         double *dst) {
    switch (R) {
    case 4: d_pack_strided_lines(4, lines, kc, src, rows, dst); return;
    case 6: d_pack_strided_lines(6, lines, kc, src, rows, dst); return;
    case 8: d_pack_strided_lines(8, lines, kc, src, rows, dst); return;
    default:
        for (ptrdiff_t p = 0; p < kc; p++)
            for (int r = 0; r < R; r++) dst[p * R + r] = r < lines ? src[bp_row_offset(rows, r) + p] : 0.0;
    }
}

// MARK: - Block packing

// Copies `count` (at most one vector's) elements from s to d (the families use counts 8 and 6 for
// Float, 4 and 2 for Double; other counts take the masked path). Six Floats go as exact 16 + 8 byte loads
// and stores: whole-vector loads and stores that overhang the 6 (the next row's store overwriting the
// excess) made the A2 weight gradient's packing of 6-row panels 1.7 times slower (0.17 against 0.10
// ns per element: half of the 24-byte-strided 32-byte accesses cross a cache line).
BP_INLINE BP_AVX2 void s_copy_lanes(float *d, const float *s, int count) {
    if (count == 8) {
        _mm256_storeu_ps(d, _mm256_loadu_ps(s));
    } else if (count == 6) {
        _mm_storeu_ps(d, _mm_loadu_ps(s));
        _mm_storel_epi64((__m128i *)(d + 4), _mm_loadl_epi64((const __m128i *)(s + 4)));
    } else {
        const __m256i mask = mask8(count);
        _mm256_maskstore_ps(d, mask, _mm256_maskload_ps(s, mask));
    }
}

BP_INLINE BP_AVX2 void d_copy_lanes(double *d, const double *s, int count) {
    if (count == 4) {
        _mm256_storeu_pd(d, _mm256_loadu_pd(s));
    } else if (count == 2) {
        _mm_storeu_pd(d, _mm_loadu_pd(s));
    } else {
        const __m256i mask = mask4(count);
        _mm256_maskstore_pd(d, mask, _mm256_maskload_pd(s, mask));
    }
}

// Both precisions pack whole blocks: panel q (lines q·R ..< q·R + R) goes to dst + q·R·kc, with width R,
// or R/2 for a last panel of at most R/2 lines when `narrow` is set (the kernel's narrow edge tile).
//
// Strided blocks go panel by panel: each line is a contiguous run of kc values. Contiguous blocks go
// row by row across all panels: reading one panel's R values from each of kc rows instead would touch
// kc lines that map to the same L1 set whenever the row stride is a multiple of 4 KiB (3072 or 2048
// Floats), and short runs per row defeat the prefetchers. Loads past the block's lines are masked.
#define DEFINE_BLOCK_PACKING(T, V, L, PREFIX, LOADU, STOREU, MASKLOAD, MASKSTORE, MASK)                      \
    BP_AVX2 static void PREFIX##_pack_strided(int R, int narrow, ptrdiff_t lines, ptrdiff_t kc,              \
                                              const T *src, bp_rows rows, T *dst) {                          \
        for (ptrdiff_t q0 = 0; q0 < lines; q0 += R) {                                                        \
            const int count = (int)(lines - q0 < R ? lines - q0 : R);                                        \
            const int width = narrow && count <= R / 2 ? R / 2 : R;                                          \
            const bp_rows panelRows = {rows.stride, rows.index != NULL ? rows.index + q0 : NULL};            \
            const T *panel = rows.index != NULL ? src : src + q0 * rows.stride;                              \
            PREFIX##_pack_strided_panel(width, count, kc, panel, panelRows, dst + q0 * kc);                  \
        }                                                                                                    \
    }                                                                                                        \
    /* Whole panels (all R lines present), row by row across all of them; R is a constant at each call. */   \
    BP_INLINE BP_AVX2 void PREFIX##_pack_contiguous_rows(const int R, ptrdiff_t panels, ptrdiff_t kc,        \
                                                         const T *src, bp_rows rows, T *dst) {               \
        const int groups = (R + L - 1) / L, tail = R - (groups - 1) * L;                                     \
        for (ptrdiff_t p = 0; p < kc; p++) {                                                                 \
            const T *s = src + bp_row_offset(rows, p);                                                       \
            T *d = dst + p * R;                                                                              \
            for (ptrdiff_t q0 = 0; q0 < panels * R; q0 += R) {                                               \
                for (int g = 0; g + 1 < groups; g++) STOREU(d + q0 * kc + g * L, LOADU(s + q0 + g * L));     \
                PREFIX##_copy_lanes(d + q0 * kc + (groups - 1) * L, s + q0 + (groups - 1) * L, tail);        \
            }                                                                                                \
        }                                                                                                    \
    }                                                                                                        \
    BP_AVX2 static void PREFIX##_pack_contiguous(int R, int narrow, ptrdiff_t lines, ptrdiff_t kc,           \
                                                 const T *src, bp_rows rows, T *dst) {                       \
        const ptrdiff_t full = lines / R;                                                                    \
        if (full > 0) {                                                                                      \
            switch (R) {                                                                                     \
            case AMR: PREFIX##_pack_contiguous_rows(AMR, full, kc, src, rows, dst); break;                   \
            case 2 * L: PREFIX##_pack_contiguous_rows(2 * L, full, kc, src, rows, dst); break;               \
            default: PREFIX##_pack_contiguous_rows(R, full, kc, src, rows, dst); break;                      \
            }                                                                                                \
        }                                                                                                    \
        /* The rest, panel by panel with masked loads. */                                                    \
        for (ptrdiff_t q0 = full * R; q0 < lines; q0 += R) {                                                 \
            const int count = (int)(lines - q0 < R ? lines - q0 : R);                                        \
            const int width = narrow && count <= R / 2 ? R / 2 : R;                                          \
            const int widthGroups = (width + L - 1) / L;                                                     \
            T *d = dst + q0 * kc;                                                                            \
            const T *s = src + q0;                                                                           \
            __m256i loadMask[2], storeMask[2];                                                               \
            int stored[2];                                                                                   \
            for (int g = 0; g < widthGroups; g++) {                                                          \
                const int loaded = count - g * L < 0 ? 0 : (count - g * L > L ? L : count - g * L);          \
                stored[g] = width - g * L > L ? L : width - g * L;                                           \
                loadMask[g] = MASK(loaded);                                                                  \
                storeMask[g] = MASK(stored[g]);                                                              \
            }                                                                                                \
            /* Rows in increasing order, groups inside: overhanging lanes are overwritten later. */          \
            for (ptrdiff_t p = 0; p < kc; p++)                                                               \
                for (int g = 0; g < widthGroups; g++) {                                                      \
                    const V v = MASKLOAD(s + bp_row_offset(rows, p) + g * L, loadMask[g]);                   \
                    if (stored[g] == L || p + 1 < kc) STOREU(d + p * width + g * L, v);                      \
                    else MASKSTORE(d + p * width + g * L, storeMask[g], v);                                  \
                }                                                                                            \
        }                                                                                                    \
    }

DEFINE_BLOCK_PACKING(float, __m256, 8, s, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_maskload_ps,
                     _mm256_maskstore_ps, mask8)
DEFINE_BLOCK_PACKING(double, __m256d, 4, d, _mm256_loadu_pd, _mm256_storeu_pd, _mm256_maskload_pd,
                     _mm256_maskstore_pd, mask4)

// MARK: - Transposition

// c[j*ldc + i] = d[i*ldd + j] (+ beta * c[j*ldc + i]) through register transposes of V×V blocks.
#define DEFINE_TRANSPOSE_ADD(T, V, L, PREFIX, LOADU, STOREU, FMADD, SET1, TRANSPOSE)                         \
    BP_AVX2 static void PREFIX##_transpose_add(ptrdiff_t rows, ptrdiff_t columns, const T *d, ptrdiff_t ldd, \
                                               T beta, T *c, ptrdiff_t ldc) {                                \
        const V vb = SET1(beta);                                                                             \
        ptrdiff_t i0 = 0;                                                                                    \
        for (; i0 + L <= rows; i0 += L) {                                                                    \
            ptrdiff_t j0 = 0;                                                                                \
            for (; j0 + L <= columns; j0 += L) {                                                             \
                V v[L];                                                                                      \
                for (int r = 0; r < L; r++) v[r] = LOADU(d + (i0 + r) * ldd + j0);                           \
                TRANSPOSE(v);                                                                                \
                for (int q = 0; q < L; q++) {                                                                \
                    T *target = c + (j0 + q) * ldc + i0;                                                     \
                    STOREU(target, beta == (T)0 ? v[q] : FMADD(vb, LOADU(target), v[q]));                    \
                }                                                                                            \
            }                                                                                                \
            for (ptrdiff_t j = j0; j < columns; j++)                                                         \
                for (ptrdiff_t i = i0; i < i0 + L; i++)                                                      \
                    c[j * ldc + i] = beta == (T)0 ? d[i * ldd + j] : d[i * ldd + j] + beta * c[j * ldc + i]; \
        }                                                                                                    \
        for (ptrdiff_t i = i0; i < rows; i++)                                                                \
            for (ptrdiff_t j = 0; j < columns; j++)                                                          \
                c[j * ldc + i] = beta == (T)0 ? d[i * ldd + j] : d[i * ldd + j] + beta * c[j * ldc + i];     \
    }

DEFINE_TRANSPOSE_ADD(float, __m256, 8, s, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_fmadd_ps, _mm256_set1_ps,
                     transpose8_ps)
DEFINE_TRANSPOSE_ADD(double, __m256d, 4, d, _mm256_loadu_pd, _mm256_storeu_pd, _mm256_fmadd_pd, _mm256_set1_pd,
                     transpose4_pd)

// MARK: - Micro-kernels

// The tile body, for ROWS (1...6) rows and W (1 or 2) vectors per row, both constants at each call
// site so that the accumulators stay in registers. C is updated in place for full-width tiles, through
// a small buffer for the last, partial column panel.
#define DEFINE_TILE(T, V, L, PREFIX, SETZERO, LOADU, STOREU, BROADCAST, FMADD, MUL, ADD, SET1)               \
    BP_INLINE BP_AVX2 void PREFIX##_tile(ptrdiff_t kc, const T *a, const T *b, T *c, ptrdiff_t ldc,          \
                                         const T *scale, const int ROWS, const int W, int nr,                \
                                         const ptrdiff_t *rowOffset, const ptrdiff_t csa) {                  \
        /* With fewer than eight accumulators the 4-cycle FMA latency, not the two FMA pipes, would  */      \
        /* set the pace: then even and odd steps go to two sets of accumulators, added at the end. */        \
        const int CHAINS = ROWS * W < 8 ? 2 : 1;                                                             \
        V acc[2][AMR][2];                                                                                    \
        for (int h = 0; h < CHAINS; h++)                                                                     \
            for (int i = 0; i < ROWS; i++)                                                                   \
                for (int j = 0; j < W; j++) acc[h][i][j] = SETZERO();                                        \
        for (int i = 0; i < ROWS; i++) _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);               \
        ptrdiff_t p = 0;                                                                                     \
        for (; p + CHAINS <= kc; p += CHAINS) {                                                              \
            for (int h = 0; h < CHAINS; h++) {                                                               \
                const V b0 = LOADU(b + h * W * L);                                                           \
                const V b1 = W == 2 ? LOADU(b + h * W * L + L) : b0;                                         \
                for (int i = 0; i < ROWS; i++) {                                                             \
                    const V ai = BROADCAST(a + h * csa + rowOffset[i]);                                      \
                    acc[h][i][0] = FMADD(ai, b0, acc[h][i][0]);                                              \
                    if (W == 2) acc[h][i][1] = FMADD(ai, b1, acc[h][i][1]);                                  \
                }                                                                                            \
            }                                                                                                \
            a += CHAINS * csa;                                                                               \
            b += CHAINS * W * L;                                                                             \
        }                                                                                                    \
        if (CHAINS == 2) {                                                                                   \
            if (p < kc) {                                                                                    \
                const V b0 = LOADU(b);                                                                       \
                const V b1 = W == 2 ? LOADU(b + L) : b0;                                                     \
                for (int i = 0; i < ROWS; i++) {                                                             \
                    const V ai = BROADCAST(a + rowOffset[i]);                                                \
                    acc[0][i][0] = FMADD(ai, b0, acc[0][i][0]);                                              \
                    if (W == 2) acc[0][i][1] = FMADD(ai, b1, acc[0][i][1]);                                  \
                }                                                                                            \
            }                                                                                                \
            for (int i = 0; i < ROWS; i++)                                                                   \
                for (int j = 0; j < W; j++) acc[0][i][j] = ADD(acc[0][i][j], acc[1][i][j]);                  \
        }                                                                                                    \
        /* alpha and beta are read only now: held in registers through the loop they would push an */        \
        /* accumulator out to the stack. */                                                                  \
        const T alpha = scale[0], beta = scale[1];                                                           \
        const V va = SET1(alpha);                                                                            \
        if (nr == W * L) {                                                                                   \
            const V vb = SET1(beta);                                                                         \
            for (int i = 0; i < ROWS; i++)                                                                   \
                for (int j = 0; j < W; j++) {                                                                \
                    T *cij = c + i * ldc + j * L;                                                            \
                    V r = MUL(acc[0][i][j], va);                                                             \
                    if (beta != (T)0) r = FMADD(LOADU(cij), vb, r);                                          \
                    STOREU(cij, r);                                                                          \
                }                                                                                            \
        } else {                                                                                             \
            for (int i = 0; i < ROWS; i++) {                                                                 \
                T row[2 * L];                                                                                \
                for (int j = 0; j < W; j++) STOREU(row + j * L, MUL(acc[0][i][j], va));                      \
                T *ci = c + i * ldc;                                                                         \
                if (beta == (T)0) {                                                                          \
                    for (int j = 0; j < nr; j++) ci[j] = row[j];                                             \
                } else {                                                                                     \
                    for (int j = 0; j < nr; j++) ci[j] = row[j] + beta * ci[j];                              \
                }                                                                                            \
            }                                                                                                \
        }                                                                                                    \
    }                                                                                                        \
    BP_INLINE BP_AVX2 void PREFIX##_dispatch(ptrdiff_t kc, const T *a, const T *b, T *c, ptrdiff_t ldc,      \
                                             const T *scale, int mr, int nr, const ptrdiff_t *rowOffset,     \
                                             ptrdiff_t csa) {                                                \
        if (nr > L) {                                                                                        \
            switch (mr) {                                                                                    \
            case 1: PREFIX##_tile(kc, a, b, c, ldc, scale, 1, 2, nr, rowOffset, csa); break;                 \
            case 2: PREFIX##_tile(kc, a, b, c, ldc, scale, 2, 2, nr, rowOffset, csa); break;                 \
            case 3: PREFIX##_tile(kc, a, b, c, ldc, scale, 3, 2, nr, rowOffset, csa); break;                 \
            case 4: PREFIX##_tile(kc, a, b, c, ldc, scale, 4, 2, nr, rowOffset, csa); break;                 \
            case 5: PREFIX##_tile(kc, a, b, c, ldc, scale, 5, 2, nr, rowOffset, csa); break;                 \
            default: PREFIX##_tile(kc, a, b, c, ldc, scale, 6, 2, nr, rowOffset, csa); break;                \
            }                                                                                                \
        } else {                                                                                             \
            switch (mr) {                                                                                    \
            case 1: PREFIX##_tile(kc, a, b, c, ldc, scale, 1, 1, nr, rowOffset, csa); break;                 \
            case 2: PREFIX##_tile(kc, a, b, c, ldc, scale, 2, 1, nr, rowOffset, csa); break;                 \
            case 3: PREFIX##_tile(kc, a, b, c, ldc, scale, 3, 1, nr, rowOffset, csa); break;                 \
            case 4: PREFIX##_tile(kc, a, b, c, ldc, scale, 4, 1, nr, rowOffset, csa); break;                 \
            case 5: PREFIX##_tile(kc, a, b, c, ldc, scale, 5, 1, nr, rowOffset, csa); break;                 \
            default: PREFIX##_tile(kc, a, b, c, ldc, scale, 6, 1, nr, rowOffset, csa); break;                \
            }                                                                                                \
        }                                                                                                    \
    }                                                                                                        \
    /* A packed: step p of row i at a[p*MR + i]. */                                                          \
    BP_AVX2 static void PREFIX##_kernel(ptrdiff_t kc, const T *a, const T *b, T *c, ptrdiff_t ldc,           \
                                        const T *scale, int mr, int nr) {                                    \
        static const ptrdiff_t packed[AMR] = {0, 1, 2, 3, 4, 5};                                             \
        PREFIX##_dispatch(kc, a, b, c, ldc, scale, mr, nr, packed, AMR);                                     \
    }                                                                                                        \
    /* A read in place from its rows: step p of row i at a[bp_row_offset(rows, i) + p]. */                   \
    BP_AVX2 static void PREFIX##_kernel_rows(ptrdiff_t kc, const T *a, bp_rows rows, const T *b, T *c,       \
                                             ptrdiff_t ldc, const T *scale, int mr, int nr) {                \
        ptrdiff_t offsets[AMR] = {0};                                                                        \
        for (int i = 0; i < mr && i < AMR; i++) offsets[i] = bp_row_offset(rows, i);                         \
        PREFIX##_dispatch(kc, a, b, c, ldc, scale, mr, nr, offsets, 1);                                      \
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
    .transpose_add = s_transpose_add, .kernel_rows = s_kernel_rows, .dot_columns = bp_s_dot_columns_avx2,
    .edge_columns_packed = bp_s_edge_columns_packed_avx2,
};

const bp_dgemm_family bp_dgemm_avx2 = {
    .mr = AMR, .nr = 8, .mc = 72, .kc = 256, .nc = 4080,
    .kernel = d_kernel, .pack_strided = d_pack_strided, .pack_contiguous = d_pack_contiguous,
    .transpose_add = d_transpose_add, .kernel_rows = d_kernel_rows, .dot_columns = bp_d_dot_columns_avx2,
    .edge_columns_packed = bp_d_edge_columns_packed_avx2,
};

#endif
