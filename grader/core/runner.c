/* main() of every chapter's test program.
 *
 *   tests --results FILE [--only a,b] [--jobs N]  run, write results
 *   tests --list                                   tests in declared order
 *   tests --run NAME                               one test in this process
 *   tests --salvage FILE --after S [--only a,b]    results of a run stopped after S s
 *
 * Criterion runs each test in its own process; its report hooks tell this
 * process how each one ended (status, signal, timeout, assertions). A test
 * passes only when Criterion says so AND the assertion made after its body
 * returned arrived (worker.c). The results file has one line per test, in
 * declared order, in results.h's format.
 *
 * Stopped before it writes them (grade-chapter's limit on the whole run),
 * the runner leaves its run folder, where each test's process noted how it
 * ended as soon as it did (worker.c); --salvage turns those notes into the
 * results, a test without one as a timeout. */
#include "blas.h"
#include "files.h"
#include "grade.h"
#include "internal.h"
#include "remote.h"

#include <criterion/hooks.h>
#include <criterion/logging.h>
#include <criterion/options.h>
#include <dirent.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef DK_CHAPTER
#error "compile with -DDK_CHAPTER='\"NN-topic\"'"
#endif

typedef struct outcome {
    const dk_graded *graded;
    bool selected;       /* to run (all, or those named by --only) */
    bool ended;          /* a hook reported its end */
    bool passed, timed_out;
    int signal, exit_code;
    int passed_asserts;  /* 1 when the body returned (dk_test_reached_end) */
    char failure[2048];  /* first failed check */
} outcome;

static outcome *tests;
static size_t ntests;

/* ---- The graded tests, in declared order ----------------------------- */

static dk_graded *registered; /* GRADED_TEST's constructors fill it */

void dk_register_graded(dk_graded *test)
{
    test->next = registered;
    registered = test;
}

static int by_declaration(const void *a, const void *b)
{
    const dk_graded *x = ((const outcome *)a)->graded, *y = ((const outcome *)b)->graded;
    int c = strcmp(x->file, y->file);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static void collect(void)
{
    size_t n = 0;
    for (const dk_graded *g = registered; g; g = g->next)
        n++;
    tests = calloc(n ? n : 1, sizeof *tests);
    if (!tests)
        dk_fatal("grader: out of memory");
    for (const dk_graded *g = registered; g; g = g->next)
        tests[ntests++] = (outcome){.graded = g};
    qsort(tests, ntests, sizeof *tests, by_declaration);
}

const dk_graded *dk_graded_named(const char *name)
{
    for (const dk_graded *g = registered; g; g = g->next)
        if (strcmp(g->name, name) == 0)
            return g;
    return NULL;
}

static outcome *find(const char *name)
{
    for (size_t i = 0; i < ntests; i++)
        if (strcmp(tests[i].graded->name, name) == 0)
            return &tests[i];
    return NULL;
}

/* ---- Criterion's report hooks (in this process) ----------------------- */

ReportHook(POST_TEST)(struct criterion_test_stats *stats)
{
    outcome *o = find(stats->test->name);
    if (!o)
        return;
    o->ended = true;
    o->passed = stats->test_status == CR_STATUS_PASSED;
    o->timed_out = stats->timed_out;
    o->exit_code = stats->exit_code;
    o->passed_asserts = stats->passed_asserts;
    for (struct criterion_assert_stats *a = stats->asserts; a; a = a->next)
        if (!a->passed && !o->failure[0])
            snprintf(o->failure, sizeof o->failure, "%s", a->message);
}

ReportHook(TEST_CRASH)(struct criterion_test_stats *stats)
{
    outcome *o = find(stats->test->name);
    if (o) {
        o->ended = true;
        o->signal = stats->signal;
    }
}

/* ---- Judging one test ------------------------------------------------ */

static char run_dir[4096]; /* what the tests leave for the runner */
static double salvaged_after; /* --salvage: the whole run's time limit, s */

static bool run_file_exists(const outcome *o, const char *suffix)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s%s", run_dir, o->graded->name, suffix);
    return access(path, F_OK) == 0;
}

static const char *signal_meaning(int sig)
{
    switch (sig) {
    case SIGSEGV: return "a read or write outside an array, or through a NULL pointer?";
    case SIGBUS: return "a misaligned or invalid memory access";
    case SIGFPE: return "an integer division by zero?";
    case SIGABRT: return "abort() or a failed assert()";
    case SIGXFSZ: return "it wrote more output than the test allows";
    case SIGKILL: return "killed, probably for using too much memory or time";
    default: return "";
    }
}

