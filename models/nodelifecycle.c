/* nodelifecycle.c -- when the node lifecycle controller puts the NoExecute taint on a node that
 * is not Ready: per zone, through a rate-limited queue whose rate follows the zone's health
 * (pkg/controller/nodelifecycle/node_lifecycle_controller.go).
 *
 * A node whose Ready condition leaves True joins its zone's queue (markNodeForTainting); the
 * zone's token bucket (burst 1, --node-eviction-rate 0.1/s) lets one node through per token,
 * and that node gets node.kubernetes.io/unreachable:NoExecute (or not-ready), from which the
 * taint eviction controller counts its pods' tolerations (faults.c). The zone's state
 * (ComputeZoneState) sets the rate (setLimiterInZone): Normal and FullDisruption (no Ready
 * node) the normal rate; PartialDisruption (more than 2 not Ready and at least
 * --unhealthy-zone-threshold 55% of the zone) the secondary rate (0.01/s) in a zone of more than
 * --large-cluster-size-threshold (50) nodes, else none at all. When every zone is fully
 * disrupted the controller removes every NoExecute taint it set and stops (master disruption
 * mode), until some node is Ready again.
 *
 * Upstream evaluates all of this on 5 s monitor passes and drains the queues every 100 ms; here
 * a pass runs at the instant of any change, after every change of that instant (its event is
 * scheduled by the first and runs after the others), and a queue is drained at the exact time
 * its next token comes. Nodes that leave Ready at one instant queue in the order they did so.
 *
 * Ownership: the per-zone state lives in the world's arena.
 */
#include "model.h"

typedef enum zone_state { ZONE_NORMAL, ZONE_PARTIAL, ZONE_FULL } zone_state;

struct zone {
    uint32_t nodes, ready;  /* existing nodes of the zone, and those Ready */
    zone_state state;
    cs_time period;         /* of the token bucket; 0: it never accepts (SwapLimiter(0)) */
    cs_time full_at;        /* when the bucket next holds its one token */
    cs_vec queue;           /* node ids waiting for the taint, FIFO from head */
    uint32_t head;
};

struct cs_nodelife {
    struct zone *zones;     /* by zone id; the last one for nodes without a zone */
    uint32_t n_zones;
    bool *counted_ready, *counted_exists;   /* each node's share in its zone's counts */
    bool *queued;
    bool all_full;          /* master disruption mode */
    bool pass_pending;
    cs_event_id drain_timer;
    cs_handler on_pass;
};

static cs_time period_of(double qps)
{
    return qps > 0 ? (cs_time)(1e9 / qps + 0.5) : 0;
}

static uint32_t zone_of(const cs_world *w, uint32_t node)
{
    uint32_t z = w->nodes[node].zone;
    return z == CS_NONE ? w->nodelife->n_zones - 1 : z;
}

/* ComputeZoneState. */
static zone_state zone_state_of(const cs_world *w, const struct zone *z)
{
    uint32_t not_ready = z->nodes - z->ready;
    if (z->ready == 0 && not_ready > 0)
        return ZONE_FULL;
    if (not_ready > 2 && (float)not_ready / (float)z->nodes >= (float)w->cfg->unhealthy_zone_threshold)
        return ZONE_PARTIAL;
    return ZONE_NORMAL;
}

/* flowcontrol token bucket of burst 1: TryAccept. */
static bool try_accept(struct zone *z, cs_time now)
{
    if (z->period == 0 || now < z->full_at)
        return false;
    z->full_at = now + z->period;
    return true;
}

/* RateLimitedTimedQueue.SwapLimiter: a new bucket, full unless the old one had no token. */
static void swap_limiter(struct zone *z, cs_time period, cs_time now)
{
    if (z->period == period)
        return;
    bool drained = !try_accept(z, now);
    z->period = period;
    z->full_at = now;
    if (period != 0 && drained)
        try_accept(z, now);
}

/* setLimiterInZone: HealthyQPSFunc for Normal and FullDisruption, ReducedQPSFunc for
 * PartialDisruption. */
static void set_limiter(const cs_world *w, struct zone *z, zone_state state, cs_time now)
{
    const cs_config *cfg = w->cfg;
    double qps = cfg->node_eviction_rate;
    if (state == ZONE_PARTIAL)
        qps = z->nodes > cfg->large_cluster_threshold ? cfg->secondary_node_eviction_rate : 0;
    swap_limiter(z, period_of(qps), now);
}

static void enqueue(cs_world *w, uint32_t node)
{
    cs_nodelife *lc = w->nodelife;
    if (lc->queued[node])
        return;
    struct zone *z = &lc->zones[zone_of(w, node)];
    if (z->head == z->queue.len)
        z->head = z->queue.len = 0;   /* empty: start over */
    uint32_t i = cs_vec_push(w, &z->queue, sizeof(uint32_t));
    if (i == CS_NONE)
        return;
    ((uint32_t *)z->queue.data)[i] = node;
    lc->queued[node] = true;
}

/* markNodeAsReachable: out of the queue (lazily: its entry is skipped) and untainted. */
static void reachable(cs_world *w, uint32_t node)
{
    w->nodelife->queued[node] = false;
    cs_node_untaint_no_execute(w, node);
}

