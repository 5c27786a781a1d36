// The blocked gemm driver, written once for both precisions: gemm_driver.c includes it with
// T (the scalar), FAMILY (the family struct) and NAME(x) (a name prefix) defined.
//
// Loop order (Goto and van de Geijn): for each nc-wide column block of C, for each kc-deep slice of
// the inner dimension, pack op(B)[kc × nc] once (the slice stays in L2/L3), then for each mc-tall row
// block pack op(A)[mc × kc] (it stays in L2) and sweep the micro-kernel over the block, B micro-panel
// outer (it stays in L1 while the A micro-panels stream past). Transposes only change how panels are
// packed, so all four cases run the same kernel at the same speed.

static ptrdiff_t NAME(min)(ptrdiff_t a, ptrdiff_t b) { return a < b ? a : b; }

// An operand as stored: its elements and where its rows start (plain rows `stride` apart, or rows
// picked by an index out of a larger matrix; see bp_rows).
typedef struct {
    const T *data;
    bp_rows rows;
} NAME(operand);

// The operand from stored row `first` on.
static NAME(operand) NAME(rows_from)(NAME(operand) x, ptrdiff_t first) {
    if (x.rows.index != NULL) x.rows.index += first;
    else x.data += first * x.rows.stride;
    return x;
}

// The operand from stored column `first` on.
static NAME(operand) NAME(columns_from)(NAME(operand) x, ptrdiff_t first) {
    x.data += first;
    return x;
}

// Element (r, c) of the operand as stored.
static T NAME(at)(NAME(operand) x, ptrdiff_t r, ptrdiff_t c) { return x.data[bp_row_offset(x.rows, r) + c]; }

// Splits `extent` into the fewest blocks of at most `block`, of equal size rounded up to `unit`.
static ptrdiff_t NAME(balanced_block)(ptrdiff_t extent, ptrdiff_t block, ptrdiff_t unit) {
    if (extent <= block) return extent;
    ptrdiff_t count = (extent + block - 1) / block;
    ptrdiff_t size = (extent + count - 1) / count;
    size = (size + unit - 1) / unit * unit;
    return size < block ? size : block;
}

// C = beta * C, without reading C when beta is 0.
static void NAME(scale)(ptrdiff_t M, ptrdiff_t N, T beta, T *C, ptrdiff_t ldc) {
    for (ptrdiff_t i = 0; i < M; i++) {
        T *c = C + i * ldc;
        if (beta == (T)0) {
            for (ptrdiff_t j = 0; j < N; j++) c[j] = 0;
        } else if (beta != (T)1) {
            for (ptrdiff_t j = 0; j < N; j++) c[j] *= beta;
        }
    }
}

// The plain triple loop, for when scratch memory cannot be had.
static void NAME(plain)(int transA, int transB, ptrdiff_t M, ptrdiff_t N, ptrdiff_t K, T alpha, NAME(operand) A,
                        NAME(operand) B, T beta, T *C, ptrdiff_t ldc) {
    NAME(scale)(M, N, beta, C, ldc);
    for (ptrdiff_t i = 0; i < M; i++) {
        T *c = C + i * ldc;
        for (ptrdiff_t p = 0; p < K; p++) {
            T a = alpha * (transA ? NAME(at)(A, p, i) : NAME(at)(A, i, p));
            for (ptrdiff_t j = 0; j < N; j++) c[j] += a * (transB ? NAME(at)(B, j, p) : NAME(at)(B, p, j));
        }
    }
}

// Whether the micro-kernel reads A from its rows instead of a packed copy: packing costs about half a
// cycle per element (a transpose), while each A micro-panel is read once per B micro-panel; up to 32
// of those the cache serves the rows as well as the packed copy (measured: equal at 512 columns,
// 4% slower at 2048).
static int NAME(reads_a_in_place)(const FAMILY *f, int transA, ptrdiff_t N) {
    return !transA && f->kernel_rows != NULL && N <= 32 * (ptrdiff_t)f->nr;
}

