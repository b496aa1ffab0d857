/* series.h -- the time series a replication samples: its grid and its columns.
 *
 * The state of the cluster is sampled at cfg->samples points evenly spaced over the run,
 * t_g = g * duration / (samples - 1) for g = 0 .. samples - 1 (nanoseconds, rounded down),
 * both ends included. The value at t_g is the state once every change at times <= t_g has
 * happened (a change at exactly t_g counts; one at the end time never runs). Sampling is an
 * observer (models/series.c): it schedules no event and draws nothing, so a run gives the
 * same results with or without it.
 *
 * The columns are a function of the config, like the metric list (result.h):
 *   pods.pending, nodes.up, nodes.ready, cpu.requested_cores, cpu.allocatable_cores,
 *   memory.requested_gib, memory.allocatable_gib, properties.violated, then per workload
 *   workload.<name>.ready and workload.<name>.desired, per service
 *   service.<name>.ready_endpoints, per property property.<name>.violated.
 * docs/results.md defines each one.
 */
#ifndef CLUSTERSIM_SERIES_H
#define CLUSTERSIM_SERIES_H

#include "clustersim/common.h"
#include "clustersim/config.h"

/* The default of spec.output.samples. */
#define CS_DEFAULT_SAMPLES 200

/* Number of columns a replication of cfg samples (0 when cfg->samples == 0). */
size_t cs_series_column_count(const cs_config *cfg);
/* Writes the name of column c into buf; returns buf. */
char *cs_series_column_name(const cs_config *cfg, size_t c, char *buf, size_t size);
/* The time of grid point g (0 <= g < cfg->samples). */
cs_time cs_series_time(const cs_config *cfg, uint32_t g);

#endif
