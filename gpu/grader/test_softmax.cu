/* The CUDA track, softmax: softmax1_rows (8 points) and softmax2_online (8),
 * against the CPU reference (computed in double). */
#include "check.h"

#include <cstdio>

/* (B, C): one element, tiny rows, rows that are and are not multiples of a
 * warp, of a block, of 4 (float4), long rows, many rows. */
struct softmax_shape {
    int B, C;
};
static const softmax_shape SHAPES[] = {{1, 1},    {1, 7},    {4, 32},    {3, 33},  {5, 1000},
                                       {2, 1025}, {7, 4096}, {3, 10007}, {1000, 10}, {64, 256}};
static const softmax_shape SANITIZER_SHAPES[] = {{3, 5}, {2, 300}, {2, 1027}};

/* One call on logits around `center`, compared with the reference. */
static void check_shape(softmax_fn *f, const char *name, softmax_shape s, float center,
                        uint64_t salt)
{
    dk_rng rng = gk_rng(salt);
    const size_t n = (size_t)s.B * s.C;
    float *x = gk_uniform(&rng, n, center - 10.0f, center + 10.0f), *want = gk_host(n);
    cpu_softmax(x, s.B, s.C, want);
    const float *dx = gk_input(x, n);
    float *dp = gk_output(n);
    char what[128];
    snprintf(what, sizeof what, "%s(B=%d, C=%d) on logits in [%g, %g]", name, s.B, s.C,
             center - 10.0, center + 10.0);
    f(dx, s.B, s.C, dp, 0);
    gk_sync("%s", what);
    gk_expect_output(want, dp, gk_dims(s.B, s.C), DK_TOL_REDUCTION, "%s: p", what);
    gk_expect_inputs_untouched("%s", what);
    gk_free_all();
}

static void values(softmax_fn *f, const char *name)
{
    for (size_t i = 0; i < sizeof SHAPES / sizeof SHAPES[0]; i++)
        check_shape(f, name, SHAPES[i], 0.0f, i);
}

/* exp(1000) overflows float32, exp(-1000) underflows to 0. */
static void large_logits(softmax_fn *f, const char *name)
{
    for (size_t i = 0; i < sizeof SHAPES / sizeof SHAPES[0]; i++) {
        check_shape(f, name, SHAPES[i], 1000.0f, 100 + i);
        check_shape(f, name, SHAPES[i], -1000.0f, 200 + i);
    }
}

static void sanitizer_shapes(softmax_fn *f, const char *name)
{
    for (size_t i = 0; i < sizeof SANITIZER_SHAPES / sizeof SANITIZER_SHAPES[0]; i++)
        check_shape(f, name, SANITIZER_SHAPES[i], 0.0f, 300 + i);
}

#define HINT_VALUES                                                                        \
    "p[i, j] = exp(x[i, j] - m) / sum_k exp(x[i, k] - m) with m the row's max: each row "  \
    "is independent, and every element of every row must be written, whatever C is."
#define HINT_LARGE                                                                         \
    "exp(1000) is inf in float32: subtract the row's max before exponentiating, and "      \
    "softmax does not change."
#define HINT_MEMCHECK                                                                      \
    "compute-sanitizer's memcheck saw an access outside an array: threads past the end "   \
    "of a row must not read it."
#define HINT_RACECHECK                                                                     \
    "compute-sanitizer's racecheck saw a race on shared memory: a block-wide reduction "   \
    "needs a barrier between writing the partial results and reading them, and before "    \
    "the same shared memory is used again."

/* ---- softmax1_rows: 8 points ---------------------------------------------------------- */

GPU_TEST(softmax1_rows, values, 3, 20, GK_PLAIN, HINT_VALUES)
{
    values(softmax1_rows, "softmax1_rows");
}

GPU_TEST(softmax1_rows, large_logits, 2, 20, GK_PLAIN, HINT_LARGE)
{
    large_logits(softmax1_rows, "softmax1_rows");
}

GPU_TEST(softmax1_rows, memcheck, 1, 20, GK_MEMCHECK, HINT_MEMCHECK)
{
    sanitizer_shapes(softmax1_rows, "softmax1_rows");
}

GPU_TEST(softmax1_rows, racecheck, 2, 20, GK_RACECHECK, HINT_RACECHECK)
{
    sanitizer_shapes(softmax1_rows, "softmax1_rows");
}

/* ---- softmax2_online: 8 points -------------------------------------------------------- */

GPU_TEST(softmax2_online, values, 3, 20, GK_PLAIN,
         HINT_VALUES " Online: keep (m, s) with s = sum exp(x - m); when a larger x arrives, "
         "s becomes s * exp(m - x) + 1 and m becomes x.")
{
    values(softmax2_online, "softmax2_online");
}

GPU_TEST(softmax2_online, large_logits, 2, 20, GK_PLAIN,
         HINT_LARGE " Two partial (m, s) combine into (max, s1 exp(m1 - max) + s2 exp(m2 - "
         "max)); a thread that saw nothing has (-inf, 0): take care of exp(-inf - -inf).")
{
    large_logits(softmax2_online, "softmax2_online");
}

GPU_TEST(softmax2_online, memcheck, 1, 20, GK_MEMCHECK, HINT_MEMCHECK)
{
    sanitizer_shapes(softmax2_online, "softmax2_online");
}

GPU_TEST(softmax2_online, racecheck, 2, 20, GK_RACECHECK, HINT_RACECHECK)
{
    sanitizer_shapes(softmax2_online, "softmax2_online");
}
