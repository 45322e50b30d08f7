/* Chapter 06 reference: the pre-norm transformer block. */
#include "attention.h"

#include "error.h"

#include <stdlib.h>
#include <string.h>

static float *scratch(size_t n)
{
    float *p = malloc(n * sizeof *p);
    if (!p)
        dk_fatal("transformer block: out of memory");
    return p;
}

static void add_into(float *y, const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] += x[i];
}

void block_forward(size_t D, size_t H, const float *params, const float *X, size_t B,
                   size_t T, float *acts, float *Y)
{
    const block_layout l = block_layout_of(D, H);
    const block_acts a = block_acts_of(D, H, B, T);
    const mha_config attn = {D, H, true};
    const size_t N = B * T;
    const float *p = params;
    layernorm_forward(X, N, D, p + l.ln1_g, p + l.ln1_b, acts + a.ln1, acts + a.stats1);
    mha_forward(&attn, p + l.attn, acts + a.ln1, B, T, NULL, acts + a.attn, acts + a.x1);
    add_into(acts + a.x1, X, N * D); /* the first residual connection */
    layernorm_forward(acts + a.x1, N, D, p + l.ln2_g, p + l.ln2_b, acts + a.ln2, acts + a.stats2);
    linear_forward(acts + a.ln2, p + l.W1, p + l.b1, N, D, 4 * D, acts + a.pre);
    gelu_forward(acts + a.pre, N * 4 * D, acts + a.hid);
    linear_forward(acts + a.hid, p + l.W2, p + l.b2, N, 4 * D, D, Y);
    add_into(Y, acts + a.x1, N * D); /* the second */
}

void block_backward(size_t D, size_t H, const float *params, const float *X, size_t B,
                    size_t T, const float *acts, const float *dY, float *dX, float *grads)
{
    const block_layout l = block_layout_of(D, H);
    const block_acts a = block_acts_of(D, H, B, T);
    const mha_config attn = {D, H, true};
    const size_t N = B * T;
    const float *p = params;
    float *g = grads, *dhid = scratch(N * 4 * D), *dpre = scratch(N * 4 * D);
    float *dx1 = scratch(N * D), *dln = scratch(N * D);
    /* the MLP's branch; dY also reaches x1 straight through the residual */
    linear_backward(acts + a.hid, p + l.W2, dY, N, 4 * D, D, dhid, g + l.W2, g + l.b2);
    gelu_backward(acts + a.pre, dhid, N * 4 * D, dpre);
    linear_backward(acts + a.ln2, p + l.W1, dpre, N, D, 4 * D, dln, g + l.W1, g + l.b1);
    layernorm_backward(acts + a.x1, N, D, p + l.ln2_g, acts + a.stats2, dln, dx1,
                       g + l.ln2_g, g + l.ln2_b);
    add_into(dx1, dY, N * D);
    /* the attention's branch; dx1 also reaches X straight through */
    mha_backward(&attn, p + l.attn, acts + a.ln1, B, T, NULL, acts + a.attn, dx1, dln,
                 g + l.attn);
    layernorm_backward(X, N, D, p + l.ln1_g, acts + a.stats1, dln, dX, g + l.ln1_g, g + l.ln1_b);
    add_into(dX, dx1, N * D);
    free(dhid), free(dpre), free(dx1), free(dln);
}
