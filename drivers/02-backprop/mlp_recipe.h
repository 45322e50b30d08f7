/* Chapter 02's training recipe (kit code): the MLP, the augmentation and
 * the learning-rate schedule that train.c and the grader's accuracy test
 * share. Your layers, loss, network and SGD step do the work. */
#ifndef DLKIT_MLP_RECIPE_H
#define DLKIT_MLP_RECIPE_H

#include "backprop.h"
#include "datasets.h"
#include "metrics.h"

typedef struct mlp_recipe {
    size_t depth;       /* hidden layers (ReLU) */
    size_t hidden;      /* units of each */
    size_t epochs;
    size_t batch;
    float lr_max;       /* the one-cycle schedule's peak */
    float momentum;
    int shift;          /* random shifts of up to +-shift pixels (0: none) */
} mlp_recipe;

/* The recipe graded on MNIST: 784-512-10, 16 epochs of batch 64, SGD with
 * momentum 0.9, one-cycle learning rate peaking at 0.1, +-2 pixel shifts. */
extern const mlp_recipe MLP_RECIPE_MNIST;
/* Fashion-MNIST's: 30 epochs peaking at 0.05 and no shifts (its garments
 * are centred; shifted, a 512-unit MLP underfits them). */
extern const mlp_recipe MLP_RECIPE_FASHION;

/* Trains a fresh MLP by the recipe (seeded by seed) on train and returns
 * its accuracy on test; hooks may be NULL. Returns NAN when the network
 * cannot be created. */
float mlp_recipe_train(const mlp_recipe *r, const dk_dataset *train, const dk_dataset *test,
                   uint64_t seed, const dk_train_hooks *hooks);

/* Shifts each (h, w) single-channel image of a batch by a random offset of
 * up to +-shift pixels in each direction, filling with 0. */
typedef struct shift_aug {
    size_t h, w;
    int shift;
} shift_aug;
void shift_images(float *x, size_t B, dk_rng *rng, void *shift_aug_ctx);

#endif
