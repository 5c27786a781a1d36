#ifndef BACKPROP_KERNELS_H
#define BACKPROP_KERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Row-major general matrix product: C = alpha * op(A) * op(B) + beta * C.
///
/// op(A) is M×K (A is K×M when transA is non-zero), op(B) is K×N (B is N×K when transB is non-zero).
/// lda, ldb and ldc are the row strides, in elements, of A, B and C as stored.
/// When beta is 0, C is overwritten without being read (so NaNs in C do not leak through).
void bp_sgemm(int transA, int transB, ptrdiff_t M, ptrdiff_t N, ptrdiff_t K, float alpha,
              const float *A, ptrdiff_t lda, const float *B, ptrdiff_t ldb, float beta,
              float *C, ptrdiff_t ldc);

/// The Double version of `bp_sgemm`, with the same semantics.
void bp_dgemm(int transA, int transB, ptrdiff_t M, ptrdiff_t N, ptrdiff_t K, double alpha,
              const double *A, ptrdiff_t lda, const double *B, ptrdiff_t ldb, double beta,
              double *C, ptrdiff_t ldc);

#ifdef __cplusplus
}
#endif

#endif
