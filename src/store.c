/* store.c - the model store's file layer: entries, versions, CURRENT,
 * locks and status files (layout and guarantees in xfcast/store.h).
 *
 * Every file is written with xf__atomic_write (directly, or through
 * xf_head_save), so readers only ever see whole files.  The order of a
 * commit is what makes it crash-safe: the new version file is durable
 * (fsync of the file and of the directory) before CURRENT is replaced, and
 * CURRENT is replaced by rename, so at every instant it names a complete
 * head.  Directories the store creates are made durable in their parent
 * too, without which a crash could lose a whole entry that a later fsync
 * of its files seemed to commit.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "xfcast/head.h"
#include "xfcast/store.h"
#include "fileio.h"
#include "xf_internal.h"

#define CURRENT_FILE "CURRENT"
#define STATUS_FILE "status"
#define PIN_FILE "PINNED"
#define LOCK_FILE ".lock"
#define CURRENT_MAX 64               /* bytes: "N\n" with N < 2^63 is at most 20 */
#define STATUS_MAX ((size_t)1 << 20) /* status files are a few lines */

struct xf_store {
    char *dir; /* the store directory, without trailing slashes (owned) */
};

struct xf_lock {
    int fd; /* the open lock file; closing it releases the flock */
};

/* ------------------------------------------------------------ helpers */

/* *out = a new string formatted like printf.  XF_OK or XF_ENOMEM. */
static int mkpath(char **out, xf_error *err, const char *fmt, ...) XF_PRINTF(3, 4);

static int mkpath(char **out, xf_error *err, const char *fmt, ...)
{
    va_list ap;
    int k;
    char *p;
    va_start(ap, fmt);
    k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    *out = NULL;
    if (k < 0 || (p = malloc((size_t)k + 1)) == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    va_start(ap, fmt);
    vsnprintf(p, (size_t)k + 1, fmt, ap);
    va_end(ap);
    *out = p;
    return XF_OK;
}

/* fsync a directory so that entries just created or renamed in it
 * survive a crash.  Filesystems that cannot sync directories (EINVAL,
 * ENOTSUP) are not an error, as in xf__atomic_write. */
static int sync_dir(const char *dir, xf_error *err)
{
    int fd, e;
    if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        e = errno;
        return xf__fail(err, XF_EIO, 0, 0, "cannot open directory '%s' to sync it: %s", dir,
                        strerror(e));
    }
    if (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP) {
        e = errno;
        close(fd);
        return xf__fail(err, XF_EIO, 0, 0, "cannot sync directory '%s': %s", dir, strerror(e));
    }
    if (close(fd) != 0) {
        e = errno;
        return xf__fail(err, XF_EIO, 0, 0, "cannot close directory '%s': %s", dir, strerror(e));
    }
    return XF_OK;
}

/* Create directory `path` unless it exists; when it is created, sync its
 * parent `parent` so that it stays.  XF_OK or XF_EIO. */
static int make_dir(const char *path, const char *parent, xf_error *err)
{
    struct stat st;
    int e;
    if (mkdir(path, 0777) == 0)
        return sync_dir(parent, err);
    e = errno;
    /* mkdir may report EACCES or EROFS rather than EEXIST for a directory
     * that exists, so ask stat before giving up. */
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return XF_OK;
        return xf__fail(err, XF_EIO, 0, 0,
                        "cannot create directory '%s': a file of that name "
                        "exists",
                        path);
    }
    return xf__fail(err, XF_EIO, 0, 0, "cannot create directory '%s': %s", path, strerror(e));
}