// Whether the few columns past the last full tile (at most a quarter of a tile) go to an edge kernel
// (see gemm_avx2_edge.c): the product must be deep enough for the edge to matter.
static int NAME(has_edge_kernel)(const FAMILY *f, int transA, ptrdiff_t N, ptrdiff_t K) {
    const ptrdiff_t edge = N % f->nr;
    if (N < f->nr || edge == 0 || edge > f->nr / 4 || K < 64) return 0;
    return NAME(reads_a_in_place)(f, transA, N - edge) ? f->dot_columns != NULL : f->edge_columns_packed != NULL;
}

// How a product reads A and covers its last columns: decided once per product.
typedef struct {
    int readsAInPlace, edgeKernel;
} NAME(plan);

static NAME(plan) NAME(make_plan)(const FAMILY *f, int transA, ptrdiff_t N, ptrdiff_t K) {
    const int edgeKernel = NAME(has_edge_kernel)(f, transA, N, K);
    const ptrdiff_t tiles = edgeKernel ? N - N % f->nr : N;
    return (NAME(plan)){NAME(reads_a_in_place)(f, transA, tiles), edgeKernel};
}

// Packs steps pc ..< pc + kc of the `edge` columns of op(B) that start at B (column j of op(B) is row
// j of B when transB), one column after the other: dst[j*kc + p].
static void NAME(pack_edge)(int transB, NAME(operand) B, ptrdiff_t edge, ptrdiff_t pc, ptrdiff_t kc, T *dst) {
    for (ptrdiff_t j = 0; j < edge; j++)
        for (ptrdiff_t p = 0; p < kc; p++) dst[j * kc + p] = transB ? NAME(at)(B, j, pc + p) : NAME(at)(B, pc + p, j);
}

// Packs lines first ..< first + count, steps pc ..< pc + kc of an operand into R-wide micro-panels
// (narrow-edged when `narrow`): the lines are the operand's stored rows when `linesAreRows` (A, or
// Bᵀ), its stored columns otherwise (Aᵀ, or B).
static void NAME(pack)(const FAMILY *f, int R, int narrow, int linesAreRows, NAME(operand) x, ptrdiff_t first,
                       ptrdiff_t count, ptrdiff_t pc, ptrdiff_t kc, T *dst) {
    if (linesAreRows) {
        const NAME(operand) lines = NAME(rows_from)(x, first);
        f->pack_strided(R, narrow, count, kc, lines.data + pc, lines.rows, dst);
    } else {
        const NAME(operand) steps = NAME(rows_from)(x, pc);
        f->pack_contiguous(R, narrow, count, kc, steps.data + first, steps.rows, dst);
    }
}

// The edge columns of a block with no full tile: packed op(B) columns against A read in place (dot
// products) or packed, k block by k block, as `serial` does after its tiles.
static void NAME(edge_only)(const FAMILY *f, int unpackedA, int transA, int transB, ptrdiff_t M, ptrdiff_t edge,
                            ptrdiff_t K, ptrdiff_t kcMax, T alpha, NAME(operand) A, NAME(operand) B, T beta, T *C,
                            ptrdiff_t ldc, T *packedA, T *edgeB) {
    const ptrdiff_t mcMax = NAME(balanced_block)(M, f->mc, f->mr);
    for (ptrdiff_t pc = 0; pc < K; pc += kcMax) {
        const ptrdiff_t kc = NAME(min)(kcMax, K - pc);
        const T scale[2] = {alpha, pc == 0 ? beta : (T)1};
        NAME(pack_edge)(transB, B, edge, pc, kc, edgeB);
        if (unpackedA) {
            f->dot_columns(M, kc, A.data + pc, A.rows, edgeB, (int)edge, C, ldc, scale);
            continue;
        }
        for (ptrdiff_t ic = 0; ic < M; ic += mcMax) {
            const ptrdiff_t mc = NAME(min)(mcMax, M - ic);
            NAME(pack)(f, f->mr, 0, !transA, A, ic, mc, pc, kc, packedA);
            f->edge_columns_packed(mc, kc, packedA, edgeB, (int)edge, C + ic * ldc, ldc, scale);
        }
    }
}

