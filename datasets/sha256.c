/* SHA-256 of a file through OpenSSL's EVP interface. */
#include "datasets.h"

#include <errno.h>
#include <openssl/evp.h>

static bool digest_stream(FILE *f, EVP_MD_CTX *ctx, unsigned char *md)
{
    unsigned char buf[1 << 16];
    size_t got;
    if (!EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
        return false;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        if (!EVP_DigestUpdate(ctx, buf, got))
            return false;
    return !ferror(f) && EVP_DigestFinal_ex(ctx, md, NULL);
}

bool dk_sha256_file(const char *path, char hex[65], dk_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return dk_fail_open(err, path, errno);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char md[32];
    bool ok = ctx && digest_stream(f, ctx, md);
    EVP_MD_CTX_free(ctx);
    fclose(f);
    if (!ok)
        return dk_fail(err, "%s: read error while computing its SHA-256", path);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return true;
}
