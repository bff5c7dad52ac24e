/* test_fileio.c - the atomic writer and the regular-file reader
 * (src/fileio.c): outputs that never destroy data, inputs that cannot make
 * a read hang or run without bound.
 *
 * Writing: a planted symbolic link at the old, PID-predictable temporary
 * name redirects nothing; temporary names differ between writes; a link of
 * the caller's to a regular file replaces that file and stays a link; a
 * dangling link, a link to a directory and (as root) another user's link
 * are refused; a FIFO and /dev/null are written directly and stay what
 * they are; /dev/stdout redirected to a file appends to that very file; a
 * replaced file keeps its permission bits.  Reading: /dev/zero, a FIFO with
 * no writer, a directory fail at once; O_NOFOLLOW refuses a link; the size
 * bound is checked before reading; xf_xfm_load refuses /dev/zero.
 *
 * Every potentially blocking step runs under alarm(): a regression fails
 * (SIGALRM) instead of hanging the test suite.
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

#include <xfcast.h>
#include <xfcast/fileio.h>

#include "../src/fileio.h"
#include "testutil.h"

static char tmpdir[] = "/tmp/xf_test_fileio_XXXXXX";

static void tmp_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", tmpdir, name);
}

static int has_text(const char *path, const char *want)
{
    size_t n;
    unsigned char *got = tu_read_file(path, &n);
    int ok = got != NULL && n == strlen(want) && memcmp(got, want, n) == 0;
    free(got);
    return ok;
}

/* A planted link at any temporary name a writer could pick never sends the
 * bytes elsewhere; the temporary names are not the PID alone. */
