/* dlkit-srccheck: what chapter code may not write, found in its text (grader/
 * grade-chapter runs it on every grade, before and after preprocessing).
 *
 *   dlkit-srccheck source SHOWN FILE KIT_HEADER...   (in the folder of FILE)
 *       FILE as the student wrote it, before the compiler reads it: its
 *       directives. #include names one of the KIT_HEADERs ("name.h") or one
 *       of the C library's headers below (<name.h>), never a macro; no
 *       #pragma, _Pragma, #line or other directive beyond the usual ones;
 *       no # outside a directive (it could forge the preprocessor's line
 *       markers, which the second pass trusts); no #define before an
 *       #include (a macro would change what the header means, and the
 *       header's lines are not checked as the student's).
 *   dlkit-srccheck expanded SHOWN FILE.i STUDENT_FILE...
 *       the preprocessor's output (cc -E) for one of them. In the lines its
 *       line markers give to a STUDENT_FILE, macros expanded: no inline
 *       assembly, no pragma, no compiler built-in beyond the arithmetic
 *       ones. What the system's headers declare (glibc's __asm__ names) is
 *       theirs; what their macros expand to in the student's lines
 *       (isnan, offsetof, va_arg) is allowed by the list below.
 *
 * SHOWN is the student's folder as the student knows it. Each refusal is
 * one line on standard output, "SHOWN/FILE:LINE: why", for the student (20
 * at most). Exit status: 0 nothing refused; 1 refused as a build error
 * (what the file includes or how it is written); 3 refused as a forbidden
 * call (assembly, pragmas, built-ins); 2 the kit's own fault (a file that
 * cannot be read, a bad command line). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OK = 0, BUILD_ERROR = 1, KIT_ERROR = 2, FORBIDDEN = 3 };
enum { MAX_MESSAGES = 20 };

/* The C library's headers that chapter code may include. */
static const char *const system_headers[] = {
    "math.h", "stdlib.h", "string.h", "stdio.h", "stdint.h", "stddef.h",
    "stdbool.h", "float.h", "limits.h", "assert.h",
};

/* Built-ins that compute or answer a question about a value, and those the
 * allowed headers' macros expand to. Anything that reaches frames, return
 * addresses, jumps, the stack or the instruction cache is refused. */
static const char *const allowed_builtins[] = {
    "__builtin_expect", "__builtin_offsetof", "__builtin_constant_p",
    "__builtin_types_compatible_p", "__builtin_choose_expr",
    "__builtin_inf", "__builtin_inff", "__builtin_infl",
    "__builtin_nan", "__builtin_nanf", "__builtin_nanl",
    "__builtin_huge_val", "__builtin_huge_valf", "__builtin_huge_vall",
    "__builtin_fabs", "__builtin_fabsf", "__builtin_sqrt", "__builtin_sqrtf",
    "__builtin_copysign", "__builtin_copysignf",
    "__builtin_isnan", "__builtin_isinf", "__builtin_isinf_sign",
    "__builtin_isfinite", "__builtin_isnormal", "__builtin_signbit",
    "__builtin_signbitf", "__builtin_signbitl", "__builtin_fpclassify",
    "__builtin_isgreater", "__builtin_isgreaterequal", "__builtin_isless",
    "__builtin_islessequal", "__builtin_islessgreater", "__builtin_isunordered",
    "__builtin_clz", "__builtin_ctz", "__builtin_popcount",
    "__builtin_add_overflow", "__builtin_sub_overflow", "__builtin_mul_overflow",
};

static bool in_list(const char *name, size_t len, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && memcmp(list[i], name, len) == 0)
            return true;
    return false;
}
#define IN_LIST(name, len, list) in_list(name, len, list, sizeof list / sizeof *list)

/* ---- Messages ------------------------------------------------------------ */

typedef struct report {
    const char *shown; /* the student's folder, as the student knows it */
    const char *file;  /* the file, in that folder */
    int status;        /* the worst refusal so far */
    int count;
} report;