// One thread's product on a block of C (M, N, K > 0).
//
// `plan` says how A is read and whether an edge kernel takes the columns past the last full tile; it is
// decided once for the whole product (NAME(plan)), so that every piece of a two-thread product computes
// each element exactly as the whole product would on one thread.
static void NAME(serial)(const FAMILY *f, NAME(plan) plan, int transA, int transB, ptrdiff_t M, ptrdiff_t N,
                         ptrdiff_t K, T alpha, NAME(operand) A, NAME(operand) B, T beta, T *C, ptrdiff_t ldc) {
    const int MR = f->mr, NR = f->nr;
    // A few columns past the last full tile (the A2 forward product: 50 = 3 × 16 + 2) are done by dot
    // products, block by block of k while those rows of A are in cache; the tiles cover N - edge.
    const ptrdiff_t edge = plan.edgeKernel ? N % NR : 0;
    N -= edge;
    const ptrdiff_t kcMax = NAME(balanced_block)(K, f->kc, 8);
    const ptrdiff_t mcMax = NAME(balanced_block)(M, f->mc, MR);
    const ptrdiff_t ncMax = NAME(balanced_block)(N, f->nc, NR);
    const ptrdiff_t mcRound = (mcMax + MR - 1) / MR * MR, ncRound = (ncMax + NR - 1) / NR * NR;
    void *bufferA, *bufferB;
    if (bp_gemm_scratch((size_t)(mcRound * kcMax + BP_PACK_SLACK) * sizeof(T),
                        (size_t)(ncRound * kcMax + BP_PACK_SLACK + edge * kcMax) * sizeof(T), &bufferA,
                        &bufferB) != 0) {
        NAME(plain)(transA, transB, M, N + edge, K, alpha, A, B, beta, C, ldc);
        return;
    }
    T *packedA = bufferA, *packedB = bufferB;
    // The edge columns of op(B), packed one after the other for the current k block.
    T *edgeB = packedB + ncRound * kcMax + BP_PACK_SLACK;
    const int unpackedA = plan.readsAInPlace;
    if (N == 0 && edge > 0) {
        // Only edge columns (the last piece of a product cut by columns may hold nothing else): no tiles,
        // the edge kernel alone, block by block of k as below.
        NAME(edge_only)(f, unpackedA, transA, transB, M, edge, K, kcMax, alpha, A, B, beta, C, ldc, packedA, edgeB);
        return;
    }
    for (ptrdiff_t jc = 0; jc < N; jc += ncMax) {
        const ptrdiff_t nc = NAME(min)(ncMax, N - jc);
        for (ptrdiff_t pc = 0; pc < K; pc += kcMax) {
            const ptrdiff_t kc = NAME(min)(kcMax, K - pc);
            const T scale[2] = {alpha, pc == 0 ? beta : (T)1};
            NAME(pack)(f, f->nr, 1, transB, B, jc, nc, pc, kc, packedB);
            const int atEdge = edge > 0 && jc + nc == N;
            if (atEdge) NAME(pack_edge)(transB, transB ? NAME(rows_from)(B, N) : NAME(columns_from)(B, N), edge, pc,
                                        kc, edgeB);
            for (ptrdiff_t ic = 0; ic < M; ic += mcMax) {
                const ptrdiff_t mc = NAME(min)(mcMax, M - ic);
                if (unpackedA) {
                    for (ptrdiff_t jr = 0; jr < nc; jr += NR) {
                        const int nr = (int)NAME(min)(NR, nc - jr);
                        for (ptrdiff_t ir = 0; ir < mc; ir += MR) {
                            const int mr = (int)NAME(min)(MR, mc - ir);
                            const NAME(operand) panel = NAME(rows_from)(A, ic + ir);
                            f->kernel_rows(kc, panel.data + pc, panel.rows, packedB + jr * kc,
                                           C + (ic + ir) * ldc + jc + jr, ldc, scale, mr, nr);
                        }
                    }
                    continue;
                }
                NAME(pack)(f, f->mr, 0, !transA, A, ic, mc, pc, kc, packedA);
                for (ptrdiff_t jr = 0; jr < nc; jr += NR) {
                    const int nr = (int)NAME(min)(NR, nc - jr);
                    for (ptrdiff_t ir = 0; ir < mc; ir += MR) {
                        const int mr = (int)NAME(min)(MR, mc - ir);
                        f->kernel(kc, packedA + ir * kc, packedB + jr * kc, C + (ic + ir) * ldc + jc + jr,
                                  ldc, scale, mr, nr);
                    }
                }
                if (atEdge) f->edge_columns_packed(mc, kc, packedA, edgeB, (int)edge, C + ic * ldc + N, ldc, scale);
            }
            if (atEdge && unpackedA) f->dot_columns(M, kc, A.data + pc, A.rows, edgeB, (int)edge, C + N, ldc, scale);
        }
    }
}

