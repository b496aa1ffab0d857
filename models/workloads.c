/* workloads.c -- the ReplicaSet controller's core: keep the desired number of pods.
 *
 * A workload is reconciled whenever one of its pods goes away or its desired count changes
 * (the controller is watch-triggered, so reconciliation takes no virtual time). It creates
 * missing pods, which go to the scheduler, and deletes surplus ones chosen by the upstream
 * ranking (pkg/controller/controller_utils.go ActivePods.Less): unassigned before assigned,
 * then not running before running, not ready before ready, then the newest first.
 */
#include "model.h"

/* Lower ranks are deleted first: Pending (unassigned), Down (assigned, not running),
 * Starting (running, not ready), Ready. */
static int delete_rank(cs_pod_phase phase)
{
    switch (phase) {
    case CS_POD_PENDING: return 0;
    case CS_POD_DOWN: return 1;
    case CS_POD_STARTING: return 2;
    case CS_POD_READY: return 3;
    default: return 4;
    }
}

static uint32_t active_pods(const cs_workload_state *ws)
{
    return ws->count[CS_POD_PENDING] + ws->count[CS_POD_STARTING] + ws->count[CS_POD_READY] +
           ws->count[CS_POD_DOWN];
}

/* Picks the pod to delete: lowest rank, then the newest (highest id, since ids follow creation).
 * Linear in the pods created so far; scale-downs are rare, so an index is not worth it yet. */
static uint32_t pick_victim(cs_world *w, uint32_t workload)
{
    uint32_t best = CS_NONE;
    int best_rank = 4;
    for (uint32_t id = w->pods.len; id-- > 0;) {
        const cs_pod *p = cs_pod_at(w, id);
        if (p->workload != workload)
            continue;
        int rank = delete_rank(p->phase);
        if (rank < best_rank) {
            best_rank = rank;
            best = id;
        }
    }
    return best;
}

void cs_workload_reconcile(cs_world *w, uint32_t workload)
{
    cs_workload_state *ws = &w->workloads[workload];
    while (!w->oom && active_pods(ws) < ws->desired) {
        uint32_t pod = cs_pod_create(w, workload);
        if (pod == CS_NONE)
            return;
        cs_sched_enqueue(w, pod);
    }
    while (active_pods(ws) > ws->desired) {
        uint32_t victim = pick_victim(w, workload);
        CS_ASSERT(victim != CS_NONE);
        cs_pod_delete(w, victim, "ScaleDown");
    }
}

void cs_workload_scale(cs_world *w, uint32_t workload, uint32_t replicas)
{
    w->workloads[workload].desired = replicas;
    if (w->trace.fn != NULL) {
        cs_field f[2] = {CS_STR("workload", w->cfg->workloads[workload].name), CS_INT("replicas", replicas)};
        cs_world_trace(w, "workload.scaled", f, 2);
    }
    cs_metrics_pod_changed(w, workload, CS_POD_PHASES, CS_POD_PHASES);   /* desired changed */
    cs_workload_reconcile(w, workload);
}

static void pod_started(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    cs_pod *pod = cs_pod_at(w, p.a);
    pod->start_timer = 0;
    if (pod->phase == CS_POD_STARTING)
        cs_pod_set_phase(w, p.a, CS_POD_READY);
}

cs_status cs_workloads_attach(cs_world *w)
{
    w->on_pod_started = cs_kernel_on(w->kernel, "pod.started", pod_started, w);
    return w->on_pod_started == CS_HANDLER_NONE ? CS_ENOMEM : CS_OK;
}
