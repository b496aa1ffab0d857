/* test_scenario.c -- the scenario loader: every field of a full scenario lands in the config
 * exactly, defaults apply, anchors work, and bad input of every kind is rejected at the
 * right line, column and field with the promised message; every allocation failure is clean. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "clustersim/scenario.h"
#include "test_util.h"

#define GiB ((int64_t)1 << 30)

static const char *full =
    "apiVersion: clustersim.io/v1alpha1\n"                                  /* 1 */
    "kind: Scenario\n"
    "metadata:\n"
    "  name: full\n"
    "  description: \"every field\"\n"                                     /* 5 */
    "spec:\n"
    "  duration: 24h\n"
    "  replications: 100\n"
    "  seed: 18446744073709551615\n"
    "  cluster:\n"                                                          /* 10 */
    "    nodePools:\n"
    "      - name: general\n"
    "        count: 6\n"
    "        zones: [zone-a, zone-b, zone-c]\n"
    "        allocatable:\n"                                                /* 15 */
    "          cpu: \"4\"\n"
    "          memory: 16Gi\n"
    "          ephemeral-storage: 100Gi\n"
    "          pods: 110\n"
    "        labels: {pool: general, tier: 1}\n"                            /* 20 */
    "        taints:\n"
    "          - {key: dedicated, value: batch, effect: NoSchedule}\n"
    "          - {key: spot, effect: PreferNoSchedule}\n"
    "        failures:\n"
    "          timeToFailure: {exponential: {mean: 720h}}\n"                /* 25 */
    "          timeToRepair: {lognormal: {median: 30m, p99: 4h}}\n"
    "      - name: db\n"
    "        count: 2\n"
    "        zones: [zone-c, zone-d]\n"
    "        allocatable: {cpu: 7500m, memory: 64Gi, pods: 30}\n"           /* 30 */
    "        taints: [{key: db, effect: NoExecute}]\n"
    "  workloads:\n"
    "    - name: web\n"
    "      replicas: 3\n"
    "      labels: {app: web}\n"                                            /* 35 */
    "      resources:\n"
    "        requests: {cpu: 500m, memory: 1Gi, ephemeral-storage: 1Gi}\n"
    "      startupTime: 20s\n"
    "    - {name: api, replicas: 0, startupTime: {uniform: {min: 1s, max: 5s}}}\n"
    "  timeline:\n"                                                         /* 40 */
    "    - {at: 6h, action: scale, workload: web, replicas: 5}\n"
    "    - at: 2h\n"
    "      action: nodeFailure\n"
    "      node: general-3\n"
    "      duration: 30m\n"                                                 /* 45 */
    "    - {at: 3h, action: nodeRepair, node: general-3}\n"
    "    - {at: 2h, action: zoneOutage, zone: zone-d, duration: 30m}\n"
    "    - {at: 0s, action: nodeFailure, pool: db, count: 2}\n"
    "  properties:\n"
    "    - name: web-available\n"                                           /* 50 */
    "      type: availability\n"
    "      workload: web\n"
    "      minReady: 2\n"
    "      threshold: 0.999\n"
    "    - {name: half, type: availability, minReady: 50%}\n"               /* 55 */
    "    - {name: capacity, type: noOvercommit}\n";

