/* report_scenario.c -- results/<name>/scenario.yaml: the input again, settled and self-contained.
 *
 * A run can be reproduced from its results folder alone: `clustersim run DIR/scenario.yaml`
 * gives the same summary.json (but for scenario.file, the path it was given) and the same
 * timeseries.csv. So the copy writes out what the run used rather than what the file said:
 * the seed and the replications after --seed and --reps, spec.output.samples, the scheduler
 * profile (spec.scheduler, whole), and the defaults the loader filled in for the node
 * lifecycle (spec.cluster), node pools (allocatable.pods), workloads (startupTime, a
 * Deployment's strategy, minReadySeconds, progressDeadlineSeconds, revisionHistoryLimit) and
 * properties (threshold), taken from the config itself so they cannot drift from the
 * loader's. Manifests are copied as they are: what the API server would default in them
 * stays implicit, as in any manifest. Every file the input refers to (spec.include manifests, empirical sample files)
 * is copied into the folder, under manifests/ and files/, and the copy refers to the copies.
 *
 * The input is read again with libyaml's document API, changed in place and emitted: fields
 * this file does not know (new ones, other helpers' ones) pass through as they were. libyaml
 * keeps no comments, so the copy has none but its header. A plain manifest file given as
 * the scenario becomes a Scenario that includes its copy, with the defaults such a run uses.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "clustersim/report.h"
#include "report_file.h"

typedef struct copier {
    yaml_document_t doc;
    const char *src;        /* the scenario as given: relative names are relative to its directory */
    size_t src_dir;         /* length of its directory part, with the '/' */
    const char *out;        /* the results folder, "" for the current directory */
    uint32_t copied;        /* files copied so far: their copies are numbered */
    cs_diag *diag;
    cs_status st;
} copier;

/* ---- the document ------------------------------------------------------------------------ */

static yaml_node_t *node(copier *c, int id)
{
    return id > 0 ? yaml_document_get_node(&c->doc, id) : NULL;
}

static const char *text(copier *c, int id)
{
    yaml_node_t *n = node(c, id);
    return n != NULL && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* The value of key in mapping `map`, or 0. */
static int get(copier *c, int map, const char *key)
{
    yaml_node_t *m = node(c, map);
    if (m == NULL || m->type != YAML_MAPPING_NODE)
        return 0;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        const char *k = text(c, p->key);
        if (k != NULL && strcmp(k, key) == 0)
            return p->value;
    }
    return 0;
}

static void oom(copier *c)
{
    if (c->st == CS_OK)
        c->st = CS_ENOMEM;
}

static int scalar(copier *c, const char *value)
{
    int id = yaml_document_add_scalar(&c->doc, NULL, (yaml_char_t *)value, -1, YAML_ANY_SCALAR_STYLE);
    if (id == 0)
        oom(c);
    return id;
}

/* Replaces the text of scalar `id`. libyaml frees node values with free(). */
static void retext(copier *c, int id, const char *value)
{
    yaml_node_t *n = node(c, id);
    char *v = strdup(value);
    if (v == NULL) {
        oom(c);
        return;
    }
    free(n->data.scalar.value);
    n->data.scalar.value = (yaml_char_t *)v;
    n->data.scalar.length = strlen(v);
}

static void append(copier *c, int map, const char *key, int value)
{
    int k = scalar(c, key);
    if (k == 0 || value == 0 || !yaml_document_append_mapping_pair(&c->doc, map, k, value))
        oom(c);
}

/* map[key] = value: replaces a scalar that is there, or adds the pair at the end. With
 * only_if_absent, a key that is there keeps its value. */
static void set(copier *c, int map, const char *key, const char *value, bool only_if_absent)
{
    if (c->st != CS_OK || node(c, map) == NULL || node(c, map)->type != YAML_MAPPING_NODE)
        return;
    int v = get(c, map, key);
    if (v != 0 && (only_if_absent || node(c, v)->type != YAML_SCALAR_NODE))
        return;
    if (v != 0)
        retext(c, v, value);
    else
        append(c, map, key, scalar(c, value));
}

