/* world.h -- one replication: a config, a kernel, random streams and the models, in one arena.
 *
 * cs_world_new() builds the cluster from the config and schedules the initial events;
 * cs_world_run() advances it to the end of the scenario; cs_world_result() copies plain
 * numbers out; cs_world_free() releases everything in one call. A world is used by one
 * thread; worlds of the same config share nothing but the read-only config.
 */
#ifndef CLUSTERSIM_WORLD_H
#define CLUSTERSIM_WORLD_H

#include "clustersim/common.h"
#include "clustersim/config.h"
#include "clustersim/result.h"
#include "clustersim/trace.h"

typedef struct cs_world cs_world;

/* Returns the world of replication r of a run with this seed, or NULL when out of memory.
 * `cfg` is borrowed and must outlive the world; `trace` (may be NULL) is copied, and its
 * `explain` flag turns on the scheduler's per-node records (trace.h). */
cs_world *cs_world_new(const cs_config *cfg, uint64_t seed, uint32_t r, const cs_trace_sink *trace);
/* Runs to cfg->duration. Returns CS_OK, or CS_ENOMEM when an allocation failed midway. */
cs_status cs_world_run(cs_world *w);
/* Fills r (already initialised with cs_result_init for the same config) from a world that ran.
 * Returns CS_OK, or CS_ENOMEM when the latency histograms could not be copied out (r is then
 * still safe to cs_result_fini). */
cs_status cs_world_result(const cs_world *w, cs_rep_result *r);
/* Frees the world. NULL is allowed. */
void cs_world_free(cs_world *w);

#endif
