// Cutting a product into pieces for the two threads and running them, written once for both precisions:
// gemm_driver.c includes it after gemm_driver_template.h, with T, FAMILY and NAME(x) defined.

// MARK: - Threads

// One piece of a two-thread product (or the whole product). With `transposed`, C is a block of the
// scratch matrix Cᵀ and the job then transposes it into `target` (C's matching block) as
// target = Cᵀᵀ + targetBeta · target.
typedef struct {
    const FAMILY *family;
    int transA, transB;
    ptrdiff_t M, N, K;
    T alpha, beta;
    NAME(operand) A, B;
    ptrdiff_t ldc;
    T *C;
    int transposed;
    T *target;
    ptrdiff_t ldTarget;
    T targetBeta;
    NAME(plan) plan;
} NAME(job);

static void NAME(run_job)(void *argument) {
    const NAME(job) *j = argument;
    if (j->M <= 0 || j->N <= 0) return;
    NAME(serial)(j->family, j->plan, j->transA, j->transB, j->M, j->N, j->K, j->alpha, j->A, j->B, j->beta, j->C,
                 j->ldc);
    if (j->transposed)
        j->family->transpose_add(j->M, j->N, j->C, j->ldc, j->targetBeta, j->target, j->ldTarget);
}

// The split point of `extent` nearest its middle on a multiple of `unit` (so both halves keep whole
// tiles), between 1 and extent - 1 (extent >= 2).
static ptrdiff_t NAME(half)(ptrdiff_t extent, ptrdiff_t unit) {
    ptrdiff_t split = (extent / 2 + unit / 2) / unit * unit;
    if (split < unit) split = unit;
    if (split >= extent) split = extent - 1;
    return split < 1 ? 1 : split;
}

// How to cut a product into pieces for two threads: 0 not at all, 1 rows, 2 columns, 3 the inner
// dimension. Cutting rows (columns) makes each piece pack all of op(B) (op(A)); cutting the inner
// dimension packs nothing twice but adds passes over C, and pays for short, wide-k products like the A2
// forward one (100×50×3072). A rough estimate from the cycles of the busier of two halves (each thread
// runs about half the pieces), with one pass over C. Only direct products cut the inner dimension (a
// product computed as Cᵀ already uses the scratch matrix).
static int NAME(split_choice)(const FAMILY *f, const NAME(job) *j) {
    const ptrdiff_t rowTiles = (j->M + f->mr - 1) / f->mr, columnTiles = (j->N + f->nr - 1) / f->nr;
    const double none = 1e300;
    double byRows = none, byColumns = none, byDepth = none;
    if (rowTiles >= 2) {
        const ptrdiff_t split = NAME(half)(j->M, f->mr);
        const ptrdiff_t larger = split > j->M - split ? split : j->M - split;
        byRows = NAME(cost)(f, j->transA, j->transB, larger, j->N, j->K);
    }
    if (columnTiles >= 2) {
        const ptrdiff_t split = NAME(half)(j->N, f->nr);
        const ptrdiff_t larger = split > j->N - split ? split : j->N - split;
        byColumns = NAME(cost)(f, j->transA, j->transB, j->M, larger, j->K);
    }
    if (!j->transposed && j->K >= 64)
        byDepth = NAME(cost)(f, j->transA, j->transB, j->M, j->N, j->K - NAME(half)(j->K, 8)) +
                  0.3 * (double)j->M * (double)j->N;
    const double best = byRows < byColumns ? byRows : byColumns;
    if (byDepth < 0.95 * best) return 3;
    if (best == none) return 0;
    return byRows <= byColumns ? 1 : 2;
}

// C += P1, then += P2, … (the partial sums of pieces 1 ..< count of the inner dimension, M×N each, one
// after the other in `partials`), in that order for every element, so the sum rounds the same however
// the pieces ran. Three partials (four pieces, the usual cut) go in one pass over C instead of three
// (the A2 forward product's sum: about a third less time, from perf's share of samples).
static void NAME(add_partials)(ptrdiff_t M, ptrdiff_t N, int count, const T *partials, T *C, ptrdiff_t ldc) {
    const ptrdiff_t size = M * N;
    for (ptrdiff_t i = 0; i < M; i++) {
        T *row = C + i * ldc;
        const T *p = partials + i * N;
        if (count == 3) {
            for (ptrdiff_t j = 0; j < N; j++) row[j] = ((row[j] + p[j]) + p[size + j]) + p[2 * size + j];
            continue;
        }
        for (int c = 0; c < count; c++)
            for (ptrdiff_t j = 0; j < N; j++) row[j] += p[c * size + j];
    }
}

// The pieces of a product run by bp_gemm_run_chunks.
typedef struct {
    int count;
    NAME(job) jobs[BP_GEMM_CHUNKS];
} NAME(chunks);

static void NAME(run_chunk)(void *context, int chunk) {
    NAME(run_job)(&((NAME(chunks) *)context)->jobs[chunk]);
}

// The start of piece `c` of `count` over `extent`, on a multiple of `unit` (so pieces keep whole
// tiles); piece `count` starts at `extent`. Pieces are non-empty when extent >= count · unit.
static ptrdiff_t NAME(piece)(ptrdiff_t extent, ptrdiff_t unit, int c, int count) {
    if (c >= count) return extent;
    const ptrdiff_t units = (extent + unit - 1) / unit;
    const ptrdiff_t start = units * c / count * unit;
    return start < extent ? start : extent;
}

