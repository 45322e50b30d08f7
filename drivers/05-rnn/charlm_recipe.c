/* Chapter 05's character-model recipe (kit code; see charlm_recipe.h). */
#include "charlm_recipe.h"

#include "timer.h"
#include "training.h"
#include "workspace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const cl_recipe CL_RECIPE_SHAKESPEARE = {{0, 64, 256, CELL_LSTM}, 4000, 32, 64, 2e-3f, 1.0f,
                                         250, 0};
const cl_recipe CL_RECIPE_SHAKESPEARE_SHORT = {{0, 16, 64, CELL_LSTM}, 1000, 16, 32, 5e-3f, 1.0f,
                                               250, 0};

const cl_model CL_YOURS = {charlm_init, charlm_forward, charlm_backward, clip_grad_norm,
                           sample_logits};

/* B streams over a text, each a contiguous stretch of len tokens, read a
 * window of T at a time from pos. */
typedef struct streams {
    cl_text text;
    size_t B, T, len, pos;
} streams;

static streams streams_of(cl_text text, size_t B, size_t T)
{
    return (streams){text, B, T, text.n > B ? (text.n - 1) / B : 0, 0};
}

/* Whether a whole window is left. (A stream's last target is the first
 * token of the next stream, or of the text's tail: B * len < n.) */
static bool window_left(const streams *s)
{
    return s->pos + s->T <= s->len;
}

/* The next window: X (T, B) the tokens, Y (T, B) the ones after them. */
static void next_window(streams *s, int *X, int *Y)
{
    for (size_t t = 0; t < s->T; t++)
        for (size_t b = 0; b < s->B; b++) {
            const size_t at = b * s->len + s->pos + t;
            X[t * s->B + b] = s->text.tokens[at];
            Y[t * s->B + b] = s->text.tokens[at + 1];
        }
    s->pos += s->T;
}

/* One window's buffers: the model's in a workspace (common/workspace.h);
 * the logits that are scored and the targets, the kit's. */
typedef struct window {
    int *X, *Y;
    float *state, *acts, *logits, *dlogits;
} window;

static bool window_alloc(window *w, const charlm_config *cfg, size_t B, size_t T)
{
    *w = (window){dk_workspace_alloc(T * B, sizeof(int)), malloc(T * B * sizeof(int)),
                  dk_workspace_alloc(charlm_state_size(cfg, B), sizeof(float)),
                  dk_workspace_alloc(charlm_acts_size(cfg, T, B), sizeof(float)),
                  malloc(T * B * cfg->V * sizeof(float)),
                  dk_workspace_alloc(T * B * cfg->V, sizeof(float))};
    return w->X && w->Y && w->state && w->acts && w->logits && w->dlogits;
}

static void window_free(window *w)
{
    dk_workspace_free(w->X), dk_workspace_free(w->state), dk_workspace_free(w->acts);
    dk_workspace_free(w->dlogits);
    free(w->Y), free(w->logits);
}

float cl_loss(const cl_model *m, const charlm_config *cfg, const float *params, cl_text text,
              size_t B, size_t T)
{
    window w;
    streams s = streams_of(text, B, T);
    double total = 0;
    size_t windows = 0;
    if (!window_alloc(&w, cfg, B, T)) {
        window_free(&w);
        return NAN;
    }
    while (window_left(&s)) {
        next_window(&s, w.X, w.Y);
        m->forward(cfg, params, w.X, T, B, w.state, w.acts, w.logits);
        total += softmax_cross_entropy(w.logits, w.Y, T * B, cfg->V, NULL), windows++;
    }
    window_free(&w);
    return windows ? (float)(total / (double)windows) : NAN;
}

/* One update on the next window; returns its loss. At the end of the
 * streams, the next epoch starts them at a random offset (so that windows
 * do not always cut the text at the same places), from a zero state. */
static float step(const cl_recipe *r, const cl_model *m, streams *s, window *w, float *params,
                  float *grads, float *adam, size_t t, dk_rng *rng, float *grad_norm)
{
    const charlm_config *cfg = &r->cfg;
    const size_t n = charlm_layout_of(cfg).n, B = r->batch, T = r->window;
    if (!window_left(s)) {
        s->pos = dk_rng_below(rng, T);
        memset(w->state, 0, charlm_state_size(cfg, B) * sizeof *w->state);
    }
    next_window(s, w->X, w->Y);
    memset(grads, 0, n * sizeof *grads);
    m->forward(cfg, params, w->X, T, B, w->state, w->acts, w->logits);
    const float loss = softmax_cross_entropy(w->logits, w->Y, T * B, cfg->V, w->dlogits);
    m->backward(cfg, params, w->X, T, B, w->acts, w->dlogits, grads);
    *grad_norm = m->clip(grads, n, r->clip);
    adam_step(params, grads, adam, adam + n, n, t, r->lr, 0.9f, 0.999f, 1e-8f, 0.0f, false);
    return loss;
}

float cl_train(const cl_recipe *r, const cl_model *m, cl_text train, cl_text val, uint64_t seed,
               const cl_hooks *hooks, float **params_out)
{
    const charlm_config *cfg = &r->cfg;
    const size_t n = charlm_layout_of(cfg).n;
    float *params = dk_workspace_alloc(n, sizeof(float));
    float *grads = dk_workspace_alloc(n, sizeof(float)), *adam = calloc(2 * n, sizeof(float));
    window w;
    float loss = NAN;
    if (window_alloc(&w, cfg, r->batch, r->window) && params && grads && adam) {
        dk_rng rng;
        dk_rng_seed(&rng, seed);
        m->init(cfg, params, &rng);
        streams s = streams_of(train, r->batch, r->window);
        double since = 0;
        size_t last_eval = 0;
        const double start = dk_seconds();
        for (size_t t = 1; t <= r->steps; t++) {
            float norm;
            const float l = step(r, m, &s, &w, params, grads, adam, t, &rng, &norm);
            since += l;
            if (hooks && hooks->on_step)
                hooks->on_step(t, l, norm, hooks->ctx);
            if (t % r->eval_every == 0 || t == r->steps) {
                loss = cl_loss(m, cfg, params, val, r->batch, r->window);
                if (hooks && hooks->on_eval)
                    hooks->on_eval(t, (float)(since / (double)(t - last_eval)), loss, hooks->ctx);
                since = 0, last_eval = t;
                if (r->max_seconds > 0 && dk_seconds() - start > r->max_seconds)
                    break;
            }
        }
    }
    window_free(&w);
    dk_workspace_free(grads);
    free(adam);
    if (params_out && !isnan(loss))
        *params_out = params;
    else
        dk_workspace_free(params);
    return loss;
}

void cl_params_free(float *params)
{
    dk_workspace_free(params);
}

size_t cl_generate(const cl_model *m, const charlm_config *cfg, const float *params,
                   const int *prompt, size_t np, float temperature, size_t top_k, dk_rng *rng,
                   int *out, size_t n)
{
    window w;
    size_t made = 0;
    if (window_alloc(&w, cfg, 1, 1)) {
        for (size_t i = 0; i < np + n - 1; i++) {
            w.X[0] = i < np ? prompt[i] : out[i - np];
            m->forward(cfg, params, w.X, 1, 1, w.state, w.acts, w.logits);
            if (i + 1 >= np)
                out[made++] = (int)m->sample(w.logits, cfg->V, temperature, top_k, rng);
        }
    }
    window_free(&w);
    return made;
}
