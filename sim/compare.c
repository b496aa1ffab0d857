/* compare.c -- `clustersim compare BASE NEW`: each metric's change, tested, with a verdict.
 *
 * With the same seed, replication r of both runs drew the same failures (common random
 * numbers), so what differs between them is mostly the policy's doing. When both folders
 * keep replications.csv (each replication's values) and the seeds and replication counts
 * agree, the tests use that pairing: a paired t-test on the per-replication differences of a
 * metric, and McNemar's exact test on the replications where a property held in one run
 * only. The shared draws then cancel out of the differences, and a change far smaller than
 * the spread between replications is seen (docs/compare.md).
 *
 * Otherwise (different seeds, a folder written with --no-replications) the tests are
 * unpaired: summary.json gives, per metric, the mean, sample sd and n, which is all Welch's
 * t-test needs; per property, held out of replications, which is all Fisher's exact test
 * needs. Unpaired tests are conservative under common random numbers: they may miss a small
 * change, but do not invent one.
 *
 * summary.json is read with jansson; a file that does not parse is reported at its line and
 * column, a key that is missing or of the wrong type by its path in the file, and a
 * replications.csv that does not parse at its line and column.
 */
#define _GNU_SOURCE   /* fnmatch's FNM_* flags are POSIX, but keep glibc's prototypes in view */
#include "clustersim/compare.h"

#include <errno.h>
#include <fnmatch.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- the bad direction of a metric ------------------------------------------------------- */

/* First match wins. Patterns are fnmatch globs over the metric names of models/result.c and
 * of properties ("property.<name>.probability"). */
static const struct {
    const char *pattern;
    cs_direction dir;
} directions[] = {
    {"property.*.probability", CS_DIR_DOWN_BAD},
    {"nodes.up_mean", CS_DIR_DOWN_BAD},
    {"workload.*.ready_mean", CS_DIR_DOWN_BAD},
    {"workload.*.ready_min", CS_DIR_DOWN_BAD},
    {"workload.*.full_fraction", CS_DIR_DOWN_BAD},
    {"pods.pending_*", CS_DIR_UP_BAD},
    {"scheduler.unschedulable", CS_DIR_UP_BAD},
    {"workload.*.no_ready_s", CS_DIR_UP_BAD},
    {"service.*.uncovered_s", CS_DIR_UP_BAD},
    {"pods.lost", CS_DIR_UP_BAD},
    {"drains.failed", CS_DIR_UP_BAD},
    {"drains.unfinished", CS_DIR_UP_BAD},
    {"evictions.refused", CS_DIR_UP_BAD},
    {"*latency*", CS_DIR_UP_BAD},
    {"*time_to_ready*", CS_DIR_UP_BAD},
    {"*preemptions*", CS_DIR_UP_BAD},
};

cs_direction cs_compare_direction(const char *metric)
{
    for (size_t i = 0; i < sizeof directions / sizeof directions[0]; i++)
        if (fnmatch(directions[i].pattern, metric, 0) == 0)
            return directions[i].dir;
    return CS_DIR_NEUTRAL;
}

/* ---- the tests --------------------------------------------------------------------------- */

bool cs_compare_welch(double mean1, double sd1, double n1, double mean2, double sd2, double n2, cs_welch *out)
{
    if (!(n1 >= 2 && n2 >= 2))
        return false;
    double v1 = sd1 * sd1 / n1, v2 = sd2 * sd2 / n2, diff = mean2 - mean1;
    if (v1 + v2 == 0) {
        /* Both samples constant: a difference is certain, equality is no change at all. */
        *out = (cs_welch){.t = diff == 0 ? 0 : copysign(INFINITY, diff), .df = NAN, .p = diff == 0 ? 1 : 0};
        return true;
    }
    /* Welch (1947), Satterthwaite (1946): df = (v1 + v2)^2 / (v1^2/(n1-1) + v2^2/(n2-1)). */
    double t = diff / sqrt(v1 + v2);
    double df = (v1 + v2) * (v1 + v2) / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1));
    *out = (cs_welch){.t = t, .df = df, .p = fmin(1, 2 * gsl_cdf_tdist_Q(fabs(t), df))};
    return true;
}

