/* disruption.c -- voluntary disruptions: drains and rolling node upgrades, the Eviction API and
 * PodDisruptionBudgets.
 *
 * A drain is `kubectl drain --ignore-daemonsets --delete-emptydir-data --force`
 * (staging/src/k8s.io/kubectl/pkg/drain): it cordons the node, lists the pods bound to it then
 * (DaemonSet pods left out), and evicts them all at once through the Eviction API; an eviction
 * refused with 429 (it would violate a PodDisruptionBudget) is retried 5 s later, any other
 * error fails the drain once the others are done; when every pod is gone the drain is over.
 * With a timeout (--timeout) a drain still going then fails. With disableEviction the pods are
 * deleted instead, past every budget (--disable-eviction).
 *
 * The Eviction API (pkg/registry/core/pod/storage/eviction.go) deletes a Pending pod without a
 * look at budgets (canIgnorePDB), refuses with 500 a pod that more than one budget selects,
 * deletes a pod no budget selects, lets an unready pod go under AlwaysAllow or while the budget
 * is met (IfHealthyBudget), and otherwise takes one of the budget's disruptionsAllowed
 * (checkAndDecrement) or answers 429. The budget's status is what the disruption controller
 * (pkg/controller/disruption/disruption.go) would compute at that instant: the controller is
 * watch-driven, and an eviction's pod leaves at once, which is what DisruptedPods stands for.
 *
 * A drain of a pool is a rolling node upgrade: maxUnavailable nodes at a time, in node order,
 * are drained; each drained node stops for a draw of upgradeTime (from the disruption stream)
 * and comes back uncordoned; when the whole batch is back the next one starts. A failed drain
 * stops the upgrade, with its node left cordoned.
 *
 * Ownership: drains and upgrades live in the world's arena; nodes refer to them by index.
 */
#include <string.h>

#include "model.h"

typedef struct drain {
    uint32_t node, action;
    uint32_t *pods;         /* still to evict */
    uint32_t n_pods;
    uint32_t *listed;       /* every pod the drain listed, for waitForDelete */
    uint32_t n_listed;
    bool error;             /* an eviction failed with an error other than 429 */
    bool done;
    cs_time started;
    cs_event_id retry, timeout;
} drain;

typedef struct upgrade {
    uint32_t action;
    cs_time started;
    uint32_t next;          /* the next node of the pool to take, as an index in the pool */
    uint32_t in_flight;     /* nodes of the batch not back yet */
    bool stopped;
} upgrade;

struct cs_disruption {
    cs_vec drains, upgrades;
    uint32_t *pdb_wls;      /* per PDB, the workloads it selects: pdb_wls[first_wl[i] ..] */
    uint32_t *first_wl, *n_wl;
    uint32_t *wl_pdbs;      /* per workload, the PDBs selecting it (cs_workload_state.first_pdb) */
    cs_handler on_retry, on_timeout, on_poll, on_next_batch;
};

static drain *drain_at(cs_world *w, uint32_t i)
{
    return &((drain *)w->disruption->drains.data)[i];
}

static upgrade *upgrade_at(cs_world *w, uint32_t i)
{
    return &((upgrade *)w->disruption->upgrades.data)[i];
}

/* ---- PodDisruptionBudgets ---------------------------------------------------------------- */

static const char *label_of(const cs_workload *wl, const char *key)
{
    for (uint32_t i = 0; i < wl->n_labels; i++)
        if (strcmp(wl->labels[i].key, key) == 0)
            return wl->labels[i].value;
    return NULL;
}

/* metav1.LabelSelectorAsSelector against a pod template's labels: every matchLabels pair, and
 * every expression (In: present and listed; NotIn: absent or not listed; Exists; DoesNotExist).
 * No selector selects nothing; an empty one selects every pod. */