static void refuse(report *r, int kind, long line, const char *fmt, const char *token, int len)
{
    if (kind > r->status)
        r->status = kind;
    if (++r->count > MAX_MESSAGES)
        return;
    printf("%s/%s:%ld: ", r->shown, r->file, line);
    printf(fmt, len, token);
    putchar('\n');
}

/* ---- Tokens -------------------------------------------------------------- */

typedef enum { END, IDENT, NUMBER, LITERAL, HASH, HASHHASH, PUNCT } kind;

typedef struct token {
    kind kind;
    size_t at, len;
    bool first; /* the first token of its line */
} token;

static bool ident_char(int c)
{
    return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c >= 0x80;
}

/* Past a comment, string or character literal starting at i (as the
 * compiler reads them: a literal without its closing quote ends with its
 * line), or i itself when none starts there. */
static size_t skip_literal(const char *s, size_t n, size_t i)
{
    if (s[i] == '"' || s[i] == '\'') {
        char quote = s[i++];
        while (i < n && s[i] != quote && s[i] != '\n')
            i += s[i] == '\\' && i + 1 < n && s[i + 1] != '\n' ? 2 : 1;
        return i < n && s[i] == quote ? i + 1 : i;
    }
    return i;
}

/* Past the comment that starts at i (at the end of s when it never ends). */
static size_t comment_end(const char *s, size_t n, size_t i, bool *newline)
{
    for (i += 2; i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'); i++)
        *newline |= s[i] == '\n';
    return i + 1 < n ? i + 2 : n;
}

static size_t skip_space(const char *s, size_t n, size_t i, bool *newline)
{
    while (i < n) {
        if (s[i] == '\n')
            *newline = true, i++;
        else if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\f' || s[i] == '\v')
            i++;
        else if (s[i] == '/' && i + 1 < n && s[i + 1] == '/')
            while (i < n && s[i] != '\n')
                i++;
        else if (s[i] == '/' && i + 1 < n && s[i + 1] == '*')
            i = comment_end(s, n, i, newline);
        else
            break;
    }
    return i;
}

/* A pp-number: a digit (or . digit), then digits, letters, dots and signed
 * exponents. */
static size_t number_end(const char *s, size_t n, size_t i)
{
    for (i++; i < n; i++) {
        if ((s[i] == '+' || s[i] == '-') && strchr("eEpP", s[i - 1]))
            continue;
        if (!ident_char((unsigned char)s[i]) && s[i] != '.')
            break;
    }
    return i;
}

/* The next token from *at; its prefix letters make L"x", u8"x" one literal. */
static token next_token(const char *s, size_t n, size_t *at, bool *newline)
{
    size_t i = skip_space(s, n, *at, newline);
    token t = {END, i, 0, *newline};
    *newline = false;
    if (i >= n)
        return *at = n, t;
    size_t e = i;
    if (ident_char((unsigned char)s[i]) && !(s[i] >= '0' && s[i] <= '9')) {
        while (e < n && ident_char((unsigned char)s[e]))
            e++;
        t.kind = IDENT;
        if (e < n && (s[e] == '"' || s[e] == '\'') && e - i <= 2 && strchr("LuU8", s[e - 1]))
            t.kind = LITERAL, e = skip_literal(s, n, e);
    } else if ((s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9')) {
        t.kind = NUMBER, e = number_end(s, n, i);
    } else if (s[i] == '"' || s[i] == '\'') {
        t.kind = LITERAL, e = skip_literal(s, n, i);
    } else if (s[i] == '#' || (s[i] == '%' && i + 1 < n && s[i + 1] == ':')) {
        /* # and its digraph %:, ## and %:%: */
        e = i + (s[i] == '#' ? 1 : 2);
        t.kind = HASH;
        if (e < n && s[e] == '#')
            t.kind = HASHHASH, e++;
        else if (e + 1 < n && s[e] == '%' && s[e + 1] == ':')
            t.kind = HASHHASH, e += 2;
    } else {
        t.kind = PUNCT, e = i + 1;
    }
    t.len = e - i;
    *at = e;
    return t;
}

static bool is(const char *s, token t, const char *word)
{
    return t.len == strlen(word) && memcmp(s + t.at, word, t.len) == 0;
}

/* ---- The source, as the compiler's first phases see it ------------------- */

typedef struct text {
    char *c;
    long *line; /* the physical line of each character */
    size_t n;
} text;

static bool load(const char *path, text *t)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t cap = 1 << 16;
    t->c = malloc(cap), t->n = 0;
    for (size_t got; t->c && (got = fread(t->c + t->n, 1, cap - t->n, f)) > 0;)
        if ((t->n += got) == cap)
            t->c = realloc(t->c, cap *= 2);
    bool ok = t->c && !ferror(f);
    fclose(f);
    t->line = ok ? malloc((t->n + 1) * sizeof *t->line) : NULL;
    if (!t->line)
        return false;
    for (size_t i = 0, line = 1; i < t->n; i++)
        t->line[i] = (long)line, line += t->c[i] == '\n';
    return true;
}

/* Phase 1: trigraphs (-std=c11 honours them: ??= is a # the compiler sees). */
static void replace_trigraphs(text *t)
{
    static const char from[] = "=(/)'<!>-", to[] = "#[\\]^{|}~";
    size_t j = 0;
    for (size_t i = 0; i < t->n; i++, j++) {
        const char *p = i + 2 < t->n && t->c[i] == '?' && t->c[i + 1] == '?' && t->c[i + 2]
                            ? strchr(from, t->c[i + 2]) : NULL;
        t->line[j] = t->line[i];
        t->c[j] = p ? to[p - from] : t->c[i];
        i += p ? 2 : 0;
    }
    t->n = j;
}

/* Phase 2: a backslash at the end of a line (GCC allows blanks after it)
 * joins the next line to it. */
static void join_lines(text *t)
{
    size_t j = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->c[i] == '\\') {
            size_t k = i + 1;
            while (k < t->n && (t->c[k] == ' ' || t->c[k] == '\t' || t->c[k] == '\r'))
                k++;
            if (k < t->n && t->c[k] == '\n') {
                i = k;
                continue;
            }
        }
        t->line[j] = t->line[i];
        t->c[j++] = t->c[i];
    }
    t->n = j;
}

