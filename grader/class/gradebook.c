/* dlkit-gradebook: a class's gradebook from the results of its submissions.
 *
 *   dlkit-gradebook --out OUT --kit VIEW [--config FILE] [--names FILE]
 *                   --chapters "A B" KEY...
 *
 * Reads OUT/runs/KEY.tsv (grade-one), the tests' catalogues in the kit's
 * view (VIEW/build and VIEW/build-hidden), the class configuration and
 * grade-class's notes on the submissions' names (renamed, ignored), and
 * writes, each under a temporary name then renamed:
 *   OUT/gradebook.csv, OUT/gradebook.json   one row per student
 *   OUT/students/ID/results.json            Gradescope's format
 *   OUT/students/ID/feedback.txt            what the student reads
 *   OUT/report/report.txt, totals.dat       the class report, the totals
 * A student's total is out of 100: the weighted mean of each counted
 * chapter's public score and hidden score, each as a fraction of its
 * maximum (grader/class/README.md). The parts: gradebook.h. */
#define _GNU_SOURCE /* vasprintf */
#include "gradebook.h"

#include "error.h"
#include "files.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- Helpers ------------------------------------------------------------- */

void *gb_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        dk_fatal("dlkit-gradebook: out of memory");
    return p;
}

void *gb_realloc(void *p, size_t n, size_t size)
{
    if (!(p = realloc(p, (n ? n : 1) * size)))
        dk_fatal("dlkit-gradebook: out of memory");
    return p;
}

char *gb_strdup(const char *s)
{
    char *p = strdup(s);
    if (!p)
        dk_fatal("dlkit-gradebook: out of memory");
    return p;
}

char *gb_format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        dk_fatal("dlkit-gradebook: out of memory");
    va_end(ap);
    return s;
}

char *gb_read_text(const char *path)
{
    dk_err err;
    char *text = dk_read_file(path, NULL, &err);
    if (!text)
        dk_fatal("dlkit-gradebook: %s", err.msg);
    return text;
}

