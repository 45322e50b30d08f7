/* Chapter 05 reference: sampling and the bigram model. */
#include "rnn.h"

#include <math.h>

size_t sample_categorical(const float *p, size_t n, float u)
{
    double sum = 0;
    size_t last = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] <= 0)
            continue;
        sum += p[i];
        last = i;
        if (sum > u)
            return i;
    }
    return last; /* rounding left the total at or below u */
}

void bigram_count(const int *seq, size_t len, size_t V, float *counts)
{
    for (size_t t = 0; t + 1 < len; t++)
        counts[(size_t)seq[t] * V + (size_t)seq[t + 1]] += 1.0f;
}

void bigram_probs(const float *counts, size_t V, float alpha, float *P)
{
    for (size_t i = 0; i < V; i++) {
        double sum = 0;
        for (size_t j = 0; j < V; j++)
            sum += counts[i * V + j] + alpha;
        for (size_t j = 0; j < V; j++)
            P[i * V + j] = sum > 0 ? (float)((counts[i * V + j] + alpha) / sum) : 1.0f / (float)V;
    }
}

double bigram_nll(const float *P, size_t V, const int *seq, size_t len)
{
    double total = 0;
    for (size_t t = 0; t + 1 < len; t++)
        total -= log(P[(size_t)seq[t] * V + (size_t)seq[t + 1]]);
    return total / (double)(len - 1);
}

size_t bigram_sample(const float *P, size_t V, dk_rng *rng, int *out, size_t max_len)
{
    size_t n = 0, token = 0;
    while (n < max_len) {
        token = sample_categorical(P + token * V, V, dk_rng_uniform(rng));
        if (token == 0)
            break;
        out[n++] = (int)token;
    }
    return n;
}
