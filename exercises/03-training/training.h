/* Chapter 03, training deep networks: the contract between your code and
 * the kit.
 *
 * You write the functions declared here, in optim.c, schedule.c, dropout.c,
 * batchnorm.c, init.c, earlystop.c, augment.c and search.c, and you debug
 * five broken training set-ups in debug/ (see README.md). The files you
 * hand in are listed in MANIFEST. Chapter 02's layers, losses and network
 * (backprop.h) are there to use: they come from its reference solution.
 *
 * Conventions as in chapter 02: float arrays, row-major, shapes in the
 * comments, the caller allocates everything (an optimizer's state too),
 * gradients accumulate (+=), randomness comes from the dk_rng passed in,
 * drawn in the order each comment gives so that runs replay exactly. */
#ifndef DLKIT_TRAINING_H
#define DLKIT_TRAINING_H

#include "rng.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- Optimizers (optim.c) ------------------------------------------------ */

/* Each updates n parameters p from their gradients g, in place, in
 * PyTorch's conventions. weight_decay adds weight_decay * p to the gradient
 * first (L2 regularisation coupled to the gradient) unless said otherwise.
 * The state arrays (n floats each) belong to the caller, who zeroes them
 * before the first step and passes the same ones to every step. */

/* Plain SGD: p -= lr * (g + weight_decay * p). */
void sgd_step(float *p, const float *g, size_t n, float lr, float weight_decay);

/* SGD with momentum, with g' = g + weight_decay * p:
 *   v = momentum * v + g'
 *   p -= lr * v                      (classic)
 *   p -= lr * (g' + momentum * v)    (nesterov: looks one step ahead) */
void momentum_step(float *p, const float *g, float *v, size_t n, float lr, float momentum,
                   float weight_decay, bool nesterov);

/* Adam, for step t = 1, 2, ... (t counts this call):
 *   m = beta1 m + (1 - beta1) g'          v = beta2 v + (1 - beta2) g'^2
 *   m^ = m / (1 - beta1^t)                v^ = v / (1 - beta2^t)
 *   p -= lr * m^ / (sqrt(v^) + eps)
 * with g' = g + weight_decay * p. With decoupled (AdamW), g' = g and the
 * decay acts on the weights directly, first: p -= lr * weight_decay * p. */
void adam_step(float *p, const float *g, float *m, float *v, size_t n, size_t t, float lr,
               float beta1, float beta2, float eps, float weight_decay, bool decoupled);

/* ---- Learning-rate schedules (schedule.c) --------------------------------- */

/* The learning rate of step `step` (from 0) starting from base. */

/* base * gamma^(step / step_size), the division rounding down. */
float lr_step_decay(float base, size_t step, size_t step_size, float gamma);
/* base * gamma^step. */
float lr_exponential(float base, size_t step, float gamma);
/* Cosine from base down to min_lr over total steps, PyTorch's
 * CosineAnnealingLR: min_lr + (base - min_lr) (1 + cos(pi step / total)) / 2,
 * and min_lr from step total on. */
float lr_cosine(float base, float min_lr, size_t step, size_t total);
/* Linear warm-up, base * (step + 1) / warmup for the first warmup steps,
 * then the cosine above over the remaining total - warmup steps (its
 * step counted from the end of the warm-up). */
float lr_warmup_cosine(float base, float min_lr, size_t step, size_t warmup, size_t total);

/* ---- Dropout (dropout.c) -------------------------------------------------- */

/* Inverted dropout over n values with drop probability p in [0, 1).
 * Training: for each i in order, element i is dropped when
 * dk_rng_uniform(rng) < p: mask[i] = 0; else kept: mask[i] = 1 / (1 - p);
 * y = x * mask. Evaluation (training false): y = x, and neither mask nor
 * rng is touched. */
void dropout_forward(const float *x, size_t n, float p, bool training, dk_rng *rng,
                     float *mask, float *y);
/* dx = dy * mask (the mask of the forward pass in training). */
void dropout_backward(const float *dy, const float *mask, size_t n, float *dx);

/* ---- Batch normalisation for dense layers (batchnorm.c) ------------------- */

/* x is (B, C): each of the C features is normalised over the batch, then
 * scaled and shifted: y = gamma * (x - mean) * invstd + beta, with
 * invstd = 1 / sqrt(var + eps), var the biased batch variance (divided by
 * B). Training: mean (C,) and invstd (C,) are written for the backward
 * pass, and the running statistics move towards the batch's, PyTorch's
 * way: running = (1 - momentum) running + momentum * batch, where the
 * variance that enters running_var is the UNBIASED one (divided by B - 1).
 * running_mean and running_var may be NULL: they are then left alone (a
 * gradient check must not move them). B >= 2. */
