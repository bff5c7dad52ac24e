/* xfcast/store.h - the model store: versioned heads per data source, on disk.
 *
 * A store is a directory that keeps, for each data source, the heads fitted
 * on it over time and which of them is the champion (the one forecasts
 * use).  Retraining writes a new version and makes it current; a rollback
 * points back at an older one.  Layout:
 *
 *     DIR/                    the store (xf_store_open with create = 1 makes it)
 *     DIR/<name>/             one entry per data source; name is 1-100 of
 *                             [A-Za-z0-9._-], not starting with '.'
 *     DIR/<name>/v<N>.xfm     head versions (.xfm head files), N = 1, 2, 3, ...
 *                             in decimal without leading zeros; a number is
 *                             never reused: a new version is one more than
 *                             the largest one present (or current)
 *     DIR/<name>/CURRENT      the text "N\n": the champion version
 *     DIR/<name>/PINNED       the text "N M\n": version N was made current
 *                             by a rollback from version M (a pin; it
 *                             counts only while CURRENT names N)
 *     DIR/<name>/status       "key: value" lines written by the caller
 *     DIR/<name>/.lock        the entry's lock file (flock(2), see xf_store_lock)
 *     DIR/<name>/F.tmp.<PID>  file F being written by process PID
 *
 * Other files and directories (names that are not valid source names,
 * version files with other spellings) are ignored.
 *
 * Crash safety.  Every file is written atomically (a temporary file in the
 * same directory, fsync, rename over the target, fsync of the directory),
 * and a commit writes the version file completely, durably, before CURRENT
 * is replaced to name it.  So a crash, a kill -9 or a full disk at any
 * moment leaves CURRENT naming a complete, loadable head (or, before the
 * first commit, absent).  What a crash can leave behind is harmless: a
 * version file that never became current (it is an ordinary older version
 * to the next commits, and pruned like one) and temporary files, which the
 * next commit removes once the process that wrote them is gone.
 *
 * Concurrency.  Writers (xf_store_commit, xf_store_set_current,
 * xf_store_write_status) must hold the entry's lock (xf_store_lock); the
 * calls do not take it themselves, so that a caller can read, decide and
 * write under one lock.  Readers need no lock: every file they read is
 * replaced whole by rename, never changed in place.
 *
 * Thread safety: a store handle holds no mutable state; one handle can be
 * used from many threads.  A lock belongs to the process (flock), not to a
 * thread.
 *
 * Errors name the path and the failing step ("cannot create
 * 'models/energy/.lock': Permission denied").  The library never prints.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_STORE_H
#define XFCAST_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "api.h"
#include "error.h"
#include "head.h"

#ifdef __cplusplus
extern "C" {
#endif

#define XF_STORE_NAME_MAX 100 /* longest source name, in bytes */

typedef struct xf_store xf_store;

/* Open the store in directory `dir` (copied).  create = 1 makes the
 * directory and any missing parents (mkdir -p); create = 0 fails with
 * XF_ENOTFOUND when it does not exist.  Returns XF_OK, XF_ENOTFOUND,
 * XF_EINVAL (dir is empty or not a directory), XF_EIO, XF_ENOMEM.  On
 * failure *out is NULL.  Close with xf_store_close. */
XF_API int xf_store_open(const char *dir, int create, xf_store **out, xf_error *err);

/* Release the handle (NULL is a no-op).  Files are not touched. */
XF_API void xf_store_close(xf_store *s);

/* The store's directory as given to xf_store_open, without trailing
 * slashes (borrowed, valid until xf_store_close). */
XF_API const char *xf_store_dir(const xf_store *s);

/* Is `name` a valid source name (1 to XF_STORE_NAME_MAX bytes of
 * [A-Za-z0-9._-], not starting with '.')?  XF_OK, or XF_EINVAL with a
 * message saying what is wrong.  Every call below taking a name checks it
 * this way first, so a name can never reach outside the store. */
XF_API int xf_store_name_check(const char *name, xf_error *err);

/* The store's entries: subdirectories with a valid source name, sorted
 * (strcmp).  *names is a new array of *n new strings (NULL when *n is 0),
 * owned by the caller: free with xf_store_names_free.  Returns XF_OK,
 * XF_EIO, XF_ENOMEM. */
XF_API int xf_store_list(const xf_store *s, char ***names, size_t *n, xf_error *err);

