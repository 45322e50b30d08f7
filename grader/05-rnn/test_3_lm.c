/* Chapter 05 tests: the MLP language model (13 points): initialisation,
 * forward and backward passes, without and with batch norm, against the
 * reference and finite differences. */
#include "grade.h"
#include "ref_api.h"
#include "rnn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* V, context, E, H: small, the chapter's, and odd. */
static const lm_config CONFIGS[] = {
    {7, 2, 3, 5, false},
    {MM_VOCAB, 3, 10, 200, false},
    {5, 4, 1, 3, false},
};
#define NCONFIGS (sizeof CONFIGS / sizeof CONFIGS[0])

static const char *describe(const lm_config *c, size_t B)
{
    static char text[128];
    snprintf(text, sizeof text, "V %zu, context %zu, E %zu, H %zu%s, B %zu", c->V, c->context,
             c->embed, c->hidden, c->batchnorm ? ", batch norm" : "", B);
    return text;
}

static void *alloc_or_die(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        dk_fatal("grader: out of memory");
    return p;
}

/* A model to test: the reference's initialisation, then gamma, beta and the
 * biases moved away from 1 and 0 so that each one counts. */
static float *make_params(const lm_config *cfg, dk_rng *rng)
{
    const lm_layout l = lm_layout_of(cfg);
    float *params = alloc_or_die(l.n, sizeof *params);
    ref_lm_init(cfg, params, rng);
    dk_fill_uniform(rng, params + l.b1, cfg->hidden, -0.5f, 0.5f);
    dk_fill_uniform(rng, params + l.gamma, cfg->hidden, 0.5f, 1.5f);
    dk_fill_uniform(rng, params + l.beta, cfg->hidden, -0.5f, 0.5f);
    dk_fill_uniform(rng, params + l.b2, cfg->V, -0.5f, 0.5f);
    return params;
}

static int *make_tokens(const lm_config *cfg, size_t B, dk_rng *rng)
{
    int *X = alloc_or_die(B * cfg->context, sizeof *X);
    for (size_t i = 0; i < B * cfg->context; i++)
        X[i] = (int)dk_rng_below(rng, cfg->V);
    return X;
}

/* Running statistics away from their start: means near 0, variances near 1. */
static float *make_running(const lm_config *cfg, dk_rng *rng)
{
    float *running = alloc_or_die(2 * cfg->hidden, sizeof *running);
    dk_fill_uniform(rng, running, cfg->hidden, -0.3f, 0.3f);
    dk_fill_uniform(rng, running + cfg->hidden, cfg->hidden, 0.5f, 2.0f);
    return running;
}

GRADED_TEST(lm_init_values, 2, 10,
            "C ~ N(0, 1), W1 ~ N(0, 1) * (5/3) / sqrt(context * E), W2 ~ N(0, 1) * 0.01, drawn "
            "in that order with dk_rng_normal; the biases and beta 0, gamma 1.")
{
    for (size_t c = 0; c < NCONFIGS; c++) {
        const lm_config *cfg = &CONFIGS[c];
        const size_t n = lm_layout_of(cfg).n;
        dk_rng r1 = dk_test_rng(521 + c), r2 = r1;
        float *want = alloc_or_die(n, sizeof *want);
        ref_lm_init(cfg, want, &r1);
        float *params = dk_guard_floats(n);
        lm_init(cfg, params, &r2);
        dk_guard_check(params, DK_SHAPE(n), "lm_init(%s)", describe(cfg, 0));
        dk_expect_floats(want, params, DK_SHAPE(n), DK_TOL_ELEMENTWISE,
                         "lm_init(%s): params (C, W1, b1, gamma, beta, W2, b2 in order)",
                         describe(cfg, 0));
        DK_CHECK(memcmp(&r1, &r2, sizeof r1) == 0,
                 "lm_init(%s) drew a different number of normals than C, W1 and W2 hold",
                 describe(cfg, 0));
        dk_guard_free(params);
        free(want);
    }
}

/* The parts of acts that a pass writes: emb, pre, norm, h; mean and invstd
 * after a training pass with batch norm. */
static void expect_acts(const lm_config *cfg, size_t B, bool stats, const float *want,
                        const float *got, const char *what)
{
    const size_t in = cfg->context * cfg->embed, H = cfg->hidden;
    static const char *const names[4] = {"emb", "pre", "norm", "h"};
    const size_t widths[4] = {in, H, H, H};
    size_t at = 0;
    for (int k = 0; k < 4; k++) {
        dk_expect_floats(want + at, got + at, DK_SHAPE(B, widths[k]), DK_TOL_REDUCTION,
                         "%s: acts' %s", what, names[k]);
        at += B * widths[k];
    }
    if (stats) {
        dk_expect_floats(want + at, got + at, DK_SHAPE(H), DK_TOL_REDUCTION, "%s: acts' mean", what);
        dk_expect_floats(want + at + H, got + at + H, DK_SHAPE(H), DK_TOL_REDUCTION,
                         "%s: acts' invstd", what);
    }
}

