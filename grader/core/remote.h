/* The two processes of a graded test, and what passes between them.
 *
 * The tests, the reference and every comparison run in the test process;
 * the student's code runs in a student process of its own (student.c), an
 * executable that holds no reference, no expected value and no grader
 * state, under a seccomp filter. Each contract call crosses over a socket:
 * the test process copies the call's arguments into a region of memory
 * both processes map at the same address (so pointers mean the same in
 * both), sends the call, and waits; the student process makes it and
 * answers. The student's own allocations (and its stack) live in the
 * region too, so the structs it fills (mlp_create's) read the same on the
 * test side. Whatever comes back is untrusted: pointers are checked to lie
 * in the region before the test side reads through them, and the student
 * process is stopped (SIGSTOP) from each call's return until the next
 * call, so nothing it shares can change while a test checks it. During a
 * callback it is not stopped (one stop costs more than most callbacks):
 * the callback's invoker reads each argument once, and what the callback
 * sees of the arrays is a copy (remote.c's sync_copies).
 *
 * A chapter's call layer (calls.c, generated from grader/NN-topic/
 * calls.spec by calls.awk) holds, on the test side, a function of each
 * contract name that makes the call across, and on the student side the
 * table of real calls. */
#ifndef DLKIT_REMOTE_H
#define DLKIT_REMOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The region: the test side's part (arguments, guarded outputs), then the
 * student's (its heap, then its stack). */
#define DK_REGION_BASE ((uintptr_t)0x200000000000)
#define DK_REGION_TEST_SIZE ((size_t)1 << 30)
#define DK_REGION_STUDENT_SIZE ((size_t)1 << 30)
#define DK_REGION_SIZE (DK_REGION_TEST_SIZE + DK_REGION_STUDENT_SIZE)
#define DK_STUDENT_STACK_SIZE ((size_t)64 << 20)
#define DK_STUDENT_HEAP_SIZE (DK_REGION_STUDENT_SIZE - DK_STUDENT_STACK_SIZE)

/* File descriptors the student process finds at start: the region's
 * memory and its end of the socket. */
enum { DK_FD_REGION = 3, DK_FD_SOCKET = 4 };
/* The environment variable naming the student executable (grade-chapter
 * sets it); unset or empty, tests call the student's code in their own
 * process (make debug's build, chapters without a call layer). */
#define DK_STUDENT_EXE_ENV "DK_STUDENT_EXE"

typedef enum dk_msg_kind {
    DK_MSG_CALL = 1,          /* test -> student: make call `id` with `args` */
    DK_MSG_RETURN,            /* student -> test: call `id` returned */
    DK_MSG_CALLBACK,          /* student -> test: run callback slot `id` with `args` */
    DK_MSG_CALLBACK_RETURN,   /* test -> student: it returned */
    DK_MSG_NOT_IMPLEMENTED,   /* student -> test: a stub was reached (text) */
    DK_MSG_OUT_OF_MEMORY,     /* student -> test: an allocation failed (a note) */
    DK_MSG_FORBIDDEN,         /* student -> test: the filter stopped a system call (text) */
} dk_msg_kind;

typedef struct dk_msg {
    uint32_t kind, id;
    uint64_t args; /* an address in the region */
    char text[240];
} dk_msg;

/* True when [p, p + size) lies in the region (the student's part only with
 * student_only). */
static inline bool dk_in_region(const void *p, size_t size, bool student_only)
{
    const uintptr_t a = (uintptr_t)p;
    const uintptr_t lo = DK_REGION_BASE + (student_only ? DK_REGION_TEST_SIZE : 0);
    const uintptr_t hi = DK_REGION_BASE + DK_REGION_SIZE;
    return a >= lo && a <= hi && size <= hi - a;
}

/* ---- The student side (student.c) ---------------------------------------- */

typedef struct dk_call_entry {
    const char *name;
    void (*call)(void *args);
} dk_call_entry;
extern const dk_call_entry dk_calls[];
extern const size_t dk_ncalls;

/* A callback's stand-in calls this: the test process runs slot's callback
 * with args (a struct on the student's stack, in the region). */
void dk_student_callback(uint64_t slot, void *args);

/* ---- The test side (remote.c) ------------------------------------------------ */

typedef void (*dk_invoker)(void (*fn)(void), void *ctx, void *args);

typedef struct dk_copy {
    void *original;
    void *shared;
    size_t size;
    const char *what;       /* a const input's name: it must come back unchanged */
} dk_copy;

typedef struct dk_member {
    void **original_field;  /* a pointer member of an original struct */
    void *shared, *original;
} dk_member;

/* One call in flight. */
typedef struct dk_call {
    const char *name;
    uint32_t id;
    void *args;
    size_t mark;            /* the call scratch's top before the call */
    dk_copy copies[32];     /* arrays copied into the region */
    size_t ncopies;
    dk_member members[16];  /* struct members that point to copies */
    size_t nmembers;
    void (*after[8])(void *original); /* checks of structs the call filled */
    void *after_of[8];
    size_t nafter;
    size_t first_slot;      /* callback slots of this call */
    /* Every argument and the result are values, read once: the student
     * process need not be stopped when it returns. */
    bool values_only;
} dk_call;

/* True when the tests run the student's code in a process of its own. */
bool dk_isolated(void);
/* Maps the region in the test process (dk_test_init, before a test
 * allocates a guarded buffer there). */
void dk_remote_init(double timeout_s);
/* Allocations in the test side's part of the region, for buffers the
 * student's code writes (guard.c); NULL without isolation. */
void *dk_region_alloc(size_t size);
void dk_region_free(void *p);

/* Starts call id (named name) with a zeroed args struct in the region. */
void *dk_call_begin(dk_call *c, uint32_t id, const char *name, size_t args_size);
/* p's size bytes as the student process sees them: p itself when it lies
 * in the region, else a copy that dk_call_end copies back. NULL stays
 * NULL. */
void *dk_share(dk_call *c, const void *p, size_t size);
/* A const input: copied in, and the test fails if the student's code
 * changed it (what names it in the message). */
void *dk_share_const(dk_call *c, const void *p, size_t size, const char *what);
/* An output struct (size bytes) the call fills: zeroed in the region, copied
 * back whole. */
void *dk_share_out(dk_call *c, void *p, size_t size);
/* A copy for the call alone, never copied back (a struct whose callbacks
 * the marshal replaced). */
void *dk_scratch_copy(dk_call *c, const void *p, size_t size);
/* Shares the array a struct member points to (size bytes): the shared
 * struct's member gets it; after the call, the original struct's member,
 * copied back with the struct, points to the original array again unless
 * the student's code set it to one of its own. */
void dk_share_member(dk_call *c, void **shared_field, void **original_field, size_t size);
/* Runs check(original) after the call's copies came back: it validates
 * what the student's code put in a struct (pointers, sizes). */
void dk_call_after(dk_call *c, void (*check)(void *original), void *original);
/* A callback (fn, ctx) as a slot number for the student side (0 for NULL). */
uint64_t dk_callback_slot(dk_call *c, void (*fn)(void), void *ctx, dk_invoker invoke);
/* Sends the call and serves the student process until it returns; a
 * crash, an exit, a timeout, a stub or a forbidden call fails the test. */
void dk_call_run(dk_call *c);
/* Copies the shared copies back and frees the call's scratch. */
void dk_call_end(dk_call *c);
/* Fails the test unless p lies in the region (a pointer the student's code
 * handed to a callback). */
void dk_check_shared(const void *p, const char *what);
/* Ends the student process (at the test's end). */
void dk_remote_stop(void);

#endif
