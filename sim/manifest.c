/* manifest.c -- Kubernetes manifests into node pools, workloads and services (manifest.h).
 *
 * Real manifests carry far more than the simulator models: every document is read, the kinds
 * we understand are walked along the fields we use, and everything else is passed over (an
 * unknown field is not an error here, unlike in a Scenario). What we do read is checked as
 * strictly as the API server would: a bad quantity, a sequence where a mapping belongs, an
 * unknown operator, a workload whose spec.selector does not select its own template, each
 * stops the load with file, line, column and the object's field path.
 *
 * The rules follow upstream, and name it: requests default to limits
 * (pkg/apis/core/v1/defaults.go SetDefaults_Pod), the pod's effective request is
 * component-helpers/resource PodRequests (sum of containers and restartable init containers,
 * max with each init container plus the sidecars started before it, plus spec.overhead),
 * priorities come from plugin/pkg/admission/priority.
 *
 * The generic YAML helpers (node access, messages, the field path, name tables) are shared
 * with scenario.c in yaml_doc.c; the walk here is its own, since the two readers differ in how
 * they treat unknown fields and duplicate keys.
 */
#include "manifest.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "clustersim/quantity.h"
#include "clustersim/series.h"
#include "pod_terms.h"
#include "yaml_doc.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#define TRY(expr)                   \
    do {                            \
        cs_status try_ = (expr);    \
        if (try_ != CS_OK)          \
            return try_;            \
    } while (0)

enum {
    MAX_FILE_BYTES = 64 << 20,
    MAX_NODES = 1000000,          /* as scenario.c: the whole cluster */
    MAX_REPLICAS = 1000000,
    DEFAULT_MAX_PODS = 110,       /* kubelet --max-pods */
    DEFAULT_STARTUP_S = 10,
    LABEL_MAX_LEN = 63,
};

/* Built-in classes (pkg/apis/scheduling/types.go SystemClusterCritical, SystemNodeCritical). */
#define SYSTEM_CRITICAL 2000000000

/* Resources a container or a pod requests, with which were given (limits default only those
 * that are absent). */
enum { R_CPU, R_MEM, R_EPH, R_COUNT, R_ALL = R_COUNT + CS_MAX_EXTENDED };
typedef struct res {
    int64_t v[R_ALL];      /* then extended resources: v[R_COUNT + cs_config.extended id] */
    bool has[R_ALL];
} res;

typedef struct pending_pool {
    cs_node_pool pool;
    const char *zone;             /* topology.kubernetes.io/zone, or NULL */
    const char *file;
} pending_pool;

typedef struct pending_workload {
    cs_workload w;
    const char *file;
    const char *class_name;       /* priorityClassName, or NULL */
    bool has_priority;            /* spec.priority given */
    int32_t priority;
    int line, col;                /* of priorityClassName (or priority), for messages */
    const char *where;            /* its path, "deployment/web: spec.template.spec.priorityClassName" */
    bool has_policy;              /* spec.preemptionPolicy given (in w.preempt_never) */
} pending_workload;

typedef struct prio_class {
    const char *name;
    int32_t value;
    bool global_default;
    bool never;                   /* preemptionPolicy: Never */
} prio_class;

typedef struct kind_count {
    const char *kind;
    uint32_t n;
} kind_count;

struct cs_manifest {
    cs_config *cfg;
    cs_arena *arena;              /* the config's: what it keeps */
    cs_arena *tmp;                /* ours: tables and pending objects */
    pending_pool *pools;
    uint32_t n_pools, cap_pools;
    pending_workload *wls;
    uint32_t n_wls, cap_wls;
    cs_service *services;
    uint32_t n_services, cap_services;
    prio_class *classes;
    uint32_t n_classes, cap_classes;
    kind_count *kinds;
    uint32_t n_kinds, cap_kinds;
    cs_pdb *pdbs;
    uint32_t n_pdbs, cap_pdbs;
    yd_names pool_names, wl_names, service_names, class_names, kind_names, pdb_names;
    uint32_t n_nodes;             /* the config's and ours */
};

/* One file being read. */
typedef struct reader {
    cs_manifest *m;
    yd_doc yd;                    /* file (in the config's arena), document, diag, path */
    const char *data;
    size_t len;
    char obj[96];                 /* "deployment/web", or "deployment" before the name is known */
} reader;

/* ---- diagnostics ------------------------------------------------------------------------ */

static void diag_oom(cs_diag *d, const char *file)
{
    memset(d, 0, sizeof *d);
    yd_copy_str(d->file, sizeof d->file, file != NULL ? file : "");
    yd_copy_str(d->msg, sizeof d->msg, "out of memory");
}

/* ---- nodes ------------------------------------------------------------------------------ */

/* A field of a mapping; NULL when absent or null (Kubernetes treats null as unset). The last
 * of duplicate keys wins, as in the JSON decoders upstream. */
static yaml_node_t *get(const reader *r, const yaml_node_t *map, const char *key)
{
    if (map == NULL || map->type != YAML_MAPPING_NODE)
        return NULL;
    yaml_node_t *v = NULL;
    for (size_t i = 0; i < yd_n_pairs(map); i++) {
        const char *k = yd_text(yd_key_at(&r->yd, map, i));
        if (k != NULL && strcmp(k, key) == 0)
            v = yd_value_at(&r->yd, map, i);
    }
    return yd_is_null(v) ? NULL : v;
}

/* ---- tables and growth ------------------------------------------------------------------ */

/* Makes room for one more element of a pending array in the scratch arena; NULL when out of memory. */
static void *grow(cs_arena *tmp, void *items, uint32_t n, uint32_t *cap, size_t size)
{
    if (n < *cap)
        return items;
    uint32_t want = *cap == 0 ? 8 : 2 * *cap;
    void *p = cs_arena_calloc(tmp, want, size);
    if (p == NULL)
        return NULL;
    if (n > 0)
        memcpy(p, items, (size_t)n * size);
    *cap = want;
    return p;
}

#define PUSH(r, arr, n, cap)                                                      \
    do {                                                                          \
        void *grown_ = grow((r)->m->tmp, (arr), (n), &(cap), sizeof *(arr));      \
        if (grown_ == NULL)                                                       \
            return yd_oom(&r->yd);                                                        \
        (arr) = grown_;                                                           \
    } while (0)

/* ---- scalars ---------------------------------------------------------------------------- */

/* A decimal integer with an optional sign, in [lo, hi]. Quoting is allowed, as in Scenarios. */
static cs_status read_int(reader *r, const yaml_node_t *n, int64_t lo, int64_t hi, int64_t *out)
{
    const char *s = yd_text(n), *p = s;
    bool neg = false, ok = s != NULL;
    if (ok && (*p == '-' || *p == '+'))
        neg = *p++ == '-';
    ok = ok && *p != '\0';
    uint64_t v = 0;
    for (; ok && *p != '\0'; p++) {
        unsigned digit = (unsigned)(*p - '0');
        if (*p < '0' || *p > '9' || v > ((uint64_t)INT64_MAX - digit) / 10)
            ok = false;
        else
            v = 10 * v + digit;
    }
    int64_t x = neg ? -(int64_t)v : (int64_t)v;
    if (!ok || x < lo || x > hi)
        return yd_fail_at(&r->yd, n, "expected an integer between %" PRId64 " and %" PRId64 ", found %s", lo, hi,
                          yd_describe(&r->yd, n).s);
    *out = x;
    return CS_OK;
}

/* A boolean as the YAML 1.1 decoder upstream reads it (sigs.k8s.io/yaml over go-yaml v2). */
static cs_status read_bool(reader *r, const yaml_node_t *n, bool *out)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
    const char *s = yd_text(n);
    for (size_t i = 0; s != NULL && i < COUNT_OF(yes); i++) {
        if (strcmp(s, yes[i]) == 0) {
            *out = true;
            return CS_OK;
        }
        if (strcmp(s, no[i]) == 0) {
            *out = false;
            return CS_OK;
        }
    }
    return yd_fail_expected(&r->yd, n, "true or false");
}

/* A Kubernetes quantity >= 0: CPU in millicores, the others in whole units. */
static cs_status read_qty(reader *r, const yaml_node_t *n, int kind, int64_t *out)
{
    static const char *const what[R_COUNT] = {"a CPU quantity such as 500m or 2",
                                              "a memory quantity such as 512Mi or 16Gi",
                                              "a storage quantity such as 1Gi"};
    const char *s = yd_text(n);
    int64_t v = 0;
    bool ok = s != NULL && (kind == R_CPU ? cs_parse_quantity_milli(s, &v, NULL) : cs_parse_quantity_value(s, &v, NULL));
    if (!ok)
        return yd_fail_expected(&r->yd, n, what[kind]);
    if (v < 0)
        return yd_fail_at(&r->yd, n, "expected a quantity >= 0, found %s", yd_describe(&r->yd, n).s);
    *out = v;
    return CS_OK;
}

static const char *const res_keys[R_COUNT] = {"cpu", "memory", "ephemeral-storage"};

/* A ResourceList (requests, limits, overhead, allocatable): the resources we model, with
 * extended resources (nvidia.com/gpu, hugepages-2Mi) as whole numbers, as the API server's
 * validation requires (ValidateResourceQuantityValue, IsIntegerResourceName); other names
 * (pods, attachable volumes) are passed over. */
static cs_status read_res(reader *r, const yaml_node_t *n, res *out)
{
    TRY(yd_need_type(&r->yd, n, YAML_MAPPING_NODE, "a mapping of resources such as {cpu: 500m, memory: 1Gi}"));
    for (int k = 0; k < R_COUNT; k++) {
        yaml_node_t *v = get(r, n, res_keys[k]);
        if (v == NULL)
            continue;
        size_t m = yd_path_key(&r->yd, res_keys[k]);
        TRY(read_qty(r, v, k, &out->v[k]));
        out->has[k] = true;
        yd_path_pop(&r->yd, m);
    }
    for (size_t i = 0; i < yd_n_pairs(n); i++) {
        yaml_node_t *key = yd_key_at(&r->yd, n, i), *v = yd_value_at(&r->yd, n, i);
        const char *name = yd_text(key);
        if (name == NULL || !cs_config_is_extended_name(name))
            continue;
        size_t m = yd_path_key(&r->yd, name);
        uint32_t id = 0;
        cs_status st = cs_config_extended_id(r->m->cfg, name, &id);
        if (st == CS_ENOMEM)
            return yd_oom(&r->yd);
        if (st != CS_OK)
            return yd_fail_at(&r->yd, key, "expected at most %d distinct extended resources, found '%s' as one more",
                              CS_MAX_EXTENDED, name);
        const char *s = yd_text(v);
        int64_t milli = 0;
        if (s == NULL || !cs_parse_quantity_milli(s, &milli, NULL) || milli < 0 || milli % 1000 != 0)
            return yd_fail_expected(&r->yd, v, "a whole number >= 0 (an extended resource), such as 1");
        out->v[R_COUNT + id] = milli / 1000;
        out->has[R_COUNT + id] = true;
        yd_path_pop(&r->yd, m);
    }
    return CS_OK;
}

