/* scenario.c -- scenario files (YAML) into a validated, immutable cs_config.
 *
 * libyaml's document API builds the node graph; aliases become shared nodes, so anchors
 * cost nothing here. The readers below then walk that graph along the schema, so the walk
 * is bounded by the schema's depth whatever the input, and each value is checked where it
 * is read. The first problem stops the walk: it goes into the caller's cs_diag with the
 * node's mark and the field path built on the way down (later errors are usually
 * consequences of the first, so there is no recovery).
 *
 * Names are resolved to ids as they are read (pools, then zones, then workloads), so the
 * timeline and the properties, which come later in the schema, refer to ids only.
 *
 * Ownership: everything the config keeps lives in its arena, the config struct included.
 * Lookup tables and sort buffers live in a scratch arena freed before returning; file
 * contents are cs_xmalloc'd and freed as soon as they are read. On failure both arenas go
 * and *out is never written.
 */
#include "clustersim/scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "clustersim/quantity.h"
#include "clustersim/series.h"
#include "manifest.h"
#include "pod_terms.h"
#include "yaml_doc.h"

#define API_VERSION "clustersim.io/v1alpha1"
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#define TRY(expr)                   \
    do {                            \
        cs_status try_ = (expr);    \
        if (try_ != CS_OK)          \
            return try_;            \
    } while (0)

enum {
    MAX_FILE_BYTES = 64 << 20,    /* scenario and sample files; beyond this is a mistake */
    MAX_POOL_NODES = 100000,
    MAX_NODES = 1000000,          /* the whole cluster: 200x upstream's tested 5000 nodes */
    MAX_REPLICAS = 1000000,
    MAX_REPLICATIONS = 1000000,
    MAX_SAMPLES = 100000,         /* time-series grid points */
    DEFAULT_REPLICATIONS = 10,
    DEFAULT_SEED = 1,
    DEFAULT_MAX_PODS = 110,       /* kubelet --max-pods */
    DEFAULT_STARTUP_S = 10,
    DEFAULT_NODE_MONITOR_GRACE_S = 50,   /* kube-controller-manager --node-monitor-grace-period */
    DEFAULT_TOLERATION_S = 300,   /* kube-apiserver --default-{not-ready,unreachable}-toleration-seconds */
    NAME_MAX_LEN = 63,            /* DNS-1123 label */
};

typedef struct loader {
    yd_doc yd;                    /* file as given, document, diag, first failure, field path */
    size_t dir_len;               /* of file's directory, with its '/': sample files are relative */
    const char *data;             /* the YAML text, for positions of reader errors */
    size_t len;
    cs_arena *arena;              /* the config's */
    cs_arena *tmp;                /* scratch: tables and sort buffers */
    cs_config *cfg;
    yd_names pools, zones, workloads, properties, services;
    const char **zone_names;      /* grows as zones are first mentioned */
    uint32_t *zone_mark;          /* per zone: the last pool that listed it, plus one */
    uint32_t zone_cap;
    bool extended_fields;         /* check_fields also accepts extended resource names */
} loader;

typedef struct choice {
    const char *name;
    int value;
} choice;

/* ---- the string -> id tables ------------------------------------------------------------ */

/* Adds a key that is not in the table yet; key must outlive the table. */
static cs_status names_put(loader *ld, yd_names *t, const char *key, uint32_t id)
{
    return yd_names_put(ld->tmp, t, key, id) ? CS_OK : yd_oom(&ld->yd);
}

/* ---- mappings --------------------------------------------------------------------------- */

static bool listed(const char *key, const char *const *known, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(key, known[i]) == 0)
            return true;
    return false;
}

/* Checks that every key of map is a scalar given once and, when known is not NULL, one of
 * the known fields (listed sorted). `context` names the field set in the hint ("for action
 * scale"); it may be NULL. Duplicates are found with a table, since label maps can be large. */
static cs_status check_fields(loader *ld, const yaml_node_t *map, const char *const *known, size_t n_known,
                              const char *context)
{
    yd_names seen = {0};
    size_t n = yd_n_pairs(map);
    /* With known fields, every earlier key is a distinct known one, so a scan is short; other
     * maps (labels) may be large and get a table. */
    bool table = known == NULL && n > 8;
    for (size_t i = 0; i < n; i++) {
        const yaml_node_t *k = yd_key_at(&ld->yd, map, i);
        const char *key = yd_text(k);
        if (key == NULL)
            return yd_fail_at(&ld->yd, k, "expected a field name, found %s", yd_describe(&ld->yd, k).s);
        size_t first = 0;
        if (table) {
            uint32_t line = yd_names_get(&seen, key);
            first = line != CS_NONE ? line : 0;
            TRY(names_put(ld, &seen, key, (uint32_t)(k->start_mark.line + 1)));
        } else {
            for (size_t j = 0; j < i && first == 0; j++)
                if (strcmp(yd_text(yd_key_at(&ld->yd, map, j)), key) == 0)
                    first = yd_key_at(&ld->yd, map, j)->start_mark.line + 1;
        }
        if (first != 0)
            return yd_fail_at(&ld->yd, k, "duplicate field '%s', first given at line %zu", key, first);
        if (known != NULL && !listed(key, known, n_known) && !(ld->extended_fields && cs_config_is_extended_name(key))) {
            char list[200];
            yd_join(list, sizeof list, known, n_known);
            const char *best = yd_closest(key, known, n_known);
            const char *space = context != NULL ? " " : "", *ctx = context != NULL ? context : "";
            yd_fail_at(&ld->yd, k, "unknown field '%s'", key);
            if (best != NULL)
                yd_hint(&ld->yd, "did you mean '%s'? known fields%s%s: %s", best, space, ctx, list);
            else
                yd_hint(&ld->yd, "known fields%s%s: %s", space, ctx, list);
            return CS_EINPUT;
        }
    }
    return CS_OK;
}

/* A mapping whose fields are among known. */
static cs_status need_fields(loader *ld, const yaml_node_t *n, const char *what, const char *const *known,
                             size_t n_known)
{
    TRY(yd_need_type(&ld->yd, n, YAML_MAPPING_NODE, what));
    return check_fields(ld, n, known, n_known, NULL);
}

/* The value of a field, or NULL when absent. */
static yaml_node_t *field(const loader *ld, const yaml_node_t *map, const char *key)
{
    for (size_t i = 0; i < yd_n_pairs(map); i++) {
        const char *k = yd_text(yd_key_at(&ld->yd, map, i));
        if (k != NULL && strcmp(k, key) == 0)
            return yd_value_at(&ld->yd, map, i);
    }
    return NULL;
}

/* An optional field: NULL when absent or null, as Kubernetes treats null as unset. */
static yaml_node_t *opt(const loader *ld, const yaml_node_t *map, const char *key)
{
    yaml_node_t *v = field(ld, map, key);
    return yd_is_null(v) ? NULL : v;
}

/* A required field; fails at the mapping when it is absent. */
static cs_status need(loader *ld, const yaml_node_t *map, const char *key, yaml_node_t **out)
{
    yaml_node_t *v = field(ld, map, key);
    if (v == NULL) {
        yd_path_key(&ld->yd, key);
        return yd_fail_at(&ld->yd, map, "missing required field '%s'", key);
    }
    *out = v;
    return CS_OK;
}

/* ---- scalars ---------------------------------------------------------------------------- */

/* A plain decimal integer in [lo, hi]: no sign, point, exponent or base prefix. */
static cs_status read_u64(loader *ld, const yaml_node_t *n, uint64_t lo, uint64_t hi, uint64_t *out)
{
    const char *s = yd_text(n);
    bool ok = s != NULL && s[0] != '\0';
    uint64_t v = 0;
    for (const char *p = s; ok && *p != '\0'; p++) {
        unsigned digit = (unsigned)(*p - '0');
        if (*p < '0' || *p > '9' || v > (UINT64_MAX - digit) / 10)
            ok = false;
        else
            v = 10 * v + digit;
    }
    if (!ok || v < lo || v > hi)
        return yd_fail_at(&ld->yd, n, "expected an integer between %" PRIu64 " and %" PRIu64 ", found %s", lo, hi,
                          yd_describe(&ld->yd, n).s);
    *out = v;
    return CS_OK;
}

static cs_status read_u32(loader *ld, const yaml_node_t *n, uint32_t lo, uint32_t hi, uint32_t *out)
{
    uint64_t v = 0;
    TRY(read_u64(ld, n, lo, hi, &v));
    *out = (uint32_t)v;
    return CS_OK;
}

/* A YAML 1.2 core-schema float or integer in decimal ("0.8", "-1", "1e-3"); no inf, nan or
 * hexadecimal, which strtod alone would accept. */
static bool parse_real(const char *s, double *out)
{
    const char *p = s;
    size_t digits = 0;
    if (*p == '+' || *p == '-')
        p++;
    for (; *p >= '0' && *p <= '9'; p++)
        digits++;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            digits++;
    if (digits == 0)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (*p < '0' || *p > '9')
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p != '\0')
        return false;
    double v = strtod(s, NULL);
    if (!isfinite(v))
        return false;
    *out = v;
    return true;
}

static cs_status read_real(loader *ld, const yaml_node_t *n, const char *what, double *out)
{
    const char *s = yd_text(n);
    if (s == NULL || !parse_real(s, out))
        return yd_fail_expected(&ld->yd, n, what);
    return CS_OK;
}

/* The message for `found`, which is not a duration in [lo, hi]: "expected <what>, found ...",
 * followed by the parser's reason (why, NULL when it parsed) after a colon. A magnitude
 * beyond int64 nanoseconds in a field that only they bound is told that range instead of
 * `what`, so "9999999999h" does not read as if it should be "> 0". */
static void duration_expected(char *buf, size_t size, const char *what, const char *why, cs_time lo, cs_time hi,
                              const char *found)
{
    if (why == cs_duration_why_range && hi == CS_TIME_MAX) {
        char a[32], b[32];
        snprintf(buf, size, "expected a duration between %s and %s (int64 nanoseconds, about 292 years), found %s",
                 cs_format_duration(lo, a, sizeof a), cs_format_duration(hi, b, sizeof b), found);
    } else {
        snprintf(buf, size, "expected %s, found %s%s%s", what, found, why != NULL ? ": " : "", why != NULL ? why : "");
    }
}

/* A Go duration in [lo, hi]; `what` says both the syntax and the range. */
static cs_status read_duration(loader *ld, const yaml_node_t *n, cs_time lo, cs_time hi, const char *what,
                               cs_time *out)
{
    const char *s = yd_text(n), *why = NULL;
    cs_time v = 0;
    if (s == NULL || !cs_parse_duration(s, &v, &why) || v < lo || v > hi) {
        char msg[256];
        duration_expected(msg, sizeof msg, what, why, lo, hi, yd_describe(&ld->yd, n).s);
        return yd_fail_at(&ld->yd, n, "%s", msg);
    }
    *out = v;
    return CS_OK;
}

/* A Kubernetes quantity, as thousandths (milli) or whole units, >= lo. Bad syntax says
 * `what`; a value out of range says `range`. */
static cs_status read_quantity(loader *ld, const yaml_node_t *n, bool milli, int64_t lo, const char *what,
                               const char *range, int64_t *out)
{
    const char *s = yd_text(n);
    int64_t v = 0;
    bool ok = s != NULL && (milli ? cs_parse_quantity_milli(s, &v, NULL) : cs_parse_quantity_value(s, &v, NULL));
    if (!ok)
        return yd_fail_expected(&ld->yd, n, what);
    if (v < lo)
        return yd_fail_expected(&ld->yd, n, range);
    *out = v;
    return CS_OK;
}

static bool dns_label(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > NAME_MAX_LEN || s[0] == '-' || s[len - 1] == '-')
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

/* A name as Kubernetes names objects: a DNS-1123 label, [a-z0-9]([-a-z0-9]*[a-z0-9])?. */
static cs_status read_name(loader *ld, const yaml_node_t *n, const char **out)
{
    const char *s = yd_text(n);
    if (s == NULL || yd_is_null(n) || !dns_label(s))
        return yd_fail_expected(&ld->yd, n,
                                "a name of lowercase letters, digits and '-' that starts and ends with a letter "
                                "or digit (a DNS-1123 label, at most 63 characters)");
    char *copy = cs_arena_strdup(ld->arena, s);
    if (copy == NULL)
        return yd_oom(&ld->yd);
    *out = copy;
    return CS_OK;
}

/* A zone name, as a Kubernetes label value: ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9], at
 * most 63 characters. */
static bool zone_name(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > NAME_MAX_LEN)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && ((i == 0 || i == len - 1) || (c != '-' && c != '_' && c != '.')))
            return false;
    }
    return true;
}

/* One of a fixed set of words (listed sorted by name). */
static cs_status read_choice(loader *ld, const yaml_node_t *n, const choice *choices, size_t count, int *out)
{
    const char *s = yd_text(n);
    for (size_t i = 0; s != NULL && i < count; i++)
        if (strcmp(s, choices[i].name) == 0) {
            *out = choices[i].value;
            return CS_OK;
        }
    const char *list[16] = {0};
    size_t m = count < COUNT_OF(list) ? count : COUNT_OF(list);
    for (size_t i = 0; i < m; i++)
        list[i] = choices[i].name;
    char joined[200];
    yd_join(joined, sizeof joined, list, m);
    yd_fail_at(&ld->yd, n, "expected %s%s, found %s", m > 1 ? "one of " : "", joined, yd_describe(&ld->yd, n).s);
    const char *best = yd_closest(s, list, m);
    if (best != NULL)
        yd_hint(&ld->yd, "did you mean '%s'?", best);
    return CS_EINPUT;
}

typedef const char *name_of_fn(const cs_config *cfg, uint32_t id);

static const char *pool_name_of(const cs_config *cfg, uint32_t id)
{
    return cfg->pools[id].name;
}

static const char *workload_name_of(const cs_config *cfg, uint32_t id)
{
    return cfg->workloads[id].name;
}

static const char *service_name_of(const cs_config *cfg, uint32_t id)
{
    return cfg->services[id].name;
}

static const char *zone_name_of(const cs_config *cfg, uint32_t id)
{
    return cfg->zones[id];
}

/* A name among the `count` defined, resolved through table to its id. Only a failure lists
 * the names (sorted, from name_of), so a scenario with many references stays linear. */
static cs_status read_ref(loader *ld, const yaml_node_t *n, const yd_names *table, name_of_fn *name_of,
                          uint32_t count, const char *kind, uint32_t *out)
{
    const char *s = yd_text(n);
    uint32_t id = yd_names_get(table, s);
    if (id != CS_NONE) {
        *out = id;
        return CS_OK;
    }
    if (count == 0)
        return yd_fail_at(&ld->yd, n, "expected the name of a %s, found %s, but the scenario defines no %s", kind,
                          yd_describe(&ld->yd, n).s, kind);
    const char **sorted = cs_arena_calloc(ld->tmp, count, sizeof *sorted);
    if (sorted == NULL)
        return yd_oom(&ld->yd);
    for (uint32_t i = 0; i < count; i++)
        sorted[i] = name_of(ld->cfg, i);
    qsort(sorted, count, sizeof *sorted, yd_by_name);
    char list[200];
    yd_join(list, sizeof list, sorted, count);
    yd_fail_at(&ld->yd, n, "expected one of %s, found %s", list, yd_describe(&ld->yd, n).s);
    const char *best = count <= 1000 ? yd_closest(s, sorted, count) : NULL;
    if (best != NULL)
        yd_hint(&ld->yd, "did you mean '%s'?", best);
    return CS_EINPUT;
}

/* ---- files ------------------------------------------------------------------------------ */

/* Reads a whole file into a new cs_xmalloc'd, NUL-terminated buffer. With regular_only,
 * anything but a regular file is refused (*err = -1), so a scenario cannot make the loader
 * block on a FIFO or read a device for ever. Returns CS_OK, CS_ENOMEM, or CS_EIO with an
 * errno value in *err. */
