#include "files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool dk_mkdirs(const char *path, dk_err *err)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return dk_fail(err, "path too long: %s", path);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return dk_fail(err, "cannot create folder %s: %s", buf, strerror(errno));
        if (c == '\0')
            return true;
        *p = c;
    }
}

bool dk_mkdirs_for(const char *path, dk_err *err)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return true;
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    return dk_mkdirs(dir, err);
}

char *dk_read_file(const char *path, size_t *len, dk_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        dk_fail(err, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger)
                free(buf);
            buf = bigger;
        }
    }
    bool failed = !buf || ferror(f);
    fclose(f);
    if (failed) {
        dk_fail(err, buf ? "read error on %s" : "out of memory reading %s", path);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

bool dk_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

FILE *dk_create_or_exit(const char *path)
{
    dk_err err;
    if (!dk_mkdirs_for(path, &err))
        dk_fatal("%s", err.msg);
    FILE *f = fopen(path, "w");
    if (!f)
        dk_fatal("cannot write %s: %s", path, strerror(errno));
    return f;
}

void dk_close_or_exit(FILE *f, const char *path)
{
    if (fclose(f) != 0)
        dk_fatal("cannot write %s: %s", path, strerror(errno));
}
