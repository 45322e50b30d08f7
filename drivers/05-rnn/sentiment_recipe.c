/* Chapter 05's sentiment recipe (kit code; see sentiment_recipe.h). */
#include "sentiment_recipe.h"

#include "training.h"
#include "workspace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const st_recipe ST_RECIPE_LSTM = {{0, 64, 128}, 8, 32, 2e-3f, 5.0f, 2};
const st_recipe ST_RECIPE_SHORT = {{0, 32, 64}, 3, 32, 5e-3f, 5.0f, 3};

const st_model ST_YOURS = {sent_init, sent_forward, sent_backward, clip_grad_norm};

enum { EVAL_BATCH = 128 };

/* One batch's buffers: the model's in a workspace (common/workspace.h);
 * the logits that are scored and the labels, the kit's. */
typedef struct batch {
    size_t cap_B, cap_T; /* what they hold room for */
    int *X, *y;
    size_t *lengths;
    float *acts, *logits, *dlogits;
} batch;

static bool batch_alloc(batch *b, const sent_config *cfg, size_t B, size_t T)
{
    *b = (batch){B, T, dk_workspace_alloc(T * B, sizeof(int)), malloc(B * sizeof(int)),
                 dk_workspace_alloc(B, sizeof(size_t)),
                 dk_workspace_alloc(sent_acts_size(cfg, T, B), sizeof(float)),
                 malloc(B * SENT_CLASSES * sizeof(float)),
                 dk_workspace_alloc(B * SENT_CLASSES, sizeof(float))};
    return b->X && b->y && b->lengths && b->acts && b->logits && b->dlogits;
}

static void batch_free(batch *b)
{
    dk_workspace_free(b->X), dk_workspace_free(b->lengths), dk_workspace_free(b->acts);
    dk_workspace_free(b->dlogits);
    free(b->y), free(b->logits);
}

static size_t longest(const reviews *d)
{
    size_t T = 1;
    for (size_t i = 0; i < d->n; i++)
        T = d->len[i] > T ? d->len[i] : T;
    return T;
}

/* Fills b with sentences idx[0..B): X (T, B) padded, T the longest of
 * them; returns T. */
static size_t fill(batch *b, const reviews *d, const size_t *idx, size_t B)
{
    size_t T = 1;
    for (size_t k = 0; k < B; k++)
        T = d->len[idx[k]] > T ? d->len[idx[k]] : T;
    memset(b->X, 0, T * B * sizeof *b->X); /* REVIEWS_PAD */
    for (size_t k = 0; k < B; k++) {
        const size_t s = idx[k];
        for (size_t t = 0; t < d->len[s]; t++)
            b->X[t * B + k] = d->tokens[d->start[s] + t];
        b->lengths[k] = d->len[s], b->y[k] = d->label[s];
    }
    return T;
}

static const size_t *by_length_of; /* (qsort's context: the lengths) */

static int shorter(const void *a, const void *b)
{
    const size_t x = by_length_of[*(const size_t *)a], y = by_length_of[*(const size_t *)b];
    return (x > y) - (x < y);
}

/* Accuracy and mean loss on a split, in batches of similar lengths (the
 * padding changes nothing, so the order does not matter). */
static void evaluate(const st_model *m, const sent_config *cfg, const float *params,
                     const reviews *d, int split, batch *b, float *acc, float *loss)
{
    const size_t n = d->count[split];
    size_t *order = malloc(n * sizeof *order), right = 0;
    double total = 0;
    if (!order) {
        *acc = *loss = NAN;
        return;
    }
    memcpy(order, d->split[split], n * sizeof *order);
    by_length_of = d->len;
    qsort(order, n, sizeof *order, shorter);
    for (size_t from = 0; from < n; from += EVAL_BATCH) {
        const size_t B = n - from < EVAL_BATCH ? n - from : EVAL_BATCH;
        const size_t T = fill(b, d, order + from, B);
        m->forward(cfg, params, b->X, b->lengths, T, B, b->acts, b->logits);
        total += (double)B * softmax_cross_entropy(b->logits, b->y, B, SENT_CLASSES, NULL);
        for (size_t k = 0; k < B; k++)
            right += (b->logits[2 * k + 1] > b->logits[2 * k]) == (b->y[k] == 1);
    }
    free(order);
    *acc = (float)right / (float)(n ? n : 1);
    *loss = (float)(total / (double)(n ? n : 1));
}