static cs_status read_all(const char *path, bool regular_only, char **out, size_t *out_len, int *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | (regular_only ? O_NONBLOCK : 0));
    if (fd < 0) {
        *err = errno;
        return CS_EIO;
    }
    struct stat st;
    cs_status status = CS_EIO;
    char *buf = NULL;
    size_t len = 0, cap = 4096;
    if (fstat(fd, &st) != 0) {
        *err = errno;
        goto done;
    }
    if (S_ISDIR(st.st_mode) || (regular_only && !S_ISREG(st.st_mode))) {
        *err = S_ISDIR(st.st_mode) ? EISDIR : -1;
        goto done;
    }
    if (S_ISREG(st.st_mode) && st.st_size >= 0 && (uintmax_t)st.st_size < MAX_FILE_BYTES)
        cap = (size_t)st.st_size + 1;
    for (;;) {
        if (buf == NULL || len + 1 == cap) {
            size_t want = buf == NULL ? cap : 2 * cap;
            if (want > (size_t)MAX_FILE_BYTES + 1) {
                *err = EFBIG;
                goto done;
            }
            char *grown = cs_xrealloc(buf, want);
            if (grown == NULL) {
                status = CS_ENOMEM;
                goto done;
            }
            buf = grown;
            cap = want;
        }
        ssize_t r = read(fd, buf + len, cap - 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            *err = errno;
            goto done;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    buf = NULL;
    status = CS_OK;
done:
    free(buf);
    close(fd);
    return status;
}

static const char *io_reason(int err)
{
    return err < 0 ? "not a regular file" : strerror(err);
}

/* ---- distributions ---------------------------------------------------------------------- */

static const choice dist_kinds[] = {
    {"constant", CS_DIST_CONSTANT}, {"empirical", CS_DIST_EMPIRICAL}, {"exponential", CS_DIST_EXPONENTIAL},
    {"gamma", CS_DIST_GAMMA},       {"lognormal", CS_DIST_LOGNORMAL}, {"normal", CS_DIST_NORMAL},
    {"uniform", CS_DIST_UNIFORM},   {"weibull", CS_DIST_WEIBULL},
};

#define DIST_WHAT "a duration such as 20s or a distribution such as {exponential: {mean: 20s}}"
#define DIST_DURATION "a duration >= 0 such as 20s"

static double seconds(cs_time t)
{
    return (double)t / 1e9;
}

/* Back from seconds, for messages only; saturates rather than overflow. */
static cs_time nanoseconds(double s)
{
    return s * 1e9 >= 9.2e18 ? CS_TIME_MAX : (cs_time)llround(s * 1e9);
}

/* A required duration parameter, in seconds. */
static cs_status dist_seconds(loader *ld, const yaml_node_t *map, const char *key, double *out)
{
    yaml_node_t *v = NULL;
    TRY(need(ld, map, key, &v));
    size_t m = yd_path_key(&ld->yd, key);
    cs_time t = 0;
    TRY(read_duration(ld, v, 0, CS_TIME_MAX, DIST_DURATION, &t));
    yd_path_pop(&ld->yd, m);
    *out = seconds(t);
    return CS_OK;
}

/* A required plain-number parameter. */
static cs_status dist_number(loader *ld, const yaml_node_t *map, const char *key, double *out)
{
    yaml_node_t *v = NULL;
    TRY(need(ld, map, key, &v));
    size_t m = yd_path_key(&ld->yd, key);
    TRY(read_real(ld, v, "a number such as 1.5", out));
    yd_path_pop(&ld->yd, m);
    return CS_OK;
}

static cs_status read_lognormal(loader *ld, const yaml_node_t *v, cs_dist *d)
{
    static const char *const known[] = {"median", "mu", "p99", "sigma"};
    TRY(need_fields(ld, v, "a mapping such as {median: 30m, p99: 4h} or {mu: 7.5, sigma: 0.8}", known,
                    COUNT_OF(known)));
    bool by_median = field(ld, v, "median") != NULL || field(ld, v, "p99") != NULL;
    bool by_mu = field(ld, v, "mu") != NULL || field(ld, v, "sigma") != NULL;
    if (by_median && by_mu)
        return yd_fail_at(&ld->yd, v, "expected either median and p99, or mu and sigma, found both");
    if (by_mu) {
        d->kind = CS_DIST_LOGNORMAL;
        TRY(dist_number(ld, v, "mu", &d->p1));
        return dist_number(ld, v, "sigma", &d->p2);
    }
    double median, p99;
    TRY(dist_seconds(ld, v, "median", &median));
    TRY(dist_seconds(ld, v, "p99", &p99));
    if (!(median > 0)) {
        yd_path_key(&ld->yd, "median");
        return yd_fail_expected(&ld->yd, field(ld, v, "median"), "a duration > 0 such as 30m");
    }
    if (!(p99 > median) || !cs_dist_lognormal_median_p99(median, p99, d)) {
        char buf[64];
        yaml_node_t *n = field(ld, v, "p99");
        yd_path_key(&ld->yd, "p99");
        return yd_fail_at(&ld->yd, n, "expected a duration greater than the median (%s), found %s",
                          cs_format_duration(nanoseconds(median), buf, sizeof buf), yd_describe(&ld->yd, n).s);
    }
    return CS_OK;
}

/* Reads one duration per line of a sample file (blank lines and # comments skipped) into
 * the config's arena. Errors point into the sample file. */
static cs_status parse_samples(loader *ld, const yaml_node_t *n, const char *path, const char *buf, size_t len,
                               cs_dist *d)
{
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    double *xs = cs_arena_calloc(ld->arena, lines, sizeof *xs);
    if (xs == NULL)
        return yd_oom(&ld->yd);
    size_t count = 0, line = 0;
    for (size_t i = 0; i < len;) {
        size_t end = i;
        while (end < len && buf[end] != '\n')
            end++;
        line++;
        size_t a = i, b = end;
        const char *hash = memchr(buf + a, '#', b - a);
        if (hash != NULL)
            b = (size_t)(hash - buf);
        while (a < b && (buf[a] == ' ' || buf[a] == '\t' || buf[a] == '\r'))
            a++;
        while (b > a && (buf[b - 1] == ' ' || buf[b - 1] == '\t' || buf[b - 1] == '\r'))
            b--;
        if (b > a) {
            char token[64];
            cs_time t = -1;
            const char *why = NULL;
            bool ok = b - a < sizeof token && memchr(buf + a, '\0', b - a) == NULL;
            if (ok) {
                memcpy(token, buf + a, b - a);
                token[b - a] = '\0';
                ok = cs_parse_duration(token, &t, &why) && t >= 0;
            }
            if (!ok) {
                char msg[256];
                duration_expected(msg, sizeof msg, DIST_DURATION, why, 0, CS_TIME_MAX,
                                  yd_quote(buf + a, b - a, true).s);
                return yd_fail_in(&ld->yd, path, line, a - i + 1, "%s", msg);
            }
            xs[count++] = seconds(t);
        }
        i = end + 1;
    }
    if (count == 0)
        return yd_fail_at(&ld->yd, n, "expected a file with at least one duration, found none in \"%s\"", path);
    d->samples = xs;
    d->n = count;
    return CS_OK;
}

static cs_status read_samples_file(loader *ld, const yaml_node_t *n, cs_dist *d)
{
    const char *name = yd_text(n);
    if (name == NULL || name[0] == '\0' || yd_is_null(n))
        return yd_fail_expected(&ld->yd, n, "a file name such as startup-times.txt");
    size_t dir = name[0] == '/' ? 0 : ld->dir_len, len = strlen(name);
    char *path = cs_arena_alloc(ld->tmp, dir + len + 1);
    if (path == NULL)
        return yd_oom(&ld->yd);
    memcpy(path, ld->yd.file, dir);
    memcpy(path + dir, name, len + 1);
    char *buf = NULL;
    size_t size = 0;
    int err = 0;
    cs_status st = read_all(path, true, &buf, &size, &err);
    if (st == CS_ENOMEM)
        return yd_oom(&ld->yd);
    if (st != CS_OK)
        return yd_fail_at(&ld->yd, n, "cannot read \"%s\": %s", path, io_reason(err));
    st = parse_samples(ld, n, path, buf, size, d);
    free(buf);
    return st;
}

static cs_status read_empirical(loader *ld, const yaml_node_t *v, cs_dist *d)
{
    static const char *const known[] = {"file", "samples"};
    TRY(need_fields(ld, v, "a mapping such as {samples: [10s, 12s, 30s]} or {file: startup-times.txt}", known,
                    COUNT_OF(known)));
    yaml_node_t *samples = field(ld, v, "samples"), *file = field(ld, v, "file");
    d->kind = CS_DIST_EMPIRICAL;
    if (samples != NULL && file != NULL)
        return yd_fail_at(&ld->yd, v, "expected either samples or file, found both");
    if (file != NULL) {
        size_t m = yd_path_key(&ld->yd, "file");
        TRY(read_samples_file(ld, file, d));
        yd_path_pop(&ld->yd, m);
        return CS_OK;
    }
    size_t m = yd_path_key(&ld->yd, "samples");
    if (samples == NULL)
        return yd_fail_at(&ld->yd, v, "missing required field 'samples' (or 'file')");
    if (samples->type != YAML_SEQUENCE_NODE || yd_n_items(samples) == 0)
        return yd_fail_expected(&ld->yd, samples, "a non-empty sequence of durations such as [10s, 12s, 30s]");
    size_t n = yd_n_items(samples);
    double *xs = cs_arena_calloc(ld->arena, n, sizeof *xs);
    if (xs == NULL)
        return yd_oom(&ld->yd);
    for (size_t i = 0; i < n; i++) {
        size_t mi = yd_path_index(&ld->yd, i);
        cs_time t = 0;
        TRY(read_duration(ld, yd_item_at(&ld->yd, samples, i), 0, CS_TIME_MAX, DIST_DURATION, &t));
        xs[i] = seconds(t);
        yd_path_pop(&ld->yd, mi);
    }
    yd_path_pop(&ld->yd, m);
    d->samples = xs;
    d->n = n;
    return CS_OK;
}

/* Parameters of a kind given as {a: .., b: ..}, both required. */
static cs_status read_pair(loader *ld, const yaml_node_t *v, const char *what, const char *a, bool a_time,
                           const char *b, bool b_time, cs_dist *d)
{
    const char *known[2] = {a, b};
    if (strcmp(a, b) > 0) {
        known[0] = b;
        known[1] = a;
    }
    TRY(need_fields(ld, v, what, known, 2));
    TRY(a_time ? dist_seconds(ld, v, a, &d->p1) : dist_number(ld, v, a, &d->p1));
    return b_time ? dist_seconds(ld, v, b, &d->p2) : dist_number(ld, v, b, &d->p2);
}

/* A distribution of durations in seconds: a scalar duration (a constant) or a mapping with
 * exactly one key, the kind, whose value holds the parameters. */
static cs_status read_dist(loader *ld, const yaml_node_t *n, cs_dist *out)
{
    cs_dist d = {.kind = CS_DIST_CONSTANT};
    if (n->type == YAML_SCALAR_NODE && !yd_is_null(n)) {
        cs_time t = 0;
        TRY(read_duration(ld, n, 0, CS_TIME_MAX, DIST_WHAT, &t));
        d.p1 = seconds(t);
        *out = d;
        return CS_OK;
    }
    if (n->type != YAML_MAPPING_NODE || yd_n_pairs(n) == 0)
        return yd_fail_expected(&ld->yd, n, DIST_WHAT);
    TRY(check_fields(ld, n, NULL, 0, NULL));
    if (yd_n_pairs(n) > 1) {
        yaml_node_t *second = yd_key_at(&ld->yd, n, 1);
        return yd_fail_at(&ld->yd, second, "expected a single distribution kind, found a second one, %s",
                          yd_describe(&ld->yd, second).s);
    }
    int kind = 0;
    TRY(read_choice(ld, yd_key_at(&ld->yd, n, 0), dist_kinds, COUNT_OF(dist_kinds), &kind));
    const yaml_node_t *v = yd_value_at(&ld->yd, n, 0);
    size_t m = yd_path_key(&ld->yd, yd_text(yd_key_at(&ld->yd, n, 0)));
    d.kind = (cs_dist_kind)kind;
    switch (d.kind) {
    case CS_DIST_CONSTANT: {
        cs_time t = 0;
        TRY(read_duration(ld, v, 0, CS_TIME_MAX, DIST_DURATION, &t));
        d.p1 = seconds(t);
        break;
    }
    case CS_DIST_UNIFORM:
        TRY(read_pair(ld, v, "a mapping such as {min: 1s, max: 5s}", "min", true, "max", true, &d));
        if (d.p2 < d.p1) {
            char buf[64];
            yaml_node_t *max = field(ld, v, "max");
            yd_path_key(&ld->yd, "max");
            return yd_fail_at(&ld->yd, max, "expected a duration >= min (%s), found %s",
                              cs_format_duration(nanoseconds(d.p1), buf, sizeof buf), yd_describe(&ld->yd, max).s);
        }
        break;
    case CS_DIST_EXPONENTIAL: {
        static const char *const known[] = {"mean"};
        TRY(need_fields(ld, v, "a mapping such as {mean: 720h}", known, 1));
        TRY(dist_seconds(ld, v, "mean", &d.p1));
        break;
    }
    case CS_DIST_NORMAL:
        TRY(read_pair(ld, v, "a mapping such as {mean: 20s, stddev: 5s}", "mean", true, "stddev", true, &d));
        break;
    case CS_DIST_LOGNORMAL:
        TRY(read_lognormal(ld, v, &d));
        break;
    case CS_DIST_GAMMA:
        TRY(read_pair(ld, v, "a mapping such as {shape: 2, scale: 10s}", "shape", false, "scale", true, &d));
        break;
    case CS_DIST_WEIBULL:
        TRY(read_pair(ld, v, "a mapping such as {shape: 1.5, scale: 100h}", "shape", false, "scale", true, &d));
        break;
    case CS_DIST_EMPIRICAL:
        TRY(read_empirical(ld, v, &d));
        break;
    }
    const char *why = cs_dist_check(&d);
    if (why != NULL)
        return yd_fail_at(&ld->yd, v, "%s", why);
    yd_path_pop(&ld->yd, m);
    *out = d;
    return CS_OK;
}

/* ---- the cluster ------------------------------------------------------------------------ */

static cs_status read_labels(loader *ld, const yaml_node_t *n, const cs_label **out, uint32_t *count)
{
    TRY(yd_need_type(&ld->yd, n, YAML_MAPPING_NODE, "a mapping of label keys to values such as {app: web}"));
    TRY(check_fields(ld, n, NULL, 0, NULL));
    size_t len = yd_n_pairs(n);
    cs_label *labels = cs_arena_calloc(ld->arena, len, sizeof *labels);
    if (labels == NULL && len > 0)
        return yd_oom(&ld->yd);
    for (size_t i = 0; i < len; i++) {
        TRY(yd_read_string(&ld->yd, ld->arena, yd_key_at(&ld->yd, n, i), "a label key", false, &labels[i].key));
        size_t m = yd_path_key(&ld->yd, labels[i].key);
        TRY(yd_read_string(&ld->yd, ld->arena, yd_value_at(&ld->yd, n, i), "a label value (a string)", true,
                           &labels[i].value));
        yd_path_pop(&ld->yd, m);
    }
    *out = labels;
    *count = (uint32_t)len;
    return CS_OK;
}

static const choice taint_effects[] = {
    {"NoExecute", CS_TAINT_NO_EXECUTE},
    {"NoSchedule", CS_TAINT_NO_SCHEDULE},
    {"PreferNoSchedule", CS_TAINT_PREFER_NO_SCHEDULE},
};

static cs_status read_taints(loader *ld, const yaml_node_t *n, cs_node_pool *pool)
{
    static const char *const known[] = {"effect", "key", "value"};
    TRY(yd_need_type(&ld->yd, n, YAML_SEQUENCE_NODE, "a sequence of taints such as [{key: k, effect: NoSchedule}]"));
    size_t len = yd_n_items(n);
    cs_taint *taints = cs_arena_calloc(ld->arena, len, sizeof *taints);
    if (taints == NULL && len > 0)
        return yd_oom(&ld->yd);
    for (size_t i = 0; i < len; i++) {
        size_t m = yd_path_index(&ld->yd, i);
        const yaml_node_t *t = yd_item_at(&ld->yd, n, i);
        yaml_node_t *v = NULL;
        TRY(need_fields(ld, t, "a taint such as {key: dedicated, value: batch, effect: NoSchedule}", known,
                        COUNT_OF(known)));
        TRY(need(ld, t, "key", &v));
        size_t mk = yd_path_key(&ld->yd, "key");
        TRY(yd_read_string(&ld->yd, ld->arena, v, "a taint key", false, &taints[i].key));
        yd_path_pop(&ld->yd, mk);
        taints[i].value = "";
        if ((v = opt(ld, t, "value")) != NULL) {
            mk = yd_path_key(&ld->yd, "value");
            TRY(yd_read_string(&ld->yd, ld->arena, v, "a taint value (a string)", true, &taints[i].value));
            yd_path_pop(&ld->yd, mk);
        }
        TRY(need(ld, t, "effect", &v));
        mk = yd_path_key(&ld->yd, "effect");
        int effect = 0;
        TRY(read_choice(ld, v, taint_effects, COUNT_OF(taint_effects), &effect));
        taints[i].effect = (cs_taint_effect)effect;
        yd_path_pop(&ld->yd, mk);
        yd_path_pop(&ld->yd, m);
    }
    pool->taints = taints;
    pool->n_taints = (uint32_t)len;
    return CS_OK;
}

/* Zone ids are global, in order of first mention across pools. A zone listed twice in one
 * pool is found through zone_mark (the last pool, plus one, that listed each zone), so a long
 * list costs no quadratic scan. */
static cs_status read_zones(loader *ld, const yaml_node_t *n, uint32_t pool_id)
{
    cs_config *cfg = ld->cfg;
    cs_node_pool *pool = (cs_node_pool *)&cfg->pools[pool_id];
    if (n->type != YAML_SEQUENCE_NODE || yd_n_items(n) == 0)
        return yd_fail_expected(&ld->yd, n, "a non-empty sequence of zone names such as [zone-a, zone-b]");
    size_t len = yd_n_items(n);
    uint32_t *ids = cs_arena_calloc(ld->arena, len, sizeof *ids);
    if (ids == NULL)
        return yd_oom(&ld->yd);
    for (size_t i = 0; i < len; i++) {
        size_t m = yd_path_index(&ld->yd, i);
        const yaml_node_t *z = yd_item_at(&ld->yd, n, i);
        const char *s = yd_text(z);
        if (s == NULL || yd_is_null(z) || !zone_name(s))
            return yd_fail_expected(&ld->yd, z,
                                    "a zone name of letters, digits, '-', '_' and '.' that starts and ends with a "
                                    "letter or digit (at most 63 characters)");
        uint32_t id = yd_names_get(&ld->zones, s);
        if (id == CS_NONE) {
            if (cfg->n_zones == ld->zone_cap) {
                uint32_t cap = ld->zone_cap == 0 ? 8 : 2 * ld->zone_cap;
                const char **names = cs_arena_calloc(ld->arena, cap, sizeof *names);
                uint32_t *marks = cs_arena_calloc(ld->tmp, cap, sizeof *marks);
                if (names == NULL || marks == NULL)
                    return yd_oom(&ld->yd);
                if (cfg->n_zones > 0) {
                    memcpy(names, ld->zone_names, cfg->n_zones * sizeof *names);
                    memcpy(marks, ld->zone_mark, cfg->n_zones * sizeof *marks);
                }
                ld->zone_names = names;
                ld->zone_mark = marks;
                ld->zone_cap = cap;
                cfg->zones = names;
            }
            char *copy = cs_arena_strdup(ld->arena, s);
            if (copy == NULL)
                return yd_oom(&ld->yd);
            id = cfg->n_zones++;
            ld->zone_names[id] = copy;
            TRY(names_put(ld, &ld->zones, copy, id));
        } else if (ld->zone_mark[id] == pool_id + 1) {
            return yd_fail_at(&ld->yd, z, "expected a zone not listed before in this pool, found %s again",
                              yd_describe(&ld->yd, z).s);
        }
        ld->zone_mark[id] = pool_id + 1;
        ids[i] = id;
        yd_path_pop(&ld->yd, m);
    }
    pool->zones = ids;
    pool->n_zones = (uint32_t)len;
    return CS_OK;
}

/* need_fields() for a ResourceList: the known names, plus any extended resource name. */
static cs_status need_resource_fields(loader *ld, const yaml_node_t *n, const char *what, const char *const *known,
                                      size_t n_known)
{
    ld->extended_fields = true;
    cs_status st = need_fields(ld, n, what, known, n_known);
    ld->extended_fields = false;
    return st;
}

/* The extended resources of a ResourceList (nvidia.com/gpu: 2): whole numbers >= 0, as the API
 * server's validation requires of them (pkg/apis/core/validation ValidateResourceQuantityValue
 * with IsIntegerResourceName); each name gets a config-wide id on first mention. */
static cs_status read_extended(loader *ld, const yaml_node_t *n, cs_resources *r)
{
    for (size_t i = 0; i < yd_n_pairs(n); i++) {
        const char *key = yd_text(yd_key_at(&ld->yd, n, i));
        if (!cs_config_is_extended_name(key))
            continue;
        size_t m = yd_path_key(&ld->yd, key);
        const yaml_node_t *v = yd_value_at(&ld->yd, n, i);
        int64_t milli = 0;
        const char *s = yd_text(v);
        if (s == NULL || !cs_parse_quantity_milli(s, &milli, NULL) || milli < 0 || milli % 1000 != 0)
            return yd_fail_expected(&ld->yd, v, "a whole number >= 0 (an extended resource), such as 1");
        uint32_t id = 0;
        cs_status st = cs_config_extended_id(ld->cfg, key, &id);
        if (st == CS_ENOMEM)
            return yd_oom(&ld->yd);
        if (st != CS_OK)
            return yd_fail_at(&ld->yd, yd_key_at(&ld->yd, n, i),
                              "expected at most %d distinct extended resources in a scenario, found '%s' as one more",
                              CS_MAX_EXTENDED, key);
        r->ext[id] = milli / 1000;
        yd_path_pop(&ld->yd, m);
    }
    return CS_OK;
}

static cs_status read_allocatable(loader *ld, const yaml_node_t *n, cs_resources *r)
{
    static const char *const known[] = {"cpu", "ephemeral-storage", "memory", "pods"};
    TRY(need_resource_fields(ld, n, "a mapping such as {cpu: \"4\", memory: 16Gi}", known, COUNT_OF(known)));
    TRY(read_extended(ld, n, r));
    yaml_node_t *v = NULL;
    size_t m;
    TRY(need(ld, n, "cpu", &v));
    m = yd_path_key(&ld->yd, "cpu");
    TRY(read_quantity(ld, v, true, 1, "a CPU quantity such as 500m or 2", "a CPU quantity > 0", &r->cpu_milli));
    yd_path_pop(&ld->yd, m);
    TRY(need(ld, n, "memory", &v));
    m = yd_path_key(&ld->yd, "memory");
    TRY(read_quantity(ld, v, false, 1, "a memory quantity such as 512Mi or 16Gi", "a memory quantity > 0",
                      &r->mem_bytes));
    yd_path_pop(&ld->yd, m);
    if ((v = opt(ld, n, "ephemeral-storage")) != NULL) {
        m = yd_path_key(&ld->yd, "ephemeral-storage");
        TRY(read_quantity(ld, v, false, 0, "a storage quantity such as 100Gi", "a storage quantity >= 0",
                          &r->ephemeral_bytes));
        yd_path_pop(&ld->yd, m);
    }
    r->pods = DEFAULT_MAX_PODS;
    if ((v = opt(ld, n, "pods")) != NULL) {
        m = yd_path_key(&ld->yd, "pods");
        TRY(read_quantity(ld, v, false, 1, "a pod count such as 110", "a pod count > 0", &r->pods));
        yd_path_pop(&ld->yd, m);
    }
    return CS_OK;
}

/* failures.replace: the machine is deleted and a fresh node joins after provisioningTime. */
static cs_status read_replace(loader *ld, const yaml_node_t *n, cs_node_pool *pool)
{
    static const char *const known[] = {"provisioningTime"};
    TRY(need_fields(ld, n, "a mapping with provisioningTime", known, COUNT_OF(known)));
    yaml_node_t *v = NULL;
    TRY(need(ld, n, "provisioningTime", &v));
    size_t m = yd_path_key(&ld->yd, "provisioningTime");
    TRY(read_dist(ld, v, &pool->provisioning_time));
    yd_path_pop(&ld->yd, m);
    pool->replace = true;
    return CS_OK;
}

/* failures.correlated: every `interval`, `count` running nodes of the pool fail at once. */
static cs_status read_correlated(loader *ld, const yaml_node_t *n, cs_node_pool *pool)
{
    static const char *const known[] = {"count", "interval"};
    TRY(need_fields(ld, n, "a mapping with interval and count", known, COUNT_OF(known)));
    yaml_node_t *v = NULL;
    TRY(need(ld, n, "interval", &v));
    size_t m = yd_path_key(&ld->yd, "interval");
    TRY(read_dist(ld, v, &pool->correlated_interval));
    yd_path_pop(&ld->yd, m);
    TRY(need(ld, n, "count", &v));
    m = yd_path_key(&ld->yd, "count");
    TRY(yd_read_int_or_percent(&ld->yd, v, pool->count, 100, &pool->correlated_count));
    yd_path_pop(&ld->yd, m);
    pool->correlated = true;
    return CS_OK;
}

static cs_status read_failures(loader *ld, const yaml_node_t *n, cs_node_pool *pool)
{
    static const char *const known[] = {"correlated", "replace", "timeToFailure", "timeToRepair"};
    TRY(need_fields(ld, n, "a mapping with timeToFailure and timeToRepair", known, COUNT_OF(known)));
    yaml_node_t *v = NULL;
    size_t m;
    if ((v = opt(ld, n, "correlated")) != NULL) {
        m = yd_path_key(&ld->yd, "correlated");
        TRY(read_correlated(ld, v, pool));
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "replace")) != NULL) {
        m = yd_path_key(&ld->yd, "replace");
        TRY(read_replace(ld, v, pool));
        yd_path_pop(&ld->yd, m);
    }
    if (!pool->correlated || opt(ld, n, "timeToFailure") != NULL) {
        TRY(need(ld, n, "timeToFailure", &v));
        m = yd_path_key(&ld->yd, "timeToFailure");
        TRY(read_dist(ld, v, &pool->time_to_failure));
        yd_path_pop(&ld->yd, m);
        pool->fails = true;
    }
    if ((v = opt(ld, n, "timeToRepair")) != NULL && pool->replace) {
        yd_path_key(&ld->yd, "timeToRepair");
        return yd_fail_at(&ld->yd, v, "expected either timeToRepair or replace, found both");
    }
    if (!pool->replace) {
        TRY(need(ld, n, "timeToRepair", &v));
        m = yd_path_key(&ld->yd, "timeToRepair");
        TRY(read_dist(ld, v, &pool->time_to_repair));
        yd_path_pop(&ld->yd, m);
    }
    return CS_OK;
}

