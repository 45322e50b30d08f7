/* Chapter 05's sentiment recipe (kit code): your sentiment model
 * (sentiment.c) trained on the movie reviews' training split with chapter
 * 03's Adam and your clipping, early stopping on the validation split; and
 * the baseline it is measured against, a bag-of-words logistic regression
 * (kit code here). train.c and the grader share it. */
#ifndef DLKIT_SENTIMENT_RECIPE_H
#define DLKIT_SENTIMENT_RECIPE_H

#include "reviews.h"
#include "rnn.h"

#include <stdint.h>

typedef struct st_recipe {
    sent_config cfg;   /* cfg.V is the vocabulary's: set it */
    size_t epochs, batch;
    float lr, clip;
    size_t patience;   /* epochs without a better validation accuracy before stopping */
} st_recipe;

/* Embeddings of 64, an LSTM of 128 units, batches of 32, Adam 2e-3,
 * clipping at 5, up to 8 epochs, stopping after 2 without progress. */
extern const st_recipe ST_RECIPE_LSTM;
/* The grader's short run: embeddings of 32, 64 units, Adam 5e-3, 3
 * epochs. */
extern const st_recipe ST_RECIPE_SHORT;

/* The functions that train: yours (the default), or the reference's. */
typedef struct st_model {
    void (*init)(const sent_config *, float *, dk_rng *);
    void (*forward)(const sent_config *, const float *, const int *, const size_t *, size_t,
                    size_t, float *, float *);
    void (*backward)(const sent_config *, const float *, const int *, const size_t *, size_t,
                     size_t, const float *, const float *, float *);
    float (*clip)(float *, size_t, float);
} st_model;

extern const st_model ST_YOURS;

/* After each epoch: the mean training loss during the epoch, the accuracy
 * on the training split after it, the validation accuracy and loss. */
typedef struct st_hooks {
    void (*on_epoch)(size_t epoch, float train_loss, float train_acc, float val_acc,
                     float val_loss, void *ctx);
    void *ctx;
} st_hooks;

/* What a run reached: the epoch of the best validation accuracy, its
 * validation and test accuracies (of the parameters kept from that epoch). */
typedef struct st_result {
    size_t best_epoch, epochs_run;
    float val_acc, test_acc;
} st_result;

/* Trains a fresh model by the recipe (seeded by seed); false when out of
 * memory. */
bool st_train(const st_recipe *r, const st_model *m, const reviews *d, uint64_t seed,
              const st_hooks *hooks, st_result *out);

/* The bag-of-words baseline: logistic regression on which words of the
 * vocabulary a sentence holds, Adam 5e-3, batches of 32, up to 20 epochs
 * with the same early stopping. */
bool st_bag_of_words(const reviews *d, uint64_t seed, const st_hooks *hooks, st_result *out);

#endif
