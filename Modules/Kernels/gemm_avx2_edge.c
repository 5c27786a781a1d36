// The right edge of a product whose width leaves a few columns past the last full register tile (the
// A2 forward product and weight gradient: 50 = 3 × 16 + 2). A register tile there would spend whole
// vector FMAs on those few columns (a 16-wide tile for 2 columns costs 22% of the 100×50×3072
// product). Instead, every lane works: when A is stored by rows (NN, NT), dot products along the inner
// dimension, reading A in place; when A is packed (TN, TT: the weight gradient xᵀ·g), vectors along
// the 6 rows of each packed panel. The edge columns of op(B) are packed contiguously.
#include "gemm_internal.h"

#if defined(__x86_64__) || defined(__i386__)

#include "gemm_avx2_common.h"

BP_INLINE BP_AVX2 float hsum_ps(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

BP_INLINE BP_AVX2 double hsum_pd(__m256d v) {
    __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    s = _mm_add_sd(s, _mm_unpackhi_pd(s, s));
    return _mm_cvtsd_f64(s);
}

// R rows of A (R ≤ 6, from row `first`) against two columns b0 and b1 (the same column twice when only
// one is left): 2R vector accumulators, 2 + R loads per 2R FMAs. Lanes are summed in a fixed order, then the
// scalar tail of k, so the result depends only on the shape, never on the thread.
#define DEFINE_DOT_ROWS(T, V, L, PREFIX, LOADU, FMADD, ZERO, HSUM)                                          \
    BP_INLINE BP_AVX2 void PREFIX##_dot_rows(const int R, ptrdiff_t K, const T *a, bp_rows rows,            \
                                             ptrdiff_t first, const T *b0, const T *b1, int both, T *c,     \
                                             ptrdiff_t ldc, T alpha, T beta) {                              \
        V acc0[6], acc1[6];                                                                                 \
        const T *row[6];                                                                                    \
        for (int q = 0; q < R; q++) {                                                                       \
            acc0[q] = acc1[q] = ZERO();                                                                     \
            row[q] = a + bp_row_offset(rows, first + q);                                                    \
        }                                                                                                   \
        ptrdiff_t k = 0;                                                                                    \
        for (; k + L <= K; k += L) {                                                                        \
            const V v0 = LOADU(b0 + k), v1 = LOADU(b1 + k);                                                 \
            for (int q = 0; q < R; q++) {                                                                   \
                const V x = LOADU(row[q] + k);                                                              \
                acc0[q] = FMADD(x, v0, acc0[q]);                                                            \
                acc1[q] = FMADD(x, v1, acc1[q]);                                                            \
            }                                                                                               \
        }                                                                                                   \
        for (int q = 0; q < R; q++) {                                                                       \
            T s0 = HSUM(acc0[q]), s1 = HSUM(acc1[q]);                                                       \
            for (ptrdiff_t p = k; p < K; p++) {                                                             \
                s0 += row[q][p] * b0[p];                                                                    \
                s1 += row[q][p] * b1[p];                                                                    \
            }                                                                                               \
            T *target = c + q * ldc;                                                                        \
            target[0] = beta == (T)0 ? alpha * s0 : alpha * s0 + beta * target[0];                          \
            if (both) target[1] = beta == (T)0 ? alpha * s1 : alpha * s1 + beta * target[1];                \
        }                                                                                                   \
    }                                                                                                       \
                                                                                                            \
    BP_AVX2 void bp_##PREFIX##_dot_columns_avx2(ptrdiff_t M, ptrdiff_t K, const T *a, bp_rows rows,         \
                                                const T *b, int columns, T *c, ptrdiff_t ldc,               \
                                                const T *scale) {                                           \
        for (int j = 0; j < columns; j += 2) {                                                              \
            const int both = columns - j >= 2;                                                              \
            const T *b0 = b + j * K, *b1 = both ? b0 + K : b0;                                              \
            ptrdiff_t i = 0;                                                                                \
            for (; i + 6 <= M; i += 6)                                                                      \
                PREFIX##_dot_rows(6, K, a, rows, i, b0, b1, both, c + i * ldc + j, ldc, scale[0],           \
                                  scale[1]);                                                                \
            /* The last rows together (each row's sums are its own, whatever R): one row at a time */       \
            /* had two accumulator chains, paced by the FMA latency. */                                      \
            T *last = c + i * ldc + j;                                                                      \
            switch (M - i) {                                                                                \
            case 1: PREFIX##_dot_rows(1, K, a, rows, i, b0, b1, both, last, ldc, scale[0], scale[1]); break; \
            case 2: PREFIX##_dot_rows(2, K, a, rows, i, b0, b1, both, last, ldc, scale[0], scale[1]); break; \
            case 3: PREFIX##_dot_rows(3, K, a, rows, i, b0, b1, both, last, ldc, scale[0], scale[1]); break; \
            case 4: PREFIX##_dot_rows(4, K, a, rows, i, b0, b1, both, last, ldc, scale[0], scale[1]); break; \
            case 5: PREFIX##_dot_rows(5, K, a, rows, i, b0, b1, both, last, ldc, scale[0], scale[1]); break; \
            default: break;                                                                                 \
            }                                                                                               \
        }                                                                                                   \
    }

