/* Chapter 02, part 1: the linear layer and the activations (31 points). */
#include "backprop.h"
#include "grade.h"
#include "ref_api.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* (B, in, out): batch 1, odd sizes, wide and tall, and MNIST's first layer. */
static const size_t SHAPES[][3] = {{1, 1, 1}, {1, 7, 3},  {5, 1, 9},    {3, 17, 200},
                                   {33, 5, 1}, {16, 64, 8}, {64, 784, 10}, {7, 300, 301}};
#define NSHAPES (sizeof SHAPES / sizeof SHAPES[0])

/* One shape's inputs: x (B, in), W (out, in), b (out,), dy (B, out). */
typedef struct linear_case {
    size_t B, in, out;
    float *x, *W, *b, *dy;
} linear_case;

static linear_case linear_case_make(size_t s, dk_rng *rng)
{
    linear_case c = {SHAPES[s][0], SHAPES[s][1], SHAPES[s][2], NULL, NULL, NULL, NULL};
    c.x = dk_random_array(rng, c.B * c.in, -1, 1);
    c.W = dk_random_array(rng, c.out * c.in, -1, 1);
    c.b = dk_random_array(rng, c.out, -1, 1);
    c.dy = dk_random_array(rng, c.B * c.out, -1, 1);
    return c;
}

static void linear_case_free(linear_case *c)
{
    free(c->x), free(c->W), free(c->b), free(c->dy);
}

GRADED_TEST(linear_forward_values, 5, 10,
            "y = x W^T + b: with x (B, in) and W (out, in), which product gives (B, out), "
            "and which transpose does dk_sgemm need? b is added to every row.")
{
    dk_rng rng = dk_test_rng(21);
    for (size_t s = 0; s < NSHAPES; s++) {
        linear_case c = linear_case_make(s, &rng);
        float *want = malloc(c.B * c.out * sizeof *want), *y = dk_guard_floats(c.B * c.out);
        ref_linear_forward(c.x, c.W, c.b, c.B, c.in, c.out, want);
        linear_forward(c.x, c.W, c.b, c.B, c.in, c.out, y);
        dk_guard_check(y, DK_SHAPE(c.B, c.out), "linear_forward (B=%zu, in=%zu, out=%zu)", c.B,
                       c.in, c.out);
        dk_expect_floats(want, y, DK_SHAPE(c.B, c.out), DK_TOL_REDUCTION,
                         "linear_forward (B=%zu, in=%zu, out=%zu)", c.B, c.in, c.out);
        dk_guard_free(y);
        free(want);
        linear_case_free(&c);
    }
}

GRADED_TEST(linear_backward_dx, 5, 10,
            "dL/dx = dy W: each input feeds every output through its weight; "
            "(B, out) times (out, in) gives (B, in).")
{
    dk_rng rng = dk_test_rng(22);
    for (size_t s = 0; s < NSHAPES; s++) {
        linear_case c = linear_case_make(s, &rng);
        size_t nw = c.out * c.in;
        float *want = malloc(c.B * c.in * sizeof *want), *dx = dk_guard_floats(c.B * c.in);
        float *scratch = calloc(nw + c.out + 1, sizeof *scratch);
        float *dW = dk_guard_floats_prefilled(nw, &rng), *db = dk_guard_floats_prefilled(c.out, &rng);
        ref_linear_backward(c.x, c.W, c.dy, c.B, c.in, c.out, want, scratch, scratch + nw);
        linear_backward(c.x, c.W, c.dy, c.B, c.in, c.out, dx, dW, db);
        dk_guard_check(dx, DK_SHAPE(c.B, c.in), "linear_backward's dx (B=%zu, in=%zu, out=%zu)",
                       c.B, c.in, c.out);
        dk_expect_floats(want, dx, DK_SHAPE(c.B, c.in), DK_TOL_REDUCTION,
                         "linear_backward's dx (B=%zu, in=%zu, out=%zu)", c.B, c.in, c.out);
        dk_guard_free(dx), dk_guard_free(dW), dk_guard_free(db);
        free(want), free(scratch);
        linear_case_free(&c);
    }
}

