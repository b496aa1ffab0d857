/* metrics.c -- time-weighted metrics and the property checkers: observers of the cluster.
 *
 * cluster.c calls in after every change. An observer keeps its own copy of what it watches,
 * so on each call it first credits the old value with the time it was held, then reads the
 * new one from the world. It reads the world and writes only its own accumulators: it never
 * changes the simulation it watches.
 *
 * A violation of availability that lasts no virtual time (a pod replaced within one
 * instant, the pods of t = 0 being placed) is not a violation: only periods of positive
 * length count. An overcommitted node counts even for an instant, since the scheduler must
 * never produce one.
 *
 * Services (coverage, service.<name>.uncovered_s) are followed without scanning pods: at
 * creation each workload gets the list of services whose selector its labels satisfy, and a
 * pod change of a workload adds the change in its ready count to those services only.
 */
#include <math.h>
#include <string.h>

#include "model.h"

struct tracked {           /* a value and the time it has held since */
    double value;
    cs_time since;
    double area;           /* integral of the value over time, in value x nanoseconds */
    double min, max;       /* over values held for a positive time */
};

struct workload_obs {
    struct tracked ready;
    cs_time full_ns, no_ready_ns;
    bool full, none;       /* state held since ready.since */
    uint32_t ready_seen;   /* ready pods at the last call, for the services' counts */
    uint32_t first_svc, n_svc;   /* services selecting it: svc_of[first_svc ..] */
};

struct service_obs {       /* services with an empty selector are never updated */
    uint32_t ready;        /* ready pods of the workloads it selects: its ready endpoints */
    bool uncovered;        /* held since `since` */
    cs_time since, uncovered_ns;
};

struct prop_obs {
    bool *bad;             /* availability: per workload covered; noOvercommit: per node */
    uint32_t n_bad;
    cs_time start;         /* start of the open violation period */
    cs_prop_result r;
};

/* Where a workload's Ready pods are, for availability's minNodes and minZones: kept only for
 * the workloads such a property watches. */
struct spread {
    uint32_t *on_node, *in_zone;   /* Ready pods per node / zone */
    uint32_t nodes, zones;         /* nodes / zones with at least one */
};

struct cs_metrics {
    struct tracked nodes_up, pending, cpu_fraction;
    uint64_t failures, created, attempts, unschedulable;
    uint64_t counters[CS_COUNTERS];
    uint64_t deleted[CS_DELETE_REASONS + 1], lost;   /* by cs_delete_reasons, then other */
    cs_time drain_longest, upgrade_time;
    uint64_t upgrades;
    struct spread **spread;        /* per workload; NULL when nothing watches it */
    int64_t cpu_allocatable;
    struct workload_obs *workloads;
    struct service_obs *services;
    uint32_t *svc_of;      /* service ids, grouped by workload (workload_obs.first_svc) */
    struct prop_obs *props;
};

static void track_init(struct tracked *t, double value)
{
    *t = (struct tracked){.value = value, .since = 0, .min = INFINITY, .max = -INFINITY};
}

static void track_set(struct tracked *t, cs_time now, double value)
{
    if (now > t->since) {
        t->area += t->value * (double)(now - t->since);
        if (t->value < t->min)
            t->min = t->value;
        if (t->value > t->max)
            t->max = t->value;
        t->since = now;
    }
    t->value = value;
}

static double track_mean(const struct tracked *t, cs_time duration)
{
    return duration > 0 ? t->area / (double)duration : t->value;
}

static uint32_t required_ready(const cs_property *p, uint32_t desired)
{
    if (!p->percent)
        return p->min_ready;
    /* A percentage of desired rounds up, as PodDisruptionBudget minAvailable does
     * (intstr.GetScaledValueFromIntOrPercent with roundUp). */
    return (uint32_t)(((uint64_t)p->min_ready * desired + 99) / 100);
}

static void prop_trace(cs_world *w, const cs_property *p, cs_time start, cs_time end)
{
    if (w->trace.fn == NULL)
        return;
    cs_field f[4] = {CS_STR("property", p->name), CS_REAL("start", (double)start / 1e9),
                     CS_REAL("end", (double)end / 1e9), CS_REAL("duration_s", (double)(end - start) / 1e9)};
    cs_world_trace(w, "property.violation", f, 4);
}

