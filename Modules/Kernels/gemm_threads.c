// Per-thread packing buffers and the helper thread that takes the second half of large products.
#include "gemm_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define BP_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define BP_PAUSE() __asm__ volatile("yield")
#else
#define BP_PAUSE() ((void)0)
#endif

// MARK: - Scratch buffers

// Each thread keeps its own packing buffers and scratch matrix, so concurrent products (two trainings
// at once) never share one and steady-state calls allocate nothing. A pthread key frees them when the
// thread exits.
typedef struct {
    void *a, *b, *c;
    size_t capacityA, capacityB, capacityC;
} scratch;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static _Thread_local scratch *thread_scratch;

static void free_scratch(void *pointer) {
    scratch *s = pointer;
    free(s->a);
    free(s->b);
    free(s->c);
    free(s);
}

static void make_scratch_key(void) { pthread_key_create(&scratch_key, free_scratch); }

static int grow(void **buffer, size_t *capacity, size_t bytes) {
    if (*capacity >= bytes) return 0;
    bytes = (bytes + 4095) & ~(size_t)4095;
    void *fresh = NULL;
    if (posix_memalign(&fresh, 64, bytes) != 0) return -1;
    free(*buffer);
    *buffer = fresh;
    *capacity = bytes;
    return 0;
}

static scratch *this_thread_scratch(void) {
    scratch *s = thread_scratch;
    if (s == NULL) {
        pthread_once(&scratch_once, make_scratch_key);
        s = calloc(1, sizeof *s);
        if (s == NULL) return NULL;
        thread_scratch = s;
        pthread_setspecific(scratch_key, s);
    }
    return s;
}

int bp_gemm_scratch_result(size_t bytes, void **c) {
    scratch *s = this_thread_scratch();
    if (s == NULL || grow(&s->c, &s->capacityC, bytes) != 0) return -1;
    *c = s->c;
    return 0;
}

int bp_gemm_scratch(size_t bytesA, size_t bytesB, void **a, void **b) {
    scratch *s = this_thread_scratch();
    if (s == NULL) return -1;
    if (grow(&s->a, &s->capacityA, bytesA) != 0 || grow(&s->b, &s->capacityB, bytesB) != 0) return -1;
    *a = s->a;
    *b = s->b;
    return 0;
}

// MARK: - Helper thread

// One helper thread, started on first use. A caller that gets `owner` posts the second half of its
// product and does the first half meanwhile; a caller that finds `owner` taken (another thread's
// product is running) works alone, since both cores are busy anyway, and every caller then works
// alone for a while: with two trainings at once (a λ search) each keeps one core, and the helper
// stops competing with them.
//
// The second half goes to whichever thread claims it first: when the helper has not started it by the
// time the caller is done with its own half (the other core is busy with another process, or the
// helper is waking up), the caller does it too instead of waiting, so a loaded machine costs at most
// the one-thread time. The helper spins briefly before sleeping, since a training step calls gemm
// many times in a row and waking a sleeping thread costs tens of µs.
static pthread_mutex_t owner = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_cond_t finished = PTHREAD_COND_INITIALIZER;
// posted: the last job's ticket; done: the last ticket the helper has dealt with (ran or skipped).
static _Atomic unsigned long posted, done;
// 0 while the posted half is unclaimed; whoever exchanges it to 1 runs it.
static _Atomic int claimed = 1;
static _Atomic int sleeping;
static void (*posted_job)(void *);
static void *posted_argument;
static int helper_state; // 0 not started, 1 running, -1 could not start; guarded by `owner`

// Spin iterations (tens of ns each with pause) before sleeping: roughly 100 µs.
#define BP_SPIN 4000
// How long callers work alone after finding the helper taken, in ms.
#define BP_CONTENDED_MS 50

// Milliseconds of a cheap monotonic clock, and the time until which callers work alone.
static long milliseconds_now(void) {
    struct timespec t;
#ifdef CLOCK_MONOTONIC_COARSE
    clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
#else
    clock_gettime(CLOCK_MONOTONIC, &t);
#endif
    return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}
static _Atomic long alone_until;

static void *helper_main(void *unused) {
    (void)unused;
    unsigned long seen = 0;
    for (;;) {
        int spins = 0;
        while (atomic_load_explicit(&posted, memory_order_acquire) == seen && spins < BP_SPIN) {
            BP_PAUSE();
            spins++;
        }
        if (atomic_load_explicit(&posted, memory_order_acquire) == seen) {
            pthread_mutex_lock(&lock);
            atomic_store(&sleeping, 1);
            while (atomic_load(&posted) == seen) pthread_cond_wait(&wake, &lock);
            atomic_store(&sleeping, 0);
            pthread_mutex_unlock(&lock);
        }
        seen = atomic_load_explicit(&posted, memory_order_acquire);
        // Winning the claim also makes the job and argument written before it visible.
        if (atomic_exchange_explicit(&claimed, 1, memory_order_acq_rel) == 0) posted_job(posted_argument);
        pthread_mutex_lock(&lock);
        atomic_store_explicit(&done, seen, memory_order_release);
        pthread_cond_signal(&finished);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static int start_helper(void) {
    if (helper_state == 0) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        helper_state = pthread_create(&thread, &attributes, helper_main, NULL) == 0 ? 1 : -1;
        pthread_attr_destroy(&attributes);
    }
    return helper_state == 1;
}

void bp_gemm_run_pair(void (*job)(void *), void *argument0, void *argument1) {
    const long now = milliseconds_now();
    if (now < atomic_load_explicit(&alone_until, memory_order_relaxed)) {
        job(argument0);
        job(argument1);
        return;
    }
    if (pthread_mutex_trylock(&owner) != 0) {
        atomic_store_explicit(&alone_until, now + BP_CONTENDED_MS, memory_order_relaxed);
        job(argument0);
        job(argument1);
        return;
    }
    if (!start_helper()) {
        pthread_mutex_unlock(&owner);
        job(argument0);
        job(argument1);
        return;
    }
    posted_job = job;
    posted_argument = argument1;
    atomic_store_explicit(&claimed, 0, memory_order_release);
    const unsigned long ticket = atomic_load(&posted) + 1;
    pthread_mutex_lock(&lock);
    atomic_store_explicit(&posted, ticket, memory_order_release);
    if (atomic_load(&sleeping)) pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);

    job(argument0);

    if (atomic_exchange_explicit(&claimed, 1, memory_order_acq_rel) == 0) {
        // The helper has not started the second half: do it here rather than wait.
        job(argument1);
    } else {
        // The helper runs it (possibly having picked it up under an older ticket): wait until it has
        // dealt with this ticket, which it does only after finishing the job it claimed.
        int spins = 0;
        while (atomic_load_explicit(&done, memory_order_acquire) < ticket && spins < BP_SPIN * 10) {
            BP_PAUSE();
            spins++;
        }
        if (atomic_load_explicit(&done, memory_order_acquire) < ticket) {
            pthread_mutex_lock(&lock);
            while (atomic_load(&done) < ticket) pthread_cond_wait(&finished, &lock);
            pthread_mutex_unlock(&lock);
        }
    }
    pthread_mutex_unlock(&owner);
}
