/* The CUDA track, convolution: conv2d forward, NHWC, two ways. kernels.h
 * is the contract (chapter 04's layouts), README.md has the ideas. Replace
 * each NOT_IMPLEMENTED() (and the (void) line) with your kernels and their
 * launches on `stream`; `make gpu` grades them, and the conv2d program of
 * `make gpu-dev` times them against cuDNN. */
#include "kernels.h"

/* The patch matrix: one thread per element of cols (a grid-stride loop
 * covers the big ones), each finding its (n, oh, ow) and (i, j, c) from
 * its index. Neighbouring threads then write neighbouring addresses and
 * read neighbouring channels. */
extern "C" void im2col_nhwc(const float *x, const conv2d_dims *d, float *cols,
                            cudaStream_t stream)
{
    (void)x, (void)d, (void)cols, (void)stream;
    NOT_IMPLEMENTED();
}

/* 1. im2col_nhwc into cols, then y = cols Wt^T + b with your
 *    gemm3_regblock: fill y with the bias first and use beta = 1. */
extern "C" void conv2d1_im2col(const float *x, const float *Wt, const float *b,
                               const conv2d_dims *d, float *cols, float *y, cudaStream_t stream)
{
    (void)x, (void)Wt, (void)b, (void)d, (void)cols, (void)y, (void)stream;
    NOT_IMPLEMENTED();
}

/* 2. The same product without cols: start from your gemm3_regblock's
 *    kernel and change the loader of A's tiles so that it reads, for
 *    element (row, col) of the patch matrix, the pixel of x it stands for
 *    (0 in the padding); add the bias when you write y. */
extern "C" void conv2d2_implicit(const float *x, const float *Wt, const float *b,
                                 const conv2d_dims *d, float *y, cudaStream_t stream)
{
    (void)x, (void)Wt, (void)b, (void)d, (void)y, (void)stream;
    NOT_IMPLEMENTED();
}
