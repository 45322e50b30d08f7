/* Chapter 05: the MLP language model. See rnn.h for what each function
 * must compute and README.md for the ideas: chapters 02 and 03's layers do
 * most of the work. Replace each NOT_IMPLEMENTED() (and the (void) lines)
 * with your code; `make grade CH=05` tells you how you are doing. */
#include "rnn.h"

#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void embedding_forward(const float *table, size_t V, size_t E, const int *idx, size_t n,
                       float *out)
{
    (void)table, (void)V, (void)E, (void)idx, (void)n, (void)out;
    NOT_IMPLEMENTED();
}

void embedding_backward(const float *dout, const int *idx, size_t n, size_t V, size_t E,
                        float *dtable)
{
    (void)dout, (void)idx, (void)n, (void)V, (void)E, (void)dtable;
    NOT_IMPLEMENTED();
}

void lm_init(const lm_config *cfg, float *params, dk_rng *rng)
{
    (void)cfg, (void)params, (void)rng;
    NOT_IMPLEMENTED();
}

void lm_forward(const lm_config *cfg, const float *params, float *running, const int *X,
                size_t B, bool training, float *acts, float *logits)
{
    (void)cfg, (void)params, (void)running, (void)X, (void)B, (void)training, (void)acts,
        (void)logits;
    NOT_IMPLEMENTED();
}

void lm_backward(const lm_config *cfg, const float *params, const int *X, size_t B,
                 const float *acts, const float *dlogits, float *grads)
{
    (void)cfg, (void)params, (void)X, (void)B, (void)acts, (void)dlogits, (void)grads;
    NOT_IMPLEMENTED();
}
