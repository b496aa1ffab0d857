/* sched_plugins.c -- kube-scheduler's filter and score plugins, rule by rule.
 *
 * Every function names the upstream file it follows (kubernetes/kubernetes, under
 * pkg/scheduler/framework/plugins unless said otherwise) and keeps its integer arithmetic and
 * truncation, so a score here is the score upstream gives the same node. Node labels are the
 * pool's plus the two every kubelet sets (kubernetes.io/hostname, topology.kubernetes.io/zone);
 * matchFields knows metadata.name, the one field upstream supports.
 *
 * Cost: a filter or score is linear in the pod's selector terms and the pool's labels and
 * taints; the scheduler calls them once per examined node per cycle.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sched.h"

const char *const cs_filter_plugin_name[CS_FILTER_PLUGINS] = {
    [CS_FILTER_NODE_NAME] = "NodeName",
    [CS_FILTER_TAINT_TOLERATION] = "TaintToleration",
    [CS_FILTER_NODE_AFFINITY] = "NodeAffinity",
    [CS_FILTER_NODE_RESOURCES_FIT] = "NodeResourcesFit",
    [CS_FILTER_NODE_UNSCHEDULABLE] = "NodeUnschedulable",
    [CS_FILTER_POD_TOPOLOGY_SPREAD] = "PodTopologySpread",
    [CS_FILTER_INTER_POD_AFFINITY] = "InterPodAffinity",
};

enum { MIN_FEASIBLE_NODES = 100, MIN_FEASIBLE_PERCENT = 5 };

/* schedule_one.go numFeasibleNodesToFind: all nodes below 100; else percentage of them (the
 * adaptive 50 - n/125, at least 5, when 0), at least 100. int32 arithmetic in upstream; n is at
 * most 10^6 here, so n * 100 fits. */
uint32_t cs_sched_num_feasible(uint32_t all, uint32_t percentage)
{
    if (all < MIN_FEASIBLE_NODES)
        return all;
    int64_t percent = percentage;
    if (percent == 0) {
        percent = 50 - (int64_t)all / 125;
        if (percent < MIN_FEASIBLE_PERCENT)
            percent = MIN_FEASIBLE_PERCENT;
    }
    int64_t n = (int64_t)all * percent / 100;
    return n < MIN_FEASIBLE_NODES ? MIN_FEASIBLE_NODES : (uint32_t)n;
}

/* ---- labels ----------------------------------------------------------------------------- */

const char *cs_node_label(const cs_world *w, uint32_t node, const char *key, char *buf, size_t size)
{
    const cs_node_pool *pool = &w->cfg->pools[w->nodes[node].pool];
    for (uint32_t i = 0; i < pool->n_labels; i++)
        if (strcmp(pool->labels[i].key, key) == 0)
            return pool->labels[i].value;
    if (strcmp(key, CS_LABEL_HOSTNAME) == 0)
        return cs_config_node_name(w->cfg, node, buf, size);
    if (strcmp(key, CS_LABEL_ZONE) == 0 && pool->n_zones > 0)
        return w->cfg->zones[w->nodes[node].zone];
    return NULL;
}

bool cs_parse_go_int64(const char *s, int64_t *out)
{
    bool neg = false;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    if (*s == '\0')
        return false;
    uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (limit - d) / 10)
            return false;
        v = 10 * v + d;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

static bool listed(const char *s, const cs_requirement *q)
{
    for (uint32_t i = 0; i < q->n_values; i++)
        if (strcmp(s, q->values[i]) == 0)
            return true;
    return false;
}

/* apimachinery/pkg/labels/selector.go Requirement.Matches. Gt and Lt need the label, and both
 * it and the value parsed as strconv.ParseInt(.., 10, 64); a label that does not parse fails. */
bool cs_requirement_matches(const char *label, const cs_requirement *q)
{
    int64_t have = 0, want = 0;
    switch (q->op) {
    case CS_OP_IN:
        return label != NULL && listed(label, q);
    case CS_OP_NOT_IN:
        return label == NULL || !listed(label, q);
    case CS_OP_EXISTS:
        return label != NULL;
    case CS_OP_DOES_NOT_EXIST:
        return label == NULL;
    case CS_OP_GT:
    case CS_OP_LT:
        if (label == NULL || q->n_values != 1 || !cs_parse_go_int64(label, &have) ||
            !cs_parse_go_int64(q->values[0], &want))
            return false;
        return q->op == CS_OP_GT ? have > want : have < want;
    }
    return false;
}

/* component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go nodeSelectorTerm.match:
 * the matchExpressions (ANDed) and the matchFields (ANDed); a term with neither matches
 * nothing. */
