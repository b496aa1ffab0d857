/* sched_queue.c -- the scheduling queue, after pkg/scheduler/internal/queue/scheduling_queue.go.
 *
 * Three places a pending pod can wait, as upstream's PriorityQueue has them:
 *   activeQ           pods ready to be tried, popped in PrioritySort order (higher priority,
 *                     then earlier QueuedPodInfo.Timestamp, then queueing order);
 *   backoffQ          pods that failed and wait out their backoff: podInitialBackoffDuration
 *                     (1 s) doubled per attempt up to podMaxBackoffDuration (10 s), counted from
 *                     the time they last failed (calculateBackoffDuration, getBackoffTime);
 *   unschedulablePods pods that fit nowhere, until a cluster event one of the plugins that
 *                     rejected them registers for moves them to backoffQ (still backing off) or
 *                     activeQ (movePodsToActiveOrBackoffQueue), or until they have waited there
 *                     podMaxInUnschedulablePodsDuration (5 min, flushUnschedulablePodsLeftover).
 * Upstream flushes backoffQ every second and unschedulablePods every 30 s (PriorityQueue.Run,
 * wait.Until); here each flush is one kernel event at the next such tick (counted from t = 0)
 * that has work to do, so a quiet queue costs no events.
 *
 * Entries are removed lazily: a pod records which queue holds it and the sequence number of its
 * live entry, and any other entry for it is skipped when it surfaces. Pod ids are never reused,
 * so a stale entry can never be taken for a live one.
 *
 * Cost: activeQ and backoffQ operations are logarithmic; an event scans unschedulablePods once
 * (upstream walks the same map), and the scan stops at once when no pod waits there.
 */
#include "sched.h"

#define POD_MAX_IN_UNSCHEDULABLE (5 * 60 * CS_SECOND)   /* DefaultPodMaxInUnschedulablePodsDuration */
#define BACKOFF_FLUSH_PERIOD CS_SECOND                  /* PriorityQueue.Run: flushBackoffQCompleted */
#define LEFTOVER_FLUSH_PERIOD (30 * CS_SECOND)          /* PriorityQueue.Run: flushUnschedulablePodsLeftover */

typedef struct qentry {
    int32_t priority;
    cs_time key;            /* activeQ: the pod's Timestamp; backoffQ: its backoff expiry */
    uint64_t seq;
    uint32_t pod;
} qentry;

struct cs_squeue {
    cs_vec active, backoff;   /* qentry heaps */
    cs_vec unsched;           /* qentry, in the order pods entered (so by Timestamp) */
    uint64_t seq;
    uint64_t cycle;           /* schedulingCycle: pops so far */
    uint64_t move_request_cycle;   /* the cycle of the last cluster event (moveRequestCycle) */
    cs_time initial_backoff, max_backoff;
    cs_time backoff_at, leftover_at;   /* the pending flush ticks, CS_TIME_MAX when none */
    cs_event_id backoff_timer, leftover_timer;
    cs_handler on_backoff, on_leftover;
};

/* Which cluster events each filter plugin registers for (its EventsToRegister): a pod rejected
 * by a plugin moves when one of them happens. */
static const uint32_t plugin_events[CS_FILTER_PLUGINS] = {
    /* node_name.go: Node Add. */
    [CS_FILTER_NODE_NAME] = CS_EVENT_NODE_ADD,
    /* taint_toleration.go: Node Add | UpdateNodeTaint. */
    [CS_FILTER_TAINT_TOLERATION] = CS_EVENT_NODE_ADD | CS_EVENT_NODE_TAINT,
    /* node_affinity.go: Node Add | UpdateNodeLabel. */
    [CS_FILTER_NODE_AFFINITY] = CS_EVENT_NODE_ADD | CS_EVENT_NODE_LABEL,
    /* noderesources/fit.go: assigned Pod Delete, Node Add | UpdateNodeAllocatable. */
    [CS_FILTER_NODE_RESOURCES_FIT] = CS_EVENT_ASSIGNED_POD_DELETE | CS_EVENT_NODE_ADD | CS_EVENT_NODE_ALLOCATABLE,
    /* node_unschedulable.go: Node Add | UpdateNodeTaint (spec.unschedulable changes count as
     * one: NodeSpecUnschedulableChange). */
    [CS_FILTER_NODE_UNSCHEDULABLE] = CS_EVENT_NODE_ADD | CS_EVENT_NODE_TAINT,
    /* podtopologyspread/plugin.go: Pod Add | Delete, Node Add | UpdateNodeLabel | UpdateNodeTaint. */
    [CS_FILTER_POD_TOPOLOGY_SPREAD] = CS_EVENT_ASSIGNED_POD_ADD | CS_EVENT_ASSIGNED_POD_DELETE | CS_EVENT_NODE_ADD |
                                      CS_EVENT_NODE_LABEL | CS_EVENT_NODE_TAINT,
    /* interpodaffinity/plugin.go: Pod Add | Delete, Node Add | UpdateNodeLabel. */
    [CS_FILTER_INTER_POD_AFFINITY] = CS_EVENT_ASSIGNED_POD_ADD | CS_EVENT_ASSIGNED_POD_DELETE | CS_EVENT_NODE_ADD |
                                     CS_EVENT_NODE_LABEL,
};

