/* workloads.c -- the ReplicaSet controller, and the sync events of every workload controller.
 *
 * Every workload owns ReplicaSets (cs_rs), one per template revision; a Deployment
 * (deployment.c) sets their sizes, any other kind has one RS sized to its replicas. The
 * controllers are watch-triggered, as upstream: a change of one of a workload's pods, or of its
 * spec (a scale, a rollout, a pause), queues one sync event of that workload at the current
 * time (the work queue holds a key once, so many changes in one instant make one sync), and a
 * sync takes no virtual time.
 *
 * An RS creates missing pods at once and deletes surplus ones chosen by the upstream ranking
 * (pkg/controller/replicaset/replica_set.go getPodsToDelete, with
 * pkg/controller/controller_utils.go ActivePodsWithRanks.Less): unassigned before assigned;
 * Pending (containers not running yet) before Unknown (node down) before Running; not ready
 * before ready; more active pods of the same workload on the pod's node first
 * (getPodsRankedByRelatedPodsOnSameNode); both ready: the more recently ready first; more
 * restarts first; the newer first. Times compare as LogarithmicScaleDown does (on by default):
 * by floor(log2(now - t)) in nanoseconds, and equal buckets by uid (pseudorandom). There are no
 * pod-deletion-cost annotations.
 *
 * Cost: a scale-down walks the RS's pods once, looks each one's rank up in a table of counts
 * per (workload, node) kept as pods bind and go, and selects the first few in about one
 * comparison per pod. A rolling update does one per step, so a rollout of p pods is O(p^2) in
 * all, with a small constant (docs/benchmarks.md, scripts/bench-rollout). Counters per RS keep
 * every other decision O(1).
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"

uint32_t cs_rs_active(const cs_rs *rs)
{
    return rs->count[CS_POD_PENDING] + rs->count[CS_POD_STARTING] + rs->count[CS_POD_RUNNING] +
           rs->count[CS_POD_READY] + rs->count[CS_POD_DOWN];
}

static bool active_phase(cs_pod_phase ph)
{
    return ph != CS_POD_TERMINATING && ph != CS_POD_TERMINATED;
}

uint32_t cs_rs_create(cs_world *w, uint32_t workload, const cs_pod_template *tmpl)
{
    uint32_t id = cs_vec_push(w, &w->rs, sizeof(cs_rs));
    if (id == CS_NONE)
        return CS_NONE;
    cs_workload_state *ws = &w->workloads[workload];
    *cs_rs_at(w, id) = (cs_rs){.workload = workload, .revision = ++ws->revision, .tmpl = tmpl,
                               .first_pod = CS_NONE, .next = CS_NONE, .created = cs_now(w)};
    if (ws->last_rs != CS_NONE)
        cs_rs_at(w, ws->last_rs)->next = id;
    else
        ws->first_rs = id;
    ws->last_rs = id;
    return id;
}

/* A pod's keys for ActivePodsWithRanks.Less, computed once per sort. */
typedef struct ranked {
    uint32_t pod;
    int assigned, phase, ready;     /* phase: podPhaseToOrdinal (Pending 0, Unknown 1, Running 2) */
    uint32_t rank;                  /* active pods of the workload on the same node */
    int64_t ready_since, created;   /* for equality */
    int64_t ready_log, created_log; /* floor(log2(now - t)), -1 when now - t <= 0 */
    uint32_t restarts;
    uint64_t uid;
} ranked;

static int phase_ordinal(cs_pod_phase ph)
{
    switch (ph) {
    case CS_POD_PENDING:
    case CS_POD_STARTING: return 0;   /* PodPending: no container running yet */
    case CS_POD_DOWN: return 1;       /* its node is gone: PodUnknown */
    default: return 2;                /* PodRunning */
    }
}

/* logarithmicRankDiff's int64(math.Log2(float64(d))), as the bit length of d: the exact floor
 * of log2, the same as Go's below 2^47 ns (39 h) and at most a rounding apart above it (Go's
 * Log2 can round an age just under a power of two up to it). An integer has no libm in it, so
 * every machine ranks alike. */
static int64_t log_rank(cs_time now, cs_time t)
{
    cs_time d = now - t;
    return d > 0 ? 63 - __builtin_clzll((unsigned long long)d) : -1;
}

#define CMP(a, b) (((a) > (b)) - ((a) < (b)))

/* Negative when x is to be deleted before y (ActivePodsWithRanks.Less). Where Less finds no
 * difference the order is sort.Sort's, unspecified; here the higher pod id (created later in
 * the same instant) goes first, so qsort's order is total. */
