/* dlkit-gradebook: a class's gradebook from the results of its submissions.
 *
 *   dlkit-gradebook --out OUT --kit VIEW [--config FILE] --chapters "A B" KEY...
 *
 * Reads OUT/runs/KEY.tsv (grade-one), the tests' catalogues in the kit's
 * view (VIEW/build and VIEW/build-hidden) and the class configuration, and
 * writes, each under a temporary name then renamed:
 *   OUT/gradebook.csv, OUT/gradebook.json   one row per student
 *   OUT/students/ID/results.json            Gradescope's format
 *   OUT/students/ID/feedback.txt            what the student reads
 *   OUT/report/report.txt, totals.dat       the class report, the totals
 * A student's total is out of 100: the weighted mean of each counted
 * chapter's public score and hidden score, each as a fraction of its
 * maximum (grader/class/README.md). */
#define _GNU_SOURCE /* vasprintf */
#include "error.h"
#include "files.h"
#include "json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHAPTERS 64

typedef struct column { /* one test */
    char *name;         /* "01-perceptron/sigmoid_values" */
    char *hint;
    int chapter;        /* index into chapters[] */
    bool hidden;
    int max;
} column;

typedef struct chapter {
    const char *name;
    double weight, hidden_weight; /* hidden_weight < 0: a hidden point counts as a public one */
    int max, hidden_max;
} chapter;

typedef struct cell {
    bool seen, passed;
    int points;
    char *kind, *message; /* unescaped */
} cell;

enum { M_SUBMISSION, M_HASH, M_SECONDS, M_CPU, M_PEAK, M_RUNNER, M_EVENTS, M_NOTES, NMETA };
static const char *const meta_names[NMETA] = {"submission", "hash",   "seconds",
                                              "cpu_seconds", "peak_kib", "runner",
                                              "events",     "notes"};

typedef struct student {
    char key[256], id[256];
    const char *name;
    bool submitted;
    char *meta[NMETA];
    cell *cells;
    double public_points[MAX_CHAPTERS], hidden_points[MAX_CHAPTERS];
    double total;
    char *overrides; /* "what=score: reason; ..." or "" */
} student;

typedef struct roster_entry {
    char key[256];
    const char *id, *name;
} roster_entry;

typedef struct override {
    const char *id, *what, *reason;
    double score;
} override;

static chapter chapters[MAX_CHAPTERS];
static int nchapters;
static column *columns;
static int ncolumns;
static student *students;
static int nstudents;
static roster_entry *roster;
static int nroster;
static override *overrides;
static int noverrides;
static const char *visibility = "after_due_date";

/* ---- Small helpers --------------------------------------------------- */

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        dk_fatal("dlkit-gradebook: out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p)
        dk_fatal("dlkit-gradebook: out of memory");
    return p;
}

__attribute__((format(printf, 1, 2))) static char *format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        dk_fatal("dlkit-gradebook: out of memory");
    va_end(ap);
    return s;
}

static char *read_text(const char *path)
{
    dk_err err;
    char *text = dk_read_file(path, NULL, &err);
    if (!text)
        dk_fatal("dlkit-gradebook: %s", err.msg);
    return text;
}

/* Undoes results.tsv's escapes (\t \n \\) in place. */
static char *unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r == '\\' && r[1]) {
            r++;
            *w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return s;
}

/* Cuts line at tabs into at most n fields; returns how many. */
static int split_tabs(char *line, char **field, int n)
{
    int i = 0;
    for (field[i++] = line; i < n && (line = strchr(line, '\t')); field[i++] = ++line)
        *line = '\0';
    return i;
}

/* What grade-class names a submission: without its archive suffix, odd
 * characters replaced by '_'. */
