/* Chapter 05, sequence models: the contract between your code and the kit.
 *
 * Part 1, makemore: models of names that predict the next character. You
 * write the functions declared here in bigram.c and makemore.c (the files
 * listed in MANIFEST); the grader calls them exactly as documented.
 *
 * Conventions are chapter 02's: float arrays, row-major, shapes in the
 * comments; outputs overwritten, parameter gradients accumulated (+=).
 * Your code may call chapters 02 and 03's functions (linear layers, tanh,
 * softmax cross-entropy, batch norm): this chapter builds on them.
 *
 * Characters are tokens: '.' is 0 and marks where a name starts and ends,
 * 'a'..'z' are 1..26 (MM_VOCAB = 27). A list of names is one sequence, each
 * name followed by a '.', the whole starting with one: ".emma.ava." is
 * {0, 5, 13, 13, 1, 0, 1, 22, 1, 0}. Each pair of neighbours is then one
 * step of a name, its first letter and its end included. */
#ifndef DLKIT_RNN_H
#define DLKIT_RNN_H

#include "backprop.h"
#include "rng.h"
#include "training.h"

#include <stdbool.h>
#include <stddef.h>

enum { MM_VOCAB = 27 };

/* ---- Sampling (bigram.c) ------------------------------------------------ */

/* The index drawn from the distribution p (n,) by one uniform number u in
 * [0, 1): the first i whose running sum p[0] + ... + p[i] is greater than
 * u (inverse-CDF sampling). When rounding leaves the total at or below u,
 * the last i with p[i] > 0. Indices with p[i] = 0 are never drawn. */
size_t sample_categorical(const float *p, size_t n, float u);

/* ---- The bigram model (bigram.c) ------------------------------------------ */

/* counts (V, V) += how many times token j follows token i in seq (len):
 * counts[i*V + j] gains one for each of the len - 1 neighbouring pairs. */
void bigram_count(const int *seq, size_t len, size_t V, float *counts);

/* Row i of P (V, V): the next token's probabilities after token i, with
 * add-alpha smoothing: P[i][j] = (counts[i][j] + alpha) / sum_k (counts[i][k]
 * + alpha). A row whose sum is 0 (no counts, alpha 0) becomes uniform. */
void bigram_probs(const float *counts, size_t V, float alpha, float *P);

/* The mean negative log-likelihood of seq's len - 1 pairs under P, in nats
 * per character: -(1 / (len - 1)) sum_t log P[seq[t]][seq[t+1]], summed in
 * double. INFINITY when a pair has probability 0. len >= 2. */
double bigram_nll(const float *P, size_t V, const int *seq, size_t len);

/* One name drawn from P: from token 0 ('.'), each next token is
 * sample_categorical(row of the current token, V, dk_rng_uniform(rng)),
 * until a 0 is drawn (not written) or max_len tokens were written to out.
 * Returns how many were written. */
size_t bigram_sample(const float *P, size_t V, dk_rng *rng, int *out, size_t max_len);

/* ---- The MLP language model (makemore.c) ------------------------------------ */

/* Bengio et al. (2003): the last `context` tokens, each looked up in an
 * embedding table C (V, E), concatenated (context * E), a hidden layer of H
 * units (linear, optional batch norm, tanh), and a linear layer to V
 * logits for the next token. */
typedef struct lm_config {
    size_t V;       /* vocabulary (27) */
    size_t context; /* tokens seen before the one predicted (3) */
    size_t embed;   /* E, the size of a token's embedding (10) */
    size_t hidden;  /* H (200) */
    bool batchnorm; /* batch norm between the first layer and tanh */
} lm_config;

/* Batch norm's constants: eps, and the running statistics' momentum,
 * small because batches of 32 give noisy statistics. */
#define LM_BN_EPS 1e-5f
#define LM_BN_MOMENTUM 0.001f

/* Where each parameter lives in the one vector params (and, at the same
 * offsets, in grads): C (V, E), W1 (H, context*E), b1 (H,), gamma (H,),
 * beta (H,), W2 (V, H), b2 (V,), then n, the total. gamma and beta are
 * there without batch norm too, unused (their gradients stay 0). */
typedef struct lm_layout {
    size_t C, W1, b1, gamma, beta, W2, b2, n;
} lm_layout;

static inline lm_layout lm_layout_of(const lm_config *c)
{
    lm_layout l;
    const size_t H = c->hidden, in = c->context * c->embed;
    l.C = 0;
    l.W1 = l.C + c->V * c->embed;
    l.b1 = l.W1 + H * in;
    l.gamma = l.b1 + H;
    l.beta = l.gamma + H;
    l.W2 = l.beta + H;
    l.b2 = l.W2 + c->V * H;
    l.n = l.b2 + c->V;
    return l;
}

/* The activations of a batch of B, what the backward pass reads, in one
 * array acts of lm_acts_size floats: emb (B, context*E), the embeddings
 * concatenated; pre (B, H), the first layer's output; norm (B, H), batch
 * norm's output (a copy of pre without batch norm); h (B, H), tanh's; then
 * mean (H,) and invstd (H,), batch norm's batch statistics (unused without
 * it). */
static inline size_t lm_acts_size(const lm_config *c, size_t B)
{
    return B * (c->context * c->embed + 3 * c->hidden) + 2 * c->hidden;
}

/* out (n, E): row i is row idx[i] of table (V, E); every idx[i] < V. */
void embedding_forward(const float *table, size_t V, size_t E, const int *idx, size_t n,
                       float *out);

/* dtable (V, E) += row i of dout (n, E) into row idx[i], for every i: a
 * token that appears twice gets the sum of both gradients. */
void embedding_backward(const float *dout, const int *idx, size_t n, size_t V, size_t E,
                        float *dtable);

/* Initialises params (lm_layout_of(cfg).n): C ~ N(0, 1); W1 ~ N(0, 1) *
 * (5/3) / sqrt(context * E) (Kaiming's gain for tanh); W2 ~ N(0, 1) * 0.01,
 * so that the first predictions are near uniform and the first loss near
 * log V; b1, beta and b2 zero, gamma one. The normal draws are
 * dk_rng_normal(rng), C's first, then W1's, then W2's, each in memory
 * order. */
void lm_init(const lm_config *cfg, float *params, dk_rng *rng);

/* The forward pass of a batch: X (B, context) tokens, the context of each
 * example, oldest first -> logits (B, V), acts (lm_acts_size) written. With
 * batch norm, training uses the batch's statistics and moves running
 * (2H: the running mean, then the running variance) towards them, as
 * chapter 03's batchnorm_forward_train does with LM_BN_EPS and
 * LM_BN_MOMENTUM; evaluation (training false) uses running instead.
 * Without batch norm, running is not touched. When training, running may
 * be NULL: the statistics then stay where they are (a gradient check must
 * not move them). B >= 2 when training with batch norm. */
void lm_forward(const lm_config *cfg, const float *params, float *running, const int *X,
                size_t B, bool training, float *acts, float *logits);

/* The backward pass of a training forward pass (the same X, B and acts),
 * from dlogits (B, V), the loss's gradient with respect to the logits:
 * grads (lm_layout_of(cfg).n) += the gradient of every parameter. */
void lm_backward(const lm_config *cfg, const float *params, const int *X, size_t B,
                 const float *acts, const float *dlogits, float *grads);

#endif
