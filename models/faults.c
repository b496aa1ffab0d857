/* faults.c -- node failures, repairs and replacements, the node lifecycle that follows, and the
 * timeline.
 *
 * A node of a pool with `failures` fails after a draw of timeToFailure and comes back after a
 * draw of timeToRepair, for ever (an alternating renewal process). A pool may also fail in bulk
 * (`correlated`: every draw of its interval, a count or a share of its running nodes fail
 * together), and its failed machines may be replaced instead of repaired.
 *
 * Common random numbers: no draw here is taken in sequence from a shared stream, where one
 * node's extra draw (an upgrade that ends earlier under another policy) would shift every later
 * failure of every node. The j-th time to failure of a node is a function of (seed,
 * replication, the node's name, j) alone (rng.h, cs_rng_draw), and so is its j-th time to
 * repair or provisioning time; the k-th interval of a pool's correlated failures and the
 * priorities that pick its victims are functions of (pool, k). A node's failure clock counts
 * running time: a stop for an upgrade (cs_node_stop) pauses it and the node's return resumes it
 * with the time it had left, drawing nothing; a failure ends it, and the repaired or fresh
 * machine draws its next one. So a node's failure history depends on its own events only, and
 * an upgrade shifts the node's later failures by the time it was stopped.
 *
 * What follows a failure is the upstream node lifecycle (pkg/controller/nodelifecycle): the
 * pods on the node stop at once, but the control plane notices only after
 * nodeMonitorGracePeriod (50 s), when the node's Ready condition turns Unknown and it gets the
 * node.kubernetes.io/unreachable NoSchedule taint; a kubelet that reports NotReady itself (mode
 * notReady) turns False at once, with the not-ready one. The NoExecute taint of the same key
 * follows through the zone's rate-limited queue (nodelifecycle.c), and the taint eviction
 * controller (pkg/controller/tainteviction) then deletes each pod when its toleration of it
 * runs out: 300 s for a pod with the tolerations the DefaultTolerationSeconds
 * admission plugin adds, the pod's own tolerationSeconds otherwise, never for a toleration
 * without seconds. Their ReplicaSets create replacements. A node repaired before that gets its
 * pods back, restarted (they become Ready after their start-up time again).
 *
 * A replaced machine is deleted: once the node is NotReady the cloud node lifecycle controller
 * finds no instance and deletes the Node object, the pod garbage collector deletes the pods
 * still bound to it (pkg/controller/podgc gcOrphaned: seen at a 20 s pass, deleted 40 s of
 * quarantine later), and the fresh machine registers under the same name (as a managed
 * instance group recreates it) after its provisioning time, not before its predecessor's
 * pods are gone.
 */
#include <stdlib.h>
#include <string.h>

#include "sched.h"

static const char *const taint_keys[CS_NODE_TAINTS] = {
    [CS_TAINT_NOT_READY] = "node.kubernetes.io/not-ready",
    [CS_TAINT_UNREACHABLE] = "node.kubernetes.io/unreachable",
    [CS_TAINT_UNSCHEDULABLE] = "node.kubernetes.io/unschedulable",
};

static char *node_name(cs_world *w, uint32_t node, char *buf, size_t size)
{
    return cs_config_node_name(w->cfg, node, buf, size);
}

static void trace_node(cs_world *w, uint32_t node, const char *type, const char *cause)
{
    if (w->trace.fn == NULL)
        return;
    char name[96];
    cs_field f[2] = {CS_STR("node", node_name(w, node, name, sizeof name)), CS_STR("cause", cause)};
    cs_world_trace(w, type, f, cause != NULL ? 2 : 1);
}

static cs_time seconds_ns(int64_t s)
{
    return s <= 0 ? 0 : s >= CS_TIME_MAX / CS_SECOND ? CS_TIME_MAX : s * CS_SECOND;
}

/* The template's view of the lifecycle taints. The DefaultTolerationSeconds admission plugin
 * (plugin/pkg/admission/defaulttolerationseconds) appends {key, Exists, NoExecute,
 * tolerationSeconds: the default} for not-ready and for unreachable unless a toleration with
 * that key (or none) and effect NoExecute (or none) is there already, whatever its operator and
 * value. The taint eviction controller (tainteviction/taint_eviction.go processPodOnNode) takes,
 * per NoExecute taint, the first toleration that tolerates it (v1helper.GetMatchingTolerations):
 * none evicts at once; getMinTolerationTime reads no tolerationSeconds as for ever and <= 0 as
 * at once. */
