/* Chapter 03, part 1: optimizers and learning-rate schedules (26 points). */
#include "grade.h"
#include "ref_api.h"
#include "training.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N = 257, STEPS = 12 };

/* Parameters and their state, yours and the reference's, from one seed. */
typedef struct run {
    float p[N], want[N], m[N], v[N], want_m[N], want_v[N], g[N];
} run;

static void run_init(run *r, uint64_t salt)
{
    dk_rng rng = dk_test_rng(salt);
    memset(r, 0, sizeof *r);
    dk_fill_uniform(&rng, r->p, N, -1, 1);
    memcpy(r->want, r->p, sizeof r->p);
}

/* Each step's gradient: random, the same for both runs. */
static void next_gradient(run *r, dk_rng *rng)
{
    dk_fill_uniform(rng, r->g, N, -1, 1);
}

/* Adam's runs: the weight decay, and the size of the gradients (uniform in
 * [-size, size]). Gradients the size of eps make sqrt(v^) the size of eps
 * in every element at every step, where eps's place in the formula (inside
 * the square root, before the bias correction) changes the step by far
 * more than round-off; with gradients near 1 it changes almost nothing. */
static const struct adam_case {
    float decay, size;
} ADAM_CASES[] = {{0.0f, 1.0f}, {0.05f, 1.0f}, {0.0f, 1e-8f}};

static void expect_same(const run *r, int step, const char *what)
{
    dk_expect_floats(r->want, r->p, DK_SHAPE(N), DK_TOL_ELEMENTWISE, "params after step %d of %s",
                     step, what);
}

GRADED_TEST(sgd_step_values, 3, 10,
            "p -= lr * (g + weight_decay * p): the decay pulls every weight towards 0 "
            "in proportion to its size.")
{
    static const float decays[] = {0.0f, 0.01f};
    for (int d = 0; d < 2; d++) {
        run r;
        run_init(&r, 100 + (uint64_t)d);
        dk_rng rng = dk_test_rng(110 + (uint64_t)d);
        for (int s = 1; s <= STEPS; s++) {
            next_gradient(&r, &rng);
            ref_sgd_step(r.want, r.g, N, 0.1f, decays[d]);
            sgd_step(r.p, r.g, N, 0.1f, decays[d]);
            expect_same(&r, s, decays[d] ? "sgd_step(lr 0.1, weight_decay 0.01)"
                                         : "sgd_step(lr 0.1)");
        }
    }
}

GRADED_TEST(momentum_step_values, 5, 10,
            "PyTorch's momentum: v = momentum v + g (not scaled by lr), p -= lr v. "
            "Nesterov steps with g + momentum v instead, the velocity after the update. "
            "v carries over from step to step.")
{
    for (int variant = 0; variant < 4; variant++) {
        bool nesterov = variant & 1;
        float wd = variant & 2 ? 0.01f : 0.0f;
        run r;
        run_init(&r, 120 + (uint64_t)variant);
        dk_rng rng = dk_test_rng(130 + (uint64_t)variant);
        for (int s = 1; s <= STEPS; s++) {
            next_gradient(&r, &rng);
            ref_momentum_step(r.want, r.g, r.want_v, N, 0.05f, 0.9f, wd, nesterov);
            momentum_step(r.p, r.g, r.v, N, 0.05f, 0.9f, wd, nesterov);
            dk_expect_floats(r.want_v, r.v, DK_SHAPE(N), DK_TOL_ELEMENTWISE,
                             "the velocity after step %d of momentum_step(momentum 0.9, "
                             "weight_decay %g, nesterov %d)", s, wd, nesterov);
            expect_same(&r, s, nesterov ? "momentum_step (nesterov)" : "momentum_step");
        }
    }
}

static void expect_adam(bool decoupled, uint64_t salt)
{
    for (size_t c = 0; c < sizeof ADAM_CASES / sizeof ADAM_CASES[0]; c++) {
        const float wd = ADAM_CASES[c].decay, size = ADAM_CASES[c].size;
        run r;
        run_init(&r, salt + (uint64_t)c);
        dk_rng rng = dk_test_rng(salt + 10 + (uint64_t)c);
        char what[128];
        snprintf(what, sizeof what, "%s, eps 1e-8, weight_decay %g, gradients uniform in "
                 "[-%g, %g])", decoupled ? "adam_step (AdamW" : "adam_step (Adam", wd, size, size);
        for (size_t t = 1; t <= STEPS; t++) {
            next_gradient(&r, &rng);
            for (size_t i = 0; i < N; i++)
                r.g[i] *= size;
            ref_adam_step(r.want, r.g, r.want_m, r.want_v, N, t, 1e-2f, 0.9f, 0.999f, 1e-8f, wd,
                          decoupled);
            adam_step(r.p, r.g, r.m, r.v, N, t, 1e-2f, 0.9f, 0.999f, 1e-8f, wd, decoupled);
            dk_expect_floats(r.want_m, r.m, DK_SHAPE(N), DK_TOL_ELEMENTWISE,
                             "m after step %zu of %s", t, what);
            dk_expect_floats(r.want_v, r.v, DK_SHAPE(N), DK_TOL_ELEMENTWISE,
                             "v after step %zu of %s", t, what);
            dk_expect_floats(r.want, r.p, DK_SHAPE(N), DK_TOL_ELEMENTWISE,
                             "params after step %zu of %s", t, what);
        }
    }
}