/* Fails when name is already in table; first_line is where it was first used. */
static cs_status check_unique(loader *ld, const yaml_node_t *n, const yd_names *table, const char *name,
                              const char *kind, int first_line)
{
    if (yd_names_get(table, name) == CS_NONE)
        return CS_OK;
    return yd_fail_at(&ld->yd, n, "expected a %s name not used before, found %s, already used at line %d", kind,
                      yd_describe(&ld->yd, n).s, first_line);
}

static cs_status read_pool(loader *ld, const yaml_node_t *n, uint32_t id)
{
    static const char *const known[] = {"allocatable", "count", "failures", "labels", "name", "taints", "zones"};
    cs_config *cfg = ld->cfg;
    cs_node_pool *pool = (cs_node_pool *)&cfg->pools[id];
    TRY(need_fields(ld, n, "a node pool such as {name: general, count: 3, allocatable: {cpu: \"4\", memory: 16Gi}}",
                    known, COUNT_OF(known)));
    pool->line = yd_to_int(n->start_mark.line + 1);
    yaml_node_t *v = NULL;
    size_t m;
    TRY(need(ld, n, "name", &v));
    m = yd_path_key(&ld->yd, "name");
    TRY(read_name(ld, v, &pool->name));
    uint32_t other = yd_names_get(&ld->pools, pool->name);
    TRY(check_unique(ld, v, &ld->pools, pool->name, "node pool", other != CS_NONE ? cfg->pools[other].line : 0));
    TRY(names_put(ld, &ld->pools, pool->name, id));
    yd_path_pop(&ld->yd, m);

    TRY(need(ld, n, "count", &v));
    m = yd_path_key(&ld->yd, "count");
    TRY(read_u32(ld, v, 1, MAX_POOL_NODES, &pool->count));
    if (pool->count > MAX_NODES - cfg->n_nodes)
        return yd_fail_at(&ld->yd, v, "expected at most %d nodes in the cluster, found %" PRIu32 " with this pool",
                          MAX_NODES, cfg->n_nodes + pool->count);
    pool->first_node = cfg->n_nodes;
    cfg->n_nodes += pool->count;
    yd_path_pop(&ld->yd, m);

    if ((v = opt(ld, n, "zones")) != NULL) {
        m = yd_path_key(&ld->yd, "zones");
        TRY(read_zones(ld, v, id));
        yd_path_pop(&ld->yd, m);
    }
    TRY(need(ld, n, "allocatable", &v));
    m = yd_path_key(&ld->yd, "allocatable");
    TRY(read_allocatable(ld, v, &pool->allocatable));
    yd_path_pop(&ld->yd, m);
    if ((v = opt(ld, n, "labels")) != NULL) {
        m = yd_path_key(&ld->yd, "labels");
        TRY(read_labels(ld, v, &pool->labels, &pool->n_labels));
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "taints")) != NULL) {
        m = yd_path_key(&ld->yd, "taints");
        TRY(read_taints(ld, v, pool));
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "failures")) != NULL) {
        m = yd_path_key(&ld->yd, "failures");
        TRY(read_failures(ld, v, pool));
        yd_path_pop(&ld->yd, m);
    }
    return CS_OK;
}

/* The node lifecycle's settings, named after the upstream flags they stand for. */
static cs_status read_lifecycle(loader *ld, const yaml_node_t *n)
{
    cs_config *cfg = ld->cfg;
    yaml_node_t *v = NULL;
    size_t m;
    if ((v = opt(ld, n, "nodeMonitorGracePeriod")) != NULL) {
        m = yd_path_key(&ld->yd, "nodeMonitorGracePeriod");
        TRY(read_duration(ld, v, 0, CS_TIME_MAX, "a duration >= 0 such as 50s", &cfg->node_monitor_grace));
        yd_path_pop(&ld->yd, m);
    }
    static const struct {
        const char *key;
        size_t offset;
    } secs[] = {{"defaultNotReadyTolerationSeconds", offsetof(cs_config, not_ready_toleration_s)},
                {"defaultUnreachableTolerationSeconds", offsetof(cs_config, unreachable_toleration_s)}};
    for (size_t i = 0; i < COUNT_OF(secs); i++) {
        if ((v = opt(ld, n, secs[i].key)) == NULL)
            continue;
        m = yd_path_key(&ld->yd, secs[i].key);
        uint64_t x = 0;
        TRY(read_u64(ld, v, 0, (uint64_t)(CS_TIME_MAX / CS_SECOND), &x));
        *(int64_t *)((char *)cfg + secs[i].offset) = (int64_t)x;
        yd_path_pop(&ld->yd, m);
    }
    static const struct {
        const char *key, *what;
        double hi;
        size_t offset;
    } reals[] = {{"nodeEvictionRate", "a rate >= 0 in nodes per second such as 0.1", 1e9,
                  offsetof(cs_config, node_eviction_rate)},
                 {"secondaryNodeEvictionRate", "a rate >= 0 in nodes per second such as 0.01", 1e9,
                  offsetof(cs_config, secondary_node_eviction_rate)},
                 {"unhealthyZoneThreshold", "a fraction between 0 and 1 such as 0.55", 1,
                  offsetof(cs_config, unhealthy_zone_threshold)}};
    for (size_t i = 0; i < COUNT_OF(reals); i++) {
        if ((v = opt(ld, n, reals[i].key)) == NULL)
            continue;
        m = yd_path_key(&ld->yd, reals[i].key);
        double x;
        TRY(read_real(ld, v, reals[i].what, &x));
        if (!(x >= 0 && x <= reals[i].hi))
            return yd_fail_expected(&ld->yd, v, reals[i].what);
        *(double *)((char *)cfg + reals[i].offset) = x;
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "largeClusterSizeThreshold")) != NULL) {
        m = yd_path_key(&ld->yd, "largeClusterSizeThreshold");
        TRY(read_u32(ld, v, 0, UINT32_MAX, &cfg->large_cluster_threshold));
        yd_path_pop(&ld->yd, m);
    }
    return CS_OK;
}

static cs_status read_cluster(loader *ld, const yaml_node_t *n)
{
    static const char *const known[] = {"defaultNotReadyTolerationSeconds", "defaultUnreachableTolerationSeconds",
                                        "largeClusterSizeThreshold",        "nodeEvictionRate",
                                        "nodeMonitorGracePeriod",           "nodePools",
                                        "secondaryNodeEvictionRate",        "unhealthyZoneThreshold"};
    TRY(need_fields(ld, n, "a mapping with nodePools", known, COUNT_OF(known)));
    TRY(read_lifecycle(ld, n));
    yaml_node_t *v = NULL;
    TRY(need(ld, n, "nodePools", &v));
    size_t m = yd_path_key(&ld->yd, "nodePools");
    /* Empty only when spec.include brings Node objects; read_spec checks that at its end. */
    if (v->type != YAML_SEQUENCE_NODE)
        return yd_fail_expected(&ld->yd, v, "a non-empty sequence of node pools");
    size_t len = yd_n_items(v);
    if (len == 0) {
        yd_path_pop(&ld->yd, m);
        return CS_OK;
    }
    cs_node_pool *pools = cs_arena_calloc(ld->arena, len, sizeof *pools);
    if (pools == NULL)
        return yd_oom(&ld->yd);
    ld->cfg->pools = pools;
    for (size_t i = 0; i < len; i++) {
        size_t mi = yd_path_index(&ld->yd, i);
        TRY(read_pool(ld, yd_item_at(&ld->yd, v, i), (uint32_t)i));
        ld->cfg->n_pools = (uint32_t)i + 1;
        yd_path_pop(&ld->yd, mi);
    }
    yd_path_pop(&ld->yd, m);
    return CS_OK;
}

/* ---- workloads -------------------------------------------------------------------------- */

static cs_status read_requests(loader *ld, const yaml_node_t *n, cs_resources *r)
{
    static const char *const known[] = {"cpu", "ephemeral-storage", "memory"};
    static const struct {
        const char *key;
        bool milli;
        const char *what, *range;
        size_t offset;
    } fields[] = {
        {"cpu", true, "a CPU quantity such as 500m or 2", "a CPU quantity >= 0", offsetof(cs_resources, cpu_milli)},
        {"memory", false, "a memory quantity such as 512Mi or 16Gi", "a memory quantity >= 0",
         offsetof(cs_resources, mem_bytes)},
        {"ephemeral-storage", false, "a storage quantity such as 1Gi", "a storage quantity >= 0",
         offsetof(cs_resources, ephemeral_bytes)},
    };
    TRY(need_resource_fields(ld, n, "a mapping such as {cpu: 500m, memory: 1Gi}", known, COUNT_OF(known)));
    TRY(read_extended(ld, n, r));
    for (size_t i = 0; i < COUNT_OF(fields); i++) {
        yaml_node_t *v = opt(ld, n, fields[i].key);
        if (v == NULL)
            continue;
        size_t m = yd_path_key(&ld->yd, fields[i].key);
        int64_t q = 0;
        TRY(read_quantity(ld, v, fields[i].milli, 0, fields[i].what, fields[i].range, &q));
        memcpy((char *)r + fields[i].offset, &q, sizeof q);
        yd_path_pop(&ld->yd, m);
    }
    return CS_OK;
}

/* ---- the pod template's scheduling fields ----------------------------------------------- */

/* A plain decimal integer with an optional '-', in [lo, hi]. */
static cs_status read_i64(loader *ld, const yaml_node_t *n, int64_t lo, int64_t hi, int64_t *out)
{
    const char *s = yd_is_null(n) ? NULL : yd_text(n);
    bool ok = s != NULL, neg = ok && s[0] == '-';
    const char *p = ok ? s + neg : "";
    uint64_t v = 0;
    ok = ok && *p != '\0';
    for (; ok && *p != '\0'; p++) {
        unsigned digit = (unsigned)(*p - '0');
        if (*p < '0' || *p > '9' || v > (UINT64_MAX - digit) / 10)
            ok = false;
        else
            v = 10 * v + digit;
    }
    int64_t x = 0;
    if (ok && neg && v <= (uint64_t)INT64_MAX + 1)
        x = v == 0 ? 0 : -(int64_t)(v - 1) - 1;
    else if (ok && !neg && v <= (uint64_t)INT64_MAX)
        x = (int64_t)v;
    else
        ok = false;
    if (!ok || x < lo || x > hi)
        return yd_fail_at(&ld->yd, n, "expected an integer between %" PRId64 " and %" PRId64 ", found %s", lo, hi,
                          yd_describe(&ld->yd, n).s);
    *out = x;
    return CS_OK;
}

/* strconv.ParseInt(s, 10, 64), as labels.NewRequirement checks a Gt or Lt value. */
static bool go_int64(const char *s)
{
    bool neg = *s == '-';
    if (*s == '+' || *s == '-')
        s++;
    if (*s == '\0')
        return false;
    uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; *s != '\0'; s++) {
        unsigned digit = (unsigned)(*s - '0');
        if (*s < '0' || *s > '9' || v > (limit - digit) / 10)
            return false;
        v = 10 * v + digit;
    }
    return true;
}

static const choice selector_ops[] = {
    {"DoesNotExist", CS_OP_DOES_NOT_EXIST}, {"Exists", CS_OP_EXISTS}, {"Gt", CS_OP_GT},
    {"In", CS_OP_IN},                       {"Lt", CS_OP_LT},         {"NotIn", CS_OP_NOT_IN},
};
static const choice field_ops[] = {{"In", CS_OP_IN}, {"NotIn", CS_OP_NOT_IN}};

/* A NodeSelectorRequirement, checked as pkg/apis/core/validation validateNodeSelectorRequirement
 * and validateNodeFieldSelectorRequirement do, and as labels.NewRequirement parses Gt and Lt
 * (a value that is not an integer would make the term match nothing upstream; here it is an
 * error). */
