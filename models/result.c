/* result.c -- the metric list of a config and the per-replication result arrays.
 *
 * The list is fixed by the config: the cluster metrics first, then four per workload in
 * workload order, then one per service in service order. metrics.c fills the values in
 * exactly this order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clustersim/series.h"
#include "model.h"

static const struct {
    const char *name, *help;
} cluster_metrics[] = {
    {"nodes.up_mean", "nodes running, time-weighted mean"},
    {"nodes.failures", "node failures (random, timeline and zone outages)"},
    {"pods.pending_mean", "pods waiting to be scheduled, time-weighted mean"},
    {"pods.pending_max", "most pods waiting at once (held for a positive time)"},
    {"pods.created", "pods created, the initial replicas included"},
    {"scheduler.attempts", "scheduling attempts"},
    {"scheduler.unschedulable", "scheduling attempts that found no node"},
    {"cpu.requested_fraction_mean", "requested CPU over allocatable CPU of all nodes, time-weighted mean"},
    /* by cs_counter */
    {"evictions.accepted", "voluntary evictions the Eviction API accepted (drains)"},
    {"evictions.refused", "evictions refused with 429: they would have violated a PodDisruptionBudget"},
    {"drains.completed", "node drains that evicted every pod"},
    {"drains.failed", "node drains that timed out or met an eviction error"},
    {"drains.unfinished", "node drains still waiting on evictions when the run ended"},
    {"nodes.replaced", "fresh nodes that joined in place of a deleted machine"},
    /* by cs_delete_reasons, then other, then lost */
    {"pods.deleted.ScaleDown", "pods deleted by their controller scaling down"},
    {"pods.deleted.DeletionByTaintManager", "pods evicted by the NoExecute taint of a node not Ready"},
    {"pods.deleted.DeletionByPodGC", "pods of a deleted node removed by the pod garbage collector"},
    {"pods.deleted.EvictionByEvictionAPI", "pods evicted through the Eviction API (drains)"},
    {"pods.deleted.Deleted", "pods deleted by a drain with disableEviction, past any budget"},
    {"pods.deleted.Preempted", "pods preempted by the scheduler for a pod of higher priority"},
    {"pods.deleted.other", "pods deleted for any other reason"},
    {"pods.lost", "pods that went away without a reason (noPodLost counts them)"},
    {"pods.restarts", "container restarts (crashes restarted by the kubelet after its back-off)"},
    {"deployments.progress_deadline_exceeded", "times a Deployment's Progressing condition turned ProgressDeadlineExceeded"},
    {"drains.longest_s", "seconds the longest completed node drain took (0: none completed)"},
    {"upgrades.completed", "rolling node upgrades (drains of a pool) that went through every node"},
    {"upgrades.duration_s", "seconds from the start of each completed rolling upgrade to its last node back, summed"},
};

const char *const cs_delete_reasons[CS_DELETE_REASONS] = {"ScaleDown", "DeletionByTaintManager", "DeletionByPodGC",
                                                          "EvictionByEvictionAPI", "Deleted", "Preempted"};

/* `headline`: the availability metrics --precision waits for (with every property's
 * probability). ready_min and no_ready_s are left out: they are 0 in most replications and
 * large in a few, so their relative interval shrinks too slowly to wait for. */
static const struct {
    const char *suffix, *help;
    bool headline;
} workload_metrics[] = {
    {"ready_mean", "ready pods, time-weighted mean", true},
    {"ready_min", "fewest ready pods held for a positive time", false},
    {"full_fraction", "fraction of time with at least the desired number of ready pods", true},
    {"no_ready_s", "seconds with no ready pod while pods were desired", false},
};

enum {
    N_CLUSTER = sizeof cluster_metrics / sizeof cluster_metrics[0],
    N_PER_WORKLOAD = sizeof workload_metrics / sizeof workload_metrics[0],
};

static const char *const service_help =
    "seconds with no ready endpoint (a ready pod it selects); always 0 with an empty selector";

size_t cs_result_metric_count(const cs_config *cfg)
{
    return N_CLUSTER + (size_t)N_PER_WORKLOAD * cfg->n_workloads + cfg->n_services;
}

