/* Chapter 02's training recipe for the CUDA track (recipe.h). */
#include "recipe.h"

#include <math.h>
#include <stdlib.h>

const gpu_recipe GPU_RECIPE_MNIST = {.hidden = 512, .epochs = 16, .batch = 64, .lr_max = 0.1f,
                                     .momentum = 0.9f, .shift = 2, .one_cycle = true};

float gpu_one_cycle_lr(float lr_max, size_t step, size_t total)
{
    const double pi = 3.14159265358979323846;
    const double start = lr_max / 25.0, end = start / 1e4;
    const double warm = 0.3 * (double)total;
    const double t = (double)step;
    if (t < warm) /* cosine up from start to lr_max */
        return (float)(lr_max + (start - lr_max) * 0.5 * (1 + cos(pi * t / warm)));
    const double frac = (t - warm) / fmax(1.0, (double)total - warm);
    return (float)(end + (lr_max - end) * 0.5 * (1 + cos(pi * fmin(frac, 1.0))));
}

bool gpu_plan_epoch(const gpu_recipe *r, int n, bool images, size_t first_step,
                    size_t total_steps, dk_rng *rng, int *order, int *shifts, float *lr)
{
    size_t *perm = malloc((n ? (size_t)n : 1) * sizeof *perm);
    if (!perm)
        return false;
    dk_rng_permutation(rng, perm, (size_t)n);
    for (int i = 0; i < n; i++)
        order[i] = (int)perm[i];
    free(perm);
    const size_t span = 2 * (size_t)(r->shift > 0 ? r->shift : 0) + 1;
    for (int i = 0; i < n; i++) { /* batches in order: sample by sample */
        const bool draw = r->shift > 0 && images;
        shifts[2 * i] = draw ? (int)dk_rng_below(rng, span) - r->shift : 0;
        shifts[2 * i + 1] = draw ? (int)dk_rng_below(rng, span) - r->shift : 0;
    }
    const int steps = (n + r->batch - 1) / r->batch;
    for (int s = 0; s < steps; s++)
        lr[s] = r->one_cycle ? gpu_one_cycle_lr(r->lr_max, first_step + (size_t)s, total_steps)
                             : r->lr_max;
    return true;
}

void gpu_init_params(const int *sizes, int nlayers, dk_rng *rng, float *params)
{
    for (int l = 0; l < nlayers; l++) {
        const float k = 1.0f / sqrtf((float)sizes[l]);
        for (int i = 0; i < sizes[l + 1] * (sizes[l] + 1); i++)
            *params++ = dk_rng_range(rng, -k, k);
    }
}
