/* Chapter 07: the generator, the discriminator and one alternating step. See
 * generative.h for what each function must compute and README.md for the
 * ideas. Replace each NOT_IMPLEMENTED() (and the (void) lines) with your
 * code; `make grade CH=07` tells you how you are doing. */
#include "generative.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void gan_generator_forward(const gan_config *cfg, const float *params, const float *z,
                           size_t B, float *acts, float *images)
{
    (void)cfg, (void)params, (void)z, (void)B, (void)acts, (void)images;
    NOT_IMPLEMENTED();
}

void gan_generator_backward(const gan_config *cfg, const float *params, const float *z,
                            size_t B, const float *acts, const float *images,
                            const float *dimages, float *grads)
{
    (void)cfg, (void)params, (void)z, (void)B, (void)acts, (void)images, (void)dimages,
    (void)grads;
    NOT_IMPLEMENTED();
}

void gan_discriminator_forward(const gan_config *cfg, const float *params, const float *images,
                               size_t B, dk_rng *rng, float *acts, float *logits)
{
    (void)cfg, (void)params, (void)images, (void)B, (void)rng, (void)acts, (void)logits;
    NOT_IMPLEMENTED();
}

void gan_discriminator_backward(const gan_config *cfg, const float *params,
                                const float *images, size_t B, const float *acts,
                                const float *dlogits, float *dimages, float *grads)
{
    (void)cfg, (void)params, (void)images, (void)B, (void)acts, (void)dlogits, (void)dimages,
    (void)grads;
    NOT_IMPLEMENTED();
}

void gan_step(const gan_config *cfg, float *Gp, float *Gm, float *Gv, float *Dp, float *Dm,
              float *Dv, size_t t, const float *real, const float *zd, const float *zg, size_t B,
              dk_rng *rng, float lr, float *losses)
{
    (void)cfg, (void)Gp, (void)Gm, (void)Gv, (void)Dp, (void)Dm, (void)Dv, (void)t, (void)real,
    (void)zd, (void)zg, (void)B, (void)rng, (void)lr, (void)losses;
    NOT_IMPLEMENTED();
}
