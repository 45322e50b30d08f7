/* Chapter 03: optimizers. See training.h for what each function must do
 * and README.md for the ideas. Replace each NOT_IMPLEMENTED() (and the
 * (void) lines) with your code; `make grade CH=03` tells you how you are
 * doing. */
#include "training.h"

#include "error.h"

#include <math.h>

void sgd_step(float *p, const float *g, size_t n, float lr, float weight_decay)
{
    (void)p, (void)g, (void)n, (void)lr, (void)weight_decay;
    NOT_IMPLEMENTED();
}

void momentum_step(float *p, const float *g, float *v, size_t n, float lr, float momentum,
                   float weight_decay, bool nesterov)
{
    (void)p, (void)g, (void)v, (void)n, (void)lr, (void)momentum, (void)weight_decay;
    (void)nesterov;
    NOT_IMPLEMENTED();
}

void adam_step(float *p, const float *g, float *m, float *v, size_t n, size_t t, float lr,
               float beta1, float beta2, float eps, float weight_decay, bool decoupled)
{
    (void)p, (void)g, (void)m, (void)v, (void)n, (void)t, (void)lr, (void)beta1, (void)beta2;
    (void)eps, (void)weight_decay, (void)decoupled;
    NOT_IMPLEMENTED();
}
