/* Chapter 05: sampling the next token from logits. See rnn.h for what each
 * function must compute and README.md for the ideas: part 1's
 * sample_categorical draws once the probabilities are known. Replace each
 * NOT_IMPLEMENTED() (and the (void) lines) with your code;
 * `make grade CH=05` tells you how you are doing. */
#include "rnn.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void logits_probs(const float *logits, size_t V, float temperature, size_t top_k, float *p)
{
    (void)logits, (void)V, (void)temperature, (void)top_k, (void)p;
    NOT_IMPLEMENTED();
}

size_t sample_logits(const float *logits, size_t V, float temperature, size_t top_k,
                     dk_rng *rng)
{
    (void)logits, (void)V, (void)temperature, (void)top_k, (void)rng;
    NOT_IMPLEMENTED();
}

size_t greedy_pick(const float *logits, size_t V)
{
    (void)logits, (void)V;
    NOT_IMPLEMENTED();
}
