/* dispatch.c -- a batch of replications handed out across MPI ranks on demand (dispatch.h).
 *
 * The protocol, point-to-point on MPI_COMM_WORLD with three tags:
 *   REQUEST  rank k -> 0  u32: k's thread count. At most one is outstanding per rank.
 *   GRANT    0 -> rank k  u32[2]: the block [a, b) k runs next; a == b: nothing is left.
 *   RESULTS  rank k -> 0  u32 n, u32 skipped, n heads (u32 r, u32 0, u64 bytes), then the n
 *                         packed results end to end. `skipped` counts granted replications k
 *                         did not run because something failed there.
 * Rank 0 counts, per rank, the replications granted and not yet returned. Its batch is over
 * once every rank has got an empty grant (or reported a failure, after which it asks for
 * nothing more) and returned everything; rank k's is over once it has got an empty grant (or
 * failed), has run or skipped what it held, and its sends are done. A failure anywhere
 * makes rank 0 grant nothing more, so every rank drains and stops.
 *
 * Grants are guided: the replications left over twice the threads of all ranks, at least the
 * asker's threads, at most 256 replications or 32 MiB of results. Early blocks are large and
 * cost few messages; the small last ones even out the ends. A rank asks for its next block
 * while it still holds half a block, so it does not wait for grants while work is left.
 *
 * Each OpenMP thread packs its own results; the communication thread only copies them into
 * messages, so the cost of sending is spread like the replications. On rank 0 the
 * communication thread unpacks what arrives straight into res[].
 */
#include "clustersim/dispatch.h"

#include <omp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clustersim/arena.h"
#include "clustersim/ranks.h"
#include "clustersim/series.h"

enum { TAG_REQUEST = 7301, TAG_GRANT, TAG_RESULTS };
enum { MAX_BLOCK = 256, QUEUE = 4, SENDS = 16, FLUSH_RESULTS = 32 };
#define BLOCK_BYTES ((size_t)32 << 20)
#define FLUSH_BYTES ((size_t)4 << 20)
#define MESSAGE_BYTES ((size_t)64 << 20)
#define NAP_MIN_NS 50000L
#define NAP_MAX_NS 2000000L

typedef struct entry_head {   /* a result's head on the wire */
    uint32_t r, zero;
    uint64_t bytes;
} entry_head;

typedef struct packed {       /* a result packed by the thread that ran it */
    uint32_t r;
    size_t bytes;
    unsigned char *buf;
} packed;

typedef struct outbox {
    packed *at;
    size_t n, cap;
    size_t bytes;             /* of the packed results */
} outbox;

typedef struct peer {         /* what rank 0 knows of rank k */
    uint32_t threads;         /* from its last request */
    uint64_t open;            /* replications granted and not yet returned */
    bool done;                /* got an empty grant, or failed: it asks for nothing more */
    uint32_t grant[2];        /* the last grant: the buffer of its send */
    cs_ranks_req send;
    bool sending;
} peer;

typedef struct dispatch {
    const cs_config *cfg;
    const cs_dispatch_hooks *hooks;
    cs_rep_result *res;
    uint32_t *ran;            /* rank 0: replications run per rank */
    uint32_t lo, hi;
    int threads, me, n_ranks;

    pthread_mutex_t mu;       /* guards everything below */
    pthread_cond_t cv;        /* rank k: work has come, or the end; both: the thread may go */
    cs_status failed;         /* the first failure seen on this rank */
    int go;                   /* the communication thread: 0 wait, 1 run, -1 leave at once */

    /* rank 0 */
    uint32_t next;            /* the first replication not handed out */
    bool first_taken;         /* lo, kept for rank 0's own threads, has been taken */
    uint32_t max_block;
    uint64_t threads_total;   /* of every rank, as last told */
    peer *peers;              /* per rank; [0] unused */
    int32_t *owner;           /* per replication of the batch: the rank granted it (0: rank 0's
                                 own), -1 once its result arrived (comm thread only) */

    /* rank k > 0 */
    uint32_t queue[QUEUE][2]; /* blocks granted, the first one partly taken */
    int n_queue;
    uint64_t unstarted;       /* replications in the queue */
    uint32_t running;         /* replications taken and not yet in the outbox */
    bool no_more;             /* nothing more will be granted (or asked for) */
    outbox out;               /* packed results for the communication thread */
    uint32_t skipped;         /* granted replications not run, not yet reported */
} dispatch;

