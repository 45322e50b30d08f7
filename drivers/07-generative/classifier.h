/* Chapter 07's digit classifier (kit code): what scores generated digits.
 * Chapter 04's reference LeNet trained on the in-kit MNIST digits by
 * prepare.c, once, when the kit is built (grade-kit), deterministically;
 * the tests, make train and make class only load it. Never trained where
 * graded code runs. */
#ifndef DLKIT_CLASSIFIER_H
#define DLKIT_CLASSIFIER_H

#include "cnn.h"
#include "error.h"

#include <stdbool.h>
#include <stddef.h>

/* The file's name, under the chapter's prepared data (prepare.c's DIR). */
#define CLASSIFIER_FILE "digit-classifier.bin"

/* Where the kit keeps it: $DK_BUILD (else "build")
 * /grader/07-generative/data/digit-classifier.bin. */
void classifier_path(char *path, size_t size);

/* Trains the classifier on the in-kit MNIST training digits (seed 1, one
 * OpenBLAS thread's order of sums) and reports its accuracy on the test
 * digits in *test_acc. false (err) when the data cannot be loaded. */
bool classifier_train(lenet *net, float *test_acc, dk_err *err);

/* Writes net's configuration and parameters to path (through a temporary
 * file renamed into place); loads them back, checking every field and the
 * file's size. false (err) on failure. */
bool classifier_save(const lenet *net, const char *path, dk_err *err);
bool classifier_load(lenet *net, const char *path, dk_err *err);

/* The kit's classifier from classifier_path, or a message that says how to
 * make it. */
bool classifier_load_kit(lenet *net, dk_err *err);

/* probs (n, 10): its class probabilities for n images (n, 784) with
 * pixels in [0, 1]. false when out of memory. */
bool classifier_probs(const lenet *net, const float *images, size_t n, float *probs);

#endif
