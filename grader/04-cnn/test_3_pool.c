/* Chapter 04, part 3: max and average pooling (17 points). Max pooling is
 * checked on inputs without ties (all values different, and far enough
 * apart for finite differences), then on ties, where the contract names
 * the element that takes the gradient. */
#include "cases.h"
#include "ref_api.h"

#include <stdlib.h>

static size_t pool_in_count(const pool_shape *s)
{
    return s->N * s->H * s->W * s->C;
}

static dk_shape pool_out_shape(const pool_shape *s)
{
    return DK_SHAPE(s->N, ref_conv2d_out_size(s->H, s->size, s->stride, 0),
                    ref_conv2d_out_size(s->W, s->size, s->stride, 0), s->C);
}

typedef void (*pool_forward_fn)(const float *, const pool_shape *, float *);

/* Forward values of one kind of pooling on every shape. */
static void expect_forward(pool_forward_fn yours, pool_forward_fn ref, const char *name,
                           uint64_t salt)
{
    dk_rng rng = dk_test_rng(salt);
    for (size_t t = 0; t < NPOOL_SHAPES; t++) {
        const pool_shape *s = &POOL_SHAPES[t];
        const size_t n = pool_in_count(s), ny = pool_out_count(s);
        float *x = distinct_array(&rng, n, 2.0f / (float)n);
        float *want = malloc((ny + 1) * sizeof *want), *y = dk_guard_floats(ny);
        ref(x, s, want);
        yours(x, s, y);
        dk_guard_check(y, pool_out_shape(s), "%s's y (%s)", name, describe_pool(s));
        dk_expect_floats(want, y, pool_out_shape(s), DK_TOL_ELEMENTWISE, "%s (%s)", name,
                         describe_pool(s));
        free(x), free(want);
        dk_guard_free(y);
    }
}

GRADED_TEST(maxpool_forward_values, 3, 20,
            "Each window of size x size pixels, moved by stride, gives its largest value, "
            "channel by channel; windows never reach past the image (no padding).")
{
    expect_forward(maxpool_forward, ref_maxpool_forward, "maxpool_forward", 301);
}

/* maxpool_backward on x against the reference's, dx guarded. */
static void expect_maxpool_backward(const pool_shape *s, const float *x, dk_rng *rng,
                                    const char *inputs)
{
    const size_t n = pool_in_count(s);
    float *dy = dk_random_array(rng, pool_out_count(s), -1, 1);
    float *want = malloc((n + 1) * sizeof *want), *dx = dk_guard_floats(n);
    ref_maxpool_backward(x, dy, s, want);
    maxpool_backward(x, dy, s, dx);
    const dk_shape shape = DK_SHAPE(s->N, s->H, s->W, s->C);
    dk_guard_check(dx, shape, "maxpool_backward's dx (%s)", describe_pool(s));
    dk_expect_floats(want, dx, shape, DK_TOL_REDUCTION, "maxpool_backward's dx (%s; %s)",
                     describe_pool(s), inputs);
    free(dy), free(want);
    dk_guard_free(dx);
}

GRADED_TEST(maxpool_backward_values, 4, 20,
            "Only the window's maximum moved the output: it takes the window's whole dy, and "
            "every other element 0 (dx is overwritten). Overlapping windows add up.")
{
    dk_rng rng = dk_test_rng(302);
    for (size_t t = 0; t < NPOOL_SHAPES; t++) {
        const size_t n = pool_in_count(&POOL_SHAPES[t]);
        float *x = distinct_array(&rng, n, 2.0f / (float)n);
        expect_maxpool_backward(&POOL_SHAPES[t], x, &rng, "all inputs different");
        free(x);
    }
}

GRADED_TEST(maxpool_backward_ties, 2, 20,
            "When several elements of a window share the maximum, the FIRST in the window's "
            "row-major order (top row first, left to right) takes the gradient, the others 0.")
{
    dk_rng rng = dk_test_rng(303);
    for (size_t t = 0; t < NPOOL_SHAPES; t++) {
        const pool_shape *s = &POOL_SHAPES[t];
        const size_t n = pool_in_count(s);
        float *x = malloc((n + 1) * sizeof *x);
        for (size_t i = 0; i < n; i++) /* three values: many ties */
            x[i] = (float)dk_rng_below(&rng, 3) - 1.0f;
        expect_maxpool_backward(s, x, &rng, "inputs -1, 0 and 1: many ties");
        for (size_t i = 0; i < n; i++)
            x[i] = 0.5f;
        expect_maxpool_backward(s, x, &rng, "every input 0.5");
        free(x);
    }
}

