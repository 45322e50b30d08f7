#include "json.h"

/* Length of the valid UTF-8 sequence at s (2 to 4 bytes), or 0. */
static int utf8_length(const unsigned char *s)
{
    int n = s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

/* s's characters, escaped, without the quotes: a string may be written in
 * pieces. */
static void json_chars(FILE *f, const char *s)
{
    for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
        int n = *c >= 0x80 ? utf8_length(c) : 0;
        if (n) {
            fwrite(c, 1, (size_t)n, f);
            c += n - 1;
        } else if (*c >= 0x80) {
            fputs("\\ufffd", f);
        } else if (*c == '"' || *c == '\\') {
            fprintf(f, "\\%c", *c);
        } else if (*c == '\n') {
            fputs("\\n", f);
        } else if (*c < 0x20 || *c == 0x7f) {
            fprintf(f, "\\u%04x", *c);
        } else {
            fputc(*c, f);
        }
    }
}

void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    json_chars(f, s);
    fputc('"', f);
}

/* ---- Gradescope's results.json ----------------------------------------------- */

gradescope gradescope_begin(FILE *f, double score, int decimals, const char *output)
{
    fprintf(f, "{\n  \"score\": %.*f,\n", decimals, score);
    if (output) {
        fputs("  \"output\": ", f);
        json_string(f, output);
        fputs(",\n", f);
    }
    fputs("  \"tests\": [", f);
    return (gradescope){f, 0};
}

void gradescope_test(gradescope *g, const dk_result *r, const char *visibility)
{
    FILE *f = g->f;
    fprintf(f, "%s\n    {\"name\": ", g->ntests++ ? "," : "");
    json_string(f, r->name);
    fprintf(f, ", \"score\": %d, \"max_score\": %d, \"status\": ", r->points, r->max);
    json_string(f, r->passed ? "passed" : "failed");
    if (visibility) {
        fputs(", \"visibility\": ", f);
        json_string(f, visibility);
    }
    fputs(", \"output\": \"", f);
    if (r->passed) {
        json_chars(f, "passed");
    } else {
        json_chars(f, r->kind);
        json_chars(f, ": ");
        json_chars(f, r->message);
        json_chars(f, "\nHint: ");
        json_chars(f, r->hint);
    }
    fputs("\"}", f);
}

void gradescope_end(gradescope *g)
{
    fputs("\n  ]\n}\n", g->f);
}
