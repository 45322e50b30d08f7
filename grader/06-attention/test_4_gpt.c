/* Chapter 06 tests: the transformer block, the GPT, its AdamW step and
 * cached generation (33 points), against the reference and finite
 * differences. */
#include "cases.h"
#include "ref_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A block's parts, in the backward pass's order (for messages and finite
 * differences). */
typedef struct part {
    const char *name;
    size_t at;
    dk_shape shape;
} part;

static size_t block_parts(size_t D, size_t H, size_t base, part *out)
{
    const block_layout l = block_layout_of(D, H);
    const mha_layout m = mha_layout_of(&(mha_config){D, H, true});
    const part parts[] = {
        {"W2", l.W2, DK_SHAPE(D, 4 * D)},          {"b2", l.b2, DK_SHAPE(D)},
        {"W1", l.W1, DK_SHAPE(4 * D, D)},          {"b1", l.b1, DK_SHAPE(4 * D)},
        {"ln2 gamma", l.ln2_g, DK_SHAPE(D)},        {"ln2 beta", l.ln2_b, DK_SHAPE(D)},
        {"Wo", l.attn + m.Wo, DK_SHAPE(D, D)},     {"bo", l.attn + m.bo, DK_SHAPE(D)},
        {"Wqkv", l.attn + m.Wqkv, DK_SHAPE(3 * D, D)}, {"bqkv", l.attn + m.bqkv, DK_SHAPE(3 * D)},
        {"ln1 gamma", l.ln1_g, DK_SHAPE(D)},        {"ln1 beta", l.ln1_b, DK_SHAPE(D)},
    };
    const size_t n = sizeof parts / sizeof parts[0];
    for (size_t i = 0; i < n; i++)
        out[i] = (part){parts[i].name, base + parts[i].at, parts[i].shape};
    return n;
}

/* grads (guarded, prefilled) must hold prefill + want, part by part. */
static void expect_parts(const part *parts, size_t n, const float *want, const float *grads,
                         size_t total, const char *what)
{
    const float *prefill = dk_guard_prefill(grads);
    for (size_t k = 0; k < n; k++) {
        const size_t count = dk_shape_count(parts[k].shape), at = parts[k].at;
        float *expect = alloc_or_die(count, sizeof *expect);
        for (size_t i = 0; i < count; i++)
            expect[i] = prefill[at + i] + want[at + i];
        dk_expect_floats(expect, grads + at, parts[k].shape, DK_TOL_REDUCTION,
                         "%s: the gradient of %s (what grads held there plus the gradient)", what,
                         parts[k].name);
        free(expect);
    }
    dk_guard_check(grads, DK_SHAPE(total), "%s: grads", what);
}

/* D, H, B, T: dh of 2, 3 and 4; one sequence. */
static const struct { size_t D, H, B, T; } BLOCKS[] = {{8, 2, 2, 3}, {6, 2, 1, 5}, {16, 4, 2, 7}};
enum { NBLOCKS = sizeof BLOCKS / sizeof BLOCKS[0] };

/* Parameters near a trained block's: layer norms' gamma near 1. */
static float *block_params(size_t D, size_t H, dk_rng *rng)
{
    const block_layout l = block_layout_of(D, H);
    float *p = dk_random_array(rng, l.n, -0.4f, 0.4f);
    for (size_t j = 0; j < D; j++)
        p[l.ln1_g + j] += 1.0f, p[l.ln2_g + j] += 1.0f;
    return p;
}