static void set_failed(dispatch *d, cs_status st)
{
    if (d->failed == CS_OK)
        d->failed = st;
}

/* Sleeps for *ns, doubling it up to the cap; after some activity (busy) starts it over. */
static void nap(long *ns, bool busy)
{
    if (busy) {
        *ns = NAP_MIN_NS;
        return;
    }
    struct timespec t = {.tv_nsec = *ns};
    nanosleep(&t, NULL);
    *ns = 2 * *ns < NAP_MAX_NS ? 2 * *ns : NAP_MAX_NS;
}

static void wait_done(cs_ranks_req *s)
{
    long ns = NAP_MIN_NS;
    while (!cs_ranks_done(s))
        nap(&ns, false);
}

/* ---- rank 0 ------------------------------------------------------------------------------ */

/* Rank 0's own threads: one replication at a time, lo first. */
static void root_work(dispatch *d)
{
    for (;;) {
        uint32_t r = 0;
        bool got = false;
        pthread_mutex_lock(&d->mu);
        if (d->failed == CS_OK && !d->first_taken) {
            d->first_taken = true;
            r = d->lo, got = true;
        } else if (d->failed == CS_OK && d->next < d->hi) {
            r = d->next++, got = true;
        }
        d->ran[0] += got;
        pthread_mutex_unlock(&d->mu);
        if (!got)
            return;
        cs_status st = d->hooks->run(d->hooks->ctx, r, &d->res[r]);
        if (st == CS_OK) {
            d->hooks->arrived(d->hooks->ctx, r);
        } else {
            pthread_mutex_lock(&d->mu);
            set_failed(d, st);
            pthread_mutex_unlock(&d->mu);
        }
    }
}

static void on_request(dispatch *d, int k, uint32_t threads)
{
    peer *p = &d->peers[k];
    if (p->sending)
        wait_done(&p->send);   /* done already: k had our last grant before it asked again */
    if (threads < 1)
        threads = 1;
    pthread_mutex_lock(&d->mu);
    d->threads_total = d->threads_total - p->threads + threads;
    p->threads = threads;
    uint64_t g = 0, left = d->hi - d->next;
    if (d->failed == CS_OK && left > 0) {
        g = left / (2 * d->threads_total);
        g = g < threads ? threads : g;
        g = g < d->max_block ? g : d->max_block;
        g = g < left ? g : left;
    }
    p->grant[0] = d->next;
    p->grant[1] = d->next + (uint32_t)g;
    d->next += (uint32_t)g;
    pthread_mutex_unlock(&d->mu);
    for (uint32_t r = p->grant[0]; r < p->grant[1]; r++)
        d->owner[r - d->lo] = k;
    p->open += g;
    p->done = p->done || g == 0;
    if (cs_ranks_isend(k, TAG_GRANT, p->grant, sizeof p->grant, &p->send) != CS_OK)
        cs_ranks_abort(3);
    p->sending = true;
}

