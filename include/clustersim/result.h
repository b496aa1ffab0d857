/* result.h -- what one replication hands back: plain numbers, no pointers into its world.
 *
 * The metric list is a function of the config alone (cs_result_metric_count/name), so every
 * replication fills the same slots and the runner aggregates them by index, in replication
 * order. Properties are reported one entry per config property, in config order.
 */
#ifndef CLUSTERSIM_RESULT_H
#define CLUSTERSIM_RESULT_H

#include "clustersim/common.h"
#include "clustersim/config.h"
#include "clustersim/histogram.h"

typedef struct cs_prop_result {
    bool held;                  /* never violated during the run */
    double violation_s;         /* total virtual time in violation */
    uint32_t violations;        /* number of separate violation periods */
    double first_violation_s;   /* time of the first violation; -1 when none */
} cs_prop_result;

/* A field added here must also be added to cs_result_pack/unpack (models/result.c): MPI ranks
 * send results to rank 0 in that form, and tests/mpi.cmake compares the bytes. */
typedef struct cs_rep_result {
    double *metrics;            /* cs_result_metric_count(cfg) values */
    cs_prop_result *props;      /* cfg->n_properties entries */
    cs_hist_packed *latency;    /* 2 per workload, in workload order: scheduling, then ready
                                   (nanoseconds; see cs_result_latency_name) */
    size_t n_latency;
    double *series;             /* cfg->samples x cs_series_column_count(cfg), by grid point */
    uint64_t events;            /* kernel events run */
    size_t arena_bytes;         /* memory the replication's arena handed out */
} cs_rep_result;

/* Number of metrics a replication of cfg reports. */
size_t cs_result_metric_count(const cs_config *cfg);
/* Writes the name of metric i ("workload.web.ready_mean") into buf; returns buf. */
char *cs_result_metric_name(const cs_config *cfg, size_t i, char *buf, size_t size);
/* A one-line description with the unit, for --help and docs ("mean ready pods (time-weighted)"). */
const char *cs_result_metric_help(const cs_config *cfg, size_t i);
/* Latency histograms in a summary: cs_result_latency_count(cfg) of them, named by
 * cs_result_latency_name: first the whole cluster's "pods.scheduling_latency_s" and
 * "pods.time_to_ready_s" (every workload merged), then per workload
 * "workload.<name>.scheduling_latency_s" and "workload.<name>.time_to_ready_s". Entry 2 + i
 * of the summary is the merge of entry i of every replication's `latency`. */
size_t cs_result_latency_count(const cs_config *cfg);
char *cs_result_latency_name(const cs_config *cfg, size_t i, char *buf, size_t size);

/* True for the headline metrics that --precision waits for: each workload's ready_mean and
 * full_fraction (the property probabilities are headline too, see runner.h). */
bool cs_result_metric_headline(const cs_config *cfg, size_t i);
/* Allocates the arrays of a result for cfg (zeroed). Returns CS_ENOMEM on failure. */
cs_status cs_result_init(cs_rep_result *r, const cs_config *cfg);
/* Frees the arrays of a result (not the struct). */
void cs_result_fini(cs_rep_result *r);

/* The result as plain bytes, to send between processes of one job (same ABI on every rank).
 * wire_size gives the bytes of r's record (it varies with the histograms' non-empty
 * buckets); pack writes them to buf and returns how many. unpack allocates *r (as
 * cs_result_init), fills it from the record at buf (at most len bytes) and sets *used to the
 * record's size; it returns CS_OK, CS_ENOMEM, or CS_EINPUT for a record cut short or
 * malformed, leaving *r released on failure. */
size_t cs_result_wire_size(const cs_config *cfg, const cs_rep_result *r);
size_t cs_result_pack(const cs_config *cfg, const cs_rep_result *r, unsigned char *buf);
cs_status cs_result_unpack(const cs_config *cfg, const unsigned char *buf, size_t len, size_t *used,
                           cs_rep_result *r);

#endif