/* Marks element i of property p good or bad and opens or closes a violation period. */
/* Ends the open violation period of property pi at `now` and counts it, unless it lasted no
 * time and the property ignores instants. */
static void prop_close(cs_world *w, uint32_t pi, cs_time now)
{
    const cs_property *p = &w->cfg->properties[pi];
    struct prop_obs *o = &w->metrics->props[pi];
    bool instant_counts = p->kind == CS_PROP_NO_OVERCOMMIT || p->kind == CS_PROP_PDB || p->kind == CS_PROP_NO_POD_LOST ||
                          p->kind == CS_PROP_SCHEDULING_VALIDITY;
    if (now > o->start || instant_counts) {
        o->r.held = false;
        o->r.violations++;
        o->r.violation_s += (double)(now - o->start) / 1e9;
        if (o->r.first_violation_s < 0)
            o->r.first_violation_s = (double)o->start / 1e9;
        prop_trace(w, p, o->start, now);
    }
}

static void prop_set(cs_world *w, uint32_t pi, uint32_t i, bool bad)
{
    struct prop_obs *o = &w->metrics->props[pi];
    if (o->bad[i] == bad)
        return;
    o->bad[i] = bad;
    cs_time now = cs_now(w);
    if (bad && o->n_bad++ == 0) {
        o->start = now;
        return;
    }
    if (bad || --o->n_bad != 0)
        return;
    prop_close(w, pi, now);
}

/* A violation of no time: the property's instant-counting close records it. */
static void prop_instant(cs_world *w, uint32_t pi)
{
    prop_set(w, pi, 0, true);
    prop_set(w, pi, 0, false);
}

/* rolloutBounds for one Deployment: while pods of more than one revision exist (a rolling
 * update) and nothing failed (every node up, none of its pods down or crashed), the available
 * pods stay at or above desired - maxUnavailable and the active pods (not terminating) at or
 * below desired + maxSurge, with the bounds of deployment_util.go MaxUnavailable and MaxSurge.
 * Terminating pods are not counted: the controller counts ReplicaSet replicas, which exclude
 * them. */
static bool rollout_out_of_bounds(const cs_world *w, uint32_t wl)
{
    const cs_workload *c = &w->cfg->workloads[wl];
    const cs_workload_state *ws = &w->workloads[wl];
    if (strcmp(c->kind, "Deployment") != 0 || c->deploy.strategy != CS_DEPLOY_ROLLING_UPDATE || !ws->rolling ||
        w->nodes_up != w->cfg->n_nodes || ws->count[CS_POD_DOWN] > 0 || ws->crashed > 0)
        return false;
    int32_t desired = (int32_t)ws->desired;
    int32_t active = (int32_t)(ws->count[CS_POD_PENDING] + ws->count[CS_POD_STARTING] + ws->count[CS_POD_RUNNING] +
                               ws->count[CS_POD_READY]);
    return (int32_t)ws->available < desired - cs_deploy_max_unavailable(&c->deploy, desired) ||
           active > desired + cs_deploy_max_surge(&c->deploy, desired);
}

static void check_availability(cs_world *w, uint32_t wl)
{
    const cs_config *cfg = w->cfg;
    const cs_workload_state *ws = &w->workloads[wl];
    const struct spread *sp = w->metrics->spread[wl];
    for (uint32_t pi = 0; pi < cfg->n_properties; pi++) {
        const cs_property *p = &cfg->properties[pi];
        if ((p->kind != CS_PROP_AVAILABILITY && p->kind != CS_PROP_ROLLOUT_BOUNDS) ||
            (p->workload != CS_NONE && p->workload != wl))
            continue;
        uint32_t slot = p->workload == CS_NONE ? wl : 0;
        if (p->kind == CS_PROP_ROLLOUT_BOUNDS) {
            prop_set(w, pi, slot, rollout_out_of_bounds(w, wl));
            continue;
        }
        bool bad = ws->count[CS_POD_READY] < required_ready(p, ws->desired);
        if (sp != NULL)
            bad = bad || sp->nodes < p->min_nodes || sp->zones < p->min_zones;
        prop_set(w, pi, slot, bad);
    }
}

