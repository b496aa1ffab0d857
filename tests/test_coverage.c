/* test_coverage.c -- Services and their ready endpoints: the coverage property and the
 * service.<name>.uncovered_s metrics, end to end, on the Services of tests/manifests/services.yaml
 * and workloads the scenario below defines. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "../models/model.h"
#include "clustersim/scenario.h"

/* Named as if it sat in tests/, so its include resolves to tests/manifests/services.yaml.
 *
 * api (1 CPU) goes to big-0: LeastAllocated scores it (16000-1000)*100/16000 = 93 on big
 * against (8000-1000)*100/8000 = 87 on small, the memory being equal. web-stable is pinned to
 * big, web-canary to small, by nodeSelector. The first %s is the timeline, the second the
 * properties; web-stable's extra fields come first. */
static const char *scenario =
    "apiVersion: clustersim.io/v1alpha1\n"
    "kind: Scenario\n"
    "metadata: {name: coverage}\n"
    "spec:\n"
    "  duration: 2h\n"
    "  cluster:\n"
    "    nodePools:\n"
    "      - {name: big, count: 1, labels: {size: big}, allocatable: {cpu: '16', memory: 8Gi}}\n"
    "      - {name: small, count: 1, labels: {size: small}, allocatable: {cpu: '8', memory: 8Gi}}\n"
    "  workloads:\n"
    "    - {name: api, replicas: 1, startupTime: 10s, labels: {app: api}, resources: {requests: {cpu: '1'}}}\n"
    "    - {name: web-stable, replicas: 1, startupTime: 10s, labels: {app: web, tier: frontend},\n"
    "       nodeSelector: {size: big}, resources: {requests: {cpu: '1'}}%s}\n"
    "    - {name: web-canary, replicas: 1, startupTime: 10s, labels: {app: web, track: canary},\n"
    "       nodeSelector: {size: small}, resources: {requests: {cpu: '1'}}}\n"
    "  include: [manifests/services.yaml]\n"
    "%s"
    "  properties:\n"
    "%s";

static const char *big_fails = "  timeline:\n    - {at: 1h, action: nodeFailure, node: big-0}\n";

static const char *every_property =
    "    - {name: api, type: coverage, service: api}\n"
    "    - {name: web, type: coverage, service: web}\n"
    "    - {name: frontend, type: coverage, service: frontend}\n"
    "    - {name: external, type: coverage, service: external}\n"
    "    - {name: all, type: coverage}\n";

static cs_config *load_with(const char *stable_fields, const char *timeline, const char *props)
{
    char yaml[4096];
    snprintf(yaml, sizeof yaml, scenario, stable_fields, timeline, props);
    cs_config *cfg = NULL;
    cs_diag d = {0};
    cs_status st = cs_scenario_load_buffer(CS_TEST_DATA "/coverage.yaml", yaml, strlen(yaml), &cfg, &d);
    if (st != CS_OK) {
        char buf[1024];
        fprintf(stderr, "\n%s", cs_diag_format(&d, buf, sizeof buf));
    }
    CU_ASSERT_EQUAL_FATAL(st, CS_OK);
    return cfg;
}

static cs_config *load(const char *timeline, const char *props)
{
    return load_with("", timeline, props);
}

static double metric(const cs_config *cfg, const cs_rep_result *r, const char *name)
{
    char buf[128];
    for (size_t i = 0; i < cs_result_metric_count(cfg); i++)
        if (strcmp(cs_result_metric_name(cfg, i, buf, sizeof buf), name) == 0)
            return r->metrics[i];
    CU_FAIL_FATAL("no such metric");
    return 0;
}

static cs_rep_result run_one(const cs_config *cfg)
{
    cs_rep_result res;
    CU_ASSERT_EQUAL_FATAL(cs_result_init(&res, cfg), CS_OK);
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(w->nodes[0].requested.cpu_milli, 2000);   /* api and web-stable on big-0 */
    CU_ASSERT_EQUAL(w->nodes[1].requested.cpu_milli, 1000);   /* web-canary on small-0 */
    CU_ASSERT_EQUAL(cs_world_run(w), CS_OK);
    cs_world_result(w, &res);
    cs_world_free(w);
    return res;
}

