/* The CUDA track, reference solution: 2-D convolution forward, NHWC, as
 * im2col + GEMM and as an implicit GEMM (kernels.h has the contract,
 * gpu/dev/conv2d.cu validates both and times them against cuDNN).
 *
 * Both see the convolution as one matrix product: with the patch matrix P
 * (N*OH*OW, kh*kw*C), one row per output pixel holding the input values
 * under the filter there, y = P Wt^T + b, Wt being (K, kh*kw*C). */
#include "kernels.h"

#include <cuda_runtime.h>

#include <stdint.h>

/* The sizes every kernel needs, derived once on the host. */
struct conv_geometry {
    conv2d_dims d;
    int OH, OW;
    int rows;  /* N*OH*OW: rows of P and of y */
    int patch; /* kh*kw*C: columns of P */
};

static conv_geometry geometry(const conv2d_dims *d)
{
    conv_geometry g{*d, conv2d_out_dim(d->H, d->kh, d->stride, d->pad),
                    conv2d_out_dim(d->W, d->kw, d->stride, d->pad), 0, d->kh * d->kw * d->C};
    g.rows = d->N * g.OH * g.OW;
    return g;
}

static int blocks_for(long n, int threads)
{
    const long blocks = (n + threads - 1) / threads;
    return blocks < 65535 * 16 ? (int)blocks : 65535 * 16; /* grid-stride beyond */
}

/* ---- 1. im2col, then the GEMM ---------------------------------------------- */

/* One thread per element of P, in P's order: consecutive threads write
 * consecutive addresses, and read consecutive channels of a pixel. */
static __global__ void im2col_kernel(const float *x, conv_geometry g, float *cols)
{
    const long total = (long)g.rows * g.patch;
    for (long e = blockIdx.x * (long)blockDim.x + threadIdx.x; e < total;
         e += (long)gridDim.x * blockDim.x) {
        const int row = (int)(e / g.patch), col = (int)(e % g.patch);
        const int c = col % g.d.C, j = col / g.d.C % g.d.kw, i = col / g.d.C / g.d.kw;
        const int ow = row % g.OW, oh = row / g.OW % g.OH, n = row / g.OW / g.OH;
        const int h = oh * g.d.stride + i - g.d.pad, w = ow * g.d.stride + j - g.d.pad;
        const bool inside = h >= 0 && h < g.d.H && w >= 0 && w < g.d.W;
        cols[e] = inside ? x[(((long)n * g.d.H + h) * g.d.W + w) * g.d.C + c] : 0.0f;
    }
}

extern "C" void im2col_nhwc(const float *x, const conv2d_dims *d, float *cols,
                            cudaStream_t stream)
{
    const conv_geometry g = geometry(d);
    im2col_kernel<<<blocks_for((long)g.rows * g.patch, 256), 256, 0, stream>>>(x, g, cols);
}

/* y[r, k] = b[k] for every row: the GEMM then adds P Wt^T (beta = 1). */
static __global__ void broadcast_rows_kernel(const float *b, int rows, int K, float *y)
{
    const long total = (long)rows * K;
    for (long e = blockIdx.x * (long)blockDim.x + threadIdx.x; e < total;
         e += (long)gridDim.x * blockDim.x)
        y[e] = b[e % K];
}

extern "C" void conv2d1_im2col(const float *x, const float *Wt, const float *b,
                               const conv2d_dims *d, float *cols, float *y, cudaStream_t stream)
{
    const conv_geometry g = geometry(d);
    im2col_nhwc(x, d, cols, stream);
    broadcast_rows_kernel<<<blocks_for((long)g.rows * d->K, 256), 256, 0, stream>>>(
        b, g.rows, d->K, y);
    gemm3_regblock(false, true, g.rows, d->K, g.patch, 1.0f, cols, Wt, 1.0f, y, stream);
}

/* ---- 2. Implicit GEMM ----------------------------------------------------------- */

/* gemm3_regblock's kernel (gemm.cu) with two changes: the tile loader of P
 * computes, for each element, the input pixel it comes from, instead of
 * reading a patch matrix that im2col wrote to memory and the GEMM reads
 * back; and the epilogue adds the bias. Everything else, the register
 * blocking, the two stages of shared memory and the 16-byte loads, is the
 * same. */
enum { PAD = 4 };

template <int ROWS, int BK> using stage = float[BK][ROWS + PAD];

/* Loads tiles of P: ROWS output pixels, BK patch columns (i, j, c). A
 * thread moves LOADS groups of 4 columns, always for the same rows, whose
 * origin (first pixel of the window, sample offset) it finds once. With C
 * a multiple of 4, a group is 4 channels of one pixel: one float4. */