DEFINE_DOT_ROWS(float, __m256, 8, s, _mm256_loadu_ps, _mm256_fmadd_ps, _mm256_setzero_ps, hsum_ps)
DEFINE_DOT_ROWS(double, __m256d, 4, d, _mm256_loadu_pd, _mm256_fmadd_pd, _mm256_setzero_pd, hsum_pd)

// With A packed (MR = 6 rows per panel, `kc` steps of 6 values each): one vector of a panel's 6 rows
// per step (2 for Double) against each edge column. Even and odd steps go to separate accumulators
// (added at the end), so that the FMA latency does not set the pace; the column count is a constant
// in each instance, so the accumulators stay in registers. A load may read up to 2 values past a
// panel, which the packing buffers' slack allows; those lanes are never stored.
//
// Two columns (the A2 weight gradient's edge) take two panels at a time when kc is even (an odd kc
// goes panel by panel, with the same results): one panel gives only four accumulator chains, each
// advanced once per two steps, so the 4-cycle FMA latency set the pace (about 2 cycles per step); two
// panels give eight, and the broadcasts of b serve both. Each sum is formed exactly as for one panel
// (even and odd steps apart, then added, then times alpha), so the result does not depend on how the
// panels were grouped. The edge of the one-core weight gradient 3072×50×100: 27.4 → 20.5 µs; see
// docs/performance.md.
#define DEFINE_EDGE_PACKED(T, V, L, PREFIX, LOADU, FMADD, ADD, MUL, ZERO, SET1, STOREU)                     \
    BP_INLINE BP_AVX2 void PREFIX##_edge_panel(const int COLUMNS, ptrdiff_t kc, const T *panel, const T *b, \
                                               ptrdiff_t rows, T *c, ptrdiff_t ldc, T alpha, T beta) {      \
        enum { VECTORS = (6 + L - 1) / L };                                                                 \
        V even[4][VECTORS], odd[4][VECTORS];                                                                \
        for (int j = 0; j < COLUMNS; j++)                                                                   \
            for (int v = 0; v < VECTORS; v++) even[j][v] = odd[j][v] = ZERO();                              \
        ptrdiff_t p = 0;                                                                                    \
        for (; p + 2 <= kc; p += 2) {                                                                       \
            for (int v = 0; v < VECTORS; v++) {                                                             \
                const V x0 = LOADU(panel + p * 6 + v * L), x1 = LOADU(panel + (p + 1) * 6 + v * L);         \
                for (int j = 0; j < COLUMNS; j++) {                                                         \
                    even[j][v] = FMADD(x0, SET1(b[j * kc + p]), even[j][v]);                                \
                    odd[j][v] = FMADD(x1, SET1(b[j * kc + p + 1]), odd[j][v]);                              \
                }                                                                                           \
            }                                                                                               \
        }                                                                                                   \
        if (p < kc)                                                                                         \
            for (int v = 0; v < VECTORS; v++) {                                                             \
                const V x0 = LOADU(panel + p * 6 + v * L);                                                  \
                for (int j = 0; j < COLUMNS; j++) even[j][v] = FMADD(x0, SET1(b[j * kc + p]), even[j][v]);  \
            }                                                                                               \
        for (int j = 0; j < COLUMNS; j++) {                                                                 \
            T lanes[VECTORS * L];                                                                           \
            for (int v = 0; v < VECTORS; v++) STOREU(lanes + v * L, ADD(even[j][v], odd[j][v]));            \
            for (ptrdiff_t r = 0; r < rows; r++) {                                                          \
                T *target = c + r * ldc + j;                                                                \
                *target = beta == (T)0 ? alpha * lanes[r] : alpha * lanes[r] + beta * *target;              \
            }                                                                                               \
        }                                                                                                   \
    }                                                                                                       \
                                                                                                            \
    /* Two full panels (12 rows) against two columns, kc even: eight chains, vector by vector. */           \
    BP_INLINE BP_AVX2 void PREFIX##_edge_panel_pair(ptrdiff_t kc, const T *panel, const T *b, T *c,         \
                                                    ptrdiff_t ldc, T alpha, T beta) {                        \
        enum { VECTORS = (6 + L - 1) / L };                                                                 \
        const T *second = panel + 6 * kc, *b1 = b + kc;                                                     \
        for (int v = 0; v < VECTORS; v++) {                                                                 \
            /* e: even steps, o: odd; then the panel (0 or 1) and the column (0 or 1). */                   \
            V e00 = ZERO(), e01 = ZERO(), e10 = ZERO(), e11 = ZERO();                                       \
            V o00 = ZERO(), o01 = ZERO(), o10 = ZERO(), o11 = ZERO();                                       \
            for (ptrdiff_t p = 0; p < kc; p += 2) {                                                         \
                const V c0 = SET1(b[p]), c1 = SET1(b1[p]);                                                  \
                const V x = LOADU(panel + p * 6 + v * L), y = LOADU(second + p * 6 + v * L);                \
                e00 = FMADD(x, c0, e00);                                                                    \
                e01 = FMADD(x, c1, e01);                                                                    \
                e10 = FMADD(y, c0, e10);                                                                    \
                e11 = FMADD(y, c1, e11);                                                                    \
                const V d0 = SET1(b[p + 1]), d1 = SET1(b1[p + 1]);                                          \
                const V x1 = LOADU(panel + (p + 1) * 6 + v * L), y1 = LOADU(second + (p + 1) * 6 + v * L);  \
                o00 = FMADD(x1, d0, o00);                                                                   \
                o01 = FMADD(x1, d1, o01);                                                                   \
                o10 = FMADD(y1, d0, o10);                                                                   \
                o11 = FMADD(y1, d1, o11);                                                                   \
            }                                                                                               \
            const V sums[2][2] = {{ADD(e00, o00), ADD(e01, o01)}, {ADD(e10, o10), ADD(e11, o11)}};          \
            const V va = SET1(alpha);                                                                       \
            const int rows = 6 - v * L < L ? 6 - v * L : L;                                                 \
            for (int q = 0; q < 2; q++) {                                                                   \
                T *panelC = c + (q * 6 + v * L) * ldc;                                                      \
                if (beta == (T)0 &&                                                                         \
                    PREFIX##_store_pairs6(panelC, ldc, MUL(sums[q][0], va), MUL(sums[q][1], va), rows))     \
                    continue;                                                                               \
                for (int j = 0; j < 2; j++) {                                                               \
                    T lanes[L];                                                                             \
                    STOREU(lanes, sums[q][j]);                                                              \
                    for (int r = 0; r < rows; r++) {                                                        \
                        T *target = panelC + r * ldc + j;                                                   \
                        *target = beta == (T)0 ? alpha * lanes[r] : alpha * lanes[r] + beta * *target;      \
                    }                                                                                       \
                }                                                                                           \
            }                                                                                               \
        }                                                                                                   \
    }                                                                                                       \
                                                                                                            \
    BP_AVX2 void bp_##PREFIX##_edge_columns_packed_avx2(ptrdiff_t M, ptrdiff_t kc, const T *a, const T *b,  \
                                                        int columns, T *c, ptrdiff_t ldc, const T *scale) { \
        ptrdiff_t i0 = 0;                                                                                   \
        if (columns == 2 && kc % 2 == 0)                                                                    \
            for (; i0 + 12 <= M; i0 += 12)                                                                  \
                PREFIX##_edge_panel_pair(kc, a + i0 * kc, b, c + i0 * ldc, ldc, scale[0], scale[1]);        \
        for (; i0 < M; i0 += 6) {                                                                           \
            const ptrdiff_t rows = M - i0 < 6 ? M - i0 : 6;                                                 \
            const T *panel = a + i0 * kc;                                                                   \
            T *target = c + i0 * ldc;                                                                       \
            switch (columns) {                                                                              \
            case 1: PREFIX##_edge_panel(1, kc, panel, b, rows, target, ldc, scale[0], scale[1]); break;     \
            case 2: PREFIX##_edge_panel(2, kc, panel, b, rows, target, ldc, scale[0], scale[1]); break;     \
            case 3: PREFIX##_edge_panel(3, kc, panel, b, rows, target, ldc, scale[0], scale[1]); break;     \
            default: PREFIX##_edge_panel(4, kc, panel, b, rows, target, ldc, scale[0], scale[1]); break;    \
            }                                                                                               \
        }                                                                                                   \
    }

