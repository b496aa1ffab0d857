/* test_bench.c -- PHOLD on the kernel reproduces the spec's reference rows (PHOLD.md §5). */
#include <CUnit/CUnit.h>

#include "clustersim/bench.h"

static void check_row(uint32_t n_lp, double t_end, uint64_t events, uint64_t checksum)
{
    cs_phold_params p = cs_phold_defaults();
    p.n_lp = n_lp;
    p.t_end = t_end;
    cs_phold_result r;
    CU_ASSERT_EQUAL_FATAL(cs_phold_run(&p, &r), CS_OK);
    CU_ASSERT_EQUAL(r.events, events);
    CU_ASSERT_EQUAL(r.checksum, checksum);
}

static void test_phold_1k_reference_rows(void)
{
    check_row(1024, 10, 148279, 151699123ULL);
    check_row(1024, 100, 1488165, 1523144047ULL);
}

static void test_phold_64k_reference_row(void)
{
    check_row(65536, 2, 1816875, 119073287393ULL);
}

static void test_phold_locality_variant_is_deterministic(void)
{
    cs_phold_params p = cs_phold_defaults();
    p.n_lp = 256;
    p.p_remote = 0.25;
    p.t_end = 20;
    cs_phold_result a, b;
    CU_ASSERT_EQUAL_FATAL(cs_phold_run(&p, &a), CS_OK);
    CU_ASSERT_EQUAL_FATAL(cs_phold_run(&p, &b), CS_OK);
    CU_ASSERT_EQUAL(a.events, b.events);
    CU_ASSERT_EQUAL(a.checksum, b.checksum);
    /* 256 x 16 events at mean delay 1.1 for 20 s: about 74,500 committed. */
    CU_ASSERT(a.events > 70000 && a.events < 79000);
}

static void test_phold_rejects_parameters_outside_the_spec(void)
{
    cs_phold_params p = cs_phold_defaults();
    cs_phold_result r;
    p.lookahead = 0;
    CU_ASSERT_EQUAL(cs_phold_run(&p, &r), CS_EINPUT);
    p = cs_phold_defaults();
    p.n_lp = 0;
    CU_ASSERT_EQUAL(cs_phold_run(&p, &r), CS_EINPUT);
    p = cs_phold_defaults();
    p.p_remote = 1.5;
    CU_ASSERT_EQUAL(cs_phold_run(&p, &r), CS_EINPUT);
}

static CU_TestInfo tests[] = {
    {"phold-1k reference rows (T_end 10, 100)", test_phold_1k_reference_rows},
    {"phold-64k reference row (T_end 2)", test_phold_64k_reference_row},
    {"phold locality variant is deterministic", test_phold_locality_variant_is_deterministic},
    {"phold rejects parameters outside the spec", test_phold_rejects_parameters_outside_the_spec},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_bench_suite = {.pName = "bench", .pTests = tests};
