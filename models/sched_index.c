/* sched_index.c -- topology domains, label selectors resolved to workloads, and the per-domain
 * pod counts of PodTopologySpread and InterPodAffinity (see sched_index.h).
 *
 * Cost: building is linear in nodes times the topology keys, plus workloads squared times their
 * selectors; every bind and delete adds one to each counter fed by the pod's workload, and
 * keeps the minimum of a DoNotSchedule counter in O(1) with the histogram of its counts.
 */
#include <string.h>

#include "sched_index.h"

enum { HARD_POD_AFFINITY_WEIGHT = 1 };   /* InterPodAffinityArgs.hardPodAffinityWeight default */

typedef struct builder {
    cs_world *w;
    cs_pod_index *x;
    cs_vec counters;      /* cs_domain_count */
    cs_vec sets;          /* uint64_t *: each counter's workloads, a bitmap */
    uint32_t words;       /* of a bitmap */
    uint32_t *own;        /* (spread, workload, key) -> the counter of that workload's own pods, or CS_NONE */
    bool spread;          /* the counters made now are PodTopologySpread's */
} builder;

/* ---- label selectors on workloads ------------------------------------------------------- */

static const char *label_of(const cs_workload *wl, const char *key)
{
    for (uint32_t i = 0; i < wl->n_labels; i++)
        if (strcmp(wl->labels[i].key, key) == 0)
            return wl->labels[i].value;
    return NULL;
}

static bool has_labels(const cs_workload *wl, const cs_label *l, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const char *v = label_of(wl, l[i].key);
        if (v == NULL || strcmp(v, l[i].value) != 0)
            return false;
    }
    return true;
}

/* metav1.LabelSelectorAsSelector(s).Matches(labels of e): an absent selector matches nothing.
 * `self`, when not NULL, adds its values of keys (matchLabelKeys), as podtopologyspread/common.go
 * mergeLabelSetWithSelector does: with an absent selector, those labels alone select. */
static bool selector_matches(const cs_label_selector *s, const cs_workload *e, const cs_workload *self,
                             const char *const *keys, uint32_t n_keys)
{
    bool any_key = false;
    for (uint32_t i = 0; self != NULL && i < n_keys; i++) {
        const char *want = label_of(self, keys[i]), *have = label_of(e, keys[i]);
        if (want == NULL)
            continue;
        any_key = true;
        if (have == NULL || strcmp(want, have) != 0)
            return false;
    }
    if (!s->present)
        return any_key;
    if (!has_labels(e, s->match_labels, s->n_match_labels))
        return false;
    for (uint32_t i = 0; i < s->n_match_expressions; i++)
        if (!cs_requirement_matches(label_of(e, s->match_expressions[i].key), &s->match_expressions[i]))
            return false;
    return true;
}

/* ---- topology keys ---------------------------------------------------------------------- */

static uint32_t key_id(const cs_pod_index *x, const char *key)
{
    for (uint32_t k = 0; k < x->n_keys; k++)
        if (strcmp(x->keys[k].key, key) == 0)
            return k;
    return CS_NONE;
}

/* Domain ids of one key: the distinct values of pool labels and zones, in node order, then one
 * per node for kubernetes.io/hostname. */
static bool build_key(cs_world *w, cs_topo_key *k)
{
    const cs_config *cfg = w->cfg;
    k->hostname = strcmp(k->key, CS_LABEL_HOSTNAME) == 0;
    k->dom = cs_arena_calloc(w->arena, cfg->n_nodes > 0 ? cfg->n_nodes : 1, sizeof *k->dom);
    const char **vals = cs_arena_calloc(w->arena, cfg->n_nodes + 1, sizeof *vals);
    if (k->dom == NULL || vals == NULL)
        return false;
    uint32_t n_vals = 0;
    for (uint32_t node = 0; node < cfg->n_nodes; node++) {
        const cs_node_pool *pool = cs_config_node_pool(cfg, node);
        const char *v = NULL;
        for (uint32_t i = 0; i < pool->n_labels && v == NULL; i++)
            if (strcmp(pool->labels[i].key, k->key) == 0)
                v = pool->labels[i].value;
        if (v == NULL && !k->hostname && strcmp(k->key, CS_LABEL_ZONE) == 0 && pool->n_zones > 0)
            v = cfg->zones[w->nodes[node].zone];
        if (v == NULL) {
            k->dom[node] = k->hostname ? CS_NONE - 1 : CS_NONE;   /* hostname: numbered below */
            k->some_lack |= !k->hostname;
            continue;
        }
        uint32_t d = 0;
        while (d < n_vals && strcmp(vals[d], v) != 0)
            d++;
        if (d == n_vals)
            vals[n_vals++] = v;
        k->dom[node] = d;
    }
    k->n_domains = n_vals;
    for (uint32_t node = 0; k->hostname && node < cfg->n_nodes; node++)
        if (k->dom[node] == CS_NONE - 1)
            k->dom[node] = k->n_domains++;
    return true;
}

