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

/* Replace the file at `path` by `len` bytes from `buf`, atomically: write
 * PATH.tmp.PID in the same directory, fflush, fsync and fclose it (each
 * checked), rename it over `path`, then fsync the directory.  On failure
 * the temporary file is removed and the old file is untouched.  Returns
 * XF_OK, XF_EIO (the message names the path, the failing step and the
 * system error) or XF_ENOMEM.  Reentrant. */
XF_API int xf_file_write_atomic(const char *path, const void *buf, size_t len, xf_error *err);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_FILEIO_H */
