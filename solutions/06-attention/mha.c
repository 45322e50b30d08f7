/* Chapter 06 reference: multi-head attention, forward and backward. */
#include "attention.h"

#include "error.h"

#include <stdlib.h>

static float *scratch(size_t n)
{
    float *p = malloc(n * sizeof *p);
    if (!p)
        dk_fatal("multi-head attention: out of memory");
    return p;
}

/* Rows (B*T, stride), features at + h*dh + k, to heads (B*H, T, dh). */
static void split_heads(const float *rows, size_t stride, size_t at, size_t B, size_t T,
                        size_t H, size_t dh, float *heads)
{
    for (size_t b = 0; b < B; b++)
        for (size_t h = 0; h < H; h++)
            for (size_t t = 0; t < T; t++)
                for (size_t k = 0; k < dh; k++)
                    heads[((b * H + h) * T + t) * dh + k] = rows[(b * T + t) * stride + at + h * dh + k];
}

/* The inverse: heads (B*H, T, dh) into rows (B*T, stride) at at. */
static void merge_heads(const float *heads, size_t B, size_t T, size_t H, size_t dh,
                        size_t stride, size_t at, float *rows)
{
    for (size_t b = 0; b < B; b++)
        for (size_t h = 0; h < H; h++)
            for (size_t t = 0; t < T; t++)
                for (size_t k = 0; k < dh; k++)
                    rows[(b * T + t) * stride + at + h * dh + k] = heads[((b * H + h) * T + t) * dh + k];
}

void mha_forward(const mha_config *cfg, const float *params, const float *X, size_t B,
                 size_t T, const int *lens, float *acts, float *Y)
{
    const size_t D = cfg->D, H = cfg->H, dh = D / H;
    const mha_layout l = mha_layout_of(cfg);
    const mha_acts a = mha_acts_of(cfg, B, T);
    /* one product for the queries, keys and values of every head */
    float *qkv = scratch(B * T * 3 * D);
    linear_forward(X, params + l.Wqkv, params + l.bqkv, B * T, D, 3 * D, qkv);
    split_heads(qkv, 3 * D, 0, B, T, H, dh, acts + a.Q);
    split_heads(qkv, 3 * D, D, B, T, H, dh, acts + a.K);
    split_heads(qkv, 3 * D, 2 * D, B, T, H, dh, acts + a.V);
    free(qkv);
    const attn_shape s = {B, H, T, dh, cfg->causal};
    attn_forward(&s, acts + a.Q, acts + a.K, acts + a.V, lens, acts + a.P, acts + a.O);
    merge_heads(acts + a.O, B, T, H, dh, D, 0, acts + a.ctx);
    linear_forward(acts + a.ctx, params + l.Wo, params + l.bo, B * T, D, D, Y);
}

void mha_backward(const mha_config *cfg, const float *params, const float *X, size_t B,
                  size_t T, const int *lens, const float *acts, const float *dY, float *dX,
                  float *grads)
{
    const size_t D = cfg->D, H = cfg->H, dh = D / H, n = B * T * D;
    const mha_layout l = mha_layout_of(cfg);
    const mha_acts a = mha_acts_of(cfg, B, T);
    float *dctx = scratch(n), *dO = scratch(n), *dQKV = scratch(3 * n), *dqkv = scratch(3 * n);
    linear_backward(acts + a.ctx, params + l.Wo, dY, B * T, D, D, dctx, grads + l.Wo,
                    grads + l.bo);
    split_heads(dctx, D, 0, B, T, H, dh, dO);
    const attn_shape s = {B, H, T, dh, cfg->causal};
    attn_backward(&s, acts + a.Q, acts + a.K, acts + a.V, lens, acts + a.P, dO, dQKV,
                  dQKV + n, dQKV + 2 * n);
    for (size_t part = 0; part < 3; part++) /* queries, keys, values */
        merge_heads(dQKV + part * n, B, T, H, dh, 3 * D, part * D, dqkv);
    linear_backward(X, params + l.Wqkv, dqkv, B * T, D, 3 * D, dX, grads + l.Wqkv,
                    grads + l.bqkv);
    free(dctx), free(dO), free(dQKV), free(dqkv);
}
