/* The class report (report/report.txt) and the totals for its histogram
 * (report/totals.dat): what the class missed, what was slow, what stopped. */
#include "gradebook.h"

#include "results.h"

#include <stdlib.h>
#include <string.h>

static int by_total(const void *a, const void *b)
{
    double x = **(const double *const *)a, y = **(const double *const *)b;
    return (x > y) - (x < y);
}

static void report_totals(FILE *f, const gradebook *gb, const char *out)
{
    out_file data = gb_create(gb_format("%s/report/totals.dat", out));
    const double **sorted = gb_calloc((size_t)gb->nstudents, sizeof *sorted);
    double sum = 0;
    for (int i = 0; i < gb->nstudents; i++) {
        sorted[i] = &gb->students[i].total;
        sum += gb->students[i].total;
        fprintf(data.f, "%.2f\n", gb->students[i].total);
    }
    gb_commit(data);
    qsort(sorted, (size_t)gb->nstudents, sizeof *sorted, by_total);
    int n = gb->nstudents;
    fprintf(f, "Totals (out of 100): mean %.1f, median %.1f, lowest %.1f, highest %.1f "
            "(histogram.png)\n", sum / n, *sorted[n / 2], *sorted[0], *sorted[n - 1]);
    free(sorted);
}

typedef struct rate {
    double percent;
    int column;
} rate;

/* Lowest first; in the catalogue's order among equals. */
static int by_rate(const void *a, const void *b)
{
    const rate *x = a, *y = b;
    if (x->percent != y->percent)
        return (x->percent > y->percent) - (x->percent < y->percent);
    return (x->column > y->column) - (x->column < y->column);
}

static void report_pass_rates(FILE *f, const gradebook *gb)
{
    rate *rates = gb_calloc((size_t)gb->ncolumns, sizeof *rates);
    for (int c = 0; c < gb->ncolumns; c++) {
        int passed = 0;
        for (int i = 0; i < gb->nstudents; i++)
            passed += gb->students[i].cells[c].passed;
        rates[c] = (rate){100.0 * passed / gb->nstudents, c};
    }
    qsort(rates, (size_t)gb->ncolumns, sizeof *rates, by_rate);
    fputs("\nEach test's pass rate, lowest first (the concepts the class missed):\n", f);
    for (int i = 0; i < gb->ncolumns; i++) {
        const column *c = &gb->columns[rates[i].column];
        fprintf(f, "  %5.1f%%  %s%s (%d points): %s\n", rates[i].percent,
                c->hidden ? "hidden:" : "", c->name, c->max, c->hint);
    }
    free(rates);
}

/* Slowest first; in the gradebook's order among equals. */
static int by_seconds(const void *a, const void *b)
{
    const student *s = *(const student *const *)a, *t = *(const student *const *)b;
    double x = meta_number(s, M_SECONDS), y = meta_number(t, M_SECONDS);
    if (x != y)
        return (x < y) - (x > y);
    return (s > t) - (s < t);
}

static void report_slowest(FILE *f, const gradebook *gb)
{
    const student **sorted = gb_calloc((size_t)gb->nstudents, sizeof *sorted);
    for (int i = 0; i < gb->nstudents; i++)
        sorted[i] = &gb->students[i];
    qsort(sorted, (size_t)gb->nstudents, sizeof *sorted, by_seconds);
    fputs("\nSlowest submissions (wall time of the whole grading, CPU time, peak memory):\n", f);
    for (int i = 0; i < gb->nstudents && i < 10 && sorted[i]->submitted; i++)
        fprintf(f, "  %8.2f s  %8.2f s cpu  %7.1f MiB  %s\n", meta_number(sorted[i], M_SECONDS),
                meta_number(sorted[i], M_CPU), meta_number(sorted[i], M_PEAK) / 1024,
                sorted[i]->id);
    free(sorted);
}

/* The tests that stopped the student's code, each cause once (a chapter
 * that does not build fails every test alike), at most 6. */
static void report_stopped_tests(FILE *f, const gradebook *gb, const student *s)
{
    int shown = 0;
    const cell *last = NULL;
    for (int c = 0; c < gb->ncolumns; c++) {
        const cell *cl = &s->cells[c];
        if (!dk_kind_stopped(cl->kind) || (last && strcmp(cl->kind, last->kind) == 0 &&
                                           strcmp(cl->message, last->message) == 0))
            continue;
        last = cl;
        if (shown++ == 6) {
            fputs("    ...\n", f);
            break;
        }
        fprintf(f, "    %s%s: %s: %.*s\n", gb->columns[c].hidden ? "hidden:" : "",
                gb->columns[c].name, cl->kind, (int)strcspn(cl->message, "\n"), cl->message);
    }
}

/* One student's entry under "what stopped them", if anything did. */
static void report_stopped_one(FILE *f, const gradebook *gb, const student *s)
{
    bool any = *s->meta[M_EVENTS] || *s->meta[M_NOTES];
    for (int c = 0; c < gb->ncolumns && !any; c++)
        any = dk_kind_stopped(s->cells[c].kind);
    if (!any)
        return;
    fprintf(f, "  %s (total %.2f):\n", s->id, s->total);
    if (*s->meta[M_EVENTS])
        fprintf(f, "    sandbox: %s\n", s->meta[M_EVENTS]);
    if (*s->meta[M_NOTES])
        fprintf(f, "    files: %s\n", s->meta[M_NOTES]);
    report_stopped_tests(f, gb, s);
}

/* grade-class's notes: submissions graded under another id, entries of
 * SUBMISSIONS not graded. */
static void report_names(FILE *f, const gradebook *gb)
{
    if (!gb->nname_notes)
        return;
    fputs("\nSubmissions renamed or not graded because of their names or kinds:\n", f);
    for (int i = 0; i < gb->nname_notes; i++)
        fprintf(f, "  %s\n", gb->name_notes[i].note);
}

void write_report(const gradebook *gb, const char *out)
{
    out_file o = gb_create(gb_format("%s/report/report.txt", out));
    fprintf(o.f, "dlkit class report: %d students, chapters", gb->nstudents);
    for (int i = 0; i < gb->nchapters; i++)
        fprintf(o.f, " %s", gb->chapters[i].name);
    fputs("\n\n", o.f);
    report_totals(o.f, gb, out);
    report_pass_rates(o.f, gb);
    report_slowest(o.f, gb);
    report_names(o.f, gb);
    fputs("\nCrashing and stopped submissions, and what stopped them:\n", o.f);
    for (int i = 0; i < gb->nstudents; i++)
        if (gb->students[i].submitted)
            report_stopped_one(o.f, gb, &gb->students[i]);
    gb_commit(o);
}
