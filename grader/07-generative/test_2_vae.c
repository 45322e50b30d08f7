/* Chapter 07 tests: the variational autoencoder (19 points), against the
 * reference and finite differences. */
#include "cases.h"
#include "ref_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parameters of a trained scale: uniform in +-1/sqrt(fan_in) x 2. */
static float *vae_params(const vae_config *c, dk_rng *rng)
{
    return dk_random_array(rng, vae_layout_of(c).n, -0.6f, 0.6f);
}

static const char *const ACT_NAMES[] = {"h1", "mu", "logvar", "z", "h3", "logits"};

GRADED_TEST(vae_forward_values, 7, 10,
            "h1 = relu(X W1^T + b1); mu and logvar, two linear heads on h1; z = reparameterize; "
            "h3 = relu(z W3^T + b3); logits = h3 W4^T + b4; terms[0] = bce_with_logits(logits, "
            "X) and terms[1] = kl_standard_normal(mu, logvar), each summed over the whole "
            "batch.")
{
    for (size_t k = 0; k < NVAE_CASES; k++) {
        const vae_config *c = &VAE_CASES[k].cfg;
        const size_t B = VAE_CASES[k].B;
        const vae_acts a = vae_acts_of(c, B);
        dk_rng rng = dk_test_rng(200 + k);
        float *p = vae_params(c, &rng), *X = pixels(&rng, B * c->D);
        float *eps = dk_random_array(&rng, B * c->Z, -2, 2);
        float *want = alloc_or_die(a.n + 2, sizeof *want);
        ref_vae_forward(c, p, X, B, eps, want, want + a.n);
        float *acts = dk_guard_floats(a.n), *terms = dk_guard_floats(2);
        vae_forward(c, p, X, B, eps, acts, terms);
        const char *what = describe_vae(&VAE_CASES[k]);
        dk_guard_check(acts, DK_SHAPE(a.n), "vae_forward(%s): acts", what);
        const size_t at[] = {a.h1, a.mu, a.logvar, a.z, a.h3, a.logits, a.n};
        const size_t width[] = {c->H, c->Z, c->Z, c->Z, c->H, c->D};
        for (size_t i = 0; i < 6; i++)
            dk_expect_floats(want + at[i], acts + at[i], DK_SHAPE(B, width[i]), DK_TOL_REDUCTION,
                             "vae_forward(%s): %s in acts", what, ACT_NAMES[i]);
        dk_guard_check(terms, DK_SHAPE(2), "vae_forward(%s): terms", what);
        dk_expect_floats(want + a.n, terms, DK_SHAPE(2), DK_TOL_REDUCTION,
                         "vae_forward(%s): terms (reconstruction, KL)", what);
        dk_guard_free(acts), dk_guard_free(terms);
        free(p), free(X), free(eps), free(want);
    }
}

/* The VAE's parameters, in the backward pass's order. */
static size_t vae_parts(const vae_config *c, part *out)
{
    const vae_layout l = vae_layout_of(c);
    const size_t D = c->D, H = c->H, Z = c->Z;
    const part parts[] = {
        {"W4", l.W4, DK_SHAPE(D, H)},  {"b4", l.b4, DK_SHAPE(D)},   {"W3", l.W3, DK_SHAPE(H, Z)},
        {"b3", l.b3, DK_SHAPE(H)},     {"Wmu", l.Wmu, DK_SHAPE(Z, H)}, {"bmu", l.bmu, DK_SHAPE(Z)},
        {"Wlv", l.Wlv, DK_SHAPE(Z, H)}, {"blv", l.blv, DK_SHAPE(Z)}, {"W1", l.W1, DK_SHAPE(H, D)},
        {"b1", l.b1, DK_SHAPE(H)},
    };
    memcpy(out, parts, sizeof parts);
    return sizeof parts / sizeof parts[0];
}

