/* main() of the student process (remote.h): the student's code, the
 * earlier chapters' references and common/, and this dispatcher; never the
 * chapter's reference, an expected value or the grader's state.
 *
 * It maps the region the test process shares at the same address, moves
 * its allocations and its stack there (so that every pointer the student's
 * code hands back or to a callback means the same in the test process),
 * installs a seccomp filter, then makes the calls the test process asks
 * for, one at a time. Nothing here is trusted by the test side: a student's
 * code may rewrite any of it; all it can spoil is its own answers. */
#define _GNU_SOURCE /* MAP_FIXED_NOREPLACE */
#include "remote.h"

#include "blas.h"
#include "error.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <ucontext.h>
#include <unistd.h>

#ifdef __linux__
#include <fcntl.h>
#include <seccomp.h>
#endif

static void send_msg(dk_msg m)
{
    if (send(DK_FD_SOCKET, &m, sizeof m, MSG_NOSIGNAL) != (ssize_t)sizeof m)
        _exit(0); /* the test process is gone */
}

static void send_text(dk_msg_kind kind, const char *text)
{
    dk_msg m = {.kind = kind};
    snprintf(m.text, sizeof m.text, "%s", text);
    send_msg(m);
}

/* ---- The heap, in the student's part of the region --------------------------------
 * Blocks of 2^k bytes (k = 5 .. 31), each a 16-byte header then the data;
 * freed blocks go to their size's list. */

typedef struct header {
    uint32_t k;       /* the block's size is 2^k */
    uint32_t offset;  /* from the block's start to this header (aligned_alloc) */
    uint64_t unused;
} header;

#define HEAP_BASE (DK_REGION_BASE + DK_REGION_TEST_SIZE)
#define HEAP_END (DK_REGION_BASE + DK_REGION_SIZE - DK_STUDENT_STACK_SIZE)

static uintptr_t heap_top = HEAP_BASE;
static void *free_lists[32];

static void *block_alloc(size_t n)
{
    if (n > ((size_t)1 << 30))
        return NULL;
    uint32_t k = 5;
    while (k < 31 && ((size_t)1 << k) < n + sizeof(header))
        k++;
    if (((size_t)1 << k) < n + sizeof(header))
        return NULL;
    void *b = free_lists[k];
    if (b) {
        free_lists[k] = *(void **)((char *)b + sizeof(header));
    } else {
        if (((size_t)1 << k) > HEAP_END - heap_top)
            return NULL;
        b = (void *)heap_top;
        heap_top += (size_t)1 << k;
    }
    *(header *)b = (header){k, 0, 0};
    return (char *)b + sizeof(header);
}

static header *header_of(void *p)
{
    return (header *)((char *)p - sizeof(header));
}

void __real_free(void *p);

static void block_free(void *p)
{
    if (!p)
        return;
    if ((uintptr_t)p < HEAP_BASE || (uintptr_t)p >= HEAP_END) {
        __real_free(p); /* from inside the C library (strdup's, say) */
        return;
    }
    header *h = header_of(p);
    char *b = (char *)h - h->offset;
    const uint32_t k = ((header *)b)->k;
    *(void **)(b + sizeof(header)) = free_lists[k];
    free_lists[k] = b;
}

static size_t capacity(void *p)
{
    header *h = header_of(p);
    return ((size_t)1 << ((header *)((char *)h - h->offset))->k) - sizeof(header) - h->offset;
}

/* A failed allocation is noted in the test's report, then NULL returned. */
static void *noted(void *p, size_t n)
{
    if (!p && n)
        send_text(DK_MSG_OUT_OF_MEMORY, "");
    return p;
}

void *__wrap_malloc(size_t n) { return noted(block_alloc(n), n); }

void __wrap_free(void *p) { block_free(p); }

void *__wrap_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return noted(NULL, SIZE_MAX);
    void *p = block_alloc(n * size);
    return noted(p ? memset(p, 0, n * size) : NULL, n * size);
}

void *__wrap_realloc(void *p, size_t n)
{
    if (!p)
        return __wrap_malloc(n);
    if (n <= capacity(p))
        return p;
    void *q = block_alloc(n);
    if (q) {
        memcpy(q, p, capacity(p));
        block_free(p);
    }
    return noted(q, n);
}

void *__wrap_aligned_alloc(size_t align, size_t n)
{
    if (align <= sizeof(header))
        return __wrap_malloc(n);
    char *p = block_alloc(n + align + sizeof(header));
    if (!p)
        return noted(NULL, n);
    /* room below the aligned start for a header that leads back to p's */
    char *aligned = (char *)(((uintptr_t)p + sizeof(header) + align - 1) / align * align);
    *header_of(aligned) = (header){0, (uint32_t)(aligned - p), 0};
    return aligned;
}

/* ---- Calls --------------------------------------------------------------------------- */

/* Makes the calls asked for until a message of kind `until` comes. */
static void serve(uint32_t until)
{
    for (;;) {
        dk_msg m;
        if (recv(DK_FD_SOCKET, &m, sizeof m, 0) != (ssize_t)sizeof m)
            _exit(0);
        if (m.kind == until)
            return;
        if (m.kind != DK_MSG_CALL || m.id >= dk_ncalls ||
            !dk_in_region((void *)(uintptr_t)m.args, 1, false))
            _exit(0);
        dk_calls[m.id].call((void *)(uintptr_t)m.args);
        send_msg((dk_msg){.kind = DK_MSG_RETURN, .id = m.id});
    }
}

void dk_student_callback(uint64_t slot, void *args)
{
    send_msg((dk_msg){.kind = DK_MSG_CALLBACK, .id = (uint32_t)slot, .args = (uintptr_t)args});
    serve(DK_MSG_CALLBACK_RETURN);
}