/* queuesort/priority_sort.go Less: priority, then timestamp; then queueing order. */
static bool active_less(const qentry *a, const qentry *b)
{
    if (a->priority != b->priority)
        return a->priority > b->priority;
    if (a->key != b->key)
        return a->key < b->key;
    return a->seq < b->seq;
}

/* podsCompareBackoffCompleted: the earlier backoff expiry first; then queueing order. */
static bool backoff_less(const qentry *a, const qentry *b)
{
    if (a->key != b->key)
        return a->key < b->key;
    return a->seq < b->seq;
}

typedef bool less_fn(const qentry *, const qentry *);

static bool heap_push(cs_world *w, cs_vec *h, qentry e, less_fn *less)
{
    uint32_t i = cs_vec_push(w, h, sizeof(qentry));
    if (i == CS_NONE)
        return false;
    qentry *q = h->data;
    while (i > 0 && less(&e, &q[(i - 1) / 2])) {
        q[i] = q[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    q[i] = e;
    return true;
}

static qentry heap_pop(cs_vec *h, less_fn *less)
{
    qentry *q = h->data, top = q[0], last = q[--h->len];
    uint32_t n = h->len, i = 0;
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && less(&q[c + 1], &q[c]))
            c++;
        if (!less(&q[c], &last))
            break;
        q[i] = q[c];
        i = c;
    }
    if (n > 0)
        q[i] = last;
    return top;
}

static bool live(cs_world *w, const qentry *e, cs_pod_queue where)
{
    const cs_pod *p = cs_pod_at(w, e->pod);
    return p->queue == where && p->q_seq == e->seq;
}

/* Drops stale entries from the top of heap h; returns false when it is then empty. */
static bool heap_settle(cs_world *w, cs_vec *h, less_fn *less, cs_pod_queue where)
{
    while (h->len > 0 && !live(w, (const qentry *)h->data, where))
        heap_pop(h, less);
    return h->len > 0;
}

cs_time cs_squeue_backoff_duration(const cs_world *w, uint32_t attempts)
{
    const cs_squeue *q = w->squeue;
    cs_time d = q->initial_backoff;
    for (uint32_t i = 1; i < attempts; i++) {
        if (d > q->max_backoff - d)   /* calculateBackoffDuration: subtraction, no overflow */
            return q->max_backoff;
        d += d;
    }
    return d;
}

static cs_time backoff_expiry(const cs_world *w, const cs_pod *p)
{
    return p->q_time + cs_squeue_backoff_duration(w, p->attempts);
}

/* Re-arms the timer *id to fire at `at` when that is earlier than the pending *when. */
static void arm(cs_world *w, cs_event_id *id, cs_time *when, cs_time at, cs_handler h)
{
    if (at >= *when)
        return;
    if (*id != 0)
        cs_kernel_cancel(w->kernel, *id);
    *when = at;
    *id = cs_kernel_at(w->kernel, at, h, (cs_payload){0});
}

static void to_active(cs_world *w, uint32_t pod)
{
    cs_squeue *q = w->squeue;
    cs_pod *p = cs_pod_at(w, pod);
    qentry e = {.priority = w->cfg->workloads[p->workload].priority, .key = p->q_time, .seq = q->seq++, .pod = pod};
    if (!heap_push(w, &q->active, e, active_less))
        return;
    p = cs_pod_at(w, pod);
    p->queue = CS_QUEUE_ACTIVE;
    p->q_seq = e.seq;
    p->queued = true;
    cs_sched_kick(w);
}