/* The loader resolves service names to ids in file order, and lists one metric per service
 * after the workloads'. */
static void test_services_resolve_and_get_metrics(void)
{
    cs_config *cfg = load("", every_property);
    CU_ASSERT_EQUAL_FATAL(cfg->n_services, 4);
    CU_ASSERT_EQUAL_FATAL(cfg->n_properties, 5);
    CU_ASSERT_EQUAL(cfg->properties[0].kind, CS_PROP_COVERAGE);
    CU_ASSERT_EQUAL(cfg->properties[0].service, 0);
    CU_ASSERT_EQUAL(cfg->properties[2].service, 2);
    CU_ASSERT_EQUAL(cfg->properties[4].service, CS_NONE);
    size_t n = cs_result_metric_count(cfg);
    char buf[128];
    CU_ASSERT_STRING_EQUAL(cs_result_metric_name(cfg, n - 4, buf, sizeof buf), "service.api.uncovered_s");
    CU_ASSERT_STRING_EQUAL(cs_result_metric_name(cfg, n - 1, buf, sizeof buf), "service.external.uncovered_s");
    CU_ASSERT_PTR_NOT_NULL(strstr(cs_result_metric_help(cfg, n - 1), "ready endpoint"));
    cs_config_free(cfg);
}

/* Without failures every pod is Ready at t = 0: every checked service is covered from the
 * start (the instant before the pods are placed is no violation). external has no selector,
 * so it selects no pod, yet it is not checked: its coverage and the whole-cluster one hold. */
