/* The datasets module: every loader on the real files and on small files
 * written here, every fault with its message, the fetcher's order and
 * checksums (fake sets served from folders and file:// URLs, so that no
 * test needs the internet), and the synthetic sets. */
#include "datasets.h"
#include "files.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

extern char **environ;

#define KIT_DATA DK_ROOT "/datasets/data"

/* ---- A temporary folder per test ---------------------------------------- */

static char tmp[64];

static void make_tmp(void)
{
    strcpy(tmp, "/tmp/dlkit-test-XXXXXX");
    cr_assert(mkdtemp(tmp), "cannot create a temporary folder");
}

static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        unlink(path);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            char sub[1024];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            remove_tree(sub);
        }
    closedir(d);
    rmdir(path);
}

static void remove_tmp(void)
{
    remove_tree(tmp);
}

#define T(name, seconds)                                                       \
    Test(datasets, name, .init = make_tmp, .fini = remove_tmp,                \
         .timeout = seconds)

#define assert_has(err, text)                                                  \
    cr_assert(strstr((err).msg, text), "the message lacks \"%s\": %s", text,   \
              (err).msg)

/* tmp/name, from a few rotating buffers so that calls can be combined. */
static const char *in_tmp(const char *name)
{
    static char bufs[8][512];
    static int next;
    char *p = bufs[next++ % 8];
    snprintf(p, sizeof bufs[0], "%s/%s", tmp, name);
    return p;
}

static const char *write_file(const char *name, const void *data, size_t len)
{
    const char *path = in_tmp(name);
    cr_assert(dk_mkdirs_for(path, NULL));
    FILE *f = fopen(path, "wb");
    cr_assert(f && fwrite(data, 1, len, f) == len && fclose(f) == 0);
    return path;
}

static const char *write_text(const char *name, const char *text)
{
    return write_file(name, text, strlen(text));
}

static const char *write_gz(const char *name, const void *data, size_t len)
{
    const char *path = in_tmp(name);
    gzFile f = gzopen(path, "wb");
    cr_assert(f && gzwrite(f, data, (unsigned)len) == (int)len && gzclose(f) == Z_OK);
    return path;
}

/* ---- IDX ------------------------------------------------------------------ */

/* An IDX file's bytes: 0 0 type ndim, the dims big-endian, then the data. */
static size_t idx_bytes(uint8_t *buf, int type, size_t ndim, const uint32_t *dims,
                        const uint8_t *data, size_t n)
{
    uint8_t *p = buf;
    *p++ = 0, *p++ = 0, *p++ = (uint8_t)type, *p++ = (uint8_t)ndim;
    for (size_t i = 0; i < ndim; i++) {
        *p++ = (uint8_t)(dims[i] >> 24), *p++ = (uint8_t)(dims[i] >> 16);
        *p++ = (uint8_t)(dims[i] >> 8), *p++ = (uint8_t)dims[i];
    }
    memcpy(p, data, n);
    return (size_t)(p - buf) + n;
}

static const char *write_idx(const char *name, int type, size_t ndim,
                             const uint32_t *dims, const uint8_t *data, size_t n)
{
    uint8_t buf[256];
    return write_file(name, buf, idx_bytes(buf, type, ndim, dims, data, n));
}

T(idx_reads_plain_and_gzipped_files, 5)
{
    const uint8_t data[6] = {1, 2, 3, 4, 5, 255};
    uint8_t buf[64];
    size_t len = idx_bytes(buf, 0x08, 2, (uint32_t[]){2, 3}, data, 6);
    const char *paths[2] = {write_file("m.idx", buf, len),
                            write_gz("m.idx.gz", buf, len)};
    for (int i = 0; i < 2; i++) {
        dk_idx idx;
        dk_err err;
        cr_assert(dk_idx_read(paths[i], &idx, &err), "%s", err.msg);
        cr_assert_eq(idx.ndim, 2);
        cr_assert_eq(idx.dims[0], 2);
        cr_assert_eq(idx.dims[1], 3);
        cr_assert_eq(idx.count, 6);
        cr_assert_arr_eq(idx.data, data, 6);
        dk_idx_free(&idx);
    }
}

T(idx_reads_the_in_kit_mnist_subset, 10)
{
    dk_idx idx;
    dk_err err;
    cr_assert(dk_idx_read(KIT_DATA "/mnist10k-train-images-idx3-ubyte.gz", &idx, &err),
              "%s", err.msg);
    cr_assert_eq(idx.ndim, 3);
    cr_assert_eq(idx.dims[0], 7996);
    cr_assert_eq(idx.dims[1], 28);
    cr_assert_eq(idx.dims[2], 28);
    dk_idx_free(&idx);
}

T(idx_missing_file_says_make_data, 5)
{
    dk_idx idx;
    dk_err err;
    cr_assert_not(dk_idx_read(in_tmp("absent.idx"), &idx, &err));
    assert_has(err, "absent.idx");
    assert_has(err, "missing");
    assert_has(err, "make data");
    cr_assert_null(idx.data);
}

T(idx_bad_magic_is_reported, 5)
{
    const char *path = write_text("bad.idx", "hello, world: not an IDX file");
    dk_idx idx;
    dk_err err;
    cr_assert_not(dk_idx_read(path, &idx, &err));
    assert_has(err, "bad.idx");
    assert_has(err, "bad magic number 0x68656c6c");
}

T(idx_other_types_are_unsupported, 5)
{
    const char *path = write_idx("float.idx", 0x0D, 1, (uint32_t[]){1},
                                 (uint8_t[]){0, 0, 128, 63}, 4);
    dk_idx idx;
    dk_err err;
    cr_assert_not(dk_idx_read(path, &idx, &err));
    assert_has(err, "float.idx");
    assert_has(err, "unsupported IDX type 0x0d (float)");
}

T(idx_truncated_data_and_header_are_errors, 5)
{
    const uint8_t data[10] = {0};
    uint8_t buf[64];
    size_t len = idx_bytes(buf, 0x08, 1, (uint32_t[]){10}, data, 10);
    dk_idx idx;
    dk_err err;
    cr_assert_not(dk_idx_read(write_file("short.idx", buf, len - 4), &idx, &err));
    assert_has(err, "short.idx");
    assert_has(err, "truncated: 6 data bytes, the header declares 10");
    cr_assert_not(dk_idx_read(write_gz("short.idx.gz", buf, len - 4), &idx, &err));
    assert_has(err, "short.idx.gz");
    assert_has(err, "truncated");
    cr_assert_not(dk_idx_read(write_file("head.idx", buf, 6), &idx, &err));
    assert_has(err, "head.idx");
    assert_has(err, "truncated");
}

T(idx_truncated_gzip_stream_is_an_error, 5)
{
    uint8_t data[4096], buf[4200];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7919 % 251);
    size_t len = idx_bytes(buf, 0x08, 1, (uint32_t[]){4096}, data, 4096);
    const char *gz = write_gz("cut.idx.gz", buf, len);
    size_t gzlen;
    char *whole = dk_read_file(gz, &gzlen, NULL);
    write_file("cut.idx.gz", whole, gzlen / 2);
    free(whole);
    dk_idx idx;
    dk_err err;
    cr_assert_not(dk_idx_read(gz, &idx, &err));
    assert_has(err, "cut.idx.gz");
    assert_has(err, "truncated");
}