void cs_metrics_pod_ready(cs_world *w, uint32_t pod, int delta)
{
    const cs_pod *p = cs_pod_at(w, pod);
    struct spread *sp = w->metrics->spread[p->workload];
    if (sp == NULL || p->node == CS_NONE)
        return;
    uint32_t *on = &sp->on_node[p->node];
    sp->nodes += delta > 0 ? (*on == 0) : -(uint32_t)(*on == 1);
    *on += (uint32_t)delta;
    uint32_t zone = w->nodes[p->node].zone;
    if (zone == CS_NONE)
        return;
    uint32_t *in = &sp->in_zone[zone];
    sp->zones += delta > 0 ? (*in == 0) : -(uint32_t)(*in == 1);
    *in += (uint32_t)delta;
}

void cs_metrics_pod_deleted(cs_world *w, const char *reason)
{
    cs_metrics *m = w->metrics;
    if (reason == NULL || reason[0] == '\0') {
        m->lost++;
        for (uint32_t pi = 0; pi < w->cfg->n_properties; pi++)
            if (w->cfg->properties[pi].kind == CS_PROP_NO_POD_LOST)
                prop_instant(w, pi);
        return;
    }
    uint32_t i = 0;
    while (i < CS_DELETE_REASONS && strcmp(reason, cs_delete_reasons[i]) != 0)
        i++;
    m->deleted[i]++;
}

/* The schedulingValidity property: the pod about to be bound to node passes every filter of
 * the profile there, re-run as the scheduler runs them (models/scheduler.c cs_sched_recheck:
 * NodeResourcesFit with the pods nominated there, TaintToleration, NodeAffinity and the rest).
 * A failure is traced with the filter's reason. Linear in the properties; the filters run only
 * when such a property is declared. */
void cs_metrics_pod_binding(cs_world *w, uint32_t pod, uint32_t node)
{
    const cs_config *cfg = w->cfg;
    const char *why = NULL;
    bool checked = false;
    for (uint32_t pi = 0; pi < cfg->n_properties; pi++) {
        if (cfg->properties[pi].kind != CS_PROP_SCHEDULING_VALIDITY)
            continue;
        if (!checked) {
            why = cs_sched_recheck(w, pod, node);
            checked = true;
            if (why != NULL && w->trace.fn != NULL) {
                char name[96];
                cs_field f[3] = {CS_INT("pod", pod), CS_STR("node", cs_config_node_name(cfg, node, name, sizeof name)),
                                 CS_STR("reason", why)};
                cs_world_trace(w, "pod.invalidBinding", f, 3);
            }
        }
        if (why != NULL)
            prop_instant(w, pi);
    }
}

/* The pdb property: a voluntary disruption respected a budget when the budget's desiredHealthy
 * still holds after it, or when the pod was not counted healthy anyway. */
void cs_metrics_voluntary_disruption(cs_world *w, uint32_t pod, bool was_ready)
{
    const cs_config *cfg = w->cfg;
    bool respected = true;
    uint32_t n = 0;
    const uint32_t *pdbs = cs_workload_pdbs(w, cs_pod_at(w, pod)->workload, &n);
    for (uint32_t i = 0; i < n && was_ready; i++) {
        cs_pdb_status st;
        cs_pdb_status_of(w, pdbs[i], &st);
        respected = respected && st.healthy >= st.desired;
    }
    for (uint32_t pi = 0; pi < cfg->n_properties && !respected; pi++)
        if (cfg->properties[pi].kind == CS_PROP_PDB)
            prop_instant(w, pi);
}

void cs_metrics_count(cs_world *w, cs_counter c)
{
    w->metrics->counters[c]++;
}

void cs_metrics_drain_completed(cs_world *w, cs_time took)
{
    cs_metrics *m = w->metrics;
    m->drain_longest = took > m->drain_longest ? took : m->drain_longest;
}

void cs_metrics_upgrade_completed(cs_world *w, cs_time took)
{
    w->metrics->upgrades++;
    w->metrics->upgrade_time += took;
}

/* A Service selects a workload's pods when every key/value of its selector is among the
 * workload's labels (labels.SelectorFromSet). An empty selector selects nothing: the
 * pkg/controller/endpointslice syncService skips a Service whose spec.selector is nil, which
 * is what an empty map becomes once stored (protobuf keeps no empty maps). */