static void lifecycle_tolerations(cs_world *w, uint32_t wl)
{
    const cs_config *cfg = w->cfg;
    const cs_workload *t = &cfg->workloads[wl];
    cs_workload_state *ws = &w->workloads[wl];
    const int64_t defaults[2] = {cfg->not_ready_toleration_s, cfg->unreachable_toleration_s};
    for (int k = CS_TAINT_NOT_READY; k <= CS_TAINT_UNREACHABLE; k++) {
        const cs_toleration added = {.key = taint_keys[k], .op = CS_TOL_EXISTS, .value = "",
                                     .effect = CS_TAINT_NO_EXECUTE, .has_seconds = true, .seconds = defaults[k]};
        const cs_taint no_execute = {taint_keys[k], "", CS_TAINT_NO_EXECUTE};
        const cs_taint no_schedule = {taint_keys[k], "", CS_TAINT_NO_SCHEDULE};
        bool admitted = false, schedule_ok = false;
        const cs_toleration *used = NULL;
        for (uint32_t i = 0; i < t->n_tolerations; i++) {
            const cs_toleration *tol = &t->tolerations[i];
            admitted |= (tol->key[0] == '\0' || strcmp(tol->key, taint_keys[k]) == 0) &&
                        (tol->any_effect || tol->effect == CS_TAINT_NO_EXECUTE);
            if (used == NULL && cs_toleration_tolerates(tol, &no_execute))
                used = tol;
            schedule_ok |= cs_toleration_tolerates(tol, &no_schedule);
        }
        if (used == NULL && !admitted)
            used = &added;
        ws->evict_after[k] = used == NULL ? 0 : used->has_seconds ? seconds_ns(used->seconds) : CS_TIME_MAX;
        ws->tolerates[k] = schedule_ok && used != NULL;   /* TaintToleration checks both effects */
    }
    /* nodeunschedulable/node_unschedulable.go: a pod tolerating the unschedulable:NoSchedule
     * taint may land on a cordoned node. */
    const cs_taint cordoned = {taint_keys[CS_TAINT_UNSCHEDULABLE], "", CS_TAINT_NO_SCHEDULE};
    for (uint32_t i = 0; i < t->n_tolerations && !ws->tolerates[CS_TAINT_UNSCHEDULABLE]; i++)
        ws->tolerates[CS_TAINT_UNSCHEDULABLE] = cs_toleration_tolerates(&t->tolerations[i], &cordoned);
}

/* The kinds of counter-based draws (the `kind` of cs_rng_draw): a node's own, keyed by its
 * name and counted per node; a pool's, keyed by the pool's name (index UINT64_MAX) and counted by its
 * correlated failures, or by the instant of a timeline failure (not its place in the timeline,
 * which another action would shift). */
enum fault_draw { DRAW_FAILURE, DRAW_REPAIR, DRAW_CORRELATED, DRAW_PICK, DRAW_TIMELINE_PICK };

/* The faults generator set to the node's next draw of its time to failure (DRAW_FAILURE) or of
 * its time to repair or provisioning time (DRAW_REPAIR). */
static gsl_rng *node_draw(cs_world *w, uint32_t node, enum fault_draw kind)
{
    cs_node *n = &w->nodes[node];
    const cs_node_pool *pool = &w->cfg->pools[n->pool];
    uint32_t k = kind == DRAW_FAILURE ? n->ttf_draws++ : n->ttr_draws++;
    return cs_rng_draw(w->rng[CS_STREAM_FAULTS], w->seed, w->rep, CS_STREAM_FAULTS,
                       cs_rng_key(pool->name, node - pool->first_node), kind, k);
}

/* The faults generator set to draw k of `kind` of the pool. */
static gsl_rng *pool_draw(cs_world *w, uint32_t pool, enum fault_draw kind, uint64_t k)
{
    /* Index UINT64_MAX, which no node has: the pool's key is not its node 0's. */
    return cs_rng_draw(w->rng[CS_STREAM_FAULTS], w->seed, w->rep, CS_STREAM_FAULTS,
                       cs_rng_key(w->cfg->pools[pool].name, UINT64_MAX), kind, k);
}

/* Arms the node's failure: after the running time its paused clock has left, or after a new
 * draw of timeToFailure. */
