/* Tiny Shakespeare: 1,115,394 characters of the plays, each
 * character a token, split as nanoGPT splits it (the first 90% to train,
 * the rest to validate), which chapters 05 and 06 share. */
#ifndef DLKIT_SHAKESPEARE_H
#define DLKIT_SHAKESPEARE_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct shakespeare {
    char chars[128]; /* token -> character: the text's characters, sorted */
    size_t V;        /* how many (65) */
    int *train, *val;
    size_t n_train, n_val;
} shakespeare;

/* Loads the in-kit tinyshakespeare.txt; false (and err) when it is missing
 * or holds a byte outside printable ASCII, newline aside. */
bool shakespeare_load(shakespeare *s, dk_err *err);
void shakespeare_free(shakespeare *s);

/* The token of a character, -1 for one the text does not hold. */
int shakespeare_token(const shakespeare *s, char c);

#endif
