/* Chapter 03's network and training recipes (kit code): an MLP whose
 * hidden layers are linear -> batch norm -> ReLU -> dropout, trained with
 * your optimizers, schedule, batch norm, dropout, initialisation,
 * augmentation and early stopping, on chapter 02's reference layers. The
 * driver (train.c), the studies (study.c) and the grader share it. */
#ifndef DLKIT_TRAINING_RECIPE_H
#define DLKIT_TRAINING_RECIPE_H

#include "datasets.h"
#include "metrics.h"
#include "training.h"

typedef enum optimizer_kind { OPT_SGD, OPT_MOMENTUM, OPT_NESTEROV, OPT_ADAM, OPT_ADAMW } optimizer_kind;

typedef enum init_kind { INIT_HE, INIT_XAVIER, INIT_NORMAL, INIT_ZEROS } init_kind;

typedef struct training_recipe {
    size_t depth, hidden;     /* hidden layers and their width */
    bool batchnorm;
    float dropout;            /* drop probability after each hidden layer (0: none) */
    init_kind init;
    float init_std;           /* for INIT_NORMAL */
    float bias_init;          /* the hidden layers' biases start here */
    optimizer_kind optimizer;
    float lr, momentum, weight_decay;
    bool cosine;              /* warm-up (one epoch) then cosine to lr/100; else constant */
    float lr_growth;          /* else, when > 0: lr * lr_growth^step (a learning-rate finder) */
    int shift;                /* random shifts of up to +-shift pixels (0: none) */
    float flip;               /* horizontal flip probability */
    float noise;              /* Gaussian noise's standard deviation */
    size_t epochs, batch;
    size_t patience;          /* early stopping on the validation loss (0: none) */
    /* Ways to break training, for the debugging exercise (debug_setup.h). */
    bool in_order;            /* visit the samples in stored order, not shuffled */
    bool sort_by_label;       /* store the training set sorted by label */
    bool shuffle_labels;      /* pair each image with another image's label */
} training_recipe;

/* The full recipe: 784-512-512-10 with batch norm and dropout 0.2, AdamW
 * (lr 2e-3, weight decay 1e-4), one epoch of warm-up then cosine, flips
 * (no shifts), 30 epochs of batch 128, early stopping patience 8. */
extern const training_recipe TRAINING_RECIPE_FULL;
/* Chapter 02's plain recipe for comparison: no batch norm, dropout or
 * augmentation, plain SGD at a constant rate. */
extern const training_recipe TRAINING_RECIPE_PLAIN;

/* Trains a fresh network by r on train, seeded by seed; val (may be NULL,
 * then early stopping is off) guides early stopping, test is scored after
 * every epoch. Returns the test scores of the parameters kept (the best
 * epoch's, with early stopping). NAN accuracy when memory runs out. */
dk_scores training_recipe_train(const training_recipe *r, const dk_dataset *train, const dk_dataset *val,
                     const dk_dataset *test, uint64_t seed, const dk_train_hooks *hooks);

#endif