static int64_t sat_add(int64_t a, int64_t b)
{
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

static void res_add(res *a, const res *b)
{
    for (int k = 0; k < R_ALL; k++)
        a->v[k] = sat_add(a->v[k], b->v[k]);
}

static void res_max(res *a, const res *b)
{
    for (int k = 0; k < R_ALL; k++)
        if (b->v[k] > a->v[k])
            a->v[k] = b->v[k];
}

static cs_status read_labels(reader *r, const yaml_node_t *n, const cs_label **out, uint32_t *count)
{
    TRY(yd_need_type(&r->yd, n, YAML_MAPPING_NODE, "a mapping of label keys to values such as {app: web}"));
    size_t len = yd_n_pairs(n);
    cs_label *labels = cs_arena_calloc(r->m->arena, len, sizeof *labels);
    if (labels == NULL && len > 0)
        return yd_oom(&r->yd);
    for (size_t i = 0; i < len; i++) {
        yaml_node_t *k = yd_key_at(&r->yd, n, i);
        TRY(yd_read_string(&r->yd, r->m->arena, k, "a label key", false, &labels[i].key));
        size_t m = yd_path_key(&r->yd, labels[i].key);
        TRY(yd_read_string(&r->yd, r->m->arena, yd_value_at(&r->yd, n, i), "a label value (a string)", true,
                           &labels[i].value));
        yd_path_pop(&r->yd, m);
    }
    *out = labels;
    *count = (uint32_t)len;
    return CS_OK;
}

typedef struct choice {
    const char *name;
    int value;
} choice;

static cs_status read_choice(reader *r, const yaml_node_t *n, const choice *choices, size_t count,
                             const char *list, int *out)
{
    const char *s = yd_text(n);
    for (size_t i = 0; s != NULL && i < count; i++)
        if (strcmp(s, choices[i].name) == 0) {
            *out = choices[i].value;
            return CS_OK;
        }
    return yd_fail_at(&r->yd, n, "expected one of %s, found %s", list, yd_describe(&r->yd, n).s);
}

static const choice taint_effects[] = {
    {"NoExecute", CS_TAINT_NO_EXECUTE},
    {"NoSchedule", CS_TAINT_NO_SCHEDULE},
    {"PreferNoSchedule", CS_TAINT_PREFER_NO_SCHEDULE},
};
#define TAINT_EFFECTS "NoExecute, NoSchedule, PreferNoSchedule"

/* ---- objects: names --------------------------------------------------------------------- */

static void lower(char *dst, size_t size, const char *s)
{
    size_t i = 0;
    for (; s[i] != '\0' && i + 1 < size; i++)
        dst[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
    dst[i] = '\0';
}

/* metadata.name: a DNS-1123 subdomain. Sets r->obj to "<kind>/<name>". */
static cs_status read_object_name(reader *r, const yaml_node_t *obj, const char *kind, const char **out)
{
    char lk[48];
    lower(lk, sizeof lk, kind);
    snprintf(r->obj, sizeof r->obj, "%s", lk);
    yaml_node_t *meta = get(r, obj, "metadata");
    size_t m = yd_path_key(&r->yd, "metadata");
    if (meta == NULL)
        return yd_fail_at(&r->yd, obj, "missing required field 'metadata'");
    TRY(yd_need_type(&r->yd, meta, YAML_MAPPING_NODE, "a mapping with name"));
    yaml_node_t *v = get(r, meta, "name");
    yd_path_key(&r->yd, "name");
    if (v == NULL)
        return yd_fail_at(&r->yd, meta, "missing required field 'name'");
    const char *s = yd_text(v);
    if (s == NULL || !yd_is_dns_subdomain(s, strlen(s)))
        return yd_fail_expected(&r->yd, v,
                                "a name of lowercase letters, digits, '-' and '.' that starts and ends with a "
                                "letter or digit (a DNS-1123 subdomain)");
    yd_path_pop(&r->yd, m);
    char *copy = cs_arena_strdup(r->m->arena, s);
    if (copy == NULL)
        return yd_oom(&r->yd);
    snprintf(r->obj, sizeof r->obj, "%s/%s", lk, s);
    *out = copy;
    return CS_OK;
}

/* ---- pod templates ---------------------------------------------------------------------- */

/* One container's requests, defaulted from its limits per resource (SetDefaults_Pod: "If
 * limits are specified, but requests are not, default requests to limits"). */
static cs_status read_container(reader *r, const yaml_node_t *c, bool init, bool *restartable, res *out)
{
    TRY(yd_need_type(&r->yd, c, YAML_MAPPING_NODE, "a container (a mapping with name and image)"));
    res req = {0}, lim = {0};
    yaml_node_t *resources = get(r, c, "resources");
    if (resources != NULL) {
        size_t m = yd_path_key(&r->yd, "resources");
        TRY(yd_need_type(&r->yd, resources, YAML_MAPPING_NODE, "a mapping such as {requests: {cpu: 500m}}"));
        yaml_node_t *v;
        if ((v = get(r, resources, "requests")) != NULL) {
            size_t k = yd_path_key(&r->yd, "requests");
            TRY(read_res(r, v, &req));
            yd_path_pop(&r->yd, k);
        }
        if ((v = get(r, resources, "limits")) != NULL) {
            size_t k = yd_path_key(&r->yd, "limits");
            TRY(read_res(r, v, &lim));
            yd_path_pop(&r->yd, k);
        }
        yd_path_pop(&r->yd, m);
    }
    for (int k = 0; k < R_ALL; k++)
        if (lim.has[k] && !req.has[k]) {
            req.v[k] = lim.v[k];
            req.has[k] = true;
        }
    /* An extended resource cannot be overcommitted: a request needs an equal limit
     * (pkg/apis/core/validation ValidateResourceRequirements, IsOvercommitAllowed). */
    for (int k = R_COUNT; k < R_ALL; k++)
        if (req.has[k] && (!lim.has[k] || lim.v[k] != req.v[k])) {
            const char *name = r->m->cfg->extended[k - R_COUNT];
            yaml_node_t *q = get(r, get(r, resources, "requests"), name);
            yd_path_key(&r->yd, "resources.requests");
            yd_path_key(&r->yd, name);
            return yd_fail_at(&r->yd, q, "expected a request equal to the limit of %s (it cannot be overcommitted), "
                              "found %s with %s", name, yd_describe(&r->yd, q).s, lim.has[k] ? "another limit" : "no limit");
        }
    *restartable = false;
    yaml_node_t *policy = init ? get(r, c, "restartPolicy") : NULL;
    if (policy != NULL) {
        size_t m = yd_path_key(&r->yd, "restartPolicy");
        const char *s = yd_text(policy);
        if (s == NULL || strcmp(s, "Always") != 0)
            return yd_fail_expected(&r->yd, policy, "Always (the only restartPolicy an init container may have)");
        *restartable = true;
        yd_path_pop(&r->yd, m);
    }
    *out = req;
    return CS_OK;
}

/* The pod's effective request, as component-helpers/resource PodRequests computes it (the
 * scheduler's NodeResourcesFit calls it): containers and restartable init containers
 * (sidecars) add up; each other init container needs its own request plus the sidecars
 * started before it; the pod needs the larger of the two, per resource, plus spec.overhead.
 * Quantities are rounded per container rather than once on the sum, which differs only for
 * requests finer than a millicore or a byte. */
static cs_status pod_requests(reader *r, const yaml_node_t *spec, cs_resources *out)
{
    res sum = {0}, sidecars = {0}, init_max = {0};
    yaml_node_t *v;
    if ((v = get(r, spec, "containers")) != NULL) {
        size_t m = yd_path_key(&r->yd, "containers");
        TRY(yd_need_type(&r->yd, v, YAML_SEQUENCE_NODE, "a sequence of containers"));
        for (size_t i = 0; i < yd_n_items(v); i++) {
            size_t mi = yd_path_index(&r->yd, i);
            res c;
            bool restartable;
            TRY(read_container(r, yd_item_at(&r->yd, v, i), false, &restartable, &c));
            res_add(&sum, &c);
            yd_path_pop(&r->yd, mi);
        }
        yd_path_pop(&r->yd, m);
    }
    if ((v = get(r, spec, "initContainers")) != NULL) {
        size_t m = yd_path_key(&r->yd, "initContainers");
        TRY(yd_need_type(&r->yd, v, YAML_SEQUENCE_NODE, "a sequence of containers"));
        for (size_t i = 0; i < yd_n_items(v); i++) {
            size_t mi = yd_path_index(&r->yd, i);
            res c;
            bool restartable;
            TRY(read_container(r, yd_item_at(&r->yd, v, i), true, &restartable, &c));
            if (restartable) {
                res_add(&sum, &c);
                res_add(&sidecars, &c);
                res_max(&init_max, &sidecars);
            } else {
                res_add(&c, &sidecars);
                res_max(&init_max, &c);
            }
            yd_path_pop(&r->yd, mi);
        }
        yd_path_pop(&r->yd, m);
    }
    res_max(&sum, &init_max);
    if ((v = get(r, spec, "overhead")) != NULL) {
        size_t m = yd_path_key(&r->yd, "overhead");
        res o = {0};
        TRY(read_res(r, v, &o));
        res_add(&sum, &o);
        yd_path_pop(&r->yd, m);
    }
    out->cpu_milli = sum.v[R_CPU];
    out->mem_bytes = sum.v[R_MEM];
    out->ephemeral_bytes = sum.v[R_EPH];
    for (int k = 0; k < CS_MAX_EXTENDED; k++)
        out->ext[k] = sum.v[R_COUNT + k];
    out->pods = 1;
    return CS_OK;
}

static const choice selector_ops[] = {
    {"DoesNotExist", CS_OP_DOES_NOT_EXIST}, {"Exists", CS_OP_EXISTS}, {"Gt", CS_OP_GT},
    {"In", CS_OP_IN},                       {"Lt", CS_OP_LT},         {"NotIn", CS_OP_NOT_IN},
};

/* A NodeSelectorRequirement, checked as pkg/apis/core/validation validateNodeSelectorRequirement
 * and validateNodeFieldSelectorRequirement do. */
static cs_status read_requirement(reader *r, const yaml_node_t *n, bool field, cs_requirement *q)
{
    TRY(yd_need_type(&r->yd, n, YAML_MAPPING_NODE,
                     "a requirement such as {key: disktype, operator: In, values: [ssd]}"));
    yaml_node_t *v;
    size_t m = yd_path_key(&r->yd, "key");
    if ((v = get(r, n, "key")) == NULL)
        return yd_fail_at(&r->yd, n, "missing required field 'key'");
    TRY(yd_read_string(&r->yd, r->m->arena, v, "a label key", false, &q->key));
    if (field && strcmp(q->key, "metadata.name") != 0)
        return yd_fail_expected(&r->yd, v, "metadata.name (the only field matchFields supports)");
    yd_path_pop(&r->yd, m);
    m = yd_path_key(&r->yd, "operator");
    if ((v = get(r, n, "operator")) == NULL)
        return yd_fail_at(&r->yd, n, "missing required field 'operator'");
    static const choice field_ops[] = {{"In", CS_OP_IN}, {"NotIn", CS_OP_NOT_IN}};
    int op = 0;
    if (field)
        TRY(read_choice(r, v, field_ops, COUNT_OF(field_ops), "In, NotIn", &op));
    else
        TRY(read_choice(r, v, selector_ops, COUNT_OF(selector_ops), "DoesNotExist, Exists, Gt, In, Lt, NotIn", &op));
    q->op = (cs_selector_op)op;
    yd_path_pop(&r->yd, m);
    m = yd_path_key(&r->yd, "values");
    yaml_node_t *vals = get(r, n, "values");
    size_t count = 0;
    if (vals != NULL) {
        TRY(yd_need_type(&r->yd, vals, YAML_SEQUENCE_NODE, "a sequence of values"));
        count = yd_n_items(vals);
        const char **out = cs_arena_calloc(r->m->arena, count, sizeof *out);
        if (out == NULL && count > 0)
            return yd_oom(&r->yd);
        for (size_t i = 0; i < count; i++) {
            size_t mi = yd_path_index(&r->yd, i);
            TRY(yd_read_string(&r->yd, r->m->arena, yd_item_at(&r->yd, vals, i), "a value (a string)", true, &out[i]));
            yd_path_pop(&r->yd, mi);
        }
        q->values = out;
        q->n_values = (uint32_t)count;
    }
    const yaml_node_t *at = vals != NULL ? vals : n;
    bool one = q->op == CS_OP_GT || q->op == CS_OP_LT || field;
    if ((q->op == CS_OP_IN || q->op == CS_OP_NOT_IN) && count == 0)
        return yd_fail_at(&r->yd, at, "expected values with operator In or NotIn, found %s",
                          yd_describe(&r->yd, vals).s);
    if ((q->op == CS_OP_EXISTS || q->op == CS_OP_DOES_NOT_EXIST) && count != 0)
        return yd_fail_at(&r->yd, at, "expected no values with operator Exists or DoesNotExist, found %s",
                          yd_describe(&r->yd, vals).s);
    if (one && count != 1)
        return yd_fail_at(&r->yd, at, "expected a single value %s, found %zu",
                          field ? "in matchFields" : "with operator Gt or Lt", count);
    yd_path_pop(&r->yd, m);
    return CS_OK;
}

static cs_status read_requirements(reader *r, const yaml_node_t *n, bool field, const cs_requirement **out,
                                   uint32_t *count)
{
    TRY(yd_need_type(&r->yd, n, YAML_SEQUENCE_NODE, "a sequence of requirements"));
    size_t len = yd_n_items(n);
    cs_requirement *qs = cs_arena_calloc(r->m->arena, len, sizeof *qs);
    if (qs == NULL && len > 0)
        return yd_oom(&r->yd);
    for (size_t i = 0; i < len; i++) {
        size_t m = yd_path_index(&r->yd, i);
        TRY(read_requirement(r, yd_item_at(&r->yd, n, i), field, &qs[i]));
        yd_path_pop(&r->yd, m);
    }
    *out = qs;
    *count = (uint32_t)len;
    return CS_OK;
}

static cs_status read_term(reader *r, const yaml_node_t *n, cs_node_selector_term *t)
{
    TRY(yd_need_type(&r->yd, n, YAML_MAPPING_NODE, "a node selector term (a mapping with matchExpressions)"));
    yaml_node_t *v;
    if ((v = get(r, n, "matchExpressions")) != NULL) {
        size_t m = yd_path_key(&r->yd, "matchExpressions");
        TRY(read_requirements(r, v, false, &t->match_expressions, &t->n_match_expressions));
        yd_path_pop(&r->yd, m);
    }
    if ((v = get(r, n, "matchFields")) != NULL) {
        size_t m = yd_path_key(&r->yd, "matchFields");
        TRY(read_requirements(r, v, true, &t->match_fields, &t->n_match_fields));
        yd_path_pop(&r->yd, m);
    }
    return CS_OK;
}

static cs_status read_node_affinity(reader *r, const yaml_node_t *n, cs_workload *w)
{
    TRY(yd_need_type(&r->yd, n, YAML_MAPPING_NODE, "a mapping with requiredDuringSchedulingIgnoredDuringExecution"));
    yaml_node_t *v;
    if ((v = get(r, n, "requiredDuringSchedulingIgnoredDuringExecution")) != NULL) {
        size_t m = yd_path_key(&r->yd, "requiredDuringSchedulingIgnoredDuringExecution");
        TRY(yd_need_type(&r->yd, v, YAML_MAPPING_NODE, "a mapping with nodeSelectorTerms"));
        yaml_node_t *terms = get(r, v, "nodeSelectorTerms");
        yd_path_key(&r->yd, "nodeSelectorTerms");
        if (terms == NULL || terms->type != YAML_SEQUENCE_NODE || yd_n_items(terms) == 0)
            return yd_fail_expected(&r->yd, terms != NULL ? terms : v, "a non-empty sequence of node selector terms");
        size_t len = yd_n_items(terms);
        cs_node_selector_term *ts = cs_arena_calloc(r->m->arena, len, sizeof *ts);
        if (ts == NULL)
            return yd_oom(&r->yd);
        for (size_t i = 0; i < len; i++) {
            size_t mi = yd_path_index(&r->yd, i);
            TRY(read_term(r, yd_item_at(&r->yd, terms, i), &ts[i]));
            yd_path_pop(&r->yd, mi);
        }
        w->required_terms = ts;
        w->n_required_terms = (uint32_t)len;
        yd_path_pop(&r->yd, m);
    }
    if ((v = get(r, n, "preferredDuringSchedulingIgnoredDuringExecution")) != NULL) {
        size_t m = yd_path_key(&r->yd, "preferredDuringSchedulingIgnoredDuringExecution");
        TRY(yd_need_type(&r->yd, v, YAML_SEQUENCE_NODE, "a sequence of {weight, preference}"));
        size_t len = yd_n_items(v);
        cs_preferred_term *ps = cs_arena_calloc(r->m->arena, len, sizeof *ps);
        if (ps == NULL && len > 0)
            return yd_oom(&r->yd);
        for (size_t i = 0; i < len; i++) {
            size_t mi = yd_path_index(&r->yd, i);
            const yaml_node_t *p = yd_item_at(&r->yd, v, i);
            TRY(yd_need_type(&r->yd, p, YAML_MAPPING_NODE, "a mapping such as {weight: 1, preference: {...}}"));
            yaml_node_t *x;
            size_t k = yd_path_key(&r->yd, "weight");
            if ((x = get(r, p, "weight")) == NULL)
                return yd_fail_at(&r->yd, p, "missing required field 'weight'");
            int64_t weight = 0;
            TRY(read_int(r, x, 1, 100, &weight));
            ps[i].weight = (int32_t)weight;
            yd_path_pop(&r->yd, k);
            k = yd_path_key(&r->yd, "preference");
            if ((x = get(r, p, "preference")) == NULL)
                return yd_fail_at(&r->yd, p, "missing required field 'preference'");
            TRY(read_term(r, x, &ps[i].term));
            yd_path_pop(&r->yd, k);
            yd_path_pop(&r->yd, mi);
        }
        w->preferred_terms = ps;
        w->n_preferred_terms = (uint32_t)len;
        yd_path_pop(&r->yd, m);
    }
    return CS_OK;
}

/* Tolerations, checked as pkg/apis/core/validation ValidateTolerations does. */
static cs_status read_tolerations(reader *r, const yaml_node_t *n, cs_workload *w)
{
    TRY(yd_need_type(&r->yd, n, YAML_SEQUENCE_NODE, "a sequence of tolerations"));
    size_t len = yd_n_items(n);
    cs_toleration *ts = cs_arena_calloc(r->m->arena, len, sizeof *ts);
    if (ts == NULL && len > 0)
        return yd_oom(&r->yd);
    for (size_t i = 0; i < len; i++) {
        size_t mi = yd_path_index(&r->yd, i);
        const yaml_node_t *t = yd_item_at(&r->yd, n, i);
        cs_toleration *o = &ts[i];
        TRY(yd_need_type(&r->yd, t, YAML_MAPPING_NODE, "a toleration such as {key: k, operator: Exists}"));
        yaml_node_t *v;
        size_t k;
        o->key = "";
        o->value = "";
        o->any_effect = true;
        if ((v = get(r, t, "key")) != NULL) {
            k = yd_path_key(&r->yd, "key");
            TRY(yd_read_string(&r->yd, r->m->arena, v, "a taint key", true, &o->key));
            yd_path_pop(&r->yd, k);
        }
        o->op = CS_TOL_EQUAL;
        if ((v = get(r, t, "operator")) != NULL) {
            static const choice ops[] = {{"Equal", CS_TOL_EQUAL}, {"Exists", CS_TOL_EXISTS}};
            k = yd_path_key(&r->yd, "operator");
            const char *s = yd_text(v);
            if (s == NULL || s[0] != '\0') {
                int op = 0;
                TRY(read_choice(r, v, ops, COUNT_OF(ops), "Equal, Exists", &op));
                o->op = (cs_toleration_op)op;
            }
            yd_path_pop(&r->yd, k);
        }
        if ((v = get(r, t, "value")) != NULL) {
            k = yd_path_key(&r->yd, "value");
            TRY(yd_read_string(&r->yd, r->m->arena, v, "a taint value (a string)", true, &o->value));
            if (o->op == CS_TOL_EXISTS && o->value[0] != '\0')
                return yd_fail_at(&r->yd, v, "expected no value with operator Exists, found %s",
                                  yd_describe(&r->yd, v).s);
            yd_path_pop(&r->yd, k);
        }
        if (o->key[0] == '\0' && o->op != CS_TOL_EXISTS) {
            k = yd_path_key(&r->yd, "operator");
            return yd_fail_at(&r->yd, t, "expected operator Exists with an empty key, found Equal");
        }
        if ((v = get(r, t, "effect")) != NULL) {
            k = yd_path_key(&r->yd, "effect");
            const char *s = yd_text(v);
            if (s == NULL || s[0] != '\0') {
                int effect = 0;
                TRY(read_choice(r, v, taint_effects, COUNT_OF(taint_effects), TAINT_EFFECTS, &effect));
                o->effect = (cs_taint_effect)effect;
                o->any_effect = false;
            }
            yd_path_pop(&r->yd, k);
        }
        if ((v = get(r, t, "tolerationSeconds")) != NULL) {
            k = yd_path_key(&r->yd, "tolerationSeconds");
            if (o->any_effect || o->effect != CS_TAINT_NO_EXECUTE)
                return yd_fail_at(&r->yd, v, "expected tolerationSeconds only with effect NoExecute, found %s",
                                  yd_describe(&r->yd, v).s);
            TRY(read_int(r, v, INT64_MIN, INT64_MAX, &o->seconds));
            o->has_seconds = true;
            yd_path_pop(&r->yd, k);
        }
        yd_path_pop(&r->yd, mi);
    }
    w->tolerations = ts;
    w->n_tolerations = (uint32_t)len;
    return CS_OK;
}

static const choice preemption_policies[] = {{"Never", 1}, {"PreemptLowerPriority", 0}};

static cs_status read_preemption_policy(reader *r, const yaml_node_t *n, bool *never)
{
    int x = 0;
    TRY(read_choice(r, n, preemption_policies, COUNT_OF(preemption_policies), "Never, PreemptLowerPriority", &x));
    *never = x == 1;
    return CS_OK;
}

/* The scheduling-relevant parts of a PodSpec. `spec` is the PodSpec mapping, the path ends at it. */
static cs_status read_pod_spec(reader *r, const yaml_node_t *spec, pending_workload *p)
{
    cs_workload *w = &p->w;
    TRY(yd_need_type(&r->yd, spec, YAML_MAPPING_NODE, "a pod spec (a mapping with containers)"));
    TRY(pod_requests(r, spec, &w->requests));
    yaml_node_t *v;
    size_t m;
    if ((v = get(r, spec, "nodeSelector")) != NULL) {
        m = yd_path_key(&r->yd, "nodeSelector");
        TRY(read_labels(r, v, &w->node_selector, &w->n_node_selector));
        yd_path_pop(&r->yd, m);
    }
    if ((v = get(r, spec, "nodeName")) != NULL) {
        m = yd_path_key(&r->yd, "nodeName");
        TRY(yd_read_string(&r->yd, r->m->arena, v, "a node name", true, &w->node_name));
        if (w->node_name[0] == '\0')
            w->node_name = NULL;
        yd_path_pop(&r->yd, m);
    }
    pt_reader pt = {&r->yd, r->m->arena, false};
    yaml_node_t *affinity = get(r, spec, "affinity");
    if (affinity != NULL) {
        m = yd_path_key(&r->yd, "affinity");
        TRY(yd_need_type(&r->yd, affinity, YAML_MAPPING_NODE, "a mapping with nodeAffinity"));
        if ((v = get(r, affinity, "nodeAffinity")) != NULL) {
            size_t k = yd_path_key(&r->yd, "nodeAffinity");
            TRY(read_node_affinity(r, v, w));
            yd_path_pop(&r->yd, k);
        }
        static const char *const pod_kinds[] = {"podAffinity", "podAntiAffinity"};
        for (int anti = 0; anti < 2; anti++) {
            if ((v = get(r, affinity, pod_kinds[anti])) == NULL)
                continue;
            size_t k = yd_path_key(&r->yd, pod_kinds[anti]);
            TRY(pt_read_pod_affinity(&pt, v, anti == 1, w));
            yd_path_pop(&r->yd, k);
        }
        yd_path_pop(&r->yd, m);
    }
    if ((v = get(r, spec, "topologySpreadConstraints")) != NULL) {
        m = yd_path_key(&r->yd, "topologySpreadConstraints");
        TRY(pt_read_spread(&pt, v, w));
        yd_path_pop(&r->yd, m);
    }
    if ((v = get(r, spec, "tolerations")) != NULL) {
        m = yd_path_key(&r->yd, "tolerations");
        TRY(read_tolerations(r, v, w));
        yd_path_pop(&r->yd, m);
    }
    if ((v = get(r, spec, "priority")) != NULL) {
        m = yd_path_key(&r->yd, "priority");
        int64_t x = 0;
        TRY(read_int(r, v, INT32_MIN, INT32_MAX, &x));
        p->has_priority = true;
        p->priority = (int32_t)x;
        p->line = yd_to_int(v->start_mark.line + 1);
        p->col = yd_to_int(v->start_mark.column + 1);
        yd_path_pop(&r->yd, m);
    }
    if ((v = get(r, spec, "preemptionPolicy")) != NULL) {
        m = yd_path_key(&r->yd, "preemptionPolicy");
        TRY(read_preemption_policy(r, v, &w->preempt_never));
        p->has_policy = true;
        yd_path_pop(&r->yd, m);
    }
    if ((v = get(r, spec, "priorityClassName")) != NULL) {
        m = yd_path_key(&r->yd, "priorityClassName");
        TRY(yd_read_string(&r->yd, r->m->arena, v, "a PriorityClass name", true, &p->class_name));
        if (p->class_name[0] == '\0')
            p->class_name = NULL;
        p->line = yd_to_int(v->start_mark.line + 1);
        p->col = yd_to_int(v->start_mark.column + 1);
        yd_path_pop(&r->yd, m);
    }
    if (p->has_priority || p->class_name != NULL) {
        char where[sizeof r->obj + sizeof r->yd.path + 16];
        yd_where(&r->yd, where, sizeof where);
        size_t len = strlen(where);
        snprintf(where + len, sizeof where - len, "%s%s", len > 0 ? "." : "",
                 p->class_name != NULL ? "priorityClassName" : "priority");
        if ((p->where = cs_arena_strdup(r->m->tmp, where)) == NULL)
            return yd_oom(&r->yd);
    }
    return CS_OK;
}

/* ---- objects ---------------------------------------------------------------------------- */

/* Registers a workload name, unique among the scenario's and every manifest's workloads. */
static cs_status claim_workload(reader *r, const yaml_node_t *obj, const char *name)
{
    cs_manifest *m = r->m;
    uint32_t id = yd_names_get(&m->wl_names, name);
    if (id != CS_NONE) {
        const cs_config *cfg = m->cfg;
        const char *file = id < cfg->n_workloads ? cfg->file : m->wls[id - cfg->n_workloads].file;
        int line = id < cfg->n_workloads ? cfg->workloads[id].line : m->wls[id - cfg->n_workloads].w.line;
        yaml_node_t *meta = get(r, obj, "metadata");
        yaml_node_t *v = get(r, meta, "name");
        size_t k = yd_path_key(&r->yd, "metadata.name");
        cs_status st = yd_fail_at(&r->yd, v,
                                  "expected a workload name not used before, found %s, already used at %s:%d",
                                  yd_describe(&r->yd, v).s, file, line);
        yd_path_pop(&r->yd, k);
        return st;
    }
    if (!yd_names_put(m->tmp, &m->wl_names, name, m->cfg->n_workloads + m->n_wls))
        return yd_oom(&r->yd);
    return CS_OK;
}

/* An optional integer field of map into *out, in [lo, hi]. */
static cs_status opt_int(reader *r, const yaml_node_t *map, const char *key, int64_t lo, int64_t hi, int32_t *out)
{
    yaml_node_t *v = get(r, map, key);
    if (v == NULL)
        return CS_OK;
    size_t k = yd_path_key(&r->yd, key);
    int64_t x = 0;
    TRY(read_int(r, v, lo, hi, &x));
    *out = (int32_t)x;
    yd_path_pop(&r->yd, k);
    return CS_OK;
}

/* The pod spec's lifecycle fields: terminationGracePeriodSeconds, and the image and
 * readinessProbe timing of the first container (of the first that has a probe). */
static cs_status read_pod_lifecycle(reader *r, const yaml_node_t *spec, cs_workload *w)
{
    int32_t grace = (int32_t)w->life.grace_s;
    TRY(opt_int(r, spec, "terminationGracePeriodSeconds", 0, INT32_MAX, &grace));
    w->life.grace_s = grace;
    yaml_node_t *cs = get(r, spec, "containers");
    if (cs == NULL || cs->type != YAML_SEQUENCE_NODE)
        return CS_OK;   /* pod_requests has checked the containers */
    size_t m = yd_path_key(&r->yd, "containers");
    for (size_t i = 0; i < yd_n_items(cs); i++) {
        yaml_node_t *c = yd_item_at(&r->yd, cs, i), *v;
        size_t mi = yd_path_index(&r->yd, i);
        if (i == 0 && (v = get(r, c, "image")) != NULL) {
            size_t k = yd_path_key(&r->yd, "image");
            TRY(yd_read_string(&r->yd, r->m->arena, v, "an image name (a string)", true, &w->image));
            yd_path_pop(&r->yd, k);
        }
        if (!w->life.readiness.set && (v = get(r, c, "readinessProbe")) != NULL) {
            size_t k = yd_path_key(&r->yd, "readinessProbe");
            TRY(yd_need_type(&r->yd, v, YAML_MAPPING_NODE, "a probe (a mapping such as {periodSeconds: 10})"));
            cs_probe *p = &w->life.readiness;
            p->set = true;
            TRY(opt_int(r, v, "initialDelaySeconds", 0, INT32_MAX, &p->initial_delay_s));
            TRY(opt_int(r, v, "periodSeconds", 1, INT32_MAX, &p->period_s));
            TRY(opt_int(r, v, "successThreshold", 1, INT32_MAX, &p->success_threshold));
            TRY(opt_int(r, v, "failureThreshold", 1, INT32_MAX, &p->failure_threshold));
            yd_path_pop(&r->yd, k);
        }
        yd_path_pop(&r->yd, mi);
    }
    yd_path_pop(&r->yd, m);
    return CS_OK;
}

static const choice deploy_strategies[] = {{"Recreate", CS_DEPLOY_RECREATE}, {"RollingUpdate", CS_DEPLOY_ROLLING_UPDATE}};

/* A Deployment's spec: strategy, minReadySeconds, progressDeadlineSeconds, revisionHistoryLimit,
 * paused, validated as pkg/apis/apps/validation ValidateDeploymentSpec does. */
static cs_status read_deployment_spec(reader *r, const yaml_node_t *spec, cs_deploy_spec *d)
{
    yaml_node_t *st = get(r, spec, "strategy"), *v;
    if (st != NULL) {
        size_t m = yd_path_key(&r->yd, "strategy");
        TRY(yd_need_type(&r->yd, st, YAML_MAPPING_NODE, "a mapping such as {type: RollingUpdate}"));
        if ((v = get(r, st, "type")) != NULL) {
            size_t k = yd_path_key(&r->yd, "type");
            int t = 0;
            TRY(read_choice(r, v, deploy_strategies, COUNT_OF(deploy_strategies), "Recreate, RollingUpdate", &t));
            d->strategy = (cs_deploy_strategy)t;
            yd_path_pop(&r->yd, k);
        }
        yaml_node_t *ru = get(r, st, "rollingUpdate");
        if (ru != NULL) {
            size_t k = yd_path_key(&r->yd, "rollingUpdate");
            if (d->strategy != CS_DEPLOY_ROLLING_UPDATE)
                return yd_fail_at(&r->yd, ru, "expected no rollingUpdate with type Recreate, found %s",
                                  yd_describe(&r->yd, ru).s);
            TRY(yd_need_type(&r->yd, ru, YAML_MAPPING_NODE, "a mapping such as {maxSurge: 25%, maxUnavailable: 0}"));
            if ((v = get(r, ru, "maxSurge")) != NULL) {
                size_t j = yd_path_key(&r->yd, "maxSurge");
                TRY(yd_read_int_or_percent(&r->yd, v, MAX_REPLICAS, MAX_REPLICAS, &d->max_surge));
                yd_path_pop(&r->yd, j);
            }
            if ((v = get(r, ru, "maxUnavailable")) != NULL) {
                size_t j = yd_path_key(&r->yd, "maxUnavailable");
                TRY(yd_read_int_or_percent(&r->yd, v, MAX_REPLICAS, 100, &d->max_unavailable));
                yd_path_pop(&r->yd, j);
            }
            if (d->max_surge.value == 0 && d->max_unavailable.value == 0)
                return yd_fail_at(&r->yd, ru, "expected maxUnavailable > 0 when maxSurge is 0");
            yd_path_pop(&r->yd, k);
        }
        yd_path_pop(&r->yd, m);
    }
    TRY(opt_int(r, spec, "minReadySeconds", 0, INT32_MAX, &d->min_ready_s));
    TRY(opt_int(r, spec, "revisionHistoryLimit", 0, INT32_MAX, &d->revision_history_limit));
    TRY(opt_int(r, spec, "progressDeadlineSeconds", 1, INT32_MAX, &d->progress_deadline_s));
    if ((v = get(r, spec, "progressDeadlineSeconds")) != NULL && d->progress_deadline_s <= d->min_ready_s) {
        yd_path_key(&r->yd, "progressDeadlineSeconds");
        return yd_fail_at(&r->yd, v, "expected progressDeadlineSeconds greater than minReadySeconds (%d), found %s",
                          (int)d->min_ready_s, yd_describe(&r->yd, v).s);
    }
    /* apps/v1 defaults progressDeadlineSeconds (600) before it validates it (SetDefaults_Deployment,
     * then ValidateDeploymentSpec), so a minReadySeconds at or past the default is refused too. */
    if (v == NULL && d->progress_deadline_s <= d->min_ready_s) {
        v = get(r, spec, "minReadySeconds");
        yd_path_key(&r->yd, "minReadySeconds");
        return yd_fail_at(&r->yd, v, "expected minReadySeconds below progressDeadlineSeconds (default %d), found %s",
                          (int)d->progress_deadline_s, yd_describe(&r->yd, v).s);
    }
    if ((v = get(r, spec, "paused")) != NULL) {
        size_t k = yd_path_key(&r->yd, "paused");
        TRY(read_bool(r, v, &d->paused));
        yd_path_pop(&r->yd, k);
    }
    return CS_OK;
}

static const choice pod_policies[] = {{"OrderedReady", 0}, {"Parallel", 1}};
static const choice sts_strategies[] = {{"OnDelete", 1}, {"RollingUpdate", 0}};

/* A StatefulSet's podManagementPolicy and updateStrategy (type, rollingUpdate.partition). */
static cs_status read_sts_spec(reader *r, const yaml_node_t *spec, cs_sts_spec *s)
{
    yaml_node_t *v = get(r, spec, "podManagementPolicy");
    int x = 0;
    if (v != NULL) {
        size_t k = yd_path_key(&r->yd, "podManagementPolicy");
        TRY(read_choice(r, v, pod_policies, COUNT_OF(pod_policies), "OrderedReady, Parallel", &x));
        s->parallel = x != 0;
        yd_path_pop(&r->yd, k);
    }
    yaml_node_t *st = get(r, spec, "updateStrategy");
    if (st == NULL)
        return CS_OK;
    size_t m = yd_path_key(&r->yd, "updateStrategy");
    TRY(yd_need_type(&r->yd, st, YAML_MAPPING_NODE, "a mapping such as {type: RollingUpdate}"));
    if ((v = get(r, st, "type")) != NULL) {
        size_t k = yd_path_key(&r->yd, "type");
        TRY(read_choice(r, v, sts_strategies, COUNT_OF(sts_strategies), "OnDelete, RollingUpdate", &x));
        s->on_delete = x != 0;
        yd_path_pop(&r->yd, k);
    }
    yaml_node_t *ru = get(r, st, "rollingUpdate");
    if (ru != NULL) {
        size_t k = yd_path_key(&r->yd, "rollingUpdate");
        TRY(yd_need_type(&r->yd, ru, YAML_MAPPING_NODE, "a mapping such as {partition: 0}"));
        TRY(opt_int(r, ru, "partition", 0, INT32_MAX, &s->partition));
        yd_path_pop(&r->yd, k);
    }
    yd_path_pop(&r->yd, m);
    return CS_OK;
}

/* spec.selector of an apps/v1 Deployment, ReplicaSet, StatefulSet or DaemonSet, checked as
 * pkg/apis/apps/validation/validation.go ValidateDeploymentSpec, ValidateReplicaSetSpec and
 * ValidateStatefulSetSpec do: required, a valid label selector (ValidateLabelSelector), and
 * not empty ("empty selector is invalid for deployment"). ValidateDaemonSetSpec lets a nil
 * selector through to fail as one that matches no template labels (LabelSelectorAsSelector(nil)
 * is labels.Nothing()); it is reported missing here, as for the other kinds. The selector goes
 * to the scratch arena: a workload owns its pods, so the model needs only the template labels. */
static cs_status read_workload_selector(reader *r, const yaml_node_t *spec, const char *kind,
                                        const yaml_node_t **node, cs_label_selector *sel)
{
    yaml_node_t *v = get(r, spec, "selector");
    size_t k = yd_path_key(&r->yd, "selector");
    if (v == NULL)
        return yd_fail_at(&r->yd, spec, "missing required field 'selector'");
    pt_reader pt = {&r->yd, r->m->tmp, false};
    TRY(pt_read_selector(&pt, v, sel));
    if (sel->n_match_labels + sel->n_match_expressions == 0) {
        char lk[48];
        lower(lk, sizeof lk, kind);
        return yd_fail_at(&r->yd, v,
                          "expected matchLabels or matchExpressions (an empty selector is invalid for %s), found none",
                          lk);
    }
    yd_path_pop(&r->yd, k);
    *node = v;
    return CS_OK;
}

/* The template's labels against spec.selector, as ValidatePodTemplateSpecForReplicaSet,
 * ValidatePodTemplateSpecForStatefulSet and ValidateDaemonSetSpec check them in
 * pkg/apis/apps/validation/validation.go ("`selector` does not match template `labels`"). The
 * path ends at spec.template; `at` is the labels node, or the nearest node above it when the
 * template has no labels. The message names the selector's first term that fails. */
static cs_status match_template(reader *r, const yaml_node_t *sel_node, const cs_label_selector *sel,
                                const yaml_node_t *at, bool has_labels, const cs_workload *w)
{
    int bad = pt_selector_mismatch(sel, w->labels, w->n_labels);
    if (bad < 0)
        return CS_OK;
    char term[160];
    const yaml_node_t *t;
    if ((uint32_t)bad < sel->n_match_labels) {
        t = yd_key_at(&r->yd, get(r, sel_node, "matchLabels"), (size_t)bad);
        snprintf(term, sizeof term, "matchLabels.%s", sel->match_labels[bad].key);
    } else {
        uint32_t i = (uint32_t)bad - sel->n_match_labels;
        t = yd_item_at(&r->yd, get(r, sel_node, "matchExpressions"), i);
        snprintf(term, sizeof term, "matchExpressions[%" PRIu32 "]", i);
    }
    yd_path_key(&r->yd, "metadata.labels");
    return yd_fail_at(&r->yd, at,
                      "expected labels that spec.selector selects, found %s spec.selector.%s (line %zu) rejects",
                      has_labels ? "labels that" : "no labels, which", term, t->start_mark.line + 1);
}

/* v1 Pod, or apps/v1 Deployment, ReplicaSet, StatefulSet, DaemonSet: a workload. */
static cs_status read_workload(reader *r, const yaml_node_t *obj, const char *kind, bool is_pod)
{
    cs_manifest *m = r->m;
    PUSH(r, m->wls, m->n_wls, m->cap_wls);
    pending_workload *p = &m->wls[m->n_wls];
    memset(p, 0, sizeof *p);
    cs_workload *w = &p->w;
    p->file = r->yd.file;
    w->line = yd_to_int(obj->start_mark.line + 1);
    cs_workload_defaults(w);
    w->replicas = 1;
    w->startup = (cs_dist){.kind = CS_DIST_CONSTANT, .p1 = DEFAULT_STARTUP_S};
    w->requests.pods = 1;
    TRY(read_object_name(r, obj, kind, &w->name));
    TRY(claim_workload(r, obj, w->name));
    if ((w->kind = cs_arena_strdup(m->arena, kind)) == NULL)
        return yd_oom(&r->yd);

    yaml_node_t *spec = get(r, obj, "spec"), *v;
    size_t ms = yd_path_key(&r->yd, "spec");
    if (spec == NULL)
        return yd_fail_at(&r->yd, obj, "missing required field 'spec'");
    TRY(yd_need_type(&r->yd, spec, YAML_MAPPING_NODE, is_pod ? "a pod spec (a mapping with containers)"
                                                             : "a mapping with replicas and template"));
    if (is_pod) {
        TRY(read_pod_spec(r, spec, p));
        TRY(read_pod_lifecycle(r, spec, w));
        yd_path_pop(&r->yd, ms);
        if ((v = get(r, get(r, obj, "metadata"), "labels")) != NULL) {
            size_t k = yd_path_key(&r->yd, "metadata.labels");
            TRY(read_labels(r, v, &w->labels, &w->n_labels));
            yd_path_pop(&r->yd, k);
        }
    } else {
        w->daemonset = strcmp(kind, "DaemonSet") == 0;
        if ((v = get(r, spec, "replicas")) != NULL && !w->daemonset) {
            size_t k = yd_path_key(&r->yd, "replicas");
            int64_t x = 0;
            TRY(read_int(r, v, 0, MAX_REPLICAS, &x));
            w->replicas = (uint32_t)x;
            yd_path_pop(&r->yd, k);
        }
        const yaml_node_t *sel_node = NULL;
        cs_label_selector sel = {0};
        TRY(read_workload_selector(r, spec, kind, &sel_node, &sel));
        yaml_node_t *tmpl = get(r, spec, "template");
        size_t k = yd_path_key(&r->yd, "template");
        if (tmpl == NULL)
            return yd_fail_at(&r->yd, spec, "missing required field 'template'");
        TRY(yd_need_type(&r->yd, tmpl, YAML_MAPPING_NODE, "a pod template (a mapping with metadata and spec)"));
        yaml_node_t *meta = get(r, tmpl, "metadata"), *labels = NULL;
        if (meta != NULL) {
            size_t km = yd_path_key(&r->yd, "metadata");
            TRY(yd_need_type(&r->yd, meta, YAML_MAPPING_NODE, "a mapping with labels"));
            if ((labels = get(r, meta, "labels")) != NULL) {
                size_t kl = yd_path_key(&r->yd, "labels");
                TRY(read_labels(r, labels, &w->labels, &w->n_labels));
                yd_path_pop(&r->yd, kl);
            }
            yd_path_pop(&r->yd, km);
        }
        const yaml_node_t *at = labels != NULL ? labels : meta != NULL ? meta : tmpl;
        TRY(match_template(r, sel_node, &sel, at, labels != NULL, w));
        yaml_node_t *pod = get(r, tmpl, "spec");
        yd_path_key(&r->yd, "spec");
        if (pod == NULL)
            return yd_fail_at(&r->yd, tmpl, "missing required field 'spec'");
        TRY(read_pod_spec(r, pod, p));
        TRY(read_pod_lifecycle(r, pod, w));
        yd_path_pop(&r->yd, k);
        if (strcmp(kind, "Deployment") == 0)
            TRY(read_deployment_spec(r, spec, &w->deploy));
        else
            TRY(opt_int(r, spec, "minReadySeconds", 0, INT32_MAX, &w->deploy.min_ready_s));
        if (w->daemonset && cs_config_daemonset_tolerations(m->arena, w) != CS_OK)
            return yd_oom(&r->yd);
        if (strcmp(kind, "StatefulSet") == 0)
            TRY(read_sts_spec(r, spec, &w->sts));
    }
    yd_path_pop(&r->yd, ms);
    m->n_wls++;
    return CS_OK;
}

/* v1 Node: a pool of one node. */
static cs_status read_node(reader *r, const yaml_node_t *obj)
{
    cs_manifest *m = r->m;
    PUSH(r, m->pools, m->n_pools, m->cap_pools);
    pending_pool *pp = &m->pools[m->n_pools];
    memset(pp, 0, sizeof *pp);
    cs_node_pool *pool = &pp->pool;
    pp->file = r->yd.file;
    pool->count = 1;
    pool->line = yd_to_int(obj->start_mark.line + 1);
    TRY(read_object_name(r, obj, "Node", &pool->name));
    uint32_t id = yd_names_get(&m->pool_names, pool->name);
    if (id != CS_NONE) {
        const cs_config *cfg = m->cfg;
        const char *file = id < cfg->n_pools ? cfg->file : m->pools[id - cfg->n_pools].file;
        int line = id < cfg->n_pools ? cfg->pools[id].line : m->pools[id - cfg->n_pools].pool.line;
        yaml_node_t *v = get(r, get(r, obj, "metadata"), "name");
        yd_path_key(&r->yd, "metadata.name");
        return yd_fail_at(&r->yd, v, "expected a node name not used before (among nodes and node pools), found %s, "
                          "already used at %s:%d", yd_describe(&r->yd, v).s, file, line);
    }
    if (!yd_names_put(m->tmp, &m->pool_names, pool->name, m->cfg->n_pools + m->n_pools))
        return yd_oom(&r->yd);
    if (m->n_nodes >= MAX_NODES)
        return yd_fail_at(&r->yd, obj, "expected at most %d nodes in the cluster, found more", MAX_NODES);

    yaml_node_t *meta = get(r, obj, "metadata"), *v;
    if ((v = get(r, meta, "labels")) != NULL) {
        size_t k = yd_path_key(&r->yd, "metadata.labels");
        TRY(read_labels(r, v, &pool->labels, &pool->n_labels));
        yd_path_pop(&r->yd, k);
        for (uint32_t i = 0; i < pool->n_labels && pp->zone == NULL; i++)
            if (strcmp(pool->labels[i].key, "topology.kubernetes.io/zone") == 0 && pool->labels[i].value[0] != '\0')
                pp->zone = pool->labels[i].value;
        for (uint32_t i = 0; i < pool->n_labels && pp->zone == NULL; i++)
            if (strcmp(pool->labels[i].key, "failure-domain.beta.kubernetes.io/zone") == 0 &&
                pool->labels[i].value[0] != '\0')
                pp->zone = pool->labels[i].value;
    }

    yaml_node_t *spec = get(r, obj, "spec");
    if (spec != NULL) {
        size_t k = yd_path_key(&r->yd, "spec");
        TRY(yd_need_type(&r->yd, spec, YAML_MAPPING_NODE, "a mapping with taints"));
        if ((v = get(r, spec, "unschedulable")) != NULL) {
            size_t ku = yd_path_key(&r->yd, "unschedulable");
            TRY(read_bool(r, v, &pool->unschedulable));   /* cordoned: the NodeUnschedulable filter */
            yd_path_pop(&r->yd, ku);
        }
        if ((v = get(r, spec, "taints")) != NULL) {
            size_t kt = yd_path_key(&r->yd, "taints");
            TRY(yd_need_type(&r->yd, v, YAML_SEQUENCE_NODE, "a sequence of taints"));
            size_t len = yd_n_items(v);
            cs_taint *taints = cs_arena_calloc(m->arena, len, sizeof *taints);
            if (taints == NULL && len > 0)
                return yd_oom(&r->yd);
            for (size_t i = 0; i < len; i++) {
                size_t mi = yd_path_index(&r->yd, i);
                const yaml_node_t *t = yd_item_at(&r->yd, v, i);
                TRY(yd_need_type(&r->yd, t, YAML_MAPPING_NODE, "a taint such as {key: k, effect: NoSchedule}"));
                yaml_node_t *x;
                size_t kk = yd_path_key(&r->yd, "key");
                if ((x = get(r, t, "key")) == NULL)
                    return yd_fail_at(&r->yd, t, "missing required field 'key'");
                TRY(yd_read_string(&r->yd, r->m->arena, x, "a taint key", false, &taints[i].key));
                yd_path_pop(&r->yd, kk);
                taints[i].value = "";
                if ((x = get(r, t, "value")) != NULL) {
                    kk = yd_path_key(&r->yd, "value");
                    TRY(yd_read_string(&r->yd, r->m->arena, x, "a taint value (a string)", true, &taints[i].value));
                    yd_path_pop(&r->yd, kk);
                }
                kk = yd_path_key(&r->yd, "effect");
                if ((x = get(r, t, "effect")) == NULL)
                    return yd_fail_at(&r->yd, t, "missing required field 'effect'");
                int effect = 0;
                TRY(read_choice(r, x, taint_effects, COUNT_OF(taint_effects), TAINT_EFFECTS, &effect));
                taints[i].effect = (cs_taint_effect)effect;
                yd_path_pop(&r->yd, kk);
                yd_path_pop(&r->yd, mi);
            }
            pool->taints = taints;
            pool->n_taints = (uint32_t)len;
            yd_path_pop(&r->yd, kt);
        }
        yd_path_pop(&r->yd, k);
    }

    /* status.allocatable is what the scheduler fits against; capacity when it is absent. */
    yaml_node_t *status = get(r, obj, "status");
    size_t k = yd_path_key(&r->yd, "status");
    if (status != NULL)
        TRY(yd_need_type(&r->yd, status, YAML_MAPPING_NODE, "a mapping with allocatable or capacity"));
    const char *which = "allocatable";
    yaml_node_t *alloc = get(r, status, which);
    if (alloc == NULL)
        alloc = get(r, status, which = "capacity");
    if (alloc == NULL) {
        yd_path_key(&r->yd, "allocatable");
        return yd_fail_at(&r->yd, status != NULL ? status : obj,
                          "missing required field 'allocatable' (or 'capacity'): the node's cpu and memory");
    }
    yd_path_key(&r->yd, which);
    TRY(yd_need_type(&r->yd, alloc, YAML_MAPPING_NODE, "a mapping such as {cpu: \"4\", memory: 16Gi, pods: \"110\"}"));
    res a = {0};
    TRY(read_res(r, alloc, &a));
    static const char *const need_keys[] = {"cpu", "memory"};
    for (int i = 0; i < 2; i++) {
        if (!a.has[i]) {
            yd_path_key(&r->yd, need_keys[i]);
            return yd_fail_at(&r->yd, alloc, "missing required field '%s'", need_keys[i]);
        }
        if (a.v[i] <= 0) {
            yd_path_key(&r->yd, need_keys[i]);
            return yd_fail_at(&r->yd, get(r, alloc, need_keys[i]), "expected a quantity > 0, found %s",
                              yd_describe(&r->yd, get(r, alloc, need_keys[i])).s);
        }
    }
    pool->allocatable.cpu_milli = a.v[R_CPU];
    pool->allocatable.mem_bytes = a.v[R_MEM];
    pool->allocatable.ephemeral_bytes = a.v[R_EPH];
    for (int k = 0; k < CS_MAX_EXTENDED; k++)
        pool->allocatable.ext[k] = a.v[R_COUNT + k];
    pool->allocatable.pods = DEFAULT_MAX_PODS;
    if ((v = get(r, alloc, "pods")) != NULL) {
        yd_path_key(&r->yd, "pods");
        int64_t pods = 0;
        TRY(read_qty(r, v, R_MEM, &pods));
        if (pods <= 0)
            return yd_fail_at(&r->yd, v, "expected a pod count > 0, found %s", yd_describe(&r->yd, v).s);
        pool->allocatable.pods = pods;
    }
    yd_path_pop(&r->yd, k);
    m->n_nodes++;
    m->n_pools++;
    return CS_OK;
}

static cs_status read_service(reader *r, const yaml_node_t *obj)
{
    cs_manifest *m = r->m;
    PUSH(r, m->services, m->n_services, m->cap_services);
    cs_service *s = &m->services[m->n_services];
    memset(s, 0, sizeof *s);
    s->line = yd_to_int(obj->start_mark.line + 1);
    TRY(read_object_name(r, obj, "Service", &s->name));
    uint32_t id = yd_names_get(&m->service_names, s->name);
    if (id != CS_NONE) {
        yaml_node_t *v = get(r, get(r, obj, "metadata"), "name");
        yd_path_key(&r->yd, "metadata.name");
        return yd_fail_at(&r->yd, v, "expected a service name not used before, found %s, already used at line %d",
                          yd_describe(&r->yd, v).s, m->services[id].line);
    }
    if (!yd_names_put(m->tmp, &m->service_names, s->name, m->n_services))
        return yd_oom(&r->yd);
    yaml_node_t *spec = get(r, obj, "spec"), *v;
    if (spec != NULL) {
        size_t k = yd_path_key(&r->yd, "spec");
        TRY(yd_need_type(&r->yd, spec, YAML_MAPPING_NODE, "a mapping with selector and ports"));
        if ((v = get(r, spec, "selector")) != NULL) {
            size_t ks = yd_path_key(&r->yd, "selector");
            TRY(read_labels(r, v, &s->selector, &s->n_selector));
            yd_path_pop(&r->yd, ks);
        }
        yd_path_pop(&r->yd, k);
    }
    m->n_services++;
    return CS_OK;
}

static cs_status read_priority_class(reader *r, const yaml_node_t *obj)
{
    cs_manifest *m = r->m;
    PUSH(r, m->classes, m->n_classes, m->cap_classes);
    prio_class *c = &m->classes[m->n_classes];
    memset(c, 0, sizeof *c);
    TRY(read_object_name(r, obj, "PriorityClass", &c->name));
    if (yd_names_get(&m->class_names, c->name) != CS_NONE || strncmp(c->name, "system-", 7) == 0) {
        yaml_node_t *v = get(r, get(r, obj, "metadata"), "name");
        yd_path_key(&r->yd, "metadata.name");
        return yd_fail_at(&r->yd, v,
                          "expected a PriorityClass name not used before and not starting with 'system-', found %s",
                          yd_describe(&r->yd, v).s);
    }
    if (!yd_names_put(m->tmp, &m->class_names, c->name, m->n_classes))
        return yd_oom(&r->yd);
    yaml_node_t *v = get(r, obj, "value");
    size_t k = yd_path_key(&r->yd, "value");
    if (v == NULL)
        return yd_fail_at(&r->yd, obj, "missing required field 'value'");
    int64_t x = 0;
    /* User classes stop at HighestUserDefinablePriority (pkg/apis/scheduling/types.go). */
    TRY(read_int(r, v, INT32_MIN, 1000000000, &x));
    c->value = (int32_t)x;
    yd_path_pop(&r->yd, k);
    if ((v = get(r, obj, "globalDefault")) != NULL) {
        k = yd_path_key(&r->yd, "globalDefault");
        TRY(read_bool(r, v, &c->global_default));
        yd_path_pop(&r->yd, k);
    }
    if ((v = get(r, obj, "preemptionPolicy")) != NULL) {
        k = yd_path_key(&r->yd, "preemptionPolicy");
        TRY(read_preemption_policy(r, v, &c->never));
        yd_path_pop(&r->yd, k);
    }
    m->n_classes++;
    return CS_OK;
}

static const choice eviction_policies[] = {{"AlwaysAllow", 1}, {"IfHealthyBudget", 0}};

/* policy/v1 PodDisruptionBudget: spec.selector (a metav1.LabelSelector, read and checked as
 * every label selector is, by pod_terms.c), minAvailable or maxUnavailable (an integer or a
 * percentage, as pkg/apis/policy/validation checks them) and unhealthyPodEvictionPolicy. */
static cs_status read_pdb(reader *r, const yaml_node_t *obj)
{
    cs_manifest *m = r->m;
    PUSH(r, m->pdbs, m->n_pdbs, m->cap_pdbs);
    cs_pdb *pdb = &m->pdbs[m->n_pdbs];
    memset(pdb, 0, sizeof *pdb);
    pdb->workload = CS_NONE;
    pdb->line = yd_to_int(obj->start_mark.line + 1);
    TRY(read_object_name(r, obj, "PodDisruptionBudget", &pdb->name));
    if (yd_names_get(&m->pdb_names, pdb->name) != CS_NONE) {
        yaml_node_t *v = get(r, get(r, obj, "metadata"), "name");
        yd_path_key(&r->yd, "metadata.name");
        return yd_fail_at(&r->yd, v, "expected a PodDisruptionBudget name not used before, found %s",
                          yd_describe(&r->yd, v).s);
    }
    if (!yd_names_put(m->tmp, &m->pdb_names, pdb->name, m->cfg->n_pdbs + m->n_pdbs))
        return yd_oom(&r->yd);
    yaml_node_t *spec = get(r, obj, "spec"), *v;
    size_t k = yd_path_key(&r->yd, "spec");
    if (spec == NULL)
        return yd_fail_at(&r->yd, obj, "missing required field 'spec'");
    TRY(yd_need_type(&r->yd, spec, YAML_MAPPING_NODE, "a mapping with selector and minAvailable or maxUnavailable"));
    yaml_node_t *sel = get(r, spec, "selector");
    if (sel != NULL) {
        size_t ks = yd_path_key(&r->yd, "selector");
        cs_label_selector ls = {0};
        pt_reader pt = {&r->yd, m->arena, false};
        TRY(pt_read_selector(&pt, sel, &ls));
        pdb->has_selector = true;
        pdb->match_labels = ls.match_labels;
        pdb->n_match_labels = ls.n_match_labels;
        pdb->match_expressions = ls.match_expressions;
        pdb->n_match_expressions = ls.n_match_expressions;
        yd_path_pop(&r->yd, ks);
    }
    yaml_node_t *min = get(r, spec, "minAvailable"), *max = get(r, spec, "maxUnavailable");
    if (min != NULL && max != NULL) {
        yd_path_key(&r->yd, "maxUnavailable");
        return yd_fail_at(&r->yd, max, "expected either minAvailable or maxUnavailable, found both");
    }
    if ((v = min != NULL ? min : max) != NULL) {
        size_t kv = yd_path_key(&r->yd, min != NULL ? "minAvailable" : "maxUnavailable");
        TRY(yd_read_int_or_percent(&r->yd, v, INT32_MAX, 100, &pdb->value));
        pdb->has_min_available = min != NULL;
        pdb->has_max_unavailable = max != NULL;
        yd_path_pop(&r->yd, kv);
    }
    if ((v = get(r, spec, "unhealthyPodEvictionPolicy")) != NULL) {
        size_t kp = yd_path_key(&r->yd, "unhealthyPodEvictionPolicy");
        int always = 0;
        TRY(read_choice(r, v, eviction_policies, COUNT_OF(eviction_policies), "AlwaysAllow, IfHealthyBudget",
                        &always));
        pdb->always_allow = always != 0;
        yd_path_pop(&r->yd, kp);
    }
    yd_path_pop(&r->yd, k);
    m->n_pdbs++;
    return CS_OK;
}

static cs_status skip_kind(reader *r, const char *kind)
{
    cs_manifest *m = r->m;
    uint32_t id = yd_names_get(&m->kind_names, kind);
    if (id != CS_NONE) {
        m->kinds[id].n++;
        return CS_OK;
    }
    PUSH(r, m->kinds, m->n_kinds, m->cap_kinds);
    char *copy = cs_arena_strdup(m->tmp, kind);
    if (copy == NULL || !yd_names_put(m->tmp, &m->kind_names, copy, m->n_kinds))
        return yd_oom(&r->yd);
    m->kinds[m->n_kinds++] = (kind_count){copy, 1};
    return CS_OK;
}

/* One object: dispatched on its API group and kind; the version is not checked, so
 * apps/v1beta2 reads as apps/v1. A List (kubectl get -o yaml) is read item by item. */
static cs_status read_object(reader *r, const yaml_node_t *obj, int depth)
{
    r->obj[0] = '\0';
    TRY(yd_need_type(&r->yd, obj, YAML_MAPPING_NODE, "a Kubernetes object (a mapping with apiVersion and kind)"));
    yaml_node_t *av = get(r, obj, "apiVersion"), *kv = get(r, obj, "kind");
    const char *api = yd_text(av), *kind = yd_text(kv);
    if (api == NULL || api[0] == '\0') {
        yd_path_key(&r->yd, "apiVersion");
        return av == NULL ? yd_fail_at(&r->yd, obj, "missing required field 'apiVersion'")
                          : yd_fail_expected(&r->yd, av, "an API version such as v1 or apps/v1");
    }
    if (kind == NULL || kind[0] == '\0') {
        yd_path_key(&r->yd, "kind");
        return kv == NULL ? yd_fail_at(&r->yd, obj, "missing required field 'kind'")
                          : yd_fail_expected(&r->yd, kv, "a kind such as Deployment");
    }
    const char *slash = strchr(api, '/');
    size_t glen = slash != NULL ? (size_t)(slash - api) : 0;
    bool core = slash == NULL, apps = (glen == 4 && strncmp(api, "apps", 4) == 0) ||
                                      (glen == 10 && strncmp(api, "extensions", 10) == 0);
    bool scheduling = glen == 17 && strncmp(api, "scheduling.k8s.io", 17) == 0;
    bool policy = glen == 6 && strncmp(api, "policy", 6) == 0;
    size_t klen = strlen(kind);

    if (core && (strcmp(kind, "List") == 0 || (klen > 4 && strcmp(kind + klen - 4, "List") == 0)) && depth == 0) {
        yaml_node_t *items = get(r, obj, "items");
        if (items == NULL)
            return CS_OK;
        size_t m = yd_path_key(&r->yd, "items");
        TRY(yd_need_type(&r->yd, items, YAML_SEQUENCE_NODE, "a sequence of objects"));
        yd_path_pop(&r->yd, m);
        /* Each item is an object of its own: its messages name it, not the list. */
        for (size_t i = 0; i < yd_n_items(items); i++)
            TRY(read_object(r, yd_item_at(&r->yd, items, i), depth + 1));
        return CS_OK;
    }
    cs_status st;
    if (core && strcmp(kind, "Node") == 0)
        st = read_node(r, obj);
    else if (core && strcmp(kind, "Pod") == 0)
        st = read_workload(r, obj, "Pod", true);
    else if (core && strcmp(kind, "Service") == 0)
        st = read_service(r, obj);
    else if (apps && (strcmp(kind, "Deployment") == 0 || strcmp(kind, "ReplicaSet") == 0 ||
                      strcmp(kind, "StatefulSet") == 0 || strcmp(kind, "DaemonSet") == 0))
        st = read_workload(r, obj, kind, false);
    else if (scheduling && strcmp(kind, "PriorityClass") == 0)
        st = read_priority_class(r, obj);
    else if (policy && strcmp(kind, "PodDisruptionBudget") == 0)
        st = read_pdb(r, obj);
    else
        st = skip_kind(r, kind);
    yd_path_pop(&r->yd, 0);
    return st;
}

/* ---- files ------------------------------------------------------------------------------ */

static cs_status syntax_error(reader *r, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR)
        return yd_oom(&r->yd);
    size_t line = p->problem_mark.line + 1, col = p->problem_mark.column + 1;
    if (p->error == YAML_READER_ERROR) {
        size_t start = 0, at = p->problem_offset < r->len ? p->problem_offset : r->len;
        line = 1;
        for (size_t i = 0; i < at; i++)
            if (r->data[i] == '\n') {
                line++;
                start = i + 1;
            }
        col = at - start + 1;
    }
    cs_status st = yd_fail_in(&r->yd, r->yd.file, line, col, "invalid YAML: %s",
                              p->problem != NULL ? p->problem : "cannot parse the file");
    if (p->context != NULL && st == CS_EINPUT)
        snprintf(r->yd.diag->hint, sizeof r->yd.diag->hint, "%s at line %zu, column %zu", p->context,
                 p->context_mark.line + 1, p->context_mark.column + 1);
    return st;
}

cs_status cs_manifest_read_buffer(cs_manifest *m, const char *file, const char *data, size_t len, cs_diag *diag)
{
    cs_diag spare;
    reader r = {.m = m, .data = data != NULL ? data : "", .len = data != NULL ? len : 0,
                .yd = {.diag = diag != NULL ? diag : &spare}};
    r.yd.obj = r.obj;
    if ((r.yd.file = cs_arena_strdup(m->arena, file != NULL ? file : "<input>")) == NULL) {
        diag_oom(r.yd.diag, file);
        return CS_ENOMEM;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return yd_oom(&r.yd);
    yaml_parser_set_input_string(&parser, (const unsigned char *)r.data, r.len);
    cs_status st = CS_OK;
    for (;;) {
        yaml_document_t doc;
        if (!yaml_parser_load(&parser, &doc)) {
            st = syntax_error(&r, &parser);
            break;
        }
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (root == NULL) {           /* the end of the stream */
            yaml_document_delete(&doc);
            break;
        }
        r.yd.doc = &doc;
        r.yd.path_len = 0;
        r.yd.path[0] = '\0';
        if (!yd_is_null(root))           /* an empty document, as a trailing "---" makes */
            st = read_object(&r, root, 0);
        r.yd.doc = NULL;
        yaml_document_delete(&doc);
        if (st != CS_OK)
            break;
    }
    yaml_parser_delete(&parser);
    return st;
}

/* Reads a whole regular file into a cs_xmalloc'd buffer; CS_EIO with *err (-1: not a regular file). */
static cs_status read_all(const char *path, char **out, size_t *out_len, int *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        *err = errno;
        return CS_EIO;
    }
    struct stat st;
    cs_status status = CS_EIO;
    char *buf = NULL;
    if (fstat(fd, &st) != 0) {
        *err = errno;
    } else if (!S_ISREG(st.st_mode)) {
        *err = S_ISDIR(st.st_mode) ? EISDIR : -1;
    } else if (st.st_size < 0 || (uintmax_t)st.st_size > MAX_FILE_BYTES) {
        *err = EFBIG;
    } else if ((buf = cs_xmalloc((size_t)st.st_size + 1)) == NULL) {
        status = CS_ENOMEM;
    } else {
        size_t len = 0, want = (size_t)st.st_size;
        while (len < want) {
            ssize_t n = read(fd, buf + len, want - len);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                *err = n < 0 ? errno : EIO;
                break;
            }
            len += (size_t)n;
        }
        if (len == want) {
            buf[len] = '\0';
            *out = buf;
            *out_len = len;
            buf = NULL;
            status = CS_OK;
        }
    }
    free(buf);
    close(fd);
    return status;
}

