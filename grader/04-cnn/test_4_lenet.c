/* Chapter 04, part 4: the LeNet-style network (19 points): its shapes, its
 * parameters, its activation buffer, and its forward and backward passes
 * on networks the reference created. */
#include "cases.h"
#include "ref_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* H, W, C, c1, c2, hidden, classes: the smallest image (pool2 gives 1x1),
 * Fashion-MNIST's and CIFAR-10's shapes, and an odd non-square one whose
 * sizes round down. */
static const lenet_config CONFIGS[] = {
    {12, 12, 1, 2, 3, 4, 3},
    {28, 28, 1, 4, 6, 16, 10},
    {32, 32, 3, 3, 5, 8, 10},
    {17, 13, 2, 3, 4, 5, 4},
};
#define NCONFIGS (sizeof CONFIGS / sizeof CONFIGS[0])

static const char *describe(const lenet_config *c)
{
    static char text[128];
    snprintf(text, sizeof text, "images %zux%zux%zu, filters %zu/%zu, hidden %zu, classes %zu",
             c->H, c->W, c->C, c->c1, c->c2, c->hidden, c->classes);
    return text;
}

static lenet make_net(const lenet_config *cfg, uint64_t salt)
{
    dk_rng rng = dk_test_rng(salt);
    lenet net;
    if (!ref_lenet_create(&net, cfg, &rng))
        dk_fatal("grader: out of memory");
    return net;
}

static void expect_conv_shape(const conv2d_shape *want, const conv2d_shape *got, const char *layer,
                              const char *what)
{
    const size_t w[9] = {want->N, want->H, want->W, want->C, want->K, want->kh, want->kw,
                         want->stride, want->pad};
    const size_t g[9] = {got->N, got->H, got->W, got->C, got->K, got->kh, got->kw, got->stride,
                         got->pad};
    static const char *const names[9] = {"N", "H", "W", "C", "K", "kh", "kw", "stride", "pad"};
    for (int i = 0; i < 9; i++)
        dk_expect_int((long)w[i], (long)g[i], "lenet_shapes_of(%s).%s.%s", what, layer, names[i]);
}

static void expect_pool_shape(const pool_shape *want, const pool_shape *got, const char *layer,
                              const char *what)
{
    const size_t w[6] = {want->N, want->H, want->W, want->C, want->size, want->stride};
    const size_t g[6] = {got->N, got->H, got->W, got->C, got->size, got->stride};
    static const char *const names[6] = {"N", "H", "W", "C", "size", "stride"};
    for (int i = 0; i < 6; i++)
        dk_expect_int((long)w[i], (long)g[i], "lenet_shapes_of(%s).%s.%s", what, layer, names[i]);
}

GRADED_TEST(lenet_shapes_values, 3, 10,
            "conv1 keeps H x W (5x5, padding 2), each pooling halves (rounding down), conv2 "
            "takes 4 off each side (5x5, no padding); each layer's input is the last one's "
            "output.")
{
    static const lenet_config small[] = {{11, 11, 1, 2, 3, 4, 3}, {12, 11, 1, 2, 3, 4, 3}};
    for (size_t c = 0; c < NCONFIGS + 2; c++) {
        const lenet_config *cfg = c < NCONFIGS ? &CONFIGS[c] : &small[c - NCONFIGS];
        for (size_t B = 1; B <= 9; B += 8) {
            const lenet_shapes want = ref_lenet_shapes_of(cfg, B), got = lenet_shapes_of(cfg, B);
            char what[160];
            snprintf(what, sizeof what, "%s; B = %zu", describe(cfg), B);
            expect_conv_shape(&want.conv1, &got.conv1, "conv1", what);
            expect_pool_shape(&want.pool1, &got.pool1, "pool1", what);
            expect_conv_shape(&want.conv2, &got.conv2, "conv2", what);
            expect_pool_shape(&want.pool2, &got.pool2, "pool2", what);
            dk_expect_int((long)want.flat, (long)got.flat, "lenet_shapes_of(%s).flat", what);
        }
    }
}

