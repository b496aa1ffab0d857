/* report.c -- summary.json (jansson), the terminal summary, and the JSON-lines trace.
 *
 * Every file goes through report_file.c: written to a temporary name and renamed into place.
 *
 * summary.json holds only what the scenario and the seed determine. Keys are inserted in
 * a fixed order and jansson (>= 2.8) keeps insertion order when it dumps, so the same run
 * gives the same bytes.
 */
#include "clustersim/report.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clustersim/result.h"
#include "report_file.h"

/* ---- summary.json ------------------------------------------------------------------------ */

/* JSON has no NaN or infinity: a value that is not finite is written as null. */
static json_t *real(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

/* Sets obj[key] = v (stolen), clearing *ok when v is NULL or the insertion fails. */
static void put(json_t *obj, const char *key, json_t *v, bool *ok)
{
    if (json_object_set_new(obj, key, v) != 0)
        *ok = false;
}

static json_t *pair(double lo, double hi, bool *ok)
{
    json_t *a = json_array();
    if (a == NULL || json_array_append_new(a, real(lo)) != 0 || json_array_append_new(a, real(hi)) != 0)
        *ok = false;
    return a;
}

static json_t *stat_json(const cs_stat *st, bool *ok)
{
    json_t *o = json_object();
    if (o == NULL) {
        *ok = false;
        return NULL;
    }
    /* With no values there is no mean, rather than a mean of 0. */
    bool any = st->n > 0;
    put(o, "mean", any ? real(st->mean) : json_null(), ok);
    put(o, "sd", any ? real(st->sd) : json_null(), ok);
    put(o, "ci95", any ? pair(st->ci_lo, st->ci_hi, ok) : json_null(), ok);
    put(o, "min", any ? real(st->min) : json_null(), ok);
    put(o, "max", any ? real(st->max) : json_null(), ok);
    put(o, "p5", any ? real(st->p5) : json_null(), ok);
    put(o, "p50", any ? real(st->p50) : json_null(), ok);
    put(o, "p95", any ? real(st->p95) : json_null(), ok);
    put(o, "n", json_integer((json_int_t)st->n), ok);
    return o;
}

/* Latency quantiles reported from every merged histogram, with their JSON keys. */
static const struct {
    const char *key;
    double q;
} latency_quantiles[] = {{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}, {"p99.9", 0.999}};

/* A merged latency histogram in seconds: how many values, their exact mean, min and max,
 * and the quantiles (each within 0.39% of the exact one, histogram.h). */
static json_t *latency_json(const cs_hist *h, bool *ok)
{
    json_t *o = json_object();
    if (o == NULL) {
        *ok = false;
        return NULL;
    }
    bool any = h->n > 0;
    put(o, "n", json_integer((json_int_t)h->n), ok);
    put(o, "mean", any ? real(cs_hist_mean(h) / 1e9) : json_null(), ok);
    put(o, "min", any ? real((double)h->min / 1e9) : json_null(), ok);
    for (size_t i = 0; i < sizeof latency_quantiles / sizeof latency_quantiles[0]; i++)
        put(o, latency_quantiles[i].key, any ? real(cs_hist_quantile(h, latency_quantiles[i].q) / 1e9) : json_null(),
            ok);
    put(o, "max", any ? real((double)h->max / 1e9) : json_null(), ok);
    return o;
}

/* Entry i of a section of named objects: writes its name into name[size] and returns its value. */
typedef json_t *entry_fn(const cs_config *cfg, const cs_run_summary *s, size_t i, char *name, size_t size, bool *ok);

static json_t *metric_entry(const cs_config *cfg, const cs_run_summary *s, size_t i, char *name, size_t size,
                            bool *ok)
{
    cs_result_metric_name(cfg, i, name, size);
    return stat_json(&s->metrics[i], ok);
}

static json_t *latency_entry(const cs_config *cfg, const cs_run_summary *s, size_t i, char *name, size_t size,
                             bool *ok)
{
    cs_result_latency_name(cfg, i, name, size);
    return latency_json(&s->latency[i], ok);
}

/* Sets root[key] to an object of the n entries fn gives, in order. */
static void put_section(json_t *root, const char *key, size_t n, entry_fn *fn, const cs_config *cfg,
                        const cs_run_summary *s, bool *ok)
{
    json_t *o = json_object();
    for (size_t i = 0; o != NULL && i < n; i++) {
        char name[256];
        json_t *v = fn(cfg, s, i, name, sizeof name, ok);
        put(o, name, v, ok);
    }
    put(root, key, o, ok);
}

/* The name of the least precise headline metric ("property.NAME.probability" for a
 * property), into buf. */
static char *worst_name(const cs_config *cfg, const cs_run_summary *s, char *buf, size_t size)
{
    if (s->worst.property)
        snprintf(buf, size, "property.%s.probability", cfg->properties[s->worst.index].name);
    else
        cs_result_metric_name(cfg, s->worst.index, buf, size);
    return buf;
}

/* What ended the run: "replications" (the cap, --reps or spec.replications, was reached) or
 * "precision" (every headline metric got precise enough first), with the least precise
 * headline metric at the end. */
static json_t *stopping_json(const cs_config *cfg, const cs_run_summary *s, bool *ok)
{
    json_t *o = json_object();
    if (o == NULL) {
        *ok = false;
        return NULL;
    }
    put(o, "rule", json_string(s->stopped_by_precision ? "precision" : "replications"), ok);
    put(o, "precision", s->precision > 0 ? real(s->precision) : json_null(), ok);
    put(o, "max_replications", json_integer((json_int_t)s->max_reps), ok);
    put(o, "batches", json_integer((json_int_t)s->batches), ok);
    char name[256];
    put(o, "least_precise", s->worst.any ? json_string(worst_name(cfg, s, name, sizeof name)) : json_null(), ok);
    put(o, "relative_half_width", s->worst.any ? real(s->worst.rel_half) : json_null(), ok);
    return o;
}

/* A property's type as the scenario spells it (sim/scenario.c property_kinds). */
static const char *property_type(cs_property_kind kind)
{
    switch (kind) {
    case CS_PROP_AVAILABILITY: return "availability";
    case CS_PROP_NO_OVERCOMMIT: return "noOvercommit";
    case CS_PROP_COVERAGE: return "coverage";
    case CS_PROP_PDB: return "pdb";
    case CS_PROP_NO_POD_LOST: return "noPodLost";
    case CS_PROP_ROLLOUT_BOUNDS: return "rolloutBounds";
    case CS_PROP_SCHEDULING_VALIDITY: return "schedulingValidity";
    }
    return "?";
}

/* The seed is a uint64_t and jansson's integers are signed 64-bit, so the seed goes in as a
 * string of digits and loses its quotes after dumping (see unquote_seed). */
#define SEED_KEY "\n  \"seed\": \""

static json_t *summary_json(const cs_config *cfg, const cs_run_summary *s, bool *ok)
{
    json_t *root = json_object();
    if (root == NULL) {
        *ok = false;
        return NULL;
    }
    put(root, "schemaVersion", json_integer(CS_SUMMARY_SCHEMA_VERSION), ok);
    put(root, "clustersim", json_string(cs_version()), ok);

    json_t *sc = json_object();
    if (sc != NULL) {
        put(sc, "name", json_string(cfg->name != NULL ? cfg->name : ""), ok);
        put(sc, "file", json_string(cfg->file != NULL ? cfg->file : ""), ok);
        put(sc, "duration_s", real((double)cfg->duration / 1e9), ok);
    }
    put(root, "scenario", sc, ok);

    char digits[32];
    snprintf(digits, sizeof digits, "%llu", (unsigned long long)s->seed);
    put(root, "seed", json_string(digits), ok);
    put(root, "replications", json_integer((json_int_t)s->reps), ok);
    put(root, "stopping", stopping_json(cfg, s, ok), ok);

    put_section(root, "metrics", s->n_metrics, metric_entry, cfg, s, ok);
    put_section(root, "latency", s->n_latency, latency_entry, cfg, s, ok);

    json_t *props = json_array();
    for (uint32_t p = 0; props != NULL && p < s->n_props; p++) {
        const cs_property *cp = &cfg->properties[p];
        const cs_prop_summary *ps = &s->props[p];
        json_t *o = json_object();
        if (o == NULL || json_array_append_new(props, o) != 0) {
            *ok = false;
            break;
        }
        put(o, "name", json_string(cp->name), ok);
        put(o, "type", json_string(property_type(cp->kind)), ok);
        put(o, "threshold", real(cp->threshold), ok);
        if (cp->kind == CS_PROP_AVAILABILITY) {
            /* What the plots draw as the availability line: minReady as the scenario spells it. */
            put(o, "workload", cp->workload == CS_NONE ? json_null() : json_string(cfg->workloads[cp->workload].name),
                ok);
            char pct[16];
            snprintf(pct, sizeof pct, "%u%%", cp->min_ready);
            put(o, "minReady", cp->percent ? json_string(pct) : json_integer(cp->min_ready), ok);
        }
        if (cp->kind == CS_PROP_COVERAGE)   /* the Service it watches; null: every Service */
            put(o, "service", cp->service == CS_NONE ? json_null() : json_string(cfg->services[cp->service].name), ok);
        put(o, "held", json_integer(ps->held), ok);
        put(o, "replications", json_integer((json_int_t)s->reps), ok);
        put(o, "probability", real(ps->probability), ok);
        put(o, "wilson95", pair(ps->wilson_lo, ps->wilson_hi, ok), ok);
        put(o, "passed", json_boolean(ps->passed), ok);
        put(o, "violation_s", stat_json(&ps->violation_s, ok), ok);
        put(o, "violations", stat_json(&ps->violations, ok), ok);
        put(o, "first_violation_s", stat_json(&ps->first_violation_s, ok), ok);
    }
    put(root, "properties", props, ok);
    put(root, "events_per_replication", stat_json(&s->events, ok), ok);
    put(root, "passed", json_boolean(s->passed), ok);
    return root;
}

/* Removes the quotes around the seed's digits in place. SEED_KEY occurs once: top-level keys
 * are the only ones indented by two spaces, and a newline inside a string is escaped. */
static void unquote_seed(char *text)
{
    char *at = strstr(text, SEED_KEY);
    if (at == NULL)
        return;
    char *open = at + strlen(SEED_KEY) - 1;
    char *close = strchr(open + 1, '"');
    if (close == NULL)
        return;
    memmove(open, open + 1, (size_t)(close - open - 1));
    memmove(close - 1, close + 1, strlen(close + 1) + 1);
}

cs_status cs_report_write_summary(const cs_config *cfg, const cs_run_summary *s, const char *path,
                                  cs_diag *diag)
{
    bool ok = true;
    json_t *root = summary_json(cfg, s, &ok);
    char *text = ok ? json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(12)) : NULL;
    json_decref(root);
    if (text == NULL)
        return CS_ENOMEM;
    unquote_seed(text);

    cs_status st = rf_write_text(path, text, strlen(text), true, diag);
    free(text);
    return st;
}

