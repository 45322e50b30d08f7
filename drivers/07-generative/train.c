/* Chapter 07's training driver (kit code: you need not edit it).
 *
 *   train LOGDIR            (make train CH=07 [TASK=vae|gan])
 *
 * vae: your VAE by PyTorch's example recipe on the 7,996 training digits
 * (vae_recipe.h), then the same with a 2-D latent space. Writes under
 * LOGDIR:
 *   vae.csv, vae-2d.csv   a row an epoch: epoch, train_nelbo, test_nelbo
 *                         (the negative ELBO per image, nats), seconds
 *   vae-reconstructions.txt  test digits, each row above its reconstruction
 *   vae-samples.txt       100 digits decoded from the prior N(0, I)
 *   vae-manifold.txt      the 2-D model's decoder on a 20 x 20 grid of
 *                         latent points (the normal's 2.5%..97.5% quantiles)
 * gan: your GAN (gan_recipe.h) on the same digits:
 *   gan.csv               a row an epoch: epoch, d_loss, g_loss, score (the
 *                         classifier score of 1,000 samples), seconds
 *   gan-epochs.txt        36 samples of the same noise after some epochs, a
 *                         block each ("# epoch N" above it)
 *   gan-samples.txt       100 samples after the last epoch
 * Then scores.csv: the classifier score and the share of each digit of
 * 5,000 samples of each model trained, and of the 2,004 test digits for
 * comparison. Without TASK, both. A short run (DLKIT_SHORT=1, see
 * common/shortrun.h): the grader's short recipes. */
#include "blas.h"
#include "classifier.h"
#include "csvlog.h"
#include "error.h"
#include "files.h"
#include "gan_recipe.h"
#include "parallel.h"
#include "pictures.h"
#include "shortrun.h"
#include "timer.h"
#include "vae_recipe.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SIDE = 28, CLASSES = 10, SCORED = 5000, SCORED_EACH_EPOCH = 1000, GRID = 100 };
static const uint64_t SAMPLE_SEED = 777; /* the same noise for every run */

static uint64_t run_seed(void)
{
    const char *seed = getenv("DLKIT_SEED");
    return seed && *seed ? strtoull(seed, NULL, 10) : 1;
}

static FILE *open_log(const char *logs, const char *name, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", logs, name);
    return dk_create_or_exit(path);
}

static void grid_file(const char *logs, const char *name, const float *images, size_t n,
                      size_t cols)
{
    char path[4096];
    FILE *f = open_log(logs, name, path, sizeof path);
    write_grid(f, images, n, SIDE, cols);
    dk_close_or_exit(f, path);
}

static void *alloc_or_exit(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p)
        dk_fatal("out of memory");
    return p;
}

/* The classifier score of n images by your classifier_score; shares (10). */
static float score_of(const lenet *clf, const float *images, size_t n, float *shares)
{
    float *probs = alloc_or_exit(n * CLASSES, sizeof *probs);
    if (!classifier_probs(clf, images, n, probs))
        dk_fatal("out of memory scoring samples");
    const float score = classifier_score(probs, n, CLASSES, shares);
    free(probs);
    return score;
}

/* scores.csv's rows, filled as the models are trained. */
typedef struct scores {
    const lenet *clf;
    dk_csvlog *log;
} scores;

static void score_row(scores *s, double model, const float *images, size_t n, const char *what)
{
    float shares[CLASSES];
    const float score = score_of(s->clf, images, n, shares);
    double row[2 + CLASSES] = {model, score};
    float least = 1;
    for (size_t c = 0; c < CLASSES; c++)
        row[2 + c] = shares[c], least = fminf(least, shares[c]);
    dk_csvlog_row(s->log, row);
    printf("%s: classifier score %.2f of %zu; the rarest digit %.1f%% of them\n", what, score, n,
           100.0 * least);
}

/* ---- The VAE ---------------------------------------------------------------------------- */

static void vae_epoch(size_t epoch, float train_nelbo, float test_nelbo, double seconds,
                      const float *params, void *ctx)
{
    (void)params;
    const double row[] = {(double)epoch, train_nelbo, test_nelbo, seconds};
    dk_csvlog_row(ctx, row);
    printf("  epoch %3zu  train %.2f  test %.2f nats an image  %5.0f s\n", epoch, train_nelbo,
           test_nelbo, seconds);
    fflush(stdout);
}

static float *vae_run(const char *logs, const char *name, const vae_recipe *r,
                      const dk_dataset *train, const dk_dataset *test, uint64_t seed)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.csv", logs, name);
    dk_csvlog *log = dk_csvlog_open_or_exit(path, "epoch,train_nelbo,test_nelbo,seconds");
    printf("%s: %zu-%zu-%zu, %zu epochs of batches of %zu, Adam %g\n", name, r->cfg.D, r->cfg.H,
           r->cfg.Z, r->epochs, r->batch, r->lr);
    const vae_hooks hooks = {vae_epoch, log};
    float *params = NULL;
    const float nelbo = vae_train(r, train, test, seed, &hooks, &params, dk_cores() > 1);
    dk_csvlog_close_or_exit(log);
    if (!params || isnan(nelbo))
        dk_fatal("out of memory training the VAE");
    float terms[2];
    vae_evaluate(&r->cfg, params, test->x, test->n, vae_forward, terms);
    printf("%s: test negative ELBO %.2f nats an image (reconstruction %.2f + KL %.2f)\n", name,
           nelbo, terms[0], terms[1]);
    return params;
}

