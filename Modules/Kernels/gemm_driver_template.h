// The blocked gemm driver, written once for both precisions: gemm_driver.c includes it with
// T (the scalar), FAMILY (the family struct) and NAME(x) (a name prefix) defined.
//
// Loop order (Goto and van de Geijn): for each nc-wide column block of C, for each kc-deep slice of
// the inner dimension, pack op(B)[kc × nc] once (the slice stays in L2/L3), then for each mc-tall row
// block pack op(A)[mc × kc] (it stays in L2) and sweep the micro-kernel over the block, B micro-panel
// outer (it stays in L1 while the A micro-panels stream past). Transposes only change how panels are
// packed, so all four cases run the same kernel at the same speed.

static ptrdiff_t NAME(min)(ptrdiff_t a, ptrdiff_t b) { return a < b ? a : b; }

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

// The unblocked product, for when scratch memory cannot be had.
static void NAME(unpacked)(int transA, int transB, ptrdiff_t M, ptrdiff_t N, ptrdiff_t K, T alpha,
                           const T *A, ptrdiff_t lda, const T *B, ptrdiff_t ldb, T beta, T *C,
                           ptrdiff_t ldc) {
    NAME(scale)(M, N, beta, C, ldc);
    for (ptrdiff_t i = 0; i < M; i++) {
        T *c = C + i * ldc;
        for (ptrdiff_t p = 0; p < K; p++) {
            T a = alpha * (transA ? A[p * lda + i] : A[i * lda + p]);
            for (ptrdiff_t j = 0; j < N; j++) c[j] += a * (transB ? B[j * ldb + p] : B[p * ldb + j]);
        }
    }
}

// One thread's product on a block of C (M, N, K > 0).
static void NAME(serial)(const FAMILY *f, int transA, int transB, ptrdiff_t M, ptrdiff_t N,
                         ptrdiff_t K, T alpha, const T *A, ptrdiff_t lda, const T *B, ptrdiff_t ldb,
                         T beta, T *C, ptrdiff_t ldc) {
    const int MR = f->mr, NR = f->nr;
    const ptrdiff_t kcMax = NAME(balanced_block)(K, f->kc, 8);
    const ptrdiff_t mcMax = NAME(balanced_block)(M, f->mc, MR);
    const ptrdiff_t ncMax = NAME(balanced_block)(N, f->nc, NR);
    const ptrdiff_t mcRound = (mcMax + MR - 1) / MR * MR, ncRound = (ncMax + NR - 1) / NR * NR;
    void *bufferA, *bufferB;
    if (bp_gemm_scratch((size_t)(mcRound * kcMax + BP_PACK_SLACK) * sizeof(T),
                        (size_t)(ncRound * kcMax + BP_PACK_SLACK) * sizeof(T), &bufferA, &bufferB) != 0) {
        NAME(unpacked)(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    T *packedA = bufferA, *packedB = bufferB;
    for (ptrdiff_t jc = 0; jc < N; jc += ncMax) {
        const ptrdiff_t nc = NAME(min)(ncMax, N - jc);
        for (ptrdiff_t pc = 0; pc < K; pc += kcMax) {
            const ptrdiff_t kc = NAME(min)(kcMax, K - pc);
            const T scale[2] = {alpha, pc == 0 ? beta : (T)1};
            if (transB) f->pack_strided(NR, 1, nc, kc, B + jc * ldb + pc, ldb, packedB);
            else f->pack_contiguous(NR, 1, nc, kc, B + pc * ldb + jc, ldb, packedB);
            for (ptrdiff_t ic = 0; ic < M; ic += mcMax) {
                const ptrdiff_t mc = NAME(min)(mcMax, M - ic);
                if (transA) f->pack_contiguous(MR, 0, mc, kc, A + pc * lda + ic, lda, packedA);
                else f->pack_strided(MR, 0, mc, kc, A + ic * lda + pc, lda, packedA);
                for (ptrdiff_t jr = 0; jr < nc; jr += NR) {
                    const int nr = (int)NAME(min)(NR, nc - jr);
                    for (ptrdiff_t ir = 0; ir < mc; ir += MR) {
                        const int mr = (int)NAME(min)(MR, mc - ir);
                        f->kernel(kc, packedA + ir * kc, packedB + jr * kc, C + (ic + ir) * ldc + jc + jr,
                                  ldc, scale, mr, nr);
                    }
                }
            }
        }
    }
}

// One half of a two-thread product.
typedef struct {
    const FAMILY *family;
    int transA, transB;
    ptrdiff_t M, N, K;
    T alpha, beta;
    const T *A, *B;
    ptrdiff_t lda, ldb, ldc;
    T *C;
} NAME(job);

static void NAME(run_job)(void *argument) {
    const NAME(job) *j = argument;
    if (j->M > 0 && j->N > 0)
        NAME(serial)(j->family, j->transA, j->transB, j->M, j->N, j->K, j->alpha, j->A, j->lda, j->B,
                     j->ldb, j->beta, j->C, j->ldc);
}

static void NAME(using)(int kernel, int threads, int transA, int transB, ptrdiff_t M, ptrdiff_t N,
                        ptrdiff_t K, T alpha, const T *A, ptrdiff_t lda, const T *B, ptrdiff_t ldb,
                        T beta, T *C, ptrdiff_t ldc) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0 || alpha == (T)0) {
        NAME(scale)(M, N, beta, C, ldc);
        return;
    }
    const FAMILY *f = NAME(family)(bp_gemm_resolve_kernel(kernel));
    // Both threads pay off only above a measured amount of work (see docs/performance.md).
    const double work = (double)M * (double)N * (double)K;
    const ptrdiff_t rowTiles = (M + f->mr - 1) / f->mr, columnTiles = (N + f->nr - 1) / f->nr;
    if (bp_gemm_resolve_threads(threads) < 2 || work < BP_GEMM_PARALLEL_WORK ||
        (rowTiles < 2 && columnTiles < 2)) {
        NAME(serial)(f, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    NAME(job) first = {f, transA, transB, M, N, K, alpha, beta, A, B, lda, ldb, ldc, C};
    NAME(job) second = first;
    // Split the longer side, at a tile boundary so each half keeps full tiles: each half packs all of
    // the operand along the other side, and that duplicated packing is the smaller one.
    if ((M >= N && rowTiles >= 2) || columnTiles < 2) {
        const ptrdiff_t split = NAME(min)(M, (rowTiles + 1) / 2 * f->mr);
        first.M = split;
        second.M = M - split;
        second.A = transA ? A + split : A + split * lda;
        second.C = C + split * ldc;
    } else {
        const ptrdiff_t split = NAME(min)(N, (columnTiles + 1) / 2 * f->nr);
        first.N = split;
        second.N = N - split;
        second.B = transB ? B + split * ldb : B + split;
        second.C = C + split;
    }
    bp_gemm_run_pair(NAME(run_job), &first, &second);
}
