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
// j of B when transB), one column after the other: dst[j*kc + p]. The layout tests are made once, out
// of the loops (without -O3's loop unswitching they stayed in the inner loop, one element at a time).
static void NAME(pack_edge)(int transB, NAME(operand) B, ptrdiff_t edge, ptrdiff_t pc, ptrdiff_t kc, T *dst) {
    if (transB) {
        // Column j of op(B) is stored row j: its steps are contiguous.
        for (ptrdiff_t j = 0; j < edge; j++) {
            const T *row = B.data + bp_row_offset(B.rows, j) + pc;
            T *out = dst + j * kc;
            for (ptrdiff_t p = 0; p < kc; p++) out[p] = row[p];
        }
        return;
    }
    // Step p is stored row pc + p, whose first `edge` elements are the columns' values.
    for (ptrdiff_t p = 0; p < kc; p++) {
        const T *row = B.data + bp_row_offset(B.rows, pc + p);
        for (ptrdiff_t j = 0; j < edge; j++) dst[j * kc + p] = row[j];
    }
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
                const T *blockA = packedA;
                NAME(pack)(f, f->mr, 0, !transA, A, ic, mc, pc, kc, packedA);
                for (ptrdiff_t jr = 0; jr < nc; jr += NR) {
                    const int nr = (int)NAME(min)(NR, nc - jr);
                    for (ptrdiff_t ir = 0; ir < mc; ir += MR) {
                        const int mr = (int)NAME(min)(MR, mc - ir);
                        f->kernel(kc, blockA + ir * kc, packedB + jr * kc, C + (ic + ir) * ldc + jc + jr,
                                  ldc, scale, mr, nr);
                    }
                }
                if (atEdge) f->edge_columns_packed(mc, kc, blockA, edgeB, (int)edge, C + ic * ldc + N, ldc, scale);
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