static int by_deletion(const void *px, const void *py)
{
    const ranked *x = px, *y = py;
    if (x->assigned != y->assigned)
        return x->assigned - y->assigned;
    if (x->phase != y->phase)
        return x->phase - y->phase;
    if (x->ready != y->ready)
        return x->ready - y->ready;
    if (x->rank != y->rank)
        return CMP(y->rank, x->rank);
    if (x->ready && y->ready && x->ready_since != y->ready_since) {
        if (x->ready_log != y->ready_log)
            return CMP(x->ready_log, y->ready_log);
        return CMP(x->uid, y->uid);
    }
    if (x->restarts != y->restarts)
        return CMP(y->restarts, x->restarts);
    if (x->created != y->created) {
        if (x->created_log != y->created_log)
            return CMP(x->created_log, y->created_log);
        return CMP(x->uid, y->uid);
    }
    return CMP(y->pod, x->pod);
}

/* Moves the k records that rank first to list[0 .. k), in order. A rolling update takes a few
 * pods at a time from a large RS, so the first k are kept in a sorted prefix that most records
 * pass with one comparison: about n comparisons, where sorting all would take n log n. */
static void select_first(ranked *list, uint32_t n, uint32_t k)
{
    if (k * 8 > n) {
        qsort(list, n, sizeof *list, by_deletion);
        return;
    }
    qsort(list, k, sizeof *list, by_deletion);
    for (uint32_t i = k; i < n; i++) {
        if (by_deletion(&list[i], &list[k - 1]) >= 0)
            continue;
        ranked x = list[i];
        list[i] = list[k - 1];
        uint32_t j = k - 1;
        for (; j > 0 && by_deletion(&x, &list[j - 1]) < 0; j--)
            list[j] = list[j - 1];
        list[j] = x;
    }
}

/* The (workload, node) counts live in an open-addressing table of the pairs ever seen (a
 * count may fall to 0 and stay), so a lookup costs O(1) and memory follows the pods, not
 * workloads x nodes. Nothing walks the table, so its layout reaches no result. */
typedef struct colocated {
    uint64_t key;   /* workload << 32 | node, plus 1: 0 marks an empty slot */
    uint32_t count;
} colocated;

static uint64_t pair_key(uint32_t workload, uint32_t node)
{
    return ((uint64_t)workload << 32 | node) + 1;
}

static colocated *colocated_slot(const cs_vec *t, uint64_t key)
{
    colocated *slots = t->data;
    uint32_t mask = t->cap - 1;
    for (uint32_t i = (uint32_t)cs_mix64(key) & mask;; i = (i + 1) & mask)
        if (slots[i].key == key || slots[i].key == 0)
            return &slots[i];
}

static uint32_t colocated_get(const cs_world *w, uint32_t workload, uint32_t node)
{
    if (w->colocated.cap == 0)
        return 0;
    const colocated *c = colocated_slot(&w->colocated, pair_key(workload, node));
    return c->key != 0 ? c->count : 0;
}

/* Doubles the table (64 slots first), keeping it at most half full. */
static bool colocated_grow(cs_world *w)
{
    cs_vec old = w->colocated;
    uint32_t cap = old.cap == 0 ? 64 : old.cap * 2;
    colocated *slots = cs_arena_calloc(w->arena, cap, sizeof *slots);
    if (slots == NULL) {
        w->oom = true;
        cs_kernel_stop(w->kernel);
        return false;
    }
    w->colocated = (cs_vec){.data = slots, .len = old.len, .cap = cap};
    for (uint32_t i = 0; i < old.cap; i++)
        if (((colocated *)old.data)[i].key != 0)
            *colocated_slot(&w->colocated, ((colocated *)old.data)[i].key) = ((colocated *)old.data)[i];
    return true;
}

void cs_colocated_add(cs_world *w, uint32_t workload, uint32_t node, int delta)
{
    if (node == CS_NONE)
        return;
    if (2 * (w->colocated.len + 1) > w->colocated.cap && !colocated_grow(w))
        return;
    uint64_t key = pair_key(workload, node);
    colocated *c = colocated_slot(&w->colocated, key);
    if (c->key == 0) {
        *c = (colocated){.key = key};
        w->colocated.len++;
    }
    c->count += (uint32_t)delta;
}

