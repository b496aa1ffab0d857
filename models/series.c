/* series.c -- the time series of a replication, sampled by an observer on a fixed grid.
 *
 * The sampler keeps its own copy of every column (`cur`), refreshed after each change the
 * cluster reports (metrics.c calls in at the end of its observers; cluster.c when a node's
 * Ready condition changes). Before refreshing it, the grid points strictly before now get the
 * copy: that is the state held since the last change, so no point ever sees a state that
 * lasted no time past it, and a change at exactly a grid point is seen by that point (it is
 * filled only once time has moved past it). It reads the world and writes only its own rows:
 * no event, no draw, so the simulation is the same with or without it.
 *
 * Cost per change: a comparison with the next grid time, the changed workload's or node's
 * columns, and one look at each property; at most cfg->samples row copies per run.
 *
 * The column list (series.h) is defined here too, next to the code that fills it, as
 * result.c does for the metrics.
 */
#include <string.h>

#include "clustersim/series.h"
#include "model.h"

enum {
    COL_PENDING,
    COL_NODES_UP,
    COL_NODES_READY,
    COL_CPU_REQUESTED,
    COL_CPU_ALLOCATABLE,
    COL_MEM_REQUESTED,
    COL_MEM_ALLOCATABLE,
    COL_VIOLATED,
    N_CLUSTER_COLS
};

/* The units are in the names (cores, GiB), as docs/results.md lists them. */
static const char *const cluster_cols[N_CLUSTER_COLS] = {
    "pods.pending",          "nodes.up",           "nodes.ready",          "cpu.requested_cores",
    "cpu.allocatable_cores", "memory.requested_gib", "memory.allocatable_gib", "properties.violated",
};

#define GIB (1024.0 * 1024.0 * 1024.0)

static size_t first_service_col(const cs_config *cfg)
{
    return N_CLUSTER_COLS + 2 * (size_t)cfg->n_workloads;
}

static size_t first_property_col(const cs_config *cfg)
{
    return first_service_col(cfg) + cfg->n_services;
}

size_t cs_series_column_count(const cs_config *cfg)
{
    return cfg->samples == 0 ? 0 : first_property_col(cfg) + cfg->n_properties;
}

char *cs_series_column_name(const cs_config *cfg, size_t c, char *buf, size_t size)
{
    if (c < N_CLUSTER_COLS)
        snprintf(buf, size, "%s", cluster_cols[c]);
    else if (c < first_service_col(cfg))
        snprintf(buf, size, "workload.%s.%s", cfg->workloads[(c - N_CLUSTER_COLS) / 2].name,
                 (c - N_CLUSTER_COLS) % 2 == 0 ? "ready" : "desired");
    else if (c < first_property_col(cfg))
        snprintf(buf, size, "service.%s.ready_endpoints", cfg->services[c - first_service_col(cfg)].name);
    else
        snprintf(buf, size, "property.%s.violated", cfg->properties[c - first_property_col(cfg)].name);
    return buf;
}

cs_time cs_series_time(const cs_config *cfg, uint32_t g)
{
    CS_ASSERT(cfg->samples >= 2 && g < cfg->samples);
    __extension__ unsigned __int128 t = (unsigned __int128)(uint64_t)cfg->duration * g;
    return (cs_time)(t / (cfg->samples - 1));
}

/* ---- the sampler ------------------------------------------------------------------------- */

struct cs_series {
    size_t n_cols;
    uint32_t next;          /* first grid point not filled yet */
    cs_time next_t;         /* its time; CS_TIME_MAX when every point is filled */
    double *cur;            /* the copy, n_cols */
    double *rows;           /* samples x n_cols, row by grid point */
    int64_t cpu_alloc, mem_alloc, mem_requested;   /* exact sums behind the copy */
    struct node_copy {
        bool up, ready;
        int64_t mem_requested;
    } *nodes;
};

static void fill_before(cs_world *w, cs_series *s, cs_time now)
{
    while (s->next_t < now) {
        memcpy(s->rows + (size_t)s->next * s->n_cols, s->cur, s->n_cols * sizeof *s->cur);
        s->next++;
        s->next_t = s->next < w->cfg->samples ? cs_series_time(w->cfg, s->next) : CS_TIME_MAX;
    }
}