bool cs_compare_paired_t(const double *d, size_t n, cs_welch *out)
{
    if (n < 2)
        return false;
    double sum = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        sum += d[i];
    double mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (d[i] - mean) * (d[i] - mean);
    double se = sqrt(ss / (double)(n - 1) / (double)n), df = (double)(n - 1);
    if (se == 0) {
        *out = (cs_welch){.t = mean == 0 ? 0 : copysign(INFINITY, mean), .df = df, .p = mean == 0 ? 1 : 0};
        return true;
    }
    double t = mean / se;
    *out = (cs_welch){.t = t, .df = df, .p = fmin(1, 2 * gsl_cdf_tdist_Q(fabs(t), df))};
    return true;
}

double cs_compare_mcnemar(uint64_t b, uint64_t c)
{
    CS_ASSERT(b + c < UINT32_MAX);
    if (b + c == 0)
        return 1;
    uint64_t k = b < c ? b : c;
    return fmin(1, 2 * gsl_cdf_binomial_P((unsigned)k, 0.5, (unsigned)(b + c)));
}

double cs_compare_fisher(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2)
{
    CS_ASSERT(x1 <= n1 && x2 <= n2 && n1 + n2 < UINT32_MAX);
    if (n1 == 0 || n2 == 0)
        return 1;
    /* X, the successes in group 1, is hypergeometric given the margins: n1 draws from a
     * population of x1 + x2 successes and the rest failures. */
    unsigned succ = (unsigned)(x1 + x2), fail = (unsigned)(n1 + n2 - x1 - x2), draws = (unsigned)n1;
    unsigned lo = draws > fail ? draws - fail : 0, hi = draws < succ ? draws : succ;
    double seen = gsl_ran_hypergeometric_pdf((unsigned)x1, succ, fail, draws), p = 0;
    for (unsigned k = lo; k <= hi; k++) {
        double pk = gsl_ran_hypergeometric_pdf(k, succ, fail, draws);
        if (pk <= seen * (1 + 1e-7))
            p += pk;
    }
    return fmin(1, p);
}

/* An index into p[], sorted by its value, then by position (qsort is not stable). */
typedef struct ranked {
    double p;
    size_t i;
} ranked;

static int by_p(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->p != y->p)
        return (x->p > y->p) - (x->p < y->p);
    return (x->i > y->i) - (x->i < y->i);
}

cs_status cs_compare_holm(const double *p, size_t n, double *adj)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += !isnan(p[i]);
    ranked *r = malloc((m + 1) * sizeof *r);
    if (r == NULL)
        return CS_ENOMEM;
    for (size_t i = 0, k = 0; i < n; i++) {
        adj[i] = NAN;
        if (!isnan(p[i]))
            r[k++] = (ranked){.p = p[i], .i = i};
    }
    qsort(r, m, sizeof *r, by_p);
    /* Holm (1979): the k-th smallest (from 0) is multiplied by m - k, and the adjusted values
     * are made non-decreasing in that order, capped at 1. */
    double run = 0;
    for (size_t k = 0; k < m; k++) {
        run = fmax(run, fmin(1, (double)(m - k) * r[k].p));
        adj[r[k].i] = run;
    }
    free(r);
    return CS_OK;
}

/* ---- reading summary.json ---------------------------------------------------------------- */

typedef struct summary {
    char path[1024];
    char *text;            /* the file, for the seed (see read_seed) */
    json_t *root;
    json_t *metrics;       /* object: name -> {mean, sd, n, ...} */
    json_t *props;         /* array of {name, held, replications, ...} */
    double reps;
    char seed[32];         /* digits, or "?" */
} summary;