cs_status cs_manifest_read_file(cs_manifest *m, const char *path, cs_diag *diag)
{
    cs_diag spare;
    if (diag == NULL)
        diag = &spare;
    char *buf = NULL;
    size_t len = 0;
    int err = 0;
    cs_status st = read_all(path, &buf, &len, &err);
    if (st == CS_ENOMEM) {
        diag_oom(diag, path);
        return st;
    }
    if (st != CS_OK) {
        memset(diag, 0, sizeof *diag);
        yd_copy_str(diag->msg, sizeof diag->msg, err < 0 ? "not a regular file" : strerror(err));
        return st;
    }
    st = cs_manifest_read_buffer(m, path, buf, len, diag);
    free(buf);
    return st;
}

/* ---- committing ------------------------------------------------------------------------- */

cs_manifest *cs_manifest_new(cs_config *cfg)
{
    cs_arena *tmp = cs_arena_new();
    cs_manifest *m = tmp != NULL ? cs_arena_new_of(tmp, cs_manifest) : NULL;
    if (m == NULL) {
        cs_arena_free(tmp);
        return NULL;
    }
    m->cfg = cfg;
    m->arena = cfg->arena;
    m->tmp = tmp;
    m->n_nodes = cfg->n_nodes;
    for (uint32_t i = 0; i < cfg->n_pools; i++)
        if (!yd_names_put(tmp, &m->pool_names, cfg->pools[i].name, i))
            goto fail;
    for (uint32_t i = 0; i < cfg->n_workloads; i++)
        if (!yd_names_put(tmp, &m->wl_names, cfg->workloads[i].name, i))
            goto fail;
    for (uint32_t i = 0; i < cfg->n_pdbs; i++)
        if (!yd_names_put(tmp, &m->pdb_names, cfg->pdbs[i].name, i))
            goto fail;
    return m;
fail:
    cs_arena_free(tmp);
    return NULL;
}

