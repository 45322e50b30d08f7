/* Chapter 05 tests: the two tasks (12 points). Tiny Shakespeare: your
 * character model trained by the kit's short recipe. Sentiment: your
 * model of a sentence against the reference, padding that changes
 * nothing, and a short training run. Each training run must clear a bound
 * that the reference clears on seeds 1 to 5. */
#include "charlm_recipe.h"
#include "ref_api.h"
#include "sentiment_recipe.h"
#include "sequences.h"
#include "shakespeare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reference's validation loss after the short recipe, seeds 1-5:
 * 2.2206, 2.2293, 2.2335, 2.1854, 2.2162. */
#define SHAKESPEARE_BOUND 2.30f

GRADED_TEST(shakespeare_short_run, 5, 60,
            "If the other tests pass and this one does not, run make train CH=05 "
            "TASK=shakespeare DLKIT_SHORT=1 and look at the loss: from 4.17 (log 65) it falls "
            "to about 2.2 in 1,000 steps.")
{
    shakespeare sh;
    dk_err err;
    if (!shakespeare_load(&sh, &err))
        dk_test_fail(DK_KIT_ERROR, "%s", err.msg);
    cl_recipe r = CL_RECIPE_SHAKESPEARE_SHORT;
    r.cfg.V = sh.V;
    const cl_text train = {sh.train, CL_SHORT_TRAIN}, val = {sh.val, CL_SHORT_VAL};
    const uint64_t seed = dk_test_seed();
    const float loss = cl_train(&r, &CL_YOURS, train, val, seed, NULL, NULL, false);
    DK_CHECK(loss <= SHAKESPEARE_BOUND,
             "an LSTM of %zu units after %zu windows of %zu x %zu characters (seed %llu): "
             "validation loss %.4f, at most %.2f expected", r.cfg.hidden, r.steps, r.batch,
             r.window, (unsigned long long)seed, loss, SHAKESPEARE_BOUND);
    shakespeare_free(&sh);
}

/* V, E, H: small and odd; larger. */
static const sent_config SENT_CONFIGS[] = {{12, 5, 7}, {50, 16, 24}};
#define NSENT (sizeof SENT_CONFIGS / sizeof SENT_CONFIGS[0])

static const char *describe_sent(const sent_config *c, size_t T, size_t B)
{
    static char text[96];
    snprintf(text, sizeof text, "V %zu, E %zu, H %zu, T %zu, B %zu", c->V, c->embed, c->hidden,
             T, B);
    return text;
}

GRADED_TEST(sent_init_values, 1, 10,
            "C with dk_rng_normal, then cell_init(CELL_LSTM), then Wo with dk_rng_range(rng, "
            "-k, k), k = 1 / sqrt(H); bo 0.")
{
    for (size_t c = 0; c < NSENT; c++) {
        const sent_config *cfg = &SENT_CONFIGS[c];
        const size_t n = sent_layout_of(cfg).n;
        dk_rng r1 = dk_test_rng(750 + c), r2 = r1;
        float *want = alloc_or_die(n, sizeof *want), *params = dk_guard_floats(n);
        ref_sent_init(cfg, want, &r1);
        sent_init(cfg, params, &r2);
        dk_guard_check(params, DK_SHAPE(n), "sent_init(V %zu, E %zu, H %zu)", cfg->V, cfg->embed,
                       cfg->hidden);
        dk_expect_floats(want, params, DK_SHAPE(n), DK_TOL_ELEMENTWISE,
                         "sent_init(V %zu, E %zu, H %zu): params (C, the LSTM, Wo, bo in order)",
                         cfg->V, cfg->embed, cfg->hidden);
        DK_CHECK(memcmp(&r1, &r2, sizeof r1) == 0,
                 "sent_init drew a different number of numbers than C, the LSTM's weights and "
                 "Wo hold");
        dk_guard_free(params);
        free(want);
    }
}

/* A batch of B sentences padded to T: lengths from 1 to T (both ends
 * present), the padding random tokens (any token may sit there). */
typedef struct sent_batch {
    size_t T, B;
    int *X;
    size_t *lengths;
} sent_batch;

