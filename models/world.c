/* world.c -- one replication: builds the cluster from the config, runs it, hands back numbers.
 *
 * The scenario starts from a settled cluster: the initial replicas of every workload are
 * placed by the scheduler at t = 0, in workload order, and are Ready at once. Everything
 * after that (failures, replacements, scale-ups) goes through the events of the models.
 */
#include <stdlib.h>
#include <string.h>

#include "sched_index.h"

uint32_t cs_vec_push(cs_world *w, cs_vec *v, size_t size)
{
    if (v->len == v->cap) {
        uint32_t cap = v->cap == 0 ? 64 : v->cap * 2;
        void *data = cap > v->cap ? cs_arena_calloc(w->arena, cap, size) : NULL;
        if (data == NULL) {
            w->oom = true;
            cs_kernel_stop(w->kernel);
            return CS_NONE;
        }
        if (v->len > 0)
            memcpy(data, v->data, (size_t)v->len * size);
        v->data = data;
        v->cap = cap;
    }
    return v->len++;
}

void cs_world_trace(cs_world *w, const char *type, const cs_field *fields, size_t n)
{
    if (w->trace.fn != NULL)
        w->trace.fn(w->trace.ctx, cs_now(w), type, fields, n);
}

void cs_world_free(cs_world *w)
{
    if (w == NULL)
        return;
    for (int s = 0; s < CS_STREAM_COUNT; s++)
        if (w->rng[s] != NULL)
            gsl_rng_free(w->rng[s]);
    cs_kernel_free(w->kernel);
    cs_arena_free(w->arena);
}

void cs_world_place_initial(cs_world *w, uint32_t pod)
{
    if (cs_sched_schedule_one(w, pod) != CS_NONE)
        cs_pod_settle(w, pod);
    else
        cs_sched_enqueue(w, pod);
}

/* DaemonSets first, as a cluster has its node agents before its applications; then every
 * other workload in order. */
static cs_status place_initial_replicas(cs_world *w)
{
    cs_daemonset_place_initial(w);
    for (uint32_t wl = 0; wl < w->cfg->n_workloads; wl++) {
        if (w->cfg->workloads[wl].daemonset)
            continue;
        w->workloads[wl].desired = w->cfg->workloads[wl].replicas;
        for (uint32_t i = 0; i < w->workloads[wl].desired && !w->oom; i++) {
            uint32_t pod = cs_pod_create(w, wl);
            if (pod == CS_NONE)
                return CS_ENOMEM;
            cs_pod_at(w, pod)->ordinal = i;   /* a StatefulSet's <name>-<i>; unused by other kinds */
            cs_world_place_initial(w, pod);
        }
    }
    for (uint32_t wl = 0; wl < w->cfg->n_workloads; wl++)   /* the properties' starting point */
        cs_metrics_pod_changed(w, wl, CS_POD_PHASES, CS_POD_PHASES);
    return w->oom ? CS_ENOMEM : CS_OK;
}

cs_world *cs_world_new(const cs_config *cfg, uint64_t seed, uint32_t r, const cs_trace_sink *trace)
{
    cs_arena *arena = cs_arena_new();
    if (arena == NULL)
        return NULL;
    cs_world *w = cs_arena_new_of(arena, cs_world);
    if (w == NULL) {
        cs_arena_free(arena);
        return NULL;
    }
    w->arena = arena;
    w->cfg = cfg;
    w->rep = r;
    w->seed = seed;
    /* Pod uids: a fixed function of (seed, replication, pod id), so they draw nothing. */
    w->uid_salt = cs_mix64(cs_rng_seed(seed, r, CS_STREAM_WORKLOAD) ^ 0x756964u);
    if (trace != NULL)
        w->trace = *trace;
    w->kernel = cs_kernel_new(2 * (size_t)cfg->n_nodes + 64);
    bool ok = w->kernel != NULL;
    for (int s = 0; ok && s < CS_STREAM_COUNT; s++)
        ok = (w->rng[s] = cs_rng_new(seed, r, (enum cs_stream)s)) != NULL;
    ok = ok && (w->nodes = cs_arena_calloc(arena, cfg->n_nodes, sizeof *w->nodes)) != NULL;
    ok = ok && (cfg->n_workloads == 0 ||
                (w->workloads = cs_arena_calloc(arena, cfg->n_workloads, sizeof *w->workloads)) != NULL);
    if (ok) {
        for (uint32_t n = 0; n < cfg->n_nodes; n++) {
            cs_node *node = &w->nodes[n];
            const cs_node_pool *pool = cs_config_node_pool(cfg, n);
            node->pool = (uint32_t)(pool - cfg->pools);
            node->zone = cs_config_node_zone(cfg, n);
            node->alloc = pool->allocatable;
            node->up = node->ready = node->exists = true;
            node->unschedulable = pool->unschedulable;
            node->first_pod = node->first_nominated = CS_NONE;
            node->drain = node->upgrade = CS_NONE;
        }
        w->nodes_up = cfg->n_nodes;
    }
    ok = ok && cs_metrics_attach(w) == CS_OK && cs_latency_attach(w) == CS_OK && cs_series_attach(w) == CS_OK &&
         cs_pod_index_attach(w) == CS_OK && cs_node_tree_attach(w) == CS_OK && cs_sched_attach(w) == CS_OK && cs_preempt_attach(w) == CS_OK &&
         cs_daemonset_attach(w) == CS_OK && cs_lifecycle_attach(w) == CS_OK && cs_workloads_attach(w) == CS_OK &&
         cs_faults_attach(w) == CS_OK && cs_nodelife_attach(w) == CS_OK && cs_disruption_attach(w) == CS_OK &&
         place_initial_replicas(w) == CS_OK && !cs_kernel_failed(w->kernel);
    if (!ok) {
        cs_world_free(w);
        return NULL;
    }
    return w;
}

cs_status cs_world_run(cs_world *w)
{
    w->events += cs_kernel_run(w->kernel, w->cfg->duration);
    if (w->oom || cs_kernel_failed(w->kernel))
        return CS_ENOMEM;
    cs_disruption_finish(w);
    cs_metrics_finish(w);
    cs_series_finish(w);
    return CS_OK;
}

cs_status cs_world_result(const cs_world *w, cs_rep_result *r)
{
    r->events = w->events;
    r->arena_bytes = cs_arena_used(w->arena);
    cs_metrics_result(w, r);
    cs_series_result(w, r);
    return cs_latency_result(w, r);
}
