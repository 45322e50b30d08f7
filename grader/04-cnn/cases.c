/* Chapter 04's tests: shared shapes and helpers (see cases.h). */
#include "cases.h"
#include "ref_api.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

const conv2d_shape CONV_SHAPES[] = {
    /* N  H   W   C   K  kh kw stride pad */
    {1, 1, 1, 1, 1, 1, 1, 1, 0},       /* the smallest */
    {2, 5, 7, 3, 4, 3, 3, 1, 1},       /* "same" padding, a non-square image */
    {3, 6, 4, 2, 5, 1, 1, 1, 0},       /* a 1x1 kernel */
    {2, 9, 8, 3, 2, 2, 2, 3, 0},       /* stride 3 > kernel 2: pixels in no window */
    {1, 7, 6, 2, 3, 3, 3, 2, 2},       /* padding 2 > half of 3 */
    {2, 6, 9, 1, 3, 2, 4, 2, 1},       /* a 2x4 kernel, stride 2 */
    {1, 3, 3, 2, 2, 2, 2, 1, 2},       /* padding 2 = kernel: windows of zeros only */
    {2, 5, 3, 4, 1, 3, 1, 1, 1},       /* one filter, a 3x1 kernel */
    {4, 14, 14, 16, 32, 5, 5, 1, 0},   /* LeNet's conv2 */
    {2, 28, 28, 1, 16, 5, 5, 1, 2},    /* LeNet's conv1 */
    {2, 11, 13, 3, 8, 1, 1, 2, 0},     /* 1x1, stride 2 */
    {1, 10, 10, 3, 4, 3, 3, 4, 3},     /* stride 4 > kernel 3, padding 3 */
};
const size_t NCONV_SHAPES = sizeof CONV_SHAPES / sizeof CONV_SHAPES[0];

const pool_shape POOL_SHAPES[] = {
    /* N  H   W   C  size stride */
    {1, 2, 2, 1, 2, 2},
    {2, 6, 6, 3, 2, 2},
    {1, 7, 5, 2, 3, 2},       /* overlapping windows */
    {2, 5, 6, 4, 2, 3},       /* gaps between windows */
    {3, 4, 4, 5, 1, 1},       /* 1x1: a copy */
    {1, 7, 9, 2, 2, 2},       /* the last row and column in no window */
    {8, 28, 28, 16, 2, 2},    /* LeNet's pool1 */
    {2, 9, 9, 70, 3, 3},      /* more channels than one block of 64 */
};
const size_t NPOOL_SHAPES = sizeof POOL_SHAPES / sizeof POOL_SHAPES[0];

const char *describe_conv(const conv2d_shape *s)
{
    static char text[128];
    snprintf(text, sizeof text, "N=%zu H=%zu W=%zu C=%zu K=%zu kernel %zux%zu stride %zu pad %zu",
             s->N, s->H, s->W, s->C, s->K, s->kh, s->kw, s->stride, s->pad);
    return text;
}

const char *describe_pool(const pool_shape *s)
{
    static char text[128];
    snprintf(text, sizeof text, "N=%zu H=%zu W=%zu C=%zu window %zux%zu stride %zu", s->N, s->H,
             s->W, s->C, s->size, s->size, s->stride);
    return text;
}

size_t conv_out_h(const conv2d_shape *s)
{
    return ref_conv2d_out_size(s->H, s->kh, s->stride, s->pad);
}

size_t conv_out_w(const conv2d_shape *s)
{
    return ref_conv2d_out_size(s->W, s->kw, s->stride, s->pad);
}

size_t conv_in_count(const conv2d_shape *s)
{
    return s->N * s->H * s->W * s->C;
}

size_t conv_out_count(const conv2d_shape *s)
{
    return s->N * conv_out_h(s) * conv_out_w(s) * s->K;
}

size_t conv_w_count(const conv2d_shape *s)
{
    return s->K * s->kh * s->kw * s->C;
}

size_t pool_out_count(const pool_shape *s)
{
    return s->N * ref_conv2d_out_size(s->H, s->size, s->stride, 0) *
           ref_conv2d_out_size(s->W, s->size, s->stride, 0) * s->C;
}

float *distinct_array(dk_rng *rng, size_t n, float spacing)
{
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    float *a = malloc((n ? n : 1) * sizeof *a);
    if (!order || !a)
        dk_fatal("grader: out of memory");
    dk_rng_permutation(rng, order, n);
    for (size_t i = 0; i < n; i++)
        a[i] = ((float)order[i] - 0.5f * (float)n) * spacing;
    free(order);
    return a;
}

double dot(const float *a, const float *b, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)a[i] * b[i];
    return sum;
}

double dot_magnitude(const float *a, const float *b, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += fabs((double)a[i] * b[i]);
    return sum;
}

conv_fd conv_fd_random(dk_rng *rng, const conv2d_shape *s)
{
    /* One statement per draw: an initializer list's order is unspecified,
     * and a seed must replay the same arrays with every compiler. */
    conv_fd f = {.s = s, .y = malloc(conv_out_count(s) * sizeof(float))};
    f.x = dk_random_array(rng, conv_in_count(s), -1, 1);
    f.W = dk_random_array(rng, conv_w_count(s), -1, 1);
    f.b = dk_random_array(rng, s->K, -1, 1);
    f.c = dk_random_array(rng, conv_out_count(s), -1, 1);
    return f;
}

double conv_fd_loss(void *fd)
{
    conv_fd *f = fd;
    ref_conv2d_forward_direct(f->x, f->W, f->b, f->s, f->y);
    return dot(f->c, f->y, conv_out_count(f->s));
}

void conv_fd_free(conv_fd *f)
{
    free(f->x), free(f->W), free(f->b), free(f->y), free(f->c);
}
