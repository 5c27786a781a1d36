#ifndef BACKPROP_KERNELS_H
#define BACKPROP_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Row-major general matrix product: C = alpha * op(A) * op(B) + beta * C.
///
/// op(A) is M×K (A is K×M when transA is non-zero), op(B) is K×N (B is N×K when transB is non-zero).
/// lda, ldb and ldc are the row strides, in elements, of A, B and C as stored.
/// When beta is 0, C is overwritten without being read (so NaNs in C do not leak through).
/// Safe to call from several threads at once on different C matrices. Large products use both cores
/// (see `bp_gemm_set_threads`) and round the same way whether or not the second core was free; the
/// micro-kernel is chosen once from the CPU (see `bp_gemm_set_kernel`). Allocates only when a thread
/// first needs larger packing buffers.
void bp_sgemm(int transA, int transB, ptrdiff_t M, ptrdiff_t N, ptrdiff_t K, float alpha,
              const float *A, ptrdiff_t lda, const float *B, ptrdiff_t ldb, float beta,
              float *C, ptrdiff_t ldc);

/// The Double version of `bp_sgemm`, with the same semantics.
void bp_dgemm(int transA, int transB, ptrdiff_t M, ptrdiff_t N, ptrdiff_t K, double alpha,
              const double *A, ptrdiff_t lda, const double *B, ptrdiff_t ldb, double beta,
              double *C, ptrdiff_t ldc);

/// The micro-kernel families. `BP_GEMM_KERNEL_AUTO` means the fastest one the CPU supports.
enum {
    BP_GEMM_KERNEL_AUTO = 0,
    /// Plain C (GCC vector extensions): any CPU; SSE2 code on x86-64, NEON on arm64.
    BP_GEMM_KERNEL_PORTABLE = 1,
    /// 6×16 (Float) and 6×8 (Double) register tiles with AVX2 + FMA: x86-64 CPUs that have both.
    BP_GEMM_KERNEL_AVX2 = 2,
};

/// Whether `kernel` can run on this CPU (AUTO and PORTABLE always can).
int bp_gemm_kernel_supported(int kernel);

/// Sets the kernel family used by `bp_sgemm`/`bp_dgemm` in the whole process; returns 0, or -1 (and
/// changes nothing) when the CPU does not support it. AUTO goes back to the CPU's best.
int bp_gemm_set_kernel(int kernel);

/// The kernel family in use (never AUTO): the CPU's best unless `bp_gemm_set_kernel` chose another.
int bp_gemm_kernel(void);

/// A short name of a kernel family ("portable", "avx2-fma"); AUTO names the one in use.
const char *bp_gemm_kernel_name(int kernel);

/// Caps the threads of one large product in the whole process (1 or 2; 0 restores the default, 2).
void bp_gemm_set_threads(int threads);

/// The process-wide thread cap.
int bp_gemm_threads(void);

/// Caps the threads of the products (and gathers and axpy passes) that the calling thread runs, for
/// this thread only (1 or 2; 0 goes back to the process-wide cap). Several trainings at once each keep
/// their products on their own thread this way without changing what other threads get.
void bp_gemm_set_thread_threads(int threads);

/// The calling thread's own cap, or 0 when it follows the process-wide one.
int bp_gemm_thread_threads(void);

/// Makes the calling thread follow the cap stored at `share` (NULL: none), read at every product, so
/// that another thread can change it while this one runs (`bp_gemm_store_share`). A thread's own cap
/// (`bp_gemm_set_thread_threads`) wins over it; it wins over the process-wide cap. Running pieces on
/// one thread or two never changes a product's rounding, so neither does a change of the share.
void bp_gemm_set_thread_share(int *share);

/// The share the calling thread follows, or NULL.
int *bp_gemm_thread_share(void);

/// Stores `threads` (1 or 2; 0: follow the process-wide cap) at `share`, for every thread that follows it.
void bp_gemm_store_share(int *share, int threads);

/// The value at `share`.
int bp_gemm_load_share(const int *share);

