/* Chapter 05 tests: the character model over windows of text, and
 * clipping (10 points): the state carried from window to window, the
 * gradient stopped at the window's start, the norm of all gradients. */
#include "ref_api.h"
#include "sequences.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* V, E, H, cell: small and odd; the Shakespeare model's shape, smaller. */
static const charlm_config CONFIGS[] = {
    {11, 5, 7, CELL_RNN},
    {11, 5, 7, CELL_LSTM},
    {65, 16, 24, CELL_LSTM},
    {65, 16, 24, CELL_RNN},
};
#define NCONFIGS (sizeof CONFIGS / sizeof CONFIGS[0])
enum { T_WINDOW = 6, B_SEQS = 3 };

static const char *describe(const charlm_config *c)
{
    static char text[96];
    snprintf(text, sizeof text, "%s, V %zu, E %zu, H %zu, T %d, B %d",
             c->cell == CELL_LSTM ? "LSTM" : "RNN", c->V, c->embed, c->hidden, T_WINDOW, B_SEQS);
    return text;
}

static int *random_tokens(dk_rng *rng, size_t n, size_t V)
{
    int *X = alloc_or_die(n, sizeof *X);
    for (size_t i = 0; i < n; i++)
        X[i] = (int)dk_rng_below(rng, V);
    return X;
}

/* Where each parameter's gradient lives, in the backward pass's order. */
static void charlm_parts(const charlm_config *c, vec_part parts[6])
{
    const charlm_layout l = charlm_layout_of(c);
    const cell_layout cl = cell_layout_of(c->cell, c->embed, c->hidden);
    const size_t G = (c->cell == CELL_LSTM ? 4 : 1) * c->hidden;
    parts[0] = (vec_part){"Wy", l.Wy, DK_SHAPE(c->V, c->hidden)};
    parts[1] = (vec_part){"by", l.by, DK_SHAPE(c->V)};
    parts[2] = (vec_part){"the layer's b", l.cell + cl.b, DK_SHAPE(G)};
    parts[3] = (vec_part){"the layer's Wh", l.cell + cl.Wh, DK_SHAPE(G, c->hidden)};
    parts[4] = (vec_part){"the layer's Wx", l.cell + cl.Wx, DK_SHAPE(G, c->embed)};
    parts[5] = (vec_part){"C", l.C, DK_SHAPE(c->V, c->embed)};
}

GRADED_TEST(charlm_init_values, 1, 10,
            "C with dk_rng_normal, then cell_init for the layer, then Wy with dk_rng_range(rng, "
            "-k, k), k = 1 / sqrt(H); by 0.")
{
    for (size_t c = 0; c < NCONFIGS; c++) {
        const charlm_config *cfg = &CONFIGS[c];
        const size_t n = charlm_layout_of(cfg).n;
        dk_rng r1 = dk_test_rng(680 + c), r2 = r1;
        float *want = alloc_or_die(n, sizeof *want), *params = dk_guard_floats(n);
        ref_charlm_init(cfg, want, &r1);
        charlm_init(cfg, params, &r2);
        dk_guard_check(params, DK_SHAPE(n), "charlm_init(%s)", describe(cfg));
        dk_expect_floats(want, params, DK_SHAPE(n), DK_TOL_ELEMENTWISE,
                         "charlm_init(%s): params (C, the layer, Wy, by in order)", describe(cfg));
        DK_CHECK(memcmp(&r1, &r2, sizeof r1) == 0,
                 "charlm_init(%s) drew a different number of numbers than C, the layer's "
                 "weights and Wy hold", describe(cfg));
        dk_guard_free(params);
        free(want);
    }
}

/* One window by the student's code against the reference's, both from
 * their own copy of the state, which each carries on. */
