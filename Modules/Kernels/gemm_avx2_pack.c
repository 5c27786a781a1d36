// Packing for the AVX2 + FMA kernel family: panels of A and B through in-register transposes (lines
// that are rows of the stored matrix) or row-by-row copies (lines that are its columns), in the
// layouts gemm_internal.h describes.
#include "gemm_internal.h"

#if defined(__x86_64__) || defined(__i386__)

#include "gemm_avx2_common.h"

// MARK: - Float packing

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

// Six-value Float panels (the micro-kernel's MR) four rows at a time: each panel gets the 96 contiguous
// bytes of rows p ..< p + 4 as three 32-byte stores, assembled from four 32-byte loads by permutes and
// blends, instead of a 16 + 8 byte copy per row. Packing xᵀ for the A2 weight gradient (3072 × 100):
// 39.5 → 27.8 µs on one core. The last panel's loads would read 2 values past its 6 (perhaps past
// the end of the matrix), so it is copied row by row, as are the rows left over.
BP_INLINE BP_AVX2 void s_pack_contiguous_rows6(ptrdiff_t panels, ptrdiff_t kc, const float *src, bp_rows rows,
                                               float *dst) {
    const __m256i bLow = _mm256_setr_epi32(0, 0, 0, 0, 0, 0, 0, 1);
    const __m256i bHigh = _mm256_setr_epi32(2, 3, 4, 5, 0, 0, 0, 0), cLow = _mm256_setr_epi32(0, 0, 0, 0, 0, 1, 2, 3);
    const __m256i cHigh = _mm256_setr_epi32(4, 5, 0, 0, 0, 0, 0, 0), dAll = _mm256_setr_epi32(0, 0, 0, 1, 2, 3, 4, 5);
    ptrdiff_t p = 0;
    for (; p + 4 <= kc; p += 4) {
        const float *s0 = src + bp_row_offset(rows, p), *s1 = src + bp_row_offset(rows, p + 1);
        const float *s2 = src + bp_row_offset(rows, p + 2), *s3 = src + bp_row_offset(rows, p + 3);
        float *d = dst + p * 6;
        for (ptrdiff_t q = 0; q + 1 < panels; q++) {
            const __m256 a = _mm256_loadu_ps(s0 + q * 6), b = _mm256_loadu_ps(s1 + q * 6);
            const __m256 c = _mm256_loadu_ps(s2 + q * 6), e = _mm256_loadu_ps(s3 + q * 6);
            float *t = d + q * 6 * kc;
            _mm256_storeu_ps(t, _mm256_blend_ps(a, _mm256_permutevar8x32_ps(b, bLow), 0xC0));
            _mm256_storeu_ps(t + 8, _mm256_blend_ps(_mm256_permutevar8x32_ps(b, bHigh),
                                                    _mm256_permutevar8x32_ps(c, cLow), 0xF0));
            _mm256_storeu_ps(t + 16, _mm256_blend_ps(_mm256_permutevar8x32_ps(c, cHigh),
                                                     _mm256_permutevar8x32_ps(e, dAll), 0xFC));
        }
        if (panels > 0) {
            const ptrdiff_t q0 = (panels - 1) * 6;
            s_copy_lanes(d + q0 * kc, s0 + q0, 6);
            s_copy_lanes(d + q0 * kc + 6, s1 + q0, 6);
            s_copy_lanes(d + q0 * kc + 12, s2 + q0, 6);
            s_copy_lanes(d + q0 * kc + 18, s3 + q0, 6);
        }
    }
    for (; p < kc; p++) {
        const float *s = src + bp_row_offset(rows, p);
        for (ptrdiff_t q0 = 0; q0 < panels * 6; q0 += 6) s_copy_lanes(dst + q0 * kc + p * 6, s + q0, 6);
    }
}

// Double panels keep the row-by-row copy.
BP_INLINE BP_AVX2 void d_pack_contiguous_rows6(ptrdiff_t panels, ptrdiff_t kc, const double *src, bp_rows rows,
                                               double *dst);

// Both precisions pack whole blocks: panel q (lines q·R ..< q·R + R) goes to dst + q·R·kc, with width R,
// or R/2 for a last panel of at most R/2 lines when `narrow` is set (the kernel's narrow edge tile).
//
// Strided blocks go panel by panel: each line is a contiguous run of kc values. Contiguous blocks go
// row by row across all panels: reading one panel's R values from each of kc rows instead would touch
// kc lines that map to the same L1 set whenever the row stride is a multiple of 4 KiB (3072 or 2048
// Floats), and short runs per row defeat the prefetchers. Loads past the block's lines are masked.
#define DEFINE_BLOCK_PACKING(T, V, L, PREFIX, LOADU, STOREU, MASKLOAD, MASKSTORE, MASK)                      \
    BP_AVX2 void bp_##PREFIX##_pack_strided_avx2(int R, int narrow, ptrdiff_t lines, ptrdiff_t kc,              \
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
    BP_AVX2 void bp_##PREFIX##_pack_contiguous_avx2(int R, int narrow, ptrdiff_t lines, ptrdiff_t kc,           \
                                                 const T *src, bp_rows rows, T *dst) {                       \
        const ptrdiff_t full = lines / R;                                                                    \
        if (full > 0) {                                                                                      \
            switch (R) {                                                                                     \
            case AMR: PREFIX##_pack_contiguous_rows6(full, kc, src, rows, dst); break;                       \
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

BP_INLINE BP_AVX2 void d_pack_contiguous_rows6(ptrdiff_t panels, ptrdiff_t kc, const double *src, bp_rows rows,
                                               double *dst) {
    d_pack_contiguous_rows(AMR, panels, kc, src, rows, dst);
}

#endif
