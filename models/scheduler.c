/* scheduler.c -- the scheduling queue and cycle, after kube-scheduler (pkg/scheduler).
 *
 * One pod per cycle, taken from the active queue in arrival order. The cycle filters nodes
 * from a rotating start index until numFeasibleNodesToFind nodes pass (schedule_one.go
 * findNodesThatPassFilters, numFeasibleNodesToFind with the adaptive percentageOfNodesToScore),
 * scores the feasible ones and binds the pod to the best, breaking ties uniformly at random
 * from the replication's scheduling stream (selectHost). A pod that fits nowhere waits among
 * the unschedulable until the cluster changes (a node becomes Ready, a pod goes away), then
 * all of them return to the active queue (moveAllToActiveOrBackoffQueue).
 *
 * Plugins so far: the filters TaintToleration (the pool's taints, and the not-ready taint of
 * a node the control plane sees NotReady) and NodeResourcesFit, and the scores
 * TaintToleration (weight 3; PreferNoSchedule taints counted, normalised and reversed) and
 * NodeResourcesFit with the LeastAllocated strategy (weight 1; cpu and memory, weight 1
 * each). Workloads carry no tolerations yet, so they tolerate no taint. docs/fidelity.md
 * lists what is left out.
 *
 * Cost: linear in the nodes examined per pod, which the adaptive percentage bounds to about
 * 5% of a large cluster (at least 100 nodes).
 */
#include <stdio.h>
#include <string.h>

#include "model.h"

struct cs_sched {
    uint32_t *feasible;     /* scratch of one cycle: the nodes that passed the filters */
    int64_t *fit_score, *taint_count;
    char reason[192];       /* the last formatted filter reason */
    cs_vec active;          /* pod ids, FIFO from `head` */
    uint32_t head;
    cs_vec unschedulable;   /* pod ids waiting for a cluster change */
    uint32_t next_start;    /* nextStartNodeIndex */
    bool cycle_scheduled;
    cs_handler on_cycle;
};

enum { MIN_FEASIBLE_NODES = 100, MIN_FEASIBLE_PERCENT = 5 };
enum { WEIGHT_TAINT_TOLERATION = 3, WEIGHT_NODE_RESOURCES_FIT = 1 };   /* default profile */

/* schedule_one.go numFeasibleNodesToFind, with percentageOfNodesToScore unset (adaptive). */
static uint32_t num_feasible_nodes_to_find(uint32_t all)
{
    if (all < MIN_FEASIBLE_NODES)
        return all;
    int64_t percent = 50 - (int64_t)all / 125;
    if (percent < MIN_FEASIBLE_PERCENT)
        percent = MIN_FEASIBLE_PERCENT;
    int64_t n = (int64_t)all * percent / 100;
    return n < MIN_FEASIBLE_NODES ? MIN_FEASIBLE_NODES : (uint32_t)n;
}

/* noderesources/fit.go fitsRequest; returns NULL when the pod fits, else the reason. The
 * ephemeral-storage check applies only to pools that declare ephemeral-storage. */
static const char *fits(const cs_node *n, const cs_resources *r)
{
    if (n->requested.pods + 1 > n->alloc.pods)
        return "Too many pods";
    if (r->cpu_milli > 0 && r->cpu_milli > n->alloc.cpu_milli - n->requested.cpu_milli)
        return "Insufficient cpu";
    if (r->mem_bytes > 0 && r->mem_bytes > n->alloc.mem_bytes - n->requested.mem_bytes)
        return "Insufficient memory";
    if (n->alloc.ephemeral_bytes > 0 && r->ephemeral_bytes > 0 &&
        r->ephemeral_bytes > n->alloc.ephemeral_bytes - n->requested.ephemeral_bytes)
        return "Insufficient ephemeral-storage";
    return NULL;
}

/* tainttoleration/taint_toleration.go Filter: a NoSchedule or NoExecute taint the pod does
 * not tolerate keeps it off the node. Pods tolerate nothing yet, so any such taint does. */
static const cs_taint *untolerated_taint(const cs_node_pool *pool)
{
    for (uint32_t i = 0; i < pool->n_taints; i++)
        if (pool->taints[i].effect != CS_TAINT_PREFER_NO_SCHEDULE)
            return &pool->taints[i];
    return NULL;
}

/* Returns NULL when the pod passes every filter, else the failing filter's reason in
 * upstream's words (formatted into the scheduler's buffer when it names a taint). */
