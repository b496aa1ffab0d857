/* pod_terms.c -- topologySpreadConstraints and pod (anti-)affinity terms of a pod template.
 *
 * See pod_terms.h. Field names keep their upstream spelling; each check names the validation
 * rule of pkg/apis/core/validation/validation.go it follows.
 */
#include "pod_terms.h"

#include <inttypes.h>
#include <string.h>

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#define TRY(expr)                    \
    do {                             \
        cs_status st_ = (expr);      \
        if (st_ != CS_OK)            \
            return st_;              \
    } while (0)

/* A field of a mapping, NULL when absent or null (Kubernetes treats null as unset). */
static yaml_node_t *field(const pt_reader *r, const yaml_node_t *map, const char *key)
{
    yaml_node_t *v = NULL;
    for (size_t i = 0; i < yd_n_pairs(map); i++) {
        const char *k = yd_text(yd_key_at(r->yd, map, i));
        if (k != NULL && strcmp(k, key) == 0)
            v = yd_value_at(r->yd, map, i);
    }
    return yd_is_null(v) ? NULL : v;
}

/* n must be a mapping; in strict mode its fields must be among known (sorted) and distinct. */
static cs_status fields_of(pt_reader *r, const yaml_node_t *n, const char *what, const char *const *known,
                           size_t n_known)
{
    TRY(yd_need_type(r->yd, n, YAML_MAPPING_NODE, what));
    for (size_t i = 0; r->strict && i < yd_n_pairs(n); i++) {
        const yaml_node_t *k = yd_key_at(r->yd, n, i);
        const char *key = yd_text(k);
        if (key == NULL)
            return yd_fail_expected(r->yd, k, "a field name");
        for (size_t j = 0; j < i; j++)
            if (strcmp(yd_text(yd_key_at(r->yd, n, j)), key) == 0)
                return yd_fail_at(r->yd, k, "duplicate field '%s', first given at line %zu", key,
                                  yd_key_at(r->yd, n, j)->start_mark.line + 1);
        bool ok = false;
        for (size_t j = 0; j < n_known && !ok; j++)
            ok = strcmp(key, known[j]) == 0;
        if (ok)
            continue;
        char list[300];
        yd_join(list, sizeof list, known, n_known);
        const char *best = yd_closest(key, known, n_known);
        yd_fail_at(r->yd, k, "unknown field '%s'", key);
        if (best != NULL)
            yd_hint(r->yd, "did you mean '%s'? known fields: %s", best, list);
        else
            yd_hint(r->yd, "known fields: %s", list);
        return CS_EINPUT;
    }
    return CS_OK;
}

/* A decimal integer (optional sign) in [lo, hi]. */
static cs_status read_int32(pt_reader *r, const yaml_node_t *n, int32_t lo, int32_t hi, int32_t *out)
{
    const char *s = yd_text(n);
    int64_t v = 0;
    bool ok = s != NULL && *s != '\0', neg = ok && (*s == '-' || *s == '+') && *s++ == '-';
    ok = ok && *s != '\0';
    for (; ok && *s != '\0'; s++) {
        ok = *s >= '0' && *s <= '9' && v < INT64_MAX / 20;
        v = 10 * v + (*s - '0');
    }
    v = neg ? -v : v;
    if (!ok || v < lo || v > hi)
        return yd_fail_at(r->yd, n, "expected an integer between %" PRId32 " and %" PRId32 ", found %s", lo, hi,
                          yd_describe(r->yd, n).s);
    *out = (int32_t)v;
    return CS_OK;
}

/* A required, non-empty string field. */
static cs_status need_string(pt_reader *r, const yaml_node_t *map, const char *key, const char *what,
                             const char **out)
{
    yaml_node_t *v = field(r, map, key);
    size_t m = yd_path_key(r->yd, key);
    if (v == NULL)
        return yd_fail_at(r->yd, map, "missing required field '%s'", key);
    TRY(yd_read_string(r->yd, r->arena, v, what, false, out));
    yd_path_pop(r->yd, m);
    return CS_OK;
}

/* One of the names; *out is its index. */
static cs_status read_name_of(pt_reader *r, const yaml_node_t *n, const char *const *names, size_t count,
                              int *out)
{
    const char *s = yd_text(n);
    for (size_t i = 0; s != NULL && i < count; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (int)i;
            return CS_OK;
        }
    char list[120];
    yd_join(list, sizeof list, names, count);
    return yd_fail_at(r->yd, n, "expected one of %s, found %s", list, yd_describe(r->yd, n).s);
}

