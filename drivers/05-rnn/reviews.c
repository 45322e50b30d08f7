/* The movie-review snippets as a sentiment task (kit code; see reviews.h). */
#include "reviews.h"

#include "datasets.h"
#include "rng.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_WORDS = 512, TEXT_CAP = 8192 };

/* Letters, digits, and UTF-8's bytes above ASCII (an accented letter). */
static bool word_byte(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

size_t reviews_words(const char *text, char *buf, size_t cap, const char **words, size_t max)
{
    size_t n = 0, used = 0;
    const unsigned char *p = (const unsigned char *)text;
    while (*p && n < max) {
        const bool apostrophe = *p == '\'' && word_byte(p[1]);
        if (!apostrophe && !word_byte(*p)) {
            p++;
            continue;
        }
        const size_t from = used;
        if (apostrophe && used + 1 < cap)
            buf[used++] = *p++;
        while (word_byte(*p) && used + 1 < cap)
            buf[used++] = (char)tolower(*p++);
        while (word_byte(*p)) /* (a word too long for buf: its end dropped) */
            p++;
        if (used >= cap)
            break;
        buf[used++] = '\0';
        words[n++] = buf + from;
    }
    return n;
}

/* A word and how often the training split holds it. */
typedef struct entry {
    char *word;
    size_t count;
} entry;

static int by_count(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->word, y->word);
}

static int by_word(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->word, ((const entry *)b)->word);
}

/* The training split's words, counted: sorted by word, duplicates merged. */
static entry *count_words(const dk_sentences *s, const size_t *kept, const size_t *train,
                          size_t ntrain, size_t *nentries)
{
    size_t cap = 1 << 16, n = 0;
    entry *e = malloc(cap * sizeof *e);
    char buf[TEXT_CAP];
    const char *words[MAX_WORDS];
    for (size_t i = 0; e && i < ntrain; i++) {
        const size_t nw = reviews_words(s->text[kept[train[i]]], buf, sizeof buf, words, MAX_WORDS);
        for (size_t w = 0; e && w < nw; w++) {
            entry *more = n < cap ? e : realloc(e, (cap *= 2) * sizeof *e);
            if (!more)
                free(e);
            e = more;
            if (e && !(e[n++] = (entry){strdup(words[w]), 1}).word)
                free(e), e = NULL;
        }
    }
    if (!e)
        return NULL; /* (out of memory: the words already copied are lost) */
    qsort(e, n, sizeof *e, by_word);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m && strcmp(e[m - 1].word, e[i].word) == 0)
            e[m - 1].count++, free(e[i].word);
        else
            e[m++] = e[i];
    *nentries = m;
    return e;
}

/* The vocabulary: pad, unknown, then the words seen REVIEWS_MIN_COUNT
 * times or more, the most frequent first. */
static bool build_vocabulary(reviews *r, entry *e, size_t n)
{
    qsort(e, n, sizeof *e, by_count);
    size_t keep = 0;
    while (keep < n && e[keep].count >= REVIEWS_MIN_COUNT)
        keep++;
    if (!(r->words = malloc((keep + 2) * sizeof *r->words)))
        return false;
    r->words[REVIEWS_PAD] = strdup("<pad>"), r->words[REVIEWS_UNKNOWN] = strdup("<unk>");
    for (size_t i = 0; i < n; i++)
        if (i < keep)
            r->words[i + 2] = e[i].word;
        else
            free(e[i].word);
    r->V = keep + 2;
    return r->words[0] && r->words[1];
}

/* A word of the vocabulary and its token, for bsearch by word. */
typedef struct indexed {
    const char *word;
    int token;
} indexed;

static int indexed_by_word(const void *a, const void *b)
{
    return strcmp(((const indexed *)a)->word, ((const indexed *)b)->word);
}

