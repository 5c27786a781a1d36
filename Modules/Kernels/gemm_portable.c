// The portable kernel family: plain C with GCC vector extensions (16-byte vectors), so any compiler
// target gets vector code: SSE2 on baseline x86-64, NEON on arm64. Register tile 4×8 (Float) and
// 4×4 (Double): eight vector accumulators, which fit the 16 registers of SSE2 as well as NEON's 32.
#include "gemm_internal.h"

#include <string.h>

typedef float pf4 __attribute__((vector_size(16)));
typedef double pd2 __attribute__((vector_size(16)));

#define PMR 4

// MARK: - Packing

// Whole blocks, panel q at dst + q·R·kc (see gemm_internal.h); plain loops, which compilers vectorise
// where they can.
#define DEFINE_PACKING(T, PREFIX)                                                                            \
    static void PREFIX##_pack_strided(int R, int narrow, ptrdiff_t lines, ptrdiff_t kc, const T *src,        \
                                      bp_rows rows, T *dst) {                                                \
        for (ptrdiff_t q0 = 0; q0 < lines; q0 += R) {                                                        \
            const int count = (int)(lines - q0 < R ? lines - q0 : R);                                        \
            const int width = narrow && count <= R / 2 ? R / 2 : R;                                          \
            T *d = dst + q0 * kc;                                                                            \
            for (int r = 0; r < width; r++) {                                                                \
                if (r < count) {                                                                             \
                    /* Only lines that exist: an index array ends with them. */                              \
                    const T *s = src + bp_row_offset(rows, q0 + r);                                          \
                    for (ptrdiff_t p = 0; p < kc; p++) d[p * width + r] = s[p];                              \
                } else {                                                                                     \
                    for (ptrdiff_t p = 0; p < kc; p++) d[p * width + r] = 0;                                 \
                }                                                                                            \
            }                                                                                                \
        }                                                                                                    \
    }                                                                                                        \
    static void PREFIX##_pack_contiguous(int R, int narrow, ptrdiff_t lines, ptrdiff_t kc, const T *src,     \
                                         bp_rows rows, T *dst) {                                             \
        for (ptrdiff_t q0 = 0; q0 < lines; q0 += R) {                                                        \
            const int count = (int)(lines - q0 < R ? lines - q0 : R);                                        \
            const int width = narrow && count <= R / 2 ? R / 2 : R;                                          \
            T *d = dst + q0 * kc;                                                                            \
            for (ptrdiff_t p = 0; p < kc; p++) {                                                             \
                const T *s = src + bp_row_offset(rows, p) + q0;                                              \
                int r = 0;                                                                                   \
                for (; r < count; r++) d[p * width + r] = s[r];                                              \
                for (; r < width; r++) d[p * width + r] = 0;                                                 \
            }                                                                                                \
        }                                                                                                    \
    }

DEFINE_PACKING(float, s)
DEFINE_PACKING(double, d)

// MARK: - Micro-kernels

