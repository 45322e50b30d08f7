/* Data sets: loaders for the standard file formats, the fetcher that finds
 * or downloads the larger sets, and small synthetic sets made in code.
 *
 * Every loader fills a dk_dataset or returns false with one message in err
 * that names the file and the fault (missing, bad magic number, truncated,
 * wrong dimensions, checksum mismatch) and, for a missing file, the command
 * that fetches it. Nothing here exits; programs call dk_fatal on failure. */
#ifndef DLKIT_DATASETS_H
#define DLKIT_DATASETS_H

#include "error.h"
#include "rng.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* n samples of dim features with integer class labels. Images are stored
 * NHWC (h, w, c), scaled to [0, 1]; tables as read. */
typedef struct dk_dataset {
    size_t n;         /* samples */
    size_t dim;       /* features per sample */
    float *x;         /* (n, dim), row-major */
    int *y;           /* (n,) labels in [0, classes) */
    size_t classes;
    size_t h, w, c;   /* image shape (dim == h*w*c), 0 for tables */
} dk_dataset;

void dk_dataset_free(dk_dataset *ds);

/* Allocates x (n, dim) and y (n,) of a zeroed ds and sets n and dim; false
 * (and err) when out of memory. */
bool dk_dataset_alloc(dk_dataset *ds, size_t n, size_t dim, dk_err *err);

/* Fails with why path cannot be opened (errnum is its errno); the message
 * for a missing file says which command fetches the data sets. */
bool dk_fail_open(dk_err *err, const char *path, int errnum);

/* ---- File formats ---------------------------------------------------- */

/* An IDX file (unsigned-byte data, as MNIST), gzipped or not. */
typedef struct dk_idx {
    uint8_t *data;
    size_t ndim;
    size_t dims[4];
    size_t count; /* product of dims */
} dk_idx;

bool dk_idx_read(const char *path, dk_idx *out, dk_err *err);
void dk_idx_free(dk_idx *idx);

/* An IDX image file (N,H,W) and its label file (N,), checked against each
 * other; pixels / 255. Both sets in this format (MNIST, Fashion-MNIST) have
 * 10 classes, so a label above 9 is an error; classes = 10. */
bool dk_load_idx_pair(const char *images, const char *labels, dk_dataset *out,
                      dk_err *err);

/* CIFAR-10 binary batches: records of 1 label byte + 3072 pixel bytes
 * (3 planes of 32x32); stored NHWC, / 255. */
bool dk_load_cifar10(const char *const *paths, size_t npaths, dk_dataset *out,
                     dk_err *err);

/* CSV tables: the Iris / breast-cancer format (first line "n,dim,names...",
 * then dim features and the class index per line) and the digits format
 * (no header; dim features then the label per line), gzipped or not.
 * A first line whose third field is not a number is the header; class
 * names are therefore never numbers. With a header, classes = number of
 * names and there must be exactly n rows; without one, every row has the
 * first row's length, labels are integers 0..255 and classes = max + 1.
 * Blank lines are skipped; faults name the line. */
bool dk_load_csv(const char *path, dk_dataset *out, dk_err *err);

/* A whole text file (NUL-terminated; *len excludes the NUL). */
char *dk_load_text(const char *path, size_t *len, dk_err *err);

/* Sentences with a score, one per line "id<TAB>score<TAB>text" (the
 * movie-review snippets: a human rating in -4..+4), gzipped or not; UTF-8
 * with LF or CRLF line ends, blank lines skipped. A malformed line, bytes
 * that are not UTF-8 or a truncated file fail, naming the line. */
typedef struct dk_sentences {
    size_t n;
    char **text;  /* (n,) NUL-terminated, into buffer */
    float *score; /* (n,) */
    char *buffer; /* the file's text */
} dk_sentences;

bool dk_load_sentences(const char *path, dk_sentences *out, dk_err *err);
void dk_sentences_free(dk_sentences *s);

/* ---- Named data sets ------------------------------------------------- */

/* Loads a data set by name and split ("train" or "test"; tables have only
 * "all"): "iris", "digits", "breast-cancer", "mnist" (the full set where
 * fetched, else the in-kit 10,000-digit subset), "mnist10k",
 * "fashion-mnist", "cifar10". Finds files through dk_fetch, which may
 * download them; the full MNIST alone is never downloaded here (the subset
 * stands in for it; `make data` fetches it). */
bool dk_dataset_load(const char *name, const char *split, dk_dataset *out,
                     dk_err *err);

/* Path of a named text corpus ("tinyshakespeare", "names"). */
bool dk_text_path(const char *name, char *path, size_t len, dk_err *err);

/* A named set of sentences ("movie-reviews"). */
bool dk_sentences_load(const char *name, dk_sentences *out, dk_err *err);

/* ---- Fetcher ---------------------------------------------------------- */

