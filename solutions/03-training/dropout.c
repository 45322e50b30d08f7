/* Chapter 03 reference: inverted dropout. */
#include "training.h"

void dropout_forward(const float *x, size_t n, float p, bool training, dk_rng *rng,
                     float *mask, float *y)
{
    if (!training) {
        for (size_t i = 0; i < n; i++)
            y[i] = x[i];
        return;
    }
    /* Scaling the kept values by 1/(1-p) now keeps the expectation of y
     * equal to x, so evaluation needs no scaling. */
    const float keep = 1.0f / (1.0f - p);
    for (size_t i = 0; i < n; i++) {
        mask[i] = dk_rng_uniform(rng) < p ? 0.0f : keep;
        y[i] = x[i] * mask[i];
    }
}

void dropout_backward(const float *dy, const float *mask, size_t n, float *dx)
{
    for (size_t i = 0; i < n; i++)
        dx[i] = dy[i] * mask[i];
}
