/* The CUDA track, convolution: conv2d1_im2col (10 points) and
 * conv2d2_implicit (10), NHWC, against the CPU reference. As in
 * test_gemm.cu the inputs are multiples of 1/8, so the sums are exact. */
#include "check.h"

#include <cstdio>

/* {N, H, W, C, K, kh, kw, stride, pad} */
static const conv2d_dims SHAPES[] = {
    {1, 5, 5, 1, 1, 3, 3, 1, 0},    /* the smallest */
    {2, 7, 9, 3, 5, 3, 3, 1, 1},    /* 3 channels, "same" padding */
    {1, 12, 12, 4, 8, 5, 5, 1, 2},  /* channels a multiple of 4 */
    {3, 8, 8, 16, 32, 1, 1, 1, 0},  /* 1x1: a plain product */
    {2, 6, 6, 8, 130, 3, 3, 1, 1},  /* more filters than a tile */
    {1, 28, 28, 1, 6, 5, 5, 1, 2},  /* LeNet's first layer */
    {4, 14, 14, 6, 16, 5, 5, 1, 0}, /* and its second */
};
static const conv2d_dims STRIDES_AND_PADS[] = {
    {2, 7, 9, 3, 5, 3, 3, 2, 1},    /* stride 2 */
    {2, 13, 11, 4, 6, 3, 5, 3, 2},  /* stride 3, a 3x5 filter */
    {1, 10, 10, 2, 3, 4, 4, 2, 3},  /* padding as wide as the filter, almost */
    {1, 5, 5, 3, 2, 5, 5, 1, 0},    /* the filter covers the image: one output pixel */
    {1, 4, 6, 2, 3, 3, 3, 5, 1},    /* a stride longer than the filter */
    {3, 9, 7, 8, 12, 2, 3, 2, 0},   /* an even filter, channels a multiple of 4 */
};
static const conv2d_dims SANITIZER_SHAPES[] = {{1, 6, 5, 3, 4, 3, 3, 2, 1},
                                               {2, 5, 5, 8, 9, 3, 3, 1, 1}};

static int out_h(const conv2d_dims &d) { return conv2d_out_dim(d.H, d.kh, d.stride, d.pad); }
static int out_w(const conv2d_dims &d) { return conv2d_out_dim(d.W, d.kw, d.stride, d.pad); }

static void describe(const conv2d_dims &d, const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "%s(N=%d, H=%d, W=%d, C=%d, K=%d, kh=%d, kw=%d, stride=%d, pad=%d)", name,
             d.N, d.H, d.W, d.C, d.K, d.kh, d.kw, d.stride, d.pad);
}

/* One convolution by the chosen version (1 or 2), compared with the
 * reference; for version 1, cols too, when check_cols. */
static void check_conv(int version, const conv2d_dims &d, int misalign, bool check_cols,
                       uint64_t salt)
{
    dk_rng rng = gk_rng(salt);
    const int OH = out_h(d), OW = out_w(d), patch = d.kh * d.kw * d.C;
    const size_t nx = (size_t)d.N * d.H * d.W * d.C, nw = (size_t)d.K * patch;
    const size_t ny = (size_t)d.N * OH * OW * d.K, ncols = (size_t)d.N * OH * OW * patch;
    float *x = gk_grid(&rng, nx, 8), *w = gk_grid(&rng, nw, 8), *b = gk_grid(&rng, (size_t)d.K, 8);
    float *want = gk_host(ny), *want_cols = gk_host(ncols);
    cpu_conv2d(x, w, b, &d, want);
    cpu_im2col(x, &d, want_cols);
    gk_misalign(misalign);
    const float *dx = gk_input(x, nx), *dw = gk_input(w, nw), *db = gk_input(b, (size_t)d.K);
    float *dy = gk_output(ny), *dcols = version == 1 ? gk_output(ncols) : nullptr;
    gk_misalign(0);
    char what[192];
    describe(d, version == 1 ? "conv2d1_im2col" : "conv2d2_implicit", what, sizeof what);
    if (version == 1)
        conv2d1_im2col(dx, dw, db, &d, dcols, dy, 0);
    else
        conv2d2_implicit(dx, dw, db, &d, dy, 0);
    gk_sync("%s", what);
    if (check_cols)
        gk_expect_output(want_cols, dcols, gk_dims(d.N * OH * OW, patch), DK_TOL_EXACT,
                         "%s: cols", what);
    gk_expect_output(want, dy, gk_dims(d.N, OH, OW, d.K), DK_TOL_REDUCTION, "%s: y", what);
    gk_expect_inputs_untouched("%s", what);
    gk_free_all();
}

