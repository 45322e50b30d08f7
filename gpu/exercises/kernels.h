/* The CUDA track: the contract between your kernels and the kit.
 *
 * You write the functions declared here, in gemm.cu, softmax.cu,
 * crossentropy.cu, conv2d.cu, attention.cu and mlp.cu (the files listed in
 * MANIFEST):
 * each launches your kernels. The grader calls them exactly as documented,
 * on many shapes, and compares every element with a CPU reference
 * (gpu/ref/); read each comment before you start. README.md says what each
 * exercise teaches and in which order to take them.
 *
 * Conventions, as in the CPU chapters (llm.c's): arrays are float and
 * row-major, with their shape in the comment; a (B, n) array holds row i,
 * column j at [i*n + j]. Every pointer is a DEVICE pointer (cudaMalloc'd by
 * the caller), sizes are int (32-bit index arithmetic is cheaper on a GPU,
 * and every array here holds fewer than 2^31 elements), and every function
 * launches its kernels on `stream` and returns at once: no
 * cudaDeviceSynchronize, no cudaMalloc, nothing but launches and
 * cudaMemsetAsync/cudaMemcpyAsync on that stream, so that a CUDA graph can
 * capture a whole training step. Outputs are overwritten; parameter
 * gradients ACCUMULATE (+=), as in chapter 02. Every element of an output
 * is written, and nothing outside it: the grader checks both.
 *
 * This header is C11 and CUDA C++ alike: the CPU references and the kit's
 * C programs include it too. */
#ifndef DLKIT_GPU_KERNELS_H
#define DLKIT_GPU_KERNELS_H

#include <cuda_runtime_api.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* NOT_IMPLEMENTED(), the stubs' marker. error.h is C11, whose _Noreturn
 * C++ spells [[noreturn]]. */
#ifdef __cplusplus
#define _Noreturn [[noreturn]]
#include "error.h"
#undef _Noreturn
#else
#include "error.h"
#endif

/* ---- Matrix products (gemm.cu) ---------------------------------------- */

/* C = alpha * op(A) op(B) + beta * C, like dk_sgemm (common/blas.h):
 *   op(A) is (M, K): A is stored (M, K), or (K, M) when trans_a;
 *   op(B) is (K, N): B is stored (K, N), or (N, K) when trans_b;
 *   C is (M, N).
 * With beta = 0, C is never read (it may hold NaN). M, N, K >= 1.
 * Three versions, each its own exercise, the same contract:
 *   1. gemm1_naive:    one thread per element of C, reading A and B from
 *                      global memory;
 *   2. gemm2_tiled:    a block computes a tile of C from tiles of A and B
 *                      staged in shared memory;
 *   3. gemm3_regblock: each thread computes a small block of C in
 *                      registers, with 16-byte (float4) loads where the
 *                      data is aligned for them. */
typedef void gemm_fn(bool trans_a, bool trans_b, int M, int N, int K, float alpha,
                     const float *A, const float *B, float beta, float *C,
                     cudaStream_t stream);
gemm_fn gemm1_naive, gemm2_tiled, gemm3_regblock;

/* ---- Softmax (softmax.cu) ---------------------------------------------- */

/* Row-wise softmax of logits (B, C) into p (B, C):
 *   p[i, j] = exp(x[i, j] - m_i) / sum_k exp(x[i, k] - m_i),  m_i = max_k x[i, k]
 * finite and exact to float32 round-off for any finite logits (1000
 * included). B, C >= 1.
 *   1. softmax1_rows:   one block per row: the row's max, then the sum,
 *                       then the outputs (three passes over the row);
 *   2. softmax2_online: the max and the sum in ONE pass (the "online
 *                       softmax": when the running max grows, rescale the
 *                       running sum), then the outputs. */
typedef void softmax_fn(const float *logits, int B, int C, float *p, cudaStream_t stream);
softmax_fn softmax1_rows, softmax2_online;

/* ---- Cross-entropy (crossentropy.cu) ----------------------------------- */

/* Softmax and cross-entropy fused, chapter 02's softmax_cross_entropy on
 * the GPU, per row: for logits (B, C) and labels (B,) in [0, C),
 *   losses[i]  = -log softmax(logits_i)[labels_i]
 *              = logsumexp(logits_i) - logits[i, labels_i]      (B,)
 *   dlogits    = (softmax(logits) - onehot(labels)) / B          (B, C)
 * (the gradient of the batch's MEAN loss), skipped when dlogits is NULL.
 * Finite for logits of 1000. B, C >= 1. */
