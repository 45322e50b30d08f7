/* The movie-review snippets as a sentiment task (kit code): 10,605
 * one-sentence Rotten Tomatoes snippets with a human score in -4..+4;
 * positive when the score is above 0, the 37 of score 0 dropped (10,568
 * left). Words are tokens (reviews_words: lower case, runs of letters and
 * digits, an apostrophe starting a new word as in "'s"), with a vocabulary
 * from the training split. The sentences are shuffled once with a fixed
 * seed and split 80/10/10. train.c and the grader share it. */
#ifndef DLKIT_REVIEWS_H
#define DLKIT_REVIEWS_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>

/* The split's seed, fixed whatever the run's seed. */
#define REVIEWS_SPLIT_SEED 42
/* A word seen fewer times than this in the training split is unknown. */
#define REVIEWS_MIN_COUNT 2

enum { REVIEWS_TRAIN, REVIEWS_VAL, REVIEWS_TEST, REVIEWS_SPLITS };
enum { REVIEWS_PAD = 0, REVIEWS_UNKNOWN = 1 }; /* the first two tokens */

typedef struct reviews {
    size_t n;                     /* sentences kept */
    int *tokens;                  /* all sentences' tokens, one after another */
    size_t *start, *len;          /* (n,) where each sentence's tokens are, how many */
    int *label;                   /* (n,) 1 positive, 0 negative */
    size_t *split[REVIEWS_SPLITS]; /* each split's sentences (indices) */
    size_t count[REVIEWS_SPLITS];
    size_t V;                     /* the vocabulary: pad, unknown, then the words */
    char **words;                 /* (V,) by decreasing count in training */
} reviews;

/* Loads the kit's snippets, tokenizes, splits and builds the vocabulary;
 * false (and err, naming the file and the command that restores it) when
 * the file is missing or corrupt. */
bool reviews_load(reviews *r, dk_err *err);
void reviews_free(reviews *r);

/* The words of text, lower case, written into buf (NUL-separated, at most
 * cap bytes) and pointed to by words (at most max); returns how many. */
size_t reviews_words(const char *text, char *buf, size_t cap, const char **words, size_t max);

#endif
