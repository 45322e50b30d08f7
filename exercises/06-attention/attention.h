/* Chapter 06, attention and the transformer: the contract between your code
 * and the kit.
 *
 * Part 1, the parts of a transformer: layer norm and GELU, sinusoidal
 * positions, scaled dot-product attention with a causal mask and a padding
 * mask, and multi-head attention. You write the functions declared here in
 * the files listed in MANIFEST (each section names its file); the grader
 * calls them exactly as documented.
 *
 * Conventions are chapter 02's: float arrays, row-major, shapes in the
 * comments; outputs overwritten, parameter gradients accumulated (+=).
 * Sequences are batch-major: X (B, T, D) holds sequence b's position t at
 * X + (b*T + t)*D. Your code may call chapters 02, 03 and 05's functions
 * (linear layers, softmax, Adam, embeddings). */
#ifndef DLKIT_ATTENTION_H
#define DLKIT_ATTENTION_H

#include "rnn.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- Layer norm and GELU (norms.c) ---------------------------------------- */

/* Added to the variance before its square root (PyTorch's default). */
#define LN_EPS 1e-5f

/* Layer norm over the feature axis: each row x of X (N, D) becomes
 *   y = gamma * (x - mean(x)) * rstd + beta,   rstd = 1 / sqrt(var(x) + LN_EPS)
 * with the biased variance (divided by D). Y (N, D); stats (2N): the rows'
 * means, then their rstd, for the backward pass. */
void layernorm_forward(const float *X, size_t N, size_t D, const float *gamma,
                       const float *beta, float *Y, float *stats);

/* From dY (N, D): dX (N, D) overwritten; dgamma and dbeta (D) +=. */
void layernorm_backward(const float *X, size_t N, size_t D, const float *gamma,
                        const float *stats, const float *dY, float *dX, float *dgamma,
                        float *dbeta);

/* GELU in the tanh form of GPT-2 (Hendrycks and Gimpel 2016), over n values:
 *   y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) */
void gelu_forward(const float *x, size_t n, float *y);

/* dx = dy * the derivative of that form at x (n), overwritten. */
void gelu_backward(const float *x, const float *dy, size_t n, float *dx);

/* ---- Positions (positions.c) ------------------------------------------------ */

/* The fixed positions of "Attention is all you need" (T, D): for feature
 * pairs k = 0, 1, ...,
 *   P[t, 2k] = sin(t / 10000^(2k/D)),   P[t, 2k + 1] = cos(t / 10000^(2k/D));
 * an odd D's last feature is a sine. */
void sinusoidal_positions(size_t T, size_t D, float *P);

/* ---- Scaled dot-product attention (attention.c) ---------------------------- */

/* B sequences of T positions, H heads of dh features each. Q, K, V and the
 * output O are (B*H, T, dh): slice bh = b*H + h is head h of sequence b.
 * causal: position i sees the keys j <= i only. */
typedef struct attn_shape {
    size_t B, H, T, dh;
    bool causal;
} attn_shape;

/* P = softmax(Q K^T / sqrt(dh)) over the keys each query may see, then
 * O = P V, for each slice. P (B*H, T, T): row i of a slice sums to 1 over
 * its visible keys and is 0 elsewhere. A softmax subtracts its row's
 * largest visible score first, so scores of 1e4 stay finite.
 * lens (B) or NULL: sequence b's valid length, 1 <= lens[b] <= T. Keys at
 * j >= lens[b] are hidden from every query (padding), and the padded
 * queries' rows of P and O are 0. */
void attn_forward(const attn_shape *s, const float *Q, const float *K, const float *V,
                  const int *lens, float *P, float *O);

/* From dO (B*H, T, dh) and the forward pass's P: dQ, dK, dV (B*H, T, dh),
 * overwritten. Nothing flows to or from padded positions: their rows of
 * dQ, dK and dV are 0. */
void attn_backward(const attn_shape *s, const float *Q, const float *K, const float *V,
                   const int *lens, const float *P, const float *dO, float *dQ, float *dK,
                   float *dV);

/* ---- Multi-head attention (mha.c) ------------------------------------------- */

/* D features in H heads (D divisible by H, dh = D / H). */
typedef struct mha_config {
    size_t D, H;
    bool causal;
} mha_config;

/* The parameters, one vector: Wqkv (3D, D) and bqkv (3D), whose rows
 * 0..D-1 make the queries, D..2D-1 the keys, 2D..3D-1 the values; within
 * each, head h owns features h*dh .. h*dh + dh - 1. Then the output
 * projection Wo (D, D) and bo (D). */
typedef struct mha_layout {
    size_t Wqkv, bqkv, Wo, bo, n;
} mha_layout;

static inline mha_layout mha_layout_of(const mha_config *c)
{
    const size_t D = c->D;
    return (mha_layout){0, 3 * D * D, 3 * D * D + 3 * D, 4 * D * D + 3 * D, 4 * D * D + 4 * D};
}

/* What the forward pass keeps for the backward, at these offsets of acts:
 * Q, K, V (each B*H*T*dh, split into heads as attn_forward takes them), P
 * (B*H*T*T), O (B*H*T*dh, attn_forward's), ctx (B*T*D: O with the heads
 * merged back, head h at features h*dh ..). */
typedef struct mha_acts {
    size_t Q, K, V, P, O, ctx, n;
} mha_acts;

static inline mha_acts mha_acts_of(const mha_config *c, size_t B, size_t T)
{
    const size_t heads = B * T * c->D, scores = B * c->H * T * T;
    return (mha_acts){0, heads, 2 * heads, 3 * heads, 3 * heads + scores, 4 * heads + scores,
                      5 * heads + scores};
}

/* Y (B, T, D) from X (B, T, D): one product X Wqkv^T + bqkv for the
 * queries, keys and values of every head, split into heads, attention
 * (attn_forward, with cfg->causal and lens as there), heads merged, then
 * ctx Wo^T + bo. acts (mha_acts_of(cfg, B, T).n) as described there. */
void mha_forward(const mha_config *cfg, const float *params, const float *X, size_t B,
                 size_t T, const int *lens, float *acts, float *Y);

/* From dY (B, T, D): dX (B, T, D) overwritten (skipped when NULL); grads
 * (mha_layout_of(cfg).n) += the gradient of every parameter. */
void mha_backward(const mha_config *cfg, const float *params, const float *X, size_t B,
                  size_t T, const int *lens, const float *acts, const float *dY, float *dX,
                  float *grads);

#endif
