// Element-wise passes of a training step that are worth writing in C: the ReLU pair (whose Swift loops
// compiled to a branch per element, mispredicted half the time), axpy and the weight-decay step, the
// regulariser's and the optimiser's passes over the weights (the largest passes over memory after the
// products, split over both cores when they are large).
#include "gemm_internal.h"

// axpy rounds as written, `y + (alpha * x)`, the same as the Swift loop it replaces, and the decay step
// as two such passes (without storing the first one's result): no multiply-add contraction.
#pragma clang fp contract(off)

// Each pass is written once and instantiated for Float (prefix s) and Double (prefix d).
#define DEFINE_RELU_PASSES(T, PREFIX)                                                                        \
    void bp_##PREFIX##relu(const T *x, T *y, ptrdiff_t count) {                                              \
        for (ptrdiff_t i = 0; i < count; i++) y[i] = x[i] > 0 ? x[i] : (T)0;                                \
    }                                                                                                        \
                                                                                                             \
    void bp_##PREFIX##relu_backward(const T *output, const T *gradient, T *inputGradient, ptrdiff_t count) { \
        for (ptrdiff_t i = 0; i < count; i++) {                                                              \
            /* Read unconditionally, so that the loop vectorises into a blend. */                            \
            const T g = gradient[i];                                                                         \
            inputGradient[i] = output[i] > 0 ? g : (T)0;                                                     \
        }                                                                                                    \
    }

DEFINE_RELU_PASSES(float, s)
DEFINE_RELU_PASSES(double, d)

// One half (or all) of an axpy or a decay step: `a` and `b` are x and y, or value and gradient.
typedef struct {
    ptrdiff_t count;
    double alpha, rate;
    void *a, *b;
} pass_job;

#define DEFINE_PASS_RUNS(T, PREFIX)                                                                           \
    static void PREFIX##axpy_run(void *argument) {                                                           \
        const pass_job *j = argument;                                                                        \
        const T alpha = (T)j->alpha;                                                                         \
        const T *restrict x = j->a;                                                                          \
        T *restrict y = j->b;                                                                                \
        for (ptrdiff_t i = 0; i < j->count; i++) y[i] += alpha * x[i];                                       \
    }                                                                                                        \
                                                                                                             \
    static void PREFIX##decay_step_run(void *argument) {                                                     \
        const pass_job *j = argument;                                                                        \
        const T decay = (T)j->alpha, rate = (T)j->rate;                                                      \
        T *restrict value = j->a;                                                                            \
        const T *restrict gradient = j->b;                                                                   \
        for (ptrdiff_t i = 0; i < j->count; i++) {                                                           \
            value[i] += rate * (gradient[i] + decay * value[i]);                                             \
        }                                                                                                    \
    }

DEFINE_PASS_RUNS(float, s)
DEFINE_PASS_RUNS(double, d)

int bp_update_splits(ptrdiff_t count) {
    return count >= BP_UPDATE_PARALLEL_COUNT && bp_gemm_resolve_threads(0) >= 2;
}

// Halves as `bp_update_split` cuts them.
static void split_pass(void (*run)(void *), size_t size, ptrdiff_t count, double alpha, double rate, const void *a,
                       void *b) {
    pass_job first = {count, alpha, rate, (void *)a, b};
    if (!bp_update_splits(count)) {
        run(&first);
        return;
    }
    const ptrdiff_t split = bp_update_split(count, size);
    pass_job second = {count - split, alpha, rate, (char *)a + (size_t)split * size, (char *)b + (size_t)split * size};
    first.count = split;
    bp_gemm_run_pair(run, &first, &second);
}

void bp_saxpy(ptrdiff_t count, float alpha, const float *x, float *y) {
    split_pass(saxpy_run, sizeof(float), count, alpha, 0, x, y);
}

void bp_daxpy(ptrdiff_t count, double alpha, const double *x, double *y) {
    split_pass(daxpy_run, sizeof(double), count, alpha, 0, x, y);
}

void bp_sdecay_and_step(ptrdiff_t count, float decay, float rate, float *value, const float *gradient) {
    split_pass(sdecay_step_run, sizeof(float), count, decay, rate, value, (void *)gradient);
}

void bp_ddecay_and_step(ptrdiff_t count, double decay, double rate, double *value, const double *gradient) {
    split_pass(ddecay_step_run, sizeof(double), count, decay, rate, value, (void *)gradient);
}
