/* Chapter 07 tests: the losses of both models, the reparameterised sample
 * and leaky ReLU (27 points), against the reference and finite
 * differences. */
#include "cases.h"
#include "ref_api.h"

#include <math.h>
#include <stdlib.h>

static const size_t SIZES[] = {1, 7, 100, 784};
enum { NSIZES = sizeof SIZES / sizeof SIZES[0] };

/* Logits across the range, with the extremes where a naive form fails. */
static float *logits(dk_rng *rng, size_t n)
{
    static const float fixed[] = {100, -100, 30, -30, 0, 250, -250};
    float *l = dk_random_array(rng, n, -6, 6);
    for (size_t i = 0; i < n && n > 7; i++)
        if (i % 11 == 0)
            l[i] = fixed[(i / 11) % 7];
    return l;
}

GRADED_TEST(bce_with_logits_values, 4, 10,
            "Summed over the n elements: max(l, 0) - l x + log(1 + exp(-|l|)), which equals "
            "-x log sigmoid(l) - (1 - x) log(1 - sigmoid(l)); dlogits = sigmoid(l) - x, "
            "overwritten.")
{
    for (size_t k = 0; k < NSIZES; k++) {
        const size_t n = SIZES[k];
        dk_rng rng = dk_test_rng(100 + k);
        float *l = dk_random_array(&rng, n, -6, 6), *x = pixels(&rng, n);
        float *want = alloc_or_die(n, sizeof *want), *d = dk_guard_floats(n);
        const float loss_want = ref_bce_with_logits(l, x, n, want);
        const float loss = bce_with_logits(l, x, n, d);
        dk_expect_near(loss_want, loss, DK_TOL_REDUCTION, "bce_with_logits(n %zu): the sum", n);
        dk_guard_check(d, DK_SHAPE(n), "bce_with_logits(n %zu): dlogits", n);
        dk_expect_floats(want, d, DK_SHAPE(n), DK_TOL_ELEMENTWISE, "bce_with_logits(n %zu): dlogits",
                         n);
        dk_expect_near(loss_want, bce_with_logits(l, x, n, NULL), DK_TOL_REDUCTION,
                       "bce_with_logits(n %zu) with dlogits NULL: the sum", n);
        dk_guard_free(d);
        free(l), free(x), free(want);
    }
}

GRADED_TEST(bce_with_logits_is_stable, 3, 10,
            "At l = 100 and x = 0 the loss is 100: sigmoid(100) rounds to 1 in float, so log(1 "
            "- sigmoid(l)) is log 0 = -inf. Compute from the logit itself: max(l, 0) - l x + "
            "log(1 + exp(-|l|)) never takes exp of a large positive number.")
{
    const size_t n = 99;
    dk_rng rng = dk_test_rng(110);
    float *l = logits(&rng, n), *x = pixels(&rng, n);
    float *want = alloc_or_die(n, sizeof *want), *d = dk_guard_floats(n);
    const float loss_want = ref_bce_with_logits(l, x, n, want);
    const float loss = bce_with_logits(l, x, n, d);
    dk_expect_near(loss_want, loss, DK_TOL_REDUCTION,
                   "bce_with_logits with logits of +-100 and +-250: the sum");
    dk_guard_check(d, DK_SHAPE(n), "bce_with_logits with logits of +-100 and +-250: dlogits");
    dk_expect_floats(want, d, DK_SHAPE(n), DK_TOL_ELEMENTWISE,
                     "bce_with_logits with logits of +-100 and +-250: dlogits");
    dk_guard_free(d);
    free(l), free(x), free(want);
}

GRADED_TEST(kl_standard_normal_values, 3, 10,
            "-1/2 sum (1 + logvar - mu^2 - exp(logvar)): 0 when mu = 0 and logvar = 0, positive "
            "otherwise; logvar is the log of the variance (exp(logvar) = sigma^2). dmu = mu, "
            "dlogvar = (exp(logvar) - 1) / 2.")
{
    for (size_t k = 0; k < NSIZES; k++) {
        const size_t n = SIZES[k];
        dk_rng rng = dk_test_rng(120 + k);
        float *mu = dk_random_array(&rng, n, -2, 2), *lv = dk_random_array(&rng, n, -4, 2);
        float *want = alloc_or_die(2 * n, sizeof *want);
        float *dmu = dk_guard_floats(n), *dlv = dk_guard_floats(n);
        const float kl_want = ref_kl_standard_normal(mu, lv, n, want, want + n);
        const float kl = kl_standard_normal(mu, lv, n, dmu, dlv);
        dk_expect_near(kl_want, kl, DK_TOL_REDUCTION, "kl_standard_normal(n %zu): the sum", n);
        dk_guard_check(dmu, DK_SHAPE(n), "kl_standard_normal(n %zu): dmu", n);
        dk_expect_floats(want, dmu, DK_SHAPE(n), DK_TOL_ELEMENTWISE, "kl_standard_normal(n %zu): dmu",
                         n);
        dk_guard_check(dlv, DK_SHAPE(n), "kl_standard_normal(n %zu): dlogvar", n);
        dk_expect_floats(want + n, dlv, DK_SHAPE(n), DK_TOL_ELEMENTWISE,
                         "kl_standard_normal(n %zu): dlogvar", n);
        dk_expect_near(kl_want, kl_standard_normal(mu, lv, n, NULL, NULL), DK_TOL_REDUCTION,
                       "kl_standard_normal(n %zu) with NULL gradients: the sum", n);
        dk_guard_free(dmu), dk_guard_free(dlv);
        free(mu), free(lv), free(want);
    }
}

