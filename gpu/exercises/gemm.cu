/* The CUDA track, GEMM: C = alpha op(A) op(B) + beta C, three ways, each
 * faster than the last. kernels.h is the contract, README.md has the
 * ideas. Replace each NOT_IMPLEMENTED() (and the (void) line) with your
 * kernel and its launch on `stream`; `make gpu` grades them, and the gemm
 * program of `make gpu-dev` times them against cuBLAS.
 *
 * Declare your kernels `static __global__`: each file's helpers are its
 * own. */
#include "kernels.h"

/* 1. One thread per element of C: a 2-D grid of 16 x 16 blocks covering
 *    C, thread (x, y) computing C[row, col] as a loop over K. Which of row
 *    and col should follow threadIdx.x, so that a warp's loads of B and
 *    stores of C fall on neighbouring addresses? */
extern "C" void gemm1_naive(bool trans_a, bool trans_b, int M, int N, int K, float alpha,
                            const float *A, const float *B, float beta, float *C,
                            cudaStream_t stream)
{
    (void)trans_a, (void)trans_b, (void)M, (void)N, (void)K, (void)alpha, (void)A, (void)B,
        (void)beta, (void)C, (void)stream;
    NOT_IMPLEMENTED();
}

/* 2. Tiles in shared memory: a block of 32 x 32 threads computes a 32 x 32
 *    tile of C. For each step of 32 along K, each thread copies one element
 *    of op(A)'s tile and one of op(B)'s into __shared__ arrays (zeros
 *    outside the matrices), the block waits (__syncthreads), each thread
 *    accumulates its 32 products, and the block waits again before the
 *    next copy overwrites the tiles. */
extern "C" void gemm2_tiled(bool trans_a, bool trans_b, int M, int N, int K, float alpha,
                            const float *A, const float *B, float beta, float *C,
                            cudaStream_t stream)
{
    (void)trans_a, (void)trans_b, (void)M, (void)N, (void)K, (void)alpha, (void)A, (void)B,
        (void)beta, (void)C, (void)stream;
    NOT_IMPLEMENTED();
}

/* 3. Register blocking: a block of 256 threads computes a 128 x 128 tile
 *    of C, each thread an 8 x 8 block of it in registers (a float acc[8][8]
 *    indexed only by constants, in unrolled loops, or it leaves the
 *    registers). Per step of K, a thread reads 8 values of A and 8 of B
 *    from shared memory and does 64 multiply-adds with them. Store the
 *    tiles "k-major" (tile[k][row]) so that those 8 values are
 *    neighbours, readable as two float4; load from global memory with
 *    float4 where the address is 16-byte aligned and the 4 elements are
 *    inside the matrix, one float at a time elsewhere. Small products
 *    (a network's layers) need smaller tiles to keep the GPU busy. */
extern "C" void gemm3_regblock(bool trans_a, bool trans_b, int M, int N, int K, float alpha,
                               const float *A, const float *B, float beta, float *C,
                               cudaStream_t stream)
{
    (void)trans_a, (void)trans_b, (void)M, (void)N, (void)K, (void)alpha, (void)A, (void)B,
        (void)beta, (void)C, (void)stream;
    NOT_IMPLEMENTED();
}
