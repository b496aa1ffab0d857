/* test_util.h -- helpers several test files share. Static inline, so each test file keeps its
 * own copy and the CUnit registry in main.c stays the only thing the files have in common. */
#ifndef CS_TEST_UTIL_H
#define CS_TEST_UTIL_H

#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "clustersim/result.h"
#include "clustersim/scenario.h"
#include "clustersim/world.h"

/* Loads a scenario from text, printing the diagnostic and failing the test (fatally) when the
 * loader rejects it. Returns the config, which the caller frees. */
static inline cs_config *load(const char *yaml)
{
    cs_config *cfg = NULL;
    cs_diag d = {0};
    cs_status st = cs_scenario_load_buffer("test.yaml", yaml, strlen(yaml), &cfg, &d);
    if (st != CS_OK) {
        char buf[1024];
        fprintf(stderr, "\n%s", cs_diag_format(&d, buf, sizeof buf));
    }
    CU_ASSERT_EQUAL_FATAL(st, CS_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    return cfg;
}

/* Loads case c of a property test's random scenarios; a rejection prints the seed, the case,
 * the diagnostic and the scenario, and fails the test (fatally). */
static inline cs_config *load_case(const char *yaml, uint64_t seed, uint32_t c)
{
    cs_config *cfg = NULL;
    cs_diag d = {0};
    cs_status st = cs_scenario_load_buffer("prop.yaml", yaml, strlen(yaml), &cfg, &d);
    if (st != CS_OK) {
        char buf[1024];
        fprintf(stderr, "\nseed %#llx case %u does not load:\n%s%s", (unsigned long long)seed, c,
                cs_diag_format(&d, buf, sizeof buf), yaml);
    }
    CU_ASSERT_EQUAL_FATAL(st, CS_OK);
    return cfg;
}

/* The index of a metric by name; fails the test (fatally) when there is none. */
static inline size_t metric(const cs_config *cfg, const char *name)
{
    char buf[128];
    for (size_t i = 0; i < cs_result_metric_count(cfg); i++)
        if (strcmp(cs_result_metric_name(cfg, i, buf, sizeof buf), name) == 0)
            return i;
    fprintf(stderr, "\nno metric %s\n", name);
    CU_FAIL_FATAL("no such metric");
    return 0;
}

/* Runs replication r (traced into `trace` when not NULL) and returns its result (the caller
 * finis it). */
static inline cs_rep_result run_traced(const cs_config *cfg, uint64_t seed, uint32_t r, const cs_trace_sink *trace)
{
    cs_rep_result res;
    CU_ASSERT_EQUAL_FATAL(cs_result_init(&res, cfg), CS_OK);
    cs_world *w = cs_world_new(cfg, seed, r, trace);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(cs_world_run(w), CS_OK);
    cs_world_result(w, &res);
    cs_world_free(w);
    return res;
}

static inline cs_rep_result run_one(const cs_config *cfg, uint64_t seed, uint32_t r)
{
    return run_traced(cfg, seed, r, NULL);
}

#endif
