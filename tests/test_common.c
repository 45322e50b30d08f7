/* The kit's tests of common/: RNG, BLAS wrapper, logs, files, progress. */
#include "blas.h"
#include "csvlog.h"
#include "error.h"
#include "files.h"
#include "progress.h"
#include "rng.h"

#include <cblas.h>
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* ---- RNG ------------------------------------------------------------------ */

Test(common, rng_same_seed_same_stream, .timeout = 10)
{
    dk_rng a, b, c;
    dk_rng_seed(&a, 42);
    dk_rng_seed(&b, 42);
    dk_rng_seed(&c, 43);
    int differ = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = dk_rng_u64(&a);
        cr_assert_eq(x, dk_rng_u64(&b), "same seed, different stream at draw %d", i);
        differ += x != dk_rng_u64(&c);
    }
    cr_assert_gt(differ, 990, "seeds 42 and 43 give nearly the same stream");
}

/* xoshiro256** seeded through splitmix64 from 1, as computed by an
 * independent implementation of the published algorithms: a change of
 * generator (and with it of every recorded run) cannot go unnoticed. */
Test(common, rng_known_values, .timeout = 10)
{
    dk_rng r;
    dk_rng_seed(&r, 1);
    cr_assert_eq(dk_rng_u64(&r), 0xb3f2af6d0fc710c5ULL);
    cr_assert_eq(dk_rng_u64(&r), 0x853b559647364ceaULL);
    cr_assert_eq(dk_rng_u64(&r), 0x92f89756082a4514ULL);
}

Test(common, rng_uniform_and_normal_moments, .timeout = 10)
{
    dk_rng r;
    dk_rng_seed(&r, 7);
    enum { N = 200000 };
    double su = 0, sn = 0, sn2 = 0;
    for (int i = 0; i < N; i++) {
        float u = dk_rng_uniform(&r);
        cr_assert(u >= 0.0f && u < 1.0f, "uniform out of [0, 1): %g", u);
        su += u;
        float z = dk_rng_normal(&r);
        cr_assert(isfinite(z));
        sn += z, sn2 += (double)z * z;
    }
    /* 5 standard errors: never fails for a correct generator and seed. */
    cr_assert_lt(fabs(su / N - 0.5), 5 * sqrt(1.0 / 12 / N), "uniform mean %g", su / N);
    cr_assert_lt(fabs(sn / N), 5 / sqrt(N), "normal mean %g", sn / N);
    cr_assert_lt(fabs(sn2 / N - 1), 5 * sqrt(2.0 / N), "normal variance %g", sn2 / N);
}

Test(common, rng_below_and_permutation, .timeout = 10)
{
    dk_rng r;
    dk_rng_seed(&r, 3);
    size_t counts[7] = {0};
    for (int i = 0; i < 70000; i++) {
        size_t k = dk_rng_below(&r, 7);
        cr_assert_lt(k, 7);
        counts[k]++;
    }
    for (int k = 0; k < 7; k++)
        cr_assert(counts[k] > 9500 && counts[k] < 10500, "value %d drawn %zu times", k,
                  counts[k]);
    size_t idx[100], seen[100] = {0};
    dk_rng_permutation(&r, idx, 100);
    for (int i = 0; i < 100; i++)
        seen[idx[i]]++;
    for (int i = 0; i < 100; i++)
        cr_assert_eq(seen[i], 1, "%d appears %zu times in the permutation", i, seen[i]);
}

/* ---- BLAS ----------------------------------------------------------------- */

Test(common, sgemm_selftest_passes, .timeout = 30)
{
    char report[512];
    cr_assert(dk_sgemm_selftest(dk_sgemm, report, sizeof report), "%s", report);
    cr_assert(strstr(report, dk_blas_core()), "report does not name the core: %s", report);
}

/* dk_blas_init (tests/main.c) must have moved an AVX-512 CPU off the
 * generic AVX2 kernels, unless the user chose a core. */
Test(common, blas_core_chosen_for_the_cpu, .timeout = 10)
{
    __builtin_cpu_init();
    bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                  __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
    const char *core = dk_blas_core();
    bool generic = strcasecmp(core, "haswell") == 0 || strcasecmp(core, "zen") == 0;
    cr_assert(!(avx512 && generic && !getenv("OPENBLAS_CORETYPE")),
              "an AVX-512 CPU runs OpenBLAS's %s kernels", core);
}

