/* sched.h -- the scheduler's filter and score plugins (private to models/ and the tests).
 *
 * Each function is one upstream plugin's rule, computed on the world's node state and a pod's
 * workload (its template), with upstream's integer arithmetic and truncation, so that a test
 * can check a score against a hand computation. scheduler.c runs them in a cycle; nothing here
 * changes the world.
 */
#ifndef CLUSTERSIM_MODELS_SCHED_H
#define CLUSTERSIM_MODELS_SCHED_H

#include <math.h>
#include <string.h>

#include "model.h"

#define CS_LABEL_HOSTNAME "kubernetes.io/hostname"
#define CS_LABEL_ZONE "topology.kubernetes.io/zone"
#define CS_MAX_CUSTOM_PRIORITY_SCORE 10   /* config.MaxCustomPriorityScore: shape scores 0..10 */

/* Filter plugins, in the default profile's order (apis/config/v1/default_plugins.go); a pod's
 * unsched_plugins has bit 1 << plugin set for each plugin that rejected a node. */
typedef enum cs_filter_plugin {
    CS_FILTER_NODE_NAME,
    CS_FILTER_TAINT_TOLERATION,
    CS_FILTER_NODE_AFFINITY,
    CS_FILTER_NODE_RESOURCES_FIT,
    CS_FILTER_NODE_UNSCHEDULABLE,
    CS_FILTER_POD_TOPOLOGY_SPREAD,
    CS_FILTER_INTER_POD_AFFINITY,
    CS_FILTER_PLUGINS
} cs_filter_plugin;

/* A failed_by entry: the rejecting plugin, with this bit when the rejection is Unschedulable
 * (preemption might resolve it) rather than UnschedulableAndUnresolvable. */
#define CS_FAILED_RESOLVABLE 0x80u

/* Whether a filter's rejection is resolvable by evicting pods: NodeResourcesFit's always;
 * PodTopologySpread's skew (not its missing label: ErrReasonNodeLabelNotMatch);
 * InterPodAffinity's anti-affinity, the pod's or existing pods' (not its affinity:
 * ErrReasonAffinityRulesNotMatch). The others answer UnschedulableAndUnresolvable. */
static inline bool cs_filter_resolvable(int plugin, const char *why)
{
    /* The two plugins' filters return their reasons as the shared constants (sched_index.c):
     * the pointers tell them apart. */
    extern const char cs_reason_spread_skew[], cs_reason_affinity[];
    if (plugin == CS_FILTER_NODE_RESOURCES_FIT)
        return true;
    if (plugin == CS_FILTER_POD_TOPOLOGY_SPREAD)
        return why == cs_reason_spread_skew;
    if (plugin == CS_FILTER_INTER_POD_AFFINITY)
        return why != cs_reason_affinity;
    return false;
}

/* Upstream's names of the filter plugins, by cs_filter_plugin. */
extern const char *const cs_filter_plugin_name[CS_FILTER_PLUGINS];

/* schedule_one.go numFeasibleNodesToFind; percentage 0 is adaptive. */
uint32_t cs_sched_num_feasible(uint32_t all_nodes, uint32_t percentage);

/* The value of a node's label, or NULL: the pool's labels, then kubernetes.io/hostname (the
 * node's name, formatted into buf) and topology.kubernetes.io/zone (when the pool has zones). */
const char *cs_node_label(const cs_world *w, uint32_t node, const char *key, char *buf, size_t size);

/* Filters: NULL when the pod passes, else the reason in upstream's words (the taint reason is
 * formatted into buf). */
/* The extended resources of NodeResourcesFit ("Insufficient nvidia.com/gpu", formatted into buf). */
const char *cs_sched_filter_fit_extended(const cs_config *cfg, const cs_node *n, const cs_resources *r, char *buf,
                                         size_t size);
const char *cs_sched_filter_node_name(const cs_world *w, uint32_t node, const cs_workload *wl);
const char *cs_sched_filter_node_affinity(const cs_world *w, uint32_t node, const cs_workload *wl);
/* nodeaffinity ErrReasonPod, the reason cs_sched_filter_node_affinity returns. */
extern const char cs_reason_node_affinity[];
/* NodeAffinity for a DaemonSet pod pinned to node `pinned`. */
const char *cs_sched_filter_pinned_affinity(const cs_world *w, uint32_t node, const cs_workload *wl, uint32_t pinned);
const char *cs_sched_filter_taints(const cs_world *w, uint32_t node, const cs_workload *wl, char *buf,
                                   size_t size);

/* core/v1 Toleration.ToleratesTaint. */
bool cs_toleration_tolerates(const cs_toleration *t, const cs_taint *taint);
/* apimachinery labels.Requirement.Matches on one label value (NULL: the label is absent). */
bool cs_requirement_matches(const char *label, const cs_requirement *q);
/* One node selector term against a node (empty terms match nothing). */
bool cs_sched_term_matches(const cs_world *w, uint32_t node, const cs_node_selector_term *t);
/* strconv.ParseInt(s, 10, 64): optional sign, decimal digits, in range. */
bool cs_parse_go_int64(const char *s, int64_t *out);