static void test_a_full_scenario_fills_every_field(void)
{
    cs_config *cfg = load(full);
    CU_ASSERT_STRING_EQUAL(cfg->name, "full");
    CU_ASSERT_STRING_EQUAL(cfg->file, "test.yaml");
    CU_ASSERT_EQUAL(cfg->duration, 24 * CS_HOUR);
    CU_ASSERT_EQUAL(cfg->replications, 100);
    CU_ASSERT_EQUAL(cfg->seed, UINT64_MAX);
    CU_ASSERT_PTR_NOT_NULL(cfg->arena);

    CU_ASSERT_EQUAL_FATAL(cfg->n_pools, 2);
    CU_ASSERT_EQUAL(cfg->n_nodes, 8);
    CU_ASSERT_EQUAL_FATAL(cfg->n_zones, 4);
    const char *zones[] = {"zone-a", "zone-b", "zone-c", "zone-d"};
    for (int i = 0; i < 4; i++)
        CU_ASSERT_STRING_EQUAL(cfg->zones[i], zones[i]);

    const cs_node_pool *g = &cfg->pools[0];
    CU_ASSERT_STRING_EQUAL(g->name, "general");
    CU_ASSERT_EQUAL(g->count, 6);
    CU_ASSERT_EQUAL(g->first_node, 0);
    CU_ASSERT_EQUAL(g->line, 12);
    CU_ASSERT_EQUAL_FATAL(g->n_zones, 3);
    CU_ASSERT(g->zones[0] == 0 && g->zones[1] == 1 && g->zones[2] == 2);
    CU_ASSERT_EQUAL(g->allocatable.cpu_milli, 4000);
    CU_ASSERT_EQUAL(g->allocatable.mem_bytes, 16 * GiB);
    CU_ASSERT_EQUAL(g->allocatable.ephemeral_bytes, 100 * GiB);
    CU_ASSERT_EQUAL(g->allocatable.pods, 110);
    CU_ASSERT_EQUAL_FATAL(g->n_labels, 2);
    CU_ASSERT_STRING_EQUAL(g->labels[0].key, "pool");
    CU_ASSERT_STRING_EQUAL(g->labels[0].value, "general");
    CU_ASSERT_STRING_EQUAL(g->labels[1].key, "tier");
    CU_ASSERT_STRING_EQUAL(g->labels[1].value, "1");
    CU_ASSERT_EQUAL_FATAL(g->n_taints, 2);
    CU_ASSERT_STRING_EQUAL(g->taints[0].key, "dedicated");
    CU_ASSERT_STRING_EQUAL(g->taints[0].value, "batch");
    CU_ASSERT_EQUAL(g->taints[0].effect, CS_TAINT_NO_SCHEDULE);
    CU_ASSERT_STRING_EQUAL(g->taints[1].key, "spot");
    CU_ASSERT_STRING_EQUAL(g->taints[1].value, "");
    CU_ASSERT_EQUAL(g->taints[1].effect, CS_TAINT_PREFER_NO_SCHEDULE);
    CU_ASSERT_TRUE(g->fails);
    CU_ASSERT_EQUAL(g->time_to_failure.kind, CS_DIST_EXPONENTIAL);
    CU_ASSERT_EQUAL(g->time_to_failure.p1, 2592000.0);
    cs_dist ln;
    CU_ASSERT_TRUE_FATAL(cs_dist_lognormal_median_p99(1800.0, 14400.0, &ln));
    CU_ASSERT_EQUAL(g->time_to_repair.kind, CS_DIST_LOGNORMAL);
    CU_ASSERT_EQUAL(g->time_to_repair.p1, ln.p1);
    CU_ASSERT_EQUAL(g->time_to_repair.p2, ln.p2);
    CU_ASSERT_DOUBLE_EQUAL(g->time_to_repair.p1, log(1800.0), 1e-12);

    const cs_node_pool *db = &cfg->pools[1];
    CU_ASSERT_STRING_EQUAL(db->name, "db");
    CU_ASSERT_EQUAL(db->count, 2);
    CU_ASSERT_EQUAL(db->first_node, 6);
    CU_ASSERT_EQUAL_FATAL(db->n_zones, 2);
    CU_ASSERT(db->zones[0] == 2 && db->zones[1] == 3);
    CU_ASSERT_EQUAL(db->allocatable.cpu_milli, 7500);
    CU_ASSERT_EQUAL(db->allocatable.mem_bytes, 64 * GiB);
    CU_ASSERT_EQUAL(db->allocatable.ephemeral_bytes, 0);
    CU_ASSERT_EQUAL(db->allocatable.pods, 30);
    CU_ASSERT_EQUAL(db->n_labels, 0);
    CU_ASSERT_EQUAL_FATAL(db->n_taints, 1);
    CU_ASSERT_EQUAL(db->taints[0].effect, CS_TAINT_NO_EXECUTE);
    CU_ASSERT_FALSE(db->fails);

    CU_ASSERT_EQUAL_FATAL(cfg->n_workloads, 2);
    const cs_workload *web = &cfg->workloads[0], *api = &cfg->workloads[1];
    CU_ASSERT_STRING_EQUAL(web->name, "web");
    CU_ASSERT_EQUAL(web->replicas, 3);
    CU_ASSERT_EQUAL(web->line, 33);
    CU_ASSERT_EQUAL_FATAL(web->n_labels, 1);
    CU_ASSERT_STRING_EQUAL(web->labels[0].key, "app");
    CU_ASSERT_STRING_EQUAL(web->labels[0].value, "web");
    CU_ASSERT_EQUAL(web->requests.cpu_milli, 500);
    CU_ASSERT_EQUAL(web->requests.mem_bytes, GiB);
    CU_ASSERT_EQUAL(web->requests.ephemeral_bytes, GiB);
    CU_ASSERT_EQUAL(web->requests.pods, 1);
    CU_ASSERT_EQUAL(web->startup.kind, CS_DIST_CONSTANT);
    CU_ASSERT_EQUAL(web->startup.p1, 20.0);
    CU_ASSERT_STRING_EQUAL(api->name, "api");
    CU_ASSERT_EQUAL(api->replicas, 0);
    CU_ASSERT_EQUAL(api->requests.cpu_milli, 0);
    CU_ASSERT_EQUAL(api->requests.mem_bytes, 0);
    CU_ASSERT_EQUAL(api->requests.pods, 1);
    CU_ASSERT_EQUAL(api->startup.kind, CS_DIST_UNIFORM);
    CU_ASSERT_EQUAL(api->startup.p1, 1.0);
    CU_ASSERT_EQUAL(api->startup.p2, 5.0);

    /* Sorted by time; the two actions at 2h keep their file order. */
    CU_ASSERT_EQUAL_FATAL(cfg->n_timeline, 5);
    const cs_action *t = cfg->timeline;
    CU_ASSERT_EQUAL(t[0].at, 0);
    CU_ASSERT_EQUAL(t[0].kind, CS_ACTION_NODE_FAILURE);
    CU_ASSERT_EQUAL(t[0].pool, 1);
    CU_ASSERT_EQUAL(t[0].node, CS_NONE);
    CU_ASSERT_EQUAL(t[0].count, 2);
    CU_ASSERT_EQUAL(t[0].duration, 0);
    CU_ASSERT_EQUAL(t[0].line, 48);
    CU_ASSERT_EQUAL(t[1].at, 2 * CS_HOUR);
    CU_ASSERT_EQUAL(t[1].kind, CS_ACTION_NODE_FAILURE);
    CU_ASSERT_EQUAL(t[1].node, 3);
    CU_ASSERT_EQUAL(t[1].pool, CS_NONE);
    CU_ASSERT_EQUAL(t[1].duration, 30 * CS_MINUTE);
    CU_ASSERT_EQUAL(t[1].line, 42);
    CU_ASSERT_EQUAL(t[2].at, 2 * CS_HOUR);
    CU_ASSERT_EQUAL(t[2].kind, CS_ACTION_ZONE_OUTAGE);
    CU_ASSERT_EQUAL(t[2].zone, 3);
    CU_ASSERT_EQUAL(t[2].duration, 30 * CS_MINUTE);
    CU_ASSERT_EQUAL(t[2].line, 47);
    CU_ASSERT_EQUAL(t[3].at, 3 * CS_HOUR);
    CU_ASSERT_EQUAL(t[3].kind, CS_ACTION_NODE_REPAIR);
    CU_ASSERT_EQUAL(t[3].node, 3);
    CU_ASSERT_EQUAL(t[4].at, 6 * CS_HOUR);
    CU_ASSERT_EQUAL(t[4].kind, CS_ACTION_SCALE);
    CU_ASSERT_EQUAL(t[4].workload, 0);
    CU_ASSERT_EQUAL(t[4].replicas, 5);
    CU_ASSERT_EQUAL(t[4].zone, CS_NONE);
    CU_ASSERT_EQUAL(t[4].node, CS_NONE);

    CU_ASSERT_EQUAL_FATAL(cfg->n_properties, 3);
    const cs_property *p = cfg->properties;
    CU_ASSERT_STRING_EQUAL(p[0].name, "web-available");
    CU_ASSERT_EQUAL(p[0].kind, CS_PROP_AVAILABILITY);
    CU_ASSERT_EQUAL(p[0].workload, 0);
    CU_ASSERT_EQUAL(p[0].min_ready, 2);
    CU_ASSERT_FALSE(p[0].percent);
    CU_ASSERT_EQUAL(p[0].threshold, 0.999);
    CU_ASSERT_EQUAL(p[0].line, 50);
    CU_ASSERT_STRING_EQUAL(p[1].name, "half");
    CU_ASSERT_EQUAL(p[1].workload, CS_NONE);
    CU_ASSERT_EQUAL(p[1].min_ready, 50);
    CU_ASSERT_TRUE(p[1].percent);
    CU_ASSERT_EQUAL(p[1].threshold, 1.0);
    CU_ASSERT_STRING_EQUAL(p[2].name, "capacity");
    CU_ASSERT_EQUAL(p[2].kind, CS_PROP_NO_OVERCOMMIT);
    CU_ASSERT_EQUAL(p[2].workload, CS_NONE);
    CU_ASSERT_EQUAL(p[2].threshold, 1.0);
    cs_config_free(cfg);
}

static void test_node_ids_map_to_pools_names_and_zones(void)
{
    cs_config *cfg = load(full);
    char buf[64];
    CU_ASSERT_PTR_EQUAL(cs_config_node_pool(cfg, 0), &cfg->pools[0]);
    CU_ASSERT_PTR_EQUAL(cs_config_node_pool(cfg, 5), &cfg->pools[0]);
    CU_ASSERT_PTR_EQUAL(cs_config_node_pool(cfg, 6), &cfg->pools[1]);
    CU_ASSERT_PTR_EQUAL(cs_config_node_pool(cfg, 7), &cfg->pools[1]);
    CU_ASSERT_STRING_EQUAL(cs_config_node_name(cfg, 3, buf, sizeof buf), "general-3");
    CU_ASSERT_STRING_EQUAL(cs_config_node_name(cfg, 7, buf, sizeof buf), "db-1");
    CU_ASSERT_STRING_EQUAL(cs_config_node_name(cfg, 7, buf, 3), "db");   /* truncated, terminated */
    uint32_t want[8] = {0, 1, 2, 0, 1, 2, 2, 3};   /* zones[i % n] of each pool */
    for (uint32_t n = 0; n < 8; n++)
        CU_ASSERT_EQUAL(cs_config_node_zone(cfg, n), want[n]);
    cs_config_free(cfg);
    cs_config_free(NULL);
}

#define HEAD0 "apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: t}\nspec:\n"
#define HEAD HEAD0 "  duration: 24h\n"
#define CLUSTER                                 \
    "  cluster:\n"                              \
    "    nodePools:\n"                          \
    "      - {name: general, count: 6, zones: [zone-a, zone-b], allocatable: {cpu: '4', memory: 16Gi}}\n"
/* HEAD CLUSTER is eight lines: what follows starts on line 9. */