static void expect_window(const charlm_config *cfg, const float *params, const int *X,
                          float *state_want, float *state, int window)
{
    const size_t T = T_WINDOW, B = B_SEQS, ns = charlm_state_size(cfg, B);
    const size_t na = charlm_acts_size(cfg, T, B), nl = T * B * cfg->V;
    float *acts_want = alloc_or_die(na, sizeof(float)), *logits_want = alloc_or_die(nl, sizeof(float));
    ref_charlm_forward(cfg, params, X, T, B, state_want, acts_want, logits_want);
    float *acts = dk_guard_floats(na), *logits = dk_guard_floats(nl);
    charlm_forward(cfg, params, X, T, B, state, acts, logits);
    char what[200];
    snprintf(what, sizeof what, "charlm_forward(%s), window %d of the same sequences",
             describe(cfg), window);
    dk_guard_check(logits, DK_SHAPE(T, B, cfg->V), "%s: logits", what);
    dk_guard_check(acts, DK_SHAPE(na), "%s: acts", what);
    const size_t emb = T * B * cfg->embed;
    dk_expect_floats(acts_want, acts, DK_SHAPE(T, B, cfg->embed), DK_TOL_EXACT, "%s: acts' emb",
                     what);
    dk_expect_floats(acts_want + emb, acts + emb, DK_SHAPE(ns), DK_TOL_EXACT,
                     "%s: acts' copy of the state the window started from (h%s): the state "
                     "carried from the window before, not zeros", what,
                     cfg->cell == CELL_LSTM ? ", then c" : "");
    dk_expect_floats(acts_want + emb + ns, acts + emb + ns, DK_SHAPE(na - emb - ns), TOL_BPTT,
                     "%s: acts' layer activations", what);
    dk_expect_floats(logits_want, logits, DK_SHAPE(T, B, cfg->V), TOL_BPTT, "%s: logits", what);
    dk_expect_floats(state_want, state, DK_SHAPE(ns), TOL_BPTT,
                     "%s: the state after the window's last step (h%s), for the next window",
                     what, cfg->cell == CELL_LSTM ? ", then c" : "");
    dk_guard_free(acts), dk_guard_free(logits);
    free(acts_want), free(logits_want);
}

GRADED_TEST(charlm_forward_carries_state, 3, 10,
            "Embed the T * B tokens, run the layer from the state given (copy it into acts "
            "first), write the last step's h (and c) back into state for the next window, and "
            "the logits with Wy and by. The state starts a window where the last one ended.")
{
    for (size_t c = 0; c < NCONFIGS; c++) {
        const charlm_config *cfg = &CONFIGS[c];
        dk_rng rng = dk_test_rng(690 + c);
        const size_t ns = charlm_state_size(cfg, B_SEQS);
        float *params = random_params(&rng, charlm_layout_of(cfg).n);
        float *state_want = dk_random_array(&rng, ns, -0.8f, 0.8f), *state = dk_guard_floats(ns);
        memcpy(state, state_want, ns * sizeof *state);
        for (int window = 1; window <= 3; window++) {
            int *X = random_tokens(&rng, T_WINDOW * B_SEQS, cfg->V);
            expect_window(cfg, params, X, state_want, state, window);
            free(X);
        }
        dk_guard_free(state);
        free(params), free(state_want);
    }
}

/* A window's forward pass from a fixed state, and the loss's gradient. */
typedef struct window_case {
    const charlm_config *cfg;
    float *params, *state0, *state, *acts, *logits, *dlogits;
    int *X, *Y;
} window_case;

static window_case make_window(const charlm_config *cfg, dk_rng *rng)
{
    const size_t T = T_WINDOW, B = B_SEQS, ns = charlm_state_size(cfg, B);
    window_case w = {cfg, random_params(rng, charlm_layout_of(cfg).n),
                     dk_random_array(rng, ns, -0.8f, 0.8f), alloc_or_die(ns, sizeof(float)),
                     alloc_or_die(charlm_acts_size(cfg, T, B), sizeof(float)),
                     alloc_or_die(T * B * cfg->V, sizeof(float)),
                     alloc_or_die(T * B * cfg->V, sizeof(float)),
                     random_tokens(rng, T * B, cfg->V), random_tokens(rng, T * B, cfg->V)};
    return w;
}

/* The mean cross-entropy of the window, from state0 (a constant). */
static double window_loss(void *ctx)
{
    window_case *w = ctx;
    const size_t T = T_WINDOW, B = B_SEQS;
    memcpy(w->state, w->state0, charlm_state_size(w->cfg, B) * sizeof *w->state);
    ref_charlm_forward(w->cfg, w->params, w->X, T, B, w->state, w->acts, w->logits);
    return softmax_cross_entropy(w->logits, w->Y, T * B, w->cfg->V, w->dlogits);
}

