/* Chapter 07: the variational autoencoder. See generative.h for what each
 * function must compute and README.md for the ideas. Replace each
 * NOT_IMPLEMENTED() (and the (void) lines) with your code; `make grade
 * CH=07` tells you how you are doing. */
#include "generative.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void vae_forward(const vae_config *cfg, const float *params, const float *X, size_t B,
                 const float *eps, float *acts, float *terms)
{
    (void)cfg, (void)params, (void)X, (void)B, (void)eps, (void)acts, (void)terms;
    NOT_IMPLEMENTED();
}

void vae_backward(const vae_config *cfg, const float *params, const float *X, size_t B,
                  const float *eps, const float *acts, float *grads)
{
    (void)cfg, (void)params, (void)X, (void)B, (void)eps, (void)acts, (void)grads;
    NOT_IMPLEMENTED();
}

void vae_decode(const vae_config *cfg, const float *params, const float *z, size_t B,
                float *images)
{
    (void)cfg, (void)params, (void)z, (void)B, (void)images;
    NOT_IMPLEMENTED();
}