void cs_manifest_free(cs_manifest *m)
{
    if (m != NULL)
        cs_arena_free(m->tmp);
}

static int by_kind(const void *a, const void *b)
{
    return strcmp(((const kind_count *)a)->kind, ((const kind_count *)b)->kind);
}

/* The priority of a pod template, as plugin/pkg/admission/priority Admit sets it: the named
 * class (or a built-in system class), else the global default class (the lowest value if there
 * are several), else 0. A spec.priority that disagrees is rejected, as upstream does; one given
 * with a class this input does not declare is taken as it is (exported objects carry both). */
/* Fills diag for an error at p's priorityClassName (or priority); the message is left to the
 * caller. Returns CS_EINPUT. */
static cs_status fail_priority(const pending_workload *p, cs_diag *diag)
{
    memset(diag, 0, sizeof *diag);
    yd_copy_str(diag->file, sizeof diag->file, p->file);
    diag->line = p->line;
    diag->col = p->col;
    yd_copy_str(diag->path, sizeof diag->path, p->where);
    return CS_EINPUT;
}

static cs_status resolve_priority(cs_manifest *m, pending_workload *p, cs_diag *diag)
{
    int32_t value = 0;
    bool found = false;
    const prio_class *class = NULL;
    if (p->class_name != NULL) {
        uint32_t id = yd_names_get(&m->class_names, p->class_name);
        if (id != CS_NONE) {
            class = &m->classes[id];
            value = class->value;
            found = true;
        } else if (strcmp(p->class_name, "system-cluster-critical") == 0) {
            value = SYSTEM_CRITICAL;
            found = true;
        } else if (strcmp(p->class_name, "system-node-critical") == 0) {
            value = SYSTEM_CRITICAL + 1000;
            found = true;
        } else if (!p->has_priority) {
            fail_priority(p, diag);
            snprintf(diag->msg, sizeof diag->msg, "no PriorityClass named \"%s\" was found", p->class_name);
            snprintf(diag->hint, sizeof diag->hint,
                     "add its scheduling.k8s.io/v1 PriorityClass document (built in: system-cluster-critical, "
                     "system-node-critical)");
            return CS_EINPUT;
        }
    } else {
        const prio_class *def = NULL;
        for (uint32_t i = 0; i < m->n_classes; i++)
            if (m->classes[i].global_default && (def == NULL || m->classes[i].value < def->value))
                def = &m->classes[i];
        value = def != NULL ? def->value : 0;
        class = def;
        found = true;
    }
    /* The class's preemptionPolicy is the pod's; a different one in the pod spec is rejected
     * (plugin/pkg/admission/priority/admission.go). */
    if (class != NULL) {
        if (p->has_policy && p->w.preempt_never != class->never && p->class_name != NULL) {
            fail_priority(p, diag);
            snprintf(diag->msg, sizeof diag->msg,
                     "the string value of PreemptionPolicy (%s) must not be provided in pod spec; priority admission "
                     "controller computed %s from the given PriorityClass name",
                     p->w.preempt_never ? "Never" : "PreemptLowerPriority",
                     class->never ? "Never" : "PreemptLowerPriority");
            return CS_EINPUT;
        }
        p->w.preempt_never = class->never;
    }
    if (p->has_priority && found && p->priority != value) {
        fail_priority(p, diag);
        snprintf(diag->msg, sizeof diag->msg,
                 "the integer value of priority (%" PRId32 ") must not be provided in pod spec; priority admission "
                 "controller computed %" PRId32 " from the given PriorityClass name",
                 p->priority, value);
        return CS_EINPUT;
    }
    p->w.priority = found ? value : p->priority;
    return CS_OK;
}