static void to_backoff(cs_world *w, uint32_t pod)
{
    cs_squeue *q = w->squeue;
    cs_pod *p = cs_pod_at(w, pod);
    qentry e = {.key = backoff_expiry(w, p), .seq = q->seq++, .pod = pod};
    if (!heap_push(w, &q->backoff, e, backoff_less))
        return;
    p = cs_pod_at(w, pod);
    p->queue = CS_QUEUE_BACKOFF;
    p->q_seq = e.seq;
    p->queued = true;
    /* The first flush tick at or after the expiry: flushBackoffQCompleted moves a pod whose
     * backoff time is not after now. */
    cs_time tick = (e.key + BACKOFF_FLUSH_PERIOD - 1) / BACKOFF_FLUSH_PERIOD * BACKOFF_FLUSH_PERIOD;
    arm(w, &q->backoff_timer, &q->backoff_at, tick, q->on_backoff);
}

/* The first leftover-flush tick at which a pod that entered unschedulablePods at `since` has
 * stayed strictly longer than podMaxInUnschedulablePodsDuration. */
static cs_time leftover_tick(cs_time since)
{
    return ((since + POD_MAX_IN_UNSCHEDULABLE) / LEFTOVER_FLUSH_PERIOD + 1) * LEFTOVER_FLUSH_PERIOD;
}

/* movePodsToActiveOrBackoffQueue, for one pod: backoffQ while it is still backing off
 * (isPodBackingoff: backoff time after now), else activeQ. */
static void move_out(cs_world *w, uint32_t pod)
{
    if (backoff_expiry(w, cs_pod_at(w, pod)) > cs_now(w))
        to_backoff(w, pod);
    else
        to_active(w, pod);
}

void cs_sched_enqueue(cs_world *w, uint32_t pod)
{
    cs_pod *p = cs_pod_at(w, pod);
    if (p->queued)
        return;
    p->q_time = cs_now(w);   /* newQueuedPodInfo: Timestamp is now */
    to_active(w, pod);
}

void cs_squeue_activate(cs_world *w, uint32_t pod)
{
    uint8_t q = cs_pod_at(w, pod)->queue;
    if (q == CS_QUEUE_BACKOFF || q == CS_QUEUE_UNSCHEDULABLE)
        to_active(w, pod);   /* the old entry goes stale */
}

void cs_sched_dequeue(cs_world *w, uint32_t pod)
{
    cs_pod *p = cs_pod_at(w, pod);
    p->queued = false;   /* its entry is skipped when it comes up */
    p->queue = CS_QUEUE_NONE;
}

uint32_t cs_squeue_pop(cs_world *w)
{
    cs_squeue *q = w->squeue;
    if (!heap_settle(w, &q->active, active_less, CS_QUEUE_ACTIVE))
        return CS_NONE;
    qentry e = heap_pop(&q->active, active_less);
    cs_pod *p = cs_pod_at(w, e.pod);
    p->queue = CS_QUEUE_NONE;
    p->queued = false;
    p->attempts++;   /* Pop: pInfo.Attempts++ */
    q->cycle++;
    return e.pod;
}

bool cs_squeue_has_active(cs_world *w)
{
    cs_squeue *q = w->squeue;
    return heap_settle(w, &q->active, active_less, CS_QUEUE_ACTIVE);
}

void cs_squeue_unschedulable(cs_world *w, uint32_t pod, uint32_t plugins)
{
    cs_squeue *q = w->squeue;
    cs_pod *p = cs_pod_at(w, pod);
    if (p->queued || p->phase != CS_POD_PENDING)
        return;
    p->q_time = cs_now(w);   /* AddUnschedulableIfNotPresent: Timestamp = now */
    p->unsched_plugins = plugins;
    /* A cluster event during this pod's scheduling cycle may already have made room: then it
     * waits out its backoff instead (moveRequestCycle >= podSchedulingCycle). */
    if (q->move_request_cycle >= q->cycle) {
        to_backoff(w, pod);
        return;
    }
    qentry e = {.key = p->q_time, .seq = q->seq++, .pod = pod};
    uint32_t i = cs_vec_push(w, &q->unsched, sizeof(qentry));
    if (i == CS_NONE)
        return;
    ((qentry *)q->unsched.data)[i] = e;
    p = cs_pod_at(w, pod);
    p->queue = CS_QUEUE_UNSCHEDULABLE;
    p->q_seq = e.seq;
    p->queued = true;
    arm(w, &q->leftover_timer, &q->leftover_at, leftover_tick(e.key), q->on_leftover);
}