template <int ROWS, int BK, int THREADS> struct patch_loader {
    static constexpr int LOADS = ROWS * BK / 4 / THREADS;
    float4 v[LOADS];
    int sample[LOADS];        /* offset of x[n, 0, 0, 0] */
    int h0[LOADS], w0[LOADS]; /* the window's first pixel; h0 = OUTSIDE past the last row */
    static constexpr int OUTSIDE = -(1 << 30);

    __device__ __forceinline__ void init(const conv_geometry &g, int row0)
    {
#pragma unroll
        for (int i = 0; i < LOADS; i++) {
            const int row = row0 + (threadIdx.x + i * THREADS) / (BK / 4);
            const int ow = row % g.OW, oh = row / g.OW % g.OH, n = row / g.OW / g.OH;
            sample[i] = n * g.d.H * g.d.W * g.d.C;
            h0[i] = row < g.rows ? oh * g.d.stride - g.d.pad : OUTSIDE;
            w0[i] = ow * g.d.stride - g.d.pad;
        }
    }

    /* x[n, h0 + i, w0 + j, c] for patch column col = (i, j, c), or 0. */
    __device__ __forceinline__ const float *source(const float *x, const conv_geometry &g,
                                                   int l, int col) const
    {
        const int c = col % g.d.C, j = col / g.d.C % g.d.kw, i = col / g.d.C / g.d.kw;
        const int h = h0[l] + i, w = w0[l] + j;
        if (col >= g.patch || h < 0 || h >= g.d.H || w < 0 || w >= g.d.W)
            return nullptr;
        return x + sample[l] + (h * g.d.W + w) * g.d.C + c;
    }

    __device__ __forceinline__ void fetch(const float *x, const conv_geometry &g, int k0,
                                          bool vec)
    {
#pragma unroll
        for (int i = 0; i < LOADS; i++) {
            const int col = k0 + 4 * ((threadIdx.x + i * THREADS) % (BK / 4));
            if (vec) { /* the 4 columns are 4 channels of one pixel */
                const float *p = source(x, g, i, col);
                v[i] = p ? *reinterpret_cast<const float4 *>(p) : float4{};
                continue;
            }
            float e[4];
#pragma unroll
            for (int q = 0; q < 4; q++) {
                const float *p = source(x, g, i, col + q);
                e[q] = p ? *p : 0.0f;
            }
            v[i] = make_float4(e[0], e[1], e[2], e[3]);
        }
    }

    __device__ __forceinline__ void store(stage<ROWS, BK> &S) const
    {
#pragma unroll
        for (int i = 0; i < LOADS; i++) {
            const int g = threadIdx.x + i * THREADS, r = g / (BK / 4), k = 4 * (g % (BK / 4));
            S[k][r] = v[i].x, S[k + 1][r] = v[i].y, S[k + 2][r] = v[i].z, S[k + 3][r] = v[i].w;
        }
    }
};

/* Loads tiles of Wt^T: ROWS filters, BK patch columns; Wt is (K, patch),
 * so a filter's columns are contiguous (gemm.cu's loader with CONTIG_K). */
template <int ROWS, int BK, int THREADS> struct filter_loader {
    static constexpr int LOADS = ROWS * BK / 4 / THREADS;
    float4 v[LOADS];

    __device__ __forceinline__ void fetch(const float *Wt, int K, int patch, int col0, int k0,
                                          bool vec)
    {
#pragma unroll
        for (int i = 0; i < LOADS; i++) {
            const int g = threadIdx.x + i * THREADS;
            const int r = col0 + g / (BK / 4), k = k0 + 4 * (g % (BK / 4));
            const float *p = Wt + (long)r * patch + k;
            if (vec && r < K && k + 3 < patch) {
                v[i] = *reinterpret_cast<const float4 *>(p);
                continue;
            }
            float e[4];
#pragma unroll
            for (int q = 0; q < 4; q++)
                e[q] = r < K && k + q < patch ? p[q] : 0.0f;
            v[i] = make_float4(e[0], e[1], e[2], e[3]);
        }
    }

    __device__ __forceinline__ void store(stage<ROWS, BK> &S) const
    {
#pragma unroll
        for (int i = 0; i < LOADS; i++) {
            const int g = threadIdx.x + i * THREADS, r = g / (BK / 4), k = 4 * (g % (BK / 4));
            S[k][r] = v[i].x, S[k + 1][r] = v[i].y, S[k + 2][r] = v[i].z, S[k + 3][r] = v[i].w;
        }
    }
};

static __device__ __forceinline__ bool aligned16(const void *p)
{
    return (reinterpret_cast<uintptr_t>(p) & 15) == 0;
}

