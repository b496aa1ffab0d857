/* cluster.c -- pods and nodes: the one place their state changes.
 *
 * Each mutator keeps the derived counters (per node: requested resources and the list of
 * bound pods; per workload: pods by phase; cluster: pending pods, nodes up) and then tells
 * the metrics observers, so no checker ever has to scan the cluster to know where it is.
 */
#include "sched_index.h"

static const char *const phase_names[CS_POD_PHASES] = {"Pending",    "Starting", "Ready",      "Down",
                                                        "Terminated", "Running",  "Terminating"};

const char *cs_pod_phase_name(cs_pod_phase phase)
{
    return phase_names[phase];
}

/* A pod's requests are its revision's: a rollout may change them for the pods of the new RS. */
const cs_resources *cs_pod_requests(const cs_world *w, uint32_t pod)
{
    return &((const cs_rs *)w->rs.data)[((const cs_pod *)w->pods.data)[pod].rs].tmpl->requests;
}

/* The scheduler scores with these: a container that requests nothing counts as 100m CPU and
 * 200Mi memory (pkg/scheduler/util/pod_resources.go GetNonzeroRequests). */
static int64_t nonzero_cpu(const cs_resources *r)
{
    return r->cpu_milli != 0 ? r->cpu_milli : CS_DEFAULT_MILLI_CPU;
}

static int64_t nonzero_mem(const cs_resources *r)
{
    return r->mem_bytes != 0 ? r->mem_bytes : CS_DEFAULT_MEMORY;
}

static void trace_pod(cs_world *w, const char *type, uint32_t pod, const char *extra_key, const char *extra)
{
    if (w->trace.fn == NULL)
        return;
    const cs_pod *p = cs_pod_at(w, pod);
    char node[96] = "";
    if (p->node != CS_NONE)
        cs_config_node_name(w->cfg, p->node, node, sizeof node);
    cs_field f[4] = {CS_INT("pod", pod), CS_STR("workload", w->cfg->workloads[p->workload].name),
                     CS_STR("node", node), CS_STR(extra_key, extra)};
    cs_world_trace(w, type, f, extra_key != NULL ? 4 : (p->node != CS_NONE ? 3 : 2));
}

uint32_t cs_pod_create(cs_world *w, uint32_t workload)
{
    return cs_pod_create_in(w, w->workloads[workload].last_rs);
}

uint32_t cs_pod_create_in(cs_world *w, uint32_t rs_id)
{
    uint32_t id = cs_vec_push(w, &w->pods, sizeof(cs_pod));
    if (id == CS_NONE)
        return CS_NONE;
    cs_rs *rs = cs_rs_at(w, rs_id);
    uint32_t workload = rs->workload;
    uint32_t serial = w->workloads[workload].created++;
    *cs_pod_at(w, id) = (cs_pod){.workload = workload, .serial = serial, .node = CS_NONE, .prev_on_node = CS_NONE,
                                 .next_on_node = CS_NONE, .rs = rs_id, .prev_in_rs = CS_NONE,
                                 .next_in_rs = rs->first_pod, .ordinal = CS_NONE, .phase = CS_POD_PENDING,
                                 .created = cs_now(w), .uid = cs_mix64(w->uid_salt ^ id),
                                 .nominated = CS_NONE, .next_nominated = CS_NONE, .pinned = CS_NONE};
    if (rs->first_pod != CS_NONE)
        cs_pod_at(w, rs->first_pod)->prev_in_rs = id;
    rs->first_pod = id;
    rs->count[CS_POD_PENDING]++;
    w->workloads[workload].count[CS_POD_PENDING]++;
    w->pending++;
    trace_pod(w, "pod.created", id, NULL, NULL);
    cs_metrics_pod_changed(w, workload, CS_POD_PHASES, CS_POD_PENDING);
    return id;
}

