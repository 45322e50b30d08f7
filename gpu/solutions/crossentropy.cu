/* The CUDA track, reference solution: softmax and cross-entropy fused, with
 * its gradient (kernels.h has the contract). */
#include "kernels.h"

#include <cuda_runtime.h>

#include <math.h>

/* A running max m and a running sum s = sum exp(x - m) (softmax.cu's
 * online softmax); the empty state (-inf, 0) is the identity of combine. */
struct online {
    float m, s;
};

static __device__ __forceinline__ online add(online a, float x)
{
    if (x > a.m) /* a new max: rescale the sum to it */
        return online{x, a.s * expf(a.m - x) + 1.0f};
    return online{a.m, a.s + expf(x - a.m)};
}

static __device__ __forceinline__ online combine(online a, online b)
{
    if (a.s == 0.0f)
        return b;
    if (b.s == 0.0f)
        return a;
    const float m = fmaxf(a.m, b.m);
    return online{m, a.s * expf(a.m - m) + b.s * expf(b.m - m)};
}

static __device__ __forceinline__ online warp_combine(online v)
{
    for (int offset = 16; offset > 0; offset /= 2)
        v = combine(v, online{__shfl_xor_sync(0xffffffffu, v.m, offset),
                              __shfl_xor_sync(0xffffffffu, v.s, offset)});
    return v;
}

template <int THREADS> static __device__ online block_combine(online v)
{
    constexpr int WARPS = THREADS / 32;
    __shared__ online partial[WARPS];
    __shared__ online result;
    const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    v = warp_combine(v);
    if (lane == 0)
        partial[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = warp_combine(lane < WARPS ? partial[lane] : online{-INFINITY, 0.0f});
        if (lane == 0)
            result = v;
    }
    __syncthreads();
    return result;
}

/* Block i handles row i: one pass for the row's (max, sum), then the loss
 * and the gradient. The loss is log(s) - (x[label] - m), not
 * m + log(s) - x[label]: for logits near 1000 the latter subtracts two
 * numbers near 1000 and keeps only float32's last bits of their
 * difference. */
template <int THREADS>
static __global__ void cross_entropy_kernel(const float *logits, const int *labels, int C,
                                            float inv_B, float *losses, float *dlogits)
{
    const float *x = logits + (size_t)blockIdx.x * C;
    online v{-INFINITY, 0.0f};
    for (int j = threadIdx.x; j < C; j += THREADS)
        v = add(v, x[j]);
    v = block_combine<THREADS>(v);
    const int label = labels[blockIdx.x];
    if (threadIdx.x == 0)
        losses[blockIdx.x] = logf(v.s) - (x[label] - v.m);
    if (!dlogits)
        return;
    float *d = dlogits + (size_t)blockIdx.x * C;
    const float inv_s = 1.0f / v.s;
    for (int j = threadIdx.x; j < C; j += THREADS)
        d[j] = (expf(x[j] - v.m) * inv_s - (j == label ? 1.0f : 0.0f)) * inv_B;
}

extern "C" void cross_entropy(const float *logits, const int *labels, int B, int C,
                              float *losses, float *dlogits, cudaStream_t stream)
{
    /* A network's few classes need one warp per row, a vocabulary more. */
    const float inv_B = 1.0f / (float)B;
    if (C <= 32)
        cross_entropy_kernel<32><<<B, 32, 0, stream>>>(logits, labels, C, inv_B, losses, dlogits);
    else if (C <= 1024)
        cross_entropy_kernel<128><<<B, 128, 0, stream>>>(logits, labels, C, inv_B, losses, dlogits);
    else
        cross_entropy_kernel<256><<<B, 256, 0, stream>>>(logits, labels, C, inv_B, losses, dlogits);
}
