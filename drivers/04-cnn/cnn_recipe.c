/* Chapter 04's training recipe (kit code; see cnn_recipe.h). */
#include "cnn_recipe.h"

#include "blas.h"
#include "metrics.h"
#include "parallel.h"
#include "schedule.h"
#include "training.h"
#include "workspace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const cnn_recipe CNN_RECIPE_FASHION = {.c1 = 16, .c2 = 32, .hidden = 128, .epochs = 12,
                                       .batch = 64, .lr_max = 0.05f, .momentum = 0.9f,
                                       .weight_decay = 5e-4f};
const cnn_recipe CNN_RECIPE_GRADED = {.c1 = 16, .c2 = 32, .hidden = 128, .epochs = 3,
                                      .batch = 64, .subset = 10000, .lr_max = 0.05f,
                                      .momentum = 0.9f, .weight_decay = 5e-4f};
const cnn_recipe CNN_RECIPE_CIFAR10 = {.c1 = 64, .c2 = 128, .hidden = 256, .epochs = 30,
                                       .batch = 64, .lr_max = 0.05f, .momentum = 0.9f,
                                       .weight_decay = 5e-4f, .flip = true, .shift = 4};

/* Evaluation's batch: larger than training's, fewer calls. */
enum { EVAL_BATCH = 200 };

const cnn_recipe *cnn_recipe_for(const char *dataset)
{
    if (strcmp(dataset, "fashion-mnist") == 0)
        return &CNN_RECIPE_FASHION;
    if (strcmp(dataset, "cifar10") == 0)
        return &CNN_RECIPE_CIFAR10;
    return NULL;
}

lenet_config cnn_recipe_network(const cnn_recipe *r, const dk_dataset *data)
{
    return (lenet_config){data->h, data->w, data->c, r->c1, r->c2, r->hidden, data->classes};
}

/* Buffers of one batch of B images of dim floats: the network's in a
 * workspace; the logits that are scored and the labels, the recipe's own.
 * With halves, each half of the batch has its own activations and the
 * second its own gradients (grads2). */
typedef struct scratch {
    float *x, *acts[2], *dacts[2], *logits, *dlogits, *grads2;
    int *labels;
} scratch;

static void scratch_free(scratch *s)
{
    dk_workspace_free(s->x), dk_workspace_free(s->dlogits), dk_workspace_free(s->grads2);
    for (int h = 0; h < 2; h++)
        dk_workspace_free(s->acts[h]), dk_workspace_free(s->dacts[h]);
    free(s->logits), free(s->labels);
}

/* dacts only for training; the second half's buffers only with halves. */
static bool scratch_alloc(scratch *s, const lenet *net, size_t B, bool train, bool halves)
{
    const size_t dim = net->cfg.H * net->cfg.W * net->cfg.C, C = net->cfg.classes;
    const size_t acts = lenet_acts_size(net, halves ? (B + 1) / 2 : B);
    *s = (scratch){.x = dk_workspace_alloc(B * dim, sizeof(float)),
                   .logits = malloc(B * C * sizeof(float)),
                   .dlogits = dk_workspace_alloc(B * C, sizeof(float)),
                   .grads2 = halves ? dk_workspace_alloc(net->nparams, sizeof(float)) : NULL,
                   .labels = malloc(B * sizeof(int))};
    bool ok = s->x && s->logits && s->dlogits && s->labels && (s->grads2 || !halves);
    for (int h = 0; h < 1 + halves; h++) {
        s->acts[h] = dk_workspace_alloc(acts, sizeof(float));
        s->dacts[h] = train ? dk_workspace_alloc(acts, sizeof(float)) : NULL;
        ok = ok && s->acts[h] && (s->dacts[h] || !train);
    }
    if (!ok)
        scratch_free(s);
    return ok;
}

/* A random horizontal flip and shift of each (h, w, c) image of a batch,
 * filling with 0 what comes from outside. */
