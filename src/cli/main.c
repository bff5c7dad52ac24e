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

const cli_command cli_commands[] = {
    {"inspect", cmd_inspect, "summarise the series in CSV files (rows, span, frequency, gaps)",
     inspect_usage},
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
    static const char mark[] = "@CSV_OPTIONS@";
    const char *at = strstr(c->usage, mark);
    if (at == NULL) {
        fputs(c->usage, stdout);
        return;
    }
    fwrite(c->usage, 1, (size_t)(at - c->usage), stdout);
    fputs(cli_csv_options_help, stdout);
    fputs(at + sizeof mark - 1, stdout);
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
