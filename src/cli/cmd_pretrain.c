/* cmd_pretrain.c - `xfcast pretrain`: train an encoder on generic series.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_mpi.h"

const char cmd_pretrain_usage[] =
    "usage: xfcast pretrain --arch gru|tcn -o FILE [size options] [training options]\n"
    "\n"
    "Pretrain an encoder on a large generated corpus of generic series (or on\n"
    "your own CSV files) and write it, with its zero-shot forecasting head and\n"
    "its provenance, to FILE (.xfm). Objective: forecast the next --horizon\n"
    "normalised values of each context window through a linear head on the\n"
    "embedding (Huber loss), or with --head seasonal through the head a fitted\n"
    "head resembles (lags, seasonal naive, quantiles: pinball loss), with Adam,\n"
    "gradient clipping, warm-up and cosine decay. Window w of a run always\n"
    "comes from corpus series w, so a run is deterministic by --seed,\n"
    "independent of --threads, and --resume continues it exactly. A\n"
    "checkpoint (FILE.ckpt unless --checkpoint) is written every\n"
    "--checkpoint-every steps and removed when the run completes.\n"
    "\n"
    "Several processes (a build configured --with-mpi): started by mpirun,\n"
    "mpiexec or srun, the processes share each step's batch (--batch is the\n"
    "global batch, at least 32 x the processes) and give the weights of one\n"
    "process, bit for bit; process 0 alone shows progress and writes the\n"
    "checkpoint and FILE, and --resume takes a checkpoint of any process count:\n"
    "  mpirun --hostfile hosts -np 8 xfcast pretrain --arch gru --batch 512 \\\n"
    "      -o gru.xfm --checkpoint /shared/gru.ckpt [--resume /shared/gru.ckpt]\n"
    "\n"
    "Size options (defaults: GRU 1 layer x 64; TCN 32 channels x 9 blocks, kernel 3):\n"
    "  --context N          window length (default 512)\n"
    "  --layers N           GRU layers\n"
    "  --hidden N           GRU hidden units\n"
    "  --channels N         TCN channels\n"
    "  --blocks N           TCN residual blocks (dilations 1, 2, 4, ...)\n"
    "  --kernel N           TCN kernel size\n"
    "  --inputs 2|3         input channels per step: 2 (default: the normalised\n"
    "                       value and its observed mask) or 3 (also the seasonal\n"
    "                       difference, the value less the value one period\n"
    "                       earlier, at the first period of the sample's calendar;\n"
    "                       forecasts read it at the first period of the data's\n"
    "                       frequency, e.g. 24 for hourly data)\n"
    "Training options:\n"
    "  --steps N            optimiser steps (default 16000)\n"
    "  --batch N            windows per step, a multiple of 32 (default 64)\n"
    "  --horizon N          steps forecast by the pretraining head (default 64)\n"
    "  --backcast N         also reconstruct the last N context values through\n"
    "                       extra head outputs, so the embedding keeps the recent\n"
    "                       past (default 0; only the forecast part is saved)\n"
    "  --head linear|seasonal\n"
    "                       the pretraining head: linear (default: the mean of the\n"
    "                       --horizon next values from the embedding alone, the v1\n"
    "                       encoders' objective) or seasonal (the head a fitted head\n"
    "                       resembles: it also reads the window's last --head-lags\n"
    "                       normalised values and its seasonal-naive forecasts for\n"
    "                       the periods of the sample's calendar, e.g. 24 and 168\n"
    "                       hourly, and predicts --quantiles of every step with the\n"
    "                       pinball loss; the embedding learns what those cannot)\n"
    "  --head-lags N        seasonal head: lags it reads (default 32)\n"
    "  --quantiles LIST     seasonal head: increasing levels in (0, 1) with 0.5 among\n"
    "                       them, at most 9 (default 0.025,0.1,0.5,0.9,0.975)\n"
    "  --seed S             weights and corpus seed (default 1)\n"
    "  --lr X               peak learning rate (default 0.002)\n"
    "  --warmup N           warm-up steps (default 300)\n"
    "  --clip X             gradient-norm clip (default 1)\n"
    "  --valid N            held-out validation windows (default 1024)\n"
    "  --eval-every N       steps between validations (default 500)\n"
    "  --threads N          worker threads (default 2)\n"
    "  --corpus synthetic|v1|v2|DIR\n"
    "                       the generated corpus: v1 (= synthetic, the default: the\n"
    "                       shipped encoders' corpus) or v2 (domain-like series of\n"
    "                       50-5000 values: calendars with periods 4 to 672, energy\n"
    "                       with holidays and temperature, weather, stock prices,\n"
    "                       intermittent demand, damped trends, level shifts; a\n"
    "                       window is cut from each); or every *.csv in DIR (write\n"
    "                       ./v2 for a directory named v2)\n"
    "  --dump-corpus N      write the first N corpus samples as CSV to stdout and\n"
    "                       exit, without training (to look at the corpus): columns\n"
    "                       sample,kind,variant,calendar,period,t,value,covariate\n"
    "                       (NA = missing); v1 samples have context + horizon\n"
    "                       values, v2 samples their own length; --seed applies\n"
    "  --checkpoint FILE    where to keep the resumable checkpoint\n"
    "  --checkpoint-every N steps between checkpoints (default 500)\n"
    "  --resume CKPT        continue a run from its checkpoint (same options)\n"
    "  --stop-at N          stop after step N, keeping the checkpoint (split a\n"
    "                       long run over several sessions; --resume goes on)\n"
    "  --progress           show progress: a bar on a terminal, one line per\n"
    "                       validation otherwise (default: a bar on a terminal,\n"
    "                       silent otherwise)\n"
    "  --no-progress        no progress display\n"
    "  -q, --quiet          no progress and no notes\n"
    "  -o, --output FILE    where the encoder is written (required)\n"
    "\n"
    "Exit status: 0 success, 1 runtime error, 2 usage error.\n"
    "Example: xfcast pretrain --arch gru --steps 16000 -o models/gru-base.xfm\n"
    "         xfcast pretrain --arch tcn --corpus v2 --head seasonal --horizon 336 \\\n"
    "             --backcast 512 --batch 256 -o tcn-v2.xfm\n"
    "         xfcast pretrain --corpus v2 --dump-corpus 20 > samples.csv\n";

/* How progress is shown: 0 silent, 1 a bar redrawn on a TTY, 2 one line per
 * validation (for logs). */
