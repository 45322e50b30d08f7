/* Chapter 04's network and sizes across the two processes of a test
 * (marshal.h). */
#include "marshal.h"

#include "grade.h"

#ifdef DK_TEST_SIDE
#include "ref_api.h"

size_t conv_x(const conv2d_shape *s) { return s->N * s->H * s->W * s->C; }
size_t conv_w(const conv2d_shape *s) { return s->K * s->kh * s->kw * s->C; }
size_t conv_cols(const conv2d_shape *s) { return ref_conv2d_cols_size(s); }

size_t conv_y(const conv2d_shape *s)
{
    return s->N * ref_conv2d_out_size(s->H, s->kh, s->stride, s->pad) *
           ref_conv2d_out_size(s->W, s->kw, s->stride, s->pad) * s->K;
}

size_t pool_x(const pool_shape *s) { return s->N * s->H * s->W * s->C; }

size_t pool_y(const pool_shape *s)
{
    return s->N * ref_conv2d_out_size(s->H, s->size, s->stride, 0) *
           ref_conv2d_out_size(s->W, s->size, s->stride, 0) * s->C;
}

size_t image_of(const lenet *net) { return net->cfg.H * net->cfg.W * net->cfg.C; }
size_t acts_of(const lenet *net, size_t B) { return ref_lenet_acts_size(net, B); }

size_t maps_x(size_t n, size_t h, size_t w, size_t map_stride, size_t pixel_stride)
{
    return n && h && w ? (n - 1) * map_stride + (h * w - 1) * pixel_stride + 1 : 0;
}

size_t maps_grid(size_t n, size_t h, size_t w, size_t cols)
{
    const size_t rows = cols ? (n + cols - 1) / cols : 0;
    return rows && cols ? (rows * (h + 1) - 1) * (cols * (w + 1) - 1) : 0;
}

/* What a call left in a network: arrays of nparams floats (in the region,
 * unless the test's own, which the call layer restored), and nparams what
 * the configuration makes (later calls size their copies from these). */
static void check_lenet(void *original)
{
    const lenet *net = original;
    lenet sized;
    if (!ref_lenet_create(&sized, &net->cfg, &(dk_rng){{1, 2, 3, 4}}) ||
        sized.nparams != net->nparams)
        dk_test_fail(DK_WRONG_VALUE, "the network's nparams (%zu) is not what its configuration "
                     "makes", net->nparams);
    ref_lenet_free(&sized);
    const size_t bytes = net->nparams * sizeof(float);
    const float *arrays[2] = {net->params, net->grads};
    for (int k = 0; k < 2; k++)
        if (arrays[k] && dk_in_region(arrays[k], 1, false) && !dk_in_region(arrays[k], bytes, false))
            dk_test_fail(DK_WRONG_VALUE, "the network's %s do not hold its nparams = %zu floats",
                         k ? "grads" : "params", net->nparams);
}

lenet *dk_share_lenet(dk_call *c, const lenet *net)
{
    if (!net)
        return NULL;
    lenet *original = (lenet *)net, *s = dk_share(c, net, sizeof *net);
    const size_t bytes = net->nparams * sizeof(float);
    if (net->params)
        dk_share_member(c, (void **)&s->params, (void **)&original->params, bytes);
    if (net->grads)
        dk_share_member(c, (void **)&s->grads, (void **)&original->grads, bytes);
    dk_call_after(c, check_lenet, original);
    return s;
}

void dk_check_created_lenet(bool made, const lenet *net, const lenet_config *cfg)
{
    if (!made)
        return;
    if (memcmp(&net->cfg, cfg, sizeof *cfg) != 0)
        dk_test_fail(DK_WRONG_VALUE, "lenet_create made a network of another configuration "
                     "than asked");
    check_lenet((void *)net);
    if (!dk_in_region(net->params, 1, true) || !dk_in_region(net->grads, 1, true))
        dk_test_fail(DK_WRONG_VALUE, "lenet_create did not allocate params and grads");
}

void dk_after_lenet_acts_in(lenet_acts *acts, float *buf, const float *shared, size_t n)
{
    float **p[] = {&acts->cols1, &acts->z1, &acts->h1, &acts->p1, &acts->cols2,
                   &acts->z2, &acts->h2, &acts->p2, &acts->z3, &acts->h3};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
        if (!*p[i])
            continue;
        if (*p[i] < shared || *p[i] > shared + n)
            dk_test_fail(DK_WRONG_VALUE, "lenet_acts_in returned a pointer outside buf");
        *p[i] = buf + (*p[i] - shared);
    }
}

#else

void dk_fix_lenet(void *net)
{
    (void)net; /* no callbacks */
}

#endif
