/* fileio.c - whole-file reads and atomic writes.
 *
 * The atomic write follows Redis' rdbSave: write a temporary file next to
 * the target, make its bytes durable (fflush, fsync, fclose, each checked:
 * a full disk often shows only at the flush or the close), rename it over
 * the target, then fsync the directory, without which the rename may be
 * lost on a crash (SQLite's "atomic commit" notes).  The temporary file is
 * in the same directory so that rename(2) never crosses a filesystem.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "fileio.h"
#include "xfcast/fileio.h"
#include "xf_internal.h"

#define ALIGN 64
#define READ_CHUNK ((size_t)1 << 16) /* first buffer when the size is not known */

void *xf__alloc_aligned(size_t n)
{
    void *p = NULL;
    if (posix_memalign(&p, ALIGN, n != 0 ? n : 1) != 0)
        return NULL;
    return p;
}

void xf__write_opts_init(xf__write_opts *opts)
{
    memset(opts, 0, sizeof *opts);
}

/* Did the test hook ask step `step` to fail?  Then set errno as a real
 * failure would. */
static int injected(const xf__write_opts *o, int step)
{
    if (o->fail_at != step)
        return 0;
    errno = EIO;
    return 1;
}

/* The directory part of path: "." when there is no '/', "/" for "/x". */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return xf__strndup(".", 1);
    if (slash == path)
        return xf__strndup("/", 1);
    return xf__strndup(path, (size_t)(slash - path));
}

int xf_file_write_atomic(const char *path, const void *buf, size_t len, xf_error *err)
{
    return xf__atomic_write(path, buf, len, NULL, err);
}

int xf__atomic_write(const char *path, const void *buf, size_t len, const xf__write_opts *opts,
                     xf_error *err)
{
    xf__write_opts defaults;
    char *tmp = NULL, *dir = NULL;
    FILE *fp = NULL;
    int fd = -1, created = 0, rc = XF_OK, e;
    size_t n;

    if (opts == NULL) {
        xf__write_opts_init(&defaults);
        opts = &defaults;
    }
    n = strlen(path) + 32;
    tmp = malloc(n);
    dir = dir_of(path);
    if (tmp == NULL || dir == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "cannot save '%s': out of memory", path);
        goto done;
    }
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());

    /* Exclusive creation: two writers of the same path in one process get
     * an error instead of interleaving their bytes. */
    if (injected(opts, XF__WSTEP_OPEN) ||
        (fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) < 0) {
        e = errno;
        rc = xf__fail(err, XF_EIO, 0, 0, "cannot save '%s': cannot create '%s': %s", path, tmp,
                      strerror(e));
        goto done;
    }
    created = 1;
    errno = 0;
    if ((fp = fdopen(fd, "wb")) == NULL) {
        e = errno;
        close(fd);
        /* fdopen fails only for want of memory for the FILE (glibc leaves
         * errno 0 then) */
        if (e == 0 || e == ENOMEM)
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "cannot save '%s': out of memory", path);
        else
            rc = xf__fail(err, XF_EIO, 0, 0, "cannot save '%s': cannot create '%s': %s", path, tmp,
                          strerror(e));
        goto done;
    }
    if (opts->fail_at == XF__WSTEP_WRITE) {
        /* leave a partial file behind, as a full disk would */
        fwrite(buf, 1, len / 2, fp);
        fflush(fp);
    }
    if (injected(opts, XF__WSTEP_WRITE) || (len > 0 && fwrite(buf, 1, len, fp) != len)) {
        e = errno;
        rc = xf__fail(err, XF_EIO, 0, 0, "cannot save '%s': write to '%s' failed: %s", path, tmp,
                      strerror(e));
        goto done;
    }
    if (injected(opts, XF__WSTEP_FLUSH) || fflush(fp) != 0) {
        e = errno;
        rc = xf__fail(err, XF_EIO, 0, 0, "cannot save '%s': flush of '%s' failed: %s", path, tmp,
                      strerror(e));
        goto done;
    }
    if (injected(opts, XF__WSTEP_FSYNC) || fsync(fileno(fp)) != 0) {
        e = errno;
        rc = xf__fail(err, XF_EIO, 0, 0, "cannot save '%s': fsync of '%s' failed: %s", path, tmp,
                      strerror(e));
        goto done;
    }
    {
        /* fclose releases the stream even when it fails: never retry it */
        int bad = fclose(fp) != 0;
        fp = NULL;
        if (injected(opts, XF__WSTEP_CLOSE) || bad) {
            e = errno;
            rc = xf__fail(err, XF_EIO, 0, 0, "cannot save '%s': close of '%s' failed: %s", path,
                          tmp, strerror(e));
            goto done;
        }
    }
    if (injected(opts, XF__WSTEP_RENAME) || rename(tmp, path) != 0) {
        e = errno;
        rc = xf__fail(err, XF_EIO, 0, 0, "cannot save '%s': cannot rename '%s' over it: %s", path,
                      tmp, strerror(e));
        goto done;
    }
    created = 0; /* the temporary file is now the target */
    {
        int dfd = -1, bad;
        if (injected(opts, XF__WSTEP_DIRSYNC) ||
            (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
            bad = 1;
        } else {
            bad = fsync(dfd) != 0 && errno != EINVAL && errno != ENOTSUP;
            e = errno;
            close(dfd);
            errno = e;
        }
        if (bad) {
            e = errno;
            rc = xf__fail(err, XF_EIO, 0, 0,
                          "saved '%s' but cannot sync its directory '%s' (the new file may not "
                          "survive a crash): %s",
                          path, dir, strerror(e));
            goto done;
        }
    }

done:
    if (fp != NULL)
        fclose(fp);
    if (created)
        unlink(tmp);
    free(tmp);
    free(dir);
    return rc;
}