static bool pdb_selects(const cs_pdb *p, uint32_t wl_id, const cs_workload *wl)
{
    if (p->workload != CS_NONE)
        return p->workload == wl_id;
    if (!p->has_selector)
        return false;
    for (uint32_t i = 0; i < p->n_match_labels; i++) {
        const char *v = label_of(wl, p->match_labels[i].key);
        if (v == NULL || strcmp(v, p->match_labels[i].value) != 0)
            return false;
    }
    for (uint32_t i = 0; i < p->n_match_expressions; i++) {
        const cs_requirement *q = &p->match_expressions[i];
        const char *v = label_of(wl, q->key);
        bool listed = false;
        for (uint32_t j = 0; v != NULL && j < q->n_values && !listed; j++)
            listed = strcmp(v, q->values[j]) == 0;
        bool ok = q->op == CS_OP_IN           ? listed
                  : q->op == CS_OP_NOT_IN     ? !listed
                  : q->op == CS_OP_EXISTS     ? v != NULL
                                              : v == NULL;   /* DoesNotExist */
        if (!ok)
            return false;
    }
    return true;
}

/* intstr.GetScaledValueFromIntOrPercent(v, total, roundUp = true), as the disruption
 * controller calls it. */
static int32_t scaled_up(cs_int_or_percent v, int32_t total)
{
    if (!v.percent)
        return (int32_t)v.value;
    return (int32_t)(((int64_t)v.value * total + 99) / 100);
}

/* disruption.go: getExpectedPodCount, countHealthyPods and updatePdbStatus. expectedCount is the
 * number of pods for an integer minAvailable, else the scale of their controllers
 * (getExpectedScale: each controller of a pod once; pods with none, kind Pod here, are
 * unmanaged and left out). A pod is healthy when Ready. */
void cs_pdb_status_of(const cs_world *w, uint32_t pdb, cs_pdb_status *out)
{
    const cs_pdb *p = &w->cfg->pdbs[pdb];
    const cs_disruption *d = w->disruption;
    int32_t pods = 0, scale = 0, healthy = 0;
    bool no_scale = false;   /* a pod's controller has no scale subresource (a DaemonSet) */
    for (uint32_t i = 0; i < d->n_wl[pdb]; i++) {
        uint32_t wl = d->pdb_wls[d->first_wl[pdb] + i];
        const cs_workload_state *ws = &w->workloads[wl];
        uint32_t live = cs_workload_live_pods(w, wl);
        pods += (int32_t)live;
        healthy += (int32_t)ws->count[CS_POD_READY];
        no_scale |= live > 0 && w->cfg->workloads[wl].daemonset;
        if (live > 0 && strcmp(w->cfg->workloads[wl].kind, "Pod") != 0)
            scale += (int32_t)ws->desired;
    }
    int32_t expected = 0, desired = 0;
    if (p->has_max_unavailable) {
        expected = scale;
        desired = expected - scaled_up(p->value, expected);
        desired = desired < 0 ? 0 : desired;
    } else if (p->has_min_available && !p->value.percent) {
        desired = (int32_t)p->value.value;
        expected = pods;
    } else if (p->has_min_available) {
        expected = scale;
        desired = scaled_up(p->value, expected);
    }
    int32_t allowed = healthy - desired;
    if (expected <= 0 || allowed <= 0)
        allowed = 0;
    /* getScaleController fails for a controller without the scale subresource: the sync fails
     * and failSafe leaves no disruption allowed. */
    if (no_scale && (p->has_max_unavailable || (p->has_min_available && p->value.percent)))
        allowed = 0;
    *out = (cs_pdb_status){.expected = expected, .healthy = healthy, .desired = desired, .allowed = allowed};
}

const uint32_t *cs_workload_pdbs(const cs_world *w, uint32_t workload, uint32_t *n)
{
    const cs_workload_state *ws = &w->workloads[workload];
    *n = ws->n_pdb;
    return w->disruption->wl_pdbs + ws->first_pdb;
}

/* ---- the Eviction API ------------------------------------------------------------------- */