/* Copies src into dst[size], cut short if it must be (a path longer than the diag's field). */
static void copy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static cs_status fail(cs_diag *d, const char *file, int line, int col, const char *path, const char *fmt,
                      const char *arg)
{
    *d = (cs_diag){.line = line, .col = col};
    copy(d->file, sizeof d->file, file);
    copy(d->path, sizeof d->path, path);
    snprintf(d->msg, sizeof d->msg, fmt, arg);
    return CS_EINPUT;
}

static void summary_free(summary *s)
{
    json_decref(s->root);
    free(s->text);
    *s = (summary){0};
}

/* The seed as written: unquoted digits of a uint64_t, which jansson's int64 cannot hold
 * beyond 2^63 - 1, so they are read from the text. */
static void read_seed(summary *s)
{
    snprintf(s->seed, sizeof s->seed, "?");
    const char *at = strstr(s->text, "\n  \"seed\": ");
    if (at == NULL)
        return;
    at += strlen("\n  \"seed\": ");
    size_t n = strspn(at, "0123456789");
    if (n > 0 && n < sizeof s->seed)
        snprintf(s->seed, sizeof s->seed, "%.*s", (int)n, at);
}

/* Reads a whole file into a NUL-terminated string. Returns NULL with errno set. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (ferror(f) || feof(f))
            break;
        char *bigger = realloc(buf, cap * 2);
        if (bigger == NULL) {
            free(buf);
            buf = NULL;
            errno = ENOMEM;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int err = buf == NULL ? ENOMEM : ferror(f) ? EIO : 0;
    fclose(f);
    if (err != 0) {
        free(buf);
        errno = err;
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

static cs_status summary_load(const char *where, summary *s, cs_diag *d)
{
    *s = (summary){0};
    struct stat st;
    size_t len = strlen(where);
    bool is_dir = stat(where, &st) == 0 && S_ISDIR(st.st_mode);
    if (is_dir)
        snprintf(s->path, sizeof s->path, "%s%ssummary.json", where, len > 0 && where[len - 1] == '/' ? "" : "/");
    else
        snprintf(s->path, sizeof s->path, "%s", where);
    if ((s->text = slurp(s->path)) == NULL) {
        if (errno == ENOMEM)
            return CS_ENOMEM;
        if (!is_dir && errno == ENOENT)
            return fail(d, where, 0, 0, "", "expected a results folder holding summary.json (%s)", strerror(ENOENT));
        return fail(d, s->path, 0, 0, "", "cannot read: %s", strerror(errno));
    }
    read_seed(s);
    json_error_t je;
    /* Integers as reals: n and held fit a double exactly, and the seed is read from the text. */
    s->root = json_loads(s->text, JSON_DECODE_INT_AS_REAL, &je);
    if (s->root == NULL)
        return fail(d, s->path, je.line, je.column, "", "not JSON: %s", je.text);
    if (!json_is_object(s->root))
        return fail(d, s->path, 1, 1, "", "expected a clustersim summary (a JSON object), found %s",
                    json_is_array(s->root) ? "an array" : "a scalar");
    s->metrics = json_object_get(s->root, "metrics");
    if (!json_is_object(s->metrics))
        return fail(d, s->path, 0, 0, "metrics", "expected an object of metric summaries%s",
                    s->metrics == NULL ? " (is this a clustersim summary.json?)" : "");
    s->props = json_object_get(s->root, "properties");
    if (s->props != NULL && !json_is_array(s->props))
        return fail(d, s->path, 0, 0, "properties", "expected an array%s", "");
    json_t *reps = json_object_get(s->root, "replications");
    if (!json_is_number(reps))
        return fail(d, s->path, 0, 0, "replications", "expected a number%s", "");
    s->reps = json_number_value(reps);
    return CS_OK;
}