/* dW and db start from random values: expect those plus the gradient. */
static void expect_accumulated(const linear_case *c, const float *dW, const float *db,
                               bool with_dx)
{
    float *grad_W = calloc(c->out * c->in, sizeof *grad_W);
    float *grad_b = calloc(c->out, sizeof *grad_b);
    ref_linear_backward(c->x, c->W, c->dy, c->B, c->in, c->out, NULL, grad_W, grad_b);
    const char *how = with_dx ? "" : " with dx = NULL";
    dk_expect_accumulated(grad_W, dW, DK_SHAPE(c->out, c->in), DK_TOL_REDUCTION,
                          "dW after linear_backward%s (B=%zu, in=%zu, out=%zu)", how, c->B,
                          c->in, c->out);
    dk_expect_accumulated(grad_b, db, DK_SHAPE(c->out), DK_TOL_REDUCTION,
                          "db after linear_backward%s (B=%zu, in=%zu, out=%zu)", how, c->B,
                          c->in, c->out);
    free(grad_W), free(grad_b);
}

GRADED_TEST(linear_backward_dW_db, 6, 10,
            "dL/dW = dy^T x is (out, in), like W; dL/db sums dy over the batch. Both ADD "
            "to what dW and db hold (+=), as PyTorch accumulates into .grad.")
{
    dk_rng rng = dk_test_rng(23);
    for (size_t s = 0; s < NSHAPES; s++) {
        linear_case c = linear_case_make(s, &rng);
        float *dx = malloc(c.B * c.in * sizeof *dx);
        float *dW = dk_guard_floats_prefilled(c.out * c.in, &rng);
        float *db = dk_guard_floats_prefilled(c.out, &rng);
        linear_backward(c.x, c.W, c.dy, c.B, c.in, c.out, dx, dW, db);
        expect_accumulated(&c, dW, db, true);
        dk_guard_free(dW), dk_guard_free(db);
        free(dx);
        linear_case_free(&c);
    }
}

GRADED_TEST(linear_backward_without_dx, 2, 10,
            "The first layer's input needs no gradient: with dx = NULL, skip it and "
            "still accumulate dW and db.")
{
    dk_rng rng = dk_test_rng(24);
    for (size_t s = 0; s < NSHAPES; s++) {
        linear_case c = linear_case_make(s, &rng);
        float *dW = dk_guard_floats_prefilled(c.out * c.in, &rng);
        float *db = dk_guard_floats_prefilled(c.out, &rng);
        linear_backward(c.x, c.W, c.dy, c.B, c.in, c.out, NULL, dW, db);
        expect_accumulated(&c, dW, db, false);
        dk_guard_free(dW), dk_guard_free(db);
        linear_case_free(&c);
    }
}

/* loss = sum(c * linear_forward(x, W, b)) with your forward; its gradients
 * by your backward are (x, W, b) <- linear_backward with dy = c. */
typedef struct linear_fd {
    linear_case k;
    float *y;
} linear_fd;

static double linear_loss(void *p)
{
    linear_fd *f = p;
    linear_forward(f->k.x, f->k.W, f->k.b, f->k.B, f->k.in, f->k.out, f->y);
    double l = 0;
    for (size_t i = 0; i < f->k.B * f->k.out; i++)
        l += (double)f->k.dy[i] * f->y[i];
    return l;
}

GRADED_TEST(linear_gradients_by_finite_differences, 4, 20,
            "Each of dx, dW and db must be the derivative of the loss: nudge one "
            "input, weight or bias by h and the loss moves by h times its gradient.")
{
    dk_rng rng = dk_test_rng(25);
    for (size_t s = 0; s < 6; s++) {
        linear_fd f = {linear_case_make(s, &rng), NULL};
        size_t nx = f.k.B * f.k.in, nw = f.k.out * f.k.in;
        float *grads = calloc(nx + nw + f.k.out, sizeof *grads);
        f.y = malloc(f.k.B * f.k.out * sizeof *f.y);
        linear_backward(f.k.x, f.k.W, f.k.dy, f.k.B, f.k.in, f.k.out, grads, grads + nx,
                        grads + nx + nw);
        dk_grad_param p[3] = {{"x", f.k.x, grads, DK_SHAPE(f.k.B, f.k.in)},
                              {"W", f.k.W, grads + nx, DK_SHAPE(f.k.out, f.k.in)},
                              {"b", f.k.b, grads + nx + nw, DK_SHAPE(f.k.out)}};
        dk_expect_gradients(linear_loss, &f, p, 3, DK_GRADCHECK_FLOAT32,
                            "linear_backward (B=%zu, in=%zu, out=%zu)", f.k.B, f.k.in, f.k.out);
        free(grads), free(f.y);
        linear_case_free(&f.k);
    }
}