/* Unpacks a RESULTS message from rank k into res[] and announces each result. */
static void on_results(dispatch *d, int k, const unsigned char *buf, size_t size)
{
    peer *p = &d->peers[k];
    uint32_t head[2];
    if (size < sizeof head) {
        fprintf(stderr, "clustersim: error: rank %d sent a results message of %zu bytes\n", k, size);
        cs_ranks_abort(3);
    }
    memcpy(head, buf, sizeof head);
    uint32_t n = head[0], skipped = head[1];
    if ((uint64_t)n + skipped > p->open) {
        fprintf(stderr, "clustersim: error: rank %d returned replications it was not given\n", k);
        cs_ranks_abort(3);
    }
    cs_status st = CS_OK;
    size_t at = sizeof head, data = at + (size_t)n * sizeof(entry_head);
    if (n > (size - at) / sizeof(entry_head))
        st = CS_EIO;   /* a message that does not parse: the ranks do not run the same build */
    for (uint32_t i = 0; st == CS_OK && i < n; i++, at += sizeof(entry_head)) {
        entry_head e;
        memcpy(&e, buf + at, sizeof e);
        size_t used = 0;
        if (e.r < d->lo || e.r >= d->hi || d->owner[e.r - d->lo] != k || e.bytes > size - data) {
            st = CS_EIO;   /* not granted to k, or arrived already */
            break;
        }
        d->owner[e.r - d->lo] = -1;
        st = cs_result_unpack(d->cfg, buf + data, (size_t)e.bytes, &used, &d->res[e.r]);
        if (st == CS_OK && used != e.bytes) {
            cs_result_fini(&d->res[e.r]);
            st = CS_EIO;
        }
        if (st == CS_OK)
            d->hooks->arrived(d->hooks->ctx, e.r);
        data += (size_t)e.bytes;
    }
    if (st == CS_EINPUT)
        st = CS_EIO;
    p->open -= (uint64_t)n + skipped;
    d->ran[k] += n;
    if (skipped > 0)
        p->done = true;   /* a rank that failed asks for nothing more */
    if (skipped > 0 && st == CS_OK)
        st = CS_ENOMEM;
    if (st != CS_OK) {
        pthread_mutex_lock(&d->mu);
        set_failed(d, st);
        pthread_mutex_unlock(&d->mu);
    }
}

static bool root_over(const dispatch *d)
{
    for (int k = 1; k < d->n_ranks; k++)
        if (!d->peers[k].done || d->peers[k].open > 0)
            return false;
    return true;
}

/* A message being received, with the buffer it goes to. */
typedef struct incoming {
    cs_ranks_msg m;
    cs_ranks_req req;
    unsigned char *buf;
} incoming;

/* Starts receiving the message m into a buffer of its own; aborts the job when there is no
 * memory for it, as its sender would wait for it forever. */
static void receive(cs_ranks_msg *m, incoming *in)
{
    *in = (incoming){.m = *m, .buf = malloc(m->size > 0 ? m->size : 1)};
    if (in->buf == NULL) {
        fprintf(stderr, "clustersim: error: out of memory receiving %zu bytes from rank %d\n", m->size, m->from);
        cs_ranks_abort(3);
    }
    if (cs_ranks_irecv(&in->m, in->buf, &in->req) != CS_OK)
        cs_ranks_abort(3);
}

static void on_message(dispatch *d, const incoming *in)
{
    const cs_ranks_msg *m = &in->m;
    if (m->from < 1 || m->from >= d->n_ranks) {
        cs_ranks_abort(3);
    } else if (m->tag == TAG_REQUEST && m->size == sizeof(uint32_t)) {
        uint32_t threads;
        memcpy(&threads, in->buf, sizeof threads);
        on_request(d, m->from, threads);
    } else if (m->tag == TAG_RESULTS) {
        on_results(d, m->from, in->buf, m->size);
    } else {
        fprintf(stderr, "clustersim: error: rank %d sent an unknown message (tag %d)\n", m->from, m->tag);
        cs_ranks_abort(3);
    }
}

/* Receives while a sender moves its data along, and takes the messages up in the order they
 * were matched: a rank's request then comes before its later results. */
static void root_comm(dispatch *d)
{
    incoming *in = NULL;
    size_t n_in = 0, cap_in = 0;
    long ns = NAP_MIN_NS;
    while (!root_over(d) || n_in > 0) {
        bool busy = false;
        cs_ranks_msg m;
        while (cs_ranks_probe(-1, -1, &m)) {
            if (n_in == cap_in) {
                cap_in = cap_in > 0 ? 2 * cap_in : 16;
                in = realloc(in, cap_in * sizeof *in);
                if (in == NULL) {
                    fprintf(stderr, "clustersim: error: out of memory receiving from rank %d\n", m.from);
                    cs_ranks_abort(3);
                }
            }
            receive(&m, &in[n_in++]);
            busy = true;
        }
        size_t done = 0;
        while (done < n_in && cs_ranks_done(&in[done].req)) {
            on_message(d, &in[done]);
            free(in[done].buf);
            done++;
        }
        if (done > 0) {
            memmove(in, in + done, (n_in - done) * sizeof *in);
            n_in -= done;
            busy = true;
        }
        nap(&ns, busy);
    }
    free(in);
    for (int k = 1; k < d->n_ranks; k++)
        if (d->peers[k].sending)
            wait_done(&d->peers[k].send);
}

