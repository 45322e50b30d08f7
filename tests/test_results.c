/* The kit's tests of the results module (grader/core/results.h) and the
 * JSON writers (grader/json.h): what the runner writes, dlkit-report and
 * dlkit-gradebook read back the same, whatever the student's code printed,
 * and the JSON they write stays valid. */
#include "json.h"
#include "results.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

/* Fields with every character the format must carry. */
static const char NASTY[] = "say \"hi\"\\n\tand\\\\ \\t\n\x01\x1b[31m\x7f caf\xc3\xa9 \\";

/* What f received, as a string (the caller frees it). */
typedef struct sink {
    FILE *f;
    char *text;
    size_t len;
} sink;

/* (In place: the stream keeps the addresses of text and len.) */
static void sink_open(sink *s)
{
    *s = (sink){NULL, NULL, 0};
    s->f = open_memstream(&s->text, &s->len);
    cr_assert(s->f);
}

static char *sink_close(sink *s)
{
    cr_assert_eq(fclose(s->f), 0);
    return s->text;
}

static char *written(const dk_result *r)
{
    sink s;
    sink_open(&s);
    dk_result_write(s.f, r);
    return sink_close(&s);
}

Test(results, round_trip_keeps_every_character, .timeout = 10)
{
    dk_result r = {"01-perceptron/a\"b\\c", 0, 7, false, DK_WRONG_VALUE, NASTY, NASTY};
    char *line = written(&r);
    size_t len = strlen(line);
    cr_assert(len > 0 && line[len - 1] == '\n', "one line, ended by a newline: %s", line);
    line[len - 1] = '\0';
    cr_assert_null(strchr(line, '\n'), "a newline inside a field ends the line early");
    dk_result back;
    cr_assert(dk_result_parse(line, &back), "cannot read back: %s", line);
    cr_assert_str_eq(back.name, r.name);
    cr_assert_eq(back.points, 0);
    cr_assert_eq(back.max, 7);
    cr_assert_not(back.passed);
    cr_assert_str_eq(back.kind, DK_WRONG_VALUE);
    cr_assert_str_eq(back.message, NASTY);
    cr_assert_str_eq(back.hint, NASTY);
    free(line);
}

Test(results, carriage_returns_are_dropped, .timeout = 10)
{
    dk_result r = {"ch/t", 3, 3, true, DK_PASSED, "a\r\nb\r", "h"};
    char *line = written(&r);
    cr_assert_str_eq(line, "ch/t\t3\t3\tpassed\tpassed\ta\\nb\th\n");
    free(line);
}

Test(results, malformed_lines_are_refused, .timeout = 10)
{
    const char *bad[] = {
        "",
        "ch/t\t1\t1\tpassed\tpassed\tmessage",           /* 6 fields */
        "ch/t\t1\t1\tpassed\tpassed\tmessage\thint\tmore", /* 8 */
        "ch/t\t1\t1\tmaybe\tpassed\tmessage\thint",        /* status */
        "ch/t\tone\t1\tpassed\tpassed\tmessage\thint",     /* points */
        "ch/t\t1\t\tpassed\tpassed\tmessage\thint",        /* max */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *line = strdup(bad[i]);
        dk_result r;
        cr_assert_not(dk_result_parse(line, &r), "accepted: %s", bad[i]);
        free(line);
    }
}

Test(results, failure_kinds, .timeout = 10)
{
    char kind[64];
    const char *message = dk_kind_split("wrong shape: y: element [2] never written", kind,
                                        sizeof kind);
    cr_assert_str_eq(kind, DK_WRONG_SHAPE);
    cr_assert_str_eq(message, "y: element [2] never written");
    message = dk_kind_split("kit error: no data", kind, sizeof kind);
    cr_assert_str_eq(kind, DK_KIT_ERROR);
    cr_assert_str_eq(message, "no data");
    message = dk_kind_split("x: not a kind", kind, sizeof kind);
    cr_assert_str_eq(kind, DK_WRONG_VALUE, "a failure without a known kind is a wrong value");
    cr_assert_str_eq(message, "x: not a kind");
    cr_assert(dk_kind_stopped(DK_TIMEOUT) && dk_kind_stopped(DK_BUILD_ERROR));
    cr_assert_not(dk_kind_stopped(DK_WRONG_VALUE) || dk_kind_stopped(DK_PASSED));
    cr_assert(dk_kind_unbuilt(DK_FORBIDDEN_CALL) && !dk_kind_unbuilt(DK_CRASH));
    cr_assert(dk_kind_known(DK_KIT_ERROR) && !dk_kind_known("kit-error"));
}

Test(results, json_strings_escape_keys_and_values, .timeout = 10)
{
    sink s;
    sink_open(&s);
    json_string(s.f, NASTY);
    json_string(s.f, "\xff\xc3"); /* not UTF-8 */
    json_string(s.f, NULL);
    char *text = sink_close(&s);
    cr_assert_str_eq(text, "\"say \\\"hi\\\"\\\\n\\u0009and\\\\\\\\ \\\\t\\n\\u0001\\u001b[31m"
                           "\\u007f caf\xc3\xa9 \\\\\"\"\\ufffd\\ufffd\"\"\"");
    free(text);
}

Test(results, gradescope_from_results, .timeout = 10)
{
    dk_result failed = {"ch/\"q\"", 0, 2, false, DK_CRASH, "m\t1", "h\\"};
    dk_result passed = {"ch/p", 3, 3, true, DK_PASSED, "", "ignored"};
    sink s;
    sink_open(&s);
    gradescope g = gradescope_begin(s.f, 3, 2, "Total \"3\"");
    gradescope_test(&g, &failed, "after_due_date");
    gradescope_test(&g, &passed, NULL);
    gradescope_end(&g);
    char *text = sink_close(&s);
    cr_assert_str_eq(text,
                     "{\n  \"score\": 3.00,\n  \"output\": \"Total \\\"3\\\"\",\n  \"tests\": [\n"
                     "    {\"name\": \"ch/\\\"q\\\"\", \"score\": 0, \"max_score\": 2, "
                     "\"status\": \"failed\", \"visibility\": \"after_due_date\", "
                     "\"output\": \"crash: m\\u00091\\nHint: h\\\\\"},\n"
                     "    {\"name\": \"ch/p\", \"score\": 3, \"max_score\": 3, "
                     "\"status\": \"passed\", \"output\": \"passed\"}\n  ]\n}\n");
    free(text);
}
