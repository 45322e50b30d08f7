/* Chapter 06 tests: multi-head attention (13 points), against the
 * reference and finite differences. */
#include "cases.h"
#include "ref_api.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct mha_run {
    const mha_case *c;
    mha_layout l;
    mha_acts a;
    size_t n; /* elements of X, Y, dY */
    int *lens;
    float *params, *X, *dY, *acts, *Y;
} mha_run;

static mha_run mha_setup(const mha_case *c, dk_rng *rng)
{
    mha_run r = {.c = c, .l = mha_layout_of(&c->cfg), .a = mha_acts_of(&c->cfg, c->B, c->T),
                 .n = c->B * c->T * c->cfg.D, .lens = mha_lengths(c)};
    r.params = dk_random_array(rng, r.l.n, -0.5f, 0.5f);
    r.X = dk_random_array(rng, r.n, -1, 1);
    r.dY = dk_random_array(rng, r.n, -1, 1);
    r.acts = alloc_or_die(r.a.n, sizeof *r.acts);
    r.Y = alloc_or_die(r.n, sizeof *r.Y);
    ref_mha_forward(&c->cfg, r.params, r.X, c->B, c->T, r.lens, r.acts, r.Y);
    return r;
}

static void mha_free(mha_run *r)
{
    free(r->lens), free(r->params), free(r->X), free(r->dY), free(r->acts), free(r->Y);
}

GRADED_TEST(mha_forward_values, 5, 10,
            "One product X Wqkv^T + bqkv (B*T, 3D); feature h*dh + k of the queries' D goes to "
            "head h, element k (and the same for keys, values); attn_forward; the heads merged "
            "back in the same order into ctx (B, T, D); Y = ctx Wo^T + bo. acts holds Q, K, V, "
            "P, O and ctx where mha_acts_of says.")
{
    for (size_t k = 0; k < NMHA_CASES; k++) {
        const mha_case *c = &MHA_CASES[k];
        const size_t D = c->cfg.D, H = c->cfg.H, B = c->B, T = c->T, dh = D / H;
        dk_rng rng = dk_test_rng(800 + k);
        mha_run r = mha_setup(c, &rng);
        float *acts = dk_guard_floats(r.a.n), *Y = dk_guard_floats(r.n);
        mha_forward(&c->cfg, r.params, r.X, B, T, r.lens, acts, Y);
        const char *what = describe_mha(c);
        static const char *const names[] = {"Q", "K", "V"};
        const size_t at[] = {r.a.Q, r.a.K, r.a.V};
        for (int p = 0; p < 3; p++)
            dk_expect_floats(r.acts + at[p], acts + at[p], DK_SHAPE(B * H, T, dh), DK_TOL_REDUCTION,
                             "mha_forward(%s): acts' %s (slice b*H + h, position, feature)", what,
                             names[p]);
        dk_expect_floats(r.acts + r.a.P, acts + r.a.P, DK_SHAPE(B * H, T, T), DK_TOL_REDUCTION,
                         "mha_forward(%s): acts' P", what);
        dk_expect_floats(r.acts + r.a.ctx, acts + r.a.ctx, DK_SHAPE(B, T, D), DK_TOL_REDUCTION,
                         "mha_forward(%s): acts' ctx (the heads merged: head h at features "
                         "h*dh..)", what);
        dk_guard_check(Y, DK_SHAPE(B, T, D), "mha_forward(%s): Y", what);
        dk_expect_floats(r.Y, Y, DK_SHAPE(B, T, D), DK_TOL_REDUCTION, "mha_forward(%s): Y", what);
        dk_guard_free(acts), dk_guard_free(Y);
        mha_free(&r);
    }
}

/* The parts of the parameter vector, in the backward pass's order. */
static void mha_parts(const mha_config *cfg, size_t at[4], dk_shape shapes[4])
{
    const mha_layout l = mha_layout_of(cfg);
    const size_t D = cfg->D;
    at[0] = l.Wo, shapes[0] = DK_SHAPE(D, D);
    at[1] = l.bo, shapes[1] = DK_SHAPE(D);
    at[2] = l.Wqkv, shapes[2] = DK_SHAPE(3 * D, D);
    at[3] = l.bqkv, shapes[3] = DK_SHAPE(3 * D);
}
static const char *const PART_NAMES[4] = {"Wo", "bo", "Wqkv", "bqkv"};