/// `bp_sgemm` with an explicit kernel family and thread cap for this call only (kernel AUTO means the
/// process-wide family, threads 0 the calling thread's cap). An unsupported kernel falls back to PORTABLE. Tests and
/// benchmarks use it so that they do not change what concurrent callers get.
void bp_sgemm_using(int kernel, int threads, int transA, int transB, ptrdiff_t M, ptrdiff_t N,
                    ptrdiff_t K, float alpha, const float *A, ptrdiff_t lda, const float *B,
                    ptrdiff_t ldb, float beta, float *C, ptrdiff_t ldc);

/// The Double version of `bp_sgemm_using`.
void bp_dgemm_using(int kernel, int threads, int transA, int transB, ptrdiff_t M, ptrdiff_t N,
                    ptrdiff_t K, double alpha, const double *A, ptrdiff_t lda, const double *B,
                    ptrdiff_t ldb, double beta, double *C, ptrdiff_t ldc);

/// `bp_sgemm_using` with the rows of A picked out of a larger matrix instead of stored together: stored
/// row r of A (a row of op(A), or a column of it when transA is non-zero) starts at A + aRows[r]·lda
/// (at A + r·lda when aRows is NULL, as in `bp_sgemm_using`).
/// The product reads those rows in place, and rounds exactly as `bp_sgemm_using` on a copy of them: a
/// mini-batch's first-layer products read the training set without gathering the batch first. The
/// caller checks the indices.
void bp_sgemm_rows_using(int kernel, int threads, int transA, int transB, ptrdiff_t M, ptrdiff_t N,
                         ptrdiff_t K, float alpha, const float *A, ptrdiff_t lda, const ptrdiff_t *aRows,
                         const float *B, ptrdiff_t ldb, float beta, float *C, ptrdiff_t ldc);

/// The Double version of `bp_sgemm_rows_using`.
void bp_dgemm_rows_using(int kernel, int threads, int transA, int transB, ptrdiff_t M, ptrdiff_t N,
                         ptrdiff_t K, double alpha, const double *A, ptrdiff_t lda, const ptrdiff_t *aRows,
                         const double *B, ptrdiff_t ldb, double beta, double *C, ptrdiff_t ldc);

/// Copies `count` rows of `rowBytes` bytes each from `src` (row r at src + r·rowBytes) to `dst`, the
/// i-th one being row `rows[i]`: the gather of a mini-batch. The caller checks the indices. Large
/// gathers share the copy with the product helper thread (see `bp_gemm_set_threads`), since one core
/// alone cannot keep enough memory reads in flight: rows of 4 KiB or more by halves of every row (as
/// the products that follow cut the batch), shorter ones by rows.
void bp_gather_rows(void *dst, const void *src, size_t rowBytes, const ptrdiff_t *rows, ptrdiff_t count);

/// Writes bytes `skip ..< skip + features` of each of the `count` records of `recordBytes` bytes at
/// `records`, as Float values 0…255, to row i of the row-major `out` (`count · features` Floats): the
/// pixels of an image file, without its labels or headers. Large passes are shared with the product
/// helper thread, as gathers are.
void bp_widen_records(const uint8_t *records, size_t recordBytes, size_t skip, size_t features, ptrdiff_t count,
                      float *out);

/// `y[i] = max(x[i], 0)` (0 for NaN); x and y may be the same array.
void bp_srelu(const float *x, float *y, ptrdiff_t count);
void bp_drelu(const double *x, double *y, ptrdiff_t count);

/// The ReLU's backward rule: `inputGradient[i] = output[i] > 0 ? gradient[i] : 0`.
void bp_srelu_backward(const float *output, const float *gradient, float *inputGradient, ptrdiff_t count);
void bp_drelu_backward(const double *output, const double *gradient, double *inputGradient, ptrdiff_t count);

/// `y[i] += alpha·x[i]`, rounded as written (no multiply-add contraction); x and y may not overlap.
/// Large arrays are split over both cores like a product (see `bp_gemm_set_threads`); the result does
/// not depend on the split.
void bp_saxpy(ptrdiff_t count, float alpha, const float *x, float *y);
void bp_daxpy(ptrdiff_t count, double alpha, const double *x, double *y);

