/* The CUDA track, reference solution: row-wise softmax, stable, in two
 * versions (kernels.h has the contract, gpu/dev/softmax.cu validates them
 * and times them against a device-to-device copy). */
#include "kernels.h"

#include <cuda_runtime.h>

#include <math.h>
#include <stdint.h>

enum { THREADS = 256, WARPS = THREADS / 32 };

/* ---- Reductions over a block ------------------------------------------------ */

/* The operations, with their identities (what an idle lane contributes). */
struct max_op {
    static constexpr float identity = -INFINITY;
    __device__ float operator()(float a, float b) const { return fmaxf(a, b); }
};
struct sum_op {
    static constexpr float identity = 0.0f;
    __device__ float operator()(float a, float b) const { return a + b; }
};

/* op over the 32 lanes of a warp, every lane getting the result: each
 * shuffle halves the distance (xor) between the lanes combined. */
template <typename Op> static __device__ float warp_reduce(float v, Op op)
{
    for (int offset = 16; offset > 0; offset /= 2)
        v = op(v, __shfl_xor_sync(0xffffffffu, v, offset));
    return v;
}

/* op over the THREADS threads of the block, every thread getting the
 * result: each warp reduces its lanes, warp 0 reduces the warps' results. */
template <typename Op> static __device__ float block_reduce(float v, Op op)
{
    __shared__ float partial[WARPS];
    __shared__ float result;
    const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    v = warp_reduce(v, op);
    if (lane == 0)
        partial[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = warp_reduce(lane < WARPS ? partial[lane] : Op::identity, op);
        if (lane == 0)
            result = v;
    }
    __syncthreads();
    v = result;
    __syncthreads(); /* partial and result may be reused by the next call */
    return v;
}

/* ---- 1. Three passes: max, sum, outputs ------------------------------------- */

/* Block i handles row i, its threads striding along the row (neighbouring
 * threads read neighbouring elements: coalesced). Subtracting the row's
 * max keeps every exponent <= 0, so nothing overflows. */
static __global__ void softmax1_kernel(const float *logits, int C, float *p)
{
    const float *x = logits + (size_t)blockIdx.x * C;
    float *y = p + (size_t)blockIdx.x * C;
    float m = -INFINITY;
    for (int j = threadIdx.x; j < C; j += THREADS)
        m = fmaxf(m, x[j]);
    m = block_reduce(m, max_op());
    float sum = 0.0f;
    for (int j = threadIdx.x; j < C; j += THREADS)
        sum += expf(x[j] - m);
    const float inv = 1.0f / block_reduce(sum, sum_op());
    for (int j = threadIdx.x; j < C; j += THREADS)
        y[j] = expf(x[j] - m) * inv;
}

extern "C" void softmax1_rows(const float *logits, int B, int C, float *p, cudaStream_t stream)
{
    softmax1_kernel<<<B, THREADS, 0, stream>>>(logits, C, p);
}

/* ---- 2. Online: the max and the sum in one pass ------------------------------ */

/* A running max m and a running sum s = sum exp(x - m) of what has been
 * seen. The empty state (-inf, 0) is the identity of combine. */
struct online {
    float m, s;
};

static __device__ __forceinline__ online add(online a, float x)
{
    if (x > a.m) /* a new max: rescale the sum to it (exp(-inf) = 0 first) */
        return online{x, a.s * expf(a.m - x) + 1.0f};
    return online{a.m, a.s + expf(x - a.m)};
}

/* Four at once: one rescale to the new max, not up to four, and no branch
 * for the threads of a warp to diverge on. */
static __device__ __forceinline__ online add4(online a, float4 q)
{
    const float m = fmaxf(a.m, fmaxf(fmaxf(q.x, q.y), fmaxf(q.z, q.w)));
    return online{m, a.s * expf(a.m - m) + (expf(q.x - m) + expf(q.y - m)) +
                         (expf(q.z - m) + expf(q.w - m))};
}

static __device__ __forceinline__ online combine(online a, online b)
{
    if (a.s == 0.0f) /* nothing seen: avoid exp(-inf - -inf) = NaN */
        return b;
    if (b.s == 0.0f)
        return a;
    const float m = fmaxf(a.m, b.m);
    return online{m, a.s * expf(a.m - m) + b.s * expf(b.m - m)};
}

static __device__ online block_combine(online v)
{
    __shared__ online partial[WARPS];
    __shared__ online result;
    const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    for (int offset = 16; offset > 0; offset /= 2)
        v = combine(v, online{__shfl_xor_sync(0xffffffffu, v.m, offset),
                              __shfl_xor_sync(0xffffffffu, v.s, offset)});
    if (lane == 0)
        partial[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = lane < WARPS ? partial[lane] : online{-INFINITY, 0.0f};
        for (int offset = 16; offset > 0; offset /= 2)
            v = combine(v, online{__shfl_xor_sync(0xffffffffu, v.m, offset),
                                  __shfl_xor_sync(0xffffffffu, v.s, offset)});
        if (lane == 0)
            result = v;
    }
    __syncthreads();
    return result; /* written once per launch: no reuse to guard against */
}

/* One pass reads the row for (max, sum), a second reads it again (from
 * the L2 cache, mostly) to write the outputs: two reads and a write per
 * element instead of three and a write. Rows whose start and length allow
 * it move as float4s: 16 bytes per load. */
static __global__ void softmax2_kernel(const float *logits, int C, float *p)
{
    const float *x = logits + (size_t)blockIdx.x * C;
    float *y = p + (size_t)blockIdx.x * C;
    const bool vec = C % 4 == 0 && ((reinterpret_cast<uintptr_t>(x) |
                                     reinterpret_cast<uintptr_t>(y)) & 15) == 0;
    const int C4 = vec ? C / 4 : 0; /* float4s; the rest goes one by one */
    const float4 *x4 = reinterpret_cast<const float4 *>(x);
    online v{-INFINITY, 0.0f};
#pragma unroll 4 /* several loads in flight per thread */
    for (int j = threadIdx.x; j < C4; j += THREADS)
        v = add4(v, x4[j]);
    for (int j = 4 * C4 + threadIdx.x; j < C; j += THREADS)
        v = add(v, x[j]);
    v = block_combine(v);
    const float inv = 1.0f / v.s;
    float4 *y4 = reinterpret_cast<float4 *>(y);
    for (int j = threadIdx.x; j < C4; j += THREADS) {
        const float4 q = x4[j];
        y4[j] = make_float4(expf(q.x - v.m) * inv, expf(q.y - v.m) * inv,
                            expf(q.z - v.m) * inv, expf(q.w - v.m) * inv);
    }
    for (int j = 4 * C4 + threadIdx.x; j < C; j += THREADS)
        y[j] = expf(x[j] - v.m) * inv;
}

extern "C" void softmax2_online(const float *logits, int B, int C, float *p, cudaStream_t stream)
{
    softmax2_kernel<<<B, THREADS, 0, stream>>>(logits, C, p);
}
