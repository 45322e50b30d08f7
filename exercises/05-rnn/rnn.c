/* Chapter 05: the vanilla RNN, one step and through time. See rnn.h for
 * what each function must compute and README.md for the ideas: the
 * gradient reaching h_t is its own plus what step t + 1 sends back, and the
 * weights' gradients are sums over every step. Replace each
 * NOT_IMPLEMENTED() (and the (void) lines) with your code;
 * `make grade CH=05` tells you how you are doing. */
#include "rnn.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cell_init(cell_kind kind, size_t D, size_t H, float *params, dk_rng *rng)
{
    (void)kind, (void)D, (void)H, (void)params, (void)rng;
    NOT_IMPLEMENTED();
}

void rnn_cell_forward(const float *params, size_t D, size_t H, const float *x,
                      const float *h_prev, size_t B, float *h)
{
    (void)params, (void)D, (void)H, (void)x, (void)h_prev, (void)B, (void)h;
    NOT_IMPLEMENTED();
}

void rnn_cell_backward(const float *params, size_t D, size_t H, const float *x,
                       const float *h_prev, const float *h, size_t B, const float *dh,
                       float *dx, float *dh_prev, float *grads)
{
    (void)params, (void)D, (void)H, (void)x, (void)h_prev, (void)h, (void)B, (void)dh,
    (void)dx, (void)dh_prev, (void)grads;
    NOT_IMPLEMENTED();
}

void rnn_forward(const float *params, size_t D, size_t H, const float *X, size_t T,
                 size_t B, const float *h0, float *hs)
{
    (void)params, (void)D, (void)H, (void)X, (void)T, (void)B, (void)h0, (void)hs;
    NOT_IMPLEMENTED();
}

void rnn_backward(const float *params, size_t D, size_t H, const float *X, size_t T,
                  size_t B, const float *h0, const float *hs, const float *dhs, float *dX,
                  float *dh0, float *grads)
{
    (void)params, (void)D, (void)H, (void)X, (void)T, (void)B, (void)h0, (void)hs,
    (void)dhs, (void)dX, (void)dh0, (void)grads;
    NOT_IMPLEMENTED();
}