/* mkdir -p: create `path` and its missing parents. */
static int make_dirs(const char *path, xf_error *err)
{
    char *p = xf__strndup(path, strlen(path));
    char *q;
    int rc = XF_OK;
    if (p == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    /* each prefix ending before a '/', then the whole path */
    for (q = p + 1;; q++) {
        if (*q != '/' && *q != '\0')
            continue;
        if (q[-1] != '/') {
            char c = *q, *slash, *parent;
            *q = '\0';
            slash = strrchr(p, '/');
            if (slash == NULL)
                parent = xf__strndup(".", 1);
            else if (slash == p)
                parent = xf__strndup("/", 1);
            else
                parent = xf__strndup(p, (size_t)(slash - p));
            if (parent == NULL)
                rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            else
                rc = make_dir(p, parent, err);
            free(parent);
            *q = c;
            if (rc != XF_OK)
                break;
        }
        if (*q == '\0')
            break;
    }
    free(p);
    return rc;
}

static int valid_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

/* Parse a version number: decimal digits, no sign, no leading zero, >= 1. */
static int parse_version(const char *s, size_t len, int64_t *out)
{
    int64_t v = 0;
    size_t i;
    if (len == 0 || s[0] == '0')
        return -1;
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        if (v > (INT64_MAX - (s[i] - '0')) / 10)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Is `name` a version file name "v<N>.xfm"?  Then *v = N. */
static int version_of_file(const char *name, int64_t *v)
{
    size_t len = strlen(name);
    if (len < 6 || name[0] != 'v' || strcmp(name + len - 4, ".xfm") != 0)
        return 0;
    return parse_version(name + 1, len - 5, v) == 0;
}

/* Is `name` a temporary file of the atomic writer, "*.tmp.<PID>.<16 hex
 * digits>" (or "*.tmp.<PID>" of older versions)?  Then *pid = PID. */
static int pid_of_temp(const char *name, long *pid)
{
    const char *t = strstr(name, ".tmp."), *next, *dot;
    size_t n, i;
    int64_t v;
    if (t == NULL)
        return 0;
    /* the last ".tmp." (a path may contain the pattern twice) */
    while ((next = strstr(t + 1, ".tmp.")) != NULL)
        t = next;
    t += 5;
    n = strlen(t);
    if ((dot = strchr(t, '.')) != NULL) {
        if (strlen(dot + 1) != 16)
            return 0;
        for (i = 1; i <= 16; i++)
            if (!((dot[i] >= '0' && dot[i] <= '9') || (dot[i] >= 'a' && dot[i] <= 'f')))
                return 0;
        n = (size_t)(dot - t);
    }
    if (parse_version(t, n, &v) != 0 || v > INT_MAX)
        return 0;
    *pid = (long)v;
    return 1;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* *out = DIR/<name> (file NULL) or DIR/<name>/<file>, after checking name. */
static int entry_path(const xf_store *s, const char *name, const char *file, char **out,
                      xf_error *err)
{
    int rc;
    *out = NULL;
    if ((rc = xf_store_name_check(name, err)) != XF_OK)
        return rc;
    if (file == NULL)
        return mkpath(out, err, "%s/%s", s->dir, name);
    return mkpath(out, err, "%s/%s/%s", s->dir, name, file);
}

/* The "no such entry" error, or XF_OK when the entry directory exists. */
static int entry_exists(const xf_store *s, const char *name, xf_error *err)
{
    char *dir = NULL;
    struct stat st;
    int rc, e;
    if ((rc = entry_path(s, name, NULL, &dir, err)) != XF_OK)
        return rc;
    if (stat(dir, &st) != 0) {
        e = errno;
        if (e == ENOENT)
            rc = xf__fail(err, XF_ENOTFOUND, 0, 0, "store '%s' has no source '%s'", s->dir, name);
        else
            rc = xf__fail(err, XF_EIO, 0, 0, "cannot access '%s': %s", dir, strerror(e));
    } else if (!S_ISDIR(st.st_mode)) {
        rc = xf__fail(err, XF_ENOTFOUND, 0, 0,
                      "store '%s' has no source '%s' ('%s' is not a "
                      "directory)",
                      s->dir, name, dir);
    }
    free(dir);
    return rc;
}

/* Create the entry directory DIR/<name> unless it exists. */
static int ensure_entry(const xf_store *s, const char *name, xf_error *err)
{
    char *dir = NULL;
    int rc;
    if ((rc = entry_path(s, name, NULL, &dir, err)) != XF_OK)
        return rc;
    rc = make_dir(dir, s->dir, err);
    free(dir);
    return rc;
}

/* Is the store's own file `path` a regular file (not a link, FIFO,
 * device...)?  XF_OK; XF_ENOTFOUND when it does not exist; XF_EFORMAT
 * when it is something the store never writes (a damaged entry); XF_EIO. */
static int check_regular(const char *path, xf_error *err)
{
    struct stat st;
    int e;
    if (lstat(path, &st) != 0) {
        e = errno;
        if (e == ENOENT)
            return xf__fail(err, XF_ENOTFOUND, 0, 0, "'%s' does not exist", path);
        return xf__fail(err, XF_EIO, 0, 0, "cannot access '%s': %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode))
        return xf__fail(err, XF_EFORMAT, 0, 0,
                        "'%s' is not a regular file (it is %s); the store writes only "
                        "regular files",
                        path,
                        S_ISLNK(st.st_mode)                          ? "a symbolic link"
                        : S_ISFIFO(st.st_mode)                       ? "a FIFO"
                        : S_ISDIR(st.st_mode)                        ? "a directory"
                        : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                                     : "of another kind");
    return XF_OK;
}

/* Read a small file the store owns into a new NUL-terminated buffer:
 * never through a link, never waiting on a FIFO (xf__read_regular).
 * XF_ENOTFOUND when it does not exist, XF_EFORMAT when it is not a regular
 * file, XF_ERANGE when it has more than max bytes. */
static int read_text(const char *path, size_t max, char **out, size_t *len, xf_error *err)
{
    void *buf = NULL;
    int rc;
    *out = NULL;
    *len = 0;
    if ((rc = check_regular(path, err)) != XF_OK)
        return rc;
    rc = xf__read_regular(path, XF__READ_NOFOLLOW, max, &buf, len, err);
    *out = buf;
    return rc;
}

/* Read CURRENT.  Quiet about what went wrong beyond the status and
 * message: callers add the context. */
static int read_current(const xf_store *s, const char *name, int64_t *version, xf_error *err)
{
    char *path = NULL, *text = NULL, q[64];
    size_t len;
    int rc;
    *version = 0;
    if ((rc = entry_path(s, name, CURRENT_FILE, &path, err)) != XF_OK)
        return rc;
    rc = read_text(path, CURRENT_MAX, &text, &len, err);
    if (rc == XF_ENOTFOUND) {
        rc = entry_exists(s, name, err);
        if (rc == XF_OK)
            rc = xf__fail(err, XF_ENOTFOUND, 0, 0,
                          "source '%s' has no current version yet "
                          "('%s' does not exist)",
                          name, path);
    } else if (rc == XF_ERANGE) {
        rc = xf__fail(err, XF_EFORMAT, 0, 0,
                      "'%s' does not hold a version number (it is "
                      "larger than %d bytes)",
                      path, CURRENT_MAX);
    } else if (rc == XF_OK) {
        size_t n = len;
        if (n > 0 && text[n - 1] == '\n')
            n--;
        if (parse_version(text, n, version) != 0) {
            xf__quote(q, sizeof q, text, len, 40);
            rc = xf__fail(err, XF_EFORMAT, 0, 0, "'%s' does not hold a version number: '%s'", path,
                          q);
        }
    }
    free(text);
    free(path);
    return rc;
}

/* The version files of an entry, ascending. */
/* The next entry of the open directory d (called `what` 'dir' in
 * messages) whose name keep(name, ctx) accepts and whose type is `type`
 * (S_IFREG or S_IFDIR); entries removed meanwhile are skipped.  Sets *name
 * (NULL at the end) and returns XF_OK, or XF_EIO. */
static int next_entry(DIR *d, const char *what, const char *dir,
                      int (*keep)(const char *name, void *ctx), void *ctx, mode_t type,
                      const char **name, xf_error *err)
{
    struct dirent *e;
    struct stat st;
    int en;
    *name = NULL;
    for (;;) {
        errno = 0;
        if ((e = readdir(d)) == NULL) {
            if (errno != 0) {
                en = errno;
                return xf__fail(err, XF_EIO, 0, 0, "cannot read %s '%s': %s", what, dir,
                                strerror(en));
            }
            return XF_OK;
        }
        if (!keep(e->d_name, ctx))
            continue;
        if (fstatat(dirfd(d), e->d_name, &st, 0) != 0) {
            en = errno;
            if (en == ENOENT) /* removed meanwhile */
                continue;
            return xf__fail(err, XF_EIO, 0, 0, "cannot stat '%s/%s': %s", dir, e->d_name,
                            strerror(en));
        }
        if ((st.st_mode & S_IFMT) == type) {
            *name = e->d_name;
            return XF_OK;
        }
    }
}

static int keep_version(const char *name, void *v)
{
    return version_of_file(name, v);
}

static int list_versions(const xf_store *s, const char *name, int64_t **v, size_t *n, xf_error *err)
{
    char *dir = NULL;
    DIR *d = NULL;
    const char *f;
    int64_t *a = NULL, x;
    size_t cap = 0, k = 0;
    int rc, en;
    *v = NULL;
    *n = 0;
    if ((rc = entry_path(s, name, NULL, &dir, err)) != XF_OK)
        return rc;
    if ((d = opendir(dir)) == NULL) {
        en = errno;
        if (en == ENOENT)
            rc = xf__fail(err, XF_ENOTFOUND, 0, 0, "store '%s' has no source '%s'", s->dir, name);
        else
            rc = xf__fail(err, en == ENOMEM ? XF_ENOMEM : XF_EIO, 0, 0,
                          "cannot read directory '%s': %s", dir, strerror(en));
        goto done;
    }
    for (;;) {
        if ((rc = next_entry(d, "directory", dir, keep_version, &x, S_IFREG, &f, err)) != XF_OK)
            goto done;
        if (f == NULL)
            break;
        if (k == cap && xf__grow((void **)&a, &cap, k + 1, sizeof *a) != 0) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            goto done;
        }
        a[k++] = x;
    }
    if (k > 0)
        qsort(a, k, sizeof *a, cmp_i64);
    *v = a;
    *n = k;
    a = NULL;
done:
    if (d != NULL)
        closedir(d);
    free(a);
    free(dir);
    return rc;
}

/* Load a head file, making sure the message names it. */
static int load_head(const char *path, xf_head **out, xf_error *err)
{
    xf_error e;
    int rc;
    xf_error_clear(&e);
    rc = xf_head_load(path, out, &e);
    if (rc == XF_OK)
        return XF_OK;
    if (strstr(e.message, path) != NULL) {
        if (err != NULL)
            *err = e;
        return rc;
    }
    return xf__fail(err, rc, e.line, e.column, "%s: %s", path, e.message);
}

/* Remove the temporary files in an entry whose writer has gone: another
 * process's temporary file may still be being written (a status write by
 * a reader that does not hold the lock), so only files of processes that
 * no longer exist are removed.  A reused PID merely delays the cleanup. */
static int clean_temps(const char *dir, xf_error *err)
{
    DIR *d;
    struct dirent *e;
    long pid, self = (long)getpid();
    int rc = XF_OK, en;
    if ((d = opendir(dir)) == NULL) {
        en = errno;
        return xf__fail(err, en == ENOMEM ? XF_ENOMEM : XF_EIO, 0, 0,
                        "cannot read directory '%s': %s", dir, strerror(en));
    }
    for (;;) {
        errno = 0;
        if ((e = readdir(d)) == NULL) {
            if (errno != 0) {
                en = errno;
                rc = xf__fail(err, XF_EIO, 0, 0, "cannot read directory '%s': %s", dir,
                              strerror(en));
            }
            break;
        }
        if (!pid_of_temp(e->d_name, &pid) || pid <= 0 || pid == self)
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* alive (EPERM: alive, another user's) */
        if (unlinkat(dirfd(d), e->d_name, 0) != 0 && errno != ENOENT) {
            en = errno;
            rc = xf__fail(err, XF_EIO, 0, 0, "cannot remove temporary file '%s/%s': %s", dir,
                          e->d_name, strerror(en));
            break;
        }
    }
    closedir(d);
    return rc;
}

/* Write CURRENT = version, atomically. */
static int write_current(const char *path, int64_t version, xf_error *err)
{
    char text[32];
    int k = snprintf(text, sizeof text, "%" PRId64 "\n", version);
    xf__write_opts o;
    xf__write_opts_init(&o);
    o.own = 1; /* a FIFO or link planted as CURRENT is replaced */
    return xf__atomic_write(path, text, (size_t)k, &o, err);
}

/* Write PINNED = "version from\n", atomically. */
static int write_pin(const char *path, int64_t version, int64_t from, xf_error *err)
{
    char text[64];
    int k = snprintf(text, sizeof text, "%" PRId64 " %" PRId64 "\n", version, from);
    xf__write_opts o;
    xf__write_opts_init(&o);
    o.own = 1;
    return xf__atomic_write(path, text, (size_t)k, &o, err);
}

/* ------------------------------------------------------------ the store */

int xf_store_open(const char *dir, int create, xf_store **out, xf_error *err)
{
    xf_store *s;
    struct stat st;
    size_t len;
    int rc = XF_OK, e;

    *out = NULL;
    if (dir == NULL || dir[0] == '\0')
        return xf__fail(err, XF_EINVAL, 0, 0, "no store directory given");
    if ((s = calloc(1, sizeof *s)) == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    if ((s->dir = xf__strndup(dir, len)) == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto fail;
    }
    if (create && (rc = make_dirs(s->dir, err)) != XF_OK)
        goto fail;
    if (stat(s->dir, &st) != 0) {
        e = errno;
        if (e == ENOENT)
            rc = xf__fail(err, XF_ENOTFOUND, 0, 0, "store '%s' does not exist", s->dir);
        else
            rc = xf__fail(err, XF_EIO, 0, 0, "cannot open store '%s': %s", s->dir, strerror(e));
        goto fail;
    }
    if (!S_ISDIR(st.st_mode)) {
        rc = xf__fail(err, XF_EINVAL, 0, 0, "store '%s' is not a directory", s->dir);
        goto fail;
    }
    *out = s;
    return XF_OK;
fail:
    xf_store_close(s);
    return rc;
}

void xf_store_close(xf_store *s)
{
    if (s == NULL)
        return;
    free(s->dir);
    free(s);
}

const char *xf_store_dir(const xf_store *s)
{
    return s->dir;
}

int xf_store_name_check(const char *name, xf_error *err)
{
    char q[80];
    size_t len, i;
    if (name == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "no source name given");
    len = strlen(name);
    if (len == 0)
        return xf__fail(err, XF_EINVAL, 0, 0, "empty source name");
    xf__quote(q, sizeof q, name, len, 60);
    if (len > XF_STORE_NAME_MAX)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "source name '%s' is %zu bytes long; the limit "
                        "is %d",
                        q, len, XF_STORE_NAME_MAX);
    if (name[0] == '.')
        return xf__fail(err, XF_EINVAL, 0, 0, "source name '%s' starts with '.'", q);
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (valid_char(name[i]))
            continue;
        if (c > 0x20 && c < 0x7f)
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "source name '%s' contains '%c'; names use "
                            "letters, digits, '.', '_' and '-'",
                            q, c);
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "source name '%s' contains byte 0x%02x; names "
                        "use letters, digits, '.', '_' and '-'",
                        q, c);
    }
    return XF_OK;
}

static int keep_name(const char *name, void *unused)
{
    (void)unused;
    return xf_store_name_check(name, NULL) == XF_OK;
}

int xf_store_list(const xf_store *s, char ***names, size_t *n, xf_error *err)
{
    DIR *d;
    const char *f;
    char **a = NULL;
    size_t cap = 0, k = 0;
    int rc = XF_OK, en;

    *names = NULL;
    *n = 0;
    if ((d = opendir(s->dir)) == NULL) {
        en = errno;
        return xf__fail(err, en == ENOMEM ? XF_ENOMEM : XF_EIO, 0, 0,
                        "cannot read store directory '%s': %s", s->dir, strerror(en));
    }
    for (;;) {
        if ((rc = next_entry(d, "store directory", s->dir, keep_name, NULL, S_IFDIR, &f, err)) !=
            XF_OK)
            goto fail;
        if (f == NULL)
            break;
        if (k == cap && xf__grow((void **)&a, &cap, k + 1, sizeof *a) != 0) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            goto fail;
        }
        if ((a[k] = xf__strndup(f, strlen(f))) == NULL) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            goto fail;
        }
        k++;
    }
    closedir(d);
    if (k > 0)
        qsort(a, k, sizeof *a, cmp_str);
    *names = a;
    *n = k;
    return XF_OK;
fail:
    closedir(d);
    xf_store_names_free(a, k);
    return rc;
}

