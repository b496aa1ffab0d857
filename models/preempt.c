/* preempt.c -- DefaultPreemption, the PostFilter plugin: lower-priority victims for a pod that
 * fits nowhere (pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go and
 * pkg/scheduler/framework/preemption/preemption.go), and the nominations it leaves.
 *
 * For a pod that may preempt (preemptionPolicy is not Never), the nodes where preemption might
 * help are those whose rejection was Unschedulable, not UnschedulableAndUnresolvable
 * (cs_filter_resolvable): NodeResourcesFit's, PodTopologySpread's skew and InterPodAffinity's
 * anti-affinity; NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, a missing
 * topology label and unmet pod affinity are for good. The dry run checks
 * NodeResourcesFit and, with the removed pods out of their counts, the pod's PodTopologySpread
 * and InterPodAffinity filters. From a random offset among them (GetOffsetAndNumCandidates), each node is
 * dry-run (SelectVictimsOnNode): every bound pod of lower priority is removed; if the pod then
 * fits, they are added back from the most important down (MoreImportantPod: higher priority,
 * then earlier start), each one kept if the pod still fits and a victim otherwise (the reprieve
 * loop). The dry run stops with numCandidates candidates (10% of the nodes, at least 100), one
 * of them at least violating no budget. pickOneNodeForPreemption then takes the node with, in
 * order: the fewest PDB-violating victims, the lowest highest-victim
 * priority, the smallest sum of victim priorities (each offset by MaxInt32 + 1), the fewest
 * victims, the latest start among its highest-priority victims, else the first candidate.
 * Start times are compared in whole seconds, as metav1.Time carries them. PodDisruptionBudgets
 * count as filterPodsWithPDBViolation counts them: the victims that would take a budget below
 * its disruptionsAllowed are reprieved first, and the node with the fewest such victims wins
 * before any other criterion.
 *
 * The victims are deleted gracefully ("Preempted": Terminating, still holding their node, for
 * their grace period; their controllers replace them at once), lower-priority pods
 * nominated to the node lose their nomination, and the pod is nominated to the node
 * (status.nominatedNodeName): until it binds, the pods nominated to a node count on it for every
 * pod of lower or equal priority that NodeResourcesFit checks there
 * (RunFilterPluginsWithNominatedPods), so the space it freed stays its own. While a victim is
 * still terminating there, the pod preempts nothing more (PodEligibleToPreemptOthers); the
 * victim's deletion, an event for NodeResourcesFit, brings it back to be bound.
 *
 * Cost: only pods that fit nowhere come here; each dry run is linear in the pods of the node
 * (plus a sort), and at most all nodes are tried.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched_index.h"

#define MIN_CANDIDATE_NODES_PERCENTAGE 10   /* DefaultPreemptionArgs defaults */
#define MIN_CANDIDATE_NODES_ABSOLUTE 100

typedef struct candidate {
    uint32_t node;
    uint32_t violations;    /* victims whose PodDisruptionBudget this eviction would violate */
    uint32_t first, n;      /* its victims: victims[first .. first + n), most important first */
    int32_t highest;        /* the highest victim priority */
    int64_t sum;            /* sum of (priority + MaxInt32 + 1) */
    int64_t earliest_s;     /* earliest start (s) among the victims of the highest priority */
} candidate;

typedef struct potential {   /* a lower-priority pod of the node being dry-run */
    int32_t priority;
    int64_t start_s;
    uint32_t pod;
    bool violates;          /* filterPodsWithPDBViolation put it among the violating */
} potential;

struct cs_preempt {
    cs_vec potential;       /* potential: one node's lower-priority pods */
    cs_vec chosen;          /* potential: one node's victims, before they join `victims` */
    cs_vec victims;         /* uint32_t pods, by candidate */
    cs_vec candidates;      /* candidate */
    int32_t *allowed;       /* per PDB: status.disruptionsAllowed when the preemption began */
    int32_t *left;          /* per PDB: what one node's dry run has left of it */
    char reason[128];
};

