/* Chapter 05 tests: the LSTM (15 points): one step forward and back,
 * and backpropagation through time, against the reference and finite
 * differences. */
#include "ref_api.h"
#include "sequences.h"

#include <stdio.h>
#include <stdlib.h>

/* One step's inputs, and the reference's outputs. */
typedef struct step_case {
    size_t D, H, B, n;
    float *params, *x, *h_prev, *c_prev, *gates, *c, *h;
} step_case;

static step_case make_step(const seq_shape *s, dk_rng *rng)
{
    const size_t D = s->D, H = s->H, B = s->B, n = cell_layout_of(CELL_LSTM, D, H).n;
    step_case k = {D, H, B, n, random_params(rng, n), dk_random_array(rng, B * D, -1, 1),
                   dk_random_array(rng, B * H, -1, 1), dk_random_array(rng, B * H, -1.5, 1.5),
                   alloc_or_die(4 * B * H, sizeof(float)), alloc_or_die(B * H, sizeof(float)),
                   alloc_or_die(B * H, sizeof(float))};
    ref_lstm_cell_forward(k.params, D, H, k.x, k.h_prev, k.c_prev, B, k.gates, k.c, k.h);
    return k;
}

static void free_step(step_case *k)
{
    free(k->params), free(k->x), free(k->h_prev), free(k->c_prev), free(k->gates), free(k->c),
        free(k->h);
}

GRADED_TEST(lstm_cell_forward_values, 2, 10,
            "z = x Wx^T + h_prev Wh^T + b (B, 4H), columns i, f, g, o; sigmoid on i, f and o, "
            "tanh on g; c = f * c_prev + i * g, h = o * tanh(c).")
{
    for (size_t s = 0; s < NSEQ_SHAPES; s++) {
        dk_rng rng = dk_test_rng(630 + s);
        step_case k = make_step(&SEQ_SHAPES[s], &rng);
        const size_t H = k.H, B = k.B;
        float *gates = dk_guard_floats(4 * B * H), *c = dk_guard_floats(B * H);
        float *h = dk_guard_floats(B * H);
        lstm_cell_forward(k.params, k.D, H, k.x, k.h_prev, k.c_prev, B, gates, c, h);
        char what[200];
        snprintf(what, sizeof what, "lstm_cell_forward(D %zu, H %zu, B %zu)", k.D, H, B);
        dk_guard_check(gates, DK_SHAPE(B, 4, H), "%s: gates", what);
        dk_guard_check(c, DK_SHAPE(B, H), "%s: c", what);
        dk_guard_check(h, DK_SHAPE(B, H), "%s: h", what);
        dk_expect_floats(k.gates, gates, DK_SHAPE(B, 4, H), DK_TOL_REDUCTION,
                         "%s: gates (B, 4, H): i, f, g, o of each row, activated", what);
        dk_expect_floats(k.c, c, DK_SHAPE(B, H), DK_TOL_REDUCTION, "%s: c", what);
        dk_expect_floats(k.h, h, DK_SHAPE(B, H), DK_TOL_REDUCTION, "%s: h", what);
        dk_guard_free(gates), dk_guard_free(c), dk_guard_free(h);
        free_step(&k);
    }
}