static void free_window(window_case *w)
{
    free(w->params), free(w->state0), free(w->state), free(w->acts), free(w->logits),
        free(w->dlogits), free(w->X), free(w->Y);
}

GRADED_TEST(charlm_backward_truncated, 3, 30,
            "Backwards: Wy and by (chapter 02's linear_backward, which also gives the gradient "
            "reaching hs), the layer through time (its dh0 and dc0 unused: NULL), then the "
            "embeddings' rows into C. The window's first state is a constant.")
{
    for (size_t c = 0; c < NCONFIGS; c++) {
        const charlm_config *cfg = &CONFIGS[c];
        dk_rng rng = dk_test_rng(700 + c);
        const size_t n = charlm_layout_of(cfg).n;
        window_case w = make_window(cfg, &rng);
        window_loss(&w);
        float *want = alloc_or_die(n, sizeof *want);
        ref_charlm_backward(cfg, w.params, w.X, T_WINDOW, B_SEQS, w.acts, w.dlogits, want);
        float *grads = dk_guard_floats_prefilled(n, &rng);
        charlm_backward(cfg, w.params, w.X, T_WINDOW, B_SEQS, w.acts, w.dlogits, grads);
        vec_part parts[6];
        charlm_parts(cfg, parts);
        char what[200];
        snprintf(what, sizeof what, "charlm_backward(%s)", describe(cfg));
        expect_accumulated_parts(parts, 6, want, grads, n, TOL_BPTT, what);
        dk_guard_free(grads);
        if (c < 2) { /* the small ones, by finite differences */
            float *mine = alloc_or_die(n, sizeof *mine);
            window_loss(&w);
            charlm_backward(cfg, w.params, w.X, T_WINDOW, B_SEQS, w.acts, w.dlogits, mine);
            dk_grad_param params[6];
            for (size_t k = 0; k < 6; k++)
                params[k] = (dk_grad_param){parts[k].name, w.params + parts[k].at,
                                            mine + parts[k].at, parts[k].shape};
            dk_expect_gradients(window_loss, &w, params, 6, DK_GRADCHECK_NETWORK,
                                "%s, the window's mean cross-entropy", what);
            free(mine);
        }
        free(want);
        free_window(&w);
    }
}

static void expect_clip(const float *values, size_t n, float max_norm, const char *what)
{
    float *want = alloc_or_die(n, sizeof *want), *grads = dk_guard_floats(n);
    memcpy(want, values, n * sizeof *want);
    memcpy(grads, values, n * sizeof *grads);
    const float norm_want = ref_clip_grad_norm(want, n, max_norm);
    const float norm = clip_grad_norm(grads, n, max_norm);
    dk_expect_near(norm_want, norm, DK_TOL_REDUCTION,
                   "clip_grad_norm(%s, max_norm %g): the norm it returns (before clipping)", what,
                   max_norm);
    dk_guard_check(grads, DK_SHAPE(n), "clip_grad_norm(%s)", what);
    dk_expect_floats(want, grads, DK_SHAPE(n), DK_TOL_ELEMENTWISE,
                     "clip_grad_norm(%s, max_norm %g): grads after (global norm %g)", what,
                     max_norm, norm_want);
    dk_guard_free(grads);
    free(want);
}

GRADED_TEST(clip_grad_norm_values, 3, 10,
            "One norm over all the values (the square root of the sum of squares, in double); "
            "above max_norm, every value times max_norm / norm: the direction kept. Clipping "
            "each value to [-max_norm, max_norm] is another rule, which bends the direction.")
{
    dk_rng rng = dk_test_rng(710);
    /* One large value among small ones: by value, only it would change. */
    float spike[8] = {5.0f, 0.1f, -0.2f, 0.05f, 0.3f, -0.1f, 0.2f, 0.1f};
    expect_clip(spike, 8, 1.0f, "{5, 0.1, -0.2, 0.05, 0.3, -0.1, 0.2, 0.1}");
    float *small = dk_random_array(&rng, 50, -0.1f, 0.1f);
    expect_clip(small, 50, 1.0f, "50 values in [-0.1, 0.1], a norm below 1: untouched");
    const size_t n = 200000;
    float *big = dk_random_array(&rng, n, -1, 1);
    expect_clip(big, n, 5.0f, "200,000 values in [-1, 1], a norm near 258");
    expect_clip(big, 1, 5.0f, "one value");
    free(small), free(big);
}
