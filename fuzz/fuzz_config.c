/* The class configuration (grader/class/inputs.c: parse_config), over two
 * chapters. Every override accepted must name a known chapter or total. */
#include "gradebook.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gradebook gb = {.nchapters = 2, .visibility = "after_due_date"};
    gb.chapters[0] = (chapter){"01-perceptron", 1, -1, 100, 0};
    gb.chapters[1] = (chapter){"02-backprop", 1, -1, 100, 0};
    char *text = malloc(size + 1), *why = NULL;
    memcpy(text, data, size);
    text[size] = '\0';
    if (parse_config(&gb, text, &why))
        for (int i = 0; i < gb.noverrides; i++)
            if (strcmp(gb.overrides[i].what, "total") != 0 &&
                gb_find_chapter(&gb, gb.overrides[i].what) < 0)
                abort();
    free(why);
    free(gb.roster);
    free(gb.overrides);
    free(text);
    return 0;
}
