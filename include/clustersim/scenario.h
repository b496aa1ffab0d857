/* scenario.h -- reads scenario files (YAML, libyaml) into a validated cs_config.
 *
 * Every bad-input error of the project comes from here: the first problem found is
 * reported in a caller-owned cs_diag with the file, the 1-based line and column, the
 * field path (spec.cluster.nodePools[0].allocatable.cpu), what was expected and what was
 * found, and for unknown keys a "did you mean" hint listing the known ones. Nothing is
 * half-built: on failure *out is untouched and all memory is released.
 */
#ifndef CLUSTERSIM_SCENARIO_H
#define CLUSTERSIM_SCENARIO_H

#include "clustersim/common.h"
#include "clustersim/config.h"

/* Loads and validates a scenario file. Returns CS_OK and a new config in *out (free with
 * cs_config_free), CS_EINPUT with *diag filled for bad input, CS_EIO when the file cannot
 * be read (diag says why), or CS_ENOMEM. */
cs_status cs_scenario_load_file(const char *path, cs_config **out, cs_diag *diag);
/* The same for a buffer already in memory; `name` is used as the file name in messages. */
cs_status cs_scenario_load_buffer(const char *name, const char *data, size_t len, cs_config **out,
                                  cs_diag *diag);

#endif
