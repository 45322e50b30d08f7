/* Chapter 05, sequence models: the contract between your code and the kit.
 *
 * Part 1, makemore: models of names that predict the next character. Part
 * 2, recurrent networks: a vanilla RNN and an LSTM through time, a character
 * model over windows of text, sampling. Part 3: the sentiment of a
 * sentence, from its words. You write the functions declared
 * here in the files listed in MANIFEST (each section names its file); the
 * grader calls them exactly as documented.
 *
 * Conventions are chapter 02's: float arrays, row-major, shapes in the
 * comments; outputs overwritten, parameter gradients accumulated (+=).
 * Your code may call chapters 02 and 03's functions (linear layers, tanh,
 * softmax cross-entropy, batch norm): this chapter builds on them.
 *
 * Keep no state between calls (no static buffers): a call reads and writes
 * only its arguments. `make train`'s Shakespeare task runs the two halves
 * of each step's streams side by side on two threads, through the same
 * functions at the same time.
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

/* ---- Part 2: recurrent layers -------------------------------------------- */

/* Sequences are time-major: X (T, B, D) holds step t of all B sequences at
 * X + t * B * D, so that each step is one contiguous (B, D) block. T >= 1.
 *
 * A vanilla RNN layer of H units over D inputs (Elman 1990):
 *   h_t = tanh(x_t Wx^T + h_{t-1} Wh^T + b)
 * An LSTM layer (Hochreiter and Schmidhuber 1997, with Gers et al.'s forget
 * gate): four gates from one product, z = x_t Wx^T + h_{t-1} Wh^T + b
 * (B, 4H), split in PyTorch's order i, f, g, o (H columns each):
 *   i = sigmoid(z_i), f = sigmoid(z_f), g = tanh(z_g), o = sigmoid(z_o)
 *   c_t = f * c_{t-1} + i * g,   h_t = o * tanh(c_t)
 * A layer's parameters are one vector: Wx (G, D), Wh (G, H), b (G,), with G
 * = H for the RNN and 4H for the LSTM. */
typedef enum cell_kind { CELL_RNN, CELL_LSTM } cell_kind;

typedef struct cell_layout {
    size_t Wx, Wh, b, n;
} cell_layout;

static inline cell_layout cell_layout_of(cell_kind kind, size_t D, size_t H)
{
    const size_t G = kind == CELL_LSTM ? 4 * H : H;
    cell_layout l = {0, G * D, G * D + G * H, 0};
    l.n = l.b + G;
    return l;
}

/* Initialises a layer's params (cell_layout_of(kind, D, H).n): every weight
 * uniform in [-k, k) with k = 1 / sqrt(H), drawn as dk_rng_range(rng, -k, k),
 * Wx's then Wh's in memory order (PyTorch's default); the biases 0, except
 * the LSTM's forget gate: 1, so that a new cell starts by keeping its
 * memory (Jozefowicz et al. 2015). (rnn.c) */
void cell_init(cell_kind kind, size_t D, size_t H, float *params, dk_rng *rng);

/* ---- The vanilla RNN (rnn.c) ---------------------------------------------- */

/* One step: h (B, H) from x (B, D) and h_prev (B, H). */
void rnn_cell_forward(const float *params, size_t D, size_t H, const float *x,
                      const float *h_prev, size_t B, float *h);

/* One step backwards, from dh (B, H), the loss's whole gradient at this
 * step's h: dx (B, D) and dh_prev (B, H) overwritten (dx skipped when
 * NULL); grads (the layout's n) += this step's share of Wx, Wh and b. */
void rnn_cell_backward(const float *params, size_t D, size_t H, const float *x,
                       const float *h_prev, const float *h, size_t B, const float *dh,
                       float *dx, float *dh_prev, float *grads);

/* T steps from h0 (B, H) over X (T, B, D): hs (T, B, H), h_t at hs + t*B*H. */
void rnn_forward(const float *params, size_t D, size_t H, const float *X, size_t T,
                 size_t B, const float *h0, float *hs);

/* Backpropagation through time. dhs (T, B, H) is the gradient that reaches
 * each h_t from above (from the loss at step t); h_t's whole gradient is
 * that plus what flows back into it from step t + 1. dX (T, B, D) and dh0
 * (B, H), the gradient reaching the initial state, overwritten (each
 * skipped when NULL); grads += the gradient of every parameter. */
