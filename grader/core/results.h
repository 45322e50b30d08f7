/* The grader's results: the kinds of failure, and the results.tsv format.
 *
 * The one list of failure kinds, the first words of every failure. The C
 * code uses these names (tests, runner, dlkit-report, dlkit-gradebook, the
 * CUDA harness); the shell scripts (grade-chapter, check-mutants,
 * gpu/grader/grade) write the same strings and must follow this list.
 *
 * A results.tsv line is one test:
 *   chapter/test  points  max  passed|failed  kind  message  hint
 * tab-separated, with \t, \n and \\ escaped inside the fields (and \r
 * dropped). The runner writes it; dlkit-report and dlkit-gradebook read it,
 * all through the functions below. Plain C (no C11-only syntax in the
 * declarations) so that the CUDA harness can include it too. */
#ifndef DLKIT_GRADER_RESULTS_H
#define DLKIT_GRADER_RESULTS_H

#include <stdbool.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Failure kinds ------------------------------------------------------- */

#define DK_NOT_IMPLEMENTED "not implemented" /* a stub was reached */
#define DK_WRONG_VALUE "wrong value"
#define DK_WRONG_SHAPE "wrong shape"       /* never written, or written outside */
#define DK_CRASH "crash"                   /* a signal, or the process vanished */
#define DK_TIMEOUT "timeout"
#define DK_OUT_OF_MEMORY "out of memory"
#define DK_EXITED "exited"                 /* the process ended before the test */
#define DK_BUILD_ERROR "build error"       /* the chapter did not build */
#define DK_FORBIDDEN_CALL "forbidden call" /* a call the contract does not allow */
/* The kit's fault, not the student's (a data set or a staged file that
 * cannot be read, a temporary folder that cannot be made): tell the
 * instructor, not the student, how to fix it. */
#define DK_KIT_ERROR "kit error"
/* What the gradebook records for a test without a result. */
#define DK_NOT_GRADED "not graded"
#define DK_NO_SUBMISSION "no submission"

/* The kind of a passed test's result. */
#define DK_PASSED "passed"

/* One of the kinds above. */
bool dk_kind_known(const char *kind);
/* The code was stopped (crash, timeout, build error...), not merely wrong. */
bool dk_kind_stopped(const char *kind);
/* The chapter was not graded at all: every test fails the same way. */
bool dk_kind_unbuilt(const char *kind);

/* Splits a failure "<kind>: <message>" (dk_test_fail's form): copies the
 * kind into kind (len bytes) and returns the message. A failure that does
 * not start with a known kind is a wrong value, all of it the message. */
const char *dk_kind_split(const char *failure, char *kind, size_t len);

/* ---- results.tsv ----------------------------------------------------------- */

typedef struct dk_result {
    const char *name; /* "chapter/test" */
    int points, max;
    bool passed;
    const char *kind; /* DK_PASSED when passed */
    const char *message, *hint;
} dk_result;

/* One line. */
void dk_result_write(FILE *f, const dk_result *r);
/* Cuts line (one line, no '\n') into its fields and unescapes them, in
 * place: r points into line. False when the line is malformed. */
bool dk_result_parse(char *line, dk_result *r);

/* The escaping, for files of the same family (the tests' catalogue): s
 * escaped, then end ('\t' or '\n'). */
void dk_tsv_field(FILE *f, const char *s, char end);
/* Cuts line at tabs into at most n fields, the last one taking the rest;
 * returns how many. The fields stay escaped. */
int dk_tsv_split(char *line, char **fields, int n);
/* Undoes the escapes of one field in place; returns s. */
char *dk_tsv_unescape(char *s);

#ifdef __cplusplus
}
#endif

#endif
