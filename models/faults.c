/* faults.c -- node failures and repairs, the node lifecycle that follows, and the timeline.
 *
 * A node of a pool with `failures` fails after a draw of timeToFailure and comes back after a
 * draw of timeToRepair, for ever (an alternating renewal process, from the faults stream, so
 * a scheduling change cannot shift the failures: common random numbers).
 *
 * What follows a failure is the upstream node lifecycle (pkg/controller/nodelifecycle): the
 * pods on the node stop at once, but the control plane notices only after
 * node-monitor-grace-period (50 s), when the node turns NotReady and gets the not-ready taint;
 * its pods, which tolerate that taint for 300 s (DefaultTolerationSeconds), are then evicted,
 * and their ReplicaSets create replacements. A node repaired before the eviction gets its
 * pods back, restarted (they become Ready after their start-up time again).
 */
#include "model.h"

static char *node_name(cs_world *w, uint32_t node, char *buf, size_t size)
{
    return cs_config_node_name(w->cfg, node, buf, size);
}

static void schedule_failure(cs_world *w, uint32_t node)
{
    const cs_node_pool *pool = &w->cfg->pools[w->nodes[node].pool];
    if (!pool->fails)
        return;
    cs_time ttf = cs_dist_sample_time(&pool->time_to_failure, w->rng[CS_STREAM_FAULTS]);
    if (ttf > CS_TIME_MAX - cs_now(w))
        return;   /* beyond any horizon */
    w->nodes[node].failure_timer = cs_kernel_after(w->kernel, ttf, w->on_node_fail, (cs_payload){.a = node});
}

static void cancel(cs_world *w, cs_event_id *id)
{
    if (*id != 0)
        cs_kernel_cancel(w->kernel, *id);
    *id = 0;
}

void cs_node_fail(cs_world *w, uint32_t node, cs_time repair_after, const char *cause)
{
    cs_node *n = &w->nodes[node];
    if (!n->up)
        return;
    cancel(w, &n->failure_timer);
    if (w->trace.fn != NULL) {
        char name[96];
        cs_field f[2] = {CS_STR("node", node_name(w, node, name, sizeof name)), CS_STR("cause", cause)};
        cs_world_trace(w, "node.failed", f, 2);
    }
    cs_node_set_up(w, node, false);
    cs_metrics_node_failed(w);
    for (uint32_t pod = n->first_pod; pod != CS_NONE; pod = cs_pod_at(w, pod)->next_on_node) {
        cs_pod *p = cs_pod_at(w, pod);
        cancel(w, &p->start_timer);
        cs_pod_set_phase(w, pod, CS_POD_DOWN);
    }
    if (n->ready && n->notready_timer == 0)
        n->notready_timer = cs_kernel_after(w->kernel, CS_NODE_MONITOR_GRACE, w->on_node_notready,
                                            (cs_payload){.a = node});
    cancel(w, &n->repair_timer);
    if (repair_after > 0)
        n->repair_timer = cs_kernel_after(w->kernel, repair_after, w->on_node_repair, (cs_payload){.a = node});
}

void cs_node_repair(cs_world *w, uint32_t node)
{
    cs_node *n = &w->nodes[node];
    cancel(w, &n->repair_timer);
    if (n->up)
        return;
    if (w->trace.fn != NULL) {
        char name[96];
        cs_field f[1] = {CS_STR("node", node_name(w, node, name, sizeof name))};
        cs_world_trace(w, "node.repaired", f, 1);
    }
    cs_node_set_up(w, node, true);
    cancel(w, &n->notready_timer);
    cancel(w, &n->evict_timer);
    const cs_config *cfg = w->cfg;
    for (uint32_t pod = n->first_pod; pod != CS_NONE; pod = cs_pod_at(w, pod)->next_on_node) {
        cs_pod *p = cs_pod_at(w, pod);
        if (p->phase != CS_POD_DOWN)
            continue;
        cs_pod_set_phase(w, pod, CS_POD_STARTING);   /* the kubelet restarts its containers */
        cs_time d = cs_dist_sample_time(&cfg->workloads[p->workload].startup, w->rng[CS_STREAM_WORKLOAD]);
        p->start_timer = cs_kernel_after(w->kernel, d, w->on_pod_started, (cs_payload){.a = pod});
    }
    cs_node_set_ready(w, node, true);
    schedule_failure(w, node);
}

