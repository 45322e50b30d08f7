/* The CUDA track, attention: causal scaled dot-product attention, forward,
 * two ways. kernels.h is the contract, README.md has the ideas. Replace
 * each NOT_IMPLEMENTED() (and the (void) line) with your kernels and their
 * launches on `stream`; `make gpu` grades them, and the attention program
 * of `make gpu-dev` times them (gpu/bench/ puts PyTorch's beside them).
 *
 * Keep shared memory in STATIC arrays (`__shared__ float tile[64][64];`,
 * sizes known at compile time, a template parameter for d): the CPU
 * emulator that grades without a GPU (gpu/emu/) has no dynamic
 * (`extern __shared__`) shared memory. */
#include "kernels.h"

/* 1. Head after head: S = Q K^T / sqrt(d) into scores with your
 *    gemm3_regblock (alpha is the scale; K is read transposed), then a
 *    kernel with one block per row of S that turns S[i, 0..i] into
 *    probabilities in place (the row's max, the sum, then the outputs, as
 *    in softmax1_rows) and writes 0 for j > i, the future; then
 *    O = P V with gemm3_regblock. The zeros make the mask free in the
 *    second product; scores starts as garbage (NaN), so write them all. */
extern "C" void attention1_naive(const float *Q, const float *K, const float *V, int BH, int T,
                                 int d, float *scores, float *O, cudaStream_t stream)
{
    (void)Q, (void)K, (void)V, (void)BH, (void)T, (void)d, (void)scores, (void)O, (void)stream;
    NOT_IMPLEMENTED();
}

/* 2. Flash attention: a 2-D grid, (query tiles, heads); a block of 64
 *    threads takes 64 queries of one head, one per thread, with its row
 *    of Q and its output row in registers (float q[D], o[D] with D a
 *    template parameter: 16, 32 or 64). For each tile of 64 keys from 0 to
 *    the block's last query: the block copies the tile's rows of K and V
 *    into __shared__ arrays (zeros past T), waits, and each thread updates
 *    its running max m, running sum l and output o with the tile's keys
 *    j <= i (an online softmax: when m grows to m', l and o are first
 *    multiplied by exp(m - m')); the block waits again before the next
 *    copy. At the end, O = o / l. Taking the keys a few (16) at a time
 *    rescales once per few keys rather than once per key. */
extern "C" void attention2_fused(const float *Q, const float *K, const float *V, int BH, int T,
                                 int d, float *O, cudaStream_t stream)
{
    (void)Q, (void)K, (void)V, (void)BH, (void)T, (void)d, (void)O, (void)stream;
    NOT_IMPLEMENTED();
}
