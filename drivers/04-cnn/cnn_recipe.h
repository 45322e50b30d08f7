/* Chapter 04's training recipe (kit code): the network's widths, the
 * training loop, SGD with momentum, the one-cycle schedule and the
 * augmentation that train.c, study.c and the grader's accuracy test share.
 * Your layers and network do the work; the loss is chapter 02's
 * softmax_cross_entropy, the momentum step chapter 03's momentum_step. */
#ifndef DLKIT_CNN_RECIPE_H
#define DLKIT_CNN_RECIPE_H

#include "cnn.h"
#include "datasets.h"
#include "metrics.h"

typedef struct cnn_recipe {
    size_t c1, c2, hidden; /* the network's widths (lenet_config) */
    size_t epochs;
    size_t batch;
    size_t subset;         /* train on the first `subset` images only (0: all) */
    float lr_max;          /* the one-cycle schedule's peak */
    float momentum;
    float weight_decay;    /* L2, added to every gradient: g += wd * p */
    bool flip;             /* random horizontal flips */
    int shift;             /* random shifts of up to +-shift pixels (0: none) */
} cnn_recipe;

/* Fashion-MNIST, `make train CH=04`: 16/32 filters, 128 hidden units, 12
 * epochs of batch 64 on the 60,000 images, momentum 0.9, one-cycle peaking
 * at 0.05, weight decay 5e-4, no augmentation (flips did not help). */
extern const cnn_recipe CNN_RECIPE_FASHION;
/* The grader's shorter run: the same network, 3 epochs on the first
 * 10,000 training images. */
extern const cnn_recipe CNN_RECIPE_GRADED;
/* CIFAR-10, `make train CH=04 DATA=cifar10`: 64/128 filters, 256 hidden
 * units, 30 epochs, random flips and shifts of up to 4 pixels. */
extern const cnn_recipe CNN_RECIPE_CIFAR10;

/* The recipe of a data set by name ("fashion-mnist", "cifar10"), or NULL. */
const cnn_recipe *cnn_recipe_for(const char *dataset);

/* The network a recipe trains on a data set's images. */
lenet_config cnn_recipe_network(const cnn_recipe *r, const dk_dataset *data);

/* Trains a fresh network by the recipe (seeded by seed) on train and
 * returns its accuracy on test; hooks may be NULL, halves as in
 * cnn_training. NAN when the network
 * cannot be created (images too small, out of memory). */
float cnn_recipe_train(const cnn_recipe *r, const dk_dataset *train, const dk_dataset *test,
                       uint64_t seed, const dk_train_hooks *hooks, bool halves);

/* The accuracy of net on X (n, H, W, C) against y (n,), in batches: the
 * fraction whose largest logit (the first, on ties) is at the label.
 * *loss (unless NULL) gets the mean cross-entropy, pred[i] (unless pred is
 * NULL) sample i's predicted class. NAN when out of memory. */
float cnn_evaluate(const lenet *net, const float *X, const int *y, size_t n, float *loss,
                   int *pred);

/* One training run's state, from epoch to epoch. */
typedef struct cnn_training {
    const cnn_recipe *recipe;  /* batch, momentum, weight decay, augmentation */
    /* the learning rate of step `step`, counted from 0 over the whole run */
    float (*lr_at)(size_t step, void *ctx);
    void *lr_ctx;
    float *velocity;           /* the momentum: nparams floats, zero at first */
    size_t step;               /* steps taken so far */
    const dk_train_hooks *hooks;    /* its on_step is called (may be NULL) */
    /* each batch in two halves side by side, on two threads (OpenBLAS on
     * one inside): only where your functions run in this process (make
     * train, make study) and a second core is there, never under the
     * grader */
    bool halves;
} cnn_training;

/* One epoch over X (n, H, W, C) with labels y (n,), in the order of
 * dk_rng_permutation(rng, order, n), batch by batch: copy the images,
 * augment the copy (flips and shifts, with rng), zero the gradients,
 * forward, softmax_cross_entropy, backward (with halves: each half's
 * forward and backward on a thread of its own, the loss over the whole
 * batch, the halves' gradients summed), chapter 03's momentum_step
 * (weight decay coupled, not Nesterov) with lr_at(step),
 * ++step. The mean training loss; NAN when out of memory. */
float cnn_train_epoch(lenet *net, const float *X, const int *y, size_t n, cnn_training *t,
                      dk_rng *rng);

#endif