static void refresh_properties(cs_world *w, cs_series *s)
{
    const cs_config *cfg = w->cfg;
    size_t first = first_property_col(cfg);
    uint32_t violated = 0;
    for (uint32_t p = 0; p < cfg->n_properties; p++) {
        bool bad = cs_metrics_in_violation(w, p);
        s->cur[first + p] = bad;
        violated += bad;
    }
    s->cur[COL_VIOLATED] = violated;
}

void cs_series_pod_changed(cs_world *w, uint32_t workload)
{
    cs_series *s = w->series;
    if (s == NULL)
        return;
    fill_before(w, s, cs_now(w));
    const cs_workload_state *ws = &w->workloads[workload];
    s->cur[COL_PENDING] = w->pending;
    s->cur[N_CLUSTER_COLS + 2 * (size_t)workload] = ws->count[CS_POD_READY];
    s->cur[N_CLUSTER_COLS + 2 * (size_t)workload + 1] = ws->desired;
    uint32_t n_svc;
    const uint32_t *svc = cs_metrics_services_of(w, workload, &n_svc);
    for (uint32_t i = 0; i < n_svc; i++)
        s->cur[first_service_col(w->cfg) + svc[i]] = cs_metrics_service_ready(w, svc[i]);
    refresh_properties(w, s);
}

void cs_series_node_changed(cs_world *w, uint32_t node)
{
    cs_series *s = w->series;
    if (s == NULL)
        return;
    fill_before(w, s, cs_now(w));
    CS_ASSERT(node < w->cfg->n_nodes);   /* the copies are sized for the config's nodes */
    const cs_node *n = &w->nodes[node];
    struct node_copy *c = &s->nodes[node];
    s->cpu_alloc += (n->up - c->up) * n->alloc.cpu_milli;
    s->mem_alloc += (n->up - c->up) * n->alloc.mem_bytes;
    s->mem_requested += n->requested.mem_bytes - c->mem_requested;
    s->cur[COL_NODES_UP] += n->up - c->up;
    s->cur[COL_NODES_READY] += n->ready - c->ready;
    *c = (struct node_copy){.up = n->up, .ready = n->ready, .mem_requested = n->requested.mem_bytes};
    s->cur[COL_CPU_REQUESTED] = (double)w->cpu_requested / 1000;
    s->cur[COL_CPU_ALLOCATABLE] = (double)s->cpu_alloc / 1000;
    s->cur[COL_MEM_REQUESTED] = (double)s->mem_requested / GIB;
    s->cur[COL_MEM_ALLOCATABLE] = (double)s->mem_alloc / GIB;
    refresh_properties(w, s);
}

cs_status cs_series_attach(cs_world *w)
{
    const cs_config *cfg = w->cfg;
    if (cfg->samples == 0)
        return CS_OK;
    cs_series *s = cs_arena_new_of(w->arena, cs_series);
    if (s == NULL)
        return CS_ENOMEM;
    s->n_cols = cs_series_column_count(cfg);
    s->cur = cs_arena_calloc(w->arena, s->n_cols, sizeof *s->cur);
    s->rows = cs_arena_calloc(w->arena, (size_t)cfg->samples * s->n_cols, sizeof *s->rows);
    s->nodes = cs_arena_calloc(w->arena, cfg->n_nodes + 1, sizeof *s->nodes);
    if (s->cur == NULL || s->rows == NULL || s->nodes == NULL)
        return CS_ENOMEM;
    s->next_t = 0;
    w->series = s;
    /* The copy starts from nothing, and every node is brought in as a change at t = 0, so
     * the sums have a single definition: the one cs_series_node_changed keeps. */
    for (uint32_t n = 0; n < cfg->n_nodes; n++)
        cs_series_node_changed(w, n);
    return CS_OK;
}

void cs_series_finish(cs_world *w)
{
    cs_series *s = w->series;
    if (s != NULL)
        fill_before(w, s, CS_TIME_MAX);
}

void cs_series_result(const cs_world *w, cs_rep_result *r)
{
    const cs_series *s = w->series;
    if (s != NULL)
        memcpy(r->series, s->rows, (size_t)w->cfg->samples * s->n_cols * sizeof *r->series);
}
