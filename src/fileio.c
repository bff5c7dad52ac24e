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
#ifdef HAVE_MMAP
#include <sys/mman.h>
#endif
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_SYS_RANDOM_H
#include <sys/random.h>
#endif

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

/* 64 unpredictable bits for a temporary name: getrandom(2), else
 * /dev/urandom, else a mix of the clock, the PID, an address and the
 * attempt number.  The last is guessable, but O_EXCL|O_NOFOLLOW keep even
 * a guessed name from being redirected: a guess can only make the create
 * fail and be retried. */
static uint64_t random_bits(unsigned attempt)
{
    uint64_t r = 0;
    int fd;
#if defined(HAVE_GETRANDOM) && defined(HAVE_SYS_RANDOM_H)
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) == (ssize_t)sizeof r)
        return r;
#endif
    if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC | O_NOCTTY)) >= 0) {
        ssize_t got = read(fd, &r, sizeof r);
        close(fd);
        if (got == (ssize_t)sizeof r)
            return r;
    }
    {
        struct timespec ts;
        uint64_t x;
        clock_gettime(CLOCK_REALTIME, &ts);
        x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ ((uint64_t)getpid() << 17) ^
            (uint64_t)(uintptr_t)&ts ^ ((uint64_t)attempt << 50);
        /* splitmix64's finaliser spreads the bits */
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
        return x ^ (x >> 31);
    }
}

/* A symbolic link under /dev or /proc (/dev/stdout, /dev/fd/1,
 * /proc/self/fd/1) names an open descriptor of this process: a regular
 * file behind it is the shell's redirection, which must be written, not
 * replaced by a new file that the shell's descriptor would not see. */
static int is_descriptor_alias(const char *path)
{
    return strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0;
}

/* The kind of a non-regular file, for messages. */
static const char *kind_of(mode_t m)
{
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISSOCK(m))
        return "a socket";
    return "of another kind";
}

/* Write to an existing file that is not replaced (a device, a FIFO, a
 * descriptor alias): open it for writing without O_TRUNC or O_CREAT
 * (O_APPEND, so that a regular file behind /dev/stdout keeps what the
 * shell or this process wrote before), write everything, sync what can be
 * synced, close. */
static int write_direct(const char *path, const void *buf, size_t len, xf_error *err)
{
    const unsigned char *p = buf;
    size_t done = 0;
    struct stat st;
    int fd, e;
    if ((fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY)) < 0) {
        e = errno;
        return xf__fail(err, XF_EIO, 0, 0, "cannot write '%s': %s", path, strerror(e));
    }
    while (done < len) {
        ssize_t w = write(fd, p + done, len - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            e = errno;
            close(fd);
            return xf__fail(err, XF_EIO, 0, 0, "write to '%s' failed: %s", path, strerror(e));
        }
        done += (size_t)w;
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && fsync(fd) != 0 && errno != EINVAL &&
        errno != ENOTSUP) {
        e = errno;
        close(fd);
        return xf__fail(err, XF_EIO, 0, 0, "fsync of '%s' failed: %s", path, strerror(e));
    }
    if (close(fd) != 0 && errno != EINTR) {
        e = errno;
        return xf__fail(err, XF_EIO, 0, 0, "close of '%s' failed: %s", path, strerror(e));
    }
    return XF_OK;
}

int xf_file_write_atomic(const char *path, const void *buf, size_t len, xf_error *err)
{
    return xf__atomic_write(path, buf, len, NULL, err);
}

