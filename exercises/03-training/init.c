/* Chapter 03: weight initialisation. See training.h and README.md.
 * Replace each NOT_IMPLEMENTED() (and the (void) lines) with your code. */
#include "training.h"

#include "error.h"

#include <math.h>

void init_zeros(float *W, size_t fan_in, size_t fan_out)
{
    (void)W, (void)fan_in, (void)fan_out;
    NOT_IMPLEMENTED();
}

void init_normal(float *W, size_t fan_in, size_t fan_out, float std, dk_rng *rng)
{
    (void)W, (void)fan_in, (void)fan_out, (void)std, (void)rng;
    NOT_IMPLEMENTED();
}

void init_xavier(float *W, size_t fan_in, size_t fan_out, dk_rng *rng)
{
    (void)W, (void)fan_in, (void)fan_out, (void)rng;
    NOT_IMPLEMENTED();
}

void init_he(float *W, size_t fan_in, size_t fan_out, dk_rng *rng)
{
    (void)W, (void)fan_in, (void)fan_out, (void)rng;
    NOT_IMPLEMENTED();
}