void xf_store_names_free(char **names, size_t n)
{
    size_t i;
    if (names == NULL)
        return;
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* ------------------------------------------------------------ locking */

int xf_store_lock(xf_store *s, const char *name, int wait, xf_lock **out, xf_error *err)
{
    char *path = NULL;
    xf_lock *l = NULL;
    int fd = -1, rc, e;

    *out = NULL;
    if ((rc = entry_path(s, name, LOCK_FILE, &path, err)) != XF_OK)
        return rc;
    if ((rc = ensure_entry(s, name, err)) != XF_OK)
        goto done;
    /* never through a link, never a FIFO or device */
    if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0666)) <
        0) {
        e = errno;
        rc = xf__fail(err, XF_EIO, 0, 0, "cannot open lock file '%s': %s", path, strerror(e));
        goto done;
    }
    {
        struct stat st;
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            rc = xf__fail(err, XF_EIO, 0, 0, "lock file '%s' is not a regular file", path);
            goto done;
        }
    }
    while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
        e = errno;
        if (e == EINTR)
            continue;
        if (e == EWOULDBLOCK)
            rc = xf__fail(err, XF_EBUSY, 0, 0,
                          "source '%s' is locked by another process "
                          "(lock file '%s'); try again when it has finished",
                          name, path);
        else
            rc = xf__fail(err, XF_EIO, 0, 0, "cannot lock '%s': %s", path, strerror(e));
        goto done;
    }
    if ((l = malloc(sizeof *l)) == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    l->fd = fd;
    fd = -1;
    *out = l;
done:
    if (fd >= 0)
        close(fd); /* releases the lock if we took it */
    free(path);
    return rc;
}

