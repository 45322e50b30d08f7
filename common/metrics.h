/* Scores the kit's drivers compute from a model's outputs, and how a
 * recipe reports them to the driver that runs it (kit code: a student's
 * own evaluation, chapter 02's mlp_evaluate, writes its own). */
#ifndef DLKIT_METRICS_H
#define DLKIT_METRICS_H

#include <stddef.h>

/* A loss and an accuracy on one data set (NAN where not measured). */
typedef struct dk_scores {
    float loss, acc;
} dk_scores;

/* What a training recipe reports after each epoch: the mean training loss
 * while training, the scores in evaluation mode of up to 10,000 training
 * samples, of the validation set and of the test set (NAN where the recipe
 * does not measure them), the epoch's last learning rate, and the network
 * (the recipe's type: mlp, lenet...). */
typedef struct dk_epoch_report {
    size_t epoch;
    float train_loss;
    dk_scores train, val, test;
    float lr;
    const void *model;
} dk_epoch_report;

/* What a driver watches while a recipe trains (any may be NULL): on_step
 * after every step, with the samples of the epoch done so far and the
 * step's loss (NAN where the recipe does not see it); on_epoch after every
 * epoch. */
typedef struct dk_train_hooks {
    void (*on_step)(size_t done, float loss, void *ctx);
    void (*on_epoch)(const dk_epoch_report *report, void *ctx);
    void *ctx;
} dk_train_hooks;

/* For each of the B rows of logits (B, C): the predicted class, the first
 * largest logit (pred[i], unless pred is NULL). Returns how many
 * predictions equal labels (B,). */
size_t dk_count_correct(const float *logits, size_t B, size_t C, const int *labels, int *pred);

#endif
