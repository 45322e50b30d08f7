/* Chapter 04, convolutional networks: the contract between your code and
 * the kit.
 *
 * You write the functions declared here, in conv.c, im2col.c, pool.c,
 * lenet.c and visual.c (the files listed in MANIFEST). The grader calls
 * them exactly as documented; read each comment before you start.
 *
 * Layout: images are NHWC, as the kit's data sets store them. A batch x
 * (N, H, W, C) holds channel c of pixel (h, w) of sample n at
 *     x[((n*H + h)*W + w)*C + c]
 * so the C channels of one pixel are adjacent. Filters are (K, kh, kw, C):
 * filter k's weight for kernel row i, column j and input channel c is at
 *     W[((k*kh + i)*kw + j)*C + c]
 * one row of kh*kw*C weights per filter, like the (out, in) weights of
 * chapter 02's linear layer. As in chapter 02: float arrays, the caller
 * allocates every array, outputs are overwritten, parameter gradients
 * ACCUMULATE (+=). Chapter 02's functions (backprop.h) are yours to call:
 * linear_forward, linear_backward, relu_forward, relu_backward...
 *
 * Keep no state between calls (no static buffers): a call reads and writes
 * only its arguments. `make train` runs the two halves of each batch side
 * by side on two threads, through the same functions at the same time. */
#ifndef DLKIT_CNN_H
#define DLKIT_CNN_H

#include "backprop.h"
#include "rng.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- Convolution as loops (conv.c) ----------------------------------- */

/* The output size along one dimension of a window of k elements moved by
 * stride (>= 1) over in elements with pad zeros added on both sides:
 * (in + 2 pad - k) / stride + 1 windows (rounded down), or 0 when the
 * window does not fit (in + 2 pad < k). Pooling uses it with pad 0. */
size_t conv2d_out_size(size_t in, size_t k, size_t stride, size_t pad);

/* A 2-D convolution's sizes. The output y is (N, OH, OW, K) with
 * OH = conv2d_out_size(H, kh, stride, pad), OW = conv2d_out_size(W, kw,
 * stride, pad). */
typedef struct conv2d_shape {
    size_t N, H, W, C; /* the input x (N, H, W, C) */
    size_t K;          /* filters, the output's channels */
    size_t kh, kw;     /* each filter's height and width */
    size_t stride;     /* the step between windows, the same in both directions */
    size_t pad;        /* zeros added on every side: top, bottom, left and right */
} conv2d_shape;

/* Cross-correlation (what deep learning calls convolution: the kernel is
 * NOT flipped), with x read as 0 outside its H x W pixels:
 *   y[n, oh, ow, k] = b[k] + sum over i < kh, j < kw, c < C of
 *       W[k, i, j, c] * x[n, oh*stride + i - pad, ow*stride + j - pad, c]
 * x (N, H, W, C), W (K, kh, kw, C), b (K,) -> y (N, OH, OW, K).
 * Plain loops over every index: the definition, your first step. */
void conv2d_forward_direct(const float *x, const float *W, const float *b,
                           const conv2d_shape *s, float *y);

/* From dy = dLoss/dy (N, OH, OW, K), by the same loops:
 *   dx  (N, H, W, C), overwritten; skipped when dx is NULL
 *   dW += (K, kh, kw, C), accumulated
 *   db += (K,), accumulated: dy summed over every n, oh and ow. */
void conv2d_backward_direct(const float *x, const float *W, const float *dy,
                            const conv2d_shape *s, float *dx, float *dW, float *db);

/* ---- Convolution as one matrix product (im2col.c) -------------------- */

/* Rows of the patch matrix: N*OH*OW, one per output position (n, oh, ow)
 * in that order. Columns: kh*kw*C, one per (i, j, c), in that order (the
 * order of a filter's weights). */
size_t conv2d_cols_size(const conv2d_shape *s);

/* cols (N*OH*OW, kh*kw*C): row (n, oh, ow), column (i, j, c) holds
 * x[n, oh*stride + i - pad, ow*stride + j - pad, c], or 0 where that
 * pixel lies in the padding. Every element is written. */
void im2col(const float *x, const conv2d_shape *s, float *cols);

