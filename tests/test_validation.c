/* test_validation.c -- the simulator against theory (docs/validation.md).
 *
 * n replicas on n nodes, one pod per node, each node failing and being repaired as independent
 * exponential processes (rate lambda, rate mu): a node is up a fraction A = mu / (lambda + mu) of
 * the time in the long run, and the fraction of time with at least k Ready replicas is the
 * k-out-of-n availability sum_{j>=k} C(n, j) A^j (1 - A)^(n - j). The pods tolerate the
 * unreachable taint for ever (no tolerationSeconds), so they stay bound and restart with their
 * node; their start-up time is 0. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>

#include "clustersim/stats.h"
#include "test_util.h"

static double k_out_of_n(unsigned n, unsigned k, double a)
{
    double sum = 0;
    for (unsigned j = k; j <= n; j++)
        sum += exp(lgamma(n + 1.0) - lgamma(j + 1.0) - lgamma(n - j + 1.0)) * pow(a, j) * pow(1 - a, n - j);
    return sum;
}

/* n = 4, MTTF 4 h, MTTR 1 h: A = 0.8; at least 4, 3, 2, 1 Ready: 0.4096, 0.8192, 0.9728,
 * 0.9984. 100 replications of 4000 h; each must fall in the 99% interval of the fraction of
 * time the availability property held. */
static void test_k_out_of_n_availability_matches_the_formula(void)
{
    cs_config *cfg = load("apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: kofn}\n"
                          "spec:\n  duration: 4000h\n  cluster:\n    nodePools:\n"
                          "      - name: n\n        count: 4\n        allocatable: {cpu: '4', memory: 8Gi, pods: 1}\n"
                          "        failures:\n          timeToFailure: {exponential: {mean: 4h}}\n"
                          "          timeToRepair: {exponential: {mean: 1h}}\n"
                          "  workloads:\n    - name: w\n      replicas: 4\n      startupTime: 0s\n"
                          "      tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute}]\n"
                          "  properties:\n"
                          "    - {name: k4, type: availability, workload: w, minReady: 4}\n"
                          "    - {name: k3, type: availability, workload: w, minReady: 3}\n"
                          "    - {name: k2, type: availability, workload: w, minReady: 2}\n"
                          "    - {name: k1, type: availability, workload: w, minReady: 1}\n");
    enum { REPS = 100, K = 4 };
    static double frac[K][REPS];
    double hours = 4000.0 * 3600;
    for (uint32_t r = 0; r < REPS; r++) {
        cs_rep_result res = run_one(cfg, 11, r);
        for (int k = 0; k < K; k++)
            frac[k][r] = 1 - res.props[k].violation_s / hours;
        cs_result_fini(&res);
    }
    for (int k = 0; k < K; k++) {
        double want = k_out_of_n(4, (unsigned)(4 - k), 0.8);
        cs_stat s;
        cs_stat_summarise(frac[k], REPS, 0.99, &s);
        if (!(s.ci_lo <= want && want <= s.ci_hi))
            fprintf(stderr, "\nk = %d: want %.5f, mean %.5f, 99%% CI [%.5f, %.5f] (seed 11)\n", 4 - k, want, s.mean,
                    s.ci_lo, s.ci_hi);
        CU_ASSERT(s.ci_lo <= want && want <= s.ci_hi);
        CU_ASSERT(s.ci_hi - s.ci_lo < 0.01);   /* tight enough to tell 0.8192 from 0.83 */
    }
    CU_ASSERT_DOUBLE_EQUAL(k_out_of_n(4, 3, 0.8), 0.8192, 1e-12);
    cs_config_free(cfg);
}

static CU_TestInfo tests[] = {
    {"k-out-of-n availability matches the formula", test_k_out_of_n_availability_matches_the_formula},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_validation_suite = {.pName = "validation", .pTests = tests};