// Stores alpha·Σ of a 6-row panel's two edge columns (the lanes of column0 and column1, `rows` of them)
// as the pairs c[r·ldc], c[r·ldc + 1] through a few shuffles, where storing the vectors and reloading
// single lanes waited on store forwarding. Returns 0 where it does not apply (then the caller stores
// lane by lane): the same values either way.
BP_INLINE BP_AVX2 int s_store_pairs6(float *c, ptrdiff_t ldc, __m256 column0, __m256 column1, int rows) {
    if (rows != 6) return 0;
    const __m256 low = _mm256_unpacklo_ps(column0, column1), high = _mm256_unpackhi_ps(column0, column1);
    const __m128 rows01 = _mm256_castps256_ps128(low), rows45 = _mm256_extractf128_ps(low, 1);
    const __m128 rows23 = _mm256_castps256_ps128(high);
    _mm_storel_pi((__m64 *)c, rows01);
    _mm_storeh_pi((__m64 *)(c + ldc), rows01);
    _mm_storel_pi((__m64 *)(c + 2 * ldc), rows23);
    _mm_storeh_pi((__m64 *)(c + 3 * ldc), rows23);
    _mm_storel_pi((__m64 *)(c + 4 * ldc), rows45);
    _mm_storeh_pi((__m64 *)(c + 5 * ldc), rows45);
    return 1;
}

// Double panels span two vectors (4 + 2 rows): stored lane by lane.
BP_INLINE BP_AVX2 int d_store_pairs6(double *c, ptrdiff_t ldc, __m256d column0, __m256d column1, int rows) {
    (void)c, (void)ldc, (void)column0, (void)column1, (void)rows;
    return 0;
}

DEFINE_EDGE_PACKED(float, __m256, 8, s, _mm256_loadu_ps, _mm256_fmadd_ps, _mm256_add_ps, _mm256_mul_ps,
                   _mm256_setzero_ps, _mm256_set1_ps, _mm256_storeu_ps)
DEFINE_EDGE_PACKED(double, __m256d, 4, d, _mm256_loadu_pd, _mm256_fmadd_pd, _mm256_add_pd, _mm256_mul_pd,
                   _mm256_setzero_pd, _mm256_set1_pd, _mm256_storeu_pd)

#endif