/* The adjoint of im2col: dx (N, H, W, C), overwritten, gets at each pixel
 * the SUM of every element of cols (N*OH*OW, kh*kw*C) that im2col would
 * have copied from it (0 where there is none). Patches overlap when stride
 * < kh or kw, and then a pixel collects from several rows. For every x and
 * cols: <im2col(x), cols> = <x, col2im(cols)>. */
void col2im(const float *cols, const conv2d_shape *s, float *dx);

/* The same convolution as conv2d_forward_direct, through one product:
 * cols = im2col(x), then y = cols W^T + b, which is linear_forward on
 * N*OH*OW rows of kh*kw*C features (y is (N*OH*OW, K), the same memory
 * as (N, OH, OW, K)). cols (conv2d_cols_size floats) is overwritten and
 * kept: conv2d_backward reads it. */
void conv2d_forward(const float *x, const float *W, const float *b,
                    const conv2d_shape *s, float *cols, float *y);

/* The gradients of conv2d_forward, from dy (N, OH, OW, K) and the cols it
 * left, as linear_backward on the patch matrix:
 *   dW += dy^T cols, db += dy summed over its N*OH*OW rows,
 *   dx  = col2im(dy W) (N, H, W, C), overwritten, where dcols (scratch,
 *         conv2d_cols_size floats) holds dy W.
 * When dx is NULL (a network's first layer) dx and dcols are skipped and
 * dcols may be NULL. */
void conv2d_backward(const float *cols, const float *W, const float *dy,
                     const conv2d_shape *s, float *dcols, float *dx, float *dW,
                     float *db);

/* ---- Pooling (pool.c) -------------------------------------------------- */

/* Windows of size x size pixels, moved by stride, over each channel
 * separately; no padding. The output is (N, OH, OW, C) with
 * OH = conv2d_out_size(H, size, stride, 0), OW likewise. */
typedef struct pool_shape {
    size_t N, H, W, C; /* the input x (N, H, W, C) */
    size_t size;       /* the window's height and width */
    size_t stride;
} pool_shape;

/* y[n, oh, ow, c] = the largest x[n, oh*stride + i, ow*stride + j, c] over
 * i, j < size. x (N, H, W, C) -> y (N, OH, OW, C). */
void maxpool_forward(const float *x, const pool_shape *s, float *y);

/* dx (N, H, W, C), overwritten: each window passes its dy to the one
 * element that was its maximum, found again in x; where several are equal,
 * the FIRST in the window's row-major order (top row first, left to right)
 * takes it. Every other element gets 0, or the sum of what several
 * overlapping windows pass to it. */
void maxpool_backward(const float *x, const float *dy, const pool_shape *s, float *dx);

/* y[n, oh, ow, c] = the mean of the window's size*size values. */
void avgpool_forward(const float *x, const pool_shape *s, float *y);

/* dx (N, H, W, C), overwritten: each window spreads dy / (size*size) over
 * its elements; overlapping windows add up; pixels in no window get 0. */
void avgpool_backward(const float *dy, const pool_shape *s, float *dx);

/* ---- A LeNet-style network (lenet.c) ----------------------------------- */

/* The layers, for images (H, W, C):
 *   conv1: c1 filters of 5x5, stride 1, padding 2 -> (H, W, c1), ReLU,
 *   pool1: 2x2 max pooling, stride 2              -> (H/2, W/2, c1),
 *   conv2: c2 filters of 5x5, stride 1, no padding -> (H/2-4, W/2-4, c2), ReLU,
 *   pool2: 2x2 max pooling, stride 2              -> (P, Q, c2),
 *   flatten: the (B, P, Q, c2) array IS (B, flat), flat = P*Q*c2: nothing
 *            to do in NHWC (features in (p, q, c) order),
 *   fc1: linear flat -> hidden, ReLU,   fc2: linear hidden -> classes.
 * (Sizes divided by 2 round down, as conv2d_out_size says.) */
enum { LENET_KERNEL = 5, LENET_PAD1 = 2, LENET_POOL = 2 };

typedef struct lenet_config {
    size_t H, W, C;    /* input images */
    size_t c1, c2;     /* filters of conv1 and conv2 */
    size_t hidden;     /* units of fc1 */
    size_t classes;    /* logits of fc2 */
} lenet_config;