char *cs_report_sibling(const char *path, const char *name)
{
    const char *slash = strrchr(path, '/');
    size_t dir = slash != NULL ? (size_t)(slash - path) + 1 : 0;
    char *out = malloc(dir + strlen(name) + 1);
    if (out != NULL) {
        memcpy(out, path, dir);
        strcpy(out + dir, name);
    }
    return out;
}

/* Each file is written to a temporary name and renamed into place; the set is made whole by
 * the order: an earlier run's summary.json goes first and the new one comes last, so a folder
 * with a summary.json holds one run's files only, and one without is incomplete (plot and
 * compare refuse it). A run without samples removes an earlier run's timeseries.csv, and one
 * that kept no replications an earlier replications.csv. */
cs_status cs_report_write_results(const cs_config *cfg, const cs_run_summary *s, const char *summary_path,
                                  cs_diag *diag)
{
    char *yaml = cs_report_sibling(summary_path, "scenario.yaml");
    char *csv = cs_report_sibling(summary_path, "timeseries.csv");
    char *reps = cs_report_sibling(summary_path, "replications.csv");
    cs_status st = yaml != NULL && csv != NULL && reps != NULL ? CS_OK : CS_ENOMEM;
    if (st == CS_OK && remove(summary_path) != 0 && errno != ENOENT) {
        rf_io_fail(diag, summary_path, errno);
        st = CS_EIO;
    }
    if (st == CS_OK && s->n_samples > 0)
        st = cs_report_write_timeseries(cfg, s, csv, diag);
    else if (st == CS_OK && remove(csv) != 0 && errno != ENOENT) {
        rf_io_fail(diag, csv, errno);
        st = CS_EIO;
    }
    if (st == CS_OK && s->rep_metrics != NULL)
        st = cs_report_write_replications(cfg, s, reps, diag);
    else if (st == CS_OK && remove(reps) != 0 && errno != ENOENT) {
        rf_io_fail(diag, reps, errno);
        st = CS_EIO;
    }
    if (st == CS_OK)
        st = cs_report_write_scenario(cfg, s, yaml, diag);
    if (st == CS_OK)
        st = cs_report_write_summary(cfg, s, summary_path, diag);
    free(yaml);
    free(csv);
    free(reps);
    return st;
}

