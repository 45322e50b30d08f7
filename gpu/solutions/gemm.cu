/* The CUDA track, reference solution: C = alpha op(A) op(B) + beta C in
 * three versions, each faster than the last (kernels.h has the contract,
 * gpu/dev/gemm.cu validates and times them against cuBLAS). */
#include "kernels.h"

#include <cuda_runtime.h>

#include <stdint.h>
#include <type_traits>

/* alpha * acc + beta * c, without reading c when beta is 0 (C may hold
 * NaN then, as in BLAS). */
static __device__ __forceinline__ float epilogue(float acc, float alpha, float beta,
                                                 const float *c)
{
    return beta == 0.0f ? alpha * acc : alpha * acc + beta * *c;
}

/* ---- 1. Naive: one thread per element of C --------------------------------- */

/* Thread (x, y) of the grid computes C[row, col]. x runs along the columns,
 * so the 32 threads of a warp take 32 neighbouring columns: their reads of B
 * (stored (K, N)) and their writes of C fall on consecutive addresses. */
template <bool TA, bool TB>
static __global__ void gemm1_kernel(int M, int N, int K, float alpha, const float *A,
                                    const float *B, float beta, float *C)
{
    const int row = blockIdx.y * blockDim.y + threadIdx.y;
    const int col = blockIdx.x * blockDim.x + threadIdx.x;
    if (row >= M || col >= N)
        return;
    float acc = 0.0f;
    for (int k = 0; k < K; k++) {
        const float a = TA ? A[k * M + row] : A[row * K + k];
        const float b = TB ? B[col * K + k] : B[k * N + col];
        acc += a * b;
    }
    C[row * N + col] = epilogue(acc, alpha, beta, &C[row * N + col]);
}

/* Calls launch(ta, tb) with the transposes as compile-time constants
 * (std::bool_constant): each case gets a kernel of its own, and no branch
 * on them runs in an inner loop. */
template <typename Launch>
static void with_transposes(bool trans_a, bool trans_b, Launch launch)
{
    if (trans_a && trans_b)
        launch(std::true_type{}, std::true_type{});
    else if (trans_a)
        launch(std::true_type{}, std::false_type{});
    else if (trans_b)
        launch(std::false_type{}, std::true_type{});
    else
        launch(std::false_type{}, std::false_type{});
}

extern "C" void gemm1_naive(bool trans_a, bool trans_b, int M, int N, int K, float alpha,
                            const float *A, const float *B, float beta, float *C,
                            cudaStream_t stream)
{
    const dim3 block(16, 16), grid((N + 15) / 16, (M + 15) / 16);
    with_transposes(trans_a, trans_b, [&](auto ta, auto tb) {
        gemm1_kernel<decltype(ta)::value, decltype(tb)::value>
            <<<grid, block, 0, stream>>>(M, N, K, alpha, A, B, beta, C);
    });
}

/* ---- 2. Tiled: tiles of A and B staged in shared memory --------------------- */

enum { TILE = 32 };

/* A block of TILE x TILE threads computes a TILE x TILE tile of C. For each
 * step of TILE along K, every thread copies one element of op(A)'s tile and
 * one of op(B)'s into shared memory, and then each element there is read by
 * TILE threads instead of TILE times from global memory. Outside the
 * matrices the tiles hold zeros, which add nothing. */