static bool service_selects(const cs_service *s, const cs_workload *wl)
{
    if (s->n_selector == 0)
        return false;
    for (uint32_t i = 0; i < s->n_selector; i++) {
        bool found = false;
        for (uint32_t j = 0; j < wl->n_labels && !found; j++)
            found = strcmp(s->selector[i].key, wl->labels[j].key) == 0 &&
                    strcmp(s->selector[i].value, wl->labels[j].value) == 0;
        if (!found)
            return false;
    }
    return true;
}

/* Credits service s with the time it was uncovered, then takes its new state from its count
 * and tells the coverage properties that watch it. */
static void service_update(cs_world *w, uint32_t s)
{
    struct service_obs *o = &w->metrics->services[s];
    cs_time now = cs_now(w);
    o->uncovered_ns += o->uncovered ? now - o->since : 0;
    o->since = now;
    bool uncovered = o->ready == 0;
    if (uncovered == o->uncovered)
        return;
    o->uncovered = uncovered;
    const cs_config *cfg = w->cfg;
    for (uint32_t pi = 0; pi < cfg->n_properties; pi++) {
        const cs_property *p = &cfg->properties[pi];
        if (p->kind == CS_PROP_COVERAGE && (p->service == CS_NONE || p->service == s))
            prop_set(w, pi, p->service == CS_NONE ? s : 0, uncovered);
    }
}

void cs_metrics_pod_changed(cs_world *w, uint32_t workload, cs_pod_phase from, cs_pod_phase to)
{
    cs_metrics *m = w->metrics;
    cs_time now = cs_now(w);
    if (from == CS_POD_PHASES && to == CS_POD_PENDING)
        m->created++;
    if (from == CS_POD_PENDING || to == CS_POD_PENDING)
        track_set(&m->pending, now, w->pending);
    struct workload_obs *o = &m->workloads[workload];
    cs_time held = now - o->ready.since;
    o->full_ns += o->full ? held : 0;
    o->no_ready_ns += o->none ? held : 0;
    const cs_workload_state *ws = &w->workloads[workload];
    uint32_t ready = ws->count[CS_POD_READY];
    track_set(&o->ready, now, ready);
    o->full = ready >= ws->desired;
    o->none = ready == 0 && ws->desired > 0;
    check_availability(w, workload);
    if (ready != o->ready_seen) {
        for (uint32_t i = 0; i < o->n_svc; i++) {
            uint32_t s = m->svc_of[o->first_svc + i];
            m->services[s].ready = m->services[s].ready - o->ready_seen + ready;
            service_update(w, s);
        }
        o->ready_seen = ready;
    }
    cs_series_pod_changed(w, workload);
}

static bool overcommitted(const cs_node *n)
{
    for (int i = 0; i < CS_MAX_EXTENDED; i++)
        if (n->requested.ext[i] > n->alloc.ext[i])
            return true;
    return n->requested.cpu_milli > n->alloc.cpu_milli || n->requested.mem_bytes > n->alloc.mem_bytes ||
           n->requested.pods > n->alloc.pods ||
           (n->alloc.ephemeral_bytes > 0 && n->requested.ephemeral_bytes > n->alloc.ephemeral_bytes);
}

void cs_metrics_node_changed(cs_world *w, uint32_t node)
{
    cs_metrics *m = w->metrics;
    cs_time now = cs_now(w);
    track_set(&m->nodes_up, now, w->nodes_up);
    int64_t cpu = w->cpu_requested;
    track_set(&m->cpu_fraction, now, m->cpu_allocatable > 0 ? (double)cpu / (double)m->cpu_allocatable : 0);
    for (uint32_t pi = 0; pi < w->cfg->n_properties; pi++) {
        const cs_property *p = &w->cfg->properties[pi];
        if (p->kind == CS_PROP_NO_OVERCOMMIT)
            prop_set(w, pi, node, overcommitted(&w->nodes[node]));
        /* A node going down or up starts or ends a failure, which suspends rolloutBounds. */
        for (uint32_t wl = 0; p->kind == CS_PROP_ROLLOUT_BOUNDS && wl < w->cfg->n_workloads; wl++)
            if (p->workload == CS_NONE || p->workload == wl)
                prop_set(w, pi, p->workload == CS_NONE ? wl : 0, rollout_out_of_bounds(w, wl));
    }
    cs_series_node_changed(w, node);
}

bool cs_metrics_in_violation(const cs_world *w, uint32_t prop)
{
    return w->metrics->props[prop].n_bad != 0;
}