GRADED_TEST(reparameterize_values, 2, 10,
            "z = mu + exp(logvar / 2) * eps: the standard deviation is exp(logvar / 2), and the "
            "noise eps is given, so z is exact.")
{
    const size_t n = 60;
    dk_rng rng = dk_test_rng(130);
    float *mu = dk_random_array(&rng, n, -2, 2), *lv = dk_random_array(&rng, n, -4, 2);
    float *eps = dk_random_array(&rng, n, -2, 2), *want = alloc_or_die(n, sizeof *want);
    float *z = dk_guard_floats(n);
    ref_reparameterize(mu, lv, eps, n, want);
    reparameterize(mu, lv, eps, n, z);
    dk_guard_check(z, DK_SHAPE(n), "reparameterize: z");
    dk_expect_floats(want, z, DK_SHAPE(n), DK_TOL_ELEMENTWISE, "reparameterize: z");
    dk_guard_free(z);
    free(mu), free(lv), free(eps), free(want);
}

GRADED_TEST(reparameterize_backward_values, 3, 10,
            "dmu += dz; dlogvar += dz * eps * exp(logvar / 2) / 2 (the chain rule through the "
            "standard deviation); both accumulate: the KL term's gradient is already there.")
{
    const size_t n = 60;
    dk_rng rng = dk_test_rng(140);
    float *lv = dk_random_array(&rng, n, -4, 2), *eps = dk_random_array(&rng, n, -2, 2);
    float *dz = dk_random_array(&rng, n, -1, 1), *want = alloc_or_die(2 * n, sizeof *want);
    float *dmu = dk_guard_floats_prefilled(n, &rng), *dlv = dk_guard_floats_prefilled(n, &rng);
    ref_reparameterize_backward(lv, eps, dz, n, want, want + n);
    reparameterize_backward(lv, eps, dz, n, dmu, dlv);
    dk_expect_accumulated(want, dmu, DK_SHAPE(n), DK_TOL_ELEMENTWISE, "reparameterize_backward: dmu");
    dk_expect_accumulated(want + n, dlv, DK_SHAPE(n), DK_TOL_ELEMENTWISE,
                          "reparameterize_backward: dlogvar");
    dk_guard_free(dmu), dk_guard_free(dlv);
    free(lv), free(eps), free(dz), free(want);
}

/* The VAE's loss terms on their own: bce(l, x) + kl(mu, logvar) + sum(R *
 * reparameterize(mu, logvar, eps)). */
typedef struct terms_fd {
    size_t n;
    float *l, *x, *mu, *lv, *eps, *R, *z;
} terms_fd;

static double terms_loss(void *ctx)
{
    terms_fd *c = ctx;
    reparameterize(c->mu, c->lv, c->eps, c->n, c->z);
    return (double)bce_with_logits(c->l, c->x, c->n, NULL) +
           kl_standard_normal(c->mu, c->lv, c->n, NULL, NULL) + weighted_sum(c->R, c->z, c->n);
}

GRADED_TEST(vae_terms_by_finite_differences, 3, 30,
            "Each gradient is the loss's slope: this names the first that is not. A KL gradient "
            "taken with respect to sigma rather than log sigma^2 shows here.")
{
    const size_t n = 12;
    dk_rng rng = dk_test_rng(150);
    terms_fd c = {n, dk_random_array(&rng, n, -4, 4), pixels(&rng, n),
                  dk_random_array(&rng, n, -1, 1), dk_random_array(&rng, n, -2, 1),
                  dk_random_array(&rng, n, -2, 2), dk_random_array(&rng, n, -1, 1),
                  alloc_or_die(n, sizeof(float))};
    float *dl = alloc_or_die(3 * n, sizeof *dl), *dmu = dl + n, *dlv = dmu + n;
    bce_with_logits(c.l, c.x, n, dl);
    kl_standard_normal(c.mu, c.lv, n, dmu, dlv);
    reparameterize_backward(c.lv, c.eps, c.R, n, dmu, dlv);
    const dk_grad_param params[] = {
        {"logits", c.l, dl, DK_SHAPE(n)},
        {"mu", c.mu, dmu, DK_SHAPE(n)},
        {"logvar", c.lv, dlv, DK_SHAPE(n)},
    };
    dk_expect_gradients(terms_loss, &c, params, 3, DK_GRADCHECK_FLOAT32,
                        "bce(logits, x) + kl(mu, logvar) + sum(R * reparameterize(mu, logvar, "
                        "eps))");
    free(c.l), free(c.x), free(c.mu), free(c.lv), free(c.eps), free(c.R), free(c.z), free(dl);
}

