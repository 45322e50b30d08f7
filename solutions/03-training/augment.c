/* Chapter 03 reference: data augmentation for images. */
#include "training.h"

#include <stdlib.h>
#include <string.h>

void augment_shift(float *x, size_t B, size_t H, size_t W, size_t C, int max_shift,
                   dk_rng *rng)
{
    const size_t size = H * W * C, span = 2 * (size_t)max_shift + 1;
    float *copy = malloc(size * sizeof *copy);
    if (!copy)
        return;
    for (size_t b = 0; b < B; b++) {
        long dy = (long)dk_rng_below(rng, span) - max_shift;
        long dx = (long)dk_rng_below(rng, span) - max_shift;
        float *img = x + b * size;
        memcpy(copy, img, size * sizeof *copy);
        for (long r = 0; r < (long)H; r++)
            for (long c = 0; c < (long)W; c++) {
                long sr = r - dy, sc = c - dx;
                bool inside = sr >= 0 && sr < (long)H && sc >= 0 && sc < (long)W;
                for (size_t k = 0; k < C; k++)
                    img[((size_t)r * W + (size_t)c) * C + k] =
                        inside ? copy[((size_t)sr * W + (size_t)sc) * C + k] : 0.0f;
            }
    }
    free(copy);
}

void augment_flip(float *x, size_t B, size_t H, size_t W, size_t C, float p, dk_rng *rng)
{
    for (size_t b = 0; b < B; b++) {
        if (!(dk_rng_uniform(rng) < p))
            continue;
        float *img = x + b * H * W * C;
        for (size_t r = 0; r < H; r++)
            for (size_t c = 0; c < W / 2; c++)
                for (size_t k = 0; k < C; k++) {
                    float *a = img + (r * W + c) * C + k, *z = img + (r * W + W - 1 - c) * C + k;
                    float t = *a;
                    *a = *z, *z = t;
                }
    }
}

void augment_noise(float *x, size_t n, float std, dk_rng *rng)
{
    for (size_t i = 0; i < n; i++)
        x[i] += std * dk_rng_normal(rng);
}