int xf__read_fd(int fd, const char *path, size_t max_size, void **out, size_t *len, xf_error *err)
{
    int rc = XF_OK, e;
    struct stat st;
    unsigned char *buf = NULL;
    size_t cap, n = 0;

    *out = NULL;
    *len = 0;
    cap = READ_CHUNK;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        if ((uintmax_t)st.st_size > (uintmax_t)max_size) {
            rc = xf__fail(err, XF_ERANGE, 0, 0, "'%s' is %llu bytes, more than the limit of %zu",
                          path, (unsigned long long)st.st_size, max_size);
            goto done;
        }
        /* one byte more than the size, so that the read loop sees EOF
         * without growing the buffer (and notices a growing file) */
        cap = (size_t)st.st_size < SIZE_MAX ? (size_t)st.st_size + 1 : (size_t)st.st_size;
    }
    if ((buf = xf__alloc_aligned(cap)) == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "cannot read '%s': out of memory", path);
        goto done;
    }
    for (;;) {
        ssize_t got;
        if (n == cap) {
            unsigned char *bigger;
            size_t c2;
            if (n > max_size) {
                rc = xf__fail(err, XF_ERANGE, 0, 0, "'%s' is larger than the limit of %zu bytes",
                              path, max_size);
                goto done;
            }
            c2 = cap <= SIZE_MAX / 2 ? cap * 2 : SIZE_MAX;
            if (c2 == cap || (bigger = xf__alloc_aligned(c2)) == NULL) {
                rc = xf__fail(err, XF_ENOMEM, 0, 0, "cannot read '%s': out of memory", path);
                goto done;
            }
            memcpy(bigger, buf, n);
            free(buf);
            buf = bigger;
            cap = c2;
        }
        got = read(fd, buf + n, cap - n);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            e = errno;
            rc = xf__fail(err, XF_EIO, 0, 0, "cannot read '%s': %s", path, strerror(e));
            goto done;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    if (n > max_size) {
        rc = xf__fail(err, XF_ERANGE, 0, 0, "'%s' is larger than the limit of %zu bytes", path,
                      max_size);
        goto done;
    }
    buf[n] = '\0'; /* room: the loop only ends on EOF with n < cap */
    *out = buf;
    *len = n;
    buf = NULL;
done:
    free(buf);
    return rc;
}

int xf__read_file(const char *path, size_t max_size, void **out, size_t *len, xf_error *err)
{
    int fd, rc, e;
    *out = NULL;
    *len = 0;
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        e = errno;
        return xf__fail(err, XF_EIO, 0, 0, "cannot open '%s': %s", path, strerror(e));
    }
    rc = xf__read_fd(fd, path, max_size, out, len, err);
    close(fd);
    return rc;
}
