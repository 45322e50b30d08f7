/* Chapter 07's tests: the shapes they run on and the helpers they share. */
#ifndef DLKIT_GENERATIVE_CASES_H
#define DLKIT_GENERATIVE_CASES_H

#include "generative.h"
#include "grade.h"

/* VAEs: D pixels, H hidden units, Z latent dimensions, B images; the first
 * NVAE_SMALL small enough for finite differences. */
typedef struct vae_case {
    vae_config cfg;
    size_t B;
} vae_case;

extern const vae_case VAE_CASES[];
extern const size_t NVAE_CASES;
enum { NVAE_SMALL = 2 };

/* GANs: the configuration and a batch size; the first NGAN_SMALL small. */
typedef struct gan_case {
    gan_config cfg;
    size_t B;
} gan_case;

extern const gan_case GAN_CASES[];
extern const size_t NGAN_CASES;
enum { NGAN_SMALL = 2 };

/* "D 12, H 7, Z 3, B 4" and "Z 3, H1 5, H2 6, D 10, B 4" (a static buffer). */
const char *describe_vae(const vae_case *c);
const char *describe_gan(const gan_case *c);

/* Pixels in [0, 1]: most near 0 or 1 as in digits, some in between. */
float *pixels(dk_rng *rng, size_t n);

/* A network's parameter, for messages and finite differences: its name,
 * its offset in the parameter vector, its shape. */
typedef struct part {
    const char *name;
    size_t at;
    dk_shape shape;
} part;

/* grads (guarded, prefilled, total floats) must hold its prefill + want,
 * part by part (n parts); what names the call. */
void expect_parts(const part *parts, size_t n, const float *want, const float *grads,
                  size_t total, const char *what);

/* The parts as finite differences take them: values and grads are the
 * parameter and gradient vectors the parts' offsets index. */
void grad_params(const part *parts, size_t n, float *values, const float *grads,
                 dk_grad_param *out);

void *alloc_or_die(size_t n, size_t size);

/* sum(R * Y): a loss whose gradient with respect to Y is R. */
double weighted_sum(const float *R, const float *Y, size_t n);

#endif
