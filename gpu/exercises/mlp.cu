/* The CUDA track, the MLP: chapter 02's network, trained on the GPU with
 * your kernels. kernels.h is the contract, and chapter 02's layers.c and
 * mlp.c (your own, or solutions/02-backprop/) are the model to follow.
 * Replace each NOT_IMPLEMENTED() (and the (void) lines) with your code;
 * `make gpu` grades it, and the mlp program of `make gpu-dev` trains it on
 * MNIST and times an epoch against PyTorch. */
#include "kernels.h"

/* y = x W^T + b: a kernel that copies b into every row of y, then your
 * gemm3_regblock with beta = 1. */
extern "C" void linear_forward_gpu(const float *x, const float *W, const float *b, int B,
                                   int in, int out, float *y, cudaStream_t stream)
{
    (void)x, (void)W, (void)b, (void)B, (void)in, (void)out, (void)y, (void)stream;
    NOT_IMPLEMENTED();
}

/* dx = dy W, dW += dy^T x (two GEMMs: which transposes?), and db += the
 * column sums of dy (a kernel: one thread per column). */
extern "C" void linear_backward_gpu(const float *x, const float *W, const float *dy, int B,
                                    int in, int out, float *dx, float *dW, float *db,
                                    cudaStream_t stream)
{
    (void)x, (void)W, (void)dy, (void)B, (void)in, (void)out, (void)dx, (void)dW, (void)db,
        (void)stream;
    NOT_IMPLEMENTED();
}

/* One thread per element. */
extern "C" void relu_forward_gpu(const float *x, int n, float *y, cudaStream_t stream)
{
    (void)x, (void)n, (void)y, (void)stream;
    NOT_IMPLEMENTED();
}

extern "C" void relu_backward_gpu(const float *x, const float *dy, int n, float *dx,
                                  cudaStream_t stream)
{
    (void)x, (void)dy, (void)n, (void)dx, (void)stream;
    NOT_IMPLEMENTED();
}

/* One thread per parameter; lr is read on the GPU (*lr). */
extern "C" void sgd_momentum_gpu(float *params, const float *grads, float *velocity, int n,
                                 const float *lr, float momentum, cudaStream_t stream)
{
    (void)params, (void)grads, (void)velocity, (void)n, (void)lr, (void)momentum, (void)stream;
    NOT_IMPLEMENTED();
}

/* Chapter 02's mlp_forward, layer by layer, with your kernels. */
extern "C" void mlp_forward_gpu(const gpu_mlp *net, const float *x, int B, float *acts,
                                float *logits, cudaStream_t stream)
{
    (void)net, (void)x, (void)B, (void)acts, (void)logits, (void)stream;
    NOT_IMPLEMENTED();
}

/* Chapter 02's mlp_backward: from the last layer to the first. */
extern "C" void mlp_backward_gpu(const gpu_mlp *net, const float *x, int B, const float *acts,
                                 const float *dlogits, float *dacts, cudaStream_t stream)
{
    (void)net, (void)x, (void)B, (void)acts, (void)dlogits, (void)dacts, (void)stream;
    NOT_IMPLEMENTED();
}

/* cudaMemsetAsync the gradients, forward, cross_entropy, backward, SGD:
 * all on `stream`, nothing that waits, so that a CUDA graph can hold it. */
extern "C" void mlp_train_step_gpu(const gpu_mlp *net, const float *x, const int *labels, int B,
                                   const float *lr, float momentum, const gpu_mlp_scratch *s,
                                   float *losses, cudaStream_t stream)
{
    (void)net, (void)x, (void)labels, (void)B, (void)lr, (void)momentum, (void)s, (void)losses,
        (void)stream;
    NOT_IMPLEMENTED();
}
