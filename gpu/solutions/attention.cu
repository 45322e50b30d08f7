/* The CUDA track, reference solution: causal scaled dot-product attention,
 * forward, naive and fused (kernels.h has the contract, gpu/dev/attention.cu
 * validates both and times them; gpu/bench/ puts PyTorch's
 * scaled_dot_product_attention beside them). */
#include "kernels.h"

#include <cuda_runtime.h>

#include <math.h>

/* ---- 1. Naive: the scores in memory, the GEMM twice ----------------------- */

enum { SOFTMAX_THREADS = 128, SOFTMAX_WARPS = SOFTMAX_THREADS / 32 };

/* The block's maximum (is_max) or sum of v, every thread getting it: the
 * warps' lanes by shuffles, then the warps' results through shared memory. */
static __device__ float block_reduce(float v, bool is_max)
{
    __shared__ float partial[SOFTMAX_WARPS];
    const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    for (int offset = 16; offset > 0; offset /= 2) {
        const float other = __shfl_xor_sync(0xffffffffu, v, offset);
        v = is_max ? fmaxf(v, other) : v + other;
    }
    if (lane == 0)
        partial[warp] = v;
    __syncthreads();
    v = partial[0];
    for (int w = 1; w < SOFTMAX_WARPS; w++)
        v = is_max ? fmaxf(v, partial[w]) : v + partial[w];
    __syncthreads(); /* everyone has read partial before the next call writes it */
    return v;
}

/* Block i turns row i of S (T, T) into its probabilities, in place: the
 * softmax of S[i, 0..i], and zeros for the future (j > i), which the
 * product with V then skips at no cost to its correctness. */
static __global__ void causal_softmax_kernel(float *S, int T)
{
    float *row = S + (size_t)blockIdx.x * T;
    const int seen = blockIdx.x + 1; /* keys 0 .. i */
    float m = -INFINITY;
    for (int j = threadIdx.x; j < seen; j += SOFTMAX_THREADS)
        m = fmaxf(m, row[j]);
    m = block_reduce(m, true);
    float sum = 0.0f;
    for (int j = threadIdx.x; j < seen; j += SOFTMAX_THREADS)
        sum += expf(row[j] - m);
    const float inv = 1.0f / block_reduce(sum, false);
    for (int j = threadIdx.x; j < T; j += SOFTMAX_THREADS)
        row[j] = j < seen ? expf(row[j] - m) * inv : 0.0f;
}

extern "C" void attention1_naive(const float *Q, const float *K, const float *V, int BH, int T,
                                 int d, float *scores, float *O, cudaStream_t stream)
{
    const float scale = 1.0f / sqrtf((float)d);
    for (int h = 0; h < BH; h++) {
        const size_t head = (size_t)h * T * d;
        /* S = Q K^T / sqrt(d): K (T, d) read transposed */
        gemm3_regblock(false, true, T, T, d, scale, Q + head, K + head, 0.0f, scores, stream);
        causal_softmax_kernel<<<T, SOFTMAX_THREADS, 0, stream>>>(scores, T);
        gemm3_regblock(false, false, T, d, T, 1.0f, scores, V + head, 0.0f, O + head, stream);
    }
}

/* ---- 2. Fused: flash attention, the online softmax over tiles of keys ----- */

/* A block of BR threads takes BR consecutive queries of one head, one
 * query per thread, its row of Q and of O in registers. Tiles of BC keys
 * and their values travel through shared memory, where every thread reads
 * the same key at the same time (a broadcast: no bank conflicts). Each
 * thread takes its keys CHUNK at a time: their scores in registers, one
 * rescale of the running sum and output per chunk rather than per key. */
enum { BR = 64, BC = 64, CHUNK = 16 };

/* Copies rows k0 .. k0+BC-1 of a head's X (T, D) into tile, zeros past T:
 * consecutive threads move consecutive floats (coalesced). */