GRADED_TEST(lenet_create_and_zero_grad, 3, 10,
            "One buffer W1, b1, W2, b2, W3, b3, W4, b4; draw each layer's W then b with "
            "dk_rng_range(rng, -k, k), k = 1/sqrt(fan_in), in that order; gradients 0. Refuse "
            "sizes of 0 and images too small for the layers.")
{
    for (size_t c = 0; c < NCONFIGS; c++) {
        dk_rng r1 = dk_test_rng(401 + c), r2 = r1;
        lenet want, net;
        DK_CHECK(ref_lenet_create(&want, &CONFIGS[c], &r1), "grader: out of memory");
        DK_CHECK(lenet_create(&net, &CONFIGS[c], &r2), "lenet_create(%s) returned false",
                 describe(&CONFIGS[c]));
        dk_expect_int((long)want.nparams, (long)net.nparams, "lenet_create(%s).nparams",
                      describe(&CONFIGS[c]));
        DK_CHECK(memcmp(&want.cfg, &net.cfg, sizeof want.cfg) == 0,
                 "lenet_create(%s): net->cfg is not a copy of the configuration",
                 describe(&CONFIGS[c]));
        dk_expect_floats(want.params, net.params, DK_SHAPE(want.nparams), DK_TOL_ELEMENTWISE,
                         "lenet_create(%s).params", describe(&CONFIGS[c]));
        dk_expect_floats(want.grads, net.grads, DK_SHAPE(want.nparams), DK_TOL_EXACT,
                         "lenet_create(%s).grads", describe(&CONFIGS[c]));
        dk_fill_uniform(&r1, net.grads, net.nparams, -1, 1);
        lenet_zero_grad(&net);
        dk_expect_floats(want.grads, net.grads, DK_SHAPE(want.nparams), DK_TOL_EXACT,
                         "net->grads after lenet_zero_grad(%s)", describe(&CONFIGS[c]));
        lenet_free(&net);
        ref_lenet_free(&want);
    }
    static const lenet_config bad[] = {
        {28, 28, 1, 0, 6, 16, 10}, {28, 28, 1, 4, 0, 16, 10}, {28, 28, 1, 4, 6, 0, 10},
        {28, 28, 1, 4, 6, 16, 0},  {28, 28, 0, 4, 6, 16, 10}, {11, 11, 1, 4, 6, 16, 10},
        {28, 10, 1, 4, 6, 16, 10}};
    for (size_t c = 0; c < sizeof bad / sizeof bad[0]; c++) {
        dk_rng rng = dk_test_rng(409);
        lenet net;
        DK_CHECK(!lenet_create(&net, &bad[c], &rng), "lenet_create(%s) accepted it",
                 describe(&bad[c]));
    }
}

GRADED_TEST(lenet_acts_layout, 2, 10,
            "cols1, z1, h1, p1, cols2, z2, h2, p2, z3, h3, one after the other: each array has "
            "the size of what its layer writes for B images.")
{
    static const char *const names[10] = {"cols1", "z1", "h1", "p1", "cols2",
                                          "z2",    "h2", "p2", "z3", "h3"};
    for (size_t c = 0; c < NCONFIGS; c++) {
        lenet net = make_net(&CONFIGS[c], 410 + c);
        for (size_t B = 1; B <= 9; B += 4) {
            dk_expect_int((long)ref_lenet_acts_size(&net, B), (long)lenet_acts_size(&net, B),
                          "lenet_acts_size(%s, B = %zu)", describe(&CONFIGS[c]), B);
            float *buf = malloc(ref_lenet_acts_size(&net, B) * sizeof *buf);
            const lenet_acts want = ref_lenet_acts_in(&net, B, buf);
            const lenet_acts got = lenet_acts_in(&net, B, buf);
            float *const w[10] = {want.cols1, want.z1, want.h1, want.p1, want.cols2,
                                  want.z2,    want.h2, want.p2, want.z3, want.h3};
            float *const g[10] = {got.cols1, got.z1, got.h1, got.p1, got.cols2,
                                  got.z2,    got.h2, got.p2, got.z3, got.h3};
            for (int i = 0; i < 10; i++)
                dk_expect_int((long)(w[i] - buf), (long)(g[i] - buf),
                              "where lenet_acts_in(%s, B = %zu).%s starts in the buffer (floats "
                              "from its start)", describe(&CONFIGS[c]), B, names[i]);
            free(buf);
        }
        ref_lenet_free(&net);
    }
}

