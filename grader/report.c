/* dlkit-report: turns the chapters' results.tsv files into what people read.
 *
 *   dlkit-report --out DIR --src SRC [--tests] [--strict] CHAPTER...
 *       the terminal table (per test too with --tests), the first failure
 *       of each chapter in full, the next thing to do; writes
 *       DIR/results.json (Gradescope's format) and DIR/summary.json.
 *       Exit status 0; with --strict, 1 when some test failed.
 *   dlkit-report --out DIR --hint CHAPTER
 *       the hint of the chapter's first failing test, and nothing else.
 *   dlkit-report --out DIR --status CHAPTER...
 *       a line per chapter from its last grades: points, tests passed, the
 *       next function to write (or test to fix).
 *
 * results.tsv's format and the failure kinds: grader/core/results.h. */
#include "error.h"
#include "files.h"
#include "json.h"
#include "results.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct chapter {
    const char *name;
    dk_result *tests;
    size_t ntests;
    int points, max;
    size_t passed;
} chapter;

/* ---- Reading --------------------------------------------------------- */

/* False when the chapter has no results (not graded yet). */
static bool read_chapter(const char *out, chapter *ch)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/results.tsv", out, ch->name);
    if (access(path, F_OK) != 0)
        return false;
    dk_err err;
    char *text = dk_read_file(path, NULL, &err); /* kept: the results point into it */
    if (!text)
        dk_fatal("%s", err.msg);
    size_t lines = 0;
    for (const char *c = text; *c; c++)
        lines += *c == '\n';
    if (!(ch->tests = calloc(lines + 1, sizeof *ch->tests)))
        dk_fatal("out of memory reading %s", path);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        dk_result *r = &ch->tests[ch->ntests];
        if (!dk_result_parse(line, r) || r->points != (r->passed ? r->max : 0))
            dk_fatal("%s: malformed line %zu", path, ch->ntests + 1);
        ch->ntests++;
        ch->points += r->points;
        ch->max += r->max;
        ch->passed += r->passed;
    }
    return true;
}

static const dk_result *first_failure(const chapter *ch)
{
    for (size_t i = 0; i < ch->ntests; i++)
        if (!ch->tests[i].passed)
            return &ch->tests[i];
    return NULL;
}

/* ---- The terminal ---------------------------------------------------- */

static bool color;

static const char *paint(const char *code)
{
    return color ? code : "";
}
#define GREEN paint("\033[32m")
#define RED paint("\033[31m")
#define BOLD paint("\033[1m")
#define RESET paint("\033[0m")

static const char *test_name(const dk_result *r)
{
    const char *slash = strchr(r->name, '/');
    return slash ? slash + 1 : r->name;
}

/* "01" of "01-perceptron": what CH= takes. */
static void short_name(const char *chapter_name, char *buf, size_t len)
{
    snprintf(buf, len, "%.*s", (int)strcspn(chapter_name, "-"), chapter_name);
}

/* A build error, or a call refused at build time, fails every test the
 * same way (a system call refused while running fails only its tests). */
static bool unbuilt(const chapter *ch)
{
    if (!ch->ntests || ch->passed || !dk_kind_unbuilt(ch->tests[0].kind))
        return false;
    for (size_t i = 1; i < ch->ntests; i++)
        if (strcmp(ch->tests[i].message, ch->tests[0].message) != 0)
            return false;
    return true;
}

static void print_tests(const chapter *ch)
{
    if (unbuilt(ch))
        return;
    int width = 40; /* the points line up under the longest name */
    for (size_t i = 0; i < ch->ntests; i++)
        if ((int)strlen(test_name(&ch->tests[i])) > width)
            width = (int)strlen(test_name(&ch->tests[i]));
    for (size_t i = 0; i < ch->ntests; i++) {
        const dk_result *r = &ch->tests[i];
        printf("    %s%s%s %-*s %3d/%-3d %s\n", r->passed ? GREEN : RED,
               r->passed ? "PASS" : "FAIL", RESET, width, test_name(r), r->points, r->max,
               r->passed ? "" : r->kind);
    }
}