const uint32_t *cs_metrics_services_of(const cs_world *w, uint32_t workload, uint32_t *n)
{
    const struct workload_obs *o = &w->metrics->workloads[workload];
    *n = o->n_svc;
    return w->metrics->svc_of + o->first_svc;
}

uint32_t cs_metrics_service_ready(const cs_world *w, uint32_t service)
{
    return w->metrics->services[service].ready;
}

void cs_metrics_node_failed(cs_world *w)
{
    w->metrics->failures++;
}

void cs_metrics_sched_attempt(cs_world *w, bool bound)
{
    w->metrics->attempts++;
    w->metrics->unschedulable += !bound;
}

/* Lists, per workload, the services that select it (svc_of, grouped by workload). Quadratic
 * in services x workloads times the labels, once per world: cheap next to a run, and it keeps
 * each pod change down to the services of its own workload. */
static cs_status attach_services(cs_world *w)
{
    const cs_config *cfg = w->cfg;
    cs_metrics *m = w->metrics;
    m->services = cs_arena_calloc(w->arena, cfg->n_services + 1, sizeof *m->services);
    if (m->services == NULL)
        return CS_ENOMEM;
    uint32_t total = 0;
    for (uint32_t wl = 0; wl < cfg->n_workloads; wl++)
        for (uint32_t s = 0; s < cfg->n_services; s++)
            total += service_selects(&cfg->services[s], &cfg->workloads[wl]);
    m->svc_of = cs_arena_calloc(w->arena, (size_t)total + 1, sizeof *m->svc_of);
    if (m->svc_of == NULL)
        return CS_ENOMEM;
    uint32_t next = 0;
    for (uint32_t wl = 0; wl < cfg->n_workloads; wl++) {
        struct workload_obs *o = &m->workloads[wl];
        o->first_svc = next;
        for (uint32_t s = 0; s < cfg->n_services; s++)
            if (service_selects(&cfg->services[s], &cfg->workloads[wl]))
                m->svc_of[next++] = s;
        o->n_svc = next - o->first_svc;
    }
    return CS_OK;
}

cs_status cs_metrics_attach(cs_world *w)
{
    const cs_config *cfg = w->cfg;
    cs_metrics *m = cs_arena_new_of(w->arena, cs_metrics);
    if (m == NULL)
        return CS_ENOMEM;
    w->metrics = m;
    m->workloads = cs_arena_calloc(w->arena, cfg->n_workloads + 1, sizeof *m->workloads);
    m->props = cs_arena_calloc(w->arena, cfg->n_properties + 1, sizeof *m->props);
    if (m->workloads == NULL || m->props == NULL)
        return CS_ENOMEM;
    track_init(&m->nodes_up, cfg->n_nodes);
    track_init(&m->pending, 0);
    track_init(&m->cpu_fraction, 0);
    for (uint32_t n = 0; n < cfg->n_nodes; n++)
        m->cpu_allocatable += w->nodes[n].alloc.cpu_milli;
    for (uint32_t i = 0; i < cfg->n_workloads; i++)
        track_init(&m->workloads[i].ready, 0);
    if (attach_services(w) != CS_OK)
        return CS_ENOMEM;
    m->spread = cs_arena_calloc(w->arena, cfg->n_workloads + 1, sizeof *m->spread);
    if (m->spread == NULL)
        return CS_ENOMEM;
    for (uint32_t pi = 0; pi < cfg->n_properties; pi++) {
        const cs_property *p = &cfg->properties[pi];
        if (p->kind != CS_PROP_AVAILABILITY || (p->min_nodes == 0 && p->min_zones == 0))
            continue;
        for (uint32_t wl = 0; wl < cfg->n_workloads; wl++) {
            if ((p->workload != CS_NONE && p->workload != wl) || m->spread[wl] != NULL)
                continue;
            struct spread *sp = cs_arena_new_of(w->arena, struct spread);
            if (sp == NULL || (sp->on_node = cs_arena_calloc(w->arena, cfg->n_nodes + 1, sizeof(uint32_t))) == NULL ||
                (sp->in_zone = cs_arena_calloc(w->arena, cfg->n_zones + 1, sizeof(uint32_t))) == NULL)
                return CS_ENOMEM;
            m->spread[wl] = sp;
        }
    }
    for (uint32_t pi = 0; pi < cfg->n_properties; pi++) {
        const cs_property *p = &cfg->properties[pi];
        uint32_t n = p->kind == CS_PROP_NO_OVERCOMMIT ? cfg->n_nodes
                     : p->kind == CS_PROP_COVERAGE    ? (p->service == CS_NONE ? cfg->n_services : 1)
                     : p->workload == CS_NONE         ? cfg->n_workloads
                                                      : 1;
        m->props[pi].bad = cs_arena_calloc(w->arena, n + 1, sizeof(bool));
        if (m->props[pi].bad == NULL)
            return CS_ENOMEM;
        m->props[pi].r = (cs_prop_result){.held = true, .first_violation_s = -1};
    }
    /* Every selecting service starts with no ready endpoint; the pods placed at t = 0 cover
     * it within the same instant, which is no violation. */
    for (uint32_t s = 0; s < cfg->n_services; s++)
        if (cfg->services[s].n_selector > 0)
            service_update(w, s);
    return CS_OK;
}