GRADED_TEST(block_forward_values, 4, 10,
            "x1 = X + mha(layernorm1(X)) (causal), then Y = x1 + W2 gelu(W1 layernorm2(x1) + "
            "b1) + b2: each branch reads the layer-normed stream, each residual adds to the "
            "unnormed one.")
{
    for (size_t k = 0; k < NBLOCKS; k++) {
        const size_t D = BLOCKS[k].D, H = BLOCKS[k].H, B = BLOCKS[k].B, T = BLOCKS[k].T;
        const block_acts a = block_acts_of(D, H, B, T);
        dk_rng rng = dk_test_rng(900 + k);
        float *p = block_params(D, H, &rng), *X = dk_random_array(&rng, B * T * D, -1, 1);
        float *want = alloc_or_die(a.n + B * T * D, sizeof *want);
        ref_block_forward(D, H, p, X, B, T, want, want + a.n);
        float *acts = dk_guard_floats(a.n), *Y = dk_guard_floats(B * T * D);
        block_forward(D, H, p, X, B, T, acts, Y);
        const char *what = "block_forward";
        dk_expect_floats(want + a.x1, acts + a.x1, DK_SHAPE(B, T, D), DK_TOL_REDUCTION,
                         "%s(D %zu, H %zu, B %zu, T %zu): acts' x1 (after the attention's "
                         "residual)", what, D, H, B, T);
        dk_expect_floats(want + a.hid, acts + a.hid, DK_SHAPE(B * T, 4 * D), DK_TOL_REDUCTION,
                         "%s(D %zu, H %zu, B %zu, T %zu): acts' MLP hidden layer after GELU", what,
                         D, H, B, T);
        dk_guard_check(Y, DK_SHAPE(B, T, D), "%s: Y", what);
        dk_expect_floats(want + a.n, Y, DK_SHAPE(B, T, D), DK_TOL_REDUCTION,
                         "%s(D %zu, H %zu, B %zu, T %zu): Y", what, D, H, B, T);
        dk_guard_free(acts), dk_guard_free(Y);
        free(p), free(X), free(want);
    }
}

GRADED_TEST(block_backward_values, 5, 20,
            "Backwards: the MLP branch from dY, then layer norm 2's backward, plus dY itself "
            "(the residual) gives dx1; the attention branch from dx1, then layer norm 1's "
            "backward, plus dx1 gives dX. Every parameter's gradient +=.")
{
    for (size_t k = 0; k < NBLOCKS; k++) {
        const size_t D = BLOCKS[k].D, H = BLOCKS[k].H, B = BLOCKS[k].B, T = BLOCKS[k].T;
        const block_acts a = block_acts_of(D, H, B, T);
        const size_t n = block_layout_of(D, H).n, N = B * T * D;
        dk_rng rng = dk_test_rng(910 + k);
        float *p = block_params(D, H, &rng), *X = dk_random_array(&rng, N, -1, 1);
        float *dY = dk_random_array(&rng, N, -1, 1);
        float *acts = alloc_or_die(a.n + N, sizeof *acts), *want = alloc_or_die(n + N, sizeof *want);
        ref_block_forward(D, H, p, X, B, T, acts, acts + a.n);
        ref_block_backward(D, H, p, X, B, T, acts, dY, want + n, want);
        float *grads = dk_guard_floats_prefilled(n, &rng), *dX = dk_guard_floats(N);
        block_backward(D, H, p, X, B, T, acts, dY, dX, grads);
        char what[120];
        snprintf(what, sizeof what, "block_backward(D %zu, H %zu, B %zu, T %zu)", D, H, B, T);
        part parts[12];
        expect_parts(parts, block_parts(D, H, 0, parts), want, grads, n, what);
        dk_guard_check(dX, DK_SHAPE(B, T, D), "%s: dX", what);
        dk_expect_floats(want + n, dX, DK_SHAPE(B, T, D), DK_TOL_REDUCTION, "%s: dX", what);
        dk_guard_free(grads), dk_guard_free(dX);
        free(p), free(X), free(dY), free(acts), free(want);
    }
}

typedef struct block_fd {
    size_t D, H, B, T;
    float *p, *X, *R, *acts, *Y;
} block_fd;

