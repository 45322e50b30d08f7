/* Chapter 05's character-model recipe (kit code; see charlm_recipe.h). */
#include "charlm_recipe.h"

#include "blas.h"
#include "parallel.h"
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

/* The next window of streams [b0, b0 + B): X (T, B) the tokens, Y (T, B)
 * the ones after them. */
static void window_of(const streams *s, size_t b0, size_t B, int *X, int *Y)
{
    for (size_t t = 0; t < s->T; t++)
        for (size_t b = 0; b < B; b++) {
            const size_t at = (b0 + b) * s->len + s->pos + t;
            X[t * B + b] = s->text.tokens[at];
            Y[t * B + b] = s->text.tokens[at + 1];
        }
}

static void next_window(streams *s, int *X, int *Y)
{
    window_of(s, 0, s->B, X, Y);
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

/* A step's share of the streams, [b0, b0 + B) of `of`, with a window of
 * its own: all of them, or one half. */
typedef struct part {
    const cl_model *m;
    const charlm_config *cfg;
    const float *params;
    size_t b0, B, of, T;
    window w;
    float *grads, loss;
} part;

/* Forward, loss and backward of one part's window; its gradient (into
 * its grads) scaled to its share of the whole step's mean loss. */
static void part_step(void *arg)
{
    part *p = arg;
    const size_t N = p->T * p->B, V = p->cfg->V;
    p->m->forward(p->cfg, p->params, p->w.X, p->T, p->B, p->w.state, p->w.acts, p->w.logits);
    p->loss = softmax_cross_entropy(p->w.logits, p->w.Y, N, V, p->w.dlogits);
    if (p->B < p->of) {
        const float share = (float)p->B / (float)p->of;
        for (size_t i = 0; i < N * V; i++)
            p->w.dlogits[i] *= share;
    }
    p->m->backward(p->cfg, p->params, p->w.X, p->T, p->B, p->w.acts, p->w.dlogits, p->grads);
}

/* One update on the next window; returns its loss. At the end of the
 * streams, the next epoch starts them at a random offset (so that windows
 * do not always cut the text at the same places), from a zero state. With
 * a second part (p[1].B > 0), the two halves of the streams side by side,
 * the second's gradient added to the first's. */
static float step(const cl_recipe *r, part p[2], streams *s, float *params, float *adam,
                  size_t t, dk_rng *rng, float *grad_norm)
{
    const charlm_config *cfg = &r->cfg;
    const size_t n = charlm_layout_of(cfg).n, parts = p[1].B ? 2 : 1;
    const bool restart = !window_left(s);
    if (restart)
        s->pos = dk_rng_below(rng, r->window);
    for (size_t h = 0; h < parts; h++) {
        if (restart)
            memset(p[h].w.state, 0, charlm_state_size(cfg, p[h].B) * sizeof *p[h].w.state);
        window_of(s, p[h].b0, p[h].B, p[h].w.X, p[h].w.Y);
        memset(p[h].grads, 0, n * sizeof *p[h].grads);
    }
    s->pos += r->window;
    dk_run_both(part_step, &p[0], parts == 2 ? &p[1] : NULL);
    for (size_t i = 0; parts == 2 && i < n; i++)
        p[0].grads[i] += p[1].grads[i];
    *grad_norm = p[0].m->clip(p[0].grads, n, r->clip);
    adam_step(params, p[0].grads, adam, adam + n, n, t, r->lr, 0.9f, 0.999f, 1e-8f, 0.0f, false);
    return parts == 2 ? (p[0].loss * (float)p[0].B + p[1].loss * (float)p[1].B) / (float)r->batch
                      : p[0].loss;
}

/* The step's parts: one of all r->batch streams, or two halves. */
static bool parts_open(part p[2], const cl_recipe *r, const cl_model *m, const float *params,
                       bool halves)
{
    const size_t B = r->batch, B0 = halves && B > 1 ? (B + 1) / 2 : B;
    const size_t n = charlm_layout_of(&r->cfg).n;
    for (size_t h = 0; h < 2; h++)
        p[h] = (part){m, &r->cfg, params, h ? B0 : 0, h ? B - B0 : B0, B, r->window, {0}, NULL, 0};
    bool ok = true;
    for (size_t h = 0; h < 2 && p[h].B; h++)
        ok = ok && window_alloc(&p[h].w, &r->cfg, p[h].B, r->window) &&
             (p[h].grads = dk_workspace_alloc(n, sizeof(float)));
    return ok;
}

static void parts_close(part p[2])
{
    for (size_t h = 0; h < 2; h++)
        window_free(&p[h].w), dk_workspace_free(p[h].grads);
}

float cl_train(const cl_recipe *r, const cl_model *m, cl_text train, cl_text val, uint64_t seed,
               const cl_hooks *hooks, float **params_out, bool halves)
{
    const charlm_config *cfg = &r->cfg;
    const size_t n = charlm_layout_of(cfg).n;
    float *params = dk_workspace_alloc(n, sizeof(float)), *adam = calloc(2 * n, sizeof(float));
    part p[2];
    float loss = NAN;
    /* each half's products on its own thread, none shared */
    const int blas_threads = halves ? dk_blas_set_threads(1) : 0;
    if (parts_open(p, r, m, params, halves) && params && adam) {
        dk_rng rng;
        dk_rng_seed(&rng, seed);
        m->init(cfg, params, &rng);
        streams s = streams_of(train, r->batch, r->window);
        double since = 0;
        size_t last_eval = 0;
        const double start = dk_seconds();
        for (size_t t = 1; t <= r->steps; t++) {
            float norm;
            const float l = step(r, p, &s, params, adam, t, &rng, &norm);
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
    if (halves)
        dk_blas_set_threads(blas_threads);
    parts_close(p);
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
