/* The CUDA track's grader, inside each test program: the catalogue, one
 * test's run, failures, guarded device buffers and comparisons (check.h).
 *
 *   tests --list                         the catalogue, one test a line:
 *                                        exercise, name, points, timeout,
 *                                        tool (plain|memcheck|racecheck), hint
 *   tests --run EXERCISE/NAME --result FILE
 *                                        runs one test; FILE gets "passed",
 *                                        or "failed", the kind and the message
 *                                        on three tab-separated fields
 *
 * gpu/grader/grade runs every test in a process of its own: a kernel that
 * faults leaves the CUDA context unusable, and must cost only its test. */
#include "check.h"

#include "cuda_check.h"

#include <cuda_runtime.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

/* ---- The catalogue ------------------------------------------------------- */

static std::vector<const gk_test *> &catalogue()
{
    static std::vector<const gk_test *> tests; /* built before main, in order */
    return tests;
}

bool gk_register(const gk_test *test)
{
    catalogue().push_back(test);
    return true;
}

uint64_t gk_seed()
{
    const char *s = getenv("DLKIT_SEED");
    return s && *s ? strtoull(s, nullptr, 10) : 1;
}

dk_rng gk_rng(uint64_t salt)
{
    dk_rng rng;
    dk_rng_seed(&rng, gk_seed() * 0x9e3779b97f4a7c15ULL + salt);
    return rng;
}

/* ---- Failing ------------------------------------------------------------- */

static const char *result_path; /* --result FILE */

static void write_result(const char *verdict, const char *kind, const char *message)
{
    if (!result_path)
        return;
    FILE *f = fopen(result_path, "w");
    if (!f) {
        fprintf(stderr, "gpu grader: cannot write %s\n", result_path);
        exit(2);
    }
    dk_tsv_field(f, verdict, '\t'); /* escaped as in results.tsv */
    dk_tsv_field(f, kind, '\t');
    dk_tsv_field(f, message, '\n');
    fclose(f);
}

void gk_fail(const char *kind, const char *fmt, ...)
{
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: %s\n", kind, msg);
    write_result("failed", kind, msg);
    exit(1);
}

/* Replaces the weak definition in common/error.c: a stub ends its test as
 * "not implemented", as in the CPU grader. */
extern "C" void dk_not_implemented(const char *func, const char *file)
{
    gk_fail(DK_NOT_IMPLEMENTED, "%s (in %s)", func, file);
}

#define FORMAT(buf, fmt)                                                                   \
    do {                                                                                   \
        va_list ap;                                                                        \
        va_start(ap, fmt);                                                                 \
        vsnprintf(buf, sizeof buf, fmt, ap);                                               \
        va_end(ap);                                                                        \
    } while (0)

void gk_sync(const char *what_fmt, ...)
{
    cudaError_t err = cudaGetLastError(); /* a launch that could not start */
    if (err == cudaSuccess)
        err = cudaDeviceSynchronize(); /* a kernel that faulted */
    if (err == cudaSuccess)
        return;
    char what[512];
    FORMAT(what, what_fmt);
    gk_fail(DK_CRASH, "%s: CUDA error %s: %s", what, cudaGetErrorName(err),
            cudaGetErrorString(err));
}

/* ---- Shapes and host arrays ------------------------------------------------ */

size_t gk_count(gk_shape shape)
{
    size_t n = 1;
    for (int i = 0; i < shape.ndim; i++)
        n *= shape.dim[i];
    return n;
}

/* "element [2, 1] of shape (4, 3)" for the flat index of an element. */
static void describe_element(gk_shape shape, size_t flat, char *buf, size_t len)
{
    size_t idx[4] = {0};
    for (int i = shape.ndim - 1; i >= 0; i--) {
        size_t d = shape.dim[i] ? shape.dim[i] : 1;
        idx[i] = flat % d;
        flat /= d;
    }
    char index[96], dims[96];
    int ni = snprintf(index, sizeof index, "["), nd = snprintf(dims, sizeof dims, "(");
    for (int i = 0; i < shape.ndim; i++) {
        ni += snprintf(index + ni, sizeof index - (size_t)ni, "%s%zu", i ? ", " : "", idx[i]);
        nd += snprintf(dims + nd, sizeof dims - (size_t)nd, "%s%zu", i ? ", " : "", shape.dim[i]);
    }
    snprintf(buf, len, "element %s] of shape %s%s)", index, dims, shape.ndim == 1 ? "," : "");
}

static std::vector<void *> &host_arrays()
{
    static std::vector<void *> arrays;
    return arrays;
}

static void *host_alloc(size_t bytes)
{
    void *p = malloc(bytes ? bytes : 1);
    if (!p)
        gk_fail(DK_KIT_ERROR, "out of host memory for %zu bytes", bytes);
    host_arrays().push_back(p);
    return p;
}

float *gk_host(size_t n)
{
    return static_cast<float *>(host_alloc(n * sizeof(float)));
}

