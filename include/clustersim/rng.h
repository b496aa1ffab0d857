/* rng.h -- random streams: one per (seed, replication, purpose).
 *
 * Replication r of a run with seed s draws only from streams derived from (s, r), so a
 * result never depends on the thread that ran it. Each purpose (scheduling, faults, traffic,
 * workload timings, disruptions, containers) has its own stream, so an extra draw for one
 * purpose cannot shift the draws of another: two policies compared on the same seed see the
 * same failures (common random numbers).
 *
 * The generator is xoshiro256++ (Blackman and Vigna), wrapped as a gsl_rng_type so all of
 * GSL's gsl_ran_* distributions apply. Unlike GSL's mt19937, which keeps only the low 32
 * bits of a seed, it is seeded from all 64 bits (through SplitMix64) and returns 64-bit
 * outputs (gsl_rng_max() is 2^64 - 1 on LP64).
 *
 * Counter-based draws. A stream drawn in sequence couples its users: one extra or one reordered
 * draw shifts every later one. So the draws a policy change must not shift (a node's failures
 * and upgrade times, a container's start-ups, crashes and shutdown) are not taken in sequence: each is a function of (seed, replication,
 * purpose, the object's key, the kind of draw, its count k for that object). cs_rng_draw()
 * reseeds a scratch generator (the purpose's own) to that point, and the distribution then draws
 * from it as from any stream; no generator is kept per object. Seeding costs a handful of SplitMix64
 * finalisers and steps (about 27 ns against 3 ns for a draw in sequence), plus the FNV-1a hash
 * of the object's name in cs_rng_key.
 *
 * gsl_rng_uniform_int(r, n) works with this range: GSL divides by scale = (max - min) / n,
 * which cannot overflow, and rejects draws >= n * scale, so each of 0 .. n-1 is exactly
 * equally likely for any n in [1, 2^64 - 1]. As for every GSL generator, n == 0 is an
 * error (with the handler off it returns 0).
 */
#ifndef CLUSTERSIM_RNG_H
#define CLUSTERSIM_RNG_H

#include <gsl/gsl_rng.h>

#include "clustersim/common.h"

enum cs_stream {
    CS_STREAM_SCHED,     /* scheduler tie-breaks */
    CS_STREAM_FAULTS,    /* node failures and repairs: counter-based, per node and per pool */
    CS_STREAM_TRAFFIC,   /* request arrivals and service times */
    CS_STREAM_WORKLOAD,  /* other workload timings: shutdown times (and the pod uids' salt) */
    CS_STREAM_DISRUPTION,   /* voluntary disruptions: node upgrade times */
    CS_STREAM_CONTAINER, /* containers: start-up times, times to crash, readiness outages
                            (counter-based, per pod), image pulls (per node and image) */
    CS_STREAM_COUNT
};

/* One step of xoshiro256++ 1.0 on a state of four words: returns the output. Inline, so the
 * PHOLD benchmark's per-LP streams and the GSL wrapper share one definition. */
static inline uint64_t cs_xoshiro256pp_next(uint64_t s[4])
{
    const uint64_t result = ((s[0] + s[3]) << 23 | (s[0] + s[3]) >> 41) + s[0];
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = s[3] << 45 | s[3] >> 19;
    return result;
}

/* The GSL generator type "xoshiro256++". */
extern const gsl_rng_type *cs_rng_xoshiro256pp;

/* SplitMix64's finaliser: a bijective mix of 64 bits. */
uint64_t cs_mix64(uint64_t x);
/* Advances a SplitMix64 state and returns its next output (the seeding sequence). */
uint64_t cs_splitmix64_next(uint64_t *state);
/* The 64-bit seed of stream s of replication r: mix64(mix64(mix64(seed) ^ r) ^ s). */
uint64_t cs_rng_seed(uint64_t seed, uint32_t r, enum cs_stream s);
/* Returns a new generator for stream s of replication r (free with gsl_rng_free), or NULL
 * when out of memory. */
gsl_rng *cs_rng_new(uint64_t seed, uint32_t r, enum cs_stream s);

/* A 64-bit key naming an object by its name and an index (a pool's name and the node's index
 * in it; a workload's name and the pod's creation index in it): mix64(mix64(FNV-1a 64 of name)
 * ^ index). Keys by name, not by position, so adding an object elsewhere leaves it alone. */
uint64_t cs_rng_key(const char *name, uint64_t index);
/* The seed of draw k of kind `kind` of object `key` in stream s of replication r:
 * mix64(mix64(mix64(cs_rng_seed(seed, r, s) ^ key) ^ kind) ^ k). */
uint64_t cs_rng_draw_seed(uint64_t seed, uint32_t r, enum cs_stream s, uint64_t key, uint32_t kind, uint64_t k);
/* Reseeds g with cs_rng_draw_seed(...) and returns it, for one draw of a distribution. */
gsl_rng *cs_rng_draw(gsl_rng *g, uint64_t seed, uint32_t r, enum cs_stream s, uint64_t key, uint32_t kind,
                     uint64_t k);

#endif
