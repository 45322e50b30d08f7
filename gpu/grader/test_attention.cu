/* The CUDA track, attention: attention1_naive (10 points) and
 * attention2_fused (12), causal, against the CPU reference (in double).
 *
 * Q, K and V are multiples of 1/8 (gk_grid), Q scaled by a power of two:
 * every dot product q . k is exact in float32, and so is its scale
 * 1/sqrt(d) for d = 16 and 64, so the scores hardly depend on the order of
 * the additions or on where the scale is applied; what remains is exp's
 * round-off and the sums of the softmax and of P V (DK_TOL_REDUCTION, and
 * TOL_LARGE_SCORES for scores near +-128). */
#include "check.h"

#include <cstdio>

/* (BH, T, d): T of 1, below, at and past the tiles of 16 and 64 keys
 * (never a multiple of them but one), every head size, one head and
 * several. */
struct attention_shape {
    int BH, T, d;
};
static const attention_shape SHAPES[] = {{1, 1, 16},  {1, 7, 32},  {3, 33, 64},  {3, 100, 16},
                                         {1, 100, 64}, {3, 65, 32}, {1, 128, 64}, {2, 17, 16}};
/* Scores near +128 or -128 (exp overflows to inf, or underflows to 0,
 * without the max subtracted). d is 16 or 64: sqrt(d) is exact. */
static const attention_shape LARGE_SHAPES[] = {{1, 7, 16}, {3, 33, 64}, {1, 100, 64},
                                               {2, 70, 16}};
/* Near 128, float32's scores are computed to its ulp there (1.5e-5), as
 * much per key in the order of the sum a kernel picks: relative errors of
 * that size in p, absolute ones in O where its terms cancel. A missing
 * max subtraction gives inf, 0/0 or NaN, far beyond. */
#define TOL_LARGE_SCORES ((dk_tol){1e-3, 1e-4})
static const attention_shape SANITIZER_SHAPES[] = {{1, 5, 16}, {2, 70, 32}};

/* One call of version 1 or 2 on Q scaled by q_scale, every score shifted
 * by `shift` (0, or +-128 with d 16 or 64), compared with the reference;
 * all pointers `misalign` floats past a 16-byte boundary. */
static void check_shape(int version, attention_shape s, float q_scale, float shift,
                        int misalign, uint64_t salt)
{
    dk_rng rng = gk_rng(salt);
    const size_t n = (size_t)s.BH * s.T * s.d;
    float *q = gk_grid(&rng, n, 8), *k = gk_grid(&rng, n, 8), *v = gk_grid(&rng, n, 8);
    for (size_t i = 0; i < n; i++)
        q[i] *= q_scale;
    /* The shift as a shared first feature, exact in float32: every key has
     * k[0] = 1, every query q[0] = shift sqrt(d). A large shift with a
     * small spread, not a large spread: each score is then computed to a
     * small error whatever the order of the sum or where the scale goes
     * (1/sqrt(d) log2(e), say), and softmax ignores the shift. */
    for (size_t r = 0; shift != 0.0f && r < n; r += s.d)
        q[r] = shift * sqrtf((float)s.d), k[r] = 1.0f;
    float *want = gk_host(n);
    cpu_attention(q, k, v, s.BH, s.T, s.d, want);
    gk_misalign(misalign);
    const float *dq = gk_input(q, n), *dk = gk_input(k, n), *dv = gk_input(v, n);
    float *dO = gk_output(n), *scores = version == 1 ? gk_output((size_t)s.T * s.T) : nullptr;
    gk_misalign(0);
    char what[160];
    snprintf(what, sizeof what, "%s(BH=%d, T=%d, d=%d) on Q in [%g, %g]%s%s",
             version == 1 ? "attention1_naive" : "attention2_fused", s.BH, s.T, s.d,
             -(double)q_scale, (double)q_scale, shift > 0 ? ", scores near +128" :
             shift < 0 ? ", scores near -128" : "", misalign ? " on unaligned pointers" : "");
    if (version == 1)
        attention1_naive(dq, dk, dv, s.BH, s.T, s.d, scores, dO, 0);
    else
        attention2_fused(dq, dk, dv, s.BH, s.T, s.d, dO, 0);
    gk_sync("%s", what);
    gk_expect_output(want, dO, gk_dims(s.BH, s.T, s.d),
                     shift != 0.0f ? TOL_LARGE_SCORES : DK_TOL_REDUCTION, "%s: O", what);
    gk_expect_inputs_untouched("%s", what);
    gk_free_all();
}

