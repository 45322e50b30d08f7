/* The fetcher: finds one file of a registered set, in order in the kit, the
 * cache, the mirror, the system packages, then at its URLs, and hands out
 * its path only after its SHA-256 matched, wherever it came from. */
#include "datasets.h"
#include "files.h"

#include <curl/curl.h>
#include <errno.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef DK_ROOT
#define DK_ROOT "."
#endif

extern char **environ;

enum { PATH_BYTES = 4096, CONNECT_TIMEOUT_S = 20, STALL_TIMEOUT_S = 60 };

/* One file being fetched. */
typedef struct job {
    const dk_set *set;
    const dk_file_spec *spec;
    const dk_places *pl;
    char kit_sum[65];     /* an in-kit file's sum, from SHA256SUMS */
    const char *sums[2];  /* the accepted sums; NULL where unused */
    char tried[800];      /* what was tried and why it failed, for the message */
    char *path;           /* the caller's buffer */
    size_t len;
    dk_place *where;
} job;

/* ---- Places ------------------------------------------------------------ */

const char *dk_place_name(dk_place place)
{
    static const char *const names[] = {
        [DK_IN_KIT] = "in kit", [DK_CACHE] = "cache", [DK_MIRROR] = "mirror",
        [DK_SYSTEM] = "system package", [DK_DOWNLOAD] = "downloaded"};
    return names[place];
}

/* An environment variable, or NULL when unset or empty. */
static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

void dk_places_from_env(dk_places *pl)
{
    *pl = (dk_places){.download = true, .notes = stderr};
    const char *root = env("DLKIT_ROOT") ? env("DLKIT_ROOT") : DK_ROOT;
    snprintf(pl->kit_data, sizeof pl->kit_data, "%s/datasets/data", root);
    if (env("DLKIT_CACHE"))
        snprintf(pl->cache, sizeof pl->cache, "%s", env("DLKIT_CACHE"));
    else if (env("XDG_CACHE_HOME"))
        snprintf(pl->cache, sizeof pl->cache, "%s/dlkit", env("XDG_CACHE_HOME"));
    else if (env("HOME"))
        snprintf(pl->cache, sizeof pl->cache, "%s/.cache/dlkit", env("HOME"));
    if (env("DLKIT_DATA_MIRROR"))
        snprintf(pl->mirror, sizeof pl->mirror, "%s", env("DLKIT_DATA_MIRROR"));
}

/* ---- Small helpers ----------------------------------------------------- */

/* snprintf that reports truncation. */
__attribute__((format(printf, 3, 4)))
static bool fmt(char *buf, size_t len, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(buf, len, format, ap);
    va_end(ap);
    return n >= 0 && (size_t)n < len;
}

/* Adds one entry to the list of what was tried. */
__attribute__((format(printf, 2, 3)))
static void tried(job *j, const char *format, ...)
{
    size_t used = strlen(j->tried);
    if (used && used + 2 < sizeof j->tried)
        used += (size_t)snprintf(j->tried + used, sizeof j->tried - used, "; ");
    va_list ap;
    va_start(ap, format);
    vsnprintf(j->tried + used, sizeof j->tried - used, format, ap);
    va_end(ap);
}

__attribute__((format(printf, 2, 3)))
static void note(const job *j, const char *format, ...)
{
    if (!j->pl->notes)
        return;
    va_list ap;
    va_start(ap, format);
    fputs("dlkit: ", j->pl->notes);
    vfprintf(j->pl->notes, format, ap);
    fputc('\n', j->pl->notes);
    va_end(ap);
    fflush(j->pl->notes);
}

/* ---- Checksums --------------------------------------------------------- */

/* An in-kit file's sum from the kit's SHA256SUMS ("<hex>  <name>" lines, as
 * sha256sum writes them). */
static bool kit_sum(job *j, dk_err *err)
{
    char sums_path[PATH_BYTES];
    if (!fmt(sums_path, sizeof sums_path, "%s/SHA256SUMS", j->pl->kit_data))
        return dk_fail(err, "path too long: %s", j->pl->kit_data);
    dk_err why;
    char *text = dk_read_file(sums_path, NULL, &why);
    if (!text)
        return dk_fail(err, "%s: cannot check %s: %s (is DLKIT_ROOT right?)",
                       j->set->name, j->spec->name, why.msg);
    bool found = false;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line && !found;
         line = strtok_r(NULL, "\n", &save)) {
        char hex[65], name[256];
        found = sscanf(line, "%64[0-9a-f]%*[ *]%255[^\n]", hex, name) == 2 &&
                strlen(hex) == 64 && strcmp(name, j->spec->name) == 0;
        if (found)
            memcpy(j->kit_sum, hex, sizeof hex);
    }
    free(text);
    return found || dk_fail(err, "%s is not listed in %s", j->spec->name, sums_path);
}