cs_status cs_manifest_finish(cs_manifest *m, cs_diag *diag)
{
    cs_diag spare;
    if (diag == NULL)
        diag = &spare;
    cs_config *cfg = m->cfg;
    cs_arena *a = m->arena;
    for (uint32_t i = 0; i < m->n_wls; i++)
        TRY(resolve_priority(m, &m->wls[i], diag));

    /* Zones: the config's, then those first named by a Node's zone label. */
    yd_names zones = {0};
    uint32_t n_zones = cfg->n_zones, cap = cfg->n_zones + m->n_pools;
    const char **zone_list = cs_arena_calloc(a, cap > 0 ? cap : 1, sizeof *zone_list);
    if (zone_list == NULL)
        goto oom;
    for (uint32_t i = 0; i < cfg->n_zones; i++) {
        zone_list[i] = cfg->zones[i];
        if (!yd_names_put(m->tmp, &zones, cfg->zones[i], i))
            goto oom;
    }
    uint32_t n_pools = cfg->n_pools + m->n_pools, n_nodes = cfg->n_nodes;
    cs_node_pool *pools = cs_arena_calloc(a, n_pools > 0 ? n_pools : 1, sizeof *pools);
    if (pools == NULL)
        goto oom;
    if (cfg->n_pools > 0)
        memcpy(pools, cfg->pools, cfg->n_pools * sizeof *pools);
    for (uint32_t i = 0; i < m->n_pools; i++) {
        cs_node_pool *p = &pools[cfg->n_pools + i];
        *p = m->pools[i].pool;
        p->first_node = n_nodes++;
        const char *zone = m->pools[i].zone;
        if (zone == NULL)
            continue;
        uint32_t id = yd_names_get(&zones, zone);
        if (id == CS_NONE) {
            id = n_zones++;
            zone_list[id] = zone;
            if (!yd_names_put(m->tmp, &zones, zone, id))
                goto oom;
        }
        uint32_t *ids = cs_arena_new_of(a, uint32_t);
        if (ids == NULL)
            goto oom;
        *ids = id;
        p->zones = ids;
        p->n_zones = 1;
    }

    uint32_t n_wls = cfg->n_workloads + m->n_wls;
    cs_workload *wls = cs_arena_calloc(a, n_wls > 0 ? n_wls : 1, sizeof *wls);
    cs_service *services = cs_arena_calloc(a, m->n_services > 0 ? m->n_services : 1, sizeof *services);
    const char **kinds = cs_arena_calloc(a, m->n_kinds > 0 ? m->n_kinds : 1, sizeof *kinds);
    uint32_t n_pdbs = cfg->n_pdbs + m->n_pdbs;
    cs_pdb *pdbs = cs_arena_calloc(a, n_pdbs > 0 ? n_pdbs : 1, sizeof *pdbs);
    if (wls == NULL || services == NULL || kinds == NULL || pdbs == NULL)
        goto oom;
    if (cfg->n_pdbs > 0)
        memcpy(pdbs, cfg->pdbs, cfg->n_pdbs * sizeof *pdbs);
    if (m->n_pdbs > 0)
        memcpy(pdbs + cfg->n_pdbs, m->pdbs, m->n_pdbs * sizeof *pdbs);
    if (cfg->n_workloads > 0)
        memcpy(wls, cfg->workloads, cfg->n_workloads * sizeof *wls);
    for (uint32_t i = 0; i < m->n_wls; i++) {
        cs_workload *w = &wls[cfg->n_workloads + i];
        *w = m->wls[i].w;
        /* spec.nodeName naming a Node of the manifests: that Node is the pool of one whose
         * node is "<name>-0" here. Any other name is kept, so it may name a pool's node. */
        uint32_t pool = w->node_name != NULL ? yd_names_get(&m->pool_names, w->node_name) : CS_NONE;
        if (pool != CS_NONE && pool >= cfg->n_pools) {
            size_t len = strlen(w->node_name) + 3;
            char *name = cs_arena_alloc(a, len);
            if (name == NULL)
                goto oom;
            snprintf(name, len, "%s-0", w->node_name);
            w->node_name = name;
        }
    }
    if (m->n_services > 0)
        memcpy(services, m->services, m->n_services * sizeof *services);
    if (m->n_kinds > 1)
        qsort(m->kinds, m->n_kinds, sizeof *m->kinds, by_kind);   /* kinds are distinct: no ties */
    for (uint32_t i = 0; i < m->n_kinds; i++) {
        char buf[160];
        snprintf(buf, sizeof buf, "%s (%" PRIu32 ")", m->kinds[i].kind, m->kinds[i].n);
        if ((kinds[i] = cs_arena_strdup(a, buf)) == NULL)
            goto oom;
    }

    cfg->zones = zone_list;
    cfg->n_zones = n_zones;
    cfg->pools = pools;
    cfg->n_pools = n_pools;
    cfg->n_nodes = n_nodes;
    cfg->workloads = wls;
    cfg->n_workloads = n_wls;
    cfg->services = services;
    cfg->n_services = m->n_services;
    cfg->pdbs = pdbs;
    cfg->n_pdbs = n_pdbs;
    cfg->skipped_kinds = kinds;
    cfg->n_skipped_kinds = m->n_kinds;
    return CS_OK;
oom:
    diag_oom(diag, cfg->file);
    return CS_ENOMEM;
}