/* A sequence of strings (values, matchLabelKeys). */
static cs_status read_strings(pt_reader *r, const yaml_node_t *n, const char *what, const char *const **out,
                              uint32_t *count)
{
    TRY(yd_need_type(r->yd, n, YAML_SEQUENCE_NODE, what));
    size_t len = yd_n_items(n);
    const char **s = cs_arena_calloc(r->arena, len, sizeof *s);
    if (s == NULL && len > 0)
        return yd_oom(r->yd);
    for (size_t i = 0; i < len; i++) {
        size_t m = yd_path_index(r->yd, i);
        TRY(yd_read_string(r->yd, r->arena, yd_item_at(r->yd, n, i), "a string", false, &s[i]));
        yd_path_pop(r->yd, m);
    }
    *out = s;
    *count = (uint32_t)len;
    return CS_OK;
}

/* What ValidateLabelName (IsQualifiedName) and IsValidLabelValue accept, for messages. */
#define LABEL_KEY                                                                                        \
    "a label key such as app or app.kubernetes.io/name: an optional DNS subdomain and '/', then up to 63 " \
    "letters, digits, '-', '_' or '.', alphanumeric at both ends"
#define LABEL_VALUE "a label value: empty, or up to 63 letters, digits, '-', '_' or '.', alphanumeric at both ends"

static const char *const selector_ops[] = {"DoesNotExist", "Exists", "In", "NotIn"};
static const cs_selector_op selector_op_of[] = {CS_OP_DOES_NOT_EXIST, CS_OP_EXISTS, CS_OP_IN, CS_OP_NOT_IN};

/* apimachinery/pkg/apis/meta/v1/validation ValidateLabelSelectorRequirement: In and NotIn take
 * values, Exists and DoesNotExist none; the key is a label key and each value a label value
 * (LabelSelectorValidationOptions.AllowInvalidLabelValueInSelector is false on create). */
static cs_status read_expression(pt_reader *r, const yaml_node_t *n, cs_requirement *q)
{
    static const char *const known[] = {"key", "operator", "values"};
    TRY(fields_of(r, n, "a requirement such as {key: app, operator: In, values: [web]}", known, COUNT_OF(known)));
    TRY(need_string(r, n, "key", "a label key", &q->key));
    if (!yd_is_qualified_name(q->key)) {
        yd_path_key(r->yd, "key");
        return yd_fail_expected(r->yd, field(r, n, "key"), LABEL_KEY);
    }
    yaml_node_t *v = field(r, n, "operator");
    size_t m = yd_path_key(r->yd, "operator");
    if (v == NULL)
        return yd_fail_at(r->yd, n, "missing required field 'operator'");
    int op = 0;
    TRY(read_name_of(r, v, selector_ops, COUNT_OF(selector_ops), &op));
    q->op = selector_op_of[op];
    yd_path_pop(r->yd, m);
    if ((v = field(r, n, "values")) != NULL) {
        m = yd_path_key(r->yd, "values");
        TRY(read_strings(r, v, "a sequence of values such as [web]", &q->values, &q->n_values));
        for (uint32_t i = 0; i < q->n_values; i++)
            if (!yd_is_label_value(q->values[i])) {
                yd_path_index(r->yd, i);
                return yd_fail_expected(r->yd, yd_item_at(r->yd, v, i), LABEL_VALUE);
            }
        yd_path_pop(r->yd, m);
    }
    bool want = q->op == CS_OP_IN || q->op == CS_OP_NOT_IN;
    if (want != (q->n_values > 0)) {
        m = yd_path_key(r->yd, "values");
        return yd_fail_at(r->yd, v != NULL ? v : n, "expected %s with operator %s, found %s",
                          want ? "values" : "no values", selector_ops[op], yd_describe(r->yd, v).s);
    }
    return CS_OK;
}