void batchnorm_forward_train(const float *x, size_t B, size_t C, const float *gamma,
                             const float *beta, float eps, float momentum,
                             float *running_mean, float *running_var, float *mean,
                             float *invstd, float *y);
/* Evaluation: the running statistics stand in for the batch's. */
void batchnorm_forward_eval(const float *x, size_t B, size_t C, const float *gamma,
                            const float *beta, float eps, const float *running_mean,
                            const float *running_var, float *y);
/* Backward of batchnorm_forward_train from dy (B, C), with its mean and
 * invstd: dx (B, C) overwritten; dgamma (C,) and dbeta (C,) accumulated. */
void batchnorm_backward(const float *dy, const float *x, size_t B, size_t C,
                        const float *gamma, const float *mean, const float *invstd,
                        float *dx, float *dgamma, float *dbeta);

/* ---- Initialisation (init.c) ------------------------------------------------ */

/* A weight matrix W (fan_out, fan_in), fan_in inputs and fan_out outputs:
 * each fills its fan_out * fan_in values in order. */
void init_zeros(float *W, size_t fan_in, size_t fan_out);
/* Normal with mean 0 and the given standard deviation: std * dk_rng_normal. */
void init_normal(float *W, size_t fan_in, size_t fan_out, float std, dk_rng *rng);
/* Xavier/Glorot uniform: dk_rng_range(rng, -a, a), a = sqrt(6 / (fan_in + fan_out)). */
void init_xavier(float *W, size_t fan_in, size_t fan_out, dk_rng *rng);
/* He/Kaiming normal for ReLU: standard deviation sqrt(2 / fan_in). */
void init_he(float *W, size_t fan_in, size_t fan_out, dk_rng *rng);

/* ---- Early stopping (earlystop.c) ---------------------------------------- */

typedef struct early_stopping {
    size_t patience;    /* epochs without improvement before stopping */
    size_t n;           /* parameters */
    float *best_params; /* n floats, the caller's: the parameters at the best epoch */
    float best_loss;    /* the best validation loss so far */
    size_t best_epoch;  /* when (0: none yet) */
    size_t bad_epochs;  /* epochs since it */
} early_stopping;

/* Starts watching n parameters; best_params is the caller's buffer. */
void early_stopping_init(early_stopping *es, size_t patience, float *best_params, size_t n);
/* After epoch `epoch` (from 1) with validation loss val_loss: a loss
 * strictly below the best so far becomes the best (and params are copied
 * into best_params); otherwise the epoch is a bad one. Returns true when
 * training should stop: patience bad epochs in a row. */
bool early_stopping_update(early_stopping *es, size_t epoch, float val_loss,
                           const float *params);
/* Copies the best epoch's parameters back into params. */
void early_stopping_restore(const early_stopping *es, float *params);

/* ---- Augmentation (augment.c) ---------------------------------------------- */

/* B images (B, H, W, C), NHWC, changed in place; labels never change. */

/* Moves each image by dy rows and dx columns, drawn dy first, then dx,
 * each as dk_rng_below(rng, 2 * max_shift + 1) - max_shift; pixels moved
 * in from outside are 0. (A random crop of the image zero-padded by
 * max_shift.) Pixel (r, c) comes from (r - dy, c - dx). */
void augment_shift(float *x, size_t B, size_t H, size_t W, size_t C, int max_shift,
                   dk_rng *rng);
/* Mirrors each image left to right when dk_rng_uniform(rng) < p, one draw
 * per image. */
void augment_flip(float *x, size_t B, size_t H, size_t W, size_t C, float p, dk_rng *rng);
/* Adds std * dk_rng_normal(rng) to each of the n values, in order. */
void augment_noise(float *x, size_t n, float std, dk_rng *rng);

/* ---- Hyperparameter search (search.c) ---------------------------------------- */

/* Trains and scores one configuration: higher is better. */
typedef float (*score_fn)(float lr, float weight_decay, void *ctx);

/* Scores every pair of nl learning rates and nw weight decays, lrs outer,
 * weight decays inner: scores[i * nw + j] = score(lrs[i], wds[j], ctx).
 * Returns the index i * nw + j of the best (the first, on ties). */
size_t grid_search(const float *lrs, size_t nl, const float *wds, size_t nw, score_fn score,
                   void *ctx, float *scores);

#endif
