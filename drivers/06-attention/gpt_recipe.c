/* Chapter 06's GPT recipe (see gpt_recipe.h). */
#include "gpt_recipe.h"

#include "blas.h"
#include "error.h"
#include "parallel.h"
#include "timer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const gpt_recipe GPT_RECIPE_SHAKESPEARE = {
    .cfg = {0, 64, 128, 4, 4}, .steps = 5000, .batch = 12, .lr = 1e-3f, .min_lr = 1e-4f,
    .warmup = 100, .weight_decay = 0.1f, .clip = 1.0f, .eval_every = 250, .eval_windows = 400,
};

const gpt_recipe GPT_RECIPE_SHORT = {
    .cfg = {0, 32, 32, 2, 2}, .steps = 600, .batch = 16, .lr = 3e-3f, .min_lr = 3e-4f,
    .warmup = 50, .weight_decay = 0.1f, .clip = 1.0f, .eval_every = 100, .eval_windows = 200,
};

/* A model's buffers for batches of B windows; with halves, the second
 * half's activations and gradients apart (acts2, grads2). */
typedef struct run {
    const gpt_config *cfg;
    size_t B, n;
    float *params, *grads, *m, *v, *acts, *logits, *dlogits, *acts2, *grads2;
    int *X, *Y;
} run;

static bool run_open(run *r, const gpt_config *cfg, size_t B, bool halves)
{
    const size_t T = cfg->T;
    *r = (run){.cfg = cfg, .B = B, .n = gpt_layout_of(cfg).n};
    r->params = calloc(r->n, sizeof *r->params);
    r->grads = calloc(r->n, sizeof *r->grads);
    r->m = calloc(r->n, sizeof *r->m);
    r->v = calloc(r->n, sizeof *r->v);
    r->acts = malloc(gpt_acts_of(cfg, B, T).n * sizeof *r->acts);
    r->logits = malloc(B * T * cfg->V * sizeof *r->logits);
    r->dlogits = malloc(B * T * cfg->V * sizeof *r->dlogits);
    r->X = malloc(B * T * sizeof *r->X);
    r->Y = malloc(B * T * sizeof *r->Y);
    if (halves) {
        r->acts2 = malloc(gpt_acts_of(cfg, (B + 1) / 2, T).n * sizeof *r->acts2);
        r->grads2 = malloc(r->n * sizeof *r->grads2);
    }
    return r->params && r->grads && r->m && r->v && r->acts && r->logits && r->dlogits && r->X &&
           r->Y && (!halves || (r->acts2 && r->grads2));
}

static void run_close(run *r)
{
    free(r->params), free(r->grads), free(r->m), free(r->v), free(r->acts), free(r->logits);
    free(r->dlogits), free(r->acts2), free(r->grads2);
    free(r->X), free(r->Y);
}

/* Window b: tokens from start as inputs, the next ones as targets. */
static void window(run *r, size_t b, const int *tokens, size_t start)
{
    const size_t T = r->cfg->T;
    memcpy(r->X + b * T, tokens + start, T * sizeof *r->X);
    memcpy(r->Y + b * T, tokens + start + 1, T * sizeof *r->Y);
}

/* Windows [b0, b0 + B) of a batch: their forward into their rows of the
 * logits, or their backward into grads. */
typedef struct half {
    const run *r;
    size_t b0, B;
    float *acts, *grads;
    bool backward;
} half;

static void run_half(void *arg)
{
    const half *h = arg;
    const run *r = h->r;
    const size_t T = r->cfg->T, row = h->b0 * T, V = r->cfg->V;
    if (h->backward)
        gpt_backward(r->cfg, r->params, r->X + row, h->B, T, h->acts, r->dlogits + row * V,
                     h->grads);
    else
        gpt_forward(r->cfg, r->params, r->X + row, h->B, T, h->acts, r->logits + row * V);
}

static void run_halves(half h[2], bool backward)
{
    h[0].backward = h[1].backward = backward;
    dk_run_both(run_half, &h[0], h[1].B ? &h[1] : NULL);
}

/* The batch's mean cross-entropy; when training, its gradient accumulated
 * into grads. With halves, each half's forward and backward on a thread
 * of its own, the loss over the whole batch: the same step, the
 * gradient's sums in another order. */
