/* Chapter 07 reference: the generator, the discriminator and one
 * alternating step of both. */
#include "generative.h"

#include "blas.h"
#include "error.h"

#include <stdlib.h>

void gan_generator_forward(const gan_config *cfg, const float *params, const float *z,
                           size_t B, float *acts, float *images)
{
    const gan_g_layout l = gan_g_layout_of(cfg);
    const gan_g_acts a = gan_g_acts_of(cfg, B);
    const float *p = params;
    float *s = acts;
    linear_forward(z, p + l.W1, p + l.b1, B, cfg->Z, cfg->H1, s + a.lin1);
    batchnorm_forward_train(s + a.lin1, B, cfg->H1, p + l.gamma1, p + l.beta1, GAN_BN_EPS, 0.0f,
                            NULL, NULL, s + a.mean1, s + a.invstd1, s + a.norm1);
    leaky_relu_forward(s + a.norm1, B * cfg->H1, GAN_SLOPE, s + a.h1);
    linear_forward(s + a.h1, p + l.W2, p + l.b2, B, cfg->H1, cfg->H2, s + a.lin2);
    batchnorm_forward_train(s + a.lin2, B, cfg->H2, p + l.gamma2, p + l.beta2, GAN_BN_EPS, 0.0f,
                            NULL, NULL, s + a.mean2, s + a.invstd2, s + a.norm2);
    leaky_relu_forward(s + a.norm2, B * cfg->H2, GAN_SLOPE, s + a.h2);
    linear_forward(s + a.h2, p + l.W3, p + l.b3, B, cfg->H2, cfg->D, images);
    tanh_forward(images, B * cfg->D, images);
}

void gan_generator_backward(const gan_config *cfg, const float *params, const float *z,
                            size_t B, const float *acts, const float *images,
                            const float *dimages, float *grads)
{
    const gan_g_layout l = gan_g_layout_of(cfg);
    const gan_g_acts a = gan_g_acts_of(cfg, B);
    const size_t H1 = cfg->H1, H2 = cfg->H2;
    const float *p = params, *s = acts;
    float *g = grads;
    float *dy = malloc((B * cfg->D + 2 * B * (H1 + H2)) * sizeof *dy);
    if (!dy)
        dk_fatal("gan_generator_backward: out of memory");
    float *dh2 = dy + B * cfg->D, *dlin2 = dh2 + B * H2, *dh1 = dlin2 + B * H2, *dlin1 = dh1 + B * H1;
    tanh_backward(images, dimages, B * cfg->D, dy);
    linear_backward(s + a.h2, p + l.W3, dy, B, H2, cfg->D, dh2, g + l.W3, g + l.b3);
    leaky_relu_backward(s + a.norm2, dh2, B * H2, GAN_SLOPE, dh2);
    batchnorm_backward(dh2, s + a.lin2, B, H2, p + l.gamma2, s + a.mean2, s + a.invstd2, dlin2,
                       g + l.gamma2, g + l.beta2);
    linear_backward(s + a.h1, p + l.W2, dlin2, B, H1, H2, dh1, g + l.W2, g + l.b2);
    leaky_relu_backward(s + a.norm1, dh1, B * H1, GAN_SLOPE, dh1);
    batchnorm_backward(dh1, s + a.lin1, B, H1, p + l.gamma1, s + a.mean1, s + a.invstd1, dlin1,
                       g + l.gamma1, g + l.beta1);
    linear_backward(z, p + l.W1, dlin1, B, cfg->Z, H1, NULL, g + l.W1, g + l.b1);
    free(dy);
}

/* Leaky ReLU, then dropout while training (rng), else a mask of ones. */
static void d_activation(const float *pre, size_t n, dk_rng *rng, float *h, float *mask)
{
    leaky_relu_forward(pre, n, GAN_SLOPE, h);
    if (rng)
        dropout_forward(h, n, GAN_DROPOUT, true, rng, mask, h);
    else
        for (size_t i = 0; i < n; i++)
            mask[i] = 1.0f;
}

void gan_discriminator_forward(const gan_config *cfg, const float *params, const float *images,
                               size_t B, dk_rng *rng, float *acts, float *logits)
{
    const gan_d_layout l = gan_d_layout_of(cfg);
    const gan_d_acts a = gan_d_acts_of(cfg, B);
    const float *p = params;
    linear_forward(images, p + l.W1, p + l.b1, B, cfg->D, cfg->H2, acts + a.pre1);
    d_activation(acts + a.pre1, B * cfg->H2, rng, acts + a.h1, acts + a.mask1);
    linear_forward(acts + a.h1, p + l.W2, p + l.b2, B, cfg->H2, cfg->H1, acts + a.pre2);
    d_activation(acts + a.pre2, B * cfg->H1, rng, acts + a.h2, acts + a.mask2);
    linear_forward(acts + a.h2, p + l.W3, p + l.b3, B, cfg->H1, 1, logits);
}

/* A linear layer's backward; frozen (dW NULL), only dx = dy W, its
 * weights' gradients never computed. dx NULL: not wanted. */
