/* Chapter 05 tests: the vanilla RNN (17 points): initialisation, one
 * step forward and back, and backpropagation through time, against the
 * reference and finite differences. */
#include "ref_api.h"
#include "sequences.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

GRADED_TEST(cell_init_values, 2, 10,
            "Weights dk_rng_range(rng, -k, k) with k = 1 / sqrt(H), Wx's then Wh's; biases 0, "
            "and the LSTM's forget-gate biases (b[H] to b[2H - 1]) 1.")
{
    for (size_t s = 0; s < NSEQ_SHAPES; s++)
        for (int kind = CELL_RNN; kind <= CELL_LSTM; kind++) {
            const size_t D = SEQ_SHAPES[s].D, H = SEQ_SHAPES[s].H;
            const cell_layout l = cell_layout_of((cell_kind)kind, D, H);
            dk_rng r1 = dk_test_rng(570 + s), r2 = r1;
            float *want = alloc_or_die(l.n, sizeof *want);
            ref_cell_init((cell_kind)kind, D, H, want, &r1);
            float *params = dk_guard_floats(l.n);
            cell_init((cell_kind)kind, D, H, params, &r2);
            const char *name = kind == CELL_LSTM ? "LSTM" : "RNN";
            dk_guard_check(params, DK_SHAPE(l.n), "cell_init(%s, D %zu, H %zu)", name, D, H);
            vec_part parts[3];
            cell_parts((cell_kind)kind, D, H, parts);
            for (int k = 2; k >= 0; k--) /* the biases first: the LSTM's forget gate */
                dk_expect_floats(want + parts[k].at, params + parts[k].at, parts[k].shape,
                                 DK_TOL_ELEMENTWISE, "cell_init(%s, D %zu, H %zu): %s%s", name,
                                 D, H, parts[k].name,
                                 k == 2 && kind == CELL_LSTM ? " (gates i, f, g, o)" : "");
            DK_CHECK(memcmp(&r1, &r2, sizeof r1) == 0,
                     "cell_init(%s, D %zu, H %zu) drew a different number of numbers than "
                     "Wx and Wh hold", name, D, H);
            dk_guard_free(params);
            free(want);
        }
}

GRADED_TEST(rnn_cell_forward_values, 3, 10,
            "h = tanh(x Wx^T + h_prev Wh^T + b): two products (dk_sgemm or chapter 02's "
            "linear_forward), the bias, then tanh.")
{
    for (size_t s = 0; s < NSEQ_SHAPES; s++) {
        const seq_shape *sh = &SEQ_SHAPES[s];
        const size_t D = sh->D, H = sh->H, B = sh->B;
        dk_rng rng = dk_test_rng(580 + s);
        float *params = random_params(&rng, cell_layout_of(CELL_RNN, D, H).n);
        float *x = dk_random_array(&rng, B * D, -1, 1), *h_prev = dk_random_array(&rng, B * H, -1, 1);
        float *want = alloc_or_die(B * H, sizeof *want), *h = dk_guard_floats(B * H);
        ref_rnn_cell_forward(params, D, H, x, h_prev, B, want);
        rnn_cell_forward(params, D, H, x, h_prev, B, h);
        dk_guard_check(h, DK_SHAPE(B, H), "rnn_cell_forward(D %zu, H %zu, B %zu)", D, H, B);
        dk_expect_floats(want, h, DK_SHAPE(B, H), DK_TOL_REDUCTION,
                         "rnn_cell_forward(D %zu, H %zu, B %zu): h", D, H, B);
        dk_guard_free(h);
        free(params), free(x), free(h_prev), free(want);
    }
}

