/* The gradebook (gradebook.csv, gradebook.json) and what each student gets
 * (students/ID/results.json for Gradescope, students/ID/feedback.txt). */
#include "gradebook.h"

#include "json.h"
#include "results.h"

#include <stdlib.h>
#include <string.h>

/* ---- The gradebook -------------------------------------------------------- */

/* A CSV field, quoted when it must be (RFC 4180). A cell that a
 * spreadsheet would read as a formula (it starts with = + - @, a tab or a
 * carriage return: a submission's or a student's name may) gets a single
 * quote before it and is quoted, as OWASP's rule on CSV injection says. */
static void csv_field(FILE *f, const char *s, bool last)
{
    s = s ? s : "";
    bool formula = *s && strchr("=+-@\t\r", *s);
    if (formula || strpbrk(s, ",\"\n\r")) {
        fputs(formula ? "\"'" : "\"", f);
        for (; *s; s++)
            fputs(*s == '"' ? "\"\"" : (char[2]){*s, 0}, f);
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputc(last ? '\n' : ',', f);
}

/* What the gradebook says of how the files were taken: the note on the
 * submission's name, then the notes of its run. */
static char *student_notes(const student *s)
{
    const char *run = s->submitted ? s->meta[M_NOTES] : "";
    return gb_format("%s%s%s", s->name_note, *s->name_note && *run ? "; " : "", run);
}

/* A test's name in the gradebook: "hidden:" before a hidden test's. */
static char *column_name(const column *c)
{
    return gb_format("%s%s", c->hidden ? "hidden:" : "", c->name);
}

static void csv_header(FILE *f, const gradebook *gb)
{
    fputs("id,name,submission,total", f);
    for (int i = 0; i < gb->nchapters; i++) {
        fprintf(f, ",%s", gb->chapters[i].name);
        if (gb->chapters[i].hidden_max)
            fprintf(f, ",%s hidden", gb->chapters[i].name);
    }
    for (int c = 0; c < gb->ncolumns; c++) {
        char *name = column_name(&gb->columns[c]);
        fprintf(f, ",%s", name);
        free(name);
    }
    fputs(",overrides,events,notes,seconds,cpu_seconds,peak_mib\n", f);
}

static void csv_row(FILE *f, const gradebook *gb, const student *s)
{
    csv_field(f, s->id, false);
    csv_field(f, s->name, false);
    csv_field(f, s->meta[M_SUBMISSION], false);
    fprintf(f, "%.2f", s->total);
    for (int c = 0; c < gb->nchapters; c++) {
        fprintf(f, ",%g", s->public_points[c]);
        if (gb->chapters[c].hidden_max)
            fprintf(f, ",%g", s->hidden_points[c]);
    }
    for (int c = 0; c < gb->ncolumns; c++)
        fprintf(f, ",%d", s->cells[c].points);
    fputc(',', f);
    csv_field(f, s->overrides, false);
    csv_field(f, s->submitted ? s->meta[M_EVENTS] : DK_NO_SUBMISSION, false);
    char *notes = student_notes(s);
    csv_field(f, notes, false);
    free(notes);
    fprintf(f, "%.2f,%.2f,%.1f\n", meta_number(s, M_SECONDS), meta_number(s, M_CPU),
            meta_number(s, M_PEAK) / 1024);
}

void write_csv(const gradebook *gb, const char *out)
{
    out_file o = gb_create(gb_format("%s/gradebook.csv", out));
    csv_header(o.f, gb);
    for (int i = 0; i < gb->nstudents; i++)
        csv_row(o.f, gb, &gb->students[i]);
    gb_commit(o);
}

static void json_chapters(FILE *f, const gradebook *gb)
{
    fputs("{\n  \"chapters\": [", f);
    for (int i = 0; i < gb->nchapters; i++) {
        const chapter *ch = &gb->chapters[i];
        fprintf(f, "%s\n    {\"chapter\": ", i ? "," : "");
        json_string(f, ch->name);
        fprintf(f, ", \"weight\": %g, \"max_score\": %d, \"hidden_weight\": %g, "
                "\"hidden_max_score\": %d}", ch->weight, ch->max, hidden_weight(ch),
                ch->hidden_max);
    }
}

static void json_student(FILE *f, const gradebook *gb, const student *s)
{
    fputs("{\"id\": ", f);
    json_string(f, s->id);
    fputs(", \"name\": ", f);
    json_string(f, s->name);
    fputs(", \"submission\": ", f);
    json_string(f, s->meta[M_SUBMISSION]);
    fprintf(f, ", \"total\": %.2f,\n     \"chapters\": {", s->total);
    for (int c = 0; c < gb->nchapters; c++) {
        fprintf(f, "%s", c ? ", " : "");
        json_string(f, gb->chapters[c].name);
        fprintf(f, ": {\"score\": %g, \"hidden\": %g}", s->public_points[c], s->hidden_points[c]);
    }
    fputs("},\n     \"tests\": {", f);
    for (int c = 0; c < gb->ncolumns; c++) {
        char *name = column_name(&gb->columns[c]);
        fprintf(f, "%s", c ? ", " : "");
        json_string(f, name);
        fprintf(f, ": %d", s->cells[c].points);
        free(name);
    }
    fputs("},\n     \"overrides\": ", f);
    json_string(f, s->overrides);
    fputs(", \"events\": ", f);
    json_string(f, s->submitted ? s->meta[M_EVENTS] : DK_NO_SUBMISSION);
    fputs(", \"notes\": ", f);
    char *notes = student_notes(s);
    json_string(f, notes);
    free(notes);
    fprintf(f, ", \"seconds\": %.2f, \"cpu_seconds\": %.2f, \"peak_mib\": %.1f}",
            meta_number(s, M_SECONDS), meta_number(s, M_CPU), meta_number(s, M_PEAK) / 1024);
}

void write_json(const gradebook *gb, const char *out)
{
    out_file o = gb_create(gb_format("%s/gradebook.json", out));
    json_chapters(o.f, gb);
    fputs("\n  ],\n  \"students\": [", o.f);
    for (int i = 0; i < gb->nstudents; i++) {
        fputs(i ? ",\n    " : "\n    ", o.f);
        json_student(o.f, gb, &gb->students[i]);
    }
    fputs("\n  ]\n}\n", o.f);
    gb_commit(o);
}

/* ---- What each student gets ---------------------------------------------------- */

static void write_gradescope(const gradebook *gb, const student *s, const char *out)
{
    out_file o = gb_create(gb_format("%s/students/%s/results.json", out, s->id));
    char *summary = gb_format("Total %.2f / 100.%s%s", s->total,
                              *s->overrides ? " Overrides: " : "", s->overrides);
    gradescope g = gradescope_begin(o.f, s->total, 2, summary);
    free(summary);
    for (int c = 0; c < gb->ncolumns; c++) {
        const column *col = &gb->columns[c];
        const cell *cl = &s->cells[c];
        char *name = gb_format("%s%s", col->hidden ? "hidden: " : "", col->name);
        dk_result r = {name, cl->points, col->max, cl->passed, cl->kind, cl->message, col->hint};
        gradescope_test(&g, &r, col->hidden ? gb->visibility : "visible");
        free(name);
    }
    gradescope_end(&g);
    gb_commit(o);
}

static void feedback_failures(FILE *f, const gradebook *gb, const student *s, bool hidden)
{
    for (int c = 0; c < gb->ncolumns; c++) {
        const column *col = &gb->columns[c];
        const cell *cl = &s->cells[c];
        if (cl->passed || col->hidden != hidden)
            continue;
        fprintf(f, "\n  %s (%d points): %s: ", col->name, col->max, cl->kind);
        for (const char *m = cl->message; *m; m++)
            fputs(*m == '\n' ? "\n    " : (char[2]){*m, 0}, f);
        fprintf(f, "\n    Hint: %s\n", col->hint);
    }
}

static void feedback_chapters(FILE *f, const gradebook *gb, const student *s, bool show_hidden)
{
    for (int i = 0; i < gb->nchapters; i++) {
        const chapter *ch = &gb->chapters[i];
        fprintf(f, "  %-20s %5g / %d   (weight %g)\n", ch->name, s->public_points[i], ch->max,
                ch->weight);
        if (ch->hidden_max && show_hidden)
            fprintf(f, "  %-20s %5g / %d   (weight %g)\n", "  hidden tests", s->hidden_points[i],
                    ch->hidden_max, hidden_weight(ch));
        else if (ch->hidden_max)
            fprintf(f, "  %-20s shown %s\n", "  hidden tests",
                    strcmp(gb->visibility, "hidden") == 0 ? "by your instructor"
                                                          : "after the due date");
    }
}

static void write_feedback(const gradebook *gb, const student *s, const char *out)
{
    out_file o = gb_create(gb_format("%s/students/%s/feedback.txt", out, s->id));
    FILE *f = o.f;
    fprintf(f, "dlkit: %s%s%s%s\n", s->id, *s->name ? " (" : "", s->name, *s->name ? ")" : "");
    fprintf(f, "Submission: %s\nTotal: %.2f / 100\n\n",
            s->submitted ? s->meta[M_SUBMISSION] : "none received", s->total);
    if (*s->name_note)
        fprintf(f, "Its name: %s\n\n", s->name_note);
    bool show_hidden = strcmp(gb->visibility, "visible") == 0;
    feedback_chapters(f, gb, s, show_hidden);
    if (*s->overrides)
        fprintf(f, "\nSet by your instructor: %s\n", s->overrides);
    if (s->submitted && *s->meta[M_NOTES])
        fprintf(f, "\nWhile taking your files: %s\n", s->meta[M_NOTES]);
    if (s->submitted && *s->meta[M_EVENTS])
        fprintf(f, "\nLimits reached while grading: %s\n", s->meta[M_EVENTS]);
    fputs("\nTests failed, in the order they run:\n", f);
    feedback_failures(f, gb, s, false);
    if (show_hidden)
        feedback_failures(f, gb, s, true);
    gb_commit(o);
}

void write_student_files(const gradebook *gb, const student *s, const char *out)
{
    write_gradescope(gb, s, out);
    write_feedback(gb, s, out);
}