static bool add_key(cs_world *w, cs_pod_index *x, const char *key)
{
    if (key_id(x, key) != CS_NONE)
        return true;
    cs_topo_key *k = &x->keys[x->n_keys++];
    k->key = key;
    return build_key(w, k);
}

/* Every key the plans can use: hostname and zone (the system default constraints), then the
 * workloads' constraint and term keys in workload order. */
static bool build_keys(cs_world *w, cs_pod_index *x)
{
    const cs_config *cfg = w->cfg;
    uint32_t cap = 2;
    for (uint32_t i = 0; i < cfg->n_workloads; i++) {
        const cs_workload *wl = &cfg->workloads[i];
        cap += wl->n_spread + wl->n_affinity_required + wl->n_affinity_preferred + wl->n_anti_required +
               wl->n_anti_preferred;
    }
    x->keys = cs_arena_calloc(w->arena, cap, sizeof *x->keys);
    if (x->keys == NULL || !add_key(w, x, CS_LABEL_HOSTNAME) || !add_key(w, x, CS_LABEL_ZONE))
        return false;
    for (uint32_t i = 0; i < cfg->n_workloads; i++) {
        const cs_workload *wl = &cfg->workloads[i];
        for (uint32_t j = 0; j < wl->n_spread; j++)
            if (!add_key(w, x, wl->spread[j].topology_key))
                return false;
        const cs_pod_affinity_term *lists[4] = {wl->affinity_required, wl->affinity_preferred, wl->anti_required,
                                                wl->anti_preferred};
        const uint32_t lens[4] = {wl->n_affinity_required, wl->n_affinity_preferred, wl->n_anti_required,
                                  wl->n_anti_preferred};
        for (int l = 0; l < 4; l++)
            for (uint32_t j = 0; j < lens[l]; j++)
                if (!add_key(w, x, lists[l][j].topology_key))
                    return false;
    }
    return true;
}

/* ---- counters --------------------------------------------------------------------------- */

static uint64_t *set_new(builder *b)
{
    return cs_arena_calloc(b->w->arena, b->words, sizeof(uint64_t));
}

static bool set_has(const uint64_t *s, uint32_t i)
{
    return (s[i / 64] >> (i % 64)) & 1;
}

static void set_add(uint64_t *s, uint32_t i)
{
    s[i / 64] |= (uint64_t)1 << (i % 64);
}

static bool set_empty(const builder *b, const uint64_t *s)
{
    for (uint32_t i = 0; i < b->words; i++)
        if (s[i] != 0)
            return false;
    return true;
}

/* The set is {i} alone. */
static bool set_only(const builder *b, const uint64_t *s, uint32_t i)
{
    for (uint32_t j = 0; j < b->words; j++)
        if (s[j] != (j == i / 64 ? (uint64_t)1 << (i % 64) : 0))
            return false;
    return true;
}

