/* scheduler.c -- the scheduling queue and cycle, after kube-scheduler (pkg/scheduler).
 *
 * One pod per cycle, taken from the active queue in PrioritySort order: higher priority first,
 * then earlier queue time (framework/plugins/queuesort/priority_sort.go Less), ties in the
 * order pods were queued. The cycle filters nodes from a rotating start index until
 * numFeasibleNodesToFind nodes pass (schedule_one.go findNodesThatPassFilters, with the
 * profile's percentageOfNodesToScore), scores the feasible ones with the profile's weighted
 * score plugins and binds the pod to the best, breaking ties uniformly at random from the
 * replication's scheduling stream (selectHost). A pod that fits nowhere goes back to the
 * scheduling queue (sched_queue.c: backoff, unschedulablePods, cluster events).
 *
 * The plugins themselves are in sched_plugins.c: the filters NodeResourcesFit, NodeAffinity and
 * TaintToleration (plus the not-ready taint of a node the control plane sees NotReady), and the
 * scores NodeResourcesFit (LeastAllocated, MostAllocated, RequestedToCapacityRatio),
 * NodeResourcesBalancedAllocation, NodeAffinity and TaintToleration. docs/fidelity.md lists
 * what is left out.
 *
 * Cost: linear in the nodes examined per pod, which the adaptive percentage bounds to about
 * 5% of a large cluster (at least 100 nodes).
 */
#include <stdio.h>
#include <string.h>

#include "sched_index.h"

/* What the plugins that read only a node's pool (its labels and taints) and zone answer for
 * one workload, the same on every node of a label class (one (pool, zone) pair): computed the
 * first time a node of the class is examined for the workload. The affinity fields hold only
 * for a workload whose node affinity reads no per-node label (static_affinity). */
typedef struct static_fit {
    bool known;
    bool taint_fail;         /* TaintToleration Filter on the pool's taints */
    bool affinity_fail;      /* NodeAffinity Filter */
    int32_t affinity_score;  /* NodeAffinity Score, raw */
    int32_t taint_score;     /* TaintToleration Score, raw */
} static_fit;

/* The cache stays below this many entries (workloads x classes); past it each look-up computes. */
enum { STATIC_FIT_MAX = 1u << 18 };

struct cs_sched {
    const cs_sched_profile *profile;
    bool least_cpu_mem;     /* the profile scores LeastAllocated on cpu then memory (the default) */
    uint32_t *class_of;     /* per node, its label class */
    uint32_t n_classes;
    static_fit *fit;        /* per (workload, class); NULL when too many */
    bool *static_affinity;  /* per workload: its node affinity reads only pool labels and the zone */
    uint32_t *feasible;     /* scratch of one cycle: the nodes that passed the filters */
    int64_t *score[CS_SCORE_PLUGINS];   /* scratch: each plugin's scores of the feasible nodes */
    char reason[192];       /* the last formatted filter reason */
    uint32_t next_start;    /* nextStartNodeIndex */
    uint32_t rejected;      /* bits of the filter plugins that rejected a node this cycle */
    uint8_t *failed_by;     /* per node, the filter plugin that rejected it this cycle */
    uint32_t pod;           /* the pod of this cycle */
    uint32_t only;          /* the one node its search was narrowed to (narrowed_to), or CS_NONE */
    uint32_t single;        /* the one node a cycle examined alone (narrowed or nominated), or CS_NONE */
    uint32_t *name_node;    /* per workload, the node its nodeName names (n_nodes: none) */
    bool cycle_scheduled;
    cs_handler on_cycle;
};

/* Whether a node affinity key reads a per-node value: the hostname (the node's name), which
 * no label class fixes. Any other label is the pool's or the zone. */
static bool per_node_key(const char *key)
{
    return strcmp(key, CS_LABEL_HOSTNAME) == 0;
}

static bool per_node_term(const cs_node_selector_term *t)
{
    if (t->n_match_fields > 0)   /* metadata.name */
        return true;
    for (uint32_t i = 0; i < t->n_match_expressions; i++)
        if (per_node_key(t->match_expressions[i].key))
            return true;
    return false;
}

/* Whether a workload's nodeSelector, required and preferred terms read only class values. */
static bool affinity_is_static(const cs_workload *wl)
{
    for (uint32_t i = 0; i < wl->n_node_selector; i++)
        if (per_node_key(wl->node_selector[i].key))
            return false;
    for (uint32_t i = 0; i < wl->n_required_terms; i++)
        if (per_node_term(&wl->required_terms[i]))
            return false;
    for (uint32_t i = 0; i < wl->n_preferred_terms; i++)
        if (per_node_term(&wl->preferred_terms[i].term))
            return false;
    return true;
}