/* loss = sum(c * pool(x)) by the reference's forward pass. */
typedef struct pool_fd {
    const pool_shape *s;
    pool_forward_fn forward;
    float *x, *y, *c;
} pool_fd;

static double pool_loss(void *p)
{
    pool_fd *f = p;
    f->forward(f->x, f->s, f->y);
    return dot(f->c, f->y, pool_out_count(f->s));
}

/* Max pooling copies its inputs, so the loss (a dot product in double) is
 * exact, and a step of 1e-4 max(1, |x|) stays far from the nearest tie
 * (inputs 0.02 apart). */
#define MAXPOOL_GRADCHECK ((dk_gradcheck_opts){1e-4, 1e-2, 1e-3})

GRADED_TEST(maxpool_gradients_by_finite_differences, 3, 20,
            "Nudge the maximum of a window and the output follows; nudge any other element "
            "and nothing moves: its gradient is 0.")
{
    dk_rng rng = dk_test_rng(304);
    for (size_t t = 0; t < NPOOL_SMALL; t++) {
        const pool_shape *s = &POOL_SHAPES[t];
        const size_t n = pool_in_count(s);
        pool_fd f = {s, ref_maxpool_forward, distinct_array(&rng, n, 0.02f),
                     malloc(pool_out_count(s) * sizeof(float)),
                     dk_random_array(&rng, pool_out_count(s), -1, 1)};
        float *dx = malloc(n * sizeof *dx);
        maxpool_backward(f.x, f.c, s, dx);
        const dk_grad_param p = {"x", f.x, dx, DK_SHAPE(s->N, s->H, s->W, s->C)};
        dk_expect_gradients(pool_loss, &f, &p, 1, MAXPOOL_GRADCHECK, "maxpool_backward (%s)",
                            describe_pool(s));
        free(f.x), free(f.y), free(f.c), free(dx);
    }
}

GRADED_TEST(avgpool_forward_values, 2, 20,
            "Each window gives the mean of its size x size values, channel by channel.")
{
    expect_forward(avgpool_forward, ref_avgpool_forward, "avgpool_forward", 305);
}

GRADED_TEST(avgpool_backward_values, 3, 20,
            "Every element of a window moved its mean by 1/(size*size): each gets dy / "
            "(size*size) from every window it is in, and 0 when it is in none.")
{
    dk_rng rng = dk_test_rng(306);
    for (size_t t = 0; t < NPOOL_SHAPES; t++) {
        const pool_shape *s = &POOL_SHAPES[t];
        const size_t n = pool_in_count(s);
        float *dy = dk_random_array(&rng, pool_out_count(s), -1, 1);
        float *want = malloc((n + 1) * sizeof *want), *dx = dk_guard_floats(n);
        ref_avgpool_backward(dy, s, want);
        avgpool_backward(dy, s, dx);
        const dk_shape shape = DK_SHAPE(s->N, s->H, s->W, s->C);
        dk_guard_check(dx, shape, "avgpool_backward's dx (%s)", describe_pool(s));
        dk_expect_floats(want, dx, shape, DK_TOL_REDUCTION, "avgpool_backward's dx (%s)",
                         describe_pool(s));
        if (t < NPOOL_SMALL) {
            pool_fd f = {s, ref_avgpool_forward, dk_random_array(&rng, n, -1, 1),
                         malloc(pool_out_count(s) * sizeof(float)), dy};
            avgpool_backward(dy, s, dx);
            const dk_grad_param p = {"x", f.x, dx, shape};
            dk_expect_gradients(pool_loss, &f, &p, 1, DK_GRADCHECK_FLOAT32,
                                "avgpool_backward (%s)", describe_pool(s));
            free(f.x), free(f.y);
        }
        free(dy), free(want);
        dk_guard_free(dx);
    }
}