void cs_metrics_finish(cs_world *w)
{
    const cs_config *cfg = w->cfg;
    for (uint32_t wl = 0; wl < cfg->n_workloads; wl++)
        cs_metrics_pod_changed(w, wl, CS_POD_PHASES, CS_POD_PHASES);   /* credits the last stretch */
    cs_metrics *m = w->metrics;
    cs_time now = cs_now(w);
    track_set(&m->nodes_up, now, w->nodes_up);
    track_set(&m->pending, now, w->pending);
    track_set(&m->cpu_fraction, now, m->cpu_fraction.value);
    for (uint32_t s = 0; s < cfg->n_services; s++)
        if (cfg->services[s].n_selector > 0)
            service_update(w, s);   /* credits the last stretch; the state is unchanged */
    /* noPodLost, structurally: the pods in every phase, Terminated included, add up to the
     * pods created. */
    uint64_t accounted = 0;
    for (uint32_t wl = 0; wl < cfg->n_workloads; wl++)
        for (int ph = 0; ph < CS_POD_PHASES; ph++)
            accounted += w->workloads[wl].count[ph];
    for (uint32_t pi = 0; pi < cfg->n_properties && accounted != m->created; pi++)
        if (cfg->properties[pi].kind == CS_PROP_NO_POD_LOST)
            prop_instant(w, pi);
    for (uint32_t pi = 0; pi < cfg->n_properties; pi++)
        if (m->props[pi].n_bad != 0)
            prop_close(w, pi, now);   /* a period still open ends with the run */
}

void cs_metrics_result(const cs_world *w, cs_rep_result *r)
{
    const cs_config *cfg = w->cfg;
    const cs_metrics *m = w->metrics;
    cs_time d = cfg->duration;
    double *v = r->metrics;
    *v++ = track_mean(&m->nodes_up, d);
    *v++ = (double)m->failures;
    *v++ = track_mean(&m->pending, d);
    *v++ = isfinite(m->pending.max) ? m->pending.max : 0;
    *v++ = (double)m->created;
    *v++ = (double)m->attempts;
    *v++ = (double)m->unschedulable;
    *v++ = track_mean(&m->cpu_fraction, d);
    for (int c = 0; c < CS_COUNTERS; c++)
        *v++ = (double)m->counters[c];
    for (int i = 0; i <= CS_DELETE_REASONS; i++)
        *v++ = (double)m->deleted[i];
    *v++ = (double)m->lost;
    *v++ = (double)w->restarts;
    *v++ = (double)w->deadline_exceeded;
    *v++ = (double)m->drain_longest / 1e9;
    *v++ = (double)m->upgrades;
    *v++ = (double)m->upgrade_time / 1e9;
    for (uint32_t wl = 0; wl < cfg->n_workloads; wl++) {
        const struct workload_obs *o = &m->workloads[wl];
        *v++ = track_mean(&o->ready, d);
        *v++ = isfinite(o->ready.min) ? o->ready.min : o->ready.value;
        *v++ = d > 0 ? (double)o->full_ns / (double)d : (o->full ? 1 : 0);
        *v++ = (double)o->no_ready_ns / 1e9;
    }
    for (uint32_t s = 0; s < cfg->n_services; s++)
        *v++ = (double)m->services[s].uncovered_ns / 1e9;
    for (uint32_t pi = 0; pi < cfg->n_properties; pi++)
        r->props[pi] = m->props[pi].r;
}