static cs_status read_requirement(loader *ld, const yaml_node_t *n, bool fields, cs_requirement *q)
{
    static const char *const known[] = {"key", "operator", "values"};
    TRY(need_fields(ld, n,
                    fields ? "a field requirement such as {key: metadata.name, operator: In, values: [general-0]}"
                           : "a requirement such as {key: disktype, operator: In, values: [ssd]}",
                    known, COUNT_OF(known)));
    yaml_node_t *v = NULL;
    TRY(need(ld, n, "key", &v));
    size_t m = yd_path_key(&ld->yd, "key");
    TRY(yd_read_string(&ld->yd, ld->arena, v, "a label key", false, &q->key));
    if (fields && strcmp(q->key, "metadata.name") != 0)
        return yd_fail_expected(&ld->yd, v, "metadata.name (the only field matchFields supports)");
    yd_path_pop(&ld->yd, m);
    TRY(need(ld, n, "operator", &v));
    m = yd_path_key(&ld->yd, "operator");
    int op = 0;
    if (fields)
        TRY(read_choice(ld, v, field_ops, COUNT_OF(field_ops), &op));
    else
        TRY(read_choice(ld, v, selector_ops, COUNT_OF(selector_ops), &op));
    q->op = (cs_selector_op)op;
    yd_path_pop(&ld->yd, m);
    yaml_node_t *vals = opt(ld, n, "values");
    m = yd_path_key(&ld->yd, "values");
    size_t count = 0;
    if (vals != NULL) {
        TRY(yd_need_type(&ld->yd, vals, YAML_SEQUENCE_NODE, "a sequence of values such as [ssd]"));
        count = yd_n_items(vals);
        const char **out = cs_arena_calloc(ld->arena, count, sizeof *out);
        if (out == NULL && count > 0)
            return yd_oom(&ld->yd);
        for (size_t i = 0; i < count; i++) {
            size_t mi = yd_path_index(&ld->yd, i);
            const yaml_node_t *item = yd_item_at(&ld->yd, vals, i);
            TRY(yd_read_string(&ld->yd, ld->arena, item, "a value (a string)", true, &out[i]));
            if ((q->op == CS_OP_GT || q->op == CS_OP_LT) && !go_int64(out[i]))
                return yd_fail_expected(&ld->yd, item,
                                        "an integer such as 3 (Gt and Lt compare a label as an integer)");
            yd_path_pop(&ld->yd, mi);
        }
        q->values = out;
        q->n_values = (uint32_t)count;
    }
    const yaml_node_t *at = vals != NULL ? vals : n;
    if (fields && count != 1)
        return yd_fail_at(&ld->yd, at, "expected a single value in matchFields, found %zu", count);
    if ((q->op == CS_OP_IN || q->op == CS_OP_NOT_IN) && count == 0)
        return yd_fail_at(&ld->yd, at, "expected at least one value with operator In or NotIn, found %s",
                          yd_describe(&ld->yd, vals).s);
    if ((q->op == CS_OP_EXISTS || q->op == CS_OP_DOES_NOT_EXIST) && count != 0)
        return yd_fail_at(&ld->yd, at, "expected no values with operator Exists or DoesNotExist, found %s",
                          yd_describe(&ld->yd, vals).s);
    if ((q->op == CS_OP_GT || q->op == CS_OP_LT) && count != 1)
        return yd_fail_at(&ld->yd, at, "expected a single value with operator Gt or Lt, found %s",
                          yd_describe(&ld->yd, vals).s);
    yd_path_pop(&ld->yd, m);
    return CS_OK;
}

static cs_status read_requirements(loader *ld, const yaml_node_t *n, bool fields, const cs_requirement **out,
                                   uint32_t *count)
{
    TRY(yd_need_type(&ld->yd, n, YAML_SEQUENCE_NODE, "a sequence of requirements"));
    size_t len = yd_n_items(n);
    cs_requirement *qs = cs_arena_calloc(ld->arena, len, sizeof *qs);
    if (qs == NULL && len > 0)
        return yd_oom(&ld->yd);
    for (size_t i = 0; i < len; i++) {
        size_t m = yd_path_index(&ld->yd, i);
        TRY(read_requirement(ld, yd_item_at(&ld->yd, n, i), fields, &qs[i]));
        yd_path_pop(&ld->yd, m);
    }
    *out = qs;
    *count = (uint32_t)len;
    return CS_OK;
}

/* A NodeSelectorTerm; one with no requirements is accepted and matches no node, as upstream. */
static cs_status read_term(loader *ld, const yaml_node_t *n, cs_node_selector_term *t)
{
    static const char *const known[] = {"matchExpressions", "matchFields"};
    TRY(need_fields(ld, n, "a node selector term such as {matchExpressions: [{key: k, operator: Exists}]}",
                    known, COUNT_OF(known)));
    yaml_node_t *v = NULL;
    if ((v = opt(ld, n, "matchExpressions")) != NULL) {
        size_t m = yd_path_key(&ld->yd, "matchExpressions");
        TRY(read_requirements(ld, v, false, &t->match_expressions, &t->n_match_expressions));
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "matchFields")) != NULL) {
        size_t m = yd_path_key(&ld->yd, "matchFields");
        TRY(read_requirements(ld, v, true, &t->match_fields, &t->n_match_fields));
        yd_path_pop(&ld->yd, m);
    }
    return CS_OK;
}

static cs_status read_required(loader *ld, const yaml_node_t *n, cs_workload *wl)
{
    static const char *const known[] = {"nodeSelectorTerms"};
    TRY(need_fields(ld, n, "a mapping with nodeSelectorTerms", known, COUNT_OF(known)));
    yaml_node_t *terms = NULL;
    TRY(need(ld, n, "nodeSelectorTerms", &terms));
    size_t m = yd_path_key(&ld->yd, "nodeSelectorTerms");
    if (terms->type != YAML_SEQUENCE_NODE || yd_n_items(terms) == 0)
        return yd_fail_expected(&ld->yd, terms, "a non-empty sequence of node selector terms");
    size_t len = yd_n_items(terms);
    cs_node_selector_term *ts = cs_arena_calloc(ld->arena, len, sizeof *ts);
    if (ts == NULL)
        return yd_oom(&ld->yd);
    for (size_t i = 0; i < len; i++) {
        size_t mi = yd_path_index(&ld->yd, i);
        TRY(read_term(ld, yd_item_at(&ld->yd, terms, i), &ts[i]));
        yd_path_pop(&ld->yd, mi);
    }
    wl->required_terms = ts;
    wl->n_required_terms = (uint32_t)len;
    yd_path_pop(&ld->yd, m);
    return CS_OK;
}

static cs_status read_preferred(loader *ld, const yaml_node_t *n, cs_workload *wl)
{
    static const char *const known[] = {"preference", "weight"};
    TRY(yd_need_type(&ld->yd, n, YAML_SEQUENCE_NODE,
                     "a sequence of preferred terms such as [{weight: 1, preference: {...}}]"));
    size_t len = yd_n_items(n);
    cs_preferred_term *ps = cs_arena_calloc(ld->arena, len, sizeof *ps);
    if (ps == NULL && len > 0)
        return yd_oom(&ld->yd);
    for (size_t i = 0; i < len; i++) {
        size_t mi = yd_path_index(&ld->yd, i);
        const yaml_node_t *p = yd_item_at(&ld->yd, n, i);
        TRY(need_fields(ld, p, "a preferred term such as {weight: 1, preference: {matchExpressions: [...]}}", known,
                        COUNT_OF(known)));
        yaml_node_t *v = NULL;
        TRY(need(ld, p, "weight", &v));
        size_t m = yd_path_key(&ld->yd, "weight");
        int64_t weight = 0;
        TRY(read_i64(ld, v, 1, 100, &weight));
        ps[i].weight = (int32_t)weight;
        yd_path_pop(&ld->yd, m);
        TRY(need(ld, p, "preference", &v));
        m = yd_path_key(&ld->yd, "preference");
        TRY(read_term(ld, v, &ps[i].term));
        yd_path_pop(&ld->yd, m);
        yd_path_pop(&ld->yd, mi);
    }
    wl->preferred_terms = ps;
    wl->n_preferred_terms = (uint32_t)len;
    return CS_OK;
}

static cs_status read_affinity(loader *ld, const yaml_node_t *n, cs_workload *wl)
{
    static const char *const known[] = {"nodeAffinity", "podAffinity", "podAntiAffinity"};
    static const char *const na_known[] = {"preferredDuringSchedulingIgnoredDuringExecution",
                                           "requiredDuringSchedulingIgnoredDuringExecution"};
    TRY(need_fields(ld, n, "a mapping with nodeAffinity, podAffinity or podAntiAffinity", known, COUNT_OF(known)));
    pt_reader pt = {&ld->yd, ld->arena, true};
    for (int anti = 0; anti < 2; anti++) {
        yaml_node_t *pa = opt(ld, n, known[1 + anti]);
        if (pa == NULL)
            continue;
        size_t k = yd_path_key(&ld->yd, known[1 + anti]);
        TRY(pt_read_pod_affinity(&pt, pa, anti == 1, wl));
        yd_path_pop(&ld->yd, k);
    }
    yaml_node_t *na = opt(ld, n, "nodeAffinity");
    if (na == NULL)
        return CS_OK;
    size_t m = yd_path_key(&ld->yd, "nodeAffinity");
    TRY(need_fields(ld, na, "a mapping with requiredDuringSchedulingIgnoredDuringExecution or "
                            "preferredDuringSchedulingIgnoredDuringExecution",
                    na_known, COUNT_OF(na_known)));
    yaml_node_t *v = NULL;
    if ((v = opt(ld, na, "requiredDuringSchedulingIgnoredDuringExecution")) != NULL) {
        size_t k = yd_path_key(&ld->yd, "requiredDuringSchedulingIgnoredDuringExecution");
        TRY(read_required(ld, v, wl));
        yd_path_pop(&ld->yd, k);
    }
    if ((v = opt(ld, na, "preferredDuringSchedulingIgnoredDuringExecution")) != NULL) {
        size_t k = yd_path_key(&ld->yd, "preferredDuringSchedulingIgnoredDuringExecution");
        TRY(read_preferred(ld, v, wl));
        yd_path_pop(&ld->yd, k);
    }
    yd_path_pop(&ld->yd, m);
    return CS_OK;
}

static const choice toleration_ops[] = {{"Equal", CS_TOL_EQUAL}, {"Exists", CS_TOL_EXISTS}};

/* Tolerations, checked as pkg/apis/core/validation ValidateTolerations does: an empty key needs
 * Exists, Exists takes no value, tolerationSeconds only with effect NoExecute. */
static cs_status read_tolerations(loader *ld, const yaml_node_t *n, cs_workload *wl)
{
    static const char *const known[] = {"effect", "key", "operator", "tolerationSeconds", "value"};
    TRY(yd_need_type(&ld->yd, n, YAML_SEQUENCE_NODE, "a sequence of tolerations such as [{key: k, operator: Exists}]"));
    size_t len = yd_n_items(n);
    cs_toleration *ts = cs_arena_calloc(ld->arena, len, sizeof *ts);
    if (ts == NULL && len > 0)
        return yd_oom(&ld->yd);
    for (size_t i = 0; i < len; i++) {
        size_t mi = yd_path_index(&ld->yd, i);
        const yaml_node_t *t = yd_item_at(&ld->yd, n, i);
        cs_toleration *o = &ts[i];
        TRY(need_fields(ld, t, "a toleration such as {key: dedicated, operator: Equal, value: batch}", known,
                        COUNT_OF(known)));
        *o = (cs_toleration){.key = "", .op = CS_TOL_EQUAL, .value = "", .any_effect = true};
        yaml_node_t *v = NULL;
        size_t m;
        if ((v = opt(ld, t, "key")) != NULL) {
            m = yd_path_key(&ld->yd, "key");
            TRY(yd_read_string(&ld->yd, ld->arena, v, "a taint key (a string)", true, &o->key));
            yd_path_pop(&ld->yd, m);
        }
        if ((v = opt(ld, t, "operator")) != NULL) {
            m = yd_path_key(&ld->yd, "operator");
            int op = 0;
            TRY(read_choice(ld, v, toleration_ops, COUNT_OF(toleration_ops), &op));
            o->op = (cs_toleration_op)op;
            yd_path_pop(&ld->yd, m);
        }
        if ((v = opt(ld, t, "value")) != NULL) {
            m = yd_path_key(&ld->yd, "value");
            TRY(yd_read_string(&ld->yd, ld->arena, v, "a taint value (a string)", true, &o->value));
            if (o->op == CS_TOL_EXISTS && o->value[0] != '\0')
                return yd_fail_at(&ld->yd, v, "expected no value with operator Exists, found %s",
                                  yd_describe(&ld->yd, v).s);
            yd_path_pop(&ld->yd, m);
        }
        if (o->key[0] == '\0' && o->op != CS_TOL_EXISTS) {
            yd_path_key(&ld->yd, "operator");
            return yd_fail_at(&ld->yd, t, "expected operator Exists with an empty key (a toleration of every taint), "
                                          "found Equal");
        }
        if ((v = opt(ld, t, "effect")) != NULL) {
            m = yd_path_key(&ld->yd, "effect");
            int effect = 0;
            TRY(read_choice(ld, v, taint_effects, COUNT_OF(taint_effects), &effect));
            o->effect = (cs_taint_effect)effect;
            o->any_effect = false;
            yd_path_pop(&ld->yd, m);
        }
        if ((v = opt(ld, t, "tolerationSeconds")) != NULL) {
            m = yd_path_key(&ld->yd, "tolerationSeconds");
            if (o->any_effect || o->effect != CS_TAINT_NO_EXECUTE)
                return yd_fail_at(&ld->yd, v, "expected tolerationSeconds only with effect NoExecute, found %s",
                                  yd_describe(&ld->yd, v).s);
            TRY(read_i64(ld, v, INT64_MIN, INT64_MAX, &o->seconds));
            o->has_seconds = true;
            yd_path_pop(&ld->yd, m);
        }
        yd_path_pop(&ld->yd, mi);
    }
    wl->tolerations = ts;
    wl->n_tolerations = (uint32_t)len;
    return CS_OK;
}

/* The scheduling fields of a workload's pod template, in the PodSpec's own shape. */
static cs_status read_scheduling(loader *ld, const yaml_node_t *n, cs_workload *wl)
{
    yaml_node_t *v = NULL;
    size_t m;
    if ((v = opt(ld, n, "nodeSelector")) != NULL) {
        m = yd_path_key(&ld->yd, "nodeSelector");
        TRY(read_labels(ld, v, &wl->node_selector, &wl->n_node_selector));
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "affinity")) != NULL) {
        m = yd_path_key(&ld->yd, "affinity");
        TRY(read_affinity(ld, v, wl));
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "tolerations")) != NULL) {
        m = yd_path_key(&ld->yd, "tolerations");
        TRY(read_tolerations(ld, v, wl));
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "preemptionPolicy")) != NULL) {
        static const choice policies[] = {{"Never", 1}, {"PreemptLowerPriority", 0}};
        m = yd_path_key(&ld->yd, "preemptionPolicy");
        int never = 0;
        TRY(read_choice(ld, v, policies, COUNT_OF(policies), &never));
        wl->preempt_never = never == 1;
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "nodeName")) != NULL) {
        m = yd_path_key(&ld->yd, "nodeName");
        TRY(yd_read_string(&ld->yd, ld->arena, v, "a node name such as general-0", false, &wl->node_name));
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "topologySpreadConstraints")) != NULL) {
        m = yd_path_key(&ld->yd, "topologySpreadConstraints");
        pt_reader pt = {&ld->yd, ld->arena, true};
        TRY(pt_read_spread(&pt, v, wl));
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "priority")) != NULL) {
        m = yd_path_key(&ld->yd, "priority");
        int64_t p = 0;
        TRY(read_i64(ld, v, INT32_MIN, INT32_MAX, &p));
        wl->priority = (int32_t)p;
        yd_path_pop(&ld->yd, m);
    }
    return CS_OK;
}

static const choice eviction_policies[] = {{"AlwaysAllow", 1}, {"IfHealthyBudget", 0}};

/* A workload's disruptionBudget: a PodDisruptionBudget named after it that selects its pods,
 * with the policy/v1 spec fields (minAvailable or maxUnavailable, unhealthyPodEvictionPolicy). */
static cs_status read_disruption_budget(loader *ld, const yaml_node_t *n, uint32_t workload)
{
    static const char *const known[] = {"maxUnavailable", "minAvailable", "unhealthyPodEvictionPolicy"};
    cs_config *cfg = ld->cfg;
    TRY(need_fields(ld, n, "a mapping such as {minAvailable: 2} or {maxUnavailable: 25%}", known, COUNT_OF(known)));
    cs_pdb *pdb = (cs_pdb *)&cfg->pdbs[cfg->n_pdbs];
    *pdb = (cs_pdb){.name = cfg->workloads[workload].name, .workload = workload,
                    .line = yd_to_int(n->start_mark.line + 1)};
    yaml_node_t *min = opt(ld, n, "minAvailable"), *max = opt(ld, n, "maxUnavailable"), *v;
    if (min != NULL && max != NULL) {
        yd_path_key(&ld->yd, "maxUnavailable");
        return yd_fail_at(&ld->yd, max, "expected either minAvailable or maxUnavailable, found both");
    }
    const char *key = min != NULL ? "minAvailable" : "maxUnavailable";
    if ((v = min != NULL ? min : max) != NULL) {
        size_t m = yd_path_key(&ld->yd, key);
        TRY(yd_read_int_or_percent(&ld->yd, v, INT32_MAX, 100, &pdb->value));
        yd_path_pop(&ld->yd, m);
        pdb->has_min_available = min != NULL;
        pdb->has_max_unavailable = max != NULL;
    }
    if ((v = opt(ld, n, "unhealthyPodEvictionPolicy")) != NULL) {
        size_t m = yd_path_key(&ld->yd, "unhealthyPodEvictionPolicy");
        int always = 0;
        TRY(read_choice(ld, v, eviction_policies, COUNT_OF(eviction_policies), &always));
        pdb->always_allow = always != 0;
        yd_path_pop(&ld->yd, m);
    }
    cfg->n_pdbs++;
    return CS_OK;
}

/* An optional integer field in [lo, hi] into *out (left as it is when absent). */
static cs_status opt_i32(loader *ld, const yaml_node_t *map, const char *key, int64_t lo, int64_t hi, int32_t *out)
{
    yaml_node_t *v = opt(ld, map, key);
    if (v == NULL)
        return CS_OK;
    size_t m = yd_path_key(&ld->yd, key);
    int64_t x = 0;
    TRY(read_i64(ld, v, lo, hi, &x));
    *out = (int32_t)x;
    yd_path_pop(&ld->yd, m);
    return CS_OK;
}

/* An optional `image`, a non-empty string. */
static cs_status opt_image(loader *ld, const yaml_node_t *map, const char **out)
{
    yaml_node_t *v = opt(ld, map, "image");
    if (v == NULL)
        return CS_OK;
    size_t m = yd_path_key(&ld->yd, "image");
    TRY(yd_read_string(&ld->yd, ld->arena, v, "an image name (a string)", false, out));
    yd_path_pop(&ld->yd, m);
    return CS_OK;
}