int xf__atomic_write(const char *path, const void *buf, size_t len, const xf__write_opts *opts,
                     xf_error *err)
{
    xf__write_opts defaults;
    char *tmp = NULL, *dir = NULL, *resolved = NULL;
    const char *target = path;
    FILE *fp = NULL;
    struct stat lst, st;
    int fd = -1, created = 0, rc = XF_OK, e, keep_mode = 0;
    unsigned attempt;
    size_t n;

    if (opts == NULL) {
        xf__write_opts_init(&defaults);
        opts = &defaults;
    }
    /* What is there now decides how it is written (unless the caller owns
     * the path: then it is replaced, whatever it is). */
    if (!opts->own && lstat(path, &lst) == 0) {
        if (S_ISLNK(lst.st_mode)) {
            /* Followed only when the caller (or root) made it: a link that
             * another user planted must not send the write elsewhere. */
            if (lst.st_uid != geteuid() && lst.st_uid != 0)
                return xf__fail(err, XF_EIO, 0, 0,
                                "cannot save '%s': it is a symbolic link owned by another user "
                                "(uid %ld); not following it",
                                path, (long)lst.st_uid);
            if (stat(path, &st) != 0) {
                e = errno;
                return xf__fail(err, XF_EIO, 0, 0,
                                "cannot save '%s': it is a symbolic link to a file that cannot "
                                "be reached: %s",
                                path, strerror(e));
            }
            if (S_ISDIR(st.st_mode))
                return xf__fail(err, XF_EIO, 0, 0,
                                "cannot save '%s': it is a symbolic link to a directory", path);
            if (!S_ISREG(st.st_mode) || is_descriptor_alias(path))
                return write_direct(path, buf, len, err);
            /* a link to a regular file: that file is replaced, the link
             * stays */
            if ((resolved = realpath(path, NULL)) == NULL) {
                e = errno;
                if (e == ENOMEM)
                    return xf__fail(err, XF_ENOMEM, 0, 0, "cannot save '%s': out of memory", path);
                return xf__fail(err, XF_EIO, 0, 0, "cannot save '%s': cannot resolve the link: %s",
                                path, strerror(e));
            }
            target = resolved;
            keep_mode = 1;
        } else if (S_ISREG(lst.st_mode)) {
            st = lst;
            keep_mode = 1;
        } else if (!S_ISDIR(lst.st_mode)) {
            /* a device, a FIFO or a socket: written, never replaced */
            return write_direct(path, buf, len, err);
        }
        /* a directory: the rename below fails and says so */
    }

    n = strlen(target) + 64;
    tmp = malloc(n);
    dir = dir_of(target);
    if (tmp == NULL || dir == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "cannot save '%s': out of memory", path);
        goto done;
    }
    /* An unpredictable name, created exclusively and never through a link:
     * a file or link planted at any name we might pick makes the create
     * fail (and another name is tried); nothing is ever opened through it.
     * The PID stays in the name so that the store can tell the leftovers
     * of writers that died (store.c, clean_temps). */
    for (attempt = 0;; attempt++) {
        snprintf(tmp, n, "%s.tmp.%ld.%016llx", target, (long)getpid(),
                 (unsigned long long)random_bits(attempt));
        if (injected(opts, XF__WSTEP_OPEN)) {
            fd = -1;
            break;
        }
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0666);
        if (fd >= 0 || errno != EEXIST || attempt >= 100)
            break;
    }
    if (fd < 0) {
        e = errno;
        rc = xf__fail(err, XF_EIO, 0, 0, "cannot save '%s': cannot create '%s': %s", path, tmp,
                      strerror(e));
        goto done;
    }
    created = 1;
    /* a replaced file keeps its permissions (a private file stays private) */
    if (keep_mode && fchmod(fd, st.st_mode & 0777) != 0) {
        e = errno;
        close(fd);
        rc = xf__fail(err, XF_EIO, 0, 0, "cannot save '%s': cannot set the mode of '%s': %s", path,
                      tmp, strerror(e));
        goto done;
    }
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
    if (injected(opts, XF__WSTEP_RENAME) || rename(tmp, target) != 0) {
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
    free(resolved);
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

/* Open `path` for reading as xf__read_regular asks: a regular file (no
 * FIFO wait, no symbolic link with XF__READ_NOFOLLOW), left in blocking
 * mode; its fstat in *st. */
static int open_regular(const char *path, int flags, int *fd_out, struct stat *st, xf_error *err)
{
    int fd, e;
    *fd_out = -1;
    /* O_NONBLOCK: opening a FIFO for reading would wait for a writer */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY |
                        ((flags & XF__READ_NOFOLLOW) ? O_NOFOLLOW : 0));
    if (fd < 0) {
        e = errno;
        if (e == ELOOP && (flags & XF__READ_NOFOLLOW))
            return xf__fail(err, XF_EIO, 0, 0, "cannot read '%s': it is a symbolic link", path);
        return xf__fail(err, XF_EIO, 0, 0, "cannot open '%s': %s", path, strerror(e));
    }
    if (fstat(fd, st) != 0) {
        e = errno;
        close(fd);
        return xf__fail(err, XF_EIO, 0, 0, "cannot stat '%s': %s", path, strerror(e));
    }
    if (S_ISDIR(st->st_mode)) {
        close(fd);
        return xf__fail(err, XF_EIO, 0, 0, "cannot read '%s': %s", path, strerror(EISDIR));
    }
    if (!S_ISREG(st->st_mode)) {
        close(fd);
        return xf__fail(err, XF_EIO, 0, 0, "'%s' is not a regular file (it is %s)", path,
                        kind_of(st->st_mode));
    }
    /* back to blocking reads (a regular file never blocks, but a
     * descriptor's flags are best left as expected) */
    {
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
            fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    }
    *fd_out = fd;
    return XF_OK;
}

int xf__read_regular(const char *path, int flags, size_t max_size, void **out, size_t *len,
                     xf_error *err)
{
    struct stat st;
    int fd, rc;
    *out = NULL;
    *len = 0;
    if ((rc = open_regular(path, flags, &fd, &st, err)) != XF_OK)
        return rc;
    rc = xf__read_fd(fd, path, max_size, out, len, err);
    close(fd);
    return rc;
}

int xf__map_regular(const char *path, size_t max_size, int writable, void **out, size_t *len,
                    int *mapped, xf_error *err)
{
    struct stat st;
    int fd, rc;
    *out = NULL;
    *len = 0;
    *mapped = 0;
    if ((rc = open_regular(path, 0, &fd, &st, err)) != XF_OK)
        return rc;
#ifdef HAVE_MMAP
    if ((uintmax_t)st.st_size >= XF__MAP_MIN_BYTES && (uintmax_t)st.st_size <= max_size) {
        int mflags = MAP_PRIVATE;
        void *p;
#ifdef MAP_POPULATE
        mflags |= MAP_POPULATE; /* one call maps every page: no fault per page */
#endif
        p = mmap(NULL, (size_t)st.st_size, PROT_READ | (writable ? PROT_WRITE : 0), mflags, fd, 0);
        if (p != MAP_FAILED) {
            close(fd);
            *out = p;
            *len = (size_t)st.st_size;
            *mapped = 1;
            return XF_OK;
        }
        /* a filesystem that cannot map: read it instead */
    }
#else
    (void)writable;
#endif
    rc = xf__read_fd(fd, path, max_size, out, len, err);
    close(fd);
    return rc;
}

void xf__unmap(void *p, size_t len, int mapped)
{
#ifdef HAVE_MMAP
    if (mapped) {
        if (p != NULL)
            munmap(p, len);
        return;
    }
#else
    (void)len;
    (void)mapped;
#endif
    free(p);
}
