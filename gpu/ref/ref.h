/* The CUDA track's CPU references: what every kernel of gpu/exercises/
 * must compute, in plain C11 over host arrays, with the same arguments as
 * the kernels' launchers (kernels.h) minus the stream.
 *
 * They are the ground truth of the grader and of the gpu/dev programs, so
 * they favour accuracy over speed: sums are taken in double and rounded to
 * float once. They need nothing but the C library, because they must build
 * on a GPU machine that has no OpenBLAS or Criterion; make check tests them
 * against chapter 02's and chapter 04's reference solutions
 * (gpu/tests/cpu_refs.c). */
#ifndef DLKIT_GPU_REF_H
#define DLKIT_GPU_REF_H

#include "kernels.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* C = alpha op(A) op(B) + beta C, kernels.h's gemm contract (beta = 0:
 * C is not read). */
void cpu_gemm(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float *A,
              const float *B, float beta, float *C);

/* Row-wise softmax of logits (B, C) into p (B, C). */
void cpu_softmax(const float *logits, int B, int C, float *p);

/* Per-row cross-entropy losses (B,) and, unless NULL, dlogits (B, C) of
 * the batch's mean loss, as kernels.h's cross_entropy. */
void cpu_cross_entropy(const float *logits, const int *labels, int B, int C, float *losses,
                       float *dlogits);

/* im2col and the direct convolution, NHWC, kernels.h's conv2d contract. */
void cpu_im2col(const float *x, const conv2d_dims *d, float *cols);
void cpu_conv2d(const float *x, const float *Wt, const float *b, const conv2d_dims *d,
                float *y);

/* Causal scaled dot-product attention, kernels.h's attention contract:
 * Q, K, V, O (BH, T, d). */
void cpu_attention(const float *Q, const float *K, const float *V, int BH, int T, int d,
                   float *O);

/* Chapter 02's layers, with host arrays, as kernels.h's *_gpu functions. */
void cpu_linear_forward(const float *x, const float *W, const float *b, int B, int in, int out,
                        float *y);
void cpu_linear_backward(const float *x, const float *W, const float *dy, int B, int in,
                         int out, float *dx, float *dW, float *db);
void cpu_relu_forward(const float *x, int n, float *y);
void cpu_relu_backward(const float *x, const float *dy, int n, float *dx);
void cpu_sgd_momentum(float *params, const float *grads, float *velocity, int n, float lr,
                      float momentum);

/* The MLP, with net's params, grads and velocity in HOST memory. */
void cpu_mlp_forward(const gpu_mlp *net, const float *x, int B, float *acts, float *logits);
void cpu_mlp_backward(const gpu_mlp *net, const float *x, int B, const float *acts,
                      const float *dlogits, float *dacts);
void cpu_mlp_train_step(const gpu_mlp *net, const float *x, const int *labels, int B,
                        float lr, float momentum, const gpu_mlp_scratch *s, float *losses);

/* Where layer l's W starts in a params-shaped buffer (its b follows,
 * sizes[l+1] * sizes[l] floats later); with l = nlayers, nparams. */
int mlp_weight_offset(const gpu_mlp *net, int l);

#ifdef __cplusplus
}
#endif

#endif