/* Every parameter in one buffer, in this order:
 *   W1 (c1, 5, 5, C), b1 (c1), W2 (c2, 5, 5, c1), b2 (c2),
 *   W3 (hidden, flat), b3 (hidden), W4 (classes, hidden), b4 (classes)
 * and their gradients in another with the same layout. */
typedef struct lenet {
    lenet_config cfg;
    size_t nparams; /* floats in params (and in grads) */
    float *params;
    float *grads;
} lenet;

/* The layers' shapes for a batch of B images. */
typedef struct lenet_shapes {
    conv2d_shape conv1, conv2;
    pool_shape pool1, pool2;
    size_t flat; /* features per image after pool2; 0 when the image is too small */
} lenet_shapes;

lenet_shapes lenet_shapes_of(const lenet_config *cfg, size_t B);

/* Allocates params and grads. Each W and b is drawn uniformly from
 * [-k, k], k = 1/sqrt(fan_in) (5*5*C for W1 and b1, 5*5*c1 for W2 and b2,
 * flat for fc1, hidden for fc2), like PyTorch's Conv2d and Linear, with
 * dk_rng_range(rng, -k, k) in the order of the layout; grads are zero.
 * Returns false (nothing allocated) when a size is 0, the images are too
 * small (flat = 0), or memory runs out. */
bool lenet_create(lenet *net, const lenet_config *cfg, dk_rng *rng);
void lenet_free(lenet *net);
void lenet_zero_grad(lenet *net);

/* What the forward pass keeps for the backward pass, for B images: the
 * arrays, one after the other in this order, in one buffer. */
typedef struct lenet_acts {
    float *cols1; /* conv1's patch matrix: conv2d_cols_size(conv1) floats */
    float *z1;    /* conv1's output (B, H, W, c1) */
    float *h1;    /* relu(z1) */
    float *p1;    /* pool1's output (B, H/2, W/2, c1) */
    float *cols2; /* conv2's patch matrix */
    float *z2;    /* conv2's output */
    float *h2;    /* relu(z2) */
    float *p2;    /* pool2's output (B, P, Q, c2), that is (B, flat) */
    float *z3;    /* fc1's output (B, hidden) */
    float *h3;    /* relu(z3) */
} lenet_acts;

/* Floats of the activation buffer for B images. */
size_t lenet_acts_size(const lenet *net, size_t B);
/* The arrays of the layout above, in buf (lenet_acts_size floats). */
lenet_acts lenet_acts_in(const lenet *net, size_t B, float *buf);

/* Forward pass of x (B, H, W, C): fills acts (lenet_acts_size floats,
 * layout above) and logits (B, classes). */
void lenet_forward(const lenet *net, const float *x, size_t B, float *acts, float *logits);

/* Backward pass from dlogits (B, classes), for the acts of the forward
 * pass: accumulates every parameter's gradient into net->grads. dacts is
 * scratch of lenet_acts_size floats (the gradients of the activations, in
 * the same layout). */
void lenet_backward(lenet *net, size_t B, const float *acts, const float *dlogits,
                    float *dacts);

/* ---- Pictures (visual.c) --------------------------------------------- */

/* The grid of n maps of h x w pixels (n, h, w, cols >= 1), cols maps to a
 * grid row (the last row may be short): grid is (rows*(h+1) - 1,
 * cols*(w+1) - 1), rows = ceil(n / cols), and map m's pixel (i, j) goes to
 * grid row (m / cols)*(h+1) + i, column (m % cols)*(w+1) + j. It is read
 * at x[m*map_stride + (i*w + j)*pixel_stride]: the strides say where a
 * layout puts it (the feature maps of an (h, w, n) activation: 1 and n;
 * the filters (n, h, w, C) of channel 0: h*w*C and C). Each map is scaled
 * to [0, 1] by its own smallest and largest value (a constant map becomes
 * 0.5); the one-pixel lines between maps, and the cells after the last
 * map, are NAN, which a plot leaves blank. */
void tile_maps(const float *x, size_t n, size_t h, size_t w, size_t map_stride,
               size_t pixel_stride, size_t cols, float *grid);

#endif
