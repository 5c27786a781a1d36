// Per-thread packing buffers, and the helper thread that runs pieces of large products (and of large
// gathers and updates) beside their caller.
#include "gemm_internal.h"

#include <pthread.h>
#include <sched.h>
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
    // A later destructor of this thread's that multiplies makes its scratch anew.
    thread_scratch = NULL;
}

static void make_scratch_key(void) { pthread_key_create(&scratch_key, free_scratch); }

int bp_gemm_grow(void **buffer, size_t *capacity, size_t bytes) {
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
    if (s == NULL || bp_gemm_grow(&s->c, &s->capacityC, bytes) != 0) return -1;
    *c = s->c;
    return 0;
}

int bp_gemm_scratch(size_t bytesA, size_t bytesB, void **a, void **b) {
    scratch *s = this_thread_scratch();
    if (s == NULL) return -1;
    if (bp_gemm_grow(&s->a, &s->capacityA, bytesA) != 0 || bp_gemm_grow(&s->b, &s->capacityB, bytesB) != 0) return -1;
    *a = s->a;
    *b = s->b;
    return 0;
}

// MARK: - Helper thread

// One helper thread, started on first use. A caller that gets `owner` posts a job cut into chunks and
// runs chunks from the front while the helper runs them from the back; a caller that finds `owner`
// taken (another thread's product is running) works alone, since both cores are busy anyway, and every
// caller then works alone for a while: with two trainings at once (a λ search) each keeps one core,
// and the helper stops competing with them.
//
// Chunks are claimed, not assigned: when the helper is late (the other core is busy with another
// process, or the helper is waking up) or slower (its core shared with another tenant), the caller
// takes more of them instead of waiting, so a loaded machine costs at most the one-thread time. Which
// thread runs a chunk never changes what the chunk computes. Taking chunks from opposite ends keeps,
// on a balanced machine, each thread on the same part of the data from one job to the next (the left
// half of a batch's features on the caller, the right half on the helper), so that it stays in that
// core's L2. The helper spins briefly before sleeping, since a training step calls here many times
// in a row and waking a sleeping thread costs tens of µs.
// 1 while a caller owns the helper.
static _Atomic int owner;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
// posted: the last job's ticket.
static _Atomic unsigned long posted;
// The posted job's chunks still unclaimed, as ticket << 32 | front << 16 | back (chunks front ..< back).
// A claim is a compare-and-swap on the whole word, so it can only take a chunk of the job it read.
static _Atomic unsigned long long chunk_state;
// How many chunk claims the helper has in progress (attempted, or claimed and running).
static _Atomic int helper_busy;
static _Atomic int sleeping;
static void (*posted_job)(void *, int);
static void *posted_context;
static int helper_state; // 0 not started, 1 running, -1 could not start; guarded by `owner`

static int take_owner(void) {
    int expected = 0;
    return atomic_compare_exchange_strong(&owner, &expected, 1);
}

static void release_owner(void) { atomic_store(&owner, 0); }

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

// Claims the next chunk from the front (or the back) of the posted job numbered `ticket`; returns it,
// or -1 when none is left or the posted job is another one.
static int claim(unsigned long ticket, int fromBack) {
    unsigned long long state = atomic_load(&chunk_state);
    for (;;) {
        const unsigned long stateTicket = (unsigned long)(state >> 32);
        const int front = (int)((state >> 16) & 0xffff), back = (int)(state & 0xffff);
        if (stateTicket != (ticket & 0xffffffffUL) || front >= back) return -1;
        const unsigned long long next =
            fromBack ? (state & ~0xffffULL) | (unsigned long long)(back - 1)
                     : (state & ~(0xffffULL << 16)) | ((unsigned long long)(front + 1) << 16);
        if (atomic_compare_exchange_weak(&chunk_state, &state, next)) return fromBack ? back - 1 : front;
    }
}

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
        // The caller waits for `helper_busy` to fall to 0 once every chunk is claimed, so announcing a
        // claim before making it keeps the caller from returning while a claimed chunk runs. A claim
        // succeeds only while chunks of job `seen` remain, that is while its caller is still inside
        // bp_gemm_run_chunks, so `posted_job` and `posted_context` are that job's.
        for (;;) {
            atomic_fetch_add(&helper_busy, 1);
            const int chunk = claim(seen, 1);
            if (chunk < 0) {
                atomic_fetch_sub(&helper_busy, 1);
                break;
            }
            posted_job(posted_context, chunk);
            atomic_fetch_sub(&helper_busy, 1);
        }
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

// Posts the chunks 0 ..< chunks of `job` (ticket `ticket`); the caller owns the helper.
static void post(void (*job)(void *, int), void *context, int chunks, unsigned long ticket) {
    posted_job = job;
    posted_context = context;
    atomic_store(&chunk_state, ((unsigned long long)(ticket & 0xffffffffUL) << 32) | (unsigned long long)chunks);
    pthread_mutex_lock(&lock);
    atomic_store_explicit(&posted, ticket, memory_order_release);
    if (atomic_load(&sleeping)) pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
}

void bp_gemm_run_chunks(void (*job)(void *, int), void *context, int chunks) {
    if (chunks <= 0) return;
    const long now = milliseconds_now();
    // chunk_state holds at most 0xffff chunks: larger jobs run on this thread alone.
    int alone = chunks == 1 || chunks > 0xffff || now < atomic_load_explicit(&alone_until, memory_order_relaxed);
    if (!alone && !take_owner()) {
        atomic_store_explicit(&alone_until, now + BP_CONTENDED_MS, memory_order_relaxed);
        alone = 1;
    }
    if (!alone && !start_helper()) {
        release_owner();
        alone = 1;
    }
    if (alone) {
        for (int c = 0; c < chunks; c++) job(context, c);
        return;
    }
    const unsigned long ticket = atomic_load(&posted) + 1;
    post(job, context, chunks, ticket);

    for (int chunk; (chunk = claim(ticket, 0)) >= 0;) job(context, chunk);
    // Every chunk is claimed; wait for those the helper is still running: a few µs, so spin, but yield
    // the core after a while in case the helper is waiting for it (more threads than cores, as when
    // two trainings run at once).
    for (int spins = 0; atomic_load(&helper_busy) != 0; spins++) {
        if (spins < BP_SPIN) BP_PAUSE();
        else sched_yield();
    }
    release_owner();
}

// Two jobs as the two chunks of one.
typedef struct {
    void (*job)(void *);
    void *arguments[2];
} pair_context;

static void run_pair_chunk(void *context, int chunk) {
    const pair_context *pair = context;
    pair->job(pair->arguments[chunk]);
}

void bp_gemm_run_pair(void (*job)(void *), void *argument0, void *argument1) {
    pair_context pair = {job, {argument0, argument1}};
    bp_gemm_run_chunks(run_pair_chunk, &pair, 2);
}
