/* fuzz_scenario.c -- libFuzzer target: any bytes through the scenario loader.
 *
 * Every input must either load (and then free cleanly) or be rejected with a diagnostic
 * that has a message and, when it names a place, a line >= 1. Build with clang:
 *   cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCS_FUZZ=ON && cmake --build build-fuzz
 *   build-fuzz/tests/fuzz/fuzz_scenario tests/fuzz/corpus -max_total_time=60
 * Each crash it finds is kept in corpus/ so it is replayed for ever after.
 */
#include <stdint.h>
#include <stdlib.h>

#include "clustersim/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cs_config *cfg = NULL;
    cs_diag d = {0};
    cs_status st = cs_scenario_load_buffer("fuzz.yaml", (const char *)data, size, &cfg, &d);
    if (st == CS_OK) {
        cs_config_free(cfg);
        return 0;
    }
    if (st == CS_EINPUT && (d.msg[0] == '\0' || d.line < 0))
        abort();
    return 0;
}