void cross_entropy(const float *logits, const int *labels, int B, int C, float *losses,
                   float *dlogits, cudaStream_t stream);

/* ---- Convolution (conv2d.cu) -------------------------------------------- */

/* Chapter 04's convolution and layouts (exercises/04-cnn/cnn.h), NHWC:
 *   x (N, H, W, C), filters Wt (K, kh, kw, C), b (K,) -> y (N, OH, OW, K),
 *   y[n, oh, ow, k] = b[k] + sum over i < kh, j < kw, c < C of
 *       Wt[k, i, j, c] * x[n, oh*stride + i - pad, ow*stride + j - pad, c],
 * x read as 0 outside its H x W pixels (cross-correlation: the kernel is
 * not flipped); OH = conv2d_out_dim(H, kh, stride, pad), OW likewise. */
typedef struct conv2d_dims {
    int N, H, W, C; /* the input (N, H, W, C) */
    int K;          /* filters: the output's channels */
    int kh, kw;     /* each filter's height and width */
    int stride;     /* >= 1, the same in both directions */
    int pad;        /* zeros on every side */
} conv2d_dims;

/* (in + 2 pad - k) / stride + 1, or 0 when the window does not fit
 * (chapter 04's conv2d_out_size). */
static inline int conv2d_out_dim(int in, int k, int stride, int pad)
{
    return in + 2 * pad < k ? 0 : (in + 2 * pad - k) / stride + 1;
}

/* The patch matrix cols (N*OH*OW, kh*kw*C): row (n, oh, ow), column
 * (i, j, c) holds x[n, oh*stride + i - pad, ow*stride + j - pad, c], or 0
 * in the padding. Every element is written. */
void im2col_nhwc(const float *x, const conv2d_dims *d, float *cols, cudaStream_t stream);

/* The convolution, two ways, the same contract:
 *   1. conv2d1_im2col:   im2col_nhwc into cols (N*OH*OW * kh*kw*C floats,
 *                        the caller's scratch), then y = cols Wt^T + b
 *                        with your gemm3_regblock;
 *   2. conv2d2_implicit: the same product without cols: the GEMM's tile
 *                        loader computes which pixel each element of the
 *                        patch matrix comes from ("implicit GEMM"). */
void conv2d1_im2col(const float *x, const float *Wt, const float *b, const conv2d_dims *d,
                    float *cols, float *y, cudaStream_t stream);
void conv2d2_implicit(const float *x, const float *Wt, const float *b, const conv2d_dims *d,
                      float *y, cudaStream_t stream);

/* ---- Causal self-attention (attention.cu) ------------------------------ */

/* Scaled dot-product attention, forward, with chapter 06's causal mask,
 * for BH = batch * heads independent heads: Q, K, V and O are
 * (BH, T, d), and for each head h and position i,
 *   O[h, i, :] = sum_{j <= i} p[j] V[h, j, :],
 *   p = softmax over j <= i of s[j],  s[j] = Q[h, i, :] . K[h, j, :] / sqrt(d)
 * (position i sees keys 0 .. i, never the future). BH, T >= 1; d is 16,
 * 32 or 64 (GPT-2's heads have 64). Finite for scores near +-1000.
 *   1. attention1_naive: head after head, the scores S = Q K^T / sqrt(d)
 *                        (T, T) with your gemm3_regblock into `scores`
 *                        (T*T floats, the caller's scratch, reused by
 *                        every head), a causal softmax of its rows in
 *                        place, then O = P V with gemm3_regblock again;
 *   2. attention2_fused: flash attention: tiles of K and V stream through
 *                        shared memory, each query keeps a running max, a
 *                        running sum and its output row (the online
 *                        softmax of softmax2_online), and the T x T scores
 *                        are never stored: memory O(T) per head. */
void attention1_naive(const float *Q, const float *K, const float *V, int BH, int T, int d,
                      float *scores, float *O, cudaStream_t stream);
void attention2_fused(const float *Q, const float *K, const float *V, int BH, int T, int d,
                      float *O, cudaStream_t stream);