/* A new counter at zero; CS_NONE when out of memory. */
static uint32_t counter_new(builder *b, uint32_t key, const uint8_t *eligible, bool track_min, uint64_t *set)
{
    cs_world *w = b->w;
    const cs_topo_key *k = &b->x->keys[key];
    uint32_t id = cs_vec_push(w, &b->counters, sizeof(cs_domain_count));
    uint32_t si = cs_vec_push(w, &b->sets, sizeof(uint64_t *));
    if (id == CS_NONE || si == CS_NONE || set == NULL)
        return CS_NONE;
    ((uint64_t **)b->sets.data)[si] = set;
    cs_domain_count *c = &((cs_domain_count *)b->counters.data)[id];
    *c = (cs_domain_count){.key = key, .eligible = eligible, .track_min = track_min, .spread = b->spread};
    c->count = cs_arena_calloc(w->arena, k->n_domains > 0 ? k->n_domains : 1, sizeof *c->count);
    if (c->count == NULL)
        return CS_NONE;
    if (track_min) {
        /* Domains with an eligible node: they start at count 0 (TpValueToMatchNum's keys). */
        uint8_t *seen = cs_arena_calloc(w->arena, k->n_domains > 0 ? k->n_domains : 1, 1);
        if (seen == NULL)
            return CS_NONE;
        for (uint32_t node = 0; node < w->cfg->n_nodes; node++) {
            uint32_t d = k->dom[node];
            if (d != CS_NONE && (eligible == NULL || eligible[node]) && !seen[d]) {
                seen[d] = 1;
                c->n_domains++;
            }
        }
        uint32_t h = cs_vec_push(w, &c->hist, sizeof(uint32_t));
        if (h == CS_NONE)
            return CS_NONE;
        ((uint32_t *)c->hist.data)[h] = c->n_domains;
    }
    return id;
}

/* The counter of one workload's own pods on a key, shared by every plan that needs it. */
static uint32_t own_counter(builder *b, uint32_t workload, uint32_t key)
{
    uint32_t *slot = &b->own[((size_t)b->spread * b->w->cfg->n_workloads + workload) * b->x->n_keys + key];
    if (*slot == CS_NONE) {
        uint64_t *set = set_new(b);
        if (set != NULL)
            set_add(set, workload);
        *slot = counter_new(b, key, NULL, false, set);
    }
    return *slot;
}

/* The workloads a selector matches (seen from workload self, for matchLabelKeys). */
static uint64_t *matching(builder *b, const cs_label_selector *s, const cs_workload *self, const char *const *keys,
                          uint32_t n_keys)
{
    uint64_t *set = set_new(b);
    for (uint32_t e = 0; set != NULL && e < b->w->cfg->n_workloads; e++)
        if (selector_matches(s, &b->w->cfg->workloads[e], self, keys, n_keys))
            set_add(set, e);
    return set;
}

/* The nodes a constraint of workload wl counts pods on (podtopologyspread/common.go
 * matchNodeInclusionPolicies, and nodeLabelsMatchSpreadConstraints over `keys`); NULL when that
 * is every node. Linear in the nodes, once per constraint and world; skipped when there is
 * nothing to honour. */
static const uint8_t *eligibility(builder *b, const cs_workload *wl, bool honor_affinity, bool honor_taints,
                                  const uint32_t *keys, uint32_t n_keys, bool *oom)
{
    cs_world *w = b->w;
    uint32_t n = w->cfg->n_nodes;
    honor_affinity = honor_affinity && (wl->n_node_selector > 0 || wl->n_required_terms > 0);
    bool taints = false;
    for (uint32_t p = 0; honor_taints && p < w->cfg->n_pools; p++)
        taints = taints || w->cfg->pools[p].n_taints > 0;
    if (!honor_affinity && !taints && n_keys == 0)
        return NULL;
    uint8_t *e = cs_arena_calloc(w->arena, n > 0 ? n : 1, 1);
    if (e == NULL) {
        *oom = true;
        return NULL;
    }
    bool all = true;
    char buf[192];
    for (uint32_t node = 0; node < n; node++) {
        bool ok = !honor_affinity || cs_sched_filter_node_affinity(w, node, wl) == NULL;
        ok = ok && (!taints || cs_sched_filter_taints(w, node, wl, buf, sizeof buf) == NULL);
        for (uint32_t k = 0; ok && k < n_keys; k++)
            ok = b->x->keys[keys[k]].dom[node] != CS_NONE;
        e[node] = ok;
        all = all && ok;
    }
    return all ? NULL : e;
}

/* ---- plans ------------------------------------------------------------------------------ */

static bool is_kind(const cs_workload *wl, const char *kind)
{
    return wl->kind != NULL && strcmp(wl->kind, kind) == 0;
}

/* helper/spread.go DefaultSelector: the selectors of the Services that select the pod, ANDed
 * with its controller's. A Deployment's ReplicaSet selects by pod-template-hash, so only the
 * workload's own pods; a ReplicaSet's or StatefulSet's spec.selector is taken to be the
 * template's labels. Empty (no constraint) for a pod no Service or controller selects. */
