/* Chapter 05's tests of recurrent layers: shared shapes and helpers (see
 * sequences.h). */
#include "sequences.h"
#include "ref_api.h"

#include <stdio.h>
#include <stdlib.h>

const seq_shape SEQ_SHAPES[] = {
    /* D  H   T  B */
    {3, 4, 6, 2},
    {1, 3, 7, 3},    /* one input */
    {4, 2, 5, 1},    /* one sequence, more inputs than units */
    {8, 16, 9, 4},
    {5, 11, 12, 3},  /* the longest: the gradient goes back 11 steps */
    {64, 32, 6, 8},  /* the Shakespeare model's embedding size */
};
const size_t NSEQ_SHAPES = sizeof SEQ_SHAPES / sizeof SEQ_SHAPES[0];

const char *describe_seq(const seq_shape *s)
{
    static char text[96];
    snprintf(text, sizeof text, "D %zu, H %zu, T %zu, B %zu", s->D, s->H, s->T, s->B);
    return text;
}

void *alloc_or_die(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        dk_fatal("grader: out of memory");
    return p;
}

float *random_params(dk_rng *rng, size_t n)
{
    return dk_random_array(rng, n, -0.6f, 0.6f);
}

void cell_parts(cell_kind kind, size_t D, size_t H, vec_part parts[3])
{
    const cell_layout l = cell_layout_of(kind, D, H);
    const size_t G = kind == CELL_LSTM ? 4 * H : H;
    parts[0] = (vec_part){"Wx", l.Wx, DK_SHAPE(G, D)};
    parts[1] = (vec_part){"Wh", l.Wh, DK_SHAPE(G, H)};
    parts[2] = (vec_part){"b", l.b, DK_SHAPE(G)};
}

void expect_accumulated_parts(const vec_part *parts, size_t nparts, const float *want,
                              const float *grads, size_t n, dk_tol tol, const char *what)
{
    const float *prefill = dk_guard_prefill(grads);
    for (size_t k = 0; k < nparts; k++) {
        const size_t count = dk_shape_count(parts[k].shape), at = parts[k].at;
        float *expect = alloc_or_die(count, sizeof *expect);
        for (size_t i = 0; i < count; i++)
            expect[i] = prefill[at + i] + want[at + i];
        dk_expect_floats(expect, grads + at, parts[k].shape, tol,
                         "%s: the gradient of %s (what grads held there plus the gradient)",
                         what, parts[k].name);
        free(expect);
    }
    dk_guard_check(grads, DK_SHAPE(n), "%s: grads", what);
}

/* A layer's inputs and the gradient arriving from above, for RNN or LSTM. */
typedef struct bptt_case {
    const seq_shape *s;
    cell_kind kind;
    size_t n;
    float *params, *X, *h0, *c0, *acts, *dhs;
} bptt_case;

static size_t layer_acts_size(cell_kind kind, const seq_shape *s)
{
    return kind == CELL_LSTM ? lstm_acts_size(s->H, s->T, s->B) : s->T * s->B * s->H;
}

static float *layer_hs(const bptt_case *c)
{
    return c->kind == CELL_LSTM ? lstm_hs(c->acts, c->s->H, c->s->T, c->s->B) : c->acts;
}

static void layer_forward(bptt_case *c)
{
    const seq_shape *s = c->s;
    if (c->kind == CELL_LSTM)
        ref_lstm_forward(c->params, s->D, s->H, c->X, s->T, s->B, c->h0, c->c0, c->acts);
    else
        ref_rnn_forward(c->params, s->D, s->H, c->X, s->T, s->B, c->h0, c->acts);
}

static bptt_case make_bptt_case(cell_kind kind, const seq_shape *s, dk_rng *rng)
{
    const size_t n = cell_layout_of(kind, s->D, s->H).n, state = s->B * s->H;
    bptt_case c = {s, kind, n, random_params(rng, n), dk_random_array(rng, s->T * s->B * s->D, -1, 1),
                   dk_random_array(rng, state, -0.5, 0.5), dk_random_array(rng, state, -1, 1),
                   alloc_or_die(layer_acts_size(kind, s), sizeof(float)),
                   dk_random_array(rng, s->T * state, -1, 1)};
    layer_forward(&c);
    return c;
}

static void free_bptt_case(bptt_case *c)
{
    free(c->params), free(c->X), free(c->h0), free(c->c0), free(c->acts), free(c->dhs);
}

/* The layer's backward pass, the reference's or the student's. */
static void layer_backward(const bptt_case *c, bool reference, float *dX, float *dh0, float *dc0,
                           float *grads)
{
    const seq_shape *s = c->s;
    if (c->kind == CELL_LSTM)
        (reference ? ref_lstm_backward : lstm_backward)(c->params, s->D, s->H, c->X, s->T, s->B,
                                                        c->h0, c->c0, c->acts, c->dhs, dX, dh0,
                                                        dc0, grads);
    else
        (reference ? ref_rnn_backward : rnn_backward)(c->params, s->D, s->H, c->X, s->T, s->B,
                                                      c->h0, c->acts, c->dhs, dX, dh0, grads);
}