/* ---- rank k > 0 -------------------------------------------------------------------------- */

/* Takes the next replication from the queue; called with the lock held and unstarted > 0. */
static uint32_t take(dispatch *d)
{
    uint32_t r = d->queue[0][0]++;
    if (d->queue[0][0] == d->queue[0][1]) {
        memmove(d->queue[0], d->queue[1], (size_t)(d->n_queue - 1) * sizeof d->queue[0]);
        d->n_queue--;
    }
    d->unstarted--;
    return r;
}

static bool push_out(outbox *o, packed p)
{
    if (o->n == o->cap) {
        size_t cap = o->cap > 0 ? 2 * o->cap : 64;
        packed *at = realloc(o->at, cap * sizeof *at);
        if (at == NULL)
            return false;
        o->at = at, o->cap = cap;
    }
    o->at[o->n++] = p;
    o->bytes += p.bytes;
    return true;
}

static void peer_work(dispatch *d)
{
    for (;;) {
        pthread_mutex_lock(&d->mu);
        while (d->unstarted == 0 && !d->no_more)
            pthread_cond_wait(&d->cv, &d->mu);
        if (d->unstarted == 0) {
            pthread_mutex_unlock(&d->mu);
            return;
        }
        packed p = {.r = take(d)};
        d->running++;
        bool skip = d->failed != CS_OK;
        pthread_mutex_unlock(&d->mu);

        cs_status st = CS_OK;
        if (!skip) {
            cs_rep_result res;
            st = d->hooks->run(d->hooks->ctx, p.r, &res);
            if (st == CS_OK) {
                p.bytes = cs_result_wire_size(d->cfg, &res);
                p.buf = cs_xmalloc(p.bytes > 0 ? p.bytes : 1);
                if (p.buf != NULL)
                    cs_result_pack(d->cfg, &res, p.buf);
                else
                    st = CS_ENOMEM;
                cs_result_fini(&res);
            }
        }
        pthread_mutex_lock(&d->mu);
        if (st != CS_OK)
            set_failed(d, st);
        if (p.buf != NULL && !push_out(&d->out, p)) {
            free(p.buf);
            p.buf = NULL;
            set_failed(d, CS_ENOMEM);
        }
        if (p.buf == NULL)
            d->skipped++;
        d->running--;
        pthread_mutex_unlock(&d->mu);
    }
}

typedef struct sends {        /* the communication thread's messages in flight */
    cs_ranks_req s[SENDS];
    unsigned char *buf[SENDS];
    int n;
} sends;

/* Forgets the sends that are done; true when any was. */
static bool reap(sends *q)
{
    bool any = false;
    for (int i = 0; i < q->n;) {
        if (cs_ranks_done(&q->s[i])) {
            free(q->buf[i]);
            q->s[i] = q->s[--q->n];
            q->buf[i] = q->buf[q->n];
            any = true;
        } else {
            i++;
        }
    }
    return any;
}

/* Sends the packed results o->at[from .. to) and `skipped` as one RESULTS message, and frees
 * their packed copies. When the message cannot be allocated they are reported as skipped. */
static void send_results(dispatch *d, sends *q, const outbox *o, size_t from, size_t to, uint32_t skipped)
{
    size_t size = 2 * sizeof(uint32_t) + (to - from) * sizeof(entry_head);
    for (size_t i = from; i < to; i++)
        size += o->at[i].bytes;
    long ns = NAP_MIN_NS;
    while (q->n == SENDS && !reap(q))
        nap(&ns, false);
    unsigned char *buf = malloc(size);
    if (buf == NULL) {
        skipped += (uint32_t)(to - from);
        pthread_mutex_lock(&d->mu);
        set_failed(d, CS_ENOMEM);
        pthread_mutex_unlock(&d->mu);
        from = to;
        size = 2 * sizeof(uint32_t);
        buf = malloc(size);
        if (buf == NULL) {
            fprintf(stderr, "clustersim: error: out of memory for a message to rank 0\n");
            cs_ranks_abort(3);
        }
    }
    uint32_t head[2] = {(uint32_t)(to - from), skipped};
    memcpy(buf, head, sizeof head);
    size_t at = sizeof head, data = at + (to - from) * sizeof(entry_head);
    for (size_t i = from; i < to; i++, at += sizeof(entry_head)) {
        entry_head e = {.r = o->at[i].r, .bytes = o->at[i].bytes};
        memcpy(buf + at, &e, sizeof e);
        memcpy(buf + data, o->at[i].buf, o->at[i].bytes);
        data += o->at[i].bytes;
    }
    if (cs_ranks_isend(0, TAG_RESULTS, buf, size, &q->s[q->n]) != CS_OK)
        cs_ranks_abort(3);
    q->buf[q->n++] = buf;
}

