/* Chapter 07, generative models: the contract between your code and the
 * kit.
 *
 * Part 1, a variational autoencoder: the stable binary cross-entropy, the
 * KL divergence to N(0, I), the reparameterised sample, the VAE itself.
 * Part 2, a generative adversarial network: leaky ReLU, the two players'
 * losses, the generator and the discriminator, one alternating step.
 * Part 3, the classifier score that measures samples. You write the
 * functions declared here in the files listed in MANIFEST (each section
 * names its file); the grader calls them exactly as documented.
 *
 * Conventions are chapter 02's: float arrays, row-major, shapes in the
 * comments; outputs overwritten, parameter gradients accumulated (+=).
 * Images are rows of D = 784 pixels. Your code may call chapters 02 and
 * 03's functions (linear layers, ReLU, tanh, Adam).
 *
 * Keep no state between calls (no static buffers): a call reads and writes
 * only its arguments. `make train` runs the two halves of each VAE batch
 * side by side on two threads, through the same functions at the same
 * time. */
#ifndef DLKIT_GENERATIVE_H
#define DLKIT_GENERATIVE_H

#include "backprop.h"
#include "rng.h"
#include "training.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- Losses and the sampling step (losses.c) -------------------------------- */

/* The binary cross-entropy of n Bernoulli logits l against targets x in
 * [0, 1], summed:  sum_i  -x log sigmoid(l) - (1 - x) log(1 - sigmoid(l)),
 * computed in the stable form max(l, 0) - l x + log(1 + exp(-|l|)), finite
 * at l = +-100 and beyond. dlogits (n, unless NULL) = sigmoid(l) - x. */
float bce_with_logits(const float *logits, const float *x, size_t n, float *dlogits);

/* The KL divergence of N(mu, exp(logvar)) to N(0, 1), summed over n
 * independent dimensions:  -1/2 sum (1 + logvar - mu^2 - exp(logvar)).
 * dmu and dlogvar (n, unless NULL) get its gradient, overwritten. */
float kl_standard_normal(const float *mu, const float *logvar, size_t n, float *dmu,
                         float *dlogvar);

/* z = mu + exp(logvar / 2) * eps (n): a sample of N(mu, exp(logvar)) that
 * gradients can flow through, the noise eps drawn outside. */
void reparameterize(const float *mu, const float *logvar, const float *eps, size_t n,
                    float *z);

/* From dz (n): dmu and dlogvar (n) += the gradient through z. */
void reparameterize_backward(const float *logvar, const float *eps, const float *dz, size_t n,
                             float *dmu, float *dlogvar);

/* ---- The variational autoencoder (vae.c) ----------------------------------- */

/* D pixels, H hidden units, Z latent dimensions (PyTorch's example VAE:
 * 784-400-20). */
typedef struct vae_config {
    size_t D, H, Z;
} vae_config;

/* The parameters, one vector: the encoder's W1 (H, D), b1 (H), Wmu (Z,
 * H), bmu (Z), Wlv (Z, H), blv (Z); the decoder's W3 (H, Z), b3 (H), W4
 * (D, H), b4 (D). */
typedef struct vae_layout {
    size_t W1, b1, Wmu, bmu, Wlv, blv, W3, b3, W4, b4, n;
} vae_layout;

static inline vae_layout vae_layout_of(const vae_config *c)
{
    const size_t D = c->D, H = c->H, Z = c->Z;
    vae_layout l;
    l.W1 = 0, l.b1 = H * D, l.Wmu = l.b1 + H, l.bmu = l.Wmu + Z * H, l.Wlv = l.bmu + Z;
    l.blv = l.Wlv + Z * H, l.W3 = l.blv + Z, l.b3 = l.W3 + H * Z, l.W4 = l.b3 + H;
    l.b4 = l.W4 + D * H, l.n = l.b4 + D;
    return l;
}

/* What vae_forward keeps for B images, at these offsets of acts: h1 (B,
 * H, after ReLU), mu (B, Z), logvar (B, Z), z (B, Z), h3 (B, H, after
 * ReLU), logits (B, D). */