template <bool TA, bool TB>
static __global__ void gemm2_kernel(int M, int N, int K, float alpha, const float *A,
                                    const float *B, float beta, float *C)
{
    /* As[r][k] = op(A)[row0 + r][k0 + k], Bs[k][c] = op(B)[k0 + k][col0 + c].
     * One column of padding: a transposed operand is stored down a column,
     * and without it the 32 threads of a warp would hit one bank. */
    __shared__ float As[TILE][TILE + 1], Bs[TILE][TILE + 1];
    const int tx = threadIdx.x, ty = threadIdx.y;
    const int row0 = blockIdx.y * TILE, col0 = blockIdx.x * TILE;
    float acc = 0.0f;
    for (int k0 = 0; k0 < K; k0 += TILE) {
        /* Consecutive threads (tx) read consecutive addresses in every
         * case: along K when the operand is stored with K contiguous. */
        if (TA) {
            const int k = k0 + ty, m = row0 + tx;
            As[tx][ty] = k < K && m < M ? A[k * M + m] : 0.0f;
        } else {
            const int m = row0 + ty, k = k0 + tx;
            As[ty][tx] = m < M && k < K ? A[m * K + k] : 0.0f;
        }
        if (TB) {
            const int n = col0 + ty, k = k0 + tx;
            Bs[tx][ty] = n < N && k < K ? B[n * K + k] : 0.0f;
        } else {
            const int k = k0 + ty, n = col0 + tx;
            Bs[ty][tx] = k < K && n < N ? B[k * N + n] : 0.0f;
        }
        __syncthreads(); /* the tiles are complete */
        for (int k = 0; k < TILE; k++)
            acc += As[ty][k] * Bs[k][tx];
        __syncthreads(); /* everyone is done with them before the next load */
    }
    const int row = row0 + ty, col = col0 + tx;
    if (row < M && col < N)
        C[row * N + col] = epilogue(acc, alpha, beta, &C[row * N + col]);
}

extern "C" void gemm2_tiled(bool trans_a, bool trans_b, int M, int N, int K, float alpha,
                            const float *A, const float *B, float beta, float *C,
                            cudaStream_t stream)
{
    const dim3 block(TILE, TILE), grid((N + TILE - 1) / TILE, (M + TILE - 1) / TILE);
    with_transposes(trans_a, trans_b, [&](auto ta, auto tb) {
        gemm2_kernel<decltype(ta)::value, decltype(tb)::value>
            <<<grid, block, 0, stream>>>(M, N, K, alpha, A, B, beta, C);
    });
}

/* ---- 3. Register blocking with 16-byte loads --------------------------------- */

/* A block of THREADS computes a BM x BN tile of C, and each thread a TM x TN
 * block of it, kept in registers: per step of K, a thread reads TM values of
 * A and TN of B from shared memory and does TM * TN multiply-adds with them,
 * instead of one. Its TM rows are TM/4 groups of 4 neighbours, the groups
 * BM/(TM/4) apart (its columns likewise), so that the 16 threads along a row
 * of the thread grid read 16 consecutive float4s of shared memory: no bank
 * conflicts.
 *
 * Shared memory holds the tiles "k-major", S[k][row], for op(A) (rows m)
 * and op(B) (rows n) alike: one row of S is what every thread needs at one
 * step of k. Two stages: while the block computes from one, the next tiles
 * travel from global memory into registers, then into the other stage, and
 * one __syncthreads per step of K suffices. */
enum { PAD = 4 }; /* keeps rows of S 16-byte aligned and shifts their banks */

template <int ROWS, int BK> using stage = float[BK][ROWS + PAD];

/* Copies one tile of ROWS rows and BK columns of a matrix X into S, where
 * X's element (r, k) sits at X[r * ld + k] when CONTIG_K (A stored (M, K),
 * B stored (N, K)), else at X[k * ld + r]. Each thread moves LOADS groups of
 * 4 elements that are neighbours in memory: with one float4 load where the
 * group is in bounds and 16-byte aligned, else element by element, with
 * zeros outside the matrix. */