/* ---- the terminal summary ---------------------------------------------------------------- */

char *cs_report_format_time(cs_time t, char *buf, size_t size)
{
    uint64_t mag = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
    unsigned long long whole = mag / 1000000000u;
    unsigned long frac = (unsigned long)(mag % 1000000000u);
    if (frac == 0) {
        snprintf(buf, size, "%s%llu", t < 0 ? "-" : "", whole);
        return buf;
    }
    int digits = 9;
    while (frac % 10 == 0) {
        frac /= 10;
        digits--;
    }
    snprintf(buf, size, "%s%llu.%0*lu", t < 0 ? "-" : "", whole, digits, frac);
    return buf;
}

char *cs_report_format_duration(cs_time d, char *buf, size_t size)
{
    if (d <= 0) {
        char secs[32];
        snprintf(buf, size, "%ss", cs_report_format_time(d, secs, sizeof secs));
        return buf;
    }
    int64_t h = d / CS_HOUR, m = d % CS_HOUR / CS_MINUTE;
    cs_time rest = d % CS_MINUTE;
    size_t len = 0;
    buf[0] = '\0';
    if (h > 0)
        len += (size_t)snprintf(buf + len, size - len, "%lldh", (long long)h);
    if (m > 0 && len < size)
        len += (size_t)snprintf(buf + len, size - len, "%lldm", (long long)m);
    if (rest > 0 && len < size) {
        char secs[32];
        snprintf(buf + len, size - len, "%ss", cs_report_format_time(rest, secs, sizeof secs));
    }
    return buf;
}

