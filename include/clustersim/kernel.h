/* kernel.h -- the event kernel: a virtual clock and the set of future events.
 *
 * Models are handlers that react to events and schedule new ones. Events run in
 * (time, seq) order, seq counting schedule calls, so equal times resolve the same
 * way on every run. Nothing here knows of nodes, pods or YAML.
 *
 * The pending set is a ladder queue of 16-byte keys (time, seq, slot) that sizes its
 * buckets from the keys it holds; the slot holds the handler and the payload and carries
 * a generation, so an event id names one scheduling and cancellation is O(1): the stale
 * key is dropped when it surfaces. Scheduling appends a key to one bucket, and events run
 * from a short sorted run whose slots are loaded ahead of time: an event costs O(1)
 * amortised, with ties, bursts at one instant and far-future timers alike.
 *
 * Ownership: a kernel owns its queue and slot arrays (plain heap memory that doubles
 * when full). Event records and queue chunks recycle through free lists: once warm,
 * scheduling allocates nothing. A kernel belongs to one replication and one thread.
 */
#ifndef CLUSTERSIM_KERNEL_H
#define CLUSTERSIM_KERNEL_H

#include "clustersim/common.h"

typedef struct cs_kernel cs_kernel;   /* opaque */
typedef uint32_t cs_handler;          /* returned by cs_kernel_on() */
typedef uint64_t cs_event_id;         /* slot and generation; 0 is never valid */
typedef struct cs_payload {
    uint32_t a, b;
    int64_t x;
} cs_payload;                         /* ids, never pointers */
typedef void cs_handler_fn(cs_kernel *k, void *model, cs_payload p);
/* Called after every event, with the handler that ran. Observers only read. */
typedef void cs_observer_fn(void *ctx, cs_kernel *k, cs_handler h);

/* Returns a kernel at time 0 with room for `hint` pending events (0: a small default),
 * or NULL when out of memory. */
cs_kernel *cs_kernel_new(size_t hint);
/* Frees the kernel and its pending events. NULL is allowed. */
void cs_kernel_free(cs_kernel *k);

/* Registers a handler; `name` is borrowed (a string literal) and `model` is passed to
 * fn on every call. Returns the handle, or CS_HANDLER_NONE when out of memory. */
cs_handler cs_kernel_on(cs_kernel *k, const char *name, cs_handler_fn *fn, void *model);
#define CS_HANDLER_NONE UINT32_MAX
/* The name the handler was registered with. */
const char *cs_kernel_handler_name(const cs_kernel *k, cs_handler h);

/* Schedules h at absolute time t (t >= now, asserted). Returns an id for
 * cs_kernel_cancel(), or 0 when the pending set could not grow (then
 * cs_kernel_failed() is true and cs_kernel_run() stops). */
cs_event_id cs_kernel_at(cs_kernel *k, cs_time t, cs_handler h, cs_payload p);
/* Schedules h at now + dt (dt >= 0), or at CS_TIME_MAX when that sum would pass it: a delay
 * read from a scenario (a repair, a timeout, a grace period) may itself be up to CS_TIME_MAX,
 * and an event at CS_TIME_MAX never runs (cs_kernel_run's horizon is exclusive and at most
 * CS_TIME_MAX), as one past it would not. Same returns as cs_kernel_at(). */
cs_event_id cs_kernel_after(cs_kernel *k, cs_time dt, cs_handler h, cs_payload p);
/* Cancels a pending event. Returns false if it already ran or was cancelled. */
bool cs_kernel_cancel(cs_kernel *k, cs_event_id id);

/* Runs events in (time, seq) order while the next one is earlier than `until`, or until
 * cs_kernel_stop() or an allocation failure. When it stops for `until`, the clock is
 * set to `until`. Returns the number of events run. */
uint64_t cs_kernel_run(cs_kernel *k, cs_time until);
/* Makes cs_kernel_run() return after the event now running. */
void cs_kernel_stop(cs_kernel *k);

cs_time cs_kernel_now(const cs_kernel *k);
/* Events scheduled and not yet run or cancelled. */
size_t cs_kernel_pending(const cs_kernel *k);
/* True after a scheduling call failed for lack of memory. */
bool cs_kernel_failed(const cs_kernel *k);

/* Adds an observer called after every event; at most CS_KERNEL_MAX_OBSERVERS.
 * Returns false when full. `ctx` is borrowed. */
bool cs_kernel_observe(cs_kernel *k, cs_observer_fn *fn, void *ctx);
#define CS_KERNEL_MAX_OBSERVERS 8

/* Test hook: sets the next sequence number, so tests can cross the point where
 * sequence numbers are renumbered (every 2^32 schedules). */
void cs_kernel_set_seq_for_test(cs_kernel *k, uint32_t seq);

#endif
