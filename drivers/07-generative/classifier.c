/* Chapter 07's digit classifier (see classifier.h). */
#include "classifier.h"

#include "backprop.h"
#include "cnn_recipe.h"
#include "datasets.h"
#include "files.h"
#include "training.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char MAGIC[8] = "DKDIGIT1";
enum { EPOCHS = 6, BATCH = 64, EVAL_BATCH = 256 };

void classifier_path(char *path, size_t size)
{
    const char *build = getenv("DK_BUILD");
    snprintf(path, size, "%s/grader/07-generative/data/" CLASSIFIER_FILE,
             build && *build ? build : "build");
}

/* Momentum 0.9, weight decay 5e-4, a cosine from 0.05 to 0. */
static const cnn_recipe RECIPE = {.c1 = 16, .c2 = 32, .hidden = 128, .epochs = EPOCHS,
                                  .batch = BATCH, .lr_max = 0.05f, .momentum = 0.9f,
                                  .weight_decay = 5e-4f};

typedef struct cosine {
    size_t total;
} cosine;

static float cosine_at(size_t step, void *ctx)
{
    return lr_cosine(RECIPE.lr_max, 0.0f, step, ((const cosine *)ctx)->total);
}

bool classifier_train(lenet *net, float *test_acc, dk_err *err)
{
    dk_dataset train, test;
    if (!dk_dataset_load("mnist10k", "train", &train, err))
        return false;
    if (!dk_dataset_load("mnist10k", "test", &test, err)) {
        dk_dataset_free(&train);
        return false;
    }
    dk_rng rng;
    dk_rng_seed(&rng, 1);
    const lenet_config cfg = cnn_recipe_network(&RECIPE, &train);
    bool ok = lenet_create(net, &cfg, &rng);
    cosine schedule = {EPOCHS * ((train.n + BATCH - 1) / BATCH)};
    /* whole batches, like the one thread prepare.c runs on: deterministic */
    cnn_training t = {&RECIPE, cosine_at, &schedule, calloc(net->nparams, sizeof(float)), 0,
                      NULL, false};
    ok = ok && t.velocity;
    for (size_t epoch = 1; ok && epoch <= EPOCHS; epoch++)
        ok = !isnan(cnn_train_epoch(net, train.x, train.y, train.n, &t, &rng));
    *test_acc = ok ? cnn_evaluate(net, test.x, test.y, test.n, NULL, NULL) : NAN;
    free(t.velocity);
    dk_dataset_free(&train);
    dk_dataset_free(&test);
    return ok || dk_fail(err, "out of memory training the digit classifier");
}

/* The header: the magic, then the configuration's seven sizes and the
 * parameter count, each a little-endian uint64 as x86 writes it. */
typedef struct file_header {
    char magic[8];
    uint64_t H, W, C, c1, c2, hidden, classes, nparams;
} file_header;

bool classifier_save(const lenet *net, const char *path, dk_err *err)
{
    const lenet_config *c = &net->cfg;
    file_header h = {{0}, c->H, c->W, c->C, c->c1, c->c2, c->hidden, c->classes, net->nparams};
    memcpy(h.magic, MAGIC, sizeof MAGIC);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!dk_mkdirs_for(path, err))
        return false;
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return dk_fail(err, "cannot write %s", tmp);
    bool ok = fwrite(&h, sizeof h, 1, f) == 1 &&
              fwrite(net->params, sizeof(float), net->nparams, f) == net->nparams;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return dk_fail(err, "cannot write %s", path);
    }
    return true;
}

bool classifier_load(lenet *net, const char *path, dk_err *err)
{
    size_t len;
    char *data = dk_read_file(path, &len, err);
    if (!data)
        return false;
    file_header h;
    bool ok = len >= sizeof h;
    if (ok)
        memcpy(&h, data, sizeof h);
    ok = ok && memcmp(h.magic, MAGIC, sizeof MAGIC) == 0;
    const lenet_config cfg = {ok ? h.H : 0, ok ? h.W : 0, ok ? h.C : 0, ok ? h.c1 : 0,
                              ok ? h.c2 : 0, ok ? h.hidden : 0, ok ? h.classes : 0};
    dk_rng rng;
    dk_rng_seed(&rng, 1);
    ok = ok && cfg.H == 28 && cfg.W == 28 && cfg.C == 1 && cfg.classes == 10 &&
         cfg.c1 <= 256 && cfg.c2 <= 256 && cfg.hidden <= 4096 && lenet_create(net, &cfg, &rng);
    if (ok && (net->nparams != h.nparams || len != sizeof h + net->nparams * sizeof(float))) {
        lenet_free(net);
        ok = false;
    }
    if (ok)
        memcpy(net->params, data + sizeof h, net->nparams * sizeof(float));
    free(data);
    return ok || dk_fail(err, "%s is not a digit classifier this kit wrote (remove it; "
                              "`make grade-kit CH=07` makes it again)", path);
}

bool classifier_load_kit(lenet *net, dk_err *err)
{
    char path[4096];
    classifier_path(path, sizeof path);
    if (!dk_file_exists(path))
        return dk_fail(err, "the digit classifier that scores samples is missing (%s): "
                            "`make grade-kit CH=07` trains it (a minute, once)", path);
    return classifier_load(net, path, err);
}

bool classifier_probs(const lenet *net, const float *images, size_t n, float *probs)
{
    const size_t C = net->cfg.classes, D = net->cfg.H * net->cfg.W;
    float *acts = malloc(lenet_acts_size(net, EVAL_BATCH) * sizeof *acts);
    float *logits = malloc(EVAL_BATCH * C * sizeof *logits);
    const bool ok = acts && logits;
    for (size_t at = 0; ok && at < n; at += EVAL_BATCH) {
        const size_t B = n - at < EVAL_BATCH ? n - at : EVAL_BATCH;
        lenet_forward(net, images + at * D, B, acts, logits);
        softmax(logits, B, C, probs + at * C);
    }
    free(acts), free(logits);
    return ok;
}