static void test_defaults_apply_when_fields_are_absent(void)
{
    cs_config *cfg = load("apiVersion: clustersim.io/v1alpha1\n"
                          "kind: Scenario\n"
                          "metadata: {name: d}\n"
                          "spec:\n"
                          "  duration: 90m\n"
                          "  cluster:\n"
                          "    nodePools: [{name: p, count: 2, allocatable: {cpu: 1, memory: 1Mi}}]\n"
                          "  workloads: [{name: w}]\n"
                          "  timeline:\n"
                          "  properties: ~\n");
    CU_ASSERT_EQUAL(cfg->duration, 90 * CS_MINUTE);
    CU_ASSERT_EQUAL(cfg->replications, 10);
    CU_ASSERT_EQUAL(cfg->seed, 1);
    CU_ASSERT_EQUAL(cfg->n_zones, 0);
    CU_ASSERT_PTR_NULL(cfg->zones);
    const cs_node_pool *p = &cfg->pools[0];
    CU_ASSERT_EQUAL(p->allocatable.cpu_milli, 1000);
    CU_ASSERT_EQUAL(p->allocatable.mem_bytes, 1 << 20);
    CU_ASSERT_EQUAL(p->allocatable.ephemeral_bytes, 0);
    CU_ASSERT_EQUAL(p->allocatable.pods, 110);
    CU_ASSERT_EQUAL(p->n_zones, 0);
    CU_ASSERT_EQUAL(p->n_labels, 0);
    CU_ASSERT_EQUAL(p->n_taints, 0);
    CU_ASSERT_FALSE(p->fails);
    CU_ASSERT_EQUAL(cs_config_node_zone(cfg, 1), CS_NONE);
    CU_ASSERT_EQUAL_FATAL(cfg->n_workloads, 1);
    const cs_workload *w = &cfg->workloads[0];
    CU_ASSERT_EQUAL(w->replicas, 1);
    CU_ASSERT_EQUAL(w->n_labels, 0);
    CU_ASSERT_EQUAL(w->requests.cpu_milli, 0);
    CU_ASSERT_EQUAL(w->requests.mem_bytes, 0);
    CU_ASSERT_EQUAL(w->requests.ephemeral_bytes, 0);
    CU_ASSERT_EQUAL(w->requests.pods, 1);
    CU_ASSERT_EQUAL(w->startup.kind, CS_DIST_CONSTANT);
    CU_ASSERT_EQUAL(w->startup.p1, 10.0);
    CU_ASSERT_EQUAL(cfg->n_timeline, 0);
    CU_ASSERT_EQUAL(cfg->n_properties, 0);
    cs_config_free(cfg);
}

static void test_anchors_and_aliases_are_shared_values(void)
{
    cs_config *cfg = load(HEAD
                          "  cluster:\n"
                          "    nodePools:\n"
                          "      - {name: a, count: 1, allocatable: &alloc {cpu: '2', memory: 4Gi}, labels: &l {x: y}}\n"
                          "      - {name: b, count: 2, allocatable: *alloc, labels: *l}\n"
                          "  workloads:\n"
                          "    - {name: w, startupTime: &st {gamma: {shape: 2, scale: 10s}}}\n"
                          "    - {name: v, startupTime: *st}\n");
    CU_ASSERT_EQUAL(cfg->pools[1].allocatable.cpu_milli, 2000);
    CU_ASSERT_EQUAL(cfg->pools[1].allocatable.mem_bytes, 4 * GiB);
    CU_ASSERT_EQUAL(cfg->pools[1].first_node, 1);
    CU_ASSERT_STRING_EQUAL(cfg->pools[1].labels[0].value, "y");
    CU_ASSERT_EQUAL(cfg->workloads[1].startup.kind, CS_DIST_GAMMA);
    CU_ASSERT_EQUAL(cfg->workloads[1].startup.p1, 2.0);
    CU_ASSERT_EQUAL(cfg->workloads[1].startup.p2, 10.0);
    cs_config_free(cfg);
}

/* Loads HEAD CLUSTER with one workload whose startupTime is `dist`. */
static cs_status load_dist(const char *dist, cs_config **cfg, cs_diag *d)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml, HEAD CLUSTER "  workloads:\n    - name: w\n      startupTime: %s\n", dist);
    return cs_scenario_load_buffer("test.yaml", yaml, strlen(yaml), cfg, d);
}