static const char *filter(cs_world *w, const cs_node *n, const cs_resources *r)
{
    if (!n->ready)
        return "node(s) had untolerated taint {node.kubernetes.io/not-ready: }";
    const cs_taint *t = untolerated_taint(&w->cfg->pools[n->pool]);
    if (t != NULL) {
        snprintf(w->sched->reason, sizeof w->sched->reason, "node(s) had untolerated taint {%s: %s}", t->key,
                 t->value);
        return w->sched->reason;
    }
    return fits(n, r);
}

/* TaintToleration Score: the number of PreferNoSchedule taints the pod does not tolerate. */
static int64_t intolerable_prefer_no_schedule(const cs_node_pool *pool)
{
    int64_t n = 0;
    for (uint32_t i = 0; i < pool->n_taints; i++)
        n += pool->taints[i].effect == CS_TAINT_PREFER_NO_SCHEDULE;
    return n;
}

/* noderesources/least_allocated.go leastRequestedScore. */
static int64_t least_requested(int64_t requested, int64_t capacity)
{
    if (capacity == 0 || requested > capacity)
        return 0;
    return (capacity - requested) * CS_MAX_NODE_SCORE / capacity;
}

/* LeastAllocated over cpu and memory, weight 1 each, on the non-zero requests of the node
 * plus the pod's (resource_allocation.go calculateResourceAllocatableRequest). */
static int64_t least_allocated(const cs_node *n, const cs_resources *r)
{
    int64_t cpu = r->cpu_milli != 0 ? r->cpu_milli : CS_DEFAULT_MILLI_CPU;
    int64_t mem = r->mem_bytes != 0 ? r->mem_bytes : CS_DEFAULT_MEMORY;
    int64_t sum = 0, weights = 0;
    if (n->alloc.cpu_milli != 0) {
        sum += least_requested(n->nonzero_cpu + cpu, n->alloc.cpu_milli);
        weights++;
    }
    if (n->alloc.mem_bytes != 0) {
        sum += least_requested(n->nonzero_mem + mem, n->alloc.mem_bytes);
        weights++;
    }
    return weights == 0 ? 0 : sum / weights;
}

/* framework/plugins/helper/normalize_score.go DefaultNormalizeScore with reverse = true:
 * scales to [0, 100] by the largest raw score, then reverses (all 100 when every score is 0). */
static int64_t normalize_reverse(int64_t raw, int64_t max)
{
    if (max == 0)
        return CS_MAX_NODE_SCORE;
    return CS_MAX_NODE_SCORE - CS_MAX_NODE_SCORE * raw / max;
}

uint32_t cs_sched_schedule_one(cs_world *w, uint32_t pod)
{
    cs_sched *s = w->sched;
    const cs_resources *r = cs_pod_requests(w, pod);
    uint32_t all = w->cfg->n_nodes, want = num_feasible_nodes_to_find(all);
    uint32_t found = 0, examined = 0;
    const char *reason = NULL;
    for (; examined < all && found < want; examined++) {
        uint32_t node = (s->next_start + examined) % all;
        const char *why = filter(w, &w->nodes[node], r);
        if (why != NULL)
            reason = why;
        else
            s->feasible[found++] = node;
    }
    if (all > 0)
        s->next_start = (s->next_start + examined) % all;
    cs_metrics_sched_attempt(w, found > 0);
    if (found == 0) {
        if (w->trace.fn != NULL) {
            cs_field f[3] = {CS_INT("pod", pod), CS_STR("workload", w->cfg->workloads[cs_pod_at(w, pod)->workload].name),
                             CS_STR("reason", reason != NULL ? reason : "no nodes available")};
            cs_world_trace(w, "pod.unschedulable", f, 3);
        }
        return CS_NONE;
    }
    /* Score (skipped upstream when one node is feasible; the result is the same). */
    int64_t max_taints = 0;
    for (uint32_t i = 0; i < found; i++) {
        const cs_node *n = &w->nodes[s->feasible[i]];
        s->fit_score[i] = least_allocated(n, r);
        s->taint_count[i] = intolerable_prefer_no_schedule(&w->cfg->pools[n->pool]);
        if (s->taint_count[i] > max_taints)
            max_taints = s->taint_count[i];
    }
    uint32_t best = CS_NONE, ties = 0;
    int64_t best_score = -1;
    for (uint32_t i = 0; i < found; i++) {
        int64_t sc = WEIGHT_NODE_RESOURCES_FIT * s->fit_score[i] +
                     WEIGHT_TAINT_TOLERATION * normalize_reverse(s->taint_count[i], max_taints);
        if (sc > best_score) {
            best_score = sc;
            best = s->feasible[i];
            ties = 1;
        } else if (sc == best_score && gsl_rng_uniform_int(w->rng[CS_STREAM_SCHED], ++ties) == 0) {
            best = s->feasible[i];   /* reservoir sampling among the top scores, as selectHost does */
        }
    }
    cs_pod_bind(w, pod, best);
    return best;
}

