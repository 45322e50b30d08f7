/* What dlkit-gradebook reads: the tests' catalogues, the class
 * configuration (grader/class/class.conf.example) and each submission's
 * results (OUT/runs/KEY.tsv, written by grade-one). */
#include "gradebook.h"

#include "error.h"
#include "files.h"
#include "results.h"

#include <stdlib.h>
#include <string.h>

/* ---- Catalogues: name, points, timeout, hint ------------------------------- */

void read_catalog(gradebook *gb, const char *path, int ch, bool hidden)
{
    if (!dk_file_exists(path))
        return;
    char *text = gb_read_text(path), *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[4];
        if (dk_tsv_split(line, f, 4) != 4)
            dk_fatal("dlkit-gradebook: %s: malformed line", path);
        gb->columns = gb_realloc(gb->columns, (size_t)gb->ncolumns + 1, sizeof *gb->columns);
        gb->columns[gb->ncolumns++] =
            (column){gb_format("%s/%s", gb->chapters[ch].name, f[0]), dk_tsv_unescape(f[3]), ch,
                     hidden, atoi(f[1])};
        chapter *c = &gb->chapters[ch];
        *(hidden ? &c->hidden_max : &c->max) += atoi(f[1]);
    }
}

/* ---- The configuration ------------------------------------------------------
 * Parsed without ending the program, so that a fuzzer can drive it; the
 * first fault is returned in *why. */

static bool number(const char *s, double *v)
{
    char *end;
    if (!s)
        return false;
    *v = strtod(s, &end);
    return !*end && *v >= 0 && *v <= 1e9; /* (no NaN: it fails both) */
}

/* The rest of a line after n words, spaces trimmed. */
static const char *after_words(const char *line, int n)
{
    for (int i = 0; i < n; i++) {
        line += strspn(line, " \t");
        line += strcspn(line, " \t");
    }
    return line + strspn(line, " \t");
}

/* One of the values of Gradescope's "visibility" field. */
static bool gradescope_visibility(const char *v)
{
    return !strcmp(v, "visible") || !strcmp(v, "hidden") || !strcmp(v, "after_due_date") ||
           !strcmp(v, "after_published");
}

static void add_roster_entry(gradebook *gb, char **word, const char *line)
{
    gb->roster = gb_realloc(gb->roster, (size_t)gb->nroster + 1, sizeof *gb->roster);
    roster_entry *r = &gb->roster[gb->nroster++];
    gb_key_of(word[1], r->key, sizeof r->key);
    r->id = word[2];
    r->name = after_words(line, 3);
}

static const char *add_override(gradebook *gb, char **word, const char *line)
{
    double score;
    const char *reason = after_words(line, 4);
    if (!*reason)
        return "an override needs a reason";
    if (!number(word[3], &score))
        return "the score must be a number >= 0";
    gb->overrides = gb_realloc(gb->overrides, (size_t)gb->noverrides + 1, sizeof *gb->overrides);
    gb->overrides[gb->noverrides++] = (override){word[1], word[2], reason, score};
    return NULL;
}

/* A weight: the word, or 1 when absent and optional. */
static const char *set_weight(double *weight, const char *word, bool optional)
{
    if (!word && optional)
        *weight = 1;
    else if (!number(word, weight))
        return "a weight must be a number >= 0";
    return NULL;
}

/* NULL when understood, else what is wrong. The words point into line,
 * which the gradebook keeps. */
static const char *config_line(gradebook *gb, char *line)
{
    char *save = NULL, *word[4] = {strtok_r(gb_strdup(line), " \t", &save)};
    for (int i = 1; i < 4; i++)
        word[i] = strtok_r(NULL, " \t", &save);
    const char *key = word[0];
    int ch = word[1] ? gb_find_chapter(gb, word[1]) : -1;
    bool chapter = strcmp(key, "chapter") == 0, hidden = strcmp(key, "hidden") == 0;
    /* (chapter and hidden lines of chapters not graded in this run are
     * skipped: grade-class has checked their names.) */
    if ((chapter || hidden) && ch < 0)
        return NULL;
    if (chapter)
        return set_weight(&gb->chapters[ch].weight, word[2], true);
    if (hidden)
        return set_weight(&gb->chapters[ch].hidden_weight, word[2], false);
    if (strcmp(key, "visibility") == 0 && word[1] && gradescope_visibility(word[1])) {
        gb->visibility = word[1];
        return NULL;
    }
    if (strcmp(key, "student") == 0 && word[2]) {
        add_roster_entry(gb, word, line);
        return NULL;
    }
    if (strcmp(key, "override") == 0 && word[3] &&
        (strcmp(word[2], "total") == 0 || gb_find_chapter(gb, word[2]) >= 0))
        return add_override(gb, word, line);
    return "not understood (see grader/class/class.conf.example)";
}

