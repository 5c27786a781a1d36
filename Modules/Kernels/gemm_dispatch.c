// Run-time choice of the kernel family and the thread caps (process-wide and per thread), and the clock measurement used to estimate
// the machine's peak. The choice is made once from the CPU and cached; no compiler flag is needed.
#include "gemm_internal.h"

#include <stdatomic.h>
#include <time.h>

static int cpu_has_avx2_fma(void) {
#ifdef BP_HAVE_AVX2_FAMILY
    // Checks the OS saves the YMM registers too (compiler-rt and libgcc both look at XCR0).
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

// -1 until first use; then the kernel family in use (never AUTO).
static _Atomic int selected_kernel = -1;
static _Atomic int thread_cap = 2;
// The calling thread's own cap, or 0 for the process-wide one.
static _Thread_local int this_thread_cap;
static _Thread_local int *this_thread_share;

static int best_kernel(void) {
    static _Atomic int best = -1;
    int value = atomic_load_explicit(&best, memory_order_relaxed);
    if (value < 0) {
        value = cpu_has_avx2_fma() ? BP_GEMM_KERNEL_AVX2 : BP_GEMM_KERNEL_PORTABLE;
        atomic_store_explicit(&best, value, memory_order_relaxed);
    }
    return value;
}

int bp_gemm_kernel_supported(int kernel) {
    switch (kernel) {
    case BP_GEMM_KERNEL_AUTO:
    case BP_GEMM_KERNEL_PORTABLE: return 1;
    case BP_GEMM_KERNEL_AVX2: return best_kernel() == BP_GEMM_KERNEL_AVX2;
    default: return 0;
    }
}

int bp_gemm_set_kernel(int kernel) {
    if (!bp_gemm_kernel_supported(kernel)) return -1;
    atomic_store_explicit(&selected_kernel, kernel == BP_GEMM_KERNEL_AUTO ? best_kernel() : kernel,
                          memory_order_relaxed);
    return 0;
}

int bp_gemm_kernel(void) {
    int value = atomic_load_explicit(&selected_kernel, memory_order_relaxed);
    return value < 0 ? best_kernel() : value;
}

const char *bp_gemm_kernel_name(int kernel) {
    switch (kernel == BP_GEMM_KERNEL_AUTO ? bp_gemm_kernel() : kernel) {
    case BP_GEMM_KERNEL_PORTABLE: return "portable";
    case BP_GEMM_KERNEL_AVX2: return "avx2-fma";
    default: return "unknown";
    }
}

int bp_gemm_resolve_kernel(int requested) {
    if (requested == BP_GEMM_KERNEL_AUTO) return bp_gemm_kernel();
    return bp_gemm_kernel_supported(requested) ? requested : BP_GEMM_KERNEL_PORTABLE;
}

void bp_gemm_set_threads(int threads) {
    atomic_store_explicit(&thread_cap, threads <= 0 ? 2 : (threads > 2 ? 2 : threads), memory_order_relaxed);
}

int bp_gemm_threads(void) { return atomic_load_explicit(&thread_cap, memory_order_relaxed); }

void bp_gemm_set_thread_threads(int threads) {
    this_thread_cap = threads <= 0 ? 0 : (threads > 2 ? 2 : threads);
}

int bp_gemm_thread_threads(void) { return this_thread_cap; }

void bp_gemm_set_thread_share(int *share) { this_thread_share = share; }

int *bp_gemm_thread_share(void) { return this_thread_share; }

void bp_gemm_store_share(int *share, int threads) {
    __atomic_store_n(share, threads <= 0 ? 0 : (threads > 2 ? 2 : threads), __ATOMIC_RELAXED);
}

int bp_gemm_load_share(const int *share) { return __atomic_load_n(share, __ATOMIC_RELAXED); }

int bp_gemm_resolve_threads(int requested) {
    if (requested > 0) return requested;
    if (this_thread_cap > 0) return this_thread_cap;
    if (this_thread_share) {
        const int shared = __atomic_load_n(this_thread_share, __ATOMIC_RELAXED);
        if (shared > 0) return shared;
    }
    return bp_gemm_threads();
}

static double seconds_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

double bp_measure_clock_ghz(double seconds) {
    // Eight dependent additions per loop trip, each one cycle of latency on every current core; the
    // empty asm keeps the compiler from folding them. The best of several rounds skips interruptions.
    double best = 0;
    const long trips = 2000000;
    double start = seconds_now(), end = start;
    do {
        unsigned long x = 0;
        double t0 = seconds_now();
        for (long i = 0; i < trips; i++) {
#define BP_STEP x += (unsigned long)i; __asm__ volatile("" : "+r"(x));
            BP_STEP BP_STEP BP_STEP BP_STEP BP_STEP BP_STEP BP_STEP BP_STEP
#undef BP_STEP
        }
        end = seconds_now();
        double ghz = 8.0 * (double)trips / (end - t0) / 1e9;
        if (ghz > best) best = ghz;
    } while (end - start < seconds);
    return best;
}