/* kind and message of a test's result; kind "passed" when it passed. */
static void judge(const outcome *o, char *kind, size_t klen, char *msg, size_t mlen)
{
    bool passed = o->ended && !o->signal && !o->timed_out && !o->failure[0] && o->passed &&
                  o->passed_asserts >= 1;
    *msg = '\0';
    if (passed) {
        snprintf(kind, klen, DK_PASSED);
    } else if (run_file_exists(o, DK_OOM_SUFFIX)) { /* the cause of what followed */
        snprintf(kind, klen, DK_OUT_OF_MEMORY);
        const char *exe = getenv(DK_STUDENT_EXE_ENV);
        snprintf(msg, mlen, "an allocation failed under the test's %zu MiB limit (an "
                 "allocation that never stops, or a size computed wrong?)",
                 (exe && *exe ? DK_STUDENT_HEAP_SIZE : DK_MEMORY_LIMIT) >> 20);
    } else if (!o->ended && salvaged_after > 0) {
        snprintf(kind, klen, DK_TIMEOUT);
        snprintf(msg, mlen, "had not ended when the chapter's tests ran out of time (%g s "
                 "for all of them): another test that never returns?", salvaged_after);
    } else if (!o->ended) {
        snprintf(kind, klen, DK_CRASH);
        snprintf(msg, mlen, "the test's process vanished without a report");
    } else if (o->signal) {
        snprintf(kind, klen, DK_CRASH);
        snprintf(msg, mlen, "crashed with signal %d (%s): %s", o->signal,
                 strsignal(o->signal), signal_meaning(o->signal));
    } else if (o->timed_out) {
        snprintf(kind, klen, DK_TIMEOUT);
        snprintf(msg, mlen, "did not finish within %g s (an endless loop?)",
                 DK_TIMEOUT_SCALE * o->graded->timeout);
    } else if (o->failure[0]) {
        snprintf(msg, mlen, "%s", dk_kind_split(o->failure, kind, klen));
    } else {
        snprintf(kind, klen, DK_EXITED);
        snprintf(msg, mlen, "the process ended (exit status %d) before the test finished: "
                 "code under test must return, not call exit()", o->exit_code);
    }
}

/* The first lines the code under test printed, appended to a failure. */
static void append_output(const outcome *o, char *msg, size_t mlen)
{
    char path[4200], buf[1200];
    snprintf(path, sizeof path, "%s/%s%s", run_dir, o->graded->name, DK_OUT_SUFFIX);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    bool more = fgetc(f) != EOF;
    fclose(f);
    buf[n] = '\0';
    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++) /* no terminal escapes, no NULs: text only */
        if ((unsigned char)buf[i] < 0x20 && buf[i] != '\n' && buf[i] != '\t')
            buf[i] = '?';
    size_t len = strlen(msg);
    snprintf(msg + len, mlen - len, "\n--- your code printed ---\n%s%s", buf,
             more ? "\n[...]" : "");
}

/* ---- The results file ------------------------------------------------ */

static void write_result(FILE *f, const outcome *o)
{
    char kind[64], msg[4096], name[512];
    judge(o, kind, sizeof kind, msg, sizeof msg);
    bool passed = strcmp(kind, DK_PASSED) == 0;
    if (!passed)
        append_output(o, msg, sizeof msg);
    snprintf(name, sizeof name, "%s/%s", DK_CHAPTER, o->graded->name);
    dk_result r = {name, passed ? o->graded->points : 0, o->graded->points, passed, kind, msg,
                   o->graded->hint};
    dk_result_write(f, &r);
}

static void write_results(const char *path)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        dk_fatal("grader: cannot write %s", tmp);
    for (size_t i = 0; i < ntests; i++)
        if (tests[i].selected)
            write_result(f, &tests[i]);
    if (fclose(f) != 0 || rename(tmp, path) != 0)
        dk_fatal("grader: cannot write %s", path);
}

/* ---- Running ----------------------------------------------------------- */

