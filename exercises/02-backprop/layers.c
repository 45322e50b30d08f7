/* Chapter 02: the linear layer and the activations as layers. See
 * backprop.h for what each function must compute and README.md for the
 * ideas. Replace each NOT_IMPLEMENTED() (and the (void) lines) with your
 * code; `make grade CH=02` tells you how you are doing. */
#include "backprop.h"

#include "blas.h"
#include "error.h"

#include <math.h>

void linear_forward(const float *x, const float *W, const float *b, size_t B,
                    size_t in, size_t out, float *y)
{
    (void)x, (void)W, (void)b, (void)B, (void)in, (void)out, (void)y;
    NOT_IMPLEMENTED();
}

void linear_backward(const float *x, const float *W, const float *dy, size_t B,
                     size_t in, size_t out, float *dx, float *dW, float *db)
{
    (void)x, (void)W, (void)dy, (void)B, (void)in, (void)out, (void)dx, (void)dW, (void)db;
    NOT_IMPLEMENTED();
}

void relu_forward(const float *x, size_t n, float *y)
{
    (void)x, (void)n, (void)y;
    NOT_IMPLEMENTED();
}

void relu_backward(const float *x, const float *dy, size_t n, float *dx)
{
    (void)x, (void)dy, (void)n, (void)dx;
    NOT_IMPLEMENTED();
}

void sigmoid_forward(const float *x, size_t n, float *y)
{
    (void)x, (void)n, (void)y;
    NOT_IMPLEMENTED();
}

void sigmoid_backward(const float *y, const float *dy, size_t n, float *dx)
{
    (void)y, (void)dy, (void)n, (void)dx;
    NOT_IMPLEMENTED();
}

void tanh_forward(const float *x, size_t n, float *y)
{
    (void)x, (void)n, (void)y;
    NOT_IMPLEMENTED();
}

void tanh_backward(const float *y, const float *dy, size_t n, float *dx)
{
    (void)y, (void)dy, (void)n, (void)dx;
    NOT_IMPLEMENTED();
}