/* ---- a manifest as a whole scenario ----------------------------------------------------- */

bool cs_manifest_sniff(const char *data, size_t len)
{
    yaml_parser_t parser;
    if (data == NULL || !yaml_parser_initialize(&parser))
        return false;
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    bool k8s = false;
    for (int docs = 0; docs < 64; docs++) {
        yaml_document_t doc;
        if (!yaml_parser_load(&parser, &doc))
            break;
        reader r = {.yd = {.doc = &doc}};
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        bool empty = root != NULL && yd_is_null(root), done = !empty;
        if (root != NULL && root->type == YAML_MAPPING_NODE) {
            const char *api = yd_text(get(&r, root, "apiVersion")), *kind = yd_text(get(&r, root, "kind"));
            k8s = api != NULL && kind != NULL && api[0] != '\0' && kind[0] != '\0' &&
                  strncmp(api, "clustersim.io/", 14) != 0 && strcmp(kind, "Scenario") != 0;
        }
        yaml_document_delete(&doc);
        if (done)
            break;
    }
    yaml_parser_delete(&parser);
    return k8s;
}

/* The base of the file name without its extension, as a DNS-1123 label: lowercase, runs of
 * anything else become one '-', at most 63 characters; "manifest" when nothing is left. */
static void scenario_name(const char *file, char *out, size_t size)
{
    const char *base = strrchr(file, '/');
    base = base != NULL ? base + 1 : file;
    const char *dot = strrchr(base, '.');
    size_t len = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base), o = 0;
    for (size_t i = 0; i < len && o + 1 < size && o < LABEL_MAX_LEN; i++) {
        char c = base[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out[o++] = c;
        else if (o > 0 && out[o - 1] != '-')
            out[o++] = '-';
    }
    while (o > 0 && out[o - 1] == '-')
        o--;
    out[o] = '\0';
    if (o == 0)
        yd_copy_str(out, size, "manifest");
}

