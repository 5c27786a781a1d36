// Packing ahead on the helper thread, written once for both precisions: included by
// gemm_pieces_template.h (before NAME(using)) with T, FAMILY and NAME(x) defined.
//
// A first layer that reads its batch in place packs x's columns for its weight gradient xᵀ·g, a
// tenth of that product's time, and x is known a whole phase before g: from the forward product on,
// while the caller computes the layers above alone and the helper thread waits. NAME(prepare) hands
// the helper the packing of the first BP_PREPARED_PIECES of its pieces of op(A) then (one: the whole
// share did not fit in the A2 layers' time, and the caller waited 7–8 µs for it). When the product
// comes, it cuts its rows so that the caller's share, which it packs, and the helper's, partly packed
// already, take about as long, and gives those pieces the packed blocks. The same kernels run on the
// same panels, so the result is the same bit for bit with or without the preparation, or with one that
// came to nothing.

// One preparation per thread and precision, so that threads never wait for each other's: free, or
// handed to the helper (ready) and waiting for its product. Only its thread writes the fields; the
// helper reads them and writes the panels and `packed` while its job runs, and the thread waits for
// that job to end (bp_gemm_finish_async) before it changes or uses them.
typedef struct {
    int ready;
    // Set by the helper once every panel is written.
    _Atomic int packed;
    // bp_gemm_preparation_era() when it was made: from a later era on, its matrix may be gone.
    unsigned long era;
    // The product it is for, and where its rows are cut: pieces [0, split) go to the caller, the
    // panels hold the rows of the helper's first `preparedPieces` pieces (from `split` on) block by
    // block, as each piece's NAME(serial) packs them.
    const FAMILY *family;
    int transA, transB, count;
    // How many of the helper's pieces are packed ahead (from its first, piece count / 2).
    int preparedPieces;
    ptrdiff_t M, N, K, split;
    NAME(operand) A;
    // A copy of A's row index (A.rows.index points here), so the helper never reads the caller's.
    ptrdiff_t *index;
    size_t indexCapacity;
    T *panels;
    size_t panelCapacity;
} NAME(preparation);

// Frees a preparation's buffers when its thread exits (bp_gemm_thread_block).
static void NAME(release_preparation)(void *block) {
    NAME(preparation) *p = block;
    free(p->index);
    free(p->panels);
}

// This thread's preparation, made on first use; NULL when memory runs out.
static NAME(preparation) *NAME(this_thread_preparation)(void) {
    return bp_gemm_thread_block(NAME(preparation_block), sizeof(NAME(preparation)), NAME(release_preparation));
}

// Ends this thread's preparation, if one is waiting, once the helper is done with it.
static void NAME(drop_prepared)(void) {
    NAME(preparation) *p = NAME(this_thread_preparation)();
    if (p == NULL || !p->ready) return;
    bp_gemm_finish_async();
    p->ready = 0;
}

// The start of piece `c` of `count` over `extent` rows when the caller's half of the pieces covers
// [0, split) and the helper's [split, extent) (split 0: even pieces, as NAME(piece)).
static ptrdiff_t NAME(piece_at)(ptrdiff_t extent, ptrdiff_t unit, int c, int count, ptrdiff_t split) {
    if (split <= 0) return NAME(piece)(extent, unit, c, count);
    const int half = count / 2;
    if (c < half) return NAME(piece)(split, unit, c, half);
    return split + NAME(piece)(extent - split, unit, c - half, count - half);
}

// The cut that balances the caller's rows, packed by the product, against the helper's, of which the
// fraction `preparedShare` is packed ahead: the estimated cycles (NAME(cost)) of the two shares cross
// there (bisection, on tile boundaries).
static ptrdiff_t NAME(prepared_split)(const FAMILY *f, int transA, int transB, ptrdiff_t M, ptrdiff_t N,
                                      ptrdiff_t K, double preparedShare) {
    const double packA = (transA ? 0.45 : 0.6) * preparedShare;
    ptrdiff_t low = 1, high = (M - 1) / f->mr;  // in tiles: the caller's share is at least one
    while (low < high) {
        const ptrdiff_t middle = (low + high) / 2, rows = middle * f->mr;
        const double caller = NAME(cost)(f, transA, transB, rows, N, K);
        const double helper = NAME(cost)(f, transA, transB, M - rows, N, K) - packA * (double)(M - rows) * (double)K;
        if (caller < helper) low = middle + 1;
        else high = middle;
    }
    return low * f->mr;
}

// Runs on the helper: packs the helper's pieces' blocks.
static void NAME(prepare_job)(void *context, int chunk) {
    (void)chunk;
    NAME(preparation) *p = context;
    const FAMILY *f = p->family;
    for (int c = p->count / 2; c < p->count / 2 + p->preparedPieces; c++) {
        const ptrdiff_t from = NAME(piece_at)(p->M, f->mr, c, p->count, p->split);
        const ptrdiff_t rows = NAME(piece_at)(p->M, f->mr, c + 1, p->count, p->split) - from;
        const NAME(operand) A = p->transA ? NAME(columns_from)(p->A, from) : NAME(rows_from)(p->A, from);
        const ptrdiff_t mcMax = NAME(balanced_block)(rows, f->mc, f->mr);
        T *panels = p->panels + (from - p->split) * p->K;
        for (ptrdiff_t ic = 0; ic < rows; ic += mcMax)
            NAME(pack)(f, f->mr, 0, !p->transA, A, ic, NAME(min)(mcMax, rows - ic), 0, p->K, panels + ic * p->K);
    }
    atomic_store_explicit(&p->packed, 1, memory_order_release);
}

