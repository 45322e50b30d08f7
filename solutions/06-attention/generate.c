/* Chapter 06 reference: generation one position at a time, with a cache of
 * every block's keys and values. */
#include "attention.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ctx (D) = for each head, the attention of q (D) over keys and values
 * rows 0..pos (of D each); scores (pos + 1) is scratch. */
static void attend(const float *q, const float *keys, const float *values, size_t pos,
                   size_t D, size_t H, float *scores, float *ctx)
{
    const size_t dh = D / H;
    const float scale = 1.0f / sqrtf((float)dh);
    for (size_t h = 0; h < H; h++) {
        float max = -INFINITY, sum = 0;
        for (size_t j = 0; j <= pos; j++) {
            float s = 0;
            for (size_t k = 0; k < dh; k++)
                s += q[h * dh + k] * keys[j * D + h * dh + k];
            scores[j] = s * scale;
            max = fmaxf(max, scores[j]);
        }
        for (size_t j = 0; j <= pos; j++)
            sum += scores[j] = expf(scores[j] - max);
        for (size_t k = 0; k < dh; k++) {
            float o = 0;
            for (size_t j = 0; j <= pos; j++)
                o += scores[j] * values[j * D + h * dh + k];
            ctx[h * dh + k] = o / sum;
        }
    }
}

/* One block on the one new position x (D), in place; its keys and values
 * go to row pos of the block's cache. work: 9D + T floats. */
static void block_step(size_t D, size_t H, size_t T, const float *p, float *cache, size_t pos,
                       float *x, float *work)
{
    const block_layout l = block_layout_of(D, H);
    const mha_layout m = mha_layout_of(&(mha_config){D, H, true});
    float *ln = work, *qkv = ln + D, *ctx = qkv + 3 * D, *hid = ctx + D, *scores = hid + 4 * D;
    float stats[2];
    float *keys = cache, *values = cache + T * D;
    layernorm_forward(x, 1, D, p + l.ln1_g, p + l.ln1_b, ln, stats);
    linear_forward(ln, p + l.attn + m.Wqkv, p + l.attn + m.bqkv, 1, D, 3 * D, qkv);
    memcpy(keys + pos * D, qkv + D, D * sizeof *keys);
    memcpy(values + pos * D, qkv + 2 * D, D * sizeof *values);
    attend(qkv, keys, values, pos, D, H, scores, ctx);
    linear_forward(ctx, p + l.attn + m.Wo, p + l.attn + m.bo, 1, D, D, ln);
    for (size_t j = 0; j < D; j++)
        x[j] += ln[j];
    layernorm_forward(x, 1, D, p + l.ln2_g, p + l.ln2_b, ln, stats);
    linear_forward(ln, p + l.W1, p + l.b1, 1, D, 4 * D, hid);
    gelu_forward(hid, 4 * D, hid);
    linear_forward(hid, p + l.W2, p + l.b2, 1, 4 * D, D, ln);
    for (size_t j = 0; j < D; j++)
        x[j] += ln[j];
}

void gpt_decode_step(const gpt_config *cfg, const float *params, float *cache, size_t pos,
                     int token, float *logits)
{
    const gpt_layout l = gpt_layout_of(cfg);
    const size_t D = cfg->D, T = cfg->T;
    float *x = malloc((11 * D + T) * sizeof *x), stats[2];
    if (!x)
        dk_fatal("gpt_decode_step: out of memory");
    float *ln = x + D, *work = ln + D;
    for (size_t j = 0; j < D; j++)
        x[j] = params[l.wte + (size_t)token * D + j] + params[l.wpe + pos * D + j];
    for (size_t k = 0; k < cfg->layers; k++)
        block_step(D, cfg->H, T, params + l.blocks + k * l.block_n, cache + 2 * k * T * D, pos, x,
                   work);
    layernorm_forward(x, 1, D, params + l.lnf_g, params + l.lnf_b, ln, stats);
    dk_sgemm(false, true, 1, cfg->V, D, 1.0f, ln, params + l.head, 0.0f, logits);
    free(x);
}