/* True when path has one of sums; a mismatch is reported to the notes. */
static bool sum_ok(job *j, const char *path, const char *const sums[2],
                   const char *where)
{
    char got[65];
    dk_err err;
    if (!dk_sha256_file(path, got, &err)) {
        tried(j, "%s: %s", where, err.msg);
        return false;
    }
    if (strcmp(got, sums[0]) == 0 || (sums[1] && strcmp(got, sums[1]) == 0))
        return true;
    note(j, "%s: checksum mismatch, skipped (got %s, expected %s%s%s)", path, got,
         sums[0], sums[1] ? " or " : "", sums[1] ? sums[1] : "");
    tried(j, "%s %s: checksum mismatch (got %.12s..., expected %.12s...)", where,
          path, got, sums[0]);
    return false;
}

/* Gives the caller path, whose sum has just matched. */
static bool hand_out(job *j, const char *path, dk_place place)
{
    if (!fmt(j->path, j->len, "%s", path)) {
        tried(j, "%s: path longer than the caller's buffer", path);
        return false;
    }
    *j->where = place;
    return true;
}

/* Hands out path when it holds the file with a good sum. */
static bool try_path(job *j, const char *path, dk_place place)
{
    if (!dk_file_exists(path)) {
        tried(j, "%s %s: missing", dk_place_name(place), path);
        return false;
    }
    return sum_ok(j, path, j->sums, dk_place_name(place)) && hand_out(j, path, place);
}

/* ---- Downloads and archives --------------------------------------------- */

typedef struct progress {
    const char *name;
    int shown; /* last percentage printed, -1 before the first */
} progress;

static int show_progress(void *p, curl_off_t total, curl_off_t now, curl_off_t ut,
                         curl_off_t un)
{
    (void)ut, (void)un;
    progress *pg = p;
    int pct = total > 0 ? (int)(100 * now / total) : -1;
    if (pct >= 0 && pct != pg->shown) {
        fprintf(stderr, "\r  %s: %3d%% of %.1f MB", pg->name, pct, (double)total / 1e6);
        pg->shown = pct;
    }
    return 0;
}

/* url into the open file out; false (why filled) on any failure. A progress
 * line shows on a terminal only. */
static bool curl_get(const char *url, FILE *out, const char *name, char *why,
                     size_t whylen)
{
    /* Paired init and cleanup: nothing of libcurl outlives a transfer. */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *c = curl_easy_init();
    char errbuf[CURL_ERROR_SIZE] = "";
    progress pg = {name, -1};
    CURLcode rc = CURLE_FAILED_INIT;
    if (c) {
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT_S);
        /* A stalled transfer fails instead of hanging forever. */
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)STALL_TIMEOUT_S);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
        curl_easy_setopt(c, CURLOPT_USERAGENT, "dlkit-data");
        if (isatty(STDERR_FILENO)) {
            curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, show_progress);
            curl_easy_setopt(c, CURLOPT_XFERINFODATA, &pg);
            curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        }
        rc = curl_easy_perform(c);
        curl_easy_cleanup(c);
    }
    curl_global_cleanup();
    if (pg.shown >= 0)
        fputc('\n', stderr);
    snprintf(why, whylen, "%s", *errbuf ? errbuf : curl_easy_strerror(rc));
    return rc == CURLE_OK;
}

/* Downloads url into a new temporary file of dir (tmp gets its name), so
 * that no half-written file ever carries the final name. On failure, the
 * temporary file is gone. */
