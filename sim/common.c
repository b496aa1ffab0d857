/* common.c -- the assertion, the diagnostic's printed form and the version. */
#include "clustersim/common.h"

#include <stdio.h>
#include <stdlib.h>

void cs_assert_fail(const char *file, int line, const char *expr)
{
    fprintf(stderr, "%s:%d: assertion failed: %s\n", file, line, expr);
    fflush(stderr);
    abort();
}

char *cs_diag_format(const cs_diag *d, char *buf, size_t size)
{
    char where[300];
    if (d->line > 0)
        snprintf(where, sizeof where, "%s:%d:%d", d->file, d->line, d->col > 0 ? d->col : 1);
    else
        snprintf(where, sizeof where, "%s", d->file[0] ? d->file : "clustersim");
    int len = snprintf(buf, size, "%s: error: %s%s%s\n", where, d->path, d->path[0] ? ": " : "", d->msg);
    if (d->hint[0] != '\0' && len >= 0 && (size_t)len < size)
        snprintf(buf + len, size - (size_t)len, "%s: note: %s\n", where, d->hint);
    return buf;
}

const char *cs_version(void)
{
    return CS_VERSION;
}
