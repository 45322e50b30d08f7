/* Chapter 07 tests: the generator, the discriminator and one alternating
 * step (33 points), against the reference and finite differences. */
#include "cases.h"
#include "ref_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parameters near a trained network's: batch norm's gamma near 1. */
static float *g_params(const gan_config *c, dk_rng *rng)
{
    const gan_g_layout l = gan_g_layout_of(c);
    float *p = dk_random_array(rng, l.n, -0.5f, 0.5f);
    for (size_t i = 0; i < c->H1; i++)
        p[l.gamma1 + i] += 1;
    for (size_t i = 0; i < c->H2; i++)
        p[l.gamma2 + i] += 1;
    return p;
}

static float *d_params(const gan_config *c, dk_rng *rng)
{
    return dk_random_array(rng, gan_d_layout_of(c).n, -0.5f, 0.5f);
}

static size_t g_parts(const gan_config *c, part *out)
{
    const gan_g_layout l = gan_g_layout_of(c);
    const part parts[] = {
        {"W3", l.W3, DK_SHAPE(c->D, c->H2)},      {"b3", l.b3, DK_SHAPE(c->D)},
        {"gamma2", l.gamma2, DK_SHAPE(c->H2)},     {"beta2", l.beta2, DK_SHAPE(c->H2)},
        {"W2", l.W2, DK_SHAPE(c->H2, c->H1)},     {"b2", l.b2, DK_SHAPE(c->H2)},
        {"gamma1", l.gamma1, DK_SHAPE(c->H1)},     {"beta1", l.beta1, DK_SHAPE(c->H1)},
        {"W1", l.W1, DK_SHAPE(c->H1, c->Z)},      {"b1", l.b1, DK_SHAPE(c->H1)},
    };
    memcpy(out, parts, sizeof parts);
    return sizeof parts / sizeof parts[0];
}

static size_t d_parts(const gan_config *c, part *out)
{
    const gan_d_layout l = gan_d_layout_of(c);
    const part parts[] = {
        {"W3", l.W3, DK_SHAPE(1, c->H1)}, {"b3", l.b3, DK_SHAPE(1)},
        {"W2", l.W2, DK_SHAPE(c->H1, c->H2)}, {"b2", l.b2, DK_SHAPE(c->H1)},
        {"W1", l.W1, DK_SHAPE(c->H2, c->D)}, {"b1", l.b1, DK_SHAPE(c->H2)},
    };
    memcpy(out, parts, sizeof parts);
    return sizeof parts / sizeof parts[0];
}

GRADED_TEST(gan_generator_forward_values, 4, 10,
            "Each hidden layer: linear, batch norm with the batch's own mean and biased "
            "variance (chapter 03's batchnorm_forward_train, GAN_BN_EPS, no running "
            "statistics), leaky ReLU (GAN_SLOPE); then the last linear layer and tanh.")
{
    static const char *const names[] = {"lin1", "mean1", "invstd1", "norm1", "h1",
                                        "lin2", "mean2", "invstd2", "norm2", "h2"};
    for (size_t k = 0; k < NGAN_CASES; k++) {
        const gan_config *c = &GAN_CASES[k].cfg;
        const size_t B = GAN_CASES[k].B;
        const gan_g_acts a = gan_g_acts_of(c, B);
        dk_rng rng = dk_test_rng(300 + k);
        float *p = g_params(c, &rng), *z = dk_random_array(&rng, B * c->Z, -2, 2);
        float *want = alloc_or_die(a.n + B * c->D, sizeof *want);
        ref_gan_generator_forward(c, p, z, B, want, want + a.n);
        float *acts = dk_guard_floats(a.n), *images = dk_guard_floats(B * c->D);
        gan_generator_forward(c, p, z, B, acts, images);
        const char *what = describe_gan(&GAN_CASES[k]);
        dk_guard_check(acts, DK_SHAPE(a.n), "gan_generator_forward(%s): acts", what);
        const size_t at[] = {a.lin1, a.mean1, a.invstd1, a.norm1, a.h1,
                             a.lin2, a.mean2, a.invstd2, a.norm2, a.h2, a.n};
        for (size_t i = 0; i < 10; i++)
            dk_expect_floats(want + at[i], acts + at[i], DK_SHAPE(at[i + 1] - at[i]),
                             DK_TOL_REDUCTION, "gan_generator_forward(%s): %s in acts", what,
                             names[i]);
        dk_guard_check(images, DK_SHAPE(B, c->D), "gan_generator_forward(%s): images", what);
        dk_expect_floats(want + a.n, images, DK_SHAPE(B, c->D), DK_TOL_REDUCTION,
                         "gan_generator_forward(%s): images", what);
        dk_guard_free(acts), dk_guard_free(images);
        free(p), free(z), free(want);
    }
}

