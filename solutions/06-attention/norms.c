/* Chapter 06 reference: layer norm and GELU. */
#include "attention.h"

#include <math.h>

void layernorm_forward(const float *X, size_t N, size_t D, const float *gamma,
                       const float *beta, float *Y, float *stats)
{
    for (size_t r = 0; r < N; r++) {
        const float *x = X + r * D;
        double sum = 0, sq = 0;
        for (size_t j = 0; j < D; j++)
            sum += x[j];
        const double mean = sum / (double)D;
        for (size_t j = 0; j < D; j++) /* around the mean: no cancellation */
            sq += (x[j] - mean) * (x[j] - mean);
        const float rstd = (float)(1.0 / sqrt(sq / (double)D + LN_EPS));
        for (size_t j = 0; j < D; j++)
            Y[r * D + j] = gamma[j] * (float)(x[j] - mean) * rstd + beta[j];
        stats[r] = (float)mean;
        stats[N + r] = rstd;
    }
}

/* With xhat = (x - mean) rstd and g = dy * gamma, each row's
 *   dx = rstd (g - mean(g) - xhat mean(g xhat)):
 * the two means are the paths through the mean and through the variance. */
void layernorm_backward(const float *X, size_t N, size_t D, const float *gamma,
                        const float *stats, const float *dY, float *dX, float *dgamma,
                        float *dbeta)
{
    for (size_t r = 0; r < N; r++) {
        const float *x = X + r * D, *dy = dY + r * D;
        const float mean = stats[r], rstd = stats[N + r];
        double g_mean = 0, gx_mean = 0;
        for (size_t j = 0; j < D; j++) {
            const float xhat = (x[j] - mean) * rstd, g = dy[j] * gamma[j];
            g_mean += g;
            gx_mean += g * xhat;
            dgamma[j] += dy[j] * xhat;
            dbeta[j] += dy[j];
        }
        g_mean /= (double)D;
        gx_mean /= (double)D;
        for (size_t j = 0; j < D; j++) {
            const float xhat = (x[j] - mean) * rstd;
            dX[r * D + j] = rstd * (float)(dy[j] * gamma[j] - g_mean - xhat * gx_mean);
        }
    }
}

#define GELU_C 0.7978845608028654f /* sqrt(2 / pi) */

/* 0.5 (1 + tanh u) = sigmoid(2u): one expf, cheaper than tanhf, and no
 * cancellation for negative u. */
static float gelu_gate(float x)
{
    const float u = GELU_C * (x + 0.044715f * x * x * x);
    return 1.0f / (1.0f + expf(-2.0f * u));
}

void gelu_forward(const float *x, size_t n, float *y)
{
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] * gelu_gate(x[i]);
}

/* d/dx of x s(2u) = s + 2 x s (1 - s) u', with s = sigmoid(2u) (the tanh
 * form's 0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) u'). */
void gelu_backward(const float *x, const float *dy, size_t n, float *dx)
{
    for (size_t i = 0; i < n; i++) {
        const float s = gelu_gate(x[i]), du = GELU_C * (1.0f + 3.0f * 0.044715f * x[i] * x[i]);
        dx[i] = dy[i] * (s + 2.0f * x[i] * s * (1.0f - s) * du);
    }
}