void rnn_backward(const float *params, size_t D, size_t H, const float *X, size_t T,
                  size_t B, const float *h0, const float *hs, const float *dhs, float *dX,
                  float *dh0, float *grads);

/* ---- The LSTM (lstm.c) ----------------------------------------------------- */

/* One step from x (B, D), h_prev and c_prev (B, H): gates (B, 4H), row b
 * holding the activated i, f, g, o of sequence b (H each); c and h (B, H). */
void lstm_cell_forward(const float *params, size_t D, size_t H, const float *x,
                       const float *h_prev, const float *c_prev, size_t B, float *gates,
                       float *c, float *h);

/* One step backwards. dh (B, H) is the loss's whole gradient at h; dc
 * (B, H) the gradient reaching c from the next step only (0 after the
 * last), to which this step adds h's path through tanh(c). dx (B, D),
 * dh_prev and dc_prev (B, H) overwritten (dx skipped when NULL); grads +=
 * this step's share. */
void lstm_cell_backward(const float *params, size_t D, size_t H, const float *x,
                        const float *h_prev, const float *c_prev, const float *gates,
                        const float *c, size_t B, const float *dh, const float *dc, float *dx,
                        float *dh_prev, float *dc_prev, float *grads);

/* A layer's activations over T steps, in one array acts of lstm_acts_size
 * floats: gates (T, B, 4H), cs (T, B, H), then hs (T, B, H), the layer's
 * output, at lstm_hs(acts, H, T, B). */
static inline size_t lstm_acts_size(size_t H, size_t T, size_t B)
{
    return 6 * T * B * H;
}

static inline float *lstm_hs(float *acts, size_t H, size_t T, size_t B)
{
    return acts + 5 * T * B * H;
}

/* T steps from h0 and c0 (B, H) over X (T, B, D): acts written. */
void lstm_forward(const float *params, size_t D, size_t H, const float *X, size_t T,
                  size_t B, const float *h0, const float *c0, float *acts);

/* Backpropagation through time from dhs (T, B, H), as rnn_backward; the
 * cell state carries its own gradient back through every forget gate.
 * dX (T, B, D), dh0 and dc0 (B, H) overwritten (each skipped when NULL);
 * grads += the gradient of every parameter. */
void lstm_backward(const float *params, size_t D, size_t H, const float *X, size_t T,
                   size_t B, const float *h0, const float *c0, const float *acts,
                   const float *dhs, float *dX, float *dh0, float *dc0, float *grads);

/* ---- A character model over windows of text (charlm.c) ---------------------- */

/* Each token is looked up in an embedding table C (V, E), goes through one
 * recurrent layer of H units (RNN or LSTM), and a linear layer Wy (V, H),
 * by (V,) gives the logits of the next token. */
typedef struct charlm_config {
    size_t V, embed, hidden;
    cell_kind cell;
} charlm_config;

/* params: C (V, E), the layer (cell_layout_of(cell, E, H)), Wy (V, H), by
 * (V,); n, the total. */
typedef struct charlm_layout {
    size_t C, cell, Wy, by, n;
} charlm_layout;

static inline charlm_layout charlm_layout_of(const charlm_config *c)
{
    charlm_layout l = {0, c->V * c->embed, 0, 0, 0};
    l.Wy = l.cell + cell_layout_of(c->cell, c->embed, c->hidden).n;
    l.by = l.Wy + c->V * c->hidden;
    l.n = l.by + c->V;
    return l;
}

/* The recurrent state of B sequences: h (B, H), then for the LSTM c (B, H). */
static inline size_t charlm_state_size(const charlm_config *c, size_t B)
{
    return (c->cell == CELL_LSTM ? 2 : 1) * B * c->hidden;
}

/* What a window's backward pass reads, in one array acts: emb (T, B, E),
 * the state the window started from (charlm_state_size), then the layer's
 * activations: hs (T, B, H) for the RNN, lstm_acts_size for the LSTM. */
static inline size_t charlm_acts_size(const charlm_config *c, size_t T, size_t B)
{
    const size_t layer = c->cell == CELL_LSTM ? lstm_acts_size(c->hidden, T, B)
                                              : T * B * c->hidden;
    return T * B * c->embed + charlm_state_size(c, B) + layer;
}

/* C ~ N(0, 1) (dk_rng_normal, memory order), then cell_init for the layer,
 * then Wy uniform in [-k, k), k = 1 / sqrt(H) (dk_rng_range); by 0. */
void charlm_init(const charlm_config *cfg, float *params, dk_rng *rng);

