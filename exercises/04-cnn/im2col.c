/* Chapter 04: the convolution as one matrix product over the patch matrix
 * (im2col), and its adjoint (col2im). See cnn.h and README.md. Replace
 * each NOT_IMPLEMENTED() (and the (void) lines) with your code; `make
 * grade CH=04` tells you how you are doing. */
#include "cnn.h"

#include "error.h"

#include <string.h>

size_t conv2d_cols_size(const conv2d_shape *s)
{
    (void)s;
    NOT_IMPLEMENTED();
}

void im2col(const float *x, const conv2d_shape *s, float *cols)
{
    (void)x, (void)s, (void)cols;
    NOT_IMPLEMENTED();
}

void col2im(const float *cols, const conv2d_shape *s, float *dx)
{
    (void)cols, (void)s, (void)dx;
    NOT_IMPLEMENTED();
}

void conv2d_forward(const float *x, const float *W, const float *b,
                    const conv2d_shape *s, float *cols, float *y)
{
    (void)x, (void)W, (void)b, (void)s, (void)cols, (void)y;
    NOT_IMPLEMENTED();
}

void conv2d_backward(const float *cols, const float *W, const float *dy,
                     const conv2d_shape *s, float *dcols, float *dx, float *dW,
                     float *db)
{
    (void)cols, (void)W, (void)dy, (void)s, (void)dcols, (void)dx, (void)dW, (void)db;
    NOT_IMPLEMENTED();
}