/* A number, or NaN for null or anything else. */
static double num(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* ---- reading replications.csv ------------------------------------------------------------ */

typedef struct per_rep {
    bool present;
    char path[1024];
    char *text;            /* the file; names point into it */
    char **names;          /* the columns after "replication" */
    size_t n_cols, n_rows;
    double *values;        /* n_rows x n_cols; NaN for an empty field */
} per_rep;

static void per_rep_free(per_rep *r)
{
    free(r->text);
    free(r->names);
    free(r->values);
    *r = (per_rep){0};
}

/* Splits the header at `line` in place into its names, unquoting the quoted ones as RFC 4180
 * has them ("a, b" and "say ""hi"""; replications.c quotes a name with a comma, a quote or a
 * line break). Sets *end to the header's newline. Returns the number of names, 0 for a header
 * that does not parse (a quote not closed, text after a closing quote), SIZE_MAX when out of
 * memory. */
static size_t split_header(char *line, char ***names, char **end)
{
    size_t cap = 16, k = 0;
    *names = malloc(cap * sizeof **names);
    if (*names == NULL)
        return SIZE_MAX;
    for (char *c = line;;) {
        if (k == cap) {
            char **more = realloc(*names, 2 * cap * sizeof **names);
            if (more == NULL)
                return SIZE_MAX;
            *names = more;
            cap *= 2;
        }
        char *start = c, *out = c;
        if (*c == '"') {
            for (c++;; c++) {
                if (*c == '\0')
                    return 0;
                if (*c == '"' && c[1] != '"')
                    break;
                c += *c == '"';   /* "" is one quote */
                *out++ = *c;
            }
            c++;
        } else {
            while (*c != ',' && *c != '\n' && *c != '\0')
                *out++ = *c++;
        }
        if (*c != ',' && *c != '\n')
            return 0;
        bool last = *c == '\n';
        *end = c;
        *out = '\0';
        (*names)[k++] = start;
        if (last)
            return k;
        c++;
    }
}

/* Reads replications.csv beside summary.json when there is one (r->present); `reps` is what
 * summary.json says. Returns CS_OK (present or not), CS_EINPUT with diag at the line and
 * column that does not parse, or CS_ENOMEM. */
static cs_status per_rep_load(const summary *s, per_rep *r, cs_diag *d)
{
    *r = (per_rep){0};
    const char *slash = strrchr(s->path, '/');
    int dir = slash != NULL ? (int)(slash - s->path) + 1 : 0;
    snprintf(r->path, sizeof r->path, "%.*sreplications.csv", dir, s->path);
    if ((r->text = slurp(r->path)) == NULL) {
        if (errno == ENOMEM)
            return CS_ENOMEM;
        if (errno == ENOENT)
            return CS_OK;
        return fail(d, r->path, 0, 0, "", "cannot read: %s", strerror(errno));
    }
    r->present = true;
    char *line = r->text, *end = NULL;
    if (strncmp(line, "replication,", strlen("replication,")) != 0)
        return fail(d, r->path, 1, 1, "", "expected a header line starting %s", "\"replication,\"");
    size_t cols = split_header(line, &r->names, &end);
    if (cols == SIZE_MAX)
        return CS_ENOMEM;
    if (cols == 0)
        return fail(d, r->path, 1, 1, "", "expected a header of names separated by commas, %s",
                    "a quoted name closed by a quote and followed by a comma or the line's end");
    r->n_cols = cols - 1;
    memmove(r->names, r->names + 1, r->n_cols * sizeof *r->names);
    if (!(s->reps >= 0 && s->reps < 1e9) || s->reps != floor(s->reps))
        return fail(d, s->path, 0, 0, "replications", "expected a whole number of replications%s", "");
    size_t want = (size_t)s->reps;
    /* Every value takes at least a comma of the file, which bounds the table. */
    if (r->n_cols > strlen(end + 1) + 1 || (want > 0 && r->n_cols > (SIZE_MAX / sizeof(double) - 1) / want))
        return fail(d, r->path, 0, 0, "", "expected one row per replication, %s", "found too few values");
    r->values = malloc((want * r->n_cols + 1) * sizeof *r->values);
    if (r->values == NULL)
        return CS_ENOMEM;
    char *at = end + 1;
    for (int ln = 2; *at != '\0'; ln++) {
        end = strchr(at, '\n');
        if (end == NULL)
            return fail(d, r->path, ln, 1, "", "expected a line ending in a newline%s", "");
        *end = '\0';
        char *f = at, *stop;
        errno = 0;
        unsigned long idx = strtoul(f, &stop, 10);
        if (stop == f || *stop != ',' || errno != 0 || idx != r->n_rows || r->n_rows >= want) {
            char what[64];
            snprintf(what, sizeof what, "%zu", r->n_rows);
            return fail(d, r->path, ln, 1, "",
                        r->n_rows >= want ? "expected no more rows than summary.json's replications (row %s on)"
                                          : "expected replication %s first on the line",
                        what);
        }
        f = stop + 1;
        for (size_t c = 0; c < r->n_cols; c++) {
            double *v = &r->values[r->n_rows * r->n_cols + c];
            size_t len = strcspn(f, ",");
            bool last = c + 1 == r->n_cols;
            /* Too many columns: at the comma after the last; too few: where the next should be. */
            if (last && f[len] == ',')
                return fail(d, r->path, ln, (int)(f + len - at) + 1, r->names[c], "expected the line to end, %s",
                            "found another column");
            if (!last && f[len] != ',')
                return fail(d, r->path, ln, (int)(f + len - at) + 1, r->names[c + 1], "expected this column, %s",
                            "found the line's end");
            if (len == 0) {
                *v = NAN;
            } else {
                *v = strtod(f, &stop);
                if (stop != f + len) {
                    char what[48];
                    snprintf(what, sizeof what, "%.*s", (int)(len < 40 ? len : 40), f);
                    return fail(d, r->path, ln, (int)(f - at) + 1, r->names[c], "expected a number, found '%s'",
                                what);
                }
            }
            f += len + !last;
        }
        r->n_rows++;
        at = end + 1;
    }
    if (r->n_rows != want) {
        char what[64];
        snprintf(what, sizeof what, "%zu rows, summary.json says %zu replications", r->n_rows, want);
        return fail(d, r->path, 0, 0, "", "expected one row per replication, found %s", what);
    }
    return CS_OK;
}

/* The column `name` of r, or -1. */
static long column(const per_rep *r, const char *name)
{
    for (size_t c = 0; c < r->n_cols; c++)
        if (strcmp(r->names[c], name) == 0)
            return (long)c;
    return -1;
}

/* ---- rows -------------------------------------------------------------------------------- */

typedef enum verdict { V_SAME, V_WORSE, V_BETTER, V_CHANGED, V_UNTESTED } verdict;

typedef struct row {
    char name[256];
    double base, new_;
    double p, p_holm;      /* NaN when untested; p_holm: Holm-adjusted over the tested rows */
    const char *test;      /* "paired", "mcnemar" (paired runs); "welch", "fisher" */
    cs_direction dir;
    verdict v;
} row;

static const char *verdict_word(verdict v)
{
    switch (v) {
    case V_WORSE: return "WORSE";
    case V_BETTER: return "better";
    case V_CHANGED: return "changed";
    case V_UNTESTED: return "n/a";
    case V_SAME: break;
    }
    return "-";
}

static bool selected(const char *name, const cs_compare_options *opt, bool *used)
{
    if (opt->n_metrics == 0)
        return true;
    bool any = false;
    for (size_t i = 0; i < opt->n_metrics; i++)
        if (fnmatch(opt->metrics[i], name, 0) == 0)
            any = used[i] = true;
    return any;
}

/* The verdict of a row from the p-value the options decide on (raw or Holm-adjusted). */
static void judge(row *r, double alpha, bool holm)
{
    double p = holm ? r->p_holm : r->p;
    if (isnan(p)) {
        r->v = V_UNTESTED;
        return;
    }
    if (!(p < alpha) || r->new_ == r->base) {
        r->v = V_SAME;
        return;
    }
    bool up = r->new_ > r->base;
    if (r->dir == CS_DIR_NEUTRAL)
        r->v = V_CHANGED;
    else
        r->v = (up == (r->dir == CS_DIR_UP_BAD)) ? V_WORSE : V_BETTER;
}

/* The two runs, replication by replication, when they pair (both NULL otherwise), and room
 * for one difference per replication. */
typedef struct pairing {
    const per_rep *a, *b;
    double *d;
} pairing;

/* The paired t-test of `name`'s per-replication differences; false when the runs do not
 * pair, a column is missing or a value is not a number (the row is then tested unpaired). */
static bool paired_row(row *r, const char *name, const pairing *pr)
{
    long ca = pr->a != NULL ? column(pr->a, name) : -1, cb = pr->b != NULL ? column(pr->b, name) : -1;
    if (ca < 0 || cb < 0)
        return false;
    size_t n = pr->a->n_rows;
    for (size_t i = 0; i < n; i++) {
        pr->d[i] = pr->b->values[i * pr->b->n_cols + (size_t)cb] - pr->a->values[i * pr->a->n_cols + (size_t)ca];
        if (isnan(pr->d[i]))
            return false;
    }
    cs_welch w;
    if (!cs_compare_paired_t(pr->d, n, &w))
        return false;
    r->test = "paired";
    r->p = w.p;
    return true;
}

static void metric_row(row *r, const char *name, const json_t *a, const json_t *b, const pairing *pr)
{
    snprintf(r->name, sizeof r->name, "%s", name);
    r->dir = cs_compare_direction(name);
    r->test = "welch";
    r->base = num(a, "mean");
    r->new_ = num(b, "mean");
    r->p = NAN;
    if (!isnan(r->base) && !isnan(r->new_) && paired_row(r, name, pr))
        return;
    cs_welch w;
    bool tested = !isnan(r->base) && !isnan(r->new_) && !isnan(num(a, "sd")) && !isnan(num(b, "sd")) &&
                  cs_compare_welch(r->base, num(a, "sd"), num(a, "n"), r->new_, num(b, "sd"), num(b, "n"), &w);
    if (tested)
        r->p = w.p;
}

/* The property named `name` in an array of properties, or NULL. */
static const json_t *find_prop(const json_t *props, const char *name)
{
    for (size_t i = 0; i < json_array_size(props); i++) {
        const json_t *p = json_array_get(props, i);
        const char *n = json_string_value(json_object_get(p, "name"));
        if (n != NULL && strcmp(n, name) == 0)
            return p;
    }
    return NULL;
}

/* McNemar's exact test of a property, from the replications where it held in one run only;
 * false when the runs do not pair or a column is missing or not 0/1. */
static bool mcnemar_row(row *r, const char *name, const pairing *pr)
{
    char col[300];
    snprintf(col, sizeof col, "property.%s.held", name);
    long ca = pr->a != NULL ? column(pr->a, col) : -1, cb = pr->b != NULL ? column(pr->b, col) : -1;
    if (ca < 0 || cb < 0)
        return false;
    uint64_t only_base = 0, only_new = 0;
    for (size_t i = 0; i < pr->a->n_rows; i++) {
        double x = pr->a->values[i * pr->a->n_cols + (size_t)ca], y = pr->b->values[i * pr->b->n_cols + (size_t)cb];
        if ((x != 0 && x != 1) || (y != 0 && y != 1))
            return false;
        only_base += x == 1 && y == 0;
        only_new += x == 0 && y == 1;
    }
    r->test = "mcnemar";
    r->p = cs_compare_mcnemar(only_base, only_new);
    return true;
}

static void prop_row(row *r, const char *name, const json_t *a, const json_t *b, const pairing *pr)
{
    snprintf(r->name, sizeof r->name, "property.%s.probability", name);
    r->dir = cs_compare_direction(r->name);
    r->test = "fisher";
    double x1 = num(a, "held"), n1 = num(a, "replications"), x2 = num(b, "held"), n2 = num(b, "replications");
    bool tested = x1 >= 0 && x1 <= n1 && x2 >= 0 && x2 <= n2 && n1 + n2 < 4e9 && x1 == floor(x1) &&
                  x2 == floor(x2) && n1 == floor(n1) && n2 == floor(n2);
    r->base = n1 > 0 ? x1 / n1 : NAN;
    r->new_ = n2 > 0 ? x2 / n2 : NAN;
    tested = tested && n1 > 0 && n2 > 0;
    r->p = NAN;
    if (tested && mcnemar_row(r, name, pr))
        return;
    r->p = tested ? cs_compare_fisher((uint64_t)x1, (uint64_t)n1, (uint64_t)x2, (uint64_t)n2) : NAN;
}

/* ---- the table --------------------------------------------------------------------------- */

static void format_change(const row *r, char *buf, size_t size)
{
    if (isnan(r->base) || isnan(r->new_))
        snprintf(buf, size, "?");
    else if (r->base != 0)
        snprintf(buf, size, "%+.3g%%", 100 * (r->new_ - r->base) / fabs(r->base));
    else
        snprintf(buf, size, "%+.4g", r->new_ - r->base);
}

static void format_p(double p, char *buf, size_t size)
{
    if (isnan(p))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.3g", p);
}

static void print_table(FILE *f, const row *rows, size_t n)
{
    enum { NUM = 32 };
    int wname = (int)strlen("metric");
    for (size_t i = 0; i < n; i++)
        if ((int)strlen(rows[i].name) > wname)
            wname = (int)strlen(rows[i].name);
    fprintf(f, "  %-*s  %12s  %12s  %9s  %-7s  %9s  %9s  %s\n", wname, "metric", "base", "new", "change", "test", "p",
            "p (Holm)", "verdict");
    for (size_t i = 0; i < n; i++) {
        const row *r = &rows[i];
        char change[NUM], p[NUM], ph[NUM];
        format_change(r, change, sizeof change);
        format_p(r->p, p, sizeof p);
        format_p(r->p_holm, ph, sizeof ph);
        const char *why = r->v == V_WORSE ? (r->dir == CS_DIR_UP_BAD ? " (up is bad)" : " (down is bad)") : "";
        fprintf(f, "  %-*s  %12.6g  %12.6g  %9s  %-7s  %9s  %9s  %s%s\n", wname, r->name, r->base, r->new_, change,
                r->test, p, ph, verdict_word(r->v), why);
    }
}

cs_status cs_compare_run(const char *base, const char *new_dir, const cs_compare_options *opt, FILE *f,
                         bool *regressed, cs_diag *diag)
{
    summary a, b;
    cs_status st = summary_load(base, &a, diag);
    if (st != CS_OK) {
        summary_free(&a);
        return st;
    }
    if ((st = summary_load(new_dir, &b, diag)) != CS_OK) {
        summary_free(&a);
        summary_free(&b);
        return st;
    }
    /* The runs pair when both kept their replications and share seed and count. */
    per_rep ra, rb;
    st = per_rep_load(&a, &ra, diag);
    if (st == CS_OK)
        st = per_rep_load(&b, &rb, diag);
    else
        rb = (per_rep){0};
    const char *unpaired = NULL;
    if (!ra.present || !rb.present)
        unpaired = "a folder has no replications.csv (written with --no-replications?)";
    else if (strcmp(a.seed, b.seed) != 0 || strcmp(a.seed, "?") == 0)
        unpaired = "the seeds differ";
    else if (ra.n_rows != rb.n_rows)
        unpaired = "the replication counts differ";
    pairing pr = {0};
    if (st == CS_OK && unpaired == NULL) {
        pr = (pairing){.a = &ra, .b = &rb, .d = malloc((ra.n_rows + 1) * sizeof *pr.d)};
        if (pr.d == NULL)
            st = CS_ENOMEM;
    }
    size_t cap = json_object_size(a.metrics) + json_array_size(a.props) + 1;
    row *rows = st == CS_OK ? calloc(cap, sizeof *rows) : NULL;
    bool *used = st == CS_OK ? calloc(opt->n_metrics + 1, sizeof *used) : NULL;
    if (rows == NULL || used == NULL) {
        st = st != CS_OK ? st : CS_ENOMEM;
        goto done;
    }

    size_t n = 0, only_base = 0, only_new = 0;
    const char *key;
    json_t *va;
    json_object_foreach(a.metrics, key, va) {
        json_t *vb = json_object_get(b.metrics, key);
        if (!selected(key, opt, used))
            continue;
        if (vb == NULL)
            only_base++;
        else
            metric_row(&rows[n++], key, va, vb, &pr);
    }
    json_object_foreach(b.metrics, key, va)
        only_new += json_object_get(a.metrics, key) == NULL && selected(key, opt, used);
    for (size_t i = 0; i < json_array_size(a.props); i++) {
        const json_t *pa = json_array_get(a.props, i);
        const char *name = json_string_value(json_object_get(pa, "name"));
        char full[300];
        snprintf(full, sizeof full, "property.%s.probability", name != NULL ? name : "");
        const json_t *pb = name != NULL ? find_prop(b.props, name) : NULL;
        if (name == NULL || !selected(full, opt, used))
            continue;
        if (pb == NULL)
            only_base++;
        else
            prop_row(&rows[n++], name, pa, pb, &pr);
    }

    for (size_t i = 0; i < opt->n_metrics && st == CS_OK; i++)
        if (!used[i])
            st = fail(diag, "clustersim compare", 0, 0, "--metric",
                      "'%s' matches no metric or property of the base summary (a property is "
                      "property.<name>.probability)",
                      opt->metrics[i]);

    double *p = NULL, *adj = NULL;
    if (st == CS_OK) {
        p = malloc((n + 1) * sizeof *p);
        adj = malloc((n + 1) * sizeof *adj);
        for (size_t i = 0; p != NULL && i < n; i++)
            p[i] = rows[i].p;
        st = p != NULL && adj != NULL ? cs_compare_holm(p, n, adj) : CS_ENOMEM;
    }
    size_t tested = 0;
    for (size_t i = 0; st == CS_OK && i < n; i++) {
        rows[i].p_holm = adj[i];
        tested += !isnan(rows[i].p);
        judge(&rows[i], opt->alpha, !opt->per_metric);
    }
    free(p);
    free(adj);

    if (st == CS_OK) {
        fprintf(f, "base: %s (%.0f replications, seed %s)\nnew:  %s (%.0f replications, seed %s)\n", a.path, a.reps,
                a.seed, b.path, b.reps, b.seed);
        if (strcmp(a.seed, b.seed) != 0)
            fprintf(f, "note: the seeds differ, so the runs do not share their failure draws (common random "
                       "numbers); small changes are harder to see\n");
        if (unpaired == NULL)
            fprintf(f, "paired: replication r of each run drew the same failures (same seed); metrics by a paired "
                       "t-test, properties by McNemar's exact test\n");
        else
            fprintf(f, "unpaired: %s; metrics by Welch's t-test, properties by Fisher's exact test\n", unpaired);
        fputc('\n', f);
        print_table(f, rows, n);
        size_t worse = 0;
        for (size_t i = 0; i < n; i++)
            worse += rows[i].v == V_WORSE;
        if (only_base + only_new > 0)
            fprintf(f, "\nnote: %zu metric%s only in the base, %zu only in the new summary (not compared)\n",
                    only_base, only_base == 1 ? "" : "s", only_new);
        fprintf(f, "\n%s: %zu of %zu metric%s significantly worse at alpha %g", worse > 0 ? "REGRESSION" : "OK",
                worse, n, n == 1 ? "" : "s", opt->alpha);
        if (opt->per_metric)
            fprintf(f, " (each test on its own)");
        else
            fprintf(f, " (Holm-adjusted over %zu test%s)", tested, tested == 1 ? "" : "s");
        for (size_t i = 0, k = 0; i < n; i++)
            if (rows[i].v == V_WORSE)
                fprintf(f, "%s%s", k++ == 0 ? ": " : ", ", rows[i].name);
        fputc('\n', f);
        *regressed = worse > 0;
    }
done:
    free(rows);
    free(used);
    free(pr.d);
    per_rep_free(&ra);
    per_rep_free(&rb);
    summary_free(&a);
    summary_free(&b);
    return st;
}
