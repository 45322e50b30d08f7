/* Sentences with a score (datasets/sentences.c): every text one line of
 * something, every score finite. */
#include "datasets.h"
#include "input.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dk_sentences s;
    dk_err err;
    if (dk_load_sentences(fuzz_input(data, size), &s, &err)) {
        for (size_t i = 0; i < s.n; i++)
            if (!s.text[i][0] || strpbrk(s.text[i], "\r\n") || !isfinite(s.score[i]))
                abort();
        dk_sentences_free(&s);
    }
    fuzz_input_close();
    return 0;
}
