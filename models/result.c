/* result.c -- the metric list of a config and the per-replication result arrays.
 *
 * The list is fixed by the config: the cluster metrics first, then four per workload in
 * workload order, then one per service in service order. metrics.c fills the values in
 * exactly this order.
 */
#include <stdio.h>
#include <stdlib.h>

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
};

static const struct {
    const char *suffix, *help;
} workload_metrics[] = {
    {"ready_mean", "ready pods, time-weighted mean"},
    {"ready_min", "fewest ready pods held for a positive time"},
    {"full_fraction", "fraction of time with at least the desired number of ready pods"},
    {"no_ready_s", "seconds with no ready pod while pods were desired"},
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

cs_status cs_result_init(cs_rep_result *r, const cs_config *cfg)
{
    *r = (cs_rep_result){0};
    r->metrics = calloc(cs_result_metric_count(cfg), sizeof *r->metrics);
    r->props = calloc(cfg->n_properties > 0 ? cfg->n_properties : 1, sizeof *r->props);
    r->n_latency = 2 * (size_t)cfg->n_workloads;
    r->latency = calloc(r->n_latency + 1, sizeof *r->latency);
    if (r->metrics == NULL || r->props == NULL || r->latency == NULL) {
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
    r->metrics = NULL;
    r->props = NULL;
    r->latency = NULL;
}