cs_status cs_manifest_load_scenario(cs_config *cfg, const char *file, const char *data, size_t len, cs_diag *diag)
{
    cs_diag spare;
    if (diag == NULL)
        diag = &spare;
    char name[LABEL_MAX_LEN + 1];
    scenario_name(file, name, sizeof name);
    if ((cfg->name = cs_arena_strdup(cfg->arena, name)) == NULL) {
        diag_oom(diag, file);
        return CS_ENOMEM;
    }
    cfg->duration = CS_HOUR;
    cfg->replications = 10;
    cfg->seed = 1;
    cfg->samples = CS_DEFAULT_SAMPLES;
    cs_manifest *m = cs_manifest_new(cfg);
    if (m == NULL) {
        diag_oom(diag, file);
        return CS_ENOMEM;
    }
    cs_status st = cs_manifest_read_buffer(m, file, data, len, diag);
    if (st == CS_OK)
        st = cs_manifest_finish(m, diag);
    cs_manifest_free(m);
    if (st == CS_OK && cfg->n_pools == 0) {
        memset(diag, 0, sizeof *diag);
        yd_copy_str(diag->file, sizeof diag->file, file);
        diag->line = 1;
        diag->col = 1;
        yd_copy_str(diag->msg, sizeof diag->msg,
                    "no nodes: add v1 Node documents or use a Scenario with spec.cluster.nodePools");
        st = CS_EINPUT;
    }
    return st;
}
