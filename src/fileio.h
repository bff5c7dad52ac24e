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
#include <stdint.h>
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
    XF__WSTEP_OPEN,     /* create PATH.tmp.PID.RANDOM (exclusive) */
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
    int own;     /* 1: the caller owns the path (the store's CURRENT, PINNED, status):
                    whatever is there, a link, a FIFO or a device node included, is
                    replaced by the new regular file, never followed or written into;
                    0 (default): the rules below */
} xf__write_opts;

/* Set every option to its default (no injected failure). */
void xf__write_opts_init(xf__write_opts *opts);

/* Write `len` bytes from `buf` to `path` so that no data is destroyed:
 *
 * - no file, or a regular file: replaced atomically.  A temporary file
 *   PATH.tmp.PID.RANDOM (RANDOM: 64 bits from getrandom(2) or /dev/urandom)
 *   is created in the same directory with O_CREAT|O_EXCL|O_NOFOLLOW, so
 *   that nothing planted at any name can redirect the write (a name that
 *   exists is retried with new bits); a replaced file's permission bits are
 *   kept (else 0666 less the umask); fflush, fsync, fclose (each checked),
 *   rename over `path`, then fsync the directory so that the rename itself
 *   is durable (a directory fsync that the filesystem does not support,
 *   EINVAL or ENOTSUP, is not an error).
 * - a device, a FIFO or a socket: written directly (opened O_WRONLY|O_APPEND,
 *   no O_CREAT, no O_TRUNC), never replaced by a file.
 * - a symbolic link: followed only when it belongs to the caller or to root
 *   (one another user planted is refused).  A link to a regular file
 *   replaces that file atomically as above, at its resolved path (the link
 *   stays); a link to a non-regular file, and any link under /dev or /proc
 *   (/dev/stdout, /dev/fd/N: a descriptor, perhaps the shell's
 *   redirection), is written directly; a dangling link or one to a
 *   directory is refused.
 * - a directory: refused (the rename fails).
 *
 * On failure before the rename the temporary file is unlinked and the old
 * file is untouched; if only the directory sync fails, the new file is in
 * place and complete.  `opts` may be NULL (defaults).  Returns XF_OK,
 * XF_EIO (the message names the path, the step and the system error) or
 * XF_ENOMEM. */
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

/* Flags of xf__read_regular. */
#define XF__READ_NOFOLLOW 1 /* refuse a symbolic link (files the store owns) */

/* The largest model file (.xfm) that xf_xfm_load reads: 2 GiB. */
#define XF__XFM_MAX_BYTES ((size_t)1 << 31)

/* Read a whole file that must be a regular file, as xf__read_file: it is
 * opened with O_NONBLOCK (a FIFO cannot make the open wait for a writer)
 * and O_NOFOLLOW with XF__READ_NOFOLLOW ("cannot read 'p': it is a symbolic
 * link"), then fstat must show a regular file ("'p' is not a regular file
 * (it is a character device)") and its size must be at most max_size
 * (XF_ERANGE), all before a byte is read: /dev/zero or a FIFO fail at
 * once.  XF_OK, XF_EIO, XF_ERANGE or XF_ENOMEM; on failure *out is NULL. */
int xf__read_regular(const char *path, int flags, size_t max_size, void **out, size_t *len,
                     xf_error *err);

/* Files of at least this size are mapped by xf__map_regular (256 KiB):
 * below it a read costs less than setting up a mapping. */
#define XF__MAP_MIN_BYTES ((uintmax_t)1 << 18)

/* A whole regular file, opened and checked as xf__read_regular (without
 * XF__READ_NOFOLLOW), for a reader that parses it and lets go of it soon:
 * a file of XF__MAP_MIN_BYTES or more is mapped privately (all its pages
 * at once where the system can: MAP_POPULATE), which on a virtual machine
 * costs a fraction of reading it into fresh memory (a 4.9 MB head: 0.5 ms
 * against 11 ms on the bench machine of 2026-12-04); smaller files, and
 * files on a filesystem that cannot be mapped, are read (*mapped = 0).
 * `writable`: the mapping may be written (copy on write, never to the
 * file).  A file mapped and then truncated in place by another program
 * would raise SIGBUS on access: xfcast never truncates a file it reads
 * (it replaces them by rename), and callers keep the mapping only while
 * they parse.  Release with xf__unmap(*out, *len, *mapped). */
int xf__map_regular(const char *path, size_t max_size, int writable, void **out, size_t *len,
                    int *mapped, xf_error *err);

/* Release what xf__map_regular returned (munmap or free; NULL is fine). */
void xf__unmap(void *p, size_t len, int mapped);

/* malloc of at least one byte, aligned to 64 bytes; free with free(). */
void *xf__alloc_aligned(size_t n);

#endif /* XF_FILEIO_H */