static void layer_backward(const float *x, const float *W, const float *dy, size_t B, size_t in,
                           size_t out, float *dx, float *dW, float *db)
{
    if (dW)
        linear_backward(x, W, dy, B, in, out, dx, dW, db);
    else if (dx)
        dk_sgemm(false, false, B, in, out, 1.0f, dy, W, 0.0f, dx);
}

void gan_discriminator_backward(const gan_config *cfg, const float *params,
                                const float *images, size_t B, const float *acts,
                                const float *dlogits, float *dimages, float *grads)
{
    const gan_d_layout l = gan_d_layout_of(cfg);
    const gan_d_acts a = gan_d_acts_of(cfg, B);
    const size_t H1 = cfg->H1, H2 = cfg->H2;
    const float *p = params;
    float *dh2 = malloc(B * (H1 + H2) * sizeof *dh2), *dh1 = dh2 + B * H1, *g = grads;
    if (!dh2)
        dk_fatal("gan_discriminator_backward: out of memory");
    layer_backward(acts + a.h2, p + l.W3, dlogits, B, H1, 1, dh2, g ? g + l.W3 : NULL,
                   g ? g + l.b3 : NULL);
    dropout_backward(dh2, acts + a.mask2, B * H1, dh2);
    leaky_relu_backward(acts + a.pre2, dh2, B * H1, GAN_SLOPE, dh2);
    layer_backward(acts + a.h1, p + l.W2, dh2, B, H2, H1, dh1, g ? g + l.W2 : NULL,
                   g ? g + l.b2 : NULL);
    dropout_backward(dh1, acts + a.mask1, B * H2, dh1);
    leaky_relu_backward(acts + a.pre1, dh1, B * H2, GAN_SLOPE, dh1);
    layer_backward(images, p + l.W1, dh1, B, cfg->D, H2, dimages, g ? g + l.W1 : NULL,
                   g ? g + l.b1 : NULL);
    free(dh2);
}

/* The buffers of one step. */
typedef struct step_work {
    float *fake, *dimages, *gacts, *dacts_real, *dacts_fake, *real_logits, *fake_logits;
    float *dreal, *dfake, *dgrads, *ggrads;
} step_work;

static float *work_alloc(step_work *w, const gan_config *c, size_t B)
{
    const size_t D = c->D, ng = gan_g_acts_of(c, B).n, nd = gan_d_acts_of(c, B).n;
    const size_t pd = gan_d_layout_of(c).n, pg = gan_g_layout_of(c).n;
    float *all = calloc(2 * B * D + ng + 2 * nd + 4 * B + pd + pg, sizeof *all);
    if (!all)
        return NULL;
    w->fake = all, w->dimages = w->fake + B * D, w->gacts = w->dimages + B * D;
    w->dacts_real = w->gacts + ng, w->dacts_fake = w->dacts_real + nd;
    w->real_logits = w->dacts_fake + nd, w->fake_logits = w->real_logits + B;
    w->dreal = w->fake_logits + B, w->dfake = w->dreal + B, w->dgrads = w->dfake + B;
    w->ggrads = w->dgrads + pd;
    return all;
}

void gan_step(const gan_config *cfg, float *Gp, float *Gm, float *Gv, float *Dp, float *Dm,
              float *Dv, size_t t, const float *real, const float *zd, const float *zg, size_t B,
              dk_rng *rng, float lr, float *losses)
{
    const size_t pd = gan_d_layout_of(cfg).n, pg = gan_g_layout_of(cfg).n;
    step_work w;
    float *all = work_alloc(&w, cfg, B);
    if (!all)
        dk_fatal("gan_step: out of memory");
    /* 1. the discriminator, on real images and on fakes taken as given */
    gan_generator_forward(cfg, Gp, zd, B, w.gacts, w.fake);
    gan_discriminator_forward(cfg, Dp, real, B, rng, w.dacts_real, w.real_logits);
    gan_discriminator_forward(cfg, Dp, w.fake, B, rng, w.dacts_fake, w.fake_logits);
    losses[0] = gan_discriminator_loss(w.real_logits, B, w.fake_logits, B, w.dreal, w.dfake);
    gan_discriminator_backward(cfg, Dp, real, B, w.dacts_real, w.dreal, NULL, w.dgrads);
    gan_discriminator_backward(cfg, Dp, w.fake, B, w.dacts_fake, w.dfake, NULL, w.dgrads);
    adam_step(Dp, w.dgrads, Dm, Dv, pd, t, lr, GAN_BETA1, GAN_BETA2, GAN_ADAM_EPS, 0.0f, false);
    /* 2. the generator, through the updated discriminator, frozen */
    gan_generator_forward(cfg, Gp, zg, B, w.gacts, w.fake);
    gan_discriminator_forward(cfg, Dp, w.fake, B, rng, w.dacts_fake, w.fake_logits);
    losses[1] = gan_generator_loss(w.fake_logits, B, w.dfake);
    gan_discriminator_backward(cfg, Dp, w.fake, B, w.dacts_fake, w.dfake, w.dimages, NULL);
    gan_generator_backward(cfg, Gp, zg, B, w.gacts, w.fake, w.dimages, w.ggrads);
    adam_step(Gp, w.ggrads, Gm, Gv, pg, t, lr, GAN_BETA1, GAN_BETA2, GAN_ADAM_EPS, 0.0f, false);
    free(all);
}
