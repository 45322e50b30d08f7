/* Chapter 06: the pre-norm transformer block. See attention.h for what each
 * function must compute and README.md for the ideas. Replace each
 * NOT_IMPLEMENTED() (and the (void) lines) with your code; `make grade
 * CH=06` tells you how you are doing. */
#include "attention.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void block_forward(size_t D, size_t H, const float *params, const float *X, size_t B,
                   size_t T, float *acts, float *Y)
{
    (void)D, (void)H, (void)params, (void)X, (void)B, (void)T, (void)acts, (void)Y;
    NOT_IMPLEMENTED();
}

void block_backward(size_t D, size_t H, const float *params, const float *X, size_t B,
                    size_t T, const float *acts, const float *dY, float *dX, float *grads)
{
    (void)D, (void)H, (void)params, (void)X, (void)B, (void)T, (void)acts, (void)dY, (void)dX,
    (void)grads;
    NOT_IMPLEMENTED();
}