static void print_metrics(FILE *f, const cs_config *cfg, const cs_run_summary *s)
{
    enum { NUM = 24 };
    size_t wname = strlen("metric"), wmean = strlen("mean"), whalf = 0;
    char name[256], mean[NUM], half[NUM];
    for (size_t i = 0; i < s->n_metrics; i++) {
        size_t n = strlen(cs_result_metric_name(cfg, i, name, sizeof name));
        size_t m = (size_t)snprintf(mean, sizeof mean, "%.4g", s->metrics[i].mean);
        size_t h = (size_t)snprintf(half, sizeof half, "%.4g", (s->metrics[i].ci_hi - s->metrics[i].ci_lo) / 2);
        wname = n > wname ? n : wname;
        wmean = m > wmean ? m : wmean;
        whalf = h > whalf ? h : whalf;
    }
    if (whalf < strlen("95% CI"))
        whalf = strlen("95% CI");
    fprintf(f, "  %-*s  %*s ± %-*s  %s\n", (int)wname, "metric", (int)wmean, "mean", (int)whalf, "95% CI",
            "[min, max]");
    for (size_t i = 0; i < s->n_metrics; i++) {
        const cs_stat *st = &s->metrics[i];
        snprintf(mean, sizeof mean, "%.4g", st->mean);
        snprintf(half, sizeof half, "%.4g", (st->ci_hi - st->ci_lo) / 2);
        /* "±" is two bytes and one column, so it is printed outside the padded fields. */
        fprintf(f, "  %-*s  %*s ± %-*s  [%.4g, %.4g]\n", (int)wname,
                cs_result_metric_name(cfg, i, name, sizeof name), (int)wmean, mean, (int)whalf, half,
                st->min, st->max);
    }
}