static void key_of(const char *name, char *key, size_t len)
{
    static const char *const suffixes[] = {".tar.gz", ".tgz", ".tar", ".zip"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        size_t s = strlen(suffixes[i]);
        if (n > s && strcmp(name + n - s, suffixes[i]) == 0) {
            n -= s;
            break;
        }
    }
    snprintf(key, len, "%.*s", (int)n, name);
    for (char *c = key; *c; c++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@+-", *c))
            *c = '_';
}

static int find_chapter(const char *name)
{
    for (int i = 0; i < nchapters; i++)
        if (strcmp(chapters[i].name, name) == 0)
            return i;
    return -1;
}

static int find_column(const char *name, bool hidden)
{
    for (int i = 0; i < ncolumns; i++)
        if (columns[i].hidden == hidden && strcmp(columns[i].name, name) == 0)
            return i;
    return -1;
}

/* ---- Writing files: temporary name, then rename ------------------------ */

typedef struct out_file {
    FILE *f;
    char *path, *tmp;
} out_file;

static out_file create(const char *path)
{
    out_file o = {NULL, xstrdup(path), format("%s.tmp", path)};
    dk_err err;
    if (!dk_mkdirs_for(path, &err))
        dk_fatal("dlkit-gradebook: %s", err.msg);
    if (!(o.f = fopen(o.tmp, "w")))
        dk_fatal("dlkit-gradebook: cannot write %s: %s", o.tmp, strerror(errno));
    return o;
}

static void commit(out_file o)
{
    if (fclose(o.f) != 0 || rename(o.tmp, o.path) != 0)
        dk_fatal("dlkit-gradebook: cannot write %s", o.path);
    free(o.path);
    free(o.tmp);
}

/* A CSV field, quoted when it must be (RFC 4180). */
static void csv_field(FILE *f, const char *s, bool last)
{
    s = s ? s : "";
    if (strpbrk(s, ",\"\n\r")) {
        fputc('"', f);
        for (; *s; s++)
            fputs(*s == '"' ? "\"\"" : (char[2]){*s, 0}, f);
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputc(last ? '\n' : ',', f);
}

/* ---- Reading: catalogues, configuration, results ------------------------ */

static void read_catalog(const char *path, int ch, bool hidden)
{
    if (!dk_file_exists(path))
        return;
    char *text = read_text(path), *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[4];
        if (split_tabs(line, f, 4) != 4)
            dk_fatal("dlkit-gradebook: %s: malformed line", path);
        columns = realloc(columns, (size_t)(ncolumns + 1) * sizeof *columns);
        if (!columns)
            dk_fatal("dlkit-gradebook: out of memory");
        columns[ncolumns++] = (column){format("%s/%s", chapters[ch].name, f[0]),
                                       unescape(f[3]), ch, hidden, atoi(f[1])};
        *(hidden ? &chapters[ch].hidden_max : &chapters[ch].max) += atoi(f[1]);
    }
}

static double number(const char *s, const char *what, int line)
{
    char *end;
    double v = s ? strtod(s, &end) : 0;
    if (!s || *end || v < 0)
        dk_fatal("dlkit-gradebook: configuration line %d: %s must be a number >= 0", line, what);
    return v;
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

static void config_line(char *line, int number_of_line)
{
    char *copy = xstrdup(line), *save = NULL;
    char *word[4] = {strtok_r(copy, " \t", &save)};
    for (int i = 1; i < 4; i++)
        word[i] = strtok_r(NULL, " \t", &save);
    const char *key = word[0];
    int ch = word[1] ? find_chapter(word[1]) : -1;
    if (strcmp(key, "chapter") == 0 && ch >= 0) {
        chapters[ch].weight = word[2] ? number(word[2], "a weight", number_of_line) : 1;
    } else if (strcmp(key, "hidden") == 0 && ch >= 0) {
        chapters[ch].hidden_weight = number(word[2], "a weight", number_of_line);
    } else if (strcmp(key, "visibility") == 0 && word[1] && gradescope_visibility(word[1])) {
        visibility = word[1];
    } else if (strcmp(key, "student") == 0 && word[2]) {
        roster = realloc(roster, (size_t)(nroster + 1) * sizeof *roster);
        if (!roster)
            dk_fatal("dlkit-gradebook: out of memory");
        roster_entry *r = &roster[nroster++];
        key_of(word[1], r->key, sizeof r->key);
        r->id = word[2];
        r->name = after_words(line, 3);
    } else if (strcmp(key, "override") == 0 && word[3] &&
               (strcmp(word[2], "total") == 0 || find_chapter(word[2]) >= 0)) {
        overrides = realloc(overrides, (size_t)(noverrides + 1) * sizeof *overrides);
        if (!overrides)
            dk_fatal("dlkit-gradebook: out of memory");
        const char *reason = after_words(line, 4);
        if (!*reason)
            dk_fatal("dlkit-gradebook: configuration line %d: an override needs a reason",
                     number_of_line);
        overrides[noverrides++] = (override){word[1], word[2], reason,
                                             number(word[3], "a score", number_of_line)};
    } else if (strcmp(key, "chapter") != 0 && strcmp(key, "hidden") != 0) {
        dk_fatal("dlkit-gradebook: configuration line %d not understood: %s "
                 "(see grader/class/class.conf.example)", number_of_line, line);
    }
    /* (chapter and hidden lines of chapters not graded in this run are
     * skipped: grade-class has checked their names.) */
}

static void read_config(const char *path)
{
    char *text = read_text(path);
    int n = 0;
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        n++;
        line += strspn(line, " \t\r");
        line[strcspn(line, "\r")] = '\0';
        if (*line && *line != '#')
            config_line(line, n);
    }
}

static void read_result_line(student *s, char *line, const char *path)
{
    char *f[7];
    if (line[0] == '#') {
        if (split_tabs(line + 1, f, 2) == 2)
            for (int m = 0; m < NMETA; m++)
                if (strcmp(f[0], meta_names[m]) == 0)
                    s->meta[m] = f[1];
        return;
    }
    if (split_tabs(line, f, 7) != 7)
        dk_fatal("dlkit-gradebook: %s: malformed line", path);
    bool hidden = strncmp(f[0], "hidden:", 7) == 0;
    int c = find_column(f[0] + (hidden ? 7 : 0), hidden);
    if (c < 0)
        return; /* a test no longer in the catalogue */
    cell *cl = &s->cells[c];
    *cl = (cell){true, strcmp(f[3], "passed") == 0, atoi(f[1]), unescape(f[4]), unescape(f[5])};
    if (cl->points != (cl->passed ? columns[c].max : 0))
        dk_fatal("dlkit-gradebook: %s: %s scores %s of %s", path, f[0], f[1], f[2]);
}

static void read_results(student *s, const char *out)
{
    char *path = format("%s/runs/%s.tsv", out, s->key);
    s->cells = xcalloc((size_t)ncolumns, sizeof *s->cells);
    s->submitted = dk_file_exists(path);
    if (s->submitted) {
        char *text = read_text(path), *save = NULL;
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
            read_result_line(s, line, path);
    }
    for (int c = 0; c < ncolumns; c++)
        if (!s->cells[c].seen)
            s->cells[c] = (cell){false, false, 0, s->submitted ? "not graded" : "no submission", ""};
    free(path);
}

/* ---- Scores ------------------------------------------------------------- */

static double hidden_weight(const chapter *ch)
{
    return !ch->hidden_max ? 0 : ch->hidden_weight >= 0 ? ch->hidden_weight
                                                      : ch->weight * ch->hidden_max / ch->max;
}

static void append_override(student *s, const override *o)
{
    char *old = s->overrides;
    s->overrides = format("%s%s%s=%g: %s", old, *old ? "; " : "", o->what, o->score, o->reason);
    free(old);
}

static void score(student *s)
{
    s->overrides = xstrdup("");
    for (int c = 0; c < ncolumns; c++) {
        double *points = columns[c].hidden ? s->hidden_points : s->public_points;
        points[columns[c].chapter] += s->cells[c].points;
    }
    bool total_set = false;
    for (int o = 0; o < noverrides; o++) {
        if (strcmp(overrides[o].id, s->id) != 0)
            continue;
        append_override(s, &overrides[o]);
        if (strcmp(overrides[o].what, "total") == 0) {
            s->total = overrides[o].score, total_set = true;
        } else {
            s->public_points[find_chapter(overrides[o].what)] = overrides[o].score;
        }
    }
    if (total_set)
        return;
    double sum = 0, weights = 0;
    for (int i = 0; i < nchapters; i++) {
        const chapter *ch = &chapters[i];
        double hw = hidden_weight(ch);
        sum += ch->weight * s->public_points[i] / ch->max;
        if (hw > 0)
            sum += hw * s->hidden_points[i] / ch->hidden_max;
        weights += ch->weight + hw;
    }
    s->total = weights > 0 ? 100 * sum / weights : 0;
}

static double meta_number(const student *s, int m)
{
    return s->meta[m] ? atof(s->meta[m]) : 0;
}

/* ---- The gradebook ------------------------------------------------------ */

static void write_csv(const char *out)
{
    out_file o = create(format("%s/gradebook.csv", out));
    fputs("id,name,submission,total", o.f);
    for (int i = 0; i < nchapters; i++) {
        fprintf(o.f, ",%s", chapters[i].name);
        if (chapters[i].hidden_max)
            fprintf(o.f, ",%s hidden", chapters[i].name);
    }
    for (int c = 0; c < ncolumns; c++)
        fprintf(o.f, ",%s%s", columns[c].hidden ? "hidden:" : "", columns[c].name);
    fputs(",overrides,events,seconds,cpu_seconds,peak_mib\n", o.f);
    for (int i = 0; i < nstudents; i++) {
        const student *s = &students[i];
        csv_field(o.f, s->id, false);
        csv_field(o.f, s->name, false);
        csv_field(o.f, s->meta[M_SUBMISSION] ? s->meta[M_SUBMISSION] : "", false);
        fprintf(o.f, "%.2f", s->total);
        for (int c = 0; c < nchapters; c++) {
            fprintf(o.f, ",%g", s->public_points[c]);
            if (chapters[c].hidden_max)
                fprintf(o.f, ",%g", s->hidden_points[c]);
        }
        for (int c = 0; c < ncolumns; c++)
            fprintf(o.f, ",%d", s->cells[c].points);
        fputc(',', o.f);
        csv_field(o.f, s->overrides, false);
        csv_field(o.f, s->submitted ? s->meta[M_EVENTS] : "no submission", false);
        fprintf(o.f, "%.2f,%.2f,%.1f\n", meta_number(s, M_SECONDS), meta_number(s, M_CPU),
                meta_number(s, M_PEAK) / 1024);
    }
    commit(o);
}

static void write_json(const char *out)
{
    out_file o = create(format("%s/gradebook.json", out));
    fputs("{\n  \"chapters\": [", o.f);
    for (int i = 0; i < nchapters; i++) {
        fprintf(o.f, "%s\n    {\"chapter\": ", i ? "," : "");
        json_string(o.f, chapters[i].name);
        fprintf(o.f, ", \"weight\": %g, \"max_score\": %d, \"hidden_weight\": %g, "
                "\"hidden_max_score\": %d}", chapters[i].weight, chapters[i].max,
                hidden_weight(&chapters[i]), chapters[i].hidden_max);
    }
    fputs("\n  ],\n  \"students\": [", o.f);
    for (int i = 0; i < nstudents; i++) {
        const student *s = &students[i];
        fprintf(o.f, "%s\n    {\"id\": ", i ? "," : "");
        json_string(o.f, s->id);
        fputs(", \"name\": ", o.f);
        json_string(o.f, s->name);
        fputs(", \"submission\": ", o.f);
        json_string(o.f, s->meta[M_SUBMISSION]);
        fprintf(o.f, ", \"total\": %.2f,\n     \"chapters\": {", s->total);
        for (int c = 0; c < nchapters; c++) {
            fprintf(o.f, "%s", c ? ", " : "");
            json_string(o.f, chapters[c].name);
            fprintf(o.f, ": {\"score\": %g, \"hidden\": %g}", s->public_points[c],
                    s->hidden_points[c]);
        }
        fputs("},\n     \"tests\": {", o.f);
        for (int c = 0; c < ncolumns; c++) {
            fprintf(o.f, "%s\"%s%s\": %d", c ? ", " : "", columns[c].hidden ? "hidden:" : "",
                    columns[c].name, s->cells[c].points);
        }
        fputs("},\n     \"overrides\": ", o.f);
        json_string(o.f, s->overrides);
        fputs(", \"events\": ", o.f);
        json_string(o.f, s->submitted ? s->meta[M_EVENTS] : "no submission");
        fprintf(o.f, ", \"seconds\": %.2f, \"cpu_seconds\": %.2f, \"peak_mib\": %.1f}",
                meta_number(s, M_SECONDS), meta_number(s, M_CPU), meta_number(s, M_PEAK) / 1024);
    }
    fputs("\n  ]\n}\n", o.f);
    commit(o);
}

/* ---- What each student gets -------------------------------------------------- */

static const char *test_visibility(const column *c)
{
    return c->hidden ? visibility : "visible";
}

static void write_gradescope(const char *out, const student *s)
{
    out_file o = create(format("%s/students/%s/results.json", out, s->id));
    fprintf(o.f, "{\n  \"score\": %.2f,\n  \"output\": ", s->total);
    char *summary = format("Total %.2f / 100.%s%s", s->total, *s->overrides ? " Overrides: " : "",
                           s->overrides);
    json_string(o.f, summary);
    free(summary);
    fputs(",\n  \"tests\": [", o.f);
    for (int c = 0; c < ncolumns; c++) {
        const cell *cl = &s->cells[c];
        fprintf(o.f, "%s\n    {\"name\": ", c ? "," : "");
        char *name = format("%s%s", columns[c].hidden ? "hidden: " : "", columns[c].name);
        json_string(o.f, name);
        free(name);
        fprintf(o.f, ", \"score\": %d, \"max_score\": %d, \"status\": \"%s\", \"visibility\": \"%s\", "
                "\"output\": ", cl->points, columns[c].max, cl->passed ? "passed" : "failed",
                test_visibility(&columns[c]));
        char *output = cl->passed ? xstrdup("passed")
                                  : format("%s: %s\nHint: %s", cl->kind, cl->message, columns[c].hint);
        json_string(o.f, output);
        free(output);
        fputc('}', o.f);
    }
    fputs("\n  ]\n}\n", o.f);
    commit(o);
}

static void feedback_failures(FILE *f, const student *s, bool hidden)
{
    for (int c = 0; c < ncolumns; c++) {
        const cell *cl = &s->cells[c];
        if (cl->passed || columns[c].hidden != hidden)
            continue;
        fprintf(f, "\n  %s (%d points): %s: ", columns[c].name, columns[c].max, cl->kind);
        for (const char *m = cl->message; *m; m++)
            fputs(*m == '\n' ? "\n    " : (char[2]){*m, 0}, f);
        fprintf(f, "\n    Hint: %s\n", columns[c].hint);
    }
}

static void write_feedback(const char *out, const student *s)
{
    out_file o = create(format("%s/students/%s/feedback.txt", out, s->id));
    FILE *f = o.f;
    fprintf(f, "dlkit: %s%s%s%s\n", s->id, *s->name ? " (" : "", s->name, *s->name ? ")" : "");
    fprintf(f, "Submission: %s\nTotal: %.2f / 100\n\n",
            s->submitted ? s->meta[M_SUBMISSION] : "none received", s->total);
    bool show_hidden = strcmp(visibility, "visible") == 0;
    for (int i = 0; i < nchapters; i++) {
        fprintf(f, "  %-20s %5g / %d   (weight %g)\n", chapters[i].name, s->public_points[i],
                chapters[i].max, chapters[i].weight);
        if (chapters[i].hidden_max && show_hidden)
            fprintf(f, "  %-20s %5g / %d   (weight %g)\n", "  hidden tests", s->hidden_points[i],
                    chapters[i].hidden_max, hidden_weight(&chapters[i]));
        else if (chapters[i].hidden_max)
            fprintf(f, "  %-20s shown %s\n", "  hidden tests",
                    strcmp(visibility, "hidden") == 0 ? "by your instructor" : "after the due date");
    }
    if (*s->overrides)
        fprintf(f, "\nSet by your instructor: %s\n", s->overrides);
    if (s->submitted && *s->meta[M_NOTES])
        fprintf(f, "\nWhile taking your files: %s\n", s->meta[M_NOTES]);
    if (s->submitted && *s->meta[M_EVENTS])
        fprintf(f, "\nLimits reached while grading: %s\n", s->meta[M_EVENTS]);
    fputs("\nTests failed, in the order they run:\n", f);
    feedback_failures(f, s, false);
    if (show_hidden)
        feedback_failures(f, s, true);
    commit(o);
}

/* ---- The class report ----------------------------------------------------------- */

static int by_total(const void *a, const void *b)
{
    double x = **(const double *const *)a, y = **(const double *const *)b;
    return (x > y) - (x < y);
}

static void report_totals(FILE *f, const char *out)
{
    out_file data = create(format("%s/report/totals.dat", out));
    const double **sorted = xcalloc((size_t)nstudents, sizeof *sorted);
    double sum = 0;
    for (int i = 0; i < nstudents; i++) {
        sorted[i] = &students[i].total;
        sum += students[i].total;
        fprintf(data.f, "%.2f\n", students[i].total);
    }
    commit(data);
    qsort(sorted, (size_t)nstudents, sizeof *sorted, by_total);
    fprintf(f, "Totals (out of 100): mean %.1f, median %.1f, lowest %.1f, highest %.1f "
            "(histogram.png)\n", sum / nstudents, *sorted[nstudents / 2], *sorted[0],
            *sorted[nstudents - 1]);
    free(sorted);
}

static double pass_rate(int c)
{
    int passed = 0;
    for (int i = 0; i < nstudents; i++)
        passed += students[i].cells[c].passed;
    return 100.0 * passed / nstudents;
}

static int by_pass_rate(const void *a, const void *b)
{
    double x = pass_rate(*(const int *)a), y = pass_rate(*(const int *)b);
    return (x > y) - (x < y);
}

static void report_pass_rates(FILE *f)
{
    int *order = xcalloc((size_t)ncolumns, sizeof *order);
    for (int c = 0; c < ncolumns; c++)
        order[c] = c;
    qsort(order, (size_t)ncolumns, sizeof *order, by_pass_rate);
    fputs("\nEach test's pass rate, lowest first (the concepts the class missed):\n", f);
    for (int i = 0; i < ncolumns; i++) {
        const column *c = &columns[order[i]];
        fprintf(f, "  %5.1f%%  %s%s (%d points): %s\n", pass_rate(order[i]),
                c->hidden ? "hidden:" : "", c->name, c->max, c->hint);
    }
    free(order);
}

static int by_seconds(const void *a, const void *b)
{
    double x = meta_number(*(student *const *)a, M_SECONDS);
    double y = meta_number(*(student *const *)b, M_SECONDS);
    return (x < y) - (x > y);
}

static void report_slowest(FILE *f)
{
    student **sorted = xcalloc((size_t)nstudents, sizeof *sorted);
    for (int i = 0; i < nstudents; i++)
        sorted[i] = &students[i];
    qsort(sorted, (size_t)nstudents, sizeof *sorted, by_seconds);
    fputs("\nSlowest submissions (wall time of the whole grading, CPU time, peak memory):\n", f);
    for (int i = 0; i < nstudents && i < 10 && sorted[i]->submitted; i++)
        fprintf(f, "  %8.2f s  %8.2f s cpu  %7.1f MiB  %s\n", meta_number(sorted[i], M_SECONDS),
                meta_number(sorted[i], M_CPU), meta_number(sorted[i], M_PEAK) / 1024,
                sorted[i]->id);
    free(sorted);
}

/* Kinds of failure that mean the code was stopped, not merely wrong. */
static bool stopped(const char *kind)
{
    static const char *const kinds[] = {"crash", "timeout", "out of memory", "exited",
                                        "build error", "forbidden call"};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(kind, kinds[i]) == 0)
            return true;
    return false;
}