static void trace_refused(cs_world *w, uint32_t pod, const char *why, const cs_pdb_status *st)
{
    if (w->trace.fn == NULL)
        return;
    cs_field f[5] = {CS_INT("pod", pod), CS_STR("workload", w->cfg->workloads[cs_pod_at(w, pod)->workload].name),
                     CS_STR("reason", why), CS_INT("desiredHealthy", st != NULL ? st->desired : 0),
                     CS_INT("currentHealthy", st != NULL ? st->healthy : 0)};
    cs_world_trace(w, "eviction.refused", f, st != NULL ? 5 : 3);
}

/* A graceful delete, as the Eviction API and kubectl delete make it: the pod is Terminating
 * for its grace period (cluster.c), and its ReplicaSet replaces it at once. */
static void evict_now(cs_world *w, uint32_t pod, const char *reason, int64_t grace_s)
{
    bool ready = cs_pod_at(w, pod)->phase == CS_POD_READY;
    uint32_t wl = cs_pod_at(w, pod)->workload;
    cs_pod_terminate_within(w, pod, reason, grace_s);
    cs_metrics_voluntary_disruption(w, pod, ready);
    cs_workload_reconcile(w, wl);
}

cs_eviction cs_pod_evict(cs_world *w, uint32_t pod, int64_t grace_s)
{
    const cs_pod *p = cs_pod_at(w, pod);
    if (p->phase == CS_POD_TERMINATED)
        return CS_EVICTION_GONE;
    /* canIgnorePDB: phase Pending (not bound, or its containers not started yet) or a
     * deletionTimestamp already set (Terminating). */
    bool ignore = p->phase == CS_POD_PENDING || p->phase == CS_POD_STARTING || p->phase == CS_POD_TERMINATING;
    uint32_t n = 0;
    const uint32_t *pdbs = cs_workload_pdbs(w, p->workload, &n);
    if (!ignore && n > 1) {
        trace_refused(w, pod, "This pod has more than one PodDisruptionBudget", NULL);
        return CS_EVICTION_ERROR;
    }
    if (!ignore && n == 1) {
        cs_pdb_status st;
        cs_pdb_status_of(w, pdbs[0], &st);
        bool ready = p->phase == CS_POD_READY;
        bool unhealthy_ok = !ready && (w->cfg->pdbs[pdbs[0]].always_allow || (st.healthy >= st.desired && st.desired > 0));
        if (!unhealthy_ok && st.allowed == 0) {
            cs_metrics_count(w, CS_COUNT_EVICTIONS_REFUSED);
            trace_refused(w, pod, "Cannot evict pod as it would violate the pod's disruption budget.", &st);
            return CS_EVICTION_REFUSED;
        }
    }
    cs_metrics_count(w, CS_COUNT_EVICTIONS);
    evict_now(w, pod, "EvictionByEvictionAPI", grace_s);
    return CS_EVICTED;
}

/* ---- drains ----------------------------------------------------------------------------- */

static void trace_drain(cs_world *w, const drain *d, const char *type, const char *reason)
{
    if (w->trace.fn == NULL)
        return;
    char name[96];
    cs_field f[3] = {CS_STR("node", cs_config_node_name(w->cfg, d->node, name, sizeof name)),
                     CS_REAL("duration_s", (double)(cs_now(w) - d->started) / 1e9), CS_STR("reason", reason)};
    cs_world_trace(w, type, f, reason != NULL ? 3 : 2);
}

static void upgrade_node_done(cs_world *w, uint32_t u);

