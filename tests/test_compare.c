/* test_compare.c -- the tests `clustersim compare` runs, against published and hand-worked
 * values, and the bad directions of the metric names. */
#include <CUnit/CUnit.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clustersim/compare.h"
#include "clustersim/scenario.h"
#include "clustersim/world.h"

/* R's documented example, t.test(extra ~ group, data = sleep) (Student's sleep data, 1908):
 * "t = -1.8608, df = 17.776, p-value = 0.07939". The test is of group 2 against group 1, so
 * the sign is flipped here: t = +1.8608. */
static void test_welch_matches_r_on_the_sleep_data(void)
{
    static const double g1[] = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
    static const double g2[] = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};
    double m1 = gsl_stats_mean(g1, 1, 10), m2 = gsl_stats_mean(g2, 1, 10);
    double s1 = gsl_stats_sd_m(g1, 1, 10, m1), s2 = gsl_stats_sd_m(g2, 1, 10, m2);
    cs_welch w;
    CU_ASSERT_TRUE_FATAL(cs_compare_welch(m1, s1, 10, m2, s2, 10, &w));
    CU_ASSERT_DOUBLE_EQUAL(w.t, 1.8608, 5e-5);
    CU_ASSERT_DOUBLE_EQUAL(w.df, 17.776, 5e-4);
    CU_ASSERT_DOUBLE_EQUAL(w.p, 0.07939, 5e-6);
}

/* R's paired example on the same data, t.test(extra ~ group, data = sleep, paired = TRUE)
 * (each of the ten patients took both drugs): "t = -4.0621, df = 9, p-value = 0.002833", of
 * the differences group 1 - group 2. */
static void test_paired_t_matches_r_on_the_sleep_data(void)
{
    static const double g1[] = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
    static const double g2[] = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};
    double d[10];
    for (int i = 0; i < 10; i++)
        d[i] = g1[i] - g2[i];
    cs_welch w;
    CU_ASSERT_TRUE_FATAL(cs_compare_paired_t(d, 10, &w));
    CU_ASSERT_DOUBLE_EQUAL(w.t, -4.0621, 5e-5);
    CU_ASSERT_EQUAL(w.df, 9);
    CU_ASSERT_DOUBLE_EQUAL(w.p, 0.002833, 5e-7);
    /* Unpaired, the same two samples are not significant at 5% (p 0.079, above): pairing
     * takes the patients' own spread out of the comparison. */
    CU_ASSERT_TRUE(w.p < 0.05);
}

/* Equal differences: all 0 is no change (p = 1), all 0.5 a certain one (p = 0); a single
 * pair has no variance. */
static void test_paired_t_degenerate(void)
{
    static const double zero[] = {0, 0, 0}, half[] = {0.5, 0.5, 0.5};
    cs_welch w;
    CU_ASSERT_TRUE_FATAL(cs_compare_paired_t(zero, 3, &w));
    CU_ASSERT_EQUAL(w.p, 1);
    CU_ASSERT_EQUAL(w.t, 0);
    CU_ASSERT_TRUE_FATAL(cs_compare_paired_t(half, 3, &w));
    CU_ASSERT_EQUAL(w.p, 0);
    CU_ASSERT_TRUE(isinf(w.t) && w.t > 0);
    CU_ASSERT_FALSE(cs_compare_paired_t(half, 1, &w));
}

/* McNemar's exact test by hand: of 12 discordant pairs 10 went one way, 2 the other:
 * P(X <= 2) for X ~ Binomial(12, 1/2) is (1 + 12 + 66) / 4096, doubled: 158 / 4096 (R:
 * binom.test(2, 12)$p.value = 0.03857). Either order gives the same p; an even split is 1
 * (the doubled tail passes 1), no discordant pair is 1. */
