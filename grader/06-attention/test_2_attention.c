/* Chapter 06 tests: scaled dot-product attention (28 points): values and
 * gradients against the reference and finite differences, a causal mask
 * that hides the future exactly, padding that changes nothing valid,
 * scores too large for a naive softmax. */
#include "cases.h"
#include "ref_api.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A case's inputs and the reference's outputs. */
typedef struct attn_run {
    const attn_case *c;
    size_t n, nP; /* elements of Q (and K, V, O, dO) and of P */
    int *lens;
    float *Q, *K, *V, *dO, *P, *O;
} attn_run;

static attn_run attn_setup(const attn_case *c, dk_rng *rng, float spread)
{
    const attn_shape *s = &c->s;
    attn_run r = {.c = c, .n = s->B * s->H * s->T * s->dh, .nP = s->B * s->H * s->T * s->T,
                  .lens = attn_lengths(c)};
    r.Q = dk_random_array(rng, r.n, -spread, spread);
    r.K = dk_random_array(rng, r.n, -spread, spread);
    r.V = dk_random_array(rng, r.n, -1, 1);
    r.dO = dk_random_array(rng, r.n, -1, 1);
    r.P = alloc_or_die(r.nP, sizeof *r.P);
    r.O = alloc_or_die(r.n, sizeof *r.O);
    ref_attn_forward(s, r.Q, r.K, r.V, r.lens, r.P, r.O);
    return r;
}

static void attn_free(attn_run *r)
{
    free(r->lens), free(r->Q), free(r->K), free(r->V), free(r->dO), free(r->P), free(r->O);
}

/* The student's P and O for r's inputs against the reference's. */
static void expect_forward(const attn_run *r, const char *what)
{
    const attn_shape *s = &r->c->s;
    float *P = dk_guard_floats(r->nP), *O = dk_guard_floats(r->n);
    attn_forward(s, r->Q, r->K, r->V, r->lens, P, O);
    dk_guard_check(P, DK_SHAPE(s->B * s->H, s->T, s->T), "%s: P", what);
    dk_expect_floats(r->P, P, DK_SHAPE(s->B * s->H, s->T, s->T), DK_TOL_REDUCTION,
                     "%s: P (slice b*H + h, query, key)", what);
    dk_guard_check(O, DK_SHAPE(s->B * s->H, s->T, s->dh), "%s: O", what);
    dk_expect_floats(r->O, O, DK_SHAPE(s->B * s->H, s->T, s->dh), DK_TOL_REDUCTION,
                     "%s: O (slice b*H + h, position, feature)", what);
    dk_guard_free(P), dk_guard_free(O);
}

GRADED_TEST(attn_forward_values, 7, 10,
            "Per slice: S = Q K^T / sqrt(dh) (T, T); each query's softmax over the keys it may "
            "see (j <= i when causal, j < lens[b] always), 0 elsewhere; then O = P V. Scale "
            "before the softmax, mask before it too: a masked score is left out, not zeroed "
            "after.")
{
    for (size_t k = 0; k < NATTN_CASES; k++) {
        dk_rng rng = dk_test_rng(700 + k);
        attn_run r = attn_setup(&ATTN_CASES[k], &rng, 2.0f);
        char what[160];
        snprintf(what, sizeof what, "attn_forward(%s)", describe_attn(r.c));
        expect_forward(&r, what);
        attn_free(&r);
    }
}

/* Row i of every slice of a and b (T, dh) must be equal for i < upto. */
static void expect_rows_unmoved(const attn_shape *s, const float *a, const float *b,
                                const int *lens, size_t upto, const char *what)
{
    for (size_t bh = 0; bh < s->B * s->H; bh++) {
        const size_t len = lens ? (size_t)lens[bh / s->H] : s->T;
        const size_t rows = upto < len ? upto : len;
        dk_expect_floats(a + bh * s->T * s->dh, b + bh * s->T * s->dh, DK_SHAPE(rows, s->dh),
                         DK_TOL_ELEMENTWISE, "%s, slice %zu", what, bh);
    }
}

