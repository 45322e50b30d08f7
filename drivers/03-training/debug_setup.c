/* Chapter 03's debugging exercise (kit code; see debug_setup.h). */
#include "debug_setup.h"

#include "files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* In alphabetical order: which set-up has which fault is the exercise
 * (the key is compiled into the reference, never shipped as source). */
const char *const DEBUG_FAULTS[DEBUG_SETUPS] = {"dead_relu", "labels_shuffled", "lr_too_high",
                                                "sorted_without_shuffle", "zero_init"};

static const training_recipe DEBUG_BASE = {.depth = 1, .hidden = 64, .init = INIT_HE,
                                   .optimizer = OPT_SGD, .lr = 0.1f, .momentum = 0.9f,
                                   .epochs = 30, .batch = 32};

/* The next "key = value" line of text (comments and blank lines
 * skipped); false at the end. */
static bool next_pair(char **text, char key[32], char value[32], int *line)
{
    for (char *l; (l = strsep(text, "\n"));) {
        (*line)++;
        l[strcspn(l, "#")] = '\0';
        if (sscanf(l, " %31[a-z_0-9] = %31s", key, value) == 2)
            return true;
        if (sscanf(l, " %31[a-z_0-9] =", key) == 1) {
            value[0] = '\0';
            return true;
        }
    }
    return false;
}

static bool yes_no(const char *value, bool *out)
{
    *out = strcmp(value, "yes") == 0;
    return *out || strcmp(value, "no") == 0;
}

static bool set(training_recipe *r, const char *key, const char *value)
{
    static const char *const inits[] = {"he", "xavier", "normal", "zeros"};
    static const char *const opts[] = {"sgd", "momentum", "nesterov", "adam", "adamw"};
    char *end;
    bool shuffle;
    if (!strcmp(key, "init")) {
        for (int i = 0; i < 4; i++)
            if (!strcmp(value, inits[i]))
                return r->init = (init_kind)i, true;
        return false;
    }
    if (!strcmp(key, "optimizer")) {
        for (int i = 0; i < 5; i++)
            if (!strcmp(value, opts[i]))
                return r->optimizer = (optimizer_kind)i, true;
        return false;
    }
    if (!strcmp(key, "shuffle"))
        return yes_no(value, &shuffle) && (r->in_order = !shuffle, true);
    if (!strcmp(key, "sort_by_label"))
        return yes_no(value, &r->sort_by_label);
    if (!strcmp(key, "shuffle_labels"))
        return yes_no(value, &r->shuffle_labels);
    float *number = !strcmp(key, "lr") ? &r->lr : !strcmp(key, "init_std") ? &r->init_std
                  : !strcmp(key, "bias_init") ? &r->bias_init : NULL;
    if (!number)
        return false;
    *number = strtof(value, &end);
    return *value && !*end;
}

bool debug_setup_read(const char *path, training_recipe *r, dk_err *err)
{
    char *text = dk_read_file(path, NULL, err), *cursor = text, key[32], value[32];
    if (!text)
        return false;
    *r = DEBUG_BASE;
    int line = 0;
    bool ok = true;
    while (ok && next_pair(&cursor, key, value, &line))
        if (!set(r, key, value))
            ok = dk_fail(err, "%s, line %d: cannot set %s to '%s'", path, line, key, value);
    free(text);
    return ok;
}

dk_scores debug_setup_train(const training_recipe *r, uint64_t seed, const dk_train_hooks *hooks)
{
    dk_dataset all;
    dk_err err;
    if (!dk_dataset_load("digits", "all", &all, &err))
        dk_fatal("%s", err.msg);
    for (size_t i = 0; i < all.n * all.dim; i++)
        all.x[i] /= 16.0f; /* pixels 0..16 */
    dk_dataset train = all, test = all;
    train.n = 1400;
    test.n = all.n - 1400, test.x = all.x + 1400 * all.dim, test.y = all.y + 1400;
    dk_scores s = training_recipe_train(r, &train, NULL, &test, seed, hooks);
    dk_dataset_free(&all);
    return s;
}

bool debug_answers_read(const char *path, char names[DEBUG_SETUPS][32], dk_err *err)
{
    char *text = dk_read_file(path, NULL, err), *cursor = text, key[32], value[32];
    if (!text)
        return false;
    memset(names, 0, DEBUG_SETUPS * sizeof names[0]);
    int line = 0, k;
    while (next_pair(&cursor, key, value, &line))
        if (sscanf(key, "setup%d", &k) == 1 && k >= 1 && k <= DEBUG_SETUPS)
            snprintf(names[k - 1], sizeof names[0], "%s", value);
    free(text);
    return true;
}