void xf_store_unlock(xf_lock *l)
{
    if (l == NULL)
        return;
    /* closing the only descriptor of the open file releases the flock; the
     * explicit unlock also covers descriptors duplicated by fork */
    flock(l->fd, LOCK_UN);
    close(l->fd);
    free(l);
}

/* ------------------------------------------------------------ versions */

int xf_store_current(const xf_store *s, const char *name, int64_t *version, xf_error *err)
{
    return read_current(s, name, version, err);
}

int xf_store_versions(const xf_store *s, const char *name, int64_t **v, size_t *n, xf_error *err)
{
    return list_versions(s, name, v, n, err);
}

int xf_store_version_path(const xf_store *s, const char *name, int64_t version, char *buf,
                          size_t len, xf_error *err)
{
    int k, rc;
    if ((rc = xf_store_name_check(name, err)) != XF_OK)
        return rc;
    if (version < 1)
        return xf__fail(err, XF_EINVAL, 0, 0, "version %" PRId64 " of '%s': versions start at 1",
                        version, name);
    k = snprintf(buf, len, "%s/%s/v%" PRId64 ".xfm", s->dir, name, version);
    if (k < 0 || (size_t)k >= len)
        return xf__fail(err, XF_ERANGE, 0, 0,
                        "the path of '%s' version %" PRId64 " needs %d bytes; the buffer has %zu",
                        name, version, k + 1, len);
    return XF_OK;
}