static int32_t priority_of(const cs_world *w, uint32_t pod)
{
    return w->cfg->workloads[((const cs_pod *)w->pods.data)[pod].workload].priority;
}

/* GetPodStartTime, in whole seconds (metav1.Time's precision): when it was bound. */
static int64_t start_s(const cs_world *w, uint32_t pod)
{
    return ((const cs_pod *)w->pods.data)[pod].bound_at / CS_SECOND;
}

static void add(cs_resources *a, const cs_resources *b, int64_t sign)
{
    a->cpu_milli += sign * b->cpu_milli;
    a->mem_bytes += sign * b->mem_bytes;
    a->ephemeral_bytes += sign * b->ephemeral_bytes;
    a->pods += sign * b->pods;
    for (int i = 0; i < CS_MAX_EXTENDED; i++)
        a->ext[i] += sign * b->ext[i];
}

const char *cs_preempt_fit(cs_world *w, uint32_t node, uint32_t pod, const cs_resources *freed)
{
    cs_node n = w->nodes[node];
    if (freed != NULL)
        add(&n.requested, freed, -1);
    int32_t prio = priority_of(w, pod);
    for (uint32_t q = n.first_nominated; q != CS_NONE; q = cs_pod_at(w, q)->next_nominated)
        if (q != pod && priority_of(w, q) >= prio)
            add(&n.requested, cs_pod_requests(w, q), +1);
    const cs_resources *r = cs_pod_requests(w, pod);
    const char *why = cs_sched_filter_fit(&n, r);
    if (why != NULL || w->cfg->n_extended == 0)
        return why;
    return cs_sched_filter_fit_extended(w->cfg, &n, r, w->preempt->reason, sizeof w->preempt->reason);
}

/* util.MoreImportantPod for qsort: higher priority first, then the earlier start; then pod id. */
static int more_important(const void *a, const void *b)
{
    const potential *x = a, *y = b;
    if (x->priority != y->priority)
        return x->priority > y->priority ? -1 : 1;
    if (x->start_s != y->start_s)
        return x->start_s < y->start_s ? -1 : 1;
    return (x->pod > y->pod) - (x->pod < y->pod);
}

/* filterPodsWithPDBViolation over a node's potential victims, most important first: each pod
 * takes one from every budget that selects it with a non-empty selector (a pod without labels
 * matches none), and violates when one of them goes below zero. Disruptions the API server is
 * still processing (status.disruptedPods) are not modelled. */
static void mark_pdb_violations(cs_world *w, potential *pot, uint32_t n)
{
    cs_preempt *pr = w->preempt;
    const cs_config *cfg = w->cfg;
    for (uint32_t i = 0; i < cfg->n_pdbs; i++)
        pr->left[i] = pr->allowed[i];
    for (uint32_t k = 0; k < n; k++) {
        uint32_t wl = cs_pod_at(w, pot[k].pod)->workload, n_pdb = 0;
        const uint32_t *pdbs = cs_workload_pdbs(w, wl, &n_pdb);
        for (uint32_t j = 0; j < n_pdb; j++) {
            const cs_pdb *b = &cfg->pdbs[pdbs[j]];
            bool empty = b->workload == CS_NONE && b->n_match_labels + b->n_match_expressions == 0;
            if (empty || (b->workload == CS_NONE && cfg->workloads[wl].n_labels == 0))
                continue;
            if (--pr->left[pdbs[j]] < 0)
                pot[k].violates = true;
        }
    }
}

/* The pod's PodTopologySpread and InterPodAffinity filters on node, with the pods removed from
 * the counts (sched_index.c) as the dry run removes them (PreFilter RemovePod): true when they
 * pass, or when the pod has none. */
static bool terms_ok(cs_world *w, uint32_t pod, uint32_t node)
{
    bool has = false;
    return cs_sched_filter_pod_terms(w, node, cs_pod_at(w, pod)->workload, &has) == NULL || !has;
}