static void augment(const cnn_recipe *r, float *x, size_t B, const lenet_config *cfg, dk_rng *rng,
                    float *copy)
{
    const int h = (int)cfg->H, w = (int)cfg->W, span = 2 * r->shift + 1;
    const size_t C = cfg->C, dim = cfg->H * cfg->W * C;
    for (size_t n = 0; n < B; n++) {
        const bool flip = r->flip && dk_rng_below(rng, 2);
        const int dy = (int)dk_rng_below(rng, (size_t)span) - r->shift;
        const int dx = (int)dk_rng_below(rng, (size_t)span) - r->shift;
        if (!flip && !dy && !dx)
            continue;
        float *img = x + n * dim;
        memcpy(copy, img, dim * sizeof *copy);
        for (int row = 0; row < h; row++)
            for (int col = 0; col < w; col++) {
                const int sr = row - dy, sc0 = col - dx, sc = flip ? w - 1 - sc0 : sc0;
                float *px = img + ((size_t)row * cfg->W + (size_t)col) * C;
                if (sr < 0 || sr >= h || sc0 < 0 || sc0 >= w)
                    memset(px, 0, C * sizeof *px);
                else
                    memcpy(px, copy + ((size_t)sr * cfg->W + (size_t)sc) * C, C * sizeof *px);
            }
    }
}

/* One half of a batch's pass: the forward of its images into its part of
 * the logits, or its backward into its network's gradients. */
typedef struct half {
    lenet net; /* the same parameters; the second half's gradients are grads2 */
    const float *x, *dlogits;
    float *acts, *dacts, *logits;
    size_t B;
    bool backward;
} half;

static void run_half(void *arg)
{
    half *h = arg;
    if (h->backward)
        lenet_backward(&h->net, h->B, h->acts, h->dlogits, h->dacts);
    else
        lenet_forward(&h->net, h->x, h->B, h->acts, h->logits);
}

static void run_halves(half h[2], bool backward)
{
    h[0].backward = h[1].backward = backward;
    dk_run_both(run_half, &h[0], h[1].B ? &h[1] : NULL);
}

/* The halves of a batch of B images; without halves, all of it in the
 * first. */
static void split_batch(half h[2], lenet *net, const scratch *s, size_t B, bool halves)
{
    const size_t dim = net->cfg.H * net->cfg.W * net->cfg.C, C = net->cfg.classes;
    const size_t B0 = halves ? (B + 1) / 2 : B;
    h[0] = (half){*net, s->x, s->dlogits, s->acts[0], s->dacts[0], s->logits, B0, false};
    h[1] = (half){*net, s->x + B0 * dim, s->dlogits + B0 * C, s->acts[1], s->dacts[1],
                  s->logits + B0 * C, B - B0, false};
    h[1].net.grads = s->grads2;
}

/* One step on a batch: forward, the loss over the whole batch, backward,
 * the two halves' gradients summed. The batch's summed loss. */
static double train_step(lenet *net, scratch *s, size_t B, bool halves)
{
    half h[2];
    split_batch(h, net, s, B, halves);
    lenet_zero_grad(net);
    if (halves)
        memset(s->grads2, 0, net->nparams * sizeof *s->grads2);
    run_halves(h, false);
    const double loss = (double)B * softmax_cross_entropy(s->logits, s->labels, B,
                                                          net->cfg.classes, s->dlogits);
    run_halves(h, true);
    for (size_t i = 0; halves && i < net->nparams; i++)
        net->grads[i] += s->grads2[i];
    return loss;
}