int xf_store_commit(xf_store *s, const char *name, const xf_head *head, int keep,
                    int64_t *version_out, xf_error *err)
{
    char *dir = NULL, *vpath = NULL, *cpath = NULL, *old = NULL;
    int64_t *v = NULL, cur = 0, top, now = 0;
    size_t n = 0, i, remain;
    int rc, e;

    if (version_out != NULL)
        *version_out = 0;
    if ((rc = entry_path(s, name, NULL, &dir, err)) != XF_OK)
        return rc;
    if (keep < 1) {
        rc = xf__fail(err, XF_EINVAL, 0, 0,
                      "cannot commit to '%s': keep must be at least 1 "
                      "(got %d)",
                      name, keep);
        goto done;
    }
    if (head == NULL) {
        rc = xf__fail(err, XF_EINVAL, 0, 0, "cannot commit to '%s': no head given", name);
        goto done;
    }
    if ((rc = ensure_entry(s, name, err)) != XF_OK ||
        (rc = list_versions(s, name, &v, &n, err)) != XF_OK ||
        (rc = mkpath(&cpath, err, "%s/%s", dir, CURRENT_FILE)) != XF_OK)
        goto done;
    /* A number is never reused, even if its file was removed by hand while
     * CURRENT still names it.  A damaged CURRENT does not stop a commit: the
     * commit is what repairs it. */
    rc = read_current(s, name, &cur, err);
    if (rc != XF_OK && rc != XF_ENOTFOUND && rc != XF_EFORMAT)
        goto done;
    rc = XF_OK;
    top = n > 0 && v[n - 1] > cur ? v[n - 1] : cur;
    if (top == INT64_MAX) {
        rc = xf__fail(err, XF_ERANGE, 0, 0,
                      "cannot commit to '%s': version numbers are "
                      "exhausted",
                      name);
        goto done;
    }
    if ((rc = mkpath(&vpath, err, "%s/v%" PRId64 ".xfm", dir, top + 1)) != XF_OK)
        goto done;

    /* 1. The new version, complete and durable (xf_head_save syncs the file
     * and the directory).  If only that directory sync failed, the file is
     * there: remove it, since it never became current.  Something that is
     * not a regular file at its name (a FIFO, a link: no file the store
     * wrote) goes first, so that the save replaces it instead of writing
     * into it. */
    {
        struct stat st;
        if (lstat(vpath, &st) == 0 && !S_ISREG(st.st_mode) && unlink(vpath) != 0) {
            e = errno;
            rc = xf__fail(err, XF_EIO, 0, 0, "cannot commit to '%s': cannot remove '%s': %s", name,
                          vpath, strerror(e));
            goto done;
        }
    }
    if ((rc = xf_head_save(head, vpath, err)) != XF_OK) {
        unlink(vpath); /* best effort, usually ENOENT: the error to report is rc */
        goto done;
    }
    /* ... and one that loads: a head its loader refuses (a value past a
     * limit the fit did not check) must not become current, or the next
     * run would call it damaged, fit another, and after `keep` runs prune
     * the last good version. */
    {
        xf_head *back = NULL;
        xf_error le;
        if (xf_head_load(vpath, &back, &le) != XF_OK) {
            unlink(vpath);
            rc = xf__fail(err, le.code == XF_ENOMEM ? XF_ENOMEM : XF_EINVAL, 0, 0,
                          "cannot commit to '%s': the head written does not load back (%s)", name,
                          le.message);
            goto done;
        }
        xf_head_free(back);
    }

    /* 2. The switch: one rename. */
    if ((rc = write_current(cpath, top + 1, err)) != XF_OK) {
        xf_error ignored;
        int64_t now_cur = 0;
        /* If the rename happened and only the directory sync failed, the
         * commit has taken effect; otherwise the new file goes. */
        if (read_current(s, name, &now_cur, &ignored) == XF_OK && now_cur == top + 1)
            now = top + 1;
        else
            unlink(vpath); /* best effort: an orphan would be harmless */
        goto done;
    }
    now = top + 1;

    /* A new champion ends a rollback's pin.  Best effort: a pin that names
     * a version other than the current one is no pin (xf_store_pinned). */
    free(old);
    if ((rc = mkpath(&old, err, "%s/%s", dir, PIN_FILE)) != XF_OK)
        goto done;
    if (unlink(old) == 0) {
        xf_error ignored;
        sync_dir(dir, &ignored);
    }

    /* 3. Pruning, oldest first.  Failures from here on are reported, but the
     * commit stands (*version_out says so). */
    remain = n + 1;
    for (i = 0; i < n && remain > (size_t)keep; i++) {
        free(old);
        if ((rc = mkpath(&old, err, "%s/v%" PRId64 ".xfm", dir, v[i])) != XF_OK)
            goto done;
        if (unlink(old) != 0 && errno != ENOENT) {
            e = errno;
            rc = xf__fail(err, XF_EIO, 0, 0,
                          "version %" PRId64 " of '%s' is now current, but "
                          "cannot remove old version '%s': %s",
                          now, name, old, strerror(e));
            goto done;
        }
        remain--;
    }

    /* 4. Leftovers of writers that crashed. */
    if ((rc = clean_temps(dir, err)) != XF_OK) {
        xf_error inner = {0};
        if (err != NULL)
            inner = *err;
        rc = xf__fail(err, rc, 0, 0, "version %" PRId64 " of '%s' is now current, but %s", now,
                      name, inner.message);
    }

done:
    if (version_out != NULL)
        *version_out = now;
    free(old);
    free(v);
    free(vpath);
    free(cpath);
    free(dir);
    return rc;
}