T(idx_trailing_bytes_are_an_error, 5)
{
    const uint8_t data[5] = {1, 2, 3, 4, 5};
    const char *path = write_idx("long.idx", 0x08, 1, (uint32_t[]){4}, data, 5);
    dk_idx idx;
    dk_err err;
    cr_assert_not(dk_idx_read(path, &idx, &err));
    assert_has(err, "long.idx");
    assert_has(err, "trailing bytes after the 4 data bytes");
}

T(idx_pair_scales_pixels_and_keeps_labels, 5)
{
    const uint8_t pixels[12] = {0, 51, 102, 153, 204, 255, 1, 2, 3, 4, 5, 6};
    const char *im = write_idx("im.idx", 0x08, 3, (uint32_t[]){2, 2, 3}, pixels, 12);
    const char *lb = write_idx("lb.idx", 0x08, 1, (uint32_t[]){2}, (uint8_t[]){7, 9}, 2);
    dk_dataset ds;
    dk_err err;
    cr_assert(dk_load_idx_pair(im, lb, &ds, &err), "%s", err.msg);
    cr_assert_eq(ds.n, 2);
    cr_assert_eq(ds.dim, 6);
    cr_assert_eq(ds.h, 2);
    cr_assert_eq(ds.w, 3);
    cr_assert_eq(ds.c, 1);
    cr_assert_eq(ds.classes, 10);
    cr_assert_eq(ds.y[0], 7);
    cr_assert_eq(ds.y[1], 9);
    for (int i = 0; i < 12; i++)
        cr_assert_float_eq(ds.x[i], pixels[i] / 255.0f, 1e-7f);
    dk_dataset_free(&ds);
    cr_assert_null(ds.x);
}

T(idx_pair_count_mismatch_names_both_files, 5)
{
    const char *im = write_idx("im.idx", 0x08, 3, (uint32_t[]){3, 1, 1},
                               (uint8_t[]){1, 2, 3}, 3);
    const char *lb = write_idx("lb.idx", 0x08, 1, (uint32_t[]){2}, (uint8_t[]){1, 2}, 2);
    dk_dataset ds;
    dk_err err;
    cr_assert_not(dk_load_idx_pair(im, lb, &ds, &err));
    assert_has(err, "count mismatch");
    assert_has(err, "im.idx has 3 images");
    assert_has(err, "lb.idx has 2 labels");
    cr_assert_null(ds.x);
}

T(idx_pair_label_out_of_range, 5)
{
    const char *im = write_idx("im.idx", 0x08, 3, (uint32_t[]){2, 1, 1},
                               (uint8_t[]){1, 2}, 2);
    const char *lb = write_idx("lb.idx", 0x08, 1, (uint32_t[]){2}, (uint8_t[]){3, 10}, 2);
    dk_dataset ds;
    dk_err err;
    cr_assert_not(dk_load_idx_pair(im, lb, &ds, &err));
    assert_has(err, "lb.idx");
    assert_has(err, "label 10 at index 1 out of range 0..9");
}

T(idx_pair_checks_the_number_of_dimensions, 5)
{
    const char *im = write_idx("flat.idx", 0x08, 2, (uint32_t[]){2, 1},
                               (uint8_t[]){1, 2}, 2);
    const char *lb = write_idx("lb.idx", 0x08, 1, (uint32_t[]){2}, (uint8_t[]){1, 2}, 2);
    dk_dataset ds;
    dk_err err;
    cr_assert_not(dk_load_idx_pair(im, lb, &ds, &err));
    assert_has(err, "flat.idx: 2 dimensions, an image file has 3");
    cr_assert_not(dk_load_idx_pair(lb, lb, &ds, &err));
    assert_has(err, "lb.idx: 1 dimensions");
}

/* ---- CIFAR-10 ----------------------------------------------------------- */

enum { RECORD = 3073 };

/* Record r: label (first + r) % 10; red p % 251, green 255 - r, blue p / 4. */
static void cifar_records(uint8_t *buf, size_t n, int first)
{
    for (size_t r = 0; r < n; r++) {
        uint8_t *rec = buf + r * RECORD;
        rec[0] = (uint8_t)((first + (int)r) % 10);
        for (size_t p = 0; p < 1024; p++) {
            rec[1 + p] = (uint8_t)(p % 251);
            rec[1 + 1024 + p] = (uint8_t)(255 - r);
            rec[1 + 2048 + p] = (uint8_t)(p / 4);
        }
    }
}

T(cifar10_batches_load_as_nhwc, 5)
{
    static uint8_t buf[3 * RECORD];
    cifar_records(buf, 2, 4);
    const char *a = write_file("a.bin", buf, 2 * RECORD);
    cifar_records(buf, 1, 9);
    const char *b = write_file("b.bin", buf, RECORD);
    dk_dataset ds;
    dk_err err;
    cr_assert(dk_load_cifar10((const char *[]){a, b}, 2, &ds, &err), "%s", err.msg);
    cr_assert_eq(ds.n, 3);
    cr_assert_eq(ds.dim, 3072);
    cr_assert(ds.h == 32 && ds.w == 32 && ds.c == 3 && ds.classes == 10);
    const int labels[3] = {4, 5, 9}, rows[3] = {0, 1, 0};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(ds.y[i], labels[i]);
        for (size_t p = 0; p < 1024; p++) {
            const float *px = ds.x + i * 3072 + p * 3;
            cr_assert_float_eq(px[0], (float)(p % 251) / 255.0f, 1e-7f);
            cr_assert_float_eq(px[1], (float)(255 - rows[i]) / 255.0f, 1e-7f);
            cr_assert_float_eq(px[2], (float)(p / 4) / 255.0f, 1e-7f);
        }
    }
    dk_dataset_free(&ds);
}

T(cifar10_size_must_be_a_multiple_of_3073, 5)
{
    static uint8_t buf[2 * RECORD];
    cifar_records(buf, 2, 0);
    const char *path = write_file("cut.bin", buf, 2 * RECORD - 5);
    dk_dataset ds;
    dk_err err;
    cr_assert_not(dk_load_cifar10(&path, 1, &ds, &err));
    assert_has(err, "cut.bin");
    assert_has(err, "not a multiple of the 3073-byte");
}

T(cifar10_label_out_of_range, 5)
{
    static uint8_t buf[2 * RECORD];
    cifar_records(buf, 2, 0);
    buf[RECORD] = 10;
    const char *path = write_file("bad.bin", buf, 2 * RECORD);
    dk_dataset ds;
    dk_err err;
    cr_assert_not(dk_load_cifar10(&path, 1, &ds, &err));
    assert_has(err, "bad.bin");
    assert_has(err, "label 10 in record 1 out of range 0..9");
}

T(cifar10_a_bad_second_file_fails_the_whole_load, 5)
{
    static uint8_t buf[RECORD];
    cifar_records(buf, 1, 0);
    const char *paths[2] = {write_file("good.bin", buf, RECORD), in_tmp("gone.bin")};
    dk_dataset ds;
    dk_err err;
    cr_assert_not(dk_load_cifar10(paths, 2, &ds, &err));
    assert_has(err, "gone.bin");
    assert_has(err, "make data");
    cr_assert(ds.n == 0 && ds.x == NULL && ds.y == NULL);
}

