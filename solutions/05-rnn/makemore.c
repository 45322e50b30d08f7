/* Chapter 05 reference: the MLP language model. */
#include "rnn.h"

#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void embedding_forward(const float *table, size_t V, size_t E, const int *idx, size_t n,
                       float *out)
{
    (void)V; /* (the indices' bound) */
    for (size_t i = 0; i < n; i++)
        memcpy(out + i * E, table + (size_t)idx[i] * E, E * sizeof *out);
}

void embedding_backward(const float *dout, const int *idx, size_t n, size_t V, size_t E,
                        float *dtable)
{
    (void)V;
    for (size_t i = 0; i < n; i++)
        for (size_t e = 0; e < E; e++)
            dtable[(size_t)idx[i] * E + e] += dout[i * E + e];
}

static void fill_normal(float *w, size_t n, float scale, dk_rng *rng)
{
    for (size_t i = 0; i < n; i++)
        w[i] = scale * dk_rng_normal(rng);
}

void lm_init(const lm_config *cfg, float *params, dk_rng *rng)
{
    const lm_layout l = lm_layout_of(cfg);
    const size_t H = cfg->hidden, in = cfg->context * cfg->embed;
    memset(params, 0, l.n * sizeof *params);
    fill_normal(params + l.C, cfg->V * cfg->embed, 1.0f, rng);
    fill_normal(params + l.W1, H * in, (5.0f / 3.0f) / sqrtf((float)in), rng);
    fill_normal(params + l.W2, cfg->V * H, 0.01f, rng);
    for (size_t j = 0; j < H; j++)
        params[l.gamma + j] = 1.0f;
}

/* The parts of acts (rnn.h's lm_acts_size). */
typedef struct lm_acts {
    float *emb, *pre, *norm, *h, *mean, *invstd;
} lm_acts;

static lm_acts acts_of(const lm_config *cfg, size_t B, const float *acts)
{
    const size_t H = cfg->hidden, in = cfg->context * cfg->embed;
    float *a = (float *)acts;
    lm_acts s = {a, a + B * in, a + B * (in + H), a + B * (in + 2 * H), NULL, NULL};
    s.mean = s.h + B * H;
    s.invstd = s.mean + H;
    return s;
}

void lm_forward(const lm_config *cfg, const float *params, float *running, const int *X,
                size_t B, bool training, float *acts, float *logits)
{
    const lm_layout l = lm_layout_of(cfg);
    const size_t H = cfg->hidden, in = cfg->context * cfg->embed;
    const lm_acts a = acts_of(cfg, B, acts);
    /* (B, context) tokens -> (B * context, E) rows: (B, context * E) */
    embedding_forward(params + l.C, cfg->V, cfg->embed, X, B * cfg->context, a.emb);
    linear_forward(a.emb, params + l.W1, params + l.b1, B, in, H, a.pre);
    if (!cfg->batchnorm)
        memcpy(a.norm, a.pre, B * H * sizeof *a.norm);
    else if (training)
        batchnorm_forward_train(a.pre, B, H, params + l.gamma, params + l.beta, LM_BN_EPS,
                                LM_BN_MOMENTUM, running, running ? running + H : NULL, a.mean,
                                a.invstd, a.norm);
    else
        batchnorm_forward_eval(a.pre, B, H, params + l.gamma, params + l.beta, LM_BN_EPS,
                               running, running + H, a.norm);
    tanh_forward(a.norm, B * H, a.h);
    linear_forward(a.h, params + l.W2, params + l.b2, B, H, cfg->V, logits);
}

void lm_backward(const lm_config *cfg, const float *params, const int *X, size_t B,
                 const float *acts, const float *dlogits, float *grads)
{
    const lm_layout l = lm_layout_of(cfg);
    const size_t H = cfg->hidden, in = cfg->context * cfg->embed;
    const lm_acts a = acts_of(cfg, B, acts);
    /* the gradients flowing back: dh, dnorm (B, H) and demb (B, in) */
    float *dh = malloc(B * (2 * H + in) * sizeof *dh);
    if (!dh)
        dk_fatal("lm_backward: out of memory");
    float *dnorm = dh + B * H, *demb = dnorm + B * H;
    linear_backward(a.h, params + l.W2, dlogits, B, H, cfg->V, dh, grads + l.W2, grads + l.b2);
    tanh_backward(a.h, dh, B * H, dnorm);
    float *dpre = dh; /* dh is spent: reuse it */
    if (cfg->batchnorm)
        batchnorm_backward(dnorm, a.pre, B, H, params + l.gamma, a.mean, a.invstd, dpre,
                           grads + l.gamma, grads + l.beta);
    else
        memcpy(dpre, dnorm, B * H * sizeof *dpre);
    linear_backward(a.emb, params + l.W1, dpre, B, in, H, demb, grads + l.W1, grads + l.b1);
    embedding_backward(demb, X, B * cfg->context, cfg->V, cfg->embed, grads + l.C);
    free(dh);
}