/* Takes the potential victims out of the counts (delta -1) or back in (+1). */
static void recount(cs_world *w, uint32_t node, int delta)
{
    const cs_preempt *pr = w->preempt;
    for (uint32_t k = 0; k < pr->potential.len; k++)
        cs_pod_index_update(w, ((const potential *)pr->potential.data)[k].pod, node, delta);
}

static void choose_victims(cs_world *w, uint32_t pod, uint32_t node, cs_resources freed);

/* SelectVictimsOnNode: appends a candidate for `node` when evicting lower-priority pods lets
 * the pod fit there, NodeResourcesFit and the pod's PodTopologySpread and InterPodAffinity
 * filters alike (the dry run takes the pods out of the counts and puts each reprieved one back
 * while the filters run; every pod is back in them on return). */
static void select_victims(cs_world *w, uint32_t pod, uint32_t node)
{
    cs_preempt *pr = w->preempt;
    int32_t prio = priority_of(w, pod);
    cs_resources freed = {0};
    pr->potential.len = 0;
    for (uint32_t q = w->nodes[node].first_pod; q != CS_NONE; q = cs_pod_at(w, q)->next_on_node) {
        if (priority_of(w, q) >= prio)
            continue;
        uint32_t i = cs_vec_push(w, &pr->potential, sizeof(potential));
        if (i == CS_NONE)
            return;
        ((potential *)pr->potential.data)[i] = (potential){priority_of(w, q), start_s(w, q), q, false};
        add(&freed, cs_pod_requests(w, q), +1);
    }
    if (pr->potential.len == 0 || cs_preempt_fit(w, node, pod, &freed) != NULL)
        return;   /* no victims, or not enough even with all of them gone */
    recount(w, node, -1);
    if (!terms_ok(w, pod, node)) {
        recount(w, node, +1);
        return;
    }
    choose_victims(w, pod, node, freed);
}

/* The reprieve loop of select_victims(), entered with the potential victims out of the counts;
 * every one of them is back in the counts when it returns. */
static void choose_victims(cs_world *w, uint32_t pod, uint32_t node, cs_resources freed)
{
    cs_preempt *pr = w->preempt;
    qsort(pr->potential.data, pr->potential.len, sizeof(potential), more_important);
    mark_pdb_violations(w, pr->potential.data, pr->potential.len);
    /* The reprieve loop: the PDB-violating pods first, then the others, each from the most
     * important; a pod that cannot come back is a victim. */
    candidate c = {.node = node, .first = pr->victims.len};
    pr->chosen.len = 0;
    bool mixed[2] = {false, false};
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t k = 0; k < pr->potential.len; k++) {
            potential v = ((const potential *)pr->potential.data)[k];
            if (v.violates != (pass == 0))
                continue;
            add(&freed, cs_pod_requests(w, v.pod), -1);   /* reprieve: put it back */
            cs_pod_index_update(w, v.pod, node, +1);
            if (cs_preempt_fit(w, node, pod, &freed) == NULL && terms_ok(w, pod, node))
                continue;
            add(&freed, cs_pod_requests(w, v.pod), +1);   /* it must go */
            cs_pod_index_update(w, v.pod, node, -1);
            uint32_t i = cs_vec_push(w, &pr->chosen, sizeof(potential));
            if (i == CS_NONE)
                return;
            ((potential *)pr->chosen.data)[i] = v;
            c.violations += v.violates;
            mixed[pass] = true;
        }
    }
    for (uint32_t k = 0; k < pr->chosen.len; k++)   /* victims stay bound until deleted */
        cs_pod_index_update(w, ((const potential *)pr->chosen.data)[k].pod, node, +1);
    if (pr->chosen.len == 0)
        return;
    if (mixed[0] && mixed[1])   /* victims sorted again by importance */
        qsort(pr->chosen.data, pr->chosen.len, sizeof(potential), more_important);
    for (uint32_t k = 0; k < pr->chosen.len; k++) {
        potential v = ((const potential *)pr->chosen.data)[k];
        uint32_t i = cs_vec_push(w, &pr->victims, sizeof(uint32_t));
        if (i == CS_NONE)
            return;
        ((uint32_t *)pr->victims.data)[i] = v.pod;
        if (c.n++ == 0) {
            c.highest = v.priority;
            c.earliest_s = v.start_s;
        } else if (v.priority == c.highest && v.start_s < c.earliest_s) {
            c.earliest_s = v.start_s;   /* GetEarliestPodStartTime */
        }
        c.sum += (int64_t)v.priority + (int64_t)INT32_MAX + 1;
    }
    uint32_t i = cs_vec_push(w, &pr->candidates, sizeof(candidate));
    if (i != CS_NONE)
        ((candidate *)pr->candidates.data)[i] = c;
}