static void test_every_distribution_kind_reads_in_seconds(void)
{
    static const struct {
        const char *yaml;
        cs_dist_kind kind;
        double p1, p2;
        size_t n;
    } cases[] = {
        {"1m30s", CS_DIST_CONSTANT, 90, 0, 0},
        {"{constant: 250ms}", CS_DIST_CONSTANT, 0.25, 0, 0},
        {"{uniform: {min: 0s, max: 2h}}", CS_DIST_UNIFORM, 0, 7200, 0},
        {"{exponential: {mean: 720h}}", CS_DIST_EXPONENTIAL, 2592000, 0, 0},
        {"{normal: {mean: 20s, stddev: 5s}}", CS_DIST_NORMAL, 20, 5, 0},
        {"{lognormal: {mu: 7.5, sigma: 0.8}}", CS_DIST_LOGNORMAL, 7.5, 0.8, 0},
        {"{gamma: {shape: 2, scale: 10s}}", CS_DIST_GAMMA, 2, 10, 0},
        {"{weibull: {shape: 1.5, scale: 100h}}", CS_DIST_WEIBULL, 1.5, 360000, 0},
        {"{empirical: {samples: [10s, 12s, 30s]}}", CS_DIST_EMPIRICAL, 0, 0, 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cs_config *cfg = NULL;
        cs_diag d = {0};
        CU_ASSERT_EQUAL_FATAL(load_dist(cases[i].yaml, &cfg, &d), CS_OK);
        const cs_dist *s = &cfg->workloads[0].startup;
        CU_ASSERT_EQUAL(s->kind, cases[i].kind);
        CU_ASSERT_EQUAL(s->p1, cases[i].p1);
        CU_ASSERT_EQUAL(s->p2, cases[i].p2);
        CU_ASSERT_EQUAL(s->n, cases[i].n);
        if (cases[i].n == 3)
            CU_ASSERT(s->samples[0] == 10 && s->samples[1] == 12 && s->samples[2] == 30);
        cs_config_free(cfg);
    }
}

static void test_empirical_samples_come_from_a_file_next_to_the_scenario(void)
{
    cs_config *cfg = NULL;
    cs_diag d = {0};
    CU_ASSERT_EQUAL_FATAL(
        cs_scenario_load_file(CS_TEST_DATA "/scenarios/valid/empirical-file/input.yaml", &cfg, &d), CS_OK);
    const cs_dist *s = &cfg->workloads[0].startup;
    CU_ASSERT_EQUAL(s->kind, CS_DIST_EMPIRICAL);
    CU_ASSERT_EQUAL_FATAL(s->n, 4);
    CU_ASSERT_EQUAL(s->samples[0], 12.0);
    CU_ASSERT_EQUAL(s->samples[1], 15.5);
    CU_ASSERT_EQUAL(s->samples[2], 90.0);
    CU_ASSERT_EQUAL(s->samples[3], 0.5);
    cs_config_free(cfg);
}

static void test_errors_in_a_sample_file_name_that_file(void)
{
    const char *dir = CS_TEST_DATA "/scenarios/invalid/empirical-file-bad-line/";
    char path[1024];
    snprintf(path, sizeof path, "%sinput.yaml", dir);
    cs_config *cfg = NULL;
    cs_diag d = {0};
    CU_ASSERT_EQUAL_FATAL(cs_scenario_load_file(path, &cfg, &d), CS_EINPUT);
    snprintf(path, sizeof path, "%sstartup-times.txt", dir);
    CU_ASSERT_STRING_EQUAL(d.file, path);
    CU_ASSERT_EQUAL(d.line, 4);
    CU_ASSERT_EQUAL(d.col, 3);
    CU_ASSERT_STRING_EQUAL(d.path, "spec.workloads[0].startupTime.empirical.file");
    CU_ASSERT_STRING_EQUAL(d.msg, "expected a duration >= 0 such as 20s, found \"12 s\": unknown unit (expected ns, "
                                  "us, \xC2\xB5s, ms, s, m or h; a day is 24h)");

    CU_ASSERT_EQUAL(load_dist("{empirical: {file: no-such-file.txt}}", &cfg, &d), CS_EINPUT);
    CU_ASSERT_STRING_EQUAL(d.file, "test.yaml");
    CU_ASSERT_EQUAL(d.line, 11);
    CU_ASSERT_EQUAL(d.col, 39);
    CU_ASSERT_STRING_EQUAL(d.msg, "cannot read \"no-such-file.txt\": No such file or directory");
    CU_ASSERT_EQUAL(load_dist("{empirical: {file: /dev/null}}", &cfg, &d), CS_EINPUT);
    CU_ASSERT_STRING_EQUAL(d.msg, "cannot read \"/dev/null\": not a regular file");
}

typedef struct bad {
    const char *yaml;
    int line, col;
    const char *path;
    const char *msg;    /* a substring of diag.msg */
    const char *hint;   /* a substring of diag.hint; "" when there must be none */
} bad;

#define W "  workloads:\n    - name: w\n"
static const bad bads[] = {
    /* Not YAML at all, or not one document. */
    {"a: [1, 2\n", 2, 1, "", "invalid YAML: did not find expected ',' or ']'", "flow sequence at line 1, column 4"},
    {"spec:\n\tduration: 1h\n", 2, 1, "", "invalid YAML: found character that cannot start any token",
     "tabs for indentation"},
    {"a: b\n c: d\n", 2, 3, "", "invalid YAML: mapping values are not allowed", ""},
    {"a: *nothing\n", 1, 4, "", "invalid YAML: found undefined alias", ""},
    {"name: \"caf\xc3\"\n", 1, 12, "", "invalid YAML: invalid trailing UTF-8 octet", ""},
    {"", 1, 1, "", "expected a Scenario document, found nothing", ""},
    {"# nothing but a comment\n", 1, 1, "", "expected a Scenario document, found nothing", ""},
    {HEAD CLUSTER "---\nmore: 1\n", 9, 1, "", "expected a single YAML document, found a second one", ""},
    {"- a\n- b\n", 1, 1, "", "expected a Scenario mapping with apiVersion, kind, metadata and spec, found a sequence",
     ""},
    /* The header. */
    {"apiVersion: v1\n", 1, 13, "apiVersion", "expected clustersim.io/v1alpha1, found \"v1\"", ""},
    {"apiVersion: clustersim.io/v1alpha1\nkind: scenario\n", 2, 7, "kind", "expected Scenario, found \"scenario\"",
     "did you mean 'Scenario'?"},
    {"apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nkind: Scenario\n", 3, 1, "",
     "duplicate field 'kind', first given at line 2", ""},
    {"apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: My_App}\n", 3, 18, "metadata.name",
     "DNS-1123 label, at most 63 characters), found \"My_App\"", ""},
    {"apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: \"a\\0b\"}\n", 3, 18, "metadata.name",
     "found \"a\\x00b\"", ""},
    {"apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {description: x}\n", 3, 11, "metadata.name",
     "missing required field 'name'", ""},
    {"apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: t}\n", 1, 1, "spec",
     "missing required field 'spec'", ""},
    {"apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: t}\nspec: {duration: 1h}\n", 4, 7,
     "spec.cluster", "missing required field 'cluster'", ""},
    {"apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: t}\nspce: {}\n", 4, 1, "",
     "unknown field 'spce'", "did you mean 'spec'? known fields: apiVersion, kind, metadata, spec"},
    /* spec scalars. */
    {HEAD0 "  duration: 1 day\n", 5, 13, "spec.duration", "expected a duration > 0 such as 24h, found \"1 day\"", ""},
    {HEAD0 "  duration: 0s\n", 5, 13, "spec.duration", "expected a duration > 0", ""},
    {HEAD0 "  duration: -1h\n", 5, 13, "spec.duration", "found \"-1h\"", ""},
    /* Beyond int64 nanoseconds: the range, not "> 0"; no unit past h, so years are a unit error. */
    {HEAD0 "  duration: 9999999999h\n", 5, 13, "spec.duration",
     "expected a duration between 1ns and 2562047h47m16.854775807s (int64 nanoseconds, about 292 years), "
     "found \"9999999999h\"", ""},
    {HEAD0 "  duration: 2628000h\n", 5, 13, "spec.duration",
     "expected a duration between 1ns and 2562047h47m16.854775807s (int64 nanoseconds, about 292 years), "
     "found \"2628000h\"", ""},
    {HEAD0 "  duration: 300y\n", 5, 13, "spec.duration",
     "expected a duration > 0 such as 24h, found \"300y\": unknown unit (expected ns, us, \xC2\xB5s, ms, s, m or h; "
     "a day is 24h)", ""},
    {HEAD "  replications: 0\n" CLUSTER, 6, 17, "spec.replications",
     "expected an integer between 1 and 1000000, found \"0\"", ""},
    {HEAD "  replications: 3.5\n" CLUSTER, 6, 17, "spec.replications", "found \"3.5\"", ""},
    {HEAD "  replications: 0x10\n" CLUSTER, 6, 17, "spec.replications", "found \"0x10\"", ""},
    {HEAD "  replications: 1e3\n" CLUSTER, 6, 17, "spec.replications", "found \"1e3\"", ""},
    {HEAD "  replications: \"\"\n" CLUSTER, 6, 17, "spec.replications", "found \"\"", ""},
    {HEAD "  replications:\n" CLUSTER "  replications: 2\n", 10, 3, "spec",
     "duplicate field 'replications', first given at line 6", ""},
    {HEAD "  seed: 18446744073709551616\n" CLUSTER, 6, 9, "spec.seed",
     "expected an integer between 0 and 18446744073709551615, found \"18446744073709551616\"", ""},
    {HEAD "  seed: -1\n" CLUSTER, 6, 9, "spec.seed", "found \"-1\"", ""},
    {HEAD "  seed: [1]\n" CLUSTER, 6, 9, "spec.seed", "found a sequence", ""},
    /* Node pools. */
    {HEAD "  cluster: {nodePools: []}\n", 6, 24, "spec.cluster.nodePools",
     "expected a non-empty sequence of node pools, found an empty sequence", ""},
    {HEAD "  cluster:\n    nodePools:\n      - {name: a, allocatable: {cpu: '4', memory: 1Gi}}\n", 8, 9,
     "spec.cluster.nodePools[0].count", "missing required field 'count'", ""},
    {HEAD "  cluster:\n    nodePools:\n      - {name: a, count: 100001, allocatable: {cpu: '4', memory: 1Gi}}\n", 8,
     26, "spec.cluster.nodePools[0].count", "expected an integer between 1 and 100000, found \"100001\"", ""},
    {HEAD "  cluster:\n    nodePools:\n      - {name: a, count: 1, allocatable: {cpu: 4 cores, memory: 1Gi}}\n", 8,
     48, "spec.cluster.nodePools[0].allocatable.cpu",
     "expected a CPU quantity such as 500m or 2, found \"4 cores\"", ""},
    {HEAD "  cluster:\n    nodePools:\n      - {name: a, count: 1, allocatable: {cpu: 0, memory: 1Gi}}\n", 8, 48,
     "spec.cluster.nodePools[0].allocatable.cpu", "expected a CPU quantity > 0, found \"0\"", ""},
    {HEAD "  cluster:\n    nodePools:\n      - {name: a, count: 1, allocatable: {cpu: 1, memory: 12 GB}}\n", 8, 59,
     "spec.cluster.nodePools[0].allocatable.memory", "expected a memory quantity such as 512Mi or 16Gi", ""},
    {HEAD "  cluster:\n    nodePools:\n      - {name: a, count: 1, allocatable: {cpu: 1, memroy: 1Gi}}\n", 8, 51,
     "spec.cluster.nodePools[0].allocatable", "unknown field 'memroy'",
     "did you mean 'memory'? known fields: cpu, ephemeral-storage, memory, pods"},
    {HEAD CLUSTER "      - {name: general, count: 1, allocatable: {cpu: 1, memory: 1Gi}}\n", 9, 16,
     "spec.cluster.nodePools[1].name", "expected a node pool name not used before, found \"general\", already used at line 8",
     ""},
    {HEAD "  cluster:\n    nodePools:\n      - {name: a, count: 1, zones: [z1, z2, z1], allocatable: {cpu: 1, memory: 1}}\n",
     8, 45, "spec.cluster.nodePools[0].zones[2]", "expected a zone not listed before in this pool, found \"z1\" again",
     ""},
    {HEAD "  cluster:\n    nodePools:\n      - {name: a, count: 1, zones: [-z], allocatable: {cpu: 1, memory: 1}}\n", 8,
     37, "spec.cluster.nodePools[0].zones[0]", "found \"-z\"", ""},
    {HEAD "  cluster:\n    nodePools:\n      - {name: a, count: 1, labels: {k: {x: y}}, allocatable: {cpu: 1, memory: 1}}\n",
     8, 41, "spec.cluster.nodePools[0].labels.k", "expected a label value (a string), found a mapping", ""},
    {HEAD "  cluster:\n    nodePools:\n      - {name: a, count: 1, labels: {k: 1, k: 2}, allocatable: {cpu: 1, memory: 1}}\n",
     8, 44, "spec.cluster.nodePools[0].labels", "duplicate field 'k', first given at line 8", ""},
    {HEAD "  cluster:\n    nodePools:\n      - name: a\n        count: 1\n        allocatable: {cpu: 1, memory: 1}\n"
          "        taints: [{key: k, effect: NoScheduling}]\n",
     11, 35, "spec.cluster.nodePools[0].taints[0].effect",
     "expected one of NoExecute, NoSchedule, PreferNoSchedule, found \"NoScheduling\"", "did you mean 'NoSchedule'?"},
    {HEAD "  cluster:\n    nodePools:\n      - name: a\n        count: 1\n        allocatable: {cpu: 1, memory: 1}\n"
          "        failures: {timeToFailure: 1h}\n",
     11, 19, "spec.cluster.nodePools[0].failures.timeToRepair", "missing required field 'timeToRepair'", ""},
    {HEAD "  cluster:\n    nodePools:\n      - name: a\n        count: 1\n        allocatable: {cpu: 1, memory: 1}\n"
          "        failures: {timeToFailure: {exponential: {mean: 0s}}, timeToRepair: 1h}\n",
     11, 49, "spec.cluster.nodePools[0].failures.timeToFailure.exponential", "the exponential mean must be > 0", ""},
    /* Workloads. */
    {HEAD CLUSTER "  workloads:\n    - {name: web}\n    - {name: api, replica: 3}\n", 11, 19, "spec.workloads[1]",
     "unknown field 'replica'", "did you mean 'replicas'? known fields: affinity, disruptionBudget, image, imagePullTime, kind, labels, "
     "minReadySeconds, name, nodeName, nodeSelector, paused, preemptionPolicy, priority, progressDeadlineSeconds, "
     "readinessProbe, ..."},
    {HEAD CLUSTER "  workloads:\n    - {name: web}\n    - {name: web}\n", 11, 14, "spec.workloads[1].name",
     "expected a workload name not used before, found \"web\", already used at line 10", ""},
    {HEAD CLUSTER "  workloads:\n    - {name: web, replicas: -1}\n", 10, 29, "spec.workloads[0].replicas",
     "expected an integer between 0 and 1000000, found \"-1\"", ""},
    {HEAD CLUSTER "  workloads:\n    - {name: web, resources: {requests: {cpu: -100m}}}\n", 10, 47,
     "spec.workloads[0].resources.requests.cpu", "expected a CPU quantity >= 0, found \"-100m\"", ""},
    {HEAD CLUSTER "  workloads:\n    - {name: web, resources: {limits: {cpu: 1}}}\n", 10, 31,
     "spec.workloads[0].resources", "unknown field 'limits'", "known fields: requests"},
    {HEAD CLUSTER "  workloads: {web: 1}\n", 9, 14, "spec.workloads", "expected a sequence of workloads, found a mapping",
     ""},
    /* Distributions. */
    {HEAD CLUSTER "  workloads:\n    - {name: w, startupTime: 20}\n", 10, 30, "spec.workloads[0].startupTime",
     "expected a duration such as 20s or a distribution such as {exponential: {mean: 20s}}, found \"20\"", ""},
    {HEAD CLUSTER "  workloads:\n    - {name: w, startupTime: -9999999999h}\n", 10, 30, "spec.workloads[0].startupTime",
     "expected a duration between 0s and 2562047h47m16.854775807s (int64 nanoseconds, about 292 years), "
     "found \"-9999999999h\"", ""},
    {HEAD CLUSTER "  workloads:\n    - {name: w, startupTime: {exponential: {mean: 2562048h}}}\n", 10, 51,
     "spec.workloads[0].startupTime.exponential.mean",
     "expected a duration between 0s and 2562047h47m16.854775807s (int64 nanoseconds, about 292 years), "
     "found \"2562048h\"", ""},
    {HEAD CLUSTER "  workloads:\n    - {name: w, startupTime: {expo: {mean: 1s}}}\n", 10, 31,
     "spec.workloads[0].startupTime",
     "expected one of constant, empirical, exponential, gamma, lognormal, normal, uniform, weibull, found \"expo\"", ""},
    {HEAD CLUSTER "  workloads:\n    - {name: w, startupTime: {exponental: {mean: 1s}}}\n", 10, 31,
     "spec.workloads[0].startupTime", "found \"exponental\"", "did you mean 'exponential'?"},
    {HEAD CLUSTER "  workloads:\n    - {name: w, startupTime: {constant: 1s, uniform: {min: 1s, max: 2s}}}\n", 10, 45,
     "spec.workloads[0].startupTime", "expected a single distribution kind, found a second one, \"uniform\"", ""},
    {HEAD CLUSTER "  workloads:\n    - {name: w, startupTime: {uniform: {min: 1s}}}\n", 10, 40,
     "spec.workloads[0].startupTime.uniform.max", "missing required field 'max'", ""},
    {HEAD CLUSTER "  workloads:\n    - {name: w, startupTime: {uniform: {min: 5s, max: 1s}}}\n", 10, 55,
     "spec.workloads[0].startupTime.uniform.max", "expected a duration >= min (5s), found \"1s\"", ""},
    {HEAD CLUSTER "  workloads:\n    - {name: w, startupTime: {normal: {mean: 20s, stddev: -5s}}}\n", 10, 59,
     "spec.workloads[0].startupTime.normal.stddev", "expected a duration >= 0 such as 20s, found \"-5s\"", ""},
    {HEAD CLUSTER "  workloads:\n    - {name: w, startupTime: {lognormal: {median: 1h, p99: 1m}}}\n", 10, 60,
     "spec.workloads[0].startupTime.lognormal.p99",
     "expected a duration greater than the median (1h0m0s), found \"1m\"", ""},
    {HEAD CLUSTER "  workloads:\n    - {name: w, startupTime: {lognormal: {median: 1h, sigma: 1}}}\n", 10, 42,
     "spec.workloads[0].startupTime.lognormal", "expected either median and p99, or mu and sigma, found both", ""},
    {HEAD CLUSTER "  workloads:\n    - {name: w, startupTime: {gamma: {shape: two, scale: 1s}}}\n", 10, 46,
     "spec.workloads[0].startupTime.gamma.shape", "expected a number such as 1.5, found \"two\"", ""},
    {HEAD CLUSTER "  workloads:\n    - {name: w, startupTime: {weibull: {shape: .nan, scale: 1s}}}\n", 10, 48,
     "spec.workloads[0].startupTime.weibull.shape", "found \".nan\"", ""},
    {HEAD CLUSTER "  workloads:\n    - {name: w, startupTime: {empirical: {samples: []}}}\n", 10, 52,
     "spec.workloads[0].startupTime.empirical.samples", "found an empty sequence", ""},
    {HEAD CLUSTER "  workloads:\n    - {name: w, startupTime: {empirical: {samples: [1s, soon]}}}\n", 10, 57,
     "spec.workloads[0].startupTime.empirical.samples[1]", "found \"soon\"", ""},
    {HEAD CLUSTER "  workloads:\n    - {name: w, startupTime: {empirical: {}}}\n", 10, 42,
     "spec.workloads[0].startupTime.empirical.samples", "missing required field 'samples' (or 'file')", ""},
    /* The timeline. */
    {HEAD CLUSTER "  timeline:\n    - {at: 1h, action: nodeFailure, node: general-6}\n", 10, 43,
     "spec.timeline[0].node", "expected the name of a node", "known nodes: general-0 .. general-5"},
    {HEAD CLUSTER "  timeline:\n    - {at: 1h, action: nodeFailure, node: gneral-1}\n", 10, 43, "spec.timeline[0].node",
     "found \"gneral-1\"", "known nodes: general-0 .. general-5"},
    {HEAD CLUSTER "  timeline:\n    - {at: 1h, action: nodeFailure, node: general-01}\n", 10, 43,
     "spec.timeline[0].node", "found \"general-01\"", "known nodes"},
    {HEAD CLUSTER "  timeline:\n    - {at: 1h, action: nodeFailure, pool: general, count: 7}\n", 10, 59,
     "spec.timeline[0].count", "expected an integer between 0 and 6 or a percentage between 0% and 100% such as 25%, found \"7\"", ""},
    {HEAD CLUSTER "  timeline:\n    - {at: 1h, action: nodeFailure, pool: db}\n", 10, 43, "spec.timeline[0].pool",
     "expected one of general, found \"db\"", ""},
    {HEAD CLUSTER "  timeline:\n    - {at: 1h, action: nodeFailure, pool: general, node: general-0}\n", 10, 43,
     "spec.timeline[0].pool", "expected either node or pool, found both", ""},
    {HEAD CLUSTER "  timeline:\n    - {at: 1h, action: nodeFailure}\n", 10, 7, "spec.timeline[0].node",
     "missing required field 'node' (or 'pool')", ""},
    {HEAD CLUSTER "  timeline:\n    - {at: 24h, action: nodeRepair, node: general-0}\n", 10, 12, "spec.timeline[0].at",
     "expected a duration >= 0 and < spec.duration (24h0m0s), found \"24h\"", ""},
    {HEAD CLUSTER "  timeline:\n    - {at: 9999999999h, action: nodeRepair, node: general-0}\n", 10, 12,
     "spec.timeline[0].at",
     "expected a duration >= 0 and < spec.duration (24h0m0s), found \"9999999999h\": out of range (int64 "
     "nanoseconds hold at most 2562047h47m16.854775807s, about 292 years)", ""},
    {HEAD CLUSTER "  timeline:\n    - {at: 1h, action: nodefailure, node: general-0}\n", 10, 24,
     "spec.timeline[0].action", "expected one of cordon, drain, nodeFailure, nodeRepair, pause, resume, rollback, rollout, scale, uncordon, zoneOutage, found \"nodefailure\"",
     "did you mean 'nodeFailure'?"},
    {HEAD CLUSTER "  timeline:\n    - {at: 1h, action: nodeRepair, node: general-0, duration: 1h}\n", 10, 53,
     "spec.timeline[0]", "unknown field 'duration'", "known fields for action nodeRepair: action, at, node"},
    {HEAD CLUSTER "  timeline:\n    - {at: 1h, action: zoneOutage, zone: zone-c, duration: 1h}\n", 10, 42,
     "spec.timeline[0].zone", "expected one of zone-a, zone-b, found \"zone-c\"", "did you mean 'zone-a'?"},
    {HEAD CLUSTER "  timeline:\n    - {at: 1h, action: zoneOutage, zone: zone-a, duration: 0s}\n", 10, 60,
     "spec.timeline[0].duration", "expected a duration > 0 such as 30m, found \"0s\"", ""},
    {HEAD CLUSTER "  timeline:\n    - {at: 1h, action: scale, workload: web, replicas: 2}\n", 10, 41,
     "spec.timeline[0].workload", "expected the name of a workload, found \"web\", but the scenario defines no workload",
     ""},
    {HEAD CLUSTER "  workloads: [{name: web}]\n  timeline:\n    - {at: 1h, action: scale, workload: wbe, replicas: 2}\n", 11,
     41, "spec.timeline[0].workload", "expected one of web, found \"wbe\"", "did you mean 'web'?"},
    /* Properties. */
    {HEAD CLUSTER "  properties:\n    - {name: p, type: availability}\n", 10, 7, "spec.properties[0].minReady",
     "missing required field 'minReady'", ""},
    {HEAD CLUSTER "  properties:\n    - {name: p, type: availability, minReady: 150%}\n", 10, 47,
     "spec.properties[0].minReady", "expected a percentage between 0% and 100% such as 50%, found \"150%\"", ""},
    {HEAD CLUSTER "  properties:\n    - {name: p, type: availability, minReady: two}\n", 10, 47,
     "spec.properties[0].minReady", "expected an integer between 0 and 1000000 or a percentage such as 50%", ""},
    {HEAD CLUSTER "  properties:\n    - {name: p, type: availablity, minReady: 1}\n", 10, 23, "spec.properties[0].type",
     "expected one of availability, coverage, noOvercommit, noPodLost, pdb, rolloutBounds, schedulingValidity, found \"availablity\"", "did you mean 'availability'?"},
    {HEAD CLUSTER "  properties:\n    - {name: p, type: coverage, service: web}\n", 10, 42, "spec.properties[0].service",
     "expected the name of a service, found \"web\", but the scenario defines no service", ""},
    {HEAD CLUSTER "  properties:\n    - {name: p, type: coverage, workload: web}\n", 10, 33, "spec.properties[0]",
     "unknown field 'workload'", "known fields for type coverage: name, service, threshold, type"},
    {HEAD CLUSTER "  properties:\n    - {name: p, type: coverage, service: [web]}\n", 10, 42, "spec.properties[0].service",
     "expected the name of a service, found a sequence", ""},
    {HEAD CLUSTER "  properties:\n    - {name: p, type: noOvercommit, threshold: 1.5}\n", 10, 48,
     "spec.properties[0].threshold", "expected a probability between 0 and 1 such as 0.999, found \"1.5\"", ""},
    {HEAD CLUSTER "  properties:\n    - {name: p, type: noOvercommit, workload: x}\n", 10, 37, "spec.properties[0]",
     "unknown field 'workload'", "known fields for type noOvercommit: name, threshold, type"},
    {HEAD CLUSTER "  properties:\n    - {name: p, type: noOvercommit}\n    - {name: p, type: noOvercommit}\n", 11, 14,
     "spec.properties[1].name", "expected a property name not used before, found \"p\", already used at line 10", ""},
    /* The pod template's scheduling fields (HEAD CLUSTER, then `workloads:` on 9 and `- name: w` on 10). */
    {HEAD CLUSTER W "      priority: 3000000000\n", 11, 17, "spec.workloads[0].priority",
     "expected an integer between -2147483648 and 2147483647, found \"3000000000\"", ""},
    {HEAD CLUSTER W "      nodeSelector: [a]\n", 11, 21, "spec.workloads[0].nodeSelector",
     "expected a mapping of label keys to values such as {app: web}, found a sequence", ""},
    {HEAD CLUSTER W "      tolerations: [{key: a, operator: Equals}]\n", 11, 40, "spec.workloads[0].tolerations[0].operator",
     "expected one of Equal, Exists, found \"Equals\"", "did you mean 'Equal'?"},
    {HEAD CLUSTER W "      tolerations: [{value: x}]\n", 11, 21, "spec.workloads[0].tolerations[0].operator",
     "expected operator Exists with an empty key (a toleration of every taint), found Equal", ""},
    {HEAD CLUSTER W "      tolerations: [{key: a, operator: Exists, value: x}]\n", 11, 55,
     "spec.workloads[0].tolerations[0].value", "expected no value with operator Exists, found \"x\"", ""},
    {HEAD CLUSTER W "      tolerations: [{key: a, effect: NoSchedule, tolerationSeconds: 30}]\n", 11, 69,
     "spec.workloads[0].tolerations[0].tolerationSeconds",
     "expected tolerationSeconds only with effect NoExecute, found \"30\"", ""},
    {HEAD CLUSTER W "      tolerations: [{key: a, efect: NoSchedule}]\n", 11, 30, "spec.workloads[0].tolerations[0]",
     "unknown field 'efect'", "did you mean 'effect'?"},
    {HEAD CLUSTER W "      affinity: {podAfinity: {}}\n", 11, 18, "spec.workloads[0].affinity",
     "unknown field 'podAfinity'", "did you mean 'podAffinity'? known fields: nodeAffinity, podAffinity"},
    {HEAD CLUSTER W "      affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: []}}}\n",
     11, 101, "spec.workloads[0].affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms",
     "expected a non-empty sequence of node selector terms, found an empty sequence", ""},
    {HEAD CLUSTER W "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n"
                    "            nodeSelectorTerms: [{matchExpressions: [{key: gen, operator: Gt, values: [a]}]}]\n",
     14, 87,
     "spec.workloads[0].affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]."
     "matchExpressions[0].values[0]",
     "expected an integer such as 3 (Gt and Lt compare a label as an integer), found \"a\"", ""},
    {HEAD CLUSTER W "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n"
                    "            nodeSelectorTerms: [{matchExpressions: [{key: gen, operator: In}]}]\n",
     14, 53,
     "spec.workloads[0].affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]."
     "matchExpressions[0].values",
     "expected at least one value with operator In or NotIn, found nothing", ""},
    {HEAD CLUSTER W "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n"
                    "            nodeSelectorTerms: [{matchFields: [{key: metadata.labels, operator: In, values: [a]}]}]\n",
     14, 54,
     "spec.workloads[0].affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]."
     "matchFields[0].key",
     "expected metadata.name (the only field matchFields supports), found \"metadata.labels\"", ""},
    {HEAD CLUSTER W "      affinity:\n        nodeAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution:\n"
                    "            - {weight: 0, preference: {}}\n",
     14, 24, "spec.workloads[0].affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
     "expected an integer between 1 and 100, found \"0\"", ""},
    /* The scheduler profile. */
    {HEAD "  scheduler: {percentageOfNodesToScore: 101}\n" CLUSTER, 6, 41, "spec.scheduler.percentageOfNodesToScore",
     "expected an integer between 0 and 100, found \"101\"", ""},
    {HEAD "  scheduler: {plugins: {score: {enabled: [{name: NodeAfinity}]}}}\n" CLUSTER, 6, 50,
     "spec.scheduler.plugins.score.enabled[0].name",
     "expected one of InterPodAffinity, NodeAffinity, NodeResourcesBalancedAllocation, NodeResourcesFit, "
     "PodTopologySpread, TaintToleration, found \"NodeAfinity\"",
     "did you mean 'NodeAffinity'?"},
    {HEAD "  scheduler: {plugins: {score: {enabled: [{name: NodeAffinity}, {name: NodeAffinity}]}}}\n" CLUSTER, 6,
     72, "spec.scheduler.plugins.score.enabled[1].name",
     "expected a plugin not enabled before, found \"NodeAffinity\", already enabled at line 6", ""},
    {HEAD "  scheduler: {pluginConfig: {NodeResourcesFit: {scoringStrategy: {type: MostAlocated}}}}\n" CLUSTER, 6, 73,
     "spec.scheduler.pluginConfig.NodeResourcesFit.scoringStrategy.type",
     "expected one of LeastAllocated, MostAllocated, RequestedToCapacityRatio, found \"MostAlocated\"",
     "did you mean 'MostAllocated'?"},
    {HEAD "  scheduler: {pluginConfig: {NodeResourcesFit: {scoringStrategy: {type: RequestedToCapacityRatio}}}}\n"
     CLUSTER, 6, 66, "spec.scheduler.pluginConfig.NodeResourcesFit.scoringStrategy.requestedToCapacityRatio",
     "missing required field 'requestedToCapacityRatio'", ""},
    {HEAD "  scheduler:\n    pluginConfig:\n      NodeResourcesFit:\n        scoringStrategy:\n"
          "          type: RequestedToCapacityRatio\n"
          "          requestedToCapacityRatio: {shape: [{utilization: 50, score: 1}, {utilization: 50, score: 2}]}\n"
     CLUSTER, 11, 89,
     "spec.scheduler.pluginConfig.NodeResourcesFit.scoringStrategy.requestedToCapacityRatio.shape[1].utilization",
     "expected a utilization above the previous point's 50, found \"50\"", ""},
    {HEAD "  scheduler:\n    pluginConfig:\n      NodeResourcesFit:\n        scoringStrategy:\n"
          "          resources: [{name: cpu, weight: 1}, {name: gpu, weight: 1}]\n" CLUSTER, 10, 54,
     "spec.scheduler.pluginConfig.NodeResourcesFit.scoringStrategy.resources[1].name",
     "expected one of cpu, ephemeral-storage, memory, found \"gpu\"", "did you mean 'cpu'?"},
};

static void test_bad_input_is_reported_where_it_is(void)
{
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        const bad *b = &bads[i];
        cs_config sentinel, *cfg = &sentinel;
        cs_diag d;
        memset(&d, 0x55, sizeof d);
        cs_status st = cs_scenario_load_buffer("test.yaml", b->yaml, strlen(b->yaml), &cfg, &d);
        bool ok = st == CS_EINPUT && cfg == &sentinel && strcmp(d.file, "test.yaml") == 0 && d.line == b->line &&
                  d.col == b->col && strcmp(d.path, b->path) == 0 && strstr(d.msg, b->msg) != NULL &&
                  (b->hint[0] == '\0' ? d.hint[0] == '\0' : strstr(d.hint, b->hint) != NULL);
        if (!ok) {
            char buf[1024];
            fprintf(stderr, "\ncase %zu (status %d): want %d:%d %s: %s [%s]\ngot %s", i, (int)st, b->line, b->col,
                    b->path, b->msg, b->hint, st == CS_EINPUT ? cs_diag_format(&d, buf, sizeof buf) : "\n");
        }
        CU_ASSERT(ok);
    }
}

