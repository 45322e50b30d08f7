/* Chapter 03, part 3: initialisation, early stopping, augmentation and grid
 * search (27 points). */
#include "grade.h"
#include "ref_api.h"
#include "training.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Initialisation ------------------------------------------------------------ */

typedef void (*init_fn)(float *, size_t, size_t, dk_rng *);

static void init_normal_01(float *W, size_t fi, size_t fo, dk_rng *rng)
{
    init_normal(W, fi, fo, 0.1f, rng);
}

static void ref_init_normal_01(float *W, size_t fi, size_t fo, dk_rng *rng)
{
    ref_init_normal(W, fi, fo, 0.1f, rng);
}

static void init_zeros_rng(float *W, size_t fi, size_t fo, dk_rng *rng)
{
    (void)rng;
    init_zeros(W, fi, fo);
}

static void ref_init_zeros_rng(float *W, size_t fi, size_t fo, dk_rng *rng)
{
    (void)rng;
    ref_init_zeros(W, fi, fo);
}

static const struct {
    const char *name;
    init_fn yours, ref;
} INITS[] = {{"init_zeros", init_zeros_rng, ref_init_zeros_rng},
             {"init_normal (std 0.1)", init_normal_01, ref_init_normal_01},
             {"init_xavier", init_xavier, ref_init_xavier},
             {"init_he", init_he, ref_init_he}};

GRADED_TEST(init_matches_reference, 4, 10,
            "Fill the fan_out * fan_in weights in order, one draw each, as the contract "
            "says: then the same seed gives the same network.")
{
    static const size_t shapes[][2] = {{1, 1}, {3, 7}, {784, 100}, {64, 512}};
    for (size_t k = 0; k < 4; k++)
        for (size_t s = 0; s < 4; s++) {
            size_t fi = shapes[s][0], fo = shapes[s][1], n = fi * fo;
            float *want = malloc(n * sizeof(float)), *W = dk_guard_floats(n);
            dk_rng r1 = dk_test_rng(300 + s), r2 = r1;
            INITS[k].ref(want, fi, fo, &r1);
            INITS[k].yours(W, fi, fo, &r2);
            dk_guard_check(W, DK_SHAPE(fo, fi), "%s", INITS[k].name);
            dk_expect_floats(want, W, DK_SHAPE(fo, fi), DK_TOL_ELEMENTWISE,
                             "%s(fan_in %zu, fan_out %zu)", INITS[k].name, fi, fo);
            free(want);
            dk_guard_free(W);
        }
}

/* The mean and standard deviation of n values. */
static void moments(const float *x, size_t n, double *mean, double *sd)
{
    double s = 0, s2 = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i], s2 += (double)x[i] * x[i];
    *mean = s / (double)n;
    *sd = sqrt(fmax(0, s2 / (double)n - *mean * *mean));
}

GRADED_TEST(init_statistics, 5, 10,
            "Xavier: Var = 2 / (fan_in + fan_out). He: Var = 2 / fan_in, the fan-in, the "
            "number of inputs each unit sums: that is what keeps ReLU layers' outputs "
            "from shrinking or growing.")
{
    const size_t fi = 1024, fo = 256, n = fi * fo; /* fan-in and fan-out far apart */
    float *W = malloc(n * sizeof *W);
    const double want_sd[] = {0.0, 0.1, sqrt(2.0 / (fi + fo)), sqrt(2.0 / fi)};
    for (size_t k = 0; k < 4; k++) {
        dk_rng rng = dk_test_rng(310 + k);
        INITS[k].yours(W, fi, fo, &rng);
        double mean, sd;
        moments(W, n, &mean, &sd);
        /* The sample's sd is within 1% of the true one with n = 262,144
         * (its relative spread is 1/sqrt(2n) = 0.14%). */
        DK_CHECK(fabs(sd - want_sd[k]) <= 0.01 * want_sd[k] + 1e-12,
                 "%s(fan_in 1024, fan_out 256): standard deviation %.5f, expected %.5f",
                 INITS[k].name, sd, want_sd[k]);
        DK_CHECK(fabs(mean) <= 5 * want_sd[k] / sqrt((double)n) + 1e-12,
                 "%s(fan_in 1024, fan_out 256): mean %.5f, expected 0", INITS[k].name, mean);
    }
    free(W);
}

/* ---- Early stopping --------------------------------------------------------------- */

enum { NPARAMS = 5 };

/* Runs a sequence of validation losses through early stopping; the
 * parameters at epoch e are all e. Returns the epoch it stopped at, or 0. */