/* One epoch over the training split in a random order; returns the mean
 * loss. t counts Adam's steps. */
static float epoch(const st_recipe *r, const st_model *m, const reviews *d, float *params,
                   float *grads, float *adam, size_t *t, batch *b, dk_rng *rng)
{
    const sent_config *cfg = &r->cfg;
    const size_t n = d->count[REVIEWS_TRAIN];
    const size_t np = sent_layout_of(cfg).n;
    size_t *perm = malloc(n * sizeof *perm), *idx = malloc(r->batch * sizeof *idx);
    double total = 0;
    if (!perm || !idx) {
        free(perm), free(idx);
        return NAN;
    }
    dk_rng_permutation(rng, perm, n);
    for (size_t from = 0; from < n; from += r->batch) {
        const size_t B = n - from < r->batch ? n - from : r->batch;
        for (size_t k = 0; k < B; k++)
            idx[k] = d->split[REVIEWS_TRAIN][perm[from + k]];
        const size_t T = fill(b, d, idx, B);
        memset(grads, 0, np * sizeof *grads);
        m->forward(cfg, params, b->X, b->lengths, T, B, b->acts, b->logits);
        total += (double)B *
                 softmax_cross_entropy(b->logits, b->y, B, SENT_CLASSES, b->dlogits);
        m->backward(cfg, params, b->X, b->lengths, T, B, b->acts, b->dlogits, grads);
        m->clip(grads, np, r->clip);
        adam_step(params, grads, adam, adam + np, np, ++*t, r->lr, 0.9f, 0.999f, 1e-8f, 0.0f,
                  false);
    }
    free(perm), free(idx);
    return (float)(total / (double)n);
}

bool st_train(const st_recipe *r, const st_model *m, const reviews *d, uint64_t seed,
              const st_hooks *hooks, st_result *out)
{
    const sent_config *cfg = &r->cfg;
    const size_t np = sent_layout_of(cfg).n;
    float *params = dk_workspace_alloc(np, sizeof(float));
    float *grads = dk_workspace_alloc(np, sizeof(float));
    float *adam = calloc(2 * np, sizeof(float)), *best = malloc(np * sizeof(float));
    batch b;
    const bool ok = batch_alloc(&b, cfg, EVAL_BATCH > r->batch ? EVAL_BATCH : r->batch,
                                longest(d)) && params && grads && adam && best;
    if (ok) {
        dk_rng rng;
        dk_rng_seed(&rng, seed);
        m->init(cfg, params, &rng);
        *out = (st_result){0, 0, -1.0f, NAN};
        size_t t = 0;
        for (size_t e = 1; e <= r->epochs && e <= out->best_epoch + r->patience; e++) {
            const float train_loss = epoch(r, m, d, params, grads, adam, &t, &b, &rng);
            float acc, loss, train_acc, unused;
            evaluate(m, cfg, params, d, REVIEWS_VAL, &b, &acc, &loss);
            if (hooks && hooks->on_epoch) {
                evaluate(m, cfg, params, d, REVIEWS_TRAIN, &b, &train_acc, &unused);
                hooks->on_epoch(e, train_loss, train_acc, acc, loss, hooks->ctx);
            }
            out->epochs_run = e;
            if (acc > out->val_acc) {
                out->val_acc = acc, out->best_epoch = e;
                memcpy(best, params, np * sizeof *best);
            }
        }
        float loss;
        memcpy(params, best, np * sizeof *params);
        evaluate(m, cfg, params, d, REVIEWS_TEST, &b, &out->test_acc, &loss);
    }
    batch_free(&b);
    dk_workspace_free(params), dk_workspace_free(grads);
    free(adam), free(best);
    return ok;
}

/* ---- The bag-of-words baseline ----------------------------------------------------- */

/* z = b + the weights of the distinct words of sentence s (padding and
 * unknown words aside); marks (V) is scratch, zero on entry and exit. */
