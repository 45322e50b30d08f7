/* Chapter 02 reference: mean squared error, softmax and cross-entropy. */
#include "backprop.h"

#include <math.h>

float mse_loss(const float *y, const float *t, size_t B, size_t n, float *dy)
{
    const size_t count = B * n;
    double sum = 0;
    for (size_t i = 0; i < count; i++) {
        float d = y[i] - t[i];
        sum += (double)d * d;
        if (dy)
            dy[i] = 2.0f * d / (float)count;
    }
    return (float)(sum / (double)count);
}

/* The row's largest value: subtracting it keeps every exponent <= 0. */
static float row_max(const float *row, size_t C)
{
    float m = row[0];
    for (size_t j = 1; j < C; j++)
        m = row[j] > m ? row[j] : m;
    return m;
}

void softmax(const float *logits, size_t B, size_t C, float *p)
{
    for (size_t i = 0; i < B; i++) {
        const float *row = logits + i * C;
        float m = row_max(row, C), sum = 0;
        for (size_t j = 0; j < C; j++)
            sum += p[i * C + j] = expf(row[j] - m);
        for (size_t j = 0; j < C; j++)
            p[i * C + j] /= sum;
    }
}

float softmax_cross_entropy(const float *logits, const int *labels, size_t B,
                            size_t C, float *dlogits)
{
    double total = 0;
    for (size_t i = 0; i < B; i++) {
        const float *row = logits + i * C;
        float m = row_max(row, C), sum = 0;
        for (size_t j = 0; j < C; j++)
            sum += expf(row[j] - m);
        float log_sum = logf(sum); /* log-sum-exp = m + log_sum */
        total += (double)m + log_sum - row[labels[i]];
        if (!dlogits)
            continue;
        for (size_t j = 0; j < C; j++)
            dlogits[i * C + j] = expf(row[j] - m - log_sum) / (float)B;
        dlogits[i * C + labels[i]] -= 1.0f / (float)B;
    }
    return (float)(total / (double)B);
}
