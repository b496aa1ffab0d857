/* test_corpus.c -- replays every input kept in tests/fuzz/corpus/ through the scenario loader:
 * each must load or be rejected with a located message, never crash (ASan watches in CI). */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clustersim/scenario.h"

static void test_every_corpus_input_loads_or_is_rejected_cleanly(void)
{
    const char *dir = CS_TEST_DATA "/fuzz/corpus";
    DIR *d = opendir(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    int files = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        static char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        cs_config *cfg = NULL;
        cs_diag diag = {0};
        cs_status st = cs_scenario_load_buffer(e->d_name, buf, n, &cfg, &diag);
        if (st == CS_OK)
            cs_config_free(cfg);
        else
            CU_ASSERT(st == CS_EINPUT && diag.msg[0] != '\0' && diag.line >= 0);
        files++;
    }
    closedir(d);
    CU_ASSERT(files >= 1);
}

static CU_TestInfo tests[] = {
    {"every corpus input loads or is rejected cleanly", test_every_corpus_input_loads_or_is_rejected_cleanly},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_corpus_suite = {.pName = "corpus", .pTests = tests};