/* Terminates the `diff` pods of the RS that rank first for deletion. */
static void delete_surplus(cs_world *w, cs_rs *rs, uint32_t diff)
{
    w->ranked.len = 0;
    cs_time now = cs_now(w);
    for (uint32_t id = rs->first_pod; id != CS_NONE; id = cs_pod_at(w, id)->next_in_rs) {
        const cs_pod *p = cs_pod_at(w, id);
        if (!active_phase(p->phase))
            continue;
        uint32_t i = cs_vec_push(w, &w->ranked, sizeof(ranked));
        if (i == CS_NONE)
            return;
        bool ready = p->phase == CS_POD_READY;
        ((ranked *)w->ranked.data)[i] = (ranked){
            .pod = id, .assigned = p->node != CS_NONE, .phase = phase_ordinal(p->phase), .ready = ready,
            .rank = colocated_get(w, rs->workload, p->node), .ready_since = ready ? p->ready_since : 0,
            .created = p->created, .ready_log = ready ? log_rank(now, p->ready_since) : -1,
            .created_log = log_rank(now, p->created), .restarts = p->restarts, .uid = p->uid};
    }
    ranked *list = w->ranked.data;
    uint32_t n = w->ranked.len;
    if (diff < n)
        select_first(list, n, diff);
    for (uint32_t i = 0; i < diff && i < n; i++)
        cs_pod_terminate(w, list[i].pod, "ScaleDown");
}

/* syncReplicaSet's manageReplicas: create the missing pods, or delete the surplus. */
static void rs_reconcile(cs_world *w, uint32_t rs_id)
{
    cs_rs *rs = cs_rs_at(w, rs_id);
    uint32_t active = cs_rs_active(rs);
    if (active > rs->replicas) {
        delete_surplus(w, rs, active - rs->replicas);
        return;
    }
    for (; active < rs->replicas && !w->oom; active++) {
        uint32_t pod = cs_pod_create_in(w, rs_id);
        if (pod == CS_NONE)
            return;
        cs_sched_enqueue(w, pod);
    }
}

void cs_rs_scale(cs_world *w, uint32_t rs_id, uint32_t replicas)
{
    cs_rs *rs = cs_rs_at(w, rs_id);
    if (rs->replicas != replicas && w->trace.fn != NULL) {
        cs_field f[4] = {CS_STR("workload", w->cfg->workloads[rs->workload].name), CS_INT("replicaset", rs_id),
                         CS_INT("revision", rs->revision), CS_INT("replicas", replicas)};
        cs_world_trace(w, "replicaset.scaled", f, 4);
    }
    rs->replicas = replicas;
    rs_reconcile(w, rs_id);
}

static bool is_deployment(const cs_workload *wl)
{
    return strcmp(wl->kind, "Deployment") == 0;
}

void cs_workload_reconcile(cs_world *w, uint32_t workload)
{
    cs_workload_state *ws = &w->workloads[workload];
    if (ws->sync_queued || w->on_workload_sync == CS_HANDLER_NONE)
        return;
    ws->sync_queued = true;
    cs_kernel_at(w->kernel, cs_now(w), w->on_workload_sync, (cs_payload){.a = workload});
}

static void on_sync(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    cs_workload_state *ws = &w->workloads[p.a];
    ws->sync_queued = false;
    const cs_workload *c = &w->cfg->workloads[p.a];
    if (c->daemonset) {   /* its own controller (daemonset.c) */
        cs_daemonset_sync(w, p.a);
        return;
    }
    if (strcmp(c->kind, "StatefulSet") == 0) {
        cs_sts_sync(w, p.a);   /* its own pods, by ordinal: no ReplicaSet sizing */
        return;
    }
    if (is_deployment(c)) {
        cs_deploy_sync(w, p.a);
    } else if (ws->last_rs != CS_NONE) {
        cs_rs_at(w, ws->last_rs)->replicas = ws->desired;
    }
    for (uint32_t r = ws->first_rs; r != CS_NONE; r = cs_rs_at(w, r)->next)
        if (!cs_rs_at(w, r)->deleted)
            rs_reconcile(w, r);
}

