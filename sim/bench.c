/* bench.c -- PHOLD on the kernel (PHOLD.md): every event a real handler call. */
#include "clustersim/bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clustersim/arena.h"
#include "clustersim/kernel.h"
#include "clustersim/rng.h"

struct lp {
    uint64_t s[4];            /* xoshiro256++ state */
    uint64_t count;           /* committed events */
    uint64_t pad[3];          /* one LP, one cache line */
};

struct phold {
    struct lp *lps;
    uint32_t n;
    double mean, lookahead, p_remote;
    cs_handler on_event;
};

/* The spec's draws: a destination in [0, n), a coin in [0, 1), a delay from u in (0, 1]. */
static inline uint32_t draw_lp(uint64_t x, uint32_t n)
{
    return (uint32_t)(((x >> 32) * (uint64_t)n) >> 32);
}

static inline double draw_coin(uint64_t x)
{
    return (double)(x >> 11) * 0x1.0p-53;
}

/* Seconds to nanoseconds, rounded to nearest: the kernel's clock is integer (level A*). */
static inline cs_time delay_ns(const struct phold *ph, uint64_t x)
{
    double u = (double)((x >> 11) + 1) * 0x1.0p-53;
    double d = ph->lookahead + ph->mean * -log(u);
    return (cs_time)(d * 1e9 + 0.5);
}

static void phold_event(cs_kernel *k, void *model, cs_payload p)
{
    struct phold *ph = model;
    struct lp *lp = &ph->lps[p.a];
    lp->count++;
    uint32_t dest;
    if (ph->p_remote >= 1.0)
        dest = draw_lp(cs_xoshiro256pp_next(lp->s), ph->n);
    else if (draw_coin(cs_xoshiro256pp_next(lp->s)) < ph->p_remote)
        dest = draw_lp(cs_xoshiro256pp_next(lp->s), ph->n);
    else
        dest = p.a;
    cs_time d = delay_ns(ph, cs_xoshiro256pp_next(lp->s));
    cs_kernel_at(k, cs_kernel_now(k) + d, ph->on_event, (cs_payload){.a = dest});
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

cs_phold_params cs_phold_defaults(void)
{
    return (cs_phold_params){.n_lp = 1024, .per_lp = 16, .mean = 1.0, .lookahead = 0.1,
                             .p_remote = 1.0, .t_end = 1000.0, .seed = 1};
}

cs_status cs_phold_run(const cs_phold_params *prm, cs_phold_result *out)
{
    if (prm->n_lp == 0 || prm->per_lp == 0 || !(prm->lookahead > 0) || !(prm->mean >= 0) ||
        !(prm->p_remote >= 0 && prm->p_remote <= 1) || !(prm->t_end >= 0 && prm->t_end < 9.2e9) ||
        (uint64_t)prm->n_lp * prm->per_lp > UINT32_MAX / 4)
        return CS_EINPUT;
    double t0 = now_s();
    struct phold ph = {.n = prm->n_lp, .mean = prm->mean, .lookahead = prm->lookahead,
                       .p_remote = prm->p_remote};
    size_t pending = (size_t)prm->n_lp * prm->per_lp;
    cs_kernel *k = cs_kernel_new(pending);
    ph.lps = aligned_alloc(64, (size_t)prm->n_lp * sizeof *ph.lps);
    if (k == NULL || ph.lps == NULL) {
        cs_kernel_free(k);
        free(ph.lps);
        return CS_ENOMEM;
    }
    ph.on_event = cs_kernel_on(k, "phold.event", phold_event, &ph);
    uint64_t sm = prm->seed;
    for (uint32_t i = 0; i < prm->n_lp; i++) {
        for (int w = 0; w < 4; w++)
            ph.lps[i].s[w] = cs_splitmix64_next(&sm);
        ph.lps[i].count = 0;
    }
    cs_status st = CS_OK;
    for (uint32_t i = 0; i < prm->n_lp && st == CS_OK; i++)
        for (uint32_t j = 0; j < prm->per_lp; j++)
            if (cs_kernel_at(k, delay_ns(&ph, cs_xoshiro256pp_next(ph.lps[i].s)), ph.on_event, (cs_payload){.a = i}) == 0) {
                st = CS_ENOMEM;
                break;
            }
    double t1 = now_s();
    uint64_t events = 0;
    if (st == CS_OK) {
        events = cs_kernel_run(k, (cs_time)(prm->t_end * 1e9 + 0.5));
        if (cs_kernel_failed(k))
            st = CS_ENOMEM;
    }
    double t2 = now_s();
    uint64_t checksum = 0, total = 0;
    for (uint32_t i = 0; i < prm->n_lp; i++) {
        checksum += ph.lps[i].count * (2 * (uint64_t)i + 1);
        total += ph.lps[i].count;
    }
    CS_ASSERT(st != CS_OK || total == events);
    cs_kernel_free(k);
    free(ph.lps);
    if (st == CS_OK)
        *out = (cs_phold_result){.events = events, .checksum = checksum, .loop_s = t2 - t1,
                                 .setup_s = t1 - t0};
    return st;
}

long cs_peak_rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL)
        return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}
