/* xfcast/retrain.h - nightly retraining of data sources into a model store.
 *
 * Sources are described in an INI file (read with libinih), one section per
 * source; a [defaults] section gives values for every source.  The keys
 * are the long names of the option table (xfcast/options.h): the model and
 * CSV options of `xfcast fit` without their "--", plus the source keys
 * csv, holdout, tolerance, keep and on-corrupt.  Older spellings stay
 * accepted: time, id, time_format, na_values, covariates, max_windows,
 * on_corrupt.
 *
 *   [defaults]
 *   horizon = 24
 *   [meter-17]
 *   csv = data/meter-17.csv      ; relative to the INI file's directory
 *   time-col = timestamp          ; the CSV options: time-col, target, id-col,
 *   target = load                 ;   delimiter, decimal, time-format,
 *   covariate = temperature       ;   na-values, freq, gaps, duplicates
 *   holdout = 96                  ; values per series kept to compare heads
 *   encoder = gru-base,tcn-base   ; or none; default: both shipped ones
 *   levels = 80,95
 *   domain = energy               ; generic, stock, weather, energy
 *   tolerance = 0.02              ; challenger may be 2% worse (MASE)
 *   keep = 5                      ; versions kept
 *   on-corrupt = retrain          ; or skip
 *   lags = 168                    ; also: season, max-windows, baseline, ...
 *   calendar = on                 ; flags take on or off
 *
 * Retraining a source (xf_retrain_source): read its CSV; when it only grew
 * since the champion head saw it (the head records, per series, how many
 * values it saw and a fingerprint of them), add the new origins to the
 * head's sufficient statistics (exact; see xf_head_update) and commit the
 * result; otherwise (history changed, or the source's configuration did:
 * the head records a fingerprint of it) fit a challenger on the data
 * without its last `holdout` values per series, refit the champion's
 * configuration on the same data, score both on those values (MASE over
 * forecasts from every horizon-th origin), and commit the challenger -
 * refitted exactly on all the data - unless it is worse than the champion
 * by more than the tolerance (force overrides); else commit the champion's
 * configuration refitted on all the data ("kept").  Values seen are those
 * up to each series' last observed target: rows after it (covariates known
 * ahead, an empty target) are the future, so a run that finds no new
 * target value commits nothing ("unchanged"), and the update when those
 * targets arrive is exact.  A champion pinned by a rollback
 * (xf_store_set_current, xf_store_pinned) is kept ("unchanged") while the
 * data and the configuration are those the version rolled back from saw;
 * otherwise (or with force) the pin is ended and the run goes on as above.
 * The source's status says what happened and why.  Every write goes through the store's atomic
 * commit; a dry run takes no lock and writes nothing.
 *
 * Thread safety: the source list from xf_sources_load is read-only
 * afterwards and may be shared.  xf_retrain_source keeps its state in the
 * call and reads the encoders without changing them; runs on different
 * sources may go in parallel threads (or processes) with one store handle.
 * Two runs on one source, in threads or processes, are serialised by the
 * source's lock: the second waits (o->wait) or fails with XF_EBUSY.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_RETRAIN_H
#define XFCAST_RETRAIN_H

#include <stddef.h>
#include <stdint.h>
#include "api.h"
#include "dataset.h"
#include "error.h"
#include "head.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define XF_SOURCE_MAX_ENCODERS XF_MAX_ENCODERS

/* One data source of the INI file.  Every string, those of csv_opts
 * included, is owned by the source list (xf_sources_free). */
typedef struct xf_source {
    char *name;              /* section name (a valid store entry name) */
    char *csv;               /* CSV path, resolved against the INI file's directory */
    xf_csv_options csv_opts; /* reader options (strings point into the source) */
    char *covariates;        /* comma-separated covariate columns, or NULL */
    char *encoders;          /* comma-separated encoder names/paths, "none", or NULL */
    xf_head_options head;    /* horizon, levels, domain, lags, season, max_windows */
    int32_t holdout;         /* values per series held out to compare heads (XF_AUTO:
                                   4 horizons) */
    double tolerance;        /* relative MASE margin (default 0.02) */
    int32_t keep;            /* versions kept (default 5) */
    int32_t on_corrupt_skip; /* 1: a corrupted champion fails the source; 0: retrain */
    char *opt_str[8];        /* storage of csv_opts' strings, in option-table order
                                   (owned) */
} xf_source;

/* Read an INI file of sources.  Errors name the file, line (syntax) or
 * section and key (values): XF_EIO, XF_EPARSE, XF_EINVAL, XF_ENOMEM.  An
 * unknown key is an error (a typo must not pass silently). */
XF_API int xf_sources_load(const char *path, xf_source **out, size_t *n, xf_error *err);
XF_API void xf_sources_free(xf_source *s, size_t n);

/* Whether source `index` (0-based, in file order) belongs to shard i of n
 * (a stable hash of its name, so adding a source does not move others). */
XF_API int xf_source_in_shard(const xf_source *s, int32_t shard, int32_t n_shards);

typedef enum xf_retrain_outcome {
    XF_RETRAIN_PROMOTED = 0, /* a new head was fitted and became the champion */
    XF_RETRAIN_UPDATED,      /* the data only grew: the champion was updated exactly */
    XF_RETRAIN_KEPT,         /* the challenger lost: the champion's configuration stays,
                                 refitted on the new data */
    XF_RETRAIN_UNCHANGED,    /* no new data since the champion */
    XF_RETRAIN_DRY_RUN,      /* what would have happened, nothing written */
    XF_RETRAIN_FAILED        /* an error: the champion, if any, is untouched */
} xf_retrain_outcome;

XF_API const char *xf_retrain_outcome_name(xf_retrain_outcome o);

typedef struct xf_retrain_options {
    size_t struct_size; /* sizeof, set by _init (see the ABI rule in xfcast.h) */
    int32_t force;      /* promote the challenger whatever the comparison; full refit */
    int32_t dry_run;    /* read, fit and compare, but write nothing */
    int32_t wait;       /* wait for the source's lock instead of failing with XF_EBUSY */
    int32_t n_threads;  /* encoder threads */
} xf_retrain_options;

XF_API void xf_retrain_options_init(xf_retrain_options *o);
XF_API void xf_retrain_options_init_sized(xf_retrain_options *o, size_t size);
/* (a macro: the library writes only the caller's sizeof; see the ABI rule in xfcast.h) */
#define xf_retrain_options_init(o) xf_retrain_options_init_sized((o), sizeof *(o))

typedef struct xf_retrain_report {
    xf_retrain_outcome outcome;
    int64_t version;       /* champion version after the run (0: none) */
    int64_t rows;          /* values read (all series) */
    int64_t rows_added;    /* values new since the champion (incremental runs) */
    int64_t origins_added; /* origins added to the statistics (incremental runs) */
    double mase_champion;  /* on the holdout (NaN when not scored) */
    double mase_challenger;
    double seconds;
    int32_t warning;   /* 1: something the user should see although the source
                                   succeeded (a damaged champion was replaced) */
    char message[640]; /* one line: what happened and why */
} xf_retrain_report;

/* Retrain one source into the store.  encs: the source's encoders, loaded
 * by the caller (borrowed; the champion is matched to them by fingerprint).
 * Returns XF_OK when the source was processed (see rep->outcome; a failed
 * source returns its error code too), XF_EBUSY when its lock is held. */
XF_API int xf_retrain_source(xf_store *st, const xf_source *src, xf_encoder *const *encs,
                             size_t n_enc, const xf_retrain_options *o, xf_retrain_report *rep,
                             xf_error *err);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_RETRAIN_H */
