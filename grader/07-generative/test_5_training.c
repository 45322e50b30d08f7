/* Chapter 07 tests: your VAE and GAN trained by the kit's short recipes
 * (12 points), each judged by the kit: the VAE's negative ELBO and the
 * GAN's classifier score are computed by the reference from the
 * parameters your code trained. Each must clear a bound that the reference
 * clears on seeds 1 to 5. */
#include "cases.h"
#include "classifier.h"
#include "gan_recipe.h"
#include "ref_api.h"
#include "vae_recipe.h"

#include <stdlib.h>

/* The reference's test negative ELBO after the short recipe, seeds 1-5:
 * 206.88, 201.67, 204.52, 208.53, 205.45 nats (an untrained VAE: about
 * 550). */
#define VAE_BOUND 215.0f
/* The reference's classifier score of 2,000 samples after the short
 * recipe, seeds 1-5: 3.64, 3.32, 3.60, 3.63, 3.17 (a generator that has
 * not learnt: about 1.1). */
#define GAN_BOUND 2.8f
enum { GAN_SAMPLES = 2000, CLASSES = 10 };

static void load(const char *split, dk_dataset *out)
{
    dk_err err;
    if (!dk_dataset_load("mnist10k", split, out, &err))
        dk_test_fail(DK_KIT_ERROR, "%s", err.msg);
}

GRADED_TEST(vae_short_run, 6, 60,
            "If the other VAE tests pass and this one does not, run make train CH=07 TASK=vae "
            "DLKIT_SHORT=1: the negative ELBO falls from about 550 nats to about 205 in three "
            "epochs.")
{
    dk_dataset train, test;
    load("train", &train), load("test", &test);
    vae_recipe r = VAE_RECIPE_SHORT;
    r.cfg.D = train.dim;
    const uint64_t seed = dk_test_seed();
    float *params = NULL;
    vae_train(&r, &train, &test, seed, NULL, &params, false); /* one call at a time */
    if (!params)
        dk_test_fail(DK_KIT_ERROR, "out of memory");
    const float nelbo = vae_evaluate(&r.cfg, params, test.x, test.n, ref_vae_forward, NULL);
    DK_CHECK(nelbo <= VAE_BOUND,
             "a VAE of %zu-%zu-%zu after %zu epochs of %zu digits (seed %llu): a negative ELBO "
             "of %.2f nats a test image, at most %.1f expected", r.cfg.D, r.cfg.H, r.cfg.Z,
             r.epochs, r.subset, (unsigned long long)seed, nelbo, VAE_BOUND);
    free(params);
    dk_dataset_free(&train), dk_dataset_free(&test);
}

GRADED_TEST(gan_short_run, 6, 60,
            "If the other GAN tests pass and this one does not, run make train CH=07 TASK=gan "
            "DLKIT_SHORT=1 and look at the score after each epoch, then at the samples (make "
            "plot CH=07).")
{
    dk_dataset train;
    load("train", &train);
    dk_err err;
    lenet clf;
    if (!classifier_load_kit(&clf, &err))
        dk_test_fail(DK_KIT_ERROR, "%s", err.msg);
    gan_recipe r = GAN_RECIPE_SHORT;
    r.cfg.D = train.dim;
    const uint64_t seed = dk_test_seed();
    float *G = NULL;
    if (!gan_train(&r, &train, seed, NULL, &G) || !G)
        dk_test_fail(DK_KIT_ERROR, "out of memory");
    float *images = alloc_or_die(GAN_SAMPLES * r.cfg.D, sizeof *images);
    float *probs = alloc_or_die(GAN_SAMPLES * CLASSES, sizeof *probs), shares[CLASSES];
    if (!gan_sample(&r.cfg, G, GAN_SAMPLES, 99, ref_gan_generator_forward, images) ||
        !classifier_probs(&clf, images, GAN_SAMPLES, probs))
        dk_test_fail(DK_KIT_ERROR, "out of memory");
    const float score = ref_classifier_score(probs, GAN_SAMPLES, CLASSES, shares);
    DK_CHECK(score >= GAN_BOUND,
             "a GAN of noise %zu, widths %zu and %zu, after %zu epochs of %zu digits (seed "
             "%llu): %d samples score %.2f, at least %.2f expected", r.cfg.Z, r.cfg.H1,
             r.cfg.H2, r.epochs, r.subset, (unsigned long long)seed, GAN_SAMPLES, score,
             GAN_BOUND);
    free(G), free(images), free(probs);
    lenet_free(&clf);
    dk_dataset_free(&train);
}