/* The static answers for workload wi on node's class: the cached entry in the workload's row of
 * s->fit, or (no cache: row NULL) `tmp` filled afresh. */
static inline const static_fit *static_of(cs_world *w, uint32_t node, uint32_t wi, static_fit *row, static_fit *tmp)
{
    cs_sched *s = w->sched;
    static_fit *f = row != NULL ? &row[s->class_of[node]] : tmp;
    if (row != NULL && f->known)
        return f;
    const cs_workload *wl = &w->cfg->workloads[wi];
    char buf[192];
    f->known = true;
    f->taint_fail = cs_sched_filter_taints(w, node, wl, buf, sizeof buf) != NULL;
    f->taint_score = (int32_t)cs_sched_score_taints(&w->cfg->pools[w->nodes[node].pool], wl);
    if (s->static_affinity[wi]) {
        f->affinity_fail = cs_sched_filter_node_affinity(w, node, wl) != NULL;
        f->affinity_score = (int32_t)cs_sched_score_node_affinity(w, node, wl);
    }
    return f;
}

/* What the filters read of a pod, looked up once per cycle rather than per node. */
typedef struct pod_view {
    uint32_t wi;                    /* its workload */
    const cs_workload *wl;
    const cs_workload_state *ws;
    const cs_resources *r;          /* cs_pod_requests */
    const cs_pod_plan *pp;
    static_fit *fit_row;            /* the workload's row of s->fit, or NULL */
    bool static_affinity;           /* s->static_affinity[wi] */
    bool extended;                  /* the config has extended resources */
    bool spread, pod_affinity;      /* PodTopologySpread, InterPodAffinity have filter terms */
} pod_view;

static pod_view view_of(cs_world *w, uint32_t pod)
{
    uint32_t wi = cs_pod_at(w, pod)->workload;
    const cs_pod_plan *pp = cs_pod_plan_of(w, wi);
    return (pod_view){.wi = wi,
                      .wl = &w->cfg->workloads[wi],
                      .ws = &w->workloads[wi],
                      .r = cs_pod_requests(w, pod),
                      .pp = pp,
                      .fit_row = w->sched->fit != NULL ? &w->sched->fit[(size_t)wi * w->sched->n_classes] : NULL,
                      .static_affinity = w->sched->static_affinity[wi],
                      .extended = w->cfg->n_extended > 0,
                      .spread = pp->n_hard > 0,
                      .pod_affinity = pp->n_affinity + pp->n_anti + pp->n_existing_anti > 0};
}

/* Returns NULL when the pod passes every filter, else the failing filter's reason in
 * upstream's words, and its plugin (cs_filter_plugin) in *plugin. Filters run in the default
 * profile's order (apis/config/v1 default_plugins.go): NodeUnschedulable, NodeName,
 * TaintToleration, NodeAffinity, NodeResourcesFit, PodTopologySpread, InterPodAffinity
 * (sched_spread.c, sched_affinity.c). A deleted Node (a replaced machine) is in no
 * snapshot: NodeUnschedulable's "unknown conditions" stands for that. The lifecycle taints the
 * node lifecycle controller puts on a node that is not Ready (unreachable or not-ready,
 * NoSchedule and NoExecute) come before the pool's own taints. `narrowed` is false for the pods
 * the search loop sees, which have neither a nodeName nor a DaemonSet's pin (those are tried on
 * their one node: see narrowed_to), so the loop does without the two tests. */
