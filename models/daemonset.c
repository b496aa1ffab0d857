/* daemonset.c -- the DaemonSet controller: one pod per eligible node (pkg/controller/daemon).
 *
 * A node should run a DaemonSet's pod when the template's nodeName (if any) is the node's, its
 * required node affinity and nodeSelector match the node, and no NoSchedule or NoExecute taint
 * of the node is left untolerated by the template's tolerations plus the ones the controller
 * adds (daemon_controller.go NodeShouldRunDaemonPod and predicates; the defaults are applied at
 * load time, sim/config.c). A node the control plane sees NotReady carries the not-ready (or
 * unreachable) NoSchedule taint (TaintNodesByCondition), so it gets no new pod until it is
 * Ready again, while a pod already there stays: daemon pods tolerate the NoExecute taints of a
 * lost node for ever. A cordoned node gets its pod: the unschedulable taint is tolerated.
 *
 * Each pod is created for its node and pinned to it, as ReplaceDaemonSetPodNodeNameNodeAffinity
 * replaces the template's required node affinity by a matchFields metadata.name term; the
 * scheduler then places it like any pod (its resources count on the node). The controller
 * syncs, through the workload sync event (workloads.c), when one of its pods changes and when a
 * node turns Ready or registers (a node that comes back gets its pod), and keeps desired at the
 * number of nodes that should run one (DesiredNumberScheduled).
 *
 * Cost: a sync is linear in the nodes times the template's terms and the pool's taints; syncs
 * are events (one per instant per DaemonSet at most), not periodic.
 */
#include <string.h>

#include "sched.h"

struct cs_daemonsets {
    uint32_t **pod_on;      /* per workload (NULL unless a DaemonSet), per node: its pod or CS_NONE */
};

/* True when no NoSchedule or NoExecute taint of the node is untolerated
 * (v1helper.FindMatchingUntoleratedTaint with that filter): the lifecycle taints of a node not
 * Ready (not-ready or unreachable, both effects) and of a cordoned one, as the workload's
 * tolerations were resolved against them (faults.c), then the pool's. */
static bool tolerates_node(const cs_world *w, uint32_t node, uint32_t ds)
{
    const cs_node *n = &w->nodes[node];
    const cs_workload_state *ws = &w->workloads[ds];
    if (!n->ready && !ws->tolerates[n->unreachable ? CS_TAINT_UNREACHABLE : CS_TAINT_NOT_READY])
        return false;
    if (n->unschedulable && !ws->tolerates[CS_TAINT_UNSCHEDULABLE])
        return false;
    const cs_workload *wl = &w->cfg->workloads[ds];
    const cs_node_pool *pool = &w->cfg->pools[n->pool];
    for (uint32_t i = 0; i < pool->n_taints; i++) {
        const cs_taint *t = &pool->taints[i];
        if (t->effect == CS_TAINT_PREFER_NO_SCHEDULE)
            continue;
        bool ok = false;
        for (uint32_t k = 0; k < wl->n_tolerations && !ok; k++)
            ok = cs_toleration_tolerates(&wl->tolerations[k], t);
        if (!ok)
            return false;
    }
    return true;
}

/* A Node that does not exist (a replaced machine between deletion and registration) runs
 * nothing. */
bool cs_daemonset_should_run(const cs_world *w, uint32_t node, uint32_t ds)
{
    const cs_workload *wl = &w->cfg->workloads[ds];
    return w->nodes[node].exists && cs_sched_filter_node_name(w, node, wl) == NULL &&
           cs_sched_filter_node_affinity(w, node, wl) == NULL && tolerates_node(w, node, ds);
}

/* Creates the pods the DaemonSet lacks; with `initial`, places them at once as the starting
 * cluster's. */
static void reconcile(cs_world *w, uint32_t ds, bool initial)
{
    uint32_t *pod_on = w->daemonsets->pod_on[ds];
    uint32_t desired = 0;
    for (uint32_t node = 0; node < w->cfg->n_nodes && !w->oom; node++) {
        if (!cs_daemonset_should_run(w, node, ds))
            continue;
        desired++;
        /* podsShouldBeOnNode: a pod being deleted does not count. */
        cs_pod_phase ph = pod_on[node] != CS_NONE ? cs_pod_at(w, pod_on[node])->phase : CS_POD_TERMINATED;
        if (ph != CS_POD_TERMINATING && ph != CS_POD_TERMINATED)
            continue;
        uint32_t pod = cs_pod_create(w, ds);
        if (pod == CS_NONE)
            return;
        cs_pod_at(w, pod)->pinned = node;
        pod_on[node] = pod;
        if (initial)
            cs_world_place_initial(w, pod);
        else
            cs_sched_enqueue(w, pod);
    }
    cs_workload_state *st = &w->workloads[ds];
    if (st->last_rs != CS_NONE)
        cs_rs_at(w, st->last_rs)->replicas = desired;   /* the pods' one ReplicaSet */
    if (st->desired != desired) {
        st->desired = desired;
        cs_metrics_pod_changed(w, ds, CS_POD_PHASES, CS_POD_PHASES);   /* desired changed */
    }
}

void cs_daemonset_sync(cs_world *w, uint32_t ds)
{
    reconcile(w, ds, false);
}

void cs_daemonset_place_initial(cs_world *w)
{
    for (uint32_t wl = 0; wl < w->cfg->n_workloads; wl++)
        if (w->cfg->workloads[wl].daemonset)
            reconcile(w, wl, true);
}

void cs_daemonset_node_changed(cs_world *w)
{
    for (uint32_t wl = 0; wl < w->cfg->n_workloads; wl++)
        if (w->cfg->workloads[wl].daemonset)
            cs_workload_reconcile(w, wl);
}

cs_status cs_daemonset_attach(cs_world *w)
{
    const cs_config *cfg = w->cfg;
    cs_daemonsets *d = cs_arena_new_of(w->arena, cs_daemonsets);
    if (d == NULL)
        return CS_ENOMEM;
    w->daemonsets = d;
    d->pod_on = cs_arena_calloc(w->arena, cfg->n_workloads + 1, sizeof *d->pod_on);
    if (d->pod_on == NULL)
        return CS_ENOMEM;
    for (uint32_t wl = 0; wl < cfg->n_workloads; wl++) {
        if (!cfg->workloads[wl].daemonset)
            continue;
        d->pod_on[wl] = cs_arena_calloc(w->arena, cfg->n_nodes + 1, sizeof(uint32_t));
        if (d->pod_on[wl] == NULL)
            return CS_ENOMEM;
        memset(d->pod_on[wl], 0xff, (cfg->n_nodes + 1) * sizeof(uint32_t));   /* CS_NONE */
    }
    return CS_OK;
}
