/* Chapter 04 reference: the convolution as one matrix product over the
 * patch matrix (im2col), and its adjoint (col2im). */
#include "cnn.h"

#include <string.h>

size_t conv2d_cols_size(const conv2d_shape *s)
{
    return s->N * conv2d_out_size(s->H, s->kh, s->stride, s->pad) *
           conv2d_out_size(s->W, s->kw, s->stride, s->pad) * s->kh * s->kw * s->C;
}

/* The kernel columns [*j0, *j1) of output column ow that fall inside the
 * image; the others read padding. NHWC keeps their pixels adjacent: one
 * run of (j1 - j0)*C floats. */
static void inside_columns(const conv2d_shape *s, size_t ow, size_t *j0, size_t *j1)
{
    const size_t left = ow * s->stride; /* kernel column 0, in padded coordinates */
    size_t first = left < s->pad ? s->pad - left : 0;
    size_t end = s->pad + s->W > left ? s->pad + s->W - left : 0;
    *j0 = first < s->kw ? first : s->kw;
    *j1 = end < s->kw ? end : s->kw;
    if (*j1 < *j0)
        *j1 = *j0;
}

/* The image row read by output row oh's kernel row i, or false in the
 * padding. */
static bool inside_row(const conv2d_shape *s, size_t oh, size_t i, size_t *ih)
{
    size_t r = oh * s->stride + i;
    if (r < s->pad || r - s->pad >= s->H)
        return false;
    *ih = r - s->pad;
    return true;
}

/* dst[0, n) = src[0, n): a loop, not memcpy, since the runs are short (a
 * few floats for a 5x5 kernel over one channel) and a call would cost
 * more than the copy. */
static void copy_run(float *dst, const float *src, size_t n)
{
    for (size_t t = 0; t < n; t++)
        dst[t] = src[t];
}

static void zero_run(float *dst, size_t n)
{
    for (size_t t = 0; t < n; t++)
        dst[t] = 0.0f;
}

/* x (N, H, W, C) -> cols (N*OH*OW, kh*kw*C) */
void im2col(const float *x, const conv2d_shape *s, float *cols)
{
    const size_t OH = conv2d_out_size(s->H, s->kh, s->stride, s->pad);
    const size_t OW = conv2d_out_size(s->W, s->kw, s->stride, s->pad);
    const size_t C = s->C, seg = s->kw * C; /* one kernel row of a patch */
    for (size_t n = 0; n < s->N; n++)
        for (size_t oh = 0; oh < OH; oh++)
            for (size_t ow = 0; ow < OW; ow++) {
                float *patch = cols + ((n * OH + oh) * OW + ow) * s->kh * seg;
                size_t j0, j1, ih;
                inside_columns(s, ow, &j0, &j1);
                for (size_t i = 0; i < s->kh; i++) {
                    float *dst = patch + i * seg;
                    if (!inside_row(s, oh, i, &ih) || j0 == j1) {
                        zero_run(dst, seg);
                        continue;
                    }
                    const size_t iw = ow * s->stride + j0 - s->pad; /* the run's first pixel */
                    const float *src = x + ((n * s->H + ih) * s->W + iw) * C;
                    if (j0) /* the left padding */
                        zero_run(dst, j0 * C);
                    copy_run(dst + j0 * C, src, (j1 - j0) * C);
                    if (j1 < s->kw) /* the right padding */
                        zero_run(dst + j1 * C, (s->kw - j1) * C);
                }
            }
}

/* cols (N*OH*OW, kh*kw*C) -> dx (N, H, W, C) */
void col2im(const float *cols, const conv2d_shape *s, float *dx)
{
    const size_t OH = conv2d_out_size(s->H, s->kh, s->stride, s->pad);
    const size_t OW = conv2d_out_size(s->W, s->kw, s->stride, s->pad);
    const size_t C = s->C, seg = s->kw * C;
    memset(dx, 0, s->N * s->H * s->W * C * sizeof *dx);
    for (size_t n = 0; n < s->N; n++)
        for (size_t oh = 0; oh < OH; oh++)
            for (size_t ow = 0; ow < OW; ow++) {
                const float *patch = cols + ((n * OH + oh) * OW + ow) * s->kh * seg;
                size_t j0, j1, ih;
                inside_columns(s, ow, &j0, &j1);
                for (size_t i = 0; i < s->kh; i++) {
                    if (!inside_row(s, oh, i, &ih) || j0 == j1)
                        continue; /* padding: nothing to give back */
                    const float *src = patch + i * seg + j0 * C;
                    float *dst = dx + ((n * s->H + ih) * s->W + ow * s->stride + j0 - s->pad) * C;
                    for (size_t t = 0; t < (j1 - j0) * C; t++)
                        dst[t] += src[t];
                }
            }
}

/* x (N, H, W, C), W (K, kh, kw, C), b (K,) -> cols, y (N, OH, OW, K) */
void conv2d_forward(const float *x, const float *W, const float *b,
                    const conv2d_shape *s, float *cols, float *y)
{
    const size_t rows = conv2d_out_size(s->H, s->kh, s->stride, s->pad) *
                        conv2d_out_size(s->W, s->kw, s->stride, s->pad) * s->N;
    im2col(x, s, cols);
    linear_forward(cols, W, b, rows, s->kh * s->kw * s->C, s->K, y); /* y = cols W^T + b */
}

/* dy (N, OH, OW, K) -> dW += (K, kh, kw, C), db += (K,), dx (N, H, W, C) */
void conv2d_backward(const float *cols, const float *W, const float *dy,
                     const conv2d_shape *s, float *dcols, float *dx, float *dW,
                     float *db)
{
    const size_t rows = conv2d_out_size(s->H, s->kh, s->stride, s->pad) *
                        conv2d_out_size(s->W, s->kw, s->stride, s->pad) * s->N;
    /* dW += dy^T cols, db += column sums of dy, dcols = dy W */
    linear_backward(cols, W, dy, rows, s->kh * s->kw * s->C, s->K, dx ? dcols : NULL, dW, db);
    if (dx)
        col2im(dcols, s, dx);
}