/* Without its archive suffix, odd characters replaced by '_'. */
void gb_key_of(const char *name, char *key, size_t len)
{
    static const char *const suffixes[] = {".tar.gz", ".tgz", ".tar", ".zip"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        size_t s = strlen(suffixes[i]);
        if (n > s && strcmp(name + n - s, suffixes[i]) == 0) {
            n -= s;
            break;
        }
    }
    snprintf(key, len, "%.*s", (int)n, name);
    for (char *c = key; *c; c++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@+-", *c))
            *c = '_';
}

int gb_find_chapter(const gradebook *gb, const char *name)
{
    for (int i = 0; i < gb->nchapters; i++)
        if (strcmp(gb->chapters[i].name, name) == 0)
            return i;
    return -1;
}

out_file gb_create(char *path)
{
    out_file o = {NULL, path, gb_format("%s.tmp", path)};
    dk_err err;
    if (!dk_mkdirs_for(path, &err))
        dk_fatal("dlkit-gradebook: %s", err.msg);
    if (!(o.f = fopen(o.tmp, "w")))
        dk_fatal("dlkit-gradebook: cannot write %s: %s", o.tmp, strerror(errno));
    return o;
}

void gb_commit(out_file o)
{
    if (fclose(o.f) != 0 || rename(o.tmp, o.path) != 0)
        dk_fatal("dlkit-gradebook: cannot write %s", o.path);
    free(o.path);
    free(o.tmp);
}

/* ---- The students ------------------------------------------------------------- */

static const char *name_note_of(const gradebook *gb, const char *key)
{
    for (int i = 0; i < gb->nname_notes; i++)
        if (strcmp(gb->name_notes[i].key, key) == 0)
            return gb->name_notes[i].note;
    return "";
}

static void add_student(gradebook *gb, const char *key, const char *id, const char *name)
{
    student *s = &gb->students[gb->nstudents++];
    snprintf(s->key, sizeof s->key, "%s", key);
    gb_key_of(id, s->id, sizeof s->id); /* (a file name in students/) */
    s->name = name;
    s->name_note = name_note_of(gb, key);
}

static const roster_entry *on_roster(const gradebook *gb, const char *key)
{
    for (int i = 0; i < gb->nroster; i++)
        if (strcmp(gb->roster[i].key, key) == 0)
            return &gb->roster[i];
    return NULL;
}

static bool submitted(const char *key, char **keys, int nkeys)
{
    for (int k = 0; k < nkeys; k++)
        if (strcmp(key, keys[k]) == 0)
            return true;
    return false;
}

/* Students in the order of the submissions, then those of the roster who
 * sent nothing. */
static void gather_students(gradebook *gb, char **keys, int nkeys)
{
    gb->students = gb_calloc((size_t)(nkeys + gb->nroster), sizeof *gb->students);
    for (int k = 0; k < nkeys; k++) {
        const roster_entry *r = on_roster(gb, keys[k]);
        add_student(gb, keys[k], r ? r->id : keys[k], r ? r->name : "");
    }
    for (int i = 0; i < gb->nroster; i++)
        if (!submitted(gb->roster[i].key, keys, nkeys))
            add_student(gb, gb->roster[i].key, gb->roster[i].id, gb->roster[i].name);
}

static void set_chapters(gradebook *gb, char *list)
{
    char *save = NULL;
    for (char *name = strtok_r(list, " ", &save); name; name = strtok_r(NULL, " ", &save)) {
        if (gb->nchapters == MAX_CHAPTERS)
            dk_fatal("dlkit-gradebook: more than %d chapters", MAX_CHAPTERS);
        gb->chapters[gb->nchapters++] = (chapter){name, 1, -1, 0, 0};
    }
}

static void read_catalogs(gradebook *gb, const char *kit)
{
    for (int i = 0; i < gb->nchapters; i++) {
        const char *name = gb->chapters[i].name;
        char *path = gb_format("%s/build/grader/%s/catalog.tsv", kit, name);
        read_catalog(gb, path, i, false);
        free(path);
        path = gb_format("%s/build-hidden/grader/%s/catalog.tsv", kit, name);
        read_catalog(gb, path, i, true);
        free(path);
    }
}

int main(int argc, char **argv)
{
    const char *out = NULL, *kit = NULL, *config = NULL, *names = NULL;
    char *chapter_list = NULL;
    int first = 1;
    for (; first + 1 < argc && argv[first][0] == '-'; first += 2) {
        if (!strcmp(argv[first], "--out")) out = argv[first + 1];
        else if (!strcmp(argv[first], "--kit")) kit = argv[first + 1];
        else if (!strcmp(argv[first], "--config")) config = argv[first + 1];
        else if (!strcmp(argv[first], "--names")) names = argv[first + 1];
        else if (!strcmp(argv[first], "--chapters")) chapter_list = gb_strdup(argv[first + 1]);
        else break;
    }
    if (!out || !kit || !chapter_list || first >= argc)
        dk_fatal("usage: dlkit-gradebook --out OUT --kit VIEW [--config FILE] [--names FILE] "
                 "--chapters \"A B\" KEY...");
    gradebook *gb = gb_calloc(1, sizeof *gb);
    gb->visibility = "after_due_date";
    set_chapters(gb, chapter_list);
    read_catalogs(gb, kit);
    if (config)
        read_config(gb, config);
    if (names)
        read_name_notes(gb, names);
    gather_students(gb, argv + first, argc - first);
    for (int i = 0; i < gb->nstudents; i++) {
        read_results(gb, &gb->students[i], out);
        score(gb, &gb->students[i]);
    }
    write_csv(gb, out);
    write_json(gb, out);
    for (int i = 0; i < gb->nstudents; i++)
        write_student_files(gb, &gb->students[i], out);
    write_report(gb, out);
    return 0;
}