// MARK: - Orientation

// The relative cost of the register tiles covering rows × columns of C, in multiply-adds per step of
// k: rows are covered in proportion (a tile of fewer rows costs less), columns in whole vectors, and
// the narrow edge tile (at most NR/2 columns) runs at about 80% of the full tile's rate.
static double NAME(tile_cost)(const FAMILY *f, ptrdiff_t rows, ptrdiff_t columns, int edgeKernel) {
    const ptrdiff_t rest = columns % f->nr;
    double covered = (double)(columns - rest);
    if (rest > f->nr / 2) covered += f->nr;
    else if (rest > 0 && edgeKernel) covered += 1.5 * (double)rest;  // every lane busy, at about 2/3 speed
    else if (rest > 0) covered += 1.25 * (f->nr / 2);
    return (double)rows * covered;
}

// Estimated cycles of op(A)·op(B) (M×N×K) computed as written: the tiles at 16 Float multiply-adds
// per cycle (the ratio is what matters), plus packing, measured at about 0.6 cycle per element
// through transposes (strided) and 0.45 by copies (contiguous).
static double NAME(cost)(const FAMILY *f, int transA, int transB, ptrdiff_t M, ptrdiff_t N, ptrdiff_t K) {
    const double packA = NAME(reads_a_in_place)(f, transA, N) ? 0 : (transA ? 0.45 : 0.6);
    const double packB = transB ? 0.6 : 0.45;
    return NAME(tile_cost)(f, M, N, NAME(has_edge_kernel)(f, transA, N, K)) * (double)K / 16 +
           (packA * (double)M + packB * (double)N) * (double)K;
}

// Whether to compute Cᵀ = op(B)ᵀ·op(A)ᵀ into a scratch matrix and transpose it into C (0.3 cycle per
// element): it pays when C's width fits the vector tiles badly and its height well, as for the A2
// weight gradient (3072×50: 48 + 2 columns), and the operands pack no slower the other way round.
static int NAME(transpose_pays)(const FAMILY *f, int transA, int transB, ptrdiff_t M, ptrdiff_t N, ptrdiff_t K) {
    const double direct = NAME(cost)(f, transA, transB, M, N, K);
    const double swapped = NAME(cost)(f, !transB, !transA, N, M, K) + 0.3 * (double)M * (double)N;
    return swapped < 0.95 * direct;
}

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
    int count = BP_GEMM_CHUNKS;
    while (count > 2 && cutExtent / unit < count) count /= 2;
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
