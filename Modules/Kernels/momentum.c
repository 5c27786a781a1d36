// The momentum step of SGD in one pass over the value, gradient and velocity arrays.
#include "gemm_internal.h"

// Each operation rounds as the separate pass it replaces (axpy, scale): no multiply-add contraction.
#pragma clang fp contract(off)

typedef struct {
    ptrdiff_t count;
    bp_momentum_coefficients c;
    void *value, *gradient, *velocity;
} momentum_job;

#define DEFINE_MOMENTUM_RUN(T, PREFIX)                                                                        \
    static void PREFIX##momentum_run(void *argument) {                                                       \
        const momentum_job *j = argument;                                                                    \
        const T decay = (T)j->c.decay, rho = (T)j->c.rho, gradientScale = (T)j->c.gradientScale;            \
        const T lookAhead = (T)j->c.lookAheadScale, velocityScale = (T)j->c.velocityScale;                  \
        const int nesterov = j->c.nesterov;                                                                  \
        T *restrict value = j->value, *restrict velocity = j->velocity;                                      \
        const T *restrict gradient = j->gradient;                                                            \
        for (ptrdiff_t i = 0; i < j->count; i++) {                                                           \
            T g = gradient[i];                                                                               \
            if (decay != 0) g = g + decay * value[i];                                                        \
            const T v = velocity[i] * rho + gradientScale * g;                                               \
            velocity[i] = v;                                                                                 \
            T w = value[i];                                                                                  \
            if (nesterov) w = w + lookAhead * g;                                                             \
            value[i] = w + velocityScale * v;                                                                \
        }                                                                                                    \
    }

DEFINE_MOMENTUM_RUN(float, s)
DEFINE_MOMENTUM_RUN(double, d)

// Halves as `bp_update_split` cuts them, like the other update passes.
static void split_momentum(void (*run)(void *), size_t size, ptrdiff_t count, const bp_momentum_coefficients *c,
                           void *value, const void *gradient, void *velocity) {
    momentum_job first = {count, *c, value, (void *)gradient, velocity};
    if (!bp_update_splits(count)) {
        run(&first);
        return;
    }
    const ptrdiff_t split = bp_update_split(count, size);
    momentum_job second = {count - split, *c, (char *)value + (size_t)split * size,
                           (char *)gradient + (size_t)split * size, (char *)velocity + (size_t)split * size};
    first.count = split;
    bp_gemm_run_pair(run, &first, &second);
}

void bp_smomentum_step(ptrdiff_t count, const bp_momentum_coefficients *c, float *value, const float *gradient,
                       float *velocity) {
    split_momentum(smomentum_run, sizeof(float), count, c, value, gradient, velocity);
}

void bp_dmomentum_step(ptrdiff_t count, const bp_momentum_coefficients *c, double *value, const double *gradient,
                       double *velocity) {
    split_momentum(dmomentum_run, sizeof(double), count, c, value, gradient, velocity);
}