static uint64_t *default_selector(builder *b, uint32_t wi)
{
    const cs_config *cfg = b->w->cfg;
    const cs_workload *wl = &cfg->workloads[wi];
    uint64_t *set = set_new(b);
    if (set == NULL)
        return NULL;
    if (wl->kind == NULL || is_kind(wl, "Deployment")) {
        set_add(set, wi);
        return set;
    }
    bool controller = is_kind(wl, "ReplicaSet") || is_kind(wl, "StatefulSet"), any = controller && wl->n_labels > 0;
    const cs_service **by = cs_arena_calloc(b->w->arena, cfg->n_services + 1, sizeof *by);
    if (by == NULL)
        return NULL;
    uint32_t n_by = 0;
    for (uint32_t s = 0; s < cfg->n_services; s++)
        if (cfg->services[s].n_selector > 0 && has_labels(wl, cfg->services[s].selector, cfg->services[s].n_selector)) {
            by[n_by++] = &cfg->services[s];
            any = true;
        }
    for (uint32_t e = 0; any && e < cfg->n_workloads; e++) {
        const cs_workload *o = &cfg->workloads[e];
        bool ok = !controller || has_labels(o, wl->labels, wl->n_labels);
        for (uint32_t s = 0; ok && s < n_by; s++)
            ok = has_labels(o, by[s]->selector, by[s]->n_selector);
        if (ok)
            set_add(set, e);
    }
    return set;
}

static bool spread_plan(builder *b, uint32_t wi, cs_pod_plan *p)
{
    cs_world *w = b->w;
    const cs_workload *wl = &w->cfg->workloads[wi];
    bool oom = false;
    cs_spread_rule *hard = cs_arena_calloc(w->arena, wl->n_spread + 2, sizeof *hard);
    cs_spread_rule *soft = cs_arena_calloc(w->arena, wl->n_spread + 2, sizeof *soft);
    uint32_t *hard_keys = cs_arena_calloc(w->arena, wl->n_spread + 1, sizeof *hard_keys);
    uint32_t *soft_keys = cs_arena_calloc(w->arena, wl->n_spread + 1, sizeof *soft_keys);
    if (hard == NULL || soft == NULL || hard_keys == NULL || soft_keys == NULL)
        return false;
    uint32_t nh = 0, ns = 0;
    for (uint32_t i = 0; i < wl->n_spread; i++) {
        uint32_t k = key_id(b->x, wl->spread[i].topology_key);
        if (wl->spread[i].schedule_anyway)
            soft_keys[ns++] = k;
        else
            hard_keys[nh++] = k;
    }
    p->hard = hard;
    p->soft = soft;
    for (uint32_t i = 0; i < wl->n_spread; i++) {
        const cs_spread_constraint *c = &wl->spread[i];
        bool anyway = c->schedule_anyway;
        uint32_t k = key_id(b->x, c->topology_key);
        uint64_t *set = matching(b, &c->selector, wl, c->match_label_keys, c->n_match_label_keys);
        if (set == NULL)
            return false;
        const uint8_t *elig = NULL;
        /* Score counts a hostname domain on the node itself, policies aside (scoring.go Score). */
        if (!anyway || !b->x->keys[k].hostname)
            elig = eligibility(b, wl, c->honor_node_affinity, c->honor_node_taints, anyway ? soft_keys : hard_keys,
                               anyway ? ns : nh, &oom);
        if (oom)
            return false;
        cs_spread_rule r = {.key = k, .max_skew = c->max_skew, .min_domains = c->min_domains,
                            .self_match = set_has(set, wi)};
        if ((r.counter = counter_new(b, k, elig, !anyway, set)) == CS_NONE)
            return false;
        if (anyway)
            soft[p->n_soft++] = r;
        else
            hard[p->n_hard++] = r;
    }
    p->soft_require_all = true;
    if (wl->n_spread > 0)
        return true;
    /* plugin.go systemDefaultConstraints: hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway,
     * counted on nodes that match the pod's node affinity (nodeAffinityPolicy Honor). */
    uint64_t *set = default_selector(b, wi);
    if (set == NULL)
        return false;
    if (set_empty(b, set))
        return true;
    p->soft_require_all = false;
    static const int32_t skew[2] = {3, 5};
    for (uint32_t k = 0; k < 2; k++) {   /* keys 0 and 1: hostname, zone */
        const uint8_t *elig = k == 0 ? NULL : eligibility(b, wl, true, false, NULL, 0, &oom);
        if (oom)
            return false;
        uint32_t c = elig == NULL && set_only(b, set, wi) ? own_counter(b, wi, k) : counter_new(b, k, elig, false, set);
        if (c == CS_NONE)
            return false;
        soft[p->n_soft++] = (cs_spread_rule){.counter = c, .key = k, .max_skew = skew[k], .min_domains = 1,
                                             .self_match = set_has(set, wi)};
    }
    return true;
}