typedef struct progress_ctx {
    int mode;     /* see above */
    int bar_open; /* a bar is drawn and its line not ended */
} progress_ctx;

static void fmt_duration(double s, char *buf, size_t n)
{
    long t = s > 0 && s < 1e9 ? (long)(s + 0.5) : 0;
    if (t >= 3600)
        snprintf(buf, n, "%ldh%02ldm", t / 3600, t / 60 % 60);
    else
        snprintf(buf, n, "%ldm%02lds", t / 60, t % 60);
}

/* " snaive_mse 0.123" for a seasonal head, else "". */
static const char *snaive_text(const xf_pretrain_status *st, char *buf, size_t n)
{
    if (isnan(st->valid_snaive))
        return "";
    snprintf(buf, n, " snaive_mse %.5f", st->valid_snaive);
    return buf;
}

static void on_progress(const xf_pretrain_status *st, void *user)
{
    progress_ctx *pc = user;
    char el[32], eta[32], sn[48];
    double left = st->windows_per_s > 0
                      ? (double)(st->steps - st->step) * ((double)st->windows / (double)st->step) /
                            st->windows_per_s
                      : 0;
    fmt_duration(st->elapsed_s, el, sizeof el);
    fmt_duration(left, eta, sizeof eta);
    if (pc->mode == 1) {
        int width = 30, filled = (int)((double)width * (double)st->step / (double)st->steps), i;
        fprintf(stderr, "\r[");
        for (i = 0; i < width; i++)
            fputc(i < filled ? '#' : '.', stderr);
        if (isnan(st->train_loss))
            fprintf(stderr, "] %lld/%lld valid %.4f (naive %.4f)  ", (long long)st->step,
                    (long long)st->steps, st->valid_loss, st->valid_naive);
        else
            fprintf(stderr, "] %lld/%lld loss %.4f valid %.4f (%s %.4f) %.0f win/s %s eta %s  ",
                    (long long)st->step, (long long)st->steps, st->train_loss, st->valid_loss,
                    isnan(st->valid_snaive) ? "naive" : "snaive",
                    isnan(st->valid_snaive) ? st->valid_naive : st->valid_snaive, st->windows_per_s,
                    el, eta);
        pc->bar_open = 1;
        if (st->step == st->steps) {
            fputc('\n', stderr);
            pc->bar_open = 0;
        }
        fflush(stderr);
    } else if (pc->mode == 2 && st->is_eval && isnan(st->train_loss)) {
        /* the validation before the first step of this process (a start or
         * a resume): no training loss or speed to report yet */
        fprintf(stderr, "xfcast pretrain: step %lld/%lld valid_mse %.5f naive_mse %.5f%s lr %.2e\n",
                (long long)st->step, (long long)st->steps, st->valid_loss, st->valid_naive,
                snaive_text(st, sn, sizeof sn), st->lr);
    } else if (pc->mode == 2 && st->is_eval) {
        fprintf(stderr,
                "xfcast pretrain: step %lld/%lld loss %.5f valid_mse %.5f naive_mse %.5f%s "
                "lr %.2e %.0f windows/s elapsed %s\n",
                (long long)st->step, (long long)st->steps, st->train_loss, st->valid_loss,
                st->valid_naive, snaive_text(st, sn, sizeof sn), st->lr, st->windows_per_s, el);
    }
}