/* Free what xf_store_list returned (NULL is a no-op). */
XF_API void xf_store_names_free(char **names, size_t n);

/* ------------------------------------------------------------ locking */

/* A held entry lock.  (Not "xf_store_lock": C gives types and functions
 * one name space, and that name is the function's.) */
typedef struct xf_lock xf_lock;

/* Take the exclusive lock of entry `name` (flock on DIR/<name>/.lock; the
 * entry directory and the lock file are created when missing).  wait = 0:
 * fail at once with XF_EBUSY when another process (or another lock handle
 * of this process) holds it; wait = 1: block until it is free.  The lock is
 * released by xf_store_unlock or when the process ends, however it ends.
 * It is not inherited across exec.  Returns XF_OK with *out (owned by the
 * caller), XF_EINVAL (bad name), XF_EBUSY, XF_EIO, XF_ENOMEM. */
XF_API int xf_store_lock(xf_store *s, const char *name, int wait, xf_lock **out, xf_error *err);

/* Release and free a lock (NULL is a no-op). */
XF_API void xf_store_unlock(xf_lock *l);

/* ------------------------------------------------------------ versions */

/* The champion version of `name` (read from CURRENT).  Returns XF_OK,
 * XF_ENOTFOUND (no such entry, or no version committed yet), XF_EFORMAT
 * (CURRENT does not hold a version number), XF_EINVAL, XF_EIO. */
XF_API int xf_store_current(const xf_store *s, const char *name, int64_t *version, xf_error *err);

/* The version files present for `name` (v<N>.xfm), ascending.  *v is a new
 * array of *n numbers (NULL when *n is 0), owned by the caller (free()).
 * Returns XF_OK, XF_ENOTFOUND (no such entry), XF_EINVAL, XF_EIO,
 * XF_ENOMEM. */
XF_API int xf_store_versions(const xf_store *s, const char *name, int64_t **v, size_t *n,
                             xf_error *err);

/* Write the path of version `version` of `name` (DIR/<name>/v<N>.xfm) into
 * buf of size len, snprintf-style.  Returns XF_OK, XF_EINVAL (bad name or
 * version < 1) or XF_ERANGE (buf too small; buf then holds as much as fits,
 * NUL-terminated), with err (may be NULL) filled. */
XF_API int xf_store_version_path(const xf_store *s, const char *name, int64_t version, char *buf,
                                 size_t len, xf_error *err);

/* Commit a new champion: save `head` (borrowed) as v<N>.xfm with N one more
 * than the largest version present or current, make CURRENT name it, then
 * delete the oldest versions (by number: after a rollback, the version
 * that was current may go) so that at most `keep` (>= 1) remain, never
 * the new one, and remove temporary files left by processes that are gone.
 * The caller holds the entry's lock; the entry directory is created when
 * missing.  Returns XF_OK with *version_out (may be NULL) = N.
 *
 * Failures: XF_EINVAL (bad name, keep < 1, head NULL, a head whose saved
 * file xf_head_load refuses: nothing committed), XF_ERANGE, XF_ENOMEM,
 * XF_EIO.  When saving the head or replacing CURRENT fails, CURRENT and the
 * versions are as they were (the new file is removed) and *version_out is
 * 0.  When CURRENT names the new version but a later step fails (the
 * directory sync of CURRENT, pruning, cleaning), the commit has taken
 * effect: *version_out is N and the status and message say what failed. */
XF_API int xf_store_commit(xf_store *s, const char *name, const xf_head *head, int keep,
                           int64_t *version_out, xf_error *err);

/* Make an existing version current (a rollback) and pin it: PINNED
 * records the version and the one that was current before (see
 * xf_store_pinned; a later xf_store_commit or xf_store_unpin ends the
 * pin).  version 0 means the newest version older than the current one;
 * an explicit version also repairs a damaged or missing CURRENT.  The
 * version is loaded first to check it, so CURRENT never names a damaged
 * file.  The caller holds the entry's lock.  When CURRENT names the
 * version but writing the pin fails, the status is the failure's and
 * *now_current is the version.  Returns XF_OK with *now_current (may be NULL) = the
 * version now current; XF_ENOTFOUND (no such version; for version 0: no
 * current version or none older), XF_EFORMAT (version 0 and a damaged
 * CURRENT), XF_ECHECKSUM / XF_EFORMAT (the version's file is damaged),
 * XF_EINVAL, XF_EIO, XF_ENOMEM. */
