/* Chapter 07's GAN recipe (see gan_recipe.h). */
#include "gan_recipe.h"

#include "timer.h"
#include "vae_recipe.h"
#include "workspace.h"

#include <stdlib.h>
#include <string.h>

const gan_recipe GAN_RECIPE = {.cfg = {64, 256, 512, 0}, .epochs = 150, .batch = 64,
                               .lr = 2e-4f};
const gan_recipe GAN_RECIPE_SHORT = {.cfg = {64, 256, 512, 0}, .epochs = 8, .batch = 64,
                                     .lr = 5e-4f, .subset = 4000};

enum { SAMPLE_BATCH = 500 };
/* Step t moves the average max(1e-3, 9 / (t + 10)) of the way towards the
 * generator: over the last thousand steps or so once training is long,
 * over the last tenth of the steps before that. */
static float average_rate(size_t step)
{
    const float rate = 9.0f / ((float)step + 10.0f);
    return rate > 1e-3f ? rate : 1e-3f;
}

void gan_init(const gan_config *c, float *G, float *D, dk_rng *rng)
{
    const gan_g_layout g = gan_g_layout_of(c);
    const gan_d_layout d = gan_d_layout_of(c);
    dense_init(G + g.W1, G + g.b1, c->Z, c->H1, rng);
    dense_init(G + g.W2, G + g.b2, c->H1, c->H2, rng);
    dense_init(G + g.W3, G + g.b3, c->H2, c->D, rng);
    for (size_t i = 0; i < c->H1; i++) /* batch norm: gamma 1, beta 0 */
        G[g.gamma1 + i] = 1, G[g.beta1 + i] = 0;
    for (size_t i = 0; i < c->H2; i++)
        G[g.gamma2 + i] = 1, G[g.beta2 + i] = 0;
    dense_init(D + d.W1, D + d.b1, c->D, c->H2, rng);
    dense_init(D + d.W2, D + d.b2, c->H2, c->H1, rng);
    dense_init(D + d.W3, D + d.b3, c->H1, 1, rng);
}

bool gan_sample(const gan_config *cfg, const float *G, size_t n, uint64_t seed,
                gan_generator_fn *generator, float *images)
{
    const size_t Z = cfg->Z, D = cfg->D;
    float *z = malloc(SAMPLE_BATCH * Z * sizeof *z);
    float *acts = malloc(gan_g_acts_of(cfg, SAMPLE_BATCH).n * sizeof *acts);
    if (!z || !acts) {
        free(z), free(acts);
        return false;
    }
    dk_rng rng;
    dk_rng_seed(&rng, seed);
    for (size_t at = 0; at < n; at += SAMPLE_BATCH) {
        const size_t B = n - at < SAMPLE_BATCH ? n - at : SAMPLE_BATCH;
        for (size_t i = 0; i < B * Z; i++)
            z[i] = dk_rng_normal(&rng);
        generator(cfg, G, z, B, acts, images + at * D);
    }
    for (size_t i = 0; i < n * D; i++)
        images[i] = 0.5f * (images[i] + 1.0f);
    free(z), free(acts);
    return true;
}

/* The buffers handed to gan_step (in the memory the grader shares with
 * your code's process). */
typedef struct run {
    size_t ng, nd;
    float *G, *Gm, *Gv, *D, *Dm, *Dv, *real, *zd, *zg, *losses;
    float *G_avg; /* kit-side: the generator's moving average, which samples */
} run;

