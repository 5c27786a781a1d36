// Element-wise passes of a training step that are worth writing in C: the ReLU pair and the bias + ReLU
// of a linear layer followed by a ReLU (whose Swift loops compiled to a branch per element,
// mispredicted half the time) and the fused L2 + SGD update
// (the largest pass over memory after the products, split over both cores when it is large).
#include "gemm_internal.h"

// The update must round exactly as two separate axpy passes: no multiply-add contraction.
#pragma clang fp contract(off)

// Each pass is written once and instantiated for Float (prefix s) and Double (prefix d).
#define DEFINE_RELU_PASSES(T, PREFIX)                                                                        \
    void bp_##PREFIX##relu(const T *x, T *y, ptrdiff_t count) {                                              \
        for (ptrdiff_t i = 0; i < count; i++) y[i] = x[i] > 0 ? x[i] : (T)0;                                \
    }                                                                                                        \
                                                                                                             \
    void bp_##PREFIX##bias_relu(const T *x, const T *bias, T *y, ptrdiff_t rows, ptrdiff_t columns) {        \
        for (ptrdiff_t r = 0; r < rows; r++) {                                                               \
            const T *in = x + r * columns;                                                                   \
            T *out = y + r * columns;                                                                        \
            for (ptrdiff_t c = 0; c < columns; c++) {                                                        \
                const T z = in[c] + bias[c];                                                                 \
                out[c] = z > 0 ? z : (T)0;                                                                   \
            }                                                                                                \
        }                                                                                                    \
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

// Below this many elements the update stays on the calling thread (the hand-off costs a few µs).
#define BP_UPDATE_PARALLEL_COUNT 65536

typedef struct {
    ptrdiff_t count;
    double decay, rate;
    void *value;
    const void *gradient;
} decay_step_job;

#define DEFINE_DECAY_STEP_RUN(T, PREFIX)                                                                      \
    static void PREFIX##decay_step_run(void *argument) {                                                     \
        const decay_step_job *j = argument;                                                                  \
        const T decay = (T)j->decay, rate = (T)j->rate;                                                      \
        T *restrict value = j->value;                                                                        \
        const T *restrict gradient = j->gradient;                                                            \
        /* The gradient is not written back: that store was a quarter of the pass's memory traffic. */       \
        for (ptrdiff_t i = 0; i < j->count; i++) value[i] += rate * (gradient[i] + decay * value[i]);       \
    }

DEFINE_DECAY_STEP_RUN(float, s)
DEFINE_DECAY_STEP_RUN(double, d)

// Halves on a multiple of 64 bytes from the start, so that for 64-byte aligned arrays the two threads
// never write the same cache line (for others they share at most one).
static void decay_step(void (*run)(void *), size_t size, ptrdiff_t count, double decay, double rate, void *value,
                       const void *gradient) {
    decay_step_job first = {count, decay, rate, value, gradient};
    if (count < BP_UPDATE_PARALLEL_COUNT || bp_gemm_resolve_threads(0) < 2) {
        run(&first);
        return;
    }
    const ptrdiff_t perLine = 64 / (ptrdiff_t)size, split = count / 2 / perLine * perLine;
    decay_step_job second = {count - split, decay, rate, (char *)value + (size_t)split * size,
                             (const char *)gradient + (size_t)split * size};
    first.count = split;
    bp_gemm_run_pair(run, &first, &second);
}

void bp_sdecay_and_step(ptrdiff_t count, float decay, float rate, float *value, const float *gradient) {
    decay_step(sdecay_step_run, sizeof(float), count, decay, rate, value, gradient);
}

void bp_ddecay_and_step(ptrdiff_t count, double decay, double rate, double *value, const double *gradient) {
    decay_step(ddecay_step_run, sizeof(double), count, decay, rate, value, gradient);
}
