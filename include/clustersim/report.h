/* report.h -- turns a run summary into summary.json and a terminal table, and traces into
 * JSON lines.
 *
 * The report knows nothing of how a result was simulated: it reads a cs_run_summary and the
 * names in the config. Everything it writes is a function of the scenario and the seed (no
 * clock, host or thread count), and every file is written to a temporary name in the same
 * directory and renamed into place, so a reader never sees half a file.
 */
#ifndef CLUSTERSIM_REPORT_H
#define CLUSTERSIM_REPORT_H

#include <stdio.h>

#include "clustersim/common.h"
#include "clustersim/config.h"
#include "clustersim/runner.h"
#include "clustersim/trace.h"

/* The version of summary.json's layout (docs/results.md), its "schemaVersion" field: raised
 * whenever a key is renamed, removed or changes meaning (adding keys does not raise it). */
#define CS_SUMMARY_SCHEMA_VERSION 2

/* Writes summary.json (schema CS_SUMMARY_SCHEMA_VERSION) to `path`, creating missing parent directories. Returns
 * CS_OK; CS_EIO with diag->file = path and diag->msg = the system's reason when a directory
 * or the file cannot be written (no temporary file is left behind); CS_ENOMEM. */
cs_status cs_report_write_summary(const cs_config *cfg, const cs_run_summary *s, const char *path,
                                  cs_diag *diag);

/* Writes a run's results folder: summary.json at summary_path and, in the same directory,
 * scenario.yaml, timeseries.csv (when the run was sampled, cfg->samples > 0) and
 * replications.csv (when the summary kept its replications). Returns as
 * cs_report_write_summary; the first failure stops it. */
cs_status cs_report_write_results(const cs_config *cfg, const cs_run_summary *s, const char *summary_path,
                                  cs_diag *diag);
/* "<directory of path>/<name>" (just name when path has no directory), malloc'd; NULL when
 * out of memory. */
char *cs_report_sibling(const char *path, const char *name);

/* Writes scenario.yaml (docs/results.md) to `path`: the scenario cfg was loaded from, read
 * again, with the seed and replications of s, spec.output.samples and the loader's defaults
 * written out, and the files it refers to copied into the same folder (manifests/, files/).
 * Returns as cs_report_write_summary. */
cs_status cs_report_write_scenario(const cs_config *cfg, const cs_run_summary *s, const char *path, cs_diag *diag);

/* Writes timeseries.csv (docs/results.md) to `path` from a summary with s->n_samples >= 2.
 * Returns as cs_report_write_summary. */
cs_status cs_report_write_timeseries(const cs_config *cfg, const cs_run_summary *s, const char *path,
                                     cs_diag *diag);

/* Writes replications.csv (docs/results.md) to `path` from a summary that kept its
 * replications (rep_metrics, rep_held). Returns as cs_report_write_summary. */
cs_status cs_report_write_replications(const cs_config *cfg, const cs_run_summary *s, const char *path,
                                       cs_diag *diag);

/* Prints a readable summary of the run to f: the scenario, a table of metrics, one PASS or
 * FAIL line per property and, when summary_path is not NULL, where summary.json and the files
 * beside it (scenario.yaml, timeseries.csv) went. */
void cs_report_print(FILE *f, const cs_config *cfg, const cs_run_summary *s, const char *summary_path);

/* Opens a JSON-lines trace at `path` (parent directories are created) and fills *sink with a
 * sink that writes one object per event: {"t":<seconds>,"type":"...",<fields in order>}.
 * Times are printed exactly from their nanoseconds. Lines go to a temporary file until
 * cs_trace_file_close(). Returns CS_OK, CS_EIO (diag says why) or CS_ENOMEM. */
cs_status cs_trace_file_open(const char *path, cs_trace_sink *sink, cs_diag *diag);
/* Flushes the trace and renames it into place; the sink is reset. Returns CS_OK, or CS_EIO
 * when any write failed (diag, which may be NULL, says why), and then nothing is left
 * behind. */
cs_status cs_trace_file_close(cs_trace_sink *sink, cs_diag *diag);
/* Drops an open trace (the run failed): removes its temporary file and resets the sink. */
void cs_trace_file_discard(cs_trace_sink *sink);

/* Writes t (nanoseconds) as exact decimal seconds, without trailing zeros: 1500000000 gives
 * "1.5", 1 gives "0.000000001", 0 gives "0". Returns buf; 24 bytes are always enough. */
char *cs_report_format_time(cs_time t, char *buf, size_t size);
/* Writes a duration the way scenarios spell them: "24h", "1h30m", "90m", "2.5s", "0s".
 * Returns buf; 48 bytes are always enough. */
char *cs_report_format_duration(cs_time d, char *buf, size_t size);

#endif
