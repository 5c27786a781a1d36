// A straightforward, correct matrix product used until the packed kernels land, and afterwards as the
// portable fallback. The loop order (i, p, j) streams rows of B and C, which vectorises well.
#include "BackpropKernels.h"

#define DEFINE_GEMM(NAME, T)                                                                              \
    void NAME(int transA, int transB, ptrdiff_t M, ptrdiff_t N, ptrdiff_t K, T alpha, const T *A,       \
              ptrdiff_t lda, const T *B, ptrdiff_t ldb, T beta, T *C, ptrdiff_t ldc) {                  \
        for (ptrdiff_t i = 0; i < M; i++) {                                                             \
            T *c = C + i * ldc;                                                                         \
            if (beta == (T)0) {                                                                         \
                for (ptrdiff_t j = 0; j < N; j++) c[j] = 0;                                             \
            } else if (beta != (T)1) {                                                                  \
                for (ptrdiff_t j = 0; j < N; j++) c[j] *= beta;                                         \
            }                                                                                           \
            for (ptrdiff_t p = 0; p < K; p++) {                                                         \
                T a = alpha * (transA ? A[p * lda + i] : A[i * lda + p]);                               \
                if (transB) {                                                                           \
                    for (ptrdiff_t j = 0; j < N; j++) c[j] += a * B[j * ldb + p];                       \
                } else {                                                                                \
                    const T *b = B + p * ldb;                                                           \
                    for (ptrdiff_t j = 0; j < N; j++) c[j] += a * b[j];                                 \
                }                                                                                       \
            }                                                                                           \
        }                                                                                               \
    }

DEFINE_GEMM(bp_sgemm, float)
DEFINE_GEMM(bp_dgemm, double)