GRADED_TEST(rnn_cell_backward_gradients, 3, 10,
            "dz = dh * (1 - h^2) (tanh's slope from its output); then dx = dz Wx, dh_prev = "
            "dz Wh (overwritten), and Wx += dz^T x, Wh += dz^T h_prev, b += the column sums "
            "of dz.")
{
    for (size_t s = 0; s < NSEQ_SHAPES; s++) {
        const seq_shape *sh = &SEQ_SHAPES[s];
        const size_t D = sh->D, H = sh->H, B = sh->B, n = cell_layout_of(CELL_RNN, D, H).n;
        dk_rng rng = dk_test_rng(590 + s);
        float *params = random_params(&rng, n);
        float *x = dk_random_array(&rng, B * D, -1, 1), *h_prev = dk_random_array(&rng, B * H, -1, 1);
        float *h = alloc_or_die(B * H, sizeof *h), *dh = dk_random_array(&rng, B * H, -1, 1);
        ref_rnn_cell_forward(params, D, H, x, h_prev, B, h);
        float *want = alloc_or_die(n + B * (D + H), sizeof *want);
        float *want_dx = want + n, *want_dh_prev = want_dx + B * D;
        ref_rnn_cell_backward(params, D, H, x, h_prev, h, B, dh, want_dx, want_dh_prev, want);
        float *grads = dk_guard_floats_prefilled(n, &rng), *dx = dk_guard_floats(B * D);
        float *dh_prev = dk_guard_floats(B * H);
        const int with_dx = s % 2 == 0; /* dx NULL on every other shape */
        rnn_cell_backward(params, D, H, x, h_prev, h, B, dh, with_dx ? dx : NULL, dh_prev, grads);
        char what[200];
        snprintf(what, sizeof what, "rnn_cell_backward(%s%s)", describe_seq(sh),
                 with_dx ? "" : ", dx NULL");
        if (with_dx) {
            dk_guard_check(dx, DK_SHAPE(B, D), "%s: dx", what);
            dk_expect_floats(want_dx, dx, DK_SHAPE(B, D), DK_TOL_REDUCTION, "%s: dx", what);
        }
        dk_guard_check(dh_prev, DK_SHAPE(B, H), "%s: dh_prev", what);
        dk_expect_floats(want_dh_prev, dh_prev, DK_SHAPE(B, H), DK_TOL_REDUCTION, "%s: dh_prev",
                         what);
        vec_part parts[3];
        cell_parts(CELL_RNN, D, H, parts);
        expect_accumulated_parts(parts, 3, want, grads, n, DK_TOL_REDUCTION, what);
        dk_guard_free(grads), dk_guard_free(dx), dk_guard_free(dh_prev);
        free(params), free(x), free(h_prev), free(h), free(dh), free(want);
    }
}

GRADED_TEST(rnn_forward_values, 2, 10,
            "Step t reads h_{t-1} (h0 at t = 0) and x_t = X + t * B * D, and writes h_t at hs + "
            "t * B * H: the cell in a loop, or the inputs' products of all steps at once.")
{
    for (size_t s = 0; s < NSEQ_SHAPES; s++) {
        const seq_shape *sh = &SEQ_SHAPES[s];
        const size_t D = sh->D, H = sh->H, T = sh->T, B = sh->B;
        dk_rng rng = dk_test_rng(600 + s);
        float *params = random_params(&rng, cell_layout_of(CELL_RNN, D, H).n);
        float *X = dk_random_array(&rng, T * B * D, -1, 1), *h0 = dk_random_array(&rng, B * H, -1, 1);
        float *want = alloc_or_die(T * B * H, sizeof *want), *hs = dk_guard_floats(T * B * H);
        ref_rnn_forward(params, D, H, X, T, B, h0, want);
        rnn_forward(params, D, H, X, T, B, h0, hs);
        dk_guard_check(hs, DK_SHAPE(T, B, H), "rnn_forward(%s): hs", describe_seq(sh));
        dk_expect_floats(want, hs, DK_SHAPE(T, B, H), TOL_BPTT, "rnn_forward(%s): hs (T, B, H)",
                         describe_seq(sh));
        dk_guard_free(hs);
        free(params), free(X), free(h0), free(want);
    }
}

GRADED_TEST(rnn_backward_through_time, 5, 20,
            "From the last step back: dh = dhs[t] + what step t + 1 sent back (dz_{t+1} Wh), "
            "dz_t = dh * (1 - h_t^2); the weights' gradients add up every step's share. If dX "
            "is right at the last step only, the gradient is not flowing back through time.")
{
    expect_layer_backward(CELL_RNN, 610);
}

GRADED_TEST(rnn_gradients_by_finite_differences, 2, 30,
            "Each weight's, input's and initial state's gradient is the loss's slope along it: "
            "this names the first that is not.")
{
    expect_layer_gradients_by_fd(CELL_RNN, 620);
}
