/* Chapter 03 reference: weight initialisation. */
#include "training.h"

#include <math.h>
#include <string.h>

void init_zeros(float *W, size_t fan_in, size_t fan_out)
{
    memset(W, 0, fan_in * fan_out * sizeof *W);
}

void init_normal(float *W, size_t fan_in, size_t fan_out, float std, dk_rng *rng)
{
    for (size_t i = 0; i < fan_in * fan_out; i++)
        W[i] = std * dk_rng_normal(rng);
}

/* Keeps the variance of activations and of gradients about equal across
 * layers for symmetric activations (tanh): Var(W) = 2 / (fan_in + fan_out). */
void init_xavier(float *W, size_t fan_in, size_t fan_out, dk_rng *rng)
{
    float a = sqrtf(6.0f / (float)(fan_in + fan_out));
    for (size_t i = 0; i < fan_in * fan_out; i++)
        W[i] = dk_rng_range(rng, -a, a);
}

/* ReLU zeroes half its inputs, halving the variance: Var(W) = 2 / fan_in
 * makes up for it. */
void init_he(float *W, size_t fan_in, size_t fan_out, dk_rng *rng)
{
    init_normal(W, fan_in, fan_out, sqrtf(2.0f / (float)fan_in), rng);
}