bool cs_sched_term_matches(const cs_world *w, uint32_t node, const cs_node_selector_term *t)
{
    if (t->n_match_expressions == 0 && t->n_match_fields == 0)
        return false;
    char buf[96];
    for (uint32_t i = 0; i < t->n_match_expressions; i++) {
        const cs_requirement *q = &t->match_expressions[i];
        if (!cs_requirement_matches(cs_node_label(w, node, q->key, buf, sizeof buf), q))
            return false;
    }
    if (t->n_match_fields > 0) {
        const char *name = cs_config_node_name(w->cfg, node, buf, sizeof buf);
        for (uint32_t i = 0; i < t->n_match_fields; i++) {
            const cs_requirement *q = &t->match_fields[i];
            bool eq = q->n_values == 1 && strcmp(name, q->values[0]) == 0;
            if (strcmp(q->key, "metadata.name") != 0 || (q->op == CS_OP_IN) != eq)
                return false;
        }
    }
    return true;
}

/* ---- filters ---------------------------------------------------------------------------- */

/* noderesources/fit.go fitsRequest, the scalar resources: each one the pod requests (non-zero)
 * must fit in what the node has left of it; a node without it has none. */
const char *cs_sched_filter_fit_extended(const cs_config *cfg, const cs_node *n, const cs_resources *r, char *buf,
                                         size_t size)
{
    for (uint32_t i = 0; i < cfg->n_extended; i++)
        if (r->ext[i] > 0 && r->ext[i] > n->alloc.ext[i] - n->requested.ext[i]) {
            snprintf(buf, size, "Insufficient %s", cfg->extended[i]);
            return buf;
        }
    return NULL;
}

/* nodename/node_name.go Filter (Fits): a pod whose spec.nodeName is set fits only the node of
 * that name. */
const char *cs_sched_filter_node_name(const cs_world *w, uint32_t node, const cs_workload *wl)
{
    char buf[96];
    if (wl->node_name == NULL || strcmp(wl->node_name, cs_config_node_name(w->cfg, node, buf, sizeof buf)) == 0)
        return NULL;
    return "node(s) didn't match the requested node name";
}

const char cs_reason_node_affinity[] = "node(s) didn't match Pod's node affinity/selector";

/* labels.SelectorFromSet(nodeSelector).Matches: every pair present and equal. */
static bool selector_matches(const cs_world *w, uint32_t node, const cs_workload *wl)
{
    char buf[96];
    for (uint32_t i = 0; i < wl->n_node_selector; i++) {
        const char *v = cs_node_label(w, node, wl->node_selector[i].key, buf, sizeof buf);
        if (v == NULL || strcmp(v, wl->node_selector[i].value) != 0)
            return false;
    }
    return true;
}

/* nodeaffinity/node_affinity.go Filter through nodeaffinity.go RequiredNodeAffinity.Match:
 * every nodeSelector pair (labels.SelectorFromSet: the label present and equal), and then one
 * of the required terms (ORed). */
const char *cs_sched_filter_node_affinity(const cs_world *w, uint32_t node, const cs_workload *wl)
{
    if (!selector_matches(w, node, wl))
        return cs_reason_node_affinity;
    if (wl->n_required_terms == 0)
        return NULL;
    for (uint32_t i = 0; i < wl->n_required_terms; i++)
        if (cs_sched_term_matches(w, node, &wl->required_terms[i]))
            return NULL;
    return cs_reason_node_affinity;
}

/* The same for a DaemonSet's pod, whose required terms the controller replaced by one
 * matchFields metadata.name In [its node] (daemon/util ReplaceDaemonSetPodNodeNameNodeAffinity). */
const char *cs_sched_filter_pinned_affinity(const cs_world *w, uint32_t node, const cs_workload *wl, uint32_t pinned)
{
    return node == pinned && selector_matches(w, node, wl) ? NULL : cs_reason_node_affinity;
}

/* staging/src/k8s.io/api/core/v1/toleration.go ToleratesTaint: the effect (empty matches all),
 * the key (empty matches all, with Exists), then Equal compares values and Exists does not. */
bool cs_toleration_tolerates(const cs_toleration *t, const cs_taint *taint)
{
    if (!t->any_effect && t->effect != taint->effect)
        return false;
    if (t->key[0] != '\0' && strcmp(t->key, taint->key) != 0)
        return false;
    return t->op == CS_TOL_EXISTS || strcmp(t->value, taint->value) == 0;
}

