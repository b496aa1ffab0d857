/* ranks.c -- one process, or the ranks of an MPI job (see ranks.h).
 *
 * Built with CS_HAVE_MPI when CMake found MPI and CS_MPI is on. Results travel as plain
 * point-to-point messages (dispatch.c), each tagged with its replications, so what rank 0
 * holds does not depend on the order they arrive in. Nothing here reads a clock or a host
 * name, and no reduction is done on doubles, so MPI cannot change a result's bytes.
 */
#include "clustersim/ranks.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef CS_HAVE_MPI
#include <mpi.h>

static bool started;   /* MPI_Init_thread ran and MPI_Finalize has not */
static int my_rank, n_ranks = 1;

/* The environment Open MPI's mpirun (OMPI_*, PMIX_*) or MPICH's hydra (PMI_*) give a rank. */
static bool launched_by_mpirun(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") != NULL || getenv("PMIX_RANK") != NULL ||
           getenv("PMI_RANK") != NULL;
}

/* Open MPI on one host, with no PML chosen by the user: ob1 over shared memory. Left to
 * itself Open MPI first tries UCX (pml ucx) whenever it is installed; on Debian 12's packages
 * the try fails and falls back to ob1 anyway, after 0.2 s of every job's start spent looking
 * at the network, which ranks of one host do not use. A job spread over hosts, or an
 * OMPI_MCA_pml the user set, is left as it is. */
static void prefer_shared_memory(void)
{
    const char *size = getenv("OMPI_COMM_WORLD_SIZE"), *local = getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
    if (size != NULL && local != NULL && strcmp(size, local) == 0 && getenv("OMPI_MCA_pml") == NULL)
        setenv("OMPI_MCA_pml", "ob1", 0);
}

cs_status cs_ranks_init(int *argc, char ***argv)
{
    if (started || !launched_by_mpirun())
        return CS_OK;
    prefer_shared_memory();
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS)
        return CS_EIO;
    started = true;
    if (provided < MPI_THREAD_SERIALIZED) {
        cs_ranks_fini();
        return CS_EIO;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &my_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &n_ranks);
    return CS_OK;
}

void cs_ranks_fini(void)
{
    if (started)
        MPI_Finalize();
    started = false;
    my_rank = 0;
    n_ranks = 1;
}

int cs_ranks_rank(void) { return my_rank; }
int cs_ranks_size(void) { return n_ranks; }
bool cs_ranks_built(void) { return true; }

/* Waits for a non-blocking collective by testing it, asleep in between: Open MPI's blocking
 * collectives spin on a core while they wait, and the ranks wait while rank 0 summarises or
 * finishes a larger share; asleep, they leave their cores to rank 0's threads. The naps grow
 * from 50 µs to 2 ms, so a long wait costs some 500 wake-ups a second, and a collective is
 * late by at most one nap, nothing next to a batch. */
static void wait_politely(MPI_Request *req)
{
    long nap_ns = 50000;
    for (;;) {
        int done = 0;
        MPI_Test(req, &done, MPI_STATUS_IGNORE);
        if (done)
            return;
        struct timespec nap = {.tv_nsec = nap_ns};
        nanosleep(&nap, NULL);
        nap_ns = 2 * nap_ns < 2000000 ? 2 * nap_ns : 2000000;
    }
}

bool cs_ranks_any(bool flag)
{
    if (!started)
        return flag;
    int in = flag, out = 0;
    MPI_Request req;
    MPI_Iallreduce(&in, &out, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD, &req);
    wait_politely(&req);
    return out != 0;
}

uint32_t cs_ranks_bcast_u32(uint32_t v)
{
    if (started) {
        MPI_Request req;
        MPI_Ibcast(&v, 1, MPI_UINT32_T, 0, MPI_COMM_WORLD, &req);
        wait_politely(&req);
    }
    return v;
}

_Static_assert(sizeof(MPI_Request) <= sizeof(uint64_t), "an MPI_Request fits cs_ranks_req");
_Static_assert(sizeof(MPI_Message) <= sizeof(uint64_t), "an MPI_Message fits cs_ranks_msg");

cs_status cs_ranks_isend(int dest, int tag, const void *buf, size_t n, cs_ranks_req *req)
{
    CS_ASSERT(n <= INT_MAX);
    MPI_Request r;
    if (MPI_Isend(buf, (int)n, MPI_BYTE, dest, tag, MPI_COMM_WORLD, &r) != MPI_SUCCESS)
        return CS_EIO;
    memcpy(&req->impl, &r, sizeof r);
    return CS_OK;
}

bool cs_ranks_probe(int source, int tag, cs_ranks_msg *m)
{
    int found = 0, count = 0;
    MPI_Message msg;
    MPI_Status status;
    MPI_Improbe(source < 0 ? MPI_ANY_SOURCE : source, tag < 0 ? MPI_ANY_TAG : tag, MPI_COMM_WORLD, &found, &msg,
                &status);
    if (!found)
        return false;
    MPI_Get_count(&status, MPI_BYTE, &count);
    *m = (cs_ranks_msg){.from = status.MPI_SOURCE, .tag = status.MPI_TAG, .size = (size_t)count};
    memcpy(&m->impl, &msg, sizeof msg);
    return true;
}

cs_status cs_ranks_irecv(cs_ranks_msg *m, void *buf, cs_ranks_req *req)
{
    MPI_Message msg;
    MPI_Request r;
    memcpy(&msg, &m->impl, sizeof msg);
    if (MPI_Imrecv(buf, (int)m->size, MPI_BYTE, &msg, &r) != MPI_SUCCESS)
        return CS_EIO;
    memcpy(&req->impl, &r, sizeof r);
    return CS_OK;
}

bool cs_ranks_done(cs_ranks_req *req)
{
    MPI_Request r;
    memcpy(&r, &req->impl, sizeof r);
    int done = 0;
    MPI_Test(&r, &done, MPI_STATUS_IGNORE);
    memcpy(&req->impl, &r, sizeof r);
    return done != 0;
}

_Noreturn void cs_ranks_abort(int code)
{
    if (started)
        MPI_Abort(MPI_COMM_WORLD, code);
    exit(code);
}

#else /* one process */

cs_status cs_ranks_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return CS_OK;
}

void cs_ranks_fini(void) {}
int cs_ranks_rank(void) { return 0; }
int cs_ranks_size(void) { return 1; }
bool cs_ranks_built(void) { return false; }
bool cs_ranks_any(bool flag) { return flag; }
uint32_t cs_ranks_bcast_u32(uint32_t v) { return v; }

/* Without MPI there is one rank and nobody to talk to: the dispatcher never calls these. */
cs_status cs_ranks_isend(int dest, int tag, const void *buf, size_t n, cs_ranks_req *req)
{
    (void)dest, (void)tag, (void)buf, (void)n, (void)req;
    return CS_EIO;
}

bool cs_ranks_probe(int source, int tag, cs_ranks_msg *m)
{
    (void)source, (void)tag, (void)m;
    return false;
}

cs_status cs_ranks_irecv(cs_ranks_msg *m, void *buf, cs_ranks_req *req)
{
    (void)m, (void)buf, (void)req;
    return CS_EIO;
}

bool cs_ranks_done(cs_ranks_req *req)
{
    (void)req;
    return true;
}

_Noreturn void cs_ranks_abort(int code) { exit(code); }

#endif