static size_t stop_epoch(bool yours, const float *losses, size_t n, size_t patience,
                         early_stopping *es, float *best)
{
    float params[NPARAMS];
    (yours ? early_stopping_init : ref_early_stopping_init)(es, patience, best, NPARAMS);
    for (size_t e = 1; e <= n; e++) {
        for (size_t i = 0; i < NPARAMS; i++)
            params[i] = (float)e;
        bool stop = yours ? early_stopping_update(es, e, losses[e - 1], params)
                          : ref_early_stopping_update(es, e, losses[e - 1], params);
        if (stop)
            return e;
    }
    return 0;
}

static const float LOSSES[][10] = {
    {1.0f, 0.8f, 0.7f, 0.75f, 0.72f, 0.71f, 0.9f, 0.6f, 0.5f, 0.4f}, /* stops at 6 with 3 */
    {1.0f, 0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f, 0.3f, 0.2f, 0.1f},    /* never stops */
    {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f},    /* equal is no better */
    {2.0f, 1.0f, 1.5f, 0.9f, 1.2f, 1.1f, 0.95f, 1.0f, 0.8f, 3.0f},
};

GRADED_TEST(early_stopping_stop_epoch, 4, 10,
            "Only a loss strictly below the best resets the count; patience bad epochs "
            "in a row stop training (return true at the patience-th).")
{
    for (size_t s = 0; s < 4; s++)
        for (size_t patience = 1; patience <= 4; patience++) {
            early_stopping want_es, es;
            float want_best[NPARAMS], best[NPARAMS];
            size_t want = stop_epoch(false, LOSSES[s], 10, patience, &want_es, want_best);
            size_t got = stop_epoch(true, LOSSES[s], 10, patience, &es, best);
            dk_expect_int((long)want, (long)got,
                          "the epoch at which early stopping (patience %zu) says stop, on "
                          "validation losses #%zu (0: never)", patience, s + 1);
            dk_expect_int((long)want_es.best_epoch, (long)es.best_epoch,
                          "best_epoch (patience %zu, losses #%zu)", patience, s + 1);
            dk_expect_near(want_es.best_loss, es.best_loss, DK_TOL_EXACT,
                           "best_loss (patience %zu, losses #%zu)", patience, s + 1);
        }
}

GRADED_TEST(early_stopping_restores_the_best_weights, 4, 10,
            "Keep a copy of the parameters whenever the validation loss improves, and "
            "give back that copy, not the last parameters.")
{
    for (size_t s = 0; s < 4; s++) {
        early_stopping want_es, es;
        float want_best[NPARAMS], best[NPARAMS];
        stop_epoch(false, LOSSES[s], 10, 3, &want_es, want_best);
        stop_epoch(true, LOSSES[s], 10, 3, &es, best);
        float *params = dk_guard_floats(NPARAMS);
        early_stopping_restore(&es, params);
        dk_guard_check(params, DK_SHAPE(NPARAMS), "early_stopping_restore");
        float want[NPARAMS];
        for (size_t i = 0; i < NPARAMS; i++)
            want[i] = (float)want_es.best_epoch;
        dk_expect_floats(want, params, DK_SHAPE(NPARAMS), DK_TOL_EXACT,
                         "the parameters after early_stopping_restore (epoch e's are all e; "
                         "losses #%zu, patience 3)", s + 1);
        dk_guard_free(params);
    }
}

/* ---- Augmentation --------------------------------------------------------------- */

/* (B, H, W, C): one image, odd sizes, colour. */
static const size_t IMAGES[][4] = {{1, 5, 5, 1}, {4, 28, 28, 1}, {3, 7, 9, 3}, {2, 32, 32, 3}};

static float *images(size_t s, dk_rng *rng)
{
    size_t n = IMAGES[s][0] * IMAGES[s][1] * IMAGES[s][2] * IMAGES[s][3];
    float *x = dk_guard_floats(n);
    dk_fill_uniform(rng, x, n, 0, 1);
    return x;
}


static void expect_augment(const char *what, uint64_t salt,
                           void (*yours)(float *, const size_t *, dk_rng *),
                           void (*ref)(float *, const size_t *, dk_rng *))
{
    dk_rng rng = dk_test_rng(salt);
    for (size_t s = 0; s < 4; s++) {
        const size_t *d = IMAGES[s], n = d[0] * d[1] * d[2] * d[3];
        float *x = images(s, &rng), *want = malloc(n * sizeof(float));
        memcpy(want, x, n * sizeof(float));
        dk_rng r1 = dk_test_rng(salt + 1 + s), r2 = r1;
        ref(want, d, &r1);
        yours(x, d, &r2);
        dk_guard_check(x, DK_SHAPE(d[0], d[1], d[2], d[3]), "%s", what);
        dk_expect_floats(want, x, DK_SHAPE(d[0], d[1], d[2], d[3]), DK_TOL_ELEMENTWISE,
                         "%s on (B, H, W, C) = (%zu, %zu, %zu, %zu)", what, d[0], d[1], d[2],
                         d[3]);
        DK_CHECK(dk_rng_u64(&r1) == dk_rng_u64(&r2),
                 "%s drew a different number of random values than the contract says", what);
        free(want);
        dk_guard_free(x);
    }
}

