// The AVX2 + FMA kernel family (x86-64): register tiles of 6×16 Float and 6×8 Double (12 ymm
// accumulators, 2 B vectors, 1 broadcast A value) and the transposition of a product computed as Cᵀ.
// Its packing routines are in gemm_avx2_pack.c, its kernels for narrow right edges in
// gemm_avx2_edge.c.
//
// Every function carries `target("avx2,fma")` (BP_AVX2), so only this code uses AVX2 instructions:
// the package needs no global compiler flag and the binary still starts on CPUs without AVX2, where
// the dispatcher (gemm_dispatch.c) never calls in here.
#include "gemm_internal.h"

#if defined(__x86_64__) || defined(__i386__)

#include "gemm_avx2_common.h"

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
    .kernel = s_kernel, .pack_strided = bp_s_pack_strided_avx2, .pack_contiguous = bp_s_pack_contiguous_avx2,
    .transpose_add = s_transpose_add, .kernel_rows = s_kernel_rows, .dot_columns = bp_s_dot_columns_avx2,
    .edge_columns_packed = bp_s_edge_columns_packed_avx2,
};

const bp_dgemm_family bp_dgemm_avx2 = {
    .mr = AMR, .nr = 8, .mc = 72, .kc = 256, .nc = 4080,
    .kernel = d_kernel, .pack_strided = bp_d_pack_strided_avx2, .pack_contiguous = bp_d_pack_contiguous_avx2,
    .transpose_add = d_transpose_add, .kernel_rows = d_kernel_rows, .dot_columns = bp_d_dot_columns_avx2,
    .edge_columns_packed = bp_d_edge_columns_packed_avx2,
};

#endif