cs_status pt_read_selector(pt_reader *r, const yaml_node_t *n, cs_label_selector *sel)
{
    static const char *const known[] = {"matchExpressions", "matchLabels"};
    TRY(fields_of(r, n, "a label selector such as {matchLabels: {app: web}}", known, COUNT_OF(known)));
    sel->present = true;
    yaml_node_t *v;
    if ((v = field(r, n, "matchLabels")) != NULL) {
        size_t m = yd_path_key(r->yd, "matchLabels");
        TRY(yd_need_type(r->yd, v, YAML_MAPPING_NODE, "a mapping of label keys to values such as {app: web}"));
        size_t len = yd_n_pairs(v);
        cs_label *l = cs_arena_calloc(r->arena, len, sizeof *l);
        if (l == NULL && len > 0)
            return yd_oom(r->yd);
        /* ValidateLabelSelector checks matchLabels as ValidateLabels does: keys and values. */
        for (size_t i = 0; i < len; i++) {
            const yaml_node_t *key = yd_key_at(r->yd, v, i), *value = yd_value_at(r->yd, v, i);
            TRY(yd_read_string(r->yd, r->arena, key, "a label key", false, &l[i].key));
            size_t mk = yd_path_key(r->yd, l[i].key);
            if (!yd_is_qualified_name(l[i].key))
                return yd_fail_expected(r->yd, key, LABEL_KEY);
            TRY(yd_read_string(r->yd, r->arena, value, "a label value (a string)", true, &l[i].value));
            if (!yd_is_label_value(l[i].value))
                return yd_fail_expected(r->yd, value, LABEL_VALUE);
            yd_path_pop(r->yd, mk);
        }
        sel->match_labels = l;
        sel->n_match_labels = (uint32_t)len;
        yd_path_pop(r->yd, m);
    }
    if ((v = field(r, n, "matchExpressions")) != NULL) {
        size_t m = yd_path_key(r->yd, "matchExpressions");
        TRY(yd_need_type(r->yd, v, YAML_SEQUENCE_NODE, "a sequence of requirements"));
        size_t len = yd_n_items(v);
        cs_requirement *q = cs_arena_calloc(r->arena, len, sizeof *q);
        if (q == NULL && len > 0)
            return yd_oom(r->yd);
        for (size_t i = 0; i < len; i++) {
            size_t mi = yd_path_index(r->yd, i);
            TRY(read_expression(r, yd_item_at(r->yd, v, i), &q[i]));
            yd_path_pop(r->yd, mi);
        }
        sel->match_expressions = q;
        sel->n_match_expressions = (uint32_t)len;
        yd_path_pop(r->yd, m);
    }
    return CS_OK;
}

/* The value of key among labels, or NULL. */
static const char *label_value(const cs_label *labels, uint32_t n, const char *key)
{
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(labels[i].key, key) == 0)
            return labels[i].value;
    return NULL;
}

/* A requirement as apimachinery/pkg/labels/selector.go Requirement.Matches has it for the four
 * operators of a label selector: In wants the label listed, NotIn absent or unlisted. */
static bool expression_holds(const cs_requirement *q, const char *have)
{
    if (q->op == CS_OP_EXISTS || q->op == CS_OP_DOES_NOT_EXIST)
        return (have != NULL) == (q->op == CS_OP_EXISTS);
    bool listed = false;
    for (uint32_t i = 0; have != NULL && i < q->n_values && !listed; i++)
        listed = strcmp(have, q->values[i]) == 0;
    return listed == (q->op == CS_OP_IN);
}

int pt_selector_mismatch(const cs_label_selector *sel, const cs_label *labels, uint32_t n_labels)
{
    for (uint32_t i = 0; i < sel->n_match_labels; i++) {
        const char *have = label_value(labels, n_labels, sel->match_labels[i].key);
        if (have == NULL || strcmp(have, sel->match_labels[i].value) != 0)
            return (int)i;
    }
    for (uint32_t i = 0; i < sel->n_match_expressions; i++)
        if (!expression_holds(&sel->match_expressions[i],
                              label_value(labels, n_labels, sel->match_expressions[i].key)))
            return (int)(sel->n_match_labels + i);
    return -1;
}

/* An optional labelSelector field. */
static cs_status opt_selector(pt_reader *r, const yaml_node_t *map, cs_label_selector *sel)
{
    yaml_node_t *v = field(r, map, "labelSelector");
    if (v == NULL)
        return CS_OK;
    size_t m = yd_path_key(r->yd, "labelSelector");
    TRY(pt_read_selector(r, v, sel));
    yd_path_pop(r->yd, m);
    return CS_OK;
}

static const char *const policies[] = {"Honor", "Ignore"};

static cs_status read_policy(pt_reader *r, const yaml_node_t *map, const char *key, bool *honor)
{
    yaml_node_t *v = field(r, map, key);
    if (v == NULL)
        return CS_OK;
    size_t m = yd_path_key(r->yd, key);
    int which = 0;
    TRY(read_name_of(r, v, policies, COUNT_OF(policies), &which));
    *honor = which == 0;
    yd_path_pop(r->yd, m);
    return CS_OK;
}

