/* The CUDA track, softmax: row-wise, stable, two ways. kernels.h is the
 * contract, README.md has the ideas. Replace each NOT_IMPLEMENTED() (and
 * the (void) line) with your kernel and its launch on `stream`; `make gpu`
 * grades them, and the softmax program of `make gpu-dev` times them
 * against a device-to-device copy. */
#include "kernels.h"

/* 1. One block of 256 threads per row, three passes over it: the row's
 *    max, the sum of exp(x - max), then the outputs. Each pass: every
 *    thread strides along the row, then the block combines the threads'
 *    results: first within each warp (__shfl_xor_sync), then across the
 *    warps through a small __shared__ array. */
extern "C" void softmax1_rows(const float *logits, int B, int C, float *p, cudaStream_t stream)
{
    (void)logits, (void)B, (void)C, (void)p, (void)stream;
    NOT_IMPLEMENTED();
}

/* 2. The same outputs with the max and the sum found in ONE pass: each
 *    thread keeps a running max m and a running sum s = sum exp(x - m),
 *    rescaling s by exp(m_old - m_new) when the max grows, and the block
 *    combines the threads' (m, s) pairs the same way. Then a second pass
 *    writes the outputs. Rows whose length is a multiple of 4 can move as
 *    float4. */
extern "C" void softmax2_online(const float *logits, int B, int C, float *p, cudaStream_t stream)
{
    (void)logits, (void)B, (void)C, (void)p, (void)stream;
    NOT_IMPLEMENTED();
}
