/* sched_affinity.c -- InterPodAffinity, filter and score
 * (pkg/scheduler/framework/plugins/interpodaffinity: filtering.go, scoring.go).
 *
 * Upstream keys its counts by (topologyKey, value) pairs across terms; a term here has its own
 * counter, which decides the same: a pair's count is the sum of its terms' counts, and every
 * check is "some count > 0" or "every count > 0" per term. One namespace: namespaces and
 * namespaceSelector are not modelled.
 */
#include "sched_index.h"

static int32_t count_at(const cs_pod_index *x, uint32_t counter, uint32_t node, bool *has_key)
{
    const cs_domain_count *c = &x->counters[counter];
    uint32_t d = x->keys[c->key].dom[node];
    *has_key = d != CS_NONE;
    return d != CS_NONE ? c->count[d] : 0;
}

/* filtering.go Filter, in its order:
 * - satisfyPodAffinity: the node has every term's key and some matching pod in each term's
 *   domain; or else, when no pod in the cluster matches all the terms and the pod matches them
 *   itself (the first pod of a group), any node with every key;
 * - satisfyPodAntiAffinity: no pod matching a term in the node's domain of that term;
 * - satisfyExistingPodsAntiAffinity: no existing pod whose required anti-affinity term matches
 *   this pod in the node's domain of that term. */
const char *cs_sched_filter_pod_affinity(const cs_world *w, uint32_t node, const cs_pod_plan *p)
{
    const cs_pod_index *x = w->pod_index;
    bool has_key = false, exist = true;
    int64_t total = 0;
    for (uint32_t i = 0; i < p->n_affinity; i++) {
        exist = count_at(x, p->affinity[i], node, &has_key) > 0 && exist;
        if (!has_key)
            return cs_reason_affinity;
        total += x->counters[p->affinity[i]].total;
    }
    if (!exist && !(total == 0 && p->affinity_self))
        return cs_reason_affinity;
    for (uint32_t i = 0; i < p->n_anti; i++)
        if (count_at(x, p->anti[i], node, &has_key) > 0)
            return cs_reason_anti;
    for (uint32_t i = 0; i < p->n_existing_anti; i++)
        if (count_at(x, p->existing_anti[i], node, &has_key) > 0)
            return cs_reason_existing_anti;
    return NULL;
}

/* scoring.go Score: the weighted counts in the node's domains (the pod's preferred terms +/-
 * their weight per matching pod, existing pods' required affinity terms hardPodAffinityWeight
 * 1 and preferred terms +/- their weight, when they match this pod). NormalizeScore: with
 * min and max over the feasible nodes, int64(100 * ((s - min) / (max - min))) in float64, 0 for
 * all when max = min. */
void cs_sched_score_pod_affinity(const cs_world *w, const cs_pod_plan *p, const uint32_t *nodes, uint32_t n,
                                 int64_t *out)
{
    const cs_pod_index *x = w->pod_index;
    if (p->n_ipa == 0) {   /* no term anywhere: topologyScore is empty */
        for (uint32_t i = 0; i < n; i++)
            out[i] = 0;
        return;
    }
    int64_t min = INT64_MAX, max = INT64_MIN;
    for (uint32_t i = 0; i < n; i++) {
        int64_t s = 0;
        bool has_key;
        for (uint32_t t = 0; t < p->n_ipa; t++)
            s += p->ipa[t].weight * count_at(x, p->ipa[t].counter, nodes[i], &has_key);
        out[i] = s;
        min = s < min ? s : min;
        max = s > max ? s : max;
    }
    for (uint32_t i = 0; i < n; i++) {
        double f = 0;
        if (max > min)
            f = (double)CS_MAX_NODE_SCORE * ((double)(out[i] - min) / (double)(max - min));
        out[i] = (int64_t)f;
    }
}