/* ---- CSV ------------------------------------------------------------------ */

static bool load_csv_text(const char *text, dk_dataset *ds, dk_err *err)
{
    return dk_load_csv(write_text("t.csv", text), ds, err);
}

T(csv_with_a_header, 5)
{
    dk_dataset ds;
    dk_err err;
    cr_assert(load_csv_text("3,2,cat,dog\n1.5,2,0\n-1,0.25,1\n\n3,4e1,1\n", &ds, &err),
              "%s", err.msg);
    cr_assert(ds.n == 3 && ds.dim == 2 && ds.classes == 2);
    cr_assert(ds.h == 0 && ds.w == 0 && ds.c == 0);
    const float x[6] = {1.5f, 2, -1, 0.25f, 3, 40};
    const int y[3] = {0, 1, 1};
    cr_assert_arr_eq(ds.x, x, sizeof x);
    cr_assert_arr_eq(ds.y, y, sizeof y);
    dk_dataset_free(&ds);
}

T(csv_without_a_header_gzipped, 5)
{
    const char text[] = "1,2,3,0\r\n4,5,6,2\r\n";
    dk_dataset ds;
    dk_err err;
    cr_assert(dk_load_csv(write_gz("d.csv.gz", text, strlen(text)), &ds, &err), "%s",
              err.msg);
    cr_assert(ds.n == 2 && ds.dim == 3 && ds.classes == 3);
    cr_assert_float_eq(ds.x[5], 6.0f, 0);
    cr_assert_eq(ds.y[1], 2);
    dk_dataset_free(&ds);
}

T(csv_real_tables, 10)
{
    const struct {
        const char *file;
        size_t n, dim, classes;
    } tables[] = {{"iris.csv", 150, 4, 3},
                  {"breast_cancer.csv", 569, 30, 2},
                  {"digits8x8.csv.gz", 1797, 64, 10}};
    for (size_t t = 0; t < 3; t++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", KIT_DATA, tables[t].file);
        dk_dataset ds;
        dk_err err;
        cr_assert(dk_load_csv(path, &ds, &err), "%s", err.msg);
        cr_assert(ds.n == tables[t].n && ds.dim == tables[t].dim &&
                      ds.classes == tables[t].classes,
                  "%s: %zu x %zu, %zu classes", tables[t].file, ds.n, ds.dim,
                  ds.classes);
        if (t == 0)
            cr_assert(ds.x[0] == 5.1f && ds.x[3] == 0.2f && ds.y[0] == 0 &&
                      ds.y[149] == 2);
        dk_dataset_free(&ds);
    }
}

T(csv_short_row_names_its_line, 5)
{
    dk_dataset ds;
    dk_err err;
    cr_assert_not(load_csv_text("2,2,a,b\n1,2,0\n1,1\n", &ds, &err));
    assert_has(err, "t.csv, line 3: 2 fields, expected 3");
    cr_assert_null(ds.x);
    cr_assert_not(load_csv_text("1,2,0\n1,2,3,0\n", &ds, &err));
    assert_has(err, "t.csv, line 2: 4 fields, expected 3");
}

T(csv_bad_number_names_line_and_field, 5)
{
    dk_dataset ds;
    dk_err err;
    cr_assert_not(load_csv_text("2,2,a,b\n1,2,0\n1,x2,1\n", &ds, &err));
    assert_has(err, "t.csv, line 3, field 2: bad number 'x2'");
    cr_assert_not(load_csv_text("1,,0\n", &ds, &err));
    assert_has(err, "line 1, field 2: bad number ''");
}

T(csv_row_count_must_match_the_header, 5)
{
    dk_dataset ds;
    dk_err err;
    cr_assert_not(load_csv_text("3,1,a,b\n1,0\n2,1\n", &ds, &err));
    assert_has(err, "t.csv, line 3: end of file after 2 rows, the header declares 3");
    cr_assert_not(load_csv_text("1,1,a,b\n1,0\n2,1\n", &ds, &err));
    assert_has(err, "t.csv, line 3: more rows than the 1 the header declares");
}

T(csv_labels_out_of_range, 5)
{
    dk_dataset ds;
    dk_err err;
    cr_assert_not(load_csv_text("1,1,a,b\n1,2\n", &ds, &err));
    assert_has(err, "t.csv, line 2: label '2' is not an integer in 0..1");
    cr_assert_not(load_csv_text("1,256\n", &ds, &err));
    assert_has(err, "line 1: label '256' is not an integer in 0..255");
    cr_assert_not(load_csv_text("1,0.5\n", &ds, &err));
    assert_has(err, "label '0.5'");
}

T(csv_missing_and_empty_files, 5)
{
    dk_dataset ds;
    dk_err err;
    cr_assert_not(dk_load_csv(in_tmp("none.csv"), &ds, &err));
    assert_has(err, "none.csv");
    assert_has(err, "make data");
    cr_assert_not(load_csv_text("\n\n", &ds, &err));
    assert_has(err, "t.csv: empty file");
    cr_assert_not(load_csv_text("0,2,a,b\n", &ds, &err));
    assert_has(err, "line 1: bad header");
}

/* ---- Text ----------------------------------------------------------------- */

T(text_loads_the_whole_file, 5)
{
    size_t len;
    dk_err err;
    char *text = dk_load_text(KIT_DATA "/tinyshakespeare.txt", &len, &err);
    cr_assert(text, "%s", err.msg);
    cr_assert_eq(len, 1115394);
    cr_assert_eq(text[len], '\0');
    cr_assert(strncmp(text, "First Citizen:", 14) == 0);
    free(text);
}

T(text_missing_file_says_make_data, 5)
{
    dk_err err;
    cr_assert_null(dk_load_text(in_tmp("gone.txt"), NULL, &err));
    assert_has(err, "gone.txt");
    assert_has(err, "make data");
}

T(text_paths_by_name, 5)
{
    char path[4096];
    dk_err err;
    cr_assert(dk_text_path("names", path, sizeof path, &err), "%s", err.msg);
    size_t len;
    char *text = dk_load_text(path, &len, &err);
    cr_assert(text && strncmp(text, "emma\n", 5) == 0, "%s", path);
    free(text);
    cr_assert_not(dk_text_path("iris", path, sizeof path, &err));
    assert_has(err, "no text corpus named 'iris'");
}

/* ---- Sentences -------------------------------------------------------------- */

T(sentences_the_movie_review_snippets, 10)
{
    dk_sentences s;
    dk_err err;
    cr_assert(dk_sentences_load("movie-reviews", &s, &err), "%s", err.msg);
    cr_assert_eq(s.n, 10605);
    size_t pos = 0, neg = 0, zero = 0;
    for (size_t i = 0; i < s.n; i++) {
        pos += s.score[i] > 0, neg += s.score[i] < 0, zero += s.score[i] == 0;
        cr_assert(s.score[i] >= -4 && s.score[i] <= 4, "line %zu: score %g", i + 1, s.score[i]);
        cr_assert_not(strpbrk(s.text[i], "\r\n\t"), "line %zu keeps a line end", i + 1);
    }
    cr_assert_eq(pos, 5242);
    cr_assert_eq(neg, 5326);
    cr_assert_eq(zero, 37);
    cr_assert(strncmp(s.text[0], "The Rock is destined", 20) == 0, "%s", s.text[0]);
    cr_assert_float_eq(s.score[2], -0.6f, 1e-6);
    dk_sentences_free(&s);
    cr_assert_not(dk_sentences_load("names", &s, &err));
    assert_has(err, "no set of sentences named 'names'");
}