static void check_forward(const lm_config *cfg, size_t B, bool training, uint64_t salt)
{
    dk_rng rng = dk_test_rng(salt);
    const size_t acts_n = lm_acts_size(cfg, B), H = cfg->hidden;
    float *params = make_params(cfg, &rng), *running_want = make_running(cfg, &rng);
    int *X = make_tokens(cfg, B, &rng);
    float *acts_want = alloc_or_die(acts_n, sizeof(float));
    float *logits_want = alloc_or_die(B * cfg->V, sizeof(float));
    float *running = dk_guard_floats_prefilled(2 * H, &rng), *acts = dk_guard_floats_prefilled(acts_n, &rng);
    memcpy(running, running_want, 2 * H * sizeof *running);
    float *logits = dk_guard_floats(B * cfg->V);
    char what[200];
    snprintf(what, sizeof what, "lm_forward(%s, %s)", describe(cfg, B),
             training ? "training" : "evaluation");
    ref_lm_forward(cfg, params, running_want, X, B, training, acts_want, logits_want);
    lm_forward(cfg, params, running, X, B, training, acts, logits);
    dk_guard_check(logits, DK_SHAPE(B, cfg->V), "%s: logits", what);
    dk_guard_check(acts, DK_SHAPE(acts_n), "%s: acts", what);
    dk_guard_check(running, DK_SHAPE(2, H), "%s: running", what);
    expect_acts(cfg, B, training && cfg->batchnorm, acts_want, acts, what);
    dk_expect_floats(logits_want, logits, DK_SHAPE(B, cfg->V), DK_TOL_REDUCTION, "%s: logits", what);
    dk_expect_floats(running_want, running, DK_SHAPE(2, H), DK_TOL_REDUCTION,
                     "%s: running (the mean, then the variance)%s", what,
                     cfg->batchnorm && training ? "" : ", which this pass must leave alone");
    dk_guard_free(running), dk_guard_free(acts), dk_guard_free(logits);
    free(params), free(running_want), free(X), free(acts_want), free(logits_want);
}

GRADED_TEST(lm_forward_values, 3, 20,
            "Embed the B * context tokens (rows of (B, context * E)), linear to H, batch norm "
            "(chapter 03: batch statistics and running update when training, running "
            "statistics otherwise) or a copy, tanh, linear to V.")
{
    static const size_t batches[] = {6, 32, 2};
    for (size_t c = 0; c < NCONFIGS; c++)
        for (int bn = 0; bn <= 1; bn++)
            for (int training = 1; training >= 0; training--) {
                lm_config cfg = CONFIGS[c];
                cfg.batchnorm = bn;
                check_forward(&cfg, batches[c], training, 530 + 4 * c + 2 * (size_t)bn + (size_t)training);
            }
}

/* The reference's training pass of a batch, and the loss's gradient. */
typedef struct pass {
    const lm_config *cfg;
    size_t B;
    float *params;
    int *X, *y;
    float *acts, *logits, *dlogits;
} pass;

static pass make_pass(const lm_config *cfg, size_t B, dk_rng *rng)
{
    pass p = {cfg, B, make_params(cfg, rng), make_tokens(cfg, B, rng),
              alloc_or_die(B, sizeof(int)), alloc_or_die(lm_acts_size(cfg, B), sizeof(float)),
              alloc_or_die(B * cfg->V, sizeof(float)), alloc_or_die(B * cfg->V, sizeof(float))};
    for (size_t i = 0; i < B; i++)
        p.y[i] = (int)dk_rng_below(rng, cfg->V);
    ref_lm_forward(cfg, p.params, NULL, p.X, B, true, p.acts, p.logits);
    softmax_cross_entropy(p.logits, p.y, B, cfg->V, p.dlogits);
    return p;
}

static void free_pass(pass *p)
{
    free(p->params), free(p->X), free(p->y), free(p->acts), free(p->logits), free(p->dlogits);
}