/* validation.go validateTopologySpreadConstraints: maxSkew > 0, a topologyKey, whenUnsatisfiable
 * DoNotSchedule or ScheduleAnyway, minDomains > 0 and only with DoNotSchedule, each
 * {topologyKey, whenUnsatisfiable} pair once. Defaults (podtopologyspread/common.go
 * filterTopologySpreadConstraints): minDomains 1, nodeAffinityPolicy Honor, nodeTaintsPolicy
 * Ignore. */
static cs_status read_constraint(pt_reader *r, const yaml_node_t *n, const cs_spread_constraint *before,
                                 size_t n_before, cs_spread_constraint *c)
{
    static const char *const known[] = {"labelSelector",      "matchLabelKeys", "maxSkew",
                                        "minDomains",         "nodeAffinityPolicy", "nodeTaintsPolicy",
                                        "topologyKey",        "whenUnsatisfiable"};
    static const char *const actions[] = {"DoNotSchedule", "ScheduleAnyway"};
    TRY(fields_of(r, n, "a constraint such as {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, "
                        "whenUnsatisfiable: DoNotSchedule}",
                  known, COUNT_OF(known)));
    *c = (cs_spread_constraint){.min_domains = 1, .honor_node_affinity = true,
                                .line = yd_to_int(n->start_mark.line + 1)};
    yaml_node_t *v = field(r, n, "maxSkew");
    size_t m = yd_path_key(r->yd, "maxSkew");
    if (v == NULL)
        return yd_fail_at(r->yd, n, "missing required field 'maxSkew'");
    TRY(read_int32(r, v, 1, INT32_MAX, &c->max_skew));
    yd_path_pop(r->yd, m);
    TRY(need_string(r, n, "topologyKey", "a node label key such as topology.kubernetes.io/zone", &c->topology_key));
    v = field(r, n, "whenUnsatisfiable");
    m = yd_path_key(r->yd, "whenUnsatisfiable");
    if (v == NULL)
        return yd_fail_at(r->yd, n, "missing required field 'whenUnsatisfiable'");
    int action = 0;
    TRY(read_name_of(r, v, actions, COUNT_OF(actions), &action));
    c->schedule_anyway = action == 1;
    for (size_t i = 0; i < n_before; i++)
        if (strcmp(before[i].topology_key, c->topology_key) == 0 && before[i].schedule_anyway == c->schedule_anyway)
            return yd_fail_at(r->yd, v, "expected each {topologyKey, whenUnsatisfiable} pair once, found %s %s again "
                                        "(first at line %d)",
                              c->topology_key, actions[action], before[i].line);
    yd_path_pop(r->yd, m);
    if ((v = field(r, n, "minDomains")) != NULL) {
        m = yd_path_key(r->yd, "minDomains");
        TRY(read_int32(r, v, 1, INT32_MAX, &c->min_domains));
        if (c->schedule_anyway)
            return yd_fail_at(r->yd, v, "expected minDomains only with whenUnsatisfiable DoNotSchedule, found %s",
                              yd_describe(r->yd, v).s);
        yd_path_pop(r->yd, m);
    }
    TRY(opt_selector(r, n, &c->selector));
    if ((v = field(r, n, "matchLabelKeys")) != NULL) {
        m = yd_path_key(r->yd, "matchLabelKeys");
        TRY(read_strings(r, v, "a sequence of label keys such as [pod-template-hash]", &c->match_label_keys,
                         &c->n_match_label_keys));
        yd_path_pop(r->yd, m);
    }
    TRY(read_policy(r, n, "nodeAffinityPolicy", &c->honor_node_affinity));
    return read_policy(r, n, "nodeTaintsPolicy", &c->honor_node_taints);
}

cs_status pt_read_spread(pt_reader *r, const yaml_node_t *n, cs_workload *wl)
{
    TRY(yd_need_type(r->yd, n, YAML_SEQUENCE_NODE,
                     "a sequence of constraints such as [{maxSkew: 1, topologyKey: kubernetes.io/hostname, "
                     "whenUnsatisfiable: DoNotSchedule}]"));
    size_t len = yd_n_items(n);
    cs_spread_constraint *c = cs_arena_calloc(r->arena, len, sizeof *c);
    if (c == NULL && len > 0)
        return yd_oom(r->yd);
    for (size_t i = 0; i < len; i++) {
        size_t m = yd_path_index(r->yd, i);
        TRY(read_constraint(r, yd_item_at(r->yd, n, i), c, i, &c[i]));
        yd_path_pop(r->yd, m);
    }
    wl->spread = c;
    wl->n_spread = (uint32_t)len;
    return CS_OK;
}

