/* ranks.c -- one process, or the ranks of an MPI job (see ranks.h).
 *
 * Built with CS_HAVE_MPI when CMake found MPI and CS_MPI is on. The gather is plain
 * point-to-point: rank 0 receives rank 1's block, then rank 2's, and so on, so what it holds
 * is in rank order whatever order the messages were sent in. Nothing here reads a clock or a
 * host name, and no reduction is done on doubles, so MPI cannot change a result's bytes.
 */
#include "clustersim/ranks.h"

#include <stdlib.h>
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

cs_status cs_ranks_init(int *argc, char ***argv)
{
    if (started || !launched_by_mpirun())
        return CS_OK;
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return CS_EIO;
    started = true;
    if (provided < MPI_THREAD_FUNNELED) {
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
        if (nap_ns < 2000000)
            nap_ns *= 2;
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

cs_status cs_ranks_gather(const unsigned char *mine, unsigned char *all, const size_t *off, const size_t *size)
{
    enum { PIECE = 1 << 30 };
    if (!started)
        return CS_OK;
    int rc = MPI_SUCCESS;
    for (int k = 1; k < n_ranks && rc == MPI_SUCCESS; k++) {
        if (my_rank != 0 && my_rank != k)
            continue;
        for (size_t done = 0; done < size[k] && rc == MPI_SUCCESS; done += PIECE) {
            size_t left = size[k] - done;
            int count = (int)(left < PIECE ? left : PIECE);
            if (my_rank == 0)
                rc = MPI_Recv(all + off[k] + done, count, MPI_BYTE, k, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            else
                rc = MPI_Send(mine + done, count, MPI_BYTE, 0, 0, MPI_COMM_WORLD);
        }
    }
    return rc == MPI_SUCCESS ? CS_OK : CS_EIO;
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

cs_status cs_ranks_gather(const unsigned char *mine, unsigned char *all, const size_t *off, const size_t *size)
{
    (void)mine;
    (void)all;
    (void)off;
    (void)size;
    return CS_OK;
}

#endif