template <int ROWS, int BK, int THREADS, bool CONTIG_K> struct tile_loader {
    static constexpr int LOADS = ROWS * BK / 4 / THREADS;
    static_assert(LOADS * 4 * THREADS == ROWS * BK, "whole groups of 4 per thread");
    float4 v[LOADS];

    /* Group g's first element: (r, k) with k = 4 * (g % (BK / 4)) when
     * CONTIG_K, else r = 4 * (g % (ROWS / 4)). */
    __device__ __forceinline__ static void origin(int g, int &r, int &k)
    {
        if (CONTIG_K)
            r = g / (BK / 4), k = 4 * (g % (BK / 4));
        else
            k = g / (ROWS / 4), r = 4 * (g % (ROWS / 4));
    }

    __device__ __forceinline__ void fetch(const float *X, int ld, int rows, int K, int row0,
                                          int k0, bool aligned)
    {
#pragma unroll
        for (int i = 0; i < LOADS; i++) {
            int r, k;
            origin(threadIdx.x + i * THREADS, r, k);
            r += row0, k += k0;
            const int r_last = CONTIG_K ? r : r + 3, k_last = CONTIG_K ? k + 3 : k;
            const float *p = CONTIG_K ? X + r * ld + k : X + k * ld + r;
            if (aligned && r_last < rows && k_last < K) {
                v[i] = *reinterpret_cast<const float4 *>(p);
                continue;
            }
            float e[4];
#pragma unroll
            for (int q = 0; q < 4; q++) {
                const int rq = CONTIG_K ? r : r + q, kq = CONTIG_K ? k + q : k;
                e[q] = rq < rows && kq < K ? p[q] : 0.0f;
            }
            v[i] = make_float4(e[0], e[1], e[2], e[3]);
        }
    }

    __device__ __forceinline__ void store(stage<ROWS, BK> &S) const
    {
#pragma unroll
        for (int i = 0; i < LOADS; i++) {
            int r, k;
            origin(threadIdx.x + i * THREADS, r, k);
            if (CONTIG_K) { /* 4 neighbours along k: down a column of S */
                S[k][r] = v[i].x, S[k + 1][r] = v[i].y, S[k + 2][r] = v[i].z, S[k + 3][r] = v[i].w;
            } else {
                *reinterpret_cast<float4 *>(&S[k][r]) = v[i];
            }
        }
    }
};

/* True when p is 16-byte aligned and so is every row that starts ld floats
 * after it: float4 loads are then possible. */
static __device__ __forceinline__ bool vectorizable(const float *p, int ld)
{
    return (reinterpret_cast<uintptr_t>(p) & 15) == 0 && ld % 4 == 0;
}

