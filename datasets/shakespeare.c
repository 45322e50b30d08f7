/* Tiny Shakespeare (see shakespeare.h). */
#include "shakespeare.h"

#include "datasets.h"

#include <stdlib.h>
#include <string.h>

int shakespeare_token(const shakespeare *s, char c)
{
    const char *at = memchr(s->chars, c, s->V);
    return at ? (int)(at - s->chars) : -1;
}

static bool allowed(unsigned char c)
{
    return c == '\n' || (c >= ' ' && c < 127);
}

bool shakespeare_load(shakespeare *s, dk_err *err)
{
    *s = (shakespeare){0};
    char path[4096];
    size_t len;
    if (!dk_text_path("tinyshakespeare", path, sizeof path, err))
        return false;
    char *text = dk_load_text(path, &len, err);
    if (!text)
        return false;
    bool seen[128] = {false};
    for (size_t i = 0; i < len; i++) {
        const unsigned char c = (unsigned char)text[i];
        if (!allowed(c)) {
            free(text);
            return dk_fail(err, "%s, byte %zu: 0x%02x is not printable ASCII: not tiny "
                           "Shakespeare (`make data` restores the kit's copy)", path, i, c);
        }
        seen[c] = true;
    }
    for (int c = 0; c < 128; c++)
        if (seen[c])
            s->chars[s->V++] = (char)c;
    s->n_train = len / 10 * 9 + len % 10 * 9 / 10; /* the first 90%, as int(0.9 * len) */
    s->n_val = len - s->n_train;
    s->train = malloc(len * sizeof *s->train);
    if (!s->train) {
        free(text);
        return dk_fail(err, "out of memory reading %s", path);
    }
    for (size_t i = 0; i < len; i++)
        s->train[i] = shakespeare_token(s, text[i]);
    s->val = s->train + s->n_train;
    free(text);
    return true;
}

void shakespeare_free(shakespeare *s)
{
    free(s->train);
    *s = (shakespeare){0};
}
