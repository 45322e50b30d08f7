/* Chapter 05 tests: sampling and the bigram model (16 points). */
#include "grade.h"
#include "names.h"
#include "ref_api.h"
#include "rnn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A distribution over n, with some zeros (at the ends too) where zeros. */
static void random_distribution(dk_rng *rng, float *p, size_t n, bool zeros)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        p[i] = zeros && dk_rng_uniform(rng) < 0.3f ? 0.0f : dk_rng_uniform(rng);
        sum += p[i];
    }
    if (sum == 0)
        p[n - 1] = 1.0f, sum = 1;
    for (size_t i = 0; i < n; i++)
        p[i] = (float)(p[i] / sum);
}

/* A distribution of n in 64ths (zeros included): its running sums are
 * exact in float and double alike, so u can sit on a boundary. */
static void dyadic_distribution(dk_rng *rng, float *p, size_t n)
{
    size_t left = 64;
    for (size_t i = 0; i + 1 < n; i++) {
        const size_t k = dk_rng_uniform(rng) < 0.3f ? 0 : dk_rng_below(rng, left + 1);
        p[i] = (float)k / 64.0f;
        left -= k;
    }
    p[n - 1] = (float)left / 64.0f;
}

static void expect_draw(const float *p, size_t n, float u)
{
    dk_expect_int((long)ref_sample_categorical(p, n, u), (long)sample_categorical(p, n, u),
                  "sample_categorical over %zu probabilities (p[0] = %g, p[%zu] = %g) at u = %.9g",
                  n, p[0], n - 1, p[n - 1], u);
}

GRADED_TEST(sample_categorical_values, 4, 10,
            "Walk the running sum and return the first index where it passes u (strictly "
            "greater); a zero-probability index is never returned, even when u = 0 or the "
            "total falls short of u by rounding.")
{
    dk_rng rng = dk_test_rng(501);
    float p[40];
    for (int trial = 0; trial < 300; trial++) {
        const size_t n = 1 + dk_rng_below(&rng, trial % 2 ? 40 : 16);
        if (trial % 2) { /* random: u anywhere */
            random_distribution(&rng, p, n, trial % 4 == 1);
            expect_draw(p, n, 0.0f);
            for (int k = 0; k < 20; k++)
                expect_draw(p, n, dk_rng_uniform(&rng));
            continue;
        }
        /* in 64ths: u on each boundary (which belongs to the next index)
         * and just below it */
        dyadic_distribution(&rng, p, n);
        double sum = 0;
        expect_draw(p, n, 0.0f);
        for (size_t i = 0; i + 1 < n && sum + p[i] < 1; i++) {
            sum += p[i];
            expect_draw(p, n, (float)sum);
            expect_draw(p, n, nextafterf((float)sum, 0.0f));
        }
        expect_draw(p, n, 0.99999994f);
    }
    /* Rounding: the probabilities sum to less than u. */
    const float short_total[4] = {0.25f, 0.25f, 0.25f, 0.0f};
    dk_expect_int(2, (long)sample_categorical(short_total, 4, 0.9f),
                  "sample_categorical({0.25, 0.25, 0.25, 0}, u = 0.9): the total is 0.75, below "
                  "u, so the last index with p > 0");
}

GRADED_TEST(bigram_count_accumulates, 3, 10,
            "counts[seq[t] * V + seq[t + 1]] += 1 for each t < len - 1: a row is the token "
            "before, a column the token after. Add to what is there.")
{
    dk_rng rng = dk_test_rng(502);
    for (int trial = 0; trial < 40; trial++) {
        const size_t V = 2 + dk_rng_below(&rng, 26), len = 2 + dk_rng_below(&rng, 300);
        int seq[301];
        for (size_t t = 0; t < len; t++)
            seq[t] = (int)dk_rng_below(&rng, V);
        float *want = calloc(V * V, sizeof *want);
        if (!want)
            dk_fatal("grader: out of memory");
        ref_bigram_count(seq, len, V, want);
        float *counts = dk_guard_floats_prefilled(V * V, &rng);
        bigram_count(seq, len, V, counts);
        dk_expect_accumulated(want, counts, DK_SHAPE(V, V), DK_TOL_ELEMENTWISE,
                              "counts after bigram_count(len = %zu, V = %zu) (the counts it "
                              "was given plus the pairs)", len, V);
        dk_guard_free(counts);
        free(want);
    }
}