static sent_batch random_batch(dk_rng *rng, size_t V, size_t T, size_t B)
{
    sent_batch s = {T, B, alloc_or_die(T * B, sizeof(int)), alloc_or_die(B, sizeof(size_t))};
    for (size_t b = 0; b < B; b++)
        s.lengths[b] = b == 0 ? T : b == 1 ? 1 : 1 + dk_rng_below(rng, T);
    for (size_t i = 0; i < T * B; i++)
        s.X[i] = (int)dk_rng_below(rng, V);
    return s;
}

/* The same sentences padded to T + extra, the padding drawn anew. */
static sent_batch repadded(const sent_batch *s, size_t extra, size_t V, dk_rng *rng)
{
    sent_batch p = random_batch(rng, V, s->T + extra, s->B);
    for (size_t b = 0; b < s->B; b++) {
        p.lengths[b] = s->lengths[b];
        for (size_t t = 0; t < s->lengths[b]; t++)
            p.X[t * s->B + b] = s->X[t * s->B + b];
    }
    return p;
}

static void free_batch(sent_batch *s)
{
    free(s->X), free(s->lengths);
}

GRADED_TEST(sent_forward_values, 2, 10,
            "Embed, run the LSTM from zeros over all T steps, then take each sentence's h at "
            "its own step lengths[b] - 1 (not the last step, where padding has run through the "
            "LSTM) into Wo and bo.")
{
    for (size_t c = 0; c < NSENT; c++) {
        const sent_config *cfg = &SENT_CONFIGS[c];
        dk_rng rng = dk_test_rng(760 + c);
        const size_t T = 9, B = 5, na = sent_acts_size(cfg, T, B);
        float *params = random_params(&rng, sent_layout_of(cfg).n);
        sent_batch s = random_batch(&rng, cfg->V, T, B);
        float *acts_want = alloc_or_die(na, sizeof(float)), *want = alloc_or_die(2 * B, sizeof(float));
        ref_sent_forward(cfg, params, s.X, s.lengths, T, B, acts_want, want);
        float *acts = dk_guard_floats(na), *logits = dk_guard_floats(2 * B);
        sent_forward(cfg, params, s.X, s.lengths, T, B, acts, logits);
        char what[200];
        snprintf(what, sizeof what, "sent_forward(%s, lengths %zu, %zu, %zu, %zu, %zu)",
                 describe_sent(cfg, T, B), s.lengths[0], s.lengths[1], s.lengths[2],
                 s.lengths[3], s.lengths[4]);
        dk_guard_check(logits, DK_SHAPE(B, 2), "%s: logits", what);
        dk_guard_check(acts, DK_SHAPE(na), "%s: acts", what);
        dk_expect_floats(acts_want, acts, DK_SHAPE(na), TOL_BPTT, "%s: acts (emb, then the LSTM's)",
                         what);
        dk_expect_floats(want, logits, DK_SHAPE(B, 2), TOL_BPTT, "%s: logits", what);
        /* Padding: three steps more, other tokens in every padded place. */
        sent_batch p = repadded(&s, 3, cfg->V, &rng);
        float *acts2 = alloc_or_die(sent_acts_size(cfg, T + 3, B), sizeof(float));
        float *logits2 = alloc_or_die(2 * B, sizeof(float));
        sent_forward(cfg, params, p.X, p.lengths, T + 3, B, acts2, logits2);
        dk_expect_floats(want, logits2, DK_SHAPE(B, 2), TOL_BPTT,
                         "%s: the same sentences padded to %zu steps with other tokens: logits "
                         "(padding must change nothing)", what, T + 3);
        dk_guard_free(acts), dk_guard_free(logits);
        free(params), free(acts_want), free(want), free(acts2), free(logits2);
        free_batch(&s), free_batch(&p);
    }
}

/* A batch's forward pass by the reference, its loss and the loss's gradient. */
typedef struct sent_case {
    const sent_config *cfg;
    sent_batch s;
    float *params, *acts, *logits, *dlogits;
    int *y;
} sent_case;

static double sent_loss(void *ctx)
{
    sent_case *k = ctx;
    ref_sent_forward(k->cfg, k->params, k->s.X, k->s.lengths, k->s.T, k->s.B, k->acts, k->logits);
    return softmax_cross_entropy(k->logits, k->y, k->s.B, SENT_CLASSES, k->dlogits);
}