char *cs_result_metric_name(const cs_config *cfg, size_t i, char *buf, size_t size)
{
    size_t services = N_CLUSTER + (size_t)N_PER_WORKLOAD * cfg->n_workloads;
    if (i < N_CLUSTER)
        snprintf(buf, size, "%s", cluster_metrics[i].name);
    else if (i >= services)
        snprintf(buf, size, "service.%s.uncovered_s", cfg->services[i - services].name);
    else
        snprintf(buf, size, "workload.%s.%s", cfg->workloads[(i - N_CLUSTER) / N_PER_WORKLOAD].name,
                 workload_metrics[(i - N_CLUSTER) % N_PER_WORKLOAD].suffix);
    return buf;
}

const char *cs_result_metric_help(const cs_config *cfg, size_t i)
{
    if (i >= N_CLUSTER + (size_t)N_PER_WORKLOAD * cfg->n_workloads)
        return service_help;
    return i < N_CLUSTER ? cluster_metrics[i].help : workload_metrics[(i - N_CLUSTER) % N_PER_WORKLOAD].help;
}

size_t cs_result_latency_count(const cs_config *cfg)
{
    return 2 + 2 * (size_t)cfg->n_workloads;
}

char *cs_result_latency_name(const cs_config *cfg, size_t i, char *buf, size_t size)
{
    const char *what = i % 2 == 0 ? "scheduling_latency_s" : "time_to_ready_s";
    if (i < 2)
        snprintf(buf, size, "pods.%s", what);
    else
        snprintf(buf, size, "workload.%s.%s", cfg->workloads[i / 2 - 1].name, what);
    return buf;
}

bool cs_result_metric_headline(const cs_config *cfg, size_t i)
{
    if (i < N_CLUSTER || i >= N_CLUSTER + (size_t)N_PER_WORKLOAD * cfg->n_workloads)
        return false;
    return workload_metrics[(i - N_CLUSTER) % N_PER_WORKLOAD].headline;
}

cs_status cs_result_init(cs_rep_result *r, const cs_config *cfg)
{
    *r = (cs_rep_result){0};
    r->metrics = calloc(cs_result_metric_count(cfg), sizeof *r->metrics);
    r->props = calloc(cfg->n_properties > 0 ? cfg->n_properties : 1, sizeof *r->props);
    r->n_latency = 2 * (size_t)cfg->n_workloads;
    r->latency = calloc(r->n_latency + 1, sizeof *r->latency);
    r->series = calloc((size_t)cfg->samples * cs_series_column_count(cfg) + 1, sizeof *r->series);
    if (r->metrics == NULL || r->props == NULL || r->latency == NULL || r->series == NULL) {
        cs_result_fini(r);
        return CS_ENOMEM;
    }
    return CS_OK;
}

void cs_result_fini(cs_rep_result *r)
{
    free(r->metrics);
    free(r->props);
    for (size_t i = 0; r->latency != NULL && i < r->n_latency; i++)
        cs_hist_packed_fini(&r->latency[i]);
    free(r->latency);
    free(r->series);
    r->series = NULL;
    r->metrics = NULL;
    r->props = NULL;
    r->latency = NULL;
}

/* ---- the wire form: field by field, no padding, histograms as their non-empty buckets ---- */

/* A cursor over a wire buffer. Writing with `at` == NULL only counts (the size pass); reading
 * stops at `end`, and `bad` records that a record was cut short. */
typedef struct wire {
    unsigned char *at;
    const unsigned char *in, *end;
    size_t n;
    bool bad;
} wire;

static void put(wire *w, const void *v, size_t n)
{
    if (w->at != NULL && n > 0) {   /* an empty histogram's arrays are NULL */
        memcpy(w->at, v, n);
        w->at += n;
    }
    w->n += n;
}

static void get(wire *w, void *v, size_t n)
{
    if (w->bad || (size_t)(w->end - w->in) < n) {
        w->bad = true;
        if (n > 0)
            memset(v, 0, n);
        return;
    }
    if (n > 0)
        memcpy(v, w->in, n);
    w->in += n;
    w->n += n;
}