typedef struct vae_acts {
    size_t h1, mu, logvar, z, h3, logits, n;
} vae_acts;

static inline vae_acts vae_acts_of(const vae_config *c, size_t B)
{
    vae_acts a;
    a.h1 = 0, a.mu = B * c->H, a.logvar = a.mu + B * c->Z, a.z = a.logvar + B * c->Z;
    a.h3 = a.z + B * c->Z, a.logits = a.h3 + B * c->H, a.n = a.logits + B * c->D;
    return a;
}

/* The VAE on X (B, D), pixels in [0, 1], with the noise eps (B, Z):
 *   h1 = relu(X W1^T + b1)   mu = h1 Wmu^T + bmu   logvar = h1 Wlv^T + blv
 *   z = reparameterize(mu, logvar, eps)
 *   h3 = relu(z W3^T + b3)   logits = h3 W4^T + b4
 * terms[0] = bce_with_logits(logits, X) and terms[1] =
 * kl_standard_normal(mu, logvar), each summed over the batch: their sum is
 * the negative ELBO of the batch, in nats. */
void vae_forward(const vae_config *cfg, const float *params, const float *X, size_t B,
                 const float *eps, float *acts, float *terms);

/* grads (vae_layout_of(cfg).n) += the gradient of terms[0] + terms[1]. */
void vae_backward(const vae_config *cfg, const float *params, const float *X, size_t B,
                  const float *eps, const float *acts, float *grads);

/* The decoder alone: images (B, D) = sigmoid(logits) of latent codes z
 * (B, Z). */
void vae_decode(const vae_config *cfg, const float *params, const float *z, size_t B,
                float *images);

/* ---- The two players' parts (losses.c) -------------------------------------- */

/* The slope of leaky ReLU for x < 0 in both networks of the GAN. */
#define GAN_SLOPE 0.2f

/* y = x for x >= 0, slope * x below (n). */
void leaky_relu_forward(const float *x, size_t n, float slope, float *y);

/* dx = dy * the slope at x (1 or slope; 1 at 0), overwritten. */
void leaky_relu_backward(const float *x, const float *dy, size_t n, float slope, float *dx);

/* The discriminator's loss: the binary cross-entropy of its logits on
 * n_real real images (label 1) and on n_fake fakes (label 0), each
 * averaged over its own batch, then added:
 *   mean_i softplus(-real_i) + mean_j softplus(fake_j)
 * dreal (n_real) and dfake (n_fake) get its gradient, overwritten. */
float gan_discriminator_loss(const float *real, size_t n_real, const float *fake,
                             size_t n_fake, float *dreal, float *dfake);

/* The generator's non-saturating loss (Goodfellow et al. 2014): the
 * discriminator's logits on n fakes scored as if real,
 *   mean_j softplus(-fake_j) = -mean_j log D(G(z_j)),
 * whose gradient stays strong while the discriminator wins (the saturating
 * mean log(1 - D(G(z))) vanishes there). dfake (n) overwritten. */
float gan_generator_loss(const float *fake, size_t n, float *dfake);

/* ---- The generative adversarial network (gan.c) ----------------------------- */

/* Z noise dimensions, hidden widths H1 and H2, D pixels.
 * The generator maps noise to an image, Z -> H1 -> H2 -> D: each hidden
 * layer linear, then batch norm over the batch (chapter 03's
 * batchnorm_forward_train with GAN_BN_EPS: always the batch's own
 * statistics, no running ones), then leaky ReLU; tanh after the last
 * layer, so images lie in [-1, 1]. Batch norm keeps the generator's
 * layers at a steady scale while the discriminator keeps moving.
 * The discriminator maps an image to one logit, D -> H2 -> H1 -> 1: each
 * hidden layer linear, then leaky ReLU, then dropout while it trains
 * (GAN_DROPOUT: on 8,000 digits it would otherwise learn them by heart,
 * and the generator would chase a few of them); no batch norm (it would
 * let a batch's fakes be judged by each other). */
