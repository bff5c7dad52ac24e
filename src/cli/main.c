/* main.c - the xfcast command: dispatch table, top-level help and version.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli/cli.h"

static const char inspect_usage[] =
    "usage: xfcast inspect DATA.csv [DATA.csv ...] [CSV options] [--format text|json]\n"
    "\n"
    "Read each CSV file and print, per series: id, rows read, first and last\n"
    "timestamp (UTC), inferred frequency, missing values and gaps (timestamps\n"
    "absent from the regular grid: count, runs, longest run). Use it to check\n"
    "how xfcast understands a file before fitting or forecasting. DATA.csv may\n"
    "be '-' for standard input.\n"
    "\n"
    "Options:\n"
    "  --format text|json   output format (default: text)\n"
    "  -q, --quiet          do not print notes (such as 'rows were sorted')\n"
    "  -h, --help           show this help\n"
    "\n"
    "@CSV_OPTIONS@"
    "\n"
    "Exit status: 0 success, 1 unreadable or invalid data, 2 usage error.\n"
    "Example: xfcast inspect datasets/taylor-halfhourly.csv --format json\n";

static const char info_usage[] =
    "usage: xfcast info MODEL.xfm [--format text|json]\n"
    "\n"
    "Check a model file (.xfm: a pretrained encoder, a fitted head or a\n"
    "model-store entry) and print what it holds: kind, format version, size\n"
    "and CRC32C, every metadata key with its type and value, and every tensor\n"
    "with its dtype, shape, element count and bytes, then the total number of\n"
    "parameters. The whole file is verified first (checksum and structure);\n"
    "the format is described in docs/model-format.md.\n"
    "\n"
    "Options:\n"
    "  --format text|json   output format (default: text). Text abbreviates long\n"
    "                       arrays and strings; JSON gives every value in full,\n"
    "                       non-finite numbers as the strings \"nan\", \"inf\", \"-inf\"\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 success, 1 missing, unreadable or damaged file, 2 usage error.\n"
    "Example: xfcast info models/gru-base.xfm --format json\n";

static const char pretrain_usage[] =
    "usage: xfcast pretrain --arch gru|tcn -o FILE [size options] [training options]\n"
    "\n"
    "Pretrain an encoder on a large generated corpus of generic series (or on\n"
    "your own CSV files) and write it, with its zero-shot forecasting head and\n"
    "its provenance, to FILE (.xfm). Objective: forecast the next --horizon\n"
    "normalised values of each context window through a linear head on the\n"
    "embedding (Huber loss), with Adam, gradient clipping, warm-up and cosine\n"
    "decay. Window w of a run always comes from corpus series w, so a run is\n"
    "deterministic by --seed, independent of --threads, and --resume continues\n"
    "it exactly. A checkpoint (FILE.ckpt unless --checkpoint) is written every\n"
    "--checkpoint-every steps and removed when the run completes.\n"
    "\n"
    "Size options (defaults: GRU 1 layer x 64; TCN 32 channels x 9 blocks, kernel 3):\n"
    "  --context N          window length (default 512)\n"
    "  --layers N           GRU layers\n"
    "  --hidden N           GRU hidden units\n"
    "  --channels N         TCN channels\n"
    "  --blocks N           TCN residual blocks (dilations 1, 2, 4, ...)\n"
    "  --kernel N           TCN kernel size\n"
    "Training options:\n"
    "  --steps N            optimiser steps (default 16000)\n"
    "  --batch N            windows per step, a multiple of 32 (default 64)\n"
    "  --horizon N          steps forecast by the pretraining head (default 64)\n"
    "  --backcast N         also reconstruct the last N context values through\n"
    "                       extra head outputs, so the embedding keeps the recent\n"
    "                       past (default 0; only the forecast part is saved)\n"
    "  --seed S             weights and corpus seed (default 1)\n"
    "  --lr X               peak learning rate (default 0.002)\n"
    "  --warmup N           warm-up steps (default 300)\n"
    "  --clip X             gradient-norm clip (default 1)\n"
    "  --valid N            held-out validation windows (default 1024)\n"
    "  --eval-every N       steps between validations (default 500)\n"
    "  --threads N          worker threads (default 2)\n"
    "  --corpus synthetic|DIR  the generated corpus (default) or every *.csv in DIR\n"
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
    "Example: xfcast pretrain --arch gru --steps 16000 -o models/gru-base.xfm\n";

static const char fit_usage[] =
    "usage: xfcast fit DATA.csv -o HEAD.xfm [model options] [CSV options]\n"
    "\n"
    "Fit a ridge head on the frozen encoders' embeddings (plus lags, calendar\n"
    "terms and covariates) over every series of DATA.csv (one global model)\n"
    "and save it to HEAD.xfm. One output per horizon step; the most recent\n"
    "origins of each series are held out to choose the penalty (time-ordered\n"
    "split) and to calibrate split-conformal prediction intervals; the head is\n"
    "then refitted on everything. The report gives the held-out error next to\n"
    "the naive forecast's and the interval coverage measured out of sample.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE    where the head is written (required; atomic)\n"
    "  --valid-start ROW|TIME  hold out the origins whose first target is at or\n"
    "                       after this row (0-based, per series) or time, instead\n"
    "                       of --valid-fraction\n"
    "  --source NAME        data source name recorded in the head (default: the\n"
    "                       file name)\n"
    "  --format text|json   report format (default text)\n"
    "  -q, --quiet          no report, no notes\n"
    "\n"
    "@MODEL_OPTIONS@"
    "\n"
    "@CSV_OPTIONS@"
    "\n"
    "Exit status: 0 success, 1 unreadable or unusable data, 2 usage error.\n"
    "Example: xfcast fit datasets/taylor-halfhourly.csv --domain energy -o taylor.xfm\n";

static const char forecast_usage[] =
    "usage: xfcast forecast DATA.csv [--head HEAD.xfm] [-o OUT] [--format csv|json]\n"
    "                       [--plot OUT.svg] [--horizon H] [CSV options]\n"
    "\n"
    "Forecast every series of DATA.csv from its last observed value. With\n"
    "--head, the head's encoders are found by name (or given with --encoder)\n"
    "and must be the ones it was fitted on (checked by fingerprint). Without\n"
    "--head, forecast zero-shot with the pretraining head of an encoder\n"
    "(--encoder, default gru-base; at most 64 steps), with intervals\n"
    "calibrated on the series' own recent errors. Rows after a series' last\n"
    "value supply future covariates.\n"
    "\n"
    "Output (CSV): id,timestamp,step,mean,lo80,hi80,lo95,hi95 - one row per\n"
    "series and step; the interval columns follow the levels; id is the column\n"
    "name in wide files and the id value in long files; timestamps continue the\n"
    "series' frequency (calendar months, quarters, business days).\n"
    "\n"
    "Options:\n"
    "  --head FILE          a head fitted by 'xfcast fit'\n"
    "  -o, --output FILE    write the forecasts to FILE (atomic) instead of stdout\n"
    "  --format csv|json    output format (default csv)\n"
    "  --plot FILE.svg      plot history, forecast and intervals as SVG (one file\n"
    "                       per series, FILE-ID.svg, when there are several)\n"
    "  --horizon H          steps (at most the head's)\n"
    "  --encoder NAME|PATH  encoder(s) for the head or the zero-shot forecast\n"
    "  --levels L[,L..]     interval levels of a zero-shot forecast\n"
    "  -q, --quiet          no notes on stderr\n"
    "\n"
    "@CSV_OPTIONS@"
    "\n"
    "Exit status: 0 success, 1 a series could not be forecast or bad data,\n"
    "2 usage error.\n"
    "Example: xfcast forecast datasets/taylor-halfhourly.csv --head taylor.xfm --plot t.svg\n";

static const char backtest_usage[] =
    "usage: xfcast backtest DATA.csv --test-start ROW|TIME [--test-end ROW|TIME]\n"
    "                       [--valid-start ROW|TIME] [--stride S] [--forecasts-out FILE]\n"
    "                       [model options] [CSV options]\n"
    "\n"
    "Fit a head only on the data before the test start (origins whose targets\n"
    "all precede it; --valid-start chooses the validation rows, else the latest\n"
    "--valid-fraction of origins), then forecast from every origin in the test\n"
    "range, every --stride steps (default: the horizon; 1 is fine - each origin\n"
    "is embedded once, in batches). Prints MAE, RMSE, sMAPE, MASE (scale: the\n"
    "in-sample seasonal-naive error before the test start) and interval\n"
    "coverage, overall and per step, next to naive and seasonal naive on the\n"
    "same origins. ROW is a 0-based value index within each series; TIME is\n"
    "ISO-8601.\n"
    "\n"
    "Options:\n"
    "  --test-start ROW|TIME  first forecast target of the test period (required)\n"
    "  --test-end ROW|TIME    targets before this (default: the end of the data)\n"
    "  --valid-start ROW|TIME start of the validation rows inside the training part\n"
    "  --stride S           steps between test origins (default: the horizon)\n"
    "  --forecasts-out FILE every forecast as CSV id,origin,timestamp,step,actual,\n"
    "                       mean,lo..,hi.. (origin = time of the last value used)\n"
    "  --zero-shot          no fitting: the pretraining head of --encoder\n"
    "  --format text|json   report format (default text; json has every step)\n"
    "  -q, --quiet          no notes\n"
    "\n"
    "@MODEL_OPTIONS@"
    "\n"
    "@CSV_OPTIONS@"
    "\n"
    "Exit status: 0 success, 1 unusable data, 2 usage error.\n"
    "Example: xfcast backtest datasets/taylor-halfhourly.csv --test-start 2000-08-14\n";

static const char retrain_usage[] =
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

static const char store_usage[] =
    "usage: xfcast store list --store DIR\n"
    "       xfcast store show NAME --store DIR\n"
    "       xfcast store rollback NAME [--to VERSION] --store DIR\n"
    "       xfcast store forecast NAME [DATA.csv] --store DIR [--config SOURCES.conf]\n"
    "                             [-o OUT] [--format csv|json] [--plot OUT.svg] [--horizon H]\n"
    "\n"
    "What a model store holds: list its sources with their champion version,\n"
    "last outcome and message; show one source's versions, model and status;\n"
    "roll a source back to an earlier version (default: the one before the\n"
    "current); forecast with a source's champion (data: DATA.csv, else the\n"
    "source's CSV from --config or from its status, read with the columns the\n"
    "head was fitted on).\n"
    "\n"
    "Exit status: 0 success, 1 error, 2 usage error, 75 the source is locked.\n";

const cli_command cli_commands[] = {
    {"inspect", cmd_inspect, "summarise the series in CSV files (rows, span, frequency, gaps)",
     inspect_usage},
    {"fit", cmd_fit, "fit a ridge head on a CSV file's series and save it", fit_usage},
    {"forecast", cmd_forecast, "forecast every series of a CSV file (with a head, or zero-shot)",
     forecast_usage},
    {"backtest", cmd_backtest, "fit before a test period and score forecasts from every origin",
     backtest_usage},
    {"retrain", cmd_retrain, "retrain the sources of an INI file into a model store (cron)",
     retrain_usage},
    {"store", cmd_store, "list, show, roll back or forecast from a model store", store_usage},
    {"pretrain", cmd_pretrain, "pretrain a GRU or TCN encoder on generated generic series",
     pretrain_usage},
    {"info", cmd_info, "check a model file (.xfm) and show its metadata and tensors", info_usage},
    {NULL, NULL, NULL, NULL},
};

static void print_usage(FILE *fp)
{
    const cli_command *c;
    fprintf(fp, "usage: xfcast [--version] [--help] COMMAND [ARGS]\n\n"
                "Time-series forecasting by transfer learning: frozen pretrained encoders\n"
                "and per-domain ridge heads, from CSV files.\n\nCommands:\n");
    for (c = cli_commands; c->name != NULL; c++)
        fprintf(fp, "  %-10s %s\n", c->name, c->summary);
    fprintf(fp, "\nRun 'xfcast help COMMAND' for the options of a command.\n"
                "Exit status: 0 success, 1 data or runtime error, 2 usage error.\n");
}

static const cli_command *find_command(const char *name)
{
    const cli_command *c;
    for (c = cli_commands; c->name != NULL; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

/* Print a command's help, with the shared CSV options where it says
 * @CSV_OPTIONS@. */
