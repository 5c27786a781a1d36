// Raw image bytes widened to the Float features a data set keeps: the pass every image reader ends in.
#include "gemm_internal.h"

#include <stdint.h>

// Below this many bytes a widening stays on the calling thread (the hand-off costs a few µs).
#define BP_WIDEN_PARALLEL_BYTES (256 * 1024)

typedef struct {
    const uint8_t *records;
    float *out;
    size_t recordBytes, skip, features;
    ptrdiff_t count;
} widen_job;

// Plain loops the compiler vectorises (bytes to 32-bit integers to floats, 8 or 16 at a time): a few
// cycles per 16 bytes, so the pass runs at the speed of writing its output.
static void widen_run(void *argument) {
    const widen_job *j = argument;
    for (ptrdiff_t r = 0; r < j->count; r++) {
        const uint8_t *from = j->records + (size_t)r * j->recordBytes + j->skip;
        float *to = j->out + (size_t)r * j->features;
        for (size_t i = 0; i < j->features; i++) to[i] = (float)from[i];
    }
}

// Most of the pass's time is the first touch of its freshly allocated output (the kernel zeroes each
// page), which two cores do nearly twice as fast: the product helper thread takes half the records.
void bp_widen_records(const uint8_t *records, size_t recordBytes, size_t skip, size_t features, ptrdiff_t count,
                      float *out) {
    widen_job first = {records, out, recordBytes, skip, features, count};
    if (count < 2 || features * (size_t)count < BP_WIDEN_PARALLEL_BYTES || bp_gemm_resolve_threads(0) < 2) {
        widen_run(&first);
        return;
    }
    widen_job second = first;
    first.count = count / 2;
    second.records = records + (size_t)first.count * recordBytes;
    second.out = out + (size_t)first.count * features;
    second.count = count - first.count;
    bp_gemm_run_pair(widen_run, &first, &second);
}