/* One row per latency histogram that counted anything, in seconds. */
static void print_latency(FILE *f, const cs_config *cfg, const cs_run_summary *s)
{
    size_t wname = strlen("latency (s), all replications merged");
    char name[256];
    bool any = false;
    for (size_t i = 0; i < s->n_latency; i++) {
        size_t n = strlen(cs_result_latency_name(cfg, i, name, sizeof name));
        wname = n > wname ? n : wname;
        any = any || s->latency[i].n > 0;
    }
    if (!any)
        return;
    fprintf(f, "  %-*s  %8s  %9s  %9s  %9s  %9s  %9s  %9s\n", (int)wname, "latency (s), all replications merged",
            "n", "mean", "p50", "p90", "p99", "p99.9", "max");
    for (size_t i = 0; i < s->n_latency; i++) {
        const cs_hist *h = &s->latency[i];
        if (h->n == 0)
            continue;
        fprintf(f, "  %-*s  %8llu  %9.4g  %9.4g  %9.4g  %9.4g  %9.4g  %9.4g\n", (int)wname,
                cs_result_latency_name(cfg, i, name, sizeof name), (unsigned long long)h->n, cs_hist_mean(h) / 1e9,
                cs_hist_quantile(h, 0.5) / 1e9, cs_hist_quantile(h, 0.9) / 1e9, cs_hist_quantile(h, 0.99) / 1e9,
                cs_hist_quantile(h, 0.999) / 1e9, (double)h->max / 1e9);
    }
    fputc('\n', f);
}

/* One line on what ended the run, when --precision was asked for: the target was met after
 * N replications, or the cap came first, with the least precise headline metric. */
static void print_stopping(FILE *f, const cs_config *cfg, const cs_run_summary *s)
{
    if (s->precision <= 0)
        return;
    char name[256];
    fprintf(f, "stopped by %s: %u replications in %u batches (at most %u); precision target %.4g",
            s->stopped_by_precision ? "precision" : "the replication cap", s->reps, s->batches, s->max_reps,
            s->precision);
    if (s->worst.any)
        fprintf(f, ", least precise %s at %.4g", worst_name(cfg, s, name, sizeof name), s->worst.rel_half);
    fputs("\n\n", f);
}

void cs_report_print(FILE *f, const cs_config *cfg, const cs_run_summary *s, const char *summary_path)
{
    char dur[64];
    fprintf(f, "%s (%s): %u replications of %s, seed %llu\n\n", cfg->name, cfg->file, s->reps,
            cs_report_format_duration(cfg->duration, dur, sizeof dur), (unsigned long long)s->seed);
    if (s->n_ranks > 1 && s->rank_reps != NULL) {
        fprintf(f, "MPI: %d ranks ran", s->n_ranks);
        for (int k = 0; k < s->n_ranks; k++)
            fprintf(f, "%s %u", k == 0 ? "" : ",", s->rank_reps[k]);
        fputs(" replications (rank 0 first)\n\n", f);
    }
    print_stopping(f, cfg, s);
    if (s->n_metrics > 0) {
        print_metrics(f, cfg, s);
        fputc('\n', f);
    }
    print_latency(f, cfg, s);

    uint32_t failed = 0;
    for (uint32_t p = 0; p < s->n_props; p++) {
        const cs_prop_summary *ps = &s->props[p];
        failed += !ps->passed;
        fprintf(f, "%s %s: held in %u/%u replications (p = %.4g, 95%% CI [%.4g, %.4g]); threshold %.4g",
                ps->passed ? "PASS" : "FAIL", cfg->properties[p].name, ps->held, s->reps,
                ps->probability, ps->wilson_lo, ps->wilson_hi, cfg->properties[p].threshold);
        if (ps->violation_s.n > 0)
            fprintf(f, "; mean violation %.4g s in the %zu that violated", ps->violation_s.mean,
                    ps->violation_s.n);
        fputc('\n', f);
    }
    if (s->n_props > 0)
        fprintf(f, "%s: %u of %u properties met their threshold\n\n", failed == 0 ? "PASS" : "FAIL",
                s->n_props - failed, s->n_props);

    double kib = (double)s->peak_arena_bytes / 1024.0;
    fprintf(f, "events per replication: %.4g (min %.4g, max %.4g); peak arena per replication: %.4g %s\n",
            s->events.mean, s->events.min, s->events.max, kib < 1024 ? kib : kib / 1024,
            kib < 1024 ? "KiB" : "MiB");
    if (summary_path == NULL)
        return;
    fprintf(f, "summary: %s\n", summary_path);
    /* The files cs_report_write_results puts beside it. */
    static const char *const files[][2] = {
        {"scenario", "scenario.yaml"}, {"timeseries", "timeseries.csv"}, {"replications", "replications.csv"}};
    for (int i = 0; i < 3; i++) {
        if ((i == 1 && s->n_samples == 0) || (i == 2 && s->rep_metrics == NULL))
            continue;
        char *path = cs_report_sibling(summary_path, files[i][1]);
        if (path != NULL)
            fprintf(f, "%s: %s\n", files[i][0], path);
        free(path);
    }
}

