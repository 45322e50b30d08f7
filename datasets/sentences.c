/* Labelled sentences, one per line "id<TAB>score<TAB>text" (the movie-review
 * snippets' format), gzipped or not: the file is read whole, checked as
 * UTF-8, then cut in place into its lines. */
#include "datasets.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum { MAX_BYTES = 64 << 20 }; /* the snippets take 1.2 MiB */

/* The whole (decompressed) file, NUL-terminated; NULL (and err). */
static char *read_all(const char *path, size_t *len, dk_err *err)
{
    errno = 0;
    gzFile f = gzopen(path, "rb");
    if (!f) {
        dk_fail_open(err, path, errno ? errno : ENOMEM);
        return NULL;
    }
    char *buf = NULL;
    size_t cap = 0, n = 0;
    bool ok = true;
    for (int got = 1; got > 0; n += (size_t)got) {
        if (n == cap) { /* room for more, and for the NUL */
            cap = cap ? 2 * cap : 1 << 20;
            char *bigger = cap <= MAX_BYTES ? realloc(buf, cap + 1) : NULL;
            if (!bigger) {
                ok = dk_fail(err, "%s: larger than %d MiB, or out of memory", path,
                             MAX_BYTES >> 20);
                break;
            }
            buf = bigger;
        }
        got = gzread(f, buf + n, (unsigned)(cap - n));
        int zerr;
        const char *why = gzerror(f, &zerr); /* (a cut stream ends without -1) */
        if (got < 0 || zerr != Z_OK) {
            ok = dk_fail(err, "%s: corrupt or truncated file (%s)", path,
                         zerr == Z_ERRNO ? strerror(errno) : why);
            break;
        }
    }
    gzclose(f);
    if (!ok) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Length of the valid UTF-8 sequence at s (1 to 4 bytes), 0 if invalid:
 * no overlong forms, surrogates or code points past U+10FFFF. */
static size_t utf8_char(const unsigned char *s, size_t left)
{
    if (s[0] < 0x80)
        return s[0] ? 1 : 0;
    const size_t n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (n == 0 || n > left || s[0] > 0xf4)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
        (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
        return 0;
    return n;
}

/* Offset of the first byte that is not UTF-8 (a NUL counts), or len. */
static size_t utf8_prefix(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    for (size_t k; i < len && (k = utf8_char(s + i, len - i)); i += k)
        ;
    return i;
}

static size_t line_of(const char *text, size_t offset)
{
    size_t line = 1;
    for (size_t i = 0; i < offset; i++)
        line += text[i] == '\n';
    return line;
}

/* One line (its end cut) into sentence i; false (and err) when malformed. */
static bool parse_line(char *line, const char *path, size_t lineno, dk_sentences *s,
                       dk_err *err)
{
    char *score = strchr(line, '\t'), *text = score ? strchr(score + 1, '\t') : NULL;
    if (!text)
        return dk_fail(err, "%s, line %zu: expected id<TAB>score<TAB>text", path, lineno);
    *score++ = '\0', *text++ = '\0';
    char *end;
    errno = 0;
    const float v = strtof(score, &end);
    if (!*line || line[strspn(line, "0123456789")] != '\0')
        return dk_fail(err, "%s, line %zu: the id '%s' is not a number", path, lineno, line);
    if (end == score || *end || errno || !isfinite(v))
        return dk_fail(err, "%s, line %zu: the score '%s' is not a number", path, lineno,
                       score);
    if (!text[strspn(text, " \t")])
        return dk_fail(err, "%s, line %zu: no text", path, lineno);
    s->text[s->n] = text;
    s->score[s->n++] = v;
    return true;
}

bool dk_load_sentences(const char *path, dk_sentences *out, dk_err *err)
{
    *out = (dk_sentences){0};
    size_t len;
    char *buf = read_all(path, &len, err);
    if (!buf)
        return false;
    out->buffer = buf;
    const size_t valid = utf8_prefix(buf, len);
    if (valid < len) {
        dk_fail(err, "%s, line %zu: not UTF-8 text (byte 0x%02x)", path, line_of(buf, valid),
                (unsigned char)buf[valid]);
        dk_sentences_free(out);
        return false;
    }
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    out->text = malloc(lines * sizeof *out->text);
    out->score = malloc(lines * sizeof *out->score);
    bool ok = out->text && out->score;
    if (!ok)
        dk_fail(err, "out of memory reading %s", path);
    size_t lineno = 0;
    for (char *line = buf, *next; ok && line; line = next) {
        lineno++;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        line[strcspn(line, "\r")] = '\0'; /* CRLF or LF */
        if (line[strspn(line, " \t")])    /* blank lines are skipped */
            ok = parse_line(line, path, lineno, out, err);
    }
    if (ok && out->n == 0)
        ok = dk_fail(err, "%s: no sentences", path);
    if (!ok)
        dk_sentences_free(out);
    return ok;
}

void dk_sentences_free(dk_sentences *s)
{
    free(s->text), free(s->score), free(s->buffer);
    *s = (dk_sentences){0};
}

bool dk_sentences_load(const char *name, dk_sentences *out, dk_err *err)
{
    *out = (dk_sentences){0};
    const dk_set *set = dk_set_find(name);
    if (!set || set->nfiles != 1 || !strstr(set->files[0].name, ".tsv"))
        return dk_fail(err, "no set of sentences named '%s' (try movie-reviews)", name);
    char path[4096];
    return dk_fetch(name, set->files[0].name, path, sizeof path, err) &&
           dk_load_sentences(path, out, err);
}