void cs_pod_set_phase(cs_world *w, uint32_t pod, cs_pod_phase phase)
{
    cs_pod *p = cs_pod_at(w, pod);
    cs_pod_phase from = p->phase;
    if (from == phase)
        return;
    CS_ASSERT(from != CS_POD_TERMINATED);
    p->phase = phase;
    cs_workload_state *ws = &w->workloads[p->workload];
    cs_rs *rs = cs_rs_at(w, p->rs);
    ws->count[from]--;
    ws->count[phase]++;
    rs->count[from]--;
    rs->count[phase]++;
    w->pending += (phase == CS_POD_PENDING) - (from == CS_POD_PENDING);
    if (p->crashed && !(phase == CS_POD_RUNNING || phase == CS_POD_STARTING || phase == CS_POD_READY)) {
        p->crashed = false;   /* no longer the RS's to count (recovered: cs_pod_set_available) */
        ws->crashed--;
    }
    if (phase == CS_POD_READY) {
        /* Available once Ready for minReadySeconds (podutil.IsPodAvailable). */
        p->ready_since = cs_now(w);
        int32_t min_ready = w->cfg->workloads[p->workload].deploy.min_ready_s;
        if (min_ready == 0)
            cs_pod_set_available(w, pod, true);
        else
            p->avail_timer = cs_kernel_after(w->kernel, (cs_time)min_ready * CS_SECOND, w->on_pod_available,
                                             (cs_payload){.a = pod});
    } else if (from == CS_POD_READY) {
        if (p->avail_timer != 0)
            cs_kernel_cancel(w->kernel, p->avail_timer);
        p->avail_timer = 0;
        cs_pod_set_available(w, pod, false);
    }
    if (phase == CS_POD_READY || phase == CS_POD_DOWN)
        trace_pod(w, phase == CS_POD_READY ? "pod.ready" : "pod.down", pod, NULL, NULL);
    if (from == CS_POD_READY || phase == CS_POD_READY)
        cs_metrics_pod_ready(w, pod, phase == CS_POD_READY ? +1 : -1);
    cs_metrics_pod_changed(w, p->workload, from, phase);
    cs_latency_pod_phase(w, pod, from, phase);
    p->been_ready = p->been_ready || phase == CS_POD_READY;
    cs_workload_reconcile(w, p->workload);   /* the controllers watch their pods */
}

void cs_pod_set_available(cs_world *w, uint32_t pod, bool available)
{
    cs_pod *p = cs_pod_at(w, pod);
    if (p->available == available)
        return;
    p->available = available;
    int d = available ? 1 : -1;
    cs_rs_at(w, p->rs)->available += (uint32_t)d;
    w->workloads[p->workload].available += (uint32_t)d;
    if (available && p->crashed) {   /* a crashed pod has recovered once it is available again */
        p->crashed = false;
        w->workloads[p->workload].crashed--;
    }
    cs_metrics_pod_changed(w, p->workload, CS_POD_PHASES, CS_POD_PHASES);
    if (available)
        cs_workload_reconcile(w, p->workload);
}

static void node_add_pod(cs_world *w, uint32_t node, uint32_t pod, int sign)
{
    cs_node *n = &w->nodes[node];
    const cs_resources *r = cs_pod_requests(w, pod);
    n->requested.cpu_milli += sign * r->cpu_milli;
    w->cpu_requested += sign * r->cpu_milli;
    n->requested.mem_bytes += sign * r->mem_bytes;
    n->requested.ephemeral_bytes += sign * r->ephemeral_bytes;
    n->requested.pods += sign;
    for (int i = 0; i < CS_MAX_EXTENDED; i++)
        n->requested.ext[i] += sign * r->ext[i];
    n->nonzero_cpu += sign * nonzero_cpu(r);
    n->nonzero_mem += sign * nonzero_mem(r);
}

void cs_pod_bind(cs_world *w, uint32_t pod, uint32_t node)
{
    cs_pod *p = cs_pod_at(w, pod);
    CS_ASSERT(p->phase == CS_POD_PENDING && p->node == CS_NONE);
    cs_metrics_pod_binding(w, pod, node);
    if (p->nominated != CS_NONE)
        cs_preempt_forget(w, pod);
    cs_node *n = &w->nodes[node];
    p->node = node;
    p->bound_at = cs_now(w);
    p->prev_on_node = CS_NONE;
    p->next_on_node = n->first_pod;
    if (n->first_pod != CS_NONE)
        cs_pod_at(w, n->first_pod)->prev_on_node = pod;
    n->first_pod = pod;
    node_add_pod(w, node, pod, +1);
    cs_pod_index_update(w, pod, node, +1);
    if (w->pod_index != NULL && w->pod_index->pod_events)
        cs_sched_cluster_event(w, CS_EVENT_ASSIGNED_POD_ADD);   /* a pod a spread or affinity rule waits for */
    cs_colocated_add(w, p->workload, node, +1);
    trace_pod(w, "pod.bound", pod, NULL, NULL);
    cs_metrics_node_changed(w, node);
    if (n->up) {
        cs_pod_start(w, pod);
    } else {
        cs_pod_set_phase(w, pod, CS_POD_DOWN);   /* the control plane did not know yet */
    }
}