/* A PodAffinityTerm (validation.go validatePodAffinityTerm: a topologyKey is required). Namespaces
 * and namespaceSelector are accepted in manifests and ignored: the model has one namespace. */
static cs_status read_term(pt_reader *r, const yaml_node_t *n, cs_pod_affinity_term *t)
{
    static const char *const known[] = {"labelSelector", "topologyKey"};
    TRY(fields_of(r, n, "a pod affinity term such as {labelSelector: {matchLabels: {app: web}}, topologyKey: "
                        "kubernetes.io/hostname}",
                  known, COUNT_OF(known)));
    TRY(opt_selector(r, n, &t->selector));
    return need_string(r, n, "topologyKey", "a node label key such as kubernetes.io/hostname", &t->topology_key);
}

/* WeightedPodAffinityTerm: weight 1..100 (validation.go validateWeightedPodAffinityTerms). */
static cs_status read_weighted(pt_reader *r, const yaml_node_t *n, cs_pod_affinity_term *t)
{
    static const char *const known[] = {"podAffinityTerm", "weight"};
    TRY(fields_of(r, n, "a weighted term such as {weight: 10, podAffinityTerm: {...}}", known, COUNT_OF(known)));
    yaml_node_t *v = field(r, n, "weight");
    size_t m = yd_path_key(r->yd, "weight");
    if (v == NULL)
        return yd_fail_at(r->yd, n, "missing required field 'weight'");
    int32_t weight = 0;
    TRY(read_int32(r, v, 1, 100, &weight));
    yd_path_pop(r->yd, m);
    v = field(r, n, "podAffinityTerm");
    m = yd_path_key(r->yd, "podAffinityTerm");
    if (v == NULL)
        return yd_fail_at(r->yd, n, "missing required field 'podAffinityTerm'");
    TRY(read_term(r, v, t));
    t->weight = weight;
    yd_path_pop(r->yd, m);
    return CS_OK;
}

static cs_status read_terms(pt_reader *r, const yaml_node_t *n, bool weighted, const cs_pod_affinity_term **out,
                            uint32_t *count)
{
    TRY(yd_need_type(r->yd, n, YAML_SEQUENCE_NODE, weighted ? "a sequence of weighted pod affinity terms"
                                                            : "a sequence of pod affinity terms"));
    size_t len = yd_n_items(n);
    cs_pod_affinity_term *t = cs_arena_calloc(r->arena, len, sizeof *t);
    if (t == NULL && len > 0)
        return yd_oom(r->yd);
    for (size_t i = 0; i < len; i++) {
        size_t m = yd_path_index(r->yd, i);
        const yaml_node_t *e = yd_item_at(r->yd, n, i);
        TRY(weighted ? read_weighted(r, e, &t[i]) : read_term(r, e, &t[i]));
        yd_path_pop(r->yd, m);
    }
    *out = t;
    *count = (uint32_t)len;
    return CS_OK;
}

cs_status pt_read_pod_affinity(pt_reader *r, const yaml_node_t *n, bool anti, cs_workload *wl)
{
    static const char *const known[] = {"preferredDuringSchedulingIgnoredDuringExecution",
                                        "requiredDuringSchedulingIgnoredDuringExecution"};
    TRY(fields_of(r, n, "a mapping with requiredDuringSchedulingIgnoredDuringExecution or "
                        "preferredDuringSchedulingIgnoredDuringExecution",
                  known, COUNT_OF(known)));
    yaml_node_t *v;
    if ((v = field(r, n, known[1])) != NULL) {
        size_t m = yd_path_key(r->yd, known[1]);
        TRY(read_terms(r, v, false, anti ? &wl->anti_required : &wl->affinity_required,
                       anti ? &wl->n_anti_required : &wl->n_affinity_required));
        yd_path_pop(r->yd, m);
    }
    if ((v = field(r, n, known[0])) != NULL) {
        size_t m = yd_path_key(r->yd, known[0]);
        TRY(read_terms(r, v, true, anti ? &wl->anti_preferred : &wl->affinity_preferred,
                       anti ? &wl->n_anti_preferred : &wl->n_affinity_preferred));
        yd_path_pop(r->yd, m);
    }
    return CS_OK;
}
