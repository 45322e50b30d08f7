/* Chapter 05 tests: sampling from logits (6 points): the distribution
 * with temperature and top-k, draws from it judged by a chi-square test,
 * greedy decoding. */
#include "ref_api.h"
#include "sequences.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* V logits in [-3, 3]; with ties, on a grid of halves so that many are equal. */
static float *random_logits(dk_rng *rng, size_t V, bool ties)
{
    float *l = dk_random_array(rng, V, -3, 3);
    for (size_t i = 0; ties && i < V; i++)
        l[i] = roundf(2 * l[i]) / 2;
    return l;
}

static const float TEMPERATURES[] = {0.3f, 0.5f, 1.0f, 1.7f, 3.0f};

GRADED_TEST(logits_probs_values, 2, 10,
            "Keep the top_k largest logits (ties: the lower index first), divide them by the "
            "temperature before the softmax (not after: that changes nothing), give the rest "
            "probability 0.")
{
    dk_rng rng = dk_test_rng(720);
    for (int trial = 0; trial < 200; trial++) {
        const size_t V = 1 + dk_rng_below(&rng, 70);
        const size_t ks[] = {0, 1, 2, 3, V > 1 ? V - 1 : 1, V, V + 3};
        const size_t k = ks[trial % 7];
        const float temp = TEMPERATURES[(trial / 7) % 5];
        float *logits = random_logits(&rng, V, trial % 3 == 0);
        float *want = alloc_or_die(V, sizeof *want), *p = dk_guard_floats(V);
        ref_logits_probs(logits, V, temp, k, want);
        logits_probs(logits, V, temp, k, p);
        char what[200];
        snprintf(what, sizeof what, "logits_probs(V %zu, temperature %g, top_k %zu%s)", V, temp,
                 k, trial % 3 == 0 ? ", logits with ties" : "");
        dk_guard_check(p, DK_SHAPE(V), "%s", what);
        size_t kept = 0, kept_want = 0;
        for (size_t i = 0; i < V; i++)
            kept += p[i] != 0.0f, kept_want += want[i] != 0.0f;
        DK_CHECK(kept == kept_want, "%s: %zu probabilities are not 0, %zu expected (the top %zu)",
                 what, kept, kept_want, kept_want);
        for (size_t i = 0; i < V; i++)
            DK_CHECK((p[i] == 0.0f) == (want[i] == 0.0f),
                     "%s: p[%zu] = %g, but logit %g is %s the top %zu", what, i, p[i], logits[i],
                     want[i] == 0.0f ? "not among" : "among", kept_want);
        dk_expect_floats(want, p, DK_SHAPE(V), DK_TOL_REDUCTION, "%s: p", what);
        dk_guard_free(p);
        free(logits), free(want);
    }
}

/* Q(a, x), the regularised upper incomplete gamma function (Numerical
 * Recipes' series and continued fraction): a chi-square statistic's
 * p-value is Q(df / 2, statistic / 2). */
static double gamma_q(double a, double x)
{
    if (x <= 0)
        return 1;
    const double front = exp(-x + a * log(x) - lgamma(a));
    if (x < a + 1) { /* the series of P = 1 - Q */
        double term = 1 / a, sum = term;
        for (int n = 1; n < 10000 && term > sum * 1e-16; n++)
            term *= x / (a + n), sum += term;
        return 1 - sum * front;
    }
    const double tiny = 1e-300; /* Lentz's continued fraction of Q */
    double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
    for (int i = 1; i < 10000; i++) {
        const double an = -i * (i - a);
        b += 2;
        d = an * d + b, d = fabs(d) < tiny ? tiny : d;
        c = b + an / c, c = fabs(c) < tiny ? tiny : c;
        d = 1 / d;
        h *= d * c;
        if (fabs(d * c - 1) < 1e-16)
            break;
    }
    return front * h;
}

