// The public gemm entry points: the blocked driver instantiated for Float and Double.
#include "gemm_internal.h"

#include <stdlib.h>
#include <string.h>

// m·n·k above which a product is split over two threads: about 1.5 MFLOP·2, where the measured
// two-thread time drops below the one-thread time (docs/performance.md).
#ifndef BP_GEMM_PARALLEL_WORK
#define BP_GEMM_PARALLEL_WORK 1000000.0
#endif

// The pieces a two-thread product is cut into: two per thread, so that a slower or late thread can leave
// one of its pieces to the other.
#ifndef BP_GEMM_CHUNKS
#define BP_GEMM_CHUNKS 4
#endif

static const bp_sgemm_family *sgemm_family(int kernel) {
#ifdef BP_HAVE_AVX2_FAMILY
    if (kernel == BP_GEMM_KERNEL_AVX2) return &bp_sgemm_avx2;
#endif
    (void)kernel;
    return &bp_sgemm_portable;
}

static const bp_dgemm_family *dgemm_family(int kernel) {
#ifdef BP_HAVE_AVX2_FAMILY
    if (kernel == BP_GEMM_KERNEL_AVX2) return &bp_dgemm_avx2;
#endif
    (void)kernel;
    return &bp_dgemm_portable;
}

#define T float
#define FAMILY bp_sgemm_family
#define NAME(x) sgemm_##x
#include "gemm_driver_template.h"
#include "gemm_pieces_template.h"
#undef T
#undef FAMILY
#undef NAME

#define T double
#define FAMILY bp_dgemm_family
#define NAME(x) dgemm_##x
#include "gemm_driver_template.h"
#include "gemm_pieces_template.h"
#undef T
#undef FAMILY
#undef NAME

// Plain operands: rows `ld` elements apart.
#define PLAIN(PREFIX, X, LD) ((PREFIX##_operand){X, bp_strided_rows(LD)})

void bp_sgemm(int transA, int transB, ptrdiff_t M, ptrdiff_t N, ptrdiff_t K, float alpha, const float *A,
              ptrdiff_t lda, const float *B, ptrdiff_t ldb, float beta, float *C, ptrdiff_t ldc) {
    sgemm_using(BP_GEMM_KERNEL_AUTO, 0, transA, transB, M, N, K, alpha, PLAIN(sgemm, A, lda),
                PLAIN(sgemm, B, ldb), beta, C, ldc);
}

void bp_dgemm(int transA, int transB, ptrdiff_t M, ptrdiff_t N, ptrdiff_t K, double alpha,
              const double *A, ptrdiff_t lda, const double *B, ptrdiff_t ldb, double beta, double *C,
              ptrdiff_t ldc) {
    dgemm_using(BP_GEMM_KERNEL_AUTO, 0, transA, transB, M, N, K, alpha, PLAIN(dgemm, A, lda),
                PLAIN(dgemm, B, ldb), beta, C, ldc);
}

void bp_sgemm_using(int kernel, int threads, int transA, int transB, ptrdiff_t M, ptrdiff_t N,
                    ptrdiff_t K, float alpha, const float *A, ptrdiff_t lda, const float *B,
                    ptrdiff_t ldb, float beta, float *C, ptrdiff_t ldc) {
    sgemm_using(kernel, threads, transA, transB, M, N, K, alpha, PLAIN(sgemm, A, lda),
                PLAIN(sgemm, B, ldb), beta, C, ldc);
}

void bp_dgemm_using(int kernel, int threads, int transA, int transB, ptrdiff_t M, ptrdiff_t N,
                    ptrdiff_t K, double alpha, const double *A, ptrdiff_t lda, const double *B,
                    ptrdiff_t ldb, double beta, double *C, ptrdiff_t ldc) {
    dgemm_using(kernel, threads, transA, transB, M, N, K, alpha, PLAIN(dgemm, A, lda),
                PLAIN(dgemm, B, ldb), beta, C, ldc);
}

void bp_sgemm_rows_using(int kernel, int threads, int transA, int transB, ptrdiff_t M, ptrdiff_t N,
                         ptrdiff_t K, float alpha, const float *A, ptrdiff_t lda, const ptrdiff_t *aRows,
                         const float *B, ptrdiff_t ldb, float beta, float *C, ptrdiff_t ldc) {
    sgemm_using(kernel, threads, transA, transB, M, N, K, alpha, (sgemm_operand){A, {lda, aRows}},
                PLAIN(sgemm, B, ldb), beta, C, ldc);
}

void bp_dgemm_rows_using(int kernel, int threads, int transA, int transB, ptrdiff_t M, ptrdiff_t N,
                         ptrdiff_t K, double alpha, const double *A, ptrdiff_t lda, const ptrdiff_t *aRows,
                         const double *B, ptrdiff_t ldb, double beta, double *C, ptrdiff_t ldc) {
    dgemm_using(kernel, threads, transA, transB, M, N, K, alpha, (dgemm_operand){A, {lda, aRows}},
                PLAIN(dgemm, B, ldb), beta, C, ldc);
}
