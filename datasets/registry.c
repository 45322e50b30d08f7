/* The registered data sets: where each file comes from and its SHA-256.
 * The in-kit sets list no sums: datasets/data/SHA256SUMS is the one source
 * of truth for them. */
#include "datasets.h"

#include <string.h>

static const dk_archive_spec cifar10_archive = {
    .name = "cifar-10-binary.tar.gz",
    .sha256 = "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
    .topdir = "cifar-10-batches-bin",
    .url = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
};

static const dk_set sets[] = {
    {.name = "mnist10k", .in_kit = true, .required = true,
     .use = "the digit tests and the mnist fallback use it",
     .nfiles = 4,
     .files = {{"mnist10k-train-images-idx3-ubyte.gz", {0}},
               {"mnist10k-train-labels-idx1-ubyte.gz", {0}},
               {"mnist10k-t10k-images-idx3-ubyte.gz", {0}},
               {"mnist10k-t10k-labels-idx1-ubyte.gz", {0}}}},
    {.name = "iris", .in_kit = true, .required = true,
     .use = "small-table exercises use it",
     .nfiles = 1, .files = {{"iris.csv", {0}}}},
    {.name = "digits", .in_kit = true, .required = true,
     .use = "chapter 02 and fast tests train on it",
     .nfiles = 1, .files = {{"digits8x8.csv.gz", {0}}}},
    {.name = "breast-cancer", .in_kit = true, .required = true,
     .use = "binary-classification exercises use it",
     .nfiles = 1, .files = {{"breast_cancer.csv", {0}}}},
    {.name = "names", .in_kit = true, .required = true,
     .use = "chapters 05-06 train on text",
     .nfiles = 1, .files = {{"names.txt", {0}}}},
    {.name = "tinyshakespeare", .in_kit = true, .required = true,
     .use = "chapters 05-06 train on text",
     .nfiles = 1, .files = {{"tinyshakespeare.txt", {0}}}},
    {.name = "movie-reviews", .in_kit = true, .required = true,
     .use = "chapter 05's sentiment task trains on it",
     .nfiles = 1, .files = {{"movie-review-snippets.tsv.gz", {0}}}},
    /* Debian's dataset-fashion-mnist re-compressed the files: each has the
     * canonical sum and Debian's. */
    {.name = "fashion-mnist", .required = true,
     .use = "chapters 02-04 train on it",
     .apt = "dataset-fashion-mnist",
     .system = "/usr/share/datasets/fashion-mnist",
     .urls = {"http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"},
     .nfiles = 4,
     .files = {
         {"train-images-idx3-ubyte.gz",
          {"3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
           "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"}},
         {"train-labels-idx1-ubyte.gz",
          {"a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
           "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"}},
         {"t10k-images-idx3-ubyte.gz",
          {"346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
           "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"}},
         {"t10k-labels-idx1-ubyte.gz",
          {"67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
           "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"}}}},
    {.name = "mnist",
     .use = "chapters use the in-kit 10,000-digit subset instead",
     .urls = {"https://storage.googleapis.com/cvdf-datasets/mnist/",
              "https://ossci-datasets.s3.amazonaws.com/mnist/"},
     .nfiles = 4,
     .files = {
         {"train-images-idx3-ubyte.gz",
          {"440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"}},
         {"train-labels-idx1-ubyte.gz",
          {"3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"}},
         {"t10k-images-idx3-ubyte.gz",
          {"8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"}},
         {"t10k-labels-idx1-ubyte.gz",
          {"f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"}}}},
    {.name = "cifar10",
     .use = "chapter 04 trains without it",
     .archive = &cifar10_archive,
     .nfiles = 6,
     .files = {
         {"data_batch_1.bin",
          {"cee916563c9f80d84e3cc88e17fdc0941787f1244f00a67874d45b261883ada5"}},
         {"data_batch_2.bin",
          {"a591ca11fa1708a91ee40f54b3da4784ccd871ecf2137de63f51ada8b3fa57ed"}},
         {"data_batch_3.bin",
          {"bbe8596564c0f86427f876058170b84dac6670ddf06d79402899d93ceea26f67"}},
         {"data_batch_4.bin",
          {"014e562d6e23c72197cc727519169a60359f5eccd8945ad5a09d710285ff4e48"}},
         {"data_batch_5.bin",
          {"755304fc0b379caeae8c14f0dac912fbc7d6cd469eb67a1029a08a39453a9add"}},
         {"test_batch.bin",
          {"8e2eb146ae340b09e24670f29cabc6326dba54da8789dab6768acf480273f65b"}}}},
};

const dk_set *dk_sets(size_t *count)
{
    *count = sizeof sets / sizeof sets[0];
    return sets;
}

const dk_set *dk_set_find(const char *name)
{
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
        if (strcmp(sets[i].name, name) == 0)
            return &sets[i];
    return NULL;
}
