/* Chapter 06, attention and the transformer: the contract between your code
 * and the kit.
 *
 * Part 1, the parts of a transformer: layer norm and GELU, sinusoidal
 * positions, scaled dot-product attention with a causal mask and a padding
 * mask, and multi-head attention. Part 2: the transformer block, a small
 * GPT, its AdamW step, generation with a key/value cache. You write the functions declared here in
 * the files listed in MANIFEST (each section names its file); the grader
 * calls them exactly as documented.
 *
 * Conventions are chapter 02's: float arrays, row-major, shapes in the
 * comments; outputs overwritten, parameter gradients accumulated (+=).
 * Sequences are batch-major: X (B, T, D) holds sequence b's position t at
 * X + (b*T + t)*D. Your code may call chapters 02, 03 and 05's functions
 * (linear layers, softmax, Adam, embeddings).
 *
 * Keep no state between calls (no static buffers): a call reads and writes
 * only its arguments. `make train` runs the two halves of each GPT batch
 * side by side on two threads, through the same functions at the same
 * time. */
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

/* ---- The transformer block (block.c) ---------------------------------------- */

/* A pre-norm block of GPT-2 on X (B, T, D), always causal:
 *   x1 = X + mha(layernorm1(X))        Y = x1 + mlp(layernorm2(x1))
 * with mlp(u) = gelu(u W1^T + b1) W2^T + b2, 4D hidden features. The
 * parameters, one vector: ln1's gamma and beta (D each), the attention's
 * (mha_layout_of), ln2's gamma and beta, W1 (4D, D), b1 (4D), W2 (D, 4D),
 * b2 (D). */
typedef struct block_layout {
    size_t ln1_g, ln1_b, attn, ln2_g, ln2_b, W1, b1, W2, b2, n;
} block_layout;

static inline block_layout block_layout_of(size_t D, size_t H)
{
    const mha_config attn = {D, H, true};
    block_layout l;
    l.ln1_g = 0, l.ln1_b = D, l.attn = 2 * D;
    l.ln2_g = l.attn + mha_layout_of(&attn).n, l.ln2_b = l.ln2_g + D;
    l.W1 = l.ln2_b + D, l.b1 = l.W1 + 4 * D * D, l.W2 = l.b1 + 4 * D, l.b2 = l.W2 + 4 * D * D;
    l.n = l.b2 + D;
    return l;
}

/* What block_forward keeps, at these offsets of acts (N = B*T rows):
 * ln1 (N, D) and its stats (2N), the attention's acts (mha_acts_of), x1
 * (N, D), ln2 (N, D) and its stats (2N), the MLP's hidden layer before
 * GELU (N, 4D) and after it (N, 4D). */
typedef struct block_acts {
    size_t ln1, stats1, attn, x1, ln2, stats2, pre, hid, n;
} block_acts;

static inline block_acts block_acts_of(size_t D, size_t H, size_t B, size_t T)
{
    const mha_config attn = {D, H, true};
    const size_t N = B * T;
    block_acts a;
    a.ln1 = 0, a.stats1 = N * D, a.attn = a.stats1 + 2 * N;
    a.x1 = a.attn + mha_acts_of(&attn, B, T).n, a.ln2 = a.x1 + N * D, a.stats2 = a.ln2 + N * D;
    a.pre = a.stats2 + 2 * N, a.hid = a.pre + 4 * N * D, a.n = a.hid + 4 * N * D;
    return a;
}

/* Y (B, T, D) from X; acts (block_acts_of(D, H, B, T).n) as above. */
void block_forward(size_t D, size_t H, const float *params, const float *X, size_t B,
                   size_t T, float *acts, float *Y);

/* From dY (B, T, D): dX overwritten, grads (block_layout_of(D, H).n) +=.
 * Each residual connection passes its gradient to both of its branches. */
void block_backward(size_t D, size_t H, const float *params, const float *X, size_t B,
                    size_t T, const float *acts, const float *dY, float *dX, float *grads);

/* ---- A small GPT (gpt.c) ------------------------------------------------------ */

/* V tokens, a context of T positions, D features in H heads, `layers`
 * blocks. */