/* One student's entry under "what stopped them", if anything did. */
static void report_stopped_one(FILE *f, const student *s)
{
    bool any = *s->meta[M_EVENTS] || *s->meta[M_NOTES];
    for (int c = 0; c < ncolumns && !any; c++)
        any = stopped(s->cells[c].kind);
    if (!any)
        return;
    fprintf(f, "  %s (total %.2f):\n", s->id, s->total);
    if (*s->meta[M_EVENTS])
        fprintf(f, "    sandbox: %s\n", s->meta[M_EVENTS]);
    if (*s->meta[M_NOTES])
        fprintf(f, "    files: %s\n", s->meta[M_NOTES]);
    int shown = 0;
    const cell *last = NULL;
    for (int c = 0; c < ncolumns; c++) {
        const cell *cl = &s->cells[c];
        if (!stopped(cl->kind) || (last && strcmp(cl->kind, last->kind) == 0 &&
                                  strcmp(cl->message, last->message) == 0))
            continue; /* (a chapter that does not build fails every test alike) */
        last = cl;
        if (shown++ == 6) {
            fputs("    ...\n", f);
            break;
        }
        fprintf(f, "    %s%s: %s: %.*s\n", columns[c].hidden ? "hidden:" : "", columns[c].name,
                cl->kind, (int)strcspn(cl->message, "\n"), cl->message);
    }
}