static void schedule_failure(cs_world *w, uint32_t node)
{
    cs_node *n = &w->nodes[node];
    const cs_node_pool *pool = &w->cfg->pools[n->pool];
    if (!pool->fails)
        return;
    cs_time ttf = n->ttf_paused ? n->ttf_left : cs_dist_sample_time(&pool->time_to_failure, node_draw(w, node, DRAW_FAILURE));
    n->ttf_paused = false;
    n->fails_at = CS_TIME_MAX;
    if (ttf > CS_TIME_MAX - cs_now(w))
        return;   /* beyond any horizon */
    n->fails_at = cs_now(w) + ttf;
    n->failure_timer = cs_kernel_after(w->kernel, ttf, w->on_node_fail, (cs_payload){.a = node});
}

static void cancel(cs_world *w, cs_event_id *id)
{
    if (*id != 0)
        cs_kernel_cancel(w->kernel, *id);
    *id = 0;
}

static void node_down(cs_world *w, uint32_t node, cs_time repair_after, const char *cause, cs_failure_mode mode,
                      bool counted)
{
    cs_node *n = &w->nodes[node];
    if (!n->up || !n->exists)
        return;
    if (!counted && w->cfg->pools[n->pool].fails) {   /* a stop pauses the failure clock */
        n->ttf_paused = true;
        n->ttf_left = n->fails_at == CS_TIME_MAX ? CS_TIME_MAX : n->fails_at - cs_now(w);
    }
    cancel(w, &n->failure_timer);
    trace_node(w, node, counted ? "node.failed" : "node.stopped", cause);
    cs_node_set_up(w, node, false);
    if (counted)
        cs_metrics_node_failed(w);
    for (uint32_t pod = n->first_pod; pod != CS_NONE; pod = cs_pod_at(w, pod)->next_on_node)
        cs_pod_node_down(w, pod);
    n->fail_unreachable = mode == CS_FAIL_UNREACHABLE;
    /* A kubelet reporting NotReady is seen at once; a silent one after the grace period. */
    cs_time seen = mode == CS_FAIL_UNREACHABLE ? w->cfg->node_monitor_grace : 0;
    if (n->ready && n->notready_timer == 0)
        n->notready_timer = cs_kernel_after(w->kernel, seen, w->on_node_notready, (cs_payload){.a = node});
    cancel(w, &n->repair_timer);
    if (repair_after > 0)
        n->repair_timer = cs_kernel_after(w->kernel, repair_after, w->on_node_repair, (cs_payload){.a = node});
}

void cs_node_fail(cs_world *w, uint32_t node, cs_time repair_after, const char *cause, cs_failure_mode mode)
{
    node_down(w, node, repair_after, cause, mode, true);
}

void cs_node_stop(cs_world *w, uint32_t node, cs_time back_after, const char *cause)
{
    node_down(w, node, back_after, cause, CS_FAIL_UNREACHABLE, false);
}

/* The node runs and is Ready again, with no lifecycle timer left. */
static void node_up(cs_world *w, uint32_t node)
{
    cs_node *n = &w->nodes[node];
    cs_node_set_up(w, node, true);
    cancel(w, &n->notready_timer);
    cancel(w, &n->evict_timer);
    cs_node_set_ready(w, node, true);
    schedule_failure(w, node);
}

void cs_node_repair(cs_world *w, uint32_t node)
{
    cs_node *n = &w->nodes[node];
    cancel(w, &n->repair_timer);
    if (n->up || n->join_at != 0)
        return;   /* running, or being replaced: only the fresh machine comes back */
    trace_node(w, node, "node.repaired", NULL);
    cs_node_set_up(w, node, true);
    uint32_t pod = n->first_pod;
    while (pod != CS_NONE) {
        cs_pod *p = cs_pod_at(w, pod);
        uint32_t after = p->next_on_node;
        if (p->phase == CS_POD_DOWN)
            cs_pod_start(w, pod);   /* the kubelet restarts its containers */
        else if (p->phase == CS_POD_TERMINATING)
            cs_pod_delete(w, pod, p->term_reason);   /* deleted while it was away: nothing to stop */
        pod = after;
    }
    node_up(w, node);
    if (n->upgrade_down)
        cs_disruption_node_back(w, node);
}

/* A failure of a node of the pool: repaired after a draw of timeToRepair, or replaced by a
 * fresh machine after a draw of provisioningTime. */
