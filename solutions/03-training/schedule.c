/* Chapter 03 reference: learning-rate schedules. */
#include "training.h"

#include <math.h>

float lr_step_decay(float base, size_t step, size_t step_size, float gamma)
{
    return base * powf(gamma, (float)(step / step_size));
}

float lr_exponential(float base, size_t step, float gamma)
{
    return base * powf(gamma, (float)step);
}

float lr_cosine(float base, float min_lr, size_t step, size_t total)
{
    if (step >= total)
        return min_lr;
    return min_lr + (base - min_lr) * 0.5f * (1.0f + cosf((float)M_PI * (float)step / (float)total));
}

float lr_warmup_cosine(float base, float min_lr, size_t step, size_t warmup, size_t total)
{
    if (step < warmup)
        return base * (float)(step + 1) / (float)warmup;
    return lr_cosine(base, min_lr, step - warmup, total - warmup);
}