GRADED_TEST(leaky_relu_values, 2, 10,
            "y = x for x >= 0 and slope * x below; the backward's slope is 1 for x >= 0 (at 0 "
            "too) and slope below.")
{
    const size_t n = 101;
    dk_rng rng = dk_test_rng(160);
    float *x = dk_random_array(&rng, n, -3, 3), *dy = dk_random_array(&rng, n, -1, 1);
    x[0] = 0, x[1] = -0.0f;
    float *want = alloc_or_die(2 * n, sizeof *want), *y = dk_guard_floats(n);
    float *dx = dk_guard_floats(n);
    ref_leaky_relu_forward(x, n, GAN_SLOPE, want);
    ref_leaky_relu_backward(x, dy, n, GAN_SLOPE, want + n);
    leaky_relu_forward(x, n, GAN_SLOPE, y);
    leaky_relu_backward(x, dy, n, GAN_SLOPE, dx);
    dk_guard_check(y, DK_SHAPE(n), "leaky_relu_forward (slope %g): y", GAN_SLOPE);
    dk_expect_floats(want, y, DK_SHAPE(n), DK_TOL_EXACT, "leaky_relu_forward (slope %g): y",
                     GAN_SLOPE);
    dk_guard_check(dx, DK_SHAPE(n), "leaky_relu_backward (slope %g): dx", GAN_SLOPE);
    dk_expect_floats(want + n, dx, DK_SHAPE(n), DK_TOL_EXACT, "leaky_relu_backward (slope %g): dx",
                     GAN_SLOPE);
    dk_guard_free(y), dk_guard_free(dx);
    free(x), free(dy), free(want);
}

GRADED_TEST(gan_discriminator_loss_values, 4, 10,
            "Real images are labelled 1, fakes 0: mean softplus(-real) over the real batch plus "
            "mean softplus(fake) over the fakes, each batch averaged on its own (their sizes "
            "differ here); dreal = (sigmoid(real) - 1) / n_real, dfake = sigmoid(fake) / "
            "n_fake.")
{
    static const struct { size_t real, fake; } sizes[] = {{1, 1}, {8, 8}, {5, 13}, {64, 17}};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        const size_t nr = sizes[k].real, nf = sizes[k].fake;
        dk_rng rng = dk_test_rng(170 + k);
        float *real = logits(&rng, nr), *fake = logits(&rng, nf);
        float *want = alloc_or_die(nr + nf, sizeof *want);
        float *dr = dk_guard_floats(nr), *df = dk_guard_floats(nf);
        const float loss_want = ref_gan_discriminator_loss(real, nr, fake, nf, want, want + nr);
        const float loss = gan_discriminator_loss(real, nr, fake, nf, dr, df);
        dk_expect_near(loss_want, loss, DK_TOL_REDUCTION,
                       "gan_discriminator_loss(%zu real, %zu fakes): the loss", nr, nf);
        dk_guard_check(dr, DK_SHAPE(nr), "gan_discriminator_loss(%zu real, %zu fakes): dreal", nr,
                       nf);
        dk_expect_floats(want, dr, DK_SHAPE(nr), DK_TOL_ELEMENTWISE,
                         "gan_discriminator_loss(%zu real, %zu fakes): dreal", nr, nf);
        dk_guard_check(df, DK_SHAPE(nf), "gan_discriminator_loss(%zu real, %zu fakes): dfake", nr,
                       nf);
        dk_expect_floats(want + nr, df, DK_SHAPE(nf), DK_TOL_ELEMENTWISE,
                         "gan_discriminator_loss(%zu real, %zu fakes): dfake", nr, nf);
        dk_guard_free(dr), dk_guard_free(df);
        free(real), free(fake), free(want);
    }
}

GRADED_TEST(gan_generator_loss_values, 3, 10,
            "The non-saturating loss: mean softplus(-fake), the fakes scored as if real; dfake "
            "= (sigmoid(fake) - 1) / n. Where the discriminator rejects a fake (fake << 0) its "
            "gradient is near -1/n, not near 0 as the saturating mean log(1 - D(G(z))) gives.")
{
    static const size_t sizes[] = {1, 9, 64};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        const size_t n = sizes[k];
        dk_rng rng = dk_test_rng(180 + k);
        float *fake = logits(&rng, n), *want = alloc_or_die(n, sizeof *want);
        for (size_t i = 0; i < n; i += 2)
            fake[i] = -fabsf(fake[i]) - 3; /* rejected fakes */
        float *df = dk_guard_floats(n);
        const float loss_want = ref_gan_generator_loss(fake, n, want);
        const float loss = gan_generator_loss(fake, n, df);
        dk_expect_near(loss_want, loss, DK_TOL_REDUCTION, "gan_generator_loss(%zu fakes): the loss",
                       n);
        dk_guard_check(df, DK_SHAPE(n), "gan_generator_loss(%zu fakes): dfake", n);
        dk_expect_floats(want, df, DK_SHAPE(n), DK_TOL_ELEMENTWISE,
                         "gan_generator_loss(%zu fakes): dfake", n);
        dk_guard_free(df);
        free(fake), free(want);
    }
}