static void fail_from_pool(cs_world *w, uint32_t node, const char *cause)
{
    cs_node *n = &w->nodes[node];
    const cs_node_pool *pool = &w->cfg->pools[n->pool];
    if (!pool->replace) {
        cs_time ttr = cs_dist_sample_time(&pool->time_to_repair, node_draw(w, node, DRAW_REPAIR));
        cs_node_fail(w, node, ttr > 0 ? ttr : 1, cause, CS_FAIL_UNREACHABLE);
        return;
    }
    if (!n->up || !n->exists)
        return;
    cs_time prov = cs_dist_sample_time(&pool->provisioning_time, node_draw(w, node, DRAW_REPAIR));
    cs_node_fail(w, node, 0, cause, CS_FAIL_UNREACHABLE);
    n->join_at = prov < CS_TIME_MAX - cs_now(w) ? cs_now(w) + (prov > 0 ? prov : 1) : CS_TIME_MAX;
}

static void on_fail(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    w->nodes[p.a].failure_timer = 0;
    fail_from_pool(w, p.a, "random");
}

static void on_repair(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    w->nodes[p.a].repair_timer = 0;
    cs_node_repair(w, p.a);
}

/* Deletes the pods of a node whose toleration of its NoExecute taint has run out, and sets the
 * timer for the next one. Linear in the node's pods at each expiry; the delays come from a few
 * templates, so a node sees few expiries. */
static void evict_expired(cs_world *w, uint32_t node)
{
    cs_node *n = &w->nodes[node];
    int key = n->unreachable ? CS_TAINT_UNREACHABLE : CS_TAINT_NOT_READY;
    cs_time now = cs_now(w), next = CS_TIME_MAX;
    uint32_t pod = n->first_pod;
    while (pod != CS_NONE) {
        const cs_pod *p = cs_pod_at(w, pod);
        uint32_t after = p->next_on_node, wl = p->workload;
        cs_time delay = w->workloads[wl].evict_after[key];
        cs_time due = delay >= CS_TIME_MAX - n->tainted_at ? CS_TIME_MAX : n->tainted_at + delay;
        if (p->phase == CS_POD_TERMINATING) {
            /* Already being deleted: another delete changes nothing. */
        } else if (due <= now) {
            cs_pod_delete(w, pod, "DeletionByTaintManager");
            cs_workload_reconcile(w, wl);   /* the ReplicaSet replaces what it lost */
        } else if (due < next) {
            next = due;
        }
        pod = after;
    }
    if (next != CS_TIME_MAX)
        n->evict_timer = cs_kernel_at(w->kernel, next, w->on_node_evict, (cs_payload){.a = node});
}

/* The pod garbage collector's orphan pass: its first 20 s pass after the deletion sees the
 * node gone and the pass 40 s later (quarantineTime) deletes the pods. */
static cs_time gc_time(cs_time deleted)
{
    cs_time pass = (deleted + CS_POD_GC_PERIOD - 1) / CS_POD_GC_PERIOD * CS_POD_GC_PERIOD;
    return pass + CS_POD_GC_QUARANTINE;
}

static void on_notready(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    cs_node *n = &w->nodes[p.a];
    n->notready_timer = 0;
    n->unreachable = n->fail_unreachable;
    cs_node_set_ready(w, p.a, false);   /* nodelifecycle.c queues it for the NoExecute taint */
    if (n->join_at == 0)
        return;
    /* A replaced machine: the cloud node lifecycle controller deletes the Node, which ends the
     * taint eviction's work for its pods; the pod GC takes them. */
    cs_node_set_exists(w, p.a, false);
    n->evict_timer = cs_kernel_at(w->kernel, gc_time(cs_now(w)), w->on_node_gc, p);
}

void cs_node_taint_no_execute(cs_world *w, uint32_t node)
{
    cs_node *n = &w->nodes[node];
    n->noexec = true;
    n->tainted_at = cs_now(w);
    trace_node(w, node, "node.tainted", n->unreachable ? taint_keys[CS_TAINT_UNREACHABLE] : taint_keys[CS_TAINT_NOT_READY]);
    evict_expired(w, node);
}

/* The taint eviction controller calls off the evictions of a node whose NoExecute taint goes. */
void cs_node_untaint_no_execute(cs_world *w, uint32_t node)
{
    cs_node *n = &w->nodes[node];
    if (!n->noexec)
        return;
    n->noexec = false;
    cancel(w, &n->evict_timer);
}

static void on_evict(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    w->nodes[p.a].evict_timer = 0;
    evict_expired(w, p.a);
}

