/* rng.c -- xoshiro256++ 1.0 as a GSL generator type, and the seeds of the random streams.
 *
 * The generator is wrapped as a gsl_rng_type rather than called directly so that every
 * gsl_ran_* distribution draws from it. Its state is four 64-bit words, filled by four
 * successive SplitMix64 outputs, exactly as the PHOLD benchmark (bench/PHOLD.md, section 3)
 * seeds its streams: gsl_rng_set(r, 1) reproduces the stream of the benchmark's LP 0.
 *
 * GSL reads the whole 64-bit output: gsl_rng_get() returns it, gsl_rng_uniform() keeps its
 * top 53 bits, and gsl_rng_uniform_int() divides it by range / n with range = 2^64 - 1,
 * which neither overflows nor biases (see rng.h). gsl_ran_gaussian_ziggurat(), which
 * gsl_ran_gamma() calls, takes its table index from the low 32 bits; xoshiro256++ (unlike
 * xoshiro256+) has no weak low bits, so that is sound.
 */
#include "clustersim/rng.h"

#include <limits.h>

_Static_assert(ULONG_MAX == UINT64_MAX, "gsl_rng_get() must return the full 64-bit output");

typedef struct xoshiro_state {
    uint64_t s[4];
} xoshiro_state;

uint64_t cs_splitmix64_next(uint64_t *x)
{
    return cs_mix64(*x += 0x9e3779b97f4a7c15u);
}

uint64_t cs_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* The four words are the finaliser, a bijection, applied to four distinct counter values,
 * so at most one of them is zero: the all-zero state, which xoshiro cannot leave, is never
 * reached. */
static void xoshiro_set(void *vstate, unsigned long seed)
{
    xoshiro_state *st = vstate;
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        st->s[i] = cs_splitmix64_next(&x);
}

static unsigned long xoshiro_get(void *vstate)
{
    xoshiro_state *st = vstate;
    return cs_xoshiro256pp_next(st->s);
}

/* The top 53 bits, scaled to [0, 1): every value is a multiple of 2^-53, and 1 is never
 * reached. */
static double xoshiro_get_double(void *vstate)
{
    return (double)(xoshiro_get(vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro256pp_type = {
    .name = "xoshiro256++",
    .max = UINT64_MAX,
    .min = 0,
    .size = sizeof(xoshiro_state),
    .set = xoshiro_set,
    .get = xoshiro_get,
    .get_double = xoshiro_get_double,
};

const gsl_rng_type *cs_rng_xoshiro256pp = &xoshiro256pp_type;

uint64_t cs_rng_seed(uint64_t seed, uint32_t r, enum cs_stream s)
{
    return cs_mix64(cs_mix64(cs_mix64(seed) ^ r) ^ (uint64_t)s);
}

gsl_rng *cs_rng_new(uint64_t seed, uint32_t r, enum cs_stream s)
{
    /* gsl_rng_alloc() reports a failed malloc through the GSL error handler, which main
     * turns off, and then returns NULL. */
    gsl_rng *g = gsl_rng_alloc(cs_rng_xoshiro256pp);
    if (g == NULL)
        return NULL;
    gsl_rng_set(g, cs_rng_seed(seed, r, s));
    return g;
}

uint64_t cs_rng_key(const char *name, uint64_t index)
{
    uint64_t h = 0xcbf29ce484222325u;   /* FNV-1a 64: offset basis, then xor and multiply per byte */
    for (const unsigned char *c = (const unsigned char *)name; *c != '\0'; c++)
        h = (h ^ *c) * 0x100000001b3u;
    return cs_mix64(cs_mix64(h) ^ index);
}

uint64_t cs_rng_draw_seed(uint64_t seed, uint32_t r, enum cs_stream s, uint64_t key, uint32_t kind, uint64_t k)
{
    return cs_mix64(cs_mix64(cs_mix64(cs_rng_seed(seed, r, s) ^ key) ^ kind) ^ k);
}

gsl_rng *cs_rng_draw(gsl_rng *g, uint64_t seed, uint32_t r, enum cs_stream s, uint64_t key, uint32_t kind,
                     uint64_t k)
{
    gsl_rng_set(g, cs_rng_draw_seed(seed, r, s, key, kind, k));
    return g;
}
