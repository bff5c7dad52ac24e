/* test_store.c - the model store's file layer: opening, source names,
 * listing, commits with pruning, rollbacks, damaged files, locks between
 * processes, kill -9 in the middle of commits, a failing disk (a small
 * RLIMIT_FSIZE) and status files.
 *
 * Everything happens under a fresh directory in /tmp, removed at the end.
 * One tiny head (a ridge head on 300 hourly sine values, no encoders) is
 * fitted once and committed many times.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xfcast.h>
#include <xfcast/store.h>

#include "testutil.h"

#define HOUR_US (3600 * XF_TIME_US_PER_SEC)
#define TWO_PI 6.283185307179586
#define N_SINE 300
#define KEEP 3

static char root[] = "/tmp/xf_test_store_XXXXXX";

/* ------------------------------------------------------------ helpers */

/* Fixtures must build: a failure there is a hard error (exit 99). */
static void need(int ok, const char *what, const xf_error *err)
{
    if (ok)
        return;
    fprintf(stderr, "test_store: cannot build fixture (%s): %s\n", what,
            err != NULL ? err->message : strerror(errno));
    exit(99);
}

/* splitmix64, for the kill delays. */
static uint64_t rng_state = 0x5eed2385u;
static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void sleep_us(long us)
{
    struct timespec ts;
    ts.tv_sec = us / 1000000;
    ts.tv_nsec = (us % 1000000) * 1000;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static void path_in(char *buf, size_t n, const char *rel)
{
    int k = snprintf(buf, n, "%s/%s", root, rel);
    need(k > 0 && (size_t)k < n, "path too long", NULL);
}

/* buf = a/b, checked. */
static void path_cat(char *buf, size_t n, const char *a, const char *b)
{
    int k = snprintf(buf, n, "%s/%s", a, b);
    need(k > 0 && (size_t)k < n, "path too long", NULL);
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* rm -r (the tree is at most three levels deep). */
static void rm_tree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char sub[1024];
    if (d == NULL) {
        unlink(path);
        return;
    }
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        if (is_dir(sub))
            rm_tree(sub);
        else
            unlink(sub);
    }
    closedir(d);
    rmdir(path);
}

/* Are the store's versions of `name` exactly want[0..n)? */
static int versions_are(const xf_store *s, const char *name, const int64_t *want, size_t n)
{
    int64_t *v = NULL;
    size_t k = 0, i;
    int ok;
    xf_error err;
    if (xf_store_versions(s, name, &v, &k, &err) != XF_OK) {
        fprintf(stderr, "versions of '%s': %s\n", name, err.message);
        return 0;
    }
    ok = k == n;
    for (i = 0; ok && i < n; i++)
        ok = v[i] == want[i];
    if (!ok) {
        fprintf(stderr, "versions of '%s':", name);
        for (i = 0; i < k; i++)
            fprintf(stderr, " %lld", (long long)v[i]);
        fputc('\n', stderr);
    }
    free(v);
    return ok;
}

static int64_t current_of(const xf_store *s, const char *name)
{
    int64_t v = -1;
    xf_error err;
    if (xf_store_current(s, name, &v, &err) != XF_OK)
        return -1;
    return v;
}

/* Does version `version` (0: current) load as a head of horizon 4? */
static int loads(const xf_store *s, const char *name, int64_t version)
{
    xf_head *h = NULL;
    xf_error err;
    int rc = xf_store_load(s, name, version, &h, &err), ok;
    if (rc != XF_OK)
        fprintf(stderr, "load '%s' version %lld: %s\n", name, (long long)version, err.message);
    ok = rc == XF_OK && h != NULL && xf_head_horizon(h) == 4;
    xf_head_free(h);
    return ok;
}

/* A pid that has just exited (its number is free unless reused since). */
static long dead_pid(void)
{
    pid_t p;
    fflush(NULL);
    p = fork();
    need(p >= 0, "fork", NULL);
    if (p == 0)
        _exit(0);
    waitpid(p, NULL, 0);
    return (long)p;
}

static xf_head *make_head(void)
{
    static const xf_freq hourly = {XF_FREQ_FIXED, HOUR_US, 0};
    xf_time t[N_SINE];
    double y[N_SINE];
    xf_panel *p = NULL;
    xf_head_options o;
    xf_head *h = NULL;
    xf_error err;
    size_t i;
    for (i = 0; i < N_SINE; i++) {
        t[i] = INT64_C(1704067200) * XF_TIME_US_PER_SEC + (xf_time)i * HOUR_US;
        y[i] = 10.385 + 3.25 * sin(TWO_PI * (double)i / 24.0) + 0.17 * sin(0.7311 * (double)i);
    }
    need(xf_panel_new(NULL, 0, &p, &err) == XF_OK, "panel", &err);
    need(xf_panel_add_series(p, "sine", N_SINE, t, hourly, y, NULL, &err) == XF_OK, "series", &err);
    xf_head_options_init(&o);
    o.horizon = 4;
    o.n_lags = 8;
    o.embedding = 0;
    o.max_windows = 500;
    need(xf_head_fit(p, NULL, 0, &o, &h, &err) == XF_OK, "head", &err);
    xf_panel_free(p);
    return h;
}

static xf_store *open_store(const char *rel)
{
    char dir[512];
    xf_store *s = NULL;
    xf_error err;
    path_in(dir, sizeof dir, rel);
    need(xf_store_open(dir, 1, &s, &err) == XF_OK, "store", &err);
    return s;
}

/* Commit under the lock; returns the status. */
static int commit_locked(xf_store *s, const char *name, const xf_head *h, int keep, int64_t *v,
                         xf_error *err)
{
    xf_lock *l = NULL;
    int rc = xf_store_lock(s, name, 1, &l, err);
    if (rc != XF_OK)
        return rc;
    rc = xf_store_commit(s, name, h, keep, v, err);
    xf_store_unlock(l);
    return rc;
}

/* ------------------------------------------------------------ tests */