static void schedule_cycle(cs_world *w)
{
    cs_sched *s = w->sched;
    if (!s->cycle_scheduled && s->head < s->active.len) {
        s->cycle_scheduled = true;
        cs_kernel_after(w->kernel, 0, s->on_cycle, (cs_payload){0});
    }
}

static void sched_cycle(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    (void)p;
    cs_world *w = model;
    cs_sched *s = w->sched;
    s->cycle_scheduled = false;
    while (s->head < s->active.len) {
        uint32_t pod = ((uint32_t *)s->active.data)[s->head++];
        cs_pod *pd = cs_pod_at(w, pod);
        if (!pd->queued || pd->phase != CS_POD_PENDING)
            continue;   /* deleted while queued */
        if (cs_sched_schedule_one(w, pod) != CS_NONE) {
            pd = cs_pod_at(w, pod);
            pd->queued = false;
        } else {
            uint32_t i = cs_vec_push(w, &s->unschedulable, sizeof(uint32_t));
            if (i == CS_NONE)
                return;
            ((uint32_t *)s->unschedulable.data)[i] = pod;
        }
        break;   /* one pod per cycle */
    }
    if (s->head == s->active.len) {
        s->head = s->active.len = 0;
    } else if (s->head >= 1024 && 2 * s->head >= s->active.len) {
        uint32_t *q = s->active.data;   /* a queue that never drains still stays small */
        memmove(q, q + s->head, (size_t)(s->active.len - s->head) * sizeof *q);
        s->active.len -= s->head;
        s->head = 0;
    }
    schedule_cycle(w);
}

void cs_sched_enqueue(cs_world *w, uint32_t pod)
{
    cs_sched *s = w->sched;
    cs_pod *p = cs_pod_at(w, pod);
    if (p->queued)
        return;
    uint32_t i = cs_vec_push(w, &s->active, sizeof(uint32_t));
    if (i == CS_NONE)
        return;
    ((uint32_t *)s->active.data)[i] = pod;
    cs_pod_at(w, pod)->queued = true;
    schedule_cycle(w);
}

void cs_sched_dequeue(cs_world *w, uint32_t pod)
{
    cs_pod_at(w, pod)->queued = false;   /* its queue entry is skipped when it comes up */
}

void cs_sched_cluster_changed(cs_world *w)
{
    cs_sched *s = w->sched;
    if (s->unschedulable.len == 0)
        return;
    uint32_t n = s->unschedulable.len;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t pod = ((uint32_t *)s->unschedulable.data)[i];
        cs_pod *p = cs_pod_at(w, pod);
        if (!p->queued || p->phase != CS_POD_PENDING)
            continue;
        uint32_t j = cs_vec_push(w, &s->active, sizeof(uint32_t));
        if (j == CS_NONE)
            return;
        ((uint32_t *)s->active.data)[j] = pod;
    }
    s->unschedulable.len = 0;
    schedule_cycle(w);
}

cs_status cs_sched_attach(cs_world *w)
{
    cs_sched *s = cs_arena_new_of(w->arena, cs_sched);
    if (s == NULL)
        return CS_ENOMEM;
    w->sched = s;
    uint32_t n = w->cfg->n_nodes > 0 ? w->cfg->n_nodes : 1;
    s->feasible = cs_arena_calloc(w->arena, n, sizeof *s->feasible);
    s->fit_score = cs_arena_calloc(w->arena, n, sizeof *s->fit_score);
    s->taint_count = cs_arena_calloc(w->arena, n, sizeof *s->taint_count);
    if (s->feasible == NULL || s->fit_score == NULL || s->taint_count == NULL)
        return CS_ENOMEM;
    s->on_cycle = cs_kernel_on(w->kernel, "scheduler.cycle", sched_cycle, w);
    return s->on_cycle == CS_HANDLER_NONE ? CS_ENOMEM : CS_OK;
}
