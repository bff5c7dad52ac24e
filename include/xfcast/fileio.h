/* xfcast/fileio.h - writing a file so that a crash never leaves half of it.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_FILEIO_H
#define XFCAST_FILEIO_H

#include <stddef.h>
#include "api.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Write `len` bytes from `buf` to `path` without ever destroying data.
 * A missing or regular file is replaced atomically: a temporary file
 * PATH.tmp.PID.RANDOM (unpredictable, created with O_EXCL|O_NOFOLLOW so
 * that nothing planted can redirect it) in the same directory, fflush,
 * fsync and fclose (each checked), rename over `path`, fsync of the
 * directory; the replaced file's permission bits are kept.  A device, FIFO
 * or socket (/dev/null, /dev/stdout) is written directly, never replaced.
 * A symbolic link is followed only when it belongs to the caller or root:
 * to a regular file, that file is replaced atomically (the link stays);
 * to anything else, or under /dev or /proc, it is written directly.  On
 * failure the temporary file is removed and the old file is untouched.
 * Returns XF_OK, XF_EIO (the message names the path, the failing step and
 * the system error) or XF_ENOMEM.  Reentrant. */
XF_API int xf_file_write_atomic(const char *path, const void *buf, size_t len, xf_error *err);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_FILEIO_H */