typedef struct gan_config {
    size_t Z, H1, H2, D;
} gan_config;

#define GAN_BN_EPS 1e-5f
#define GAN_DROPOUT 0.3f

/* The generator's parameters: W1 (H1, Z), b1, gamma1, beta1 (H1 each), W2
 * (H2, H1), b2, gamma2, beta2 (H2 each), W3 (D, H2), b3 (D). (A bias
 * before batch norm changes nothing: the mean takes it away, and its
 * gradient is 0. It stays, so that the layers are chapter 02's.) */
typedef struct gan_g_layout {
    size_t W1, b1, gamma1, beta1, W2, b2, gamma2, beta2, W3, b3, n;
} gan_g_layout;

static inline gan_g_layout gan_g_layout_of(const gan_config *c)
{
    const size_t Z = c->Z, H1 = c->H1, H2 = c->H2;
    gan_g_layout l;
    l.W1 = 0, l.b1 = H1 * Z, l.gamma1 = l.b1 + H1, l.beta1 = l.gamma1 + H1;
    l.W2 = l.beta1 + H1, l.b2 = l.W2 + H2 * H1, l.gamma2 = l.b2 + H2, l.beta2 = l.gamma2 + H2;
    l.W3 = l.beta2 + H2, l.b3 = l.W3 + c->D * H2, l.n = l.b3 + c->D;
    return l;
}

/* The discriminator's: W1 (H2, D), b1 (H2), W2 (H1, H2), b2 (H1), W3 (1,
 * H1), b3 (1). */
typedef struct gan_d_layout {
    size_t W1, b1, W2, b2, W3, b3, n;
} gan_d_layout;

static inline gan_d_layout gan_d_layout_of(const gan_config *c)
{
    const size_t H1 = c->H1, H2 = c->H2;
    gan_d_layout l;
    l.W1 = 0, l.b1 = H2 * c->D, l.W2 = l.b1 + H2, l.b2 = l.W2 + H1 * H2, l.W3 = l.b2 + H1;
    l.b3 = l.W3 + H1, l.n = l.b3 + 1;
    return l;
}

/* What the generator keeps for B rows, per hidden layer (width H1, then
 * H2): the linear layer's output (B, width), the batch's mean and invstd
 * (width each), the normalised output (B, width), after leaky ReLU (B,
 * width). */
typedef struct gan_g_acts {
    size_t lin1, mean1, invstd1, norm1, h1, lin2, mean2, invstd2, norm2, h2, n;
} gan_g_acts;

static inline gan_g_acts gan_g_acts_of(const gan_config *c, size_t B)
{
    const size_t H1 = c->H1, H2 = c->H2;
    gan_g_acts a;
    a.lin1 = 0, a.mean1 = B * H1, a.invstd1 = a.mean1 + H1, a.norm1 = a.invstd1 + H1;
    a.h1 = a.norm1 + B * H1, a.lin2 = a.h1 + B * H1, a.mean2 = a.lin2 + B * H2;
    a.invstd2 = a.mean2 + H2, a.norm2 = a.invstd2 + H2, a.h2 = a.norm2 + B * H2;
    a.n = a.h2 + B * H2;
    return a;
}

/* What the discriminator keeps for B rows: each hidden layer's linear
 * output, its leaky ReLU after dropout, and the dropout's mask: pre1, h1,
 * mask1 (B, H2 each), then pre2, h2, mask2 (B, H1 each). */
typedef struct gan_d_acts {
    size_t pre1, h1, mask1, pre2, h2, mask2, n;
} gan_d_acts;

static inline gan_d_acts gan_d_acts_of(const gan_config *c, size_t B)
{
    gan_d_acts a;
    a.pre1 = 0, a.h1 = B * c->H2, a.mask1 = 2 * B * c->H2, a.pre2 = 3 * B * c->H2;
    a.h2 = a.pre2 + B * c->H1, a.mask2 = a.h2 + B * c->H1, a.n = a.mask2 + B * c->H1;
    return a;
}

