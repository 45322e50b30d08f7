/* What chapter 07's tests and drivers need made ahead, by the kit's build
 * (grade-kit), never where graded code runs: the digit classifier.
 *
 *   prepare DIR      writes DIR/digit-classifier.bin
 *
 * Deterministic: seed 1, one OpenBLAS thread. */
#include "blas.h"
#include "classifier.h"
#include "timer.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    dk_blas_init(argv, 1);
    if (argc != 2)
        dk_fatal("usage: %s DIR", argv[0]);
    const double start = dk_seconds();
    lenet net;
    float acc;
    dk_err err;
    char path[4096];
    snprintf(path, sizeof path, "%s/" CLASSIFIER_FILE, argv[1]);
    if (!classifier_train(&net, &acc, &err) || !classifier_save(&net, path, &err))
        dk_fatal("%s", err.msg);
    printf("chapter 07: the digit classifier that scores samples, %.2f%% on the test digits, "
           "trained in %.0f s\n", 100.0 * acc, dk_seconds() - start);
    lenet_free(&net);
    return 0;
}