static void test_planted_links(void)
{
    char out[256], victim[256], link[300];
    xf_error err;
    int rc;
    tmp_path(out, sizeof out, "out.csv");
    tmp_path(victim, sizeof victim, "victim.txt");
    CHECK(tu_write_file(victim, "precious\n", 9) == 0);
    /* the old name PATH.tmp.PID, and a few near it */
    snprintf(link, sizeof link, "%s.tmp.%ld", out, (long)getpid());
    CHECK(symlink(victim, link) == 0);
    snprintf(link, sizeof link, "%s.tmp.%ld.0000000000000000", out, (long)getpid());
    CHECK(symlink(victim, link) == 0);
    rc = xf_file_write_atomic(out, "id,mean\na,2.385\n", 16, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    CHECK(has_text(victim, "precious\n"));
    CHECK(has_text(out, "id,mean\na,2.385\n"));
    /* again over the existing file: still the victim untouched */
    rc = xf_file_write_atomic(out, "id,mean\nb,7.125\n", 16, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    CHECK(has_text(victim, "precious\n"));
    CHECK(has_text(out, "id,mean\nb,7.125\n"));
    /* only the two planted links are left (plus nothing of ours) */
    CHECK_INT(tu_count_temp_files(tmpdir), 2);
    snprintf(link, sizeof link, "%s.tmp.%ld", out, (long)getpid());
    unlink(link);
    snprintf(link, sizeof link, "%s.tmp.%ld.0000000000000000", out, (long)getpid());
    unlink(link);
    unlink(out);
    unlink(victim);
}

/* A link of the caller's to a regular file: that file is replaced, and
 * keeps its mode; the link stays a link.  Dangling links and links to
 * directories are refused; as root, another user's link is refused. */
static void test_symlink_targets(void)
{
    char target[256], link[256], dir[256], dlink[256], missing[256];
    struct stat st;
    xf_error err;
    int rc;
    tmp_path(target, sizeof target, "real.xfm");
    tmp_path(link, sizeof link, "link.xfm");
    CHECK(tu_write_file(target, "old", 3) == 0);
    CHECK(chmod(target, 0600) == 0);
    CHECK(symlink("real.xfm", link) == 0);
    rc = xf_file_write_atomic(link, "new bytes", 9, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    CHECK(has_text(target, "new bytes"));
    CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(stat(target, &st) == 0 && (st.st_mode & 0777) == 0600);
    CHECK_INT(tu_count_temp_files(tmpdir), 0);

    /* dangling: nothing is created at the link's target */
    tmp_path(missing, sizeof missing, "nowhere.csv");
    tmp_path(dlink, sizeof dlink, "dangling.csv");
    CHECK(symlink("nowhere.csv", dlink) == 0);
    rc = xf_file_write_atomic(dlink, "x", 1, &err);
    CHECK_INT(rc, XF_EIO);
    CHECK_MSG(strstr(err.message, "symbolic link") != NULL, "%s", err.message);
    CHECK(access(missing, F_OK) != 0);
    CHECK(lstat(dlink, &st) == 0 && S_ISLNK(st.st_mode));
    unlink(dlink);

    /* to a directory: refused, the link stays */
    tmp_path(dir, sizeof dir, "adir");
    CHECK(mkdir(dir, 0700) == 0);
    CHECK(symlink("adir", dlink) == 0);
    rc = xf_file_write_atomic(dlink, "x", 1, &err);
    CHECK_INT(rc, XF_EIO);
    CHECK_MSG(strstr(err.message, "directory") != NULL, "%s", err.message);
    CHECK(lstat(dlink, &st) == 0 && S_ISLNK(st.st_mode));
    unlink(dlink);
    rmdir(dir);

    /* another user's link (only root can make one) */
    if (geteuid() == 0) {
        CHECK(symlink("real.xfm", dlink) == 0);
        CHECK(lchown(dlink, 65534, 65534) == 0);
        rc = xf_file_write_atomic(dlink, "redirected", 10, &err);
        CHECK_INT(rc, XF_EIO);
        CHECK_MSG(strstr(err.message, "another user") != NULL, "%s", err.message);
        CHECK(has_text(target, "new bytes"));
        CHECK(lstat(dlink, &st) == 0 && S_ISLNK(st.st_mode));
        unlink(dlink);
    }
    CHECK_INT(tu_count_temp_files(tmpdir), 0);
    unlink(link);
    unlink(target);
}

/* A FIFO and a character device are written directly, never replaced. */
static void test_special_files(void)
{
    char fifo[256], buf[64];
    struct stat st;
    xf_error err;
    ssize_t got;
    int rd, rc;
    tmp_path(fifo, sizeof fifo, "pipe.csv");
    CHECK(mkfifo(fifo, 0600) == 0);
    /* a reader first, so that the writer's open does not wait */
    rd = open(fifo, O_RDONLY | O_NONBLOCK);
    CHECK(rd >= 0);
    alarm(10);
    rc = xf_file_write_atomic(fifo, "id,mean\na,1.5\n", 14, &err);
    alarm(0);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    got = rd >= 0 ? read(rd, buf, sizeof buf) : -1;
    CHECK_INT(got, 14);
    CHECK(got == 14 && memcmp(buf, "id,mean\na,1.5\n", 14) == 0);
    if (rd >= 0)
        close(rd);
    CHECK(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
    CHECK_INT(tu_count_temp_files(tmpdir), 0);
    unlink(fifo);

    /* /dev/null stays a device (as root, a rename would have replaced it) */
    rc = xf_file_write_atomic("/dev/null", "discarded\n", 10, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
    CHECK(access("/dev/null.tmp", F_OK) != 0);
}

/* /dev/stdout redirected to a file: the bytes go to that file (appended,
 * as the shell's descriptor would write them), which is not replaced. */
static void test_stdout_alias(void)
{
    char path[256];
    struct stat before, after;
    xf_error err;
    int fd, saved, rc;
    tmp_path(path, sizeof path, "redirected.out");
    CHECK(tu_write_file(path, "earlier\n", 8) == 0);
    fd = open(path, O_WRONLY | O_APPEND);
    CHECK(fd >= 0);
    fflush(stdout);
    saved = dup(1);
    CHECK(saved >= 0);
    if (fd < 0 || saved < 0)
        return;
    CHECK(stat(path, &before) == 0);
    dup2(fd, 1);
    rc = xf_file_write_atomic("/dev/stdout", "forecast\n", 9, &err);
    dup2(saved, 1);
    close(saved);
    close(fd);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    CHECK(stat(path, &after) == 0 && after.st_ino == before.st_ino);
    CHECK(has_text(path, "earlier\nforecast\n"));
    unlink(path);
}

/* The reader: regular files only, checked before a byte is read. */
static void test_reader(void)
{
    char fifo[256], file[256], link[256], dir[256];
    void *p = NULL;
    size_t n = 0;
    xf_error err;
    xf_xfm *mf = (xf_xfm *)1;
    int rc;

    alarm(10);
    rc = xf__read_regular("/dev/zero", 0, XF__XFM_MAX_BYTES, &p, &n, &err);
    CHECK_INT(rc, XF_EIO);
    CHECK(p == NULL && n == 0);
    CHECK_STR(err.message, "'/dev/zero' is not a regular file (it is a character device)");
    rc = xf_xfm_load("/dev/zero", &mf, &err);
    CHECK_INT(rc, XF_EIO);
    CHECK(mf == NULL);
    CHECK_MSG(strstr(err.message, "not a regular file") != NULL, "%s", err.message);

    /* a FIFO with no writer: refused at once (the open does not wait) */
    tmp_path(fifo, sizeof fifo, "v1.xfm");
    CHECK(mkfifo(fifo, 0600) == 0);
    rc = xf__read_regular(fifo, 0, 1 << 20, &p, &n, &err);
    CHECK_INT(rc, XF_EIO);
    CHECK_MSG(strstr(err.message, "a FIFO") != NULL, "%s", err.message);
    rc = xf_xfm_load(fifo, &mf, &err);
    CHECK_INT(rc, XF_EIO);
    alarm(0);
    unlink(fifo);

    /* a link: followed unless XF__READ_NOFOLLOW */
    tmp_path(file, sizeof file, "status");
    tmp_path(link, sizeof link, "status.link");
    CHECK(tu_write_file(file, "outcome: kept\n", 14) == 0);
    CHECK(symlink("status", link) == 0);
    rc = xf__read_regular(link, 0, 1 << 20, &p, &n, &err);
    CHECK_MSG(rc == XF_OK && n == 14 && memcmp(p, "outcome: kept\n", 14) == 0, "%s", err.message);
    CHECK(p != NULL && ((uintptr_t)p) % 64 == 0 && ((char *)p)[n] == '\0');
    free(p);
    p = NULL;
    rc = xf__read_regular(link, XF__READ_NOFOLLOW, 1 << 20, &p, &n, &err);
    CHECK_INT(rc, XF_EIO);
    CHECK_MSG(strstr(err.message, "symbolic link") != NULL, "%s", err.message);
    /* the size bound, before reading */
    rc = xf__read_regular(file, XF__READ_NOFOLLOW, 13, &p, &n, &err);
    CHECK_INT(rc, XF_ERANGE);
    CHECK_MSG(strstr(err.message, "14 bytes") != NULL, "%s", err.message);
    rc = xf__read_regular(file, XF__READ_NOFOLLOW, 14, &p, &n, &err);
    CHECK_INT(rc, XF_OK);
    free(p);
    p = NULL;
    /* a directory, a missing file */
    tmp_path(dir, sizeof dir, "d");
    CHECK(mkdir(dir, 0700) == 0);
    rc = xf__read_regular(dir, 0, 1 << 20, &p, &n, &err);
    CHECK_INT(rc, XF_EIO);
    CHECK_MSG(strstr(err.message, "Is a directory") != NULL, "%s", err.message);
    rmdir(dir);
    unlink(file);
    rc = xf__read_regular(file, 0, 1 << 20, &p, &n, &err);
    CHECK_INT(rc, XF_EIO);
    CHECK_MSG(strstr(err.message, "No such file") != NULL, "%s", err.message);
    unlink(link);
}

/* A failed write (each step) leaves the old file and no temporary file,
 * also when the target is reached through a link. */
static void test_failures_through_link(void)
{
    char target[256], link[256];
    xf_error err;
    int step, rc;
    tmp_path(target, sizeof target, "t.csv");
    tmp_path(link, sizeof link, "l.csv");
    CHECK(tu_write_file(target, "old", 3) == 0);
    CHECK(symlink("t.csv", link) == 0);
    for (step = XF__WSTEP_OPEN; step < XF__WSTEP_RENAME + 1; step++) {
        xf__write_opts o;
        xf__write_opts_init(&o);
        o.fail_at = step;
        rc = xf__atomic_write(link, "new", 3, &o, &err);
        CHECK_INT(rc, XF_EIO);
        CHECK_MSG(strstr(err.message, link) != NULL, "step %d: %s", step, err.message);
        CHECK_MSG(has_text(target, "old"), "step %d changed the file", step);
        CHECK_MSG(tu_count_temp_files(tmpdir) == 0, "step %d left a temporary file", step);
    }
    unlink(link);
    unlink(target);
}

int main(void)
{
    int rc;
    if (mkdtemp(tmpdir) == NULL) {
        perror("test_fileio: mkdtemp");
        return 99;
    }
    test_planted_links();
    test_symlink_targets();
    test_special_files();
    test_stdout_alias();
    test_reader();
    test_failures_through_link();
    rc = tu_report("test_fileio");
    rmdir(tmpdir);
    return rc;
}
