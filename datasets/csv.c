/* CSV tables, gzipped or not (zlib reads both): the Iris / breast-cancer
 * format with a header line "n,dim,class names..." and the header-less
 * digits format; every row is dim features and then the label. */
#include "datasets.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum { LINE_MAX_BYTES = 1 << 16, MAX_FIELDS = LINE_MAX_BYTES / 2, MAX_LABEL = 255 };

typedef struct csv_reader {
    gzFile f;
    const char *path;
    size_t line;                /* number of the line in buf, from 1 */
    char buf[LINE_MAX_BYTES];
    char *fields[MAX_FIELDS];
    size_t nfields;
    size_t width;               /* fields per row: dim + 1 */
    size_t max_label;           /* labels lie in 0..max_label */
    size_t rows_declared;       /* by the header; 0 without one */
} csv_reader;

typedef enum { LINE_OK, LINE_EOF, LINE_ERROR } line_status;

static bool blank(const char *s)
{
    return s[strspn(s, " \t\r\n")] == '\0';
}

/* The next non-blank line into buf, split at its commas into fields. */
static line_status next_line(csv_reader *r, dk_err *err)
{
    do {
        if (!gzgets(r->f, r->buf, sizeof r->buf)) {
            int zerr;
            const char *why = gzerror(r->f, &zerr);
            if (zerr == Z_OK)
                return LINE_EOF;
            dk_fail(err, "%s, line %zu: corrupt or truncated file (%s)", r->path,
                    r->line + 1, zerr == Z_ERRNO ? strerror(errno) : why);
            return LINE_ERROR;
        }
        r->line++;
        size_t len = strlen(r->buf);
        if (len == sizeof r->buf - 1 && r->buf[len - 1] != '\n' && !gzeof(r->f)) {
            dk_fail(err, "%s, line %zu: longer than %d bytes", r->path, r->line,
                    LINE_MAX_BYTES - 2);
            return LINE_ERROR;
        }
    } while (blank(r->buf));
    r->buf[strcspn(r->buf, "\r\n")] = '\0';
    r->nfields = 0;
    for (char *p = r->buf; p && r->nfields < MAX_FIELDS; r->nfields++) {
        r->fields[r->nfields] = p;
        p = strchr(p, ',');
        if (p)
            *p++ = '\0';
    }
    return LINE_OK;
}

/* Whole field (spaces around allowed) as a finite float. */
static bool parse_float(const char *s, float *v)
{
    char *end;
    errno = 0;
    *v = strtof(s, &end);
    return end != s && blank(end) && errno == 0 && isfinite(*v);
}

/* Whole field as an integer in 0..max. */
static bool parse_index(const char *s, size_t max, size_t *v)
{
    char *end;
    errno = 0;
    long l = strtol(s, &end, 10);
    if (end == s || !blank(end) || errno != 0 || l < 0 || (unsigned long)l > max)
        return false;
    *v = (size_t)l;
    return true;
}

/* "n,dim,name,name...": sets the row width, labels and row count. */
static bool parse_header(csv_reader *r, dk_dataset *out, dk_err *err)
{
    size_t n, dim;
    if (!parse_index(r->fields[0], SIZE_MAX / 2, &n) || n == 0 ||
        !parse_index(r->fields[1], MAX_FIELDS - 2, &dim) || dim == 0)
        return dk_fail(err, "%s, line %zu: bad header: expected \"n,dim,class "
                       "names...\" with positive n and dim", r->path, r->line);
    r->rows_declared = n;
    r->width = dim + 1;
    out->classes = r->nfields - 2;
    r->max_label = out->classes - 1;
    return true;
}

static bool grow(dk_dataset *out, size_t *cap, size_t dim, dk_err *err)
{
    size_t more = *cap ? 2 * *cap : 256;
    float *x = realloc(out->x, more * dim * sizeof(float));
    if (x)
        out->x = x;
    int *y = x ? realloc(out->y, more * sizeof(int)) : NULL;
    if (!y)
        return dk_fail(err, "out of memory for %zu rows", more);
    out->y = y;
    *cap = more;
    return true;
}

/* The row in r->fields as sample out->n. */
static bool parse_row(csv_reader *r, dk_dataset *out, dk_err *err)
{
    if (r->nfields != r->width)
        return dk_fail(err, "%s, line %zu: %zu fields, expected %zu (%zu features "
                       "and the label)", r->path, r->line, r->nfields, r->width,
                       r->width - 1);
    float *x = out->x + out->n * out->dim;
    for (size_t j = 0; j < out->dim; j++)
        if (!parse_float(r->fields[j], &x[j]))
            return dk_fail(err, "%s, line %zu, field %zu: bad number '%s'", r->path,
                           r->line, j + 1, r->fields[j]);
    size_t label;
    if (!parse_index(r->fields[out->dim], r->max_label, &label))
        return dk_fail(err, "%s, line %zu: label '%s' is not an integer in 0..%zu",
                       r->path, r->line, r->fields[out->dim], r->max_label);
    out->y[out->n++] = (int)label;
    if (!r->rows_declared && label + 1 > out->classes)
        out->classes = label + 1;
    return true;
}

static bool read_rows(csv_reader *r, dk_dataset *out, dk_err *err)
{
    size_t cap = 0;
    line_status st = next_line(r, err);
    if (st == LINE_ERROR)
        return false;
    if (st == LINE_EOF)
        return dk_fail(err, "%s: empty file, no rows", r->path);
    bool header = r->nfields >= 3 &&
                  !parse_float(r->fields[2], &(float){0});
    if (header) {
        if (!parse_header(r, out, err))
            return false;
        st = next_line(r, err);
    } else {
        if (r->nfields < 2)
            return dk_fail(err, "%s, line %zu: one field; a row holds features and "
                           "then the label", r->path, r->line);
        r->width = r->nfields;
        r->max_label = MAX_LABEL;
    }
    out->dim = r->width - 1;
    for (; st == LINE_OK; st = next_line(r, err)) {
        if (r->rows_declared && out->n == r->rows_declared)
            return dk_fail(err, "%s, line %zu: more rows than the %zu the header "
                           "declares", r->path, r->line, r->rows_declared);
        if ((out->n == cap && !grow(out, &cap, out->dim, err)) ||
            !parse_row(r, out, err))
            return false;
    }
    if (st == LINE_ERROR)
        return false;
    if (r->rows_declared && out->n != r->rows_declared)
        return dk_fail(err, "%s, line %zu: end of file after %zu rows, the header "
                       "declares %zu", r->path, r->line, out->n, r->rows_declared);
    return true;
}

bool dk_load_csv(const char *path, dk_dataset *out, dk_err *err)
{
    *out = (dk_dataset){0};
    csv_reader *r = calloc(1, sizeof *r);
    if (!r)
        return dk_fail(err, "out of memory reading %s", path);
    errno = 0;
    r->f = gzopen(path, "rb");
    r->path = path;
    bool ok = r->f ? read_rows(r, out, err)
                   : dk_fail_open(err, path, errno ? errno : ENOMEM);
    if (r->f)
        gzclose(r->f);
    free(r);
    if (!ok)
        dk_dataset_free(out);
    return ok;
}