static void test_the_message_reads_as_the_user_sees_it(void)
{
    const char *yaml = HEAD "  cluster:\n    nodePools:\n      - name: general\n        count: 1\n"
                            "        allocatable: {cpu: \"4 cores\", memory: 16Gi}\n"
                            "  workloads: [{name: a, replica: 2}]\n";
    cs_config *cfg = NULL;
    cs_diag d = {0};
    char buf[1024];
    CU_ASSERT_EQUAL_FATAL(cs_scenario_load_buffer("input.yaml", yaml, strlen(yaml), &cfg, &d), CS_EINPUT);
    CU_ASSERT_STRING_EQUAL(cs_diag_format(&d, buf, sizeof buf),
                           "input.yaml:10:28: error: spec.cluster.nodePools[0].allocatable.cpu: expected a CPU "
                           "quantity such as 500m or 2, found \"4 cores\"\n");
    yaml = HEAD CLUSTER "  workloads: [{name: a, replica: 2}]\n";
    CU_ASSERT_EQUAL_FATAL(cs_scenario_load_buffer("input.yaml", yaml, strlen(yaml), &cfg, &d), CS_EINPUT);
    CU_ASSERT_STRING_EQUAL(cs_diag_format(&d, buf, sizeof buf),
                           "input.yaml:9:25: error: spec.workloads[0]: unknown field 'replica'\n"
                           "input.yaml:9:25: note: did you mean 'replicas'? known fields: affinity, disruptionBudget, "
                           "image, imagePullTime, kind, labels, minReadySeconds, name, nodeName, nodeSelector, paused, "
                           "preemptionPolicy, priority, progressDeadlineSeconds, readinessProbe, ...\n");
}