/* True when preemption might let the pod onto node: its rejection was resolvable. */
static bool helps(const uint8_t *failed_by, uint32_t only, uint32_t node)
{
    return (only == CS_NONE || only == node) && (failed_by[node] & CS_FAILED_RESOLVABLE) != 0;
}

/* pickOneNodeForPreemption: true when a is preferred to b (a comes first on full ties). */
static bool better(const candidate *a, const candidate *b)
{
    if (a->violations != b->violations)
        return a->violations < b->violations;
    if (a->highest != b->highest)
        return a->highest < b->highest;
    if (a->sum != b->sum)
        return a->sum < b->sum;
    if (a->n != b->n)
        return a->n < b->n;
    return a->earliest_s > b->earliest_s;
}

static void nominate(cs_world *w, uint32_t pod, uint32_t node)
{
    if (cs_pod_at(w, pod)->nominated != CS_NONE)
        cs_preempt_forget(w, pod);   /* a new nomination replaces the old one */
    cs_pod *p = cs_pod_at(w, pod);
    p->nominated = node;
    p->next_nominated = w->nodes[node].first_nominated;
    w->nodes[node].first_nominated = pod;
    if (w->trace.fn != NULL) {
        char name[96];
        cs_field f[3] = {CS_INT("pod", pod), CS_STR("workload", w->cfg->workloads[p->workload].name),
                         CS_STR("node", cs_config_node_name(w->cfg, node, name, sizeof name))};
        cs_world_trace(w, "pod.nominated", f, 3);
    }
}

void cs_preempt_forget(cs_world *w, uint32_t pod)
{
    cs_pod *p = cs_pod_at(w, pod);
    uint32_t *link = &w->nodes[p->nominated].first_nominated;
    while (*link != pod)
        link = &cs_pod_at(w, *link)->next_nominated;
    *link = p->next_nominated;
    p->nominated = p->next_nominated = CS_NONE;
}

