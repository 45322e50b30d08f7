/* The failure kinds and results.tsv's reader and writer (results.h). */
#include "results.h"

#include <stdlib.h>
#include <string.h>

static const struct kind_info {
    const char *name;
    bool stopped, unbuilt;
} kinds[] = {
    {DK_NOT_IMPLEMENTED, false, false},
    {DK_WRONG_VALUE, false, false},
    {DK_WRONG_SHAPE, false, false},
    {DK_CRASH, true, false},
    {DK_TIMEOUT, true, false},
    {DK_OUT_OF_MEMORY, true, false},
    {DK_EXITED, true, false},
    {DK_BUILD_ERROR, true, true},
    {DK_FORBIDDEN_CALL, true, true},
    {DK_KIT_ERROR, false, false},
    {DK_NOT_GRADED, false, false},
    {DK_NO_SUBMISSION, false, false},
};

static const struct kind_info *find_kind(const char *kind)
{
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(kinds[i].name, kind) == 0)
            return &kinds[i];
    return NULL;
}

bool dk_kind_known(const char *kind)
{
    return find_kind(kind) != NULL;
}

bool dk_kind_stopped(const char *kind)
{
    const struct kind_info *k = find_kind(kind);
    return k && k->stopped;
}

bool dk_kind_unbuilt(const char *kind)
{
    const struct kind_info *k = find_kind(kind);
    return k && k->unbuilt;
}

const char *dk_kind_split(const char *failure, char *kind, size_t len)
{
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        size_t n = strlen(kinds[i].name);
        if (strncmp(failure, kinds[i].name, n) == 0 && strncmp(failure + n, ": ", 2) == 0) {
            snprintf(kind, len, "%s", kinds[i].name);
            return failure + n + 2;
        }
    }
    snprintf(kind, len, "%s", DK_WRONG_VALUE);
    return failure;
}

/* ---- results.tsv ------------------------------------------------------------- */

void dk_tsv_field(FILE *f, const char *s, char end)
{
    for (; *s; s++) {
        if (*s == '\t')
            fputs("\\t", f);
        else if (*s == '\n')
            fputs("\\n", f);
        else if (*s == '\\')
            fputs("\\\\", f);
        else if (*s != '\r') /* (a CRLF from student output would end the line early) */
            fputc(*s, f);
    }
    fputc(end, f);
}

int dk_tsv_split(char *line, char **fields, int n)
{
    int i = 0;
    for (fields[i++] = line; i < n && (line = strchr(line, '\t')); fields[i++] = ++line)
        *line = '\0';
    return i;
}

char *dk_tsv_unescape(char *s)
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

void dk_result_write(FILE *f, const dk_result *r)
{
    dk_tsv_field(f, r->name, '\t');
    fprintf(f, "%d\t%d\t", r->points, r->max);
    dk_tsv_field(f, r->passed ? "passed" : "failed", '\t');
    dk_tsv_field(f, r->kind, '\t');
    dk_tsv_field(f, r->message, '\t');
    dk_tsv_field(f, r->hint, '\n');
}

/* A whole number, and nothing else. */
static bool integer(const char *s, int *value)
{
    char *end;
    long v = strtol(s, &end, 10);
    *value = (int)v;
    return *s && !*end && v == *value;
}

bool dk_result_parse(char *line, dk_result *r)
{
    char *field[8];
    if (dk_tsv_split(line, field, 8) != 7)
        return false;
    bool passed = strcmp(field[3], "passed") == 0;
    if (!passed && strcmp(field[3], "failed") != 0)
        return false;
    *r = (dk_result){dk_tsv_unescape(field[0]), 0, 0, passed, dk_tsv_unescape(field[4]),
                     dk_tsv_unescape(field[5]), dk_tsv_unescape(field[6])};
    return integer(field[1], &r->points) && integer(field[2], &r->max);
}