GRADED_TEST(gan_generator_backward_values, 6, 20,
            "From dimages: tanh's slope 1 - y^2, the last layer, then per hidden layer leaky "
            "ReLU's slope, batch norm's backward (chapter 03's batchnorm_backward: its dgamma "
            "and dbeta are the generator's), the linear layer. Every gradient accumulates.")
{
    for (size_t k = 0; k < NGAN_CASES; k++) {
        const gan_config *c = &GAN_CASES[k].cfg;
        const size_t B = GAN_CASES[k].B, n = gan_g_layout_of(c).n;
        const gan_g_acts a = gan_g_acts_of(c, B);
        dk_rng rng = dk_test_rng(310 + k);
        float *p = g_params(c, &rng), *z = dk_random_array(&rng, B * c->Z, -2, 2);
        float *dimages = dk_random_array(&rng, B * c->D, -1, 1);
        float *acts = alloc_or_die(a.n + B * c->D, sizeof *acts), *images = acts + a.n;
        float *want = alloc_or_die(n, sizeof *want);
        ref_gan_generator_forward(c, p, z, B, acts, images);
        ref_gan_generator_backward(c, p, z, B, acts, images, dimages, want);
        float *grads = dk_guard_floats_prefilled(n, &rng);
        gan_generator_backward(c, p, z, B, acts, images, dimages, grads);
        char what[160];
        snprintf(what, sizeof what, "gan_generator_backward(%s)", describe_gan(&GAN_CASES[k]));
        part parts[10];
        expect_parts(parts, g_parts(c, parts), want, grads, n, what);
        dk_guard_free(grads);
        free(p), free(z), free(dimages), free(acts), free(want);
    }
}

GRADED_TEST(gan_discriminator_forward_values, 3, 10,
            "Two hidden layers, each linear, leaky ReLU, then (with rng) chapter 03's "
            "dropout_forward at GAN_DROPOUT, layer 1's mask drawn before layer 2's; then one "
            "logit: D -> H2 -> H1 -> 1. Without rng no dropout, and the masks are all 1.")
{
    for (size_t k = 0; k < 2 * NGAN_CASES; k++) {
        const gan_case *gc = &GAN_CASES[k / 2];
        const bool training = k % 2;
        const gan_config *c = &gc->cfg;
        const size_t B = gc->B;
        const gan_d_acts a = gan_d_acts_of(c, B);
        dk_rng rng = dk_test_rng(320 + k), ref_rng = dk_test_rng(325 + k), rng_in = ref_rng;
        float *p = d_params(c, &rng), *x = dk_random_array(&rng, B * c->D, -1, 1);
        float *want = alloc_or_die(a.n + B, sizeof *want);
        ref_gan_discriminator_forward(c, p, x, B, training ? &ref_rng : NULL, want, want + a.n);
        float *acts = dk_guard_floats(a.n), *logits = dk_guard_floats(B);
        gan_discriminator_forward(c, p, x, B, training ? &rng_in : NULL, acts, logits);
        char what[160];
        snprintf(what, sizeof what, "gan_discriminator_forward(%s, %s)", describe_gan(gc),
                 training ? "training: dropout" : "rng NULL: no dropout");
        dk_guard_check(acts, DK_SHAPE(a.n), "%s: acts", what);
        static const char *const names[] = {"pre1", "h1", "mask1", "pre2", "h2", "mask2"};
        const size_t at[] = {a.pre1, a.h1, a.mask1, a.pre2, a.h2, a.mask2, a.n};
        for (size_t i = 0; i < 6; i++)
            dk_expect_floats(want + at[i], acts + at[i], DK_SHAPE(at[i + 1] - at[i]),
                             DK_TOL_REDUCTION, "%s: %s in acts", what, names[i]);
        dk_guard_check(logits, DK_SHAPE(B), "%s: logits", what);
        dk_expect_floats(want + a.n, logits, DK_SHAPE(B), DK_TOL_REDUCTION, "%s: logits", what);
        DK_CHECK(memcmp(&rng_in, &ref_rng, sizeof rng_in) == 0,
                 "%s: the random generator afterwards is not where one draw per hidden unit and "
                 "row leaves it", what);
        dk_guard_free(acts), dk_guard_free(logits);
        free(p), free(x), free(want);
    }
}