static void write_report(const char *out)
{
    out_file o = create(format("%s/report/report.txt", out));
    fprintf(o.f, "dlkit class report: %d students, chapters", nstudents);
    for (int i = 0; i < nchapters; i++)
        fprintf(o.f, " %s", chapters[i].name);
    fputs("\n\n", o.f);
    report_totals(o.f, out);
    report_pass_rates(o.f);
    report_slowest(o.f);
    fputs("\nCrashing and stopped submissions, and what stopped them:\n", o.f);
    for (int i = 0; i < nstudents; i++)
        if (students[i].submitted)
            report_stopped_one(o.f, &students[i]);
    commit(o);
}

/* ---- main --------------------------------------------------------------------- */

static void add_student(const char *key, const char *id, const char *name)
{
    student *s = &students[nstudents++];
    snprintf(s->key, sizeof s->key, "%s", key);
    key_of(id, s->id, sizeof s->id); /* (a file name in students/) */
    s->name = name;
}

/* Students in the order of the submissions, then those of the roster who
 * sent nothing. */
static void gather_students(char **keys, int nkeys)
{
    students = xcalloc((size_t)(nkeys + nroster), sizeof *students);
    for (int k = 0; k < nkeys; k++) {
        const roster_entry *r = NULL;
        for (int i = 0; i < nroster && !r; i++)
            if (strcmp(roster[i].key, keys[k]) == 0)
                r = &roster[i];
        add_student(keys[k], r ? r->id : keys[k], r ? r->name : "");
    }
    for (int i = 0; i < nroster; i++) {
        bool found = false;
        for (int k = 0; k < nkeys && !found; k++)
            found = strcmp(roster[i].key, keys[k]) == 0;
        if (!found)
            add_student(roster[i].key, roster[i].id, roster[i].name);
    }
}