template <int D>
static __device__ __forceinline__ void load_tile(const float *X, int T, int k0,
                                                 float (&tile)[BC][D])
{
    for (int e = threadIdx.x; e < BC * D; e += BR) {
        const int r = e / D, c = e % D;
        tile[r][c] = k0 + r < T ? X[(size_t)(k0 + r) * D + c] : 0.0f;
    }
}

template <int D>
static __global__ void __launch_bounds__(BR)
    attention2_kernel(const float *Q, const float *K, const float *V, int T, float scale,
                      float *O)
{
    __shared__ float Ks[BC][D], Vs[BC][D];
    const size_t head = (size_t)blockIdx.y * T * D;
    /* The last query tiles see the most keys: they start first. */
    const int q0 = (gridDim.x - 1 - blockIdx.x) * BR, i = q0 + threadIdx.x;
    float q[D], o[D];
#pragma unroll
    for (int k = 0; k < D; k++) {
        q[k] = i < T ? Q[head + (size_t)i * D + k] : 0.0f;
        o[k] = 0.0f;
    }
    float m = -INFINITY, l = 0.0f; /* running max and sum of exp(s - m) */
    const int keys = min(q0 + BR, T); /* the block's last query sees keys < keys */
    for (int k0 = 0; k0 < keys; k0 += BC) {
        load_tile(K + head, T, k0, Ks);
        load_tile(V + head, T, k0, Vs);
        __syncthreads(); /* the tiles are complete */
        /* Chunks wholly in this query's future are skipped. The first chunk
         * holds key 0, which every query sees: m is finite from then on. */
        for (int c0 = 0; c0 < BC && k0 + c0 <= i; c0 += CHUNK) {
            float s[CHUNK], chunk_max = -INFINITY;
#pragma unroll
            for (int c = 0; c < CHUNK; c++) {
                float dot = 0.0f;
#pragma unroll
                for (int k = 0; k < D; k++)
                    dot += q[k] * Ks[c0 + c][k];
                const int j = k0 + c0 + c;
                s[c] = j <= i && j < T ? dot * scale : -INFINITY;
                chunk_max = fmaxf(chunk_max, s[c]);
            }
            const float m_new = fmaxf(m, chunk_max);
            const float rescale = expf(m - m_new); /* 0 at the start: exp(-inf) */
            l *= rescale;
#pragma unroll
            for (int k = 0; k < D; k++)
                o[k] *= rescale;
#pragma unroll
            for (int c = 0; c < CHUNK; c++) {
                const float p = expf(s[c] - m_new); /* 0 for the masked */
                l += p;
#pragma unroll
                for (int k = 0; k < D; k++)
                    o[k] += p * Vs[c0 + c][k];
            }
            m = m_new;
        }
        __syncthreads(); /* everyone is done with the tiles before the next load */
    }
    if (i < T) {
        const float inv = 1.0f / l;
#pragma unroll
        for (int k = 0; k < D; k++)
            O[head + (size_t)i * D + k] = o[k] * inv;
    }
}

extern "C" void attention2_fused(const float *Q, const float *K, const float *V, int BH, int T,
                                 int d, float *O, cudaStream_t stream)
{
    const dim3 grid((T + BR - 1) / BR, BH);
    const float scale = 1.0f / sqrtf((float)d);
    /* The head size is a template argument: q and o stay in registers. */
    switch (d) {
    case 16:
        attention2_kernel<16><<<grid, BR, 0, stream>>>(Q, K, V, T, scale, O);
        break;
    case 32:
        attention2_kernel<32><<<grid, BR, 0, stream>>>(Q, K, V, T, scale, O);
        break;
    case 64:
        attention2_kernel<64><<<grid, BR, 0, stream>>>(Q, K, V, T, scale, O);
        break;
    default:
        dk_fatal("attention2_fused: d = %d, but kernels.h allows 16, 32 or 64", d);
    }
}