static void test_mcnemar_exact(void)
{
    CU_ASSERT_DOUBLE_EQUAL(cs_compare_mcnemar(10, 2), 158.0 / 4096.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(cs_compare_mcnemar(2, 10), 158.0 / 4096.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(cs_compare_mcnemar(10, 0), 2.0 / 1024.0, 1e-15);
    CU_ASSERT_EQUAL(cs_compare_mcnemar(5, 5), 1);
    CU_ASSERT_EQUAL(cs_compare_mcnemar(0, 0), 1);
}

/* By hand: means 10 and 12, sd 2 and 3, n 10 and 15. s1^2/n1 = 0.4, s2^2/n2 = 0.6, so
 * t = 2 / sqrt(1) = 2 and df = 1 / (0.4^2/9 + 0.6^2/14) = 1 / (4/225 + 9/350) = 3150/137
 * = 22.9927...; p = 2 P(T > 2) = 0.0574484 (integrating the t density numerically,
 * independently of GSL). */
static void test_welch_by_hand(void)
{
    cs_welch w;
    CU_ASSERT_TRUE_FATAL(cs_compare_welch(10, 2, 10, 12, 3, 15, &w));
    CU_ASSERT_DOUBLE_EQUAL(w.t, 2, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(w.df, 3150.0 / 137.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(w.p, 0.0574484, 5e-7);
    /* The other way round: t changes sign, p does not. */
    cs_welch r;
    CU_ASSERT_TRUE_FATAL(cs_compare_welch(12, 3, 15, 10, 2, 10, &r));
    CU_ASSERT_DOUBLE_EQUAL(r.t, -2, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(r.p, w.p, 1e-15);
}

/* Constant samples: equal means are no change (p = 1), different ones a certain change
 * (p = 0); one replication has no variance to test with. */
static void test_welch_degenerate_samples(void)
{
    cs_welch w;
    CU_ASSERT_TRUE_FATAL(cs_compare_welch(3, 0, 50, 3, 0, 50, &w));
    CU_ASSERT_EQUAL(w.p, 1);
    CU_ASSERT_EQUAL(w.t, 0);
    CU_ASSERT_TRUE_FATAL(cs_compare_welch(3, 0, 50, 4, 0, 50, &w));
    CU_ASSERT_EQUAL(w.p, 0);
    CU_ASSERT_TRUE(isinf(w.t) && w.t > 0);
    /* One sample constant: df is the other's n - 1 (v1 = 0 in Welch-Satterthwaite). */
    CU_ASSERT_TRUE_FATAL(cs_compare_welch(3, 0, 50, 4, 1, 20, &w));
    CU_ASSERT_DOUBLE_EQUAL(w.df, 19, 1e-12);
    CU_ASSERT_FALSE(cs_compare_welch(3, 1, 1, 4, 1, 20, &w));
}

/* Fisher's tea-tasting experiment (Agresti, Categorical Data Analysis, 2002, table 3.8):
 * 3 of 4 cups right against 1 of 4, two-sided p = 0.4857 (34/70: the tables 0,1,3,4
 * successes out of 1 + 16 + 16 + 1 + 36). A one-sided extreme: 10 of 10 against 0 of 10,
 * p = 2 / C(20, 10) = 2 / 184756. Equal proportions give 1. */
static void test_fisher_exact(void)
{
    CU_ASSERT_DOUBLE_EQUAL(cs_compare_fisher(3, 4, 1, 4), 34.0 / 70.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(cs_compare_fisher(10, 10, 0, 10), 2.0 / 184756.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(cs_compare_fisher(200, 200, 200, 200), 1, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(cs_compare_fisher(5, 10, 5, 10), 1, 1e-12);
    CU_ASSERT_EQUAL(cs_compare_fisher(0, 0, 3, 4), 1);
}

/* Holm by hand: p = {0.01, NaN, 0.04, 0.03, 0.005}, four tests. Sorted: 0.005 x 4 = 0.02,
 * 0.01 x 3 = 0.03, 0.03 x 2 = 0.06, 0.04 x 1 = 0.04, raised to 0.06 to stay non-decreasing.
 * Equal p-values get equal adjusted values whatever their order; a product above 1 is 1. */
static void test_holm_by_hand(void)
{
    const double p[] = {0.01, NAN, 0.04, 0.03, 0.005};
    double adj[5];
    CU_ASSERT_EQUAL_FATAL(cs_compare_holm(p, 5, adj), CS_OK);
    CU_ASSERT_DOUBLE_EQUAL(adj[0], 0.03, 1e-15);
    CU_ASSERT_TRUE(isnan(adj[1]));
    CU_ASSERT_DOUBLE_EQUAL(adj[2], 0.06, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(adj[3], 0.06, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(adj[4], 0.02, 1e-15);
    const double q[] = {0.2, 0.01, 0.2, 0.9};
    double qa[4];
    CU_ASSERT_EQUAL_FATAL(cs_compare_holm(q, 4, qa), CS_OK);
    CU_ASSERT_DOUBLE_EQUAL(qa[1], 0.04, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(qa[0], 0.6, 1e-15);   /* 0.2 x 3 */
    CU_ASSERT_DOUBLE_EQUAL(qa[2], 0.6, 1e-15);   /* 0.2 x 2 = 0.4, raised to 0.6 */
    CU_ASSERT_DOUBLE_EQUAL(qa[3], 0.9, 1e-15);   /* 0.9 x 1 */
    const double r[] = {0.6, 0.7};
    double ra[2];
    CU_ASSERT_EQUAL_FATAL(cs_compare_holm(r, 2, ra), CS_OK);
    CU_ASSERT_EQUAL(ra[0], 1);                   /* 0.6 x 2, capped */
    CU_ASSERT_EQUAL(ra[1], 1);                   /* 0.7 x 1, raised to 1 */
}

static void test_bad_directions(void)
{
    static const struct {
        const char *name;
        cs_direction dir;
    } cases[] = {
        {"pods.pending_mean", CS_DIR_UP_BAD},
        {"pods.pending_max", CS_DIR_UP_BAD},
        {"scheduler.unschedulable", CS_DIR_UP_BAD},
        {"service.checkout.uncovered_s", CS_DIR_UP_BAD},
        {"workload.web.no_ready_s", CS_DIR_UP_BAD},
        {"pods.scheduling_latency_s", CS_DIR_UP_BAD},
        {"pods.lost", CS_DIR_UP_BAD},
        {"evictions.refused", CS_DIR_UP_BAD},
        {"evictions.accepted", CS_DIR_NEUTRAL},
        {"pods.deleted.DeletionByTaintManager", CS_DIR_NEUTRAL},
        {"workload.web.ready_mean", CS_DIR_DOWN_BAD},
        {"workload.web.full_fraction", CS_DIR_DOWN_BAD},
        {"nodes.up_mean", CS_DIR_DOWN_BAD},
        {"property.web-two-ready.probability", CS_DIR_DOWN_BAD},
        {"nodes.failures", CS_DIR_NEUTRAL},
        {"pods.created", CS_DIR_NEUTRAL},
        {"cpu.requested_fraction_mean", CS_DIR_NEUTRAL},
        {"something.new", CS_DIR_NEUTRAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CU_ASSERT_EQUAL(cs_compare_direction(cases[i].name), cases[i].dir);
}

/* ---- common random numbers ---------------------------------------------------------------- */

/* What a trace sink keeps of a replication: "time node" of every node.failed, and "time pod
 * node" of every pod.bound, as text. */
typedef struct seen {
    char failed[8192], bound[8192];
    size_t nf, nb;
} seen;

static const char *field(const cs_field *f, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].key, key) == 0 && f[i].kind == CS_FIELD_STR)
            return f[i].s;
    return "";
}

static void keep(void *ctx, cs_time t, const char *type, const cs_field *f, size_t n)
{
    seen *s = ctx;
    if (strcmp(type, "node.failed") == 0 && s->nf < sizeof s->failed - 64)
        s->nf += (size_t)snprintf(s->failed + s->nf, sizeof s->failed - s->nf, "%lld %s\n", (long long)t,
                                  field(f, n, "node"));
    else if (strcmp(type, "pod.bound") == 0 && s->nb < sizeof s->bound - 64)
        s->nb += (size_t)snprintf(s->bound + s->nb, sizeof s->bound - s->nb, "%lld %lld %s\n", (long long)t,
                                  (long long)f[0].i, field(f, n, "node"));
}

static void trace_rep(const cs_config *cfg, uint32_t r, seen *s)
{
    *s = (seen){0};
    cs_trace_sink sink = {.fn = keep, .ctx = s};
    cs_world *w = cs_world_new(cfg, 2026, r, &sink);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(cs_world_run(w), CS_OK);
    cs_world_free(w);
}

static cs_config *load_file(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/scenarios/%s", CS_SOURCE_DIR, name);
    cs_config *cfg = NULL;
    cs_diag d = {0};
    CU_ASSERT_EQUAL_FATAL(cs_scenario_load_file(path, &cfg, &d), CS_OK);
    return cfg;
}

/* Replications 0..39 of two configs: the node failures must be the same, to the nanosecond,
 * and the placements must differ in every replication. Returns how many had failures. */
static size_t same_failures_other_placements(const cs_config *x, const cs_config *y)
{
    seen *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    size_t with_failures = 0, placed_differently = 0;
    for (uint32_t r = 0; r < 40; r++) {
        trace_rep(x, r, a);
        trace_rep(y, r, b);
        CU_ASSERT_STRING_EQUAL(a->failed, b->failed);
        with_failures += a->nf > 0;
        placed_differently += strcmp(a->bound, b->bound) != 0;
    }
    CU_ASSERT_EQUAL(placed_differently, 40);
    free(a);
    free(b);
    return with_failures;
}

/* scenarios/policy-least.yaml and policy-most.yaml differ only in the profile (MostAllocated
 * and no PodTopologySpread score for the second). With the same seed, replication r of each sees the same node failures at the same nanosecond
 * (the faults stream is not drawn from by the scheduler), while the pods land on different
 * nodes: the comparison sees the policy, not different luck. */
static void test_policies_share_their_failures(void)
{
    cs_config *least = load_file("policy-least.yaml"), *most = load_file("policy-most.yaml");
    CU_ASSERT_TRUE(same_failures_other_placements(least, most) >= 10);   /* ~0.56 failures a day */
    cs_config_free(least);
    cs_config_free(most);
}

/* The same with failures every few hours, so that most failures are drawn after the
 * scheduler has made many random tie-breaks (a shared stream would shift them). Both profiles
 * leave PodTopologySpread's score out: its system default constraints would spread web's
 * replicas under either strategy. */
static void test_policies_share_their_failures_under_stress(void)
{
    static const char *yaml =
        "apiVersion: clustersim.io/v1alpha1\n"
        "kind: Scenario\n"
        "metadata: {name: crn}\n"
        "spec:\n"
        "  duration: 24h\n"
        "  cluster:\n"
        "    nodePools:\n"
        "      - {name: p, count: 6, allocatable: {cpu: '8', memory: 32Gi},\n"
        "         failures: {timeToFailure: {exponential: {mean: 8h}}, timeToRepair: {exponential: {mean: 1h}}}}\n"
        "  workloads:\n"
        "    - {name: web, replicas: 9, resources: {requests: {cpu: '1', memory: 2Gi}}}\n"
        "  scheduler: {plugins: {score: {disabled: [{name: PodTopologySpread}]}},\n"
        "              pluginConfig: {NodeResourcesFit: {scoringStrategy: {type: %s}}}}\n";
    char text[1024];
    cs_config *cfg[2] = {NULL, NULL};
    const char *strategy[2] = {"LeastAllocated", "MostAllocated"};
    for (int i = 0; i < 2; i++) {
        snprintf(text, sizeof text, yaml, strategy[i]);
        cs_diag d = {0};
        CU_ASSERT_EQUAL_FATAL(cs_scenario_load_buffer("crn.yaml", text, strlen(text), &cfg[i], &d), CS_OK);
    }
    CU_ASSERT_EQUAL(same_failures_other_placements(cfg[0], cfg[1]), 40);
    cs_config_free(cfg[0]);
    cs_config_free(cfg[1]);
}

static CU_TestInfo tests[] = {
    {"policies share their failures", test_policies_share_their_failures},
    {"policies share their failures under stress", test_policies_share_their_failures_under_stress},
    {"welch matches R on the sleep data", test_welch_matches_r_on_the_sleep_data},
    {"welch by hand", test_welch_by_hand},
    {"paired t matches R on the sleep data", test_paired_t_matches_r_on_the_sleep_data},
    {"paired t degenerate", test_paired_t_degenerate},
    {"mcnemar exact", test_mcnemar_exact},
    {"welch degenerate samples", test_welch_degenerate_samples},
    {"fisher exact", test_fisher_exact},
    {"holm by hand", test_holm_by_hand},
    {"bad directions", test_bad_directions},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_compare_suite = {.pName = "compare", .pTests = tests};