bool cs_preempt_run(cs_world *w, uint32_t pod, const uint8_t *failed_by, uint32_t only)
{
    const cs_workload *wl = &w->cfg->workloads[cs_pod_at(w, pod)->workload];
    if (wl->preempt_never)
        return false;   /* PodEligibleToPreemptOthers: preemptionPolicy Never */
    /* ... nor while a victim of its last preemption is still terminating on its nominated node
     * (podTerminatingByPreemption), unless that node now rejects it for good. */
    uint32_t nom = cs_pod_at(w, pod)->nominated;
    if (nom != CS_NONE && (failed_by[nom] & CS_FAILED_RESOLVABLE) != 0)
        for (uint32_t q = w->nodes[nom].first_pod; q != CS_NONE; q = cs_pod_at(w, q)->next_on_node) {
            const cs_pod *v = cs_pod_at(w, q);
            if (v->phase == CS_POD_TERMINATING && priority_of(w, q) < wl->priority && v->term_reason != NULL &&
                strcmp(v->term_reason, "Preempted") == 0)
                return false;
        }
    cs_preempt *pr = w->preempt;
    /* The snapshot's node list (node_tree.c), as the failed search walked it. */
    const uint32_t *list = cs_node_tree_list(w);
    uint32_t all = cs_node_tree_len(w), n_potential = 0;
    /* nodesWherePreemptionMightHelp; a search narrowed to one node leaves the others
     * UnschedulableAndUnresolvable. */
    for (uint32_t k = 0; k < all; k++)
        n_potential += helps(failed_by, only, list[k]);
    if (n_potential == 0)
        return false;
    uint32_t offset = (uint32_t)gsl_rng_uniform_int(w->rng[CS_STREAM_SCHED], n_potential);
    uint32_t want = n_potential * MIN_CANDIDATE_NODES_PERCENTAGE / 100;
    if (want < MIN_CANDIDATE_NODES_ABSOLUTE)
        want = MIN_CANDIDATE_NODES_ABSOLUTE;
    if (want > n_potential)
        want = n_potential;
    pr->victims.len = pr->candidates.len = 0;
    for (uint32_t i = 0; i < w->cfg->n_pdbs; i++) {   /* the budgets' status as the lister has it */
        cs_pdb_status st;
        cs_pdb_status_of(w, i, &st);
        pr->allowed[i] = st.allowed;
    }
    /* The potential nodes in the list's order, from the offset-th one round (DryRunPreemption). */
    uint32_t start = 0;
    for (uint32_t seen = 0; start < all; start++)
        if (helps(failed_by, only, list[start]) && seen++ == offset)
            break;
    /* Until numCandidates, at least one of them violating no budget. */
    uint32_t non_violating = 0;
    for (uint32_t k = 0; k < all && !(non_violating > 0 && pr->candidates.len >= want) && !w->oom; k++) {
        uint32_t node = list[(start + k) % all];
        if (!helps(failed_by, only, node))
            continue;
        uint32_t before = pr->candidates.len;
        select_victims(w, pod, node);
        if (pr->candidates.len > before)
            non_violating += ((const candidate *)pr->candidates.data)[before].violations == 0;
    }
    if (pr->candidates.len == 0 || w->oom)
        return false;
    const candidate *cs = pr->candidates.data, *best = &cs[0];
    for (uint32_t i = 1; i < pr->candidates.len; i++)
        if (better(&cs[i], best))
            best = &cs[i];
    candidate c = *best;
    /* prepareCandidate: the victims go (their controllers replace them, queued for later
     * cycles), then the lower-priority nominations on the node. */
    for (uint32_t i = 0; i < c.n; i++) {
        uint32_t victim = ((const uint32_t *)pr->victims.data)[c.first + i];
        uint32_t owner = cs_pod_at(w, victim)->workload;
        cs_pod_terminate(w, victim, "Preempted");   /* a graceful delete: it holds its node until gone */
        cs_workload_reconcile(w, owner);
    }
    int32_t prio = wl->priority;
    for (uint32_t q = w->nodes[c.node].first_nominated, next; q != CS_NONE; q = next) {
        next = cs_pod_at(w, q)->next_nominated;
        if (priority_of(w, q) < prio) {
            cs_preempt_forget(w, q);
            cs_squeue_activate(w, q);
        }
    }
    nominate(w, pod, c.node);
    return true;
}

cs_status cs_preempt_attach(cs_world *w)
{
    cs_preempt *pr = cs_arena_new_of(w->arena, cs_preempt);
    if (pr == NULL)
        return CS_ENOMEM;
    w->preempt = pr;
    pr->allowed = cs_arena_calloc(w->arena, w->cfg->n_pdbs + 1, sizeof *pr->allowed);
    pr->left = cs_arena_calloc(w->arena, w->cfg->n_pdbs + 1, sizeof *pr->left);
    if (pr->allowed == NULL || pr->left == NULL)
        return CS_ENOMEM;
    return CS_OK;
}
