// Internal interface between the gemm driver (blocking, packing order, threads) and the kernel families
// (micro-kernels and packing routines). Not part of the public header.
#ifndef BACKPROP_GEMM_INTERNAL_H
#define BACKPROP_GEMM_INTERNAL_H

#include "BackpropKernels.h"

// A kernel family's micro-kernel computes one tile of C from a packed micro-panel of A (kc steps of MR
// values) and one of B (kc steps of w values, w = NR, or NR/2 when nr <= NR/2 — the narrow edge tile):
//     C[0..<mr, 0..<nr] = alpha * Σp a[p][i] * b[p][j] + beta * C      (beta == 0: C is not read)
// reading alpha and beta from scale[0] and scale[1].
// The packing routines fill a block of such micro-panels from `lines` lines of a matrix: panel q holds
// lines q·R ..< q·R + R at dst + q·R·kc, as dst[p*w + r] (w = R, or R/2 for a last panel of at most R/2
// lines when `narrow` is set), lines past the end padded with zeros. With o(x) = bp_row_offset(rows, x):
//     strided:    the line r, step p value is src[o(r) + p]   (lines are rows of the stored matrix)
//     contiguous: the line r, step p value is src[o(p) + r]   (lines are columns of it)
// Packing may write up to BP_PACK_SLACK elements past the block's end (overlapping vector stores, in
// increasing address order), so buffers keep that much room after the last panel.
#define BP_PACK_SLACK 64

// Where the rows of a stored matrix start, in elements from its first element: row r at r·stride, or
// at index[r]·stride when `index` is set (a mini-batch's rows picked out of a training set, read in
// place instead of gathered first).
typedef struct {
    ptrdiff_t stride;
    const ptrdiff_t *index;
} bp_rows;

static inline ptrdiff_t bp_row_offset(bp_rows rows, ptrdiff_t r) {
    return (rows.index != NULL ? rows.index[r] : r) * rows.stride;
}

// Plain rows, `stride` elements apart.
static inline bp_rows bp_strided_rows(ptrdiff_t stride) { return (bp_rows){stride, NULL}; }

// Below this many elements an update pass (axpy, the decay step, the momentum step) stays on the calling
// thread (the hand-off costs a few µs).
#define BP_UPDATE_PARALLEL_COUNT 65536

// Whether an update pass of `count` elements is split over the two threads.
int bp_update_splits(ptrdiff_t count);

// The length of the first half of a split update pass over elements of `size` bytes: a multiple of 64
// bytes from the start, so that for 64-byte aligned arrays the two threads never write the same cache
// line (for others they share at most one). Each element is computed the same way on either thread.
static inline ptrdiff_t bp_update_split(ptrdiff_t count, size_t size) {
    const ptrdiff_t perLine = 64 / (ptrdiff_t)size;
    return count / 2 / perLine * perLine;
}

typedef void (*bp_skernel_fn)(ptrdiff_t kc, const float *a, const float *b, float *c, ptrdiff_t ldc,
                              const float *scale, int mr, int nr);
typedef void (*bp_spack_fn)(int R, int narrow, ptrdiff_t lines, ptrdiff_t kc, const float *src, bp_rows rows,
                            float *dst);
typedef void (*bp_stranspose_fn)(ptrdiff_t rows, ptrdiff_t columns, const float *d, ptrdiff_t ldd, float beta,
                                 float *c, ptrdiff_t ldc);
typedef void (*bp_dkernel_fn)(ptrdiff_t kc, const double *a, const double *b, double *c, ptrdiff_t ldc,
                              const double *scale, int mr, int nr);
typedef void (*bp_dpack_fn)(int R, int narrow, ptrdiff_t lines, ptrdiff_t kc, const double *src, bp_rows rows,
                            double *dst);
typedef void (*bp_dtranspose_fn)(ptrdiff_t rows, ptrdiff_t columns, const double *d, ptrdiff_t ldd, double beta,
                                 double *c, ptrdiff_t ldc);

// transpose_add writes c[j*ldc + i] = d[i*ldd + j] + beta * c[j*ldc + i] for i < rows, j < columns
// (c not read when beta is 0): the last step of a product computed as Cᵀ.

// A kernel family for one precision: register tile, cache blocks and routines.
// mc is a multiple of mr, nc of nr; kc is the largest inner block (the driver balances the blocks).
typedef struct {
    int mr, nr, mc, kc, nc;
    bp_skernel_fn kernel;
    bp_spack_fn pack_strided, pack_contiguous;
    bp_stranspose_fn transpose_add;
    // The micro-kernel reading A in place from its rows (a[bp_row_offset(rows, i) + p]), or NULL.
    void (*kernel_rows)(ptrdiff_t kc, const float *a, bp_rows rows, const float *b, float *c, ptrdiff_t ldc,
                        const float *scale, int mr, int nr);
    // Dot products for a narrow right edge, or NULL: c[i*ldc + j] = alpha·Σp a[o(i) + p]·b[j*K + p]
    // + beta·c (beta 0: not read) for i < M, j < columns, with o(i) = bp_row_offset(rows, i) and the
    // edge columns of op(B) packed one after the other in b.
    void (*dot_columns)(ptrdiff_t M, ptrdiff_t K, const float *a, bp_rows rows, const float *b, int columns,
                        float *c, ptrdiff_t ldc, const float *scale);
    // The same from a packed block of A (M rows in panels of mr = 6, kc steps), or NULL.
    void (*edge_columns_packed)(ptrdiff_t M, ptrdiff_t kc, const float *a, const float *b, int columns, float *c,
                                ptrdiff_t ldc, const float *scale);
} bp_sgemm_family;