static void on_gc(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    cs_node *n = &w->nodes[p.a];
    n->evict_timer = 0;
    uint32_t pod = n->first_pod;
    while (pod != CS_NONE) {
        uint32_t after = cs_pod_at(w, pod)->next_on_node, wl = cs_pod_at(w, pod)->workload;
        cs_pod_delete(w, pod, "DeletionByPodGC");
        cs_workload_reconcile(w, wl);
        pod = after;
    }
    cs_time at = n->join_at > cs_now(w) ? n->join_at : cs_now(w);
    if (at != CS_TIME_MAX)
        n->repair_timer = cs_kernel_at(w->kernel, at, w->on_node_join, p);
}

/* The fresh machine registers: a new, schedulable, Ready node with no pods. */
static void on_join(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    cs_node *n = &w->nodes[p.a];
    n->repair_timer = 0;
    n->join_at = 0;
    if (w->images != NULL)
        w->images[p.a].len = 0;   /* a fresh machine: its kubelet's image store is empty */
    n->generation++;
    cs_node_set_exists(w, p.a, true);
    cs_node_set_unschedulable(w, p.a, false);
    cs_metrics_count(w, CS_COUNT_NODES_REPLACED);
    n->ttf_paused = false;   /* a fresh machine starts a fresh clock */
    node_up(w, p.a);
    if (n->upgrade_down)   /* drained for an upgrade while it was replaced: the fresh one is new */
        cs_disruption_node_back(w, p.a);
}

typedef struct pick {
    uint64_t priority;
    uint32_t node;
} pick;

static int by_priority(const void *a, const void *b)
{
    const pick *x = a, *y = b;
    if (x->priority != y->priority)
        return (x->priority > y->priority) - (x->priority < y->priority);
    return (x->node > y->node) - (x->node < y->node);
}

static int by_node(const void *a, const void *b)
{
    const pick *x = a, *y = b;
    return (x->node > y->node) - (x->node < y->node);
}

/* Picks `count` running nodes of a pool uniformly at random, and fails them in id order, each
 * for `duration`, or with a draw of the pool's repair (or replacement) when duration < 0. `g` is
 * set to the event's own draw: it gives every node of the pool, running or not, a priority (its
 * output in pool order), and the running nodes of lowest priority fail. So a node is picked by
 * its own priority and by which others run; a node stopped under one policy and running under
 * another changes the pick by at most that node, and no draw of any node's clock. O(n log n) in
 * the pool's nodes, at each bulk failure. */
static void fail_in_pool(cs_world *w, uint32_t pool_id, gsl_rng *g, uint32_t count, bool percent, cs_time duration,
                         const char *cause, cs_failure_mode mode)
{
    const cs_node_pool *pool = &w->cfg->pools[pool_id];
    uint32_t needed = count;
    if (percent)   /* a share of the pool rounds up, as intstr percentages of PDBs do */
        needed = (uint32_t)(((uint64_t)count * pool->count + 99) / 100);
    w->picks.len = 0;
    for (uint32_t i = 0; i < pool->count; i++) {
        uint32_t node = pool->first_node + i;
        uint64_t priority = gsl_rng_get(g);
        if (!w->nodes[node].up || !w->nodes[node].exists)
            continue;
        uint32_t at = cs_vec_push(w, &w->picks, sizeof(pick));
        if (at == CS_NONE)
            return;
        ((pick *)w->picks.data)[at] = (pick){priority, node};
    }
    pick *picks = w->picks.data;
    uint32_t n = needed < w->picks.len ? needed : w->picks.len;
    if (n == 0)
        return;
    qsort(picks, w->picks.len, sizeof *picks, by_priority);
    qsort(picks, n, sizeof *picks, by_node);
    for (uint32_t i = 0; i < n; i++) {
        if (duration < 0)
            fail_from_pool(w, picks[i].node, cause);
        else
            cs_node_fail(w, picks[i].node, duration, cause, mode);
    }
}

/* The k-th correlated failure of the pool comes after the k-th draw of its interval. */
static void schedule_correlated(cs_world *w, uint32_t pool_id, uint32_t k)
{
    const cs_node_pool *pool = &w->cfg->pools[pool_id];
    cs_time dt = cs_dist_sample_time(&pool->correlated_interval, pool_draw(w, pool_id, DRAW_CORRELATED, k));
    if (dt < CS_TIME_MAX - cs_now(w))
        cs_kernel_after(w->kernel, dt > 0 ? dt : 1, w->on_correlated, (cs_payload){.a = pool_id, .b = k});
}

