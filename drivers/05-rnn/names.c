/* The names corpus of makemore (kit code; see names.h). */
#include "names.h"

#include "datasets.h"

#include <stdlib.h>
#include <string.h>

int names_token(char c)
{
    return c == '.' ? 0 : c >= 'a' && c <= 'z' ? c - 'a' + 1 : -1;
}

char names_char(int token)
{
    return token == 0 ? '.' : (char)('a' + token - 1);
}

/* The names of text (one a line) as pointers into it, lines cut. */
static char **split_lines(char *text, size_t *n, dk_err *err)
{
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == '\n';
    char **names = malloc(cap * sizeof *names);
    if (!names) {
        dk_fail(err, "out of memory reading the names");
        return NULL;
    }
    *n = 0;
    for (char *line = strtok(text, "\r\n"); line; line = strtok(NULL, "\r\n"))
        names[(*n)++] = line;
    return names;
}

static bool valid(const char *name, size_t line, const char *path, dk_err *err)
{
    for (const char *c = name; *c; c++)
        if (names_token(*c) <= 0)
            return dk_fail(err, "%s, name %zu ('%s'): only the letters a to z may appear",
                           path, line, name);
    return true;
}

/* The token sequence of names[order[from..to)]. */
static bool sequence(char **names, const size_t *order, size_t from, size_t to, int **seq,
                     size_t *len)
{
    size_t n = 1;
    for (size_t i = from; i < to; i++)
        n += strlen(names[order[i]]) + 1;
    if (!(*seq = malloc(n * sizeof **seq)))
        return false;
    size_t k = 0;
    (*seq)[k++] = 0;
    for (size_t i = from; i < to; i++) {
        for (const char *c = names[order[i]]; *c; c++)
            (*seq)[k++] = names_token(*c);
        (*seq)[k++] = 0;
    }
    *len = n;
    return true;
}

bool names_load(names_split *s, dk_err *err)
{
    *s = (names_split){0};
    char path[4096];
    size_t len, n;
    char *text = dk_text_path("names", path, sizeof path, err) ? dk_load_text(path, &len, err)
                                                                : NULL;
    char **names = text ? split_lines(text, &n, err) : NULL;
    size_t *order = names ? malloc((n ? n : 1) * sizeof *order) : NULL;
    bool ok = order != NULL;
    for (size_t i = 0; ok && i < n; i++)
        ok = valid(names[i], i + 1, path, err);
    if (ok) {
        dk_rng rng;
        dk_rng_seed(&rng, NAMES_SPLIT_SEED);
        dk_rng_permutation(&rng, order, n);
        const size_t cut[NAMES_SPLITS + 1] = {0, n * 8 / 10, n * 9 / 10, n};
        for (int k = 0; ok && k < NAMES_SPLITS; k++) {
            s->names[k] = cut[k + 1] - cut[k];
            ok = sequence(names, order, cut[k], cut[k + 1], &s->seq[k], &s->len[k]) ||
                 dk_fail(err, "out of memory splitting the names");
        }
    } else if (names && !order) {
        dk_fail(err, "out of memory reading the names");
    }
    free(order), free(names), free(text);
    if (!ok)
        names_free(s);
    return ok;
}

void names_free(names_split *s)
{
    for (int k = 0; k < NAMES_SPLITS; k++)
        free(s->seq[k]);
    *s = (names_split){0};
}

size_t names_examples(const int *seq, size_t len, size_t context, int *X, int *y)
{
    size_t start = 0; /* the position of the '.' before the current name */
    for (size_t t = 1; t < len; t++) {
        int *x = X + (t - 1) * context;
        for (size_t j = 0; j < context; j++) {
            const size_t back = context - j; /* x[j] is seq[t - back] */
            x[j] = t - start > back ? seq[t - back] : 0;
        }
        y[t - 1] = seq[t];
        if (seq[t] == 0)
            start = t;
    }
    return len - 1;
}