float *gk_uniform(dk_rng *rng, size_t n, float lo, float hi)
{
    float *a = gk_host(n);
    for (size_t i = 0; i < n; i++)
        a[i] = dk_rng_range(rng, lo, hi);
    return a;
}

float *gk_grid(dk_rng *rng, size_t n, int steps)
{
    float *a = gk_host(n);
    for (size_t i = 0; i < n; i++)
        a[i] = (float)((int)dk_rng_below(rng, (size_t)(2 * steps + 1)) - steps) / (float)steps;
    return a;
}

int *gk_labels(dk_rng *rng, size_t n, int classes)
{
    int *a = static_cast<int *>(host_alloc(n * sizeof(int)));
    for (size_t i = 0; i < n; i++)
        a[i] = (int)dk_rng_below(rng, (size_t)classes);
    return a;
}

/* ---- Guarded device buffers ------------------------------------------------ */

enum { GUARD = 64 }; /* 4-byte words of guard zone on each side: 256 bytes */

/* Bit patterns no correct result holds: two NaN payloads (the same as the
 * CPU grader's guard.c). A kernel computes NaN with the canonical payload,
 * never these. */
static const uint32_t ZONE_MARK = 0x7fc0beefu;
static const uint32_t UNWRITTEN = 0x7fc0deadu;

enum buffer_kind { INPUT, OUTPUT, PREFILLED };

struct buffer {
    void *base;                    /* what cudaMalloc returned */
    size_t lead;                   /* words before the data: GUARD + misalignment */
    size_t n;                      /* words of data */
    buffer_kind kind;
    std::vector<uint32_t> initial; /* every word as allocated, guard zones included */
};

static std::vector<buffer> &buffers()
{
    static std::vector<buffer> all;
    return all;
}

static int misalignment;

void gk_misalign(int elements)
{
    misalignment = elements & 3;
}

static uint32_t *data_of(const buffer &b)
{
    return static_cast<uint32_t *>(b.base) + b.lead;
}

/* A device buffer of n words laid out [zone | data | zone], with the data
 * set to `data` (or UNWRITTEN when NULL). */
static void *guarded(const void *data, size_t n, buffer_kind kind)
{
    buffer b{nullptr, GUARD + (size_t)misalignment, n, kind, {}};
    const size_t words = b.lead + n + GUARD;
    b.initial.assign(words, ZONE_MARK);
    for (size_t i = 0; i < n; i++)
        b.initial[b.lead + i] = UNWRITTEN;
    if (data)
        memcpy(b.initial.data() + b.lead, data, n * sizeof(uint32_t));
    if (cudaMalloc(&b.base, words * sizeof(uint32_t)) != cudaSuccess)
        gk_fail(DK_KIT_ERROR, "cudaMalloc of %zu bytes failed", words * sizeof(uint32_t));
    cudaMemcpy(b.base, b.initial.data(), words * sizeof(uint32_t), cudaMemcpyHostToDevice);
    buffers().push_back(std::move(b));
    return data_of(buffers().back());
}

float *gk_input(const float *host, size_t n)
{
    return static_cast<float *>(guarded(host, n, INPUT));
}

int *gk_input_ints(const int *host, size_t n)
{
    return static_cast<int *>(guarded(host, n, INPUT));
}

float *gk_output(size_t n)
{
    return static_cast<float *>(guarded(nullptr, n, OUTPUT));
}

float *gk_output_prefilled(const float *host, size_t n)
{
    return static_cast<float *>(guarded(host, n, PREFILLED));
}

static buffer &buffer_of(const void *dev)
{
    for (buffer &b : buffers())
        if (data_of(b) == dev)
            return b;
    gk_fail(DK_KIT_ERROR, "gpu grader: %p is not a buffer of this test", dev);
}

/* Every word of b as the GPU holds it now. */
static std::vector<uint32_t> fetch(const buffer &b)
{
    std::vector<uint32_t> now(b.initial.size());
    gk_sync("reading back an output");
    cudaMemcpy(now.data(), b.base, now.size() * sizeof(uint32_t), cudaMemcpyDeviceToHost);
    return now;
}

/* Index (from the data's edge, 0 nearest) of the changed word of a guard
 * zone nearest the data, or -1. */
static long damaged_zone(const std::vector<uint32_t> &now, const buffer &b, bool before)
{
    for (size_t k = 0; k < GUARD; k++) {
        size_t i = before ? b.lead - 1 - k : b.lead + b.n + k;
        if (now[i] != ZONE_MARK)
            return (long)k;
    }
    return -1;
}

