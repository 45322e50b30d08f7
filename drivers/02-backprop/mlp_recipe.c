/* Chapter 02's training recipe (kit code; see mlp_recipe.h). */
#include "mlp_recipe.h"

#include "schedule.h"
#include "workspace.h"


#include <math.h>
#include <stdlib.h>
#include <string.h>

const mlp_recipe MLP_RECIPE_MNIST = {.depth = 1, .hidden = 512, .epochs = 16, .batch = 64, .lr_max = 0.1f,
                             .momentum = 0.9f, .shift = 2};
const mlp_recipe MLP_RECIPE_FASHION = {.depth = 1, .hidden = 512, .epochs = 30, .batch = 64, .lr_max = 0.05f,
                               .momentum = 0.9f, .shift = 0};

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

/* The one-cycle schedule, also ticking the driver's on_step: lr_at runs
 * once per step, just before the step's update. */
typedef struct ticking {
    float lr_max;
    size_t total_steps;
    const dk_train_hooks *hooks;
    size_t batch, n, first_step;
} ticking;

static float ticking_lr(size_t step, void *ctx)
{
    ticking *t = ctx;
    if (t->hooks && t->hooks->on_step) {
        size_t done = (step - t->first_step + 1) * t->batch;
        t->hooks->on_step(done < t->n ? done : t->n, NAN, t->hooks->ctx);
    }
    return dk_one_cycle_lr(t->lr_max, step, t->total_steps);
}

float mlp_recipe_train(const mlp_recipe *r, const dk_dataset *train, const dk_dataset *test,
                   uint64_t seed, const dk_train_hooks *hooks)
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
    float *velocity = dk_workspace_alloc(net.nparams, sizeof *velocity);
    if (!velocity) {
        mlp_free(&net);
        return NAN;
    }
    size_t steps_per_epoch = (train->n + r->batch - 1) / r->batch, step = 0;
    ticking lr = {r->lr_max, r->epochs * steps_per_epoch, hooks, r->batch, train->n, 0};
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
        if (hooks && hooks->on_epoch) {
            const dk_epoch_report rep = {e, loss, {NAN, NAN}, {NAN, NAN}, {test_loss, acc},
                                         dk_one_cycle_lr(r->lr_max, step - 1, lr.total_steps), &net};
            hooks->on_epoch(&rep, hooks->ctx);
        }
    }
    dk_workspace_free(velocity);
    mlp_free(&net);
    return acc;
}
