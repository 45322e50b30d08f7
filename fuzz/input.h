/* What the harnesses share: the loaders read paths, so each input is
 * written to a memory file and handed over as /proc/self/fd/N. */
#ifndef DLKIT_FUZZ_INPUT_H
#define DLKIT_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* A path that reads data[0..size); fuzz_input_close ends it. */
const char *fuzz_input(const uint8_t *data, size_t size);
void fuzz_input_close(void);

#endif
