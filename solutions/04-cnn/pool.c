/* Chapter 04 reference: max and average pooling. */
#include "cnn.h"

#include <stdint.h>
#include <string.h>

/* The first element (channel 0) of window (n, oh, ow) in x. */
static size_t window_start(const pool_shape *s, size_t n, size_t oh, size_t ow)
{
    return ((n * s->H + oh * s->stride) * s->W + ow * s->stride) * s->C;
}

/* x (N, H, W, C) -> y (N, OH, OW, C) */
void maxpool_forward(const float *x, const pool_shape *s, float *y)
{
    const size_t OH = conv2d_out_size(s->H, s->size, s->stride, 0);
    const size_t OW = conv2d_out_size(s->W, s->size, s->stride, 0), C = s->C;
    for (size_t n = 0; n < s->N; n++)
        for (size_t oh = 0; oh < OH; oh++)
            for (size_t ow = 0; ow < OW; ow++) {
                const float *win = x + window_start(s, n, oh, ow);
                float *out = y + ((n * OH + oh) * OW + ow) * C;
                memcpy(out, win, C * sizeof *out);
                /* pixel by pixel, all channels at once: the loop over c vectorizes */
                for (size_t i = 0; i < s->size; i++)
                    for (size_t j = i ? 0 : 1; j < s->size; j++) {
                        const float *px = win + (i * s->W + j) * C;
                        for (size_t c = 0; c < C; c++)
                            out[c] = px[c] > out[c] ? px[c] : out[c];
                    }
            }
}

/* Channels handled together by maxpool_backward: its arg-max search runs
 * over a block of channels at once, which vectorizes. */
enum { CHANNEL_BLOCK = 64 };

/* x (N, H, W, C), dy (N, OH, OW, C) -> dx (N, H, W, C) */
void maxpool_backward(const float *x, const float *dy, const pool_shape *s, float *dx)
{
    const size_t OH = conv2d_out_size(s->H, s->size, s->stride, 0);
    const size_t OW = conv2d_out_size(s->W, s->size, s->stride, 0), C = s->C;
    memset(dx, 0, s->N * s->H * s->W * C * sizeof *dx);
    float best[CHANNEL_BLOCK];
    /* where each channel's maximum is, from the window's start: 32 bits
     * like the floats, so that the selects below vectorize */
    uint32_t at[CHANNEL_BLOCK];
    for (size_t n = 0; n < s->N; n++)
        for (size_t oh = 0; oh < OH; oh++)
            for (size_t ow = 0; ow < OW; ow++) {
                const float *win = x + window_start(s, n, oh, ow);
                float *dwin = dx + window_start(s, n, oh, ow);
                const float *g = dy + ((n * OH + oh) * OW + ow) * C;
                for (size_t c0 = 0; c0 < C; c0 += CHANNEL_BLOCK) {
                    const size_t m = C - c0 < CHANNEL_BLOCK ? C - c0 : CHANNEL_BLOCK;
                    for (size_t c = 0; c < m; c++)
                        best[c] = win[c0 + c], at[c] = (uint32_t)(c0 + c);
                    /* row-major order, strictly greater: the first maximum wins ties */
                    for (size_t i = 0; i < s->size; i++)
                        for (size_t j = 0; j < s->size; j++) {
                            const uint32_t px = (uint32_t)((i * s->W + j) * C + c0);
                            for (size_t c = 0; c < m; c++) {
                                const float v = win[px + c];
                                /* a mask, not a branch: the compiler then vectorizes */
                                const uint32_t more = -(uint32_t)(v > best[c]);
                                best[c] = v > best[c] ? v : best[c];
                                at[c] = (at[c] & ~more) | ((px + (uint32_t)c) & more);
                            }
                        }
                    for (size_t c = 0; c < m; c++)
                        dwin[at[c]] += g[c0 + c];
                }
            }
}

/* x (N, H, W, C) -> y (N, OH, OW, C) */
void avgpool_forward(const float *x, const pool_shape *s, float *y)
{
    const size_t OH = conv2d_out_size(s->H, s->size, s->stride, 0);
    const size_t OW = conv2d_out_size(s->W, s->size, s->stride, 0), C = s->C;
    const float scale = 1.0f / (float)(s->size * s->size);
    for (size_t n = 0; n < s->N; n++)
        for (size_t oh = 0; oh < OH; oh++)
            for (size_t ow = 0; ow < OW; ow++) {
                const float *win = x + window_start(s, n, oh, ow);
                float *out = y + ((n * OH + oh) * OW + ow) * C;
                memset(out, 0, C * sizeof *out);
                for (size_t i = 0; i < s->size; i++)
                    for (size_t j = 0; j < s->size; j++) {
                        const float *px = win + (i * s->W + j) * C;
                        for (size_t c = 0; c < C; c++)
                            out[c] += px[c];
                    }
                for (size_t c = 0; c < C; c++)
                    out[c] *= scale;
            }
}

/* dy (N, OH, OW, C) -> dx (N, H, W, C) */
void avgpool_backward(const float *dy, const pool_shape *s, float *dx)
{
    const size_t OH = conv2d_out_size(s->H, s->size, s->stride, 0);
    const size_t OW = conv2d_out_size(s->W, s->size, s->stride, 0), C = s->C;
    const float scale = 1.0f / (float)(s->size * s->size);
    memset(dx, 0, s->N * s->H * s->W * C * sizeof *dx);
    for (size_t n = 0; n < s->N; n++)
        for (size_t oh = 0; oh < OH; oh++)
            for (size_t ow = 0; ow < OW; ow++) {
                float *win = dx + window_start(s, n, oh, ow);
                const float *g = dy + ((n * OH + oh) * OW + ow) * C;
                for (size_t i = 0; i < s->size; i++)
                    for (size_t j = 0; j < s->size; j++) {
                        float *px = win + (i * s->W + j) * C;
                        for (size_t c = 0; c < C; c++)
                            px[c] += g[c] * scale;
                    }
            }
}