GRADED_TEST(attn_causal_mask_hides_the_future, 4, 10,
            "With the causal mask, query i sees keys 0..i and nothing after: changing the "
            "queries, keys and values from position m on must leave outputs 0..m-1 exactly as "
            "they were. Does your mask let position i see i + 1?")
{
    for (size_t k = 0; k < NATTN_CASES; k++) {
        const attn_case *c = &ATTN_CASES[k];
        if (!c->s.causal || c->s.T < 2)
            continue;
        const attn_shape *s = &c->s;
        dk_rng rng = dk_test_rng(710 + k);
        attn_run r = attn_setup(c, &rng, 2.0f);
        float *P = alloc_or_die(r.nP, sizeof *P), *before = alloc_or_die(r.n, sizeof *before);
        float *after = alloc_or_die(r.n, sizeof *after);
        attn_forward(s, r.Q, r.K, r.V, r.lens, P, before);
        float *Q = alloc_or_die(3 * r.n, sizeof *Q), *K = Q + r.n, *V = K + r.n;
        for (size_t m = 1; m < s->T; m += (s->T + 4) / 5) {
            memcpy(Q, r.Q, r.n * sizeof *Q), memcpy(K, r.K, r.n * sizeof *K);
            memcpy(V, r.V, r.n * sizeof *V);
            for (size_t bh = 0; bh < s->B * s->H; bh++)
                for (size_t i = m * s->dh; i < s->T * s->dh; i++) {
                    const size_t at = bh * s->T * s->dh + i;
                    Q[at] += 3.0f, K[at] -= 5.0f, V[at] += 7.0f;
                }
            attn_forward(s, Q, K, V, r.lens, P, after);
            char what[200];
            snprintf(what, sizeof what,
                     "attn_forward(%s): outputs before position %zu after changing Q, K and V "
                     "from position %zu on", describe_attn(c), m, m);
            expect_rows_unmoved(s, before, after, r.lens, m, what);
        }
        free(P), free(before), free(after), free(Q);
        attn_free(&r);
    }
}

GRADED_TEST(attn_padding_changes_nothing_valid, 4, 10,
            "Keys at j >= lens[b] are padding: no query sees them, so whatever they hold, the "
            "valid outputs stay the same; padded queries' rows of P and O are 0.")
{
    for (size_t k = 0; k < NATTN_CASES; k++) {
        const attn_case *c = &ATTN_CASES[k];
        if (!c->padded)
            continue;
        const attn_shape *s = &c->s;
        dk_rng rng = dk_test_rng(720 + k);
        attn_run r = attn_setup(c, &rng, 2.0f);
        for (size_t bh = 0; bh < s->B * s->H; bh++) /* the padding: large junk */
            for (size_t i = (size_t)r.lens[bh / s->H] * s->dh; i < s->T * s->dh; i++) {
                const size_t at = bh * s->T * s->dh + i;
                r.Q[at] = 40.0f * dk_rng_range(&rng, -1, 1);
                r.K[at] = 40.0f * dk_rng_range(&rng, -1, 1);
                r.V[at] = 1e3f * dk_rng_range(&rng, -1, 1);
            }
        float *P = alloc_or_die(r.nP, sizeof *P), *O = alloc_or_die(r.n, sizeof *O);
        attn_forward(s, r.Q, r.K, r.V, r.lens, P, O);
        char what[200];
        snprintf(what, sizeof what, "attn_forward(%s) with large values in the padding",
                 describe_attn(c));
        dk_expect_floats(r.O, O, DK_SHAPE(s->B * s->H, s->T, s->dh), DK_TOL_REDUCTION, "%s: O",
                         what);
        dk_expect_floats(r.P, P, DK_SHAPE(s->B * s->H, s->T, s->T), DK_TOL_REDUCTION, "%s: P",
                         what);
        free(P), free(O);
        attn_free(&r);
    }
}