/* The cases of the distribution test: V, temperature, top_k, ties. */
static const struct {
    size_t V;
    float temperature;
    size_t top_k;
    bool ties;
} DRAW_CASES[] = {
    {10, 1.0f, 0, false}, {10, 0.5f, 0, false}, {30, 2.0f, 5, false},
    {65, 0.8f, 10, true}, {3, 1.0f, 1, false},  {40, 1.5f, 39, false},
};
#define NDRAW_CASES (sizeof DRAW_CASES / sizeof DRAW_CASES[0])
enum { DRAWS = 6000 };
/* The whole test fails a correct sampler with probability at most 1e-6
 * (each case's share: 1e-6 / NDRAW_CASES). */
#define FALSE_FAILURE 1e-6

/* Pearson's chi-square of counts against DRAWS * p over the indices with
 * p > 0, those expecting fewer than 5 draws pooled into one bin; *df gets
 * its degrees of freedom. */
static double chi_square(const size_t *counts, const float *p, size_t V, size_t *df)
{
    double stat = 0, pooled_seen = 0, pooled_expected = 0;
    size_t bins = 0;
    for (size_t i = 0; i < V; i++) {
        const double e = (double)DRAWS * p[i];
        if (p[i] == 0)
            continue;
        if (e < 5) {
            pooled_seen += (double)counts[i], pooled_expected += e;
            continue;
        }
        stat += ((double)counts[i] - e) * ((double)counts[i] - e) / e, bins++;
    }
    if (pooled_expected > 0)
        stat += (pooled_seen - pooled_expected) * (pooled_seen - pooled_expected) / pooled_expected,
            bins++;
    *df = bins > 1 ? bins - 1 : 0;
    return stat;
}

GRADED_TEST(sample_logits_distribution, 3, 30,
            "logits_probs, then one draw from it (sample_categorical with dk_rng_uniform). "
            "Judged by 6,000 draws per case: never a token of probability 0, and counts a "
            "chi-square test finds consistent with the probabilities.")
{
    for (size_t c = 0; c < NDRAW_CASES; c++) {
        dk_rng rng = dk_test_rng(730 + c);
        const size_t V = DRAW_CASES[c].V, k = DRAW_CASES[c].top_k;
        const float temp = DRAW_CASES[c].temperature;
        float *logits = random_logits(&rng, V, DRAW_CASES[c].ties);
        float *p = alloc_or_die(V, sizeof *p);
        size_t *counts = alloc_or_die(V, sizeof *counts);
        ref_logits_probs(logits, V, temp, k, p);
        char what[200];
        snprintf(what, sizeof what, "sample_logits(V %zu, temperature %g, top_k %zu)", V, temp, k);
        for (int d = 0; d < DRAWS; d++) {
            const size_t i = sample_logits(logits, V, temp, k, &rng);
            DK_CHECK(i < V, "%s returned %zu, not a token below V", what, i);
            DK_CHECK(p[i] > 0, "%s drew token %zu (logit %g), whose probability is 0%s", what, i,
                     logits[i], k ? ": outside the top k" : "");
            counts[i]++;
        }
        size_t df;
        const double stat = chi_square(counts, p, V, &df);
        const double pvalue = df ? gamma_q(df / 2.0, stat / 2) : 1;
        size_t top = 0;
        for (size_t i = 1; i < V; i++)
            top = p[i] > p[top] ? i : top;
        DK_CHECK(pvalue >= FALSE_FAILURE / NDRAW_CASES,
                 "%s: %d draws are too far from the distribution to be chance (chi-square %.1f, "
                 "%zu degrees of freedom, p-value %.2g): the likeliest token, %zu, came %zu "
                 "times, %.0f expected", what, DRAWS, stat, df, pvalue, top, counts[top],
                 DRAWS * (double)p[top]);
        free(logits), free(p), free(counts);
    }
}

GRADED_TEST(greedy_pick_values, 1, 10,
            "The index of the largest logit; on ties, the lowest such index.")
{
    dk_rng rng = dk_test_rng(740);
    for (int trial = 0; trial < 200; trial++) {
        const size_t V = 1 + dk_rng_below(&rng, 70);
        float *logits = random_logits(&rng, V, trial % 2 == 0);
        dk_expect_int((long)ref_greedy_pick(logits, V), (long)greedy_pick(logits, V),
                      "greedy_pick(V %zu%s)", V, trial % 2 == 0 ? ", logits with ties" : "");
        free(logits);
    }
}
