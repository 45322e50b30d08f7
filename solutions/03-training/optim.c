/* Chapter 03 reference: SGD, momentum, Nesterov, Adam and AdamW. */
#include "training.h"

#include <math.h>

void sgd_step(float *p, const float *g, size_t n, float lr, float weight_decay)
{
    for (size_t i = 0; i < n; i++)
        p[i] -= lr * (g[i] + weight_decay * p[i]);
}

void momentum_step(float *p, const float *g, float *v, size_t n, float lr, float momentum,
                   float weight_decay, bool nesterov)
{
    for (size_t i = 0; i < n; i++) {
        float grad = g[i] + weight_decay * p[i];
        v[i] = momentum * v[i] + grad;
        p[i] -= lr * (nesterov ? grad + momentum * v[i] : v[i]);
    }
}

void adam_step(float *p, const float *g, float *m, float *v, size_t n, size_t t, float lr,
               float beta1, float beta2, float eps, float weight_decay, bool decoupled)
{
    /* The moments start at 0, so early on they are too small by these. */
    const float correction1 = 1.0f - powf(beta1, (float)t);
    const float correction2 = 1.0f - powf(beta2, (float)t);
    for (size_t i = 0; i < n; i++) {
        float grad = g[i];
        if (decoupled)
            p[i] -= lr * weight_decay * p[i];
        else
            grad += weight_decay * p[i];
        m[i] = beta1 * m[i] + (1.0f - beta1) * grad;
        v[i] = beta2 * v[i] + (1.0f - beta2) * grad * grad;
        float m_hat = m[i] / correction1, v_hat = v[i] / correction2;
        p[i] -= lr * m_hat / (sqrtf(v_hat) + eps);
    }
}