XF_API int xf_store_set_current(xf_store *s, const char *name, int64_t version,
                                int64_t *now_current, xf_error *err);

/* `xfcast store rollback` for every front end (CLI, Python, R): under the
 * entry's lock (taken here, without waiting: XF_EBUSY when another writer
 * holds it), make `version` current and pinned (xf_store_set_current; 0 =
 * the version before the current one), and rewrite the status's outcome,
 * version, last_run and message lines to say so, keeping its other lines.
 * *was (may be NULL) = the version current before (0: none), *now (may be
 * NULL) = the one current after.  When the version became current but the
 * status could not be written, the status code is the failure's and *now
 * is set. */
XF_API int xf_store_rollback(xf_store *s, const char *name, int64_t version, int64_t *was,
                             int64_t *now, xf_error *err);

/* Load version `version` of `name` (0 = the current one) into a new head
 * (*out, owned by the caller: xf_head_free; attach its encoders before
 * forecasting).  Returns XF_OK, XF_ENOTFOUND (no such entry or version, no
 * current version), XF_ECHECKSUM / XF_EFORMAT (damaged file; the message
 * names it), XF_EINVAL, XF_EIO, XF_ENOMEM.  Needs no lock: when a commit
 * replaces and prunes the current version while it is being loaded, the
 * new current version is loaded instead. */
XF_API int xf_store_load(const xf_store *s, const char *name, int64_t version, xf_head **out,
                         xf_error *err);

/* Load the current version of `name`, falling back when CURRENT cannot be
 * followed: when CURRENT is damaged (no version number, not a regular
 * file) or names a version whose file is missing, not a regular file or
 * damaged, the newest other version that loads is loaded instead.
 * *version = the version loaded; `warning` (may be NULL) is cleared
 * (code XF_OK, empty message) when CURRENT was followed, else it holds
 * CURRENT's problem and the version used ("source 'x' has no version 5
 * (...); using v4, the newest version that loads ...").  CURRENT is not
 * changed (needs no lock; the next commit repairs it).  Returns XF_OK,
 * XF_ENOTFOUND (no such entry or no CURRENT yet: nothing to fall back
 * from), CURRENT's problem's status when no version loads (the message
 * says so), XF_EINVAL, XF_EIO, XF_ENOMEM. */
XF_API int xf_store_load_current(const xf_store *s, const char *name, xf_head **out,
                                 int64_t *version, xf_error *warning, xf_error *err);

/* ------------------------------------------------------------ pins */

/* Is `name` pinned by a rollback?  *version = the pinned version (it is
 * the current one), or 0 when there is no pin, or the pin names a version
 * that is no longer current, or the pin file is damaged (a pin never stops
 * a retrain from running).  *from (may be NULL) = the version that was
 * current before the rollback: a retrain keeps the pin while the data and
 * the configuration are those that version saw (xf_retrain_source).
 * Needs no lock.  Returns XF_OK, XF_EINVAL (bad name), XF_EIO, XF_ENOMEM. */
XF_API int xf_store_pinned(const xf_store *s, const char *name, int64_t *version, int64_t *from,
                           xf_error *err);

/* End the pin of `name` (remove PINNED); the current version stays.
 * *was_pinned (may be NULL) = 1 when a pin was in force.  The caller holds
 * the entry's lock.  Returns XF_OK (also when there was no pin),
 * XF_ENOTFOUND (no such entry), XF_EINVAL, XF_EIO, XF_ENOMEM. */
XF_API int xf_store_unpin(xf_store *s, const char *name, int *was_pinned, xf_error *err);

/* ------------------------------------------------------------ status */

/* Replace DIR/<name>/status by `text` (NUL-terminated, written as is),
 * atomically; the entry directory is created when missing.  The caller
 * holds the entry's lock.  Returns XF_OK, XF_EINVAL, XF_EIO, XF_ENOMEM. */
XF_API int xf_store_write_status(xf_store *s, const char *name, const char *text, xf_error *err);

/* Read DIR/<name>/status into a new NUL-terminated string (*text, owned by
 * the caller: free()).  Returns XF_OK, XF_ENOTFOUND (no status written),
 * XF_ERANGE (larger than 1 MiB), XF_EINVAL, XF_EIO, XF_ENOMEM. */
XF_API int xf_store_read_status(const xf_store *s, const char *name, char **text, xf_error *err);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_STORE_H */
