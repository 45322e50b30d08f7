/* Chapter 03, part 5: the techniques together (10 points). The network of
 * training_recipe.c trains on a fixed part of Fashion-MNIST (the first
 * 10,000 training images, 6 epochs, tested on all 10,000 test images)
 * twice: by the full recipe (your batch norm, dropout, AdamW, warm-up and
 * cosine, flips, He initialisation) and by chapter 02's plain recipe (your
 * plain SGD at a constant rate), which must do worse. */
#include "grade.h"
#include "training_recipe.h"

#include <stdio.h>

/* The reference reaches 85.63 to 85.89% by the full recipe on seeds 1-5,
 * and 68.4 to 81.9% by the plain one. */
static const float SHORT_TARGET = 0.845f;

GRADED_TEST(techniques_beat_the_plain_recipe, 10, 120,
            "Every piece matters: if the other tests pass and this one fails, compare "
            "`make train CH=03` with `make train CH=03 PLAIN=1` and look for the epoch "
            "where your run falls behind the reference's (`make compare CH=03`).")
{
    dk_dataset train, test;
    dk_err err;
    if (!dk_dataset_load("fashion-mnist", "train", &train, &err) ||
        !dk_dataset_load("fashion-mnist", "test", &test, &err))
        dk_test_fail(DK_KIT_ERROR, "%s", err.msg);
    train.n = 10000;
    training_recipe full = TRAINING_RECIPE_FULL, plain = TRAINING_RECIPE_PLAIN;
    full.epochs = plain.epochs = 6;
    full.patience = 0;
    dk_scores f = training_recipe_train(&full, &train, NULL, &test, dk_test_seed(), NULL);
    DK_CHECK(f.acc >= SHORT_TARGET,
             "test accuracy after 6 epochs of the full recipe on 10,000 Fashion-MNIST images: "
             "expected at least %.1f%%, got %.2f%%", 100 * SHORT_TARGET, 100 * f.acc);
    dk_scores p = training_recipe_train(&plain, &train, NULL, &test, dk_test_seed(), NULL);
    DK_CHECK(p.acc < f.acc, "the plain recipe (%.2f%%) did as well as the full one (%.2f%%)",
             100 * p.acc, 100 * f.acc);
    dk_dataset_free(&train);
    dk_dataset_free(&test);
}