/* Path of one file of a registered data set, verified by SHA-256, looking in
 * order: the in-kit data folder, the cache ($DLKIT_CACHE, else
 * $XDG_CACHE_HOME/dlkit, else ~/.cache/dlkit), the mirror folder named by
 * $DLKIT_DATA_MIRROR (as mirror/<set>/<file> or mirror/<file>), system
 * packages (e.g. /usr/share/datasets), and finally the canonical URLs
 * (downloaded into the cache under a temporary name, verified, then
 * renamed). A set that comes as one archive (CIFAR-10) is unpacked into
 * the cache from the mirror's copy or the download. The kit root is
 * $DLKIT_ROOT, else the folder the kit was built in. Files with a bad
 * checksum are reported on stderr and skipped. */
bool dk_fetch(const char *set, const char *file, char *path, size_t len,
              dk_err *err);

/* SHA-256 of a file as 64 lowercase hex digits. */
bool dk_sha256_file(const char *path, char hex[65], dk_err *err);

/* The registry below and dk_fetch_from serve dlkit-data and the kit's
 * tests, which fetch fake sets from folders of their own. */

/* One file of a set and the SHA-256 sums it may have: a re-packaged copy
 * (Debian re-compressed Fashion-MNIST) has a sum of its own. In-kit sets
 * list none: theirs come from SHA256SUMS in the in-kit data folder. */
typedef struct dk_file_spec {
    const char *name;
    const char *sha256[2]; /* NULL where unused */
} dk_file_spec;

/* An archive that holds all files of a set (CIFAR-10's tarball): found in
 * the mirror or downloaded, verified, and unpacked into the cache with the
 * system tar; then each unpacked file is verified. */
typedef struct dk_archive_spec {
    const char *name;   /* file name, e.g. "cifar-10-binary.tar.gz" */
    const char *sha256;
    const char *topdir; /* the folder inside the archive that holds the files */
    const char *url;
} dk_archive_spec;

#define DK_SET_MAX_FILES 6
#define DK_SET_MAX_URLS 2

typedef struct dk_set {
    const char *name;
    bool in_kit;        /* files ship in the in-kit data folder */
    bool required;      /* chapters cannot run without it */
    const char *use;    /* what chapters do with it ("chapters 02-04 train on
                         * it") or, for an optional set, without it */
    const char *apt;    /* Debian package that provides it, or NULL */
    const char *system; /* folder that package installs, or NULL */
    const char *urls[DK_SET_MAX_URLS];  /* folders (ending in '/'), or NULL */
    const dk_archive_spec *archive;     /* or NULL */
    size_t nfiles;
    dk_file_spec files[DK_SET_MAX_FILES];
} dk_set;

/* The registered sets, in the order dlkit-data lists them. */
const dk_set *dk_sets(size_t *count);
/* NULL when no set has that name. */
const dk_set *dk_set_find(const char *name);

/* Where the fetcher looks. An empty string skips that place. */
typedef struct dk_places {
    char kit_data[1024]; /* in-kit data folder (with SHA256SUMS) */
    char cache[1024];    /* a set's files go to cache/<set>/ */
    char mirror[1024];   /* files as mirror/<set>/<file> or mirror/<file> */
    bool download;       /* false: never use the network (dlkit-data verify) */
    FILE *notes;         /* where skipped files are reported, or NULL */
} dk_places;

/* The places dk_fetch uses, from the environment (see dk_fetch). */
void dk_places_from_env(dk_places *pl);

typedef enum dk_place {
    DK_IN_KIT,
    DK_CACHE,
    DK_MIRROR,
    DK_SYSTEM,
    DK_DOWNLOAD
} dk_place;

/* "in kit", "cache", "mirror", "system package", "downloaded". */
const char *dk_place_name(dk_place place);

/* dk_fetch for a set given in full, looking in pl; *where (unless NULL)
 * says which place the file came from. */
bool dk_fetch_from(const dk_set *set, const char *file, const dk_places *pl,
                   char *path, size_t len, dk_place *where, dk_err *err);

/* ---- Synthetic sets (2-D unless dim says otherwise) ------------------- */

/* k Gaussian blobs of the given spread around random centres in [-5,5]^dim;
 * sample i belongs to blob i % k. */
bool dk_make_blobs(dk_rng *rng, size_t n, size_t dim, size_t k, float spread,
                   dk_dataset *out, dk_err *err);
/* XOR: points in [-1,1]^2 labelled by the sign of x0*x1 (1 where the signs
 * of x0 and x1 differ), then moved by Gaussian noise of that deviation. */
bool dk_make_xor(dk_rng *rng, size_t n, float noise, dk_dataset *out, dk_err *err);
/* Two interleaved spirals of 1.5 turns out to radius 1, sample i on spiral
 * i % 2, moved by Gaussian noise of that deviation. */
bool dk_make_spirals(dk_rng *rng, size_t n, float noise, dk_dataset *out,
                     dk_err *err);
/* Linearly separable points: labels from a random hyperplane, with no point
 * closer to it than margin. Points are drawn in [-1,1]^dim, then pushed
 * away from the plane by margin. */
bool dk_make_separable(dk_rng *rng, size_t n, size_t dim, float margin,
                       dk_dataset *out, dk_err *err);

#endif