static void test_open(void)
{
    char dir[512], file[512], under[512];
    xf_store *s = NULL;
    xf_error err;
    int rc;

    /* mkdir -p, trailing slashes dropped */
    path_in(dir, sizeof dir, "a/b/store//");
    rc = xf_store_open(dir, 1, &s, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    path_in(dir, sizeof dir, "a/b/store");
    CHECK(is_dir(dir));
    if (s != NULL)
        CHECK_STR(xf_store_dir(s), dir);
    xf_store_close(s);
    s = NULL;

    /* existing, with and without create */
    rc = xf_store_open(dir, 0, &s, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    xf_store_close(s);
    rc = xf_store_open(dir, 1, &s, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    xf_store_close(s);

    /* absent without create */
    path_in(dir, sizeof dir, "missing");
    s = (xf_store *)1;
    rc = xf_store_open(dir, 0, &s, &err);
    CHECK_INT(rc, XF_ENOTFOUND);
    CHECK(s == NULL);
    CHECK_MSG(strstr(err.message, dir) != NULL, "%s", err.message);
    CHECK(!is_dir(dir));

    /* a file is not a store; nor can one be made under a file */
    path_in(file, sizeof file, "plainfile");
    need(tu_write_file(file, "x", 1) == 0, "plainfile", NULL);
    CHECK_INT(xf_store_open(file, 0, &s, &err), XF_EINVAL);
    CHECK_MSG(strstr(err.message, "not a directory") != NULL, "%s", err.message);
    CHECK_INT(xf_store_open(file, 1, &s, &err), XF_EIO);
    path_cat(under, sizeof under, file, "x");
    CHECK_INT(xf_store_open(under, 1, &s, &err), XF_EIO);
    CHECK_MSG(strstr(err.message, file) != NULL && strstr(err.message, "a file") != NULL, "%s",
              err.message);
    CHECK_INT(xf_store_open("", 1, &s, &err), XF_EINVAL);
    CHECK_INT(xf_store_open(NULL, 1, &s, &err), XF_EINVAL);
    xf_store_close(NULL);
}

static void test_names(void)
{
    static const char *const good[] = {"a", "energy", "M4.hourly_1-x", "x.", "a..b", "0", "-"};
    static const char *const bad[] = {"",          ".hidden",     ".",    "..",
                                      "../x",      "a/b",         "/abs", "a b",
                                      "tab\there", "caf\xc3\xa9", "x*",   "a\\b"};
    char longest[XF_STORE_NAME_MAX + 2];
    char buf[512];
    xf_store *s = open_store("names");
    xf_lock *l = NULL;
    xf_head *h = NULL;
    char *text = NULL;
    int64_t v = 0, *vs = NULL;
    size_t i, n = 0;
    xf_error err;

    for (i = 0; i < sizeof good / sizeof *good; i++)
        CHECK_MSG(xf_store_name_check(good[i], &err) == XF_OK, "'%s': %s", good[i], err.message);
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        xf_error_clear(&err);
        CHECK_MSG(xf_store_name_check(bad[i], &err) == XF_EINVAL, "'%s' accepted", bad[i]);
        CHECK_MSG(err.message[0] != '\0' && err.code == XF_EINVAL, "'%s'", bad[i]);
    }
    CHECK_INT(xf_store_name_check(NULL, &err), XF_EINVAL);
    CHECK_INT(xf_store_name_check("x y", NULL), XF_EINVAL);
    xf_store_name_check("../x", &err);
    CHECK_MSG(strstr(err.message, "'../x'") != NULL && strstr(err.message, "'.'") != NULL, "%s",
              err.message);
    xf_store_name_check("a/b", &err);
    CHECK_MSG(strstr(err.message, "'/'") != NULL, "%s", err.message);

    memset(longest, 'k', sizeof longest);
    longest[XF_STORE_NAME_MAX] = '\0';
    CHECK_INT(xf_store_name_check(longest, &err), XF_OK);
    longest[XF_STORE_NAME_MAX] = 'k';
    longest[XF_STORE_NAME_MAX + 1] = '\0';
    CHECK_INT(xf_store_name_check(longest, &err), XF_EINVAL);
    CHECK_MSG(strstr(err.message, "101") != NULL && strstr(err.message, "100") != NULL, "%s",
              err.message);

    /* every call checks the name, and nothing appears outside the store */
    CHECK_INT(xf_store_lock(s, "../escape", 0, &l, &err), XF_EINVAL);
    CHECK(l == NULL);
    CHECK_INT(xf_store_commit(s, "../escape", (const xf_head *)1, KEEP, &v, &err), XF_EINVAL);
    CHECK_INT(xf_store_set_current(s, "../escape", 1, &v, &err), XF_EINVAL);
    CHECK_INT(xf_store_current(s, "../escape", &v, &err), XF_EINVAL);
    CHECK_INT(xf_store_versions(s, "../escape", &vs, &n, &err), XF_EINVAL);
    CHECK_INT(xf_store_load(s, "../escape", 0, &h, &err), XF_EINVAL);
    CHECK_INT(xf_store_write_status(s, "../escape", "x", &err), XF_EINVAL);
    CHECK_INT(xf_store_read_status(s, "../escape", &text, &err), XF_EINVAL);
    CHECK_INT(xf_store_version_path(s, "../escape", 1, buf, sizeof buf, NULL), XF_EINVAL);
    path_in(buf, sizeof buf, "escape");
    CHECK(!is_dir(buf));

    /* version paths */
    CHECK_INT(xf_store_version_path(s, "energy", 12, buf, sizeof buf, NULL), XF_OK);
    {
        char want[512];
        path_in(want, sizeof want, "names/energy/v12.xfm");
        CHECK_STR(buf, want);
    }
    CHECK_INT(xf_store_version_path(s, "energy", 0, buf, sizeof buf, &err), XF_EINVAL);
    CHECK(strstr(err.message, "versions start at 1") != NULL);
    CHECK_INT(xf_store_version_path(s, "energy", 12, buf, 8, &err), XF_ERANGE);
    CHECK(strstr(err.message, "the buffer has 8") != NULL);
    CHECK_INT((long long)strlen(buf), 7);
    xf_store_close(s);
}

static void test_list(void)
{
    static const char *const dirs[] = {"zeta",    "alpha",    "m-1.x_y", "B",
                                       ".hidden", "bad name", "sub"};
    char path[512];
    xf_store *s = open_store("list");
    char **names = (char **)1;
    size_t n = 99, i;
    xf_error err;
    int rc;

    rc = xf_store_list(s, &names, &n, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    CHECK_INT(n, 0);
    CHECK(names == NULL);
    xf_store_names_free(names, n);

    for (i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        snprintf(path, sizeof path, "%s/%s", xf_store_dir(s), dirs[i]);
        need(mkdir(path, 0777) == 0, path, NULL);
    }
    snprintf(path, sizeof path, "%s/afile", xf_store_dir(s)); /* valid name, but a file */
    need(tu_write_file(path, "x", 1) == 0, path, NULL);
    snprintf(path, sizeof path, "%s/sub/nested", xf_store_dir(s)); /* not an entry */
    need(mkdir(path, 0777) == 0, path, NULL);

    rc = xf_store_list(s, &names, &n, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    CHECK_INT(n, 5);
    if (rc == XF_OK && n == 5) {
        CHECK_STR(names[0], "B");
        CHECK_STR(names[1], "alpha");
        CHECK_STR(names[2], "m-1.x_y");
        CHECK_STR(names[3], "sub");
        CHECK_STR(names[4], "zeta");
    }
    xf_store_names_free(names, n);
    xf_store_names_free(NULL, 0);
    xf_store_close(s);
}

static void test_versions(const xf_head *h)
{
    static const int64_t after7[] = {5, 6, 7};
    static const int64_t after8[] = {6, 7, 8};
    char dir[512], path[512], want[512];
    xf_store *s = open_store("ver");
    xf_lock *l = NULL;
    xf_head *got = NULL;
    int64_t v = -1, *vs = NULL;
    size_t n = 0;
    xf_error err;
    long dead, alive = (long)getppid();
    int i, rc;

    /* nothing there yet */
    CHECK_INT(xf_store_current(s, "energy", &v, &err), XF_ENOTFOUND);
    CHECK_MSG(strstr(err.message, "no source 'energy'") != NULL, "%s", err.message);
    CHECK_INT(xf_store_versions(s, "energy", &vs, &n, &err), XF_ENOTFOUND);
    CHECK_INT(xf_store_load(s, "energy", 0, &got, &err), XF_ENOTFOUND);
    CHECK_INT(xf_store_load(s, "energy", 3, &got, &err), XF_ENOTFOUND);
    CHECK(got == NULL);
    CHECK_INT(xf_store_set_current(s, "energy", 0, &v, &err), XF_ENOTFOUND);

    /* the lock makes the entry; no CURRENT until the first commit */
    rc = xf_store_lock(s, "energy", 0, &l, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    snprintf(dir, sizeof dir, "%s/energy", xf_store_dir(s));
    CHECK(is_dir(dir));
    CHECK_INT(xf_store_current(s, "energy", &v, &err), XF_ENOTFOUND);
    CHECK_MSG(strstr(err.message, "no current version") != NULL, "%s", err.message);
    CHECK(versions_are(s, "energy", NULL, 0));

    for (i = 1; i <= 7; i++) {
        rc = xf_store_commit(s, "energy", h, KEEP, &v, &err);
        CHECK_MSG(rc == XF_OK, "commit %d: %s", i, err.message);
        CHECK_INT(v, i);
        CHECK_INT(current_of(s, "energy"), i);
    }
    CHECK(versions_are(s, "energy", after7, 3));
    CHECK_INT(current_of(s, "energy"), 7);
    CHECK(loads(s, "energy", 0));
    CHECK(loads(s, "energy", 7));
    CHECK(loads(s, "energy", 5));
    CHECK_INT(xf_store_load(s, "energy", 4, &got, &err), XF_ENOTFOUND);
    CHECK_MSG(strstr(err.message, "v4.xfm") != NULL, "%s", err.message);
    CHECK_INT(xf_store_load(s, "energy", -1, &got, &err), XF_EINVAL);
    path_cat(path, sizeof path, dir, "CURRENT");
    {
        FILE *fp = fopen(path, "rb");
        char buf[16] = {0};
        CHECK(fp != NULL);
        if (fp != NULL) {
            CHECK(fread(buf, 1, sizeof buf - 1, fp) == 2);
            CHECK_STR(buf, "7\n");
            fclose(fp);
        }
    }
    CHECK_INT(tu_count_temp_files(dir), 0);

    /* rollbacks */
    rc = xf_store_set_current(s, "energy", 0, &v, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    CHECK_INT(v, 6);
    CHECK_INT(current_of(s, "energy"), 6);
    rc = xf_store_set_current(s, "energy", 5, &v, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    CHECK_INT(v, 5);
    CHECK_INT(current_of(s, "energy"), 5);
    CHECK_INT(xf_store_set_current(s, "energy", 99, &v, &err), XF_ENOTFOUND);
    CHECK_MSG(strstr(err.message, "v99.xfm") != NULL, "%s", err.message);
    CHECK_INT(xf_store_set_current(s, "energy", 0, &v, &err), XF_ENOTFOUND);
    CHECK_MSG(strstr(err.message, "older") != NULL, "%s", err.message);
    CHECK_INT(xf_store_set_current(s, "energy", -2, &v, &err), XF_EINVAL);
    CHECK_INT(current_of(s, "energy"), 5);
    CHECK(loads(s, "energy", 6));
    rc = xf_store_set_current(s, "energy", 5, &v, &err); /* already current */
    CHECK_MSG(rc == XF_OK && v == 5, "%s", err.message);

    /* the next commit does not reuse a number, and prunes the old champion */
    rc = xf_store_commit(s, "energy", h, KEEP, &v, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    CHECK_INT(v, 8);
    CHECK(versions_are(s, "energy", after8, 3));

    /* odd names in the entry are not versions; leftovers of dead writers
     * are cleaned by a commit, those of live ones are not */
    {
        static const char *const odd[] = {"v07.xfm",
                                          "vx.xfm",
                                          "v9.xfmx",
                                          "v.xfm",
                                          "V10.xfm",
                                          "v-1.xfm",
                                          "v99999999999999999999.xfm"};
        static const int64_t after9[] = {7, 8, 9};
        char tmp1[600], tmp2[600], tmp3[600];
        size_t k;
        for (k = 0; k < sizeof odd / sizeof *odd; k++) {
            path_cat(path, sizeof path, dir, odd[k]);
            need(tu_write_file(path, "junk", 4) == 0, path, NULL);
        }
        path_cat(path, sizeof path, dir, "v12.xfm"); /* a directory: ignored */
        need(mkdir(path, 0777) == 0, path, NULL);
        CHECK(versions_are(s, "energy", after8, 3));
        dead = dead_pid();
        snprintf(tmp1, sizeof tmp1, "%s/v9.xfm.tmp.%ld", dir, dead);
        snprintf(tmp2, sizeof tmp2, "%s/CURRENT.tmp.%ld", dir, dead);
        snprintf(tmp3, sizeof tmp3, "%s/status.tmp.%ld", dir, alive);
        need(tu_write_file(tmp1, "half", 4) == 0 && tu_write_file(tmp2, "1", 1) == 0 &&
                 tu_write_file(tmp3, "x", 1) == 0,
             "temp files", NULL);
        CHECK_INT(tu_count_temp_files(dir), 3);
        rc = xf_store_commit(s, "energy", h, KEEP, &v, &err);
        CHECK_MSG(rc == XF_OK, "%s", err.message);
        CHECK_INT(v, 9);
        CHECK(versions_are(s, "energy", after9, 3));
        CHECK(access(tmp1, F_OK) != 0 && errno == ENOENT);
        CHECK(access(tmp2, F_OK) != 0 && errno == ENOENT);
        CHECK(access(tmp3, F_OK) == 0);
        unlink(tmp3);
        for (k = 0; k < sizeof odd / sizeof *odd; k++) {
            path_cat(path, sizeof path, dir, odd[k]);
            CHECK(access(path, F_OK) == 0); /* not ours: left alone */
            unlink(path);
        }
        path_cat(path, sizeof path, dir, "v12.xfm");
        rmdir(path);
    }

    /* keep = 1 leaves only the new one */
    rc = xf_store_commit(s, "energy", h, 1, &v, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    CHECK_INT(v, 10);
    {
        static const int64_t only10[] = {10};
        CHECK(versions_are(s, "energy", only10, 1));
    }

    /* bad arguments change nothing */
    CHECK_INT(xf_store_commit(s, "energy", h, 0, &v, &err), XF_EINVAL);
    CHECK_INT(v, 0);
    CHECK_MSG(strstr(err.message, "keep") != NULL, "%s", err.message);
    CHECK_INT(xf_store_commit(s, "energy", NULL, KEEP, &v, &err), XF_EINVAL);
    CHECK_INT(current_of(s, "energy"), 10);

    /* version_path agrees with the files */
    CHECK_INT(xf_store_version_path(s, "energy", 10, path, sizeof path, NULL), XF_OK);
    path_cat(want, sizeof want, dir, "v10.xfm");
    CHECK_STR(path, want);
    CHECK(access(path, R_OK) == 0);

    xf_store_unlock(l);
    xf_store_unlock(NULL);
    xf_store_close(s);
}

/* Flip one byte in the middle of a file. */
static void flip_byte(const char *path)
{
    struct stat st;
    unsigned char c;
    int fd = open(path, O_RDWR);
    off_t at;
    need(fd >= 0 && fstat(fd, &st) == 0, path, NULL);
    at = st.st_size / 2;
    need(pread(fd, &c, 1, at) == 1, path, NULL);
    c ^= 0x10;
    need(pwrite(fd, &c, 1, at) == 1, path, NULL);
    close(fd);
}

static void test_damage(const xf_head *h)
{
    static const char *const garbage[] = {"banana\n", "0\n", "-3\n",  "12abc\n",
                                          "",         "\n",  "007\n", "99999999999999999999\n",
                                          "2\n\n",    " 2\n"};
    char vpath[512], cpath[512];
    xf_store *s = open_store("dmg");
    xf_head *got = NULL;
    int64_t v = 0;
    size_t i;
    xf_error err;
    int rc;

    for (i = 0; i < 2; i++) {
        rc = commit_locked(s, "src", h, 5, &v, &err);
        CHECK_MSG(rc == XF_OK, "%s", err.message);
    }
    CHECK_INT(current_of(s, "src"), 2);

    /* a damaged current version */
    CHECK_INT(xf_store_version_path(s, "src", 2, vpath, sizeof vpath, NULL), XF_OK);
    flip_byte(vpath);
    rc = xf_store_load(s, "src", 0, &got, &err);
    CHECK_INT(rc, XF_ECHECKSUM);
    CHECK(got == NULL);
    CHECK_MSG(strstr(err.message, vpath) != NULL, "%s", err.message);
    CHECK_INT(xf_store_load(s, "src", 2, &got, &err), XF_ECHECKSUM);
    CHECK(loads(s, "src", 1));
    /* a rollback to it is refused; to the good one it works */
    rc = xf_store_set_current(s, "src", 1, &v, &err);
    CHECK_MSG(rc == XF_OK && v == 1, "%s", err.message);
    rc = xf_store_set_current(s, "src", 2, &v, &err);
    CHECK_INT(rc, XF_ECHECKSUM);
    CHECK_MSG(strstr(err.message, vpath) != NULL, "%s", err.message);
    CHECK_INT(current_of(s, "src"), 1);
    CHECK(loads(s, "src", 0));

    /* a damaged CURRENT */
    snprintf(cpath, sizeof cpath, "%s/src/CURRENT", xf_store_dir(s));
    for (i = 0; i < sizeof garbage / sizeof *garbage; i++) {
        need(tu_write_file(cpath, garbage[i], strlen(garbage[i])) == 0, cpath, NULL);
        rc = xf_store_current(s, "src", &v, &err);
        CHECK_MSG(rc == XF_EFORMAT, "'%s': status %d", garbage[i], rc);
        CHECK_MSG(strstr(err.message, cpath) != NULL, "%s", err.message);
        CHECK_INT(xf_store_load(s, "src", 0, &got, &err), XF_EFORMAT);
        CHECK_INT(xf_store_set_current(s, "src", 0, &v, &err), XF_EFORMAT);
    }
    {
        char big[200];
        memset(big, '7', sizeof big);
        need(tu_write_file(cpath, big, sizeof big) == 0, cpath, NULL);
        CHECK_INT(xf_store_current(s, "src", &v, &err), XF_EFORMAT);
    }
    /* an explicit version repairs it, and so does a commit */
    rc = xf_store_set_current(s, "src", 1, &v, &err);
    CHECK_MSG(rc == XF_OK && v == 1, "%s", err.message);
    CHECK_INT(current_of(s, "src"), 1);
    need(tu_write_file(cpath, "banana", 6) == 0, cpath, NULL);
    rc = commit_locked(s, "src", h, 5, &v, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    CHECK_INT(v, 3);
    CHECK_INT(current_of(s, "src"), 3);
    CHECK(loads(s, "src", 0));
    /* a version file that vanished: CURRENT names it, load says so */
    CHECK_INT(xf_store_version_path(s, "src", 3, vpath, sizeof vpath, NULL), XF_OK);
    need(unlink(vpath) == 0, vpath, NULL);
    CHECK_INT(xf_store_load(s, "src", 0, &got, &err), XF_ENOTFOUND);
    CHECK_MSG(strstr(err.message, vpath) != NULL, "%s", err.message);
    /* and its number is not reused */
    rc = commit_locked(s, "src", h, 5, &v, &err);
    CHECK_MSG(rc == XF_OK && v == 4, "%s", err.message);
    xf_store_close(s);
}

/* A rollback pins its version; a commit or xf_store_unpin ends the pin; a
 * pin that names another version than CURRENT, or a damaged pin file, is
 * no pin. */
static void test_pins(const xf_head *h)
{
    static const char *const garbage[] = {"banana\n", "2\n", "2 x\n",  "0 1\n",
                                          "2 0\n",    "",    "-2 1\n", "2 1 3\n"};
    char ppath[512];
    xf_store *s = open_store("pins");
    int64_t v = 0, pv = -1, from = -1;
    size_t i;
    int rc, was = -1;
    xf_error err;

    for (i = 0; i < 3; i++) {
        rc = commit_locked(s, "p", h, 5, &v, &err);
        CHECK_MSG(rc == XF_OK, "%s", err.message);
    }
    /* no pin yet: no entry, no file */
    CHECK_INT(xf_store_pinned(s, "p", &pv, &from, &err), XF_OK);
    CHECK(pv == 0 && from == 0);
    CHECK_INT(xf_store_pinned(s, "nosuch", &pv, NULL, &err), XF_OK);
    CHECK(pv == 0);
    CHECK_INT(xf_store_pinned(s, "../x", &pv, NULL, &err), XF_EINVAL);
    CHECK_INT(xf_store_unpin(s, "../x", NULL, &err), XF_EINVAL);
    CHECK_INT(xf_store_unpin(s, "nosuch", &was, &err), XF_ENOTFOUND);
    /* a rollback pins, from the version that was current */
    rc = xf_store_set_current(s, "p", 0, &v, &err);
    CHECK_MSG(rc == XF_OK && v == 2, "%s", err.message);
    CHECK_INT(xf_store_pinned(s, "p", &pv, &from, &err), XF_OK);
    CHECK(pv == 2 && from == 3);
    /* a second rollback keeps the first one's reference */
    rc = xf_store_set_current(s, "p", 1, &v, &err);
    CHECK_MSG(rc == XF_OK && v == 1, "%s", err.message);
    CHECK_INT(xf_store_pinned(s, "p", &pv, &from, &err), XF_OK);
    CHECK(pv == 1 && from == 3);
    /* unpin: the current version stays */
    CHECK_INT(xf_store_unpin(s, "p", &was, &err), XF_OK);
    CHECK(was == 1);
    CHECK_INT(current_of(s, "p"), 1);
    CHECK_INT(xf_store_pinned(s, "p", &pv, &from, &err), XF_OK);
    CHECK(pv == 0);
    CHECK_INT(xf_store_unpin(s, "p", &was, &err), XF_OK);
    CHECK(was == 0);
    /* a commit ends a pin, and removes its file */
    rc = xf_store_set_current(s, "p", 2, &v, &err);
    CHECK_MSG(rc == XF_OK && v == 2, "%s", err.message);
    CHECK_INT(xf_store_pinned(s, "p", &pv, &from, &err), XF_OK);
    CHECK(pv == 2 && from == 1);
    rc = commit_locked(s, "p", h, 5, &v, &err);
    CHECK_MSG(rc == XF_OK && v == 4, "%s", err.message);
    CHECK_INT(xf_store_pinned(s, "p", &pv, &from, &err), XF_OK);
    CHECK(pv == 0 && from == 0);
    snprintf(ppath, sizeof ppath, "%s/p/PINNED", xf_store_dir(s));
    CHECK(access(ppath, F_OK) != 0);
    /* a pin naming another version than CURRENT is no pin (a crash between
     * a commit's CURRENT and its removal of the pin) */
    need(tu_write_file(ppath, "2 3\n", 4) == 0, ppath, NULL);
    CHECK_INT(xf_store_pinned(s, "p", &pv, &from, &err), XF_OK);
    CHECK(pv == 0 && from == 0);
    CHECK_INT(xf_store_unpin(s, "p", &was, &err), XF_OK);
    CHECK(was == 0);
    CHECK(access(ppath, F_OK) != 0);
    /* damaged pins are no pins */
    for (i = 0; i < sizeof garbage / sizeof *garbage; i++) {
        need(tu_write_file(ppath, garbage[i], strlen(garbage[i])) == 0, ppath, NULL);
        rc = xf_store_pinned(s, "p", &pv, &from, &err);
        CHECK_MSG(rc == XF_OK && pv == 0, "'%s': status %d, pinned %lld", garbage[i], rc,
                  (long long)pv);
    }
    need(tu_write_file(ppath, "4 3\n", 4) == 0, ppath, NULL);
    CHECK_INT(xf_store_pinned(s, "p", &pv, &from, &err), XF_OK);
    CHECK(pv == 4 && from == 3);
    /* xf_store_rollback (the CLI's, Python's and R's): locked, pinned, and
     * the status's outcome/version/last_run/message lines rewritten, the
     * others kept */
    {
        xf_lock *lk = NULL;
        int64_t was64 = -1, now64 = -1;
        char *text = NULL;
        CHECK_INT(xf_store_unpin(s, "p", NULL, &err), XF_OK);
        CHECK_INT(xf_store_lock(s, "p", 0, &lk, &err), XF_OK);
        CHECK_INT(xf_store_write_status(s, "p", "outcome: promoted\nversion: 4\nsource: p\n", &err),
                  XF_OK);
        /* another writer holds the lock: refused, nothing changed */
        CHECK_INT(xf_store_rollback(s, "p", 2, &was64, &now64, &err), XF_EBUSY);
        CHECK_INT(current_of(s, "p"), 4);
        xf_store_unlock(lk);
        rc = xf_store_rollback(s, "p", 0, &was64, &now64, &err);
        CHECK_MSG(rc == XF_OK && was64 == 4 && now64 == 3, "%d %lld %lld", rc, (long long)was64,
                  (long long)now64);
        CHECK_INT(xf_store_pinned(s, "p", &pv, &from, &err), XF_OK);
        CHECK(pv == 3 && from == 4);
        CHECK_INT(xf_store_read_status(s, "p", &text, &err), XF_OK);
        CHECK_MSG(text != NULL && strstr(text, "source: p\n") != NULL &&
                      strstr(text, "outcome: rolled-back\n") != NULL &&
                      strstr(text, "version: 3\n") != NULL && strstr(text, "last_run: ") != NULL &&
                      strstr(text, "message: rolled back from v4 to v3, pinned") != NULL &&
                      strstr(text, "promoted") == NULL,
                  "%s", text ? text : "(none)");
        free(text);
        CHECK_INT(xf_store_rollback(s, "p", 99, &was64, &now64, &err), XF_ENOTFOUND);
        CHECK(was64 == 3 && now64 == 0);
        CHECK_INT(xf_store_rollback(s, "../p", 1, NULL, NULL, &err), XF_EINVAL);
    }
    xf_store_close(s);
}

/* Read one byte from fd (0 on EOF or error). */
static char get_byte(int fd)
{
    char c = 0;
    while (read(fd, &c, 1) < 0 && errno == EINTR)
        ;
    return c;
}

static void put_byte(int fd, char c)
{
    while (write(fd, &c, 1) < 0 && errno == EINTR)
        ;
}

static void test_locks(void)
{
    char dir[512];
    xf_store *s = open_store("locks");
    xf_lock *a = NULL, *b = NULL;
    int up[2], down[2], status = 0, rc;
    xf_error err;
    double t0, dt;
    pid_t pid;

    /* another process holds it: EBUSY at once; free after it exits */
    need(pipe(up) == 0 && pipe(down) == 0, "pipe", NULL);
    fflush(NULL);
    pid = fork();
    need(pid >= 0, "fork", NULL);
    if (pid == 0) {
        xf_lock *mine = NULL;
        close(up[0]);
        close(down[1]);
        if (xf_store_lock(s, "src", 0, &mine, NULL) != XF_OK)
            _exit(1);
        put_byte(up[1], 'L');
        get_byte(down[0]); /* until the parent is done; exit releases the lock */
        _exit(0);
    }
    close(up[1]);
    close(down[0]);
    CHECK(get_byte(up[0]) == 'L');
    t0 = now_s();
    rc = xf_store_lock(s, "src", 0, &a, &err);
    dt = now_s() - t0;
    CHECK_INT(rc, XF_EBUSY);
    CHECK(a == NULL);
    CHECK_MSG(dt < 0.2, "EBUSY took %.3f s", dt);
    CHECK_MSG(strstr(err.message, "locked by another process") != NULL &&
                  strstr(err.message, ".lock") != NULL,
              "%s", err.message);
    put_byte(down[1], 'g');
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(up[0]);
    close(down[1]);
    rc = xf_store_lock(s, "src", 0, &a, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);

    /* a second handle of this process conflicts too */
    CHECK_INT(xf_store_lock(s, "src", 0, &b, &err), XF_EBUSY);
    /* other entries are independent */
    rc = xf_store_lock(s, "other", 0, &b, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    xf_store_unlock(b);
    b = NULL;
    xf_store_unlock(a);
    a = NULL;
    rc = xf_store_lock(s, "src", 0, &b, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    xf_store_unlock(b);
    b = NULL;

    /* wait = 1 blocks until the holder lets go */
    need(pipe(up) == 0, "pipe", NULL);
    fflush(NULL);
    pid = fork();
    need(pid >= 0, "fork", NULL);
    if (pid == 0) {
        xf_lock *mine = NULL;
        close(up[0]);
        if (xf_store_lock(s, "src", 0, &mine, NULL) != XF_OK)
            _exit(1);
        put_byte(up[1], 'L');
        sleep_us(100000);
        xf_store_unlock(mine);
        _exit(0);
    }
    close(up[1]);
    CHECK(get_byte(up[0]) == 'L');
    t0 = now_s();
    rc = xf_store_lock(s, "src", 1, &a, &err);
    dt = now_s() - t0;
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    CHECK_MSG(dt > 0.03, "waited only %.3f s", dt);
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(up[0]);
    xf_store_unlock(a);

    snprintf(dir, sizeof dir, "%s/src/.lock", xf_store_dir(s));
    CHECK(access(dir, F_OK) == 0);
    xf_store_close(s);
}

static void test_crash(const xf_head *h)
{
    char dir[512];
    xf_store *s = open_store("crash");
    xf_lock *l = NULL;
    int64_t v = 0, first, last;
    int round, status, rc, n_killed = 0;
    xf_error err;
    pid_t pid;

    rc = commit_locked(s, "src", h, KEEP, &first, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    snprintf(dir, sizeof dir, "%s/src", xf_store_dir(s));
    for (round = 0; round < 20; round++) {
        long delay = (long)(rng_next() % 20001); /* 0 to 20 ms */
        int up[2];
        need(pipe(up) == 0, "pipe", NULL);
        fflush(NULL);
        pid = fork();
        need(pid >= 0, "fork", NULL);
        if (pid == 0) {
            xf_lock *mine = NULL;
            int64_t got;
            close(up[0]);
            if (xf_store_lock(s, "src", 1, &mine, NULL) != XF_OK)
                _exit(3);
            for (;;) {
                if (xf_store_commit(s, "src", h, KEEP, &got, NULL) != XF_OK)
                    _exit(4);
                put_byte(up[1], 'c');
            }
        }
        close(up[1]);
        /* Every other round lets one commit finish first, so that the kills
         * also land in later commits however slow the disk's fsync is. */
        if (round % 2 == 1)
            get_byte(up[0]);
        sleep_us(delay);
        kill(pid, SIGKILL);
        CHECK(waitpid(pid, &status, 0) == pid);
        CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "round %d: child %s %d",
                  round, WIFEXITED(status) ? "exited with" : "status",
                  WIFEXITED(status) ? WEXITSTATUS(status) : status);
        n_killed += WIFSIGNALED(status);
        close(up[0]);
        /* CURRENT names a whole head, and the lock died with the child */
        CHECK_MSG(loads(s, "src", 0), "round %d", round);
        rc = xf_store_lock(s, "src", 0, &l, &err);
        CHECK_MSG(rc == XF_OK, "round %d: %s", round, err.message);
        xf_store_unlock(l);
        l = NULL;
    }
    CHECK_INT(n_killed, 20);
    last = current_of(s, "src");
    CHECK_MSG(last > first, "no commit in 20 rounds (%lld)", (long long)last);
    /* the next commit cleans what the killed writers left */
    rc = commit_locked(s, "src", h, KEEP, &v, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    CHECK(v > last);
    CHECK_INT(tu_count_temp_files(dir), 0);
    CHECK(loads(s, "src", 0));
    {
        int64_t *vs = NULL;
        size_t n = 0;
        CHECK(xf_store_versions(s, "src", &vs, &n, &err) == XF_OK && n == KEEP && vs[n - 1] == v);
        free(vs);
    }
    xf_store_close(s);
}

/* Readers need no lock: loading the current version while another
 * process commits with keep = 1 (each commit removes the version that was
 * current a moment before) always gives a whole head. */
static void test_readers(const xf_head *h)
{
    xf_store *s = open_store("readers");
    int64_t v = 0, first;
    int rc, i, bad = 0, status = 0;
    double t0;
    xf_error err;
    pid_t pid;

    rc = commit_locked(s, "src", h, 1, &first, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    fflush(NULL);
    pid = fork();
    need(pid >= 0, "fork", NULL);
    if (pid == 0) {
        int64_t got;
        for (;;)
            if (commit_locked(s, "src", h, 1, &got, NULL) != XF_OK)
                _exit(4);
    }
    t0 = now_s();
    for (i = 0; now_s() - t0 < 0.3; i++) {
        xf_head *got = NULL;
        rc = xf_store_load(s, "src", 0, &got, &err);
        if (rc != XF_OK && bad++ == 0)
            fprintf(stderr, "load %d during commits: %s\n", i, err.message);
        xf_head_free(got);
    }
    kill(pid, SIGKILL);
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status));
    CHECK_INT(bad, 0);
    v = current_of(s, "src");
    CHECK_MSG(v > first + 2, "only %lld commits", (long long)(v - first));
    xf_store_close(s);
}

static void test_write_failure(const xf_head *h)
{
    static const int64_t one[] = {1}, two[] = {1, 2};
    char dir[512], msg[700] = {0}, vpath[512];
    xf_store *s = open_store("full");
    int p[2], status = 0, rc, child_rc = 0;
    int64_t v = 0;
    xf_error err;
    pid_t pid;
    ssize_t got;
    size_t n = 0;

    rc = commit_locked(s, "src", h, KEEP, &v, &err);
    CHECK_MSG(rc == XF_OK && v == 1, "%s", err.message);
    CHECK_INT(xf_store_version_path(s, "src", 1, vpath, sizeof vpath, NULL), XF_OK);
    {
        struct stat st;
        need(stat(vpath, &st) == 0, vpath, NULL);
        need(st.st_size > 2048, "a head file larger than the file size limit", NULL);
    }

    need(pipe(p) == 0, "pipe", NULL);
    fflush(NULL);
    pid = fork();
    need(pid >= 0, "fork", NULL);
    if (pid == 0) {
        struct rlimit lim;
        xf_error cerr;
        int64_t cv = -1;
        int crc;
        close(p[0]);
        signal(SIGXFSZ, SIG_IGN);
        lim.rlim_cur = lim.rlim_max = 1024;
        if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
            _exit(5);
        xf_error_clear(&cerr);
        crc = commit_locked(s, "src", h, KEEP, &cv, &cerr);
        if (write(p[1], &crc, sizeof crc) != (ssize_t)sizeof crc ||
            write(p[1], &cv, sizeof cv) != (ssize_t)sizeof cv ||
            write(p[1], cerr.message, strlen(cerr.message) + 1) < 0)
            _exit(6);
        _exit(0);
    }
    close(p[1]);
    CHECK(read(p[0], &child_rc, sizeof child_rc) == (ssize_t)sizeof child_rc);
    CHECK(read(p[0], &v, sizeof v) == (ssize_t)sizeof v);
    while ((got = read(p[0], msg + n, sizeof msg - 1 - n)) > 0)
        n += (size_t)got;
    close(p[0]);
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_INT(child_rc, XF_EIO);
    CHECK_INT(v, 0);
    CHECK_MSG(strstr(msg, "v2.xfm") != NULL && strstr(msg, strerror(EFBIG)) != NULL, "%s", msg);

    /* nothing changed, nothing left behind, the number is still free */
    CHECK_INT(current_of(s, "src"), 1);
    CHECK(loads(s, "src", 0));
    CHECK(versions_are(s, "src", one, 1));
    snprintf(dir, sizeof dir, "%s/src", xf_store_dir(s));
    CHECK_INT(tu_count_temp_files(dir), 0);
    rc = commit_locked(s, "src", h, KEEP, &v, &err);
    CHECK_MSG(rc == XF_OK && v == 2, "%s", err.message);
    CHECK(versions_are(s, "src", two, 2));
    xf_store_close(s);
}

static void test_status(void)
{
    static const char text[] = "trained: 2026-03-14T02:00:00Z\nmase: 0.8521\nchampion: 7\n";
    xf_store *s = open_store("status");
    char *got = NULL, *big;
    char path[512];
    xf_error err;
    int rc;

    CHECK_INT(xf_store_read_status(s, "energy", &got, &err), XF_ENOTFOUND);
    CHECK_MSG(strstr(err.message, "no source 'energy'") != NULL, "%s", err.message);
    CHECK(got == NULL);
    rc = xf_store_write_status(s, "energy", text, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    rc = xf_store_read_status(s, "energy", &got, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    if (got != NULL)
        CHECK_STR(got, text);
    free(got);
    got = NULL;
    rc = xf_store_write_status(s, "energy", "", &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    rc = xf_store_read_status(s, "energy", &got, &err);
    CHECK_MSG(rc == XF_OK && got != NULL && got[0] == '\0', "%s", err.message);
    free(got);
    got = NULL;
    snprintf(path, sizeof path, "%s/energy", xf_store_dir(s));
    CHECK_INT(tu_count_temp_files(path), 0);

    /* an entry without a status */
    snprintf(path, sizeof path, "%s/other", xf_store_dir(s));
    need(mkdir(path, 0777) == 0, path, NULL);
    CHECK_INT(xf_store_read_status(s, "other", &got, &err), XF_ENOTFOUND);
    CHECK_MSG(strstr(err.message, "status") != NULL, "%s", err.message);
    CHECK_INT(xf_store_write_status(s, "other", NULL, &err), XF_EINVAL);

    /* an absurdly large one is refused on reading */
    big = malloc(((size_t)1 << 20) + 2);
    need(big != NULL, "memory", NULL);
    memset(big, 'x', ((size_t)1 << 20) + 1);
    big[((size_t)1 << 20) + 1] = '\0';
    rc = xf_store_write_status(s, "other", big, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    CHECK_INT(xf_store_read_status(s, "other", &got, &err), XF_ERANGE);
    CHECK(got == NULL);
    free(big);
    xf_store_close(s);
}

/* A CURRENT that cannot be followed (it names a missing version, a FIFO,
 * a damaged file, or holds garbage): xf_store_load_current falls back to
 * the newest version that loads, with a warning, and leaves CURRENT as it
 * is; a FIFO never makes a read wait.  No CURRENT yet: no fallback. */
static void test_fallback(const xf_head *h)
{
    xf_store *s = open_store("fallback");
    char vpath[512], cpath[512];
    xf_head *got = NULL;
    xf_error err, warn;
    int64_t v = 0;
    int rc, i;

    /* nothing committed: nothing to fall back from */
    need(commit_locked(s, "other", h, KEEP, &v, &err) == XF_OK, "commit", &err);
    rc = xf_store_load_current(s, "fb", &got, &v, &warn, &err);
    CHECK_INT(rc, XF_ENOTFOUND);
    CHECK(got == NULL && v == 0);
    for (i = 0; i < 3; i++)
        need(commit_locked(s, "fb", h, KEEP, &v, &err) == XF_OK, "commit", &err);
    CHECK_INT(current_of(s, "fb"), 3);
    /* followed: no warning */
    rc = xf_store_load_current(s, "fb", &got, &v, &warn, &err);
    CHECK_MSG(rc == XF_OK && v == 3 && got != NULL, "%s", err.message);
    CHECK_INT(warn.code, XF_OK);
    CHECK_STR(warn.message, "");
    xf_head_free(got);
    got = NULL;

    /* v3 removed by hand: v2, with a warning naming v3's file */
    CHECK_INT(xf_store_version_path(s, "fb", 3, vpath, sizeof vpath, NULL), XF_OK);
    need(unlink(vpath) == 0, vpath, NULL);
    rc = xf_store_load_current(s, "fb", &got, &v, &warn, &err);
    CHECK_MSG(rc == XF_OK && v == 2 && got != NULL, "%s", err.message);
    CHECK_INT(warn.code, XF_ENOTFOUND);
    CHECK_MSG(strstr(warn.message, vpath) != NULL && strstr(warn.message, "using v2") != NULL, "%s",
              warn.message);
    CHECK(got != NULL && xf_head_horizon(got) == 4);
    xf_head_free(got);
    got = NULL;
    CHECK_INT(current_of(s, "fb"), 3); /* not repaired by a reader */
    CHECK_INT(xf_store_load(s, "fb", 0, &got, &err), XF_ENOTFOUND);

    /* a FIFO as v3: refused at once as damaged, then the same fallback */
    need(mkfifo(vpath, 0600) == 0, vpath, NULL);
    alarm(10);
    rc = xf_store_load(s, "fb", 3, &got, &err);
    CHECK_INT(rc, XF_EFORMAT);
    CHECK_MSG(strstr(err.message, "a FIFO") != NULL, "%s", err.message);
    rc = xf_store_load_current(s, "fb", &got, &v, &warn, &err);
    alarm(0);
    CHECK_MSG(rc == XF_OK && v == 2, "%s", err.message);
    CHECK_INT(warn.code, XF_EFORMAT);
    xf_head_free(got);
    got = NULL;
    /* a rollback to it is refused the same way */
    {
        xf_lock *l = NULL;
        need(xf_store_lock(s, "fb", 1, &l, &err) == XF_OK, "lock", &err);
        alarm(10);
        CHECK_INT(xf_store_set_current(s, "fb", 3, NULL, &err), XF_EFORMAT);
        alarm(0);
        xf_store_unlock(l);
    }
    unlink(vpath);

    /* a FIFO as CURRENT: garbage, not a hang; the newest version is used */
    snprintf(cpath, sizeof cpath, "%s/fb/CURRENT", xf_store_dir(s));
    need(unlink(cpath) == 0 && mkfifo(cpath, 0600) == 0, cpath, NULL);
    alarm(10);
    CHECK_INT(xf_store_current(s, "fb", &v, &err), XF_EFORMAT);
    rc = xf_store_load_current(s, "fb", &got, &v, &warn, &err);
    alarm(0);
    CHECK_MSG(rc == XF_OK && v == 2, "%s", err.message);
    CHECK_INT(warn.code, XF_EFORMAT);
    CHECK_MSG(strstr(warn.message, cpath) != NULL, "%s", warn.message);
    xf_head_free(got);
    got = NULL;
    /* a commit repairs it, numbering after the largest version seen */
    need(unlink(cpath) == 0, cpath, NULL);
    need(tu_write_file(cpath, "3\n", 2) == 0, cpath, NULL);
    rc = commit_locked(s, "fb", h, KEEP, &v, &err);
    CHECK_MSG(rc == XF_OK && v == 4, "%s", err.message);
    rc = xf_store_load_current(s, "fb", &got, &v, &warn, &err);
    CHECK_MSG(rc == XF_OK && v == 4 && warn.code == XF_OK, "%s", err.message);
    xf_head_free(got);
    got = NULL;

    /* a symbolic link as a store file is not followed */
    {
        char spath[512], *text = NULL;
        snprintf(spath, sizeof spath, "%s/fb/status", xf_store_dir(s));
        need(symlink("/dev/zero", spath) == 0, spath, NULL);
        alarm(10);
        rc = xf_store_read_status(s, "fb", &text, &err);
        alarm(0);
        CHECK_INT(rc, XF_EFORMAT);
        CHECK_MSG(strstr(err.message, "symbolic link") != NULL, "%s", err.message);
        CHECK(text == NULL);
        free(text);
        unlink(spath);
    }

    /* no version loads: CURRENT's problem, and that nothing else loads */
    for (i = 1; i <= 4; i++) {
        CHECK_INT(xf_store_version_path(s, "fb", i, vpath, sizeof vpath, NULL), XF_OK);
        unlink(vpath);
    }
    rc = xf_store_load_current(s, "fb", &got, &v, &warn, &err);
    CHECK_INT(rc, XF_ENOTFOUND);
    CHECK(got == NULL && v == 0);
    CHECK_MSG(strstr(err.message, "no other version") != NULL, "%s", err.message);
    xf_store_close(s);
}

int main(void)
{
    xf_head *h;
    int rc;
    if (mkdtemp(root) == NULL) {
        perror("test_store: mkdtemp");
        return 99;
    }
    h = make_head();
    test_open();
    test_names();
    test_list();
    test_versions(h);
    test_damage(h);
    test_pins(h);
    test_locks();
    test_crash(h);
    test_readers(h);
    test_write_failure(h);
    test_status();
    test_fallback(h);
    xf_head_free(h);
    rc = tu_report("test_store");
    rm_tree(root);
    return rc;
}
