/* Chapter 04, part 1: the convolution by its definition, as loops (22
 * points): output sizes, the forward pass and its three gradients against
 * the reference on every shape of cases.c, and against finite
 * differences. */
#include "cases.h"
#include "ref_api.h"

#include <stdlib.h>
#include <string.h>

GRADED_TEST(conv2d_out_size_table, 3, 10,
            "Pad the input: in + 2 pad elements. A window of k fits at positions 0, stride, "
            "2 stride... as long as it ends inside: count them (0 when it never fits).")
{
    /* in, k, stride, pad: 1x1, stride > kernel, padding > kernel / 2, no fit */
    static const size_t table[][4] = {
        {1, 1, 1, 0},  {28, 5, 1, 2}, {14, 5, 1, 0}, {7, 1, 1, 0},  {10, 2, 3, 0},
        {9, 2, 3, 0},  {7, 3, 2, 2},  {3, 2, 1, 2},  {4, 5, 1, 3},  {10, 3, 4, 3},
        {28, 2, 2, 0}, {27, 2, 2, 0}, {5, 7, 1, 0},  {0, 1, 1, 0},  {6, 9, 2, 1},
        {32, 5, 1, 2}, {13, 3, 5, 1}, {1, 3, 1, 1},  {100, 7, 3, 3}};
    for (size_t t = 0; t < sizeof table / sizeof table[0]; t++) {
        const size_t *c = table[t];
        dk_expect_int((long)ref_conv2d_out_size(c[0], c[1], c[2], c[3]),
                      (long)conv2d_out_size(c[0], c[1], c[2], c[3]),
                      "conv2d_out_size(in = %zu, k = %zu, stride = %zu, pad = %zu)", c[0], c[1],
                      c[2], c[3]);
    }
}

GRADED_TEST(conv2d_forward_direct_values, 6, 20,
            "y[n, oh, ow, k] = b[k] + sum over i, j, c of W[k, i, j, c] x[n, oh*stride + i - pad, "
            "ow*stride + j - pad, c], with x = 0 outside the image. The kernel is not flipped; "
            "NHWC puts the channel last.")
{
    dk_rng rng = dk_test_rng(101);
    for (size_t t = 0; t < NCONV_SHAPES; t++) {
        const conv2d_shape *s = &CONV_SHAPES[t];
        const size_t ny = conv_out_count(s);
        float *x = dk_random_array(&rng, conv_in_count(s), -1, 1);
        float *W = dk_random_array(&rng, conv_w_count(s), -1, 1);
        float *b = dk_random_array(&rng, s->K, -1, 1);
        float *want = malloc(ny * sizeof *want), *y = dk_guard_floats(ny);
        ref_conv2d_forward_direct(x, W, b, s, want);
        conv2d_forward_direct(x, W, b, s, y);
        const dk_shape shape = DK_SHAPE(s->N, conv_out_h(s), conv_out_w(s), s->K);
        dk_guard_check(y, shape, "conv2d_forward_direct's y (%s)", describe_conv(s));
        dk_expect_floats(want, y, shape, TOL_CONV, "conv2d_forward_direct (%s)",
                         describe_conv(s));
        free(x), free(W), free(b), free(want);
        dk_guard_free(y);
    }
}

/* One shape's inputs and the reference's gradients (from zero). */
typedef struct backward_case {
    float *x, *W, *dy, *dx, *dW, *db;
} backward_case;

static backward_case backward_case_make(const conv2d_shape *s, dk_rng *rng)
{
    backward_case c = {dk_random_array(rng, conv_in_count(s), -1, 1),
                       dk_random_array(rng, conv_w_count(s), -1, 1),
                       dk_random_array(rng, conv_out_count(s), -1, 1),
                       malloc((conv_in_count(s) + 1) * sizeof(float)),
                       calloc(conv_w_count(s), sizeof(float)), calloc(s->K, sizeof(float))};
    ref_conv2d_backward_direct(c.x, c.W, c.dy, s, c.dx, c.dW, c.db);
    return c;
}

static void backward_case_free(backward_case *c)
{
    free(c->x), free(c->W), free(c->dy), free(c->dx), free(c->dW), free(c->db);
}