/* images (B, D) = G(z) for noise z (B, Z), B >= 2 (batch norm's
 * statistics); acts (gan_g_acts_of(cfg, B).n) as above. */
void gan_generator_forward(const gan_config *cfg, const float *params, const float *z,
                           size_t B, float *acts, float *images);

/* From dimages (B, D), the gradient at the generator's output images:
 * grads (gan_g_layout_of(cfg).n) +=, batch norm's gamma and beta
 * included. */
void gan_generator_backward(const gan_config *cfg, const float *params, const float *z,
                            size_t B, const float *acts, const float *images,
                            const float *dimages, float *grads);

/* logits (B) = D(images) for images (B, D); acts (gan_d_acts_of(cfg,
 * B).n). With rng, training: after each hidden layer's leaky ReLU, chapter
 * 03's dropout_forward with GAN_DROPOUT and rng, the first layer's mask
 * drawn first. rng NULL: no dropout, every mask 1. */
void gan_discriminator_forward(const gan_config *cfg, const float *params, const float *images,
                               size_t B, dk_rng *rng, float *acts, float *logits);

/* From dlogits (B), through the masks in acts: dimages (B, D) overwritten
 * (skipped when NULL); grads
 * (gan_d_layout_of(cfg).n) += (skipped when NULL). The generator's step
 * calls it with grads NULL: the gradient passes through the
 * discriminator's input to the generator, and the discriminator, frozen,
 * learns nothing from it (its weights' gradients are not even computed). */
void gan_discriminator_backward(const gan_config *cfg, const float *params,
                                const float *images, size_t B, const float *acts,
                                const float *dlogits, float *dimages, float *grads);

/* Adam's betas for both players (DCGAN's: a short memory of the gradient,
 * since the other player keeps moving), and its eps. */
#define GAN_BETA1 0.5f
#define GAN_BETA2 0.999f
#define GAN_ADAM_EPS 1e-8f

/* One alternating step (Goodfellow et al.'s algorithm 1, non-saturating),
 * on B real images in [-1, 1] (B, D) and two draws of noise zd, zg (B,
 * Z); the discriminator trains (its dropout drawn from rng) in both
 * halves, its three forward passes in the order below:
 *  1. the discriminator: fakes = G(zd), treated as constants (nothing
 *     flows back into G); gan_discriminator_loss on its logits for real,
 *     then for the fakes; its gradient; one adam_step (GAN_BETA1, GAN_BETA2,
 *     GAN_ADAM_EPS, no weight decay, step t) on Dp with Dm, Dv.
 *  2. the generator: fakes = G(zg); the discriminator, with the parameters
 *     just updated and frozen, scores them; gan_generator_loss; its
 *     gradient back through the discriminator's input into G; one
 *     adam_step on Gp with Gm, Gv. Dp, Dm and Dv do not change in this
 *     half.
 * losses[0] = the discriminator's loss (before its update), losses[1] =
 * the generator's. Gp, Gm, Gv (gan_g_layout_of(cfg).n) and Dp, Dm, Dv
 * (gan_d_layout_of(cfg).n) are updated in place; t counts from 1. */
void gan_step(const gan_config *cfg, float *Gp, float *Gm, float *Gv, float *Dp, float *Dm,
              float *Dv, size_t t, const float *real, const float *zd, const float *zg, size_t B,
              dk_rng *rng, float lr, float *losses);

/* ---- The classifier score (score.c) ------------------------------------------ */

/* From a classifier's class probabilities for n samples (n, C; rows sum to
 * 1): shares (C) = the mean of the rows, p(y), the share of each class
 * among the samples; returns the score
 *   exp( mean_i KL(p(y | x_i) || p(y)) ),  KL(p || q) = sum_c p_c log(p_c / q_c)
 * with 0 log 0 = 0: from 1 (every sample alike, or each one a blur of all
 * classes) up to C (each sample confidently one class, the classes
 * equally common). Salimans et al.'s Inception Score, with the kit's digit
 * classifier standing in for Inception. */
float classifier_score(const float *probs, size_t n, size_t C, float *shares);

#endif
