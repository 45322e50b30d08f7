/* Chapter 04, part 2: the convolution as one matrix product (26 points):
 * the patch matrix and its adjoint, then the forward and backward passes
 * through them, against the reference, finite differences and each
 * other. */
#include "cases.h"
#include "ref_api.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static size_t cols_rows(const conv2d_shape *s)
{
    return s->N * conv_out_h(s) * conv_out_w(s);
}

static size_t cols_width(const conv2d_shape *s)
{
    return s->kh * s->kw * s->C;
}

GRADED_TEST(im2col_values, 5, 20,
            "Row (n, oh, ow) of the patch matrix is the window that output reads, in the order "
            "of a filter's weights: (i, j, c), channel fastest. Where the window reaches into "
            "the padding, write 0; every element is written.")
{
    dk_rng rng = dk_test_rng(201);
    for (size_t t = 0; t < NCONV_SHAPES; t++) {
        const conv2d_shape *s = &CONV_SHAPES[t];
        const size_t n = cols_rows(s) * cols_width(s);
        dk_expect_int((long)ref_conv2d_cols_size(s), (long)conv2d_cols_size(s),
                      "conv2d_cols_size(%s)", describe_conv(s));
        float *x = dk_random_array(&rng, conv_in_count(s), -1, 1);
        float *want = malloc((n + 1) * sizeof *want), *cols = dk_guard_floats(n);
        ref_im2col(x, s, want);
        im2col(x, s, cols);
        const dk_shape shape = DK_SHAPE(cols_rows(s), cols_width(s));
        dk_guard_check(cols, shape, "im2col's cols (%s)", describe_conv(s));
        dk_expect_floats(want, cols, shape, DK_TOL_EXACT, "im2col (%s)", describe_conv(s));
        free(x), free(want);
        dk_guard_free(cols);
    }
}

GRADED_TEST(col2im_values, 4, 20,
            "col2im gives back: each element of cols ADDS to the pixel im2col copied it from "
            "(patches overlap when the stride is smaller than the kernel); padding gives back "
            "nothing; pixels in no window get 0.")
{
    dk_rng rng = dk_test_rng(202);
    for (size_t t = 0; t < NCONV_SHAPES; t++) {
        const conv2d_shape *s = &CONV_SHAPES[t];
        const size_t nx = conv_in_count(s);
        float *cols = dk_random_array(&rng, cols_rows(s) * cols_width(s), -1, 1);
        float *want = malloc((nx + 1) * sizeof *want), *dx = dk_guard_floats(nx);
        ref_col2im(cols, s, want);
        col2im(cols, s, dx);
        const dk_shape shape = DK_SHAPE(s->N, s->H, s->W, s->C);
        dk_guard_check(dx, shape, "col2im's dx (%s)", describe_conv(s));
        dk_expect_floats(want, dx, shape, TOL_CONV, "col2im (%s)", describe_conv(s));
        free(cols), free(want);
        dk_guard_free(dx);
    }
}

GRADED_TEST(im2col_col2im_adjoint, 4, 20,
            "col2im is im2col run backwards: <im2col(x), y> = <x, col2im(y)> for every x and "
            "y. If not, some element is copied one way and not given back the other.")
{
    dk_rng rng = dk_test_rng(203);
    for (size_t t = 0; t < NCONV_SHAPES; t++) {
        const conv2d_shape *s = &CONV_SHAPES[t];
        const size_t nx = conv_in_count(s), nc = cols_rows(s) * cols_width(s);
        for (int draw = 0; draw < 3; draw++) {
            float *x = dk_random_array(&rng, nx, -1, 1), *y = dk_random_array(&rng, nc, -1, 1);
            /* guarded: an element left unwritten, or a write past the end,
             * fails here every time, not only when the heap holds junk */
            float *cols = dk_guard_floats(nc), *back = dk_guard_floats(nx);
            im2col(x, s, cols);
            col2im(y, s, back);
            dk_guard_check(cols, DK_SHAPE(cols_rows(s), cols_width(s)), "im2col's cols (%s)",
                           describe_conv(s));
            dk_guard_check(back, DK_SHAPE(s->N, s->H, s->W, s->C), "col2im's dx (%s)",
                           describe_conv(s));
            const double left = dot(cols, y, nc), right = dot(x, back, nx);
            /* col2im's float32 sums are off by about 1e-7 of their terms,
             * and the products nearly cancel: compare against their size */
            const dk_tol tol = {1e-6, 1e-7 * dot_magnitude(cols, y, nc)};
            dk_expect_near(left, right, tol,
                           "<x, col2im(y)> against <im2col(x), y> = %.7g (%s)", left,
                           describe_conv(s));
            free(x), free(y);
            dk_guard_free(cols), dk_guard_free(back);
        }
    }
}

