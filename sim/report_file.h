/* report_file.h -- what the report writers share (not public): atomic files, exact numbers.
 *
 * A file is written to "<path>.tmp.<pid>" next to its destination and renamed over it once
 * complete, so a reader never sees half a file and a failed run leaves nothing behind. Files
 * another program writes (gnuplot's images) follow the same naming: rf_temp_name() to write
 * them, rf_commit_name() to put them in place.
 */
#ifndef CLUSTERSIM_REPORT_FILE_H
#define CLUSTERSIM_REPORT_FILE_H

#include <stdio.h>

#include "clustersim/common.h"

/* Fills diag (which may be NULL) with file = path and msg = strerror(err). */
void rf_io_fail(cs_diag *diag, const char *path, int err);
/* The temporary name of path, "<path>.tmp.<pid>" (malloc'd), or NULL (errno ENOMEM). */
char *rf_temp_name(const char *path);
/* Opens "<path>.tmp.<pid>" for writing (fully buffered, 64 KiB), creating parent directories.
 * Returns the stream and the temporary name in *tmp (malloc'd), or NULL with errno set. */
FILE *rf_open_temp(const char *path, char **tmp);
/* Flushes, syncs and closes f, then renames tmp to path. On failure the temporary file is
 * removed and errno says why. Frees tmp either way. Returns 0 or -1. */
int rf_commit_temp(FILE *f, char *tmp, const char *path);
/* rf_commit_temp for a temporary file another program wrote and closed (gnuplot's images):
 * syncs tmp by name, then renames it to path. On failure tmp is removed and errno says why.
 * Borrows tmp. Returns 0 or -1. */
int rf_commit_name(const char *tmp, const char *path);
/* Closes f and removes the temporary file (the write is abandoned). Frees tmp. */
void rf_discard_temp(FILE *f, char *tmp);
/* rf_open_temp and rf_commit_temp with their failures as a status: *st is CS_OK, CS_ENOMEM,
 * or CS_EIO with diag (may be NULL) naming path and the reason. */
FILE *rf_open(const char *path, char **tmp, cs_status *st, cs_diag *diag);
cs_status rf_commit(FILE *f, char *tmp, const char *path, cs_diag *diag);
/* Writes text[0 .. len-1] (and a newline when asked) to path atomically. Returns CS_OK,
 * CS_ENOMEM, or CS_EIO with diag saying why (nothing is left behind). */
cs_status rf_write_text(const char *path, const char *text, size_t len, bool newline, cs_diag *diag);
/* Writes x as the shortest %.Ng (15 to 17 digits) that reads back as the same double, or
 * `not_finite` when it is NaN or infinite. */
void rf_put_real(FILE *f, double x, const char *not_finite);

#endif
