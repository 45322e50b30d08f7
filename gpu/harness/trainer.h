/* Chapter 02's MLP trained on MNIST by chapter 02's recipe, on the GPU with
 * the student's kernels (kernels.h) or on the CPU with the references
 * (ref.h): kit code, shared by the grader's accuracy test and the gpu/dev
 * mlp program.
 *
 * Both sides follow chapter 02's mlp_train_epoch and mlp_recipe_train step for
 * step (exercises/02-backprop): the same initialisation, drawn with the
 * kit's RNG in the same order, the same permutation and pixel shifts per
 * epoch, the same one-cycle learning rate. So for one seed the GPU run, the
 * CPU reference here and chapter 02's reference train the same network,
 * up to float32 round-off. */
#ifndef DLKIT_GPU_TRAINER_H
#define DLKIT_GPU_TRAINER_H

#include "kernels.h"
#include "recipe.h"

#include <stddef.h>
#include <stdint.h>

/* Images (n, h*w) scaled to [0, 1], labels (n,) in [0, 10), host arrays. */
struct gpu_dataset {
    int n, h, w, dim;
    float *x;
    int *y;
};

/* Reads DIR/mnist10k-SPLIT-images-idx3-ubyte and its labels file (the
 * in-kit subset, which `make gpu` unpacks from datasets/data/; plain IDX,
 * so that the GPU machine needs no zlib). SPLIT is "train" or "t10k".
 * False, with a message in err, when a file is missing or malformed. */
bool gpu_mnist_load(const char *dir, const char *split, gpu_dataset *out, char *err,
                    size_t errlen);
void gpu_dataset_free(gpu_dataset *ds);

/* What one epoch gave. */
struct epoch_report {
    int epoch;
    float train_loss; /* mean over the epoch's samples */
    float test_loss, test_acc;
    float lr;         /* the epoch's last */
    double seconds;   /* the epoch's training alone, not the evaluation */
};

enum train_device {
    TRAIN_GPU,       /* the student's kernels, each epoch one CUDA graph */
    TRAIN_GPU_PLAIN, /* the same kernels launched one by one (no graph) */
    TRAIN_CPU,       /* the CPU references */
};

/* Trains a fresh network by r (seeded by seed; recipe.h) on train,
 * evaluating on test after each epoch; on_epoch (may be NULL) sees every
 * epoch and returns false to stop there (the learning rate still follows
 * the whole recipe's schedule). Returns the last test accuracy. TRAIN_GPU
 * falls back to TRAIN_GPU_PLAIN, saying so on stderr, when the step cannot
 * be captured into a graph. */
float gpu_recipe_train(const gpu_recipe *r, const gpu_dataset *train, const gpu_dataset *test,
                       uint64_t seed, train_device device,
                       bool (*on_epoch)(const epoch_report *report, void *ctx), void *ctx);

#endif