/* Each shape, twice: with every output, then with dX, dh0 (and dc0) NULL. */
void expect_layer_backward(cell_kind kind, uint64_t salt)
{
    const char *name = kind == CELL_LSTM ? "lstm_backward" : "rnn_backward";
    for (size_t si = 0; si < NSEQ_SHAPES; si++) {
        const seq_shape *s = &SEQ_SHAPES[si];
        const size_t D = s->D, H = s->H, T = s->T, B = s->B;
        dk_rng rng = dk_test_rng(salt + si);
        bptt_case c = make_bptt_case(kind, s, &rng);
        float *want = alloc_or_die(c.n + T * B * D + 2 * B * H, sizeof *want);
        float *want_dX = want + c.n, *want_dh0 = want_dX + T * B * D, *want_dc0 = want_dh0 + B * H;
        layer_backward(&c, true, want_dX, want_dh0, want_dc0, want);
        vec_part parts[3];
        cell_parts(kind, D, H, parts);
        for (int outputs = 1; outputs >= 0; outputs--) {
            char what[200];
            snprintf(what, sizeof what, "%s(%s%s)", name, describe_seq(s),
                     outputs ? "" : kind == CELL_LSTM ? ", dX, dh0 and dc0 NULL" : ", dX and dh0 NULL");
            float *grads = dk_guard_floats_prefilled(c.n, &rng), *dX = dk_guard_floats(T * B * D);
            float *dh0 = dk_guard_floats(B * H), *dc0 = dk_guard_floats(B * H);
            layer_backward(&c, false, outputs ? dX : NULL, outputs ? dh0 : NULL,
                           outputs ? dc0 : NULL, grads);
            if (outputs) {
                dk_guard_check(dX, DK_SHAPE(T, B, D), "%s: dX", what);
                dk_expect_floats(want_dX, dX, DK_SHAPE(T, B, D), TOL_BPTT, "%s: dX (T, B, D)", what);
            }
            expect_accumulated_parts(parts, 3, want, grads, c.n, TOL_BPTT, what);
            if (outputs) {
                dk_guard_check(dh0, DK_SHAPE(B, H), "%s: dh0", what);
                dk_expect_floats(want_dh0, dh0, DK_SHAPE(B, H), TOL_BPTT,
                                 "%s: dh0, the gradient reaching the initial state", what);
            }
            if (outputs && kind == CELL_LSTM) {
                dk_guard_check(dc0, DK_SHAPE(B, H), "%s: dc0", what);
                dk_expect_floats(want_dc0, dc0, DK_SHAPE(B, H), TOL_BPTT,
                                 "%s: dc0, the gradient reaching the initial cell state", what);
            }
            dk_guard_free(grads), dk_guard_free(dX), dk_guard_free(dh0), dk_guard_free(dc0);
        }
        free(want);
        free_bptt_case(&c);
    }
}

/* loss = sum(dhs * hs): its gradient at hs is dhs, which the backward
 * pass takes in. */
static double layer_loss(void *ctx)
{
    bptt_case *c = ctx;
    layer_forward(c);
    const float *hs = layer_hs(c);
    double loss = 0;
    for (size_t i = 0; i < c->s->T * c->s->B * c->s->H; i++)
        loss += (double)c->dhs[i] * hs[i];
    return loss;
}

void expect_layer_gradients_by_fd(cell_kind kind, uint64_t salt)
{
    for (size_t si = 0; si < NSEQ_SMALL; si++) {
        const seq_shape *s = &SEQ_SHAPES[si];
        const size_t D = s->D, H = s->H, T = s->T, B = s->B;
        dk_rng rng = dk_test_rng(salt + si);
        bptt_case c = make_bptt_case(kind, s, &rng);
        float *grads = alloc_or_die(c.n + T * B * D + 2 * B * H, sizeof *grads);
        float *dX = grads + c.n, *dh0 = dX + T * B * D, *dc0 = dh0 + B * H;
        layer_backward(&c, false, dX, dh0, dc0, grads);
        vec_part parts[3];
        cell_parts(kind, D, H, parts);
        dk_grad_param params[6];
        for (int k = 0; k < 3; k++)
            params[k] = (dk_grad_param){parts[k].name, c.params + parts[k].at,
                                        grads + parts[k].at, parts[k].shape};
        params[3] = (dk_grad_param){"X", c.X, dX, DK_SHAPE(T, B, D)};
        params[4] = (dk_grad_param){"h0", c.h0, dh0, DK_SHAPE(B, H)};
        params[5] = (dk_grad_param){"c0", c.c0, dc0, DK_SHAPE(B, H)};
        dk_expect_gradients(layer_loss, &c, params, kind == CELL_LSTM ? 6 : 5,
                            DK_GRADCHECK_NETWORK, "%s(%s), loss = sum(dhs * hs)",
                            kind == CELL_LSTM ? "lstm_backward" : "rnn_backward", describe_seq(s));
        free(grads);
        free_bptt_case(&c);
    }
}