/* Adds the weighted counts of the score (interpodaffinity/scoring.go processExistingPod). */
static bool add_weighted(cs_vec *v, cs_world *w, uint32_t counter, int64_t weight)
{
    uint32_t i = cs_vec_push(w, v, sizeof(cs_weighted_count));
    if (i == CS_NONE || counter == CS_NONE)
        return false;
    ((cs_weighted_count *)v->data)[i] = (cs_weighted_count){counter, weight};
    return true;
}

static bool term_counters(builder *b, const cs_pod_affinity_term *t, uint32_t n, const uint64_t *common,
                          uint32_t **out)
{
    *out = cs_arena_calloc(b->w->arena, n > 0 ? n : 1, sizeof **out);
    if (*out == NULL)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t *set = common != NULL ? set_new(b) : matching(b, &t[i].selector, NULL, NULL, 0);
        if (set == NULL)
            return false;
        if (common != NULL)
            memcpy(set, common, b->words * sizeof *set);
        if (((*out)[i] = counter_new(b, key_id(b->x, t[i].topology_key), NULL, false, set)) == CS_NONE)
            return false;
    }
    return true;
}

/* interpodaffinity/filtering.go (PreFilter, satisfyPodAffinity, satisfyPodAntiAffinity,
 * satisfyExistingPodsAntiAffinity) and scoring.go PreScore, resolved for one workload. */
static bool affinity_plan(builder *b, uint32_t wi, cs_pod_plan *p)
{
    cs_world *w = b->w;
    const cs_config *cfg = w->cfg;
    const cs_workload *wl = &cfg->workloads[wi];
    /* Required affinity counts the pods that match every term (podMatchesAllAffinityTerms). */
    uint64_t *all = set_new(b);
    if (all == NULL)
        return false;
    for (uint32_t e = 0; e < cfg->n_workloads; e++) {
        bool ok = wl->n_affinity_required > 0;
        for (uint32_t t = 0; ok && t < wl->n_affinity_required; t++)
            ok = selector_matches(&wl->affinity_required[t].selector, &cfg->workloads[e], NULL, NULL, 0);
        if (ok)
            set_add(all, e);
    }
    uint32_t *aff, *anti;
    if (!term_counters(b, wl->affinity_required, wl->n_affinity_required, all, &aff) ||
        !term_counters(b, wl->anti_required, wl->n_anti_required, NULL, &anti))
        return false;
    p->affinity = aff;
    p->n_affinity = wl->n_affinity_required;
    p->affinity_self = set_has(all, wi);
    p->anti = anti;
    p->n_anti = wl->n_anti_required;
    cs_vec existing = {0}, ipa = {0};
    for (uint32_t t = 0; t < wl->n_affinity_preferred + wl->n_anti_preferred; t++) {
        bool neg = t >= wl->n_affinity_preferred;
        const cs_pod_affinity_term *term = neg ? &wl->anti_preferred[t - wl->n_affinity_preferred]
                                               : &wl->affinity_preferred[t];
        uint32_t k = key_id(b->x, term->topology_key);
        uint64_t *set = matching(b, &term->selector, NULL, NULL, 0);
        if (set == NULL || !add_weighted(&ipa, w, counter_new(b, k, NULL, false, set),
                                         neg ? -term->weight : term->weight))
            return false;
    }
    /* The existing pods' terms that match this pod, by the workload that has them. */
    for (uint32_t e = 0; e < cfg->n_workloads; e++) {
        const cs_workload *o = &cfg->workloads[e];
        for (uint32_t t = 0; t < o->n_anti_required; t++) {
            if (!selector_matches(&o->anti_required[t].selector, wl, NULL, NULL, 0))
                continue;
            uint32_t i = cs_vec_push(w, &existing, sizeof(uint32_t));
            uint32_t c = own_counter(b, e, key_id(b->x, o->anti_required[t].topology_key));
            if (i == CS_NONE || c == CS_NONE)
                return false;
            ((uint32_t *)existing.data)[i] = c;
        }
        const cs_pod_affinity_term *lists[3] = {o->affinity_required, o->affinity_preferred, o->anti_preferred};
        const uint32_t lens[3] = {o->n_affinity_required, o->n_affinity_preferred, o->n_anti_preferred};
        for (int l = 0; l < 3; l++)
            for (uint32_t t = 0; t < lens[l]; t++) {
                const cs_pod_affinity_term *term = &lists[l][t];
                if (!selector_matches(&term->selector, wl, NULL, NULL, 0))
                    continue;
                int64_t weight = l == 0 ? HARD_POD_AFFINITY_WEIGHT : l == 1 ? term->weight : -term->weight;
                uint32_t k = key_id(b->x, term->topology_key);
                if (!add_weighted(&ipa, w, own_counter(b, e, k), weight))
                    return false;
            }
    }
    p->existing_anti = existing.data;
    p->n_existing_anti = existing.len;
    p->ipa = ipa.data;
    p->n_ipa = ipa.len;
    return true;
}

