/* Chapter 06's look-back task (see lookback.h): the model around your
 * multi-head attention. */
#include "lookback.h"

#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static float *floats(size_t n)
{
    float *p = calloc(n, sizeof *p);
    if (!p)
        dk_fatal("out of memory");
    return p;
}

void lb_create(lb_model *model, dk_rng *rng)
{
    const size_t V = LB_VOCAB, D = LB_D;
    model->cfg = (mha_config){D, LB_HEADS, true};
    model->E = 0;
    model->mha = V * D;
    model->Wout = model->mha + mha_layout_of(&model->cfg).n;
    model->bout = model->Wout + V * D;
    model->n = model->bout + V;
    model->params = floats(model->n);
    model->grads = floats(model->n);
    model->m = floats(model->n);
    model->v = floats(model->n);
    const float k = 1.0f / sqrtf((float)D); /* PyTorch's nn.Linear bound */
    for (size_t i = 0; i < model->bout; i++)
        model->params[i] = i < model->mha ? dk_rng_normal(rng) * 0.5f : dk_rng_range(rng, -k, k);
    model->pos = floats(LB_T * D);
    sinusoidal_positions(LB_T, D, model->pos);
}

void lb_free(lb_model *model)
{
    free(model->params), free(model->grads), free(model->m), free(model->v), free(model->pos);
}

void lb_batch(dk_rng *rng, int *X, size_t B)
{
    for (size_t i = 0; i < B * LB_T; i++)
        X[i] = (int)dk_rng_below(rng, LB_VOCAB);
}

/* The rows with an answer (t >= LB_LAG) gathered, their labels beside. */
static size_t answered(const float *logits, const int *X, size_t B, float *rows, int *labels)
{
    size_t n = 0;
    for (size_t b = 0; b < B; b++)
        for (size_t t = LB_LAG; t < LB_T; t++, n++) {
            memcpy(rows + n * LB_VOCAB, logits + (b * LB_T + t) * LB_VOCAB, LB_VOCAB * sizeof *rows);
            labels[n] = X[b * LB_T + t - LB_LAG];
        }
    return n;
}

static float accuracy(const float *rows, const int *labels, size_t n)
{
    size_t right = 0;
    for (size_t i = 0; i < n; i++) {
        size_t best = 0;
        for (size_t c = 1; c < LB_VOCAB; c++)
            best = rows[i * LB_VOCAB + c] > rows[i * LB_VOCAB + best] ? c : best;
        right += (int)best == labels[i];
    }
    return (float)right / (float)n;
}

/* From the gathered rows' gradients drows back to every parameter: the
 * read-out, the attention and the residual path around it, the embeddings
 * (the positions are fixed). */
static void backward(lb_model *model, const int *X, size_t B, const float *x, const float *h,
                     const float *acts, const float *drows)
{
    const size_t V = LB_VOCAB, D = LB_D, N = B * LB_T;
    const float *p = model->params;
    float *g = model->grads;
    float *dlogits = floats(N * V), *dh = floats(N * D), *dx = floats(N * D);
    for (size_t b = 0, r = 0; b < B; b++) /* rows without an answer stay 0 */
        for (size_t t = LB_LAG; t < LB_T; t++, r++)
            memcpy(dlogits + (b * LB_T + t) * V, drows + r * V, V * sizeof *dlogits);
    linear_backward(h, p + model->Wout, dlogits, N, D, V, dh, g + model->Wout, g + model->bout);
    mha_backward(&model->cfg, p + model->mha, x, B, LB_T, NULL, acts, dh, dx, g + model->mha);
    for (size_t i = 0; i < N * D; i++) /* the residual path */
        dx[i] += dh[i];
    embedding_backward(dx, X, N, V, D, g + model->E);
    free(dlogits), free(dh), free(dx);
}

float lb_loss(lb_model *model, const int *X, size_t B, bool training, float *acc, float *P)
{
    const size_t V = LB_VOCAB, D = LB_D, N = B * LB_T;
    const mha_acts a = mha_acts_of(&model->cfg, B, LB_T);
    float *x = floats(N * D), *h = floats(N * D), *acts = floats(a.n), *logits = floats(N * V);
    float *rows = floats(N * V), *drows = floats(N * V);
    int *labels = malloc(N * sizeof *labels);
    if (!labels)
        dk_fatal("out of memory");
    const float *p = model->params;
    embedding_forward(p + model->E, V, D, X, N, x);
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < D; j++)
            x[i * D + j] += model->pos[(i % LB_T) * D + j];
    mha_forward(&model->cfg, p + model->mha, x, B, LB_T, NULL, acts, h);
    for (size_t i = 0; i < N * D; i++) /* the residual connection */
        h[i] += x[i];
    linear_forward(h, p + model->Wout, p + model->bout, N, D, V, logits);
    const size_t n = answered(logits, X, B, rows, labels);
    const float loss = softmax_cross_entropy(rows, labels, n, V, training ? drows : NULL);
    if (acc)
        *acc = accuracy(rows, labels, n);
    if (P)
        memcpy(P, acts + a.P, B * LB_HEADS * LB_T * LB_T * sizeof *P);
    if (training)
        backward(model, X, B, x, h, acts, drows);
    free(x), free(h), free(acts), free(logits), free(rows), free(drows), free(labels);
    return loss;
}

void lb_step(lb_model *model, size_t t, float lr)
{
    adam_step(model->params, model->grads, model->m, model->v, model->n, t, lr, 0.9f, 0.999f,
              1e-8f, 0.0f, true);
    memset(model->grads, 0, model->n * sizeof *model->grads);
}
