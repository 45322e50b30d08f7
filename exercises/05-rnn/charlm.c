/* Chapter 05: a character model over windows of text, and clipping. See
 * rnn.h for what each function must compute and README.md for the ideas:
 * your embedding (makemore.c), your recurrent layers and chapter 02's
 * linear layer are the parts. Replace each NOT_IMPLEMENTED() (and the
 * (void) lines) with your code; `make grade CH=05` tells you how you are
 * doing. */
#include "rnn.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void charlm_init(const charlm_config *cfg, float *params, dk_rng *rng)
{
    (void)cfg, (void)params, (void)rng;
    NOT_IMPLEMENTED();
}

void charlm_forward(const charlm_config *cfg, const float *params, const int *X, size_t T,
                    size_t B, float *state, float *acts, float *logits)
{
    (void)cfg, (void)params, (void)X, (void)T, (void)B, (void)state, (void)acts,
    (void)logits;
    NOT_IMPLEMENTED();
}

void charlm_backward(const charlm_config *cfg, const float *params, const int *X, size_t T,
                     size_t B, const float *acts, const float *dlogits, float *grads)
{
    (void)cfg, (void)params, (void)X, (void)T, (void)B, (void)acts, (void)dlogits,
    (void)grads;
    NOT_IMPLEMENTED();
}

float clip_grad_norm(float *grads, size_t n, float max_norm)
{
    (void)grads, (void)n, (void)max_norm;
    NOT_IMPLEMENTED();
}