static bool run_open(run *r, const gan_config *c, size_t B)
{
    *r = (run){.ng = gan_g_layout_of(c).n, .nd = gan_d_layout_of(c).n};
    r->G = dk_workspace_alloc(r->ng, sizeof(float));
    r->Gm = dk_workspace_alloc(r->ng, sizeof(float));
    r->Gv = dk_workspace_alloc(r->ng, sizeof(float));
    r->D = dk_workspace_alloc(r->nd, sizeof(float));
    r->Dm = dk_workspace_alloc(r->nd, sizeof(float));
    r->Dv = dk_workspace_alloc(r->nd, sizeof(float));
    r->real = dk_workspace_alloc(B * c->D, sizeof(float));
    r->zd = dk_workspace_alloc(B * c->Z, sizeof(float));
    r->zg = dk_workspace_alloc(B * c->Z, sizeof(float));
    r->losses = dk_workspace_alloc(2, sizeof(float));
    r->G_avg = malloc(r->ng * sizeof(float));
    return r->G_avg && r->G && r->Gm && r->Gv && r->D && r->Dm && r->Dv && r->real && r->zd && r->zg &&
           r->losses;
}

static void run_close(run *r)
{
    dk_workspace_free(r->G), dk_workspace_free(r->Gm), dk_workspace_free(r->Gv);
    dk_workspace_free(r->D), dk_workspace_free(r->Dm), dk_workspace_free(r->Dv);
    dk_workspace_free(r->real), dk_workspace_free(r->zd), dk_workspace_free(r->zg);
    dk_workspace_free(r->losses);
    free(r->G_avg);
}

/* One epoch in a fresh order, whole batches only; the mean losses. */
static void train_epoch(run *r, const gan_recipe *rc, const float *X, size_t n, size_t *step,
                        size_t *order, dk_rng *rng, float *losses)
{
    const gan_config *c = &rc->cfg;
    const size_t B = rc->batch;
    dk_rng_permutation(rng, order, n);
    double sum[2] = {0, 0};
    size_t steps = 0;
    for (size_t at = 0; at + B <= n; at += B, steps++) {
        for (size_t b = 0; b < B; b++)
            for (size_t j = 0; j < c->D; j++) /* pixels from [0, 1] to tanh's [-1, 1] */
                r->real[b * c->D + j] = 2.0f * X[order[at + b] * c->D + j] - 1.0f;
        for (size_t i = 0; i < B * c->Z; i++)
            r->zd[i] = dk_rng_normal(rng), r->zg[i] = dk_rng_normal(rng);
        gan_step(c, r->G, r->Gm, r->Gv, r->D, r->Dm, r->Dv, ++*step, r->real, r->zd, r->zg, B,
                 rng, rc->lr, r->losses);
        sum[0] += r->losses[0], sum[1] += r->losses[1];
        const float rate = average_rate(*step);
        for (size_t i = 0; i < r->ng; i++)
            r->G_avg[i] += rate * (r->G[i] - r->G_avg[i]);
    }
    losses[0] = (float)(sum[0] / (double)steps), losses[1] = (float)(sum[1] / (double)steps);
}

bool gan_train(const gan_recipe *rc, const dk_dataset *train, uint64_t seed,
               const gan_hooks *hooks, float **G_out)
{
    const size_t n = rc->subset && rc->subset < train->n ? rc->subset : train->n;
    run r;
    size_t *order = malloc(n * sizeof *order);
    if (!run_open(&r, &rc->cfg, rc->batch) || !order || n < rc->batch) {
        run_close(&r), free(order);
        return false;
    }
    dk_rng rng;
    dk_rng_seed(&rng, seed);
    gan_init(&rc->cfg, r.G, r.D, &rng);
    memcpy(r.G_avg, r.G, r.ng * sizeof *r.G);
    const double start = dk_seconds();
    size_t step = 0;
    for (size_t epoch = 1; epoch <= rc->epochs; epoch++) {
        float losses[2];
        train_epoch(&r, rc, train->x, n, &step, order, &rng, losses);
        if (hooks && hooks->on_epoch)
            hooks->on_epoch(epoch, losses[0], losses[1], dk_seconds() - start, r.G_avg,
                            hooks->ctx);
    }
    if (G_out && (*G_out = malloc(r.ng * sizeof **G_out)))
        memcpy(*G_out, r.G_avg, r.ng * sizeof **G_out);
    run_close(&r), free(order);
    return true;
}
