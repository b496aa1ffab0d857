/* ranks.h -- the processes of a run: one, or the ranks of an MPI job.
 *
 * The runner spreads replications over ranks and needs from MPI: who am I, how many are we,
 * "did anyone fail", "what does rank 0 say", and a few point-to-point messages for handing
 * replications out on demand and bringing their results back (dispatch.c). This header is
 * those things and nothing else, so no other file has an #ifdef and the build is the same
 * without MPI.
 *
 * MPI is used only when the build found it (CMake option CS_MPI) AND the process was started
 * by an MPI launcher (mpirun sets OMPI_COMM_WORLD_SIZE, PMIX_RANK or PMI_RANK). A plain
 * `clustersim run` never initialises MPI, so it starts as fast as before and a build with MPI
 * behaves exactly as one without. Without MPI every function is the one-process answer, and
 * the point-to-point ones are never called (there is nobody to talk to).
 *
 * MPI_THREAD_SERIALIZED: one thread at a time calls these. The main thread calls the
 * collectives; during a batch the dispatcher's communication thread alone calls the
 * point-to-point ones, and the main thread waits for it before the next collective. The
 * OpenMP workers never touch MPI.
 */
#ifndef CLUSTERSIM_RANKS_H
#define CLUSTERSIM_RANKS_H

#include "clustersim/common.h"

/* Starts MPI when launched by mpirun in an MPI build; otherwise does nothing. Returns CS_OK,
 * or CS_EIO when MPI_Init_thread failed or cannot give MPI_THREAD_SERIALIZED. */
cs_status cs_ranks_init(int *argc, char ***argv);
/* Ends MPI if cs_ranks_init started it. Every rank must call it before exiting. */
void cs_ranks_fini(void);
/* This process's rank (0 without MPI) and the number of ranks (1 without MPI). */
int cs_ranks_rank(void);
int cs_ranks_size(void);
/* True when MPI is compiled in (whether or not this process was started by mpirun). */
bool cs_ranks_built(void);

/* The collectives below wait asleep, not spinning (see ranks.c), so waiting ranks leave
 * their cores to rank 0. */
/* Collective: returns true on every rank when `flag` is true on any rank. */
bool cs_ranks_any(bool flag);
/* Collective: returns rank 0's v on every rank. */
uint32_t cs_ranks_bcast_u32(uint32_t v);

/* Point-to-point (dispatch.c). Tags are the caller's; a message is at most INT_MAX bytes.
 * The handles are the caller's storage, so nothing here allocates. */
typedef struct cs_ranks_req {    /* a send or a receive in flight */
    uint64_t impl;               /* the MPI_Request */
} cs_ranks_req;
typedef struct cs_ranks_msg {    /* a message matched by a probe, not yet received */
    int from, tag;
    size_t size;                 /* bytes */
    uint64_t impl;               /* the MPI_Message */
} cs_ranks_msg;
/* Starts sending the n bytes at buf to rank `dest`; buf must stay as it is until
 * cs_ranks_done says the send is. Returns CS_OK, or CS_EIO. */
cs_status cs_ranks_isend(int dest, int tag, const void *buf, size_t n, cs_ranks_req *req);
/* True when a message from `source` with `tag` (-1: any) has arrived; it is then matched
 * into *m, so that nothing else can receive it. */
bool cs_ranks_probe(int source, int tag, cs_ranks_msg *m);
/* Starts receiving the matched message m into buf (m->size bytes), which is the message's
 * once cs_ranks_done says so. Returns CS_OK, or CS_EIO. */
cs_status cs_ranks_irecv(cs_ranks_msg *m, void *buf, cs_ranks_req *req);
/* True once the send or receive is done; false while it is in flight. Every call here also
 * moves other messages along: MPI progresses only inside MPI calls. */
bool cs_ranks_done(cs_ranks_req *req);
/* Ends the whole job at once, with `code` as its exit status: for a failure that leaves a
 * peer waiting on a message it cannot get (rank 0 out of memory for results in flight). */
_Noreturn void cs_ranks_abort(int code);

#endif
