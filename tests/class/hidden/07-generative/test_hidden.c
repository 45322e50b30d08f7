/* Hidden tests of chapter 07 for the class tests: an instructor's tests,
 * compiled by `make class HIDDEN=tests/class/hidden`, run beside the
 * chapter's public ones. */
#include "generative.h"
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

GRADED_TEST(hidden_kl_at_the_prior, 2, 10,
            "mu = 0 and logvar = 0: the posterior is the prior, KL 0 and a zero gradient")
{
    enum { N = 33 };
    float *mu = zeros(N), *lv = zeros(N), *dmu = zeros(N), *dlv = zeros(N), *none = zeros(N);
    const float kl = kl_standard_normal(mu, lv, N, dmu, dlv);
    dk_expect_near(0.0, kl, DK_TOL_ELEMENTWISE, "kl_standard_normal at mu 0, logvar 0");
    dk_expect_floats(none, dmu, DK_SHAPE(N), DK_TOL_EXACT, "kl_standard_normal at the prior: dmu");
    dk_expect_floats(none, dlv, DK_SHAPE(N), DK_TOL_EXACT,
                     "kl_standard_normal at the prior: dlogvar");
    free(mu), free(lv), free(dmu), free(dlv), free(none);
}

GRADED_TEST(hidden_vae_wide_latent, 2, 20, "a VAE whose latent space is wider than its hidden layer")
{
    const vae_config cfg = {30, 4, 9};
    enum { B = 5 };
    const size_t n = vae_layout_of(&cfg).n, na = vae_acts_of(&cfg, B).n;
    dk_rng rng = dk_test_rng(95);
    float *params = dk_random_array(&rng, n, -0.5f, 0.5f), *X = dk_random_array(&rng, B * 30, 0, 1);
    float *eps = dk_random_array(&rng, B * 9, -2, 2);
    float *acts = zeros(na + 2), *want = zeros(na + 2 + n), *got = zeros(n);
    ref_vae_forward(&cfg, params, X, B, eps, want, want + na);
    ref_vae_backward(&cfg, params, X, B, eps, want, want + na + 2);
    vae_forward(&cfg, params, X, B, eps, acts, acts + na);
    dk_expect_floats(want + na, acts + na, DK_SHAPE(2), DK_TOL_REDUCTION,
                     "vae_forward(D 30, H 4, Z 9, B 5): terms");
    vae_backward(&cfg, params, X, B, eps, want, got);
    dk_expect_floats(want + na + 2, got, DK_SHAPE(n), DK_TOL_REDUCTION,
                     "vae_backward(D 30, H 4, Z 9, B 5): grads");
    free(params), free(X), free(eps), free(acts), free(want), free(got);
}

GRADED_TEST(hidden_generator_batch_of_two, 2, 20,
            "the generator on a batch of two: batch norm's statistics of two rows")
{
    const gan_config cfg = {5, 6, 7, 12};
    enum { B = 2 };
    const size_t na = gan_g_acts_of(&cfg, B).n, n = gan_g_layout_of(&cfg).n;
    dk_rng rng = dk_test_rng(96);
    float *params = dk_random_array(&rng, n, -0.5f, 0.5f), *z = dk_random_array(&rng, B * 5, -2, 2);
    float *want = zeros(na + B * 12), *got = zeros(na + B * 12);
    ref_gan_generator_forward(&cfg, params, z, B, want, want + na);
    gan_generator_forward(&cfg, params, z, B, got, got + na);
    dk_expect_floats(want + na, got + na, DK_SHAPE(B, 12), DK_TOL_REDUCTION,
                     "gan_generator_forward(Z 5, H1 6, H2 7, D 12, B 2): images");
    free(params), free(z), free(want), free(got);
}
