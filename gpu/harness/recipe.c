/* Chapter 02's training recipe for the CUDA track (recipe.h). */
#include "recipe.h"

#include "schedule.h"

#include <math.h>
#include <stdlib.h>

const gpu_recipe GPU_RECIPE_MNIST = {.hidden = 512, .epochs = 16, .batch = 64, .lr_max = 0.1f,
                                     .momentum = 0.9f, .shift = 2, .one_cycle = true};

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
        lr[s] = r->one_cycle ? dk_one_cycle_lr(r->lr_max, first_step + (size_t)s, total_steps)
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
