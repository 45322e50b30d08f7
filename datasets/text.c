/* Plain-text corpora (tiny Shakespeare, names): read whole. */
#include "datasets.h"
#include "files.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

char *dk_load_text(const char *path, size_t *len, dk_err *err)
{
    /* Checked first so that a missing file gets the `make data` advice. */
    if (access(path, R_OK) != 0) {
        dk_fail_open(err, path, errno);
        return NULL;
    }
    return dk_read_file(path, len, err);
}

bool dk_text_path(const char *name, char *path, size_t len, dk_err *err)
{
    const dk_set *set = dk_set_find(name);
    if (!set || set->nfiles != 1 || !strstr(set->files[0].name, ".txt"))
        return dk_fail(err, "no text corpus named '%s' (try tinyshakespeare or names)",
                       name);
    return dk_fetch(name, set->files[0].name, path, len, err);
}