/* A discriminator's forward pass by the reference, for the backward tests. */
typedef struct d_case {
    const gan_config *c;
    size_t B, n;
    float *p, *x, *dlogits, *acts, *want;
} d_case;

static d_case d_case_of(size_t k, uint64_t salt)
{
    const gan_config *c = &GAN_CASES[k].cfg;
    const size_t B = GAN_CASES[k].B, n = gan_d_layout_of(c).n;
    dk_rng rng = dk_test_rng(salt + k);
    d_case d = {c, B, n, d_params(c, &rng), dk_random_array(&rng, B * c->D, -1, 1),
                dk_random_array(&rng, B, -1, 1),
                alloc_or_die(gan_d_acts_of(c, B).n + B, sizeof(float)),
                alloc_or_die(n + B * c->D, sizeof(float))};
    /* with dropout: the backward pass must go through the masks */
    ref_gan_discriminator_forward(c, d.p, d.x, B, &rng, d.acts, d.acts + gan_d_acts_of(c, B).n);
    ref_gan_discriminator_backward(c, d.p, d.x, B, d.acts, d.dlogits, d.want + n, d.want);
    return d;
}

static void d_case_free(d_case *d)
{
    free(d->p), free(d->x), free(d->dlogits), free(d->acts), free(d->want);
}

GRADED_TEST(gan_discriminator_backward_values, 4, 20,
            "From dlogits: back through the three layers, each hidden one through its dropout "
            "mask (chapter 03's dropout_backward) and leaky ReLU's slope; dimages = the "
            "gradient at the input (overwritten), every parameter's gradient accumulated.")
{
    for (size_t k = 0; k < NGAN_CASES; k++) {
        d_case d = d_case_of(k, 330);
        dk_rng rng = dk_test_rng(335 + k);
        float *grads = dk_guard_floats_prefilled(d.n, &rng), *dx = dk_guard_floats(d.B * d.c->D);
        gan_discriminator_backward(d.c, d.p, d.x, d.B, d.acts, d.dlogits, dx, grads);
        char what[160];
        snprintf(what, sizeof what, "gan_discriminator_backward(%s)", describe_gan(&GAN_CASES[k]));
        dk_guard_check(dx, DK_SHAPE(d.B, d.c->D), "%s: dimages", what);
        dk_expect_floats(d.want + d.n, dx, DK_SHAPE(d.B, d.c->D), DK_TOL_REDUCTION, "%s: dimages",
                         what);
        part parts[6];
        expect_parts(parts, d_parts(d.c, parts), d.want, grads, d.n, what);
        dk_guard_free(grads), dk_guard_free(dx);
        d_case_free(&d);
    }
}