/* --dump-corpus: samples 0..n-1 of the corpus a run with these options
 * trains on, as CSV on stdout. */
static int dump_corpus(const xf_pretrain_options *o, long n)
{
    xf_corpus_options co;
    xf_corpus *c = NULL;
    xf_corpus_workspace *ws = NULL;
    xf_error err;
    double *v = NULL, *cov = NULL;
    uint8_t *ob = NULL;
    size_t len = (size_t)o->encoder.context + (size_t)o->horizon, cap, t;
    long i;
    int rc = CLI_ERROR;

    xf_corpus_options_init(&co);
    co.seed = o->seed;
    co.length = len;
    co.version = o->corpus_version;
    cap = len > XF_CORPUS_V2_MAX_LENGTH ? len : XF_CORPUS_V2_MAX_LENGTH;
    if (xf_corpus_new(&co, &c, &err) != XF_OK || xf_corpus_workspace_new(c, &ws, &err) != XF_OK) {
        cli_error("pretrain", "%s", err.message);
        goto done;
    }
    v = malloc(cap * sizeof *v);
    cov = malloc(cap * sizeof *cov);
    ob = malloc(cap);
    if (v == NULL || cov == NULL || ob == NULL) {
        cli_error("pretrain", "out of memory");
        goto done;
    }
    printf("sample,kind,variant,calendar,period,t,value,covariate\n");
    for (i = 0; i < n; i++) {
        xf_corpus_sample_info in;
        xf_corpus_sample_info_init(&in);
        if (xf_corpus_sample(c, ws, (uint64_t)i, 0, v, ob, cov, &in) != XF_OK) {
            cli_error("pretrain", "corpus sample %ld could not be generated", i);
            goto done;
        }
        for (t = 0; t < in.length; t++) {
            printf("%ld,%s,%s,%s,%.10g,%zu,", i, xf_corpus_kind_name(in.kind), in.variant,
                   in.calendar, in.n_periods > 0 ? in.periods[0] : 0.0, t);
            if (ob[t])
                printf("%.10g,", v[t]);
            else
                printf("NA,");
            if (in.has_covariate)
                printf("%.10g\n", cov[t]);
            else
                printf("NA\n");
        }
    }
    rc = CLI_OK;
done:
    free(v);
    free(cov);
    free(ob);
    xf_corpus_workspace_free(ws);
    xf_corpus_free(c);
    return rc;
}

