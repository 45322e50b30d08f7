/* Chapter 06: scaled dot-product attention with its masks. See attention.h
 * for what each function must compute and README.md for the ideas. Replace
 * each NOT_IMPLEMENTED() (and the (void) lines) with your code; `make grade
 * CH=06` tells you how you are doing. */
#include "attention.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void attn_forward(const attn_shape *s, const float *Q, const float *K, const float *V,
                  const int *lens, float *P, float *O)
{
    (void)s, (void)Q, (void)K, (void)V, (void)lens, (void)P, (void)O;
    NOT_IMPLEMENTED();
}

void attn_backward(const attn_shape *s, const float *Q, const float *K, const float *V,
                   const int *lens, const float *P, const float *dO, float *dQ, float *dK,
                   float *dV)
{
    (void)s, (void)Q, (void)K, (void)V, (void)lens, (void)P, (void)dO, (void)dQ, (void)dK,
    (void)dV;
    NOT_IMPLEMENTED();
}