static void shift2(float *x, const size_t *d, dk_rng *r) { augment_shift(x, d[0], d[1], d[2], d[3], 2, r); }
static void ref_shift2(float *x, const size_t *d, dk_rng *r) { ref_augment_shift(x, d[0], d[1], d[2], d[3], 2, r); }
static void flip(float *x, const size_t *d, dk_rng *r) { augment_flip(x, d[0], d[1], d[2], d[3], 0.5f, r); }
static void ref_flip(float *x, const size_t *d, dk_rng *r) { ref_augment_flip(x, d[0], d[1], d[2], d[3], 0.5f, r); }
static void noise(float *x, const size_t *d, dk_rng *r) { augment_noise(x, d[0] * d[1] * d[2] * d[3], 0.1f, r); }
static void ref_noise(float *x, const size_t *d, dk_rng *r) { ref_augment_noise(x, d[0] * d[1] * d[2] * d[3], 0.1f, r); }

GRADED_TEST(augment_shift_values, 2, 10,
            "Pixel (r, c) takes the value of (r - dy, c - dx), 0 when that lies outside "
            "the image; every channel moves together (NHWC: channels are innermost).")
{
    expect_augment("augment_shift(max_shift 2)", 400, shift2, ref_shift2);
    dk_rng rng = dk_test_rng(410); /* no shift at all: every image unchanged */
    float *x = images(1, &rng), copy[4 * 28 * 28];
    memcpy(copy, x, sizeof copy);
    augment_shift(x, 4, 28, 28, 1, 0, &rng);
    dk_expect_floats(copy, x, DK_SHAPE(4, 28, 28, 1), DK_TOL_EXACT, "augment_shift(max_shift 0)");
    dk_guard_free(x);
}

GRADED_TEST(augment_flip_values, 2, 10,
            "A flip mirrors columns, c -> W - 1 - c, in every row and channel; one draw "
            "per image decides.")
{
    expect_augment("augment_flip(p 0.5)", 420, flip, ref_flip);
    dk_rng rng = dk_test_rng(430); /* flipped twice: back as it was */
    float *x = images(2, &rng), copy[3 * 7 * 9 * 3];
    memcpy(copy, x, sizeof copy);
    augment_flip(x, 3, 7, 9, 3, 1.0f, &rng);
    augment_flip(x, 3, 7, 9, 3, 1.0f, &rng);
    dk_expect_floats(copy, x, DK_SHAPE(3, 7, 9, 3), DK_TOL_EXACT, "augment_flip(p 1) twice");
    dk_guard_free(x);
}

GRADED_TEST(augment_noise_values, 2, 10,
            "Add std times a standard normal draw (dk_rng_normal) to every value.")
{
    expect_augment("augment_noise(std 0.1)", 440, noise, ref_noise);
}

/* ---- Grid search ----------------------------------------------------------------- */

typedef struct calls {
    float lr[32], wd[32];
    size_t n;
} calls;

static float fake_score(float lr, float wd, void *ctx)
{
    calls *c = ctx;
    if (c->n < 32)
        c->lr[c->n] = lr, c->wd[c->n] = wd;
    c->n++;
    /* Best at lr 0.01 and wd 1e-4, twice (a tie: the first must win). */
    return -fabsf(log10f(lr) + 2) - fabsf(log10f(wd + 1e-9f) + 4) + (wd > 0.5f ? 5.0f : 0.0f);
}

GRADED_TEST(grid_search_order_and_best, 4, 10,
            "Learning rates in the outer loop, weight decays in the inner one; keep the "
            "first best score when two are equal.")
{
    const float lrs[] = {0.1f, 0.01f, 0.001f, 0.01f}, wds[] = {0.0f, 1e-4f, 1e-3f};
    calls want = {0}, got = {0};
    float want_scores[12], scores[12];
    size_t want_best = ref_grid_search(lrs, 4, wds, 3, fake_score, &want, want_scores);
    size_t best = grid_search(lrs, 4, wds, 3, fake_score, &got, scores);
    dk_expect_int((long)want.n, (long)got.n, "calls of score by grid_search (4 x 3 grid)");
    for (size_t i = 0; i < want.n && i < 32; i++) {
        dk_expect_near(want.lr[i], got.lr[i], DK_TOL_EXACT, "the lr of call %zu of score", i + 1);
        dk_expect_near(want.wd[i], got.wd[i], DK_TOL_EXACT, "the weight decay of call %zu", i + 1);
    }
    dk_expect_floats(want_scores, scores, DK_SHAPE(4, 3), DK_TOL_EXACT, "grid_search's scores");
    dk_expect_int((long)want_best, (long)best, "grid_search's best index (two are equal)");
}
