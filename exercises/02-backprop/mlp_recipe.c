/* Chapter 02's training recipe (kit code; see mlp_recipe.h). */
#include "mlp_recipe.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const recipe RECIPE_MNIST = {.depth = 1, .hidden = 512, .epochs = 16, .batch = 64, .lr_max = 0.1f,
                             .momentum = 0.9f, .shift = 2};
const recipe RECIPE_FASHION = {.depth = 1, .hidden = 512, .epochs = 30, .batch = 64, .lr_max = 0.05f,
                               .momentum = 0.9f, .shift = 0};

float one_cycle_lr(size_t step, void *ctx)
{
    const one_cycle *c = ctx;
    const double start = c->lr_max / 25.0, end = start / 1e4;
    const double warm = 0.3 * (double)c->total_steps;
    double t = (double)step;
    if (t < warm) /* cosine up from start to lr_max */
        return (float)(c->lr_max + (start - c->lr_max) * 0.5 * (1 + cos(M_PI * t / warm)));
    double frac = (t - warm) / fmax(1.0, (double)c->total_steps - warm);
    return (float)(end + (c->lr_max - end) * 0.5 * (1 + cos(M_PI * fmin(frac, 1.0))));
}

void shift_images(float *x, size_t B, dk_rng *rng, void *ctx)
{
    const shift_aug *a = ctx;
    const int h = (int)a->h, w = (int)a->w, span = 2 * a->shift + 1;
    float *copy = malloc((size_t)(h * w) * sizeof *copy);
    if (!copy)
        return; /* no augmentation rather than no training */
    for (size_t i = 0; i < B; i++) {
        int dy = (int)dk_rng_below(rng, (size_t)span) - a->shift;
        int dx = (int)dk_rng_below(rng, (size_t)span) - a->shift;
        float *img = x + i * (size_t)(h * w);
        memcpy(copy, img, (size_t)(h * w) * sizeof *copy);
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++) {
                int sr = r - dy, sc = c - dx;
                img[r * w + c] = sr >= 0 && sr < h && sc >= 0 && sc < w ? copy[sr * w + sc] : 0;
            }
    }
    free(copy);
}

/* The schedule, also ticking the driver's on_step: lr_at runs once per
 * step, just before the step's update. */
typedef struct ticking {
    one_cycle schedule;
    const recipe_hooks *hooks;
    size_t batch, n, first_step;
} ticking;

static float ticking_lr(size_t step, void *ctx)
{
    ticking *t = ctx;
    if (t->hooks && t->hooks->on_step) {
        size_t done = (step - t->first_step + 1) * t->batch;
        t->hooks->on_step(done < t->n ? done : t->n, t->hooks->ctx);
    }
    return one_cycle_lr(step, &t->schedule);
}

float recipe_train(const recipe *r, const dk_dataset *train, const dk_dataset *test,
                   uint64_t seed, const recipe_hooks *hooks)
{
    dk_rng rng;
    dk_rng_seed(&rng, seed);
    size_t sizes[MLP_MAX_LAYERS + 1] = {train->dim};
    if (r->depth + 1 > MLP_MAX_LAYERS)
        return NAN;
    for (size_t l = 1; l <= r->depth; l++)
        sizes[l] = r->hidden;
    sizes[r->depth + 1] = train->classes;
    mlp net;
    if (!mlp_create(&net, sizes, r->depth + 1, MLP_RELU, &rng))
        return NAN;
    float *velocity = calloc(net.nparams, sizeof *velocity);
    if (!velocity) {
        mlp_free(&net);
        return NAN;
    }
    size_t steps_per_epoch = (train->n + r->batch - 1) / r->batch, step = 0;
    ticking lr = {{r->lr_max, r->epochs * steps_per_epoch}, hooks, r->batch, train->n, 0};
    shift_aug shift = {train->h, train->w, r->shift};
    train_config cfg = {r->batch, r->momentum, ticking_lr, &lr,
                        r->shift && train->h ? shift_images : NULL, &shift};
    float acc = NAN;
    for (size_t e = 1; e <= r->epochs; e++) {
        lr.first_step = step;
        float loss = mlp_train_epoch(&net, train->x, train->y, train->n, &cfg, velocity, &step,
                                     &rng);
        float test_loss;
        acc = mlp_evaluate(&net, test->x, test->y, test->n, 256, &test_loss);
        if (hooks && hooks->on_epoch)
            hooks->on_epoch(e, &net, loss, test_loss, acc, one_cycle_lr(step - 1, &lr.schedule),
                            hooks->ctx);
    }
    free(velocity);
    mlp_free(&net);
    return acc;
}