/* Which counters each workload's pods feed, in counter order. */
static bool build_feeds(builder *b)
{
    cs_world *w = b->w;
    cs_pod_index *x = b->x;
    uint32_t nw = w->cfg->n_workloads;
    const uint64_t *const *sets = b->sets.data;
    x->feed_start = cs_arena_calloc(w->arena, nw + 1, sizeof *x->feed_start);
    if (x->feed_start == NULL)
        return false;
    uint32_t total = 0;
    for (uint32_t c = 0; c < x->n_counters; c++)
        for (uint32_t e = 0; e < nw; e++)
            if (set_has(sets[c], e)) {
                x->feed_start[e + 1]++;
                total++;
            }
    for (uint32_t e = 0; e < nw; e++)
        x->feed_start[e + 1] += x->feed_start[e];
    x->feed = cs_arena_calloc(w->arena, total > 0 ? total : 1, sizeof *x->feed);
    uint32_t *next = cs_arena_calloc(w->arena, nw + 1, sizeof *next);
    if (x->feed == NULL || next == NULL)
        return false;
    memcpy(next, x->feed_start, nw * sizeof *next);
    for (uint32_t c = 0; c < x->n_counters; c++)
        for (uint32_t e = 0; e < nw; e++)
            if (set_has(sets[c], e))
                x->feed[next[e]++] = c;
    return true;
}

cs_status cs_pod_index_attach(cs_world *w)
{
    const cs_config *cfg = w->cfg;
    cs_pod_index *x = cs_arena_new_of(w->arena, cs_pod_index);
    if (x == NULL || !build_keys(w, x))
        return CS_ENOMEM;
    builder b = {.w = w, .x = x, .words = (cfg->n_workloads + 63) / 64 + 1};
    b.own = cs_arena_calloc(w->arena, 2 * (size_t)cfg->n_workloads * x->n_keys + 1, sizeof *b.own);
    x->plans = cs_arena_calloc(w->arena, cfg->n_workloads + 1, sizeof *x->plans);
    if (b.own == NULL || x->plans == NULL)
        return CS_ENOMEM;
    for (size_t i = 0; i < 2 * (size_t)cfg->n_workloads * x->n_keys; i++)
        b.own[i] = CS_NONE;
    for (uint32_t wi = 0; wi < cfg->n_workloads; wi++) {
        b.spread = true;
        if (!spread_plan(&b, wi, &x->plans[wi]))
            return CS_ENOMEM;
        b.spread = false;
        if (!affinity_plan(&b, wi, &x->plans[wi]))
            return CS_ENOMEM;
    }
    for (uint32_t wi = 0; wi < cfg->n_workloads; wi++) {
        const cs_pod_plan *p = &x->plans[wi];
        x->pod_events = x->pod_events || p->n_hard + p->n_affinity + p->n_anti + p->n_existing_anti > 0;
    }
    x->counters = b.counters.data;
    x->n_counters = b.counters.len;
    if (!build_feeds(&b))
        return CS_ENOMEM;
    uint32_t most = 1, most_soft = 1;
    for (uint32_t wi = 0; wi < cfg->n_workloads; wi++)
        most_soft = x->plans[wi].n_soft > most_soft ? x->plans[wi].n_soft : most_soft;
    x->soft = cs_arena_calloc(w->arena, most_soft, sizeof *x->soft);
    for (uint32_t k = 0; k < x->n_keys; k++)
        most = x->keys[k].n_domains > most ? x->keys[k].n_domains : most;
    x->stamp = cs_arena_calloc(w->arena, most, sizeof *x->stamp);
    x->n_stamp = most;
    x->ignored = cs_arena_calloc(w->arena, cfg->n_nodes + 1, 1);
    if (x->stamp == NULL || x->ignored == NULL || x->soft == NULL || w->oom)
        return CS_ENOMEM;
    w->pod_index = x;
    return CS_OK;
}