/* Raw scores, before normalisation. */
int64_t cs_sched_score_fit(const cs_sched_profile *p, const cs_node *n, const cs_resources *r);
int64_t cs_sched_score_node_affinity(const cs_world *w, uint32_t node, const cs_workload *wl);
int64_t cs_sched_score_taints(const cs_node_pool *pool, const cs_workload *wl);
/* helper/shape_score.go BuildBrokenLinearFunction over shape points already scaled to 0..100. */
int64_t cs_sched_broken_linear(const cs_shape_point *shape, uint32_t n, int64_t p);
/* helper/normalize_score.go DefaultNormalizeScore(MaxNodeScore, reverse, scores), in place. */
void cs_sched_normalize(int64_t *scores, uint32_t n, bool reverse);

/* sched_queue.c: the scheduling queue (cs_sched_enqueue and the events are in model.h). */
cs_status cs_squeue_attach(cs_world *w, const cs_sched_profile *profile);
/* Pops the next pod of activeQ (counting the attempt), or CS_NONE when it is empty. */
uint32_t cs_squeue_pop(cs_world *w);
bool cs_squeue_has_active(cs_world *w);
/* AddUnschedulableIfNotPresent: a popped pod that fits nowhere, with the bits of the plugins
 * that rejected it. */
void cs_squeue_unschedulable(cs_world *w, uint32_t pod, uint32_t plugins);
/* calculateBackoffDuration for a pod that has made `attempts` attempts. */
cs_time cs_squeue_backoff_duration(const cs_world *w, uint32_t attempts);
/* Moves a pod waiting in backoffQ or unschedulablePods to activeQ (PriorityQueue.Activate). */
void cs_squeue_activate(cs_world *w, uint32_t pod);

/* preempt.c: DefaultPreemption's PostFilter for a pod that fit nowhere, given the filter plugin
 * that rejected each node (only node `only` when its search was narrowed to it, else CS_NONE).
 * Returns true when it evicted victims and nominated a node. */
bool cs_preempt_run(cs_world *w, uint32_t pod, const uint8_t *failed_by, uint32_t only);
/* NodeResourcesFit on a node for a pod, as RunFilterPluginsWithNominatedPods runs it: the
 * node's requests less `freed` (NULL: nothing), plus the requests of the pods nominated there
 * with at least the pod's priority. NULL when it fits, else the reason. */
const char *cs_preempt_fit(cs_world *w, uint32_t node, uint32_t pod, const cs_resources *freed);

/* scheduler.c: makes sure a scheduling cycle runs now (activeQ is not empty). */
void cs_sched_kick(cs_world *w);

/* The hot filter and scores of every examined node, inline (they are the rules of
 * sched_plugins.c, which names its upstream files). */

/* noderesources/fit.go fitsRequest: a resource is checked only when the pod requests it. The
 * ephemeral-storage check applies only to pools that declare ephemeral-storage. */
static inline const char *cs_sched_filter_fit(const cs_node *n, const cs_resources *r)
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

/* noderesources/least_allocated.go leastRequestedScore. */
static inline int64_t cs_least_requested(int64_t requested, int64_t capacity)
{
    if (capacity == 0 || requested > capacity)
        return 0;
    return (capacity - requested) * CS_MAX_NODE_SCORE / capacity;
}

/* cs_sched_score_fit for a LeastAllocated profile whose resources are cpu then memory (the
 * default), given the pod's non-zero cpu and memory requests: the same arithmetic, without the
 * walk over the resource names. */
static inline int64_t cs_sched_score_least_cpu_mem(const cs_sched_profile *p, const cs_node *n, int64_t cpu, int64_t mem)
{
    int64_t sum = 0, weights = 0;
    if (n->alloc.cpu_milli != 0) {
        sum += cs_least_requested(n->nonzero_cpu + cpu, n->alloc.cpu_milli) * p->resources[0].weight;
        weights += p->resources[0].weight;
    }
    if (n->alloc.mem_bytes != 0) {
        sum += cs_least_requested(n->nonzero_mem + mem, n->alloc.mem_bytes) * p->resources[1].weight;
        weights += p->resources[1].weight;
    }
    return weights == 0 ? 0 : sum / weights;
}

/* noderesources/balanced_allocation.go balancedResourceScorer, on cpu and memory (the default
 * NodeResourcesBalancedAllocationArgs), with useRequested: the node's real requests plus the
 * pod's, no non-zero defaults. Each fraction is capped at 1; with two resources the standard
 * deviation is |f1 - f2| / 2, and the score int64((1 - std) * 100) truncates toward zero. A pod
 * that requests neither is skipped (PreScore returns Skip: isBestEffortPod). */
static inline int64_t cs_sched_score_balanced(const cs_node *n, const cs_resources *r)
{
    if (r->cpu_milli == 0 && r->mem_bytes == 0)
        return -1;
    double f[2];
    int k = 0;
    const int64_t req[2] = {n->requested.cpu_milli + r->cpu_milli, n->requested.mem_bytes + r->mem_bytes};
    const int64_t alloc[2] = {n->alloc.cpu_milli, n->alloc.mem_bytes};
    for (int i = 0; i < 2; i++) {
        if (alloc[i] == 0)
            continue;
        double x = (double)req[i] / (double)alloc[i];
        f[k++] = x > 1 ? 1 : x;
    }
    double std = k == 2 ? fabs((f[0] - f[1]) / 2) : 0.0;
    return (int64_t)((1 - std) * (double)CS_MAX_NODE_SCORE);
}

#endif