int xf_store_set_current(xf_store *s, const char *name, int64_t version, int64_t *now_current,
                         xf_error *err)
{
    char *vpath = NULL, *cpath = NULL, *ppath = NULL;
    int64_t *v = NULL, cur = 0, target = version, pv = 0, from = 0;
    size_t n = 0, i;
    xf_head *h = NULL;
    int rc;

    if (now_current != NULL)
        *now_current = 0;
    if ((rc = entry_path(s, name, CURRENT_FILE, &cpath, err)) != XF_OK)
        return rc;
    if (version < 0) {
        rc = xf__fail(err, XF_EINVAL, 0, 0,
                      "version %" PRId64 " of '%s': versions are 1, 2, "
                      "... (0 for the one before the current)",
                      version, name);
        goto done;
    }
    /* An explicit version repairs a damaged or missing CURRENT; "the
     * previous one" needs a current one to count from. */
    rc = read_current(s, name, &cur, err);
    if (rc != XF_OK && (version == 0 || (rc != XF_EFORMAT && rc != XF_ENOTFOUND)))
        goto done;
    rc = XF_OK;
    if (version == 0) {
        if ((rc = list_versions(s, name, &v, &n, err)) != XF_OK)
            goto done;
        target = 0;
        for (i = 0; i < n; i++)
            if (v[i] < cur)
                target = v[i];
        if (target == 0) {
            rc = xf__fail(err, XF_ENOTFOUND, 0, 0,
                          "source '%s' has no version older than the "
                          "current one (%" PRId64 ")",
                          name, cur);
            goto done;
        }
    }
    if ((rc = mkpath(&vpath, err, "%s/%s/v%" PRId64 ".xfm", s->dir, name, target)) != XF_OK)
        goto done;
    if ((rc = check_regular(vpath, err)) != XF_OK) {
        if (rc == XF_ENOTFOUND)
            rc = xf__fail(err, XF_ENOTFOUND, 0, 0,
                          "source '%s' has no version %" PRId64 " ('%s' does not exist)", name,
                          target, vpath);
        goto done;
    }
    if ((rc = load_head(vpath, &h, err)) != XF_OK)
        goto done;
    /* Rolling back again keeps the version the first rollback left: the
     * newest data and configuration are what that one saw. */
    if ((rc = xf_store_pinned(s, name, &pv, &from, err)) != XF_OK)
        goto done;
    if (pv == 0)
        from = cur > 0 ? cur : target;
    if (target != cur && (rc = write_current(cpath, target, err)) != XF_OK) {
        xf_error ignored;
        int64_t now_cur = 0;
        if (read_current(s, name, &now_cur, &ignored) == XF_OK && now_cur == target &&
            now_current != NULL)
            *now_current = target; /* only the directory sync failed */
        goto done;
    }
    if (now_current != NULL)
        *now_current = target;
    /* the pin: a retrain keeps this version until the data or the
     * configuration changes (xf_store_pinned) */
    if ((rc = mkpath(&ppath, err, "%s/%s/%s", s->dir, name, PIN_FILE)) != XF_OK ||
        (rc = write_pin(ppath, target, from, err)) != XF_OK) {
        xf_error inner = {0};
        if (err != NULL)
            inner = *err;
        rc = xf__fail(err, rc, 0, 0, "version %" PRId64 " of '%s' is now current, but %s", target,
                      name, inner.message);
    }
done:
    free(ppath);
    xf_head_free(h);
    free(v);
    free(vpath);
    free(cpath);
    return rc;
}

