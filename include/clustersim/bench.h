/* bench.h -- PHOLD on the project's own kernel (../shared/bench/PHOLD.md, level A*).
 *
 * Each LP is a model with its own xoshiro256++ stream, seeded LP-major from one SplitMix64
 * sequence, and every event is an ordinary kernel event: a handler call with a payload
 * naming the LP, scheduled through cs_kernel_at(). Delays are drawn in binary64 seconds
 * exactly as the spec says and rounded to the kernel's integer nanoseconds, which
 * reproduces the spec's reference counts and checksums (level A*).
 */
#ifndef CLUSTERSIM_BENCH_H
#define CLUSTERSIM_BENCH_H

#include "clustersim/common.h"

typedef struct cs_phold_params {
    uint32_t n_lp, per_lp;
    double mean, lookahead, p_remote;
    double t_end;             /* seconds */
    uint64_t seed;
} cs_phold_params;

typedef struct cs_phold_result {
    uint64_t events, checksum;
    double loop_s, setup_s;   /* wall time of the event loop, and of the set-up before it */
} cs_phold_result;

/* The spec's phold-1k defaults: 1024 LPs, 16 each, mean 1, lookahead 0.1, p_remote 1,
 * T_end 1000, seed 1. */
cs_phold_params cs_phold_defaults(void);
/* Runs PHOLD. Returns CS_ENOMEM when the kernel or the LPs cannot be allocated, CS_EINPUT
 * for parameters outside the spec's ranges. */
cs_status cs_phold_run(const cs_phold_params *prm, cs_phold_result *out);
/* Peak resident set of this process image in KiB (VmHWM), or -1 when unknown. */
long cs_peak_rss_kb(void);

#endif