GRADED_TEST(adam_step_values, 5, 10,
            "Both moments start at 0: at step t divide m by 1 - beta1^t and v by "
            "1 - beta2^t, or the first steps are far too small. Plain Adam adds the "
            "decay to the gradient. eps goes outside the square root, after the bias "
            "correction: sqrt(v^) + eps.")
{
    expect_adam(false, 140);
}

GRADED_TEST(adamw_step_values, 3, 10,
            "AdamW decouples the decay: p -= lr * weight_decay * p, apart from the "
            "gradient, so that Adam's scaling does not weaken it.")
{
    expect_adam(true, 160);
}

GRADED_TEST(optimizers_first_step_closed_forms, 2, 10,
            "From zero state, the first step of SGD and of momentum is lr * g, and "
            "Adam's, after its bias correction, lr * g / (|g| + eps): a step of about "
            "lr whatever the gradient's size.")
{
    dk_rng rng = dk_test_rng(180);
    float g[N], p0[N];
    dk_fill_uniform(&rng, g, N, -3, 3);
    dk_fill_uniform(&rng, p0, N, -1, 1);
    float p[N], m[N] = {0}, v[N] = {0}, want[N];
    for (int kind = 0; kind < 3; kind++) {
        memcpy(p, p0, sizeof p);
        memset(m, 0, sizeof m), memset(v, 0, sizeof v);
        if (kind == 0)
            sgd_step(p, g, N, 0.1f, 0);
        else if (kind == 1)
            momentum_step(p, g, v, N, 0.1f, 0.9f, 0, false);
        else
            adam_step(p, g, m, v, N, 1, 0.1f, 0.9f, 0.999f, 1e-8f, 0, false);
        for (size_t i = 0; i < N; i++)
            want[i] = p0[i] - 0.1f * (kind < 2 ? g[i] : g[i] / (fabsf(g[i]) + 1e-8f));
        static const char *const names[] = {"sgd_step", "momentum_step", "adam_step"};
        dk_expect_floats(want, p, DK_SHAPE(N), DK_TOL_ELEMENTWISE,
                         "params after the first %s (lr 0.1, from zero state)", names[kind]);
    }
}

/* ---- Schedules ------------------------------------------------------------- */

GRADED_TEST(schedule_values, 8, 10,
            "Step decay multiplies by gamma every step_size steps (integer division); "
            "the cosine goes from base at step 0 to min_lr at step total; warm-up "
            "rises linearly to base, then the cosine starts from base.")
{
    const float base = 0.1f, lo = 0.001f;
    for (size_t step = 0; step <= 250; step += 7) {
        dk_expect_near(ref_lr_step_decay(base, step, 30, 0.5f), lr_step_decay(base, step, 30, 0.5f),
                       DK_TOL_ELEMENTWISE, "lr_step_decay(0.1, step %zu, step_size 30, gamma 0.5)",
                       step);
        dk_expect_near(ref_lr_exponential(base, step, 0.99f), lr_exponential(base, step, 0.99f),
                       DK_TOL_ELEMENTWISE, "lr_exponential(0.1, step %zu, gamma 0.99)", step);
        dk_expect_near(ref_lr_cosine(base, lo, step, 200), lr_cosine(base, lo, step, 200),
                       DK_TOL_ELEMENTWISE, "lr_cosine(0.1, 0.001, step %zu, total 200)", step);
        dk_expect_near(ref_lr_warmup_cosine(base, lo, step, 20, 200),
                       lr_warmup_cosine(base, lo, step, 20, 200), DK_TOL_ELEMENTWISE,
                       "lr_warmup_cosine(0.1, 0.001, step %zu, warmup 20, total 200)", step);
    }
    /* The points every schedule is about. */
    dk_expect_near(base, lr_cosine(base, lo, 0, 200), DK_TOL_ELEMENTWISE, "lr_cosine at step 0");
    dk_expect_near((base + lo) / 2, lr_cosine(base, lo, 100, 200), DK_TOL_ELEMENTWISE,
                   "lr_cosine half way (step 100 of 200)");
    dk_expect_near(lo, lr_cosine(base, lo, 200, 200), DK_TOL_ELEMENTWISE,
                   "lr_cosine at step total");
    dk_expect_near(base / 20, lr_warmup_cosine(base, lo, 0, 20, 200), DK_TOL_ELEMENTWISE,
                   "lr_warmup_cosine at step 0 (warmup 20)");
    dk_expect_near(base, lr_warmup_cosine(base, lo, 20, 20, 200), DK_TOL_ELEMENTWISE,
                   "lr_warmup_cosine at the end of the warm-up");
    dk_expect_near(base * 0.25f, lr_step_decay(base, 60, 30, 0.5f), DK_TOL_ELEMENTWISE,
                   "lr_step_decay at step 60 (step_size 30, gamma 0.5)");
}