static int parse_int(const char *opt, const char *v, long lo, long hi, long *out)
{
    char *end;
    long x;
    errno = 0;
    x = strtol(v, &end, 10);
    if (end == v || *end != '\0' || errno != 0 || x < lo || x > hi) {
        cli_error("pretrain", "%s takes an integer %ld..%ld, not '%s'", opt, lo, hi, v);
        return -1;
    }
    *out = x;
    return 0;
}

static int parse_double(const char *opt, const char *v, double lo, double hi, double *out)
{
    char *end;
    double x;
    errno = 0;
    x = strtod(v, &end);
    if (end == v || *end != '\0' || errno != 0 || !(x >= lo && x <= hi)) {
        cli_error("pretrain", "%s takes a number %g..%g, not '%s'", opt, lo, hi, v);
        return -1;
    }
    *out = x;
    return 0;
}

/* --quantiles 0.1,0.5,0.9: up to 9 numbers in (0, 1) (the library checks
 * their order and the median). */
static int parse_quantiles(const char *v, double *q, int *n)
{
    const char *p = v;
    *n = 0;
    for (;;) {
        char *end;
        double x;
        errno = 0;
        x = strtod(p, &end);
        if (end == p || errno != 0 || !(x > 0 && x < 1) || (*end != ',' && *end != '\0') ||
            *n >= 9) {
            cli_error("pretrain",
                      "--quantiles takes up to 9 comma-separated levels in (0, 1), not '%s'", v);
            return -1;
        }
        q[(*n)++] = x;
        if (*end == '\0')
            return 0;
        p = end + 1;
    }
}