/* A new mapping or sequence: flow style ({a: 1}, [x]) or block style. 0 when out of memory. */
static int new_map(copier *c, bool flow)
{
    int id = yaml_document_add_mapping(&c->doc, NULL, flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
    if (id == 0)
        oom(c);
    return id;
}

static int new_seq(copier *c, bool flow)
{
    int id = yaml_document_add_sequence(&c->doc, NULL, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
    if (id == 0)
        oom(c);
    return id;
}

static void push(copier *c, int seq, int item)
{
    if (seq == 0 || item == 0 || !yaml_document_append_sequence_item(&c->doc, seq, item))
        oom(c);
}

/* map[key] = the node `value`, replacing whatever was there (libyaml emits only what the
 * root reaches, so the old value simply drops out). */
static void put(copier *c, int map, const char *key, int value)
{
    yaml_node_t *m = node(c, map);
    if (c->st != CS_OK || m == NULL || m->type != YAML_MAPPING_NODE)
        return;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        const char *k = text(c, p->key);
        if (k != NULL && strcmp(k, key) == 0) {
            p->value = value;
            return;
        }
    }
    append(c, map, key, value);
}

/* {name: NAME, weight: W}, the shape of a plugin's or a resource's weight. */
static int name_weight(copier *c, const char *name, int64_t weight)
{
    char v[32];
    snprintf(v, sizeof v, "%" PRId64, weight);
    int e = new_map(c, true);
    if (e != 0) {
        append(c, e, "name", scalar(c, name));
        append(c, e, "weight", scalar(c, v));
    }
    return e;
}

/* The mapping map[key], added empty (block style) when absent. 0 when it is something else. */
static int child_map(copier *c, int map, const char *key)
{
    int v = get(c, map, key);
    if (v == 0 && c->st == CS_OK) {
        v = yaml_document_add_mapping(&c->doc, NULL, YAML_BLOCK_MAPPING_STYLE);
        append(c, map, key, v);
    }
    return node(c, v) != NULL && node(c, v)->type == YAML_MAPPING_NODE ? v : 0;
}

/* ---- files the input refers to ----------------------------------------------------------- */

static cs_status io_error(copier *c, const char *path, int err)
{
    rf_io_fail(c->diag, path, err);
    return c->st = CS_EIO;
}

/* Copies the file the input names `name` to <out>/<dir>/<k>-<basename> and makes scalar `id`
 * name the copy, relative to the folder. */
static void copy_file(copier *c, int id, const char *dir)
{
    const char *name = text(c, id);
    if (c->st != CS_OK || name == NULL)
        return;
    size_t pre = name[0] == '/' ? 0 : c->src_dir;
    char *from = malloc(pre + strlen(name) + 1);
    const char *base = strrchr(name, '/') != NULL ? strrchr(name, '/') + 1 : name;
    char rel[600], to[1200];
    snprintf(rel, sizeof rel, "%s/%" PRIu32 "-%s", dir, c->copied++, base);
    snprintf(to, sizeof to, "%s%s%s", c->out, c->out[0] != '\0' ? "/" : "", rel);
    if (from == NULL) {
        oom(c);
        return;
    }
    memcpy(from, c->src, pre);
    strcpy(from + pre, name);
    FILE *f = fopen(from, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (size_t got = 1; f != NULL && got > 0 && c->st == CS_OK; len += got) {
        if (len == cap) {
            char *grown = realloc(buf, cap = cap * 2 + 65536);
            if (grown == NULL) {
                oom(c);
                break;
            }
            buf = grown;
        }
        got = fread(buf + len, 1, cap - len, f);
    }
    if (f == NULL || ferror(f))
        io_error(c, from, f == NULL ? errno : EIO);
    if (f != NULL)
        fclose(f);
    if (c->st == CS_OK)
        c->st = rf_write_text(to, buf != NULL ? buf : "", len, false, c->diag);
    if (c->st == CS_OK)
        retext(c, id, rel);
    free(buf);
    free(from);
}

/* Every `empirical: {file: NAME}` below node id, at any depth (distributions appear in many
 * places, and more will). Depth is bounded, as a document with aliases is a graph. */
static void copy_sample_files(copier *c, int id, int depth)
{
    yaml_node_t *n = node(c, id);
    if (n == NULL || depth > 64 || c->st != CS_OK)
        return;
    if (n->type == YAML_SEQUENCE_NODE) {
        for (size_t i = 0; i < (size_t)(n->data.sequence.items.top - n->data.sequence.items.start); i++)
            copy_sample_files(c, node(c, id)->data.sequence.items.start[i], depth + 1);
        return;
    }
    if (n->type != YAML_MAPPING_NODE)
        return;
    size_t pairs = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    for (size_t i = 0; i < pairs; i++) {
        yaml_node_pair_t p = node(c, id)->data.mapping.pairs.start[i];
        const char *k = text(c, p.key);
        if (k != NULL && strcmp(k, "empirical") == 0 && text(c, get(c, p.value, "file")) != NULL)
            copy_file(c, get(c, p.value, "file"), "files");
        else
            copy_sample_files(c, p.value, depth + 1);
    }
}

static void copy_includes(copier *c, int spec)
{
    yaml_node_t *inc = node(c, get(c, spec, "include"));
    if (inc == NULL || inc->type != YAML_SEQUENCE_NODE)
        return;
    size_t n = (size_t)(inc->data.sequence.items.top - inc->data.sequence.items.start);
    int first = get(c, spec, "include");
    for (size_t i = 0; i < n; i++)
        copy_file(c, node(c, first)->data.sequence.items.start[i], "manifests");
}

/* ---- what the run used ------------------------------------------------------------------- */

/* Item i of the sequence map[key] when it is a mapping, else 0. */
static int item(copier *c, int map, const char *key, size_t i)
{
    yaml_node_t *seq = node(c, get(c, map, key));
    if (seq == NULL || seq->type != YAML_SEQUENCE_NODE ||
        i >= (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start))
        return 0;
    int id = seq->data.sequence.items.start[i];
    return node(c, id)->type == YAML_MAPPING_NODE ? id : 0;
}

/* The shortest %g of x that reads back as x. */
static char *shortest(double x, char *buf, size_t size)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    return buf;
}

/* spec.cluster's node-lifecycle settings, from the config (sim/scenario.c read_lifecycle). */
static void settle_lifecycle(copier *c, int cluster, const cs_config *cfg)
{
    char v[64];
    set(c, cluster, "nodeMonitorGracePeriod", cs_report_format_duration(cfg->node_monitor_grace, v, sizeof v), true);
    snprintf(v, sizeof v, "%" PRId64, cfg->not_ready_toleration_s);
    set(c, cluster, "defaultNotReadyTolerationSeconds", v, true);
    snprintf(v, sizeof v, "%" PRId64, cfg->unreachable_toleration_s);
    set(c, cluster, "defaultUnreachableTolerationSeconds", v, true);
    set(c, cluster, "nodeEvictionRate", shortest(cfg->node_eviction_rate, v, sizeof v), true);
    set(c, cluster, "secondaryNodeEvictionRate", shortest(cfg->secondary_node_eviction_rate, v, sizeof v), true);
    set(c, cluster, "unhealthyZoneThreshold", shortest(cfg->unhealthy_zone_threshold, v, sizeof v), true);
    snprintf(v, sizeof v, "%" PRIu32, cfg->large_cluster_threshold);
    set(c, cluster, "largeClusterSizeThreshold", v, true);
}

/* spec.scheduler: the profile the run used, written out whole, kube-scheduler's default
 * when the input had none: the backoffs, every score plugin's weight (all defaults disabled
 * first, so the copy does not lean on them), the scoring strategy and its resources. The
 * input's own spec.scheduler is replaced: what is written is what the loader made of it. */
static void settle_scheduler(copier *c, int spec, const cs_config *cfg)
{
    const cs_sched_profile *p = cfg->sched != NULL ? cfg->sched : cs_sched_profile_default();
    char v[32];
    int sched = new_map(c, false);
    if (sched == 0)
        return;
    snprintf(v, sizeof v, "%" PRIu32, p->percentage_of_nodes_to_score);
    append(c, sched, "percentageOfNodesToScore", scalar(c, v));
    snprintf(v, sizeof v, "%" PRId64, p->pod_initial_backoff / CS_SECOND);
    append(c, sched, "podInitialBackoffSeconds", scalar(c, v));
    snprintf(v, sizeof v, "%" PRId64, p->pod_max_backoff / CS_SECOND);
    append(c, sched, "podMaxBackoffSeconds", scalar(c, v));

    int all = new_map(c, true), disabled = new_seq(c, true), enabled = new_seq(c, false);
    if (all != 0)
        append(c, all, "name", scalar(c, "*"));
    push(c, disabled, all);
    for (int k = 0; k < CS_SCORE_PLUGINS; k++)
        if (p->weight[k] > 0)
            push(c, enabled, name_weight(c, cs_score_plugin_names[k], p->weight[k]));
    int score = new_map(c, false), plugins = new_map(c, false);
    if (score != 0 && plugins != 0) {
        append(c, score, "disabled", disabled);
        append(c, score, "enabled", enabled);
        append(c, plugins, "score", score);
        append(c, sched, "plugins", plugins);
    }

    int strategy = new_map(c, false), resources = new_seq(c, false);
    if (strategy == 0)
        return;
    append(c, strategy, "type", scalar(c, cs_scoring_strategy_names[p->strategy]));
    for (uint32_t i = 0; i < p->n_resources; i++) {
        const cs_resource_weight *r = &p->resources[i];
        static const char *const names[] = {[CS_RESOURCE_CPU] = "cpu", [CS_RESOURCE_MEMORY] = "memory",
                                            [CS_RESOURCE_EPHEMERAL_STORAGE] = "ephemeral-storage"};
        push(c, resources, name_weight(c, r->name == CS_RESOURCE_EXTENDED ? cfg->extended[r->ext] : names[r->name],
                                       r->weight));
    }
    append(c, strategy, "resources", resources);
    if (p->strategy == CS_STRATEGY_REQUESTED_TO_CAPACITY_RATIO) {
        int shape = new_seq(c, false), ratio = new_map(c, false);
        for (uint32_t i = 0; i < p->n_shape; i++) {
            int point = new_map(c, true);
            if (point == 0)
                break;
            snprintf(v, sizeof v, "%" PRId64, p->shape[i].utilization);
            append(c, point, "utilization", scalar(c, v));
            snprintf(v, sizeof v, "%" PRId64, p->shape[i].score);
            append(c, point, "score", scalar(c, v));
            push(c, shape, point);
        }
        if (ratio != 0) {
            append(c, ratio, "shape", shape);
            append(c, strategy, "requestedToCapacityRatio", ratio);
        }
    }
    int fit = new_map(c, false), config = new_map(c, false);
    if (fit != 0 && config != 0) {
        append(c, fit, "scoringStrategy", strategy);
        append(c, config, "NodeResourcesFit", fit);
        append(c, sched, "pluginConfig", config);
    }
    put(c, spec, "scheduler", sched);
}

static char *int_or_percent(cs_int_or_percent x, char *buf, size_t size)
{
    snprintf(buf, size, "%" PRIu32 "%s", x.value, x.percent ? "%" : "");
    return buf;
}

/* A scenario Deployment's spec with the apps/v1 defaults the loader filled in
 * (cs_workload_defaults): strategy, minReadySeconds, progressDeadlineSeconds and
 * revisionHistoryLimit, each where the input left it out. */
static void settle_deployment(copier *c, int wl, const cs_deploy_spec *d)
{
    char v[32];
    int strategy = child_map(c, wl, "strategy");
    set(c, strategy, "type", d->strategy == CS_DEPLOY_RECREATE ? "Recreate" : "RollingUpdate", true);
    if (d->strategy == CS_DEPLOY_ROLLING_UPDATE) {
        int ru = child_map(c, strategy, "rollingUpdate");
        set(c, ru, "maxSurge", int_or_percent(d->max_surge, v, sizeof v), true);
        set(c, ru, "maxUnavailable", int_or_percent(d->max_unavailable, v, sizeof v), true);
    }
    snprintf(v, sizeof v, "%" PRId32, d->min_ready_s);
    set(c, wl, "minReadySeconds", v, true);
    snprintf(v, sizeof v, "%" PRId32, d->progress_deadline_s);
    set(c, wl, "progressDeadlineSeconds", v, true);
    snprintf(v, sizeof v, "%" PRId32, d->revision_history_limit);
    set(c, wl, "revisionHistoryLimit", v, true);
}

static void settle(copier *c, int spec, const cs_config *cfg, const cs_run_summary *s)
{
    char v[64];
    snprintf(v, sizeof v, "%" PRIu32, s->reps);
    set(c, spec, "replications", v, false);
    snprintf(v, sizeof v, "%" PRIu64, s->seed);
    set(c, spec, "seed", v, false);
    snprintf(v, sizeof v, "%" PRIu32, cfg->samples);
    set(c, child_map(c, spec, "output"), "samples", v, false);
    int cluster = get(c, spec, "cluster");
    settle_lifecycle(c, cluster, cfg);
    /* The scenario's own pools and workloads come first in the config, manifests' after. */
    for (uint32_t i = 0; i < cfg->n_pools; i++) {
        int pool = item(c, cluster, "nodePools", i);
        snprintf(v, sizeof v, "%" PRId64, cfg->pools[i].allocatable.pods);
        if (pool != 0)
            set(c, child_map(c, pool, "allocatable"), "pods", v, true);
    }
    for (uint32_t i = 0; i < cfg->n_workloads; i++) {
        int wl = item(c, spec, "workloads", i);
        const cs_dist *d = &cfg->workloads[i].startup;
        if (wl != 0 && d->kind == CS_DIST_CONSTANT) {
            char dur[48];
            set(c, wl, "startupTime", cs_report_format_duration((cs_time)(d->p1 * 1e9 + 0.5), dur, sizeof dur), true);
        }
        if (wl != 0 && !cfg->workloads[i].daemonset)
            settle_deployment(c, wl, &cfg->workloads[i].deploy);
    }
    settle_scheduler(c, spec, cfg);
    for (uint32_t i = 0; i < cfg->n_properties; i++) {
        int prop = item(c, spec, "properties", i);
        if (prop != 0)
            set(c, prop, "threshold", shortest(cfg->properties[i].threshold, v, sizeof v), true);
    }
}

/* A plain manifest file run as a scenario: a Scenario with the defaults such a run takes
 * (sim/manifest.c) that includes it. */
static int wrap_manifest(copier *c, const cs_config *cfg)
{
    yaml_document_delete(&c->doc);
    if (!yaml_document_initialize(&c->doc, NULL, NULL, NULL, 1, 1)) {
        oom(c);
        return 0;
    }
    int root = yaml_document_add_mapping(&c->doc, NULL, YAML_BLOCK_MAPPING_STYLE);
    if (root == 0) {
        oom(c);
        return 0;
    }
    set(c, root, "apiVersion", "clustersim.io/v1alpha1", false);
    set(c, root, "kind", "Scenario", false);
    set(c, child_map(c, root, "metadata"), "name", cfg->name, false);
    int spec = child_map(c, root, "spec");
    char dur[48];
    set(c, spec, "duration", cs_report_format_duration(cfg->duration, dur, sizeof dur), false);
    int nodes = yaml_document_add_sequence(&c->doc, NULL, YAML_FLOW_SEQUENCE_STYLE);
    int cluster = child_map(c, spec, "cluster");
    if (nodes == 0)
        oom(c);
    else
        append(c, cluster, "nodePools", nodes);
    int inc = yaml_document_add_sequence(&c->doc, NULL, YAML_BLOCK_SEQUENCE_STYLE);
    int file = scalar(c, c->src + c->src_dir);
    if (inc == 0 || file == 0 || !yaml_document_append_sequence_item(&c->doc, inc, file))
        oom(c);
    else
        append(c, spec, "include", inc);
    return spec;
}

/* ---- writing ----------------------------------------------------------------------------- */

typedef struct buffer {
    char *data;
    size_t len, cap;
    bool failed;
} buffer;

static int to_buffer(void *ctx, unsigned char *bytes, size_t n)
{
    buffer *b = ctx;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *grown = realloc(b->data, cap);
        if (grown == NULL) {
            b->failed = true;
            return 0;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 1;
}

static bool bputs(buffer *b, const char *s)
{
    return to_buffer(b, (unsigned char *)s, strlen(s)) == 1;
}

/* Emits the document after the header (the emitter takes the document and frees it). */
static cs_status emit(copier *c, buffer *b)
{
    yaml_emitter_t em;
    if (!yaml_emitter_initialize(&em)) {
        yaml_document_delete(&c->doc);
        return CS_ENOMEM;
    }
    yaml_emitter_set_output(&em, to_buffer, b);
    yaml_emitter_set_unicode(&em, 1);
    yaml_emitter_set_width(&em, 100);
    bool ok = yaml_emitter_open(&em);
    if (!ok)
        yaml_document_delete(&c->doc);
    ok = ok && yaml_emitter_dump(&em, &c->doc) && yaml_emitter_close(&em);
    yaml_emitter_delete(&em);
    return ok && !b->failed ? CS_OK : CS_ENOMEM;
}

cs_status cs_report_write_scenario(const cs_config *cfg, const cs_run_summary *s, const char *path, cs_diag *diag)
{
    copier c = {.src = cfg->file, .diag = diag};
    const char *slash = strrchr(cfg->file, '/');
    c.src_dir = slash != NULL ? (size_t)(slash - cfg->file) + 1 : 0;
    const char *pslash = strrchr(path, '/');
    char *out = strndup(path, pslash != NULL ? (size_t)(pslash - path) : 0);
    if (out == NULL)
        return CS_ENOMEM;
    c.out = out;

    /* The input again: it loaded a moment ago, so a failure now is an I/O problem. */
    FILE *f = fopen(cfg->file, "rb");
    yaml_parser_t parser;
    bool loaded = false;
    if (f == NULL) {
        io_error(&c, cfg->file, errno);
    } else if (!yaml_parser_initialize(&parser)) {
        c.st = CS_ENOMEM;
    } else {
        yaml_parser_set_input_file(&parser, f);
        loaded = yaml_parser_load(&parser, &c.doc) != 0;
        if (!loaded || yaml_document_get_root_node(&c.doc) == NULL)
            io_error(&c, cfg->file, EIO);
        yaml_parser_delete(&parser);
    }
    if (f != NULL)
        fclose(f);
    if (c.st != CS_OK) {
        if (loaded)
            yaml_document_delete(&c.doc);
        free(out);
        return c.st;
    }

    const char *kind = text(&c, get(&c, 1, "kind"));
    int spec = kind != NULL && strcmp(kind, "Scenario") == 0 ? get(&c, 1, "spec") : wrap_manifest(&c, cfg);
    copy_includes(&c, spec);
    copy_sample_files(&c, spec, 0);
    settle(&c, spec, cfg, s);

    buffer b = {0};
    char head[1024];
    snprintf(head, sizeof head,
             "# scenario.yaml -- written by clustersim %s from\n"
             "#   %s\n"
             "# settled: the seed and the replications the run used, spec.output.samples and the\n"
             "# loader's defaults are written out, and the files it refers to are copied into this\n"
             "# folder. `clustersim run scenario.yaml` reproduces summary.json and timeseries.csv\n"
             "# (docs/results.md).\n",
             cs_version(), cfg->file);
    cs_status st = c.st;
    if (st == CS_OK && !bputs(&b, head))
        st = CS_ENOMEM;
    if (st == CS_OK)
        st = emit(&c, &b);   /* takes the document */
    else
        yaml_document_delete(&c.doc);
    if (st == CS_OK)
        st = rf_write_text(path, b.data, b.len, false, diag);
    free(b.data);
    free(out);
    return st;
}
