/* The test side of a graded test's two processes (remote.h): the region,
 * the student process, and each call across. */
#define _GNU_SOURCE /* memfd_create, close_range, MAP_FIXED_NOREPLACE */
#include "remote.h"
#include "workspace.h"

#include "grade.h"
#include "internal.h"

#include <stdlib.h>

#ifndef __linux__
/* Without Linux's memfd, seccomp and death signals, the tests and the
 * student's code share one process (grade-chapter links them together and
 * says so): none of the calls across is linked, and these stand in. */
bool dk_isolated(void) { return false; }
void dk_remote_init(double timeout_s) { (void)timeout_s; }
void *dk_region_alloc(size_t size) { (void)size; return NULL; }
void dk_region_free(void *p) { (void)p; }
void dk_remote_stop(void) {}
void dk_check_shared(const void *p, const char *what) { (void)p, (void)what; }
void *dk_workspace_alloc(size_t n, size_t size) { return calloc(n ? n : 1, size ? size : 1); }
void dk_workspace_free(void *p) { free(p); }
#else

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The test side's part of the region: guarded outputs below, each call's
 * copies above (a stack: a call frees what it took when it ends). */
#define PERSISTENT_SIZE (DK_REGION_TEST_SIZE / 4)
#define ALIGN 64

typedef struct block {
    size_t offset, size;
    bool used;
} block;

typedef struct slot {
    void (*fn)(void);
    void *ctx;
    dk_invoker invoke;
} slot;

/* All of it private to the test process: the student's code cannot reach
 * this memory, only the region. */
static struct {
    bool mapped;
    int region_fd;        /* the region's memory, until the student process has it */
    pid_t pid;            /* the student process, 0 before the first call, -1 after */
    int sock;
    bool stopped;         /* it is stopped (SIGSTOP) */
    bool reaped;          /* it ended, with status (seen while stopping it) */
    int status;
    double deadline;      /* the test's end, on the monotonic clock */
    double timeout;
    size_t persistent_top, scratch_top;
    block *blocks;        /* the persistent part's allocations */
    size_t nblocks, cap;
    slot slots[64];
    size_t nslots;
    dk_call *calls[16];   /* calls in flight (a callback may call again) */
    size_t depth;
} R;

/* The run folder's "<test>.oom" note (worker.c; absent from the kit's own
 * tests). */
extern void dk_note_out_of_memory(void) __attribute__((weak));

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

bool dk_isolated(void)
{
    return R.mapped;
}

void dk_remote_init(double timeout_s)
{
    const char *exe = getenv(DK_STUDENT_EXE_ENV);
    if (!exe || !*exe || R.mapped)
        return;
    int fd = memfd_create("dlkit-region", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, (off_t)DK_REGION_SIZE) != 0)
        dk_test_fail(DK_KIT_ERROR, "cannot create the shared region: %s", strerror(errno));
    void *p = mmap((void *)DK_REGION_BASE, DK_REGION_SIZE, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
    if (p != (void *)DK_REGION_BASE)
        dk_test_fail(DK_KIT_ERROR, "cannot map the shared region at %p: %s",
                     (void *)DK_REGION_BASE, strerror(errno));
    R.mapped = true;
    R.region_fd = fd;
    R.timeout = timeout_s;
    R.deadline = now() + timeout_s;
    R.scratch_top = PERSISTENT_SIZE;
}

/* ---- The test side's allocations ------------------------------------------------ */

/* size bytes of the persistent part, or NULL when it has no room. */
static void *persistent_alloc(size_t size)
{
    size = (size + ALIGN - 1) / ALIGN * ALIGN;
    for (size_t i = 0; i < R.nblocks; i++)
        if (!R.blocks[i].used && R.blocks[i].size >= size) {
            R.blocks[i].used = true;
            return (char *)DK_REGION_BASE + R.blocks[i].offset;
        }
    if (size > PERSISTENT_SIZE - R.persistent_top)
        return NULL;
    if (R.nblocks == R.cap) {
        R.cap = R.cap ? 2 * R.cap : 64;
        if (!(R.blocks = realloc(R.blocks, R.cap * sizeof *R.blocks)))
            dk_fatal("grader: out of memory");
    }
    R.blocks[R.nblocks++] = (block){R.persistent_top, size, true};
    R.persistent_top += size;
    return (char *)DK_REGION_BASE + R.persistent_top - size;
}

void *dk_region_alloc(size_t size)
{
    if (!R.mapped)
        return NULL;
    void *p = persistent_alloc(size);
    if (!p)
        dk_test_fail(DK_KIT_ERROR, "the tests' part of the shared region is full");
    return p;
}