/* ---- Activations ---------------------------------------------------------- */

typedef void (*forward_fn)(const float *, size_t, float *);
typedef void (*backward_fn)(const float *, const float *, size_t, float *);

typedef struct activation_case {
    const char *name;
    forward_fn yours, ref;
    backward_fn yours_back, ref_back;
    bool from_input; /* backward takes the layer's input (ReLU), else its output */
} activation_case;

static const activation_case ACTIVATIONS[3] = {
    {"relu", relu_forward, ref_relu_forward, relu_backward, ref_relu_backward, true},
    {"sigmoid", sigmoid_forward, ref_sigmoid_forward, sigmoid_backward, ref_sigmoid_backward,
     false},
    {"tanh", tanh_forward, ref_tanh_forward, tanh_backward, ref_tanh_backward, false},
};

/* Random inputs with the kink of ReLU (0) and overflowing extremes. */
static float *activation_inputs(dk_rng *rng, size_t n)
{
    float *x = dk_random_array(rng, n, -8, 8);
    const float special[] = {0.0f, -0.0f, 1000.0f, -1000.0f, 89.0f, -89.0f, INFINITY, -INFINITY};
    for (size_t i = 0; i < 8 && i < n; i++)
        x[i] = special[i];
    return x;
}

GRADED_TEST(activations_forward, 4, 10,
            "Elementwise: ReLU max(0, x); the sigmoid and tanh of chapter 01, finite for "
            "every input (e^x overflows past 88.7).")
{
    dk_rng rng = dk_test_rng(26);
    const size_t n = 1001;
    float *x = activation_inputs(&rng, n), *want = malloc(n * sizeof *want);
    for (int a = 0; a < 3; a++) {
        float *y = dk_guard_floats(n);
        ACTIVATIONS[a].ref(x, n, want);
        ACTIVATIONS[a].yours(x, n, y);
        dk_guard_check(y, DK_SHAPE(n), "%s_forward", ACTIVATIONS[a].name);
        dk_expect_floats(want, y, DK_SHAPE(n), DK_TOL_ELEMENTWISE,
                         "%s_forward (inputs: 0, -0, +-1000, +-89, +-inf, then random)",
                         ACTIVATIONS[a].name);
        dk_guard_free(y);
    }
    free(x), free(want);
}

/* loss = sum(c * f(x)) with the reference's f; dx by your backward. */
typedef struct act_fd {
    const activation_case *a;
    float *x, *y;
    const float *c;
    size_t n;
} act_fd;

static double activation_loss(void *p)
{
    act_fd *f = p;
    f->a->ref(f->x, f->n, f->y);
    double l = 0;
    for (size_t i = 0; i < f->n; i++)
        l += (double)f->c[i] * f->y[i];
    return l;
}

GRADED_TEST(activations_backward, 5, 10,
            "dx = dy times the slope: ReLU's from its input (0 at 0), the sigmoid's and "
            "tanh's from their outputs, s (1 - s) and 1 - t^2.")
{
    dk_rng rng = dk_test_rng(27);
    const size_t n = 1001;
    float *x = activation_inputs(&rng, n), *dy = dk_random_array(&rng, n, -1, 1);
    float *y = malloc(n * sizeof *y), *want = malloc(n * sizeof *want);
    for (int a = 0; a < 3; a++) {
        const activation_case *ac = &ACTIVATIONS[a];
        float *dx = dk_guard_floats(n);
        ac->ref(x, n, y);
        const float *from = ac->from_input ? x : y;
        ac->ref_back(from, dy, n, want);
        ac->yours_back(from, dy, n, dx);
        dk_guard_check(dx, DK_SHAPE(n), "%s_backward", ac->name);
        dk_expect_floats(want, dx, DK_SHAPE(n), DK_TOL_ELEMENTWISE, "%s_backward", ac->name);
        /* Finite differences away from the extremes and the kink. */
        const size_t m = 200;
        act_fd f = {ac, x + 8, y, dy + 8, m};
        ac->ref(f.x, m, y);
        ac->yours_back(ac->from_input ? f.x : y, dy + 8, m, dx);
        dk_grad_param p = {"x", f.x, dx, DK_SHAPE(m)};
        dk_expect_gradients(activation_loss, &f, &p, 1, DK_GRADCHECK_FLOAT32, "%s_backward",
                            ac->name);
        dk_guard_free(dx);
    }
    free(x), free(dy), free(y), free(want);
}