/* Sends everything in o (and `skipped`) in messages of at most MESSAGE_BYTES each (a larger
 * result goes alone), then empties o. */
static void flush(dispatch *d, sends *q, outbox *o, uint32_t skipped)
{
    size_t from = 0, bytes = 0;
    for (size_t i = 0; i < o->n; i++) {
        if (i > from && bytes + o->at[i].bytes > MESSAGE_BYTES) {
            send_results(d, q, o, from, i, 0);
            from = i, bytes = 0;
        }
        bytes += o->at[i].bytes;
    }
    if (o->n > from || skipped > 0)
        send_results(d, q, o, from, o->n, skipped);
    for (size_t i = 0; i < o->n; i++)
        free(o->at[i].buf);
    o->n = 0;
    o->bytes = 0;
}

static void peer_comm(dispatch *d)
{
    sends q = {.n = 0};
    outbox mine = {0};
    bool asked = false;
    uint32_t ask = (uint32_t)d->threads, last = 0;
    cs_ranks_req ask_send;
    long ns = NAP_MIN_NS;
    for (;;) {
        bool busy = reap(&q);
        cs_ranks_msg m;
        if (asked && cs_ranks_probe(0, TAG_GRANT, &m)) {
            incoming in;
            receive(&m, &in);
            wait_done(&in.req);
            uint32_t g[2] = {0, 0};
            if (m.size == sizeof g)
                memcpy(g, in.buf, sizeof g);
            free(in.buf);
            wait_done(&ask_send);   /* answered, so done */
            if (m.size != sizeof g || g[0] > g[1] || g[0] < d->lo || g[1] > d->hi) {
                /* Rank 0 would wait for what it thinks it granted: end the job, as it would. */
                fprintf(stderr, "clustersim: error: rank %d got a grant it cannot take (the ranks do not run the "
                                "same build?)\n", d->me);
                cs_ranks_abort(3);
            }
            pthread_mutex_lock(&d->mu);
            if (g[0] < g[1]) {
                CS_ASSERT(d->n_queue < QUEUE);
                d->queue[d->n_queue][0] = g[0];
                d->queue[d->n_queue][1] = g[1];
                d->n_queue++;
                d->unstarted += g[1] - g[0];
            } else {
                d->no_more = true;
            }
            pthread_cond_broadcast(&d->cv);
            pthread_mutex_unlock(&d->mu);
            asked = false;
            last = g[1] - g[0];
            busy = true;
        }

        pthread_mutex_lock(&d->mu);
        /* Results go in messages of some size, to keep the messages (and the wake-ups that
         * move them) few; whatever is there goes once this rank has nothing running. */
        bool idle = d->unstarted == 0 && d->running == 0;
        if (d->out.n >= FLUSH_RESULTS || d->out.bytes >= FLUSH_BYTES || idle || d->skipped > 0) {
            outbox t = d->out;
            d->out = mine;
            mine = t;
        }
        uint32_t skipped = d->skipped;
        d->skipped = 0;
        if (d->failed != CS_OK && !asked && !d->no_more) {
            d->no_more = true;   /* a failed rank asks for nothing more */
            pthread_cond_broadcast(&d->cv);
        }
        bool want = !asked && !d->no_more && d->n_queue < QUEUE &&
                    d->unstarted <= (uint64_t)d->threads + last / 2;
        bool over = d->no_more && !asked && d->unstarted == 0 && d->running == 0;
        pthread_mutex_unlock(&d->mu);

        if (mine.n > 0 || skipped > 0) {
            flush(d, &q, &mine, skipped);
            busy = true;
        }
        if (want) {
            /* The flush may have failed and reported skipped replications: a rank that failed
             * asks for nothing more, or rank 0, done with it, would never answer. */
            pthread_mutex_lock(&d->mu);
            want = d->failed == CS_OK;
            if (!want) {
                d->no_more = true;
                pthread_cond_broadcast(&d->cv);
            }
            pthread_mutex_unlock(&d->mu);
        }
        if (want) {
            if (cs_ranks_isend(0, TAG_REQUEST, &ask, sizeof ask, &ask_send) != CS_OK)
                cs_ranks_abort(3);
            asked = true;
            busy = true;
        }
        if (over) {
            /* Nothing can reach the outbox any more, and what was there has been sent. */
            while (q.n > 0)
                if (!reap(&q))
                    nap(&ns, false);
            break;
        }
        nap(&ns, busy);
    }
    free(mine.at);
}

