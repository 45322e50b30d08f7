/* The CUDA track, reference solution: chapter 02's MLP, trained on the GPU
 * (kernels.h has the contract; gpu/dev/mlp.cu trains it on MNIST and times
 * an epoch against PyTorch). The layers are those of
 * solutions/02-backprop/layers.c with gemm3_regblock for dk_sgemm; the
 * network and the step follow solutions/02-backprop/mlp.c. */
#include "kernels.h"

#include <cuda_runtime.h>

enum { THREADS = 256 };

static int blocks_for(int n)
{
    const int blocks = (n + THREADS - 1) / THREADS;
    return blocks < 65535 ? blocks : 65535; /* grid-stride loops do the rest */
}

#define FOR_EACH_ELEMENT(i, n)                                                             \
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += gridDim.x * blockDim.x)

/* ---- Layers ------------------------------------------------------------------ */

/* y[i, j] = b[j] for every row i: the product then adds x W^T (beta = 1). */
static __global__ void broadcast_rows_kernel(const float *b, int rows, int cols, float *y)
{
    FOR_EACH_ELEMENT(e, rows * cols)
    y[e] = b[e % cols];
}

extern "C" void linear_forward_gpu(const float *x, const float *W, const float *b, int B,
                                   int in, int out, float *y, cudaStream_t stream)
{
    broadcast_rows_kernel<<<blocks_for(B * out), THREADS, 0, stream>>>(b, B, out, y);
    gemm3_regblock(false, true, B, out, in, 1.0f, x, W, 1.0f, y, stream); /* y += x W^T */
}

/* db[j] += sum_i dy[i, j]: thread j walks down column j, and the threads
 * of a warp read one row's neighbouring columns together. */
static __global__ void column_sums_kernel(const float *dy, int rows, int cols, float *db)
{
    FOR_EACH_ELEMENT(j, cols) {
        float sum = 0.0f;
        for (int i = 0; i < rows; i++)
            sum += dy[i * cols + j];
        db[j] += sum;
    }
}

extern "C" void linear_backward_gpu(const float *x, const float *W, const float *dy, int B,
                                    int in, int out, float *dx, float *dW, float *db,
                                    cudaStream_t stream)
{
    if (dx)
        gemm3_regblock(false, false, B, in, out, 1.0f, dy, W, 0.0f, dx, stream); /* dx = dy W */
    gemm3_regblock(true, false, out, in, B, 1.0f, dy, x, 1.0f, dW, stream);      /* dW += dy^T x */
    column_sums_kernel<<<blocks_for(out), THREADS, 0, stream>>>(dy, B, out, db);
}

static __global__ void relu_forward_kernel(const float *x, int n, float *y)
{
    FOR_EACH_ELEMENT(i, n)
    y[i] = fmaxf(x[i], 0.0f);
}

static __global__ void relu_backward_kernel(const float *x, const float *dy, int n, float *dx)
{
    FOR_EACH_ELEMENT(i, n)
    dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
}

extern "C" void relu_forward_gpu(const float *x, int n, float *y, cudaStream_t stream)
{
    relu_forward_kernel<<<blocks_for(n), THREADS, 0, stream>>>(x, n, y);
}

extern "C" void relu_backward_gpu(const float *x, const float *dy, int n, float *dx,
                                  cudaStream_t stream)
{
    relu_backward_kernel<<<blocks_for(n), THREADS, 0, stream>>>(x, dy, n, dx);
}

static __global__ void sgd_momentum_kernel(float *params, const float *grads, float *velocity,
                                           int n, const float *lr, float momentum)
{
    const float rate = *lr;
    FOR_EACH_ELEMENT(i, n) {
        const float v = momentum * velocity[i] + grads[i];
        velocity[i] = v;
        params[i] -= rate * v;
    }
}

extern "C" void sgd_momentum_gpu(float *params, const float *grads, float *velocity, int n,
                                 const float *lr, float momentum, cudaStream_t stream)
{
    sgd_momentum_kernel<<<blocks_for(n), THREADS, 0, stream>>>(params, grads, velocity, n, lr,
                                                               momentum);
}

/* ---- The network ---------------------------------------------------------------- */

/* Where layer l's W starts in a params-shaped buffer (its b follows). */
static int weight_offset(const gpu_mlp *net, int l)
{
    int off = 0;
    for (int k = 0; k < l; k++)
        off += net->sizes[k + 1] * (net->sizes[k] + 1);
    return off;
}

extern "C" void mlp_forward_gpu(const gpu_mlp *net, const float *x, int B, float *acts,
                                float *logits, cudaStream_t stream)
{
    const float *in = x;
    for (int l = 0; l < net->nlayers; l++) {
        const float *W = net->params + weight_offset(net, l);
        const int n_in = net->sizes[l], n_out = net->sizes[l + 1];
        const float *b = W + n_out * n_in;
        if (l + 1 == net->nlayers) {
            linear_forward_gpu(in, W, b, B, n_in, n_out, logits, stream);
            break;
        }
        float *z = acts, *h = acts + B * n_out;
        linear_forward_gpu(in, W, b, B, n_in, n_out, z, stream);
        relu_forward_gpu(z, B * n_out, h, stream);
        in = h;
        acts += 2 * B * n_out;
    }
}

extern "C" void mlp_backward_gpu(const gpu_mlp *net, const float *x, int B, const float *acts,
                                 const float *dlogits, float *dacts, cudaStream_t stream)
{
    /* Hidden layer k's z starts at hidden[k] in acts; its h follows. */
    int hidden[GPU_MLP_MAX_LAYERS] = {0};
    for (int k = 1; k + 1 < net->nlayers; k++)
        hidden[k] = hidden[k - 1] + 2 * B * net->sizes[k];
    const float *dout = dlogits;
    for (int l = net->nlayers - 1; l >= 0; l--) {
        const int n_in = net->sizes[l], n_out = net->sizes[l + 1], w = weight_offset(net, l);
        /* The layer's input: x, or hidden layer l-1's h. */
        const int h = l ? hidden[l - 1] : 0;
        const float *in = l ? acts + h + B * n_in : x;
        float *din = l ? dacts + h + B * n_in : nullptr;
        linear_backward_gpu(in, net->params + w, dout, B, n_in, n_out, din, net->grads + w,
                            net->grads + w + n_out * n_in, stream);
        if (l == 0)
            break;
        relu_backward_gpu(acts + h, din, B * n_in, dacts + h, stream);
        dout = dacts + h;
    }
}

extern "C" void mlp_train_step_gpu(const gpu_mlp *net, const float *x, const int *labels, int B,
                                   const float *lr, float momentum, const gpu_mlp_scratch *s,
                                   float *losses, cudaStream_t stream)
{
    const int C = net->sizes[net->nlayers];
    cudaMemsetAsync(net->grads, 0, (size_t)net->nparams * sizeof(float), stream);
    mlp_forward_gpu(net, x, B, s->acts, s->logits, stream);
    cross_entropy(s->logits, labels, B, C, losses, s->dlogits, stream);
    mlp_backward_gpu(net, x, B, s->acts, s->dlogits, s->dacts, stream);
    sgd_momentum_gpu(net->params, net->grads, net->velocity, net->nparams, lr, momentum, stream);
}