/* An optional `resources: {requests: ...}`: the requests given overwrite those in *r. */
static cs_status opt_resources(loader *ld, const yaml_node_t *map, cs_resources *r)
{
    static const char *const res_known[] = {"requests"};
    yaml_node_t *v = opt(ld, map, "resources");
    if (v == NULL)
        return CS_OK;
    size_t m = yd_path_key(&ld->yd, "resources");
    TRY(need_fields(ld, v, "a mapping such as {requests: {cpu: 500m, memory: 1Gi}}", res_known, 1));
    yaml_node_t *req = opt(ld, v, "requests");
    if (req != NULL) {
        size_t mr = yd_path_key(&ld->yd, "requests");
        TRY(read_requests(ld, req, r));
        yd_path_pop(&ld->yd, mr);
    }
    yd_path_pop(&ld->yd, m);
    return CS_OK;
}

/* An optional distribution field. */
static cs_status opt_dist(loader *ld, const yaml_node_t *map, const char *key, bool *has, cs_dist *out)
{
    yaml_node_t *v = opt(ld, map, key);
    if (v == NULL)
        return CS_OK;
    size_t m = yd_path_key(&ld->yd, key);
    TRY(read_dist(ld, v, out));
    *has = true;
    yd_path_pop(&ld->yd, m);
    return CS_OK;
}

static const choice deploy_strategies[] = {{"Recreate", CS_DEPLOY_RECREATE},
                                           {"RollingUpdate", CS_DEPLOY_ROLLING_UPDATE}};

/* strategy: {type, rollingUpdate: {maxSurge, maxUnavailable}}, checked as
 * pkg/apis/apps/validation ValidateDeploymentStrategy does: rollingUpdate only with
 * RollingUpdate, maxUnavailable at most 100%, and not both 0. */
static cs_status read_strategy(loader *ld, const yaml_node_t *n, cs_deploy_spec *d)
{
    static const char *const known[] = {"rollingUpdate", "type"};
    static const char *const ru_known[] = {"maxSurge", "maxUnavailable"};
    TRY(need_fields(ld, n, "a mapping such as {type: RollingUpdate, rollingUpdate: {maxSurge: 25%}}", known,
                    COUNT_OF(known)));
    yaml_node_t *v;
    size_t m;
    if ((v = opt(ld, n, "type")) != NULL) {
        int t = 0;
        m = yd_path_key(&ld->yd, "type");
        TRY(read_choice(ld, v, deploy_strategies, COUNT_OF(deploy_strategies), &t));
        d->strategy = (cs_deploy_strategy)t;
        yd_path_pop(&ld->yd, m);
    }
    yaml_node_t *ru = opt(ld, n, "rollingUpdate");
    if (ru == NULL)
        return CS_OK;
    m = yd_path_key(&ld->yd, "rollingUpdate");
    if (d->strategy != CS_DEPLOY_ROLLING_UPDATE)
        return yd_fail_at(&ld->yd, ru, "expected no rollingUpdate with type Recreate, found %s",
                          yd_describe(&ld->yd, ru).s);
    TRY(need_fields(ld, ru, "a mapping such as {maxSurge: 25%, maxUnavailable: 0}", ru_known, COUNT_OF(ru_known)));
    if ((v = opt(ld, ru, "maxSurge")) != NULL) {
        size_t k = yd_path_key(&ld->yd, "maxSurge");
        TRY(yd_read_int_or_percent(&ld->yd, v, MAX_REPLICAS, MAX_REPLICAS, &d->max_surge));
        yd_path_pop(&ld->yd, k);
    }
    if ((v = opt(ld, ru, "maxUnavailable")) != NULL) {
        size_t k = yd_path_key(&ld->yd, "maxUnavailable");
        TRY(yd_read_int_or_percent(&ld->yd, v, MAX_REPLICAS, 100, &d->max_unavailable));
        if (d->max_surge.value == 0 && d->max_unavailable.value == 0)
            return yd_fail_at(&ld->yd, v, "expected maxUnavailable > 0 when maxSurge is 0, found %s",
                              yd_describe(&ld->yd, v).s);
        yd_path_pop(&ld->yd, k);
    } else if (d->max_surge.value == 0 && d->max_unavailable.value == 0) {
        return yd_fail_at(&ld->yd, ru, "expected maxUnavailable > 0 when maxSurge is 0");
    }
    yd_path_pop(&ld->yd, m);
    return CS_OK;
}

/* readinessProbe.failures: {every, lasting}, both distributions, a clustersim extension (the
 * health endpoint's own outages, which probes then observe). `every` needs a mean > 0: with
 * only zero draws, failures would follow each other without time passing. */
static cs_status read_probe_failures(loader *ld, const yaml_node_t *n, cs_probe *p)
{
    static const char *const known[] = {"every", "lasting"};
    size_t m = yd_path_key(&ld->yd, "failures");
    TRY(need_fields(ld, n, "a mapping such as {every: {exponential: {mean: 1h}}, lasting: 1m}", known,
                    COUNT_OF(known)));
    yaml_node_t *v;
    TRY(need(ld, n, "every", &v));
    TRY(need(ld, n, "lasting", &v));
    TRY(opt_dist(ld, n, "every", &p->fails, &p->fail_every));
    TRY(opt_dist(ld, n, "lasting", &p->fails, &p->fail_lasting));
    if (!(cs_dist_mean(&p->fail_every) > 0)) {
        v = opt(ld, n, "every");
        yd_path_key(&ld->yd, "every");
        return yd_fail_at(&ld->yd, v, "expected a distribution with a mean > 0, found %s",
                          yd_describe(&ld->yd, v).s);
    }
    yd_path_pop(&ld->yd, m);
    return CS_OK;
}

/* readinessProbe: the timing fields of a core/v1 Probe (SetDefaults_Probe, and the API's
 * minimums: periodSeconds, successThreshold and failureThreshold at least 1). */
static cs_status read_probe(loader *ld, const yaml_node_t *n, cs_probe *p)
{
    static const char *const known[] = {"failureThreshold", "failures", "initialDelaySeconds", "periodSeconds",
                                        "successThreshold"};
    TRY(need_fields(ld, n, "a mapping such as {initialDelaySeconds: 5, periodSeconds: 10}", known, COUNT_OF(known)));
    p->set = true;
    TRY(opt_i32(ld, n, "initialDelaySeconds", 0, INT32_MAX, &p->initial_delay_s));
    TRY(opt_i32(ld, n, "periodSeconds", 1, INT32_MAX, &p->period_s));
    TRY(opt_i32(ld, n, "successThreshold", 1, INT32_MAX, &p->success_threshold));
    TRY(opt_i32(ld, n, "failureThreshold", 1, INT32_MAX, &p->failure_threshold));
    yaml_node_t *v = opt(ld, n, "failures");
    return v != NULL ? read_probe_failures(ld, v, p) : CS_OK;
}

/* The Deployment's spec fields and the lifecycle fields of the template. */
static cs_status read_rollout_fields(loader *ld, const yaml_node_t *n, cs_workload *wl)
{
    yaml_node_t *v;
    size_t m;
    TRY(opt_image(ld, n, &wl->image));
    if ((v = opt(ld, n, "strategy")) != NULL) {
        m = yd_path_key(&ld->yd, "strategy");
        TRY(read_strategy(ld, v, &wl->deploy));
        yd_path_pop(&ld->yd, m);
    }
    TRY(opt_i32(ld, n, "minReadySeconds", 0, INT32_MAX, &wl->deploy.min_ready_s));
    TRY(opt_i32(ld, n, "revisionHistoryLimit", 0, INT32_MAX, &wl->deploy.revision_history_limit));
    if ((v = opt(ld, n, "progressDeadlineSeconds")) != NULL) {
        TRY(opt_i32(ld, n, "progressDeadlineSeconds", 1, INT32_MAX, &wl->deploy.progress_deadline_s));
        if (wl->deploy.progress_deadline_s <= wl->deploy.min_ready_s) {
            yd_path_key(&ld->yd, "progressDeadlineSeconds");
            return yd_fail_at(&ld->yd, v, "expected progressDeadlineSeconds greater than minReadySeconds (%d), found %s",
                              (int)wl->deploy.min_ready_s, yd_describe(&ld->yd, v).s);
        }
    } else if (!wl->daemonset && wl->deploy.progress_deadline_s <= wl->deploy.min_ready_s) {
        /* apps/v1 defaults progressDeadlineSeconds (600) before it validates it
         * (SetDefaults_Deployment, then ValidateDeploymentSpec). */
        v = opt(ld, n, "minReadySeconds");
        yd_path_key(&ld->yd, "minReadySeconds");
        return yd_fail_at(&ld->yd, v, "expected minReadySeconds below progressDeadlineSeconds (default %d), found %s",
                          (int)wl->deploy.progress_deadline_s, yd_describe(&ld->yd, v).s);
    }
    if ((v = opt(ld, n, "paused")) != NULL) {
        static const choice bools[] = {{"false", 0}, {"true", 1}};
        int b = 0;
        m = yd_path_key(&ld->yd, "paused");
        TRY(read_choice(ld, v, bools, COUNT_OF(bools), &b));
        wl->deploy.paused = b != 0;
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "readinessProbe")) != NULL) {
        m = yd_path_key(&ld->yd, "readinessProbe");
        TRY(read_probe(ld, v, &wl->life.readiness));
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "terminationGracePeriodSeconds")) != NULL) {
        int32_t g = 0;
        TRY(opt_i32(ld, n, "terminationGracePeriodSeconds", 0, INT32_MAX, &g));
        wl->life.grace_s = g;
    }
    TRY(opt_dist(ld, n, "timeToCrash", &wl->life.crashes, &wl->life.time_to_crash));
    TRY(opt_dist(ld, n, "imagePullTime", &wl->life.has_pull, &wl->life.pull));
    return opt_dist(ld, n, "shutdownTime", &wl->life.has_shutdown, &wl->life.shutdown);
}

static cs_status read_workload(loader *ld, const yaml_node_t *n, uint32_t id)
{
    static const char *const known[] = {"affinity",
                                        "disruptionBudget",
                                        "image",
                                        "imagePullTime",
                                        "kind",
                                        "labels",
                                        "minReadySeconds",
                                        "name",
                                        "nodeName",
                                        "nodeSelector",
                                        "paused",
                                        "preemptionPolicy",
                                        "priority",
                                        "progressDeadlineSeconds",
                                        "readinessProbe",
                                        "replicas",
                                        "resources",
                                        "revisionHistoryLimit",
                                        "shutdownTime",
                                        "startupTime",
                                        "strategy",
                                        "terminationGracePeriodSeconds",
                                        "timeToCrash",
                                        "tolerations",
                                        "topologySpreadConstraints"};
    cs_config *cfg = ld->cfg;
    cs_workload *wl = (cs_workload *)&cfg->workloads[id];
    wl->kind = "Deployment";
    cs_workload_defaults(wl);
    TRY(need_fields(ld, n, "a workload such as {name: web, replicas: 3}", known, COUNT_OF(known)));
    wl->line = yd_to_int(n->start_mark.line + 1);
    yaml_node_t *v = NULL;
    size_t m;
    TRY(need(ld, n, "name", &v));
    m = yd_path_key(&ld->yd, "name");
    TRY(read_name(ld, v, &wl->name));
    uint32_t other = yd_names_get(&ld->workloads, wl->name);
    TRY(check_unique(ld, v, &ld->workloads, wl->name, "workload", other != CS_NONE ? cfg->workloads[other].line : 0));
    TRY(names_put(ld, &ld->workloads, wl->name, id));
    yd_path_pop(&ld->yd, m);

    if ((v = opt(ld, n, "kind")) != NULL) {
        static const choice kinds[] = {{"DaemonSet", 1}, {"Deployment", 0}};
        m = yd_path_key(&ld->yd, "kind");
        int ds = 0;
        TRY(read_choice(ld, v, kinds, COUNT_OF(kinds), &ds));
        wl->daemonset = ds == 1;
        wl->kind = ds == 1 ? "DaemonSet" : "Deployment";
        yd_path_pop(&ld->yd, m);
    }
    wl->replicas = 1;
    if ((v = opt(ld, n, "replicas")) != NULL) {
        m = yd_path_key(&ld->yd, "replicas");
        if (wl->daemonset)
            return yd_fail_at(&ld->yd, v, "expected no replicas with kind DaemonSet (one pod per eligible node), found %s",
                              yd_describe(&ld->yd, v).s);
        TRY(read_u32(ld, v, 0, MAX_REPLICAS, &wl->replicas));
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "labels")) != NULL) {
        m = yd_path_key(&ld->yd, "labels");
        TRY(read_labels(ld, v, &wl->labels, &wl->n_labels));
        yd_path_pop(&ld->yd, m);
    }
    wl->requests.pods = 1;
    TRY(opt_resources(ld, n, &wl->requests));
    wl->startup = (cs_dist){.kind = CS_DIST_CONSTANT, .p1 = DEFAULT_STARTUP_S};
    if ((v = opt(ld, n, "startupTime")) != NULL) {
        m = yd_path_key(&ld->yd, "startupTime");
        TRY(read_dist(ld, v, &wl->startup));
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "disruptionBudget")) != NULL) {
        m = yd_path_key(&ld->yd, "disruptionBudget");
        TRY(read_disruption_budget(ld, v, id));
        yd_path_pop(&ld->yd, m);
    }
    TRY(read_rollout_fields(ld, n, wl));
    TRY(read_scheduling(ld, n, wl));
    if (wl->daemonset && cs_config_daemonset_tolerations(ld->arena, wl) != CS_OK)
        return yd_oom(&ld->yd);
    return CS_OK;
}

static cs_status read_workloads(loader *ld, const yaml_node_t *n)
{
    TRY(yd_need_type(&ld->yd, n, YAML_SEQUENCE_NODE, "a sequence of workloads"));
    size_t len = yd_n_items(n);
    if (len == 0)
        return CS_OK;
    cs_workload *wls = cs_arena_calloc(ld->arena, len, sizeof *wls);
    cs_pdb *pdbs = cs_arena_calloc(ld->arena, len, sizeof *pdbs);   /* at most one per workload */
    if (wls == NULL || pdbs == NULL)
        return yd_oom(&ld->yd);
    ld->cfg->workloads = wls;
    ld->cfg->pdbs = pdbs;
    for (size_t i = 0; i < len; i++) {
        size_t m = yd_path_index(&ld->yd, i);
        TRY(read_workload(ld, yd_item_at(&ld->yd, n, i), (uint32_t)i));
        ld->cfg->n_workloads = (uint32_t)i + 1;
        yd_path_pop(&ld->yd, m);
    }
    return CS_OK;
}

/* ---- the timeline ----------------------------------------------------------------------- */

static const choice actions[] = {
    {"cordon", CS_ACTION_CORDON},
    {"drain", CS_ACTION_DRAIN},
    {"nodeFailure", CS_ACTION_NODE_FAILURE},
    {"nodeRepair", CS_ACTION_NODE_REPAIR},
    {"pause", CS_ACTION_PAUSE},
    {"resume", CS_ACTION_RESUME},
    {"rollback", CS_ACTION_ROLLBACK},
    {"rollout", CS_ACTION_ROLLOUT},
    {"scale", CS_ACTION_SCALE},
    {"uncordon", CS_ACTION_UNCORDON},
    {"zoneOutage", CS_ACTION_ZONE_OUTAGE},
};

/* "<pool>-<i>": the pool is everything before the last '-', since an index has none. */
static cs_status read_node_ref(loader *ld, const yaml_node_t *n, uint32_t *out)
{
    const cs_config *cfg = ld->cfg;
    const char *s = yd_text(n);
    const char *dash = s != NULL ? strrchr(s, '-') : NULL;
    uint32_t pool = CS_NONE;
    uint64_t index = 0;
    if (dash != NULL && dash > s && dash[1] != '\0' && (dash[1] != '0' || dash[2] == '\0')) {
        char name[NAME_MAX_LEN + 1];
        size_t len = (size_t)(dash - s);
        if (len <= NAME_MAX_LEN) {
            memcpy(name, s, len);
            name[len] = '\0';
            pool = yd_names_get(&ld->pools, name);
        }
        for (const char *p = dash + 1; pool != CS_NONE && *p != '\0'; p++) {
            if (*p < '0' || *p > '9' || index > UINT32_MAX)
                pool = CS_NONE;
            else
                index = 10 * index + (uint64_t)(*p - '0');
        }
    }
    if (pool != CS_NONE && index < cfg->pools[pool].count) {
        *out = cfg->pools[pool].first_node + (uint32_t)index;
        return CS_OK;
    }
    /* The hint lists each pool's node range, pools sorted by name. */
    const char **items = cs_arena_calloc(ld->tmp, cfg->n_pools, sizeof *items);
    if (items == NULL)
        return yd_oom(&ld->yd);
    for (uint32_t i = 0; i < cfg->n_pools; i++) {
        const cs_node_pool *p = &cfg->pools[i];
        char buf[2 * NAME_MAX_LEN + 32];
        if (p->count == 1)
            snprintf(buf, sizeof buf, "%s-0", p->name);
        else
            snprintf(buf, sizeof buf, "%s-0 .. %s-%" PRIu32, p->name, p->name, p->count - 1);
        if ((items[i] = cs_arena_strdup(ld->tmp, buf)) == NULL)
            return yd_oom(&ld->yd);
    }
    qsort(items, cfg->n_pools, sizeof *items, yd_by_name);
    char list[200];
    yd_join(list, sizeof list, items, cfg->n_pools);
    yd_fail_at(&ld->yd, n, "expected the name of a node, <pool>-<index> with index < the pool's count, found %s",
               yd_describe(&ld->yd, n).s);
    yd_hint(&ld->yd, "known nodes: %s", list);
    return CS_EINPUT;
}

static const choice failure_modes[] = {{"notReady", CS_FAIL_NOT_READY}, {"unreachable", CS_FAIL_UNREACHABLE}};
static const choice booleans[] = {{"false", 0}, {"true", 1}};

