/* Chapter 06's GPT recipe (kit code): your GPT trained on a text in
 * random windows, with a warm-up and cosine schedule (chapter 03's
 * lr_warmup_cosine), clipping by global norm (chapter 05's) and your AdamW
 * step; its loss on held-out text; text generated with your key/value
 * cache and chapter 05's sampler. train.c, the study and the grader share
 * it. */
#ifndef DLKIT_GPT_RECIPE_H
#define DLKIT_GPT_RECIPE_H

#include "attention.h"

#include <stdint.h>

typedef struct gpt_recipe {
    gpt_config cfg;          /* cfg.V is the text's: set it */
    size_t steps, batch;     /* updates; windows of cfg.T + 1 tokens a batch */
    float lr, min_lr;        /* the schedule's peak and floor */
    size_t warmup;           /* steps of the linear warm-up */
    float weight_decay, clip;
    size_t eval_every;       /* steps between two validation losses */
    size_t eval_windows;     /* held-out windows per evaluation */
    double max_seconds;      /* > 0: stop after the evaluation that passes it */
} gpt_recipe;

/* nanoGPT's CPU model for tiny Shakespeare: 4 layers of 4 heads, 128
 * features, a context of 64 (818,176 parameters for 65 characters), batches
 * of 12 windows, AdamW 1e-3 (weight decay 0.1), 100 steps of warm-up,
 * cosine to 1e-4, clipping at 1. */
extern const gpt_recipe GPT_RECIPE_SHAKESPEARE;

/* The short version (make train's short run, the grader's): 2 layers of 2
 * heads, 32 features, a context of 32, on the first GPT_SHORT_TRAIN
 * characters of the training text and the first GPT_SHORT_VAL of the
 * validation text. */
extern const gpt_recipe GPT_RECIPE_SHORT;
enum { GPT_SHORT_TRAIN = 200000, GPT_SHORT_VAL = 20000 };

/* A text as tokens. */
typedef struct gpt_text {
    const int *tokens;
    size_t n;
} gpt_text;

/* on_step (unless NULL), after every step: its loss and its gradient's
 * norm before clipping. on_eval, after every eval_every steps and the
 * last: the mean training loss since the last evaluation, the validation
 * loss, the seconds since the start. */
typedef struct gpt_hooks {
    void (*on_step)(size_t step, float loss, float grad_norm, void *ctx);
    void (*on_eval)(size_t step, float train_loss, float val_loss, double seconds, void *ctx);
    void *ctx;
} gpt_hooks;

/* Trains a fresh model by the recipe (gpt_init seeded by seed, the
 * batches drawn from seed too) on train; returns its loss on val (NAN when
 * out of memory). *params_out (unless NULL) gets the trained parameters,
 * for free(). With halves, each batch runs as two halves side by side,
 * each on a thread of its own with OpenBLAS on one: only where your
 * functions run in this process (make train) and a second core is there,
 * never under the grader. */
float gpt_train(const gpt_recipe *r, gpt_text train, gpt_text val, uint64_t seed,
                const gpt_hooks *hooks, float **params_out, bool halves);

/* n tokens generated after a prompt (1 <= np tokens, read first; np + n
 * <= cfg->T), each drawn by chapter 05's sample_logits. */
void gpt_generate(const gpt_config *cfg, const float *params, const int *prompt, size_t np,
                  size_t n, float temperature, size_t top_k, dk_rng *rng, int *out);

#endif
