/* fileio.h - whole-file reads and atomic writes (private, not installed).
 *
 * Used by the .xfm container (src/xfm.c) and meant for the model store:
 * every file xfcast writes goes through xf__atomic_write, so that a crash,
 * a full disk or a failing device never leaves a half-written file where a
 * good one was.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_FILEIO_H
#define XF_FILEIO_H

#include <fcntl.h>
#include <stddef.h>
#include "xfcast/error.h"

/* open(2) flags that some systems lack: without them, descriptors are not
 * closed on exec and directories are not checked for being directories. */
#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif
#ifndef O_DIRECTORY
#define O_DIRECTORY 0
#endif

/* The steps of an atomic write, in the order they run.  Messages name the
 * failing step; tests use the numbers to inject a failure at each one. */
enum {
    XF__WSTEP_NONE = 0, /* no step: used for "never fail" */
    XF__WSTEP_OPEN,     /* create PATH.tmp.PID (exclusive) */
    XF__WSTEP_WRITE,    /* fwrite the bytes */
    XF__WSTEP_FLUSH,    /* fflush */
    XF__WSTEP_FSYNC,    /* fsync the temporary file */
    XF__WSTEP_CLOSE,    /* fclose */
    XF__WSTEP_RENAME,   /* rename over the target */
    XF__WSTEP_DIRSYNC,  /* open, fsync and close the directory */
    XF__WSTEP_COUNT     /* number of steps + 1 */
};

/* Options of xf__atomic_write.  Initialise with xf__write_opts_init. */
typedef struct xf__write_opts {
    int fail_at; /* tests only: make step fail_at (XF__WSTEP_*) fail as if with EIO
                    (the write step writes half the bytes first); 0 = never */
} xf__write_opts;

/* Set every option to its default (no injected failure). */
void xf__write_opts_init(xf__write_opts *opts);

/* Replace the file at `path` by `len` bytes from `buf`, atomically: write
 * PATH.tmp.PID in the same directory (created exclusively, mode 0666 less
 * the umask), fflush, fsync, fclose (each checked), rename it over `path`,
 * then fsync the directory so that the rename itself is durable (a
 * directory fsync that the filesystem does not support, EINVAL or ENOTSUP,
 * is not an error).  On failure before the rename the temporary file is
 * unlinked and the old file is untouched; if only the directory sync fails,
 * the new file is in place and complete.  `opts` may be NULL (defaults).
 * Returns XF_OK, XF_EIO (the message names the path, the step and the
 * system error) or XF_ENOMEM. */
int xf__atomic_write(const char *path, const void *buf, size_t len, const xf__write_opts *opts,
                     xf_error *err);

/* Read a whole file (regular file, pipe or device) into a new buffer that
 * is 64-byte aligned and followed by a NUL byte (not counted in *len); the
 * caller frees it with free().  Fails with XF_ERANGE when the file has more
 * than `max_size` bytes (checked before reading when the size is known),
 * XF_EIO when it cannot be opened or read ("cannot open 'path': ..."),
 * XF_ENOMEM.  On failure *out is NULL. */
int xf__read_file(const char *path, size_t max_size, void **out, size_t *len, xf_error *err);

/* The same from an open descriptor (left open), for callers that open the
 * file themselves (e.g. to report a missing file differently); `path` only
 * names it in messages. */
int xf__read_fd(int fd, const char *path, size_t max_size, void **out, size_t *len, xf_error *err);

/* malloc of at least one byte, aligned to 64 bytes; free with free(). */
void *xf__alloc_aligned(size_t n);

#endif /* XF_FILEIO_H */
