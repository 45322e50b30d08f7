/* The CUDA track, GEMM: gemm1_naive (10 points), gemm2_tiled (12) and
 * gemm3_regblock (14), against the CPU reference on many shapes.
 *
 * The inputs are multiples of 1/8 in [-1, 1] (gk_grid): every product and
 * partial sum is exact in float32, so a correct kernel matches the
 * reference to the bit whatever the order of its additions, and any
 * difference is a bug. The tolerance is still the grader's policy for
 * sums (DK_TOL_REDUCTION), as everywhere. */
#include "check.h"

#include <cstdio>

/* (M, N, K) */
struct gemm_shape {
    int M, N, K;
};

/* Multiples of every tile size a kernel is likely to use. */
static const gemm_shape TILE_MULTIPLES[] = {{32, 32, 32}, {64, 128, 32}, {128, 128, 128},
                                            {256, 128, 64}};
/* Sizes that are multiples of nothing, down to 1. */
static const gemm_shape ODD_SHAPES[] = {{1, 1, 1},    {1, 7, 3},    {7, 1, 5},     {5, 9, 1},
                                        {33, 65, 17}, {63, 31, 95}, {129, 127, 131}, {100, 300, 7},
                                        {257, 33, 129}};
/* Small enough for compute-sanitizer, several tiles each. */
static const gemm_shape SANITIZER_SHAPES[] = {{7, 5, 3}, {70, 40, 50}, {130, 70, 40}};

template <size_t N> static constexpr int count_of(const gemm_shape (&)[N])
{
    return (int)N;
}

/* How one call is made. */
struct gemm_case {
    gemm_shape s;
    bool ta, tb;
    float alpha, beta; /* beta != 0: C starts with values, else with NaN */
    int misalign;      /* every pointer this many floats past 16-byte alignment */
};

/* Runs f on one case and compares C with the CPU reference. */
static void check_case(gemm_fn *f, const char *name, const gemm_case &c, uint64_t salt)
{
    const int M = c.s.M, N = c.s.N, K = c.s.K;
    dk_rng rng = gk_rng(salt);
    float *A = gk_grid(&rng, (size_t)M * K, 8), *B = gk_grid(&rng, (size_t)K * N, 8);
    float *C0 = gk_grid(&rng, (size_t)M * N, 8), *want = gk_host((size_t)M * N);
    for (size_t i = 0; i < (size_t)M * N; i++)
        want[i] = C0[i];
    cpu_gemm(c.ta, c.tb, M, N, K, c.alpha, A, B, c.beta, want);
    gk_misalign(c.misalign);
    const float *dA = gk_input(A, (size_t)M * K), *dB = gk_input(B, (size_t)K * N);
    float *dC = c.beta != 0.0f ? gk_output_prefilled(C0, (size_t)M * N) : gk_output((size_t)M * N);
    gk_misalign(0);
    char what[160];
    snprintf(what, sizeof what, "%s(trans_a=%d, trans_b=%d, M=%d, N=%d, K=%d, alpha=%g, beta=%g)%s",
             name, c.ta, c.tb, M, N, K, c.alpha, c.beta, c.misalign ? " on unaligned pointers" : "");
    f(c.ta, c.tb, M, N, K, c.alpha, dA, dB, c.beta, dC, 0);
    gk_sync("%s", what);
    gk_expect_output(want, dC, gk_dims(M, N), DK_TOL_REDUCTION, "%s: C", what);
    gk_expect_inputs_untouched("%s", what);
    gk_free_all();
}

static void check_shapes(gemm_fn *f, const char *name, const gemm_shape *shapes, int n,
                         bool all_transposes, float alpha, float beta, int misalign)
{
    for (int i = 0; i < n; i++)
        for (int t = 0; t < (all_transposes ? 4 : 1); t++)
            check_case(f, name, gemm_case{shapes[i], (t & 1) != 0, (t & 2) != 0, alpha, beta, misalign},
                       (uint64_t)(100 * i + t));
}

/* The tests every version takes, with its own points. */
static void tile_multiples(gemm_fn *f, const char *name)
{
    check_shapes(f, name, TILE_MULTIPLES, count_of(TILE_MULTIPLES), false, 1.0f, 0.0f, 0);
}

static void odd_shapes(gemm_fn *f, const char *name)
{
    check_shapes(f, name, ODD_SHAPES, count_of(ODD_SHAPES), false, 1.0f, 0.0f, 0);
}

static void transposes(gemm_fn *f, const char *name)
{
    check_shapes(f, name, ODD_SHAPES, count_of(ODD_SHAPES), true, 1.0f, 0.0f, 0);
}

static void alpha_beta(gemm_fn *f, const char *name)
{
    check_shapes(f, name, ODD_SHAPES, count_of(ODD_SHAPES), false, 0.5f, -1.5f, 0);
    check_shapes(f, name, TILE_MULTIPLES, 2, true, -2.0f, 1.0f, 0);
}

static void sanitizer_shapes(gemm_fn *f, const char *name)
{
    check_shapes(f, name, SANITIZER_SHAPES, count_of(SANITIZER_SHAPES), true, 1.0f, 0.5f, 0);
}

#define HINT_TILES                                                                         \
    "C[i, j] = alpha * (row i of op(A)) . (column j of op(B)) + beta * C[i, j]. With beta = " \
    "0, C holds garbage (NaN): do not read it, since 0 * NaN is NaN."
#define HINT_ODD                                                                           \
    "Sizes that are not multiples of your block or tile: threads past the last row or "    \
    "column must not write, and must not read past the end of A or B either."
