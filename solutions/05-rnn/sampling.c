/* Chapter 05 reference: sampling the next token from logits. */
#include "rnn.h"

#include "error.h"

#include <math.h>
#include <stdlib.h>

/* Whether logit i is among the k largest: fewer than k rank before it
 * (larger, or equal at a lower index). */
static bool in_top_k(const float *logits, size_t V, size_t i, size_t k)
{
    size_t before = 0;
    for (size_t j = 0; j < V && before < k; j++)
        before += logits[j] > logits[i] || (logits[j] == logits[i] && j < i);
    return before < k;
}

void logits_probs(const float *logits, size_t V, float temperature, size_t top_k, float *p)
{
    const size_t k = top_k == 0 || top_k > V ? V : top_k;
    float max = -INFINITY;
    for (size_t i = 0; i < V; i++)
        max = fmaxf(max, logits[i]);
    /* The largest logit is always kept: subtracting it keeps exp() finite. */
    double sum = 0;
    for (size_t i = 0; i < V; i++) {
        p[i] = in_top_k(logits, V, i, k) ? expf((logits[i] - max) / temperature) : 0.0f;
        sum += p[i];
    }
    for (size_t i = 0; i < V; i++)
        p[i] = (float)(p[i] / sum);
}

size_t sample_logits(const float *logits, size_t V, float temperature, size_t top_k,
                     dk_rng *rng)
{
    float *p = malloc(V * sizeof *p);
    if (!p)
        dk_fatal("sample_logits: out of memory");
    logits_probs(logits, V, temperature, top_k, p);
    const size_t i = sample_categorical(p, V, dk_rng_uniform(rng));
    free(p);
    return i;
}

size_t greedy_pick(const float *logits, size_t V)
{
    size_t best = 0;
    for (size_t i = 1; i < V; i++)
        if (logits[i] > logits[best])
            best = i;
    return best;
}
