#include "csvlog.h"

#include "files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dk_csvlog {
    FILE *f;
    size_t ncols;
    char *path;
    char *tmp;
};

dk_csvlog *dk_csvlog_open(const char *path, const char *columns, dk_err *err)
{
    if (!dk_mkdirs_for(path, err))
        return NULL;
    dk_csvlog *log = calloc(1, sizeof *log);
    size_t len = strlen(path) + sizeof ".tmp";
    if (!log || !(log->path = strdup(path)) || !(log->tmp = malloc(len))) {
        dk_fail(err, "out of memory opening a log");
        goto fail;
    }
    memcpy(log->tmp, path, len - sizeof ".tmp");
    memcpy(log->tmp + len - sizeof ".tmp", ".tmp", sizeof ".tmp");
    if (!(log->f = fopen(log->tmp, "w"))) {
        dk_fail(err, "cannot write the log %s: %s", log->tmp, strerror(errno));
        goto fail;
    }
    log->ncols = 1;
    for (const char *c = columns; *c; c++)
        log->ncols += *c == ',';
    fprintf(log->f, "%s\n", columns);
    return log;
fail:
    if (log)
        free(log->path), free(log->tmp);
    free(log);
    return NULL;
}

void dk_csvlog_row(dk_csvlog *log, const double *values)
{
    for (size_t i = 0; i < log->ncols; i++)
        fprintf(log->f, "%s%.9g", i ? "," : "", values[i]);
    fputc('\n', log->f);
    fflush(log->f);
}

bool dk_csvlog_close(dk_csvlog *log, dk_err *err)
{
    bool ok = !ferror(log->f);
    ok = (fclose(log->f) == 0) && ok;
    if (!ok)
        dk_fail(err, "write error on the log %s", log->tmp);
    else if (rename(log->tmp, log->path) != 0)
        ok = dk_fail(err, "cannot rename %s to %s: %s", log->tmp, log->path,
                     strerror(errno));
    free(log->path), free(log->tmp), free(log);
    return ok;
}

dk_csvlog *dk_csvlog_open_or_exit(const char *path, const char *columns)
{
    dk_err err;
    dk_csvlog *log = dk_csvlog_open(path, columns, &err);
    if (!log)
        dk_fatal("%s", err.msg);
    return log;
}

void dk_csvlog_close_or_exit(dk_csvlog *log)
{
    dk_err err;
    if (!dk_csvlog_close(log, &err))
        dk_fatal("%s", err.msg);
}