GRADED_TEST(conv2d_forward_values, 4, 20,
            "The convolution is a linear layer applied to every patch: cols = im2col(x), then "
            "y = cols W^T + b with one product (chapter 02's linear_forward does exactly that).")
{
    dk_rng rng = dk_test_rng(204);
    for (size_t t = 0; t < NCONV_SHAPES; t++) {
        const conv2d_shape *s = &CONV_SHAPES[t];
        const size_t ny = conv_out_count(s), nc = cols_rows(s) * cols_width(s);
        float *x = dk_random_array(&rng, conv_in_count(s), -1, 1);
        float *W = dk_random_array(&rng, conv_w_count(s), -1, 1), *b = dk_random_array(&rng, s->K, -1, 1);
        float *want = malloc(ny * sizeof *want), *want_cols = malloc((nc + 1) * sizeof *want_cols);
        float *y = dk_guard_floats(ny), *cols = dk_guard_floats(nc);
        ref_conv2d_forward_direct(x, W, b, s, want);
        ref_im2col(x, s, want_cols);
        conv2d_forward(x, W, b, s, cols, y);
        const dk_shape shape = DK_SHAPE(s->N, conv_out_h(s), conv_out_w(s), s->K);
        dk_guard_check(y, shape, "conv2d_forward's y (%s)", describe_conv(s));
        dk_guard_check(cols, DK_SHAPE(cols_rows(s), cols_width(s)), "conv2d_forward's cols (%s)",
                       describe_conv(s));
        dk_expect_floats(want, y, shape, TOL_CONV, "conv2d_forward (%s)", describe_conv(s));
        dk_expect_floats(want_cols, cols, DK_SHAPE(cols_rows(s), cols_width(s)), DK_TOL_EXACT,
                         "the cols that conv2d_forward leaves for the backward pass (%s)",
                         describe_conv(s));
        free(x), free(W), free(b), free(want), free(want_cols);
        dk_guard_free(y), dk_guard_free(cols);
    }
}

GRADED_TEST(conv2d_backward_values, 6, 20,
            "linear_backward on the patch matrix: dW += dy^T cols, db += column sums of dy, "
            "dcols = dy W; then dx = col2im(dcols). With dx = NULL, skip dcols and dx.")
{
    dk_rng rng = dk_test_rng(205);
    for (size_t t = 0; t < NCONV_SHAPES; t++) {
        const conv2d_shape *s = &CONV_SHAPES[t];
        const size_t nx = conv_in_count(s), nw = conv_w_count(s), nc = cols_rows(s) * cols_width(s);
        float *x = dk_random_array(&rng, nx, -1, 1), *W = dk_random_array(&rng, nw, -1, 1);
        float *dy = dk_random_array(&rng, conv_out_count(s), -1, 1);
        float *cols = malloc((nc + 1) * sizeof *cols), *dcols = malloc((nc + 1) * sizeof *dcols);
        float *want_dx = malloc((nx + 1) * sizeof *want_dx);
        float *want_dW = calloc(nw, sizeof *want_dW), *want_db = calloc(s->K, sizeof *want_db);
        ref_im2col(x, s, cols);
        ref_conv2d_backward_direct(x, W, dy, s, want_dx, want_dW, want_db);
        for (int with_dx = 1; with_dx >= 0; with_dx--) {
            const char *how = with_dx ? "" : " with dx = NULL";
            float *dx = dk_guard_floats(nx), *dW = dk_guard_floats_prefilled(nw, &rng);
            float *db = dk_guard_floats_prefilled(s->K, &rng);
            conv2d_backward(cols, W, dy, s, with_dx ? dcols : NULL, with_dx ? dx : NULL, dW, db);
            if (with_dx) {
                const dk_shape shape = DK_SHAPE(s->N, s->H, s->W, s->C);
                dk_guard_check(dx, shape, "conv2d_backward's dx (%s)", describe_conv(s));
                dk_expect_floats(want_dx, dx, shape, TOL_CONV, "conv2d_backward's dx (%s)",
                                 describe_conv(s));
            }
            dk_expect_accumulated(want_dW, dW, DK_SHAPE(s->K, s->kh, s->kw, s->C), TOL_CONV,
                                  "dW after conv2d_backward%s (%s)", how, describe_conv(s));
            dk_expect_accumulated(want_db, db, DK_SHAPE(s->K), TOL_CONV,
                                  "db after conv2d_backward%s (%s)", how, describe_conv(s));
            dk_guard_free(dx), dk_guard_free(dW), dk_guard_free(db);
        }
        free(x), free(W), free(dy), free(cols), free(dcols), free(want_dx), free(want_dW);
        free(want_db);
    }
}

GRADED_TEST(conv2d_gradients_by_finite_differences, 3, 30,
            "Nudge one input, weight or bias by h: the loss moves by h times its gradient. The "
            "patch matrix route must give the gradients of the convolution itself.")
{
    dk_rng rng = dk_test_rng(206);
    for (size_t t = 0; t < NCONV_SMALL; t++) {
        const conv2d_shape *s = &CONV_SHAPES[t];
        const size_t nx = conv_in_count(s), nw = conv_w_count(s), nc = cols_rows(s) * cols_width(s);
        conv_fd f = conv_fd_random(&rng, s);
        float *grads = calloc(nx + nw + s->K, sizeof *grads);
        float *cols = malloc((nc + 1) * sizeof *cols), *dcols = malloc((nc + 1) * sizeof *dcols);
        ref_im2col(f.x, s, cols);
        conv2d_backward(cols, f.W, f.c, s, dcols, grads, grads + nx, grads + nx + nw);
        const dk_grad_param p[3] = {{"x", f.x, grads, DK_SHAPE(s->N, s->H, s->W, s->C)},
                                    {"W", f.W, grads + nx, DK_SHAPE(s->K, s->kh, s->kw, s->C)},
                                    {"b", f.b, grads + nx + nw, DK_SHAPE(s->K)}};
        dk_expect_gradients(conv_fd_loss, &f, p, 3, DK_GRADCHECK_FLOAT32, "conv2d_backward (%s)",
                            describe_conv(s));
        conv_fd_free(&f), free(grads), free(cols), free(dcols);
    }
}
