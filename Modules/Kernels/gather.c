// Row gathers for mini-batches: copies of whole rows picked by index out of a large matrix.
#include "gemm_internal.h"

#include <string.h>

// Below this many bytes a gather stays on the calling thread (the hand-off costs a few µs).
#define BP_GATHER_PARALLEL_BYTES (256 * 1024)
// Rows at least twice this long are split by columns between the threads.
#define BP_GATHER_SPLIT_ROW_BYTES 2048

typedef struct {
    char *dst;
    const char *src;
    size_t rowBytes, offset, bytes;
    const ptrdiff_t *rows;
    ptrdiff_t count;
} gather_job;

// Touches one line in each 4 KiB page of `bytes` bytes at `p`: the page walks and the first misses of a
// row then overlap with the copy of the one before (a training set is far beyond the TLB's reach, so
// each row of a batch starts with page walks). Whole rows prefetched line by line were slower.
static inline void prefetch_pages(const char *p, size_t bytes) {
    for (size_t o = 0; o < bytes; o += 4096) __builtin_prefetch(p + o, 0, 3);
}

// Copies bytes offset ..< offset + bytes of each selected row, starting the next row's page walks
// while copying the current one.
static void gather_run(void *argument) {
    const gather_job *j = argument;
    for (ptrdiff_t i = 0; i < j->count; i++) {
        if (i + 1 < j->count) prefetch_pages(j->src + (size_t)j->rows[i + 1] * j->rowBytes + j->offset, j->bytes);
        memcpy(j->dst + (size_t)i * j->rowBytes + j->offset, j->src + (size_t)j->rows[i] * j->rowBytes + j->offset,
               j->bytes);
    }
}

// The rows of a training set live in DRAM, and one core keeps only so many line fills in flight (a
// single-thread gather of the A2 batch reaches about 10 GB/s): two cores issuing requests together
// copy nearly twice as fast. The product helper thread is idle between products, so it takes half.
void bp_gather_rows(void *dst, const void *src, size_t rowBytes, const ptrdiff_t *rows, ptrdiff_t count) {
    gather_job first = {dst, src, rowBytes, 0, rowBytes, rows, count};
    if (count < 2 || rowBytes * (size_t)count < BP_GATHER_PARALLEL_BYTES || bp_gemm_resolve_threads(0) < 2) {
        gather_run(&first);
        return;
    }
    // Long rows are cut into a left and a right half (on a cache line), each thread copying its half
    // of every row: the products that follow cut the batch the same way (the first layer's forward
    // product into pieces of its inner dimension, its weight gradient into pieces of the features, the
    // caller taking the left ones and the helper the right ones on a balanced machine), so each core
    // finds most of what it reads in its own L2. Short rows are cut by rows.
    gather_job second = first;
    if (rowBytes >= 2 * BP_GATHER_SPLIT_ROW_BYTES) {
        first.bytes = rowBytes / 2 / 64 * 64;
        second.offset = first.bytes;
        second.bytes = rowBytes - first.bytes;
    } else {
        const ptrdiff_t split = count / 2;
        second.dst = first.dst + (size_t)split * rowBytes;
        second.rows = rows + split;
        second.count = count - split;
        first.count = split;
    }
    bp_gemm_run_pair(gather_run, &first, &second);
}