/* ---- Pass 1: the directives ---------------------------------------------- */

typedef struct source {
    text t;
    size_t at;
    bool newline;
    report *r;
    char *const *kit_headers;
    int nkit;
    long defined_at; /* the first #define or #undef, 0 before it */
} source;

static long line_of(const source *s, token t)
{
    return s->t.line[t.at < s->t.n ? t.at : s->t.n - 1];
}

static token next(source *s)
{
    return next_token(s->t.c, s->t.n, &s->at, &s->newline);
}

/* The rest of the directive's line, its tokens passed to check (or none). */
static void rest_of_line(source *s, bool hash_allowed)
{
    for (;;) {
        size_t at = s->at;
        bool newline = s->newline;
        token t = next(s);
        if (t.kind == END || t.first) {
            s->at = at, s->newline = newline || t.first;
            return;
        }
        if (t.kind == HASH && !hash_allowed)
            refuse(s->r, BUILD_ERROR, line_of(s, t), "a %.*s that is not the start of a directive "
                   "(nor a function-like macro's # operator): chapter code may not use one",
                   s->t.c + t.at, (int)t.len);
    }
}

static bool kit_header(const source *s, const char *name, size_t len)
{
    for (int i = 0; i < s->nkit; i++)
        if (strlen(s->kit_headers[i]) == len && memcmp(s->kit_headers[i], name, len) == 0)
            return true;
    return false;
}