static double block_loss(void *ctx)
{
    block_fd *c = ctx;
    block_forward(c->D, c->H, c->p, c->X, c->B, c->T, c->acts, c->Y);
    return weighted_sum(c->R, c->Y, c->B * c->T * c->D);
}

GRADED_TEST(block_gradients_by_finite_differences, 2, 60,
            "Each parameter's and the input's gradient is the loss's slope along it: this "
            "names the first that is not, in the backward pass's order.")
{
    const size_t D = BLOCKS[0].D, H = BLOCKS[0].H, B = BLOCKS[0].B, T = BLOCKS[0].T;
    const size_t n = block_layout_of(D, H).n, N = B * T * D;
    dk_rng rng = dk_test_rng(920);
    block_fd c = {D, H, B, T, block_params(D, H, &rng), dk_random_array(&rng, N, -1, 1),
                  dk_random_array(&rng, N, -1, 1),
                  alloc_or_die(block_acts_of(D, H, B, T).n, sizeof(float)),
                  alloc_or_die(N, sizeof(float))};
    float *grads = alloc_or_die(n + N, sizeof *grads);
    block_forward(D, H, c.p, c.X, B, T, c.acts, c.Y);
    block_backward(D, H, c.p, c.X, B, T, c.acts, c.R, grads + n, grads);
    part parts[12];
    const size_t np = block_parts(D, H, 0, parts);
    dk_grad_param params[13];
    for (size_t k = 0; k < np; k++)
        params[k] = (dk_grad_param){parts[k].name, c.p + parts[k].at, grads + parts[k].at,
                                    parts[k].shape};
    params[np] = (dk_grad_param){"X", c.X, grads + n, DK_SHAPE(B, T, D)};
    dk_expect_gradients(block_loss, &c, params, np + 1, DK_GRADCHECK_NETWORK,
                        "block (D %zu, H %zu, B %zu, T %zu), loss = sum(R * Y)", D, H, B, T);
    free(c.p), free(c.X), free(c.R), free(c.acts), free(c.Y), free(grads);
}

/* The GPTs: V, T (context), D, H, layers; B and T of the batch. */
static const struct { gpt_config cfg; size_t B, T; } GPTS[] = {
    {{7, 5, 8, 2, 2}, 2, 4},
    {{11, 9, 12, 3, 1}, 2, 9},
    {{20, 16, 16, 4, 3}, 3, 13},
};
enum { NGPTS = sizeof GPTS / sizeof GPTS[0] };

static const char *describe_gpt(const gpt_config *c, size_t B, size_t T)
{
    static char text[120];
    snprintf(text, sizeof text, "V %zu, context %zu, D %zu, H %zu, %zu layer%s; B %zu, T %zu",
             c->V, c->T, c->D, c->H, c->layers, c->layers > 1 ? "s" : "", B, T);
    return text;
}

/* Parameters as after some training: around gpt_init's, wider. */
static float *gpt_params(const gpt_config *cfg, dk_rng *rng)
{
    const gpt_layout l = gpt_layout_of(cfg);
    float *p = alloc_or_die(l.n, sizeof *p);
    ref_gpt_init(cfg, p, rng);
    for (size_t i = 0; i < l.n; i++)
        p[i] += dk_rng_range(rng, -0.2f, 0.2f);
    return p;
}

static int *tokens(dk_rng *rng, size_t n, size_t V)
{
    int *X = alloc_or_die(n, sizeof *X);
    for (size_t i = 0; i < n; i++)
        X[i] = (int)dk_rng_below(rng, V);
    return X;
}

