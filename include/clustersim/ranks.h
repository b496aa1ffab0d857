/* ranks.h -- the processes of a run: one, or the ranks of an MPI job.
 *
 * The runner spreads replications over ranks and needs four things from MPI: who am I, how
 * many are we, "did anyone fail", and "send rank 0 my bytes". This header is those four
 * things and nothing else, so the runner has no #ifdef and builds the same without MPI.
 *
 * MPI is used only when the build found it (CMake option CS_MPI) AND the process was started
 * by an MPI launcher (mpirun sets OMPI_COMM_WORLD_SIZE, PMIX_RANK or PMI_RANK). A plain
 * `clustersim run` never initialises MPI, so it starts as fast as before and a build with MPI
 * behaves exactly as one without. Without MPI every function is the one-process answer.
 *
 * Only the main thread calls these (MPI_THREAD_FUNNELED): the OpenMP workers never touch MPI.
 */
#ifndef CLUSTERSIM_RANKS_H
#define CLUSTERSIM_RANKS_H

#include "clustersim/common.h"

/* Starts MPI when launched by mpirun in an MPI build; otherwise does nothing. Returns CS_OK,
 * or CS_EIO when MPI_Init_thread failed or cannot give MPI_THREAD_FUNNELED. */
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
/* Collective: rank k > 0 sends the size[k] bytes at `mine`; rank 0 receives them at
 * all + off[k], rank after rank (rank 0's own entries are not used). off and size hold one
 * entry per rank and are the same on every rank. Large blocks go in pieces of at most 1 GiB,
 * as MPI counts are ints. Returns CS_OK or CS_EIO. */
cs_status cs_ranks_gather(const unsigned char *mine, unsigned char *all, const size_t *off, const size_t *size);

#endif