bool parse_config(gradebook *gb, char *text, char **why)
{
    int n = 0;
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        n++;
        line += strspn(line, " \t\r");
        line[strcspn(line, "\r")] = '\0';
        const char *fault = *line && *line != '#' ? config_line(gb, line) : NULL;
        if (fault) {
            *why = gb_format("configuration line %d: %s: %s", n, fault, line);
            return false;
        }
    }
    return true;
}

void read_config(gradebook *gb, const char *path)
{
    char *why;
    if (!parse_config(gb, gb_read_text(path), &why))
        dk_fatal("dlkit-gradebook: %s: %s", path, why);
}

/* ---- grade-class's notes on the submissions' names ------------------------ */

void read_name_notes(gradebook *gb, const char *path)
{
    char *text = gb_read_text(path), *save = NULL; /* kept: the notes point into it */
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *tab = strchr(line, '\t');
        if (!tab)
            dk_fatal("dlkit-gradebook: %s: malformed line", path);
        *tab = '\0';
        gb->name_notes = gb_realloc(gb->name_notes, (size_t)gb->nname_notes + 1,
                                    sizeof *gb->name_notes);
        gb->name_notes[gb->nname_notes++] = (name_note){line, tab + 1};
    }
}

/* ---- A submission's results: "#field<TAB>value" lines, then results.tsv's
 * lines (results.h), the hidden tests' names prefixed "hidden:" --------------- */

static int find_column(const gradebook *gb, const char *name, bool hidden)
{
    for (int i = 0; i < gb->ncolumns; i++)
        if (gb->columns[i].hidden == hidden && strcmp(gb->columns[i].name, name) == 0)
            return i;
    return -1;
}

static void read_meta(student *s, char *line)
{
    static const char *const meta_names[NMETA] = {"submission", "hash",   "seconds",
                                                  "cpu_seconds", "peak_kib", "runner",
                                                  "events",     "notes"};
    char *f[2];
    if (dk_tsv_split(line, f, 2) == 2)
        for (int m = 0; m < NMETA; m++)
            if (strcmp(f[0], meta_names[m]) == 0)
                s->meta[m] = f[1];
}

static void read_result_line(const gradebook *gb, student *s, char *line, const char *path)
{
    if (line[0] == '#') {
        read_meta(s, line + 1);
        return;
    }
    dk_result r;
    if (!dk_result_parse(line, &r))
        dk_fatal("dlkit-gradebook: %s: malformed line", path);
    bool hidden = strncmp(r.name, "hidden:", 7) == 0;
    int c = find_column(gb, r.name + (hidden ? 7 : 0), hidden);
    if (c < 0)
        return; /* a test no longer in the catalogue */
    s->cells[c] = (cell){true, r.passed, r.points, r.kind, r.message};
    if (r.points != (r.passed ? gb->columns[c].max : 0))
        dk_fatal("dlkit-gradebook: %s: %s scores %d of %d", path, r.name, r.points, r.max);
}

void read_results(const gradebook *gb, student *s, const char *out)
{
    char *path = gb_format("%s/runs/%s.tsv", out, s->key);
    s->cells = gb_calloc((size_t)gb->ncolumns, sizeof *s->cells);
    s->submitted = dk_file_exists(path);
    if (s->submitted) {
        char *text = gb_read_text(path), *save = NULL; /* kept: the cells point into it */
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
            read_result_line(gb, s, line, path);
    }
    for (int c = 0; c < gb->ncolumns; c++)
        if (!s->cells[c].seen)
            s->cells[c] = (cell){false, false, 0, s->submitted ? DK_NOT_GRADED : DK_NO_SUBMISSION,
                                 ""};
    for (int m = 0; m < NMETA; m++)
        s->meta[m] = s->meta[m] ? s->meta[m] : "";
    free(path);
}