GRADED_TEST(gpt_init_values, 2, 10,
            "Layout order: wte, wpe, then each block's Wqkv, Wo, W1, W2 drawn normal(0, 0.02) "
            "(Wo and W2 with 0.02 / sqrt(2 * layers)), the head last; layer norms' gamma 1, "
            "every bias and beta 0.")
{
    for (size_t k = 0; k < NGPTS; k++) {
        const gpt_config *cfg = &GPTS[k].cfg;
        const size_t n = gpt_layout_of(cfg).n;
        dk_rng r1 = dk_test_rng(930 + k), r2 = r1;
        float *want = alloc_or_die(n, sizeof *want), *p = dk_guard_floats(n);
        ref_gpt_init(cfg, want, &r1);
        gpt_init(cfg, p, &r2);
        dk_guard_check(p, DK_SHAPE(n), "gpt_init(%s)", describe_gpt(cfg, 1, 1));
        dk_expect_floats(want, p, DK_SHAPE(n), DK_TOL_ELEMENTWISE, "gpt_init(%s): params",
                         describe_gpt(cfg, 1, 1));
        DK_CHECK(memcmp(&r1, &r2, sizeof r1) == 0,
                 "gpt_init drew a different number of numbers than the matrices hold");
        dk_guard_free(p);
        free(want);
    }
}

GRADED_TEST(gpt_forward_values, 4, 20,
            "x0 = wte[token] + wpe[position] (position t of each sequence, from 0), the blocks in "
            "order, the final layer norm, logits = x W_head^T (no bias).")
{
    for (size_t k = 0; k < NGPTS; k++) {
        const gpt_config *cfg = &GPTS[k].cfg;
        const size_t B = GPTS[k].B, T = GPTS[k].T, na = gpt_acts_of(cfg, B, T).n;
        dk_rng rng = dk_test_rng(940 + k);
        float *p = gpt_params(cfg, &rng);
        int *X = tokens(&rng, B * T, cfg->V);
        float *want = alloc_or_die(na + B * T * cfg->V, sizeof *want);
        ref_gpt_forward(cfg, p, X, B, T, want, want + na);
        float *acts = dk_guard_floats(na), *logits = dk_guard_floats(B * T * cfg->V);
        gpt_forward(cfg, p, X, B, T, acts, logits);
        const char *what = describe_gpt(cfg, B, T);
        dk_expect_floats(want, acts, DK_SHAPE(B, T, cfg->D), DK_TOL_REDUCTION,
                         "gpt_forward(%s): acts' x0 (embeddings plus positions)", what);
        dk_guard_check(logits, DK_SHAPE(B, T, cfg->V), "gpt_forward(%s): logits", what);
        dk_expect_floats(want + na, logits, DK_SHAPE(B, T, cfg->V), DK_TOL_REDUCTION,
                         "gpt_forward(%s): logits", what);
        dk_guard_free(acts), dk_guard_free(logits);
        free(p), free(X), free(want);
    }
}

/* The GPT's parts: head, final layer norm, the blocks from the last, the
 * positions and the embeddings. */
static size_t gpt_parts(const gpt_config *cfg, part *out)
{
    const gpt_layout l = gpt_layout_of(cfg);
    size_t n = 0;
    out[n++] = (part){"the head", l.head, DK_SHAPE(cfg->V, cfg->D)};
    out[n++] = (part){"the final gamma", l.lnf_g, DK_SHAPE(cfg->D)};
    out[n++] = (part){"the final beta", l.lnf_b, DK_SHAPE(cfg->D)};
    static char names[8][12][40]; /* "block 2's Wo" */
    for (size_t k = cfg->layers; k-- > 0;) {
        const size_t first = n;
        n += block_parts(cfg->D, cfg->H, l.blocks + k * l.block_n, out + n);
        for (size_t i = first; i < n && k < 8; i++) {
            snprintf(names[k][i - first], sizeof names[k][i - first], "block %zu's %s", k + 1,
                     out[i].name);
            out[i].name = names[k][i - first];
        }
    }
    out[n++] = (part){"wpe (positions)", l.wpe, DK_SHAPE(cfg->T, cfg->D)};
    out[n++] = (part){"wte (embeddings)", l.wte, DK_SHAPE(cfg->V, cfg->D)};
    return n;
}