T(sentences_lf_crlf_blank_lines_and_gzip, 5)
{
    static const char text[] = "1\t2.5\tgood\r\n\r\n2\t-1\tbad, tab\there\n3\t0\tcaf\xc3\xa9";
    const char *paths[2] = {write_text("s.tsv", text), write_gz("s.tsv.gz", text, sizeof text - 1)};
    for (int k = 0; k < 2; k++) {
        dk_sentences s;
        dk_err err;
        cr_assert(dk_load_sentences(paths[k], &s, &err), "%s", err.msg);
        cr_assert_eq(s.n, 3);
        cr_assert_str_eq(s.text[0], "good");
        cr_assert_str_eq(s.text[1], "bad, tab\there"); /* the text is the rest of the line */
        cr_assert_str_eq(s.text[2], "caf\xc3\xa9");
        cr_assert_float_eq(s.score[1], -1.0f, 0);
        dk_sentences_free(&s);
    }
}

/* Each fault: the file's name, the line, and what is wrong. */
T(sentences_faults_name_file_and_line, 5)
{
    static const struct { const char *text, *says; } bad[] = {
        {"1\t1\tok\n2\t1\n", "line 2: expected id<TAB>score<TAB>text"},
        {"1\t1\tok\nx\t1\tno id\n", "line 2: the id 'x' is not a number"},
        {"1\tgood\tno score\n", "line 1: the score 'good' is not a number"},
        {"1\tnan\tNaN score\n", "line 1: the score 'nan' is not a number"},
        {"1\t1\t \n", "line 1: no text"},
        {"1\t1\tok\n2\t1\tLatin-1 caf\xe9\n", "line 2: not UTF-8 text (byte 0xe9)"},
        {"1\t1\tok\n2\t1\toverlong \xc0\xaf\n", "line 2: not UTF-8 text (byte 0xc0)"},
        {"\r\n\n", "no sentences"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        dk_sentences s;
        dk_err err;
        const char *path = write_text("bad.tsv", bad[i].text);
        cr_assert_not(dk_load_sentences(path, &s, &err), "case %zu loaded", i);
        assert_has(err, "bad.tsv");
        assert_has(err, bad[i].says);
        cr_assert_null(s.text);
    }
    static const char nul[] = "1\t1\tok\n2\t1\ta\0b\n";
    dk_sentences s;
    dk_err err;
    cr_assert_not(dk_load_sentences(write_file("nul.tsv", nul, sizeof nul - 1), &s, &err));
    assert_has(err, "line 2: not UTF-8 text (byte 0x00)");
    cr_assert_not(dk_load_sentences(in_tmp("gone.tsv.gz"), &s, &err));
    assert_has(err, "gone.tsv.gz");
    assert_has(err, "make data");
}

T(sentences_truncated_gzip_is_an_error, 5)
{
    size_t len;
    dk_err err;
    char *gz = dk_read_file(KIT_DATA "/movie-review-snippets.tsv.gz", &len, &err);
    cr_assert(gz, "%s", err.msg);
    const char *path = write_file("cut.tsv.gz", gz, len / 2);
    free(gz);
    dk_sentences s;
    cr_assert_not(dk_load_sentences(path, &s, &err));
    assert_has(err, "cut.tsv.gz: corrupt or truncated file");
}

/* ---- Named sets ------------------------------------------------------------ */

T(named_mnist10k_train_and_test, 20)
{
    const char *splits[2] = {"train", "test"};
    const size_t n[2] = {7996, 2004};
    for (int s = 0; s < 2; s++) {
        dk_dataset ds;
        dk_err err;
        cr_assert(dk_dataset_load("mnist10k", splits[s], &ds, &err), "%s", err.msg);
        cr_assert_eq(ds.n, n[s]);
        cr_assert(ds.dim == 784 && ds.h == 28 && ds.w == 28 && ds.c == 1);
        cr_assert_eq(ds.classes, 10);
        float lo = 1, hi = 0;
        for (size_t i = 0; i < ds.n * ds.dim; i++) {
            lo = fminf(lo, ds.x[i]);
            hi = fmaxf(hi, ds.x[i]);
        }
        cr_assert(lo == 0.0f && hi == 1.0f, "pixels in [%g, %g]", lo, hi);
        dk_dataset_free(&ds);
    }
}

T(named_iris_table, 5)
{
    dk_dataset ds;
    dk_err err;
    cr_assert(dk_dataset_load("iris", "all", &ds, &err), "%s", err.msg);
    cr_assert(ds.n == 150 && ds.dim == 4 && ds.classes == 3);
    int count[3] = {0};
    for (size_t i = 0; i < ds.n; i++)
        count[ds.y[i]]++;
    cr_assert(count[0] == 50 && count[1] == 50 && count[2] == 50);
    dk_dataset_free(&ds);
}

T(named_mnist_falls_back_to_the_in_kit_subset, 20)
{
    setenv("DLKIT_CACHE", in_tmp("cache"), 1);
    unsetenv("DLKIT_DATA_MIRROR");
    dk_dataset ds;
    dk_err err;
    cr_assert(dk_dataset_load("mnist", "test", &ds, &err), "%s", err.msg);
    cr_assert_eq(ds.n, 2004);
    dk_dataset_free(&ds);
}

T(named_bad_names_and_splits, 5)
{
    dk_dataset ds;
    dk_err err;
    cr_assert_not(dk_dataset_load("iris", "train", &ds, &err));
    assert_has(err, "iris has no split 'train'");
    cr_assert_not(dk_dataset_load("mnist", "all", &ds, &err));
    assert_has(err, "use \"train\" or \"test\"");
    cr_assert_not(dk_dataset_load("imagenet", "train", &ds, &err));
    assert_has(err, "no loadable data set named 'imagenet'");
    cr_assert_not(dk_dataset_load("names", "all", &ds, &err));
    assert_has(err, "'names'");
}

T(named_fashion_mnist_where_installed, 30)
{
    dk_places pl;
    dk_places_from_env(&pl);
    pl.download = false;
    pl.notes = NULL;
    const dk_set *set = dk_set_find("fashion-mnist");
    char path[4096];
    for (size_t i = 0; i < set->nfiles; i++)
        if (!dk_fetch_from(set, set->files[i].name, &pl, path, sizeof path, NULL, NULL))
            cr_skip_test("Fashion-MNIST is not on this machine (make data)");
    dk_dataset ds;
    dk_err err;
    cr_assert(dk_dataset_load("fashion-mnist", "test", &ds, &err), "%s", err.msg);
    cr_assert(ds.n == 10000 && ds.dim == 784 && ds.classes == 10);
    dk_dataset_free(&ds);
}

/* ---- Registry and in-kit files ------------------------------------------------ */

T(sha256_of_known_strings, 5)
{
    char hex[65];
    dk_err err;
    cr_assert(dk_sha256_file(write_text("abc", "abc"), hex, &err), "%s", err.msg);
    cr_assert_str_eq(hex,
                     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    cr_assert(dk_sha256_file(write_text("empty", ""), hex, &err), "%s", err.msg);
    cr_assert_str_eq(hex,
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    cr_assert_not(dk_sha256_file(in_tmp("gone"), hex, &err));
    assert_has(err, "gone");
}

/* Every in-kit file is found in the kit and matches SHA256SUMS. */
T(in_kit_files_verify_against_sha256sums, 10)
{
    dk_places pl = {.kit_data = KIT_DATA};
    size_t count;
    const dk_set *sets = dk_sets(&count);
    for (size_t s = 0; s < count; s++)
        for (size_t i = 0; sets[s].in_kit && i < sets[s].nfiles; i++) {
            char path[4096];
            dk_place where;
            dk_err err;
            cr_assert(dk_fetch_from(&sets[s], sets[s].files[i].name, &pl, path,
                                    sizeof path, &where, &err), "%s", err.msg);
            cr_assert_eq(where, DK_IN_KIT);
        }
}

/* SHA256SUMS lists exactly the registry's in-kit files; the other files
 * carry sums in the registry. */
T(registry_and_sha256sums_agree, 5)
{
    char *sums = dk_read_file(KIT_DATA "/SHA256SUMS", NULL, NULL);
    cr_assert(sums);
    size_t count, listed = 0, in_kit = 0;
    const dk_set *sets = dk_sets(&count);
    for (const char *p = sums; *p; p = strchr(p, '\n') + 1)
        listed++;
    for (size_t s = 0; s < count; s++)
        for (size_t i = 0; i < sets[s].nfiles; i++) {
            const dk_file_spec *f = &sets[s].files[i];
            if (sets[s].in_kit) {
                in_kit++;
                char line[512];
                snprintf(line, sizeof line, "  %s\n", f->name);
                cr_assert(strstr(sums, line), "%s not in SHA256SUMS", f->name);
            } else {
                cr_assert(f->sha256[0] && strlen(f->sha256[0]) == 64, "%s", f->name);
            }
        }
    cr_assert_eq(listed, in_kit);
    cr_assert(dk_set_find("fashion-mnist")->required);
    cr_assert_not(dk_set_find("mnist")->required);
    cr_assert_not(dk_set_find("cifar10")->required);
    cr_assert_null(dk_set_find("imagenet"));
    free(sums);
}

T(places_come_from_the_environment, 5)
{
    dk_places pl;
    setenv("DLKIT_ROOT", "/kit", 1);
    setenv("DLKIT_CACHE", "/c", 1);
    setenv("DLKIT_DATA_MIRROR", "/m", 1);
    dk_places_from_env(&pl);
    cr_assert_str_eq(pl.kit_data, "/kit/datasets/data");
    cr_assert_str_eq(pl.cache, "/c");
    cr_assert_str_eq(pl.mirror, "/m");
    cr_assert(pl.download);
    unsetenv("DLKIT_CACHE");
    unsetenv("DLKIT_DATA_MIRROR");
    setenv("XDG_CACHE_HOME", "/x", 1);
    dk_places_from_env(&pl);
    cr_assert_str_eq(pl.cache, "/x/dlkit");
    cr_assert_str_eq(pl.mirror, "");
    unsetenv("XDG_CACHE_HOME");
    setenv("HOME", "/h", 1);
    dk_places_from_env(&pl);
    cr_assert_str_eq(pl.cache, "/h/.cache/dlkit");
}

T(fetch_unknown_set_or_file, 5)
{
    char path[4096];
    dk_err err;
    cr_assert_not(dk_fetch("imagenet", "x", path, sizeof path, &err));
    assert_has(err, "no data set named 'imagenet'");
    cr_assert_not(dk_fetch("iris", "setosa.csv", path, sizeof path, &err));
    assert_has(err, "data set iris has no file setosa.csv");
}

/* ---- The fetcher, on a fake set ------------------------------------------------ */

static const char A[] = "dlkit test file a\n", B[] = "dlkit test file b\n";
#define SUM_A "b100d9cd3349460474de856c8c79194145ee948efe89da7bbb0f6352959b4515"
#define SUM_B "9232f696d14740c025a5ec566bab63a192a417b02997a59d66569bbb67b8a190"

/* A set "fake" of a.bin and b.bin whose places all lie in tmp: kit/,
 * cache/, mirror/, system/, and server/ behind a file:// URL. */
typedef struct fake {
    dk_set set;
    dk_places pl;
    char system[512], url[2][600];
    dk_archive_spec archive;
    char archive_sum[65], archive_url[600];
    char *notes;
    size_t notes_len;
} fake;

static void fake_init(fake *f)
{
    *f = (fake){0};
    snprintf(f->system, sizeof f->system, "%s/system", tmp);
    snprintf(f->url[0], sizeof f->url[0], "file://%s/server/", tmp);
    f->set = (dk_set){.name = "fake", .use = "tests use it", .apt = "dataset-fake",
                      .system = f->system, .urls = {f->url[0]}, .nfiles = 2,
                      .files = {{"a.bin", {SUM_A}}, {"b.bin", {SUM_B}}}};
    f->pl.download = true;
    snprintf(f->pl.kit_data, sizeof f->pl.kit_data, "%s/kit", tmp);
    snprintf(f->pl.cache, sizeof f->pl.cache, "%s/cache", tmp);
    snprintf(f->pl.mirror, sizeof f->pl.mirror, "%s/mirror", tmp);
    f->pl.notes = open_memstream(&f->notes, &f->notes_len);
}

static const char *fake_notes(fake *f)
{
    fflush(f->pl.notes);
    return f->notes ? f->notes : "";
}

static void fake_free(fake *f)
{
    fclose(f->pl.notes);
    free(f->notes);
}

static bool fake_fetch(fake *f, const char *file, char *path, dk_place *where,
                       dk_err *err)
{
    return dk_fetch_from(&f->set, file, &f->pl, path, 4096, where, err);
}

/* Names in folder tmp/dir other than keep (and . and ..). */
static int others_in(const char *dir, const char *keep)
{
    DIR *d = opendir(in_tmp(dir));
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
             (!keep || strcmp(e->d_name, keep));
    if (d)
        closedir(d);
    return n;
}

static bool file_is(const char *path, const char *text)
{
    size_t len;
    char *got = dk_read_file(path, &len, NULL);
    bool same = got && len == strlen(text) && memcmp(got, text, len) == 0;
    free(got);
    return same;
}

T(fetch_uses_a_cache_hit_first, 5)
{
    fake f;
    fake_init(&f);
    const char *cached = write_text("cache/fake/a.bin", A);
    write_text("mirror/fake/a.bin", A);
    char path[4096];
    dk_place where;
    dk_err err;
    cr_assert(fake_fetch(&f, "a.bin", path, &where, &err), "%s", err.msg);
    cr_assert_eq(where, DK_CACHE);
    cr_assert_str_eq(path, cached);
    cr_assert_str_eq(fake_notes(&f), "");
    fake_free(&f);
}

T(fetch_checks_a_cache_hit_too, 5)
{
    fake f;
    fake_init(&f);
    const char *cached = write_text("cache/fake/a.bin", "tampered\n");
    const char *mirrored = write_text("mirror/fake/a.bin", A);
    char path[4096], got[65];
    dk_place where;
    dk_err err;
    cr_assert(fake_fetch(&f, "a.bin", path, &where, &err), "%s", err.msg);
    cr_assert_eq(where, DK_MIRROR);
    cr_assert_str_eq(path, mirrored);
    dk_sha256_file(cached, got, NULL);
    cr_assert(strstr(fake_notes(&f), cached) && strstr(fake_notes(&f), got) &&
              strstr(fake_notes(&f), "checksum mismatch"), "%s", fake_notes(&f));
    fake_free(&f);
}

T(fetch_mirror_per_set_and_flat, 5)
{
    fake f;
    fake_init(&f);
    const char *a = write_text("mirror/fake/a.bin", A);
    const char *b = write_text("mirror/b.bin", B);
    char path[4096];
    dk_place where;
    dk_err err;
    cr_assert(fake_fetch(&f, "a.bin", path, &where, &err), "%s", err.msg);
    cr_assert(where == DK_MIRROR && strcmp(path, a) == 0);
    cr_assert(fake_fetch(&f, "b.bin", path, &where, &err), "%s", err.msg);
    cr_assert(where == DK_MIRROR && strcmp(path, b) == 0);
    fake_free(&f);
}

T(fetch_system_folder, 5)
{
    fake f;
    fake_init(&f);
    const char *sys = write_text("system/a.bin", A);
    write_text("server/a.bin", A);
    char path[4096];
    dk_place where;
    dk_err err;
    cr_assert(fake_fetch(&f, "a.bin", path, &where, &err), "%s", err.msg);
    cr_assert(where == DK_SYSTEM && strcmp(path, sys) == 0);
    cr_assert_not(dk_file_exists(in_tmp("cache/fake/a.bin")));
    fake_free(&f);
}

T(fetch_skips_a_corrupt_mirror_file_with_a_report, 5)
{
    fake f;
    fake_init(&f);
    const char *bad = write_text("mirror/fake/a.bin", "corrupt\n");
    const char *sys = write_text("system/a.bin", A);
    char path[4096], got[65];
    dk_place where;
    dk_err err;
    cr_assert(fake_fetch(&f, "a.bin", path, &where, &err), "%s", err.msg);
    cr_assert(where == DK_SYSTEM && strcmp(path, sys) == 0);
    dk_sha256_file(bad, got, NULL);
    const char *notes = fake_notes(&f);
    cr_assert(strstr(notes, bad), "%s", notes);
    cr_assert(strstr(notes, "checksum mismatch"), "%s", notes);
    cr_assert(strstr(notes, got) && strstr(notes, "expected " SUM_A), "%s", notes);
    fake_free(&f);
}

T(fetch_downloads_into_the_cache, 5)
{
    fake f;
    fake_init(&f);
    write_text("server/a.bin", A);
    char path[4096];
    dk_place where;
    dk_err err;
    cr_assert(fake_fetch(&f, "a.bin", path, &where, &err), "%s", err.msg);
    cr_assert_eq(where, DK_DOWNLOAD);
    cr_assert_str_eq(path, in_tmp("cache/fake/a.bin"));
    cr_assert(file_is(path, A));
    cr_assert_eq(others_in("cache/fake", "a.bin"), 0, "temporary files left");
    cr_assert(fake_fetch(&f, "a.bin", path, &where, &err), "%s", err.msg);
    cr_assert_eq(where, DK_CACHE);
    fake_free(&f);
}

T(fetch_tries_the_next_url, 5)
{
    fake f;
    fake_init(&f);
    char first[600];
    snprintf(first, sizeof first, "file://%s/nowhere/", tmp);
    f.set.urls[0] = first;
    f.set.urls[1] = f.url[0];
    write_text("server/b.bin", B);
    char path[4096];
    dk_place where;
    dk_err err;
    cr_assert(fake_fetch(&f, "b.bin", path, &where, &err), "%s", err.msg);
    cr_assert(where == DK_DOWNLOAD && file_is(path, B));
    fake_free(&f);
}

T(fetch_bad_download_leaves_nothing, 5)
{
    fake f;
    fake_init(&f);
    write_text("server/a.bin", "dlkit test file a, cut");
    char path[4096];
    dk_err err;
    cr_assert_not(fake_fetch(&f, "a.bin", path, NULL, &err));
    assert_has(err, "fake: a.bin not found");
    assert_has(err, "downloaded");
    assert_has(err, "checksum mismatch");
    cr_assert(strstr(fake_notes(&f), "expected " SUM_A), "%s", fake_notes(&f));
    cr_assert_not(dk_file_exists(in_tmp("cache/fake/a.bin")));
    cr_assert_eq(others_in("cache/fake", NULL), 0, "temporary files left");
    fake_free(&f);
}

T(fetch_failed_transfer_leaves_nothing, 5)
{
    fake f;
    fake_init(&f);
    char path[4096];
    dk_err err;
    cr_assert_not(fake_fetch(&f, "a.bin", path, NULL, &err));
    char url[700];
    snprintf(url, sizeof url, "%sa.bin: ", f.url[0]);
    assert_has(err, url);
    cr_assert_not(dk_file_exists(in_tmp("cache/fake/a.bin")));
    cr_assert_eq(others_in("cache/fake", NULL), 0, "temporary files left");
    fake_free(&f);
}

/* Bytes in the files of tmp/cache/fake. */
static off_t written_to_cache(void)
{
    DIR *d = opendir(in_tmp("cache/fake"));
    off_t bytes = 0;
    struct stat st;
    for (struct dirent *e; d && (e = readdir(d));) {
        char path[1024];
        snprintf(path, sizeof path, "%s/cache/fake/%s", tmp, e->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            bytes += st.st_size;
    }
    if (d)
        closedir(d);
    return bytes;
}

/* The download of a.bin is killed half-way: its source is a FIFO that this
 * test feeds, then the fetching process dies. */
T(fetch_interrupted_download_leaves_no_final_file, 15)
{
    fake f;
    fake_init(&f);
    signal(SIGPIPE, SIG_IGN);
    const char *fifo = in_tmp("server/a.bin");
    cr_assert(dk_mkdirs_for(fifo, NULL) && mkfifo(fifo, 0600) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        char path[4096];
        _exit(fake_fetch(&f, "a.bin", path, NULL, NULL));
    }
    int fd = open(fifo, O_WRONLY);
    static char chunk[1 << 17];
    cr_assert(fd >= 0 && write(fd, chunk, sizeof chunk) > 0);
    /* Wait until part of it reached the temporary file. */
    for (int i = 0; i < 500 && written_to_cache() == 0; i++)
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(fd);
    cr_assert_gt(written_to_cache(), 0, "the download never started");
    cr_assert_not(dk_file_exists(in_tmp("cache/fake/a.bin")));
    /* The leftover temporary file does not stand in the way of a new fetch. */
    unlink(fifo);
    write_text("server/a.bin", A);
    char path[4096];
    dk_err err;
    cr_assert(fake_fetch(&f, "a.bin", path, NULL, &err), "%s", err.msg);
    cr_assert(file_is(path, A));
    fake_free(&f);
}

T(fetch_failure_lists_what_was_tried, 5)
{
    fake f;
    fake_init(&f);
    char path[4096];
    dk_err err;
    cr_assert_not(fake_fetch(&f, "a.bin", path, NULL, &err));
    assert_has(err, "fake: a.bin not found");
    assert_has(err, "cache ");
    assert_has(err, "mirror ");
    assert_has(err, "system package ");
    assert_has(err, f.url[0]);
    assert_has(err, "make data");
    assert_has(err, "sudo apt-get install dataset-fake");
    f.pl.mirror[0] = '\0';
    cr_assert_not(fake_fetch(&f, "a.bin", path, NULL, &err));
    assert_has(err, "no mirror (DLKIT_DATA_MIRROR is not set)");
    fake_free(&f);
}

T(fetch_without_download_never_touches_the_urls, 5)
{
    fake f;
    fake_init(&f);
    f.pl.download = false;
    write_text("server/a.bin", A);
    char path[4096];
    dk_err err;
    cr_assert_not(fake_fetch(&f, "a.bin", path, NULL, &err));
    cr_assert_null(strstr(err.msg, "file://"), "%s", err.msg);
    cr_assert_not(dk_file_exists(in_tmp("cache/fake/a.bin")));
    fake_free(&f);
}

T(fetch_in_kit_first_with_sums_from_sha256sums, 5)
{
    fake f;
    fake_init(&f);
    f.set.in_kit = true;
    f.set.files[0].sha256[0] = NULL;
    write_text("kit/SHA256SUMS", SUM_B "  b.bin\n" SUM_A "  a.bin\n");
    const char *kit = write_text("kit/a.bin", A);
    write_text("cache/fake/a.bin", A);
    char path[4096];
    dk_place where;
    dk_err err;
    cr_assert(fake_fetch(&f, "a.bin", path, &where, &err), "%s", err.msg);
    cr_assert(where == DK_IN_KIT && strcmp(path, kit) == 0);
    write_text("kit/a.bin", "edited by hand\n");
    cr_assert(fake_fetch(&f, "a.bin", path, &where, &err), "%s", err.msg);
    cr_assert_eq(where, DK_CACHE);
    cr_assert(strstr(fake_notes(&f), kit), "%s", fake_notes(&f));
    unlink(in_tmp("cache/fake/a.bin"));
    cr_assert_not(fake_fetch(&f, "a.bin", path, &where, &err));
    assert_has(err, "in kit ");
    assert_has(err, "checksum mismatch");
    assert_has(err, "restore datasets/data");
    fake_free(&f);
}

T(fetch_in_kit_file_missing_from_sha256sums, 5)
{
    fake f;
    fake_init(&f);
    f.set.in_kit = true;
    write_text("kit/SHA256SUMS", SUM_B "  b.bin\n");
    write_text("kit/a.bin", A);
    char path[4096];
    dk_err err;
    cr_assert_not(fake_fetch(&f, "a.bin", path, NULL, &err));
    assert_has(err, "a.bin is not listed in");
    assert_has(err, "SHA256SUMS");
    fake_free(&f);
}

/* ---- Archives (CIFAR-10's way) ------------------------------------------------ */

static void run(char *const argv[])
{
    pid_t pid;
    int status;
    cr_assert_eq(posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ), 0);
    cr_assert(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0, "%s failed", argv[0]);
}

/* tmp/where/pack.tar.gz holding top/a.bin and top/b.bin (b as given), and
 * the fake set turned into an archive set. */
static void fake_archive(fake *f, const char *where, const char *b)
{
    write_text("src/top/a.bin", A);
    write_text("src/top/b.bin", b);
    char archive[600];
    snprintf(archive, sizeof archive, "%s/%s/pack.tar.gz", tmp, where);
    cr_assert(dk_mkdirs_for(archive, NULL));
    run((char *[]){"tar", "-czf", archive, "-C", (char *)in_tmp("src"), "top", NULL});
    cr_assert(dk_sha256_file(archive, f->archive_sum, NULL));
    snprintf(f->archive_url, sizeof f->archive_url, "file://%s/server/pack.tar.gz", tmp);
    f->archive = (dk_archive_spec){.name = "pack.tar.gz", .sha256 = f->archive_sum,
                                   .topdir = "top", .url = f->archive_url};
    f->set.archive = &f->archive;
    f->set.urls[0] = NULL;
}

T(fetch_downloads_and_unpacks_an_archive, 10)
{
    fake f;
    fake_init(&f);
    fake_archive(&f, "server", B);
    char path[4096];
    dk_place where;
    dk_err err;
    cr_assert(fake_fetch(&f, "a.bin", path, &where, &err), "%s", err.msg);
    cr_assert_eq(where, DK_DOWNLOAD);
    cr_assert_str_eq(path, in_tmp("cache/fake/a.bin"));
    cr_assert(file_is(path, A));
    cr_assert(fake_fetch(&f, "b.bin", path, &where, &err), "%s", err.msg);
    cr_assert_eq(where, DK_CACHE, "b.bin was unpacked with a.bin");
    cr_assert_eq(others_in("cache/fake", NULL), 2, "temporary files left");
    fake_free(&f);
}

T(fetch_unpacks_an_archive_from_the_mirror, 10)
{
    fake f;
    fake_init(&f);
    fake_archive(&f, "mirror", B);
    char path[4096];
    dk_place where;
    dk_err err;
    cr_assert(fake_fetch(&f, "b.bin", path, &where, &err), "%s", err.msg);
    cr_assert_eq(where, DK_MIRROR);
    cr_assert_str_eq(path, in_tmp("cache/fake/b.bin"));
    cr_assert(file_is(path, B));
    fake_free(&f);
}

T(fetch_rejects_a_bad_file_inside_an_archive, 10)
{
    fake f;
    fake_init(&f);
    fake_archive(&f, "server", "not b\n");
    char path[4096];
    dk_err err;
    cr_assert_not(fake_fetch(&f, "b.bin", path, NULL, &err));
    assert_has(err, "unpacked");
    assert_has(err, "checksum mismatch");
    cr_assert(strstr(fake_notes(&f), "expected " SUM_B), "%s", fake_notes(&f));
    cr_assert_eq(others_in("cache/fake", "a.bin"), 0, "b.bin or temporary files left");
    fake_free(&f);
}

T(fetch_rejects_a_corrupt_archive, 10)
{
    fake f;
    fake_init(&f);
    fake_archive(&f, "server", B);
    f.archive_sum[0] = f.archive_sum[0] == '0' ? '1' : '0';
    char path[4096];
    dk_err err;
    cr_assert_not(fake_fetch(&f, "a.bin", path, NULL, &err));
    assert_has(err, "checksum mismatch");
    cr_assert(strstr(fake_notes(&f), "pack.tar.gz.part-"), "%s", fake_notes(&f));
    cr_assert_eq(others_in("cache/fake", NULL), 0, "files left in the cache");
    fake_free(&f);
}

/* ---- Synthetic sets --------------------------------------------------------- */

enum { BLOBS, XOR, SPIRALS, SEPARABLE, KINDS };

static bool make(int kind, uint64_t seed, dk_dataset *ds, dk_err *err)
{
    dk_rng rng;
    dk_rng_seed(&rng, seed);
    switch (kind) {
    case BLOBS: return dk_make_blobs(&rng, 90, 3, 3, 0.5f, ds, err);
    case XOR: return dk_make_xor(&rng, 100, 0.1f, ds, err);
    case SPIRALS: return dk_make_spirals(&rng, 100, 0.05f, ds, err);
    default: return dk_make_separable(&rng, 100, 4, 0.1f, ds, err);
    }
}

T(synthetic_sets_are_deterministic_for_a_seed, 5)
{
    for (int kind = 0; kind < KINDS; kind++) {
        dk_dataset a, b, c;
        dk_err err;
        cr_assert(make(kind, 7, &a, &err) && make(kind, 7, &b, &err) &&
                  make(kind, 8, &c, &err), "%s", err.msg);
        cr_assert(memcmp(a.x, b.x, a.n * a.dim * sizeof(float)) == 0, "kind %d", kind);
        cr_assert(memcmp(a.y, b.y, a.n * sizeof(int)) == 0, "kind %d", kind);
        cr_assert(memcmp(a.x, c.x, a.n * a.dim * sizeof(float)) != 0, "kind %d", kind);
        dk_dataset_free(&a);
        dk_dataset_free(&b);
        dk_dataset_free(&c);
    }
}

T(synthetic_sets_have_the_right_shapes, 5)
{
    const size_t n[KINDS] = {90, 100, 100, 100}, dim[KINDS] = {3, 2, 2, 4},
                 classes[KINDS] = {3, 2, 2, 2};
    for (int kind = 0; kind < KINDS; kind++) {
        dk_dataset ds;
        dk_err err;
        cr_assert(make(kind, 1, &ds, &err), "%s", err.msg);
        cr_assert(ds.n == n[kind] && ds.dim == dim[kind] && ds.classes == classes[kind],
                  "kind %d: %zu x %zu, %zu classes", kind, ds.n, ds.dim, ds.classes);
        cr_assert(ds.h == 0 && ds.w == 0 && ds.c == 0);
        for (size_t i = 0; i < ds.n; i++)
            cr_assert(ds.y[i] >= 0 && (size_t)ds.y[i] < ds.classes);
        dk_dataset_free(&ds);
    }
}

T(blobs_sit_on_their_centres, 5)
{
    dk_rng rng;
    dk_rng_seed(&rng, 3);
    dk_dataset ds;
    dk_err err;
    cr_assert(dk_make_blobs(&rng, 12, 2, 4, 0.0f, &ds, &err), "%s", err.msg);
    for (size_t i = 0; i < ds.n; i++) {
        cr_assert_eq(ds.y[i], (int)(i % 4));
        const float *x = ds.x + 2 * i, *centre = ds.x + 2 * (i % 4);
        cr_assert(x[0] == centre[0] && x[1] == centre[1], "point %zu", i);
        cr_assert(fabsf(ds.x[2 * i]) <= 5 && fabsf(ds.x[2 * i + 1]) <= 5);
    }
    dk_dataset_free(&ds);
}

T(xor_labels_follow_the_signs, 5)
{
    dk_rng rng;
    dk_rng_seed(&rng, 5);
    dk_dataset ds;
    dk_err err;
    cr_assert(dk_make_xor(&rng, 400, 0.0f, &ds, &err), "%s", err.msg);
    int ones = 0;
    for (size_t i = 0; i < ds.n; i++) {
        float x0 = ds.x[2 * i], x1 = ds.x[2 * i + 1];
        cr_assert(fabsf(x0) <= 1 && fabsf(x1) <= 1);
        cr_assert_eq(ds.y[i], x0 * x1 < 0, "point %zu (%g, %g)", i, x0, x1);
        ones += ds.y[i];
    }
    cr_assert(ones > 150 && ones < 250, "%d of 400 labelled 1", ones);
    dk_dataset_free(&ds);
}

T(spirals_stay_within_radius_one, 5)
{
    dk_rng rng;
    dk_rng_seed(&rng, 9);
    dk_dataset ds;
    dk_err err;
    cr_assert(dk_make_spirals(&rng, 200, 0.0f, &ds, &err), "%s", err.msg);
    for (size_t i = 0; i < ds.n; i++) {
        cr_assert_eq(ds.y[i], (int)(i % 2));
        cr_assert(hypotf(ds.x[2 * i], ds.x[2 * i + 1]) <= 1.0f + 1e-6f);
    }
    dk_dataset_free(&ds);
}

/* A perceptron reaches zero errors (so a separating plane exists), and no
 * two points of different classes are closer than twice the margin (each
 * lies at least margin away from the plane, on its own side). */
T(separable_points_are_separable_with_the_margin, 10)
{
    const size_t n = 300, dim = 5;
    const float margin = 0.2f;
    dk_rng rng;
    dk_rng_seed(&rng, 11);
    dk_dataset ds;
    dk_err err;
    cr_assert(dk_make_separable(&rng, n, dim, margin, &ds, &err), "%s", err.msg);
    double w[6] = {0};
    int errors = 1, epochs = 0;
    for (; errors && epochs < 10000; epochs++) {
        errors = 0;
        for (size_t i = 0; i < n; i++) {
            const float *x = ds.x + i * dim;
            double s = w[dim], t = ds.y[i] ? 1 : -1;
            for (size_t j = 0; j < dim; j++)
                s += w[j] * x[j];
            if (s * t <= 0) {
                errors++;
                for (size_t j = 0; j < dim; j++)
                    w[j] += t * x[j];
                w[dim] += t;
            }
        }
    }
    cr_assert_eq(errors, 0, "the perceptron did not converge");
    int classes[2] = {0};
    for (size_t i = 0; i < n; i++) {
        classes[ds.y[i]]++;
        for (size_t k = 0; k < n; k++) {
            if (ds.y[i] == ds.y[k])
                continue;
            double d2 = 0;
            for (size_t j = 0; j < dim; j++)
                d2 += pow(ds.x[i * dim + j] - ds.x[k * dim + j], 2);
            cr_assert(sqrt(d2) >= 2 * margin - 1e-5, "points %zu and %zu", i, k);
        }
    }
    cr_assert(classes[0] > 0 && classes[1] > 0);
    dk_dataset_free(&ds);
}

T(synthetic_sets_reject_bad_arguments, 5)
{
    dk_rng rng;
    dk_rng_seed(&rng, 1);
    dk_dataset ds;
    dk_err err;
    cr_assert_not(dk_make_blobs(&rng, 10, 2, 0, 1.0f, &ds, &err));
    assert_has(err, "dk_make_blobs");
    cr_assert_not(dk_make_xor(&rng, 0, 0.1f, &ds, &err));
    assert_has(err, "dk_make_xor");
    cr_assert_not(dk_make_spirals(&rng, 10, -1.0f, &ds, &err));
    assert_has(err, "dk_make_spirals");
    cr_assert_not(dk_make_separable(&rng, 10, 2, NAN, &ds, &err));
    assert_has(err, "dk_make_separable");
    cr_assert_null(ds.x);
}
