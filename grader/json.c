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

void json_string(FILE *f, const char *s)
{
    fputc('"', f);
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
    fputc('"', f);
}