static void test_a_file_that_cannot_be_read_is_an_io_error(void)
{
    cs_config sentinel, *cfg = &sentinel;
    cs_diag d = {0};
    CU_ASSERT_EQUAL(cs_scenario_load_file("no/such/scenario.yaml", &cfg, &d), CS_EIO);
    CU_ASSERT_PTR_EQUAL(cfg, &sentinel);
    CU_ASSERT_STRING_EQUAL(d.file, "no/such/scenario.yaml");
    CU_ASSERT_EQUAL(d.line, 0);
    CU_ASSERT_STRING_EQUAL(d.msg, "cannot read file: No such file or directory");
    CU_ASSERT_EQUAL(cs_scenario_load_file(CS_TEST_DATA, &cfg, &d), CS_EIO);
    CU_ASSERT_STRING_EQUAL(d.msg, "cannot read file: Is a directory");
    CU_ASSERT_PTR_EQUAL(cfg, &sentinel);
}

static void test_the_example_scenarios_load(void)
{
    cs_config *cfg = NULL;
    cs_diag d = {0};
    cs_status st = cs_scenario_load_file(CS_SOURCE_DIR "/scenarios/quickstart.yaml", &cfg, &d);
    if (st != CS_OK) {
        char buf[1024];
        fprintf(stderr, "\n%s", cs_diag_format(&d, buf, sizeof buf));
    }
    CU_ASSERT_EQUAL_FATAL(st, CS_OK);
    CU_ASSERT_STRING_EQUAL(cfg->name, "quickstart");
    CU_ASSERT_EQUAL(cfg->n_nodes, 9);
    CU_ASSERT_EQUAL(cfg->n_zones, 3);
    cs_config_free(cfg);
}

