/* See epoch.h. */
#include "epoch.h"

#include "datasets.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>

size_t bench_count(const char *arg, const char *what)
{
    char *end;
    unsigned long v = strtoul(arg, &end, 10);
    if (*end || v == 0 || v > 1024)
        dk_fatal("%s must be a number from 1 to 1024, not '%s'", what, arg);
    return v;
}

void bench_print_idx_files(const char *set, const char *prefix)
{
    static const char *const files[] = {
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char name[256], path[4096];
        dk_err err;
        snprintf(name, sizeof name, "%s%s", prefix, files[i]);
        if (!dk_fetch(set, name, path, sizeof path, &err))
            dk_fatal("%s", err.msg);
        printf("file %s\n", path);
    }
}

void bench_print_fashion_files(void)
{
    bench_print_idx_files("fashion-mnist", "");
}