/* Moves the pods of unschedulablePods for which `moves` says yes, keeping the others in order. */
static void move_unschedulable(cs_world *w, bool (*moves)(cs_world *, const qentry *, uint32_t), uint32_t arg)
{
    cs_squeue *q = w->squeue;
    uint32_t n = q->unsched.len, kept = 0;
    for (uint32_t i = 0; i < n; i++) {
        qentry e = ((qentry *)q->unsched.data)[i];
        if (!live(w, &e, CS_QUEUE_UNSCHEDULABLE))
            continue;
        if (moves(w, &e, arg))
            move_out(w, e.pod);
        else
            ((qentry *)q->unsched.data)[kept++] = e;
    }
    q->unsched.len = kept;
}

/* podMatchesEvent: a pod that no plugin rejected (no nodes at all) moves on any event. */
static bool matches_event(cs_world *w, const qentry *e, uint32_t event)
{
    uint32_t plugins = cs_pod_at(w, e->pod)->unsched_plugins;
    if (plugins == 0)
        return true;
    for (int f = 0; f < CS_FILTER_PLUGINS; f++)
        if ((plugins & (1u << f)) && (plugin_events[f] & event))
            return true;
    return false;
}

void cs_sched_cluster_event(cs_world *w, uint32_t event)
{
    cs_squeue *q = w->squeue;
    q->move_request_cycle = q->cycle;   /* moveAllToActiveOrBackoffQueue */
    if (q->unsched.len > 0)
        move_unschedulable(w, matches_event, event);
}

void cs_sched_cluster_changed(cs_world *w)
{
    cs_sched_cluster_event(w, CS_EVENT_ALL);
}

static void flush_backoff(cs_kernel *k, void *model, cs_payload pl)
{
    (void)k;
    (void)pl;
    cs_world *w = model;
    cs_squeue *q = w->squeue;
    q->backoff_timer = 0;
    q->backoff_at = CS_TIME_MAX;
    cs_time now = cs_now(w);
    while (heap_settle(w, &q->backoff, backoff_less, CS_QUEUE_BACKOFF)) {
        const qentry *top = q->backoff.data;
        if (top->key > now) {
            cs_time tick = (top->key + BACKOFF_FLUSH_PERIOD - 1) / BACKOFF_FLUSH_PERIOD * BACKOFF_FLUSH_PERIOD;
            arm(w, &q->backoff_timer, &q->backoff_at, tick, q->on_backoff);
            return;
        }
        qentry e = heap_pop(&q->backoff, backoff_less);
        to_active(w, e.pod);
    }
}

static bool stayed_too_long(cs_world *w, const qentry *e, uint32_t arg)
{
    (void)arg;
    return cs_now(w) - e->key > POD_MAX_IN_UNSCHEDULABLE;
}

static void flush_leftover(cs_kernel *k, void *model, cs_payload pl)
{
    (void)k;
    (void)pl;
    cs_world *w = model;
    cs_squeue *q = w->squeue;
    q->leftover_timer = 0;
    q->leftover_at = CS_TIME_MAX;
    move_unschedulable(w, stayed_too_long, 0);
    for (uint32_t i = 0; i < q->unsched.len; i++) {   /* the oldest live entry sets the next tick */
        const qentry *e = &((const qentry *)q->unsched.data)[i];
        if (live(w, e, CS_QUEUE_UNSCHEDULABLE)) {
            arm(w, &q->leftover_timer, &q->leftover_at, leftover_tick(e->key), q->on_leftover);
            break;
        }
    }
}

cs_status cs_squeue_attach(cs_world *w, const cs_sched_profile *profile)
{
    cs_squeue *q = cs_arena_new_of(w->arena, cs_squeue);
    if (q == NULL)
        return CS_ENOMEM;
    w->squeue = q;
    q->initial_backoff = profile->pod_initial_backoff;
    q->max_backoff = profile->pod_max_backoff;
    q->backoff_at = q->leftover_at = CS_TIME_MAX;
    q->on_backoff = cs_kernel_on(w->kernel, "scheduler.flushBackoffQ", flush_backoff, w);
    q->on_leftover = cs_kernel_on(w->kernel, "scheduler.flushUnschedulable", flush_leftover, w);
    return q->on_backoff == CS_HANDLER_NONE || q->on_leftover == CS_HANDLER_NONE ? CS_ENOMEM : CS_OK;
}
