/* Chapter 06 reference: a small GPT, its initialisation and AdamW step. */
#include "attention.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void normal(float *p, size_t n, float std, dk_rng *rng)
{
    for (size_t i = 0; i < n; i++)
        p[i] = std * dk_rng_normal(rng);
}

static void fill(float *p, size_t n, float value)
{
    for (size_t i = 0; i < n; i++)
        p[i] = value;
}

void gpt_init(const gpt_config *cfg, float *params, dk_rng *rng)
{
    const gpt_layout l = gpt_layout_of(cfg);
    const block_layout b = block_layout_of(cfg->D, cfg->H);
    const mha_layout m = mha_layout_of(&(mha_config){cfg->D, cfg->H, true});
    const size_t D = cfg->D;
    /* the projections into the residual stream: one per block and branch */
    const float proj = 0.02f / sqrtf(2.0f * (float)cfg->layers);
    memset(params, 0, l.n * sizeof *params);
    normal(params + l.wte, cfg->V * D, 0.02f, rng);
    normal(params + l.wpe, cfg->T * D, 0.02f, rng);
    for (size_t k = 0; k < cfg->layers; k++) {
        float *p = params + l.blocks + k * l.block_n;
        fill(p + b.ln1_g, D, 1.0f);
        normal(p + b.attn + m.Wqkv, 3 * D * D, 0.02f, rng);
        normal(p + b.attn + m.Wo, D * D, proj, rng);
        fill(p + b.ln2_g, D, 1.0f);
        normal(p + b.W1, 4 * D * D, 0.02f, rng);
        normal(p + b.W2, 4 * D * D, proj, rng);
    }
    fill(params + l.lnf_g, D, 1.0f);
    normal(params + l.head, cfg->V * D, 0.02f, rng);
}

void gpt_forward(const gpt_config *cfg, const float *params, const int *X, size_t B, size_t T,
                 float *acts, float *logits)
{
    const gpt_layout l = gpt_layout_of(cfg);
    const gpt_acts a = gpt_acts_of(cfg, B, T);
    const size_t D = cfg->D, N = B * T;
    float *x = acts + a.xs;
    embedding_forward(params + l.wte, cfg->V, D, X, N, x);
    for (size_t i = 0; i < N; i++) /* row i is position i % T */
        for (size_t j = 0; j < D; j++)
            x[i * D + j] += params[l.wpe + (i % T) * D + j];
    for (size_t k = 0; k < cfg->layers; k++)
        block_forward(D, cfg->H, params + l.blocks + k * l.block_n, x + k * N * D, B, T,
                      acts + a.blocks + k * a.block_n, x + (k + 1) * N * D);
    layernorm_forward(x + cfg->layers * N * D, N, D, params + l.lnf_g, params + l.lnf_b,
                      acts + a.lnf, acts + a.statsf);
    dk_sgemm(false, true, N, cfg->V, D, 1.0f, acts + a.lnf, params + l.head, 0.0f, logits);
}

void gpt_backward(const gpt_config *cfg, const float *params, const int *X, size_t B,
                  size_t T, const float *acts, const float *dlogits, float *grads)
{
    const gpt_layout l = gpt_layout_of(cfg);
    const gpt_acts a = gpt_acts_of(cfg, B, T);
    const size_t D = cfg->D, N = B * T;
    const float *x = acts + a.xs;
    float *dln = malloc(N * D * sizeof *dln), *both = malloc(2 * N * D * sizeof *both);
    if (!dln || !both)
        dk_fatal("gpt_backward: out of memory");
    float *dx = both, *dprev = both + N * D; /* a block's output and input gradients */
    dk_sgemm(false, false, N, D, cfg->V, 1.0f, dlogits, params + l.head, 0.0f, dln);
    dk_sgemm(true, false, cfg->V, D, N, 1.0f, dlogits, acts + a.lnf, 1.0f, grads + l.head);
    layernorm_backward(x + cfg->layers * N * D, N, D, params + l.lnf_g, acts + a.statsf, dln, dx,
                       grads + l.lnf_g, grads + l.lnf_b);
    for (size_t k = cfg->layers; k-- > 0;) {
        block_backward(D, cfg->H, params + l.blocks + k * l.block_n, x + k * N * D, B, T,
                       acts + a.blocks + k * a.block_n, dx, dprev, grads + l.blocks + k * l.block_n);
        float *t = dx;
        dx = dprev, dprev = t;
    }
    embedding_backward(dx, X, N, cfg->V, D, grads + l.wte);
    for (size_t i = 0; i < N; i++) /* a position's gradient: summed over the batch */
        for (size_t j = 0; j < D; j++)
            grads[l.wpe + (i % T) * D + j] += dx[i * D + j];
    free(dln), free(both);
}

/* One Adam step on n parameters at offset at, decayed or not. */
static void step_part(float *params, const float *grads, float *m, float *v, size_t at,
                      size_t n, size_t t, float lr, float weight_decay)
{
    adam_step(params + at, grads + at, m + at, v + at, n, t, lr, 0.9f, 0.999f, 1e-8f,
              weight_decay, true);
}

void gpt_adamw_step(const gpt_config *cfg, float *params, const float *grads, float *m,
                    float *v, size_t t, float lr, float weight_decay)
{
    const gpt_layout l = gpt_layout_of(cfg);
    const block_layout b = block_layout_of(cfg->D, cfg->H);
    const mha_layout mh = mha_layout_of(&(mha_config){cfg->D, cfg->H, true});
    const size_t D = cfg->D;
    /* the embeddings (wte, wpe: contiguous) and the head are matrices */
    step_part(params, grads, m, v, l.wte, l.blocks, t, lr, weight_decay);
    step_part(params, grads, m, v, l.lnf_g, 2 * D, t, lr, 0.0f);
    step_part(params, grads, m, v, l.head, cfg->V * D, t, lr, weight_decay);
    for (size_t k = 0; k < cfg->layers; k++) {
        const size_t at = l.blocks + k * l.block_n;
        /* matrices: Wqkv, Wo, W1, W2; everything else in the block is not */
        const struct { size_t at, n; bool decay; } parts[] = {
            {b.ln1_g, 2 * D, false},          {b.attn + mh.Wqkv, 3 * D * D, true},
            {b.attn + mh.bqkv, 3 * D, false}, {b.attn + mh.Wo, D * D, true},
            {b.attn + mh.bo, D, false},       {b.ln2_g, 2 * D, false},
            {b.W1, 4 * D * D, true},          {b.b1, 4 * D, false},
            {b.W2, 4 * D * D, true},          {b.b2, D, false},
        };
        for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
            step_part(params, grads, m, v, at + parts[i].at, parts[i].n, t, lr,
                      parts[i].decay ? weight_decay : 0.0f);
    }
}