/* Scores of a few units: softmaxes neither flat nor one-hot. */
static void values(int version)
{
    for (size_t i = 0; i < sizeof SHAPES / sizeof SHAPES[0]; i++)
        check_shape(version, SHAPES[i], 4.0f, 0.0f, i == 3 ? 1 : 0, i);
}

static void large_scores(int version)
{
    for (size_t i = 0; i < sizeof LARGE_SHAPES / sizeof LARGE_SHAPES[0]; i++)
        check_shape(version, LARGE_SHAPES[i], 8.0f, i % 2 ? -128.0f : 128.0f, 0, 100 + i);
}

static void sanitizer_shapes(int version)
{
    for (size_t i = 0; i < sizeof SANITIZER_SHAPES / sizeof SANITIZER_SHAPES[0]; i++)
        check_shape(version, SANITIZER_SHAPES[i], 4.0f, 0.0f, 0, 200 + i);
}

#define HINT_VALUES                                                                        \
    "O[h, i] = sum over j <= i of p_j V[h, j], p the softmax of Q[h, i] . K[h, j] / "      \
    "sqrt(d) over the keys j = 0 .. i: position i sees itself and the past, never j > i. " \
    "Heads are independent; every row of O is written, whatever T is."
#define HINT_LARGE                                                                         \
    "Scores near +-128: exp(128) is inf in float32, exp(-128) is 0. Subtract the row's "   \
    "max before exponentiating: softmax does not change."
#define HINT_MEMCHECK                                                                      \
    "compute-sanitizer's memcheck saw an access outside an array: rows and keys past T "   \
    "must be neither read nor written."
#define HINT_RACECHECK                                                                     \
    "compute-sanitizer's racecheck saw a race on shared memory: a barrier after it is "    \
    "written, and another before it is written again."

/* ---- attention1_naive: 10 points ----------------------------------------------------- */

GPU_TEST(attention1_naive, values, 5, 20, GK_PLAIN,
         HINT_VALUES " The scores are written for every j, but the softmax of row i takes "
         "j <= i only, and P holds 0 where j > i so that P V ignores the future.")
{
    values(1);
}

GPU_TEST(attention1_naive, large_scores, 2, 20, GK_PLAIN, HINT_LARGE)
{
    large_scores(1);
}

GPU_TEST(attention1_naive, memcheck, 1, 20, GK_MEMCHECK, HINT_MEMCHECK)
{
    sanitizer_shapes(1);
}

GPU_TEST(attention1_naive, racecheck, 2, 20, GK_RACECHECK, HINT_RACECHECK)
{
    sanitizer_shapes(1);
}

/* ---- attention2_fused: 12 points ----------------------------------------------------- */

GPU_TEST(attention2_fused, values, 5, 20, GK_PLAIN,
         HINT_VALUES " Online: keep (m, l, o); when a tile's scores raise the max from m to "
         "m', multiply BOTH l and o by exp(m - m') before adding the new keys' terms, and "
         "divide o by l at the end.")
{
    values(2);
}

GPU_TEST(attention2_fused, large_scores, 3, 20, GK_PLAIN,
         HINT_LARGE " Online, m starts at -inf and l at 0: take care of exp(-inf - -inf), "
         "and of a chunk of keys that are all in the future.")
{
    large_scores(2);
}

GPU_TEST(attention2_fused, memcheck, 2, 20, GK_MEMCHECK, HINT_MEMCHECK)
{
    sanitizer_shapes(2);
}

GPU_TEST(attention2_fused, racecheck, 2, 20, GK_RACECHECK, HINT_RACECHECK)
{
    sanitizer_shapes(2);
}