GRADED_TEST(gpt_backward_values, 5, 20,
            "From dlogits: the head (its gradient +=), the final layer norm, the blocks from the "
            "last to the first, then the embeddings (a token seen twice gets both rows) and the "
            "positions (each position's gradient summed over the batch).")
{
    for (size_t k = 0; k < NGPTS; k++) {
        const gpt_config *cfg = &GPTS[k].cfg;
        const size_t B = GPTS[k].B, T = GPTS[k].T, na = gpt_acts_of(cfg, B, T).n;
        const size_t n = gpt_layout_of(cfg).n;
        dk_rng rng = dk_test_rng(950 + k);
        float *p = gpt_params(cfg, &rng);
        int *X = tokens(&rng, B * T, cfg->V);
        float *dlogits = dk_random_array(&rng, B * T * cfg->V, -1, 1);
        float *acts = alloc_or_die(na + B * T * cfg->V, sizeof *acts), *want = alloc_or_die(n, sizeof *want);
        ref_gpt_forward(cfg, p, X, B, T, acts, acts + na);
        ref_gpt_backward(cfg, p, X, B, T, acts, dlogits, want);
        float *grads = dk_guard_floats_prefilled(n, &rng);
        gpt_backward(cfg, p, X, B, T, acts, dlogits, grads);
        char what[256];
        snprintf(what, sizeof what, "gpt_backward(%s)", describe_gpt(cfg, B, T));
        part *parts = alloc_or_die(5 + 12 * cfg->layers, sizeof *parts);
        expect_parts(parts, gpt_parts(cfg, parts), want, grads, n, what);
        dk_guard_free(grads);
        free(p), free(X), free(dlogits), free(acts), free(want), free(parts);
    }
}

typedef struct gpt_fd {
    const gpt_config *cfg;
    size_t B, T;
    float *p, *R, *acts, *logits;
    int *X;
} gpt_fd;

static double gpt_loss(void *ctx)
{
    gpt_fd *c = ctx;
    gpt_forward(c->cfg, c->p, c->X, c->B, c->T, c->acts, c->logits);
    return weighted_sum(c->R, c->logits, c->B * c->T * c->cfg->V);
}

GRADED_TEST(gpt_gradients_by_finite_differences, 2, 60,
            "Every parameter's gradient is the loss's slope along it: this names the first that "
            "is not, from the head back to the embeddings.")
{
    const gpt_config *cfg = &GPTS[0].cfg;
    const size_t B = GPTS[0].B, T = GPTS[0].T, n = gpt_layout_of(cfg).n;
    dk_rng rng = dk_test_rng(960);
    gpt_fd c = {cfg, B, T, gpt_params(cfg, &rng), dk_random_array(&rng, B * T * cfg->V, -1, 1),
                alloc_or_die(gpt_acts_of(cfg, B, T).n, sizeof(float)),
                alloc_or_die(B * T * cfg->V, sizeof(float)), tokens(&rng, B * T, cfg->V)};
    c.X[0] = c.X[1] = 3; /* a token seen twice */
    float *grads = alloc_or_die(n, sizeof *grads);
    gpt_forward(cfg, c.p, c.X, B, T, c.acts, c.logits);
    gpt_backward(cfg, c.p, c.X, B, T, c.acts, c.R, grads);
    part *parts = alloc_or_die(5 + 12 * cfg->layers, sizeof *parts);
    const size_t np = gpt_parts(cfg, parts);
    dk_grad_param *params = alloc_or_die(np, sizeof *params);
    for (size_t k = 0; k < np; k++)
        params[k] = (dk_grad_param){parts[k].name, c.p + parts[k].at, grads + parts[k].at,
                                    parts[k].shape};
    for (size_t at = 0; at < np; at += 12) /* (at most 16 at a time) */
        dk_expect_gradients(gpt_loss, &c, params + at, np - at < 12 ? np - at : 12,
                            DK_GRADCHECK_NETWORK, "gpt (%s), loss = sum(R * logits)",
                            describe_gpt(cfg, B, T));
    free(c.p), free(c.R), free(c.acts), free(c.logits), free(c.X), free(grads), free(parts);
    free(params);
}

