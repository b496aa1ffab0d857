/* report_file.c -- how every output file is written: atomically, and numbers exactly.
 *
 * Output files are written to "<path>.tmp.<pid>" in the destination's directory, flushed
 * and fsync'd, then renamed over the destination: rename within one directory is atomic,
 * so a reader (or a crash) sees the old file or the whole new one, never half of one.
 */
#include "report_file.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* ---- files ------------------------------------------------------------------------------- */

void rf_io_fail(cs_diag *diag, const char *path, int err)
{
    if (diag == NULL)
        return;
    *diag = (cs_diag){0};
    snprintf(diag->file, sizeof diag->file, "%s", path);
    snprintf(diag->msg, sizeof diag->msg, "%s", strerror(err));
}

/* mkdir -p for the directory part of `path` (nothing when it has none). Returns 0, or -1
 * with errno set. */
static int make_parents(const char *path)
{
    size_t len = strlen(path);
    char *dir = malloc(len + 1);
    if (dir == NULL) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(dir, path, len + 1);
    char *slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir) {   /* "file" or "/file": nothing to create */
        free(dir);
        return 0;
    }
    *slash = '\0';
    int rc = 0;
    for (char *p = dir + 1; rc == 0; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(dir, 0777) != 0) {
            struct stat st;
            int err = errno;
            /* An existing directory is fine; anything else in the way is the error. */
            if (err != EEXIST || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
                errno = err == EEXIST ? ENOTDIR : err;
                rc = -1;
            }
        }
        *p = c;
        if (c == '\0')
            break;
    }
    free(dir);
    return rc;
}

char *rf_temp_name(const char *path)
{
    size_t size = strlen(path) + 32;
    char *name = malloc(size);
    if (name == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    snprintf(name, size, "%s.tmp.%ld", path, (long)getpid());
    return name;
}

/* Opens "<path>.tmp.<pid>" for writing, creating parent directories. Returns the stream and
 * the temporary name in *tmp (malloc'd), or NULL with errno set. */
FILE *rf_open_temp(const char *path, char **tmp)
{
    *tmp = NULL;
    if (make_parents(path) != 0)
        return NULL;
    char *name = rf_temp_name(path);
    if (name == NULL)
        return NULL;
    FILE *f = fopen(name, "w");
    if (f == NULL) {
        free(name);
        return NULL;
    }
    setvbuf(f, NULL, _IOFBF, 1 << 16);   /* the writers put a number at a time */
    *tmp = name;
    return f;
}

/* The end of a commit: renames the synced tmp to path, unless err (an errno) says an earlier
 * step failed; on any failure removes tmp. Returns 0, or -1 with errno set. */
static int rename_or_remove(int err, const char *tmp, const char *path)
{
    if (err == 0 && rename(tmp, path) != 0)
        err = errno;
    if (err != 0)
        remove(tmp);
    errno = err;
    return err == 0 ? 0 : -1;
}

/* Flushes, syncs and closes f, then renames tmp to path. On failure the temporary file is
 * removed and errno says why. Frees tmp either way. Returns 0 or -1. */
int rf_commit_temp(FILE *f, char *tmp, const char *path)
{
    int err = 0;
    if (ferror(f))
        err = EIO;   /* an earlier buffered write failed; the stream does not keep its errno */
    if (fflush(f) != 0 && err == 0)
        err = errno;
    if (fsync(fileno(f)) != 0 && err == 0)
        err = errno;
    if (fclose(f) != 0 && err == 0)
        err = errno;
    int rc = rename_or_remove(err, tmp, path);
    err = errno;
    free(tmp);
    errno = err;
    return rc;
}

int rf_commit_name(const char *tmp, const char *path)
{
    int err = 0, fd = open(tmp, O_RDONLY);
    if (fd < 0) {
        err = errno;
    } else {
        if (fsync(fd) != 0)
            err = errno;
        close(fd);
    }
    return rename_or_remove(err, tmp, path);
}

void rf_discard_temp(FILE *f, char *tmp)
{
    fclose(f);
    remove(tmp);
    free(tmp);
}

FILE *rf_open(const char *path, char **tmp, cs_status *st, cs_diag *diag)
{
    FILE *f = rf_open_temp(path, tmp);
    *st = CS_OK;
    if (f == NULL) {
        int err = errno;
        *st = err == ENOMEM ? CS_ENOMEM : CS_EIO;
        if (err != ENOMEM)
            rf_io_fail(diag, path, err);
    }
    return f;
}

cs_status rf_commit(FILE *f, char *tmp, const char *path, cs_diag *diag)
{
    if (rf_commit_temp(f, tmp, path) != 0) {
        rf_io_fail(diag, path, errno);
        return CS_EIO;
    }
    return CS_OK;
}

cs_status rf_write_text(const char *path, const char *text, size_t len, bool newline, cs_diag *diag)
{
    char *tmp;
    cs_status st;
    FILE *f = rf_open(path, &tmp, &st, diag);
    if (f == NULL)
        return st;
    errno = 0;
    bool wrote = fwrite(text, 1, len, f) == len && (!newline || fputc('\n', f) != EOF);
    int err = errno;
    if (!wrote) {
        rf_discard_temp(f, tmp);
        rf_io_fail(diag, path, err != 0 ? err : EIO);
        return CS_EIO;
    }
    return rf_commit(f, tmp, path, diag);
}

void rf_put_real(FILE *f, double x, const char *not_finite)
{
    if (!isfinite(x)) {
        fputs(not_finite, f);
        return;
    }
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    fputs(buf, f);
}
