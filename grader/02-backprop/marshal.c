/* Chapter 02's structs across the two processes of a test (marshal.h). */
#include "marshal.h"

#include "grade.h"

#include <string.h>

/* A train_config's callbacks: on the student side, stand-ins that ask the
 * test process to run the real ones (the slot travels as the context). */
typedef struct lr_args {
    size_t step;
    float ret;
} lr_args;

typedef struct augment_args {
    float *x;
    size_t B;
    dk_rng *rng;
} augment_args;

#ifdef DK_TEST_SIDE

size_t mlp_acts_size_of(const mlp *net, size_t B)
{
    size_t n = 0;
    for (size_t l = 0; l + 1 < net->nlayers && l < MLP_MAX_LAYERS; l++)
        n += 2 * B * net->sizes[l + 1];
    return n;
}

/* The floats a network of these sizes holds, by the contract's layout. */
static size_t params_of(const mlp *net)
{
    size_t n = 0;
    for (size_t l = 0; l < net->nlayers; l++)
        n += net->sizes[l + 1] * (net->sizes[l] + 1);
    return n;
}

/* What a call left in a network: sizes that agree with nparams, and arrays
 * of nparams floats (in the region, unless the test's own, which the call
 * layer restored). Later calls size their copies from these. */
static void check_mlp(void *original)
{
    const mlp *net = original;
    const size_t bytes = net->nparams * sizeof(float);
    if (net->nlayers > MLP_MAX_LAYERS || net->nparams != params_of(net))
        dk_test_fail(DK_WRONG_VALUE, "the network's nparams (%zu) does not match its %zu layers' "
                     "sizes (%zu floats)", net->nparams, net->nlayers,
                     net->nlayers > MLP_MAX_LAYERS ? 0 : params_of(net));
    const float *arrays[2] = {net->params, net->grads};
    for (int k = 0; k < 2; k++)
        if (arrays[k] && dk_in_region(arrays[k], 1, false) && !dk_in_region(arrays[k], bytes, false))
            dk_test_fail(DK_WRONG_VALUE, "the network's %s do not hold its nparams = %zu floats",
                         k ? "grads" : "params", net->nparams);
}

void dk_check_created_mlp(bool made, const mlp *net, const size_t *sizes, size_t nlayers)
{
    if (!made)
        return;
    bool same = net->nlayers == nlayers;
    for (size_t l = 0; same && l <= nlayers; l++)
        same = net->sizes[l] == sizes[l];
    if (!same)
        dk_test_fail(DK_WRONG_VALUE, "mlp_create made a network of other sizes than asked");
    check_mlp((void *)net);
    if (!dk_in_region(net->params, 1, true) || !dk_in_region(net->grads, 1, true))
        dk_test_fail(DK_WRONG_VALUE, "mlp_create did not allocate params and grads");
}

mlp *dk_share_mlp(dk_call *c, const mlp *net)
{
    if (!net)
        return NULL;
    mlp *original = (mlp *)net, *s = dk_share(c, net, sizeof *net);
    const size_t bytes = net->nparams * sizeof(float);
    if (net->params)
        dk_share_member(c, (void **)&s->params, (void **)&original->params, bytes);
    if (net->grads)
        dk_share_member(c, (void **)&s->grads, (void **)&original->grads, bytes);
    dk_call_after(c, check_mlp, original);
    return s;
}

static void invoke_lr_at(void (*fn)(void), void *ctx, void *p)
{
    lr_args *a = p;
    a->ret = ((float (*)(size_t, void *))fn)(a->step, ctx);
}

/* (The student's process runs on during a callback: each argument is read
 * once, into a local, and checked there.) */
static void invoke_augment(void (*fn)(void), void *ctx, void *p)
{
    const augment_args a = *(const augment_args *)p;
    dk_check_shared(a.x, "the batch handed to augment");
    dk_check_shared(a.rng, "the rng handed to augment");
    ((void (*)(float *, size_t, dk_rng *, void *))fn)(a.x, a.B, a.rng, ctx);
}

train_config *dk_share_train_config(dk_call *c, const train_config *cfg)
{
    if (!cfg)
        return NULL;
    train_config *s = dk_scratch_copy(c, cfg, sizeof *cfg);
    s->lr_ctx = (void *)(uintptr_t)dk_callback_slot(c, (void (*)(void))cfg->lr_at, cfg->lr_ctx,
                                                    invoke_lr_at);
    s->augment_ctx = (void *)(uintptr_t)dk_callback_slot(c, (void (*)(void))cfg->augment,
                                                         cfg->augment_ctx, invoke_augment);
    return s;
}

#else

void dk_fix_mlp(void *net)
{
    (void)net; /* no callbacks */
}

static float lr_at_standin(size_t step, void *ctx)
{
    lr_args a = {step, 0};
    dk_student_callback((uint64_t)(uintptr_t)ctx, &a);
    return a.ret;
}

static void augment_standin(float *x, size_t B, dk_rng *rng, void *ctx)
{
    augment_args a = {x, B, rng};
    dk_student_callback((uint64_t)(uintptr_t)ctx, &a);
}

void dk_fix_train_config(void *config)
{
    train_config *cfg = config;
    if (!cfg)
        return;
    cfg->lr_at = cfg->lr_ctx ? lr_at_standin : NULL;
    cfg->augment = cfg->augment_ctx ? augment_standin : NULL;
}

#endif
