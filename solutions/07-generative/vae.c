/* Chapter 07 reference: the variational autoencoder, forward, backward and
 * the decoder alone. */
#include "generative.h"

#include "error.h"

#include <stdlib.h>

void vae_forward(const vae_config *cfg, const float *params, const float *X, size_t B,
                 const float *eps, float *acts, float *terms)
{
    const size_t D = cfg->D, H = cfg->H, Z = cfg->Z;
    const vae_layout l = vae_layout_of(cfg);
    const vae_acts a = vae_acts_of(cfg, B);
    const float *p = params;
    float *h1 = acts + a.h1, *mu = acts + a.mu, *logvar = acts + a.logvar, *z = acts + a.z;
    float *h3 = acts + a.h3, *logits = acts + a.logits;
    linear_forward(X, p + l.W1, p + l.b1, B, D, H, h1);
    relu_forward(h1, B * H, h1);
    linear_forward(h1, p + l.Wmu, p + l.bmu, B, H, Z, mu);
    linear_forward(h1, p + l.Wlv, p + l.blv, B, H, Z, logvar);
    reparameterize(mu, logvar, eps, B * Z, z);
    linear_forward(z, p + l.W3, p + l.b3, B, Z, H, h3);
    relu_forward(h3, B * H, h3);
    linear_forward(h3, p + l.W4, p + l.b4, B, H, D, logits);
    terms[0] = bce_with_logits(logits, X, B * D, NULL);
    terms[1] = kl_standard_normal(mu, logvar, B * Z, NULL, NULL);
}

/* relu_backward reads the slope off the ReLU's output as well as off its
 * input: both are > 0 at the same places. */
void vae_backward(const vae_config *cfg, const float *params, const float *X, size_t B,
                  const float *eps, const float *acts, float *grads)
{
    const size_t D = cfg->D, H = cfg->H, Z = cfg->Z;
    const vae_layout l = vae_layout_of(cfg);
    const vae_acts a = vae_acts_of(cfg, B);
    const float *p = params, *h1 = acts + a.h1, *mu = acts + a.mu, *logvar = acts + a.logvar;
    const float *z = acts + a.z, *h3 = acts + a.h3;
    float *g = grads;
    float *dlogits = malloc((B * D + 3 * B * H + 3 * B * Z) * sizeof *dlogits);
    if (!dlogits)
        dk_fatal("vae_backward: out of memory");
    float *dh3 = dlogits + B * D, *dh1 = dh3 + B * H, *dh1_lv = dh1 + B * H;
    float *dz = dh1_lv + B * H, *dmu = dz + B * Z, *dlogvar = dmu + B * Z;
    /* the decoder, from the reconstruction term */
    bce_with_logits(acts + a.logits, X, B * D, dlogits);
    linear_backward(h3, p + l.W4, dlogits, B, H, D, dh3, g + l.W4, g + l.b4);
    relu_backward(h3, dh3, B * H, dh3);
    linear_backward(z, p + l.W3, dh3, B, Z, H, dz, g + l.W3, g + l.b3);
    /* the KL term's gradient, plus the reconstruction's through z */
    kl_standard_normal(mu, logvar, B * Z, dmu, dlogvar);
    reparameterize_backward(logvar, eps, dz, B * Z, dmu, dlogvar);
    /* the encoder: h1 feeds both heads, so its gradient is their sum */
    linear_backward(h1, p + l.Wmu, dmu, B, H, Z, dh1, g + l.Wmu, g + l.bmu);
    linear_backward(h1, p + l.Wlv, dlogvar, B, H, Z, dh1_lv, g + l.Wlv, g + l.blv);
    for (size_t i = 0; i < B * H; i++)
        dh1[i] += dh1_lv[i];
    relu_backward(h1, dh1, B * H, dh1);
    linear_backward(X, p + l.W1, dh1, B, D, H, NULL, g + l.W1, g + l.b1);
    free(dlogits);
}

void vae_decode(const vae_config *cfg, const float *params, const float *z, size_t B,
                float *images)
{
    const vae_layout l = vae_layout_of(cfg);
    float *h3 = malloc(B * cfg->H * sizeof *h3);
    if (!h3)
        dk_fatal("vae_decode: out of memory");
    linear_forward(z, params + l.W3, params + l.b3, B, cfg->Z, cfg->H, h3);
    relu_forward(h3, B * cfg->H, h3);
    linear_forward(h3, params + l.W4, params + l.b4, B, cfg->H, cfg->D, images);
    sigmoid_forward(images, B * cfg->D, images);
    free(h3);
}
