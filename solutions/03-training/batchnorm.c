/* Chapter 03 reference: batch normalisation for dense layers.
 *
 * Each function walks the features in blocks of BLOCK: its inner loops run
 * along a row of x (contiguous, so the compiler vectorises them) instead
 * of down a column (a stride of C floats), while each feature still sums
 * its rows in order, 0 to B - 1: the same results as one feature at a
 * time, about three times sooner. */
#include "training.h"

#include <math.h>

enum { BLOCK = 64 };

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* Features c0 .. c0+n-1 of batchnorm_forward_train. */
static void forward_block(const float *x, size_t B, size_t C, size_t c0, size_t n,
                          const float *gamma, const float *beta, float eps, float momentum,
                          float *running_mean, float *running_var, float *mean,
                          float *invstd, float *y)
{
    double sum[BLOCK] = {0}, sq[BLOCK] = {0}, mu[BLOCK];
    for (size_t i = 0; i < B; i++)
        for (size_t c = 0; c < n; c++)
            sum[c] += x[i * C + c0 + c];
    for (size_t c = 0; c < n; c++)
        mu[c] = sum[c] / (double)B;
    for (size_t i = 0; i < B; i++)
        for (size_t c = 0; c < n; c++) {
            double d = x[i * C + c0 + c] - mu[c];
            sq[c] += d * d;
        }
    for (size_t c = 0; c < n; c++) {
        double var = sq[c] / (double)B; /* biased: what normalises the batch */
        mean[c0 + c] = (float)mu[c];
        invstd[c0 + c] = (float)(1.0 / sqrt(var + eps));
        if (running_mean && running_var) { /* PyTorch tracks the unbiased variance */
            running_mean[c0 + c] = (1 - momentum) * running_mean[c0 + c] + momentum * (float)mu[c];
            running_var[c0 + c] = (1 - momentum) * running_var[c0 + c] +
                                  momentum * (float)(sq[c] / (double)(B - 1));
        }
    }
    for (size_t i = 0; i < B; i++)
        for (size_t c = c0; c < c0 + n; c++)
            y[i * C + c] = gamma[c] * (x[i * C + c] - mean[c]) * invstd[c] + beta[c];
}

void batchnorm_forward_train(const float *x, size_t B, size_t C, const float *gamma,
                             const float *beta, float eps, float momentum,
                             float *running_mean, float *running_var, float *mean,
                             float *invstd, float *y)
{
    for (size_t c0 = 0; c0 < C; c0 += BLOCK)
        forward_block(x, B, C, c0, min_size(BLOCK, C - c0), gamma, beta, eps, momentum,
                      running_mean, running_var, mean, invstd, y);
}

void batchnorm_forward_eval(const float *x, size_t B, size_t C, const float *gamma,
                            const float *beta, float eps, const float *running_mean,
                            const float *running_var, float *y)
{
    for (size_t c0 = 0; c0 < C; c0 += BLOCK) {
        size_t n = min_size(BLOCK, C - c0);
        float scale[BLOCK];
        for (size_t c = 0; c < n; c++)
            scale[c] = gamma[c0 + c] / sqrtf(running_var[c0 + c] + eps);
        for (size_t i = 0; i < B; i++)
            for (size_t c = 0; c < n; c++)
                y[i * C + c0 + c] =
                    (x[i * C + c0 + c] - running_mean[c0 + c]) * scale[c] + beta[c0 + c];
    }
}

/* Features c0 .. c0+n-1 of batchnorm_backward. With xhat = (x - mean) invstd
 * and y = gamma xhat + beta, every x of a feature moves its batch's mean
 * and variance too:
 *   dx = gamma invstd / B * (B dy - sum(dy) - xhat sum(dy xhat)). */
static void backward_block(const float *dy, const float *x, size_t B, size_t C, size_t c0,
                           size_t n, const float *gamma, const float *mean,
                           const float *invstd, float *dx, float *dgamma, float *dbeta)
{
    double sum_dy[BLOCK] = {0}, sum_dy_xhat[BLOCK] = {0};
    for (size_t i = 0; i < B; i++)
        for (size_t c = 0; c < n; c++) {
            float xhat = (x[i * C + c0 + c] - mean[c0 + c]) * invstd[c0 + c];
            sum_dy[c] += dy[i * C + c0 + c];
            sum_dy_xhat[c] += (double)dy[i * C + c0 + c] * xhat;
        }
    float k[BLOCK], s_dy[BLOCK], s_dy_xhat[BLOCK];
    for (size_t c = 0; c < n; c++) {
        dbeta[c0 + c] += (float)sum_dy[c];
        dgamma[c0 + c] += (float)sum_dy_xhat[c];
        k[c] = gamma[c0 + c] * invstd[c0 + c] / (float)B;
        s_dy[c] = (float)sum_dy[c], s_dy_xhat[c] = (float)sum_dy_xhat[c];
    }
    for (size_t i = 0; i < B; i++)
        for (size_t c = 0; c < n; c++) {
            float xhat = (x[i * C + c0 + c] - mean[c0 + c]) * invstd[c0 + c];
            dx[i * C + c0 + c] =
                k[c] * ((float)B * dy[i * C + c0 + c] - s_dy[c] - xhat * s_dy_xhat[c]);
        }
}

void batchnorm_backward(const float *dy, const float *x, size_t B, size_t C,
                        const float *gamma, const float *mean, const float *invstd,
                        float *dx, float *dgamma, float *dbeta)
{
    for (size_t c0 = 0; c0 < C; c0 += BLOCK)
        backward_block(dy, x, B, C, c0, min_size(BLOCK, C - c0), gamma, mean, invstd, dx,
                       dgamma, dbeta);
}
