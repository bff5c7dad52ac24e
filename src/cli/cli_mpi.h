/* cli_mpi.h - the MPI transport of `xfcast pretrain` (data-parallel
 * pretraining): the only part of xfcast that includes <mpi.h>, and only in
 * a build configured --with-mpi.  The library knows no MPI: it exchanges
 * gradients through the xf_pretrain_comm this module fills.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_CLI_MPI_H
#define XF_CLI_MPI_H

#include "xfcast.h"

/* This process's place in an MPI job. */
typedef struct cli_mpi {
    int active;            /* MPI_Init was called (launched by mpirun, mpiexec or srun) */
    int rank;              /* this process, 0 when alone */
    int size;              /* processes of the job, 1 when alone */
    xf_pretrain_comm comm; /* rank, size and MPI_Allgatherv, for xf_pretrain */
} cli_mpi;

/* Join the MPI job when a launcher started this process (its environment
 * says so); else, or in a build without MPI, one process alone.  A build
 * without MPI started as one of several processes refuses to run (each
 * would do the whole training and write the same files).  Returns CLI_OK,
 * or CLI_ERROR with the message printed. */
int cli_mpi_start(cli_mpi *m, const char *cmd);

/* The comm for xf_pretrain: NULL when alone. */
xf_pretrain_comm *cli_mpi_comm(cli_mpi *m);

/* Leave the job with exit code `code`.  `agreed` is 0 when the other
 * processes may not know of this one's failure (xf_pretrain's failed_rank
 * < 0): the whole job is then ended (MPI_Abort) rather than left waiting.
 * Returns `code`. */
int cli_mpi_finish(cli_mpi *m, int code, int agreed);

/* Whether this build can join MPI jobs ("Open MPI 4.1.4", or NULL). */
const char *cli_mpi_library(void);

#endif /* XF_CLI_MPI_H */
