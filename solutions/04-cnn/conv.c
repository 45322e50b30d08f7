/* Chapter 04 reference: the convolution by its definition, as loops. */
#include "cnn.h"

#include <string.h>

size_t conv2d_out_size(size_t in, size_t k, size_t stride, size_t pad)
{
    return in + 2 * pad < k ? 0 : (in + 2 * pad - k) / stride + 1;
}

/* Where window (oh, ow)'s kernel element (i, j) falls in x, if anywhere:
 * false in the padding. */
static bool input_pixel(const conv2d_shape *s, size_t oh, size_t ow, size_t i, size_t j,
                        size_t *ih, size_t *iw)
{
    /* oh*stride + i - pad, without going below 0 in size_t */
    size_t r = oh * s->stride + i, c = ow * s->stride + j;
    if (r < s->pad || c < s->pad || r - s->pad >= s->H || c - s->pad >= s->W)
        return false;
    *ih = r - s->pad, *iw = c - s->pad;
    return true;
}

/* x (N, H, W, C), W (K, kh, kw, C), b (K,) -> y (N, OH, OW, K) */
void conv2d_forward_direct(const float *x, const float *W, const float *b,
                           const conv2d_shape *s, float *y)
{
    const size_t OH = conv2d_out_size(s->H, s->kh, s->stride, s->pad);
    const size_t OW = conv2d_out_size(s->W, s->kw, s->stride, s->pad);
    for (size_t n = 0; n < s->N; n++)
        for (size_t oh = 0; oh < OH; oh++)
            for (size_t ow = 0; ow < OW; ow++)
                for (size_t k = 0; k < s->K; k++) {
                    float sum = b[k];
                    for (size_t i = 0; i < s->kh; i++)
                        for (size_t j = 0; j < s->kw; j++) {
                            size_t ih, iw;
                            if (!input_pixel(s, oh, ow, i, j, &ih, &iw))
                                continue;
                            const float *px = x + ((n * s->H + ih) * s->W + iw) * s->C;
                            const float *wk = W + ((k * s->kh + i) * s->kw + j) * s->C;
                            for (size_t c = 0; c < s->C; c++)
                                sum += wk[c] * px[c];
                        }
                    y[((n * OH + oh) * OW + ow) * s->K + k] = sum;
                }
}

/* dy (N, OH, OW, K) -> dx (N, H, W, C), dW += (K, kh, kw, C), db += (K,) */
void conv2d_backward_direct(const float *x, const float *W, const float *dy,
                            const conv2d_shape *s, float *dx, float *dW, float *db)
{
    const size_t OH = conv2d_out_size(s->H, s->kh, s->stride, s->pad);
    const size_t OW = conv2d_out_size(s->W, s->kw, s->stride, s->pad);
    if (dx) /* pixels in no window, or only in windows of dy = 0, get 0 */
        memset(dx, 0, s->N * s->H * s->W * s->C * sizeof *dx);
    for (size_t n = 0; n < s->N; n++)
        for (size_t oh = 0; oh < OH; oh++)
            for (size_t ow = 0; ow < OW; ow++)
                for (size_t k = 0; k < s->K; k++) {
                    const float g = dy[((n * OH + oh) * OW + ow) * s->K + k];
                    db[k] += g;
                    for (size_t i = 0; i < s->kh; i++)
                        for (size_t j = 0; j < s->kw; j++) {
                            size_t ih, iw;
                            if (!input_pixel(s, oh, ow, i, j, &ih, &iw))
                                continue;
                            size_t px = ((n * s->H + ih) * s->W + iw) * s->C;
                            size_t wk = ((k * s->kh + i) * s->kw + j) * s->C;
                            for (size_t c = 0; c < s->C; c++) {
                                dW[wk + c] += g * x[px + c];
                                if (dx)
                                    dx[px + c] += g * W[wk + c];
                            }
                        }
                }
}