static void include(source *s, token directive)
{
    const char *c = s->t.c;
    long line = line_of(s, directive);
    bool newline = false;
    size_t i = skip_space(c, s->t.n, s->at, &newline), e = i + 1;
    char close = i < s->t.n && !newline ? (c[i] == '"' ? '"' : c[i] == '<' ? '>' : 0) : 0;
    while (close && e < s->t.n && c[e] != close && c[e] != '\n')
        e++;
    if (!close || e >= s->t.n || c[e] != close) {
        refuse(s->r, BUILD_ERROR, line, "#include with a macro or an unfinished name%.*s: "
               "write the header's name itself, \"name.h\" or <name.h>", "", 0);
    } else if (s->defined_at) {
        refuse(s->r, BUILD_ERROR, line, "#include after a #define or #undef%.*s: put your "
               "#include lines first (a macro defined before a header changes what it means)", "", 0);
    } else if (close == '"' && !kit_header(s, c + i + 1, e - i - 1)) {
        refuse(s->r, BUILD_ERROR, line, "#include \"%.*s\": chapter code may include, in quotes, "
               "only the kit's headers for this chapter (its own, the earlier chapters' and "
               "common/'s)", c + i + 1, (int)(e - i - 1));
    } else if (close == '>' && !IN_LIST(c + i + 1, e - i - 1, system_headers)) {
        refuse(s->r, FORBIDDEN, line, "#include <%.*s>: chapter code may include only these "
               "of the C library's headers: <math.h> <stdlib.h> <string.h> <stdio.h> <stdint.h> "
               "<stddef.h> <stdbool.h> <float.h> <limits.h> <assert.h>", c + i + 1, (int)(e - i - 1));
    }
    if (close && e < s->t.n && c[e] == close)
        s->at = e + 1;
    rest_of_line(s, false);
}

static void define(source *s, token directive)
{
    if (!s->defined_at)
        s->defined_at = line_of(s, directive);
    token name = next(s);
    if (name.kind == END || name.first) {
        s->at = name.at, s->newline = true;
        return;
    }
    /* A function-like macro's ( follows its name at once; there # is the
     * operator that makes a string of an argument. */
    bool function_like = name.at + name.len < s->t.n && s->t.c[name.at + name.len] == '(';
    rest_of_line(s, function_like && is(s->t.c, directive, "define"));
}

static void directive(source *s)
{
    token d = next(s);
    long line = line_of(s, d);
    const char *c = s->t.c;
    if (d.kind == END || d.first) { /* the null directive: a # alone */
        s->at = d.at, s->newline = d.first;
        return;
    }
    if (is(c, d, "include"))
        return include(s, d);
    if (is(c, d, "define") || is(c, d, "undef"))
        return define(s, d);
    static const char *const plain[] = {"if", "ifdef", "ifndef", "elif", "else", "endif", "error", "warning"};
    if (d.kind == IDENT && IN_LIST(c + d.at, d.len, plain))
        return rest_of_line(s, false);
    if (is(c, d, "pragma"))
        refuse(s->r, FORBIDDEN, line, "#%.*s changes how the compiler treats your code: "
               "chapter code may not use pragmas", c + d.at, (int)d.len);
    else if (d.kind == NUMBER || is(c, d, "line"))
        refuse(s->r, BUILD_ERROR, line, "# %.*s changes the file names and line numbers the "
               "compiler reports: chapter code may not use #line", c + d.at, (int)d.len);
    else
        refuse(s->r, BUILD_ERROR, line, "#%.*s: chapter code may use only #include, #define, "
               "#undef, #if and its kin, #error and #warning", c + d.at, (int)d.len);
    rest_of_line(s, true);
}

static int check_source(const char *shown, const char *path, char *const *kit, int nkit)
{
    report r = {shown, path, OK, 0};
    source s = {.newline = true, .r = &r, .kit_headers = kit, .nkit = nkit};
    if (!load(path, &s.t)) {
        fprintf(stderr, "dlkit-srccheck: cannot read %s: %s\n", path, strerror(errno));
        return KIT_ERROR;
    }
    replace_trigraphs(&s.t);
    join_lines(&s.t);
    for (token t; (t = next(&s)).kind != END;) {
        if (t.kind == HASH && t.first)
            directive(&s);
        else if (t.kind == HASH || t.kind == HASHHASH)
            refuse(&r, BUILD_ERROR, line_of(&s, t), "a %.*s that is not the start of a directive: "
                   "chapter code may not use one outside a macro", s.t.c + t.at, (int)t.len);
        else if (is(s.t.c, t, "_Pragma"))
            refuse(&r, FORBIDDEN, line_of(&s, t), "%.*s changes how the compiler treats your code: "
                   "chapter code may not use pragmas", s.t.c + t.at, (int)t.len);
    }
    free(s.t.c), free(s.t.line);
    return r.status;
}