GRADED_TEST(sent_backward_gradients, 2, 30,
            "Wo and bo from each sentence's last state; that state's gradient goes into dhs at "
            "step lengths[b] - 1 (zeros elsewhere), then your lstm_backward, then the rows of "
            "the embeddings' gradient into C.")
{
    for (size_t c = 0; c < NSENT; c++) {
        const sent_config *cfg = &SENT_CONFIGS[c];
        const sent_layout l = sent_layout_of(cfg);
        const size_t T = 7, B = 4, H = cfg->hidden, E = cfg->embed;
        dk_rng rng = dk_test_rng(770 + c);
        sent_case k = {cfg, random_batch(&rng, cfg->V, T, B), random_params(&rng, l.n),
                       alloc_or_die(sent_acts_size(cfg, T, B), sizeof(float)),
                       alloc_or_die(2 * B, sizeof(float)), alloc_or_die(2 * B, sizeof(float)),
                       alloc_or_die(B, sizeof(int))};
        for (size_t b = 0; b < B; b++)
            k.y[b] = (int)dk_rng_below(&rng, 2);
        sent_loss(&k);
        float *want = alloc_or_die(l.n, sizeof *want), *grads = dk_guard_floats_prefilled(l.n, &rng);
        ref_sent_backward(cfg, k.params, k.s.X, k.s.lengths, T, B, k.acts, k.dlogits, want);
        sent_backward(cfg, k.params, k.s.X, k.s.lengths, T, B, k.acts, k.dlogits, grads);
        const cell_layout cl = cell_layout_of(CELL_LSTM, E, H);
        const vec_part parts[6] = {
            {"Wo", l.Wo, DK_SHAPE(2, H)}, {"bo", l.bo, DK_SHAPE(2)},
            {"the LSTM's b", l.lstm + cl.b, DK_SHAPE(4 * H)},
            {"the LSTM's Wh", l.lstm + cl.Wh, DK_SHAPE(4 * H, H)},
            {"the LSTM's Wx", l.lstm + cl.Wx, DK_SHAPE(4 * H, E)}, {"C", l.C, DK_SHAPE(cfg->V, E)}};
        char what[200];
        snprintf(what, sizeof what, "sent_backward(%s)", describe_sent(cfg, T, B));
        expect_accumulated_parts(parts, 6, want, grads, l.n, TOL_BPTT, what);
        dk_guard_free(grads);
        if (c == 0) { /* the small one, by finite differences */
            float *mine = alloc_or_die(l.n, sizeof *mine);
            sent_loss(&k);
            sent_backward(cfg, k.params, k.s.X, k.s.lengths, T, B, k.acts, k.dlogits, mine);
            dk_grad_param params[6];
            for (size_t p = 0; p < 6; p++)
                params[p] = (dk_grad_param){parts[p].name, k.params + parts[p].at,
                                            mine + parts[p].at, parts[p].shape};
            dk_expect_gradients(sent_loss, &k, params, 6, DK_GRADCHECK_NETWORK,
                                "%s, the batch's mean cross-entropy", what);
            free(mine);
        }
        free(want);
        free_batch(&k.s);
        free(k.params), free(k.acts), free(k.logits), free(k.dlogits), free(k.y);
    }
}

/* The reference's validation accuracy after the short recipe, seeds 1-5:
 * 75.4%, 74.6%, 76.7%, 74.8%, 74.6%. */
#define SENTIMENT_BOUND 0.70f

GRADED_TEST(sentiment_short_run, 2, 60,
            "If the other tests pass and this one does not, run make train CH=05 "
            "TASK=sentiment DLKIT_SHORT=1 and look at the validation accuracy: about 60% "
            "after the first epoch, 75% after the third.")
{
    reviews d;
    dk_err err;
    if (!reviews_load(&d, &err))
        dk_test_fail(DK_KIT_ERROR, "%s", err.msg);
    st_recipe r = ST_RECIPE_SHORT;
    r.cfg.V = d.V;
    const uint64_t seed = dk_test_seed();
    st_result res;
    if (!st_train(&r, &ST_YOURS, &d, seed, NULL, &res))
        dk_test_fail(DK_KIT_ERROR, "out of memory training the sentiment model");
    DK_CHECK(res.val_acc >= SENTIMENT_BOUND,
             "an LSTM of %zu units after %zu epochs (seed %llu): best validation accuracy "
             "%.1f%%, at least %.0f%% expected", r.cfg.hidden, r.epochs,
             (unsigned long long)seed, 100 * res.val_acc, 100 * SENTIMENT_BOUND);
    reviews_free(&d);
}