static bool tolerated(const cs_workload *wl, const cs_taint *taint, bool prefer_only)
{
    for (uint32_t i = 0; i < wl->n_tolerations; i++) {
        const cs_toleration *t = &wl->tolerations[i];
        /* taint_toleration.go getAllTolerationPreferNoSchedule keeps tolerations whose effect
         * is empty or PreferNoSchedule for the score. */
        if (prefer_only && !t->any_effect && t->effect != CS_TAINT_PREFER_NO_SCHEDULE)
            continue;
        if (cs_toleration_tolerates(t, taint))
            return true;
    }
    return false;
}

/* tainttoleration/taint_toleration.go Filter: the first NoSchedule or NoExecute taint, in the
 * node's order, that no toleration tolerates (v1helper.FindMatchingUntoleratedTaint). */
const char *cs_sched_filter_taints(const cs_world *w, uint32_t node, const cs_workload *wl, char *buf, size_t size)
{
    const cs_node_pool *pool = &w->cfg->pools[w->nodes[node].pool];
    for (uint32_t i = 0; i < pool->n_taints; i++) {
        const cs_taint *t = &pool->taints[i];
        if (t->effect == CS_TAINT_PREFER_NO_SCHEDULE || tolerated(wl, t, false))
            continue;
        snprintf(buf, size, "node(s) had untolerated taint {%s: %s}", t->key, t->value);
        return buf;
    }
    return NULL;
}

/* ---- scores ----------------------------------------------------------------------------- */

/* noderesources/most_allocated.go mostRequestedScore: requests above capacity count as full. */
static int64_t most_requested(int64_t requested, int64_t capacity)
{
    if (capacity == 0)
        return 0;
    if (requested > capacity)
        requested = capacity;
    return requested * CS_MAX_NODE_SCORE / capacity;
}

/* noderesources/requested_to_capacity_ratio.go scaledUtilization: requested * 100 / capacity
 * with requested clamped to [0, capacity], exact where the product would overflow. */
static int64_t scaled_utilization(int64_t requested, int64_t capacity)
{
    if (capacity <= 0 || requested <= 0)
        return 0;
    if (requested >= capacity)
        return 100;
    if (requested <= INT64_MAX / 100)
        return requested * 100 / capacity;
    /* Upstream takes a 128-bit product (math/bits). Here 100 * requested is summed modulo
     * capacity one addend at a time, counting the wraps: each sum stays below capacity. */
    uint64_t c = (uint64_t)capacity, r = (uint64_t)requested, acc = 0;
    int64_t quo = 0;
    for (int i = 0; i < 100; i++) {
        if (acc >= c - r) {
            acc -= c - r;
            quo++;
        } else {
            acc += r;
        }
    }
    return quo;
}

/* helper/shape_score.go BuildBrokenLinearFunction: the first point at or above p gives the
 * segment; below the first point its score, above the last the last score. Go's integer
 * division truncates toward zero, as C's does. */
int64_t cs_sched_broken_linear(const cs_shape_point *s, uint32_t n, int64_t p)
{
    for (uint32_t i = 0; i < n; i++) {
        if (p <= s[i].utilization) {
            if (i == 0)
                return s[0].score;
            return s[i - 1].score + (s[i].score - s[i - 1].score) * (p - s[i - 1].utilization) /
                                        (s[i].utilization - s[i - 1].utilization);
        }
    }
    return s[n - 1].score;
}

/* noderesources/requested_to_capacity_ratio.go buildRequestedToCapacityRatioScorerFunction:
 * a resource over capacity scores as 100% utilised. */
static int64_t ratio_score(const cs_sched_profile *p, int64_t requested, int64_t capacity)
{
    cs_shape_point shape[101];
    uint32_t n = p->n_shape < 101 ? p->n_shape : 101;
    for (uint32_t i = 0; i < n; i++)   /* requestedToCapacityRatioScorer scales 0..10 to 0..100 */
        shape[i] = (cs_shape_point){p->shape[i].utilization,
                                    p->shape[i].score * (CS_MAX_NODE_SCORE / CS_MAX_CUSTOM_PRIORITY_SCORE)};
    if (capacity == 0 || requested > capacity)
        return cs_sched_broken_linear(shape, n, 100);
    return cs_sched_broken_linear(shape, n, scaled_utilization(requested, capacity));
}

/* NodeResourcesFit Score (noderesources/fit.go, resource_allocation.go score): per resource of
 * scoringStrategy.resources, the allocatable and the node's requests plus the pod's, where cpu
 * and memory use the non-zero requests (100m, 200Mi for a pod that requests none:
 * calculatePodResourceRequest with NonMissingContainerRequests), ephemeral-storage and extended
 * resources the real ones. A resource the node has none of is left out, and so is an extended
 * resource the pod does not request. Then the strategy: LeastAllocated and
 * MostAllocated average by weight with integer division; RequestedToCapacityRatio averages the
 * positive resource scores by weight and rounds (math.Round: half away from zero). */