/* Wrong kernels the self-test must reject. */
static void ignores_transposes(bool ta, bool tb, size_t M, size_t N, size_t K, float alpha,
                               const float *A, const float *B, float beta, float *C)
{
    (void)ta, (void)tb;
    dk_sgemm(false, false, M, N, K, alpha, A, B, beta, C);
}

static void drops_last_k(bool ta, bool tb, size_t M, size_t N, size_t K, float alpha,
                         const float *A, const float *B, float beta, float *C)
{
    if (K < 2 || ta || tb) {
        dk_sgemm(ta, tb, M, N, K, alpha, A, B, beta, C);
        return;
    }
    /* op(A)[:, :K-1] op(B)[:K-1, :] through leading dimensions by hand */
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < N; j++) {
            float s = 0;
            for (size_t k = 0; k + 1 < K; k++)
                s += A[i * K + k] * B[k * N + j];
            C[i * N + j] = alpha * s + beta * C[i * N + j];
        }
}

static void ignores_beta(bool ta, bool tb, size_t M, size_t N, size_t K, float alpha,
                         const float *A, const float *B, float beta, float *C)
{
    (void)beta;
    dk_sgemm(ta, tb, M, N, K, alpha, A, B, 0.0f, C);
}

Test(common, sgemm_selftest_rejects_wrong_kernels, .timeout = 30)
{
    char report[512];
    cr_assert_not(dk_sgemm_selftest(ignores_transposes, report, sizeof report));
    cr_assert(strstr(report, "trans_a=1") || strstr(report, "trans_b=1"), "%s", report);
    cr_assert_not(dk_sgemm_selftest(drops_last_k, report, sizeof report));
    cr_assert_not(dk_sgemm_selftest(ignores_beta, report, sizeof report));
    cr_assert(strstr(report, "expected"), "%s", report);
}

Test(common, sgemm_row_major_small, .timeout = 10)
{
    /* (2,3) x (3,2) by hand */
    const float A[6] = {1, 2, 3, 4, 5, 6}, B[6] = {7, 8, 9, 10, 11, 12};
    float C[4] = {NAN, NAN, NAN, NAN};
    dk_sgemm(false, false, 2, 2, 3, 1.0f, A, B, 0.0f, C);
    const float want[4] = {58, 64, 139, 154};
    for (int i = 0; i < 4; i++)
        cr_assert_eq(C[i], want[i], "C[%d] = %g, expected %g (beta = 0 must ignore NaN)", i,
                     C[i], want[i]);
}

/* A product too small to share runs on one thread, and the process's
 * thread count, which every later product uses, is put back after it. */
Test(common, sgemm_small_product_keeps_the_thread_count, .timeout = 10)
{
    openblas_set_num_threads(2);
    const float A[6] = {1, 2, 3, 4, 5, 6}, B[6] = {7, 8, 9, 10, 11, 12};
    float C[4];
    dk_sgemm(false, false, 2, 2, 3, 1.0f, A, B, 0.0f, C);
    cr_assert_eq(openblas_get_num_threads(), 2, "dk_sgemm left OpenBLAS on %d thread(s)",
                 openblas_get_num_threads());
    cr_assert_eq(C[3], 154.0f);
}

/* ---- Files and logs ------------------------------------------------------ */