GRADED_TEST(gpt_adamw_decays_matrices_only, 4, 10,
            "adam_step (decoupled) on each part: the weight decay on wte, wpe, the head and each "
            "block's Wqkv, Wo, W1, W2; 0 on every bias and on the layer norms' gamma and beta, "
            "which a decay would pull towards 0 and away from 1.")
{
    for (size_t k = 0; k < NGPTS; k++) {
        const gpt_config *cfg = &GPTS[k].cfg;
        const size_t n = gpt_layout_of(cfg).n;
        dk_rng rng = dk_test_rng(970 + k);
        float *p = gpt_params(cfg, &rng), *g = dk_random_array(&rng, n, -1, 1);
        float *m = dk_random_array(&rng, n, -0.1f, 0.1f), *v = dk_random_array(&rng, n, 0, 0.1f);
        float *want = alloc_or_die(3 * n, sizeof *want);
        memcpy(want, p, n * sizeof *p), memcpy(want + n, m, n * sizeof *m);
        memcpy(want + 2 * n, v, n * sizeof *v);
        ref_gpt_adamw_step(cfg, want, g, want + n, want + 2 * n, 3, 1e-2f, 0.5f);
        gpt_adamw_step(cfg, p, g, m, v, 3, 1e-2f, 0.5f);
        char what[256];
        snprintf(what, sizeof what, "gpt_adamw_step(%s, step 3, lr 0.01, weight decay 0.5)",
                 describe_gpt(cfg, 1, 1));
        part *parts = alloc_or_die(5 + 12 * cfg->layers, sizeof *parts);
        const size_t np = gpt_parts(cfg, parts);
        for (size_t i = 0; i < np; i++)
            dk_expect_floats(want + parts[i].at, p + parts[i].at, parts[i].shape,
                             DK_TOL_ELEMENTWISE, "%s: %s after the step", what, parts[i].name);
        dk_expect_floats(want + n, m, DK_SHAPE(n), DK_TOL_ELEMENTWISE, "%s: m", what);
        dk_expect_floats(want + 2 * n, v, DK_SHAPE(n), DK_TOL_ELEMENTWISE, "%s: v", what);
        free(p), free(g), free(m), free(v), free(want), free(parts);
    }
}

GRADED_TEST(gpt_cached_generation_equals_full, 3, 30,
            "Step pos stores this position's keys and values in row pos of each block's cache "
            "and attends over rows 0..pos: position by position, its logits must be "
            "gpt_forward's for the whole sequence.")
{
    for (size_t k = 0; k < NGPTS; k++) {
        const gpt_config *cfg = &GPTS[k].cfg;
        const size_t T = cfg->T, V = cfg->V, na = gpt_acts_of(cfg, 1, T).n;
        dk_rng rng = dk_test_rng(980 + k);
        float *p = gpt_params(cfg, &rng);
        int *X = tokens(&rng, T, V);
        float *want = alloc_or_die(na + T * V, sizeof *want);
        ref_gpt_forward(cfg, p, X, 1, T, want, want + na);
        float *cache = alloc_or_die(gpt_cache_size(cfg), sizeof *cache);
        float *logits = dk_guard_floats(V);
        for (size_t pos = 0; pos < T; pos++) {
            gpt_decode_step(cfg, p, cache, pos, X[pos], logits);
            dk_guard_check(logits, DK_SHAPE(V), "gpt_decode_step(position %zu): logits", pos);
            dk_expect_floats(want + na + pos * V, logits, DK_SHAPE(V), DK_TOL_REDUCTION,
                             "gpt_decode_step(%s), position %zu after %zu cached: logits against "
                             "gpt_forward's over the whole sequence",
                             describe_gpt(cfg, 1, T), pos, pos);
        }
        dk_guard_free(logits);
        free(p), free(X), free(want), free(cache);
    }
}

