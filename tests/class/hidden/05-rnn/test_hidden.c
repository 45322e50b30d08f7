/* Hidden tests of chapter 05 for the class tests: an instructor's tests,
 * compiled by `make class HIDDEN=tests/class/hidden`, run beside the
 * chapter's public ones. */
#include "grade.h"
#include "ref_api.h"
#include "rnn.h"

#include <stdlib.h>

GRADED_TEST(hidden_lstm_odd_shape, 2, 20, "the LSTM layer on a shape the public tests skip")
{
    enum { D = 2, H = 33, T = 13, B = 7 };
    dk_rng rng = dk_test_rng(91);
    const size_t n = cell_layout_of(CELL_LSTM, D, H).n, na = lstm_acts_size(H, T, B);
    float *params = dk_random_array(&rng, n, -0.5f, 0.5f);
    float *X = dk_random_array(&rng, T * B * D, -1, 1), *h0 = dk_random_array(&rng, B * H, -1, 1);
    float *c0 = dk_random_array(&rng, B * H, -1, 1);
    float *want = calloc(na, sizeof *want), *acts = calloc(na, sizeof *acts);
    if (!want || !acts)
        dk_fatal("grader: out of memory");
    ref_lstm_forward(params, D, H, X, T, B, h0, c0, want);
    lstm_forward(params, D, H, X, T, B, h0, c0, acts);
    dk_expect_floats(want, acts, DK_SHAPE(na), (dk_tol){1e-4, 2e-5}, "lstm_forward(D 2, H 33, T 13, B 7)");
    free(params), free(X), free(h0), free(c0), free(want), free(acts);
}

GRADED_TEST(hidden_top_1_is_greedy, 1, 10, "top_k = 1 keeps one token: sampling is greedy")
{
    dk_rng rng = dk_test_rng(92);
    for (int trial = 0; trial < 50; trial++) {
        float *logits = dk_random_array(&rng, 20, -3, 3);
        const size_t best = ref_greedy_pick(logits, 20);
        dk_expect_int((long)best, (long)sample_logits(logits, 20, 1.3f, 1, &rng),
                      "sample_logits(V 20, temperature 1.3, top_k 1)");
        free(logits);
    }
}

GRADED_TEST(hidden_clip_at_the_bound, 1, 10, "a norm equal to max_norm is left alone")
{
    float g[2] = {3.0f, 4.0f};
    dk_expect_near(5.0, clip_grad_norm(g, 2, 5.0f), (dk_tol){1e-6, 1e-6}, "clip_grad_norm({3, 4}, 5)");
    dk_expect_near(3.0, g[0], (dk_tol){1e-6, 1e-6}, "clip_grad_norm({3, 4}, 5): g[0] after");
    dk_expect_near(4.0, g[1], (dk_tol){1e-6, 1e-6}, "clip_grad_norm({3, 4}, 5): g[1] after");
}