/* Fails the 1st, 2nd, ... allocation of a load that succeeds, until none is left to fail:
 * each run must end in CS_ENOMEM with *out untouched (ASan checks that nothing leaks). */
static long count_failures(const char *path, const char *yaml)
{
    long n = 1;
    for (; n < 100000; n++) {
        cs_config sentinel, *cfg = &sentinel;
        cs_diag d = {0};
        cs_alloc_fail_after(n);
        cs_status st = path != NULL ? cs_scenario_load_file(path, &cfg, &d)
                                    : cs_scenario_load_buffer("test.yaml", yaml, strlen(yaml), &cfg, &d);
        cs_alloc_fail_after(0);
        if (st == CS_OK) {
            CU_ASSERT_PTR_NOT_EQUAL(cfg, &sentinel);
            cs_config_free(cfg);
            break;
        }
        CU_ASSERT_EQUAL(st, CS_ENOMEM);
        CU_ASSERT_PTR_EQUAL(cfg, &sentinel);
        CU_ASSERT_STRING_EQUAL(d.msg, "out of memory");
    }
    return n - 1;
}

static void test_every_allocation_failure_is_clean(void)
{
    CU_ASSERT(count_failures(NULL, full) >= 2);
    CU_ASSERT(count_failures(CS_TEST_DATA "/scenarios/valid/empirical-file/input.yaml", NULL) >= 3);
}

