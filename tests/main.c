/* main.c -- the one CUnit registry. Suites come from tests/test_<module>.c, listed by CMake
 * in suites.h. `cs_tests` runs them all; `cs_tests NAME...` runs the named suites (CTest
 * runs one suite per test). The exit status is non-zero when any test failed, because
 * CU_basic_run_tests() alone reports success even then. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

#define CS_SUITE(m) extern CU_SuiteInfo cs_##m##_suite;
#include "suites.h"
#undef CS_SUITE

static CU_SuiteInfo *all_suites[] = {
#define CS_SUITE(m) &cs_##m##_suite,
#include "suites.h"
#undef CS_SUITE
};

static int wanted(const char *name, int argc, char **argv)
{
    if (argc < 2)
        return 1;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 3;
    size_t n = sizeof all_suites / sizeof all_suites[0];
    int registered = 0;
    for (size_t i = 0; i < n; i++) {
        if (!wanted(all_suites[i]->pName, argc, argv))
            continue;
        CU_SuiteInfo one[2] = {*all_suites[i], CU_SUITE_INFO_NULL};
        if (CU_register_suites(one) != CUE_SUCCESS) {
            fprintf(stderr, "cannot register suite %s: %s\n", all_suites[i]->pName, CU_get_error_msg());
            return 3;
        }
        registered++;
    }
    if (registered == 0) {
        fprintf(stderr, "no suite matches\n");
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failures = CU_get_number_of_failures();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    return (failures != 0 || ran == 0) ? 1 : 0;
}
