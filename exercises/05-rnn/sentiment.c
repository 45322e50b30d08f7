/* Chapter 05: the sentiment of a sentence, from its words. See rnn.h for
 * what each function must compute and README.md for the ideas: your
 * embedding, your LSTM layer and chapter 02's linear layer are the parts;
 * the new part is reading each sentence's state at its own last word.
 * Replace each NOT_IMPLEMENTED() (and the (void) lines) with your code;
 * `make grade CH=05` tells you how you are doing. */
#include "rnn.h"

#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sent_init(const sent_config *cfg, float *params, dk_rng *rng)
{
    (void)cfg, (void)params, (void)rng;
    NOT_IMPLEMENTED();
}

void sent_forward(const sent_config *cfg, const float *params, const int *X,
                  const size_t *lengths, size_t T, size_t B, float *acts, float *logits)
{
    (void)cfg, (void)params, (void)X, (void)lengths, (void)T, (void)B, (void)acts, (void)logits;
    NOT_IMPLEMENTED();
}

void sent_backward(const sent_config *cfg, const float *params, const int *X,
                   const size_t *lengths, size_t T, size_t B, const float *acts,
                   const float *dlogits, float *grads)
{
    (void)cfg, (void)params, (void)X, (void)lengths, (void)T, (void)B, (void)acts;
    (void)dlogits, (void)grads;
    NOT_IMPLEMENTED();
}