static void on_correlated(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    const cs_node_pool *pool = &w->cfg->pools[p.a];
    fail_in_pool(w, p.a, pool_draw(w, p.a, DRAW_PICK, p.b), pool->correlated_count.value,
                 pool->correlated_count.percent, -1, "correlated", CS_FAIL_UNREACHABLE);
    schedule_correlated(w, p.a, p.b + 1);
}

/* cordon / uncordon of a node, or of every node of a pool. */
static void set_unschedulable(cs_world *w, const cs_action *a, bool unschedulable)
{
    if (a->node != CS_NONE) {
        cs_node_set_unschedulable(w, a->node, unschedulable);
        return;
    }
    const cs_node_pool *pool = &w->cfg->pools[a->pool];
    for (uint32_t i = 0; i < pool->count; i++)
        cs_node_set_unschedulable(w, pool->first_node + i, unschedulable);
}

static void on_action(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    const cs_action *a = &w->cfg->timeline[p.a];
    switch (a->kind) {
    case CS_ACTION_NODE_FAILURE:
        if (a->node != CS_NONE)
            cs_node_fail(w, a->node, a->duration, "timeline", a->mode);
        else
            fail_in_pool(w, a->pool, pool_draw(w, a->pool, DRAW_TIMELINE_PICK, (uint64_t)a->at), a->count,
                         a->count_percent, a->duration, "timeline", a->mode);
        break;
    case CS_ACTION_NODE_REPAIR:
        cs_node_repair(w, a->node);
        break;
    case CS_ACTION_ZONE_OUTAGE:
        for (uint32_t node = 0; node < w->cfg->n_nodes; node++)
            if (w->nodes[node].zone == a->zone)
                cs_node_fail(w, node, a->duration, "zoneOutage", CS_FAIL_UNREACHABLE);
        break;
    case CS_ACTION_SCALE:
        cs_workload_scale(w, a->workload, a->replicas);
        break;
    case CS_ACTION_CORDON:
    case CS_ACTION_UNCORDON:
        set_unschedulable(w, a, a->kind == CS_ACTION_CORDON);
        break;
    case CS_ACTION_DRAIN:
        cs_disruption_drain(w, p.a);
        break;
    case CS_ACTION_ROLLOUT:
        cs_workload_rollout(w, a->workload, a->patch);
        break;
    case CS_ACTION_PAUSE:
    case CS_ACTION_RESUME:
        cs_workload_pause(w, a->workload, a->kind == CS_ACTION_PAUSE);
        break;
    case CS_ACTION_ROLLBACK:
        cs_workload_rollback(w, a->workload);
        break;
    }
}

cs_status cs_faults_attach(cs_world *w)
{
    cs_kernel *k = w->kernel;
    const cs_config *cfg = w->cfg;
    w->on_node_fail = cs_kernel_on(k, "node.fail", on_fail, w);
    w->on_node_repair = cs_kernel_on(k, "node.repair", on_repair, w);
    w->on_node_notready = cs_kernel_on(k, "node.notready", on_notready, w);
    w->on_node_evict = cs_kernel_on(k, "node.evict", on_evict, w);
    w->on_node_gc = cs_kernel_on(k, "podgc.orphaned", on_gc, w);
    w->on_node_join = cs_kernel_on(k, "node.join", on_join, w);
    w->on_correlated = cs_kernel_on(k, "pool.correlatedFailure", on_correlated, w);
    w->on_action = cs_kernel_on(k, "timeline.action", on_action, w);
    if (w->on_action == CS_HANDLER_NONE || w->on_node_evict == CS_HANDLER_NONE ||
        w->on_node_notready == CS_HANDLER_NONE || w->on_node_repair == CS_HANDLER_NONE ||
        w->on_node_fail == CS_HANDLER_NONE || w->on_node_gc == CS_HANDLER_NONE ||
        w->on_node_join == CS_HANDLER_NONE || w->on_correlated == CS_HANDLER_NONE)
        return CS_ENOMEM;
    for (uint32_t wl = 0; wl < cfg->n_workloads; wl++)
        lifecycle_tolerations(w, wl);
    for (uint32_t node = 0; node < cfg->n_nodes; node++)
        schedule_failure(w, node);
    for (uint32_t pool = 0; pool < cfg->n_pools; pool++)
        if (cfg->pools[pool].correlated)
            schedule_correlated(w, pool, 0);
    for (uint32_t i = 0; i < cfg->n_timeline; i++)
        cs_kernel_at(k, cfg->timeline[i].at, w->on_action, (cs_payload){.a = i});
    return cs_kernel_failed(k) ? CS_ENOMEM : CS_OK;
}