/* The target of an action that takes `node` or `pool` (exactly one of them). */
static cs_status read_node_or_pool(loader *ld, const yaml_node_t *n, cs_action *a)
{
    yaml_node_t *node = opt(ld, n, "node"), *pool = opt(ld, n, "pool");
    size_t m;
    if (node != NULL && pool != NULL) {
        yd_path_key(&ld->yd, "pool");
        return yd_fail_at(&ld->yd, pool, "expected either node or pool, found both");
    }
    if (node != NULL) {
        m = yd_path_key(&ld->yd, "node");
        TRY(read_node_ref(ld, node, &a->node));
    } else if (pool != NULL) {
        m = yd_path_key(&ld->yd, "pool");
        TRY(read_ref(ld, pool, &ld->pools, pool_name_of, ld->cfg->n_pools, "node pool", &a->pool));
    } else {
        yd_path_key(&ld->yd, "node");
        return yd_fail_at(&ld->yd, n, "missing required field 'node' (or 'pool')");
    }
    yd_path_pop(&ld->yd, m);
    return CS_OK;
}

/* drain: kubectl drain of a node, or of a pool n nodes at a time (a rolling node upgrade). */
static cs_status read_drain(loader *ld, const yaml_node_t *n, cs_action *a)
{
    TRY(read_node_or_pool(ld, n, a));
    yaml_node_t *v;
    size_t m;
    a->count = 1;
    static const char *const pool_only[] = {"maxUnavailable", "upgradeTime"};
    for (size_t i = 0; i < COUNT_OF(pool_only); i++)
        if (a->pool == CS_NONE && (v = opt(ld, n, pool_only[i])) != NULL) {
            yd_path_key(&ld->yd, pool_only[i]);
            return yd_fail_at(&ld->yd, v, "expected %s only with pool, found it with node", pool_only[i]);
        }
    if ((v = opt(ld, n, "maxUnavailable")) != NULL) {
        m = yd_path_key(&ld->yd, "maxUnavailable");
        TRY(read_u32(ld, v, 1, ld->cfg->pools[a->pool].count, &a->count));
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "upgradeTime")) != NULL) {
        m = yd_path_key(&ld->yd, "upgradeTime");
        TRY(read_dist(ld, v, &a->upgrade_time));
        a->upgrade = true;
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "timeout")) != NULL) {
        m = yd_path_key(&ld->yd, "timeout");
        TRY(read_duration(ld, v, 0, CS_TIME_MAX, "a duration >= 0 such as 10m (0: no timeout)", &a->timeout));
        yd_path_pop(&ld->yd, m);
    }
    a->grace_period_s = -1;
    if ((v = opt(ld, n, "gracePeriod")) != NULL) {
        m = yd_path_key(&ld->yd, "gracePeriod");
        uint64_t g = 0;
        TRY(read_u64(ld, v, 0, (uint64_t)(CS_TIME_MAX / CS_SECOND), &g));
        a->grace_period_s = (int64_t)g;
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "disableEviction")) != NULL) {
        m = yd_path_key(&ld->yd, "disableEviction");
        int yes = 0;
        TRY(read_choice(ld, v, booleans, COUNT_OF(booleans), &yes));
        a->disable_eviction = yes != 0;
        yd_path_pop(&ld->yd, m);
    }
    return CS_OK;
}

/* A rollout's template change: image, resources.requests, startupTime, timeToCrash,
 * shutdownTime, each optional. */
static cs_status read_patch(loader *ld, const yaml_node_t *n, cs_action *a)
{
    cs_template_patch *p = cs_arena_new_of(ld->arena, cs_template_patch);
    if (p == NULL)
        return yd_oom(&ld->yd);
    *p = (cs_template_patch){.cpu_milli = -1, .mem_bytes = -1, .ephemeral_bytes = -1};
    a->patch = p;
    TRY(opt_image(ld, n, &p->image));
    cs_resources r = {.cpu_milli = -1, .mem_bytes = -1, .ephemeral_bytes = -1, .pods = 1};
    TRY(opt_resources(ld, n, &r));
    p->cpu_milli = r.cpu_milli;
    p->mem_bytes = r.mem_bytes;
    p->ephemeral_bytes = r.ephemeral_bytes;
    TRY(opt_dist(ld, n, "startupTime", &p->has_startup, &p->startup));
    TRY(opt_dist(ld, n, "timeToCrash", &p->has_crash, &p->time_to_crash));
    TRY(opt_dist(ld, n, "imagePullTime", &p->has_pull, &p->pull));
    return opt_dist(ld, n, "shutdownTime", &p->has_shutdown, &p->shutdown);
}

/* Each action takes its own fields; they are checked once the action is known. */
static cs_status read_action(loader *ld, const yaml_node_t *n, cs_action *a)
{
    static const char *const failure_fields[] = {"action", "at", "count", "duration", "mode", "node", "pool"};
    static const char *const cordon_fields[] = {"action", "at", "node", "pool"};
    static const char *const drain_fields[] = {"action", "at",   "disableEviction", "gracePeriod", "maxUnavailable",
                                               "node",   "pool", "timeout",         "upgradeTime"};
    static const char *const repair_fields[] = {"action", "at", "node"};
    static const char *const outage_fields[] = {"action", "at", "duration", "zone"};
    static const char *const scale_fields[] = {"action", "at", "replicas", "workload"};
    static const char *const rollout_fields[] = {"action",       "at",           "image",       "imagePullTime",
                                                 "resources",    "shutdownTime", "startupTime", "timeToCrash",
                                                 "workload"};
    static const char *const workload_fields[] = {"action", "at", "workload"};
    const cs_config *cfg = ld->cfg;
    TRY(yd_need_type(&ld->yd, n, YAML_MAPPING_NODE,
                     "an action such as {at: 2h, action: nodeFailure, node: general-0}"));
    TRY(check_fields(ld, n, NULL, 0, NULL));
    *a = (cs_action){.node = CS_NONE, .pool = CS_NONE, .zone = CS_NONE, .workload = CS_NONE};
    a->line = yd_to_int(n->start_mark.line + 1);
    yaml_node_t *v = NULL;
    size_t m;
    int kind = 0;
    TRY(need(ld, n, "action", &v));
    m = yd_path_key(&ld->yd, "action");
    TRY(read_choice(ld, v, actions, COUNT_OF(actions), &kind));
    yd_path_pop(&ld->yd, m);
    a->kind = (cs_action_kind)kind;
    switch (a->kind) {
    case CS_ACTION_NODE_FAILURE:
        TRY(check_fields(ld, n, failure_fields, COUNT_OF(failure_fields), "for action nodeFailure"));
        break;
    case CS_ACTION_NODE_REPAIR:
        TRY(check_fields(ld, n, repair_fields, COUNT_OF(repair_fields), "for action nodeRepair"));
        break;
    case CS_ACTION_ZONE_OUTAGE:
        TRY(check_fields(ld, n, outage_fields, COUNT_OF(outage_fields), "for action zoneOutage"));
        break;
    case CS_ACTION_SCALE:
        TRY(check_fields(ld, n, scale_fields, COUNT_OF(scale_fields), "for action scale"));
        break;
    case CS_ACTION_CORDON:
    case CS_ACTION_UNCORDON:
        TRY(check_fields(ld, n, cordon_fields, COUNT_OF(cordon_fields),
                         a->kind == CS_ACTION_CORDON ? "for action cordon" : "for action uncordon"));
        break;
    case CS_ACTION_DRAIN:
        TRY(check_fields(ld, n, drain_fields, COUNT_OF(drain_fields), "for action drain"));
        break;
    case CS_ACTION_ROLLOUT:
        TRY(check_fields(ld, n, rollout_fields, COUNT_OF(rollout_fields), "for action rollout"));
        break;
    case CS_ACTION_PAUSE:
    case CS_ACTION_RESUME:
    case CS_ACTION_ROLLBACK:
        TRY(check_fields(ld, n, workload_fields, COUNT_OF(workload_fields), "for this action"));
        break;
    }

    TRY(need(ld, n, "at", &v));
    m = yd_path_key(&ld->yd, "at");
    char limit[64], what[128];
    cs_format_duration(cfg->duration, limit, sizeof limit);
    snprintf(what, sizeof what, "a duration >= 0 and < spec.duration (%s)", limit);
    TRY(read_duration(ld, v, 0, cfg->duration - 1, what, &a->at));
    yd_path_pop(&ld->yd, m);

    switch (a->kind) {
    case CS_ACTION_NODE_FAILURE: {
        yaml_node_t *node = opt(ld, n, "node"), *pool = opt(ld, n, "pool"), *count = opt(ld, n, "count");
        if (node != NULL && pool != NULL) {
            yd_path_key(&ld->yd, "pool");
            return yd_fail_at(&ld->yd, pool, "expected either node or pool, found both");
        }
        if (node != NULL) {
            if (count != NULL) {
                yd_path_key(&ld->yd, "count");
                return yd_fail_at(&ld->yd, count, "expected count only with pool, found it with node");
            }
            m = yd_path_key(&ld->yd, "node");
            TRY(read_node_ref(ld, node, &a->node));
            yd_path_pop(&ld->yd, m);
            a->count = 1;
        } else if (pool != NULL) {
            m = yd_path_key(&ld->yd, "pool");
            TRY(read_ref(ld, pool, &ld->pools, pool_name_of, cfg->n_pools, "node pool", &a->pool));
            yd_path_pop(&ld->yd, m);
            a->count = 1;
            if (count != NULL) {
                m = yd_path_key(&ld->yd, "count");
                cs_int_or_percent c;
                TRY(yd_read_int_or_percent(&ld->yd, count, cfg->pools[a->pool].count, 100, &c));
                if (c.value == 0)
                    return yd_fail_at(&ld->yd, count, "expected at least 1 node or 1%%, found %s",
                                      yd_describe(&ld->yd, count).s);
                a->count = c.value;
                a->count_percent = c.percent;
                yd_path_pop(&ld->yd, m);
            }
        } else {
            yd_path_key(&ld->yd, "node");
            return yd_fail_at(&ld->yd, n, "missing required field 'node' (or 'pool')");
        }
        if ((v = opt(ld, n, "duration")) != NULL) {
            m = yd_path_key(&ld->yd, "duration");
            TRY(read_duration(ld, v, 0, CS_TIME_MAX, "a duration >= 0 such as 30m (0: until a nodeRepair)",
                              &a->duration));
            yd_path_pop(&ld->yd, m);
        }
        if ((v = opt(ld, n, "mode")) != NULL) {
            m = yd_path_key(&ld->yd, "mode");
            int mode = 0;
            TRY(read_choice(ld, v, failure_modes, COUNT_OF(failure_modes), &mode));
            a->mode = (cs_failure_mode)mode;
            yd_path_pop(&ld->yd, m);
        }
        break;
    }
    case CS_ACTION_CORDON:
    case CS_ACTION_UNCORDON:
        TRY(read_node_or_pool(ld, n, a));
        break;
    case CS_ACTION_DRAIN:
        TRY(read_drain(ld, n, a));
        break;
    case CS_ACTION_NODE_REPAIR:
        TRY(need(ld, n, "node", &v));
        m = yd_path_key(&ld->yd, "node");
        TRY(read_node_ref(ld, v, &a->node));
        yd_path_pop(&ld->yd, m);
        a->count = 1;
        break;
    case CS_ACTION_ZONE_OUTAGE:
        TRY(need(ld, n, "zone", &v));
        m = yd_path_key(&ld->yd, "zone");
        TRY(read_ref(ld, v, &ld->zones, zone_name_of, cfg->n_zones, "zone", &a->zone));
        yd_path_pop(&ld->yd, m);
        TRY(need(ld, n, "duration", &v));
        m = yd_path_key(&ld->yd, "duration");
        TRY(read_duration(ld, v, 1, CS_TIME_MAX, "a duration > 0 such as 30m", &a->duration));
        yd_path_pop(&ld->yd, m);
        break;
    case CS_ACTION_SCALE:
        TRY(need(ld, n, "workload", &v));
        m = yd_path_key(&ld->yd, "workload");
        TRY(read_ref(ld, v, &ld->workloads, workload_name_of, cfg->n_workloads, "workload", &a->workload));
        if (cfg->workloads[a->workload].daemonset)
            return yd_fail_at(&ld->yd, v, "expected a workload that has replicas, found %s, a DaemonSet",
                              yd_describe(&ld->yd, v).s);
        yd_path_pop(&ld->yd, m);
        TRY(need(ld, n, "replicas", &v));
        m = yd_path_key(&ld->yd, "replicas");
        TRY(read_u32(ld, v, 0, MAX_REPLICAS, &a->replicas));
        yd_path_pop(&ld->yd, m);
        break;
    case CS_ACTION_ROLLOUT:
    case CS_ACTION_PAUSE:
    case CS_ACTION_RESUME:
    case CS_ACTION_ROLLBACK:
        TRY(need(ld, n, "workload", &v));
        m = yd_path_key(&ld->yd, "workload");
        TRY(read_ref(ld, v, &ld->workloads, workload_name_of, cfg->n_workloads, "workload", &a->workload));
        /* kubectl rollout: pause and resume take Deployments only; a rollout or an undo also
         * StatefulSets. */
        const char *kind = cfg->workloads[a->workload].kind;
        bool sts_ok = a->kind == CS_ACTION_ROLLOUT || a->kind == CS_ACTION_ROLLBACK;
        if (strcmp(kind, "Deployment") != 0 && !(sts_ok && strcmp(kind, "StatefulSet") == 0))
            return yd_fail_at(&ld->yd, v, "expected a Deployment%s, found %s, a %s",
                              sts_ok ? " or a StatefulSet" : " (StatefulSets cannot be paused)", yd_describe(&ld->yd, v).s,
                              kind);
        yd_path_pop(&ld->yd, m);
        if (a->kind == CS_ACTION_ROLLOUT)
            TRY(read_patch(ld, n, a));
        break;
    }
    return CS_OK;
}

typedef struct ranked {
    cs_action a;
    uint32_t i;
} ranked;

static int by_time(const void *x, const void *y)
{
    const ranked *a = x, *b = y;
    if (a->a.at != b->a.at)
        return a->a.at < b->a.at ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* Reads the actions, then sorts them by time; the file order breaks ties (qsort is not
 * stable, so the rank goes into the comparison). */
static cs_status read_timeline(loader *ld, const yaml_node_t *n)
{
    TRY(yd_need_type(&ld->yd, n, YAML_SEQUENCE_NODE, "a sequence of actions"));
    size_t len = yd_n_items(n);
    if (len == 0)
        return CS_OK;
    ranked *r = cs_arena_calloc(ld->tmp, len, sizeof *r);
    cs_action *acts = cs_arena_calloc(ld->arena, len, sizeof *acts);
    if (r == NULL || acts == NULL)
        return yd_oom(&ld->yd);
    for (size_t i = 0; i < len; i++) {
        size_t m = yd_path_index(&ld->yd, i);
        TRY(read_action(ld, yd_item_at(&ld->yd, n, i), &r[i].a));
        r[i].i = (uint32_t)i;
        yd_path_pop(&ld->yd, m);
    }
    qsort(r, len, sizeof *r, by_time);
    for (size_t i = 0; i < len; i++)
        acts[i] = r[i].a;
    ld->cfg->timeline = acts;
    ld->cfg->n_timeline = (uint32_t)len;
    return CS_OK;
}

/* ---- properties ------------------------------------------------------------------------- */

static const choice property_kinds[] = {
    {"availability", CS_PROP_AVAILABILITY},
    {"coverage", CS_PROP_COVERAGE},
    {"noOvercommit", CS_PROP_NO_OVERCOMMIT},
    {"noPodLost", CS_PROP_NO_POD_LOST},
    {"pdb", CS_PROP_PDB},
    {"rolloutBounds", CS_PROP_ROLLOUT_BOUNDS},
    {"schedulingValidity", CS_PROP_SCHEDULING_VALIDITY},
};

/* minReady: a count, or a whole percentage of the desired replicas ("50%"). */
static cs_status read_min_ready(loader *ld, const yaml_node_t *n, cs_property *p)
{
    const char *s = yd_text(n);
    size_t len = s != NULL ? strlen(s) : 0;
    if (len >= 2 && s[len - 1] == '%') {
        uint64_t v = 0;
        bool ok = true;
        for (size_t i = 0; i + 1 < len && ok; i++) {
            ok = s[i] >= '0' && s[i] <= '9';
            v = ok ? 10 * v + (uint64_t)(s[i] - '0') : v;
            ok = ok && v <= 100;
        }
        if (ok) {
            p->min_ready = (uint32_t)v;
            p->percent = true;
            return CS_OK;
        }
        return yd_fail_expected(&ld->yd, n, "a percentage between 0% and 100% such as 50%");
    }
    uint64_t v = 0;
    bool ok = len > 0;
    for (size_t i = 0; i < len && ok; i++) {
        ok = s[i] >= '0' && s[i] <= '9';
        v = ok ? 10 * v + (uint64_t)(s[i] - '0') : v;
        ok = ok && v <= MAX_REPLICAS;
    }
    if (!ok)
        return yd_fail_at(&ld->yd, n, "expected an integer between 0 and %d or a percentage such as 50%%, found %s",
                          MAX_REPLICAS, yd_describe(&ld->yd, n).s);
    p->min_ready = (uint32_t)v;
    p->percent = false;
    return CS_OK;
}

static cs_status read_property(loader *ld, const yaml_node_t *n, uint32_t id)
{
    static const char *const availability_fields[] = {"minNodes", "minReady", "minZones", "name",
                                                      "threshold", "type",    "workload"};
    static const char *const overcommit_fields[] = {"name", "threshold", "type"};
    static const char *const coverage_fields[] = {"name", "service", "threshold", "type"};
    static const char *const bounds_fields[] = {"name", "threshold", "type", "workload"};
    cs_config *cfg = ld->cfg;
    cs_property *p = (cs_property *)&cfg->properties[id];
    TRY(yd_need_type(&ld->yd, n, YAML_MAPPING_NODE,
                     "a property such as {name: web-up, type: availability, minReady: 1}"));
    TRY(check_fields(ld, n, NULL, 0, NULL));
    p->line = yd_to_int(n->start_mark.line + 1);
    p->workload = CS_NONE;
    p->service = CS_NONE;
    p->threshold = 1.0;
    yaml_node_t *v = NULL;
    size_t m;
    int kind = 0;
    TRY(need(ld, n, "type", &v));
    m = yd_path_key(&ld->yd, "type");
    TRY(read_choice(ld, v, property_kinds, COUNT_OF(property_kinds), &kind));
    yd_path_pop(&ld->yd, m);
    p->kind = (cs_property_kind)kind;
    if (p->kind == CS_PROP_AVAILABILITY)
        TRY(check_fields(ld, n, availability_fields, COUNT_OF(availability_fields), "for type availability"));
    else if (p->kind == CS_PROP_COVERAGE)
        TRY(check_fields(ld, n, coverage_fields, COUNT_OF(coverage_fields), "for type coverage"));
    else if (p->kind == CS_PROP_ROLLOUT_BOUNDS)
        TRY(check_fields(ld, n, bounds_fields, COUNT_OF(bounds_fields), "for type rolloutBounds"));
    else
        TRY(check_fields(ld, n, overcommit_fields, COUNT_OF(overcommit_fields),
                         p->kind == CS_PROP_NO_OVERCOMMIT ? "for type noOvercommit"
                         : p->kind == CS_PROP_PDB         ? "for type pdb"
                         : p->kind == CS_PROP_SCHEDULING_VALIDITY ? "for type schedulingValidity"
                                                          : "for type noPodLost"));

    TRY(need(ld, n, "name", &v));
    m = yd_path_key(&ld->yd, "name");
    TRY(yd_read_string(&ld->yd, ld->arena, v, "a property name", false, &p->name));
    uint32_t other = yd_names_get(&ld->properties, p->name);
    TRY(check_unique(ld, v, &ld->properties, p->name, "property", other != CS_NONE ? cfg->properties[other].line : 0));
    TRY(names_put(ld, &ld->properties, p->name, id));
    yd_path_pop(&ld->yd, m);

    if ((p->kind == CS_PROP_AVAILABILITY || p->kind == CS_PROP_ROLLOUT_BOUNDS) && (v = opt(ld, n, "workload")) != NULL) {
        m = yd_path_key(&ld->yd, "workload");
        TRY(read_ref(ld, v, &ld->workloads, workload_name_of, cfg->n_workloads, "workload", &p->workload));
        yd_path_pop(&ld->yd, m);
    }
    if (p->kind == CS_PROP_AVAILABILITY) {
        TRY(need(ld, n, "minReady", &v));
        m = yd_path_key(&ld->yd, "minReady");
        TRY(read_min_ready(ld, v, p));
        yd_path_pop(&ld->yd, m);
        if ((v = opt(ld, n, "minNodes")) != NULL) {
            m = yd_path_key(&ld->yd, "minNodes");
            TRY(read_u32(ld, v, 0, cfg->n_nodes, &p->min_nodes));
            yd_path_pop(&ld->yd, m);
        }
        if ((v = opt(ld, n, "minZones")) != NULL) {
            m = yd_path_key(&ld->yd, "minZones");
            TRY(read_u32(ld, v, 0, cfg->n_zones, &p->min_zones));
            yd_path_pop(&ld->yd, m);
        }
    }
    /* Services come only from manifests (spec.include), read before the properties. */
    if (p->kind == CS_PROP_COVERAGE && (v = opt(ld, n, "service")) != NULL) {
        m = yd_path_key(&ld->yd, "service");
        TRY(read_ref(ld, v, &ld->services, service_name_of, cfg->n_services, "service", &p->service));
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "threshold")) != NULL) {
        m = yd_path_key(&ld->yd, "threshold");
        double t;
        const char *what = "a probability between 0 and 1 such as 0.999";
        TRY(read_real(ld, v, what, &t));
        if (!(t >= 0 && t <= 1))
            return yd_fail_expected(&ld->yd, v, what);
        p->threshold = t;
        yd_path_pop(&ld->yd, m);
    }
    return CS_OK;
}