/* A window of T steps of B sequences: X (T, B) tokens -> logits (T, B, V),
 * acts written. state (charlm_state_size) holds the state before the
 * window's first step, and receives the state after its last: the next
 * window of the same sequences starts where this one ended (truncated
 * backpropagation through time carries the state, not its gradient). */
void charlm_forward(const charlm_config *cfg, const float *params, const int *X, size_t T,
                    size_t B, float *state, float *acts, float *logits);

/* The window's backward pass from dlogits (T, B, V): grads += the gradient
 * of every parameter, through time back to the window's first step and no
 * further (the state it started from is a constant). */
void charlm_backward(const charlm_config *cfg, const float *params, const int *X, size_t T,
                     size_t B, const float *acts, const float *dlogits, float *grads);

/* Clipping by global norm: when the L2 norm of all n values of grads
 * (summed in double) is above max_norm, every value is scaled by max_norm
 * / norm, keeping the gradient's direction. Returns the norm before. */
float clip_grad_norm(float *grads, size_t n, float max_norm);

/* ---- Sampling from logits (sampling.c) ---------------------------------------- */

/* The distribution p (V,) that sample_logits draws from: the softmax of
 * logits / temperature over the top_k largest logits only, the others 0
 * (ties: the lower index ranks first; top_k 0 or >= V keeps all).
 * temperature > 0: below 1 sharpens, above 1 flattens. */
void logits_probs(const float *logits, size_t V, float temperature, size_t top_k, float *p);

/* One token drawn from logits_probs' distribution, with dk_rng_uniform
 * draws from rng (as many as you need). */
size_t sample_logits(const float *logits, size_t V, float temperature, size_t top_k,
                     dk_rng *rng);

/* Greedy decoding: the index of the largest logit, the lowest on ties. */
size_t greedy_pick(const float *logits, size_t V);

/* ---- Part 3: the sentiment of a sentence (sentiment.c) ---------------------- */

/* Words are tokens (0 is padding), looked up in an embedding table C (V,
 * E), read by one LSTM layer of H units from a zero state; a linear layer
 * Wo (2, H), bo (2,) on the state after each sentence's last word gives
 * the logits of negative (0) and positive (1). */
typedef struct sent_config {
    size_t V, embed, hidden;
} sent_config;

enum { SENT_CLASSES = 2 };

/* params: C (V, E), the LSTM (cell_layout_of(CELL_LSTM, E, H)), Wo (2, H),
 * bo (2,); n, the total. */
typedef struct sent_layout {
    size_t C, lstm, Wo, bo, n;
} sent_layout;

static inline sent_layout sent_layout_of(const sent_config *c)
{
    sent_layout l = {0, c->V * c->embed, 0, 0, 0};
    l.Wo = l.lstm + cell_layout_of(CELL_LSTM, c->embed, c->hidden).n;
    l.bo = l.Wo + SENT_CLASSES * c->hidden;
    l.n = l.bo + SENT_CLASSES;
    return l;
}

/* What the backward pass reads, in one array acts: emb (T, B, E), then
 * the LSTM's activations (lstm_acts_size(H, T, B)). */
static inline size_t sent_acts_size(const sent_config *c, size_t T, size_t B)
{
    return T * B * c->embed + lstm_acts_size(c->hidden, T, B);
}

/* C ~ N(0, 1) (dk_rng_normal, memory order), then cell_init(CELL_LSTM),
 * then Wo uniform in [-k, k), k = 1 / sqrt(H) (dk_rng_range); bo 0. */
void sent_init(const sent_config *cfg, float *params, dk_rng *rng);

/* A batch of B sentences padded to T steps: X (T, B) tokens, sentence b's
 * lengths[b] words at steps 0 .. lengths[b] - 1 (1 <= lengths[b] <= T),
 * padding after them -> logits (B, 2), from each sentence's state at its
 * step lengths[b] - 1; acts written. What the padding holds must not
 * change the logits. */
void sent_forward(const sent_config *cfg, const float *params, const int *X,
                  const size_t *lengths, size_t T, size_t B, float *acts, float *logits);

/* The backward pass from dlogits (B, 2): grads += the gradient of every
 * parameter. The gradient enters each sentence at its last word's step
 * and flows back through time from there. */
void sent_backward(const sent_config *cfg, const float *params, const int *X,
                   const size_t *lengths, size_t T, size_t B, const float *acts,
                   const float *dlogits, float *grads);

#endif
