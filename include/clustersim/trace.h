/* trace.h -- how models report state changes without knowing any output format.
 *
 * A model calls cs_trace_emit() with a type ("pod.bound") and a few typed fields; the sink
 * (sim/report.c writes JSON lines) decides what to do with them. With no sink the call is
 * one branch, so tracing costs nothing in replications that are not traced.
 *
 * With `explain` set, the scheduler also traces why it placed each pod: per attempt a
 * "pod.attempt" record, then for every node examined, in the order examined, a "pod.filter"
 * (the failing filter plugin and its reason) or one "pod.score" per enabled score plugin (its
 * normalised score and weight) and a "pod.total". docs/fidelity.md, "Explanations", lists the
 * fields. Without it the scheduler computes none of this.
 */
#ifndef CLUSTERSIM_TRACE_H
#define CLUSTERSIM_TRACE_H

#include "clustersim/common.h"

typedef enum cs_field_kind { CS_FIELD_STR, CS_FIELD_INT, CS_FIELD_REAL } cs_field_kind;

typedef struct cs_field {
    const char *key;
    cs_field_kind kind;
    const char *s;   /* CS_FIELD_STR; borrowed for the duration of the call */
    int64_t i;       /* CS_FIELD_INT */
    double r;        /* CS_FIELD_REAL */
} cs_field;

#define CS_STR(k, v) ((cs_field){.key = (k), .kind = CS_FIELD_STR, .s = (v)})
#define CS_INT(k, v) ((cs_field){.key = (k), .kind = CS_FIELD_INT, .i = (int64_t)(v)})
#define CS_REAL(k, v) ((cs_field){.key = (k), .kind = CS_FIELD_REAL, .r = (double)(v)})

/* A sink receives the virtual time, the event type and the fields, in the order given. */
typedef void cs_trace_fn(void *ctx, cs_time t, const char *type, const cs_field *fields, size_t n);

typedef struct cs_trace_sink {
    cs_trace_fn *fn;
    void *ctx;
    bool explain;   /* also trace each scheduling attempt's filters and scores */
} cs_trace_sink;

#endif