static void print_failure(const chapter *ch, const dk_result *r)
{
    if (unbuilt(ch))
        printf("\n%s%s%s is not graded: every test scores 0 until this is fixed:\n", BOLD,
               ch->name, RESET);
    else
        printf("\n%s%s%s: first failure, %s (%d points):\n", BOLD, ch->name, RESET,
               test_name(r), r->max);
    printf("  %s: ", r->kind);
    size_t len = strlen(r->message);
    while (len > 0 && r->message[len - 1] == '\n')
        len--;
    for (size_t i = 0; i < len; i++)
        fputs(r->message[i] == '\n' ? "\n  " : (char[2]){r->message[i], 0}, stdout);
    printf("\n");
}

/* What to do next, for the first chapter with a failure. */
static void print_next(const chapter *ch, const dk_result *r)
{
    char ch_short[16];
    short_name(ch->name, ch_short, sizeof ch_short);
    if (strcmp(r->kind, DK_NOT_IMPLEMENTED) == 0) {
        char func[128], file[512];
        if (sscanf(r->message, "%127s (in %511[^)])", func, file) == 2) {
            printf("\nNext: write %s in %s, then run `make grade CH=%s`.\n", func, file,
                   ch_short);
            return;
        }
    }
    if (unbuilt(ch)) {
        printf("\nNext: fix the build of chapter %s (above), then run `make grade CH=%s`.\n",
               ch_short, ch_short);
        return;
    }
    printf("\nNext: fix %s. `make hint CH=%s` gives a hint; `make debug CH=%s TEST=%s` "
           "runs it alone under gdb.\n", test_name(r), ch_short, ch_short, test_name(r));
}

static void print_report(const chapter *chs, size_t n, const char *src, bool per_test)
{
    printf("%sdlkit grade%s: %s/\n\n", BOLD, RESET, src);
    int points = 0, max = 0;
    for (size_t i = 0; i < n; i++) {
        const chapter *ch = &chs[i];
        bool full = ch->points == ch->max;
        printf("  %-20s %s%3d/%-3d%s  %zu of %zu tests passed\n", ch->name,
               full ? GREEN : RED, ch->points, ch->max, RESET, ch->passed, ch->ntests);
        if (per_test)
            print_tests(ch);
        points += ch->points, max += ch->max;
    }
    if (n > 1)
        printf("  %-20s %3d/%-3d\n", "total", points, max);
    const chapter *next = NULL;
    const dk_result *next_failure = NULL;
    for (size_t i = 0; i < n; i++) {
        const dk_result *r = first_failure(&chs[i]);
        if (r && !next)
            next = &chs[i], next_failure = r;
        if (r)
            print_failure(&chs[i], r);
    }
    if (next) {
        print_next(next, next_failure);
    } else {
        char ch_short[16];
        short_name(chs[n - 1].name, ch_short, sizeof ch_short);
        printf("\nEvery test passed. Next: `make train CH=%s` to watch your code learn, "
               "then `make plot CH=%s`.\n", ch_short, ch_short);
    }
}

/* ---- JSON ------------------------------------------------------------- */

static FILE *open_tmp(const char *out, const char *name, char *path, char *tmp)
{
    snprintf(path, 4096, "%s/%s", out, name);
    snprintf(tmp, 4200, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        dk_fatal("cannot write %s", tmp);
    return f;
}

static void close_rename(FILE *f, const char *path, const char *tmp)
{
    if (fclose(f) != 0 || rename(tmp, path) != 0)
        dk_fatal("cannot write %s", path);
}

static void write_gradescope(const char *out, const chapter *chs, size_t n)
{
    char path[4096], tmp[4200];
    FILE *f = open_tmp(out, "results.json", path, tmp);
    int points = 0;
    for (size_t i = 0; i < n; i++)
        points += chs[i].points;
    gradescope g = gradescope_begin(f, points, 0, NULL);
    for (size_t i = 0; i < n; i++)
        for (size_t t = 0; t < chs[i].ntests; t++)
            gradescope_test(&g, &chs[i].tests[t], NULL);
    gradescope_end(&g);
    close_rename(f, path, tmp);
}

static void write_summary(const char *out, const char *src, const chapter *chs, size_t n)
{
    char path[4096], tmp[4200];
    FILE *f = open_tmp(out, "summary.json", path, tmp);
    int points = 0, max = 0;
    for (size_t i = 0; i < n; i++)
        points += chs[i].points, max += chs[i].max;
    fprintf(f, "{\n  \"source\": ");
    json_string(f, src);
    fprintf(f, ",\n  \"score\": %d,\n  \"max_score\": %d,\n  \"chapters\": [", points, max);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s\n    {\"chapter\": ", i ? "," : "");
        json_string(f, chs[i].name);
        fprintf(f, ", \"score\": %d, \"max_score\": %d, \"tests\": %zu, \"passed\": %zu}",
                chs[i].points, chs[i].max, chs[i].ntests, chs[i].passed);
    }
    fprintf(f, "\n  ]\n}\n");
    close_rename(f, path, tmp);
}