/* (Cleared: a later call must not find what a block held, a reference
 * run's workspace least of all.) */
void dk_region_free(void *p)
{
    for (size_t i = 0; i < R.nblocks; i++)
        if ((char *)DK_REGION_BASE + R.blocks[i].offset == p && R.blocks[i].used) {
            memset(p, 0, R.blocks[i].size);
            R.blocks[i].used = false;
        }
}

/* The workspace of the kit's recipes (common/workspace.h): in the region
 * when the student's code runs in a process of its own and there is room
 * (else private memory, which each call then copies). */
void *dk_workspace_alloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    const size_t bytes = n * size > 0 ? n * size : 1;
    void *p = R.mapped ? persistent_alloc(bytes) : NULL;
    return p ? memset(p, 0, bytes) : calloc(1, bytes);
}

void dk_workspace_free(void *p)
{
    if (p && dk_in_region(p, 1, false))
        dk_region_free(p);
    else
        free(p);
}

static void *scratch(size_t size)
{
    size = (size + ALIGN - 1) / ALIGN * ALIGN;
    if (size > DK_REGION_TEST_SIZE - R.scratch_top)
        dk_test_fail(DK_KIT_ERROR, "the tests' part of the shared region is full");
    void *p = (char *)DK_REGION_BASE + R.scratch_top;
    R.scratch_top += size;
    return memset(p, 0, size);
}

/* A copy between two zones of NaN: a read past either end of an array
 * gives NaN (as it gave junk in one process), never a harmless zero. */
static void *guarded_scratch(size_t size)
{
    enum { ZONE = ALIGN };
    char *p = scratch(ZONE + size + ZONE);
    const uint32_t nan = 0x7fc0deadu;
    for (size_t i = 0; i < ZONE; i += sizeof nan) {
        memcpy(p + i, &nan, sizeof nan);
        memcpy(p + ZONE + size + i, &nan, sizeof nan);
    }
    return p + ZONE;
}

/* ---- The student process --------------------------------------------------------- */

/* In the child, before exec: the region and the socket at their numbers,
 * nothing else open (Criterion's pipe to the runner least of all), limits,
 * and death with the test process. */
static _Noreturn void exec_student(const char *exe, int region, int sock)
{
    int null = open("/dev/null", O_RDONLY);
    if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(region, DK_FD_REGION) < 0 ||
        dup2(sock, DK_FD_SOCKET) < 0)
        _exit(127);
    /* (dup2 onto the same number keeps close-on-exec: clear it) */
    fcntl(DK_FD_REGION, F_SETFD, 0);
    fcntl(DK_FD_SOCKET, F_SETFD, 0);
    close_range(DK_FD_SOCKET + 1, ~0U, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#if !defined(__SANITIZE_ADDRESS__) /* the sanitizers reserve terabytes of address space */
    const struct rlimit as = {DK_REGION_SIZE + ((size_t)2 << 30), DK_REGION_SIZE + ((size_t)2 << 30)};
    setrlimit(RLIMIT_AS, &as);
#endif
    char *const argv[] = {(char *)exe, NULL};
    execv(exe, argv);
    _exit(127);
}