template <size_t N>
static void check_all(int version, const conv2d_dims (&shapes)[N], int misalign, bool check_cols,
                      uint64_t salt)
{
    for (size_t i = 0; i < N; i++)
        check_conv(version, shapes[i], misalign, check_cols, salt + i);
}

/* im2col_nhwc alone. */
static void check_im2col(const conv2d_dims &d, uint64_t salt)
{
    dk_rng rng = gk_rng(salt);
    const int OH = out_h(d), OW = out_w(d), patch = d.kh * d.kw * d.C;
    const size_t nx = (size_t)d.N * d.H * d.W * d.C, ncols = (size_t)d.N * OH * OW * patch;
    float *x = gk_grid(&rng, nx, 8), *want = gk_host(ncols);
    cpu_im2col(x, &d, want);
    const float *dx = gk_input(x, nx);
    float *cols = gk_output(ncols);
    char what[192];
    describe(d, "im2col_nhwc", what, sizeof what);
    im2col_nhwc(dx, &d, cols, 0);
    gk_sync("%s", what);
    gk_expect_output(want, cols, gk_dims(d.N * OH * OW, patch), DK_TOL_EXACT, "%s: cols", what);
    gk_expect_inputs_untouched("%s", what);
    gk_free_all();
}

#define HINT_FORWARD                                                                       \
    "y = P Wt^T + b, with P the patch matrix: row (n, oh, ow) of P holds the kh*kw*C "      \
    "input values under the filter at that output pixel, in the order (i, j, c) of a "     \
    "filter's weights."
#define HINT_STRIDES                                                                       \
    "Output pixel (oh, ow) reads input pixels (oh*stride + i - pad, ow*stride + j - pad); " \
    "where that falls outside the image (the padding), the value is 0."
#define HINT_MEMCHECK                                                                      \
    "compute-sanitizer's memcheck saw an access outside an array: a pixel in the padding " \
    "must not be read at all, not even to be multiplied by zero."

/* ---- conv2d1_im2col: 10 points ------------------------------------------------------ */

GPU_TEST(conv2d1_im2col, im2col_values, 3, 20, GK_PLAIN,
         "cols[(n, oh, ow), (i, j, c)] = x[n, oh*stride + i - pad, ow*stride + j - pad, c], "
         "or 0 in the padding: one thread per element of cols is a good start.")
{
    for (size_t i = 0; i < sizeof SHAPES / sizeof SHAPES[0]; i++)
        check_im2col(SHAPES[i], i);
    for (size_t i = 0; i < sizeof STRIDES_AND_PADS / sizeof STRIDES_AND_PADS[0]; i++)
        check_im2col(STRIDES_AND_PADS[i], 50 + i);
}

GPU_TEST(conv2d1_im2col, forward_values, 3, 20, GK_PLAIN,
         HINT_FORWARD " Then y = cols Wt^T + b is one call of your GEMM (which transposes?), "
         "with y prefilled with b and beta = 1, or a bias added after.")
{
    check_all(1, SHAPES, 0, true, 100);
}

GPU_TEST(conv2d1_im2col, stride_and_padding, 3, 20, GK_PLAIN, HINT_STRIDES)
{
    check_all(1, STRIDES_AND_PADS, 0, true, 200);
}

GPU_TEST(conv2d1_im2col, memcheck, 1, 20, GK_MEMCHECK, HINT_MEMCHECK)
{
    check_all(1, SANITIZER_SHAPES, 0, true, 300);
}

/* ---- conv2d2_implicit: 10 points ------------------------------------------------------ */

GPU_TEST(conv2d2_implicit, forward_values, 3, 20, GK_PLAIN,
         HINT_FORWARD " The implicit GEMM never writes P: the tile loader computes, for "
         "element (row, column) of P, which pixel and channel of x it is.")
{
    check_all(2, SHAPES, 0, false, 400);
}

GPU_TEST(conv2d2_implicit, stride_and_padding, 3, 20, GK_PLAIN, HINT_STRIDES)
{
    check_all(2, STRIDES_AND_PADS, 0, false, 500);
}

GPU_TEST(conv2d2_implicit, unaligned, 1, 20, GK_PLAIN,
         "Loads of 4 channels at once need the address to be a multiple of 16 bytes: check "
         "the pointers (and C) before using float4.")
{
    check_all(2, SHAPES, 1, false, 600);
}

GPU_TEST(conv2d2_implicit, memcheck, 1, 20, GK_MEMCHECK, HINT_MEMCHECK)
{
    check_all(2, SANITIZER_SHAPES, 0, false, 700);
}

GPU_TEST(conv2d2_implicit, racecheck, 2, 20, GK_RACECHECK,
         "compute-sanitizer's racecheck saw a race on shared memory: a tile needs a barrier "
         "after it is written, and another before it is overwritten.")
{
    check_all(2, SANITIZER_SHAPES, 0, false, 800);
}
