/* common.h -- what every module shares: status codes, the input diagnostic, time units,
 * and the assertion that stays on in release builds.
 *
 * Bad input is reported through a caller-owned cs_diag and CS_EINPUT; resource failures
 * through a cs_status; broken invariants (bugs) through CS_ASSERT, which aborts.
 */
#ifndef CLUSTERSIM_COMMON_H
#define CLUSTERSIM_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum cs_status {
    CS_OK = 0,
    CS_EINPUT = 1,   /* bad input: the cs_diag says where and what */
    CS_ENOMEM = 2,   /* an allocation failed */
    CS_EIO = 3,      /* a file could not be read or written: errno-style message in the diag */
} cs_status;

/* A diagnostic for bad input, filled by the loaders and printed by main as
 * "file:line:col: error: path: msg" and, when hint is not empty, a "note:" line. */
typedef struct cs_diag {
    char file[256];
    int line, col;   /* 1-based; 0 when the error is not tied to a place in a file */
    char path[256];  /* spec.cluster.nodePools[0].allocatable.cpu; manifest paths run long */
    char msg[256];   /* expected ..., found ... */
    char hint[256];  /* did you mean 'replicas'? (may be empty) */
} cs_diag;

/* Virtual time: nanoseconds since t = 0. */
typedef int64_t cs_time;
#define CS_NS ((cs_time)1)
#define CS_US ((cs_time)1000)
#define CS_MS ((cs_time)1000000)
#define CS_SECOND ((cs_time)1000000000)
#define CS_MINUTE (60 * CS_SECOND)
#define CS_HOUR (60 * CS_MINUTE)
#define CS_TIME_MAX INT64_MAX

/* Prints "file:line: assertion failed: expr" and aborts. Cheap checks stay on in release. */
#define CS_ASSERT(expr) ((expr) ? (void)0 : cs_assert_fail(__FILE__, __LINE__, #expr))
_Noreturn void cs_assert_fail(const char *file, int line, const char *expr);

/* Formats the diagnostic as the user sees it (one or two lines, each ending in '\n') into buf.
 * Returns buf. */
char *cs_diag_format(const cs_diag *d, char *buf, size_t size);

/* The version string, e.g. "0.1.0". */
const char *cs_version(void);

#endif