GRADED_TEST(bigram_probs_values, 3, 10,
            "Each row: add alpha to every count, then divide by the row's new sum; a row that "
            "sums to 0 is uniform, 1/V each.")
{
    dk_rng rng = dk_test_rng(503);
    static const float alphas[] = {1.0f, 0.0f, 0.5f};
    for (int trial = 0; trial < 30; trial++) {
        const size_t V = 2 + dk_rng_below(&rng, 26);
        const float alpha = alphas[trial % 3];
        float counts[27 * 27], want[27 * 27];
        for (size_t i = 0; i < V * V; i++)
            counts[i] = (float)dk_rng_below(&rng, 50);
        for (size_t j = 0; j < V; j++) /* a row never seen */
            counts[(trial % V) * V + j] = 0;
        ref_bigram_probs(counts, V, alpha, want);
        float *P = dk_guard_floats(V * V);
        bigram_probs(counts, V, alpha, P);
        dk_guard_check(P, DK_SHAPE(V, V), "bigram_probs(V = %zu, alpha = %g)", V, alpha);
        dk_expect_floats(want, P, DK_SHAPE(V, V), DK_TOL_REDUCTION,
                         "bigram_probs(V = %zu, alpha = %g), row %zu never seen", V, alpha,
                         trial % V);
        dk_guard_free(P);
    }
}

GRADED_TEST(bigram_nll_values, 2, 10,
            "The mean of -log P[seq[t]][seq[t+1]] over the len - 1 pairs (not len), summed in "
            "double; a pair of probability 0 makes it infinite.")
{
    dk_rng rng = dk_test_rng(504);
    for (int trial = 0; trial < 40; trial++) {
        const size_t V = 2 + dk_rng_below(&rng, 26), len = 2 + dk_rng_below(&rng, 500);
        float P[27 * 27];
        for (size_t i = 0; i < V; i++)
            random_distribution(&rng, P + i * V, V, false);
        int seq[501];
        for (size_t t = 0; t < len; t++)
            seq[t] = (int)dk_rng_below(&rng, V);
        dk_expect_near(ref_bigram_nll(P, V, seq, len), bigram_nll(P, V, seq, len),
                       DK_TOL_REDUCTION, "bigram_nll(V = %zu, len = %zu)", V, len);
    }
    const float P[4] = {0.5f, 0.5f, 1.0f, 0.0f};
    const int seq[3] = {0, 1, 1};
    DK_CHECK(isinf(bigram_nll(P, 2, seq, 3)) && bigram_nll(P, 2, seq, 3) > 0,
             "bigram_nll with a pair of probability 0 (1 after 1): expected +inf, got %g",
             bigram_nll(P, 2, seq, 3));
}

GRADED_TEST(bigram_sample_draws, 3, 10,
            "Start from token 0; draw each next token from the current token's row with "
            "sample_categorical and one dk_rng_uniform; stop at a 0 (not written) or at "
            "max_len tokens.")
{
    dk_rng rng = dk_test_rng(505);
    for (int trial = 0; trial < 20; trial++) {
        const size_t V = 2 + dk_rng_below(&rng, 26), max_len = 1 + dk_rng_below(&rng, 20);
        float P[27 * 27];
        for (size_t i = 0; i < V; i++)
            random_distribution(&rng, P + i * V, V, true);
        dk_rng r1 = dk_test_rng(600 + (uint64_t)trial), r2 = r1;
        for (int name = 0; name < 50; name++) {
            int want[20], *got = dk_guard_ints(max_len);
            const size_t n_want = ref_bigram_sample(P, V, &r1, want, max_len);
            const size_t n_got = bigram_sample(P, V, &r2, got, max_len);
            dk_expect_int((long)n_want, (long)n_got,
                          "the length of name %d drawn by bigram_sample(V = %zu, max_len = %zu)",
                          name + 1, V, max_len);
            dk_expect_ints(want, got, DK_SHAPE(n_want), "name %d drawn by bigram_sample", name + 1);
            DK_CHECK(memcmp(&r1, &r2, sizeof r1) == 0,
                     "after name %d, bigram_sample drew a different number of dk_rng_uniform "
                     "values (one per token, the final 0 included)", name + 1);
            dk_guard_free(got);
        }
    }
}

GRADED_TEST(bigram_names_loss, 1, 20,
            "Counts of the training split, add-one smoothing, then the loss of each split: "
            "about 2.45 nats per character.")
{
    names_split s;
    dk_err err;
    if (!names_load(&s, &err))
        dk_test_fail(DK_KIT_ERROR, "%s", err.msg);
    const size_t V = MM_VOCAB;
    float counts[27 * 27] = {0}, P[27 * 27], want_counts[27 * 27] = {0}, want_P[27 * 27];
    bigram_count(s.seq[NAMES_TRAIN], s.len[NAMES_TRAIN], V, counts);
    bigram_probs(counts, V, 1.0f, P);
    ref_bigram_count(s.seq[NAMES_TRAIN], s.len[NAMES_TRAIN], V, want_counts);
    ref_bigram_probs(want_counts, V, 1.0f, want_P);
    static const char *const split[NAMES_SPLITS] = {"training", "dev", "test"};
    for (int k = 0; k < NAMES_SPLITS; k++)
        dk_expect_near(ref_bigram_nll(want_P, V, s.seq[k], s.len[k]),
                       bigram_nll(P, V, s.seq[k], s.len[k]), DK_TOL_REDUCTION,
                       "the bigram model's loss on the names' %s split (%zu names)", split[k],
                       s.names[k]);
    names_free(&s);
}
