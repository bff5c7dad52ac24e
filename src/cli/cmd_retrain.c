/* cmd_retrain.c - `xfcast retrain`: retrain every data source of an INI file
 * into a model store, safely, from cron.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

const char cmd_retrain_usage[] =
    "usage: xfcast retrain --config SOURCES.conf --store DIR [--source NAME ...] [--force]\n"
    "                      [--dry-run] [--jobs N] [--shard I/N] [--wait] [--log FILE]\n"
    "                      [--verbose]\n"
    "\n"
    "Retrain every data source of SOURCES.conf (INI, one [section] per source;\n"
    "see xfcast(1) and include/xfcast/retrain.h for the keys) into the model\n"
    "store DIR, for cron. For each source: read its CSV; if it only grew since\n"
    "the champion head saw it, add the new origins to the head's sufficient\n"
    "statistics (exact, no re-embedding of history) and commit; otherwise fit\n"
    "a challenger without the last `holdout` values, score challenger and\n"
    "champion on them (MASE) and promote the challenger - refitted on all the\n"
    "data - unless it is worse by more than `tolerance`. Every write is atomic:\n"
    "a crash or kill -9 leaves the previous head loadable. Each source has its\n"
    "own lock; the others are processed when one fails.\n"
    "\n"
    "Options:\n"
    "  --config FILE        the sources (required)\n"
    "  --store DIR          the model store (required; created when missing)\n"
    "  --source NAME        only this source (repeatable)\n"
    "  --force              full refit and promotion whatever the comparison\n"
    "  --dry-run            read, fit and compare; write nothing; print what\n"
    "                       would happen\n"
    "  --jobs N             sources retrained at once (default 1)\n"
    "  --threads N          encoder threads per source (default: the CPUs, at most 8)\n"
    "  --shard I/N          only the sources of shard I (0-based) of N: N cron jobs,\n"
    "                       Slurm array tasks or GNU parallel jobs share one store\n"
    "  --wait               wait for a source locked by another run instead of\n"
    "                       skipping it\n"
    "  --log FILE           append one line per source (time, outcome, version,\n"
    "                       rows, MASE, message)\n"
    "  -v, --verbose        one line per source on stderr (default: silent on\n"
    "                       success)\n"
    "\n"
    "Exit status: 0 every source ok, 1 some source failed (the others were\n"
    "processed; a summary is on stderr), 2 usage error, 75 some source was\n"
    "locked by another run.\n"
    "Example (crontab): 15 2 * * * xfcast retrain --config /etc/xfcast/sources.conf\n"
    "                   --store /var/lib/xfcast --log /var/log/xfcast.log\n";

#define RT_MAX_ENC_SETS 16

/* Encoders loaded once and shared by every source that names them. */
typedef struct enc_set {
    char spec[256]; /* the source's encoder key ("" = default) */
    xf_encoder *enc[XF_MAX_ENCODERS];
    size_t n;
} enc_set;

typedef struct job {
    const xf_source *src;
    const enc_set *encs;
    xf_retrain_report rep;
    xf_error err;
    int rc;
} job;

typedef struct pool {
    xf_store *store;
    job *jobs;
    size_t n_jobs, next;
    size_t finished;    /* sources done */
    cli_progress *prog; /* the progress line on stderr (a terminal), else NULL */
    xf_retrain_options opts;
    pthread_mutex_t mu;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        job *j;
        pthread_mutex_lock(&p->mu);
        j = p->next < p->n_jobs ? &p->jobs[p->next++] : NULL;
        pthread_mutex_unlock(&p->mu);
        if (j == NULL)
            return NULL;
        xf_error_clear(&j->err);
        j->rc = xf_retrain_source(p->store, j->src, j->encs->enc, j->encs->n, &p->opts, &j->rep,
                                  &j->err);
        pthread_mutex_lock(&p->mu);
        p->finished++;
        if (p->prog != NULL)
            cli_progress_draw("sources done", (int64_t)p->finished, (int64_t)p->n_jobs, p->prog);
        pthread_mutex_unlock(&p->mu);
    }
}

/* Load (or find already loaded) the encoders a source names. */
static int source_encoders(const xf_source *s, enc_set *sets, size_t *n_sets, const enc_set **out)
{
    char spec[256], *p;
    size_t i;
    enc_set *e;
    snprintf(spec, sizeof spec, "%s", s->encoders != NULL ? s->encoders : "gru-base,tcn-base");
    for (i = 0; i < *n_sets; i++)
        if (strcmp(sets[i].spec, spec) == 0) {
            *out = &sets[i];
            return CLI_OK;
        }
    if (*n_sets >= RT_MAX_ENC_SETS) {
        cli_error("retrain", "more than %d different encoder lists", RT_MAX_ENC_SETS);
        return CLI_ERROR;
    }
    e = &sets[(*n_sets)++];
    memset(e, 0, sizeof *e);
    snprintf(e->spec, sizeof e->spec, "%s", spec);
    p = spec;
    while (p != NULL && *p != '\0') {
        char *c = strchr(p, ',');
        if (c != NULL)
            *c = '\0';
        while (*p == ' ')
            p++;
        if (*p != '\0' && strcmp(p, "none") != 0) {
            if (e->n >= XF_MAX_ENCODERS) {
                cli_error("retrain", "[%s]: at most %d encoders", s->name, XF_MAX_ENCODERS);
                return CLI_ERROR;
            }
            if (cli_load_encoder("retrain", p, &e->enc[e->n]) != CLI_OK)
                return CLI_ERROR;
            e->n++;
        }
        p = c != NULL ? c + 1 : NULL;
    }
    *out = e;
    return CLI_OK;
}