/* ---- main ---------------------------------------------------------------- */

static int hint(const chapter *ch)
{
    const dk_result *r = first_failure(ch);
    char ch_short[16];
    short_name(ch->name, ch_short, sizeof ch_short);
    if (!r) {
        printf("Every test of %s passes: no hint needed.\n", ch->name);
        return 0;
    }
    if (unbuilt(ch)) { /* no test ran: a test's hint would mislead */
        printf("%s: %s, so no test ran. Fix the build first:\n\n%s\n\n(`make grade CH=%s` "
               "shows it again.)\n", ch->name, r->kind, r->message, ch_short);
        return 0;
    }
    int shown = (int)strcspn(r->message, "\n"); /* the failure's first line */
    printf("%s (%d points), the first failing test of %s:\n  %s: %.*s%s\n\nHint: %s\n",
           test_name(r), r->max, ch->name, r->kind, shown, r->message,
           r->message[shown] ? " [...]" : "", r->hint);
    printf("\n(`make grade CH=%s` shows the whole failure.)\n", ch_short);
    return 0;
}

/* make status: a line per chapter from its last grades. */
static int status(const char *out, char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        chapter ch = {.name = names[i]};
        char ch_short[16];
        short_name(ch.name, ch_short, sizeof ch_short);
        if (!read_chapter(out, &ch)) {
            printf("  %-16s    -/100  not graded yet: make grade CH=%s\n", ch.name, ch_short);
            continue;
        }
        printf("  %-16s %4d/%-3d  %2zu of %2zu tests  ", ch.name, ch.points, ch.max, ch.passed,
               ch.ntests);
        const dk_result *r = first_failure(&ch);
        if (!r)
            printf("done\n");
        else if (!strcmp(r->kind, DK_NOT_IMPLEMENTED)) /* "function (in file)" */
            printf("next: write %.*s\n", (int)strcspn(r->message, " \n"), r->message);
        else
            printf("next: fix %s (%s)\n", test_name(r), r->kind);
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *out = NULL, *src = "exercises";
    bool per_test = false, want_hint = false, want_status = false, strict = false;
    int first = 1;
    for (; first < argc && argv[first][0] == '-'; first++) {
        if (!strcmp(argv[first], "--out") && first + 1 < argc) out = argv[++first];
        else if (!strcmp(argv[first], "--src") && first + 1 < argc) src = argv[++first];
        else if (!strcmp(argv[first], "--tests")) per_test = true;
        else if (!strcmp(argv[first], "--strict")) strict = true;
        else if (!strcmp(argv[first], "--hint")) want_hint = true;
        else if (!strcmp(argv[first], "--status")) want_status = true;
        else break;
    }
    size_t n = (size_t)(argc - first);
    if (!out || n == 0)
        dk_fatal("usage: dlkit-report --out DIR [--src SRC] [--tests] [--strict | --hint | "
                 "--status] CHAPTER...");
    if (want_status)
        return status(out, argv + first, n);
    chapter *chs = calloc(n, sizeof *chs);
    if (!chs)
        dk_fatal("out of memory");
    for (size_t i = 0; i < n; i++) {
        chs[i].name = argv[first + (int)i];
        if (!read_chapter(out, &chs[i]))
            dk_fatal("%s/%s/results.tsv: no results (was the chapter graded?)", out, chs[i].name);
    }
    if (want_hint)
        return hint(&chs[0]);
    color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    write_gradescope(out, chs, n);
    write_summary(out, src, chs, n);
    print_report(chs, n, src, per_test);
    for (size_t i = 0; strict && i < n; i++)
        if (chs[i].points < chs[i].max)
            return 1;
    return 0;
}