static inline const char *filter_by(cs_world *w, uint32_t node, const pod_view *v, int *plugin, bool narrowed)
{
    const cs_node *n = &w->nodes[node];
    const cs_workload *wl = v->wl;
    const cs_workload_state *ws = v->ws;
    const char *why;
    static_fit tmp;
    /* *plugin is written only on the way out with a reason: the loop reads it only then. */
    if (!n->exists) {
        *plugin = CS_FILTER_NODE_UNSCHEDULABLE;
        return "node(s) had unknown conditions";
    }
    if (n->unschedulable && !ws->tolerates[CS_TAINT_UNSCHEDULABLE]) {   /* nodeunschedulable ErrReasonUnschedulable */
        *plugin = CS_FILTER_NODE_UNSCHEDULABLE;
        return "node(s) were unschedulable";
    }
    if (narrowed && wl->node_name != NULL && (why = cs_sched_filter_node_name(w, node, wl)) != NULL) {
        *plugin = CS_FILTER_NODE_NAME;
        return why;
    }
    if (!n->ready && !ws->tolerates[n->unreachable ? CS_TAINT_UNREACHABLE : CS_TAINT_NOT_READY]) {
        *plugin = CS_FILTER_TAINT_TOLERATION;
        return n->unreachable ? "node(s) had untolerated taint {node.kubernetes.io/unreachable: }"
                              : "node(s) had untolerated taint {node.kubernetes.io/not-ready: }";
    }
    const static_fit *sf = static_of(w, node, v->wi, v->fit_row, &tmp);
    if (sf->taint_fail) {   /* the reason names the taint: formatted again */
        *plugin = CS_FILTER_TAINT_TOLERATION;
        return cs_sched_filter_taints(w, node, wl, w->sched->reason, sizeof w->sched->reason);
    }
    if (narrowed && wl->daemonset)
        why = cs_sched_filter_pinned_affinity(w, node, wl, cs_pod_at(w, w->sched->pod)->pinned);
    else if (v->static_affinity)
        why = sf->affinity_fail ? cs_reason_node_affinity : NULL;
    else
        why = cs_sched_filter_node_affinity(w, node, wl);
    if (why != NULL) {
        *plugin = CS_FILTER_NODE_AFFINITY;
        return why;
    }
    *plugin = CS_FILTER_NODE_RESOURCES_FIT;
    if (n->first_nominated != CS_NONE)   /* pods nominated here count (preempt.c) */
        why = cs_preempt_fit(w, node, w->sched->pod, NULL);
    else if ((why = cs_sched_filter_fit(n, v->r)) == NULL && v->extended)
        why = cs_sched_filter_fit_extended(w->cfg, n, v->r, w->sched->reason, sizeof w->sched->reason);
    if (why != NULL)
        return why;
    *plugin = CS_FILTER_POD_TOPOLOGY_SPREAD;
    if (v->spread && (why = cs_sched_filter_spread(w, node, v->pp)) != NULL)
        return why;
    *plugin = CS_FILTER_INTER_POD_AFFINITY;
    if (v->pod_affinity)
        return cs_sched_filter_pod_affinity(w, node, v->pp);
    return NULL;
}

/* Traces one attempt for cs_trace_sink.explain: a "pod.attempt" record, then the examined
 * nodes in the order examined (from `start`), each with its failing filter or with its
 * normalised scores, weights and total (the scores of feasible node i are in s->score[.][i]).
 * The filters of the nodes that failed are run again here rather than kept by the cycle: they
 * change nothing and draw nothing, and the cycle stays as it is when nobody asks. */
static void explain_attempt(cs_world *w, uint32_t pod, const pod_view *v, uint32_t start,
                            uint32_t want, uint32_t examined, uint32_t found)
{
    cs_sched *s = w->sched;
    const int64_t *weight = s->profile->weight;
    const uint32_t *list = cs_node_tree_list(w);
    uint32_t all = cs_node_tree_len(w);
    cs_field head[5] = {CS_INT("pod", pod), CS_STR("workload", v->wl->name), CS_INT("numFeasibleNodesToFind", want),
                        CS_INT("examined", examined), CS_INT("feasible", found)};
    cs_world_trace(w, "pod.attempt", head, 5);
    char name[96];
    for (uint32_t e = 0, i = 0; e < examined; e++) {
        uint32_t node = s->single != CS_NONE ? s->single : list[(start + e) % all];
        cs_config_node_name(w->cfg, node, name, sizeof name);
        if (i < found && s->feasible[i] == node) {   /* feasible nodes keep the examined order */
            int64_t total = 0;
            for (int p = 0; p < CS_SCORE_PLUGINS; p++) {
                if (weight[p] == 0)
                    continue;
                cs_field f[5] = {CS_INT("pod", pod), CS_STR("node", name), CS_STR("plugin", cs_score_plugin_names[p]),
                                 CS_INT("score", s->score[p][i]), CS_INT("weight", weight[p])};
                cs_world_trace(w, "pod.score", f, 5);
                total += weight[p] * s->score[p][i];
            }
            cs_field f[3] = {CS_INT("pod", pod), CS_STR("node", name), CS_INT("total", total)};
            cs_world_trace(w, "pod.total", f, 3);
            i++;
        } else {
            int plugin = 0;
            const char *why = filter_by(w, node, v, &plugin, true);
            cs_field f[4] = {CS_INT("pod", pod), CS_STR("node", name), CS_STR("plugin", cs_filter_plugin_name[plugin]),
                             CS_STR("reason", why)};
            cs_world_trace(w, "pod.filter", f, 4);
        }
    }
}