template <int BM, int BN, int BK, int TM, int TN>
static __global__ void __launch_bounds__((BM / TM) * (BN / TN), 2)
    conv2d2_kernel(const float *x, const float *Wt, const float *b, conv_geometry g, float *y)
{
    constexpr int THREADS = (BM / TM) * (BN / TN), COLS = BN / TN;
    constexpr int GM = TM / 4, GN = TN / 4;
    __shared__ __align__(16) stage<BM, BK> As[2];
    __shared__ __align__(16) stage<BN, BK> Bs[2];
    patch_loader<BM, BK, THREADS> a_load;
    filter_loader<BN, BK, THREADS> b_load;
    const int K = g.d.K, row0 = blockIdx.y * BM, col0 = blockIdx.x * BN;
    const bool a_vec = g.d.C % 4 == 0 && aligned16(x);
    const bool b_vec = g.patch % 4 == 0 && aligned16(Wt);
    const int tr = threadIdx.x / COLS, tc = threadIdx.x % COLS;

    float acc[TM][TN] = {};
    a_load.init(g, row0);
    a_load.fetch(x, g, 0, a_vec);
    b_load.fetch(Wt, K, g.patch, col0, 0, b_vec);
    a_load.store(As[0]);
    b_load.store(Bs[0]);
    __syncthreads();
    const int steps = (g.patch + BK - 1) / BK;
    for (int s = 0; s < steps; s++) {
        const bool more = s + 1 < steps;
        if (more) {
            a_load.fetch(x, g, (s + 1) * BK, a_vec);
            b_load.fetch(Wt, K, g.patch, col0, (s + 1) * BK, b_vec);
        }
        const stage<BM, BK> &as = As[s % 2];
        const stage<BN, BK> &bs = Bs[s % 2];
#pragma unroll
        for (int k = 0; k < BK; k++) {
            float a[TM], bv[TN];
#pragma unroll
            for (int q = 0; q < GM; q++)
                *reinterpret_cast<float4 *>(&a[4 * q]) =
                    *reinterpret_cast<const float4 *>(&as[k][q * (BM / GM) + 4 * tr]);
#pragma unroll
            for (int q = 0; q < GN; q++)
                *reinterpret_cast<float4 *>(&bv[4 * q]) =
                    *reinterpret_cast<const float4 *>(&bs[k][q * (BN / GN) + 4 * tc]);
#pragma unroll
            for (int i = 0; i < TM; i++)
#pragma unroll
                for (int j = 0; j < TN; j++)
                    acc[i][j] += a[i] * bv[j];
        }
        if (more) {
            a_load.store(As[(s + 1) % 2]);
            b_load.store(Bs[(s + 1) % 2]);
        }
        __syncthreads();
    }

    const bool y_vec = K % 4 == 0 && aligned16(y) && aligned16(b);
#pragma unroll
    for (int i = 0; i < TM; i++) {
        const int row = row0 + (i / 4) * (BM / GM) + 4 * tr + i % 4;
        if (row >= g.rows)
            continue;
#pragma unroll
        for (int q = 0; q < GN; q++) {
            const int col = col0 + q * (BN / GN) + 4 * tc;
            float *out = y + (long)row * K + col;
            if (y_vec && col + 3 < K) {
                const float4 bias = *reinterpret_cast<const float4 *>(b + col);
                *reinterpret_cast<float4 *>(out) =
                    make_float4(acc[i][4 * q] + bias.x, acc[i][4 * q + 1] + bias.y,
                                acc[i][4 * q + 2] + bias.z, acc[i][4 * q + 3] + bias.w);
                continue;
            }
#pragma unroll
            for (int j = 0; j < 4; j++)
                if (col + j < K)
                    out[j] = acc[i][4 * q + j] + b[col + j];
        }
    }
}

template <int BM, int BN, int BK, int TM, int TN>
static void conv2d2_launch(const float *x, const float *Wt, const float *b,
                           const conv_geometry &g, float *y, cudaStream_t stream)
{
    const dim3 block((BM / TM) * (BN / TN)), grid((g.d.K + BN - 1) / BN, (g.rows + BM - 1) / BM);
    conv2d2_kernel<BM, BN, BK, TM, TN><<<grid, block, 0, stream>>>(x, Wt, b, g, y);
}

static int multiprocessors()
{
    static int count;
    if (count == 0) {
        int device = 0;
        cudaGetDevice(&device);
        cudaDeviceGetAttribute(&count, cudaDevAttrMultiProcessorCount, device);
        count = count > 0 ? count : 1;
    }
    return count;
}

extern "C" void conv2d2_implicit(const float *x, const float *Wt, const float *b,
                                 const conv2d_dims *d, float *y, cudaStream_t stream)
{
    /* As gemm3_regblock: big tiles for big products; 64 columns when there
     * are only 64 filters (or fewer), and small tiles when big ones would
     * leave multiprocessors idle. */
    const conv_geometry g = geometry(d);
    const long big_tiles = (long)((g.rows + 127) / 128) * ((d->K + 127) / 128);
    if (d->K <= 64)
        conv2d2_launch<128, 64, 16, 8, 4>(x, Wt, b, g, y, stream);
    else if (big_tiles >= multiprocessors())
        conv2d2_launch<128, 128, 16, 8, 8>(x, Wt, b, g, y, stream);
    else
        conv2d2_launch<64, 64, 16, 4, 4>(x, Wt, b, g, y, stream);
}
