/* Chapter 07's GAN recipe (kit code): the networks' sizes, the training
 * loop and the sampling that make train, the bench and the grader's short
 * run share. Your gan_step does the work. */
#ifndef DLKIT_GAN_RECIPE_H
#define DLKIT_GAN_RECIPE_H

#include "datasets.h"
#include "generative.h"

#include <stdint.h>

typedef struct gan_recipe {
    gan_config cfg;   /* D comes from the data */
    size_t epochs;
    size_t batch;     /* real images and fakes alike; an epoch's last, short batch is skipped */
    float lr;         /* both players' Adam, constant (GAN_BETA1, GAN_BETA2) */
    size_t subset;    /* train on the first `subset` images only (0: all) */
} gan_recipe;

/* make train: noise of 64, widths 256 and 512, batches of 64, Adam 2e-4,
 * on the 7,996 training digits. */
extern const gan_recipe GAN_RECIPE;
/* The grader's short run: smaller networks, fewer epochs. */
extern const gan_recipe GAN_RECIPE_SHORT;

/* Both networks by dense_init, layer by layer, the generator first. */
void gan_init(const gan_config *cfg, float *G, float *D, dk_rng *rng);

/* gan_generator_forward's type: sampling takes the reference's in the
 * grader, yours elsewhere. */
typedef void gan_generator_fn(const gan_config *cfg, const float *params, const float *z,
                              size_t B, float *acts, float *images);

/* n samples (n, D) of the generator G, pixels mapped from [-1, 1] to [0,
 * 1], from noise drawn from seed. false when out of memory. */
bool gan_sample(const gan_config *cfg, const float *G, size_t n, uint64_t seed,
                gan_generator_fn *generator, float *images);

/* What make train watches after each epoch (may be NULL): the mean
 * losses of the epoch's steps. */
typedef struct gan_hooks {
    void (*on_epoch)(size_t epoch, float d_loss, float g_loss, double seconds, const float *G,
                     void *ctx);
    void *ctx;
} gan_hooks;

/* Trains fresh networks by the recipe (init, batches and noise seeded by
 * seed) on train's images. *G_out (unless NULL) gets the generator's
 * parameters, for free(). false when out of memory. */
bool gan_train(const gan_recipe *r, const dk_dataset *train, uint64_t seed,
               const gan_hooks *hooks, float **G_out);

#endif