/* ---- Pass 2: the preprocessor's output ----------------------------------- */

typedef struct expanded {
    report *r;
    char *const *students;
    int nstudents;
    bool student; /* the lines now are a student file's */
    long line;
} expanded;

/* A line marker, # LINE "FILE" FLAGS, at the start of a line: pass 1 made
 * sure that no # of the student's can print as one. */
static bool line_marker(expanded *x, const char *s)
{
    char *end;
    if (s[0] != '#' || s[1] != ' ' || s[2] < '0' || s[2] > '9')
        return false;
    long line = strtol(s + 2, &end, 10);
    const char *name = end + 2, *close = name;
    if (end[0] != ' ' || end[1] != '"')
        return false;
    while (*close && *close != '"')
        close += close[0] == '\\' && close[1] ? 2 : 1;
    x->line = line;
    x->student = false;
    for (int i = 0; i < x->nstudents && !x->student; i++) {
        x->student = strlen(x->students[i]) == (size_t)(close - name) &&
                     memcmp(x->students[i], name, (size_t)(close - name)) == 0;
        x->r->file = x->students[i];
    }
    return true;
}

static void check_word(expanded *x, const char *w, size_t len)
{
    static const char builtin[] = "__builtin_";
    if (len == 3 ? memcmp(w, "asm", 3) == 0 : (len == 5 && memcmp(w, "__asm", 5) == 0) ||
                                              (len == 7 && memcmp(w, "__asm__", 7) == 0))
        refuse(x->r, FORBIDDEN, x->line, "%.*s is inline assembly: chapter code may not use it "
               "(write the function in C)", w, (int)len);
    else if (len == 7 && memcmp(w, "_Pragma", 7) == 0)
        refuse(x->r, FORBIDDEN, x->line, "%.*s changes how the compiler treats your code: "
               "chapter code may not use pragmas", w, (int)len);
    else if (len > sizeof builtin - 1 && memcmp(w, builtin, sizeof builtin - 1) == 0 &&
             !(len > 13 && memcmp(w, "__builtin_va_", 13) == 0) && !IN_LIST(w, len, allowed_builtins))
        refuse(x->r, FORBIDDEN, x->line, "%.*s is a compiler built-in that reaches past C "
               "(frames, return addresses, jumps, the stack or the machine's caches): chapter "
               "code may use only the arithmetic ones, such as __builtin_inff or __builtin_isnan",
               w, (int)len);
}

static void expanded_line(expanded *x, const char *s, size_t n)
{
    if (line_marker(x, s))
        return;
    if (x->student && s[0] == '#') /* #pragma, which _Pragma prints as well */
        refuse(x->r, FORBIDDEN, x->line, "%.*s changes how the compiler treats your code: "
               "chapter code may not use pragmas", "a pragma", 8);
    else if (x->student)
        for (size_t at = 0;;) {
            bool newline = false;
            token t = next_token(s, n, &at, &newline);
            if (t.kind == END)
                break;
            if (t.kind == IDENT)
                check_word(x, s + t.at, t.len);
        }
    x->line++;
}

static int check_expanded(const char *shown, const char *path, char *const *students, int n)
{
    report r = {shown, "", OK, 0};
    expanded x = {&r, students, n, false, 1};
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "dlkit-srccheck: cannot read %s: %s\n", path, strerror(errno));
        return KIT_ERROR;
    }
    char *line = NULL;
    size_t cap = 0;
    for (ssize_t len; (len = getline(&line, &cap, f)) >= 0;)
        expanded_line(&x, line, (size_t)len);
    free(line);
    fclose(f);
    return r.status;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "source") == 0)
        return check_source(argv[2], argv[3], argv + 4, argc - 4);
    if (argc >= 5 && strcmp(argv[1], "expanded") == 0)
        return check_expanded(argv[2], argv[3], argv + 4, argc - 4);
    fprintf(stderr, "usage: dlkit-srccheck source SHOWN FILE KIT_HEADER...\n"
                    "       dlkit-srccheck expanded SHOWN FILE.i STUDENT_FILE...\n");
    return KIT_ERROR;
}