/* ---- the trace --------------------------------------------------------------------------- */

typedef struct trace_file {
    FILE *f;
    char *path, *tmp;
} trace_file;

/* Writes s as a JSON string: quotes, backslashes and control characters escaped. Other bytes
 * pass through, as names come from YAML, which libyaml has checked to be UTF-8. */
static void put_string(FILE *f, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    putc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        unsigned char c = *p;
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\b': fputs("\\b", f); break;
        case '\f': fputs("\\f", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                fputs("\\u00", f);
                putc(hex[c >> 4], f);
                putc(hex[c & 15], f);
            } else {
                putc(c, f);
            }
        }
    }
    putc('"', f);
}

static void trace_line(void *ctx, cs_time t, const char *type, const cs_field *fields, size_t n)
{
    trace_file *tf = ctx;
    char ts[32];
    fprintf(tf->f, "{\"t\":%s,\"type\":", cs_report_format_time(t, ts, sizeof ts));
    put_string(tf->f, type);
    for (size_t i = 0; i < n; i++) {
        putc(',', tf->f);
        put_string(tf->f, fields[i].key);
        putc(':', tf->f);
        switch (fields[i].kind) {
        case CS_FIELD_STR:
            if (fields[i].s != NULL)
                put_string(tf->f, fields[i].s);
            else
                fputs("null", tf->f);
            break;
        case CS_FIELD_INT: fprintf(tf->f, "%lld", (long long)fields[i].i); break;
        case CS_FIELD_REAL: rf_put_real(tf->f, fields[i].r, "null"); break;
        }
    }
    fputs("}\n", tf->f);
}

cs_status cs_trace_file_open(const char *path, cs_trace_sink *sink, cs_diag *diag)
{
    trace_file *tf = calloc(1, sizeof *tf);
    if (tf == NULL || (tf->path = strdup(path)) == NULL) {
        free(tf);
        return CS_ENOMEM;
    }
    tf->f = rf_open_temp(path, &tf->tmp);
    if (tf->f == NULL) {
        int err = errno;
        free(tf->path);
        free(tf);
        if (err == ENOMEM)
            return CS_ENOMEM;
        rf_io_fail(diag, path, err);
        return CS_EIO;
    }
    *sink = (cs_trace_sink){.fn = trace_line, .ctx = tf};
    return CS_OK;
}

cs_status cs_trace_file_close(cs_trace_sink *sink, cs_diag *diag)
{
    trace_file *tf = sink->ctx;
    *sink = (cs_trace_sink){0};
    if (tf == NULL)
        return CS_OK;
    cs_status st = CS_OK;
    if (rf_commit_temp(tf->f, tf->tmp, tf->path) != 0) {
        rf_io_fail(diag, tf->path, errno);
        st = CS_EIO;
    }
    free(tf->path);
    free(tf);
    return st;
}

void cs_trace_file_discard(cs_trace_sink *sink)
{
    trace_file *tf = sink->ctx;
    *sink = (cs_trace_sink){0};
    if (tf == NULL)
        return;
    rf_discard_temp(tf->f, tf->tmp);
    free(tf->path);
    free(tf);
}