static void drain_end(cs_world *w, uint32_t di, bool ok, const char *why)
{
    drain *d = drain_at(w, di);
    cs_kernel_cancel(w->kernel, d->retry);
    cs_kernel_cancel(w->kernel, d->timeout);
    d->retry = d->timeout = 0;
    d->done = true;
    cs_node *n = &w->nodes[d->node];
    n->drain = CS_NONE;
    cs_metrics_count(w, ok ? CS_COUNT_DRAINS_COMPLETED : CS_COUNT_DRAINS_FAILED);
    if (ok)
        cs_metrics_drain_completed(w, cs_now(w) - d->started);
    trace_drain(w, d, ok ? "node.drained" : "node.drain.failed", why);
    if (n->upgrade == CS_NONE)
        return;
    const cs_action *a = &w->cfg->timeline[d->action];
    if (!ok) {
        upgrade_at(w, n->upgrade)->stopped = true;
        n->upgrade = CS_NONE;
        return;
    }
    if (!a->upgrade) {
        uint32_t u = n->upgrade;
        n->upgrade = CS_NONE;
        upgrade_node_done(w, u);
        return;
    }
    /* A node that failed meanwhile is upgraded while it is down: its repair ends the upgrade.
     * The upgrade's time is the node's own draw for this action (keyed by the node's name and
     * the action's instant, rng.h cs_rng_draw), not the next in drain-end order: a policy that
     * drains in another order does not swap upgrade times between nodes. */
    const cs_node_pool *pool = &w->cfg->pools[n->pool];
    gsl_rng *g = cs_rng_draw(w->rng[CS_STREAM_DISRUPTION], w->seed, w->rep, CS_STREAM_DISRUPTION,
                             cs_rng_key(pool->name, d->node - pool->first_node), 0, (uint64_t)a->at);
    cs_time t = cs_dist_sample_time(&a->upgrade_time, g);
    n->upgrade_down = true;
    cs_node_stop(w, d->node, t > 0 ? t : 1, "upgrade");
}

/* waitForDelete: true while a pod the drain listed is not gone (still terminating). Pods that
 * came to the node after the listing do not count. */
static bool pods_left(cs_world *w, const drain *d)
{
    for (uint32_t i = 0; i < d->n_listed; i++)
        if (cs_pod_at(w, d->listed[i])->phase != CS_POD_TERMINATED)
            return true;
    return false;
}

/* One round of evictions (the drain's goroutines, one per pod, in the order listed). */
static void drain_round(cs_world *w, uint32_t di)
{
    drain *d = drain_at(w, di);
    const cs_action *a = &w->cfg->timeline[d->action];
    bool disable = a->disable_eviction;
    uint32_t kept = 0;
    for (uint32_t i = 0; i < d->n_pods; i++) {
        uint32_t pod = d->pods[i];
        cs_eviction r = CS_EVICTION_GONE;
        if (disable && cs_pod_at(w, pod)->phase != CS_POD_TERMINATED)
            evict_now(w, pod, "Deleted", a->grace_period_s);
        else if (!disable)
            r = cs_pod_evict(w, pod, a->grace_period_s);
        d = drain_at(w, di);   /* the evictions may have grown the drain list */
        if (r == CS_EVICTION_REFUSED)
            d->pods[kept++] = pod;
        d->error |= r == CS_EVICTION_ERROR;
    }
    d->n_pods = kept;
    if (kept > 0) {
        d->retry = cs_kernel_after(w->kernel, CS_DRAIN_RETRY, w->disruption->on_retry, (cs_payload){.a = di});
        return;
    }
    if (d->error) {
        drain_end(w, di, false, "error");
        return;
    }
    if (pods_left(w, d)) {   /* waitForDelete */
        d->retry = cs_kernel_after(w->kernel, CS_DRAIN_POLL, w->disruption->on_poll, (cs_payload){.a = di});
        return;
    }
    drain_end(w, di, true, NULL);
}

static void on_retry(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    drain_at(w, p.a)->retry = 0;
    drain_round(w, p.a);
}

static void on_poll(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    drain *d = drain_at(w, p.a);
    d->retry = 0;
    if (pods_left(w, d))
        d->retry = cs_kernel_after(w->kernel, CS_DRAIN_POLL, w->disruption->on_poll, p);
    else
        drain_end(w, p.a, true, NULL);
}

static void on_timeout(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    drain_at(w, p.a)->timeout = 0;
    drain_end(w, p.a, false, "timeout");
}

/* Starts kubectl drain on a node for timeline action `action`. A node already draining keeps
 * its drain. */