static void set_chapters(char *list)
{
    char *save = NULL;
    for (char *name = strtok_r(list, " ", &save); name; name = strtok_r(NULL, " ", &save)) {
        if (nchapters == MAX_CHAPTERS)
            dk_fatal("dlkit-gradebook: more than %d chapters", MAX_CHAPTERS);
        chapters[nchapters++] = (chapter){name, 1, -1, 0, 0};
    }
}

int main(int argc, char **argv)
{
    const char *out = NULL, *kit = NULL, *config = NULL;
    char *chapter_list = NULL;
    int first = 1;
    for (; first + 1 < argc && argv[first][0] == '-'; first += 2) {
        if (!strcmp(argv[first], "--out")) out = argv[first + 1];
        else if (!strcmp(argv[first], "--kit")) kit = argv[first + 1];
        else if (!strcmp(argv[first], "--config")) config = argv[first + 1];
        else if (!strcmp(argv[first], "--chapters")) chapter_list = xstrdup(argv[first + 1]);
        else break;
    }
    if (!out || !kit || !chapter_list || first >= argc)
        dk_fatal("usage: dlkit-gradebook --out OUT --kit VIEW [--config FILE] --chapters \"A B\" KEY...");
    set_chapters(chapter_list);
    for (int i = 0; i < nchapters; i++) {
        read_catalog(format("%s/build/grader/%s/catalog.tsv", kit, chapters[i].name), i, false);
        read_catalog(format("%s/build-hidden/grader/%s/catalog.tsv", kit, chapters[i].name), i, true);
    }
    if (config)
        read_config(config);
    gather_students(argv + first, argc - first);
    for (int i = 0; i < nstudents; i++) {
        read_results(&students[i], out);
        score(&students[i]);
        for (int m = 0; m < NMETA; m++)
            students[i].meta[m] = students[i].meta[m] ? students[i].meta[m] : "";
    }
    write_csv(out);
    write_json(out);
    for (int i = 0; i < nstudents; i++) {
        write_gradescope(out, &students[i]);
        write_feedback(out, &students[i]);
    }
    write_report(out);
    return 0;
}
