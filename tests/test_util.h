/* test_util.h -- helpers several test files share. Static inline, so each test file keeps its
 * own copy and the CUnit registry in main.c stays the only thing the files have in common. */
#ifndef CS_TEST_UTIL_H
#define CS_TEST_UTIL_H

#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "clustersim/scenario.h"

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

#endif