static void start_student(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        dk_test_fail(DK_KIT_ERROR, "socketpair: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        dk_test_fail(DK_KIT_ERROR, "fork: %s", strerror(errno));
    if (pid == 0)
        exec_student(getenv(DK_STUDENT_EXE_ENV), R.region_fd, sv[1]);
    close(sv[1]);
    close(R.region_fd); /* the mapping stays */
    R.sock = sv[0];
    R.pid = pid;
}

void dk_remote_stop(void)
{
    if (R.pid > 0) {
        kill(R.pid, SIGKILL);
        if (!R.reaped)
            waitpid(R.pid, NULL, 0);
        R.pid = -1;
    }
}

/* Ends the test, the student process first. */
#define FAIL(...) (dk_remote_stop(), dk_test_fail(__VA_ARGS__))

static void stop_student(void)
{
    int status;
    if (kill(R.pid, SIGSTOP) != 0 || waitpid(R.pid, &status, WUNTRACED) != R.pid)
        return;
    if (WIFSTOPPED(status))
        R.stopped = true;
    else
        R.reaped = true, R.status = status;
}

static void resume_student(void)
{
    if (R.stopped && kill(R.pid, SIGCONT) == 0)
        R.stopped = false;
}

static _Noreturn void ended(const dk_call *c);

/* A send fails only when the student process has gone: how it ended
 * (exit or signal) is the failure, whichever side of the send it ended. */
static void send_msg(const dk_call *c, dk_msg m)
{
    resume_student();
    if (send(R.sock, &m, sizeof m, MSG_NOSIGNAL) != (ssize_t)sizeof m)
        ended(c);
}

/* How the student process ended, as the test's failure. */
static _Noreturn void ended(const dk_call *c)
{
    int status = R.status;
    if (!R.reaped)
        waitpid(R.pid, &status, 0);
    R.pid = -1;
    char why[160];
    if (WIFSIGNALED(status))
        snprintf(why, sizeof why, "crashed with signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else
        snprintf(why, sizeof why, "ended with exit status %d: code under test must return, "
                 "not call exit()", WEXITSTATUS(status));
    dk_test_fail(WIFSIGNALED(status) ? DK_CRASH : DK_EXITED, "%s %s", c->name, why);
}

/* The next message from the student process, which is then stopped
 * unless it asks for a callback or returns from a call of values only. */
static dk_msg receive(const dk_call *c)
{
    for (;;) {
        const double left = R.deadline - now();
        struct pollfd p = {R.sock, POLLIN, 0};
        int ready = left > 0 ? poll(&p, 1, (int)(left * 1000) + 1) : 0;
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            FAIL(DK_TIMEOUT, "%s did not return within the test's %g s (an endless loop?)",
                 c->name, R.timeout);
        dk_msg m;
        ssize_t n = recv(R.sock, &m, sizeof m, 0);
        if (n <= 0)
            ended(c);
        const bool runs_on = n == (ssize_t)sizeof m &&
            (m.kind == DK_MSG_CALLBACK || (m.kind == DK_MSG_RETURN && c->values_only));
        if (!runs_on)
            stop_student();
        if (n != (ssize_t)sizeof m)
            FAIL(DK_CRASH, "%s: your code's process sent what the kit never sends (a message "
                 "of the wrong size)", c->name);
        m.text[sizeof m.text - 1] = '\0';
        for (char *t = m.text; *t; t++) /* text for the report: printable only */
            *t = *t < 0x20 || *t > 0x7e ? '?' : *t;
        return m;
    }
}

/* ---- Calls ------------------------------------------------------------------------ */

void *dk_call_begin(dk_call *c, uint32_t id, const char *name, size_t args_size)
{
    if (!R.mapped)
        dk_test_fail(DK_KIT_ERROR, "%s: the shared region is not mapped", name);
    if (R.depth == sizeof R.calls / sizeof R.calls[0])
        dk_test_fail(DK_KIT_ERROR, "%s: calls nested too deep", name);
    *c = (dk_call){.name = name, .id = id, .mark = R.scratch_top, .first_slot = R.nslots};
    R.calls[R.depth++] = c;
    c->args = scratch(args_size);
    return c->args;
}

void *dk_share(dk_call *c, const void *p, size_t size)
{
    if (!p || dk_in_region(p, size, false))
        return (void *)p;
    if (c->ncopies == sizeof c->copies / sizeof c->copies[0])
        dk_test_fail(DK_KIT_ERROR, "%s: too many arrays in one call", c->name);
    void *s = guarded_scratch(size);
    memcpy(s, p, size);
    c->copies[c->ncopies++] = (dk_copy){(void *)p, s, size, NULL};
    return s;
}

void *dk_share_const(dk_call *c, const void *p, size_t size, const char *what)
{
    void *s = dk_share(c, p, size);
    if (s != p)
        c->copies[c->ncopies - 1].what = what;
    return s;
}

void *dk_share_out(dk_call *c, void *p, size_t size)
{
    if (!p)
        return NULL;
    if (c->ncopies == sizeof c->copies / sizeof c->copies[0])
        dk_test_fail(DK_KIT_ERROR, "%s: too many arrays in one call", c->name);
    void *s = scratch(size);
    c->copies[c->ncopies++] = (dk_copy){p, s, size, NULL};
    memset(p, 0, size); /* (the comparison below then copies what the call wrote) */
    return s;
}

void *dk_scratch_copy(dk_call *c, const void *p, size_t size)
{
    (void)c;
    return p ? memcpy(scratch(size ? size : 1), p, size) : NULL;
}

void dk_share_member(dk_call *c, void **shared_field, void **original_field, size_t size)
{
    if (c->nmembers == sizeof c->members / sizeof c->members[0])
        dk_test_fail(DK_KIT_ERROR, "%s: too many struct members in one call", c->name);
    *shared_field = dk_share(c, *original_field, size);
    c->members[c->nmembers++] = (dk_member){original_field, *shared_field, *original_field};
}

void dk_call_after(dk_call *c, void (*check)(void *original), void *original)
{
    if (c->nafter == sizeof c->after / sizeof c->after[0])
        dk_test_fail(DK_KIT_ERROR, "%s: too many checks after one call", c->name);
    c->after[c->nafter] = check;
    c->after_of[c->nafter++] = original;
}

uint64_t dk_callback_slot(dk_call *c, void (*fn)(void), void *ctx, dk_invoker invoke)
{
    if (!fn)
        return 0;
    if (R.nslots == sizeof R.slots / sizeof R.slots[0])
        dk_test_fail(DK_KIT_ERROR, "%s: too many callbacks", c->name);
    R.slots[R.nslots++] = (slot){fn, ctx, invoke};
    return R.nslots; /* 1-based: 0 is NULL */
}

/* What the student's code did to the arrays of the calls in flight, made
 * visible to a callback (to_original), and what the callback did, back. */
static void sync_copies(bool to_original)
{
    for (size_t d = 0; d < R.depth; d++)
        for (size_t i = 0; i < R.calls[d]->ncopies; i++) {
            const dk_copy *k = &R.calls[d]->copies[i];
            if (!k->what && memcmp(k->original, k->shared, k->size) != 0)
                memcpy(to_original ? k->original : k->shared,
                       to_original ? k->shared : k->original, k->size);
        }
}

static void run_callback(const dk_call *c, const dk_msg *m)
{
    if (m->id < 1 || m->id > R.nslots || !dk_in_region((void *)(uintptr_t)m->args, 256, true))
        FAIL(DK_CRASH, "%s: your code's process asked for a callback the kit never gave it",
             c->name);
    const slot *s = &R.slots[m->id - 1];
    sync_copies(true);
    s->invoke(s->fn, s->ctx, (void *)(uintptr_t)m->args);
    sync_copies(false);
}

void dk_call_run(dk_call *c)
{
    if (R.pid == 0)
        start_student();
    if (R.pid < 0)
        dk_test_fail(DK_CRASH, "%s: your code's process had already ended", c->name);
    send_msg(c, (dk_msg){.kind = DK_MSG_CALL, .id = c->id, .args = (uintptr_t)c->args});
    for (;;) {
        dk_msg m = receive(c);
        switch (m.kind) {
        case DK_MSG_RETURN:
            if (m.id == c->id)
                return;
            break;
        case DK_MSG_CALLBACK:
            run_callback(c, &m);
            send_msg(c, (dk_msg){.kind = DK_MSG_CALLBACK_RETURN});
            continue;
        case DK_MSG_OUT_OF_MEMORY: /* a note: it goes on */
            if (dk_note_out_of_memory)
                dk_note_out_of_memory();
            resume_student();
            continue;
        case DK_MSG_NOT_IMPLEMENTED:
            FAIL(DK_NOT_IMPLEMENTED, "%s", m.text);
        case DK_MSG_FORBIDDEN:
            FAIL(DK_FORBIDDEN_CALL, "your code made the system call %s, which chapter code may "
                 "not make", m.text);
        }
        FAIL(DK_CRASH, "%s: your code's process sent what the kit never sends (an unknown "
             "message)", c->name);
    }
}

void dk_call_end(dk_call *c)
{
    for (size_t i = 0; i < c->ncopies; i++) {
        const dk_copy *k = &c->copies[i];
        if (memcmp(k->original, k->shared, k->size) == 0)
            continue;
        if (k->what)
            FAIL(DK_WRONG_VALUE, "%s changed %s, which the contract passes as const (read it; "
                 "write into memory of your own)", c->name, k->what);
        memcpy(k->original, k->shared, k->size);
    }
    for (size_t i = 0; i < c->nmembers; i++) { /* back to the original arrays */
        void **field = c->members[i].original_field;
        if (*field == c->members[i].shared)
            *field = c->members[i].original;
        else if (*field && *field != c->members[i].original && !dk_in_region(*field, 1, true))
            FAIL(DK_WRONG_VALUE, "%s set a pointer of its struct to memory that is not its "
                 "own (a static array?): allocate it", c->name);
    }
    for (size_t i = 0; i < c->nafter; i++)
        c->after[i](c->after_of[i]);
    R.scratch_top = c->mark;
    R.nslots = c->first_slot;
    R.depth--;
}

void dk_check_shared(const void *p, const char *what)
{
    if (p && !dk_in_region(p, 1, false))
        dk_test_fail(DK_WRONG_VALUE, "%s points outside the memory the test shares with your code "
                     "(to a static array?): pass memory from malloc, a local array or an "
                     "argument", what);
}

#endif /* __linux__ */