static void log_line(int fd, const job *j)
{
    char line[1200], when[48];
    int len;
    xf_time_format((xf_time)time(NULL) * 1000000, 0, when, sizeof when);
    len = snprintf(line, sizeof line,
                   "%s source=%s outcome=%s version=%lld rows=%lld added=%lld "
                   "mase_champion=%.4g mase_challenger=%.4g seconds=%.2f message=\"%s\"\n",
                   when, j->src->name,
                   j->rc == XF_EBUSY ? "locked" : xf_retrain_outcome_name(j->rep.outcome),
                   (long long)j->rep.version, (long long)j->rep.rows, (long long)j->rep.rows_added,
                   j->rep.mase_champion, j->rep.mase_challenger, j->rep.seconds,
                   j->rc == XF_EBUSY ? j->err.message : j->rep.message);
    if (len > 0) {
        /* one write per line with O_APPEND: lines of concurrent runs do not mix */
        ssize_t w = write(fd, line, (size_t)len < sizeof line ? (size_t)len : sizeof line - 1);
        (void)w;
    }
}

int cmd_retrain(int argc, char **argv)
{
    static const char *const own[] = {"--config",  "--store", "--source", "--jobs",
                                      "--threads", "--shard", "--log",    NULL};
    cli_args a;
    const char *pos, *config = NULL, *store_dir = NULL, *log_path = NULL;
    const char *only[256];
    size_t n_only = 0, n_src = 0, i, k, n_sets = 0, n_jobs = 0;
    xf_source *src = NULL;
    xf_store *store = NULL;
    enc_set sets[RT_MAX_ENC_SETS];
    job *jobs = NULL;
    pool pl;
    cli_progress prog;
    xf_error err;
    int kind, rc = CLI_OK, verbose = 0, n_threads_jobs = 1, log_fd = -1, failed = 0, busy = 0;
    int32_t shard = 0, n_shards = 1;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    memset(sets, 0, sizeof sets);
    memset(&pl, 0, sizeof pl);
    xf_retrain_options_init(&pl.opts);
    pl.opts.n_threads = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (int32_t)ncpu;
    cli_args_init(&a, "retrain", argc, argv);
    a.own = own;
    while ((kind = cli_args_next(&a, &pos)) != 0) {
        const char *v;
        if (kind == 3) {
            cli_print_command_help("retrain");
            return CLI_OK;
        }
        if (kind == 2) {
            cli_error("retrain", "unexpected argument '%s' (sources come from --config)", pos);
            return CLI_USAGE;
        }
        if (strcmp(a.opt, "--force") == 0) {
            pl.opts.force = 1;
            continue;
        }
        if (strcmp(a.opt, "--dry-run") == 0) {
            pl.opts.dry_run = 1;
            continue;
        }
        if (strcmp(a.opt, "--wait") == 0) {
            pl.opts.wait = 1;
            continue;
        }
        if (strcmp(a.opt, "-v") == 0 || strcmp(a.opt, "--verbose") == 0) {
            verbose = 1;
            continue;
        }
        if ((v = cli_args_value(&a)) == NULL)
            return CLI_USAGE;
        if (strcmp(a.opt, "--config") == 0) {
            config = v;
        } else if (strcmp(a.opt, "--store") == 0) {
            store_dir = v;
        } else if (strcmp(a.opt, "--source") == 0) {
            if (n_only >= sizeof only / sizeof *only) {
                cli_error("retrain", "too many --source options");
                return CLI_USAGE;
            }
            only[n_only++] = v;
        } else if (strcmp(a.opt, "--jobs") == 0 || strcmp(a.opt, "--threads") == 0) {
            char *end;
            long x = strtol(v, &end, 10);
            if (*end != '\0' || x < 1 || x > 64) {
                cli_error("retrain", "%s takes a whole number in 1..64, not '%s'", a.opt, v);
                return CLI_USAGE;
            }
            if (a.opt[2] == 'j')
                n_threads_jobs = (int)x;
            else
                pl.opts.n_threads = (int32_t)x;
        } else if (strcmp(a.opt, "--shard") == 0) {
            if (cli_parse_shard("retrain", v, 100000, &shard, &n_shards) != 0)
                return CLI_USAGE;
        } else if (strcmp(a.opt, "--log") == 0) {
            log_path = v;
        } else {
            cli_error("retrain", "unknown option '%s'; see 'xfcast help retrain'", a.opt);
            return CLI_USAGE;
        }
    }
    if (config == NULL || store_dir == NULL) {
        cli_error("retrain", "usage: xfcast retrain --config SOURCES.conf --store DIR [options]");
        return CLI_USAGE;
    }
    if (xf_sources_load(config, &src, &n_src, &err) != XF_OK) {
        cli_error("retrain", "%s", err.message);
        return err.code == XF_EIO ? CLI_ERROR : CLI_USAGE;
    }
    for (k = 0; k < n_only; k++) {
        int found = 0;
        for (i = 0; i < n_src && !found; i++)
            found = strcmp(src[i].name, only[k]) == 0;
        if (!found) {
            cli_error("retrain", "no source '%s' in %s", only[k], config);
            rc = CLI_USAGE;
            goto done;
        }
    }
    if (xf_store_open(store_dir, !pl.opts.dry_run, &store, &err) != XF_OK) {
        cli_error("retrain", "%s", err.message);
        rc = CLI_ERROR;
        goto done;
    }
    if (log_path != NULL && !pl.opts.dry_run &&
        (log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644)) < 0) {
        cli_error("retrain", "cannot open log %s: %s", log_path, strerror(errno));
        rc = CLI_ERROR;
        goto done;
    }
    if ((jobs = calloc(n_src, sizeof *jobs)) == NULL) {
        cli_error("retrain", "out of memory");
        rc = CLI_ERROR;
        goto done;
    }
    for (i = 0; i < n_src; i++) {
        int wanted = n_only == 0;
        for (k = 0; k < n_only && !wanted; k++)
            wanted = strcmp(src[i].name, only[k]) == 0;
        if (!wanted || !xf_source_in_shard(&src[i], shard, n_shards))
            continue;
        jobs[n_jobs].src = &src[i];
        if (source_encoders(&src[i], sets, &n_sets, &jobs[n_jobs].encs) != CLI_OK) {
            rc = CLI_ERROR;
            goto done;
        }
        n_jobs++;
    }
    /* the sources, on --jobs threads (each source under its own lock) */
    pl.store = store;
    pl.jobs = jobs;
    pl.n_jobs = n_jobs;
    if (cli_progress_start(&prog, "retrain", NULL, 0))
        pl.prog = &prog; /* the progress of long runs, on a terminal only */
    pthread_mutex_init(&pl.mu, NULL);
    if (n_threads_jobs > 1 && n_jobs > 1) {
        pthread_t th[64];
        int t, started = 0;
        for (t = 0; t < n_threads_jobs && (size_t)t < n_jobs; t++)
            if (pthread_create(&th[t], NULL, worker, &pl) == 0)
                started++;
        if (started == 0)
            worker(&pl);
        for (t = 0; t < started; t++)
            pthread_join(th[t], NULL);
    } else {
        worker(&pl);
    }
    pthread_mutex_destroy(&pl.mu);
    cli_progress_end(&prog);
    for (i = 0; i < n_jobs; i++) {
        job *j = &jobs[i];
        const char *outcome =
            j->rc == XF_EBUSY ? "locked" : xf_retrain_outcome_name(j->rep.outcome);
        if (log_fd >= 0)
            log_line(log_fd, j);
        if (j->rc == XF_EBUSY)
            busy++;
        else if (j->rc != XF_OK || j->rep.outcome == XF_RETRAIN_FAILED)
            failed++;
        if (!verbose && j->rc == XF_OK && j->rep.warning)
            fprintf(stderr, "xfcast retrain: warning: %s: %s\n", j->src->name, j->rep.message);
        if (pl.opts.dry_run)
            printf("%s: %s: %s\n", j->src->name, outcome, j->rep.message);
        else if (verbose)
            fprintf(stderr, "xfcast retrain: %s: %s (v%lld, %.2f s): %s\n", j->src->name, outcome,
                    (long long)j->rep.version, j->rep.seconds,
                    j->rc == XF_EBUSY ? j->err.message : j->rep.message);
    }
    if (failed > 0 || busy > 0) {
        fprintf(stderr, "xfcast retrain: %d of %zu sources failed%s:\n", failed, n_jobs,
                busy ? (failed ? ", some locked" : " (some locked by another run)") : "");
        for (i = 0; i < n_jobs; i++) {
            job *j = &jobs[i];
            if (j->rc == XF_EBUSY)
                fprintf(stderr, "  %s: locked: %s\n", j->src->name, j->err.message);
            else if (j->rc != XF_OK || j->rep.outcome == XF_RETRAIN_FAILED)
                fprintf(stderr, "  %s: %s\n", j->src->name,
                        j->rep.message[0] ? j->rep.message : j->err.message);
        }
    }
    rc = failed > 0 ? CLI_ERROR : busy > 0 ? CLI_LOCKED : CLI_OK;
done:
    if (log_fd >= 0)
        close(log_fd);
    free(jobs);
    for (i = 0; i < n_sets; i++)
        for (k = 0; k < sets[i].n; k++)
            xf_encoder_free(sets[i].enc[k]);
    xf_store_close(store);
    xf_sources_free(src, n_src);
    return rc;
}
