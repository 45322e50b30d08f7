/* JSON output shared by the grader's reports (dlkit-report, dlkit-gradebook):
 * strings, and Gradescope's results.json. */
#ifndef DK_GRADER_JSON_H
#define DK_GRADER_JSON_H

#include "results.h"

#include <stddef.h>
#include <stdio.h>

/* Writes s (NULL: "") as a JSON string, keys as well as values. Bytes that
 * are not UTF-8 become U+FFFD: student output reaches these files and must
 * not break them. */
void json_string(FILE *f, const char *s);

/* Gradescope's results.json, written test by test:
 *   {"score": S, ["output": "...",] "tests": [{"name", "score", "max_score",
 *    "status", ["visibility",] "output"}, ...]}
 * A failed test's output is "<kind>: <message>\nHint: <hint>". */
typedef struct gradescope {
    FILE *f;
    size_t ntests;
} gradescope;

/* score printed with `decimals` decimals; output NULL: none. */
gradescope gradescope_begin(FILE *f, double score, int decimals, const char *output);
/* visibility NULL: none (Gradescope's default, visible). */
void gradescope_test(gradescope *g, const dk_result *r, const char *visibility);
void gradescope_end(gradescope *g);

#endif