/* Ten test digits, each row above its reconstruction (the mean of the
 * posterior decoded: no noise). */
static void vae_reconstructions(const char *logs, const vae_config *c, const float *params,
                                const dk_dataset *test)
{
    enum { N = 10 };
    const vae_acts a = vae_acts_of(c, N);
    float *acts = alloc_or_exit(a.n, sizeof *acts), *eps = alloc_or_exit(N * c->Z, sizeof *eps);
    float *both = alloc_or_exit(2 * N * c->D, sizeof *both), terms[2];
    memcpy(both, test->x, N * c->D * sizeof *both);
    vae_forward(c, params, test->x, N, eps, acts, terms); /* eps = 0: z = mu */
    vae_decode(c, params, acts + a.mu, N, both + N * c->D);
    grid_file(logs, "vae-reconstructions.txt", both, 2 * N, N);
    free(acts), free(eps), free(both);
}

/* n digits decoded from the prior. */
static float *vae_prior_samples(const vae_config *c, const float *params, size_t n)
{
    dk_rng rng;
    dk_rng_seed(&rng, SAMPLE_SEED);
    float *z = alloc_or_exit(n * c->Z, sizeof *z), *images = alloc_or_exit(n * c->D, sizeof *z);
    for (size_t i = 0; i < n * c->Z; i++)
        z[i] = dk_rng_normal(&rng);
    vae_decode(c, params, z, n, images);
    free(z);
    return images;
}

/* The 2-D decoder on a grid of latent points spaced by the normal's
 * quantiles, so that each cell holds as much prior mass. */
static void vae_manifold(const char *logs, const vae_config *c, const float *params)
{
    enum { K = 20 };
    float *z = alloc_or_exit(K * K * 2, sizeof *z), *images = alloc_or_exit(K * K * c->D, 4);
    for (size_t i = 0; i < K; i++)
        for (size_t j = 0; j < K; j++) {
            const double pi = 0.025 + 0.95 * (double)i / (K - 1), pj = 0.025 + 0.95 * (double)j / (K - 1);
            /* the normal's quantile: sqrt(2) erfinv(2p - 1), by Newton on erf */
            double q[2] = {0, 0}, p[2] = {pj, 1 - pi};
            for (int k = 0; k < 2; k++)
                for (int it = 0; it < 50; it++)
                    q[k] -= (0.5 * erfc(-q[k] / sqrt(2.0)) - p[k]) /
                            (exp(-q[k] * q[k] / 2) / sqrt(2 * M_PI));
            z[(i * K + j) * 2] = (float)q[0], z[(i * K + j) * 2 + 1] = (float)q[1];
        }
    vae_decode(c, params, z, K * K, images);
    grid_file(logs, "vae-manifold.txt", images, K * K, K);
    free(z), free(images);
}

static void vae_task(const char *logs, const dk_dataset *train, const dk_dataset *test,
                     uint64_t seed, bool short_run, scores *s)
{
    vae_recipe r = short_run ? VAE_RECIPE_SHORT : VAE_RECIPE;
    r.cfg.D = train->dim;
    float *params = vae_run(logs, "vae", &r, train, test, seed);
    vae_reconstructions(logs, &r.cfg, params, test);
    float *images = vae_prior_samples(&r.cfg, params, SCORED);
    grid_file(logs, "vae-samples.txt", images, GRID, 10);
    score_row(s, 1, images, SCORED, "VAE samples from the prior");
    free(images), free(params);
    vae_recipe r2 = VAE_RECIPE_2D;
    r2.cfg.D = train->dim;
    if (short_run)
        r2.epochs = VAE_RECIPE_SHORT.epochs, r2.subset = VAE_RECIPE_SHORT.subset;
    params = vae_run(logs, "vae-2d", &r2, train, test, seed);
    vae_manifold(logs, &r2.cfg, params);
    free(params);
}

/* ---- The GAN ---------------------------------------------------------------------------- */

typedef struct gan_watch {
    const gan_recipe *recipe;
    const lenet *clf;
    dk_csvlog *log;
    FILE *epochs;
    float *images;
} gan_watch;

/* The epochs whose samples go into the strip: early ones often, then
 * sparser, and the last. */
static bool in_strip(size_t epoch, size_t last)
{
    static const size_t shown[] = {1, 2, 3, 5, 10, 20, 40};
    for (size_t i = 0; i < sizeof shown / sizeof *shown; i++)
        if (epoch == shown[i] && epoch < last)
            return true;
    return epoch == last;
}