/* Replaces the weak definition in common/error.c: a stub was reached. */
void dk_not_implemented(const char *func, const char *file)
{
    char text[240];
    snprintf(text, sizeof text, "%s (in %s)", func, file);
    send_text(DK_MSG_NOT_IMPLEMENTED, text);
    _exit(DK_EXIT_NOT_IMPLEMENTED);
}

/* ---- The filter ------------------------------------------------------------------------ */

#ifdef __linux__
/* A refused system call: its name goes to the report, and the process ends. */
static void refused(int sig, siginfo_t *info, void *context)
{
    (void)sig, (void)context;
    char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, info->si_syscall);
    char text[64];
    snprintf(text, sizeof text, "%s", name ? name : "(unknown)");
    send_text(DK_MSG_FORBIDDEN, text);
    _exit(0);
}

static void allow(scmp_filter_ctx f, int nr)
{
    if (seccomp_rule_add(f, SCMP_ACT_ALLOW, nr, 0) != 0)
        dk_fatal("seccomp: cannot allow system call %d", nr);
}

/* What computing needs: memory (never executable), the socket, writes to
 * the captured output, clocks, threads' waits, the end. Every other call
 * traps (refused). */
static void install_filter(void)
{
    struct sigaction sa = {.sa_sigaction = refused, .sa_flags = SA_SIGINFO};
    sigaction(SIGSYS, &sa, NULL);
    scmp_filter_ctx f = seccomp_init(SCMP_ACT_TRAP);
    if (!f || seccomp_attr_set(f, SCMP_FLTATR_CTL_TSYNC, 1) != 0)
        dk_fatal("seccomp: cannot set up the filter");
    const int plain[] = {SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(brk), SCMP_SYS(madvise),
                         SCMP_SYS(futex), SCMP_SYS(sched_yield), SCMP_SYS(clock_gettime),
                         SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday), SCMP_SYS(getpid),
                         SCMP_SYS(gettid), SCMP_SYS(getrandom), SCMP_SYS(rt_sigreturn),
                         SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigaction), SCMP_SYS(exit),
                         SCMP_SYS(exit_group), SCMP_SYS(fstat), SCMP_SYS(lseek),
                         /* OpenBLAS places its buffers */
                         SCMP_SYS(mbind), SCMP_SYS(get_mempolicy), SCMP_SYS(set_mempolicy),
                         SCMP_SYS(sched_getaffinity)};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        allow(f, plain[i]);
    const int no_exec[] = {SCMP_SYS(mmap), SCMP_SYS(mprotect)};
    for (size_t i = 0; i < 2; i++)
        if (seccomp_rule_add(f, SCMP_ACT_ALLOW, no_exec[i], 1,
                             SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) != 0)
            dk_fatal("seccomp: cannot allow memory calls");
    const int socket_calls[] = {SCMP_SYS(sendto), SCMP_SYS(recvfrom)};
    for (size_t i = 0; i < 2; i++)
        if (seccomp_rule_add(f, SCMP_ACT_ALLOW, socket_calls[i], 1,
                             SCMP_A0(SCMP_CMP_EQ, DK_FD_SOCKET, 0)) != 0)
            dk_fatal("seccomp: cannot allow the socket");
    for (int fd = 1; fd <= 2; fd++)
        if (seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, fd, 0)) != 0)
            dk_fatal("seccomp: cannot allow writes to the output");
    /* fstat through newfstatat(fd, "", ..., AT_EMPTY_PATH), as glibc makes it */
    if (seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(newfstatat), 1,
                         SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH)) != 0 ||
        seccomp_load(f) != 0)
        dk_fatal("seccomp: cannot install the filter");
    seccomp_release(f);
}
#else
static void install_filter(void) {} /* best effort where seccomp does not exist */
#endif

/* ---- Start ------------------------------------------------------------------------------- */

/* OpenBLAS sets itself up before the filter: its buffers, and its threads,
 * which must have started (their first calls, set_robust_list and rseq,
 * are not the filter's to allow): a product large enough to use them. */
static void warm_up_blas(void)
{
    enum { N = 256 };
    float *m = calloc(3 * N * N, sizeof *m);
    if (!m)
        dk_fatal("student process: out of memory");
    dk_sgemm(false, false, N, N, N, 1.0f, m, m + N * N, 0.0f, m + 2 * N * N);
    free(m);
}

static void serve_forever(void)
{
    serve(0); /* no message has kind 0 */
}

int main(int argc, char **argv)
{
    (void)argc;
    dk_blas_init(argv, 0);
    void *region = mmap((void *)DK_REGION_BASE, DK_REGION_SIZE, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_FIXED_NOREPLACE, DK_FD_REGION, 0);
    if (region != (void *)DK_REGION_BASE)
        dk_fatal("student process: cannot map the shared region: %s", strerror(errno));
    close(DK_FD_REGION);
    setvbuf(stdout, NULL, _IONBF, 0); /* what the code prints reaches the report */
    warm_up_blas();
    install_filter();
    /* The student's code runs on a stack in the region, so that a local
     * array it hands to a callback is readable by the test process. */
    static ucontext_t main_ctx, call_ctx;
    getcontext(&call_ctx);
    call_ctx.uc_stack.ss_sp = (void *)HEAP_END;
    call_ctx.uc_stack.ss_size = DK_STUDENT_STACK_SIZE;
    call_ctx.uc_link = &main_ctx;
    makecontext(&call_ctx, serve_forever, 0);
    swapcontext(&main_ctx, &call_ctx);
    return 0;
}
