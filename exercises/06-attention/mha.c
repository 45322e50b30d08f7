/* Chapter 06: multi-head attention. See attention.h for what each function
 * must compute and README.md for the ideas. Replace each NOT_IMPLEMENTED()
 * (and the (void) lines) with your code; `make grade CH=06` tells you how
 * you are doing. */
#include "attention.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void mha_forward(const mha_config *cfg, const float *params, const float *X, size_t B,
                 size_t T, const int *lens, float *acts, float *Y)
{
    (void)cfg, (void)params, (void)X, (void)B, (void)T, (void)lens, (void)acts, (void)Y;
    NOT_IMPLEMENTED();
}

void mha_backward(const mha_config *cfg, const float *params, const float *X, size_t B,
                  size_t T, const int *lens, const float *acts, const float *dY, float *dX,
                  float *grads)
{
    (void)cfg, (void)params, (void)X, (void)B, (void)T, (void)lens, (void)acts, (void)dY,
    (void)dX, (void)grads;
    NOT_IMPLEMENTED();
}