void gk_fetch_output(const float *dev, float *host, gk_shape shape, const char *what_fmt, ...)
{
    char what[512], dims[256];
    FORMAT(what, what_fmt);
    const buffer &b = buffer_of(dev);
    describe_element(shape, 0, dims, sizeof dims);
    const char *shape_text = strstr(dims, "shape ");
    std::vector<uint32_t> now = fetch(b);
    long before = damaged_zone(now, b, true), after = damaged_zone(now, b, false);
    if (before >= 0)
        gk_fail(DK_WRONG_SHAPE, "%s wrote before the start of its output: element [%ld] "
                "(expected output %s, %zu elements)", what, -1 - before, shape_text, b.n);
    if (after >= 0)
        gk_fail(DK_WRONG_SHAPE, "%s wrote past the end of its output: element [%zu] "
                "(expected output %s, %zu elements)", what, b.n + (size_t)after, shape_text, b.n);
    size_t missing = 0, first = 0;
    for (size_t i = 0; b.kind == OUTPUT && i < b.n; i++)
        if (now[b.lead + i] == UNWRITTEN && missing++ == 0)
            first = i;
    if (missing) {
        char where[256];
        describe_element(shape, first, where, sizeof where);
        gk_fail(DK_WRONG_SHAPE, "%s never wrote %s (%zu of %zu elements unwritten)", what,
                where, missing, b.n);
    }
    memcpy(host, now.data() + b.lead, gk_count(shape) * sizeof(float));
}

void gk_expect_inputs_untouched(const char *what_fmt, ...)
{
    char what[512];
    FORMAT(what, what_fmt);
    for (size_t k = 0; k < buffers().size(); k++) {
        const buffer &b = buffers()[k];
        if (b.kind != INPUT)
            continue;
        std::vector<uint32_t> now = fetch(b);
        for (size_t i = 0; i < now.size(); i++)
            if (now[i] != b.initial[i])
                gk_fail(DK_WRONG_SHAPE, "%s wrote into one of its inputs (input %zu, word %ld "
                        "of its %zu elements): inputs are const", what, k,
                        (long)i - (long)b.lead, b.n);
    }
}

void gk_free_all()
{
    for (buffer &b : buffers())
        cudaFree(b.base);
    buffers().clear();
    for (void *p : host_arrays())
        free(p);
    host_arrays().clear();
}

/* ---- Comparing values ------------------------------------------------------ */

void gk_expect_floats(const float *expected, const float *got, gk_shape shape, dk_tol tol,
                      const char *what_fmt, ...)
{
    size_t n = gk_count(shape), wrong = 0, first = 0;
    for (size_t i = 0; i < n; i++)
        if (!dkg_close(expected[i], got[i], tol) && wrong++ == 0)
            first = i;
    if (!wrong)
        return;
    char what[512], where[256];
    FORMAT(what, what_fmt);
    describe_element(shape, first, where, sizeof where);
    gk_fail(DK_WRONG_VALUE, "%s, %s: expected %.9g, got %.9g (%zu of %zu elements wrong)", what,
            where, expected[first], got[first], wrong, n);
}

void gk_expect_near(double expected, double got, dk_tol tol, const char *what_fmt, ...)
{
    if (dkg_close(expected, got, tol))
        return;
    char what[512];
    FORMAT(what, what_fmt);
    gk_fail(DK_WRONG_VALUE, "%s: expected %.9g, got %.9g", what, expected, got);
}

void gk_expect_output(const float *expected, const float *dev, gk_shape shape, dk_tol tol,
                      const char *what_fmt, ...)
{
    char what[512];
    FORMAT(what, what_fmt);
    float *got = gk_host(gk_count(shape));
    gk_fetch_output(dev, got, shape, "%s", what);
    gk_expect_floats(expected, got, shape, tol, "%s", what);
}

/* ---- main ------------------------------------------------------------------ */

static const char *tool_name(gk_tool tool)
{
    return tool == GK_MEMCHECK ? "memcheck" : tool == GK_RACECHECK ? "racecheck" : "plain";
}

static void list()
{
    for (const gk_test *t : catalogue())
        printf("%s\t%s\t%d\t%d\t%s\t%s\n", t->exercise, t->name, t->points, t->timeout_s,
               tool_name(t->tool), t->hint);
}

/* The kit's CUDA errors (the trainer's) end the test as a crash too. */
static void fail_crash(const char *message)
{
    gk_fail(DK_CRASH, "%s", message);
}

static int run(const char *id)
{
    cuda_error_handler = fail_crash;
    for (const gk_test *t : catalogue()) {
        char full[256];
        snprintf(full, sizeof full, "%s/%s", t->exercise, t->name);
        if (strcmp(full, id) != 0)
            continue;
        int devices = 0;
        cudaError_t err = cudaGetDeviceCount(&devices);
        if (err != cudaSuccess || devices == 0)
            gk_fail(DK_KIT_ERROR, "no CUDA device (%s)", cudaGetErrorString(err));
        t->body();
        gk_sync("%s", full);
        gk_free_all();
        write_result("passed", "passed", "");
        return 0;
    }
    fprintf(stderr, "gpu grader: no test %s (--list lists them)\n", id);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        list();
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "--run") == 0 && strcmp(argv[3], "--result") == 0) {
        result_path = argv[4];
        return run(argv[2]);
    }
    fprintf(stderr, "usage: %s --list | --run EXERCISE/NAME --result FILE\n", argv[0]);
    return 2;
}
