/* explain.h -- why the scheduler placed one pod where it did, as a table for the terminal.
 *
 * cs_explain_run() runs replication 0 of a scenario with the scheduler's explain records on
 * (cs_trace_sink.explain, see trace.h), keeps the records of one scheduling attempt of one pod
 * and prints them: one row per node examined, with the failing filter and its reason or each
 * score plugin's normalised score times its weight and the total, the chosen node marked.
 * Nothing here changes what the simulation does: the records only describe it.
 */
#ifndef CLUSTERSIM_EXPLAIN_H
#define CLUSTERSIM_EXPLAIN_H

#include <stdio.h>

#include "clustersim/common.h"
#include "clustersim/config.h"

/* Which pod and attempt: the index-th pod created for a workload (0 is the first), at its first
 * scheduling attempt at or after virtual time `at`. */
typedef struct cs_explain_query {
    uint32_t workload;
    uint32_t index;
    cs_time at;
} cs_explain_query;

typedef enum cs_explain_outcome {
    CS_EXPLAIN_SHOWN,          /* the attempt was printed */
    CS_EXPLAIN_NOT_CREATED,    /* the run never created that pod */
    CS_EXPLAIN_NO_ATTEMPT      /* the pod had no scheduling attempt at or after `at` */
} cs_explain_outcome;

/* Resolves NAME: `<workload>` (its first pod) or `<workload>-<k>` (its k-th pod, from 0). A
 * workload's own name wins over the `-<k>` reading. Returns true and fills q->workload and
 * q->index, or false when NAME names no workload. */
bool cs_explain_parse_pod(const cs_config *cfg, const char *name, cs_explain_query *q);

/* Runs replication 0 of cfg with seed cfg->seed, prints the attempt q asks for to f under the
 * title `name`, and sets *outcome. Returns CS_OK (whatever the outcome) or CS_ENOMEM. `cfg`,
 * `q` and `name` are borrowed. */
cs_status cs_explain_run(const cs_config *cfg, const cs_explain_query *q, const char *name, FILE *f,
                         cs_explain_outcome *outcome);

#endif