GRADED_TEST(vae_backward_values, 7, 20,
            "From the loss terms[0] + terms[1]: dlogits = sigmoid(logits) - X, back through the "
            "decoder to dz; then dmu and dlogvar get the KL term's gradient plus the "
            "reconstruction's through reparameterize_backward; h1 feeds both heads, so its "
            "gradient is the sum of theirs. Every gradient accumulates into grads.")
{
    for (size_t k = 0; k < NVAE_CASES; k++) {
        const vae_config *c = &VAE_CASES[k].cfg;
        const size_t B = VAE_CASES[k].B, n = vae_layout_of(c).n;
        const vae_acts a = vae_acts_of(c, B);
        dk_rng rng = dk_test_rng(210 + k);
        float *p = vae_params(c, &rng), *X = pixels(&rng, B * c->D);
        float *eps = dk_random_array(&rng, B * c->Z, -2, 2);
        float *acts = alloc_or_die(a.n + 2, sizeof *acts), *want = alloc_or_die(n, sizeof *want);
        ref_vae_forward(c, p, X, B, eps, acts, acts + a.n);
        ref_vae_backward(c, p, X, B, eps, acts, want);
        float *grads = dk_guard_floats_prefilled(n, &rng);
        vae_backward(c, p, X, B, eps, acts, grads);
        char what[160];
        snprintf(what, sizeof what, "vae_backward(%s)", describe_vae(&VAE_CASES[k]));
        part parts[10];
        expect_parts(parts, vae_parts(c, parts), want, grads, n, what);
        dk_guard_free(grads);
        free(p), free(X), free(eps), free(acts), free(want);
    }
}

typedef struct vae_fd {
    const vae_config *cfg;
    size_t B;
    float *p, *X, *eps, *acts;
} vae_fd;

static double vae_loss(void *ctx)
{
    vae_fd *c = ctx;
    float terms[2];
    vae_forward(c->cfg, c->p, c->X, c->B, c->eps, c->acts, terms);
    return (double)terms[0] + terms[1];
}

GRADED_TEST(vae_gradients_by_finite_differences, 3, 60,
            "Each parameter's gradient is the negative ELBO's slope along it: this names the "
            "first that is not (the encoder's, when the path through z or the KL term is "
            "missing).")
{
    for (size_t k = 0; k < NVAE_SMALL; k++) {
        const vae_config *c = &VAE_CASES[k].cfg;
        const size_t B = VAE_CASES[k].B, n = vae_layout_of(c).n;
        dk_rng rng = dk_test_rng(220 + k);
        vae_fd f = {c, B, vae_params(c, &rng), pixels(&rng, B * c->D),
                    dk_random_array(&rng, B * c->Z, -2, 2),
                    alloc_or_die(vae_acts_of(c, B).n, sizeof(float))};
        float *grads = alloc_or_die(n, sizeof *grads);
        vae_loss(&f);
        vae_backward(c, f.p, f.X, B, f.eps, f.acts, grads);
        part parts[10];
        dk_grad_param params[10];
        const size_t np = vae_parts(c, parts);
        grad_params(parts, np, f.p, grads, params);
        dk_expect_gradients(vae_loss, &f, params, np, DK_GRADCHECK_NETWORK,
                            "vae (%s), loss = the negative ELBO", describe_vae(&VAE_CASES[k]));
        free(f.p), free(f.X), free(f.eps), free(f.acts), free(grads);
    }
}

GRADED_TEST(vae_decode_values, 2, 10,
            "The decoder alone on given codes: images = sigmoid(relu(z W3^T + b3) W4^T + b4), "
            "probabilities in (0, 1), not logits.")
{
    for (size_t k = 0; k < NVAE_CASES; k++) {
        const vae_config *c = &VAE_CASES[k].cfg;
        const size_t B = VAE_CASES[k].B;
        dk_rng rng = dk_test_rng(230 + k);
        float *p = vae_params(c, &rng), *z = dk_random_array(&rng, B * c->Z, -2, 2);
        float *want = alloc_or_die(B * c->D, sizeof *want), *images = dk_guard_floats(B * c->D);
        ref_vae_decode(c, p, z, B, want);
        vae_decode(c, p, z, B, images);
        dk_guard_check(images, DK_SHAPE(B, c->D), "vae_decode(%s): images",
                       describe_vae(&VAE_CASES[k]));
        dk_expect_floats(want, images, DK_SHAPE(B, c->D), DK_TOL_REDUCTION,
                         "vae_decode(%s): images", describe_vae(&VAE_CASES[k]));
        dk_guard_free(images);
        free(p), free(z), free(want);
    }
}