static char *temp_dir(void)
{
    static char dir[64];
    strcpy(dir, "/tmp/dlkit-test-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    return dir;
}

Test(common, csvlog_renames_only_when_closed, .timeout = 10)
{
    char path[256];
    snprintf(path, sizeof path, "%s/a/b/log.csv", temp_dir());
    dk_err err;
    dk_csvlog *log = dk_csvlog_open(path, "epoch,loss", &err);
    cr_assert_not_null(log, "%s", err.msg);
    dk_csvlog_row(log, (double[]){1, 0.5});
    dk_csvlog_row(log, (double[]){2, NAN});
    cr_assert_not(dk_file_exists(path), "the log is in place before it is complete");
    cr_assert(dk_csvlog_close(log, &err), "%s", err.msg);
    char *text = dk_read_file(path, NULL, &err);
    cr_assert_not_null(text, "%s", err.msg);
    cr_assert_str_eq(text, "epoch,loss\n1,0.5\n2,nan\n");
    free(text);
}

Test(common, errors_name_the_file, .timeout = 10)
{
    dk_err err;
    cr_assert_null(dk_read_file("/nonexistent/dlkit/file.csv", NULL, &err));
    cr_assert(strstr(err.msg, "/nonexistent/dlkit/file.csv"), "%s", err.msg);
    cr_assert_null(dk_csvlog_open("/proc/dlkit/log.csv", "a", &err));
    cr_assert(strstr(err.msg, "/proc/dlkit"), "%s", err.msg);
}

Test(common, fatal_exits_with_status_1, .exit_code = 1, .init = cr_redirect_stderr,
     .timeout = 10)
{
    dk_fatal("something the user can fix: %s", "do this");
}

/* ---- Progress ---------------------------------------------------------------- */

Test(common, progress_plain_lines_off_a_terminal, .timeout = 10)
{
    char path[256];
    snprintf(path, sizeof path, "%s/progress.txt", temp_dir());
    cr_assert_not_null(freopen(path, "w", stderr));
    dk_progress p;
    dk_progress_start(&p, "epoch 1/1", 100, "samples");
    for (size_t i = 1; i <= 100; i++)
        dk_progress_update(&p, i, "loss 0.5");
    dk_progress_end(&p, 100, "done");
    fflush(stderr);
    dk_err err;
    char *text = dk_read_file(path, NULL, &err);
    cr_assert_not_null(text, "%s", err.msg);
    /* A fast run off a terminal: no carriage returns, one final line. */
    cr_assert_null(strchr(text, '\r'), "%s", text);
    cr_assert(strstr(text, "epoch 1/1") && strstr(text, "100% (100/100)") &&
              strstr(text, "| done\n"), "%s", text);
    free(text);
}

/* Where the status of a line starts: its " | ". */
static long status_column(const char *line)
{
    const char *bar = strstr(line, " | ");
    cr_assert_not_null(bar, "no status in \"%s\"", line);
    return bar - line;
}

/* The lines of a run read as a table: a longer label ("epoch 10/10"), a
 * larger count, a faster rate or a longer time shift no column, on a
 * terminal or off it, and neither does a stopped run's reason. */
Test(common, progress_columns_keep_their_place, .timeout = 10)
{
    for (int tty = 0; tty < 2; tty++) {
        char labels[2][32], line[512];
        dk_progress_epoch_label(labels[0], sizeof labels[0], 1, 10);
        dk_progress_epoch_label(labels[1], sizeof labels[1], 10, 10);
        cr_assert_eq(strlen(labels[0]), strlen(labels[1]), "\"%s\", \"%s\"", labels[0], labels[1]);
        const dk_progress_at at[] = {
            {.done = 7, .elapsed = 0.5, .status = "loss 2.3"},
            {.done = 53000, .elapsed = 3.25, .status = "loss 0.4"},
            {.done = 60000, .elapsed = 0.01, .end = true, .status = "done"},
            {.done = 6, .elapsed = 42.5, .end = true, .stopped = "converged after 6 epochs",
             .status = "done"},
        };
        long column = -1, percent = -1;
        for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
            dk_progress p = {.label = labels[i % 2], .unit = "samples", .total = 60000,
                             .tty = tty};
            dk_progress_format(&p, &at[i], line, sizeof line);
            column = column < 0 ? status_column(line) : column;
            cr_assert_eq(status_column(line), column, "line %zu moved its status: \"%s\"", i, line);
            if (at[i].stopped) {
                cr_assert(strstr(line, "converged after 6 epochs") && !strchr(line, '%'),
                          "a stopped run reads as a percentage: \"%s\"", line);
                continue;
            }
            const long at_percent = strchr(line, '%') - line;
            percent = percent < 0 ? at_percent : percent;
            cr_assert_eq(at_percent, percent, "line %zu moved its percentage: \"%s\"", i, line);
        }
    }
}