int64_t cs_sched_score_fit(const cs_sched_profile *p, const cs_node *n, const cs_resources *r)
{
    int64_t sum = 0, weights = 0;
    for (uint32_t i = 0; i < p->n_resources; i++) {
        int64_t alloc, req;
        cs_resource_name name = p->resources[i].name;
        if (name == CS_RESOURCE_CPU) {
            alloc = n->alloc.cpu_milli;
            req = n->nonzero_cpu + (r->cpu_milli != 0 ? r->cpu_milli : CS_DEFAULT_MILLI_CPU);
        } else if (name == CS_RESOURCE_MEMORY) {
            alloc = n->alloc.mem_bytes;
            req = n->nonzero_mem + (r->mem_bytes != 0 ? r->mem_bytes : CS_DEFAULT_MEMORY);
        } else if (name == CS_RESOURCE_EPHEMERAL_STORAGE) {
            alloc = n->alloc.ephemeral_bytes;
            req = n->requested.ephemeral_bytes + r->ephemeral_bytes;
        } else {
            /* calculateResourceAllocatableRequest: a scalar resource the pod does not request
             * is not scored (0, 0). */
            uint32_t e = p->resources[i].ext;
            if (r->ext[e] == 0)
                continue;
            alloc = n->alloc.ext[e];
            req = n->requested.ext[e] + r->ext[e];
        }
        if (alloc == 0)
            continue;
        int64_t weight = p->resources[i].weight, score = 0;
        switch (p->strategy) {
        case CS_STRATEGY_LEAST_ALLOCATED:
            score = cs_least_requested(req, alloc);
            break;
        case CS_STRATEGY_MOST_ALLOCATED:
            score = most_requested(req, alloc);
            break;
        case CS_STRATEGY_REQUESTED_TO_CAPACITY_RATIO:
            score = ratio_score(p, req, alloc);
            if (score <= 0)
                continue;   /* only positive resource scores count, weight included */
            break;
        }
        sum += score * weight;
        weights += weight;
    }
    if (weights == 0)
        return 0;
    if (p->strategy == CS_STRATEGY_REQUESTED_TO_CAPACITY_RATIO)
        return (2 * sum + weights) / (2 * weights);   /* math.Round(sum / weights), sum >= 0 */
    return sum / weights;
}

/* nodeaffinity/node_affinity.go Score via nodeaffinity.go PreferredSchedulingTerms.Score: the
 * sum of the weights of the preferred terms the node matches (weight-0 and empty terms are
 * dropped when parsed, and an empty term matches nothing here). */
int64_t cs_sched_score_node_affinity(const cs_world *w, uint32_t node, const cs_workload *wl)
{
    int64_t score = 0;
    for (uint32_t i = 0; i < wl->n_preferred_terms; i++)
        if (wl->preferred_terms[i].weight != 0 && cs_sched_term_matches(w, node, &wl->preferred_terms[i].term))
            score += wl->preferred_terms[i].weight;
    return score;
}

/* tainttoleration/taint_toleration.go countIntolerableTaintsPreferNoSchedule: PreferNoSchedule
 * taints that no toleration with an empty or PreferNoSchedule effect tolerates. */
int64_t cs_sched_score_taints(const cs_node_pool *pool, const cs_workload *wl)
{
    int64_t n = 0;
    for (uint32_t i = 0; i < pool->n_taints; i++)
        n += pool->taints[i].effect == CS_TAINT_PREFER_NO_SCHEDULE && !tolerated(wl, &pool->taints[i], true);
    return n;
}

/* helper/normalize_score.go DefaultNormalizeScore: scales to [0, 100] by the largest score
 * (100 * s / max, truncated), reversed when asked; with every score 0 they stay 0, or all
 * become 100 when reversed. */
void cs_sched_normalize(int64_t *scores, uint32_t n, bool reverse)
{
    int64_t max = 0;
    for (uint32_t i = 0; i < n; i++)
        if (scores[i] > max)
            max = scores[i];
    for (uint32_t i = 0; i < n; i++) {
        if (max == 0) {
            if (reverse)
                scores[i] = CS_MAX_NODE_SCORE;
            continue;
        }
        int64_t s = CS_MAX_NODE_SCORE * scores[i] / max;
        scores[i] = reverse ? CS_MAX_NODE_SCORE - s : s;
    }
}