static bool download(job *j, const char *url, const char *dir, const char *name,
                     char tmp[PATH_BYTES])
{
    dk_err err;
    if (!dk_mkdirs(dir, &err) ||
        !fmt(tmp, PATH_BYTES, "%s/.%s.part-XXXXXX", dir, name)) {
        tried(j, "%s: cannot create the download folder %s", url, dir);
        return false;
    }
    int fd = mkstemp(tmp);
    FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!out) {
        tried(j, "%s: cannot create %s: %s", url, tmp, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        return false;
    }
    fchmod(fd, 0644); /* mkstemp's 0600 would hide the cache from other users */
    char why[CURL_ERROR_SIZE];
    bool ok = curl_get(url, out, name, why, sizeof why);
    if (fclose(out) != 0 && ok) {
        ok = false;
        snprintf(why, sizeof why, "write error on %s", tmp);
    }
    if (!ok) {
        tried(j, "%s: %s", url, why);
        unlink(tmp);
        rmdir(dir); /* only when empty: an offline run leaves no bare folders */
    }
    return ok;
}

/* Runs tar to unpack the set's files from archive into dir, flat; a
 * failure goes into the list of what was tried. */
static void run_tar(job *j, const char *archive, const char *dir)
{
    const dk_set *set = j->set;
    char members[DK_SET_MAX_FILES][512];
    char *argv[7 + DK_SET_MAX_FILES] = {"tar", "-xzf", (char *)archive, "-C",
                                        (char *)dir, "--strip-components=1"};
    for (size_t i = 0; i < set->nfiles; i++) {
        snprintf(members[i], sizeof members[i], "%s/%s", set->archive->topdir,
                 set->files[i].name);
        argv[6 + i] = members[i];
    }
    pid_t pid;
    int status, rc = posix_spawnp(&pid, "tar", NULL, NULL, argv, environ);
    if (rc != 0) {
        tried(j, "cannot run tar to unpack %s: %s", archive, strerror(rc));
        return;
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        continue;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        tried(j, "tar failed to unpack %s", archive);
}

/* Unpacks a verified archive into the set's cache folder: each file lands
 * in a temporary folder first and gets its final name once its own sum
 * matches. True when the wanted file is then in the cache. */
static bool unpack(job *j, const char *archive, dk_place place)
{
    char dir[PATH_BYTES], tmpdir[PATH_BYTES], from[PATH_BYTES], to[PATH_BYTES];
    const dk_set *set = j->set;
    dk_err err;
    if (!fmt(dir, sizeof dir, "%s/%s", j->pl->cache, set->name) ||
        !dk_mkdirs(dir, &err) ||
        !fmt(tmpdir, sizeof tmpdir, "%s/.unpack-XXXXXX", dir) || !mkdtemp(tmpdir)) {
        tried(j, "cannot create a folder in %s to unpack %s", dir, archive);
        return false;
    }
    /* Even when tar fails (a member missing), the members it did unpack
     * are checked and kept; the wanted one may be among them. */
    run_tar(j, archive, tmpdir);
    for (size_t i = 0; i < set->nfiles; i++) {
        const dk_file_spec *f = &set->files[i];
        if (!fmt(from, sizeof from, "%s/%s", tmpdir, f->name))
            continue; /* too long a name for tar to have unpacked it */
        bool good = fmt(to, sizeof to, "%s/%s", dir, f->name) &&
                    dk_file_exists(from) && sum_ok(j, from, f->sha256, "unpacked");
        if (!good || rename(from, to) != 0)
            unlink(from);
    }
    rmdir(tmpdir);
    return fmt(to, sizeof to, "%s/%s", dir, j->spec->name) && try_path(j, to, place);
}

/* ---- The order of places ------------------------------------------------ */

static bool try_mirror(job *j)
{
    const char *m = j->pl->mirror, *set = j->set->name, *name = j->spec->name;
    char path[PATH_BYTES];
    if (!*m) {
        tried(j, "no mirror (DLKIT_DATA_MIRROR is not set)");
        return false;
    }
    if ((fmt(path, sizeof path, "%s/%s/%s", m, set, name) &&
         try_path(j, path, DK_MIRROR)) ||
        (fmt(path, sizeof path, "%s/%s", m, name) && try_path(j, path, DK_MIRROR)))
        return true;
    const dk_archive_spec *a = j->set->archive;
    if (!a || !*j->pl->cache)
        return false;
    const char *sums[2] = {a->sha256, NULL};
    return ((fmt(path, sizeof path, "%s/%s/%s", m, set, a->name) &&
             dk_file_exists(path)) ||
            (fmt(path, sizeof path, "%s/%s", m, a->name) && dk_file_exists(path))) &&
           sum_ok(j, path, sums, "mirror") && unpack(j, path, DK_MIRROR);
}

static bool try_local(job *j)
{
    const dk_places *pl = j->pl;
    const char *set = j->set->name, *name = j->spec->name;
    char path[PATH_BYTES];
    if (j->set->in_kit && *pl->kit_data &&
        fmt(path, sizeof path, "%s/%s", pl->kit_data, name) &&
        try_path(j, path, DK_IN_KIT))
        return true;
    if (*pl->cache && fmt(path, sizeof path, "%s/%s/%s", pl->cache, set, name) &&
        try_path(j, path, DK_CACHE))
        return true;
    if (try_mirror(j))
        return true;
    return j->set->system &&
           fmt(path, sizeof path, "%s/%s", j->set->system, name) &&
           try_path(j, path, DK_SYSTEM);
}

/* Downloads the set's archive into the cache, then unpacks it. */
static bool download_archive(job *j, const char *dir)
{
    const dk_archive_spec *a = j->set->archive;
    const char *sums[2] = {a->sha256, NULL};
    char tmp[PATH_BYTES];
    if (!download(j, a->url, dir, a->name, tmp))
        return false;
    bool ok = sum_ok(j, tmp, sums, "downloaded") && unpack(j, tmp, DK_DOWNLOAD);
    unlink(tmp);
    return ok;
}

/* Downloads the file from each URL in turn; it keeps its temporary name
 * until its sum matched. */
static bool try_download(job *j)
{
    const dk_places *pl = j->pl;
    char dir[PATH_BYTES], url[PATH_BYTES], tmp[PATH_BYTES], final[PATH_BYTES];
    if (!pl->download)
        return false;
    if (!*pl->cache || !fmt(dir, sizeof dir, "%s/%s", pl->cache, j->set->name)) {
        tried(j, "no download: no cache folder (set DLKIT_CACHE)");
        return false;
    }
    if (j->set->archive)
        return download_archive(j, dir);
    for (size_t i = 0; i < DK_SET_MAX_URLS && j->set->urls[i]; i++) {
        if (!fmt(url, sizeof url, "%s%s", j->set->urls[i], j->spec->name) ||
            !fmt(final, sizeof final, "%s/%s", dir, j->spec->name) ||
            !download(j, url, dir, j->spec->name, tmp))
            continue;
        if (sum_ok(j, tmp, j->sums, "downloaded") && rename(tmp, final) == 0)
            return hand_out(j, final, DK_DOWNLOAD);
        unlink(tmp);
    }
    return false;
}

/* ---- Entry points ------------------------------------------------------- */

/* The advice comes before the list of places, which may run long. */
static bool fail_message(const job *j, dk_err *err)
{
    const dk_set *set = j->set;
    char apt[128] = "";
    if (set->apt)
        snprintf(apt, sizeof apt, ", or install it with `sudo apt-get install %s`",
                 set->apt);
    return dk_fail(err, "%s: %s not found with a good checksum: run `make data` to "
                   "fetch it%s%s. Tried: %s.", set->name, j->spec->name, apt,
                   set->in_kit ? " (in-kit files ship with the kit: restore "
                                 "datasets/data from it)" : "",
                   j->tried);
}

bool dk_fetch_from(const dk_set *set, const char *file, const dk_places *pl,
                   char *path, size_t len, dk_place *where, dk_err *err)
{
    job j = {.set = set, .pl = pl, .path = path, .len = len, .where = where};
    dk_place unused;
    if (!where)
        j.where = &unused;
    for (size_t i = 0; i < set->nfiles && !j.spec; i++)
        if (strcmp(set->files[i].name, file) == 0)
            j.spec = &set->files[i];
    if (!j.spec)
        return dk_fail(err, "data set %s has no file %s", set->name, file);
    j.sums[0] = j.spec->sha256[0];
    j.sums[1] = j.spec->sha256[1];
    if (set->in_kit) {
        if (!kit_sum(&j, err))
            return false;
        j.sums[0] = j.kit_sum;
    }
    return try_local(&j) || try_download(&j) || fail_message(&j, err);
}

bool dk_fetch(const char *set, const char *file, char *path, size_t len,
              dk_err *err)
{
    const dk_set *s = dk_set_find(set);
    if (!s)
        return dk_fail(err, "no data set named '%s' (datasets/README.md lists them)",
                       set);
    dk_places pl;
    dk_places_from_env(&pl);
    return dk_fetch_from(s, file, &pl, path, len, NULL, err);
}