static float bow_logit(const float *w, const reviews *d, size_t s, unsigned char *marks)
{
    double z = w[d->V];
    const int *tok = d->tokens + d->start[s];
    for (size_t t = 0; t < d->len[s]; t++)
        if (tok[t] > REVIEWS_UNKNOWN && !marks[tok[t]])
            marks[tok[t]] = 1, z += w[tok[t]];
    for (size_t t = 0; t < d->len[s]; t++)
        marks[tok[t]] = 0;
    return (float)z;
}

/* g += dz on the distinct words of s and the bias. */
static void bow_grad(float *g, float dz, const reviews *d, size_t s, unsigned char *marks)
{
    const int *tok = d->tokens + d->start[s];
    g[d->V] += dz;
    for (size_t t = 0; t < d->len[s]; t++)
        if (tok[t] > REVIEWS_UNKNOWN && !marks[tok[t]])
            marks[tok[t]] = 1, g[tok[t]] += dz;
    for (size_t t = 0; t < d->len[s]; t++)
        marks[tok[t]] = 0;
}

/* Accuracy and mean cross-entropy on a split. */
static float bow_evaluate(const float *w, const reviews *d, int split, unsigned char *marks,
                          float *loss)
{
    size_t right = 0;
    double total = 0;
    for (size_t i = 0; i < d->count[split]; i++) {
        const size_t s = d->split[split][i];
        const float z = bow_logit(w, d, s, marks), p = 1.0f / (1.0f + expf(-z));
        right += (z > 0) == (d->label[s] == 1);
        total -= log(d->label[s] ? p + 1e-12 : 1 - p + 1e-12);
    }
    *loss = (float)(total / (double)d->count[split]);
    return (float)right / (float)d->count[split];
}

bool st_bag_of_words(const reviews *d, uint64_t seed, const st_hooks *hooks, st_result *out)
{
    enum { EPOCHS = 20, BATCH = 32, PATIENCE = 2 };
    const size_t np = d->V + 1, n = d->count[REVIEWS_TRAIN]; /* w (V), then the bias */
    float *w = calloc(np, sizeof *w), *g = calloc(np, sizeof *g), *best = malloc(np * sizeof *w);
    float *adam = calloc(2 * np, sizeof *adam);
    unsigned char *marks = calloc(d->V, 1);
    size_t *perm = malloc(n * sizeof *perm), t = 0;
    const bool ok = w && g && best && adam && marks && perm;
    dk_rng rng;
    dk_rng_seed(&rng, seed);
    *out = (st_result){0, 0, -1.0f, NAN};
    for (size_t e = 1; ok && e <= EPOCHS && e <= out->best_epoch + PATIENCE; e++) {
        dk_rng_permutation(&rng, perm, n);
        double total = 0;
        for (size_t from = 0; from < n; from += BATCH) {
            const size_t B = n - from < BATCH ? n - from : BATCH;
            memset(g, 0, np * sizeof *g);
            for (size_t k = 0; k < B; k++) {
                const size_t s = d->split[REVIEWS_TRAIN][perm[from + k]];
                const float p = 1.0f / (1.0f + expf(-bow_logit(w, d, s, marks)));
                total -= log(d->label[s] ? p + 1e-12 : 1 - p + 1e-12);
                bow_grad(g, (p - (float)d->label[s]) / (float)B, d, s, marks);
            }
            adam_step(w, g, adam, adam + np, np, ++t, 5e-3f, 0.9f, 0.999f, 1e-8f, 0.0f, false);
        }
        float loss, unused;
        const float acc = bow_evaluate(w, d, REVIEWS_VAL, marks, &loss);
        if (hooks && hooks->on_epoch)
            hooks->on_epoch(e, (float)(total / (double)n),
                            bow_evaluate(w, d, REVIEWS_TRAIN, marks, &unused), acc, loss,
                            hooks->ctx);
        out->epochs_run = e;
        if (acc > out->val_acc) {
            out->val_acc = acc, out->best_epoch = e;
            memcpy(best, w, np * sizeof *best);
        }
    }
    float loss;
    if (ok)
        out->test_acc = bow_evaluate(best, d, REVIEWS_TEST, marks, &loss);
    free(w), free(g), free(best), free(adam), free(marks), free(perm);
    return ok;
}