// Whether `job` is a product the helper can pack ahead for: cut by rows over both threads, A packed
// (not read in place) in a single k block, computed directly (not as Cᵀ).
static int NAME(can_prepare)(const NAME(job) *job, int choice, int count) {
    return choice == 1 && count >= 2 && !job->transposed && !job->plan.readsAInPlace &&
           NAME(balanced_block)(job->K, job->family->kc, 8) == job->K;
}

// The number of pieces a product cut by `choice` (1 rows, 2 columns, 3 depth) is run as.
static int NAME(piece_count)(const FAMILY *f, const NAME(job) *job, int choice) {
    const ptrdiff_t extent = choice == 1 ? job->M : choice == 2 ? job->N : job->K;
    const ptrdiff_t cutExtent = choice == 2 && job->plan.edgeKernel ? extent - extent % f->nr : extent;
    const ptrdiff_t unit = choice == 1 ? f->mr : choice == 2 ? f->nr : 8;
    int count = BP_GEMM_CHUNKS;
    while (count > 2 && cutExtent / unit < count) count /= 2;
    return count;
}

// Starts the preparation for `job` (the whole product as NAME(using) sees it), if it qualifies and the
// helper is free; returns whether it did.
static int NAME(prepare)(const NAME(job) *job, int choice, int count, ptrdiff_t indexCount) {
    if (!NAME(can_prepare)(job, choice, count)) return 0;
    NAME(preparation) *p = NAME(this_thread_preparation)();
    if (p == NULL) return 0;
    // One that no product used is replaced, once the helper no longer writes into it.
    NAME(drop_prepared)();
    const FAMILY *f = job->family;
    const int helperPieces = count - count / 2;
    const int preparedPieces = BP_PREPARED_PIECES < helperPieces ? BP_PREPARED_PIECES : helperPieces;
    const ptrdiff_t split = NAME(prepared_split)(f, job->transA, job->transB, job->M, job->N, job->K,
                                                 (double)preparedPieces / helperPieces);
    // The prepared pieces' rows, the last block rounded up to whole panels, and the packing's slack.
    const ptrdiff_t rows = NAME(piece_at)(job->M, f->mr, count / 2 + preparedPieces, count, split) - split;
    const size_t panelBytes = (size_t)((rows + f->mr) * job->K + BP_PACK_SLACK) * sizeof(T);
    if (bp_gemm_grow((void **)&p->panels, &p->panelCapacity, panelBytes) != 0 ||
        (job->A.rows.index != NULL &&
         bp_gemm_grow((void **)&p->index, &p->indexCapacity, (size_t)indexCount * sizeof(ptrdiff_t)) != 0))
        return 0;
    p->era = bp_gemm_preparation_era();
    p->family = f;
    p->transA = job->transA;
    p->transB = job->transB;
    p->count = count;
    p->preparedPieces = preparedPieces;
    p->M = job->M;
    p->N = job->N;
    p->K = job->K;
    p->split = split;
    p->A = job->A;
    if (job->A.rows.index != NULL) {
        memcpy(p->index, job->A.rows.index, (size_t)indexCount * sizeof(ptrdiff_t));
        p->A.rows.index = p->index;
    }
    atomic_store(&p->packed, 0);
    p->ready = bp_gemm_post_async(NAME(prepare_job), p);
    return p->ready;
}

// This thread's preparation for `job`, finished and packed, or NULL. One for another product is left
// waiting (the layers above a first layer multiply between its forward pass and its weight gradient).
static NAME(preparation) *NAME(take_prepared)(const NAME(job) *job, int choice, int count, ptrdiff_t indexCount) {
    NAME(preparation) *p = NAME(this_thread_preparation)();
    if (p == NULL || !p->ready) return NULL;
    const int same = NAME(can_prepare)(job, choice, count) && p->era == bp_gemm_preparation_era() &&
                     p->family == job->family && p->transA == job->transA && p->transB == job->transB &&
                     p->count == count && p->M == job->M && p->N == job->N && p->K == job->K &&
                     p->A.data == job->A.data && p->A.rows.stride == job->A.rows.stride &&
                     (p->A.rows.index == NULL) == (job->A.rows.index == NULL) &&
                     (job->A.rows.index == NULL ||
                      memcmp(p->index, job->A.rows.index, (size_t)indexCount * sizeof(ptrdiff_t)) == 0);
    if (!same) return NULL;
    bp_gemm_finish_async();
    if (!atomic_load_explicit(&p->packed, memory_order_acquire)) {
        p->ready = 0;
        return NULL;
    }
    return p;
}
