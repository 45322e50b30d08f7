/* Rewrites CUDA kernel launches for the CPU emulator:
 *
 *   rewrite IN.cu OUT.cpp
 *
 * Each `kernel<T...><<<grid, block, smem, stream>>>(args)` becomes
 * `emu_launch(emu_config(grid, block, smem, stream), [=] { kernel<T...>(args); })`
 * (include/cuda_runtime.h); everything else, comments and strings
 * included, is copied as it is, and lines keep their numbers, so that the
 * compiler's messages point into IN. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Noreturn void die(const char *what, const char *path, const char *text, size_t at)
{
    int line = 1;
    for (size_t i = 0; i < at; i++)
        line += text[i] == '\n';
    fprintf(stderr, "%s:%d: emulator rewrite: %s\n", path, line, what);
    exit(1);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (n + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "%s: out of memory\n", path);
        exit(1);
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Where the comment or literal starting at text[i] ends (one past), or i
 * when none starts there. */
static size_t skip_literal(const char *text, size_t i)
{
    if (text[i] == '/' && text[i + 1] == '/') {
        while (text[i] && text[i] != '\n')
            i++;
        return i;
    }
    if (text[i] == '/' && text[i + 1] == '*') {
        const char *end = strstr(text + i + 2, "*/");
        return end ? (size_t)(end - text) + 2 : strlen(text);
    }
    if (text[i] == '"' || text[i] == '\'') {
        char quote = text[i++];
        while (text[i] && text[i] != quote)
            i += text[i] == '\\' && text[i + 1] ? 2 : 1;
        return text[i] ? i + 1 : i;
    }
    return i;
}

/* One past the parenthesis that closes the one at text[open]. */
static size_t closing_paren(const char *path, const char *text, size_t open)
{
    int depth = 0;
    for (size_t i = open; text[i];) {
        size_t past = skip_literal(text, i);
        if (past != i) {
            i = past;
            continue;
        }
        depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
        if (depth == 0)
            return i + 1;
        i++;
    }
    die("unbalanced parentheses in a launch", path, text, open);
}

/* Where the launched expression before text[end] (the first '<' of "<<<")
 * starts: an identifier, maybe qualified, maybe with template arguments. */
static size_t callee_start(const char *path, const char *text, size_t end)
{
    size_t i = end;
    while (i > 0 && strchr(" \t\n", text[i - 1]))
        i--;
    if (i > 0 && text[i - 1] == '>') { /* template arguments */
        int depth = 0;
        do {
            i--;
            depth += text[i] == '>' ? 1 : text[i] == '<' ? -1 : 0;
        } while (i > 0 && depth > 0);
        while (i > 0 && strchr(" \t\n", text[i - 1]))
            i--;
    }
    while (i > 0 && (strchr("_:", text[i - 1]) || (text[i - 1] >= '0' && text[i - 1] <= '9') ||
                     ((text[i - 1] | 32) >= 'a' && (text[i - 1] | 32) <= 'z')))
        i--;
    if (i == end)
        die("a launch without a kernel name", path, text, end);
    return i;
}

static size_t count_newlines(const char *s, size_t n)
{
    size_t lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += s[i] == '\n';
    return lines;
}

/* Writes text[from, to) without its newlines, and returns how many it left out. */
static size_t put_flat(FILE *out, const char *text, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        fputc(text[i] == '\n' ? ' ' : text[i], out);
    return count_newlines(text + from, to - from);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s IN.cu OUT.cpp\n", argv[0]);
        return 2;
    }
    size_t len;
    char *text = read_all(argv[1], &len);
    FILE *out = fopen(argv[2], "w");
    if (!out) {
        perror(argv[2]);
        return 1;
    }
    fprintf(out, "#line 1 \"%s\"\n", argv[1]); /* messages name IN */
    size_t copied = 0;                             /* text[0, copied) is written */
    for (size_t i = 0; i < len;) {
        size_t past = skip_literal(text, i);
        if (past != i) {
            i = past;
            continue;
        }
        if (strncmp(text + i, "<<<", 3) != 0) {
            i++;
            continue;
        }
        size_t callee = callee_start(argv[1], text, i);
        char *config_end = strstr(text + i + 3, ">>>");
        if (!config_end)
            die("<<< without >>>", argv[1], text, i);
        size_t args = (size_t)(config_end - text) + 3;
        while (strchr(" \t\n", text[args]) && text[args])
            args++;
        if (text[args] != '(')
            die("a launch without its arguments", argv[1], text, i);
        size_t end = closing_paren(argv[1], text, args);
        fwrite(text + copied, 1, callee - copied, out);
        size_t lines = 0;
        fputs("emu_launch(emu_config(", out);
        lines += put_flat(out, text, i + 3, (size_t)(config_end - text));
        fputs("), [=] { ", out);
        lines += put_flat(out, text, callee, i);
        lines += put_flat(out, text, args, end);
        fputs("; })", out);
        for (; lines > 0; lines--)
            fputc('\n', out);
        copied = i = end;
    }
    fwrite(text + copied, 1, len - copied, out);
    free(text);
    return fclose(out) == 0 ? 0 : 1;
}
