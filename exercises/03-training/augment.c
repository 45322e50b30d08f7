/* Chapter 03: data augmentation for images. See training.h and README.md.
 * Replace each NOT_IMPLEMENTED() (and the (void) lines) with your code. */
#include "training.h"

#include "error.h"

#include <stdlib.h>
#include <string.h>

void augment_shift(float *x, size_t B, size_t H, size_t W, size_t C, int max_shift,
                   dk_rng *rng)
{
    (void)x, (void)B, (void)H, (void)W, (void)C, (void)max_shift, (void)rng;
    NOT_IMPLEMENTED();
}

void augment_flip(float *x, size_t B, size_t H, size_t W, size_t C, float p, dk_rng *rng)
{
    (void)x, (void)B, (void)H, (void)W, (void)C, (void)p, (void)rng;
    NOT_IMPLEMENTED();
}

void augment_noise(float *x, size_t n, float std, dk_rng *rng)
{
    (void)x, (void)n, (void)std, (void)rng;
    NOT_IMPLEMENTED();
}
