/* dispatch.h -- a batch of replications handed out across MPI ranks on demand.
 *
 * With more than one rank the runner does not cut a batch into fixed shares: rank 0 holds
 * the batch's next unassigned replication and hands blocks out as ranks ask, so a rank that
 * drew quiet replications takes more of them and no rank idles until the batch is out. Every
 * other rank sends each result to rank 0 as soon as it is packed (cs_result_pack), and rank 0
 * unpacks it into the slot one process would have filled. The summary then walks those slots
 * in replication order, so which rank ran which replication never reaches a result's bytes.
 *
 * Each rank runs a communication thread beside its OpenMP threads; it alone calls MPI during
 * the batch (ranks.h), asleep between polls (50 µs doubling to 2 ms while nothing happens).
 * Rank 0's own threads take one replication at a time from the same counter the grants come
 * from; the first replication of every batch is always rank 0's, so replication 0 (the traced
 * one) runs where the trace is written.
 */
#ifndef CLUSTERSIM_DISPATCH_H
#define CLUSTERSIM_DISPATCH_H

#include "clustersim/common.h"
#include "clustersim/config.h"
#include "clustersim/result.h"

typedef struct cs_dispatch_hooks {
    /* Runs replication r into *res (cs_result_init'ed by the hook); on any thread. Returns
     * CS_OK, or a failure with *res released. */
    cs_status (*run)(void *ctx, uint32_t r, cs_rep_result *res);
    /* Rank 0 only: res[r] holds replication r's result. On any thread, r in any order, each
     * replication of the batch once. */
    void (*arrived)(void *ctx, uint32_t r);
    void *ctx;
} cs_dispatch_hooks;

/* Runs the batch [lo, hi) across every rank with `threads` OpenMP threads each; collective.
 * On rank 0 res[lo .. hi) end up filled, each announced through `arrived`, and ran[k] grows
 * by the replications rank k ran (one entry per rank); the other ranks touch neither res nor
 * ran. Returns CS_OK when every replication ran and arrived; otherwise the
 * first failure this rank saw (a failure anywhere stops the handing out; the caller agrees
 * on the outcome with cs_ranks_any). */
cs_status cs_dispatch_batch(const cs_config *cfg, uint32_t lo, uint32_t hi, int threads, cs_rep_result *res,
                            uint32_t *ran, const cs_dispatch_hooks *hooks);

#endif