static void drain_start(cs_world *w, uint32_t node, uint32_t action)
{
    cs_node *n = &w->nodes[node];
    if (n->drain != CS_NONE)
        return;
    cs_disruption *dm = w->disruption;
    uint32_t di = cs_vec_push(w, &dm->drains, sizeof(drain));
    if (di == CS_NONE)
        return;
    uint32_t count = 0;
    for (uint32_t pod = n->first_pod; pod != CS_NONE; pod = cs_pod_at(w, pod)->next_on_node)
        count++;
    uint32_t *pods = cs_arena_calloc(w->arena, 2 * (size_t)count + 2, sizeof *pods);
    if (pods == NULL) {
        w->oom = true;
        cs_kernel_stop(w->kernel);
        return;
    }
    drain *d = drain_at(w, di);
    *d = (drain){.node = node, .action = action, .pods = pods, .listed = pods + count + 1, .started = cs_now(w)};
    /* The pods as listed (the node's list, the most recently bound first), less DaemonSet pods. */
    for (uint32_t pod = n->first_pod; pod != CS_NONE; pod = cs_pod_at(w, pod)->next_on_node)
        if (!w->cfg->workloads[cs_pod_at(w, pod)->workload].daemonset)
            d->pods[d->n_pods++] = d->listed[d->n_listed++] = pod;
    n->drain = di;
    cs_node_set_unschedulable(w, node, true);
    trace_drain(w, d, "node.drain.started", NULL);
    const cs_action *a = &w->cfg->timeline[action];
    if (a->timeout > 0)
        d->timeout = cs_kernel_after(w->kernel, a->timeout, dm->on_timeout, (cs_payload){.a = di});
    drain_round(w, di);
}

/* ---- rolling upgrades ------------------------------------------------------------------- */

static void upgrade_batch(cs_world *w, uint32_t u)
{
    upgrade *up = upgrade_at(w, u);
    const cs_action *a = &w->cfg->timeline[up->action];
    const cs_node_pool *pool = &w->cfg->pools[a->pool];
    uint32_t first = up->next, last = first + a->count < pool->count ? first + a->count : pool->count;
    if (first >= last || up->stopped)
        return;
    up->next = last;
    up->in_flight = last - first;
    if (w->trace.fn != NULL) {
        cs_field f[3] = {CS_STR("pool", pool->name), CS_INT("first", first), CS_INT("count", last - first)};
        cs_world_trace(w, "upgrade.batch", f, 3);
    }
    for (uint32_t i = first; i < last; i++)
        w->nodes[pool->first_node + i].upgrade = u;
    for (uint32_t i = first; i < last && !upgrade_at(w, u)->stopped; i++)
        drain_start(w, pool->first_node + i, up->action);
}

static void on_next_batch(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    upgrade_batch(model, p.a);
}

/* A node of batch u is through; the last one starts the next batch (as its own event, so that
 * the drains of one batch never nest in another's), or ends the upgrade. */
static void upgrade_node_done(cs_world *w, uint32_t u)
{
    upgrade *up = upgrade_at(w, u);
    if (--up->in_flight != 0 || up->stopped)
        return;
    const cs_node_pool *pool = &w->cfg->pools[w->cfg->timeline[up->action].pool];
    if (up->next < pool->count) {
        cs_kernel_after(w->kernel, 0, w->disruption->on_next_batch, (cs_payload){.a = u});
        return;
    }
    cs_metrics_upgrade_completed(w, cs_now(w) - up->started);
    if (w->trace.fn != NULL) {
        cs_field f[2] = {CS_STR("pool", pool->name), CS_REAL("duration_s", (double)(cs_now(w) - up->started) / 1e9)};
        cs_world_trace(w, "upgrade.completed", f, 2);
    }
}

void cs_disruption_node_back(cs_world *w, uint32_t node)
{
    cs_node *n = &w->nodes[node];
    uint32_t u = n->upgrade;
    n->upgrade = CS_NONE;
    n->upgrade_down = false;
    cs_node_set_unschedulable(w, node, false);   /* kubectl uncordon */
    upgrade_node_done(w, u);
}