static void test_covered_services_and_an_empty_selector_hold(void)
{
    cs_config *cfg = load("", every_property);
    cs_rep_result r = run_one(cfg);
    for (uint32_t p = 0; p < cfg->n_properties; p++) {
        CU_ASSERT_TRUE(r.props[p].held);
        CU_ASSERT_EQUAL(r.props[p].violations, 0);
        CU_ASSERT_DOUBLE_EQUAL(r.props[p].violation_s, 0.0, 0);
    }
    CU_ASSERT_DOUBLE_EQUAL(metric(cfg, &r, "service.api.uncovered_s"), 0.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(metric(cfg, &r, "service.external.uncovered_s"), 0.0, 0);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* big-0 fails for good at 1h. api's only pod stops with it; 50 s later the node is NotReady,
 * 300 s after that the pod is evicted, and its replacement binds to small-0 at once and is
 * Ready 10 s later: api has no endpoint for 360 s. web-stable cannot move (it needs a big
 * node) and stays down to the end, so frontend, which selects only it, is uncovered for the
 * last 3600 s, while web keeps web-canary's endpoint throughout. */
static void test_a_lost_node_uncovers_the_services_of_its_pods(void)
{
    cs_config *cfg = load(big_fails, every_property);
    cs_rep_result r = run_one(cfg);
    CU_ASSERT_DOUBLE_EQUAL(metric(cfg, &r, "service.api.uncovered_s"), 50.0 + 300.0 + 10.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(metric(cfg, &r, "service.web.uncovered_s"), 0.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(metric(cfg, &r, "service.frontend.uncovered_s"), 3600.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(metric(cfg, &r, "service.external.uncovered_s"), 0.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(metric(cfg, &r, "workload.web-stable.no_ready_s"), 3600.0, 1e-9);

    const cs_prop_result *api = &r.props[0], *web = &r.props[1], *frontend = &r.props[2], *all = &r.props[4];
    CU_ASSERT_FALSE(api->held);
    CU_ASSERT_EQUAL(api->violations, 1);
    CU_ASSERT_DOUBLE_EQUAL(api->first_violation_s, 3600.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(api->violation_s, 360.0, 1e-9);
    CU_ASSERT_TRUE(web->held);
    CU_ASSERT_DOUBLE_EQUAL(web->violation_s, 0.0, 0);
    CU_ASSERT_FALSE(frontend->held);
    CU_ASSERT_DOUBLE_EQUAL(frontend->violation_s, 3600.0, 1e-9);
    CU_ASSERT_TRUE(r.props[3].held);
    /* The whole-cluster property sees one period: from 1h, while api or frontend is uncovered. */
    CU_ASSERT_FALSE(all->held);
    CU_ASSERT_EQUAL(all->violations, 1);
    CU_ASSERT_DOUBLE_EQUAL(all->first_violation_s, 3600.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(all->violation_s, 3600.0, 1e-9);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* Scaling api to 0 at 30m and back to 1 at 40m leaves it without endpoints from 30m until the
 * new pod is Ready 10 s after 40m; a replacement within one instant would not count. */
static void test_scaling_to_zero_uncovers_a_service(void)
{
    cs_config *cfg = load("  timeline:\n    - {at: 30m, action: scale, workload: api, replicas: 0}\n"
                          "    - {at: 40m, action: scale, workload: api, replicas: 1}\n",
                          "    - {name: all, type: coverage}\n");
    cs_rep_result r = run_one(cfg);
    CU_ASSERT_DOUBLE_EQUAL(metric(cfg, &r, "service.api.uncovered_s"), 610.0, 1e-9);
    CU_ASSERT_EQUAL(r.props[0].violations, 1);
    CU_ASSERT_DOUBLE_EQUAL(r.props[0].first_violation_s, 1800.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.props[0].violation_s, 610.0, 1e-9);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

/* An unknown service is named with the closest one. */
static void test_an_unknown_service_is_a_reference_error(void)
{
    char yaml[4096];
    snprintf(yaml, sizeof yaml, scenario, "", "", "    - {name: p, type: coverage, service: frontned}\n");
    cs_config *cfg = NULL;
    cs_diag d = {0};
    CU_ASSERT_EQUAL(cs_scenario_load_buffer(CS_TEST_DATA "/coverage.yaml", yaml, strlen(yaml), &cfg, &d), CS_EINPUT);
    CU_ASSERT_PTR_NULL(cfg);
    CU_ASSERT_STRING_EQUAL(d.path, "spec.properties[0].service");
    CU_ASSERT_STRING_EQUAL(d.msg, "expected one of api, external, frontend, web, found \"frontned\"");
    CU_ASSERT_STRING_EQUAL(d.hint, "did you mean 'frontend'?");
}

/* A NotReady pod is no endpoint. web-stable's health endpoint fails from 30 s to 75 s; probed
 * at 0, 10, 20 s ... (a pod of t = 0), it fails at 30, 40 and 50 s, so the third failure (the
 * failureThreshold) turns it NotReady at 50 s, and the success at 80 s Ready again (its next
 * outage, from 105 s, is cut short by the scale to 0 at 100 s). frontend selects it alone:
 * uncovered for 30 s, then from 100 s to the end at 2 h; web also selects web-canary, so it
 * stays covered. */
static void test_a_not_ready_pod_uncovers_its_service(void)
{
    cs_config *cfg = load_with(", readinessProbe: {periodSeconds: 10, failures: {every: 30s, lasting: 45s}}",
                               "  timeline:\n    - {at: 100s, action: scale, workload: web-stable, replicas: 0}\n",
                               "    - {name: web, type: coverage, service: web}\n"
                               "    - {name: frontend, type: coverage, service: frontend}\n");
    cs_rep_result r = run_one(cfg);
    CU_ASSERT_TRUE(r.props[0].held);
    CU_ASSERT_FALSE(r.props[1].held);
    CU_ASSERT_EQUAL(r.props[1].violations, 2);
    CU_ASSERT_DOUBLE_EQUAL(r.props[1].violation_s, 30.0 + 7100.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.props[1].first_violation_s, 50.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(metric(cfg, &r, "service.frontend.uncovered_s"), 30.0 + 7100.0, 1e-9);
    cs_result_fini(&r);
    cs_config_free(cfg);
}

static CU_TestInfo tests[] = {
    {"services resolve and get metrics", test_services_resolve_and_get_metrics},
    {"a not-ready pod uncovers its service", test_a_not_ready_pod_uncovers_its_service},
    {"covered services and an empty selector hold", test_covered_services_and_an_empty_selector_hold},
    {"a lost node uncovers the services of its pods", test_a_lost_node_uncovers_the_services_of_its_pods},
    {"scaling to zero uncovers a service", test_scaling_to_zero_uncovers_a_service},
    {"an unknown service is a reference error", test_an_unknown_service_is_a_reference_error},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_coverage_suite = {.pName = "coverage", .pTests = tests};