/* ---- both -------------------------------------------------------------------------------- */

static void *comm_main(void *arg)
{
    dispatch *d = arg;
    pthread_mutex_lock(&d->mu);
    while (d->go == 0)
        pthread_cond_wait(&d->cv, &d->mu);
    int go = d->go;
    pthread_mutex_unlock(&d->mu);
    if (go > 0) {
        if (d->me == 0)
            root_comm(d);
        else
            peer_comm(d);
    }
    return NULL;
}

cs_status cs_dispatch_batch(const cs_config *cfg, uint32_t lo, uint32_t hi, int threads, cs_rep_result *res,
                            uint32_t *ran, const cs_dispatch_hooks *hooks)
{
    CS_ASSERT(lo < hi && threads > 0);
    dispatch d = {.cfg = cfg, .hooks = hooks, .res = res, .ran = ran, .lo = lo, .hi = hi, .threads = threads,
                  .me = cs_ranks_rank(), .n_ranks = cs_ranks_size(), .next = lo + 1};
    bool ok = true;
    if (d.me == 0) {
        size_t per = (size_t)cfg->samples * cs_series_column_count(cfg) * sizeof(double) + 4096;
        size_t fit = BLOCK_BYTES / per;
        d.max_block = fit < 1 ? 1 : fit > MAX_BLOCK ? MAX_BLOCK : (uint32_t)fit;
        d.threads_total = (uint64_t)threads + (uint64_t)(d.n_ranks - 1);
        d.peers = calloc((size_t)d.n_ranks, sizeof *d.peers);
        d.owner = calloc(hi - lo, sizeof *d.owner);
        for (int k = 1; d.peers != NULL && k < d.n_ranks; k++)
            d.peers[k].threads = 1;
        ok = d.peers != NULL && d.owner != NULL;
    }
    bool locks = pthread_mutex_init(&d.mu, NULL) == 0;
    bool cond = locks && pthread_cond_init(&d.cv, NULL) == 0;
    pthread_t comm;
    bool thread = cond && pthread_create(&comm, NULL, comm_main, &d) == 0;
    ok = ok && thread;

    /* Every rank starts, or none: a rank without its communication thread would leave the
     * others waiting for its messages. The thread waits for the word before it calls MPI, so
     * the collective stays the only MPI call in flight. */
    bool all = !cs_ranks_any(!ok);
    if (thread) {
        pthread_mutex_lock(&d.mu);
        d.go = all ? 1 : -1;
        pthread_cond_broadcast(&d.cv);
        pthread_mutex_unlock(&d.mu);
    }
    if (all) {
#pragma omp parallel num_threads(threads)
        {
            if (d.me == 0)
                root_work(&d);
            else
                peer_work(&d);
        }
    }
    if (thread)
        pthread_join(comm, NULL);
    cs_status st = all ? d.failed : CS_ENOMEM;
    if (cond)
        pthread_cond_destroy(&d.cv);
    if (locks)
        pthread_mutex_destroy(&d.mu);
    free(d.peers);
    free(d.owner);
    free(d.out.at);
    return st;
}