static void on_fail(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    w->nodes[p.a].failure_timer = 0;
    const cs_node_pool *pool = &w->cfg->pools[w->nodes[p.a].pool];
    cs_time ttr = cs_dist_sample_time(&pool->time_to_repair, w->rng[CS_STREAM_FAULTS]);
    cs_node_fail(w, p.a, ttr > 0 ? ttr : 1, "random");
}

static void on_repair(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    w->nodes[p.a].repair_timer = 0;
    cs_node_repair(w, p.a);
}

static void on_notready(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    cs_node *n = &w->nodes[p.a];
    n->notready_timer = 0;
    cs_node_set_ready(w, p.a, false);
    n->evict_timer = cs_kernel_after(w->kernel, CS_TOLERATION_SECONDS, w->on_node_evict, p);
}

static void on_evict(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    cs_node *n = &w->nodes[p.a];
    n->evict_timer = 0;
    /* Evict every pod, then let each affected ReplicaSet replace what it lost. */
    uint32_t pod = n->first_pod;
    while (pod != CS_NONE) {
        uint32_t next = cs_pod_at(w, pod)->next_on_node;
        cs_pod_delete(w, pod, "NodeLost");
        pod = next;
    }
    for (uint32_t wl = 0; wl < w->cfg->n_workloads; wl++)
        cs_workload_reconcile(w, wl);
}

/* Picks `count` running nodes of a pool uniformly at random and fails them: selection
 * sampling (Knuth's Algorithm S) over the running nodes in id order, one draw per node. */
static void fail_in_pool(cs_world *w, const cs_action *a)
{
    const cs_node_pool *pool = &w->cfg->pools[a->pool];
    uint32_t remaining = 0, needed = a->count;
    for (uint32_t i = 0; i < pool->count; i++)
        remaining += w->nodes[pool->first_node + i].up;
    for (uint32_t i = 0; i < pool->count && needed > 0; i++) {
        uint32_t node = pool->first_node + i;
        if (!w->nodes[node].up)
            continue;
        if (gsl_rng_uniform_int(w->rng[CS_STREAM_FAULTS], remaining) < needed) {
            cs_node_fail(w, node, a->duration, "timeline");
            needed--;
        }
        remaining--;
    }
}

static void on_action(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    const cs_action *a = &w->cfg->timeline[p.a];
    switch (a->kind) {
    case CS_ACTION_NODE_FAILURE:
        if (a->node != CS_NONE)
            cs_node_fail(w, a->node, a->duration, "timeline");
        else
            fail_in_pool(w, a);
        break;
    case CS_ACTION_NODE_REPAIR:
        cs_node_repair(w, a->node);
        break;
    case CS_ACTION_ZONE_OUTAGE:
        for (uint32_t node = 0; node < w->cfg->n_nodes; node++)
            if (w->nodes[node].zone == a->zone)
                cs_node_fail(w, node, a->duration, "zoneOutage");
        break;
    case CS_ACTION_SCALE:
        cs_workload_scale(w, a->workload, a->replicas);
        break;
    }
}

cs_status cs_faults_attach(cs_world *w)
{
    cs_kernel *k = w->kernel;
    w->on_node_fail = cs_kernel_on(k, "node.fail", on_fail, w);
    w->on_node_repair = cs_kernel_on(k, "node.repair", on_repair, w);
    w->on_node_notready = cs_kernel_on(k, "node.notready", on_notready, w);
    w->on_node_evict = cs_kernel_on(k, "node.evict", on_evict, w);
    w->on_action = cs_kernel_on(k, "timeline.action", on_action, w);
    if (w->on_action == CS_HANDLER_NONE || w->on_node_evict == CS_HANDLER_NONE ||
        w->on_node_notready == CS_HANDLER_NONE || w->on_node_repair == CS_HANDLER_NONE ||
        w->on_node_fail == CS_HANDLER_NONE)
        return CS_ENOMEM;
    for (uint32_t node = 0; node < w->cfg->n_nodes; node++)
        schedule_failure(w, node);
    for (uint32_t i = 0; i < w->cfg->n_timeline; i++)
        cs_kernel_at(k, w->cfg->timeline[i].at, w->on_action, (cs_payload){.a = i});
    return cs_kernel_failed(k) ? CS_ENOMEM : CS_OK;
}
