/* Chapter 06's first task (kit code): look back. A sequence of random
 * tokens; at each position t >= LB_LAG the model must name the token LB_LAG
 * positions earlier. No token says where that is: only attention with
 * positions can find it, so the attention maps show what was learnt (a
 * diagonal LB_LAG below the main one). The model: token embeddings plus
 * sinusoidal positions, one causal multi-head attention with a residual
 * connection, then a linear read-out to the tokens. */
#ifndef DLKIT_LOOKBACK_H
#define DLKIT_LOOKBACK_H

#include "attention.h"

enum { LB_VOCAB = 16, LB_T = 24, LB_LAG = 3, LB_D = 32, LB_HEADS = 2, LB_BATCH = 32 };

typedef struct lb_model {
    mha_config cfg;
    size_t E, mha, Wout, bout, n; /* offsets into params */
    float *params, *grads, *m, *v;
    float *pos;                   /* (LB_T, LB_D) */
} lb_model;

/* A model with its parameters drawn from rng. */
void lb_create(lb_model *model, dk_rng *rng);
void lb_free(lb_model *model);

/* B sequences of random tokens (B, LB_T). */
void lb_batch(dk_rng *rng, int *X, size_t B);

/* The mean cross-entropy over the positions that have an answer, and (when
 * acc is not NULL) the share of them predicted right; P (B*LB_HEADS, T, T),
 * when not NULL, receives the attention maps. With training, the
 * gradients are accumulated into model->grads. */
float lb_loss(lb_model *model, const int *X, size_t B, bool training, float *acc, float *P);

/* One Adam step (t from 1) on the accumulated gradients, which it zeroes. */
void lb_step(lb_model *model, size_t t, float lr);

#endif
