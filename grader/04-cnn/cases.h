/* Chapter 04's tests: the shapes they run on and the helpers they share. */
#ifndef DLKIT_CNN_CASES_H
#define DLKIT_CNN_CASES_H

#include "cnn.h"
#include "grade.h"

/* Convolutions: 1x1 kernels, stride larger than the kernel, padding
 * larger than half the kernel (and than the kernel), non-square images
 * and kernels, one channel or one filter, LeNet's two layers. */
extern const conv2d_shape CONV_SHAPES[];
extern const size_t NCONV_SHAPES;
/* The first few, small enough for finite differences. */
enum { NCONV_SMALL = 8 };

/* Pooling: 2x2 by 2, overlapping windows (stride < size), gaps (stride >
 * size), 1x1, windows that leave the last rows and columns out, LeNet's. */
extern const pool_shape POOL_SHAPES[];
extern const size_t NPOOL_SHAPES;
enum { NPOOL_SMALL = 6 };

/* "N=2 H=5 W=7 C=3 K=4 kernel 3x3 stride 1 pad 1" (a static buffer). */
const char *describe_conv(const conv2d_shape *s);
/* "N=2 H=6 W=6 C=3 window 2x2 stride 2" (another static buffer). */
const char *describe_pool(const pool_shape *s);

size_t conv_out_h(const conv2d_shape *s);
size_t conv_out_w(const conv2d_shape *s);
size_t conv_in_count(const conv2d_shape *s);  /* N*H*W*C */
size_t conv_out_count(const conv2d_shape *s); /* N*OH*OW*K */
size_t conv_w_count(const conv2d_shape *s);   /* K*kh*kw*C */
size_t pool_out_count(const pool_shape *s);   /* N*OH*OW*C */

/* n different values, spacing apart, centred on 0, in random order: no
 * two elements of a pooling window are equal or closer than spacing. */
float *distinct_array(dk_rng *rng, size_t n, float spacing);

/* A convolution's sums run over up to a few thousand products (dW over
 * N*OH*OW positions): float32's round-off, added up in another order than
 * the reference's, reaches a few 1e-5 even where the sum itself is near 0. */
#define TOL_CONV ((dk_tol){1e-4, 1e-4})

/* Finite differences of loss = sum(c * conv(x, W, b)), by the reference's
 * forward pass into y, for random x, W, b and c of shape s. */
typedef struct conv_fd {
    const conv2d_shape *s;
    float *x, *W, *b, *y, *c;
} conv_fd;
conv_fd conv_fd_random(dk_rng *rng, const conv2d_shape *s);
double conv_fd_loss(void *fd); /* dk_expect_gradients' loss */
void conv_fd_free(conv_fd *f);

/* sum_i a[i] b[i] in double. */
double dot(const float *a, const float *b, size_t n);
/* sum_i |a[i] b[i]| in double: the size of dot's terms. */
double dot_magnitude(const float *a, const float *b, size_t n);

#endif