static void trace_workload(cs_world *w, uint32_t workload, const char *type)
{
    if (w->trace.fn != NULL) {
        cs_field f[1] = {CS_STR("workload", w->cfg->workloads[workload].name)};
        cs_world_trace(w, type, f, 1);
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

/* The new template: the current one with the rollout's fields replaced. */
void cs_workload_rollout(cs_world *w, uint32_t workload, const cs_template_patch *patch)
{
    cs_workload_state *ws = &w->workloads[workload];
    cs_pod_template *t = cs_arena_new_of(w->arena, cs_pod_template);
    if (t == NULL) {
        w->oom = true;
        cs_kernel_stop(w->kernel);
        return;
    }
    *t = *ws->tmpl;
    if (patch->image != NULL)
        t->image = patch->image;
    if (patch->cpu_milli >= 0)
        t->requests.cpu_milli = patch->cpu_milli;
    if (patch->mem_bytes >= 0)
        t->requests.mem_bytes = patch->mem_bytes;
    if (patch->ephemeral_bytes >= 0)
        t->requests.ephemeral_bytes = patch->ephemeral_bytes;
    if (patch->has_startup)
        t->startup = patch->startup;
    if (patch->has_crash) {
        t->life.crashes = true;
        t->life.time_to_crash = patch->time_to_crash;
    }
    if (patch->has_pull) {
        t->life.has_pull = true;
        t->life.pull = patch->pull;
    }
    if (patch->has_shutdown) {
        t->life.has_shutdown = true;
        t->life.shutdown = patch->shutdown;
    }
    ws->tmpl = t;
    if (w->trace.fn != NULL) {
        cs_field f[2] = {CS_STR("workload", w->cfg->workloads[workload].name), CS_STR("image", t->image)};
        cs_world_trace(w, "workload.rollout", f, 2);
    }
    cs_workload_reconcile(w, workload);
}

void cs_workload_pause(cs_world *w, uint32_t workload, bool paused)
{
    w->workloads[workload].paused = paused;
    trace_workload(w, workload, paused ? "deployment.paused" : "deployment.resumed");
    cs_workload_reconcile(w, workload);
}

/* `kubectl rollout undo`: the template of the highest revision below the current one's. With
 * no such revision (none, or removed by revisionHistoryLimit) nothing changes, as kubectl
 * reports "no rollout history found". */
void cs_workload_rollback(cs_world *w, uint32_t workload)
{
    cs_workload_state *ws = &w->workloads[workload];
    uint32_t current = 0, best = CS_NONE;
    for (uint32_t r = ws->first_rs; r != CS_NONE; r = cs_rs_at(w, r)->next)
        if (cs_rs_at(w, r)->tmpl == ws->tmpl && cs_rs_at(w, r)->revision > current)
            current = cs_rs_at(w, r)->revision;
    if (current == 0)
        current = UINT32_MAX;   /* the current template has no RS yet (paused): any older one */
    for (uint32_t r = ws->first_rs; r != CS_NONE; r = cs_rs_at(w, r)->next) {
        const cs_rs *rs = cs_rs_at(w, r);
        if (!rs->deleted && rs->tmpl != ws->tmpl && rs->revision < current &&
            (best == CS_NONE || rs->revision > cs_rs_at(w, best)->revision))
            best = r;
    }
    trace_workload(w, workload, best != CS_NONE ? "deployment.rollback" : "deployment.rollbackNoHistory");
    if (best == CS_NONE)
        return;
    ws->tmpl = cs_rs_at(w, best)->tmpl;
    cs_workload_reconcile(w, workload);
}

cs_status cs_workloads_attach(cs_world *w)
{
    const cs_config *cfg = w->cfg;
    w->on_workload_sync = cs_kernel_on(w->kernel, "workload.sync", on_sync, w);
    if (w->on_workload_sync == CS_HANDLER_NONE)
        return CS_ENOMEM;
    /* Revision 1 of each workload: its own template, an RS holding its initial replicas. */
    for (uint32_t wl = 0; wl < cfg->n_workloads; wl++) {
        const cs_workload *c = &cfg->workloads[wl];
        cs_workload_state *ws = &w->workloads[wl];
        cs_pod_template *t = cs_arena_new_of(w->arena, cs_pod_template);
        if (t == NULL)
            return CS_ENOMEM;
        *t = (cs_pod_template){.image = c->image, .requests = c->requests, .startup = c->startup, .life = c->life};
        ws->tmpl = t;
        ws->first_rs = ws->last_rs = ws->new_rs = CS_NONE;
        ws->paused = c->deploy.paused;
        ws->desired = c->replicas;
        uint32_t rs = cs_rs_create(w, wl, t);
        if (rs == CS_NONE)
            return CS_ENOMEM;
        cs_rs_at(w, rs)->replicas = c->replicas;
        cs_rs_at(w, rs)->ann_desired = c->replicas;
        cs_rs_at(w, rs)->ann_max = c->replicas + (uint32_t)cs_deploy_max_surge(&c->deploy, (int32_t)c->replicas);
        ws->new_rs = ws->sts_current = rs;
    }
    return cs_deploy_attach(w);
}
