/* Chapter 07 reference: the losses of both models, the reparameterised
 * sample, leaky ReLU. */
#include "generative.h"

#include <math.h>

/* log(1 + exp(x)) without overflow: exp only ever sees -|x|. */
static double softplus(double x)
{
    return fmax(x, 0.0) + log1p(exp(-fabs(x)));
}

static float sigmoid(float x)
{
    if (x >= 0)
        return 1.0f / (1.0f + expf(-x));
    const float e = expf(x);
    return e / (1.0f + e);
}

/* One exp serves both: with e = exp(-|l|), softplus(l) = max(l, 0) +
 * log(1 + e), and sigmoid(l) = 1 / (1 + e) or e / (1 + e) by l's sign.
 * Where e is tiny, 1 + e rounds and logf(1 + e) is off by about 1e-7
 * (log1pf is exact there, at twice the time): an absolute error that a
 * sum over an image cannot see. The sum and the cancellation in
 * softplus(l) - l x go in double. */
float bce_with_logits(const float *logits, const float *x, size_t n, float *dlogits)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        const float l = logits[i], e = expf(-fabsf(l));
        /* -x log s(l) - (1 - x) log(1 - s(l)) = softplus(l) - l x */
        sum += fmax(l, 0.0) + logf(1.0f + e) - (double)l * x[i];
        if (dlogits)
            dlogits[i] = (l >= 0 ? 1.0f : e) / (1.0f + e) - x[i];
    }
    return (float)sum;
}

float kl_standard_normal(const float *mu, const float *logvar, size_t n, float *dmu,
                         float *dlogvar)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        const float var = expf(logvar[i]);
        sum += 1.0 + logvar[i] - (double)mu[i] * mu[i] - var;
        if (dmu)
            dmu[i] = mu[i];
        if (dlogvar)
            dlogvar[i] = 0.5f * (var - 1.0f);
    }
    return (float)(-0.5 * sum);
}

void reparameterize(const float *mu, const float *logvar, const float *eps, size_t n, float *z)
{
    for (size_t i = 0; i < n; i++)
        z[i] = mu[i] + expf(0.5f * logvar[i]) * eps[i];
}

void reparameterize_backward(const float *logvar, const float *eps, const float *dz, size_t n,
                             float *dmu, float *dlogvar)
{
    for (size_t i = 0; i < n; i++) {
        dmu[i] += dz[i];
        /* dz/dlogvar = exp(logvar / 2) eps / 2 */
        dlogvar[i] += dz[i] * 0.5f * expf(0.5f * logvar[i]) * eps[i];
    }
}

void leaky_relu_forward(const float *x, size_t n, float slope, float *y)
{
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] >= 0 ? x[i] : slope * x[i];
}

void leaky_relu_backward(const float *x, const float *dy, size_t n, float slope, float *dx)
{
    for (size_t i = 0; i < n; i++)
        dx[i] = x[i] >= 0 ? dy[i] : slope * dy[i];
}

float gan_discriminator_loss(const float *real, size_t n_real, const float *fake,
                             size_t n_fake, float *dreal, float *dfake)
{
    /* -log s(l) = softplus(-l) for label 1; -log(1 - s(l)) = softplus(l) for 0 */
    double sum_real = 0, sum_fake = 0;
    for (size_t i = 0; i < n_real; i++) {
        sum_real += softplus(-real[i]);
        dreal[i] = (sigmoid(real[i]) - 1.0f) / (float)n_real;
    }
    for (size_t j = 0; j < n_fake; j++) {
        sum_fake += softplus(fake[j]);
        dfake[j] = sigmoid(fake[j]) / (float)n_fake;
    }
    return (float)(sum_real / (double)n_real + sum_fake / (double)n_fake);
}

float gan_generator_loss(const float *fake, size_t n, float *dfake)
{
    double sum = 0;
    for (size_t j = 0; j < n; j++) {
        sum += softplus(-fake[j]);
        dfake[j] = (sigmoid(fake[j]) - 1.0f) / (float)n;
    }
    return (float)(sum / (double)n);
}