const char *cs_sched_recheck(cs_world *w, uint32_t pod, uint32_t node)
{
    cs_sched *s = w->sched;
    uint32_t current = s->pod;
    s->pod = pod;   /* filter_by reads the pod's pin and skips its own nomination */
    int plugin;
    pod_view v = view_of(w, pod);
    const char *why = filter_by(w, node, &v, &plugin, true);
    s->pod = current;
    return why;
}

/* The one node a pod can go to when a PreFilter narrows the search to it: a DaemonSet pod's
 * node (NodeAffinity's PreFilterResult for its matchFields metadata.name term), or the node a
 * pod's nodeName names; w->cfg->n_nodes when that name is no node's; CS_NONE for other pods. */
static uint32_t narrowed_to(const cs_world *w, uint32_t pod, const cs_workload *wl)
{
    if (wl->daemonset)
        return ((const cs_pod *)w->pods.data)[pod].pinned;
    if (wl->node_name == NULL)
        return CS_NONE;
    return w->sched->name_node[wl - w->cfg->workloads];
}

uint32_t cs_sched_schedule_one(cs_world *w, uint32_t pod)
{
    cs_sched *s = w->sched;
    const cs_sched_profile *prof = s->profile;
    const pod_view v = view_of(w, pod);
    const cs_resources *r = v.r;
    uint32_t wi = v.wi;
    const cs_workload *wl = v.wl;
    /* The nodes whose Node object exists, zone by zone (node_tree.c): numFeasibleNodesToFind
     * and the rotating start index count in that list. */
    const uint32_t *list = cs_node_tree_list(w);
    uint32_t all = cs_node_tree_len(w), want = cs_sched_num_feasible(all, prof->percentage_of_nodes_to_score);
    uint32_t found = 0, examined = 0, start = all > 0 ? s->next_start % all : 0;
    const char *reason = NULL;
    uint32_t rejected = 0;
    s->pod = pod;
    s->single = CS_NONE;
    /* A pod nominated by preemption tries its node alone first (schedule_one.go
     * evaluateNominatedNode); only if it does not fit there are all nodes searched. */
    uint32_t nominated = cs_pod_at(w, pod)->nominated, only = narrowed_to(w, pod, wl);
    s->only = only;
    int plugin;
    if (only != CS_NONE) {
        /* The rotating start index is left as it is for a search of one node. */
        reason = "node(s) didn't match the requested node name";   /* no node has the name */
        s->single = only;
        examined = only < w->cfg->n_nodes;
        if (examined == 1 && (reason = filter_by(w, only, &v, &plugin, true)) == NULL) {
            s->feasible[found++] = only;
        } else if (examined == 1) {
            rejected |= 1u << plugin;
            s->failed_by[only] = (uint8_t)(plugin | (cs_filter_resolvable(plugin, reason) ? CS_FAILED_RESOLVABLE : 0));
        }
    } else if (nominated != CS_NONE && filter_by(w, nominated, &v, &plugin, false) == NULL) {
        s->feasible[found++] = nominated;
        s->single = nominated;
        examined = 1;
    } else {
        for (; examined < all && found < want; examined++) {
            uint32_t node = list[(start + examined) % all];
            const char *why = filter_by(w, node, &v, &plugin, false);
            if (why != NULL) {
                reason = why;
                rejected |= 1u << plugin;
                s->failed_by[node] = (uint8_t)(plugin | (cs_filter_resolvable(plugin, why) ? CS_FAILED_RESOLVABLE : 0));
            } else {
                s->feasible[found++] = node;
            }
        }
        if (all > 0)
            s->next_start = (start + examined) % all;
    }
    s->rejected = rejected;
    cs_metrics_sched_attempt(w, found > 0);
    if (found == 0) {
        if (w->trace.explain && w->trace.fn != NULL)
            explain_attempt(w, pod, &v, start, want, examined, found);
        if (w->trace.fn != NULL) {
            cs_field f[3] = {CS_INT("pod", pod), CS_STR("workload", wl->name),
                             CS_STR("reason", reason != NULL ? reason : "no nodes available")};
            cs_world_trace(w, "pod.unschedulable", f, 3);
        }
        return CS_NONE;
    }
    /* Score (skipped upstream when one node is feasible; the result is the same). Each enabled
     * plugin scores every feasible node, NormalizeScore runs over them, and the node's total is
     * the weighted sum (framework/runtime/framework.go RunScorePlugins). */
    const int64_t *weight = prof->weight;
    int64_t **sc = s->score;
    /* The pod's non-zero requests, as NodeResourcesFit scores them (cs_sched_score_fit). */
    int64_t cpu = r->cpu_milli != 0 ? r->cpu_milli : CS_DEFAULT_MILLI_CPU;
    int64_t mem = r->mem_bytes != 0 ? r->mem_bytes : CS_DEFAULT_MEMORY;
    bool static_affinity = v.static_affinity;
    for (uint32_t i = 0; i < found; i++) {
        uint32_t node = s->feasible[i];
        const cs_node *n = &w->nodes[node];
        static_fit tmp;
        const static_fit *sf = static_of(w, node, wi, v.fit_row, &tmp);
        if (weight[CS_SCORE_NODE_RESOURCES_FIT] != 0)
            sc[CS_SCORE_NODE_RESOURCES_FIT][i] = s->least_cpu_mem ? cs_sched_score_least_cpu_mem(prof, n, cpu, mem)
                                                                  : cs_sched_score_fit(prof, n, r);
        if (weight[CS_SCORE_BALANCED_ALLOCATION] != 0) {
            int64_t b = cs_sched_score_balanced(n, r);
            sc[CS_SCORE_BALANCED_ALLOCATION][i] = b < 0 ? 0 : b;   /* skipped: adds nothing */
        }
        if (weight[CS_SCORE_NODE_AFFINITY] != 0)
            sc[CS_SCORE_NODE_AFFINITY][i] = static_affinity ? sf->affinity_score
                                                            : cs_sched_score_node_affinity(w, node, wl);
        if (weight[CS_SCORE_TAINT_TOLERATION] != 0)
            sc[CS_SCORE_TAINT_TOLERATION][i] = sf->taint_score;
    }
    const cs_pod_plan *pp = v.pp;
    if (weight[CS_SCORE_POD_TOPOLOGY_SPREAD] != 0)
        cs_sched_score_spread(w, pp, s->feasible, found, sc[CS_SCORE_POD_TOPOLOGY_SPREAD]);
    if (weight[CS_SCORE_INTER_POD_AFFINITY] != 0)
        cs_sched_score_pod_affinity(w, pp, s->feasible, found, sc[CS_SCORE_INTER_POD_AFFINITY]);
    /* Without preferred terms every raw score is 0, which normalising leaves 0. */
    if (weight[CS_SCORE_NODE_AFFINITY] != 0 && wl->n_preferred_terms > 0)
        cs_sched_normalize(sc[CS_SCORE_NODE_AFFINITY], found, false);
    if (weight[CS_SCORE_TAINT_TOLERATION] != 0)
        cs_sched_normalize(sc[CS_SCORE_TAINT_TOLERATION], found, true);
    if (w->trace.explain && w->trace.fn != NULL)
        explain_attempt(w, pod, &v, start, want, examined, found);
    uint32_t best = CS_NONE, ties = 0;
    int64_t best_score = -1;
    for (uint32_t i = 0; i < found; i++) {
        /* A disabled plugin's scores stay 0 (calloc, never written), so every plugin can be
         * summed: a loop of known length, without a test per plugin. */
        int64_t total = 0;
        for (int p = 0; p < CS_SCORE_PLUGINS; p++)
            total += weight[p] * sc[p][i];
        if (total > best_score) {
            best_score = total;
            best = s->feasible[i];
            ties = 1;
        } else if (total == best_score && gsl_rng_uniform_int(w->rng[CS_STREAM_SCHED], ++ties) == 0) {
            best = s->feasible[i];   /* reservoir sampling among the top scores, as selectHost does */
        }
    }
    cs_pod_bind(w, pod, best);
    return best;
}