float cnn_train_epoch(lenet *net, const float *X, const int *y, size_t n, cnn_training *t,
                      dk_rng *rng)
{
    const cnn_recipe *r = t->recipe;
    const size_t dim = net->cfg.H * net->cfg.W * net->cfg.C;
    const bool halves = t->halves;
    scratch s;
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    float *copy = malloc(dim * sizeof *copy);
    if (!order || !copy || !scratch_alloc(&s, net, r->batch, true, halves)) {
        free(order), free(copy);
        return NAN;
    }
    /* each half's products on its own thread, none shared */
    const int blas_threads = halves ? dk_blas_set_threads(1) : 0;
    dk_rng_permutation(rng, order, n);
    double total = 0;
    for (size_t start = 0; start < n; start += r->batch) {
        const size_t B = n - start < r->batch ? n - start : r->batch;
        for (size_t i = 0; i < B; i++) {
            memcpy(s.x + i * dim, X + order[start + i] * dim, dim * sizeof(float));
            s.labels[i] = y[order[start + i]];
        }
        if (r->flip || r->shift)
            augment(r, s.x, B, &net->cfg, rng, copy);
        total += train_step(net, &s, B, halves && B > 1);
        /* chapter 03's rule: v = momentum v + g + wd p; p -= lr v */
        momentum_step(net->params, net->grads, t->velocity, net->nparams,
                      t->lr_at(t->step++, t->lr_ctx), r->momentum, r->weight_decay, false);
        if (t->hooks && t->hooks->on_step)
            t->hooks->on_step(start + B, NAN, t->hooks->ctx);
    }
    if (halves)
        dk_blas_set_threads(blas_threads);
    scratch_free(&s);
    free(order), free(copy);
    return (float)(total / (double)(n ? n : 1));
}

float cnn_evaluate(const lenet *net, const float *X, const int *y, size_t n, float *loss,
                   int *pred)
{
    const size_t dim = net->cfg.H * net->cfg.W * net->cfg.C, C = net->cfg.classes;
    scratch s;
    if (!scratch_alloc(&s, net, EVAL_BATCH, false, false))
        return NAN;
    size_t right = 0;
    double total = 0;
    for (size_t start = 0; start < n; start += EVAL_BATCH) {
        const size_t B = n - start < EVAL_BATCH ? n - start : EVAL_BATCH;
        lenet_forward(net, X + start * dim, B, s.acts[0], s.logits);
        total += (double)B * softmax_cross_entropy(s.logits, y + start, B, C, NULL);
        right += dk_count_correct(s.logits, B, C, y + start, pred ? pred + start : NULL);
    }
    scratch_free(&s);
    if (loss)
        *loss = (float)(total / (double)(n ? n : 1));
    return (float)right / (float)(n ? n : 1);
}

/* The one-cycle schedule over a whole run, as an lr_at. */
typedef struct one_cycle { /* dk_one_cycle_lr as an lr_at */
    size_t total;
    float lr_max;
} one_cycle;

static float one_cycle_at(size_t step, void *ctx)
{
    const one_cycle *c = ctx;
    return dk_one_cycle_lr(c->lr_max, step, c->total);
}

float cnn_recipe_train(const cnn_recipe *r, const dk_dataset *train, const dk_dataset *test,
                       uint64_t seed, const dk_train_hooks *hooks, bool halves)
{
    dk_rng rng;
    dk_rng_seed(&rng, seed);
    const lenet_config cfg = cnn_recipe_network(r, train);
    lenet net;
    if (!lenet_create(&net, &cfg, &rng))
        return NAN;
    const size_t n = r->subset && r->subset < train->n ? r->subset : train->n;
    one_cycle schedule = {r->epochs * ((n + r->batch - 1) / r->batch), r->lr_max};
    cnn_training t = {r, one_cycle_at, &schedule, dk_workspace_alloc(net.nparams, sizeof(float)),
                      0, hooks, halves};
    float acc = NAN;
    const bool watched = hooks && hooks->on_epoch;
    for (size_t epoch = 1; t.velocity && epoch <= r->epochs; epoch++) {
        const float loss = cnn_train_epoch(&net, train->x, train->y, n, &t, &rng);
        if (!watched && epoch < r->epochs)
            continue; /* no one looks at the test set before the end */
        float test_loss = NAN;
        acc = cnn_evaluate(&net, test->x, test->y, test->n, &test_loss, NULL);
        if (watched) {
            const dk_epoch_report rep = {epoch, loss, {NAN, NAN}, {NAN, NAN}, {test_loss, acc},
                                         one_cycle_at(t.step - 1, &schedule), &net};
            hooks->on_epoch(&rep, hooks->ctx);
        }
    }
    dk_workspace_free(t.velocity);
    lenet_free(&net);
    return acc;
}
