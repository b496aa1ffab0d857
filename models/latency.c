/* latency.c -- pod latencies inside a replication: created -> bound, created -> first Ready.
 *
 * An observer of cluster.c's phase changes (read-only): when a pod leaves Pending for a node
 * its scheduling latency is counted, and when it is Ready for the first time its time to
 * ready, both in nanoseconds, into one log-linear histogram per workload (histogram.h). The
 * runner merges them across replications into exact quantiles.
 *
 * The settled start is not a latency: the initial replicas are placed and Ready at t = 0
 * without going through the queue or a start-up (world.c), so changes at t = 0 are not
 * counted. A pod created later and bound within the same instant counts, with latency 0.
 */
#include "model.h"

struct cs_latency {
    cs_hist *scheduling, *ready;   /* per workload, in the world's arena */
};

cs_status cs_latency_attach(cs_world *w)
{
    uint32_t n = w->cfg->n_workloads;
    cs_latency *l = cs_arena_new_of(w->arena, cs_latency);
    if (l == NULL)
        return CS_ENOMEM;
    l->scheduling = cs_arena_calloc(w->arena, n + 1, sizeof *l->scheduling);
    l->ready = cs_arena_calloc(w->arena, n + 1, sizeof *l->ready);
    if (l->scheduling == NULL || l->ready == NULL)
        return CS_ENOMEM;
    for (uint32_t i = 0; i < n; i++) {
        cs_hist_init(&l->scheduling[i], w->arena);
        cs_hist_init(&l->ready[i], w->arena);
    }
    w->latency = l;
    return CS_OK;
}

static void count(cs_world *w, cs_hist *h, cs_time since)
{
    if (cs_hist_add(h, (uint64_t)(cs_now(w) - since), 1) != CS_OK) {
        w->oom = true;   /* as cs_vec_push: the run stops and reports CS_ENOMEM */
        cs_kernel_stop(w->kernel);
    }
}

void cs_latency_pod_phase(cs_world *w, uint32_t pod, cs_pod_phase from, cs_pod_phase to)
{
    if (cs_now(w) == 0)
        return;
    const cs_pod *p = cs_pod_at(w, pod);
    /* Bound: Pending -> Starting, or -> Down when the node had failed unnoticed (cs_pod_bind). */
    if (from == CS_POD_PENDING && (to == CS_POD_STARTING || to == CS_POD_DOWN))
        count(w, &w->latency->scheduling[p->workload], p->created);
    if (to == CS_POD_READY && !p->been_ready)
        count(w, &w->latency->ready[p->workload], p->created);
}

cs_status cs_latency_result(const cs_world *w, cs_rep_result *r)
{
    for (uint32_t wl = 0; wl < w->cfg->n_workloads; wl++)
        if (cs_hist_pack(&w->latency->scheduling[wl], &r->latency[2 * wl]) != CS_OK ||
            cs_hist_pack(&w->latency->ready[wl], &r->latency[2 * wl + 1]) != CS_OK)
            return CS_ENOMEM;
    return CS_OK;
}
