/* Chapter 05's character-model recipe (kit code): your character model
 * (charlm.c) trained on a text read as B streams in windows of T steps
 * (truncated backpropagation through time), with your clipping and
 * chapter 03's Adam; its loss on a text; text generated with your sampler.
 * train.c and the grader share it. */
#ifndef DLKIT_CHARLM_RECIPE_H
#define DLKIT_CHARLM_RECIPE_H

#include "rnn.h"

#include <stdint.h>

typedef struct cl_recipe {
    charlm_config cfg;
    size_t steps, batch, window; /* updates; B streams; T steps a window */
    float lr, clip;              /* Adam's step; the gradient's largest norm */
    size_t eval_every;           /* steps between two validation losses */
    double max_seconds;          /* > 0: stop after the evaluation that passes it */
} cl_recipe;

/* One LSTM layer of 256 units over embeddings of 64 (349,569 parameters
 * for tiny Shakespeare's 65 characters; PyTorch's nn.LSTM has 1,024 more,
 * two biases per gate), 4,000 windows of 64 steps of 32 streams, Adam
 * 2e-3, clipping at 1. cfg.V is the text's: set it. */
extern const cl_recipe CL_RECIPE_SHAKESPEARE;

/* The short version (make train's short run, the grader's): 64 units over
 * embeddings of 16, 1,000 windows of 32 steps of 16 streams, Adam 5e-3
 * (a small model takes a larger step), on the first
 * CL_SHORT_TRAIN characters of the training text and the first
 * CL_SHORT_VAL of the validation text. */
extern const cl_recipe CL_RECIPE_SHAKESPEARE_SHORT;
enum { CL_SHORT_TRAIN = 200000, CL_SHORT_VAL = 20000 };

/* A text as tokens. */
typedef struct cl_text {
    const int *tokens;
    size_t n;
} cl_text;

/* The functions that train and sample: yours (the default), or, in the
 * grader, the reference's. */
typedef struct cl_model {
    void (*init)(const charlm_config *, float *, dk_rng *);
    void (*forward)(const charlm_config *, const float *, const int *, size_t, size_t, float *,
                    float *, float *);
    void (*backward)(const charlm_config *, const float *, const int *, size_t, size_t,
                     const float *, const float *, float *);
    float (*clip)(float *, size_t, float);
    size_t (*sample)(const float *, size_t, float, size_t, dk_rng *);
} cl_model;

extern const cl_model CL_YOURS;

/* What a driver watches (any may be NULL): after each step its loss and
 * the gradient's norm before clipping; after every eval_every steps and
 * the last, the mean training loss since the last evaluation and the
 * validation loss. */
typedef struct cl_hooks {
    void (*on_step)(size_t step, float loss, float grad_norm, void *ctx);
    void (*on_eval)(size_t step, float train_loss, float val_loss, void *ctx);
    void *ctx;
} cl_hooks;

/* Trains a fresh model by the recipe (seeded by seed) on train; returns
 * its loss on val, NAN when out of memory. *params_out (unless NULL) gets
 * the trained parameters, freed with cl_params_free. With halves, each
 * step runs the two halves of the streams side by side, each on a thread
 * of its own with OpenBLAS on one, the halves' gradients summed: only
 * where your functions run in this process (make train) and a second core
 * is there, never under the grader. */
float cl_train(const cl_recipe *r, const cl_model *m, cl_text train, cl_text val, uint64_t seed,
               const cl_hooks *hooks, float **params_out, bool halves);
void cl_params_free(float *params);

/* The mean cross-entropy per character of the model on text, read as B
 * streams in windows of T from a zero state (the tail that fills no
 * window left out); NAN when out of memory. */
float cl_loss(const cl_model *m, const charlm_config *cfg, const float *params, cl_text text,
              size_t B, size_t T);

/* n tokens generated after a prompt (np >= 1 tokens, read first), each
 * drawn by the model's sampler; returns how many were written (n, or 0
 * when out of memory). */
size_t cl_generate(const cl_model *m, const charlm_config *cfg, const float *params,
                   const int *prompt, size_t np, float temperature, size_t top_k, dk_rng *rng,
                   int *out, size_t n);

#endif