/* Load version `version` (>= 1) of an entry. */
static int load_version(const xf_store *s, const char *name, int64_t version, xf_head **out,
                        xf_error *err)
{
    char *vpath = NULL;
    int rc;
    if ((rc = mkpath(&vpath, err, "%s/%s/v%" PRId64 ".xfm", s->dir, name, version)) != XF_OK)
        return rc;
    /* a link, FIFO or device is no version the store wrote: damaged (and
     * xf_xfm_load opens it O_NONBLOCK and checks it again, so that one
     * swapped in meanwhile cannot hang the load either) */
    rc = check_regular(vpath, err);
    if (rc == XF_ENOTFOUND) {
        if ((rc = entry_exists(s, name, err)) == XF_OK)
            rc = xf__fail(err, XF_ENOTFOUND, 0, 0,
                          "source '%s' has no version %" PRId64 " ('%s' does not exist)", name,
                          version, vpath);
    } else if (rc == XF_OK) {
        rc = load_head(vpath, out, err);
    }
    free(vpath);
    return rc;
}

/* Load the version CURRENT names into *out, *version = its number.  A
 * commit may replace CURRENT and prune the version it named between our
 * reading CURRENT and opening that version: when the load fails and
 * CURRENT has moved on, load the new one instead. */
static int load_current(const xf_store *s, const char *name, xf_head **out, int64_t *version,
                        xf_error *err)
{
    int64_t want, again;
    int rc, tries;
    *version = 0;
    for (tries = 0;; tries++) {
        xf_error ignored;
        if ((rc = read_current(s, name, &want, err)) != XF_OK)
            return rc;
        *version = want;
        if ((rc = load_version(s, name, want, out, err)) == XF_OK || tries == 4)
            return rc;
        if (read_current(s, name, &again, &ignored) != XF_OK || again == want)
            return rc;
    }
}

int xf_store_load(const xf_store *s, const char *name, int64_t version, xf_head **out,
                  xf_error *err)
{
    int64_t want;
    int rc;

    *out = NULL;
    if ((rc = xf_store_name_check(name, err)) != XF_OK)
        return rc;
    if (version < 0)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "version %" PRId64 " of '%s': versions are 1, "
                        "2, ... (0 for the current one)",
                        version, name);
    if (version > 0)
        return load_version(s, name, version, out, err);
    return load_current(s, name, out, &want, err);
}

int xf_store_load_current(const xf_store *s, const char *name, xf_head **out, int64_t *version,
                          xf_error *warning, xf_error *err)
{
    xf_error why;
    int64_t cur = 0, *v = NULL;
    size_t n = 0, i;
    int rc, rc_why;

    *out = NULL;
    *version = 0;
    if (warning != NULL)
        xf_error_clear(warning);
    if ((rc = xf_store_name_check(name, err)) != XF_OK)
        return rc;
    xf_error_clear(&why);
    rc_why = load_current(s, name, out, &cur, &why);
    if (rc_why == XF_OK) {
        *version = cur;
        return XF_OK;
    }
    /* no entry, no CURRENT yet (nothing was ever committed), or no memory:
     * nothing to fall back from */
    if (rc_why == XF_ENOMEM || rc_why == XF_EINVAL ||
        (rc_why == XF_ENOTFOUND && (read_current(s, name, &cur, NULL) == XF_ENOTFOUND))) {
        if (err != NULL)
            *err = why;
        return rc_why;
    }
    /* CURRENT is damaged, or names a version that is missing or cannot be
     * loaded: the newest version that loads, if any */
    if (read_current(s, name, &cur, NULL) != XF_OK)
        cur = 0;
    if ((rc = list_versions(s, name, &v, &n, err)) != XF_OK)
        return rc;
    rc = XF_ENOTFOUND;
    for (i = n; i-- > 0;) {
        if (v[i] == cur)
            continue; /* the one that just failed */
        rc = load_version(s, name, v[i], out, NULL);
        if (rc == XF_OK || rc == XF_ENOMEM)
            break;
    }
    if (rc == XF_OK) {
        *version = v[i];
        xf__fail(warning, rc_why, 0, 0,
                 "%s; using v%" PRId64 ", the newest version that loads (the next commit "
                 "repairs CURRENT)",
                 why.message, v[i]);
    } else if (rc == XF_ENOMEM) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    } else {
        rc = xf__fail(err, rc_why, 0, 0, "%s; no other version of '%s' loads", why.message, name);
    }
    free(v);
    return rc;
}

/* ------------------------------------------------------------ status */

int xf_store_write_status(xf_store *s, const char *name, const char *text, xf_error *err)
{
    char *path = NULL;
    int rc;
    if ((rc = entry_path(s, name, STATUS_FILE, &path, err)) != XF_OK)
        return rc;
    if (text == NULL)
        rc = xf__fail(err, XF_EINVAL, 0, 0, "no status text given for '%s'", name);
    else if ((rc = ensure_entry(s, name, err)) == XF_OK) {
        xf__write_opts o;
        xf__write_opts_init(&o);
        o.own = 1;
        rc = xf__atomic_write(path, text, strlen(text), &o, err);
    }
    free(path);
    return rc;
}

int xf_store_read_status(const xf_store *s, const char *name, char **text, xf_error *err)
{
    char *path = NULL;
    size_t len;
    int rc;
    *text = NULL;
    if ((rc = entry_path(s, name, STATUS_FILE, &path, err)) != XF_OK)
        return rc;
    rc = read_text(path, STATUS_MAX, text, &len, err);
    if (rc == XF_ENOTFOUND && (rc = entry_exists(s, name, err)) == XF_OK)
        rc = xf__fail(err, XF_ENOTFOUND, 0, 0,
                      "source '%s' has no status ('%s' does not "
                      "exist)",
                      name, path);
    free(path);
    return rc;
}

/* ------------------------------------------------------------ pins */