// The chunk that runs piece `piece` of `count`. The caller claims chunks from the front and the helper
// from the back (bp_gemm_run_chunks), so the second half of the pieces is listed in reverse: each
// thread then runs its pieces in increasing address order, and the hardware prefetcher, still
// streaming past the end of one piece's part of each row, has the next piece's start on its way.
// Measured on the A2 forward product (rows read from the training set): the helper's second piece
// 92 -> 83 µs, the product 189 -> 181 µs (minimum of 15 epochs).
static int NAME(chunk_of_piece)(int piece, int count) {
    return piece < count / 2 ? piece : count - 1 - (piece - count / 2);
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

// C = alpha·op(A)·op(B) + beta·C, on one thread or two.
static void NAME(using)(int kernel, int threads, int transA, int transB, ptrdiff_t M, ptrdiff_t N,
                        ptrdiff_t K, T alpha, NAME(operand) A, NAME(operand) B, T beta, T *C, ptrdiff_t ldc) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0 || alpha == (T)0) {
        NAME(scale)(M, N, beta, C, ldc);
        return;
    }
    const FAMILY *f = NAME(family)(bp_gemm_resolve_kernel(kernel));
    NAME(job) first = {f, transA, transB, M, N, K, alpha, beta, A, B, ldc, C, 0, C, ldc, beta};
    void *scratch;
    if (NAME(transpose_pays)(f, transA, transB, M, N, K) &&
        bp_gemm_scratch_result((size_t)(M * N) * sizeof(T), &scratch) == 0) {
        // Cᵀ (N×M) = op(B)ᵀ·op(A)ᵀ: B becomes the left operand, transposed the other way round.
        first = (NAME(job)){f, !transB, !transA, N, M, K, alpha, (T)0, B, A, M, scratch, 1, C, ldc, beta};
    }
    first.plan = NAME(make_plan)(f, first.transA, first.N, first.K);
    // Both threads pay off only above a measured amount of work (see docs/performance.md). Every
    // choice below depends on the shape only, never on whether the helper thread is free, so a
    // product's rounding is the same on one thread or two.
    const double work = (double)M * (double)N * (double)K;
    if (work < BP_GEMM_PARALLEL_WORK) {
        NAME(run_job)(&first);
        return;
    }
    const int alone = bp_gemm_resolve_threads(threads) < 2;
    const int choice = NAME(split_choice)(f, &first);
    // Pieces of rows or columns compute each element exactly as the whole product does.
    if (choice == 0 || (alone && choice != 3)) {
        NAME(run_job)(&first);
        return;
    }
    // BP_GEMM_CHUNKS pieces (fewer when there are not enough tiles), claimed by the two threads from
    // opposite ends, so that a slower or late helper takes fewer (see bp_gemm_run_chunks).
    NAME(chunks) pieces = {.count = 0};
    const ptrdiff_t extent = choice == 1 ? first.M : choice == 2 ? first.N : K;
    // Columns are cut among the full tiles; the edge columns, if an edge kernel takes them, go with
    // the last piece, as in the whole product.
    const ptrdiff_t cutExtent = choice == 2 && first.plan.edgeKernel ? extent - extent % f->nr : extent;
    const ptrdiff_t unit = choice == 1 ? f->mr : choice == 2 ? f->nr : 8;
    const int count = NAME(piece_count)(f, &first, choice);
    T *partials = NULL;
    if (choice == 3) {
        // Pieces of the inner dimension: piece 0 accumulates into C, each other one into its own
        // scratch matrix, added into C afterwards in a fixed order.
        void *scratchPartials;
        if (bp_gemm_scratch_result((size_t)((count - 1) * M * N) * sizeof(T), &scratchPartials) != 0) {
            NAME(run_job)(&first);
            return;
        }
        partials = scratchPartials;
    }
    for (int c = 0; c < count; c++) {
        const ptrdiff_t from = NAME(piece)(cutExtent, unit, c, count);
        const ptrdiff_t to = c + 1 == count ? extent : NAME(piece)(cutExtent, unit, c + 1, count);
        NAME(job) piece = first;
        switch (choice) {
        case 1:
            piece.M = to - from;
            piece.A = first.transA ? NAME(columns_from)(first.A, from) : NAME(rows_from)(first.A, from);
            piece.C = first.C + from * first.ldc;
            piece.target = first.transposed ? first.target + from : first.target + from * first.ldTarget;
            break;
        case 2:
            piece.N = to - from;
            piece.B = first.transB ? NAME(rows_from)(first.B, from) : NAME(columns_from)(first.B, from);
            piece.C = first.C + from;
            piece.target = first.transposed ? first.target + from * first.ldTarget : first.target + from;
            break;
        default:
            piece.K = to - from;
            piece.A = first.transA ? NAME(rows_from)(first.A, from) : NAME(columns_from)(first.A, from);
            piece.B = first.transB ? NAME(columns_from)(first.B, from) : NAME(rows_from)(first.B, from);
            if (c > 0) {
                piece.beta = 0;
                piece.C = partials + (ptrdiff_t)(c - 1) * M * N;
                piece.ldc = N;
            }
            break;
        }
        pieces.jobs[NAME(chunk_of_piece)(c, count)] = piece;
        pieces.count++;
    }
    if (alone) {
        for (int c = 0; c < pieces.count; c++) NAME(run_job)(&pieces.jobs[NAME(chunk_of_piece)(c, count)]);
    } else {
        bp_gemm_run_chunks(NAME(run_chunk), &pieces, pieces.count);
    }
    if (choice == 3) NAME(add_partials)(M, N, pieces.count - 1, partials, C, ldc);
}