static void remove_run_dir(void)
{
    DIR *d = opendir(run_dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", run_dir, e->d_name);
        if (e->d_name[0] != '.')
            unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(run_dir);
}

/* Marks the tests to run; returns the Criterion pattern that selects them
 * (NULL: all). only is a comma-separated list of test names. */
static char *select_tests(const char *only)
{
    for (size_t i = 0; i < ntests; i++)
        tests[i].selected = !only;
    if (!only)
        return NULL;
    size_t len = strlen(only) + 16;
    char *pattern = malloc(len), *names = strdup(only);
    if (!pattern || !names)
        dk_fatal("grader: out of memory");
    int n = snprintf(pattern, len, "graded/@(");
    for (char *save, *name = strtok_r(names, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        outcome *o = find(name);
        if (!o)
            dk_fatal("grader: no test named %s in chapter %s", name, DK_CHAPTER);
        o->selected = true;
        n += snprintf(pattern + n, len - (size_t)n, "%s%s", pattern[n - 1] == '(' ? "" : "|", name);
    }
    snprintf(pattern + n, len - (size_t)n, ")");
    free(names);
    return pattern;
}

static int run_all(struct criterion_test_set *set, const char *results,
                   const char *only, size_t jobs)
{
    snprintf(run_dir, sizeof run_dir, "%s.run.XXXXXX", results);
    dk_err err;
    if (!dk_mkdirs_for(results, &err))
        dk_fatal("%s", err.msg);
    if (!mkdtemp(run_dir))
        dk_fatal("grader: cannot create %s", run_dir);
    setenv(DK_RUN_DIR_ENV, run_dir, 1);
    char *pattern = select_tests(only);
    criterion_options.logging_threshold = CRITERION_LOG_LEVEL_QUIET;
    criterion_options.pattern = pattern;
    criterion_options.jobs = jobs;
    criterion_options.no_early_exit = true;
    criterion_run_all_tests(set);
    write_results(results);
    remove_run_dir();
    free(pattern);
    return 0;
}

/* The run folder that a stopped run left beside results, or false. */
static bool find_run_dir(const char *results)
{
    char pattern[4200];
    snprintf(pattern, sizeof pattern, "%s.run.*", results);
    glob_t g;
    bool found = glob(pattern, 0, NULL, &g) == 0 && g.gl_pathc == 1;
    if (found)
        snprintf(run_dir, sizeof run_dir, "%s", g.gl_pathv[0]);
    globfree(&g);
    return found;
}

/* One test's note: "passed" or its first failure; false when it has none. */
static bool read_ended(outcome *o)
{
    char path[4200], line[sizeof o->failure];
    snprintf(path, sizeof path, "%s/%s%s", run_dir, o->graded->name, DK_ENDED_SUFFIX);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    bool ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    if (!ok)
        return false;
    line[strcspn(line, "\n")] = '\0';
    dk_tsv_unescape(line);
    o->ended = o->passed = true;
    o->passed_asserts = 1;
    if (strcmp(line, DK_PASSED) != 0)
        snprintf(o->failure, sizeof o->failure, "%s", line);
    return true;
}

/* The results of a run stopped after `budget` seconds, from its notes. */
static int salvage(const char *results, const char *only, double budget)
{
    char *pattern = select_tests(only);
    free(pattern);
    salvaged_after = budget;
    bool have_dir = find_run_dir(results);
    for (size_t i = 0; have_dir && i < ntests; i++)
        if (tests[i].selected)
            read_ended(&tests[i]);
    write_results(results);
    if (have_dir)
        remove_run_dir();
    return 0;
}

static void print_and_abort(const char *message)
{
    fprintf(stderr, "FAILED: %s\n", message);
    abort();
}

/* `make debug`: the body alone in this process, under gdb or sanitizers;
 * a failed check aborts, so that gdb stops where it failed. */
static int run_standalone(const char *name)
{
    outcome *o = find(name);
    if (!o) {
        fprintf(stderr, "no test named %s in chapter %s (see --list)\n", name, DK_CHAPTER);
        return 2;
    }
    dk_set_fail_handler(print_and_abort);
    dk_remote_init(DK_TIMEOUT_SCALE * o->graded->timeout); /* (when DK_STUDENT_EXE is set) */
    setvbuf(stdout, NULL, _IONBF, 0); /* what the code prints shows before a crash */
    fprintf(stderr, "%s/%s (seed %llu; SEED=n replays another)\n", DK_CHAPTER, name,
            (unsigned long long)dk_test_seed());
    o->graded->body();
    fprintf(stderr, "PASSED\n");
    return 0;
}

/* The catalogue: name, points, timeout, hint, one test per line. */
static void list(void)
{
    for (size_t i = 0; i < ntests; i++) {
        printf("%s\t%d\t%g\t", tests[i].graded->name, tests[i].graded->points,
               tests[i].graded->timeout);
        dk_tsv_field(stdout, tests[i].graded->hint, '\n');
    }
}

int main(int argc, char **argv)
{
    dk_blas_init(argv, 1);
    const char *results = NULL, *only = NULL, *single = NULL, *stopped = NULL;
    double budget = 0;
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    bool listing = false;
    for (int i = 1; i < argc; i++) {
        bool has = i + 1 < argc;
        if (!strcmp(argv[i], "--results") && has) results = argv[++i];
        else if (!strcmp(argv[i], "--only") && has) only = argv[++i];
        else if (!strcmp(argv[i], "--run") && has) single = argv[++i];
        else if (!strcmp(argv[i], "--salvage") && has) stopped = argv[++i];
        else if (!strcmp(argv[i], "--after") && has) budget = atof(argv[++i]);
        else if (!strcmp(argv[i], "--jobs") && has) jobs = atol(argv[++i]);
        else if (!strcmp(argv[i], "--list")) listing = true;
        else dk_fatal("usage: %s --results FILE [--only a,b] [--jobs N] | --list | --run NAME"
                      " | --salvage FILE --after SECONDS [--only a,b]", argv[0]);
    }
    struct criterion_test_set *set = criterion_initialize();
    collect();
    int status = 0;
    if (listing)
        list();
    else if (single)
        status = run_standalone(single);
    else if (stopped)
        status = salvage(stopped, only, budget > 0 ? budget : 1);
    else if (results)
        status = run_all(set, results, only, jobs > 0 ? (size_t)jobs : 1);
    else
        dk_fatal("%s: say --results FILE, --list or --run NAME", argv[0]);
    criterion_finalize(set);
    /* Out now: no destructor or atexit handler of the code under test gets
     * to run after the results are written. */
    fflush(NULL);
    _exit(status);
}
