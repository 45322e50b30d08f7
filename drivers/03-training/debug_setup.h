/* Chapter 03's debugging exercise (kit code): five training set-ups, each
 * broken in one way, in debug/setupN.cfg; you name each fault in
 * debug/answers.txt and fix the set-up's file. */
#ifndef DLKIT_DEBUG_SETUP_H
#define DLKIT_DEBUG_SETUP_H

#include "training_recipe.h"

enum { DEBUG_SETUPS = 5 };

/* The faults' names, for debug/answers.txt, in alphabetical order (not
 * the set-ups' order). */
extern const char *const DEBUG_FAULTS[DEBUG_SETUPS];

/* Reads a set-up file (lines "key = value"; # starts a comment) into r:
 * a 64-64-10 ReLU MLP on the 8x8 digits, 30 epochs of batch 32, whose
 * file chooses init (he, xavier, normal, zeros), init_std, bias_init,
 * optimizer (sgd, momentum, adam, adamw), lr, shuffle, sort_by_label and
 * shuffle_labels (yes or no). */
bool debug_setup_read(const char *path, training_recipe *r, dk_err *err);

/* Trains r on the 8x8 digits (the first 1,400 to train, the other 397 to
 * test) and returns the test scores. */
dk_scores debug_setup_train(const training_recipe *r, uint64_t seed, const dk_train_hooks *hooks);

/* Reads debug/answers.txt (lines "setupN = fault"): names[k] gets set-up
 * k+1's answer, "" when none. */
bool debug_answers_read(const char *path, char names[DEBUG_SETUPS][32], dk_err *err);

#endif