void cs_disruption_drain(cs_world *w, uint32_t action)
{
    const cs_action *a = &w->cfg->timeline[action];
    if (a->node != CS_NONE) {
        drain_start(w, a->node, action);
        return;
    }
    uint32_t u = cs_vec_push(w, &w->disruption->upgrades, sizeof(upgrade));
    if (u == CS_NONE)
        return;
    *upgrade_at(w, u) = (upgrade){.action = action, .started = cs_now(w)};
    upgrade_batch(w, u);
}

void cs_disruption_finish(cs_world *w)
{
    cs_disruption *d = w->disruption;
    for (uint32_t i = 0; i < d->drains.len; i++) {
        const drain *dr = drain_at(w, i);
        if (dr->done)
            continue;
        cs_metrics_count(w, CS_COUNT_DRAINS_UNFINISHED);
        trace_drain(w, dr, "node.drain.unfinished", dr->n_pods > 0 ? "blocked by a PodDisruptionBudget" : NULL);
    }
}

/* Lists the workloads of each PDB and the PDBs of each workload. Quadratic in PDBs x workloads
 * times the labels, once per world. */
static cs_status attach_pdbs(cs_world *w)
{
    const cs_config *cfg = w->cfg;
    cs_disruption *d = w->disruption;
    uint32_t total = 0;
    for (uint32_t i = 0; i < cfg->n_pdbs; i++)
        for (uint32_t wl = 0; wl < cfg->n_workloads; wl++)
            total += pdb_selects(&cfg->pdbs[i], wl, &cfg->workloads[wl]);
    d->pdb_wls = cs_arena_calloc(w->arena, (size_t)total + 1, sizeof *d->pdb_wls);
    d->wl_pdbs = cs_arena_calloc(w->arena, (size_t)total + 1, sizeof *d->wl_pdbs);
    d->first_wl = cs_arena_calloc(w->arena, cfg->n_pdbs + 1, sizeof *d->first_wl);
    d->n_wl = cs_arena_calloc(w->arena, cfg->n_pdbs + 1, sizeof *d->n_wl);
    if (d->pdb_wls == NULL || d->wl_pdbs == NULL || d->first_wl == NULL || d->n_wl == NULL)
        return CS_ENOMEM;
    uint32_t next = 0;
    for (uint32_t i = 0; i < cfg->n_pdbs; i++) {
        d->first_wl[i] = next;
        for (uint32_t wl = 0; wl < cfg->n_workloads; wl++)
            if (pdb_selects(&cfg->pdbs[i], wl, &cfg->workloads[wl]))
                d->pdb_wls[next++] = wl;
        d->n_wl[i] = next - d->first_wl[i];
    }
    next = 0;
    for (uint32_t wl = 0; wl < cfg->n_workloads; wl++) {
        cs_workload_state *ws = &w->workloads[wl];
        ws->first_pdb = next;
        for (uint32_t i = 0; i < cfg->n_pdbs; i++)
            if (pdb_selects(&cfg->pdbs[i], wl, &cfg->workloads[wl]))
                d->wl_pdbs[next++] = i;
        ws->n_pdb = next - ws->first_pdb;
    }
    return CS_OK;
}

cs_status cs_disruption_attach(cs_world *w)
{
    cs_disruption *d = cs_arena_new_of(w->arena, cs_disruption);
    if (d == NULL)
        return CS_ENOMEM;
    w->disruption = d;
    cs_kernel *k = w->kernel;
    d->on_retry = cs_kernel_on(k, "drain.retry", on_retry, w);
    d->on_poll = cs_kernel_on(k, "drain.waitForDelete", on_poll, w);
    d->on_timeout = cs_kernel_on(k, "drain.timeout", on_timeout, w);
    d->on_next_batch = cs_kernel_on(k, "upgrade.nextBatch", on_next_batch, w);
    if (d->on_retry == CS_HANDLER_NONE || d->on_poll == CS_HANDLER_NONE || d->on_timeout == CS_HANDLER_NONE ||
        d->on_next_batch == CS_HANDLER_NONE)
        return CS_ENOMEM;
    return attach_pdbs(w);
}