int xf_store_pinned(const xf_store *s, const char *name, int64_t *version, int64_t *from,
                    xf_error *err)
{
    char *path = NULL, *text = NULL, *end;
    int64_t cur = 0, v, f;
    size_t len;
    int rc;
    *version = 0;
    if (from != NULL)
        *from = 0;
    if ((rc = entry_path(s, name, PIN_FILE, &path, err)) != XF_OK)
        return rc;
    rc = read_text(path, CURRENT_MAX, &text, &len, err);
    if (rc == XF_ENOTFOUND || rc == XF_ERANGE || rc == XF_EFORMAT) {
        /* no pin; an oversized file or one that is not a regular file is
         * no pin this code wrote */
        rc = XF_OK;
        goto done;
    }
    if (rc != XF_OK)
        goto done;
    /* "N M\n"; anything else is no pin (a damaged pin must not stop
     * retraining: the worst it can do is let a retrain run) */
    errno = 0;
    v = (int64_t)strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != ' ' || v < 1)
        goto done;
    f = (int64_t)strtoll(end + 1, &end, 10);
    if (errno != 0 || f < 1 || (*end != '\n' && *end != '\0'))
        goto done;
    /* a pin counts only while its version is the current one */
    if ((rc = read_current(s, name, &cur, err)) != XF_OK) {
        if (rc == XF_ENOTFOUND || rc == XF_EFORMAT)
            rc = XF_OK;
        goto done;
    }
    if (cur == v) {
        *version = v;
        if (from != NULL)
            *from = f;
    }
done:
    free(text);
    free(path);
    return rc;
}

int xf_store_unpin(xf_store *s, const char *name, int *was_pinned, xf_error *err)
{
    char *path = NULL, *dir = NULL;
    int64_t v = 0;
    int rc, e;
    if (was_pinned != NULL)
        *was_pinned = 0;
    if ((rc = xf_store_pinned(s, name, &v, NULL, err)) != XF_OK ||
        (rc = entry_path(s, name, PIN_FILE, &path, err)) != XF_OK ||
        (rc = entry_path(s, name, NULL, &dir, err)) != XF_OK)
        goto done;
    if (unlink(path) != 0) {
        e = errno;
        if (e != ENOENT)
            rc = xf__fail(err, XF_EIO, 0, 0, "cannot remove '%s': %s", path, strerror(e));
        else if ((rc = entry_exists(s, name, err)) == XF_OK)
            rc = XF_OK;
        goto done;
    }
    rc = sync_dir(dir, err);
    if (was_pinned != NULL)
        *was_pinned = v > 0;
done:
    free(dir);
    free(path);
    return rc;
}

/* A status text with the lines of `keys` replaced by `vals` (or added), in
 * a new string (NULL when out of memory). */
static char *status_with(const char *text, const char *const *keys, const char *const *vals,
                         size_t n)
{
    char *buf = NULL;
    size_t len = 0, k;
    FILE *fp = open_memstream(&buf, &len);
    const char *p = text != NULL ? text : "";
    if (fp == NULL)
        return NULL;
    while (*p != '\0') {
        const char *e = strchr(p, '\n');
        size_t l = e != NULL ? (size_t)(e - p) : strlen(p);
        int skip = 0;
        for (k = 0; k < n && !skip; k++)
            skip = strncmp(p, keys[k], strlen(keys[k])) == 0 && p[strlen(keys[k])] == ':';
        if (!skip)
            fprintf(fp, "%.*s\n", (int)l, p);
        p += l + (e != NULL);
    }
    for (k = 0; k < n; k++)
        fprintf(fp, "%s: %s\n", keys[k], vals[k]);
    if (fclose(fp) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

int xf_store_rollback(xf_store *s, const char *name, int64_t version, int64_t *was, int64_t *now,
                      xf_error *err)
{
    xf_lock *lock = NULL;
    int64_t before = 0, after = 0;
    int rc;
    if (was != NULL)
        *was = 0;
    if (now != NULL)
        *now = 0;
    if (s == NULL || name == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "xf_store_rollback: NULL argument");
    if ((rc = xf_store_name_check(name, err)) != XF_OK ||
        (rc = xf_store_lock(s, name, 0, &lock, err)) != XF_OK)
        return rc;
    xf_store_current(s, name, &before, NULL);
    rc = xf_store_set_current(s, name, version, &after, err);
    if (after > 0) {
        /* the status says what is current now, and why */
        char *text = NULL, *next, ver[32], msg[256], when[48];
        const char *keys[] = {"outcome", "version", "last_run", "message"};
        const char *vals[4];
        xf_error e2;
        xf_time_format((xf_time)time(NULL) * 1000000, 0, when, sizeof when);
        snprintf(ver, sizeof ver, "%lld", (long long)after);
        snprintf(msg, sizeof msg,
                 "rolled back from v%lld to v%lld, pinned until retrain finds new data or a "
                 "changed configuration",
                 (long long)before, (long long)after);
        vals[0] = "rolled-back", vals[1] = ver, vals[2] = when, vals[3] = msg;
        if (xf_store_read_status(s, name, &text, NULL) != XF_OK)
            text = NULL;
        next = status_with(text, keys, vals, 4);
        if (next == NULL || xf_store_write_status(s, name, next, &e2) != XF_OK) {
            if (rc == XF_OK)
                rc = next == NULL ? xf__fail(err, XF_ENOMEM, 0, 0,
                                             "v%lld is current, but the status is not updated: "
                                             "out of memory",
                                             (long long)after)
                                  : xf__fail(err, e2.code, 0, 0,
                                             "v%lld is current, but the status is not updated: %s",
                                             (long long)after, e2.message);
        }
        free(next);
        free(text);
    }
    xf_store_unlock(lock);
    if (was != NULL)
        *was = before;
    if (now != NULL)
        *now = after;
    return rc;
}