GRADED_TEST(gan_discriminator_backward_frozen, 3, 20,
            "With grads NULL (the generator's step) only dimages is computed, and it is the "
            "same as with grads; with dimages NULL only grads. Neither may be written when it "
            "is NULL.")
{
    for (size_t k = 0; k < NGAN_CASES; k++) {
        d_case d = d_case_of(k, 340);
        char what[160];
        snprintf(what, sizeof what, "gan_discriminator_backward(%s)", describe_gan(&GAN_CASES[k]));
        float *dx = dk_guard_floats(d.B * d.c->D);
        gan_discriminator_backward(d.c, d.p, d.x, d.B, d.acts, d.dlogits, dx, NULL);
        dk_guard_check(dx, DK_SHAPE(d.B, d.c->D), "%s with grads NULL: dimages", what);
        dk_expect_floats(d.want + d.n, dx, DK_SHAPE(d.B, d.c->D), DK_TOL_REDUCTION,
                         "%s with grads NULL: dimages", what);
        dk_rng rng = dk_test_rng(345 + k);
        float *grads = dk_guard_floats_prefilled(d.n, &rng);
        gan_discriminator_backward(d.c, d.p, d.x, d.B, d.acts, d.dlogits, NULL, grads);
        part parts[6];
        char what_null[200];
        snprintf(what_null, sizeof what_null, "%s with dimages NULL", what);
        expect_parts(parts, d_parts(d.c, parts), d.want, grads, d.n, what_null);
        dk_guard_free(dx), dk_guard_free(grads);
        d_case_free(&d);
    }
}

/* sum(R * G(z)) and sum(r * D(x)): losses whose gradients the backward
 * passes give from dimages = R and dlogits = r. */
typedef struct gan_fd {
    const gan_config *c;
    size_t B;
    float *G, *z, *R, *images, *gacts, *D, *x, *r, *logits, *dacts;
    dk_rng masks; /* each forward pass draws the same dropout masks */
} gan_fd;

static double g_loss(void *ctx)
{
    gan_fd *f = ctx;
    gan_generator_forward(f->c, f->G, f->z, f->B, f->gacts, f->images);
    return weighted_sum(f->R, f->images, f->B * f->c->D);
}

static double d_loss(void *ctx)
{
    gan_fd *f = ctx;
    dk_rng rng = f->masks;
    gan_discriminator_forward(f->c, f->D, f->x, f->B, &rng, f->dacts, f->logits);
    return weighted_sum(f->r, f->logits, f->B);
}

GRADED_TEST(gan_gradients_by_finite_differences, 3, 60,
            "Each gradient of both networks, and the discriminator's input gradient, is the "
            "slope of the loss along it: this names the first that is not (a batch norm "
            "without its paths through the batch's mean and variance shows in W1 and W2).")
{
    for (size_t k = 0; k < NGAN_SMALL; k++) {
        const gan_config *c = &GAN_CASES[k].cfg;
        const size_t B = GAN_CASES[k].B, ng = gan_g_layout_of(c).n, nd = gan_d_layout_of(c).n;
        dk_rng rng = dk_test_rng(350 + k);
        gan_fd f = {c, B, g_params(c, &rng), dk_random_array(&rng, B * c->Z, -2, 2),
                    dk_random_array(&rng, B * c->D, -1, 1), alloc_or_die(B * c->D, 4),
                    alloc_or_die(gan_g_acts_of(c, B).n, 4), d_params(c, &rng),
                    dk_random_array(&rng, B * c->D, -1, 1), dk_random_array(&rng, B, -1, 1),
                    alloc_or_die(B, 4), alloc_or_die(gan_d_acts_of(c, B).n, 4),
                    dk_test_rng(355 + k)};
        float *gg = alloc_or_die(ng, sizeof *gg), *dg = alloc_or_die(nd, sizeof *dg);
        float *dx = alloc_or_die(B * c->D, sizeof *dx);
        g_loss(&f);
        gan_generator_backward(c, f.G, f.z, B, f.gacts, f.images, f.R, gg);
        d_loss(&f);
        gan_discriminator_backward(c, f.D, f.x, B, f.dacts, f.r, dx, dg);
        part parts[10];
        dk_grad_param params[10];
        const size_t n = g_parts(c, parts);
        grad_params(parts, n, f.G, gg, params);
        dk_expect_gradients(g_loss, &f, params, n, DK_GRADCHECK_NETWORK,
                            "the generator (%s), loss = sum(R * images)",
                            describe_gan(&GAN_CASES[k]));
        const size_t m = d_parts(c, parts);
        grad_params(parts, m, f.D, dg, params);
        params[m] = (dk_grad_param){"images", f.x, dx, DK_SHAPE(B, c->D)};
        dk_expect_gradients(d_loss, &f, params, m + 1, DK_GRADCHECK_NETWORK,
                            "the discriminator (%s), loss = sum(r * logits)",
                            describe_gan(&GAN_CASES[k]));
        free(f.G), free(f.z), free(f.R), free(f.images), free(f.gacts), free(f.D), free(f.x);
        free(f.r), free(f.logits), free(f.dacts), free(gg), free(dg), free(dx);
    }
}