GRADED_TEST(lstm_cell_backward_gradients, 4, 10,
            "c's whole gradient is dc (from the next step) + dh * o * (1 - tanh(c)^2); from it "
            "the gates' (through their slopes: s(1 - s) for sigmoid, 1 - g^2 for tanh), and "
            "dc_prev = that * f: the path through the forget gate. Then the products, as the RNN.")
{
    for (size_t s = 0; s < NSEQ_SHAPES; s++) {
        dk_rng rng = dk_test_rng(640 + s);
        step_case k = make_step(&SEQ_SHAPES[s], &rng);
        const size_t D = k.D, H = k.H, B = k.B, n = k.n;
        float *dh = dk_random_array(&rng, B * H, -1, 1), *dc = dk_random_array(&rng, B * H, -1, 1);
        float *want = alloc_or_die(n + B * (D + 2 * H), sizeof *want);
        float *want_dx = want + n, *want_dh_prev = want_dx + B * D, *want_dc_prev = want_dh_prev + B * H;
        ref_lstm_cell_backward(k.params, D, H, k.x, k.h_prev, k.c_prev, k.gates, k.c, B, dh, dc,
                               want_dx, want_dh_prev, want_dc_prev, want);
        float *grads = dk_guard_floats_prefilled(n, &rng), *dx = dk_guard_floats(B * D);
        float *dh_prev = dk_guard_floats(B * H), *dc_prev = dk_guard_floats(B * H);
        const int with_dx = s % 2 == 1;
        lstm_cell_backward(k.params, D, H, k.x, k.h_prev, k.c_prev, k.gates, k.c, B, dh, dc,
                           with_dx ? dx : NULL, dh_prev, dc_prev, grads);
        char what[200];
        snprintf(what, sizeof what, "lstm_cell_backward(D %zu, H %zu, B %zu%s)", D, H, B,
                 with_dx ? "" : ", dx NULL");
        dk_guard_check(dc_prev, DK_SHAPE(B, H), "%s: dc_prev", what);
        dk_expect_floats(want_dc_prev, dc_prev, DK_SHAPE(B, H), DK_TOL_REDUCTION,
                         "%s: dc_prev, the gradient reaching c_prev", what);
        vec_part parts[3];
        cell_parts(CELL_LSTM, D, H, parts);
        expect_accumulated_parts(parts + 2, 1, want, grads, n, DK_TOL_REDUCTION, what);
        if (with_dx) {
            dk_guard_check(dx, DK_SHAPE(B, D), "%s: dx", what);
            dk_expect_floats(want_dx, dx, DK_SHAPE(B, D), DK_TOL_REDUCTION, "%s: dx", what);
        }
        dk_guard_check(dh_prev, DK_SHAPE(B, H), "%s: dh_prev", what);
        dk_expect_floats(want_dh_prev, dh_prev, DK_SHAPE(B, H), DK_TOL_REDUCTION, "%s: dh_prev",
                         what);
        expect_accumulated_parts(parts, 2, want, grads, n, DK_TOL_REDUCTION, what);
        dk_guard_free(grads), dk_guard_free(dx), dk_guard_free(dh_prev), dk_guard_free(dc_prev);
        free(dh), free(dc), free(want);
        free_step(&k);
    }
}

GRADED_TEST(lstm_forward_values, 2, 10,
            "Step t reads h_{t-1} and c_{t-1} (h0 and c0 at t = 0) and writes its gates, c_t "
            "and h_t into acts: gates at t * B * 4H, cs after all gates, hs after all cs.")
{
    for (size_t s = 0; s < NSEQ_SHAPES; s++) {
        const seq_shape *sh = &SEQ_SHAPES[s];
        const size_t D = sh->D, H = sh->H, T = sh->T, B = sh->B, na = lstm_acts_size(H, T, B);
        dk_rng rng = dk_test_rng(650 + s);
        float *params = random_params(&rng, cell_layout_of(CELL_LSTM, D, H).n);
        float *X = dk_random_array(&rng, T * B * D, -1, 1), *h0 = dk_random_array(&rng, B * H, -1, 1);
        float *c0 = dk_random_array(&rng, B * H, -1, 1);
        float *want = alloc_or_die(na, sizeof *want), *acts = dk_guard_floats(na);
        ref_lstm_forward(params, D, H, X, T, B, h0, c0, want);
        lstm_forward(params, D, H, X, T, B, h0, c0, acts);
        dk_guard_check(acts, DK_SHAPE(na), "lstm_forward(%s): acts", describe_seq(sh));
        dk_expect_floats(want, acts, DK_SHAPE(T, B, 4, H), TOL_BPTT,
                         "lstm_forward(%s): acts' gates (T, B, 4, H)", describe_seq(sh));
        dk_expect_floats(want + 4 * T * B * H, acts + 4 * T * B * H, DK_SHAPE(T, B, H), TOL_BPTT,
                         "lstm_forward(%s): acts' cs (T, B, H)", describe_seq(sh));
        dk_expect_floats(want + 5 * T * B * H, acts + 5 * T * B * H, DK_SHAPE(T, B, H), TOL_BPTT,
                         "lstm_forward(%s): acts' hs (T, B, H)", describe_seq(sh));
        dk_guard_free(acts);
        free(params), free(X), free(h0), free(c0), free(want);
    }
}

GRADED_TEST(lstm_backward_through_time, 5, 20,
            "From the last step back, two gradients travel: h's (dhs[t] + what step t + 1 sent "
            "through Wh) and c's (what step t + 1 sent through its forget gate). The cell's "
            "backward pass does one step of this.")
{
    expect_layer_backward(CELL_LSTM, 660);
}

GRADED_TEST(lstm_gradients_by_finite_differences, 2, 30,
            "Each weight's, input's and initial state's gradient is the loss's slope along it: "
            "this names the first that is not.")
{
    expect_layer_gradients_by_fd(CELL_LSTM, 670);
}
