/* dlkit-data: fetches and verifies the data sets (`make data` runs
 * `dlkit-data fetch`), and prints the verified path of one file. */
#include "datasets.h"

#include <stdio.h>
#include <string.h>

enum { PATH_BYTES = 4096 };

static const char usage[] =
    "usage: dlkit-data fetch [SET...]   find, download and verify (default: every set)\n"
    "       dlkit-data verify [SET...]  the same without downloading\n"
    "       dlkit-data verify --in-kit  only the sets that ship in the kit\n"
    "       dlkit-data path SET FILE    print the verified path of one file\n";

static void line(const char *set, const char *status, const char *text)
{
    printf("%-15s %-4s %s\n", set, status, text);
    fflush(stdout);
}

/* The folder part of path. */
static void folder_of(const char *path, char *dir, size_t len)
{
    const char *slash = strrchr(path, '/');
    snprintf(dir, len, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
}

/* "ok" and the folder; one more line per file found elsewhere. */
static void report_ok(const dk_set *set, char paths[][PATH_BYTES],
                      const dk_place *where)
{
    char dir[PATH_BYTES], other[PATH_BYTES], text[PATH_BYTES + 32];
    folder_of(paths[0], dir, sizeof dir);
    snprintf(text, sizeof text, "%s (%s)", dir, dk_place_name(where[0]));
    line(set->name, "ok", text);
    for (size_t i = 1; i < set->nfiles; i++) {
        folder_of(paths[i], other, sizeof other);
        if (strcmp(other, dir) != 0 || where[i] != where[0])
            printf("%-20s %s (%s)\n", "", paths[i], dk_place_name(where[i]));
    }
}

/* All files of one set; false only when a required set is not there. */
static bool fetch_set(const dk_set *set, const dk_places *pl)
{
    char paths[DK_SET_MAX_FILES][PATH_BYTES];
    dk_place where[DK_SET_MAX_FILES];
    dk_err err;
    for (size_t i = 0; i < set->nfiles; i++) {
        if (dk_fetch_from(set, set->files[i].name, pl, paths[i], sizeof paths[i],
                          &where[i], &err))
            continue;
        if (set->required) {
            line(set->name, "FAIL", "see below");
            fprintf(stderr, "dlkit: %s\n", err.msg);
            return false;
        }
        char text[256];
        snprintf(text, sizeof text, "not available (%s): %s",
                 pl->download ? "offline?" : "not fetched", set->use);
        line(set->name, "--", text);
        return true;
    }
    report_ok(set, paths, where);
    return true;
}

static int fetch_sets(int argc, char **argv, bool download)
{
    dk_places pl;
    dk_places_from_env(&pl);
    pl.download = download;
    size_t count;
    const dk_set *all = dk_sets(&count);
    bool in_kit_only = argc == 1 && strcmp(argv[0], "--in-kit") == 0;
    if (in_kit_only)
        argc = 0;
    int status = 0;
    for (size_t i = 0; i < (argc ? (size_t)argc : count); i++) {
        const dk_set *set = argc ? dk_set_find(argv[i]) : &all[i];
        if (in_kit_only && !set->in_kit)
            continue;
        if (!set) {
            fprintf(stderr, "dlkit: no data set named '%s' (see datasets/README.md)\n",
                    argv[i]);
            status = 1;
        } else if (!fetch_set(set, &pl)) {
            status = 1;
        }
    }
    return status;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : "";
    if (strcmp(cmd, "fetch") == 0 || strcmp(cmd, "verify") == 0)
        return fetch_sets(argc - 2, argv + 2, strcmp(cmd, "fetch") == 0);
    if (strcmp(cmd, "path") == 0 && argc == 4) {
        char path[PATH_BYTES];
        dk_err err;
        if (!dk_fetch(argv[2], argv[3], path, sizeof path, &err))
            dk_fatal("%s", err.msg);
        puts(path);
        return 0;
    }
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    fputs(usage, stderr);
    return 2;
}