GRADED_TEST(conv2d_backward_direct_dx, 5, 20,
            "Every x[n, h, w, c] that a window read gets dy times the weight it met, summed over "
            "every window and filter that read it; pixels that no window reads get 0 (dx is "
            "overwritten).")
{
    dk_rng rng = dk_test_rng(102);
    for (size_t t = 0; t < NCONV_SHAPES; t++) {
        const conv2d_shape *s = &CONV_SHAPES[t];
        backward_case c = backward_case_make(s, &rng);
        float *dx = dk_guard_floats(conv_in_count(s));
        float *dW = calloc(conv_w_count(s), sizeof *dW), *db = calloc(s->K, sizeof *db);
        conv2d_backward_direct(c.x, c.W, c.dy, s, dx, dW, db);
        const dk_shape shape = DK_SHAPE(s->N, s->H, s->W, s->C);
        dk_guard_check(dx, shape, "conv2d_backward_direct's dx (%s)", describe_conv(s));
        dk_expect_floats(c.dx, dx, shape, TOL_CONV, "conv2d_backward_direct's dx (%s)",
                         describe_conv(s));
        dk_guard_free(dx);
        free(dW), free(db);
        backward_case_free(&c);
    }
}

GRADED_TEST(conv2d_backward_direct_dW_db, 5, 20,
            "dW[k, i, j, c] sums dy[n, oh, ow, k] times the input that weight met, over every "
            "sample and window; db[k] sums dy over every sample AND position. Both ADD to what "
            "dW and db hold.")
{
    dk_rng rng = dk_test_rng(103);
    for (size_t t = 0; t < NCONV_SHAPES; t++) {
        const conv2d_shape *s = &CONV_SHAPES[t];
        backward_case c = backward_case_make(s, &rng);
        for (int with_dx = 1; with_dx >= 0; with_dx--) {
            float *dx = malloc((conv_in_count(s) + 1) * sizeof *dx);
            float *dW = dk_guard_floats_prefilled(conv_w_count(s), &rng);
            float *db = dk_guard_floats_prefilled(s->K, &rng);
            conv2d_backward_direct(c.x, c.W, c.dy, s, with_dx ? dx : NULL, dW, db);
            const char *how = with_dx ? "" : " with dx = NULL";
            dk_expect_accumulated(c.dW, dW, DK_SHAPE(s->K, s->kh, s->kw, s->C), TOL_CONV,
                                  "dW after conv2d_backward_direct%s (%s)", how, describe_conv(s));
            dk_expect_accumulated(c.db, db, DK_SHAPE(s->K), TOL_CONV,
                                  "db after conv2d_backward_direct%s (%s)", how, describe_conv(s));
            dk_guard_free(dW), dk_guard_free(db);
            free(dx);
        }
        backward_case_free(&c);
    }
}

GRADED_TEST(conv2d_direct_gradients_by_finite_differences, 3, 30,
            "Nudge one input, weight or bias by h: the loss moves by h times its gradient. A "
            "gradient that disagrees reads the wrong pixel, weight or position.")
{
    dk_rng rng = dk_test_rng(104);
    for (size_t t = 0; t < NCONV_SMALL; t++) {
        const conv2d_shape *s = &CONV_SHAPES[t];
        const size_t nx = conv_in_count(s), nw = conv_w_count(s);
        conv_fd f = conv_fd_random(&rng, s);
        float *grads = calloc(nx + nw + s->K, sizeof *grads);
        conv2d_backward_direct(f.x, f.W, f.c, s, grads, grads + nx, grads + nx + nw);
        const dk_grad_param p[3] = {{"x", f.x, grads, DK_SHAPE(s->N, s->H, s->W, s->C)},
                                    {"W", f.W, grads + nx, DK_SHAPE(s->K, s->kh, s->kw, s->C)},
                                    {"b", f.b, grads + nx + nw, DK_SHAPE(s->K)}};
        dk_expect_gradients(conv_fd_loss, &f, p, 3, DK_GRADCHECK_FLOAT32,
                            "conv2d_backward_direct (%s)", describe_conv(s));
        conv_fd_free(&f), free(grads);
    }
}
