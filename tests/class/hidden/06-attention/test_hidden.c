/* Hidden tests of chapter 06 for the class tests: an instructor's tests,
 * compiled by `make class HIDDEN=tests/class/hidden`, run beside the
 * chapter's public ones. */
#include "attention.h"
#include "grade.h"
#include "ref_api.h"

#include <stdlib.h>

static float *zeros(size_t n)
{
    float *p = calloc(n, sizeof *p);
    if (!p)
        dk_fatal("grader: out of memory");
    return p;
}

GRADED_TEST(hidden_attention_one_valid_key, 2, 10,
            "a sequence of length 1: every valid query sees one key, with weight 1")
{
    const attn_shape s = {2, 3, 9, 6, false};
    const int lens[2] = {1, 9};
    const size_t n = 2 * 3 * 9 * 6, nP = 2 * 3 * 9 * 9;
    dk_rng rng = dk_test_rng(93);
    float *Q = dk_random_array(&rng, n, -3, 3), *K = dk_random_array(&rng, n, -3, 3);
    float *V = dk_random_array(&rng, n, -1, 1);
    float *want = zeros(nP + n), *got = zeros(nP + n);
    ref_attn_forward(&s, Q, K, V, lens, want, want + nP);
    attn_forward(&s, Q, K, V, lens, got, got + nP);
    dk_expect_floats(want, got, DK_SHAPE(nP + n), DK_TOL_REDUCTION,
                     "attn_forward(B 2, H 3, T 9, dh 6, lengths 1 and 9): P, then O");
    free(Q), free(K), free(V), free(want), free(got);
}

GRADED_TEST(hidden_mha_eight_heads, 2, 20, "multi-head attention with 8 heads of 2 features")
{
    const mha_config cfg = {16, 8, true};
    enum { B = 3, T = 11 };
    const size_t n = mha_layout_of(&cfg).n, na = mha_acts_of(&cfg, B, T).n;
    dk_rng rng = dk_test_rng(94);
    float *params = dk_random_array(&rng, n, -0.5f, 0.5f);
    float *X = dk_random_array(&rng, B * T * 16, -1, 1);
    float *want = zeros(na + B * T * 16), *got = zeros(na + B * T * 16);
    ref_mha_forward(&cfg, params, X, B, T, NULL, want, want + na);
    mha_forward(&cfg, params, X, B, T, NULL, got, got + na);
    dk_expect_floats(want + na, got + na, DK_SHAPE(B, T, 16), DK_TOL_REDUCTION,
                     "mha_forward(D 16, H 8, B 3, T 11): Y");
    free(params), free(X), free(want), free(got);
}

GRADED_TEST(hidden_layernorm_constant_row, 1, 10,
            "a constant row: x - mean is 0, so y = beta and dx = 0, no NaN")
{
    enum { N = 2, D = 12 };
    dk_rng rng = dk_test_rng(95);
    float *X = dk_random_array(&rng, N * D, -1, 1);
    for (size_t j = 0; j < D; j++)
        X[j] = 3.25f;
    float *gamma = dk_random_array(&rng, D, 0.5f, 1.5f), *beta = dk_random_array(&rng, D, -1, 1);
    float *want = zeros(N * D + 2 * N), *got = zeros(N * D + 2 * N);
    ref_layernorm_forward(X, N, D, gamma, beta, want, want + N * D);
    layernorm_forward(X, N, D, gamma, beta, got, got + N * D);
    dk_expect_floats(want, got, DK_SHAPE(N * D + 2 * N), DK_TOL_REDUCTION,
                     "layernorm_forward(a constant row): Y, then stats");
    free(X), free(gamma), free(beta), free(want), free(got);
}