GRADED_TEST(lenet_forward_values, 5, 20,
            "conv1, ReLU, pool1, conv2, ReLU, pool2, then p2 as (B, flat) into fc1, ReLU, fc2: "
            "each layer writes its array of acts, and reads the last one's.")
{
    dk_rng rng = dk_test_rng(420);
    for (size_t c = 0; c < NCONFIGS; c++) {
        const lenet_config *cfg = &CONFIGS[c];
        lenet net = make_net(cfg, 421 + c);
        const size_t B = 1 + 3 * c, na = ref_lenet_acts_size(&net, B);
        float *x = dk_random_array(&rng, B * cfg->H * cfg->W * cfg->C, 0, 1);
        float *want_acts = malloc(na * sizeof(float));
        float *want = malloc(B * cfg->classes * sizeof(float));
        float *acts = dk_guard_floats(na), *logits = dk_guard_floats(B * cfg->classes);
        ref_lenet_forward(&net, x, B, want_acts, want);
        lenet_forward(&net, x, B, acts, logits);
        dk_guard_check(acts, DK_SHAPE(na), "lenet_forward(%s, B = %zu)'s acts", describe(cfg), B);
        dk_guard_check(logits, DK_SHAPE(B, cfg->classes), "lenet_forward(%s)'s logits",
                       describe(cfg));
        dk_expect_floats(want_acts, acts, DK_SHAPE(na), DK_TOL_REDUCTION,
                         "lenet_forward(%s, B = %zu)'s acts (layout: cols1, z1, h1, p1, cols2, "
                         "z2, h2, p2, z3, h3)", describe(cfg), B);
        dk_expect_floats(want, logits, DK_SHAPE(B, cfg->classes), DK_TOL_REDUCTION,
                         "lenet_forward(%s, B = %zu)'s logits", describe(cfg), B);
        free(x), free(want_acts), free(want);
        dk_guard_free(acts), dk_guard_free(logits);
        ref_lenet_free(&net);
    }
}

/* loss = sum(c * logits) by the reference's forward pass. */
typedef struct net_fd {
    lenet *net;
    const float *x, *c;
    float *acts, *logits;
    size_t B;
} net_fd;

static double net_loss(void *p)
{
    net_fd *f = p;
    ref_lenet_forward(f->net, f->x, f->B, f->acts, f->logits);
    return dot(f->c, f->logits, f->B * f->net->cfg.classes);
}

/* Finite differences through max pooling: a step moves a conv1 weight,
 * hence every pixel of z1, and crosses a near-tie in some window when it
 * is large (a bias of a few percent that the kink detector cannot tell
 * from a bug). A step of 1e-3 crosses far fewer, and the float32 network's
 * round-off (1e-7 of a logit) still stays below 1e-4 of the difference. */
#define LENET_GRADCHECK ((dk_gradcheck_opts){1e-3, 1e-2, 1e-2})

GRADED_TEST(lenet_backward_gradients, 6, 30,
            "Walk the layers backwards: fc2, ReLU, fc1 (its dx is dp2), pool2, ReLU, conv2 (its "
            "dx is dp1), pool1, ReLU, conv1 (no dx). Every gradient ADDS to net->grads.")
{
    dk_rng rng = dk_test_rng(430);
    for (size_t c = 0; c < NCONFIGS; c++) {
        const lenet_config *cfg = &CONFIGS[c];
        lenet net = make_net(cfg, 431 + c);
        const size_t B = 2 + 2 * c, na = ref_lenet_acts_size(&net, B), C = cfg->classes;
        float *x = dk_random_array(&rng, B * cfg->H * cfg->W * cfg->C, 0, 1);
        float *dl = dk_random_array(&rng, B * C, -1, 1), *logits = malloc(B * C * sizeof(float));
        float *acts = malloc(na * sizeof(float)), *dacts = malloc(na * sizeof(float));
        float *want = malloc(net.nparams * sizeof(float)), *grads = net.grads;
        ref_lenet_forward(&net, x, B, acts, logits);
        net.grads = dk_guard_floats_prefilled(net.nparams, &rng); /* must be added to */
        memset(want, 0, net.nparams * sizeof(float));
        lenet copy = net;
        copy.grads = want;
        ref_lenet_backward(&copy, B, acts, dl, dacts);
        lenet_backward(&net, B, acts, dl, dacts);
        dk_expect_accumulated(want, net.grads, DK_SHAPE(net.nparams), TOL_CONV,
                              "net->grads after lenet_backward(%s, B = %zu)", describe(cfg), B);
        dk_guard_free(net.grads);
        net.grads = grads;
        /* and against finite differences, from zero, on two images */
        memset(net.grads, 0, net.nparams * sizeof(float));
        ref_lenet_forward(&net, x, 2, acts, logits);
        lenet_backward(&net, 2, acts, dl, dacts);
        net_fd f = {&net, x, dl, acts, logits, 2};
        const dk_grad_param p = {"params", net.params, net.grads, DK_SHAPE(net.nparams)};
        if (net.nparams < 2000)
            dk_expect_gradients(net_loss, &f, &p, 1, LENET_GRADCHECK,
                                "lenet_backward(%s, B = 2)", describe(cfg));
        free(x), free(dl), free(logits), free(acts), free(dacts), free(want);
        ref_lenet_free(&net);
    }
}
