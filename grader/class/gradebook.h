/* dlkit-gradebook's data and the parts that share it (grader/class/):
 *   gradebook.c     the command line, the students, small helpers
 *   inputs.c        catalogues, the class configuration, each run's results
 *   scores.c        each student's chapter scores and total
 *   outputs.c       gradebook.csv and .json; each student's results.json
 *                   and feedback.txt
 *   class_report.c  report/report.txt and totals.dat
 * Everything is read into one gradebook, then written out; nothing is
 * global. */
#ifndef DLKIT_GRADEBOOK_H
#define DLKIT_GRADEBOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

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
    const char *kind, *message; /* unescaped */
} cell;

enum { M_SUBMISSION, M_HASH, M_SECONDS, M_CPU, M_PEAK, M_RUNNER, M_EVENTS, M_NOTES, NMETA };

typedef struct student {
    char key[256], id[256];
    const char *name;
    bool submitted;
    const char *meta[NMETA]; /* "" when the run did not say */
    cell *cells;             /* one per column */
    double public_points[MAX_CHAPTERS], hidden_points[MAX_CHAPTERS];
    double total;
    char *overrides; /* "what=score: reason; ..." or "" */
    const char *name_note; /* why it was renamed (grade-class), or "" */
} student;

typedef struct roster_entry {
    char key[256];
    const char *id, *name;
} roster_entry;

typedef struct name_note { /* a line of grade-class's names.tsv */
    const char *key;          /* "" for an entry not graded */
    const char *note;
} name_note;

typedef struct override {
    const char *id, *what, *reason;
    double score;
} override;

typedef struct gradebook {
    chapter chapters[MAX_CHAPTERS];
    int nchapters;
    column *columns;
    int ncolumns;
    student *students;
    int nstudents;
    roster_entry *roster;
    int nroster;
    override *overrides;
    int noverrides;
    name_note *name_notes;
    int nname_notes;
    const char *visibility; /* of hidden tests, in Gradescope's words */
} gradebook;

/* ---- gradebook.c: helpers that end the program on failure ----------------- */

void *gb_calloc(size_t n, size_t size);
void *gb_realloc(void *p, size_t n, size_t size);
char *gb_strdup(const char *s);
char *gb_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *gb_read_text(const char *path);
/* What grade-class names a submission (grader/class/grade-class). */
void gb_key_of(const char *name, char *key, size_t len);
int gb_find_chapter(const gradebook *gb, const char *name);

/* A file written under a temporary name, then renamed. */
typedef struct out_file {
    FILE *f;
    char *path, *tmp;
} out_file;
out_file gb_create(char *path); /* takes path (gb_format's) */
void gb_commit(out_file o);

/* ---- inputs.c ---------------------------------------------------------------- */

void read_catalog(gradebook *gb, const char *path, int ch, bool hidden);
/* The configuration's text, cut in place (the gradebook points into it);
 * false with a message in *why (allocated) at the first line not
 * understood. */
bool parse_config(gradebook *gb, char *text, char **why);
void read_config(gradebook *gb, const char *path);
/* grade-class's notes on names: "KEY<TAB>NOTE" lines. */
void read_name_notes(gradebook *gb, const char *path);
void read_results(const gradebook *gb, student *s, const char *out);

/* ---- scores.c ------------------------------------------------------------------ */

double hidden_weight(const chapter *ch);
void score(const gradebook *gb, student *s);
double meta_number(const student *s, int m);

/* ---- outputs.c, class_report.c ------------------------------------------------- */

void write_csv(const gradebook *gb, const char *out);
void write_json(const gradebook *gb, const char *out);
void write_student_files(const gradebook *gb, const student *s, const char *out);
void write_report(const gradebook *gb, const char *out);

#endif