typedef struct {
    int mr, nr, mc, kc, nc;
    bp_dkernel_fn kernel;
    bp_dpack_fn pack_strided, pack_contiguous;
    bp_dtranspose_fn transpose_add;
    void (*kernel_rows)(ptrdiff_t kc, const double *a, bp_rows rows, const double *b, double *c, ptrdiff_t ldc,
                        const double *scale, int mr, int nr);
    void (*dot_columns)(ptrdiff_t M, ptrdiff_t K, const double *a, bp_rows rows, const double *b, int columns,
                        double *c, ptrdiff_t ldc, const double *scale);
    void (*edge_columns_packed)(ptrdiff_t M, ptrdiff_t kc, const double *a, const double *b, int columns,
                                double *c, ptrdiff_t ldc, const double *scale);
} bp_dgemm_family;

extern const bp_sgemm_family bp_sgemm_portable;
extern const bp_dgemm_family bp_dgemm_portable;
#if defined(__x86_64__) || defined(__i386__)
#define BP_HAVE_AVX2_FAMILY 1
extern const bp_sgemm_family bp_sgemm_avx2;
extern const bp_dgemm_family bp_dgemm_avx2;
void bp_s_pack_strided_avx2(int R, int narrow, ptrdiff_t lines, ptrdiff_t kc, const float *src, bp_rows rows,
                            float *dst);
void bp_s_pack_contiguous_avx2(int R, int narrow, ptrdiff_t lines, ptrdiff_t kc, const float *src, bp_rows rows,
                               float *dst);
void bp_d_pack_strided_avx2(int R, int narrow, ptrdiff_t lines, ptrdiff_t kc, const double *src, bp_rows rows,
                            double *dst);
void bp_d_pack_contiguous_avx2(int R, int narrow, ptrdiff_t lines, ptrdiff_t kc, const double *src, bp_rows rows,
                               double *dst);
void bp_s_dot_columns_avx2(ptrdiff_t M, ptrdiff_t K, const float *a, bp_rows rows, const float *b, int columns,
                           float *c, ptrdiff_t ldc, const float *scale);
void bp_d_dot_columns_avx2(ptrdiff_t M, ptrdiff_t K, const double *a, bp_rows rows, const double *b, int columns,
                           double *c, ptrdiff_t ldc, const double *scale);
void bp_s_edge_columns_packed_avx2(ptrdiff_t M, ptrdiff_t kc, const float *a, const float *b, int columns, float *c,
                                   ptrdiff_t ldc, const float *scale);
void bp_d_edge_columns_packed_avx2(ptrdiff_t M, ptrdiff_t kc, const double *a, const double *b, int columns,
                                   double *c, ptrdiff_t ldc, const double *scale);
#endif

// The kernel family to use for a call: `requested` (AUTO means the process-wide choice), or PORTABLE
// when the CPU cannot run it.
int bp_gemm_resolve_kernel(int requested);

// The thread cap for a call: `requested`, or when it is 0 the calling thread's cap (see
// bp_gemm_set_thread_threads), or the process-wide one.
int bp_gemm_resolve_threads(int requested);

// Grows `*buffer` (64-byte aligned, `*capacity` bytes) to at least `bytes`, contents not kept: 0, or -1
// when memory runs out (the buffer is then left as it was).
int bp_gemm_grow(void **buffer, size_t *capacity, size_t bytes);

// Two 64-byte aligned scratch buffers owned by the calling thread, grown to at least the given sizes
// and kept for the thread's next calls (freed when the thread exits). Returns 0, or -1 when memory
// runs out (then the caller must not use them).
int bp_gemm_scratch(size_t bytes_a, size_t bytes_b, void **a, void **b);

// A 64-byte aligned scratch matrix owned by the calling thread, for products computed as Cᵀ or in two
// halves of the inner dimension; grown and kept like the packing buffers. Returns 0, or -1 when memory
// runs out.
int bp_gemm_scratch_result(size_t bytes, void **c);

// Runs job(context, c) for every chunk c in 0 ..< chunks, on the calling thread and the helper thread
// (more than 65,535 chunks: on the calling thread alone): the caller claims chunks from the front, the
// helper from the back, so a slow or late helper takes fewer. All on the calling thread when another
// caller is using the helper. Returns when every chunk has finished. The chunks must not depend on
// which thread runs them.
void bp_gemm_run_chunks(void (*job)(void *, int), void *context, int chunks);

// Runs job(arg0) and job(arg1) as the two chunks of bp_gemm_run_chunks (the caller starts with arg0).
void bp_gemm_run_pair(void (*job)(void *), void *arg0, void *arg1);

#endif