static void print_command_help(const cli_command *c);

void cli_print_command_help(const char *name)
{
    const cli_command *c = find_command(name);
    if (c != NULL)
        print_command_help(c);
}

static void print_command_help(const cli_command *c)
{
    static const char *const marks[] = {"@CSV_OPTIONS@", "@MODEL_OPTIONS@"};
    const char *p = c->usage;
    for (;;) {
        const char *at = NULL;
        size_t which = 0, k;
        for (k = 0; k < 2; k++) {
            const char *q = strstr(p, marks[k]);
            if (q != NULL && (at == NULL || q < at)) {
                at = q;
                which = k;
            }
        }
        if (at == NULL) {
            fputs(p, stdout);
            return;
        }
        fwrite(p, 1, (size_t)(at - p), stdout);
        cli_print_options_help(stdout, which == 0 ? "CSV" : "Model");
        p = at + strlen(marks[which]);
    }
}

static int finish(int rc)
{
    /* catch write errors on stdout (full disk, closed pipe) */
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        if (errno != EPIPE)
            cli_error(NULL, "error writing output: %s", strerror(errno));
        return CLI_ERROR;
    }
    return rc;
}

int main(int argc, char **argv)
{
    const cli_command *c;
    gsl_set_error_handler_off();
    /* xfcast threads itself; single-threaded BLAS keeps results identical
     * whatever the thread count */
    xf_blas_set_threads(1);
    if (argc < 2) {
        print_usage(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_usage(stdout);
        return finish(CLI_OK);
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        char deps[1024];
        xf_dependency_versions(deps, sizeof deps);
        printf("xfcast %s\n%s", xf_version(), deps);
        return finish(CLI_OK);
    }
    if (strcmp(argv[1], "help") == 0) {
        if (argc < 3 || strcmp(argv[2], "help") == 0) {
            print_usage(stdout);
            return finish(CLI_OK);
        }
        if ((c = find_command(argv[2])) == NULL) {
            cli_error(NULL, "unrecognized command '%s'; see 'xfcast --help'", argv[2]);
            return CLI_USAGE;
        }
        print_command_help(c);
        return finish(CLI_OK);
    }
    if ((c = find_command(argv[1])) == NULL) {
        cli_error(NULL, "unrecognized command '%s'; see 'xfcast --help'", argv[1]);
        return CLI_USAGE;
    }
    return finish(c->run(argc - 1, argv + 1));
}
