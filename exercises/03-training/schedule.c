/* Chapter 03: learning-rate schedules. See training.h and README.md.
 * Replace each NOT_IMPLEMENTED() (and the (void) lines) with your code. */
#include "training.h"

#include "error.h"

#include <math.h>

float lr_step_decay(float base, size_t step, size_t step_size, float gamma)
{
    (void)base, (void)step, (void)step_size, (void)gamma;
    NOT_IMPLEMENTED();
}

float lr_exponential(float base, size_t step, float gamma)
{
    (void)base, (void)step, (void)gamma;
    NOT_IMPLEMENTED();
}

float lr_cosine(float base, float min_lr, size_t step, size_t total)
{
    (void)base, (void)min_lr, (void)step, (void)total;
    NOT_IMPLEMENTED();
}

float lr_warmup_cosine(float base, float min_lr, size_t step, size_t warmup, size_t total)
{
    (void)base, (void)min_lr, (void)step, (void)warmup, (void)total;
    NOT_IMPLEMENTED();
}
