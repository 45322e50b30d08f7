/* JSON output shared by the grader's reports (dlkit-report, dlkit-gradebook). */
#ifndef DK_GRADER_JSON_H
#define DK_GRADER_JSON_H

#include <stdio.h>

/* Writes s (NULL: "") as a JSON string. Bytes that are not UTF-8 become
 * U+FFFD: student output reaches these files and must not break them. */
void json_string(FILE *f, const char *s);

#endif
