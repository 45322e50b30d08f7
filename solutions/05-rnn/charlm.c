/* Chapter 05 reference: a character model over windows of text, and
 * clipping by global norm. */
#include "rnn.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void charlm_init(const charlm_config *cfg, float *params, dk_rng *rng)
{
    const charlm_layout l = charlm_layout_of(cfg);
    for (size_t i = 0; i < cfg->V * cfg->embed; i++)
        params[l.C + i] = dk_rng_normal(rng);
    cell_init(cfg->cell, cfg->embed, cfg->hidden, params + l.cell, rng);
    const float k = 1.0f / sqrtf((float)cfg->hidden);
    for (size_t i = 0; i < cfg->V * cfg->hidden; i++)
        params[l.Wy + i] = dk_rng_range(rng, -k, k);
    memset(params + l.by, 0, cfg->V * sizeof *params);
}

/* The parts of acts (rnn.h's charlm_acts_size). */
typedef struct charlm_acts {
    float *emb, *state0, *layer, *hs;
} charlm_acts;

static charlm_acts acts_of(const charlm_config *cfg, size_t T, size_t B, const float *acts)
{
    float *a = (float *)acts;
    charlm_acts s = {a, a + T * B * cfg->embed, NULL, NULL};
    s.layer = s.state0 + charlm_state_size(cfg, B);
    s.hs = cfg->cell == CELL_LSTM ? lstm_hs(s.layer, cfg->hidden, T, B) : s.layer;
    return s;
}

void charlm_forward(const charlm_config *cfg, const float *params, const int *X, size_t T,
                    size_t B, float *state, float *acts, float *logits)
{
    const charlm_layout l = charlm_layout_of(cfg);
    const size_t E = cfg->embed, H = cfg->hidden, last = (T - 1) * B * H;
    const charlm_acts a = acts_of(cfg, T, B, acts);
    embedding_forward(params + l.C, cfg->V, E, X, T * B, a.emb);
    memcpy(a.state0, state, charlm_state_size(cfg, B) * sizeof *state);
    if (cfg->cell == CELL_LSTM) {
        lstm_forward(params + l.cell, E, H, a.emb, T, B, a.state0, a.state0 + B * H, a.layer);
        memcpy(state + B * H, a.layer + 4 * T * B * H + last, B * H * sizeof *state);
    } else {
        rnn_forward(params + l.cell, E, H, a.emb, T, B, a.state0, a.hs);
    }
    memcpy(state, a.hs + last, B * H * sizeof *state); /* carried to the next window */
    linear_forward(a.hs, params + l.Wy, params + l.by, T * B, H, cfg->V, logits);
}

void charlm_backward(const charlm_config *cfg, const float *params, const int *X, size_t T,
                     size_t B, const float *acts, const float *dlogits, float *grads)
{
    const charlm_layout l = charlm_layout_of(cfg);
    const size_t E = cfg->embed, H = cfg->hidden;
    const charlm_acts a = acts_of(cfg, T, B, acts);
    float *dhs = malloc(T * B * (H + E) * sizeof *dhs);
    if (!dhs)
        dk_fatal("charlm_backward: out of memory");
    float *demb = dhs + T * B * H;
    linear_backward(a.hs, params + l.Wy, dlogits, T * B, H, cfg->V, dhs, grads + l.Wy,
                    grads + l.by);
    /* No dh0: the gradient stops at the window's start. */
    if (cfg->cell == CELL_LSTM)
        lstm_backward(params + l.cell, E, H, a.emb, T, B, a.state0, a.state0 + B * H, a.layer,
                      dhs, demb, NULL, NULL, grads + l.cell);
    else
        rnn_backward(params + l.cell, E, H, a.emb, T, B, a.state0, a.hs, dhs, demb, NULL,
                     grads + l.cell);
    embedding_backward(demb, X, T * B, cfg->V, E, grads + l.C);
    free(dhs);
}

float clip_grad_norm(float *grads, size_t n, float max_norm)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)grads[i] * grads[i];
    const double norm = sqrt(sum);
    if (norm > max_norm) {
        const float scale = (float)(max_norm / norm);
        for (size_t i = 0; i < n; i++)
            grads[i] *= scale;
    }
    return (float)norm;
}