GRADED_TEST(gan_step_values, 10, 30,
            "1: fakes from zd, the discriminator (training: dropout) on real, then on the "
            "fakes, its loss and gradient (none into G), Adam on Dp. 2: fakes from zg scored by "
            "the updated discriminator, still training, the generator's loss, its gradient "
            "through the frozen discriminator into G, Adam on Gp only: Dp, Dm and Dv keep what "
            "step 1 gave them.")
{
    for (size_t k = 0; k < NGAN_CASES; k++) {
        const gan_config *c = &GAN_CASES[k].cfg;
        const size_t B = GAN_CASES[k].B, ng = gan_g_layout_of(c).n, nd = gan_d_layout_of(c).n;
        dk_rng rng = dk_test_rng(360 + k);
        const size_t total = 3 * ng + 3 * nd;
        float *state = alloc_or_die(total, sizeof *state);
        float *G = g_params(c, &rng), *D = d_params(c, &rng);
        memcpy(state, G, ng * sizeof *state);
        dk_fill_uniform(&rng, state + ng, ng, -0.01f, 0.01f);           /* Gm */
        dk_fill_uniform(&rng, state + 2 * ng, ng, 0, 1e-4f);            /* Gv */
        memcpy(state + 3 * ng, D, nd * sizeof *state);
        dk_fill_uniform(&rng, state + 3 * ng + nd, nd, -0.01f, 0.01f);  /* Dm */
        dk_fill_uniform(&rng, state + 3 * ng + 2 * nd, nd, 0, 1e-4f);   /* Dv */
        float *real = dk_random_array(&rng, B * c->D, -1, 1);
        float *zd = dk_random_array(&rng, B * c->Z, -2, 2), *zg = dk_random_array(&rng, B * c->Z, -2, 2);
        float *want = alloc_or_die(total + 2, sizeof *want), *got = alloc_or_die(total, 4);
        dk_rng ref_rng = dk_test_rng(365 + k), rng_in = ref_rng;
        memcpy(want, state, total * sizeof *want);
        memcpy(got, state, total * sizeof *got);
        float *w = want, *g = got;
        ref_gan_step(c, w, w + ng, w + 2 * ng, w + 3 * ng, w + 3 * ng + nd, w + 3 * ng + 2 * nd, 7,
                     real, zd, zg, B, &ref_rng, 1e-3f, w + total);
        float *losses = dk_guard_floats(2);
        gan_step(c, g, g + ng, g + 2 * ng, g + 3 * ng, g + 3 * ng + nd, g + 3 * ng + 2 * nd, 7, real,
                 zd, zg, B, &rng_in, 1e-3f, losses);
        const char *what = describe_gan(&GAN_CASES[k]);
        dk_guard_check(losses, DK_SHAPE(2), "gan_step(%s): losses", what);
        dk_expect_floats(w + total, losses, DK_SHAPE(2), DK_TOL_REDUCTION,
                         "gan_step(%s, step 7): losses (the discriminator's, the generator's)",
                         what);
        static const char *const names[] = {"Dp", "Dm", "Dv", "Gp", "Gm", "Gv"};
        const size_t at[] = {3 * ng, 3 * ng + nd, 3 * ng + 2 * nd, 0, ng, 2 * ng};
        for (size_t i = 0; i < 6; i++) {
            const size_t n = i < 3 ? nd : ng;
            dk_expect_floats(w + at[i], g + at[i], DK_SHAPE(n), DK_TOL_REDUCTION,
                             "gan_step(%s, step 7): %s after the step", what, names[i]);
        }
        DK_CHECK(memcmp(&rng_in, &ref_rng, sizeof rng_in) == 0,
                 "gan_step(%s): the random generator afterwards is not where the "
                 "discriminator's three training passes leave it", what);
        dk_guard_free(losses);
        free(state), free(G), free(D), free(real), free(zd), free(zg), free(want), free(got);
    }
}