void cs_sched_kick(cs_world *w)
{
    cs_sched *s = w->sched;
    if (!s->cycle_scheduled) {
        s->cycle_scheduled = true;
        cs_kernel_after(w->kernel, 0, s->on_cycle, (cs_payload){0});
    }
}

/* One pod per cycle (ScheduleOne): a pod that fits nowhere goes back to the queue as
 * unschedulable, with the plugins that rejected it. */
static void sched_cycle(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    (void)p;
    cs_world *w = model;
    cs_sched *s = w->sched;
    s->cycle_scheduled = false;
    uint32_t pod = cs_squeue_pop(w);
    if (pod == CS_NONE)
        return;
    if (cs_sched_schedule_one(w, pod) == CS_NONE) {
        uint32_t rejected = s->rejected;
        cs_preempt_run(w, pod, s->failed_by, s->only);   /* PostFilter */
        cs_squeue_unschedulable(w, pod, rejected);
    }
    if (cs_squeue_has_active(w))
        cs_sched_kick(w);
}

cs_status cs_sched_attach(cs_world *w)
{
    cs_sched *s = cs_arena_new_of(w->arena, cs_sched);
    if (s == NULL)
        return CS_ENOMEM;
    w->sched = s;
    s->profile = w->cfg->sched != NULL ? w->cfg->sched : cs_sched_profile_default();
    uint32_t n = w->cfg->n_nodes > 0 ? w->cfg->n_nodes : 1;
    s->feasible = cs_arena_calloc(w->arena, n, sizeof *s->feasible);
    s->failed_by = cs_arena_calloc(w->arena, n, sizeof *s->failed_by);
    s->name_node = cs_arena_calloc(w->arena, w->cfg->n_workloads + 1, sizeof *s->name_node);
    if (s->feasible == NULL || s->failed_by == NULL || s->name_node == NULL)
        return CS_ENOMEM;
    /* Resolved once: which node each nodeName names (linear in nodes per such workload). */
    char buf[96];
    for (uint32_t wl = 0; wl < w->cfg->n_workloads; wl++) {
        const char *name = w->cfg->workloads[wl].node_name;
        s->name_node[wl] = w->cfg->n_nodes;
        for (uint32_t node = 0; name != NULL && node < w->cfg->n_nodes; node++)
            if (strcmp(cs_config_node_name(w->cfg, node, buf, sizeof buf), name) == 0) {
                s->name_node[wl] = node;
                break;
            }
    }
    /* Label classes: one per (pool, zone) pair that some node has, numbered in node order. */
    const cs_config *cfg = w->cfg;
    size_t pairs = (size_t)cfg->n_pools * (cfg->n_zones + 1);
    uint32_t *class_at = cs_arena_calloc(w->arena, pairs > 0 ? pairs : 1, sizeof *class_at);
    s->class_of = cs_arena_calloc(w->arena, n, sizeof *s->class_of);
    s->static_affinity = cs_arena_calloc(w->arena, cfg->n_workloads + 1, sizeof *s->static_affinity);
    if (class_at == NULL || s->class_of == NULL || s->static_affinity == NULL)
        return CS_ENOMEM;
    for (uint32_t node = 0; node < cfg->n_nodes; node++) {
        uint32_t zone = w->nodes[node].zone;
        size_t pair = (size_t)w->nodes[node].pool * (cfg->n_zones + 1) + (zone == CS_NONE ? cfg->n_zones : zone);
        if (class_at[pair] == 0)
            class_at[pair] = ++s->n_classes;   /* 0: not seen yet */
        s->class_of[node] = class_at[pair] - 1;
    }
    for (uint32_t wl = 0; wl < cfg->n_workloads; wl++)
        s->static_affinity[wl] = affinity_is_static(&cfg->workloads[wl]);
    if ((size_t)cfg->n_workloads * s->n_classes <= STATIC_FIT_MAX && cfg->n_workloads * s->n_classes > 0) {
        s->fit = cs_arena_calloc(w->arena, (size_t)cfg->n_workloads * s->n_classes, sizeof *s->fit);
        if (s->fit == NULL)
            return CS_ENOMEM;
    }
    const cs_sched_profile *prof = s->profile;
    s->least_cpu_mem = prof->strategy == CS_STRATEGY_LEAST_ALLOCATED && prof->n_resources == 2 &&
                       prof->resources[0].name == CS_RESOURCE_CPU && prof->resources[1].name == CS_RESOURCE_MEMORY;
    for (int p = 0; p < CS_SCORE_PLUGINS; p++) {
        s->score[p] = cs_arena_calloc(w->arena, n, sizeof *s->score[p]);
        if (s->score[p] == NULL)
            return CS_ENOMEM;
    }
    s->on_cycle = cs_kernel_on(w->kernel, "scheduler.cycle", sched_cycle, w);
    if (s->on_cycle == CS_HANDLER_NONE)
        return CS_ENOMEM;
    return cs_squeue_attach(w, s->profile);
}