int cmd_pretrain(int argc, char **argv)
{
    cli_args a;
    xf_pretrain_options o;
    xf_encoder_config cfg_over;
    const char *pos, *outp = NULL, *arch = NULL, *corpus = "synthetic", *ckpt = NULL,
                     *resume = NULL;
    char ckpt_buf[4096];
    int kind, progress = -1, quiet = 0, rc;
    long iv;

    xf_encoder *enc = NULL;
    xf_error err;
    xf_arch arch_id = XF_ARCH_GRU;
    progress_ctx pc;
    cli_mpi mpi;
    /* sizes given on the command line, applied after --arch picks defaults */
    long ctx = -1, layers = -1, hidden = -1, channels = -1, blocks = -1, kernel = -1;
    long steps = -1, batch = -1, horizon = -1, backcast = -1, warmup = -1, valid = -1,
         eval_every = -1, threads = -1, ck_every = -1, stop_at = -1, dump = -1, head_lags = -1,
         inputs = -1;
    int head = 0, n_quantiles = 0;
    double quantiles[9];
    double lr = -1, clip = -1;
    unsigned long long seed = 1;
    int seed_set = 0;

    cli_args_init(&a, "pretrain", argc, argv);
    while ((kind = cli_args_next(&a, &pos)) != 0) {
        if (kind == 3) {
            cli_print_command_help("pretrain");
            return CLI_OK;
        }
        const char *v;
        if (kind == 2) {
            cli_error("pretrain", "unexpected argument '%s'; see 'xfcast help pretrain'", pos);
            return CLI_USAGE;
        }
        if (strcmp(a.opt, "--progress") == 0) {
            progress = 1;
            continue;
        }
        if (strcmp(a.opt, "--no-progress") == 0) {
            progress = 0;
            continue;
        }
        if (strcmp(a.opt, "-q") == 0 || strcmp(a.opt, "--quiet") == 0) {
            quiet = 1;
            continue;
        }
        {
            static const char *const known[] = {"--arch",       "-o",
                                                "--output",     "--corpus",
                                                "--checkpoint", "--resume",
                                                "--seed",       "--lr",
                                                "--clip",       "--context",
                                                "--layers",     "--hidden",
                                                "--channels",   "--blocks",
                                                "--kernel",     "--steps",
                                                "--batch",      "--horizon",
                                                "--backcast",   "--warmup",
                                                "--valid",      "--eval-every",
                                                "--threads",    "--checkpoint-every",
                                                "--stop-at",    "--dump-corpus",
                                                "--head",       "--head-lags",
                                                "--quantiles",  "--inputs"};
            size_t k;
            for (k = 0; k < sizeof known / sizeof known[0]; k++)
                if (strcmp(a.opt, known[k]) == 0)
                    break;
            if (k == sizeof known / sizeof known[0]) {
                cli_error("pretrain", "unknown option '%s'; see 'xfcast help pretrain'", a.opt);
                return CLI_USAGE;
            }
        }
        if ((v = cli_args_value(&a)) == NULL)
            return CLI_USAGE;
        if (strcmp(a.opt, "--arch") == 0) {
            arch = v;
        } else if (strcmp(a.opt, "-o") == 0 || strcmp(a.opt, "--output") == 0) {
            outp = v;
        } else if (strcmp(a.opt, "--corpus") == 0) {
            corpus = v;
        } else if (strcmp(a.opt, "--checkpoint") == 0) {
            ckpt = v;
        } else if (strcmp(a.opt, "--resume") == 0) {
            resume = v;
        } else if (strcmp(a.opt, "--seed") == 0) {
            if (parse_int(a.opt, v, 0, 2147483647L, &iv) != 0)
                return CLI_USAGE;
            seed = (unsigned long long)iv;
            seed_set = 1;
        } else if (strcmp(a.opt, "--lr") == 0) {
            if (parse_double(a.opt, v, 1e-7, 0.5, &lr) != 0)
                return CLI_USAGE;
        } else if (strcmp(a.opt, "--head") == 0) {
            if (strcmp(v, "linear") == 0)
                head = XF_ENCODER_HEAD_LINEAR;
            else if (strcmp(v, "seasonal") == 0)
                head = XF_ENCODER_HEAD_SEASONAL;
            else {
                cli_error("pretrain", "--head takes linear or seasonal, not '%s'", v);
                return CLI_USAGE;
            }
        } else if (strcmp(a.opt, "--quantiles") == 0) {
            if (parse_quantiles(v, quantiles, &n_quantiles) != 0)
                return CLI_USAGE;
        } else if (strcmp(a.opt, "--clip") == 0) {
            if (parse_double(a.opt, v, 1e-6, 1e6, &clip) != 0)
                return CLI_USAGE;
        } else {
            static const struct {
                const char *name;
                long lo, hi;
                long *dst;
            } ints[] = {
                {"--context", 8, 65536, NULL},
                {"--layers", 1, 8, NULL},
                {"--hidden", 1, 4096, NULL},
                {"--channels", 1, 4096, NULL},
                {"--blocks", 1, 24, NULL},
                {"--kernel", 2, 64, NULL},
                {"--steps", 1, 100000000, NULL},
                {"--batch", 32, 4096, NULL},
                {"--horizon", 1, 4096, NULL},
                {"--warmup", 1, 100000000, NULL},
                {"--valid", 32, 1000000, NULL},
                {"--eval-every", 1, 100000000, NULL},
                {"--threads", 1, 256, NULL},
                {"--checkpoint-every", 1, 100000000, NULL},
                {"--stop-at", 1, 100000000, NULL},
                {"--backcast", 0, 65536, NULL},
                {"--dump-corpus", 1, 1000000, NULL},
                {"--head-lags", 0, 512, NULL},
                {"--inputs", 2, 3, NULL},
            };
            long *dsts[] = {&ctx,      &layers,     &hidden,    &channels, &blocks,
                            &kernel,   &steps,      &batch,     &horizon,  &warmup,
                            &valid,    &eval_every, &threads,   &ck_every, &stop_at,
                            &backcast, &dump,       &head_lags, &inputs};
            size_t k;
            for (k = 0; k < sizeof ints / sizeof ints[0]; k++)
                if (strcmp(a.opt, ints[k].name) == 0)
                    break;
            if (k == sizeof ints / sizeof ints[0]) {
                cli_error("pretrain", "unknown option '%s'; see 'xfcast help pretrain'", a.opt);
                return CLI_USAGE;
            }
            if (parse_int(a.opt, v, ints[k].lo, ints[k].hi, dsts[k]) != 0)
                return CLI_USAGE;
        }
    }
    if (arch == NULL && dump < 0) {
        cli_error("pretrain", "--arch gru|tcn is required");
        return CLI_USAGE;
    }
    if (arch != NULL && xf_encoder_arch_from_name(arch, &arch_id, &err) != XF_OK) {
        cli_error("pretrain", "--arch: %s", err.message);
        return CLI_USAGE;
    }
    if (dump > 0 && (outp != NULL || resume != NULL || ckpt != NULL)) {
        cli_error("pretrain", "--dump-corpus writes the samples to stdout: it takes no -o, "
                              "--checkpoint or --resume");
        return CLI_USAGE;
    }
    if (dump > 0 && strcmp(corpus, "synthetic") != 0 && strcmp(corpus, "v1") != 0 &&
        strcmp(corpus, "v2") != 0) {
        cli_error("pretrain", "--dump-corpus shows the generated corpus (--corpus v1 or v2)");
        return CLI_USAGE;
    }
    if (outp == NULL && dump < 0) {
        cli_error("pretrain", "-o FILE is required (where the encoder is written)");
        return CLI_USAGE;
    }
    {
        /* no output replaces the corpus (a checkpoint may replace the one
         * it resumes from: that is how a run goes on) */
        const char *in[2];
        in[0] = corpus;
        in[1] = resume;
        if (cli_check_output("pretrain", "-o", outp, in, 2) != CLI_OK ||
            cli_check_output("pretrain", "--checkpoint", ckpt, in, 1) != CLI_OK)
            return CLI_USAGE;
    }
    /* the size options of the other architecture would be ignored: refuse them */
    if (arch_id != XF_ARCH_TCN && (channels > 0 || blocks > 0 || kernel > 0)) {
        cli_error("pretrain", "--channels, --blocks and --kernel apply to --arch tcn");
        return CLI_USAGE;
    }
    if (head != XF_ENCODER_HEAD_SEASONAL && (head_lags >= 0 || n_quantiles > 0)) {
        cli_error("pretrain", "--head-lags and --quantiles apply to --head seasonal");
        return CLI_USAGE;
    }
    if (arch_id != XF_ARCH_GRU && (layers > 0 || hidden > 0)) {
        cli_error("pretrain", "--layers and --hidden apply to --arch gru");
        return CLI_USAGE;
    }
    xf_pretrain_options_init(&o, arch_id);
    cfg_over = o.encoder;
    if (ctx > 0)
        cfg_over.context = (int32_t)ctx;
    if (layers > 0)
        cfg_over.n_layers = (int32_t)layers;
    if (hidden > 0)
        cfg_over.n_hidden = (int32_t)hidden;
    if (channels > 0)
        cfg_over.n_channels = (int32_t)channels;
    if (blocks > 0)
        cfg_over.n_blocks = (int32_t)blocks;
    if (kernel > 0)
        cfg_over.kernel_size = (int32_t)kernel;
    if (inputs > 0)
        cfg_over.n_inputs = (int32_t)inputs;
    o.encoder = cfg_over;
    if (steps > 0)
        o.steps = steps;
    if (batch > 0)
        o.batch = (int32_t)batch;
    if (horizon > 0)
        o.horizon = (int32_t)horizon;
    if (backcast >= 0)
        o.backcast = (int32_t)backcast;
    if (warmup > 0)
        o.warmup = warmup;
    if (valid > 0)
        o.n_valid = (int32_t)valid;
    if (eval_every > 0)
        o.eval_every = eval_every;
    if (threads > 0)
        o.n_threads = (int32_t)threads;
    if (ck_every > 0)
        o.checkpoint_every = ck_every;
    if (stop_at > 0)
        o.stop_at = stop_at;
    if (lr > 0)
        o.lr = lr;
    if (clip > 0)
        o.clip = clip;
    if (seed_set)
        o.seed = seed;
    if (head != 0)
        o.head = head;
    if (head_lags >= 0)
        o.head_lags = (int32_t)head_lags;
    if (n_quantiles > 0) {
        o.n_quantiles = n_quantiles;
        memcpy(o.quantiles, quantiles, (size_t)n_quantiles * sizeof *quantiles);
    }
    o.corpus_dir =
        strcmp(corpus, "synthetic") == 0 || strcmp(corpus, "v1") == 0 || strcmp(corpus, "v2") == 0
            ? NULL
            : corpus;
    o.corpus_version = strcmp(corpus, "v2") == 0 ? 2 : 1;
    if (dump > 0)
        return dump_corpus(&o, dump);
    if (ckpt == NULL) {
        snprintf(ckpt_buf, sizeof ckpt_buf, "%s.ckpt", outp);
        ckpt = ckpt_buf;
    }
    o.checkpoint = ckpt;
    o.resume = resume;
    if (cli_mpi_start(&mpi, "pretrain") != CLI_OK)
        return CLI_ERROR;
    o.comm = cli_mpi_comm(&mpi);
    if (mpi.rank != 0)
        quiet = 1; /* process 0 speaks for the job */
    pc.bar_open = 0;
    pc.mode = quiet           ? 0
              : progress == 1 ? (isatty(2) ? 1 : 2)
              : progress == 0 ? 0
              : isatty(2)     ? 1
                              : 0;
    if (pc.mode != 0) {
        o.progress = on_progress;
        o.user = &pc;
    }
    rc = xf_pretrain(&o, &enc, &err);
    if (pc.mode == 1 && pc.bar_open)
        fputc('\n', stderr); /* end the bar's line before any message */
    if (rc != XF_OK) {
        /* process 0 and the process that failed say why (the others stopped
         * with it); when the processes could not agree, every one speaks and
         * the job is ended */
        int agreed = o.comm == NULL || o.comm->failed_rank >= 0;
        if (mpi.rank == 0 || !agreed || o.comm->failed_rank == mpi.rank) {
            if (mpi.size > 1 && mpi.rank != 0)
                cli_error("pretrain", "process %d of %d: %s", mpi.rank, mpi.size, err.message);
            else
                cli_error("pretrain", "%s", err.message);
        }
        return cli_mpi_finish(&mpi, cli_exit_code(rc), agreed);
    }
    if (mpi.rank != 0) { /* every process has the encoder; process 0 writes it */
        xf_encoder_free(enc);
        return cli_mpi_finish(&mpi, CLI_OK, 1);
    }
    if (o.stop_at > 0 && o.stop_at < o.steps) {
        /* a partial run: the checkpoint holds it; the output comes at the end */
        if (!quiet)
            fprintf(stderr,
                    "xfcast pretrain: stopped after step %lld of %lld; continue with "
                    "--resume %s (and the same options)\n",
                    (long long)o.stop_at, (long long)o.steps, ckpt);
        xf_encoder_free(enc);
        return cli_mpi_finish(&mpi, CLI_OK, 1);
    }
    rc = xf_encoder_save(enc, outp, &err);
    if (rc != XF_OK) {
        cli_error("pretrain", "%s", err.message);
        xf_encoder_free(enc);
        return cli_mpi_finish(&mpi, CLI_ERROR, 1);
    }
    xf_encoder_free(enc);
    if (strcmp(ckpt, outp) != 0 && remove(ckpt) != 0 && errno != ENOENT)
        cli_error("pretrain", "note: could not remove the checkpoint '%s'", ckpt);
    return cli_mpi_finish(&mpi, CLI_OK, 1);
}
