/* Chapter 06: a small GPT, its initialisation and AdamW step. See
 * attention.h for what each function must compute and README.md for the
 * ideas. Replace each NOT_IMPLEMENTED() (and the (void) lines) with your
 * code; `make grade CH=06` tells you how you are doing. */
#include "attention.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void gpt_init(const gpt_config *cfg, float *params, dk_rng *rng)
{
    (void)cfg, (void)params, (void)rng;
    NOT_IMPLEMENTED();
}

void gpt_forward(const gpt_config *cfg, const float *params, const int *X, size_t B, size_t T,
                 float *acts, float *logits)
{
    (void)cfg, (void)params, (void)X, (void)B, (void)T, (void)acts, (void)logits;
    NOT_IMPLEMENTED();
}

void gpt_backward(const gpt_config *cfg, const float *params, const int *X, size_t B,
                  size_t T, const float *acts, const float *dlogits, float *grads)
{
    (void)cfg, (void)params, (void)X, (void)B, (void)T, (void)acts, (void)dlogits, (void)grads;
    NOT_IMPLEMENTED();
}

void gpt_adamw_step(const gpt_config *cfg, float *params, const float *grads, float *m,
                    float *v, size_t t, float lr, float weight_decay)
{
    (void)cfg, (void)params, (void)grads, (void)m, (void)v, (void)t, (void)lr,
    (void)weight_decay;
    NOT_IMPLEMENTED();
}