/// A linear regulariser's gradient term and a plain gradient step in one pass over a weight:
/// `value[i] += rate·(gradient[i] + decay·value[i])`, each operation rounded as the axpy it stands for
/// (so `value` ends exactly as after `bp_saxpy(count, decay, value, gradient)` and
/// `bp_saxpy(count, rate, gradient, value)`), reading each array once and writing only `value`: the
/// gradient is left as it was (like PyTorch's `weight_decay`). Split over both cores like axpy; the
/// arrays may not overlap.
void bp_sdecay_and_step(ptrdiff_t count, float decay, float rate, float *value, const float *gradient);
void bp_ddecay_and_step(ptrdiff_t count, double decay, double rate, double *value, const double *gradient);

/// The constants of one momentum step (see `bp_smomentum_step`), in Double, rounded to the array's
/// precision by the step.
typedef struct {
    double decay, rho, gradientScale, lookAheadScale, velocityScale;
    int nesterov;
} bp_momentum_coefficients;

/// SGD's momentum step in one pass, each operation rounded as the separate pass it replaces:
///
///     g = gradient[i] + decay·value[i]            (skipped when decay is 0; gradient is left as it was)
///     velocity[i] = velocity[i]·rho + gradientScale·g
///     value[i] = value[i] (+ lookAheadScale·g, when nesterov) + velocityScale·velocity[i]
///
/// PyTorch's convention is gradientScale 1, velocityScale −η (Nesterov: lookAheadScale −η, velocityScale
/// −η·ρ); the course's is gradientScale η, velocityScale −1 (Nesterov: lookAheadScale −η, velocityScale
/// −ρ). Split over both cores like axpy.
void bp_smomentum_step(ptrdiff_t count, const bp_momentum_coefficients *c, float *value, const float *gradient,
                       float *velocity);
void bp_dmomentum_step(ptrdiff_t count, const bp_momentum_coefficients *c, double *value, const double *gradient,
                       double *velocity);

/// `y[i] = e^x[i]` for Float (x and y may be the same array), eight at a time with AVX2 and FMA: the
/// softmax's exponentials. The same function on every CPU and at every position (see exp.c): relative
/// error about 1e-7; +∞ above 88.376, 0 below −87.337 (where e^x leaves Float's normal range), NaN for
/// NaN.
void bp_sexp(const float *x, float *y, ptrdiff_t count);

/// One block of Philox4x32-10 (Salmon et al., SC 2011): the 128-bit `counter` under the 64-bit `key`,
/// as the Random123 library computes it.
void bp_philox4x32_10(const uint32_t counter[4], const uint32_t key[2], uint32_t out[4]);

/// Words `start ..< start + count` of the stream of `key`: word i is word i mod 4 of the Philox4x32-10
/// block of counter (i/4 low, i/4 high, 0, 0) under the key (low, high). A word depends on the key and
/// its index only, so every way of computing a part of the stream (AVX2 or scalar, one thread or two)
/// gives the same words. Large passes are shared with the product helper thread.
void bp_random_words(uint64_t key, uint64_t start, uint32_t *out, ptrdiff_t count);

/// Elements `start ..< start + count` of the normal stream of `key`, scaled by `sigma`: Box–Muller on
/// the words of each block, (w0, w1) giving elements 4j and 4j + 1 and (w2, w3) elements 4j + 2 and
/// 4j + 3, as random.c documents; the same Floats on every CPU, at every position, on any thread.
void bp_srandom_normal(uint64_t key, uint64_t start, float sigma, float *out, ptrdiff_t count);

/// A dropout mask from the stream of `key`: `mask[i]` is 0 when word i is below `threshold` (so with
/// probability threshold / 2³²; 2³² drops all), `keep` otherwise.
void bp_sbernoulli_mask(uint64_t key, uint64_t threshold, float keep, float *mask, ptrdiff_t count);
void bp_dbernoulli_mask(uint64_t key, uint64_t threshold, double keep, double *mask, ptrdiff_t count);

/// The core clock in GHz, measured by timing a chain of dependent integer additions (one per cycle)
/// for about `seconds`. Virtual machines often report only the nominal frequency in /proc/cpuinfo.
double bp_measure_clock_ghz(double seconds);

#ifdef __cplusplus
}
#endif

#endif
