/* Data sets by name: the fetcher finds the files, the loaders read them. */
#include "datasets.h"

#include <string.h>

enum { PATH_BYTES = 4096 };

static bool check_split(const char *name, const char *split, bool table,
                        dk_err *err)
{
    bool ok = table ? strcmp(split, "all") == 0
                    : strcmp(split, "train") == 0 || strcmp(split, "test") == 0;
    return ok || dk_fail(err, "data set %s has no split '%s' (%s)", name, split,
                         table ? "a table has only \"all\""
                               : "use \"train\" or \"test\"");
}

static bool load_table(const dk_set *set, dk_dataset *out, dk_err *err)
{
    char path[PATH_BYTES];
    return dk_fetch(set->name, set->files[0].name, path, sizeof path, err) &&
           dk_load_csv(path, out, err);
}

/* The file of set whose name contains part ("train-images", ...). */
static const char *file_with(const dk_set *set, const char *part)
{
    for (size_t i = 0; i < set->nfiles; i++)
        if (strstr(set->files[i].name, part))
            return set->files[i].name;
    return "";
}

static bool load_idx(const dk_set *set, const dk_places *pl, bool train,
                     dk_dataset *out, dk_err *err)
{
    char images[PATH_BYTES], labels[PATH_BYTES];
    const char *im = file_with(set, train ? "train-images" : "t10k-images");
    const char *lb = file_with(set, train ? "train-labels" : "t10k-labels");
    return dk_fetch_from(set, im, pl, images, sizeof images, NULL, err) &&
           dk_fetch_from(set, lb, pl, labels, sizeof labels, NULL, err) &&
           dk_load_idx_pair(images, labels, out, err);
}

/* The full MNIST where it was fetched before (`make data`): loading never
 * downloads it, since the in-kit subset serves when it is absent. */
static bool load_mnist(const dk_places *pl, bool train, dk_dataset *out,
                       dk_err *err)
{
    dk_places local = *pl;
    local.download = false;
    return load_idx(dk_set_find("mnist"), &local, train, out, NULL) ||
           load_idx(dk_set_find("mnist10k"), pl, train, out, err);
}

/* Train: every data_batch_*.bin; test: test_batch.bin. */
static bool load_cifar10(const dk_set *set, const dk_places *pl, bool train,
                         dk_dataset *out, dk_err *err)
{
    char paths[DK_SET_MAX_FILES][PATH_BYTES];
    const char *list[DK_SET_MAX_FILES];
    size_t n = 0;
    for (size_t i = 0; i < set->nfiles; i++) {
        const char *name = set->files[i].name;
        if (!strstr(name, train ? "data_batch" : "test_batch"))
            continue;
        if (!dk_fetch_from(set, name, pl, paths[n], sizeof paths[n], NULL, err))
            return false;
        list[n] = paths[n];
        n++;
    }
    return dk_load_cifar10(list, n, out, err);
}

bool dk_dataset_load(const char *name, const char *split, dk_dataset *out,
                     dk_err *err)
{
    *out = (dk_dataset){0};
    const dk_set *set = dk_set_find(name);
    const char *first = set ? set->files[0].name : "";
    bool table = strstr(first, ".csv"), idx = strstr(first, "-idx3-");
    if (!table && !idx && !(set && set->archive))
        return dk_fail(err, "no loadable data set named '%s' (try iris, digits, "
                       "breast-cancer, mnist, mnist10k, fashion-mnist or cifar10)",
                       name);
    if (!check_split(name, split, table, err))
        return false;
    if (table)
        return load_table(set, out, err);
    dk_places pl;
    dk_places_from_env(&pl);
    bool train = strcmp(split, "train") == 0;
    if (strcmp(name, "mnist") == 0)
        return load_mnist(&pl, train, out, err);
    if (idx)
        return load_idx(set, &pl, train, out, err);
    return load_cifar10(set, &pl, train, out, err);
}
