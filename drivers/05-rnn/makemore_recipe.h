/* Chapter 05's makemore recipe (kit code): the MLP language model trained
 * by minibatch SGD on the names' training split, and its loss on a split,
 * which train.c and the grader share. Your embedding, forward and backward
 * passes do the work; the loss and the step are the kit's. */
#ifndef DLKIT_MAKEMORE_RECIPE_H
#define DLKIT_MAKEMORE_RECIPE_H

#include "names.h"
#include "rnn.h"

#include <stdint.h>

typedef struct mm_recipe {
    lm_config cfg;
    size_t steps, batch;
    float lr;             /* for the first decay_at steps */
    size_t decay_at;
    float lr_after;       /* for the rest */
    size_t eval_every;    /* steps between two losses on the dev split */
} mm_recipe;

/* Karpathy's makemore part 2 and 3 model: context 3, embeddings of 10,
 * 200 tanh units; 200,000 steps of 32 examples, lr 0.1 then 0.01 from step
 * 100,000. Without and with batch norm. */
extern const mm_recipe MM_RECIPE_MLP;
extern const mm_recipe MM_RECIPE_BATCHNORM;

/* The examples of each split for a context (names_examples). */
typedef struct mm_data {
    size_t context;
    int *X[NAMES_SPLITS], *y[NAMES_SPLITS];
    size_t n[NAMES_SPLITS];
} mm_data;

bool mm_data_make(mm_data *d, const names_split *s, size_t context, dk_err *err);
void mm_data_free(mm_data *d);

/* The functions that train: yours (the default), or, in the grader, the
 * reference's, to compare runs step for step. */
typedef struct mm_model {
    void (*init)(const lm_config *, float *, dk_rng *);
    void (*forward)(const lm_config *, const float *, float *, const int *, size_t, bool,
                    float *, float *);
    void (*backward)(const lm_config *, const float *, const int *, size_t, const float *,
                     const float *, float *);
} mm_model;

extern const mm_model MM_YOURS;

/* What a driver watches (any may be NULL): after each step its loss; after
 * every eval_every steps and the last, the mean training loss since the
 * previous evaluation and the dev loss. */
typedef struct mm_hooks {
    void (*on_step)(size_t step, float loss, void *ctx);
    void (*on_eval)(size_t step, float train_loss, float dev_loss, void *ctx);
    void *ctx;
} mm_hooks;

/* A trained model: its parameters and batch norm's running statistics. */
typedef struct mm_trained {
    lm_config cfg;
    float *params, *running;
} mm_trained;

/* Trains a fresh model by the recipe (seeded by seed); returns its loss on
 * the dev split, NAN when out of memory. out (may be NULL) keeps the model,
 * freed by mm_trained_free. */
float mm_train(const mm_recipe *r, const mm_model *m, const mm_data *d, uint64_t seed,
               const mm_hooks *hooks, mm_trained *out);
void mm_trained_free(mm_trained *t);

/* The mean cross-entropy of a model on n examples (evaluation mode). */
float mm_loss(const mm_model *m, const lm_config *cfg, const float *params, float *running,
              const int *X, const int *y, size_t n);

/* One name sampled from a trained model: as bigram_sample, from the
 * model's softmax over the last context tokens. Returns its length. */
size_t mm_sample(const mm_model *m, const mm_trained *t, dk_rng *rng, int *out,
                 size_t max_len);

#endif