void cs_pod_delete(cs_world *w, uint32_t pod, const char *reason)
{
    cs_pod *p = cs_pod_at(w, pod);
    if (p->phase == CS_POD_TERMINATED)
        return;
    cs_pod_cancel_timers(w, pod);
    if (p->queued)
        cs_sched_dequeue(w, pod);
    if (p->nominated != CS_NONE)
        cs_preempt_forget(w, pod);
    trace_pod(w, "pod.deleted", pod, "reason", reason);
    cs_rs *rs = cs_rs_at(w, p->rs);
    if (p->prev_in_rs != CS_NONE)
        cs_pod_at(w, p->prev_in_rs)->next_in_rs = p->next_in_rs;
    else
        rs->first_pod = p->next_in_rs;
    if (p->next_in_rs != CS_NONE)
        cs_pod_at(w, p->next_in_rs)->prev_in_rs = p->prev_in_rs;
    p->prev_in_rs = p->next_in_rs = CS_NONE;
    uint32_t node = p->node;
    if (node != CS_NONE) {
        cs_node *n = &w->nodes[node];
        if (p->prev_on_node != CS_NONE)
            cs_pod_at(w, p->prev_on_node)->next_on_node = p->next_on_node;
        else
            n->first_pod = p->next_on_node;
        if (p->next_on_node != CS_NONE)
            cs_pod_at(w, p->next_on_node)->prev_on_node = p->prev_on_node;
        node_add_pod(w, node, pod, -1);
        cs_pod_index_update(w, pod, node, -1);
        if (p->phase != CS_POD_TERMINATING)
            cs_colocated_add(w, p->workload, node, -1);
    }
    cs_metrics_pod_deleted(w, reason);
    cs_pod_set_phase(w, pod, CS_POD_TERMINATED);
    if (node != CS_NONE) {
        cs_metrics_node_changed(w, node);
        cs_sched_cluster_event(w, CS_EVENT_ASSIGNED_POD_DELETE);   /* freed resources may let a pod fit */
    }
}

/* The API server deletes a pod with no node at once, and gives a bound one its grace period
 * (pkg/registry/core/pod/strategy.go CheckGracefulDelete); the kubelet then stops the container,
 * which exits after its shutdown time or is killed when the grace period ends
 * (pkg/kubelet/kuberuntime killContainer). Until then the pod is Terminating: not ready, not
 * counted by its ReplicaSet (controller.FilterActivePods skips a set deletionTimestamp), and
 * still on its node. */
void cs_pod_terminate(cs_world *w, uint32_t pod, const char *reason)
{
    cs_pod_terminate_within(w, pod, reason, -1);
}

/* DeleteOptions.gracePeriodSeconds (kubectl delete/drain --grace-period) replaces the pod's
 * terminationGracePeriodSeconds when it is >= 0. */
void cs_pod_terminate_within(cs_world *w, uint32_t pod, const char *reason, int64_t grace_s)
{
    cs_pod *p = cs_pod_at(w, pod);
    if (p->phase == CS_POD_TERMINATED || p->phase == CS_POD_TERMINATING)
        return;
    const cs_lifecycle *life = &cs_rs_at(w, p->rs)->tmpl->life;
    cs_time grace = (cs_time)(grace_s >= 0 ? grace_s : life->grace_s) * CS_SECOND;
    if (life->has_shutdown) {
        /* The pod's own draw (it terminates once), keyed as its container draws are
         * (lifecycle.c), not the next in the order pods terminate, which placement decides. */
        gsl_rng *g = cs_rng_draw(w->rng[CS_STREAM_WORKLOAD], w->seed, w->rep, CS_STREAM_WORKLOAD,
                                 cs_rng_key(w->cfg->workloads[p->workload].name, p->serial), 0, 0);
        cs_time d = cs_dist_sample_time(&life->shutdown, g);
        grace = d < grace ? d : grace;
    }
    if (p->node == CS_NONE || grace == 0) {
        cs_pod_delete(w, pod, reason);
        return;
    }
    cs_pod_cancel_timers(w, pod);
    p->term_reason = reason;
    cs_colocated_add(w, p->workload, p->node, -1);   /* no longer active */
    trace_pod(w, "pod.terminating", pod, "reason", reason);
    cs_pod_index_terminating(w, pod, p->node);
    cs_pod_set_phase(w, pod, CS_POD_TERMINATING);
    /* On a node that is down no kubelet confirms the deletion: the pod stays Terminating until
     * its node is back (cs_node_repair) or deleted (the pod GC). */
    if (w->nodes[p->node].up)
        p->start_timer = cs_kernel_after(w->kernel, grace, w->on_pod_gone, (cs_payload){.a = pod});
}

