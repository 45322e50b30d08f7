/* Chapter 07: the losses of both models, the reparameterised sample, leaky
 * ReLU. See generative.h for what each function must compute and README.md
 * for the ideas. Replace each NOT_IMPLEMENTED() (and the (void) lines) with
 * your code; `make grade CH=07` tells you how you are doing. */
#include "generative.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

float bce_with_logits(const float *logits, const float *x, size_t n, float *dlogits)
{
    (void)logits, (void)x, (void)n, (void)dlogits;
    NOT_IMPLEMENTED();
}

float kl_standard_normal(const float *mu, const float *logvar, size_t n, float *dmu,
                         float *dlogvar)
{
    (void)mu, (void)logvar, (void)n, (void)dmu, (void)dlogvar;
    NOT_IMPLEMENTED();
}

void reparameterize(const float *mu, const float *logvar, const float *eps, size_t n,
                    float *z)
{
    (void)mu, (void)logvar, (void)eps, (void)n, (void)z;
    NOT_IMPLEMENTED();
}

void reparameterize_backward(const float *logvar, const float *eps, const float *dz, size_t n,
                             float *dmu, float *dlogvar)
{
    (void)logvar, (void)eps, (void)dz, (void)n, (void)dmu, (void)dlogvar;
    NOT_IMPLEMENTED();
}

void leaky_relu_forward(const float *x, size_t n, float slope, float *y)
{
    (void)x, (void)n, (void)slope, (void)y;
    NOT_IMPLEMENTED();
}

void leaky_relu_backward(const float *x, const float *dy, size_t n, float slope, float *dx)
{
    (void)x, (void)dy, (void)n, (void)slope, (void)dx;
    NOT_IMPLEMENTED();
}

float gan_discriminator_loss(const float *real, size_t n_real, const float *fake,
                             size_t n_fake, float *dreal, float *dfake)
{
    (void)real, (void)n_real, (void)fake, (void)n_fake, (void)dreal, (void)dfake;
    NOT_IMPLEMENTED();
}

float gan_generator_loss(const float *fake, size_t n, float *dfake)
{
    (void)fake, (void)n, (void)dfake;
    NOT_IMPLEMENTED();
}