static float batch_loss(run *r, bool train)
{
    const size_t N = r->B * r->cfg->T, B0 = r->acts2 ? (r->B + 1) / 2 : r->B;
    half h[2] = {{r, 0, B0, r->acts, r->grads, false},
                 {r, B0, r->B - B0, r->acts2, r->grads2, false}};
    run_halves(h, false);
    const float loss =
        softmax_cross_entropy(r->logits, r->Y, N, r->cfg->V, train ? r->dlogits : NULL);
    if (!train)
        return loss;
    if (h[1].B)
        memset(r->grads2, 0, r->n * sizeof *r->grads2);
    run_halves(h, true);
    for (size_t i = 0; h[1].B && i < r->n; i++)
        r->grads[i] += r->grads2[i];
    return loss;
}

/* The mean cross-entropy per character over `windows` windows of T tokens
 * spread evenly over text (each predicting its next T tokens). */
static float loss_of(run *r, gpt_text text, size_t windows)
{
    const size_t T = r->cfg->T, span = text.n - T - 1;
    double sum = 0;
    size_t done = 0;
    while (done < windows) {
        const size_t B = windows - done < r->B ? windows - done : r->B;
        run part = *r;
        part.B = B;
        for (size_t b = 0; b < B; b++)
            window(&part, b, text.tokens, (done + b) * span / (windows > 1 ? windows - 1 : 1));
        sum += (double)batch_loss(&part, false) * (double)B;
        done += B;
    }
    return (float)(sum / (double)windows);
}

float gpt_train(const gpt_recipe *rc, gpt_text train, gpt_text val, uint64_t seed,
                const gpt_hooks *hooks, float **params_out, bool halves)
{
    run r;
    const size_t T = rc->cfg.T;
    if (!run_open(&r, &rc->cfg, rc->batch, halves)) {
        run_close(&r);
        return NAN;
    }
    /* each half's products on its own thread, none shared */
    const int blas_threads = halves ? dk_blas_set_threads(1) : 0;
    dk_rng rng;
    dk_rng_seed(&rng, seed);
    gpt_init(&rc->cfg, r.params, &rng);
    const double start = dk_seconds();
    double since = 0;
    float val_loss = NAN;
    for (size_t step = 1; step <= rc->steps; step++) {
        for (size_t b = 0; b < rc->batch; b++)
            window(&r, b, train.tokens, dk_rng_below(&rng, train.n - T - 1));
        const float loss = batch_loss(&r, true);
        const float norm = clip_grad_norm(r.grads, r.n, rc->clip);
        if (hooks && hooks->on_step)
            hooks->on_step(step, loss, norm, hooks->ctx);
        since += loss;
        const float lr = lr_warmup_cosine(rc->lr, rc->min_lr, step - 1, rc->warmup, rc->steps);
        gpt_adamw_step(&rc->cfg, r.params, r.grads, r.m, r.v, step, lr, rc->weight_decay);
        memset(r.grads, 0, r.n * sizeof *r.grads);
        const bool last = step == rc->steps;
        if (step % rc->eval_every == 0 || last) {
            val_loss = loss_of(&r, val, rc->eval_windows);
            const double seconds = dk_seconds() - start;
            const size_t n = step % rc->eval_every ? step % rc->eval_every : rc->eval_every;
            if (hooks && hooks->on_eval)
                hooks->on_eval(step, (float)(since / (double)n), val_loss, seconds, hooks->ctx);
            since = 0;
            if (rc->max_seconds > 0 && seconds > rc->max_seconds)
                break;
        }
    }
    if (halves)
        dk_blas_set_threads(blas_threads);
    if (params_out) {
        *params_out = r.params;
        r.params = NULL;
    }
    run_close(&r);
    return val_loss;
}

void gpt_generate(const gpt_config *cfg, const float *params, const int *prompt, size_t np,
                  size_t n, float temperature, size_t top_k, dk_rng *rng, int *out)
{
    float *cache = calloc(gpt_cache_size(cfg), sizeof *cache);
    float *logits = malloc(cfg->V * sizeof *logits);
    if (!cache || !logits)
        dk_fatal("gpt_generate: out of memory");
    int token = prompt[0];
    for (size_t pos = 0; pos + 1 < np + n; pos++) {
        gpt_decode_step(cfg, params, cache, pos, token, logits);
        token = pos + 1 < np ? prompt[pos + 1]
                             : (int)sample_logits(logits, cfg->V, temperature, top_k, rng);
        if (pos + 1 >= np)
            out[pos + 1 - np] = token;
    }
    free(cache), free(logits);
}
