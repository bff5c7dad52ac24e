/* cli_mpi.c - the MPI transport of `xfcast pretrain` (see cli_mpi.h).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_mpi.h"

#ifdef XF_HAVE_MPI
#include <mpi.h>
#endif

/* The job's size from the launcher's environment (Open MPI's mpirun, MPICH's
 * Hydra, PMI-2 and PMIx launchers such as srun --mpi=...), 0 when no
 * launcher started this process. */
static long launcher_size(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE",
                                       "MPI_LOCALNRANKS"};
    size_t i;
    for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v != NULL && *v != '\0')
            return strtol(v, NULL, 10);
    }
    return getenv("PMIX_RANK") != NULL || getenv("PMI_RANK") != NULL ? 1 : 0;
}

#ifdef XF_HAVE_MPI
/* xf_pretrain_comm.allgather: MPI_Allgatherv in place, in bytes. */
static int mpi_allgather(void *buf, const size_t *counts, const size_t *offsets, void *user)
{
    cli_mpi *m = user;
    int *ic = malloc((size_t)m->size * sizeof *ic), *io = malloc((size_t)m->size * sizeof *io);
    int r, rc = 1;
    if (ic == NULL || io == NULL)
        goto done;
    for (r = 0; r < m->size; r++) {
        /* MPI counts are ints: a block over 2 GiB needs a derived type */
        if (counts[r] > INT_MAX || offsets[r] > INT_MAX)
            goto done;
        ic[r] = (int)counts[r];
        io[r] = (int)offsets[r];
    }
    rc = MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, buf, ic, io, MPI_BYTE,
                        MPI_COMM_WORLD) == MPI_SUCCESS
             ? 0
             : 1;
done:
    free(ic);
    free(io);
    return rc;
}
#endif

int cli_mpi_start(cli_mpi *m, const char *cmd)
{
    long n = launcher_size();
    memset(m, 0, sizeof *m);
    m->size = 1;
#ifdef XF_HAVE_MPI
    if (n > 0) {
        int provided;
        /* worker threads exist, but only this thread calls MPI */
        if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
            cli_error(cmd, "MPI_Init failed");
            return CLI_ERROR;
        }
        m->active = 1;
        MPI_Comm_rank(MPI_COMM_WORLD, &m->rank);
        MPI_Comm_size(MPI_COMM_WORLD, &m->size);
        m->comm.rank = m->rank;
        m->comm.n_ranks = m->size;
        m->comm.allgather = mpi_allgather;
        m->comm.user = m;
        m->comm.failed_rank = -1;
    }
#else
    if (n > 1) {
        cli_error(cmd,
                  "started as one of %ld processes, but this xfcast is built without MPI "
                  "(./configure --with-mpi): each process would run the whole training and "
                  "write the same files",
                  n);
        return CLI_ERROR;
    }
#endif
    return CLI_OK;
}

xf_pretrain_comm *cli_mpi_comm(cli_mpi *m)
{
    return m->size > 1 ? &m->comm : NULL;
}

int cli_mpi_finish(cli_mpi *m, int code, int agreed)
{
#ifdef XF_HAVE_MPI
    if (m->active) {
        if (!agreed && m->size > 1) {
            fflush(stderr);
            MPI_Abort(MPI_COMM_WORLD, code != 0 ? code : 1);
        }
        MPI_Finalize();
        m->active = 0;
    }
#else
    (void)m;
    (void)agreed;
#endif
    return code;
}

const char *cli_mpi_library(void)
{
#ifdef XF_HAVE_MPI
#if defined(OMPI_MAJOR_VERSION)
#define XF_STR2(x) #x
#define XF_STR(x) XF_STR2(x)
    return "Open MPI " XF_STR(OMPI_MAJOR_VERSION) "." XF_STR(OMPI_MINOR_VERSION) "." XF_STR(
        OMPI_RELEASE_VERSION);
#elif defined(MPICH_VERSION)
    return "MPICH " MPICH_VERSION;
#else
    return "MPI";
#endif
#else
    return NULL;
#endif
}
