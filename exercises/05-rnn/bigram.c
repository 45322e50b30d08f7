/* Chapter 05: sampling and the bigram model. See rnn.h for what each
 * function must compute and README.md for the ideas. Replace each
 * NOT_IMPLEMENTED() (and the (void) lines) with your code;
 * `make grade CH=05` tells you how you are doing. */
#include "rnn.h"

#include "error.h"

#include <math.h>

size_t sample_categorical(const float *p, size_t n, float u)
{
    (void)p, (void)n, (void)u;
    NOT_IMPLEMENTED();
}

void bigram_count(const int *seq, size_t len, size_t V, float *counts)
{
    (void)seq, (void)len, (void)V, (void)counts;
    NOT_IMPLEMENTED();
}

void bigram_probs(const float *counts, size_t V, float alpha, float *P)
{
    (void)counts, (void)V, (void)alpha, (void)P;
    NOT_IMPLEMENTED();
}

double bigram_nll(const float *P, size_t V, const int *seq, size_t len)
{
    (void)P, (void)V, (void)seq, (void)len;
    NOT_IMPLEMENTED();
}

size_t bigram_sample(const float *P, size_t V, dk_rng *rng, int *out, size_t max_len)
{
    (void)P, (void)V, (void)rng, (void)out, (void)max_len;
    NOT_IMPLEMENTED();
}