// ROWS (1...4) and W (vectors per row: 1 or 2) are constants at each call site, so the accumulator
// array lives in registers and the loops unroll.
#define DEFINE_TILE(T, V, L, PREFIX)                                                                         \
    static inline __attribute__((always_inline)) void PREFIX##_tile(                                         \
        ptrdiff_t kc, const T *a, const T *b, T *c, ptrdiff_t ldc, const T *scale, const int ROWS,           \
        const int W, int nr) {                                                                               \
        V acc[PMR][2];                                                                                       \
        for (int i = 0; i < ROWS; i++)                                                                       \
            for (int j = 0; j < W; j++) acc[i][j] = (V){0};                                                  \
        for (ptrdiff_t p = 0; p < kc; p++) {                                                                 \
            V bv[2];                                                                                         \
            for (int j = 0; j < W; j++) memcpy(&bv[j], b + j * L, sizeof(V));                                \
            for (int i = 0; i < ROWS; i++) {                                                                 \
                const V ai = (V){0} + a[i];                                                                  \
                for (int j = 0; j < W; j++) acc[i][j] += ai * bv[j];                                         \
            }                                                                                                \
            a += PMR;                                                                                        \
            b += W * L;                                                                                      \
        }                                                                                                    \
        const T alpha = scale[0], beta = scale[1];                                                           \
        if (nr == W * L) {                                                                                   \
            for (int i = 0; i < ROWS; i++)                                                                   \
                for (int j = 0; j < W; j++) {                                                                \
                    V r = acc[i][j] * alpha;                                                                 \
                    T *cij = c + i * ldc + j * L;                                                            \
                    if (beta != (T)0) {                                                                      \
                        V old;                                                                               \
                        memcpy(&old, cij, sizeof(V));                                                        \
                        r += old * beta;                                                                     \
                    }                                                                                        \
                    memcpy(cij, &r, sizeof(V));                                                              \
                }                                                                                            \
        } else {                                                                                             \
            for (int i = 0; i < ROWS; i++) {                                                                 \
                T row[2 * L];                                                                                \
                for (int j = 0; j < W; j++) memcpy(row + j * L, &acc[i][j], sizeof(V));                      \
                T *ci = c + i * ldc;                                                                         \
                for (int j = 0; j < nr; j++)                                                                 \
                    ci[j] = beta == (T)0 ? alpha * row[j] : alpha * row[j] + beta * ci[j];                   \
            }                                                                                                \
        }                                                                                                    \
    }                                                                                                        \
    static void PREFIX##_kernel(ptrdiff_t kc, const T *a, const T *b, T *c, ptrdiff_t ldc,                   \
                                const T *scale, int mr, int nr) {                                            \
        if (nr > L) {                                                                                        \
            switch (mr) {                                                                                    \
            case 1: PREFIX##_tile(kc, a, b, c, ldc, scale, 1, 2, nr); break;                                 \
            case 2: PREFIX##_tile(kc, a, b, c, ldc, scale, 2, 2, nr); break;                                 \
            case 3: PREFIX##_tile(kc, a, b, c, ldc, scale, 3, 2, nr); break;                                 \
            default: PREFIX##_tile(kc, a, b, c, ldc, scale, 4, 2, nr); break;                                \
            }                                                                                                \
        } else {                                                                                             \
            switch (mr) {                                                                                    \
            case 1: PREFIX##_tile(kc, a, b, c, ldc, scale, 1, 1, nr); break;                                 \
            case 2: PREFIX##_tile(kc, a, b, c, ldc, scale, 2, 1, nr); break;                                 \
            case 3: PREFIX##_tile(kc, a, b, c, ldc, scale, 3, 1, nr); break;                                 \
            default: PREFIX##_tile(kc, a, b, c, ldc, scale, 4, 1, nr); break;                                \
            }                                                                                                \
        }                                                                                                    \
    }

DEFINE_TILE(float, pf4, 4, s)
DEFINE_TILE(double, pd2, 2, d)

// MARK: - Transposition

#define DEFINE_TRANSPOSE(T, PREFIX)                                                                          \
    static void PREFIX##_transpose_add(ptrdiff_t rows, ptrdiff_t columns, const T *d, ptrdiff_t ldd, T beta, \
                                       T *c, ptrdiff_t ldc) {                                                \
        /* 8×8 blocks keep both sides' lines in cache. */                                                    \
        for (ptrdiff_t i0 = 0; i0 < rows; i0 += 8)                                                           \
            for (ptrdiff_t j0 = 0; j0 < columns; j0 += 8)                                                    \
                for (ptrdiff_t j = j0; j < columns && j < j0 + 8; j++)                                       \
                    for (ptrdiff_t i = i0; i < rows && i < i0 + 8; i++)                                      \
                        c[j * ldc + i] = beta == (T)0 ? d[i * ldd + j] : d[i * ldd + j] + beta * c[j * ldc + i]; \
    }

DEFINE_TRANSPOSE(float, s)
DEFINE_TRANSPOSE(double, d)

// Blocks: A block mc×kc about 128 KiB (L2), B micro-panel kc×nr 8 KiB (L1).
const bp_sgemm_family bp_sgemm_portable = {
    .mr = PMR, .nr = 8, .mc = 128, .kc = 256, .nc = 4096,
    .kernel = s_kernel, .pack_strided = s_pack_strided, .pack_contiguous = s_pack_contiguous,
    .transpose_add = s_transpose_add,
};

const bp_dgemm_family bp_dgemm_portable = {
    .mr = PMR, .nr = 4, .mc = 128, .kc = 128, .nc = 4096,
    .kernel = d_kernel, .pack_strided = d_pack_strided, .pack_contiguous = d_pack_contiguous,
    .transpose_add = d_transpose_add,
};