static void put_result(wire *w, const cs_config *cfg, const cs_rep_result *r)
{
    put(w, r->metrics, cs_result_metric_count(cfg) * sizeof(double));
    for (uint32_t p = 0; p < cfg->n_properties; p++) {
        const cs_prop_result *pr = &r->props[p];
        unsigned char held = pr->held;
        put(w, &held, 1);
        put(w, &pr->violation_s, sizeof pr->violation_s);
        put(w, &pr->violations, sizeof pr->violations);
        put(w, &pr->first_violation_s, sizeof pr->first_violation_s);
    }
    for (size_t i = 0; i < r->n_latency; i++) {
        const cs_hist_packed *h = &r->latency[i];
        put(w, &h->n_buckets, sizeof h->n_buckets);
        put(w, h->index, h->n_buckets * sizeof *h->index);
        put(w, h->count, h->n_buckets * sizeof *h->count);
        uint64_t head[5] = {h->n, h->min, h->max, h->sum_hi, h->sum_lo};
        put(w, head, sizeof head);
    }
    put(w, r->series, (size_t)cfg->samples * cs_series_column_count(cfg) * sizeof *r->series);
    uint64_t arena = r->arena_bytes;
    put(w, &r->events, sizeof r->events);
    put(w, &arena, sizeof arena);
}

size_t cs_result_wire_size(const cs_config *cfg, const cs_rep_result *r)
{
    wire w = {0};
    put_result(&w, cfg, r);
    return w.n;
}

size_t cs_result_pack(const cs_config *cfg, const cs_rep_result *r, unsigned char *buf)
{
    wire w = {.at = buf};
    put_result(&w, cfg, r);
    return w.n;
}

cs_status cs_result_unpack(const cs_config *cfg, const unsigned char *buf, size_t len, size_t *used,
                           cs_rep_result *r)
{
    if (cs_result_init(r, cfg) != CS_OK)
        return CS_ENOMEM;
    wire w = {.in = buf, .end = buf + len};
    get(&w, r->metrics, cs_result_metric_count(cfg) * sizeof(double));
    for (uint32_t p = 0; p < cfg->n_properties; p++) {
        cs_prop_result *pr = &r->props[p];
        unsigned char held;
        get(&w, &held, 1);
        pr->held = held != 0;
        get(&w, &pr->violation_s, sizeof pr->violation_s);
        get(&w, &pr->violations, sizeof pr->violations);
        get(&w, &pr->first_violation_s, sizeof pr->first_violation_s);
    }
    cs_status st = CS_OK;
    for (size_t i = 0; i < r->n_latency && st == CS_OK && !w.bad; i++) {
        cs_hist_packed *h = &r->latency[i];
        uint32_t k;
        get(&w, &k, sizeof k);
        if (w.bad || k > CS_HIST_BUCKETS) {
            w.bad = true;
            break;
        }
        if (k > 0) {
            h->index = cs_xmalloc((size_t)k * sizeof *h->index);
            h->count = cs_xmalloc((size_t)k * sizeof *h->count);
            if (h->index == NULL || h->count == NULL) {
                st = CS_ENOMEM;
                break;
            }
        }
        h->n_buckets = k;
        get(&w, h->index, k * sizeof *h->index);
        get(&w, h->count, k * sizeof *h->count);
        uint64_t head[5];
        get(&w, head, sizeof head);
        h->n = head[0], h->min = head[1], h->max = head[2], h->sum_hi = head[3], h->sum_lo = head[4];
    }
    if (st == CS_OK)
        get(&w, r->series, (size_t)cfg->samples * cs_series_column_count(cfg) * sizeof *r->series);
    uint64_t arena;
    get(&w, &r->events, sizeof r->events);
    get(&w, &arena, sizeof arena);
    r->arena_bytes = (size_t)arena;
    if (st == CS_OK && w.bad)
        st = CS_EINPUT;
    if (st != CS_OK) {
        cs_result_fini(r);
        return st;
    }
    *used = w.n;
    return CS_OK;
}
