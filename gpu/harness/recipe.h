/* Chapter 02's training recipe for the CUDA track's trainer (trainer.h):
 * what one epoch draws from the kit's RNG, the learning rate, the first
 * parameters. Plain C11 (and C++), so that make check can hold it against
 * chapter 02's own (exercises/02-backprop/mlp_recipe.c) and
 * mlp_create: gpu/tests/cpu_refs.c checks that they draw the same
 * numbers, in the same order, bit for bit. */
#ifndef DLKIT_GPU_RECIPE_H
#define DLKIT_GPU_RECIPE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "rng.h" /* C, with no extern "C" of its own */

/* One hidden layer of ReLU units, SGD with momentum, the one-cycle rate
 * (or the constant lr_max), random shifts of up to +-shift pixels. */
typedef struct gpu_recipe {
    int hidden, epochs, batch;
    float lr_max, momentum;
    int shift;
    bool one_cycle;
} gpu_recipe;

/* Chapter 02's MLP_RECIPE_MNIST: 784-512-10, 16 epochs of batch 64, momentum
 * 0.9, the one-cycle rate peaking at 0.1, +-2 pixel shifts. */
extern const gpu_recipe GPU_RECIPE_MNIST;

/* What chapter 02's mlp_train_epoch draws for one epoch of n samples, in
 * its order: the permutation order (n,), then each sample's shift
 * (dy, dx) in shifts (2n,), batch by batch (zeros without shifts, or when
 * the samples are not images); and each step's rate in lr (one per batch).
 * first_step counts the steps of the earlier epochs. False when out of
 * memory. */
bool gpu_plan_epoch(const gpu_recipe *r, int n, bool images, size_t first_step,
                    size_t total_steps, dk_rng *rng, int *order, int *shifts, float *lr);

/* The parameters of a fresh MLP of sizes[0..nlayers], chapter 02's
 * mlp_create: W_l and b_l uniform in [-k, k], k = 1/sqrt(sizes[l]), in the
 * order of the layout. */
void gpu_init_params(const int *sizes, int nlayers, dk_rng *rng, float *params);

/* Pixel `pixel` of an h x w image shifted by (dy, dx), zeros filling in
 * (chapter 02's shift_images), for the host and the GPU alike. */
#ifdef __CUDACC__
__host__ __device__
#endif
static inline float gpu_shifted_pixel(const float *image, int h, int w, int dy, int dx, int pixel)
{
    const int r = pixel / w - dy, c = pixel % w - dx;
    return r >= 0 && r < h && c >= 0 && c < w ? image[r * w + c] : 0.0f;
}

#ifdef __cplusplus
}
#endif

#endif