GRADED_TEST(attn_softmax_is_stable, 3, 10,
            "Scores near 1e4 overflow expf (e^89 is already inf in float32): subtract each "
            "row's largest visible score before the exponentials.")
{
    for (size_t k = 0; k < NATTN_CASES; k += 2) {
        dk_rng rng = dk_test_rng(730 + k);
        attn_run r = attn_setup(&ATTN_CASES[k], &rng, 100.0f);
        char what[160];
        snprintf(what, sizeof what, "attn_forward(%s), Q and K in [-100, 100]",
                 describe_attn(r.c));
        expect_forward(&r, what);
        attn_free(&r);
    }
}

GRADED_TEST(attn_backward_values, 7, 10,
            "dV = P^T dO; dP = dO V^T; through each softmax row dS = P * (dP - sum_j dP * P); "
            "then dQ = dS K / sqrt(dh), dK = dS^T Q / sqrt(dh). Masked entries of P are 0, so "
            "no gradient reaches what they hid.")
{
    for (size_t k = 0; k < NATTN_CASES; k++) {
        const attn_shape *s = &ATTN_CASES[k].s;
        dk_rng rng = dk_test_rng(740 + k);
        attn_run r = attn_setup(&ATTN_CASES[k], &rng, 2.0f);
        float *want = alloc_or_die(3 * r.n, sizeof *want);
        ref_attn_backward(s, r.Q, r.K, r.V, r.lens, r.P, r.dO, want, want + r.n, want + 2 * r.n);
        float *got[3] = {dk_guard_floats(r.n), dk_guard_floats(r.n), dk_guard_floats(r.n)};
        attn_backward(s, r.Q, r.K, r.V, r.lens, r.P, r.dO, got[0], got[1], got[2]);
        static const char *const names[3] = {"dQ", "dK", "dV"};
        for (int g = 2; g >= 0; g--) { /* in the backward pass's order */
            dk_guard_check(got[g], DK_SHAPE(s->B * s->H, s->T, s->dh), "attn_backward(%s): %s",
                           describe_attn(r.c), names[g]);
            dk_expect_floats(want + g * r.n, got[g], DK_SHAPE(s->B * s->H, s->T, s->dh),
                             DK_TOL_REDUCTION, "attn_backward(%s): %s", describe_attn(r.c),
                             names[g]);
        }
        for (int g = 0; g < 3; g++)
            dk_guard_free(got[g]);
        free(want);
        attn_free(&r);
    }
}

static double attn_loss(void *ctx)
{
    attn_run *r = ctx;
    attn_forward(&r->c->s, r->Q, r->K, r->V, r->lens, r->P, r->O);
    return weighted_sum(r->dO, r->O, r->n);
}

GRADED_TEST(attn_gradients_by_finite_differences, 3, 30,
            "Each of dQ, dK and dV is the loss's slope along it: this names the first that is "
            "not. A missing 1/sqrt(dh) in dQ and dK shows as a ratio of sqrt(dh).")
{
    for (size_t k = 0; k < NATTN_SMALL; k++) {
        dk_rng rng = dk_test_rng(750 + k);
        attn_run r = attn_setup(&ATTN_CASES[k], &rng, 1.0f);
        float *grads = alloc_or_die(3 * r.n, sizeof *grads);
        attn_forward(&r.c->s, r.Q, r.K, r.V, r.lens, r.P, r.O);
        attn_backward(&r.c->s, r.Q, r.K, r.V, r.lens, r.P, r.dO, grads, grads + r.n,
                      grads + 2 * r.n);
        const attn_shape *s = &r.c->s;
        const dk_shape shape = DK_SHAPE(s->B * s->H, s->T, s->dh);
        const dk_grad_param params[] = {
            {"Q", r.Q, grads, shape}, {"K", r.K, grads + r.n, shape}, {"V", r.V, grads + 2 * r.n, shape}};
        dk_expect_gradients(attn_loss, &r, params, 3, DK_GRADCHECK_FLOAT32,
                            "attention (%s), loss = sum(dO * O)", describe_attn(r.c));
        free(grads);
        attn_free(&r);
    }
}