typedef struct gpt_config {
    size_t V, T, D, H, layers;
} gpt_config;

/* The parameters: token embeddings wte (V, D), learned positions wpe (T,
 * D), the blocks one after the other (block l at blocks + l * block_n),
 * the final layer norm's gamma and beta (D each), the read-out head (V, D,
 * no bias). */
typedef struct gpt_layout {
    size_t wte, wpe, blocks, block_n, lnf_g, lnf_b, head, n;
} gpt_layout;

static inline gpt_layout gpt_layout_of(const gpt_config *c)
{
    gpt_layout l;
    l.wte = 0, l.wpe = c->V * c->D, l.blocks = l.wpe + c->T * c->D;
    l.block_n = block_layout_of(c->D, c->H).n;
    l.lnf_g = l.blocks + c->layers * l.block_n, l.lnf_b = l.lnf_g + c->D;
    l.head = l.lnf_b + c->D, l.n = l.head + c->V * c->D;
    return l;
}

/* What gpt_forward keeps for B sequences of T <= cfg->T tokens (N = B*T):
 * the residual stream before each block and after the last (layers + 1
 * arrays of N*D at xs + l*N*D), each block's acts (at blocks + l *
 * block_n), the final layer norm's output (N, D) and stats (2N). */
typedef struct gpt_acts {
    size_t xs, blocks, block_n, lnf, statsf, n;
} gpt_acts;

static inline gpt_acts gpt_acts_of(const gpt_config *c, size_t B, size_t T)
{
    const size_t N = B * T;
    gpt_acts a;
    a.xs = 0, a.blocks = (c->layers + 1) * N * c->D;
    a.block_n = block_acts_of(c->D, c->H, B, T).n;
    a.lnf = a.blocks + c->layers * a.block_n, a.statsf = a.lnf + N * c->D;
    a.n = a.statsf + 2 * N;
    return a;
}

/* GPT-2's initialisation: every matrix and both embeddings normal with
 * standard deviation 0.02 (dk_rng_normal, in layout order), except the two
 * projections into the residual stream (each block's Wo and W2), whose
 * 0.02 is divided by sqrt(2 * layers); biases 0, layer norms' gamma 1 and
 * beta 0. */
void gpt_init(const gpt_config *cfg, float *params, dk_rng *rng);

/* logits (B, T, V) for tokens X (B, T), T <= cfg->T: x0 = wte[token] +
 * wpe[position], the blocks, the final layer norm, the head. */
void gpt_forward(const gpt_config *cfg, const float *params, const int *X, size_t B, size_t T,
                 float *acts, float *logits);

/* From dlogits (B, T, V): grads (gpt_layout_of(cfg).n) +=, the embeddings
 * and positions included. */
void gpt_backward(const gpt_config *cfg, const float *params, const int *X, size_t B,
                  size_t T, const float *acts, const float *dlogits, float *grads);

/* One AdamW step (chapter 03's adam_step, decoupled, t from 1) over every
 * parameter, the weight decay applied to the matrices and embeddings only:
 * biases and layer norms' gamma and beta are not decayed. */
void gpt_adamw_step(const gpt_config *cfg, float *params, const float *grads, float *m,
                    float *v, size_t t, float lr, float weight_decay);

/* ---- Generation with a key/value cache (generate.c) ------------------------- */

/* The cache of every block's keys and values for the positions seen so
 * far: layers x 2 x cfg->T x D floats, block l's keys at cache + (2l) * T
 * * D, its values at cache + (2l + 1) * T * D, position p's row at + p *
 * D (heads side by side, as in Wqkv's rows). */
static inline size_t gpt_cache_size(const gpt_config *c)
{
    return c->layers * 2 * c->T * c->D;
}

/* The logits (V) of the next token after `token` at position pos (pos <
 * cfg->T), the cache holding positions 0..pos-1: computes this position
 * only, stores its keys and values at row pos of the cache, and attends
 * over rows 0..pos. Called for pos = 0, 1, 2... it gives gpt_forward's
 * logits, one position at a time, at the cost of one position each. */
void gpt_decode_step(const gpt_config *cfg, const float *params, float *cache, size_t pos,
                     int token, float *logits);

#endif
