/* Chapter 02: mean squared error, softmax and cross-entropy. See
 * backprop.h and README.md. Replace each NOT_IMPLEMENTED() (and the (void)
 * lines) with your code; `make grade CH=02` tells you how you are doing. */
#include "backprop.h"

#include "error.h"

#include <math.h>

float mse_loss(const float *y, const float *t, size_t B, size_t n, float *dy)
{
    (void)y, (void)t, (void)B, (void)n, (void)dy;
    NOT_IMPLEMENTED();
}

void softmax(const float *logits, size_t B, size_t C, float *p)
{
    (void)logits, (void)B, (void)C, (void)p;
    NOT_IMPLEMENTED();
}

float softmax_cross_entropy(const float *logits, const int *labels, size_t B,
                            size_t C, float *dlogits)
{
    (void)logits, (void)labels, (void)B, (void)C, (void)dlogits;
    NOT_IMPLEMENTED();
}
