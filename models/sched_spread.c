/* sched_spread.c -- PodTopologySpread, filter and score
 * (pkg/scheduler/framework/plugins/podtopologyspread: filtering.go, scoring.go, common.go).
 *
 * The counts come from sched_index.c, already restricted to the nodes each constraint counts
 * on; here is only the arithmetic of one cycle. Floating point is where upstream has it (the
 * score's log weights, then math.Round), in the same order of operations.
 */
#include <math.h>
#include <string.h>

#include "sched_index.h"

/* filtering.go Filter: for each DoNotSchedule constraint in order, a node without the key is
 * out; otherwise skew = the count in the node's domain + 1 if the pod matches its own selector
 * - the global minimum, which is 0 while fewer domains than minDomains have an eligible node
 * (minMatchNum); skew > maxSkew fails. */
const char *cs_sched_filter_spread(const cs_world *w, uint32_t node, const cs_pod_plan *p)
{
    const cs_pod_index *x = w->pod_index;
    for (uint32_t i = 0; i < p->n_hard; i++) {
        const cs_spread_rule *r = &p->hard[i];
        uint32_t d = x->keys[r->key].dom[node];
        if (d == CS_NONE)
            return cs_reason_spread_label;
        const cs_domain_count *c = &x->counters[r->counter];
        int64_t min = c->n_domains < (uint32_t)r->min_domains ? 0 : c->min;
        if ((int64_t)c->count[d] + r->self_match - min > r->max_skew)
            return cs_reason_spread_skew;
    }
    return NULL;
}

/* scoring.go topologyNormalizingWeight: log(size + 2). */
static double normalizing_weight(uint32_t size)
{
    return log((double)size + 2);
}

/* Go's math.Round for x >= 0 (half away from zero), without a libm call: the integer part and
 * the fraction are exact below 2^52, and a score is far below that. */
static int64_t round_half_up(double x)
{
    int64_t i = (int64_t)x;
    return x - (double)i >= 0.5 ? i + 1 : i;
}

/* The number of distinct values of a key among the scored nodes, a node lacking the key
 * counting as the value "" (stamps mark the domains seen in this call). The walk stops once
 * every value of the key has been seen. */
static uint32_t distinct_values(cs_pod_index *x, const cs_topo_key *key, const uint32_t *nodes, uint32_t n)
{
    if (++x->stamp_now == 0) {   /* wrapped: clear every stamp, each key's included */
        for (uint32_t d = 0; d < x->n_stamp; d++)
            x->stamp[d] = 0;
        x->stamp_now = 1;
    }
    uint32_t size = 0, most = key->n_domains + key->some_lack;   /* every value seen: no more to find */
    bool none = false;
    for (uint32_t i = 0; i < n && size < most; i++) {
        uint32_t d = key->dom[nodes[i]];
        if (x->ignored[i])
            continue;
        if (d == CS_NONE) {
            size += !none;
            none = true;
        } else if (x->stamp[d] != x->stamp_now) {
            x->stamp[d] = x->stamp_now;
            size++;
        }
    }
    return size;
}

/* scoring.go PreScore, Score and NormalizeScore over the feasible nodes:
 * - a node lacking one of the keys is ignored when the constraints are the pod's own (it
 *   scores 0 at the end); system default constraints score the keys a node has;
 * - each constraint's weight is log(size + 2), size the number of feasible (not ignored) nodes
 *   for hostname, else the number of distinct values among them (a node without the key counts
 *   as the value "" when not ignored, as upstream's map does);
 * - a node's raw score is the sum over the keys it has of count * weight + (maxSkew - 1),
 *   rounded half away from zero (math.Round);
 * - normalised: 100 * (max + min - s) / max over the scored nodes, 100 for all when max is 0. */
void cs_sched_score_spread(cs_world *w, const cs_pod_plan *p, const uint32_t *nodes, uint32_t n, int64_t *out)
{
    cs_pod_index *x = w->pod_index;
    if (p->n_soft == 0) {   /* PreScore returns Skip */
        for (uint32_t i = 0; i < n; i++)
            out[i] = 0;
        return;
    }
    uint32_t ignored = 0;
    memset(x->ignored, 0, n);
    for (uint32_t i = 0; p->soft_require_all && i < n; i++) {
        bool skip = false;
        for (uint32_t k = 0; k < p->n_soft && !skip; k++)
            skip = x->keys[p->soft[k].key].dom[nodes[i]] == CS_NONE;
        x->ignored[i] = skip;
        ignored += skip;
    }
    cs_soft_term *t = x->soft;
    for (uint32_t k = 0; k < p->n_soft; k++) {
        const cs_topo_key *key = &x->keys[p->soft[k].key];
        uint32_t size = key->hostname ? n - ignored : distinct_values(x, key, nodes, n);
        t[k] = (cs_soft_term){key->dom, x->counters[p->soft[k].counter].count, normalizing_weight(size),
                              (double)(p->soft[k].max_skew - 1)};
    }
    int64_t min = INT64_MAX, max = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (x->ignored[i])
            continue;
        double score = 0;
        for (uint32_t k = 0; k < p->n_soft; k++) {
            uint32_t d = t[k].dom[nodes[i]];
            if (d != CS_NONE)
                score += (double)t[k].count[d] * t[k].weight + t[k].skew1;
        }
        out[i] = round_half_up(score);
        min = out[i] < min ? out[i] : min;
        max = out[i] > max ? out[i] : max;
    }
    /* Every operand is >= 0: 32-bit division gives the same quotient, at a fraction of the
     * cost of a 64-bit one, whenever the numerator fits. */
    bool narrow = max <= UINT32_MAX / (2 * CS_MAX_NODE_SCORE);
    int64_t last = -1, last_score = 0;   /* raw scores repeat: most nodes hold no matching pod */
    for (uint32_t i = 0; i < n; i++) {
        if (x->ignored[i])
            out[i] = 0;
        else if (max == 0)
            out[i] = CS_MAX_NODE_SCORE;
        else if (out[i] == last)
            out[i] = last_score;
        else {
            last = out[i];
            if (narrow)
                last_score = (uint32_t)(CS_MAX_NODE_SCORE * (max + min - last)) / (uint32_t)max;
            else
                last_score = CS_MAX_NODE_SCORE * (max + min - last) / max;
            out[i] = last_score;
        }
    }
}
