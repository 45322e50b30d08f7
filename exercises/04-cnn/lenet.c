/* Chapter 04: a LeNet-style network from your layers and chapter 02's
 * linear layer and ReLU. See cnn.h and README.md. Replace each
 * NOT_IMPLEMENTED() (and the (void) lines) with your code; `make grade
 * CH=04` tells you how you are doing. */
#include "cnn.h"

#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

lenet_shapes lenet_shapes_of(const lenet_config *cfg, size_t B)
{
    (void)cfg, (void)B;
    NOT_IMPLEMENTED();
}

bool lenet_create(lenet *net, const lenet_config *cfg, dk_rng *rng)
{
    (void)net, (void)cfg, (void)rng;
    NOT_IMPLEMENTED();
}

void lenet_free(lenet *net)
{
    (void)net;
    NOT_IMPLEMENTED();
}

void lenet_zero_grad(lenet *net)
{
    (void)net;
    NOT_IMPLEMENTED();
}

size_t lenet_acts_size(const lenet *net, size_t B)
{
    (void)net, (void)B;
    NOT_IMPLEMENTED();
}

lenet_acts lenet_acts_in(const lenet *net, size_t B, float *buf)
{
    (void)net, (void)B, (void)buf;
    NOT_IMPLEMENTED();
}

void lenet_forward(const lenet *net, const float *x, size_t B, float *acts, float *logits)
{
    (void)net, (void)x, (void)B, (void)acts, (void)logits;
    NOT_IMPLEMENTED();
}

void lenet_backward(lenet *net, size_t B, const float *acts, const float *dlogits,
                    float *dacts)
{
    (void)net, (void)B, (void)acts, (void)dlogits, (void)dacts;
    NOT_IMPLEMENTED();
}