/* handleDisruption, then doNoExecuteTaintingPass. */
static void pass(cs_world *w)
{
    cs_nodelife *lc = w->nodelife;
    cs_time now = cs_now(w);
    bool all_full = true, any = false;
    for (uint32_t i = 0; i < lc->n_zones; i++) {
        struct zone *z = &lc->zones[i];
        if (z->nodes == 0)
            continue;
        any = true;
        all_full = all_full && zone_state_of(w, z) == ZONE_FULL;
    }
    all_full = all_full && any;
    if (all_full != lc->all_full || !all_full) {
        if (all_full) {   /* entering master disruption mode: stop, and lift every taint */
            for (uint32_t node = 0; node < w->cfg->n_nodes; node++)
                if (lc->queued[node] || w->nodes[node].noexec)
                    reachable(w, node);
            for (uint32_t i = 0; i < lc->n_zones; i++) {
                swap_limiter(&lc->zones[i], 0, now);
                lc->zones[i].state = ZONE_FULL;
            }
            lc->all_full = true;
            if (w->trace.fn != NULL)
                cs_world_trace(w, "nodelifecycle.masterDisruption", NULL, 0);
            return;
        }
        bool leaving = lc->all_full;
        lc->all_full = false;
        for (uint32_t i = 0; i < lc->n_zones; i++) {
            struct zone *z = &lc->zones[i];
            if (z->nodes == 0)
                continue;
            zone_state st = zone_state_of(w, z);
            if (leaving || st != z->state)
                set_limiter(w, z, st, now);
            z->state = st;
        }
        if (leaving)   /* the next monitor pass queues every node still not Ready again */
            for (uint32_t node = 0; node < w->cfg->n_nodes; node++)
                if (w->nodes[node].exists && !w->nodes[node].ready)
                    enqueue(w, node);
    }
    cs_time next = CS_TIME_MAX;
    for (uint32_t i = 0; i < lc->n_zones; i++) {
        struct zone *z = &lc->zones[i];
        const uint32_t *q = z->queue.data;
        while (z->head < z->queue.len && !lc->queued[q[z->head]])
            z->head++;   /* entries of nodes that became Ready or went away */
        while (z->head < z->queue.len && try_accept(z, now)) {
            uint32_t node = q[z->head++];
            lc->queued[node] = false;
            cs_node_taint_no_execute(w, node);
            while (z->head < z->queue.len && !lc->queued[q[z->head]])
                z->head++;
        }
        if (z->head < z->queue.len && z->period != 0 && z->full_at < next)
            next = z->full_at;
    }
    if (lc->drain_timer != 0)
        cs_kernel_cancel(w->kernel, lc->drain_timer);
    lc->drain_timer = next != CS_TIME_MAX ? cs_kernel_at(w->kernel, next, lc->on_pass, (cs_payload){0}) : 0;
}

static void on_pass(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    (void)p;
    cs_world *w = model;
    cs_nodelife *lc = w->nodelife;
    lc->pass_pending = false;
    lc->drain_timer = 0;
    pass(w);
}

void cs_nodelife_node_changed(cs_world *w, uint32_t node)
{
    cs_nodelife *lc = w->nodelife;
    const cs_node *n = &w->nodes[node];
    struct zone *z = &lc->zones[zone_of(w, node)];
    bool counted = n->exists, ready = n->exists && n->ready;
    z->nodes += counted - lc->counted_exists[node];
    z->ready += ready - lc->counted_ready[node];
    lc->counted_exists[node] = counted;
    lc->counted_ready[node] = ready;
    if (!n->exists || n->ready)
        reachable(w, node);
    else if (!n->noexec && !lc->all_full)
        enqueue(w, node);
    if (!lc->pass_pending) {
        lc->pass_pending = true;
        if (lc->drain_timer != 0)
            cs_kernel_cancel(w->kernel, lc->drain_timer);
        lc->drain_timer = cs_kernel_after(w->kernel, 0, lc->on_pass, (cs_payload){0});
    }
}

cs_status cs_nodelife_attach(cs_world *w)
{
    const cs_config *cfg = w->cfg;
    cs_nodelife *lc = cs_arena_new_of(w->arena, cs_nodelife);
    if (lc == NULL)
        return CS_ENOMEM;
    w->nodelife = lc;
    lc->n_zones = cfg->n_zones + 1;
    lc->zones = cs_arena_calloc(w->arena, lc->n_zones, sizeof *lc->zones);
    lc->counted_ready = cs_arena_calloc(w->arena, cfg->n_nodes + 1, sizeof(bool));
    lc->counted_exists = cs_arena_calloc(w->arena, cfg->n_nodes + 1, sizeof(bool));
    lc->queued = cs_arena_calloc(w->arena, cfg->n_nodes + 1, sizeof(bool));
    lc->on_pass = cs_kernel_on(w->kernel, "nodelifecycle.pass", on_pass, w);
    if (lc->zones == NULL || lc->counted_ready == NULL || lc->counted_exists == NULL || lc->queued == NULL ||
        lc->on_pass == CS_HANDLER_NONE)
        return CS_ENOMEM;
    /* Every zone starts Normal with a full bucket (addPodEvictorForNewZone). */
    cs_time period = period_of(cfg->node_eviction_rate);
    for (uint32_t i = 0; i < lc->n_zones; i++)
        lc->zones[i] = (struct zone){.state = ZONE_NORMAL, .period = period};
    for (uint32_t node = 0; node < cfg->n_nodes; node++) {
        struct zone *z = &lc->zones[zone_of(w, node)];
        z->nodes++;
        z->ready++;
        lc->counted_exists[node] = lc->counted_ready[node] = true;
    }
    return CS_OK;
}