void cs_pod_node_down(cs_world *w, uint32_t pod)
{
    cs_pod *p = cs_pod_at(w, pod);
    if (p->phase == CS_POD_TERMINATED)
        return;
    cs_pod_cancel_timers(w, pod);
    if (p->phase == CS_POD_TERMINATING)
        return;   /* its kubelet died mid-shutdown: Terminating until the node is back */
    cs_pod_set_phase(w, pod, CS_POD_DOWN);
}

void cs_node_set_up(cs_world *w, uint32_t node, bool up)
{
    cs_node *n = &w->nodes[node];
    if (n->up == up)
        return;
    n->up = up;
    w->nodes_up += up ? 1 : (uint32_t)-1;
    cs_metrics_node_changed(w, node);
}

void cs_node_set_ready(cs_world *w, uint32_t node, bool ready)
{
    cs_node *n = &w->nodes[node];
    if (n->ready == ready)
        return;
    n->ready = ready;
    if (w->trace.fn != NULL) {
        char name[96];
        cs_field f[1] = {CS_STR("node", cs_config_node_name(w->cfg, node, name, sizeof name))};
        cs_world_trace(w, ready ? "node.ready" : "node.notready", f, 1);
    }
    cs_series_node_changed(w, node);
    if (ready)   /* the node lifecycle controller removes the not-ready taint: UpdateNodeTaint */
        cs_sched_cluster_event(w, CS_EVENT_NODE_TAINT);
    cs_nodelife_node_changed(w, node);
    cs_daemonset_node_changed(w);   /* the DaemonSet controller watches nodes */
}

static void trace_node(cs_world *w, uint32_t node, const char *type)
{
    if (w->trace.fn == NULL)
        return;
    char name[96];
    cs_field f[1] = {CS_STR("node", cs_config_node_name(w->cfg, node, name, sizeof name))};
    cs_world_trace(w, type, f, 1);
}

/* kubectl cordon / uncordon set spec.unschedulable. A node turning schedulable is a cluster
 * event that moves the unschedulable pods back to the active queue (NodeUpdate). */
void cs_node_set_unschedulable(cs_world *w, uint32_t node, bool unschedulable)
{
    cs_node *n = &w->nodes[node];
    if (n->unschedulable == unschedulable)
        return;
    n->unschedulable = unschedulable;
    trace_node(w, node, unschedulable ? "node.cordoned" : "node.uncordoned");
    if (!unschedulable)
        cs_sched_cluster_event(w, CS_EVENT_NODE_TAINT);   /* NodeSpecUnschedulableChange */
}

void cs_node_set_exists(cs_world *w, uint32_t node, bool exists)
{
    cs_node *n = &w->nodes[node];
    if (n->exists == exists)
        return;
    n->exists = exists;
    cs_node_tree_set(w, node, exists);
    trace_node(w, node, exists ? "node.registered" : "node.deleted");
    if (exists)
        cs_sched_cluster_event(w, CS_EVENT_NODE_ADD);
    cs_daemonset_node_changed(w);   /* added or deleted: the DaemonSet controller watches nodes */
    cs_nodelife_node_changed(w, node);
}

uint32_t cs_workload_live_pods(const cs_world *w, uint32_t workload)
{
    uint32_t n = 0;
    for (int ph = 0; ph < CS_POD_PHASES; ph++)
        n += ph != CS_POD_TERMINATED ? w->workloads[workload].count[ph] : 0;
    return n;
}