/* The pod template's scheduling fields and the scheduler profile land in the config. */
static void test_scheduling_fields_and_the_profile_are_read(void)
{
    cs_config *cfg = load(HEAD
        "  scheduler:\n"
        "    percentageOfNodesToScore: 30\n"
        "    plugins:\n"
        "      score:\n"
        "        disabled: [{name: '*'}]\n"
        "        enabled: [{name: NodeAffinity, weight: 7}, {name: NodeResourcesFit}]\n"
        "    pluginConfig:\n"
        "      NodeResourcesFit:\n"
        "        scoringStrategy:\n"
        "          type: RequestedToCapacityRatio\n"
        "          resources: [{name: memory, weight: 3}, {name: ephemeral-storage, weight: 1}]\n"
        "          requestedToCapacityRatio: {shape: [{utilization: 0, score: 10}, {utilization: 100, score: 0}]}\n"
        CLUSTER
        "  workloads:\n"
        "    - name: w\n"
        "      priority: -7\n"
        "      nodeSelector: {disk: ssd}\n"
        "      tolerations:\n"
        "        - {operator: Exists}\n"
        "        - {key: k, value: v, effect: NoExecute, tolerationSeconds: -1}\n"
        "      affinity:\n"
        "        nodeAffinity:\n"
        "          requiredDuringSchedulingIgnoredDuringExecution:\n"
        "            nodeSelectorTerms:\n"
        "              - matchExpressions: [{key: gen, operator: Lt, values: ['-3']}, {key: a, operator: Exists}]\n"
        "                matchFields: [{key: metadata.name, operator: NotIn, values: [general-0]}]\n"
        "              - {}\n"
        "          preferredDuringSchedulingIgnoredDuringExecution:\n"
        "            - {weight: 100, preference: {matchExpressions: [{key: z, operator: In, values: [a, b]}]}}\n"
        "    - {name: plain}\n");
    const cs_sched_profile *p = cfg->sched;
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->percentage_of_nodes_to_score, 30);
    CU_ASSERT_EQUAL(p->weight[CS_SCORE_NODE_AFFINITY], 7);
    CU_ASSERT_EQUAL(p->weight[CS_SCORE_NODE_RESOURCES_FIT], 1);
    CU_ASSERT_EQUAL(p->weight[CS_SCORE_TAINT_TOLERATION], 0);
    CU_ASSERT_EQUAL(p->weight[CS_SCORE_BALANCED_ALLOCATION], 0);
    CU_ASSERT_EQUAL(p->strategy, CS_STRATEGY_REQUESTED_TO_CAPACITY_RATIO);
    CU_ASSERT_EQUAL_FATAL(p->n_resources, 2);
    CU_ASSERT(p->resources[0].name == CS_RESOURCE_MEMORY && p->resources[0].weight == 3);
    CU_ASSERT(p->resources[1].name == CS_RESOURCE_EPHEMERAL_STORAGE && p->resources[1].weight == 1);
    CU_ASSERT_EQUAL_FATAL(p->n_shape, 2);
    CU_ASSERT(p->shape[0].utilization == 0 && p->shape[0].score == 10 && p->shape[1].utilization == 100 &&
              p->shape[1].score == 0);
    const cs_workload *w = &cfg->workloads[0];
    CU_ASSERT_STRING_EQUAL(w->kind, "Deployment");
    CU_ASSERT_EQUAL(w->priority, -7);
    CU_ASSERT_EQUAL_FATAL(w->n_node_selector, 1);
    CU_ASSERT_STRING_EQUAL(w->node_selector[0].value, "ssd");
    CU_ASSERT_EQUAL_FATAL(w->n_tolerations, 2);
    CU_ASSERT(w->tolerations[0].op == CS_TOL_EXISTS && w->tolerations[0].key[0] == '\0' && w->tolerations[0].any_effect);
    CU_ASSERT(w->tolerations[1].op == CS_TOL_EQUAL && strcmp(w->tolerations[1].value, "v") == 0 &&
              !w->tolerations[1].any_effect && w->tolerations[1].effect == CS_TAINT_NO_EXECUTE &&
              w->tolerations[1].has_seconds && w->tolerations[1].seconds == -1);
    CU_ASSERT_EQUAL_FATAL(w->n_required_terms, 2);
    const cs_node_selector_term *t = &w->required_terms[0];
    CU_ASSERT_EQUAL_FATAL(t->n_match_expressions, 2);
    CU_ASSERT(t->match_expressions[0].op == CS_OP_LT && t->match_expressions[0].n_values == 1 &&
              strcmp(t->match_expressions[0].values[0], "-3") == 0);
    CU_ASSERT(t->match_expressions[1].op == CS_OP_EXISTS && t->match_expressions[1].n_values == 0);
    CU_ASSERT(t->n_match_fields == 1 && t->match_fields[0].op == CS_OP_NOT_IN);
    CU_ASSERT(w->required_terms[1].n_match_expressions == 0 && w->required_terms[1].n_match_fields == 0);
    CU_ASSERT_EQUAL_FATAL(w->n_preferred_terms, 1);
    CU_ASSERT_EQUAL(w->preferred_terms[0].weight, 100);
    CU_ASSERT_EQUAL(w->preferred_terms[0].term.match_expressions[0].n_values, 2);
    const cs_workload *plain = &cfg->workloads[1];
    CU_ASSERT(plain->priority == 0 && plain->n_tolerations == 0 && plain->n_required_terms == 0 &&
              strcmp(plain->kind, "Deployment") == 0);
    cs_config_free(cfg);
    cfg = load(HEAD CLUSTER);
    CU_ASSERT_PTR_NULL(cfg->sched);   /* the default profile */
    cs_config_free(cfg);
}

static CU_TestInfo tests[] = {
    {"a full scenario fills every field", test_a_full_scenario_fills_every_field},
    {"node ids map to pools, names and zones", test_node_ids_map_to_pools_names_and_zones},
    {"defaults apply when fields are absent", test_defaults_apply_when_fields_are_absent},
    {"anchors and aliases are shared values", test_anchors_and_aliases_are_shared_values},
    {"every distribution kind reads in seconds", test_every_distribution_kind_reads_in_seconds},
    {"empirical samples come from a file next to the scenario",
     test_empirical_samples_come_from_a_file_next_to_the_scenario},
    {"errors in a sample file name that file", test_errors_in_a_sample_file_name_that_file},
    {"bad input is reported where it is", test_bad_input_is_reported_where_it_is},
    {"the message reads as the user sees it", test_the_message_reads_as_the_user_sees_it},
    {"a file that cannot be read is an I/O error", test_a_file_that_cannot_be_read_is_an_io_error},
    {"the example scenarios load", test_the_example_scenarios_load},
    {"scheduling fields and the profile are read", test_scheduling_fields_and_the_profile_are_read},
    {"every allocation failure is clean", test_every_allocation_failure_is_clean},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_scenario_suite = {.pName = "scenario", .pTests = tests};