GRADED_TEST(mha_backward_values, 6, 20,
            "Back from dY: the output projection (dctx, dWo, dbo), ctx split into heads again, "
            "attn_backward, dQ, dK and dV merged into one (B*T, 3D) gradient in Wqkv's row "
            "order, then the input projection (dX, dWqkv, dbqkv). Weights' gradients +=.")
{
    for (size_t k = 0; k < NMHA_CASES; k++) {
        const mha_case *c = &MHA_CASES[k];
        const size_t B = c->B, T = c->T, D = c->cfg.D;
        dk_rng rng = dk_test_rng(810 + k);
        mha_run r = mha_setup(c, &rng);
        float *want = alloc_or_die(r.l.n + r.n, sizeof *want), *want_dX = want + r.l.n;
        ref_mha_backward(&c->cfg, r.params, r.X, B, T, r.lens, r.acts, r.dY, want_dX, want);
        float *grads = dk_guard_floats_prefilled(r.l.n, &rng), *dX = dk_guard_floats(r.n);
        const bool with_dX = k % 2 == 0; /* dX NULL on every other case */
        mha_backward(&c->cfg, r.params, r.X, B, T, r.lens, r.acts, r.dY, with_dX ? dX : NULL,
                     grads);
        char what[160];
        snprintf(what, sizeof what, "mha_backward(%s%s)", describe_mha(c),
                 with_dX ? "" : ", dX NULL");
        size_t at[4];
        dk_shape shapes[4];
        mha_parts(&c->cfg, at, shapes);
        const float *prefill = dk_guard_prefill(grads);
        for (int p = 0; p < 4; p++) {
            const size_t count = dk_shape_count(shapes[p]);
            float *expect = alloc_or_die(count, sizeof *expect);
            for (size_t i = 0; i < count; i++)
                expect[i] = prefill[at[p] + i] + want[at[p] + i];
            dk_expect_floats(expect, grads + at[p], shapes[p], DK_TOL_REDUCTION,
                             "%s: the gradient of %s (what grads held there plus the gradient)",
                             what, PART_NAMES[p]);
            free(expect);
        }
        dk_guard_check(grads, DK_SHAPE(r.l.n), "%s: grads", what);
        if (with_dX) {
            dk_guard_check(dX, DK_SHAPE(B, T, D), "%s: dX", what);
            dk_expect_floats(want_dX, dX, DK_SHAPE(B, T, D), DK_TOL_REDUCTION, "%s: dX", what);
        }
        dk_guard_free(grads), dk_guard_free(dX);
        free(want);
        mha_free(&r);
    }
}

static double mha_loss(void *ctx)
{
    mha_run *r = ctx;
    mha_forward(&r->c->cfg, r->params, r->X, r->c->B, r->c->T, r->lens, r->acts, r->Y);
    return weighted_sum(r->dY, r->Y, r->n);
}

GRADED_TEST(mha_gradients_by_finite_differences, 2, 60,
            "Each parameter's and input's gradient is the loss's slope along it: this names "
            "the first that is not (Wqkv wrong but Wo right: look between the projections).")
{
    for (size_t k = 0; k < NMHA_SMALL; k++) {
        const mha_case *c = &MHA_CASES[k];
        dk_rng rng = dk_test_rng(820 + k);
        mha_run r = mha_setup(c, &rng);
        float *grads = alloc_or_die(r.l.n + r.n, sizeof *grads), *dX = grads + r.l.n;
        mha_forward(&c->cfg, r.params, r.X, c->B, c->T, r.lens, r.acts, r.Y);
        mha_backward(&c->cfg, r.params, r.X, c->B, c->T, r.lens, r.acts, r.dY, dX, grads);
        size_t at[4];
        dk_shape shapes[4];
        mha_parts(&c->cfg, at, shapes);
        dk_grad_param params[5];
        for (int p = 0; p < 4; p++)
            params[p] = (dk_grad_param){PART_NAMES[p], r.params + at[p], grads + at[p], shapes[p]};
        params[4] = (dk_grad_param){"X", r.X, dX, DK_SHAPE(c->B, c->T, c->cfg.D)};
        dk_expect_gradients(mha_loss, &r, params, 5, DK_GRADCHECK_NETWORK,
                            "multi-head attention (%s), loss = sum(dY * Y)", describe_mha(c));
        free(grads);
        mha_free(&r);
    }
}