/* One count of a domain changes by delta (+1 or -1); a tracked minimum follows: it rises when
 * the last domain at it goes up, and falls to any count that goes below it. */
static void counter_add(cs_world *w, cs_domain_count *c, uint32_t dom, int delta)
{
    int32_t old = c->count[dom], now = old + delta;
    c->count[dom] = now;
    c->total += delta;
    if (!c->track_min)
        return;
    if ((uint32_t)now == c->hist.len && cs_vec_push(w, &c->hist, sizeof(uint32_t)) != CS_NONE)
        ((uint32_t *)c->hist.data)[now] = 0;
    if (w->oom)
        return;
    uint32_t *h = c->hist.data;
    h[old]--;
    h[now]++;
    if (delta > 0 && old == c->min && h[old] == 0)
        c->min = now;
    else if (now < c->min)
        c->min = now;
}

const char cs_reason_spread_skew[] = "node(s) didn't match pod topology spread constraints";
const char cs_reason_spread_label[] = "node(s) didn't match pod topology spread constraints (missing required label)";
const char cs_reason_affinity[] = "node(s) didn't match pod affinity rules";
const char cs_reason_anti[] = "node(s) didn't match pod anti-affinity rules";
const char cs_reason_existing_anti[] = "node(s) didn't satisfy existing pods anti-affinity rules";

const char *cs_sched_filter_pod_terms(const cs_world *w, uint32_t node, uint32_t workload, bool *has)
{
    const cs_pod_plan *p = cs_pod_plan_of(w, workload);
    const char *why = NULL;
    bool any = p->n_hard + p->n_affinity + p->n_anti + p->n_existing_anti > 0;
    if (has != NULL)
        *has = any;
    if (p->n_hard > 0)
        why = cs_sched_filter_spread(w, node, p);
    if (why == NULL && p->n_affinity + p->n_anti + p->n_existing_anti > 0)
        why = cs_sched_filter_pod_affinity(w, node, p);
    return why;
}

enum which { ALL_COUNTS, SPREAD_COUNTS, AFFINITY_COUNTS };

/* Moves the counts the pod's workload feeds by delta: all of them, or one plugin's only. */
static void update(cs_world *w, uint32_t pod, uint32_t node, int delta, enum which which)
{
    cs_pod_index *x = w->pod_index;
    if (x == NULL)
        return;
    uint32_t wl = cs_pod_at(w, pod)->workload;
    for (uint32_t f = x->feed_start[wl]; f < x->feed_start[wl + 1]; f++) {
        cs_domain_count *c = &x->counters[x->feed[f]];
        uint32_t d = x->keys[c->key].dom[node];
        bool mine = which == ALL_COUNTS || c->spread == (which == SPREAD_COUNTS);
        if (mine && d != CS_NONE && (c->eligible == NULL || c->eligible[node]))
            counter_add(w, c, d, delta);
    }
}

/* A Terminating pod has already left PodTopologySpread's counts (cs_pod_index_terminating). */
void cs_pod_index_update(cs_world *w, uint32_t pod, uint32_t node, int delta)
{
    update(w, pod, node, delta, cs_pod_at(w, pod)->phase == CS_POD_TERMINATING ? AFFINITY_COUNTS : ALL_COUNTS);
}

void cs_pod_index_terminating(cs_world *w, uint32_t pod, uint32_t node)
{
    update(w, pod, node, -1, SPREAD_COUNTS);
}