/* Every block's keys and values from gpt_forward's acts (one sequence of
 * cfg->T tokens), in the cache's layout: rows of D, heads side by side. */
static void cache_from_acts(const gpt_config *cfg, const float *acts, float *cache)
{
    const size_t T = cfg->T, D = cfg->D, H = cfg->H, dh = D / H;
    const gpt_acts a = gpt_acts_of(cfg, 1, T);
    const size_t attn = block_acts_of(D, H, 1, T).attn;
    const mha_acts m = mha_acts_of(&(mha_config){D, H, true}, 1, T);
    for (size_t l = 0; l < cfg->layers; l++) {
        const float *at = acts + a.blocks + l * a.block_n + attn;
        for (size_t kv = 0; kv < 2; kv++)
            for (size_t h = 0; h < H; h++)
                for (size_t t = 0; t < T; t++)
                    for (size_t k = 0; k < dh; k++)
                        cache[(2 * l + kv) * T * D + t * D + h * dh + k] =
                            at[(kv ? m.V : m.K) + (h * T + t) * dh + k];
    }
}

/* Rows 0..pos of each block's keys and values. */
static void expect_cache_rows(const gpt_config *cfg, const float *want, const float *cache,
                              size_t pos, const char *what)
{
    const size_t T = cfg->T, D = cfg->D;
    for (size_t l = 0; l < 2 * cfg->layers; l++)
        dk_expect_floats(want + l * T * D, cache + l * T * D, DK_SHAPE(pos + 1, D),
                         DK_TOL_REDUCTION, "%s: block %zu's %s, rows 0..%zu", what, l / 2,
                         l % 2 ? "values" : "keys", pos);
}

GRADED_TEST(gpt_decode_step_uses_the_cache, 2, 30,
            "Given a cache holding another sequence's keys and values for positions 0..pos-1 "
            "(and nothing else: no earlier calls for it), step pos must attend over those rows, "
            "leave them as they were and write its own keys and values in row pos.")
{
    for (size_t k = 0; k < NGPTS; k++) {
        const gpt_config *cfg = &GPTS[k].cfg;
        const size_t T = cfg->T, V = cfg->V, na = gpt_acts_of(cfg, 1, T).n;
        const size_t nc = gpt_cache_size(cfg);
        dk_rng rng = dk_test_rng(990 + k);
        float *p = gpt_params(cfg, &rng);
        float *want = alloc_or_die(na + T * V + nc, sizeof *want), *rows = want + na + T * V;
        float *cache = alloc_or_die(nc, sizeof *cache);
        for (size_t pos = 0; pos < T; pos++) {
            /* A new sequence each time: earlier calls reveal nothing of its prefix. */
            int *X = tokens(&rng, T, V);
            ref_gpt_forward(cfg, p, X, 1, T, want, want + na);
            cache_from_acts(cfg, want, rows);
            for (size_t i = 0; i < nc; i++)
                cache[i] = (i % (T * cfg->D)) / cfg->D < pos ? rows[i] : 1e30f;
            float *logits = dk_guard_floats(V);
            gpt_decode_step(cfg, p, cache, pos, X[pos], logits);
            char what[256];
            snprintf(what, sizeof what, "gpt_decode_step(%s), position %zu, the cache filled",
                     describe_gpt(cfg, 1, T), pos);
            dk_guard_check(logits, DK_SHAPE(V), "%s: logits", what);
            dk_expect_floats(want + na + pos * V, logits, DK_SHAPE(V), DK_TOL_REDUCTION,
                             "%s: logits against gpt_forward's", what);
            expect_cache_rows(cfg, rows, cache, pos, what);
            dk_guard_free(logits);
            free(X);
        }
        free(p), free(want), free(cache);
    }
}
