/* Chapter 04: the convolution by its definition, as loops. See cnn.h for
 * what each function must compute and README.md for the ideas. Replace
 * each NOT_IMPLEMENTED() (and the (void) lines) with your code; `make
 * grade CH=04` tells you how you are doing. */
#include "cnn.h"

#include "error.h"

#include <string.h>

size_t conv2d_out_size(size_t in, size_t k, size_t stride, size_t pad)
{
    (void)in, (void)k, (void)stride, (void)pad;
    NOT_IMPLEMENTED();
}

void conv2d_forward_direct(const float *x, const float *W, const float *b,
                           const conv2d_shape *s, float *y)
{
    (void)x, (void)W, (void)b, (void)s, (void)y;
    NOT_IMPLEMENTED();
}

void conv2d_backward_direct(const float *x, const float *W, const float *dy,
                            const conv2d_shape *s, float *dx, float *dW, float *db)
{
    (void)x, (void)W, (void)dy, (void)s, (void)dx, (void)dW, (void)db;
    NOT_IMPLEMENTED();
}