static indexed *word_index(const reviews *r)
{
    indexed *index = malloc(r->V * sizeof *index);
    for (size_t v = 0; index && v < r->V; v++)
        index[v] = (indexed){r->words[v], (int)v};
    if (index)
        qsort(index, r->V, sizeof *index, indexed_by_word);
    return index;
}

static int token_of(const indexed *index, size_t V, const char *word)
{
    const indexed key = {word, 0}, *found = bsearch(&key, index, V, sizeof key, indexed_by_word);
    return found ? found->token : REVIEWS_UNKNOWN;
}

/* Every kept sentence as tokens. */
static bool encode(reviews *r, const dk_sentences *s, const size_t *kept)
{
    char buf[TEXT_CAP];
    const char *words[MAX_WORDS];
    size_t total = 0;
    for (size_t i = 0; i < r->n; i++) /* (a sentence of no words: one unknown word) */
        total += reviews_words(s->text[kept[i]], buf, sizeof buf, words, MAX_WORDS) + 1;
    indexed *index = word_index(r);
    if (!index || !(r->tokens = malloc((total ? total : 1) * sizeof *r->tokens))) {
        free(index);
        return false;
    }
    size_t at = 0;
    for (size_t i = 0; i < r->n; i++) {
        const size_t nw = reviews_words(s->text[kept[i]], buf, sizeof buf, words, MAX_WORDS);
        r->start[i] = at, r->len[i] = nw ? nw : 1;
        for (size_t w = 0; w < nw; w++)
            r->tokens[at++] = token_of(index, r->V, words[w]);
        if (!nw)
            r->tokens[at++] = REVIEWS_UNKNOWN;
    }
    free(index);
    return true;
}

/* The shuffled order, cut 80/10/10. */
static bool split(reviews *r)
{
    size_t *order = malloc(r->n * sizeof *order);
    if (!order)
        return false;
    dk_rng rng;
    dk_rng_seed(&rng, REVIEWS_SPLIT_SEED);
    dk_rng_permutation(&rng, order, r->n);
    const size_t ntrain = r->n * 8 / 10, nval = r->n / 10;
    r->split[REVIEWS_TRAIN] = order, r->count[REVIEWS_TRAIN] = ntrain;
    r->split[REVIEWS_VAL] = order + ntrain, r->count[REVIEWS_VAL] = nval;
    r->split[REVIEWS_TEST] = order + ntrain + nval, r->count[REVIEWS_TEST] = r->n - ntrain - nval;
    return true;
}

bool reviews_load(reviews *r, dk_err *err)
{
    *r = (reviews){0};
    dk_sentences s;
    if (!dk_sentences_load("movie-reviews", &s, err))
        return false;
    size_t *kept = malloc(s.n * sizeof *kept), nentries = 0;
    r->start = malloc(s.n * sizeof *r->start), r->len = malloc(s.n * sizeof *r->len);
    r->label = malloc(s.n * sizeof *r->label);
    bool ok = kept && r->start && r->len && r->label;
    for (size_t i = 0; ok && i < s.n; i++)
        if (s.score[i] != 0) {
            r->label[r->n] = s.score[i] > 0;
            kept[r->n++] = i;
        }
    entry *e = NULL;
    ok = ok && split(r) &&
         (e = count_words(&s, kept, r->split[REVIEWS_TRAIN], r->count[REVIEWS_TRAIN], &nentries)) &&
         build_vocabulary(r, e, nentries) && encode(r, &s, kept);
    free(e), free(kept);
    dk_sentences_free(&s);
    if (!ok) {
        reviews_free(r);
        return dk_fail(err, "out of memory reading the movie reviews");
    }
    return true;
}

void reviews_free(reviews *r)
{
    for (size_t v = 0; r->words && v < r->V; v++)
        free(r->words[v]);
    free(r->words), free(r->tokens), free(r->start), free(r->len), free(r->label);
    free(r->split[REVIEWS_TRAIN]);
    *r = (reviews){0};
}
