/* The names corpus of makemore (kit code): characters as tokens, the fixed
 * split and the (context, next character) examples that train.c, the
 * studies and the grader share. */
#ifndef DLKIT_NAMES_H
#define DLKIT_NAMES_H

#include "error.h"
#include "rnn.h"

#include <stdbool.h>
#include <stddef.h>

/* The split's seed: the names are shuffled once, with this seed, whatever
 * the run's seed, so that every run and the grader see the same split. */
#define NAMES_SPLIT_SEED 42

enum { NAMES_TRAIN, NAMES_DEV, NAMES_TEST, NAMES_SPLITS };

/* Token sequences (rnn.h's form: ".emma.ava.") of the three splits: 80%,
 * 10% and 10% of the 32,033 names, shuffled with NAMES_SPLIT_SEED. */
typedef struct names_split {
    int *seq[NAMES_SPLITS];
    size_t len[NAMES_SPLITS];
    size_t names[NAMES_SPLITS];
} names_split;

/* Loads the in-kit names.txt and splits it; false (and err) when the file
 * is missing or holds anything but names of 'a'..'z'. */
bool names_load(names_split *s, dk_err *err);
void names_free(names_split *s);

/* The token of a character ('.' and 'a'..'z'), -1 for any other; and back. */
int names_token(char c);
char names_char(int token);

/* The examples of a sequence, one for each of its tokens after the first:
 * X (len - 1, context) the tokens before it within its name, oldest first,
 * 0 where the name had not started; y (len - 1,) the token. Returns len - 1. */
size_t names_examples(const int *seq, size_t len, size_t context, int *X, int *y);

#endif
