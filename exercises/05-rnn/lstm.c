/* Chapter 05: the LSTM, one step and through time. See rnn.h for what each
 * function must compute and README.md for the ideas. Write the cell first:
 * the layer is the cell in a loop, the cell state's gradient carried back
 * beside h's. Replace each NOT_IMPLEMENTED() (and the (void) lines) with
 * your code; `make grade CH=05` tells you how you are doing. */
#include "rnn.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void lstm_cell_forward(const float *params, size_t D, size_t H, const float *x,
                       const float *h_prev, const float *c_prev, size_t B, float *gates,
                       float *c, float *h)
{
    (void)params, (void)D, (void)H, (void)x, (void)h_prev, (void)c_prev, (void)B,
    (void)gates, (void)c, (void)h;
    NOT_IMPLEMENTED();
}

void lstm_cell_backward(const float *params, size_t D, size_t H, const float *x,
                        const float *h_prev, const float *c_prev, const float *gates,
                        const float *c, size_t B, const float *dh, const float *dc, float *dx,
                        float *dh_prev, float *dc_prev, float *grads)
{
    (void)params, (void)D, (void)H, (void)x, (void)h_prev, (void)c_prev, (void)gates,
    (void)c, (void)B, (void)dh, (void)dc, (void)dx, (void)dh_prev, (void)dc_prev,
    (void)grads;
    NOT_IMPLEMENTED();
}

void lstm_forward(const float *params, size_t D, size_t H, const float *X, size_t T,
                  size_t B, const float *h0, const float *c0, float *acts)
{
    (void)params, (void)D, (void)H, (void)X, (void)T, (void)B, (void)h0, (void)c0,
    (void)acts;
    NOT_IMPLEMENTED();
}

void lstm_backward(const float *params, size_t D, size_t H, const float *X, size_t T,
                   size_t B, const float *h0, const float *c0, const float *acts,
                   const float *dhs, float *dX, float *dh0, float *dc0, float *grads)
{
    (void)params, (void)D, (void)H, (void)X, (void)T, (void)B, (void)h0, (void)c0,
    (void)acts, (void)dhs, (void)dX, (void)dh0, (void)dc0, (void)grads;
    NOT_IMPLEMENTED();
}