GRADED_TEST(lm_backward_gradients, 5, 20,
            "Backwards in reverse order: W2 and b2 (linear), tanh (1 - h^2), batch norm "
            "(chapter 03) or nothing, W1 and b1, then the rows of demb into C with "
            "embedding_backward. Accumulate into grads.")
{
    static const size_t batches[] = {6, 32, 3};
    for (size_t c = 0; c < NCONFIGS; c++)
        for (int bn = 0; bn <= 1; bn++) {
            lm_config cfg = CONFIGS[c];
            cfg.batchnorm = bn;
            dk_rng rng = dk_test_rng(550 + 2 * c + (size_t)bn);
            const size_t B = batches[c], n = lm_layout_of(&cfg).n;
            pass p = make_pass(&cfg, B, &rng);
            float *want = alloc_or_die(n, sizeof *want);
            ref_lm_backward(&cfg, p.params, p.X, B, p.acts, p.dlogits, want);
            float *grads = dk_guard_floats_prefilled(n, &rng);
            lm_backward(&cfg, p.params, p.X, B, p.acts, p.dlogits, grads);
            /* In the backward pass's order: the first one wrong is nearest the bug. */
            const lm_layout l = lm_layout_of(&cfg);
            const size_t H = cfg.hidden, in = cfg.context * cfg.embed;
            const struct { const char *name; size_t at; dk_shape shape; } parts[7] = {
                {"W2", l.W2, DK_SHAPE(cfg.V, H)}, {"b2", l.b2, DK_SHAPE(cfg.V)},
                {"gamma", l.gamma, DK_SHAPE(H)}, {"beta", l.beta, DK_SHAPE(H)},
                {"W1", l.W1, DK_SHAPE(H, in)}, {"b1", l.b1, DK_SHAPE(H)},
                {"C", l.C, DK_SHAPE(cfg.V, cfg.embed)}};
            for (int k = 0; k < 7; k++) {
                const float *prefill = dk_guard_prefill(grads) + parts[k].at;
                const size_t count = dk_shape_count(parts[k].shape);
                float *expect = alloc_or_die(count, sizeof *expect);
                for (size_t i = 0; i < count; i++)
                    expect[i] = prefill[i] + want[parts[k].at + i];
                dk_expect_floats(expect, grads + parts[k].at, parts[k].shape, (dk_tol){1e-4, 1e-5},
                                 "lm_backward(%s): the gradient of %s (what grads held there "
                                 "plus the gradient)", describe(&cfg, B), parts[k].name);
                free(expect);
            }
            dk_guard_check(grads, DK_SHAPE(n), "lm_backward(%s): grads", describe(&cfg, B));
            dk_guard_free(grads);
            free(want);
            free_pass(&p);
        }
}

static double pass_loss(void *ctx)
{
    pass *p = ctx;
    ref_lm_forward(p->cfg, p->params, NULL, p->X, p->B, true, p->acts, p->logits);
    return softmax_cross_entropy(p->logits, p->y, p->B, p->cfg->V, NULL);
}

GRADED_TEST(lm_gradients_by_finite_differences, 3, 30,
            "Every parameter's gradient is the loss's slope along it: if the reference's "
            "values disagree with yours somewhere, this names the parameter.")
{
    for (int bn = 0; bn <= 1; bn++) {
        lm_config cfg = CONFIGS[0];
        cfg.batchnorm = bn;
        dk_rng rng = dk_test_rng(560 + (size_t)bn);
        const size_t B = 6, n = lm_layout_of(&cfg).n;
        pass p = make_pass(&cfg, B, &rng);
        float *grads = alloc_or_die(n, sizeof *grads);
        lm_backward(&cfg, p.params, p.X, B, p.acts, p.dlogits, grads);
        const lm_layout l = lm_layout_of(&cfg);
        const size_t H = cfg.hidden, in = cfg.context * cfg.embed;
        const dk_grad_param params[7] = { /* in the backward pass's order */
            {"W2", p.params + l.W2, grads + l.W2, DK_SHAPE(cfg.V, H)},
            {"b2", p.params + l.b2, grads + l.b2, DK_SHAPE(cfg.V)},
            {"gamma", p.params + l.gamma, grads + l.gamma, DK_SHAPE(H)},
            {"beta", p.params + l.beta, grads + l.beta, DK_SHAPE(H)},
            {"W1", p.params + l.W1, grads + l.W1, DK_SHAPE(H, in)},
            {"b1", p.params + l.b1, grads + l.b1, DK_SHAPE(H)},
            {"C", p.params + l.C, grads + l.C, DK_SHAPE(cfg.V, cfg.embed)},
        };
        dk_expect_gradients(pass_loss, &p, params, 7, DK_GRADCHECK_NETWORK, "lm_backward(%s)",
                            describe(&cfg, B));
        free(grads);
        free_pass(&p);
    }
}
