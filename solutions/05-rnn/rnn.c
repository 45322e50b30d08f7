/* Chapter 05 reference: the vanilla RNN, one step and through time. */
#include "rnn.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cell_init(cell_kind kind, size_t D, size_t H, float *params, dk_rng *rng)
{
    const cell_layout l = cell_layout_of(kind, D, H);
    const float k = 1.0f / sqrtf((float)H);
    for (size_t i = 0; i < l.b; i++) /* Wx, then Wh: contiguous */
        params[i] = dk_rng_range(rng, -k, k);
    memset(params + l.b, 0, (l.n - l.b) * sizeof *params);
    if (kind == CELL_LSTM)
        for (size_t j = H; j < 2 * H; j++) /* the forget gate's bias */
            params[l.b + j] = 1.0f;
}

/* rows (B, G) = bias on every row: where a product then accumulates. */
static void fill_rows(float *rows, const float *bias, size_t B, size_t G)
{
    for (size_t r = 0; r < B; r++)
        memcpy(rows + r * G, bias, G * sizeof *rows);
}

void rnn_cell_forward(const float *params, size_t D, size_t H, const float *x,
                      const float *h_prev, size_t B, float *h)
{
    const cell_layout l = cell_layout_of(CELL_RNN, D, H);
    fill_rows(h, params + l.b, B, H);
    dk_sgemm(false, true, B, H, D, 1.0f, x, params + l.Wx, 1.0f, h);
    dk_sgemm(false, true, B, H, H, 1.0f, h_prev, params + l.Wh, 1.0f, h);
    for (size_t i = 0; i < B * H; i++)
        h[i] = tanhf(h[i]);
}

/* dz = dh * (1 - h^2): the gradient before tanh, from its output. */
static void tanh_grad(const float *h, const float *dh, size_t n, float *dz)
{
    for (size_t i = 0; i < n; i++)
        dz[i] = dh[i] * (1.0f - h[i] * h[i]);
}

/* db += the column sums of dz (rows, G). */
static void add_column_sums(const float *dz, size_t rows, size_t G, float *db)
{
    for (size_t r = 0; r < rows; r++)
        for (size_t j = 0; j < G; j++)
            db[j] += dz[r * G + j];
}

static float *alloc_floats(size_t n, const char *who)
{
    float *p = calloc(n ? n : 1, sizeof *p);
    if (!p)
        dk_fatal("%s: out of memory", who);
    return p;
}

void rnn_cell_backward(const float *params, size_t D, size_t H, const float *x,
                       const float *h_prev, const float *h, size_t B, const float *dh,
                       float *dx, float *dh_prev, float *grads)
{
    const cell_layout l = cell_layout_of(CELL_RNN, D, H);
    float *dz = alloc_floats(B * H, "rnn_cell_backward");
    tanh_grad(h, dh, B * H, dz);
    dk_sgemm(true, false, H, D, B, 1.0f, dz, x, 1.0f, grads + l.Wx);
    dk_sgemm(true, false, H, H, B, 1.0f, dz, h_prev, 1.0f, grads + l.Wh);
    add_column_sums(dz, B, H, grads + l.b);
    if (dx)
        dk_sgemm(false, false, B, D, H, 1.0f, dz, params + l.Wx, 0.0f, dx);
    dk_sgemm(false, false, B, H, H, 1.0f, dz, params + l.Wh, 0.0f, dh_prev);
    free(dz);
}

void rnn_forward(const float *params, size_t D, size_t H, const float *X, size_t T,
                 size_t B, const float *h0, float *hs)
{
    const cell_layout l = cell_layout_of(CELL_RNN, D, H);
    /* The input's share of every step in one product, then step by step
     * the recurrent share, which needs the step before. */
    fill_rows(hs, params + l.b, T * B, H);
    dk_sgemm(false, true, T * B, H, D, 1.0f, X, params + l.Wx, 1.0f, hs);
    for (size_t t = 0; t < T; t++) {
        float *h = hs + t * B * H;
        dk_sgemm(false, true, B, H, H, 1.0f, t ? h - B * H : h0, params + l.Wh, 1.0f, h);
        for (size_t i = 0; i < B * H; i++)
            h[i] = tanhf(h[i]);
    }
}

void rnn_backward(const float *params, size_t D, size_t H, const float *X, size_t T,
                  size_t B, const float *h0, const float *hs, const float *dhs, float *dX,
                  float *dh0, float *grads)
{
    const cell_layout l = cell_layout_of(CELL_RNN, D, H);
    const size_t step = B * H;
    float *dz = alloc_floats(T * step + step, "rnn_backward"); /* dZ (T, B, H), dh (B, H) */
    float *dh = dz + T * step;
    /* Backwards in time: h_t's gradient is its own plus what step t + 1
     * sent back through Wh. */
    for (size_t t = T; t-- > 0;) {
        for (size_t i = 0; i < step; i++)
            dh[i] = dhs[t * step + i] + (t + 1 < T ? dh[i] : 0.0f);
        tanh_grad(hs + t * step, dh, step, dz + t * step);
        dk_sgemm(false, false, B, H, H, 1.0f, dz + t * step, params + l.Wh, 0.0f, dh);
    }
    if (dh0)
        memcpy(dh0, dh, step * sizeof *dh0);
    /* The weights' gradients: sums over all steps, a few large products. */
    dk_sgemm(true, false, H, D, T * B, 1.0f, dz, X, 1.0f, grads + l.Wx);
    dk_sgemm(true, false, H, H, B, 1.0f, dz, h0, 1.0f, grads + l.Wh);
    if (T > 1) /* step t >= 1 saw h_{t-1}, stored at hs + (t-1)*B*H */
        dk_sgemm(true, false, H, H, (T - 1) * B, 1.0f, dz + step, hs, 1.0f, grads + l.Wh);
    add_column_sums(dz, T * B, H, grads + l.b);
    if (dX)
        dk_sgemm(false, false, T * B, D, H, 1.0f, dz, params + l.Wx, 0.0f, dX);
    free(dz);
}