#define HINT_TRANSPOSES                                                                    \
    "With trans_a, A is stored (K, M): op(A)[i, k] is A[k*M + i]. With trans_b, B is "     \
    "stored (N, K): op(B)[k, j] is B[j*K + k]."
#define HINT_ALPHA_BETA "C = alpha * op(A) op(B) + beta * C: scale the product, add the old C."
#define HINT_MEMCHECK                                                                      \
    "compute-sanitizer's memcheck saw an access outside an array: guard every load, even " \
    "one whose value would be multiplied by zero."
#define HINT_RACECHECK                                                                     \
    "compute-sanitizer's racecheck saw threads use shared memory that others were still "  \
    "writing or reading: a tile needs a barrier after it is written, and another before "  \
    "it is overwritten."

/* ---- gemm1_naive: 10 points ------------------------------------------------------- */

GPU_TEST(gemm1_naive, tile_multiples, 2, 20, GK_PLAIN, HINT_TILES)
{
    tile_multiples(gemm1_naive, "gemm1_naive");
}

GPU_TEST(gemm1_naive, odd_shapes, 3, 20, GK_PLAIN, HINT_ODD)
{
    odd_shapes(gemm1_naive, "gemm1_naive");
}

GPU_TEST(gemm1_naive, transposes, 3, 20, GK_PLAIN, HINT_TRANSPOSES)
{
    transposes(gemm1_naive, "gemm1_naive");
}

GPU_TEST(gemm1_naive, alpha_beta, 1, 20, GK_PLAIN, HINT_ALPHA_BETA)
{
    alpha_beta(gemm1_naive, "gemm1_naive");
}

GPU_TEST(gemm1_naive, memcheck, 1, 20, GK_MEMCHECK, HINT_MEMCHECK)
{
    sanitizer_shapes(gemm1_naive, "gemm1_naive");
}

/* ---- gemm2_tiled: 12 points --------------------------------------------------------- */

GPU_TEST(gemm2_tiled, tile_multiples, 2, 20, GK_PLAIN, HINT_TILES)
{
    tile_multiples(gemm2_tiled, "gemm2_tiled");
}

GPU_TEST(gemm2_tiled, odd_shapes, 3, 20, GK_PLAIN,
         HINT_ODD " A partial tile is padded with zeros in shared memory.")
{
    odd_shapes(gemm2_tiled, "gemm2_tiled");
}

GPU_TEST(gemm2_tiled, transposes, 3, 20, GK_PLAIN, HINT_TRANSPOSES)
{
    transposes(gemm2_tiled, "gemm2_tiled");
}

GPU_TEST(gemm2_tiled, alpha_beta, 1, 20, GK_PLAIN, HINT_ALPHA_BETA)
{
    alpha_beta(gemm2_tiled, "gemm2_tiled");
}

GPU_TEST(gemm2_tiled, memcheck, 1, 20, GK_MEMCHECK, HINT_MEMCHECK)
{
    sanitizer_shapes(gemm2_tiled, "gemm2_tiled");
}

GPU_TEST(gemm2_tiled, racecheck, 2, 20, GK_RACECHECK, HINT_RACECHECK)
{
    sanitizer_shapes(gemm2_tiled, "gemm2_tiled");
}

/* ---- gemm3_regblock: 14 points ------------------------------------------------------- */

GPU_TEST(gemm3_regblock, tile_multiples, 2, 20, GK_PLAIN, HINT_TILES)
{
    tile_multiples(gemm3_regblock, "gemm3_regblock");
}

GPU_TEST(gemm3_regblock, odd_shapes, 3, 20, GK_PLAIN,
         HINT_ODD " A thread's block of C may straddle the edge: check each row and column.")
{
    odd_shapes(gemm3_regblock, "gemm3_regblock");
}

GPU_TEST(gemm3_regblock, transposes, 2, 20, GK_PLAIN, HINT_TRANSPOSES)
{
    transposes(gemm3_regblock, "gemm3_regblock");
}

GPU_TEST(gemm3_regblock, alpha_beta, 1, 20, GK_PLAIN, HINT_ALPHA_BETA)
{
    alpha_beta(gemm3_regblock, "gemm3_regblock");
}

GPU_TEST(gemm3_regblock, unaligned, 2, 20, GK_PLAIN,
         "A float4 load needs an address that is a multiple of 16 bytes: check the pointer "
         "and the row length before you load 4 floats at once, and fall back to single "
         "floats where they are not aligned.")
{
    check_shapes(gemm3_regblock, "gemm3_regblock", TILE_MULTIPLES, 2, true, 1.0f, 0.0f, 1);
    check_shapes(gemm3_regblock, "gemm3_regblock", ODD_SHAPES + 4, 3, true, 1.0f, 0.5f, 3);
}

GPU_TEST(gemm3_regblock, large, 2, 60, GK_PLAIN,
         "A product big enough to fill every multiprocessor: if only this fails, look at "
         "what changes with the grid's size (a tile configuration chosen by size?).")
{
    const gemm_shape big[] = {{1536, 1536, 64}, {1543, 1551, 67}};
    check_shapes(gemm3_regblock, "gemm3_regblock", big, 2, false, 1.0f, 0.0f, 0);
}

GPU_TEST(gemm3_regblock, memcheck, 1, 20, GK_MEMCHECK, HINT_MEMCHECK)
{
    sanitizer_shapes(gemm3_regblock, "gemm3_regblock");
}

GPU_TEST(gemm3_regblock, racecheck, 1, 20, GK_RACECHECK, HINT_RACECHECK)
{
    sanitizer_shapes(gemm3_regblock, "gemm3_regblock");
}
