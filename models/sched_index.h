/* sched_index.h -- what PodTopologySpread and InterPodAffinity count, kept up to date on every
 * bind and delete (private to models/ and the tests).
 *
 * Upstream recomputes, for each pod it schedules, how many existing pods match each of the pod's
 * label selectors in each topology domain (podtopologyspread/filtering.go calPreFilterState,
 * interpodaffinity/filtering.go PreFilter, both scoring.go PreScore): a walk over every pod of
 * the cluster. Here pods come from workload templates, so a selector matches whole workloads:
 * each selector is resolved against the workloads once per world, and its counts per domain
 * (a "counter") change by one when a pod of a matching workload is bound or deleted
 * (cluster.c calls cs_pod_index_update). A scheduling cycle then reads the counts of the nodes it
 * examines, and a DoNotSchedule constraint's global minimum is kept with a histogram of the
 * counts, so nothing in a cycle walks the pods or all the domains.
 *
 * Each workload gets a plan: its counters and constants, for each of the two plugins. Plans and
 * counters are built by cs_pod_index_attach(), in the world's arena, in workload order.
 */
#ifndef CLUSTERSIM_MODELS_SCHED_INDEX_H
#define CLUSTERSIM_MODELS_SCHED_INDEX_H

#include "sched.h"

/* A node label used as a topology key: each node's domain (its value), CS_NONE when the node
 * lacks the label. Domains are numbered by value, values first met first; kubernetes.io/hostname
 * gives each node its own domain. */
typedef struct cs_topo_key {
    const char *key;
    bool hostname;             /* kubernetes.io/hostname, which upstream special-cases */
    uint32_t *dom;             /* by node */
    uint32_t n_domains;
    bool some_lack;            /* some node lacks the label (never for hostname) */
} cs_topo_key;

/* The number of bound pods of a set of workloads in each domain of one key, counting only the
 * pods on eligible nodes. With track_min, also the smallest count over the domains that have an
 * eligible node (criticalPaths[0] of podtopologyspread/filtering.go). */
typedef struct cs_domain_count {
    uint32_t key;
    const uint8_t *eligible;   /* by node; NULL: every node */
    int32_t *count;            /* by domain */
    int64_t total;
    bool track_min;
    bool spread;               /* PodTopologySpread's: Terminating pods are not counted */
    uint32_t n_domains;        /* domains with an eligible node (track_min only) */
    int32_t min;
    cs_vec hist;               /* uint32_t: how many of those domains hold each count */
} cs_domain_count;

/* One topology spread constraint of a pod, resolved. */
typedef struct cs_spread_rule {
    uint32_t counter, key;
    int32_t max_skew, min_domains;
    bool self_match;           /* the pod's own labels match the selector */
} cs_spread_rule;

/* One term of the InterPodAffinity score: weight times the count in the node's domain. */
typedef struct cs_weighted_count {
    uint32_t counter;
    int64_t weight;
} cs_weighted_count;

typedef struct cs_pod_plan {
    /* PodTopologySpread */
    const cs_spread_rule *hard, *soft;     /* DoNotSchedule; ScheduleAnyway or system default */
    uint32_t n_hard, n_soft;
    bool soft_require_all;     /* nodes lacking a soft key are not scored (not for system defaults) */
    /* InterPodAffinity filter: counters by term, in the pod's order */
    const uint32_t *affinity;  /* pods matching all required affinity terms, one counter per term */
    uint32_t n_affinity;
    bool affinity_self;        /* the pod matches all its own required affinity terms */
    const uint32_t *anti;      /* pods matching each required anti-affinity term */
    uint32_t n_anti;
    const uint32_t *existing_anti;   /* pods of workloads whose required anti-affinity term matches this pod */
    uint32_t n_existing_anti;
    /* InterPodAffinity score */
    const cs_weighted_count *ipa;
    uint32_t n_ipa;
} cs_pod_plan;

/* A soft constraint as one scoring cycle reads it. */
typedef struct cs_soft_term {
    const uint32_t *dom;
    const int32_t *count;
    double weight, skew1;      /* log(size + 2), maxSkew - 1 */
} cs_soft_term;

typedef struct cs_pod_index {
    cs_topo_key *keys;
    uint32_t n_keys;
    cs_domain_count *counters;
    uint32_t n_counters;
    uint32_t *feed_start;      /* by workload, n_workloads + 1: its counters in feed[] */
    uint32_t *feed;
    cs_pod_plan *plans;        /* by workload */
    bool pod_events;           /* some plan has a filter that a bound pod can change */
    uint32_t *stamp;           /* scratch of a cycle, by domain (largest key) */
    uint32_t n_stamp;          /* its length: the most domains of any key */
    uint32_t stamp_now;
    uint8_t *ignored;          /* scratch of a cycle, by feasible node */
    cs_soft_term *soft;        /* scratch of a cycle, by soft constraint */
} cs_pod_index;

/* Builds the index for the world's config (every counter at zero). CS_ENOMEM on failure. */
cs_status cs_pod_index_attach(cs_world *w);
/* A pod of the world was bound to node (delta +1) or left it (-1). */
void cs_pod_index_update(cs_world *w, uint32_t pod, uint32_t node, int delta);
/* A bound pod turned Terminating: it leaves PodTopologySpread's counts (countPodsMatchSelector
 * skips a pod with a deletionTimestamp) and stays in InterPodAffinity's until it is deleted. */
void cs_pod_index_terminating(cs_world *w, uint32_t pod, uint32_t node);

/* PodTopologySpread then InterPodAffinity Filter for a pod of `workload`: NULL, or the reason.
 * `has` (may be NULL) is set to whether the workload has any such filter at all. */
const char *cs_sched_filter_pod_terms(const cs_world *w, uint32_t node, uint32_t workload, bool *has);
/* The two plugins' reasons, in upstream's words (podtopologyspread/filtering.go
 * ErrReasonConstraintsNotMatch, ErrReasonNodeLabelNotMatch; interpodaffinity/filtering.go
 * ErrReasonAffinityRulesNotMatch, ErrReasonAntiAffinityRulesNotMatch,
 * ErrReasonExistingAntiAffinityRulesNotMatch). */
extern const char cs_reason_spread_skew[], cs_reason_spread_label[], cs_reason_affinity[], cs_reason_anti[],
    cs_reason_existing_anti[];

/* PodTopologySpread Filter: NULL, or the reason. */
const char *cs_sched_filter_spread(const cs_world *w, uint32_t node, const cs_pod_plan *p);
/* PodTopologySpread PreScore + Score + NormalizeScore over the feasible nodes, into out. */
void cs_sched_score_spread(cs_world *w, const cs_pod_plan *p, const uint32_t *nodes, uint32_t n, int64_t *out);
/* InterPodAffinity Filter: NULL, or the reason. */
const char *cs_sched_filter_pod_affinity(const cs_world *w, uint32_t node, const cs_pod_plan *p);
/* InterPodAffinity Score + NormalizeScore over the feasible nodes, into out. */
void cs_sched_score_pod_affinity(const cs_world *w, const cs_pod_plan *p, const uint32_t *nodes, uint32_t n,
                                 int64_t *out);

static inline const cs_pod_plan *cs_pod_plan_of(const cs_world *w, uint32_t workload)
{
    return &w->pod_index->plans[workload];
}

#endif
