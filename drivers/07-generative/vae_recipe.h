/* Chapter 07's VAE recipe (kit code): the models' sizes, the training loop
 * and the evaluation that make train, the bench and the grader's short run
 * share. Your vae_forward and vae_backward do the work; the step is
 * chapter 03's adam_step. */
#ifndef DLKIT_VAE_RECIPE_H
#define DLKIT_VAE_RECIPE_H

#include "datasets.h"
#include "generative.h"

#include <stdint.h>

typedef struct vae_recipe {
    vae_config cfg;   /* D comes from the data */
    size_t epochs;
    size_t batch;     /* the last batch of an epoch may be short */
    float lr;         /* Adam's, constant; betas 0.9 and 0.999 */
    size_t subset;    /* train on the first `subset` images only (0: all) */
} vae_recipe;

/* PyTorch's example VAE (pytorch/examples, vae/main.py): 784-400-20, Adam
 * 1e-3, batches of 128; 40 epochs of the 7,996 training digits. */
extern const vae_recipe VAE_RECIPE;
/* The same with a 2-D latent space, for the pictures: 25 epochs. */
extern const vae_recipe VAE_RECIPE_2D;
/* The grader's short run: 784-200-10, 3 epochs of 2,000 digits. */
extern const vae_recipe VAE_RECIPE_SHORT;

/* PyTorch's nn.Linear default: W (out, in) and then b (out) uniform in
 * +-1/sqrt(in), dk_rng_range in that order. */
void dense_init(float *W, float *b, size_t in, size_t out, dk_rng *rng);

/* Every layer of the VAE by dense_init, in layout order. */
void vae_init(const vae_config *cfg, float *params, dk_rng *rng);

/* vae_forward's type: the evaluation takes the reference's in the grader,
 * yours elsewhere. */
typedef void vae_forward_fn(const vae_config *cfg, const float *params, const float *X, size_t B,
                            const float *eps, float *acts, float *terms);

/* The negative ELBO per image of X (n, D) in nats, and its two terms per
 * image (terms, unless NULL): reconstruction, KL. The noise comes from
 * seed, the same for every model. NAN when out of memory. */
float vae_evaluate(const vae_config *cfg, const float *params, const float *X, size_t n,
                   vae_forward_fn *forward, float *terms);

/* What make train watches after each epoch (may be NULL). */
typedef struct vae_hooks {
    void (*on_epoch)(size_t epoch, float train_nelbo, float test_nelbo, double seconds,
                     const float *params, void *ctx);
    void *ctx;
} vae_hooks;

/* Trains a fresh VAE by the recipe (init and batches seeded by seed) on
 * train; returns its negative ELBO per test image. *params_out (unless
 * NULL) gets the trained parameters, for free(). NAN when out of memory.
 * With halves, each batch runs as two halves side by side, each on a
 * thread of its own with OpenBLAS on one: only where your functions run
 * in this process (make train) and a second core is there, never under
 * the grader. */
float vae_train(const vae_recipe *r, const dk_dataset *train, const dk_dataset *test,
                uint64_t seed, const vae_hooks *hooks, float **params_out, bool halves);

#endif