template <int BM, int BN, int BK, int TM, int TN, bool TA, bool TB>
static __global__ void __launch_bounds__((BM / TM) * (BN / TN), 2)
    gemm3_kernel(int M, int N, int K, float alpha, const float *A, const float *B, float beta,
                 float *C)
{
    constexpr int THREADS = (BM / TM) * (BN / TN), COLS = BN / TN;
    constexpr int GM = TM / 4, GN = TN / 4; /* groups of 4 rows and columns */
    __shared__ __align__(16) stage<BM, BK> As[2];
    __shared__ __align__(16) stage<BN, BK> Bs[2];
    tile_loader<BM, BK, THREADS, !TA> a_load;
    tile_loader<BN, BK, THREADS, TB> b_load;
    const int lda = TA ? M : K, ldb = TB ? K : N;
    const bool a_vec = vectorizable(A, lda), b_vec = vectorizable(B, ldb);
    const int row0 = blockIdx.y * BM, col0 = blockIdx.x * BN;
    const int tr = threadIdx.x / COLS, tc = threadIdx.x % COLS;

    float acc[TM][TN] = {};
    a_load.fetch(A, lda, M, K, row0, 0, a_vec);
    b_load.fetch(B, ldb, N, K, col0, 0, b_vec);
    a_load.store(As[0]);
    b_load.store(Bs[0]);
    __syncthreads();
    const int steps = (K + BK - 1) / BK;
    for (int s = 0; s < steps; s++) {
        const bool more = s + 1 < steps;
        if (more) { /* in flight while we compute */
            a_load.fetch(A, lda, M, K, row0, (s + 1) * BK, a_vec);
            b_load.fetch(B, ldb, N, K, col0, (s + 1) * BK, b_vec);
        }
        const stage<BM, BK> &as = As[s % 2];
        const stage<BN, BK> &bs = Bs[s % 2];
#pragma unroll
        for (int k = 0; k < BK; k++) {
            float a[TM], b[TN];
#pragma unroll
            for (int g = 0; g < GM; g++)
                *reinterpret_cast<float4 *>(&a[4 * g]) =
                    *reinterpret_cast<const float4 *>(&as[k][g * (BM / GM) + 4 * tr]);
#pragma unroll
            for (int g = 0; g < GN; g++)
                *reinterpret_cast<float4 *>(&b[4 * g]) =
                    *reinterpret_cast<const float4 *>(&bs[k][g * (BN / GN) + 4 * tc]);
#pragma unroll
            for (int i = 0; i < TM; i++)
#pragma unroll
                for (int j = 0; j < TN; j++)
                    acc[i][j] += a[i] * b[j];
        }
        if (more) {
            a_load.store(As[(s + 1) % 2]);
            b_load.store(Bs[(s + 1) % 2]);
        }
        __syncthreads();
    }

    /* Each group of 4 columns goes out as one float4 store where it can. */
    const bool c_vec = vectorizable(C, N);
#pragma unroll
    for (int i = 0; i < TM; i++) {
        const int row = row0 + (i / 4) * (BM / GM) + 4 * tr + i % 4;
        if (row >= M)
            continue;
#pragma unroll
        for (int g = 0; g < GN; g++) {
            const int col = col0 + g * (BN / GN) + 4 * tc;
            float *c = C + row * N + col;
            if (c_vec && col + 3 < N) {
                float4 old = beta == 0.0f ? float4{} : *reinterpret_cast<const float4 *>(c);
                *reinterpret_cast<float4 *>(c) = make_float4(
                    epilogue(acc[i][4 * g], alpha, beta, &old.x),
                    epilogue(acc[i][4 * g + 1], alpha, beta, &old.y),
                    epilogue(acc[i][4 * g + 2], alpha, beta, &old.z),
                    epilogue(acc[i][4 * g + 3], alpha, beta, &old.w));
                continue;
            }
#pragma unroll /* acc's index must be a constant: acc stays in registers */
            for (int j = 0; j < 4; j++)
                if (col + j < N)
                    c[j] = epilogue(acc[i][4 * g + j], alpha, beta, &c[j]);
        }
    }
}

/* Launches gemm3_kernel with one tile configuration. */
template <int BM, int BN, int BK, int TM, int TN>
static void gemm3_launch(bool trans_a, bool trans_b, int M, int N, int K, float alpha,
                         const float *A, const float *B, float beta, float *C,
                         cudaStream_t stream)
{
    const dim3 block((BM / TM) * (BN / TN)), grid((N + BN - 1) / BN, (M + BM - 1) / BM);
    with_transposes(trans_a, trans_b, [&](auto ta, auto tb) {
        gemm3_kernel<BM, BN, BK, TM, TN, decltype(ta)::value, decltype(tb)::value>
            <<<grid, block, 0, stream>>>(M, N, K, alpha, A, B, beta, C);
    });
}

/* The GPU's multiprocessors, asked once. */
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

extern "C" void gemm3_regblock(bool trans_a, bool trans_b, int M, int N, int K, float alpha,
                               const float *A, const float *B, float beta, float *C,
                               cudaStream_t stream)
{
    /* 128 x 128 tiles do the most work per byte of shared memory read, but a
     * product too small to give every multiprocessor one (a network's
     * layer) runs faster on more blocks of 64 x 64. */
    const long big_tiles = (long)((M + 127) / 128) * ((N + 127) / 128);
    if (big_tiles >= multiprocessors())
        gemm3_launch<128, 128, 16, 8, 8>(trans_a, trans_b, M, N, K, alpha, A, B, beta, C, stream);
    else
        gemm3_launch<64, 64, 16, 4, 4>(trans_a, trans_b, M, N, K, alpha, A, B, beta, C, stream);
}
