/* Chapter 04: max and average pooling. See cnn.h and README.md. Replace
 * each NOT_IMPLEMENTED() (and the (void) lines) with your code; `make
 * grade CH=04` tells you how you are doing. */
#include "cnn.h"

#include "error.h"

#include <string.h>

void maxpool_forward(const float *x, const pool_shape *s, float *y)
{
    (void)x, (void)s, (void)y;
    NOT_IMPLEMENTED();
}

void maxpool_backward(const float *x, const float *dy, const pool_shape *s, float *dx)
{
    (void)x, (void)dy, (void)s, (void)dx;
    NOT_IMPLEMENTED();
}

void avgpool_forward(const float *x, const pool_shape *s, float *y)
{
    (void)x, (void)s, (void)y;
    NOT_IMPLEMENTED();
}

void avgpool_backward(const float *dy, const pool_shape *s, float *dx)
{
    (void)dy, (void)s, (void)dx;
    NOT_IMPLEMENTED();
}