static cs_status read_properties(loader *ld, const yaml_node_t *n)
{
    TRY(yd_need_type(&ld->yd, n, YAML_SEQUENCE_NODE, "a sequence of properties"));
    size_t len = yd_n_items(n);
    if (len == 0)
        return CS_OK;
    cs_property *props = cs_arena_calloc(ld->arena, len, sizeof *props);
    if (props == NULL)
        return yd_oom(&ld->yd);
    ld->cfg->properties = props;
    for (size_t i = 0; i < len; i++) {
        size_t m = yd_path_index(&ld->yd, i);
        TRY(read_property(ld, yd_item_at(&ld->yd, n, i), (uint32_t)i));
        ld->cfg->n_properties = (uint32_t)i + 1;
        yd_path_pop(&ld->yd, m);
    }
    return CS_OK;
}

/* ---- the document ----------------------------------------------------------------------- */

static cs_status read_metadata(loader *ld, const yaml_node_t *n)
{
    static const char *const known[] = {"description", "name"};
    TRY(need_fields(ld, n, "a mapping with name and description", known, COUNT_OF(known)));
    yaml_node_t *v = NULL;
    TRY(need(ld, n, "name", &v));
    size_t m = yd_path_key(&ld->yd, "name");
    TRY(read_name(ld, v, &ld->cfg->name));
    yd_path_pop(&ld->yd, m);
    if ((v = opt(ld, n, "description")) != NULL && v->type != YAML_SCALAR_NODE) {
        yd_path_key(&ld->yd, "description");
        return yd_fail_expected(&ld->yd, v, "a string");
    }
    return CS_OK;
}

/* spec.include: Kubernetes manifests (sim/manifest.c), paths relative to the scenario. Their
 * nodes and workloads come after the scenario's own, and their names join the tables so the
 * timeline and the properties can refer to them. */
static cs_status read_includes(loader *ld, const yaml_node_t *n)
{
    TRY(yd_need_type(&ld->yd, n, YAML_SEQUENCE_NODE, "a sequence of manifest files such as [app.yaml]"));
    cs_config *cfg = ld->cfg;
    uint32_t pools0 = cfg->n_pools, zones0 = cfg->n_zones, workloads0 = cfg->n_workloads,
             services0 = cfg->n_services;
    cs_manifest *mf = cs_manifest_new(cfg);
    if (mf == NULL)
        return yd_oom(&ld->yd);
    cs_status st = CS_OK;
    for (size_t i = 0; i < yd_n_items(n) && st == CS_OK; i++) {
        size_t m = yd_path_index(&ld->yd, i);
        const yaml_node_t *item = yd_item_at(&ld->yd, n, i);
        const char *name = yd_text(item);
        if (name == NULL || name[0] == '\0' || yd_is_null(item)) {
            st = yd_fail_expected(&ld->yd, item, "a manifest file name such as app.yaml");
            break;
        }
        size_t dir = name[0] == '/' ? 0 : ld->dir_len, len = strlen(name);
        char *path = cs_arena_alloc(ld->tmp, dir + len + 1);
        if (path == NULL) {
            st = yd_oom(&ld->yd);
            break;
        }
        memcpy(path, ld->yd.file, dir);
        memcpy(path + dir, name, len + 1);
        st = cs_manifest_read_file(mf, path, ld->yd.diag);
        if (st == CS_EIO) {
            char why[sizeof ld->yd.diag->msg];
            memcpy(why, ld->yd.diag->msg, sizeof why);
            st = yd_fail_at(&ld->yd, item, "cannot read \"%s\": %s", path, why);
        }
        yd_path_pop(&ld->yd, m);
    }
    if (st == CS_OK)
        st = cs_manifest_finish(mf, ld->yd.diag);
    cs_manifest_free(mf);
    if (st != CS_OK) {
        if (ld->yd.status == CS_OK)
            ld->yd.status = st;
        return st;
    }
    for (uint32_t i = pools0; i < cfg->n_pools; i++)
        TRY(names_put(ld, &ld->pools, cfg->pools[i].name, i));
    for (uint32_t i = workloads0; i < cfg->n_workloads; i++)
        TRY(names_put(ld, &ld->workloads, cfg->workloads[i].name, i));
    for (uint32_t i = zones0; i < cfg->n_zones; i++)
        TRY(names_put(ld, &ld->zones, cfg->zones[i], i));
    for (uint32_t i = services0; i < cfg->n_services; i++)
        TRY(names_put(ld, &ld->services, cfg->services[i].name, i));
    /* zone_names and zone_mark are left as they were: they serve read_zones only, and no pool
     * is read after the includes. */
    return CS_OK;
}

/* ---- the scheduler profile -------------------------------------------------------------- */

static const choice score_plugins[] = {
    {"InterPodAffinity", CS_SCORE_INTER_POD_AFFINITY},
    {"NodeAffinity", CS_SCORE_NODE_AFFINITY},
    {"NodeResourcesBalancedAllocation", CS_SCORE_BALANCED_ALLOCATION},
    {"NodeResourcesFit", CS_SCORE_NODE_RESOURCES_FIT},
    {"PodTopologySpread", CS_SCORE_POD_TOPOLOGY_SPREAD},
    {"TaintToleration", CS_SCORE_TAINT_TOLERATION},
};
static const choice score_plugins_or_all[] = {
    {"*", CS_SCORE_PLUGINS},
    {"InterPodAffinity", CS_SCORE_INTER_POD_AFFINITY},
    {"NodeAffinity", CS_SCORE_NODE_AFFINITY},
    {"NodeResourcesBalancedAllocation", CS_SCORE_BALANCED_ALLOCATION},
    {"NodeResourcesFit", CS_SCORE_NODE_RESOURCES_FIT},
    {"PodTopologySpread", CS_SCORE_POD_TOPOLOGY_SPREAD},
    {"TaintToleration", CS_SCORE_TAINT_TOLERATION},
};
static const choice strategies[] = {
    {"LeastAllocated", CS_STRATEGY_LEAST_ALLOCATED},
    {"MostAllocated", CS_STRATEGY_MOST_ALLOCATED},
    {"RequestedToCapacityRatio", CS_STRATEGY_REQUESTED_TO_CAPACITY_RATIO},
};
static const choice resource_names[] = {
    {"cpu", CS_RESOURCE_CPU},
    {"ephemeral-storage", CS_RESOURCE_EPHEMERAL_STORAGE},
    {"memory", CS_RESOURCE_MEMORY},
};

/* plugins.score: `disabled` first (a name, or * for every default), then `enabled`, whose
 * weight replaces the default one, as apis/config/v1/default_plugins.go mergePluginSet merges
 * them; a weight of 0 or none is 1 (framework/runtime/framework.go NewFramework). */
static cs_status read_score_plugins(loader *ld, const yaml_node_t *n, cs_sched_profile *p)
{
    static const char *const known[] = {"disabled", "enabled"};
    static const char *const enabled_known[] = {"name", "weight"};
    static const char *const disabled_known[] = {"name"};
    TRY(need_fields(ld, n, "a mapping with enabled or disabled", known, COUNT_OF(known)));
    yaml_node_t *list = NULL, *v = NULL;
    if ((list = opt(ld, n, "disabled")) != NULL) {
        size_t m = yd_path_key(&ld->yd, "disabled");
        TRY(yd_need_type(&ld->yd, list, YAML_SEQUENCE_NODE, "a sequence of plugins such as [{name: NodeAffinity}]"));
        for (size_t i = 0; i < yd_n_items(list); i++) {
            size_t mi = yd_path_index(&ld->yd, i);
            const yaml_node_t *e = yd_item_at(&ld->yd, list, i);
            TRY(need_fields(ld, e, "a plugin such as {name: NodeAffinity}", disabled_known,
                            COUNT_OF(disabled_known)));
            TRY(need(ld, e, "name", &v));
            size_t k = yd_path_key(&ld->yd, "name");
            int which = 0;
            TRY(read_choice(ld, v, score_plugins_or_all, COUNT_OF(score_plugins_or_all), &which));
            for (int s = 0; s < CS_SCORE_PLUGINS; s++)
                if (which == CS_SCORE_PLUGINS || which == s)
                    p->weight[s] = 0;
            yd_path_pop(&ld->yd, k);
            yd_path_pop(&ld->yd, mi);
        }
        yd_path_pop(&ld->yd, m);
    }
    if ((list = opt(ld, n, "enabled")) != NULL) {
        size_t m = yd_path_key(&ld->yd, "enabled");
        TRY(yd_need_type(&ld->yd, list, YAML_SEQUENCE_NODE,
                         "a sequence of plugins such as [{name: NodeResourcesFit, weight: 2}]"));
        int line[CS_SCORE_PLUGINS] = {0};
        for (size_t i = 0; i < yd_n_items(list); i++) {
            size_t mi = yd_path_index(&ld->yd, i);
            const yaml_node_t *e = yd_item_at(&ld->yd, list, i);
            TRY(need_fields(ld, e, "a plugin such as {name: NodeResourcesFit, weight: 2}", enabled_known,
                            COUNT_OF(enabled_known)));
            TRY(need(ld, e, "name", &v));
            size_t k = yd_path_key(&ld->yd, "name");
            int which = 0;
            TRY(read_choice(ld, v, score_plugins, COUNT_OF(score_plugins), &which));
            if (line[which] != 0)
                return yd_fail_at(&ld->yd, v,
                                  "expected a plugin not enabled before, found %s, already enabled at line %d",
                                  yd_describe(&ld->yd, v).s, line[which]);
            line[which] = yd_to_int(v->start_mark.line + 1);
            yd_path_pop(&ld->yd, k);
            int64_t weight = 0;
            if ((v = opt(ld, e, "weight")) != NULL) {
                k = yd_path_key(&ld->yd, "weight");
                TRY(read_i64(ld, v, 0, 100, &weight));
                yd_path_pop(&ld->yd, k);
            }
            p->weight[which] = weight == 0 ? 1 : weight;
            yd_path_pop(&ld->yd, mi);
        }
        yd_path_pop(&ld->yd, m);
    }
    return CS_OK;
}

/* scoringStrategy.resources: each resource once, weight 1..100 (apis/config/validation
 * validation_pluginargs.go validateResources); cpu, memory, ephemeral-storage or an extended
 * resource (noderesources/resource_allocation.go scores any scalar resource). */
static cs_status read_strategy_resources(loader *ld, const yaml_node_t *n, cs_sched_profile *p)
{
    static const char *const known[] = {"name", "weight"};
    enum { MAX_RESOURCES = COUNT_OF(p->resources) };
    if (n->type != YAML_SEQUENCE_NODE || yd_n_items(n) == 0)
        return yd_fail_expected(&ld->yd, n, "a non-empty sequence of resources such as [{name: cpu, weight: 1}]");
    if (yd_n_items(n) > MAX_RESOURCES)
        return yd_fail_at(&ld->yd, n, "expected at most %d resources (cpu, memory, ephemeral-storage and %d extended), found %zu",
                          MAX_RESOURCES, CS_MAX_EXTENDED, yd_n_items(n));
    p->n_resources = 0;
    for (size_t i = 0; i < yd_n_items(n); i++) {
        size_t mi = yd_path_index(&ld->yd, i);
        const yaml_node_t *e = yd_item_at(&ld->yd, n, i);
        TRY(need_fields(ld, e, "a resource such as {name: cpu, weight: 1}", known, COUNT_OF(known)));
        yaml_node_t *v = NULL;
        TRY(need(ld, e, "name", &v));
        size_t k = yd_path_key(&ld->yd, "name");
        int name = CS_RESOURCE_EXTENDED;
        uint32_t ext = 0;
        const char *text = yd_text(v);
        if (text != NULL && cs_config_is_extended_name(text)) {
            cs_status st = cs_config_extended_id(ld->cfg, text, &ext);
            if (st == CS_ENOMEM)
                return yd_oom(&ld->yd);
            if (st != CS_OK)
                return yd_fail_at(&ld->yd, v, "expected at most %d distinct extended resources in a scenario, found %s as one more",
                                  CS_MAX_EXTENDED, yd_describe(&ld->yd, v).s);
        } else {
            TRY(read_choice(ld, v, resource_names, COUNT_OF(resource_names), &name));
        }
        for (uint32_t j = 0; j < p->n_resources; j++)
            if ((int)p->resources[j].name == name && (name != CS_RESOURCE_EXTENDED || p->resources[j].ext == ext))
                return yd_fail_at(&ld->yd, v, "expected a resource not listed before, found %s again",
                                  yd_describe(&ld->yd, v).s);
        yd_path_pop(&ld->yd, k);
        TRY(need(ld, e, "weight", &v));
        k = yd_path_key(&ld->yd, "weight");
        int64_t weight = 0;
        TRY(read_i64(ld, v, 1, 100, &weight));
        yd_path_pop(&ld->yd, k);
        p->resources[p->n_resources++] = (cs_resource_weight){(cs_resource_name)name, weight, ext};
        yd_path_pop(&ld->yd, mi);
    }
    return CS_OK;
}

/* requestedToCapacityRatio.shape: utilization 0..100 strictly increasing, score 0..10
 * (validation_pluginargs.go validateFunctionShape). */
static cs_status read_shape(loader *ld, const yaml_node_t *n, cs_sched_profile *p)
{
    static const char *const known[] = {"shape"};
    static const char *const point_known[] = {"score", "utilization"};
    TRY(need_fields(ld, n, "a mapping with shape", known, COUNT_OF(known)));
    yaml_node_t *shape = NULL;
    TRY(need(ld, n, "shape", &shape));
    size_t m = yd_path_key(&ld->yd, "shape");
    if (shape->type != YAML_SEQUENCE_NODE || yd_n_items(shape) == 0)
        return yd_fail_expected(&ld->yd, shape, "a non-empty sequence of points such as [{utilization: 0, score: 0}]");
    size_t len = yd_n_items(shape);
    if (len > 101)
        return yd_fail_at(&ld->yd, shape, "expected at most 101 points (utilizations 0..100, increasing), found %zu",
                          len);
    cs_shape_point *pts = cs_arena_calloc(ld->arena, len, sizeof *pts);
    if (pts == NULL)
        return yd_oom(&ld->yd);
    for (size_t i = 0; i < len; i++) {
        size_t mi = yd_path_index(&ld->yd, i);
        const yaml_node_t *e = yd_item_at(&ld->yd, shape, i);
        TRY(need_fields(ld, e, "a point such as {utilization: 100, score: 10}", point_known,
                        COUNT_OF(point_known)));
        yaml_node_t *v = NULL;
        TRY(need(ld, e, "utilization", &v));
        size_t k = yd_path_key(&ld->yd, "utilization");
        TRY(read_i64(ld, v, 0, 100, &pts[i].utilization));
        if (i > 0 && pts[i].utilization <= pts[i - 1].utilization)
            return yd_fail_at(&ld->yd, v, "expected a utilization above the previous point's %" PRId64 ", found %s",
                              pts[i - 1].utilization, yd_describe(&ld->yd, v).s);
        yd_path_pop(&ld->yd, k);
        TRY(need(ld, e, "score", &v));
        k = yd_path_key(&ld->yd, "score");
        TRY(read_i64(ld, v, 0, 10, &pts[i].score));
        yd_path_pop(&ld->yd, k);
        yd_path_pop(&ld->yd, mi);
    }
    p->shape = pts;
    p->n_shape = (uint32_t)len;
    yd_path_pop(&ld->yd, m);
    return CS_OK;
}

