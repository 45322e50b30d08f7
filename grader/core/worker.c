/* The side of the grader that runs inside each test's own process.
 *
 * Criterion runs every test in a fresh process and, in version 2.4, counts
 * a process that exits with status 0 as a passed test, whatever its test
 * body did. So a test earns its points only with evidence that its body
 * returned: one passed Criterion assertion, made after the body by
 * dk_test_reached_end. The checks make none (they assert only to fail), and
 * chapter code cannot make one: the build refuses code that names Criterion
 * or grader symbols. The evidence travels over Criterion's own channel to
 * the runner, where no file that code under test could create plays a
 * part. */
#include "grade.h"
#include "internal.h"
#include "remote.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif

/* "<run folder>/<current test><suffix>", or false outside a graded run. */
static bool run_file(const char *suffix, char *path, size_t len)
{
    const char *dir = getenv(DK_RUN_DIR_ENV);
    if (!dir || !criterion_current_test)
        return false;
    return (size_t)snprintf(path, len, "%s/%s%s", dir, criterion_current_test->name,
                            suffix) < len;
}

static void touch(const char *suffix)
{
    char path[4096];
    if (!run_file(suffix, path, sizeof path))
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0)
        close(fd);
}

static void limit(int resource, rlim_t value)
{
    struct rlimit r = {value, value};
    setrlimit(resource, &r);
}

void dk_note_out_of_memory(void)
{
    touch(DK_OOM_SUFFIX);
}

void dk_test_init(void)
{
    char path[4096];
    if (!run_file(DK_OUT_SUFFIX, path, sizeof path))
        return;

    /* What the code under test prints goes into the run folder, for the
     * report, instead of into the middle of the grade table. */
    if (freopen(path, "w", stdout))
        dup2(fileno(stdout), STDERR_FILENO);
    setvbuf(stdout, NULL, _IONBF, 0);
    /* (the region first: sizing its memory counts as writing a file) */
    const dk_graded *g = dk_graded_named(criterion_current_test->name);
    dk_remote_init(DK_TIMEOUT_SCALE * (g ? g->timeout : 60));
#ifndef SANITIZED /* the sanitizers reserve terabytes of address space */
    limit(RLIMIT_AS, DK_MEMORY_LIMIT + (dk_isolated() ? DK_REGION_SIZE : 0));
#endif
    limit(RLIMIT_FSIZE, DK_OUTPUT_LIMIT);
    limit(RLIMIT_CORE, 0);
}

/* Written whole under a temporary name, then renamed: a runner stopped at
 * any moment finds the verdict complete or absent. Only the test's process
 * writes it, and no student code runs there (remote.h); a single-process
 * build is never salvaged (grade-chapter). */
void dk_note_ended(const char *failure)
{
    char path[4096], tmp[4200];
    if (!run_file(DK_ENDED_SUFFIX, path, sizeof path))
        return;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return;
    dk_tsv_field(f, failure ? failure : DK_PASSED, '\n');
    if (fclose(f) == 0)
        rename(tmp, path);
}

void dk_test_reached_end(void)
{
    dk_remote_stop();
    dk_note_ended(NULL);
    cr_assert(true, "the test reached its end");
}

/* Replaces the weak definition in common/error.c for graded runs (a stub
 * reached in the test's own process: make debug's build). */
void dk_not_implemented(const char *func, const char *file)
{
    dk_test_fail(DK_NOT_IMPLEMENTED, "%s (in %s)", func, file);
}

/* The test binaries are linked with --wrap for the allocation functions, so
 * an allocation that fails under the memory limit is recorded before the
 * code under test (probably) crashes on the NULL it gets. */
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__real_aligned_alloc(size_t align, size_t n);

static void *noted(void *p, size_t n)
{
    if (!p && n) {
        touch(DK_OOM_SUFFIX);
        fprintf(stderr, "dlkit: an allocation of %zu bytes failed\n", n);
    }
    return p;
}

void *__wrap_malloc(size_t n) { return noted(__real_malloc(n), n); }
void *__wrap_calloc(size_t n, size_t size) { return noted(__real_calloc(n, size), n * size); }
void *__wrap_realloc(void *p, size_t n) { return noted(__real_realloc(p, n), n); }
void *__wrap_aligned_alloc(size_t align, size_t n)
{
    return noted(__real_aligned_alloc(align, n), n);
}
