/* Chapter 05's makemore recipe (kit code; see makemore_recipe.h). */
#include "makemore_recipe.h"

#include "workspace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const mm_recipe MM_RECIPE_MLP = {{MM_VOCAB, 3, 10, 200, false}, 200000, 32, 0.1f, 100000,
                                 0.01f, 10000};
const mm_recipe MM_RECIPE_BATCHNORM = {{MM_VOCAB, 3, 10, 200, true}, 200000, 32, 0.1f, 100000,
                                       0.01f, 10000};

const mm_model MM_YOURS = {lm_init, lm_forward, lm_backward};

enum { EVAL_BATCH = 1024 };

bool mm_data_make(mm_data *d, const names_split *s, size_t context, dk_err *err)
{
    *d = (mm_data){.context = context};
    for (int k = 0; k < NAMES_SPLITS; k++) {
        const size_t n = s->len[k] - 1;
        d->X[k] = malloc(n * context * sizeof(int));
        d->y[k] = malloc(n * sizeof(int));
        if (!d->X[k] || !d->y[k]) {
            mm_data_free(d);
            return dk_fail(err, "out of memory making the names' examples");
        }
        d->n[k] = names_examples(s->seq[k], s->len[k], context, d->X[k], d->y[k]);
    }
    return true;
}

void mm_data_free(mm_data *d)
{
    for (int k = 0; k < NAMES_SPLITS; k++)
        free(d->X[k]), free(d->y[k]);
    *d = (mm_data){0};
}

/* The buffers of one batch of B: the model's in a workspace (common/
 * workspace.h); the logits that are scored and the labels, the kit's. */
typedef struct batch {
    int *X, *y;
    float *acts, *logits, *dlogits;
} batch;

static bool batch_alloc(batch *b, const lm_config *cfg, size_t B)
{
    *b = (batch){dk_workspace_alloc(B * cfg->context, sizeof(int)), malloc(B * sizeof(int)),
                 dk_workspace_alloc(lm_acts_size(cfg, B), sizeof(float)),
                 malloc(B * cfg->V * sizeof(float)), dk_workspace_alloc(B * cfg->V, sizeof(float))};
    return b->X && b->y && b->acts && b->logits && b->dlogits;
}

static void batch_free(batch *b)
{
    dk_workspace_free(b->X), dk_workspace_free(b->acts), dk_workspace_free(b->dlogits);
    free(b->y), free(b->logits);
}

float mm_loss(const mm_model *m, const lm_config *cfg, const float *params, float *running,
              const int *X, const int *y, size_t n)
{
    batch b;
    if (!batch_alloc(&b, cfg, EVAL_BATCH)) {
        batch_free(&b);
        return NAN;
    }
    double total = 0;
    for (size_t start = 0; start < n; start += EVAL_BATCH) {
        const size_t B = n - start < EVAL_BATCH ? n - start : EVAL_BATCH;
        memcpy(b.X, X + start * cfg->context, B * cfg->context * sizeof(int));
        m->forward(cfg, params, running, b.X, B, false, b.acts, b.logits);
        total += (double)B * softmax_cross_entropy(b.logits, y + start, B, cfg->V, NULL);
    }
    batch_free(&b);
    return (float)(total / (double)(n ? n : 1));
}

/* One step of SGD on a random batch; returns its loss. */
static float step(const mm_recipe *r, const mm_model *m, const mm_data *d, float *params,
                  float *grads, float *running, batch *b, float lr, dk_rng *rng)
{
    const lm_config *cfg = &r->cfg;
    const size_t B = r->batch, n = d->n[NAMES_TRAIN], nparams = lm_layout_of(cfg).n;
    for (size_t i = 0; i < B; i++) {
        const size_t k = dk_rng_below(rng, n);
        memcpy(b->X + i * cfg->context, d->X[NAMES_TRAIN] + k * cfg->context,
               cfg->context * sizeof(int));
        b->y[i] = d->y[NAMES_TRAIN][k];
    }
    memset(grads, 0, nparams * sizeof *grads);
    m->forward(cfg, params, running, b->X, B, true, b->acts, b->logits);
    const float loss = softmax_cross_entropy(b->logits, b->y, B, cfg->V, b->dlogits);
    m->backward(cfg, params, b->X, B, b->acts, b->dlogits, grads);
    for (size_t i = 0; i < nparams; i++)
        params[i] -= lr * grads[i];
    return loss;
}

float mm_train(const mm_recipe *r, const mm_model *m, const mm_data *d, uint64_t seed,
               const mm_hooks *hooks, mm_trained *out)
{
    const lm_config *cfg = &r->cfg;
    const size_t nparams = lm_layout_of(cfg).n, H = cfg->hidden;
    float *params = dk_workspace_alloc(nparams, sizeof(float));
    float *grads = dk_workspace_alloc(nparams, sizeof(float));
    float *running = dk_workspace_alloc(2 * H, sizeof(float));
    batch b;
    float dev = NAN;
    if (batch_alloc(&b, cfg, r->batch) && params && grads && running) {
        dk_rng rng;
        dk_rng_seed(&rng, seed);
        m->init(cfg, params, &rng);
        for (size_t j = 0; j < H; j++)
            running[H + j] = 1.0f; /* running variance */
        double since = 0;
        size_t last_eval = 0;
        for (size_t s = 1; s <= r->steps; s++) {
            const float lr = s <= r->decay_at ? r->lr : r->lr_after;
            const float loss = step(r, m, d, params, grads, running, &b, lr, &rng);
            since += loss;
            if (hooks && hooks->on_step)
                hooks->on_step(s, loss, hooks->ctx);
            if (s % r->eval_every == 0 || s == r->steps) {
                dev = mm_loss(m, cfg, params, running, d->X[NAMES_DEV], d->y[NAMES_DEV],
                              d->n[NAMES_DEV]);
                if (hooks && hooks->on_eval)
                    hooks->on_eval(s, (float)(since / (double)(s - last_eval)), dev, hooks->ctx);
                since = 0, last_eval = s;
            }
        }
    }
    batch_free(&b);
    dk_workspace_free(grads);
    if (out && !isnan(dev)) {
        *out = (mm_trained){*cfg, params, running};
    } else {
        dk_workspace_free(params), dk_workspace_free(running);
    }
    return dev;
}

void mm_trained_free(mm_trained *t)
{
    dk_workspace_free(t->params), dk_workspace_free(t->running);
    *t = (mm_trained){0};
}

size_t mm_sample(const mm_model *m, const mm_trained *t, dk_rng *rng, int *out, size_t max_len)
{
    const lm_config *cfg = &t->cfg;
    batch b = {0};
    float *p = malloc(cfg->V * sizeof *p);
    size_t n = 0;
    if (p && batch_alloc(&b, cfg, 1)) {
        memset(b.X, 0, cfg->context * sizeof(int));
        while (n < max_len) {
            m->forward(cfg, t->params, t->running, b.X, 1, false, b.acts, b.logits);
            softmax(b.logits, 1, cfg->V, p);
            const int token = (int)sample_categorical(p, cfg->V, dk_rng_uniform(rng));
            if (token == 0)
                break;
            out[n++] = token;
            memmove(b.X, b.X + 1, (cfg->context - 1) * sizeof(int));
            b.X[cfg->context - 1] = token;
        }
    }
    batch_free(&b);
    free(p);
    return n;
}