/* ---- The MLP of chapter 02, trained on the GPU (mlp.cu) ----------------- */

/* The layers, chapter 02's (backprop.h), on the GPU:
 *   linear_forward_gpu:  y = x W^T + b; x (B, in), W (out, in), b (out,)
 *                        -> y (B, out)
 *   linear_backward_gpu: from dy (B, out): dx = dy W (B, in), overwritten,
 *                        skipped when dx is NULL; dW += dy^T x (out, in);
 *                        db += dy summed over the batch (out,)
 *   relu_forward_gpu:    y = max(x, 0) over n values
 *   relu_backward_gpu:   dx = dy where x > 0, else 0 (at 0 too)
 * Matrix products go through your gemm3_regblock. */
void linear_forward_gpu(const float *x, const float *W, const float *b, int B, int in,
                        int out, float *y, cudaStream_t stream);
void linear_backward_gpu(const float *x, const float *W, const float *dy, int B, int in,
                         int out, float *dx, float *dW, float *db, cudaStream_t stream);
void relu_forward_gpu(const float *x, int n, float *y, cudaStream_t stream);
void relu_backward_gpu(const float *x, const float *dy, int n, float *dx,
                       cudaStream_t stream);

/* SGD with momentum, PyTorch's convention, over n parameters:
 *   v = momentum * v + g;  p -= lr * v.
 * lr points to ONE float in device memory, read by the kernel: a CUDA
 * graph replays the same launch while the kit changes the rate. */
void sgd_momentum_gpu(float *params, const float *grads, float *velocity, int n,
                      const float *lr, float momentum, cudaStream_t stream);

enum { GPU_MLP_MAX_LAYERS = 8 };

/* A ReLU MLP, chapter 02's with MLP_RELU: nlayers linear layers, sizes[0]
 * inputs, sizes[nlayers] logits, ReLU after every layer but the last.
 * params, grads and velocity (nparams floats each, device) use chapter
 * 02's layout: W_0 (sizes[1], sizes[0]), b_0 (sizes[1]), W_1, b_1, ...
 * The kit allocates and initialises them. */
typedef struct gpu_mlp {
    int nlayers;
    int sizes[GPU_MLP_MAX_LAYERS + 1];
    int nparams;
    float *params, *grads, *velocity;
} gpu_mlp;

/* Floats of the activation buffer of a batch of B, chapter 02's layout:
 * for each hidden layer l = 0 .. nlayers-2, its linear output z_l then its
 * ReLU h_l, (B, sizes[l+1]) each. */
static inline int gpu_mlp_acts_size(const gpu_mlp *net, int B)
{
    int n = 0;
    for (int l = 0; l + 1 < net->nlayers; l++)
        n += 2 * B * net->sizes[l + 1];
    return n;
}

/* Forward pass of x (B, sizes[0]): fills acts (gpu_mlp_acts_size floats)
 * and logits (B, sizes[nlayers]). */
void mlp_forward_gpu(const gpu_mlp *net, const float *x, int B, float *acts, float *logits,
                     cudaStream_t stream);

/* Backward pass from dlogits (B, sizes[nlayers]), for the x and acts of
 * the forward pass: ACCUMULATES every gradient into net->grads. dacts is
 * scratch of gpu_mlp_acts_size floats. */
void mlp_backward_gpu(const gpu_mlp *net, const float *x, int B, const float *acts,
                      const float *dlogits, float *dacts, cudaStream_t stream);

/* The scratch of one training step of up to B samples (the kit allocates
 * it, gpu_mlp_acts_size floats for acts and dacts, B * sizes[nlayers] for
 * logits and dlogits). */
typedef struct gpu_mlp_scratch {
    float *acts, *dacts, *logits, *dlogits;
} gpu_mlp_scratch;

/* One step of chapter 02's mlp_train_epoch on a batch x (B, sizes[0]) with
 * labels (B,): zero the gradients, forward, cross_entropy (losses (B,)
 * gets each sample's loss), backward, sgd_momentum_gpu with lr and
 * momentum. */
void mlp_train_step_gpu(const gpu_mlp *net, const float *x, const int *labels, int B,
                        const float *lr, float momentum, const gpu_mlp_scratch *s,
                        float *losses, cudaStream_t stream);

#ifdef __cplusplus
}
#endif

#endif
