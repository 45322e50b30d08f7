/* Chapter 03 reference: batch normalisation for dense layers. */
#include "training.h"

#include <math.h>

void batchnorm_forward_train(const float *x, size_t B, size_t C, const float *gamma,
                             const float *beta, float eps, float momentum,
                             float *running_mean, float *running_var, float *mean,
                             float *invstd, float *y)
{
    for (size_t c = 0; c < C; c++) {
        double sum = 0, sq = 0;
        for (size_t i = 0; i < B; i++)
            sum += x[i * C + c];
        double mu = sum / (double)B;
        for (size_t i = 0; i < B; i++) {
            double d = x[i * C + c] - mu;
            sq += d * d;
        }
        double var = sq / (double)B; /* biased: what normalises the batch */
        mean[c] = (float)mu;
        invstd[c] = (float)(1.0 / sqrt(var + eps));
        for (size_t i = 0; i < B; i++)
            y[i * C + c] = gamma[c] * (x[i * C + c] - mean[c]) * invstd[c] + beta[c];
        if (running_mean && running_var) { /* PyTorch tracks the unbiased variance */
            running_mean[c] = (1 - momentum) * running_mean[c] + momentum * (float)mu;
            running_var[c] = (1 - momentum) * running_var[c] +
                             momentum * (float)(sq / (double)(B - 1));
        }
    }
}

void batchnorm_forward_eval(const float *x, size_t B, size_t C, const float *gamma,
                            const float *beta, float eps, const float *running_mean,
                            const float *running_var, float *y)
{
    for (size_t c = 0; c < C; c++) {
        float scale = gamma[c] / sqrtf(running_var[c] + eps);
        for (size_t i = 0; i < B; i++)
            y[i * C + c] = (x[i * C + c] - running_mean[c]) * scale + beta[c];
    }
}

/* With xhat = (x - mean) invstd and y = gamma xhat + beta, every x of a
 * feature moves its batch's mean and variance too:
 *   dx = gamma invstd / B * (B dy - sum(dy) - xhat sum(dy xhat)). */
void batchnorm_backward(const float *dy, const float *x, size_t B, size_t C,
                        const float *gamma, const float *mean, const float *invstd,
                        float *dx, float *dgamma, float *dbeta)
{
    for (size_t c = 0; c < C; c++) {
        double sum_dy = 0, sum_dy_xhat = 0;
        for (size_t i = 0; i < B; i++) {
            float xhat = (x[i * C + c] - mean[c]) * invstd[c];
            sum_dy += dy[i * C + c];
            sum_dy_xhat += (double)dy[i * C + c] * xhat;
        }
        dbeta[c] += (float)sum_dy;
        dgamma[c] += (float)sum_dy_xhat;
        const float k = gamma[c] * invstd[c] / (float)B;
        for (size_t i = 0; i < B; i++) {
            float xhat = (x[i * C + c] - mean[c]) * invstd[c];
            dx[i * C + c] = k * ((float)B * dy[i * C + c] - (float)sum_dy -
                                 xhat * (float)sum_dy_xhat);
        }
    }
}