static cs_status read_fit_args(loader *ld, const yaml_node_t *n, cs_sched_profile *p)
{
    static const char *const known[] = {"scoringStrategy"};
    static const char *const ss_known[] = {"requestedToCapacityRatio", "resources", "type"};
    TRY(need_fields(ld, n, "a mapping with scoringStrategy", known, COUNT_OF(known)));
    yaml_node_t *ss = opt(ld, n, "scoringStrategy");
    if (ss == NULL)
        return CS_OK;
    size_t m = yd_path_key(&ld->yd, "scoringStrategy");
    TRY(need_fields(ld, ss, "a mapping such as {type: MostAllocated}", ss_known, COUNT_OF(ss_known)));
    yaml_node_t *v = NULL;
    if ((v = opt(ld, ss, "type")) != NULL) {
        size_t k = yd_path_key(&ld->yd, "type");
        int type = 0;
        TRY(read_choice(ld, v, strategies, COUNT_OF(strategies), &type));
        p->strategy = (cs_scoring_strategy)type;
        yd_path_pop(&ld->yd, k);
    }
    if ((v = opt(ld, ss, "resources")) != NULL) {
        size_t k = yd_path_key(&ld->yd, "resources");
        TRY(read_strategy_resources(ld, v, p));
        yd_path_pop(&ld->yd, k);
    }
    v = opt(ld, ss, "requestedToCapacityRatio");
    if (p->strategy == CS_STRATEGY_REQUESTED_TO_CAPACITY_RATIO) {
        TRY(need(ld, ss, "requestedToCapacityRatio", &v));
        size_t k = yd_path_key(&ld->yd, "requestedToCapacityRatio");
        TRY(read_shape(ld, v, p));
        yd_path_pop(&ld->yd, k);
    } else if (v != NULL) {
        yd_path_key(&ld->yd, "requestedToCapacityRatio");
        return yd_fail_at(&ld->yd, v,
                          "expected requestedToCapacityRatio only with type RequestedToCapacityRatio, found %s",
                          yd_describe(&ld->yd, v).s);
    }
    yd_path_pop(&ld->yd, m);
    return CS_OK;
}

/* spec.scheduler: one profile, in the shape of KubeSchedulerConfiguration's, for the plugins
 * the scheduler models. Defaults are the default profile's (models/sched_plugins.c). */
static cs_status read_scheduler(loader *ld, const yaml_node_t *n)
{
    static const char *const known[] = {"percentageOfNodesToScore", "pluginConfig", "plugins",
                                        "podInitialBackoffSeconds", "podMaxBackoffSeconds"};
    static const char *const plugins_known[] = {"score"};
    static const char *const config_known[] = {"NodeResourcesFit"};
    TRY(need_fields(ld, n, "a mapping with percentageOfNodesToScore, plugins or pluginConfig", known,
                    COUNT_OF(known)));
    cs_sched_profile *p = cs_arena_calloc(ld->arena, 1, sizeof *p);
    if (p == NULL)
        return yd_oom(&ld->yd);
    *p = *cs_sched_profile_default();
    yaml_node_t *v = NULL;
    size_t m;
    /* KubeSchedulerConfiguration podInitialBackoffSeconds > 0 and podMaxBackoffSeconds at least
     * as long (apis/config/validation/validation.go ValidateKubeSchedulerConfiguration). */
    int64_t initial_s = 1, max_s = 10;
    yaml_node_t *initial = opt(ld, n, "podInitialBackoffSeconds"), *max = opt(ld, n, "podMaxBackoffSeconds");
    if (initial != NULL) {
        m = yd_path_key(&ld->yd, "podInitialBackoffSeconds");
        TRY(read_i64(ld, initial, 1, 86400, &initial_s));
        if (max == NULL && initial_s > max_s)
            return yd_fail_at(&ld->yd, initial, "expected at most podMaxBackoffSeconds (default 10), found %s",
                              yd_describe(&ld->yd, initial).s);
        yd_path_pop(&ld->yd, m);
    }
    if (max != NULL) {
        m = yd_path_key(&ld->yd, "podMaxBackoffSeconds");
        TRY(read_i64(ld, max, 1, 86400, &max_s));
        if (max_s < initial_s)
            return yd_fail_at(&ld->yd, max, "expected at least podInitialBackoffSeconds (%" PRId64 "), found %s",
                              initial_s, yd_describe(&ld->yd, max).s);
        yd_path_pop(&ld->yd, m);
    }
    p->pod_initial_backoff = initial_s * CS_SECOND;
    p->pod_max_backoff = max_s * CS_SECOND;
    if ((v = opt(ld, n, "percentageOfNodesToScore")) != NULL) {
        m = yd_path_key(&ld->yd, "percentageOfNodesToScore");
        uint32_t pct = 0;
        TRY(read_u32(ld, v, 0, 100, &pct));
        p->percentage_of_nodes_to_score = pct;
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "plugins")) != NULL) {
        m = yd_path_key(&ld->yd, "plugins");
        TRY(need_fields(ld, v, "a mapping with score", plugins_known, COUNT_OF(plugins_known)));
        yaml_node_t *score = opt(ld, v, "score");
        if (score != NULL) {
            size_t k = yd_path_key(&ld->yd, "score");
            TRY(read_score_plugins(ld, score, p));
            yd_path_pop(&ld->yd, k);
        }
        yd_path_pop(&ld->yd, m);
    }
    if ((v = opt(ld, n, "pluginConfig")) != NULL) {
        m = yd_path_key(&ld->yd, "pluginConfig");
        TRY(need_fields(ld, v, "a mapping with NodeResourcesFit", config_known, COUNT_OF(config_known)));
        yaml_node_t *fit = opt(ld, v, "NodeResourcesFit");
        if (fit != NULL) {
            size_t k = yd_path_key(&ld->yd, "NodeResourcesFit");
            TRY(read_fit_args(ld, fit, p));
            yd_path_pop(&ld->yd, k);
        }
        yd_path_pop(&ld->yd, m);
    }
    ld->cfg->sched = p;
    return CS_OK;
}

/* spec.output: what a run writes besides the summary. samples is the number of time-series
 * grid points (docs/results.md); 0 writes no timeseries.csv, and 1 is refused: one point
 * is no series. The points t_g = floor(g * duration / (samples - 1)) are whole nanoseconds,
 * so they are distinct exactly when samples - 1 <= duration in ns (each step is then at least
 * 1 ns; with more points than nanoseconds two must coincide), and more are refused: they
 * would repeat rows of timeseries.csv. spec.duration is read before this. */
static cs_status read_output(loader *ld, const yaml_node_t *n)
{
    static const char *const known[] = {"samples"};
    TRY(need_fields(ld, n, "a mapping such as {samples: 200}", known, COUNT_OF(known)));
    yaml_node_t *v = opt(ld, n, "samples");
    if (v == NULL)
        return CS_OK;
    size_t m = yd_path_key(&ld->yd, "samples");
    uint32_t samples;
    TRY(read_u32(ld, v, 0, MAX_SAMPLES, &samples));
    if (samples == 1)
        return yd_fail_expected(&ld->yd, v, "0 (no time series) or 2 to 100000 grid points");
    if (samples > 1 && (cs_time)(samples - 1) > ld->cfg->duration) {
        char d[32];
        return yd_fail_at(&ld->yd, v,
                          "expected 0 (no time series) or 2 to %" PRId64 " grid points (one per nanosecond of "
                          "spec.duration, %s, at most), found %s",
                          ld->cfg->duration + 1, cs_format_duration(ld->cfg->duration, d, sizeof d),
                          yd_describe(&ld->yd, v).s);
    }
    ld->cfg->samples = samples;
    yd_path_pop(&ld->yd, m);
    return CS_OK;
}

static cs_status read_spec(loader *ld, const yaml_node_t *n)
{
    static const char *const known[] = {"cluster", "duration", "include",  "output",   "properties",
                                        "replications", "scheduler", "seed", "timeline", "workloads"};
    cs_config *cfg = ld->cfg;
    TRY(need_fields(ld, n, "a mapping with duration and cluster", known, COUNT_OF(known)));
    yaml_node_t *v = NULL;
    size_t m;
    TRY(need(ld, n, "duration", &v));
    const yaml_node_t *duration = v;
    m = yd_path_key(&ld->yd, "duration");
    TRY(read_duration(ld, v, 1, CS_TIME_MAX, "a duration > 0 such as 24h", &cfg->duration));
    yd_path_pop(&ld->yd, m);
    cfg->replications = DEFAULT_REPLICATIONS;
    if ((v = opt(ld, n, "replications")) != NULL) {
        m = yd_path_key(&ld->yd, "replications");
        TRY(read_u32(ld, v, 1, MAX_REPLICATIONS, &cfg->replications));
        yd_path_pop(&ld->yd, m);
    }
    cfg->seed = DEFAULT_SEED;
    if ((v = opt(ld, n, "seed")) != NULL) {
        m = yd_path_key(&ld->yd, "seed");
        TRY(read_u64(ld, v, 0, UINT64_MAX, &cfg->seed));
        yd_path_pop(&ld->yd, m);
    }
    cfg->samples = CS_DEFAULT_SAMPLES;
    if ((v = opt(ld, n, "output")) != NULL) {
        m = yd_path_key(&ld->yd, "output");
        TRY(read_output(ld, v));
        yd_path_pop(&ld->yd, m);
    }
    /* read_output refuses a grid finer than a nanosecond; the default's can be, too. */
    if (cfg->samples > 1 && (cs_time)(cfg->samples - 1) > cfg->duration) {
        yd_path_key(&ld->yd, "duration");
        return yd_fail_at(&ld->yd, duration,
                          "expected a duration of at least %" PRIu32 "ns, one per step of the %" PRIu32
                          " time-series points spec.output.samples has by default (or set it lower, or 0), found %s",
                          cfg->samples - 1, cfg->samples, yd_describe(&ld->yd, duration).s);
    }
    TRY(need(ld, n, "cluster", &v));
    m = yd_path_key(&ld->yd, "cluster");
    TRY(read_cluster(ld, v));
    yd_path_pop(&ld->yd, m);
    static const struct {
        const char *key;
        cs_status (*read)(loader *, const yaml_node_t *);
    } lists[] = {{"scheduler", read_scheduler},
                 {"workloads", read_workloads},
                 {"include", read_includes},   /* after workloads, before what refers to them */
                 {"timeline", read_timeline},
                 {"properties", read_properties}};
    for (size_t i = 0; i < COUNT_OF(lists); i++) {
        if ((v = opt(ld, n, lists[i].key)) == NULL)
            continue;
        m = yd_path_key(&ld->yd, lists[i].key);
        TRY(lists[i].read(ld, v));
        yd_path_pop(&ld->yd, m);
    }
    /* nodePools: [] is a cluster made of the included manifests' Node objects (the form
     * results/<name>/scenario.yaml takes for a plain manifest run); with none, it is empty. */
    if (cfg->n_nodes == 0) {
        yaml_node_t *c = opt(ld, n, "cluster"), *pools = opt(ld, c, "nodePools");
        yd_path_key(&ld->yd, "cluster");
        yd_path_key(&ld->yd, "nodePools");
        return yd_fail_expected(&ld->yd, pools, "a non-empty sequence of node pools");
    }
    return CS_OK;
}

static const choice scenario_kind[] = {{"Scenario", 0}};
static const choice api_versions[] = {{API_VERSION, 0}};

static cs_status read_root(loader *ld, const yaml_node_t *root)
{
    static const char *const known[] = {"apiVersion", "kind", "metadata", "spec"};
    TRY(need_fields(ld, root, "a Scenario mapping with apiVersion, kind, metadata and spec", known,
                    COUNT_OF(known)));
    yaml_node_t *v = NULL;
    size_t m;
    int ignored = 0;
    TRY(need(ld, root, "apiVersion", &v));
    m = yd_path_key(&ld->yd, "apiVersion");
    TRY(read_choice(ld, v, api_versions, 1, &ignored));
    yd_path_pop(&ld->yd, m);
    TRY(need(ld, root, "kind", &v));
    m = yd_path_key(&ld->yd, "kind");
    TRY(read_choice(ld, v, scenario_kind, 1, &ignored));
    yd_path_pop(&ld->yd, m);
    TRY(need(ld, root, "metadata", &v));
    m = yd_path_key(&ld->yd, "metadata");
    TRY(read_metadata(ld, v));
    yd_path_pop(&ld->yd, m);
    TRY(need(ld, root, "spec", &v));
    m = yd_path_key(&ld->yd, "spec");
    TRY(read_spec(ld, v));
    yd_path_pop(&ld->yd, m);
    return CS_OK;
}

/* libyaml marks are 0-based; a reader error (bad encoding) has a byte offset instead. A tab
 * where a token should start is almost always indentation, so it gets its own note. */
static cs_status syntax_error(loader *ld, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR)
        return yd_oom(&ld->yd);
    size_t line = p->problem_mark.line + 1, col = p->problem_mark.column + 1, at = p->problem_mark.index;
    if (p->error == YAML_READER_ERROR) {
        size_t start = 0;
        line = 1;
        at = p->problem_offset < ld->len ? p->problem_offset : ld->len;
        for (size_t i = 0; i < at; i++)
            if (ld->data[i] == '\n') {
                line++;
                start = i + 1;
            }
        col = at - start + 1;
    } else {
        /* The mark counts characters; find its byte. */
        size_t chars = 0, i = 0;
        for (; i < ld->len && chars < at; i++)
            chars += ((unsigned char)ld->data[i] & 0xC0) != 0x80;
        while (i < ld->len && ((unsigned char)ld->data[i] & 0xC0) == 0x80)
            i++;
        at = i;
    }
    const char *problem = p->problem != NULL ? p->problem : "cannot parse the file";
    if (p->error == YAML_READER_ERROR && p->problem_value >= 0)
        yd_fail_in(&ld->yd, ld->yd.file, line, col, "invalid YAML: %s (#x%X)", problem, (unsigned)p->problem_value);
    else
        yd_fail_in(&ld->yd, ld->yd.file, line, col, "invalid YAML: %s", problem);
    if (p->error != YAML_READER_ERROR && at < ld->len && ld->data[at] == '\t')
        yd_hint(&ld->yd, "YAML does not allow tabs for indentation: use spaces");
    else if (p->context != NULL)
        yd_hint(&ld->yd, "%s at line %zu, column %zu", p->context, p->context_mark.line + 1,
                p->context_mark.column + 1);
    return CS_EINPUT;
}

static cs_status read_document(loader *ld)
{
    yaml_parser_t parser;
    yaml_document_t doc, extra;
    if (cs_manifest_sniff(ld->data, ld->len)) {   /* a plain Kubernetes manifest (sim/manifest.c) */
        cs_status st = cs_manifest_load_scenario(ld->cfg, ld->yd.file, ld->data, ld->len, ld->yd.diag);
        if (st != CS_OK && ld->yd.status == CS_OK)
            ld->yd.status = st;
        return st;
    }
    if (!yaml_parser_initialize(&parser))
        return yd_oom(&ld->yd);
    yaml_parser_set_input_string(&parser, (const unsigned char *)ld->data, ld->len);
    if (!yaml_parser_load(&parser, &doc)) {
        cs_status st = syntax_error(ld, &parser);
        yaml_parser_delete(&parser);
        return st;
    }
    ld->yd.doc = &doc;
    cs_status st;
    const yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root == NULL) {
        st = yd_fail_in(&ld->yd, ld->yd.file, 1, 1, "expected a Scenario document, found nothing");
    } else if (!yaml_parser_load(&parser, &extra)) {
        st = syntax_error(ld, &parser);
    } else {
        if (yaml_document_get_root_node(&extra) != NULL)
            st = yd_fail_in(&ld->yd, ld->yd.file, extra.start_mark.line + 1, extra.start_mark.column + 1,
                            "expected a single YAML document, found a second one");
        else
            st = read_root(ld, root);
        yaml_document_delete(&extra);
    }
    ld->yd.doc = NULL;
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return st;
}

cs_status cs_scenario_load_buffer(const char *name, const char *data, size_t len, cs_config **out, cs_diag *diag)
{
    cs_diag spare;
    loader ld = {
        .yd = {.file = name != NULL ? name : "<input>", .diag = diag != NULL ? diag : &spare, .named_escapes = true},
        .data = data != NULL ? data : "",
        .len = data != NULL ? len : 0,
    };
    const char *slash = strrchr(ld.yd.file, '/');
    ld.dir_len = slash != NULL ? (size_t)(slash - ld.yd.file) + 1 : 0;
    ld.arena = cs_arena_new();
    ld.tmp = cs_arena_new();
    cs_status st = CS_OK;
    if (ld.arena == NULL || ld.tmp == NULL || (ld.cfg = cs_arena_new_of(ld.arena, cs_config)) == NULL ||
        (ld.cfg->file = cs_arena_strdup(ld.arena, ld.yd.file)) == NULL)
        st = yd_oom(&ld.yd);
    if (st == CS_OK) {
        ld.cfg->arena = ld.arena;
        ld.cfg->node_monitor_grace = DEFAULT_NODE_MONITOR_GRACE_S * CS_SECOND;
        ld.cfg->not_ready_toleration_s = DEFAULT_TOLERATION_S;
        ld.cfg->unreachable_toleration_s = DEFAULT_TOLERATION_S;
        ld.cfg->node_eviction_rate = 0.1;             /* kube-controller-manager defaults */
        ld.cfg->secondary_node_eviction_rate = 0.01;
        ld.cfg->unhealthy_zone_threshold = 0.55;
        ld.cfg->large_cluster_threshold = 50;
        st = read_document(&ld);
    }
    cs_arena_free(ld.tmp);
    if (st != CS_OK) {
        cs_arena_free(ld.arena);
        return st;
    }
    *out = ld.cfg;
    return CS_OK;
}

cs_status cs_scenario_load_file(const char *path, cs_config **out, cs_diag *diag)
{
    cs_diag spare;
    if (diag == NULL)
        diag = &spare;
    char *buf = NULL;
    size_t len = 0;
    int err = 0;
    cs_status st = read_all(path, false, &buf, &len, &err);
    if (st != CS_OK) {
        memset(diag, 0, sizeof *diag);
        yd_copy_str(diag->file, sizeof diag->file, path);
        if (st == CS_ENOMEM)
            yd_copy_str(diag->msg, sizeof diag->msg, "out of memory");
        else
            snprintf(diag->msg, sizeof diag->msg, "cannot read file: %s", io_reason(err));
        return st;
    }
    st = cs_scenario_load_buffer(path, buf, len, out, diag);
    free(buf);
    return st;
}