static void gan_epoch(size_t epoch, float d_loss, float g_loss, double seconds, const float *G,
                      void *ctx)
{
    gan_watch *w = ctx;
    const gan_config *c = &w->recipe->cfg;
    if (!gan_sample(c, G, SCORED_EACH_EPOCH, SAMPLE_SEED, gan_generator_forward, w->images))
        dk_fatal("out of memory sampling the GAN");
    float shares[CLASSES];
    const float score = score_of(w->clf, w->images, SCORED_EACH_EPOCH, shares);
    const double row[] = {(double)epoch, d_loss, g_loss, score, seconds};
    dk_csvlog_row(w->log, row);
    printf("  epoch %3zu  discriminator %.3f  generator %.3f  score %.2f  %5.0f s\n", epoch,
           d_loss, g_loss, score, seconds);
    fflush(stdout);
    if (in_strip(epoch, w->recipe->epochs)) {
        fprintf(w->epochs, "%s# epoch %zu\n", epoch > 1 ? "\n\n" : "", epoch);
        write_grid(w->epochs, w->images, 36, SIDE, 6);
    }
}

static void gan_task(const char *logs, const dk_dataset *train, uint64_t seed, bool short_run,
                     scores *s)
{
    gan_recipe r = short_run ? GAN_RECIPE_SHORT : GAN_RECIPE;
    r.cfg.D = train->dim;
    printf("gan: noise %zu, generator %zu-%zu-%zu-%zu, discriminator %zu-%zu-%zu-1, %zu epochs "
           "of batches of %zu, Adam %g (beta1 %.1f)\n", r.cfg.Z, r.cfg.Z, r.cfg.H1, r.cfg.H2,
           r.cfg.D, r.cfg.D, r.cfg.H2, r.cfg.H1, r.epochs, r.batch, r.lr, GAN_BETA1);
    char path[4096], strip[4096];
    snprintf(path, sizeof path, "%s/gan.csv", logs);
    gan_watch w = {&r, s->clf, dk_csvlog_open_or_exit(path, "epoch,d_loss,g_loss,score,seconds"),
                   open_log(logs, "gan-epochs.txt", strip, sizeof strip),
                   alloc_or_exit(SCORED * r.cfg.D, sizeof(float))};
    const gan_hooks hooks = {gan_epoch, &w};
    float *G = NULL;
    if (!gan_train(&r, train, seed, &hooks, &G) || !G)
        dk_fatal("out of memory training the GAN");
    dk_csvlog_close_or_exit(w.log);
    dk_close_or_exit(w.epochs, strip);
    if (!gan_sample(&r.cfg, G, SCORED, SAMPLE_SEED, gan_generator_forward, w.images))
        dk_fatal("out of memory sampling the GAN");
    grid_file(logs, "gan-samples.txt", w.images, GRID, 10);
    score_row(s, 2, w.images, SCORED, "GAN samples");
    free(w.images), free(G);
}

int main(int argc, char **argv)
{
    dk_blas_init(argv, 1); /* products of 64 to 128 rows: one thread */
    if (argc != 2)
        dk_fatal("usage: %s LOGDIR", argv[0]);
    const char *task = getenv("DLKIT_TASK");
    const bool all = !task || !*task;
    if (!all && strcmp(task, "vae") != 0 && strcmp(task, "gan") != 0)
        dk_fatal("TASK=%s: chapter 07's tasks are vae and gan", task);
    const char *logs = argv[1];
    const bool short_run = dk_short_run("the grader's short VAE and GAN recipes");
    dk_dataset train, test;
    lenet clf;
    dk_err err;
    if (!dk_dataset_load("mnist10k", "train", &train, &err) ||
        !dk_dataset_load("mnist10k", "test", &test, &err) || !classifier_load_kit(&clf, &err))
        dk_fatal("%s", err.msg);
    char path[4096];
    snprintf(path, sizeof path, "%s/scores.csv", logs);
    scores s = {&clf, dk_csvlog_open_or_exit(path, "model,score,share_0,share_1,share_2,share_3,"
                                                   "share_4,share_5,share_6,share_7,share_8,share_9")};
    score_row(&s, 0, test.x, test.n, "the test digits (a yardstick)");
    const uint64_t seed = run_seed();
    const double start = dk_seconds();
    if (all || strcmp(task, "vae") == 0) {
        vae_task(logs, &train, &test, seed, short_run, &s);
        printf("the VAEs: %.0f s\n", dk_seconds() - start);
    }
    const double gan_start = dk_seconds();
    if (all || strcmp(task, "gan") == 0) {
        gan_task(logs, &train, seed, short_run, &s);
        printf("the GAN: %.0f s\n", dk_seconds() - gan_start);
    }
    dk_csvlog_close_or_exit(s.log);
    printf("chapter 07: %.0f s. Logs in %s/. Next: `make plot CH=07`.\n", dk_seconds() - start,
           logs);
    lenet_free(&clf);
    dk_dataset_free(&train), dk_dataset_free(&test);
    return 0;
}
