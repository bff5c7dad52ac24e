/* options.c - the one table of model, CSV and source options, and what
 * walks it: lookup by command-line spelling or INI key, parsing into the
 * option structures, formatting back, help text (see xfcast/options.h).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "xf_internal.h"
#include "xfcast/freq.h"
#include "options_internal.h"
#include "xfcast/options.h"
#include "xfcast/retrain.h"
#include "xfcast/store.h"
#include "xfcast/xfm.h"

#define IN_(type, kind, f)                                                                         \
    .where = kind, .offset = offsetof(type, f), .size = sizeof(((type *)0)->f)
#define IN_HEAD(f) IN_(xf_head_options, XF_OPT_IN_HEAD, f)
#define IN_CSV(f) IN_(xf_csv_options, XF_OPT_IN_CSV, f)
#define IN_SOURCE(f) IN_(xf_source, XF_OPT_IN_SOURCE, f)

static const xf_option_choice gap_choices[] = {{"keep", XF_GAPS_KEEP},
                                               {"interpolate", XF_GAPS_INTERPOLATE},
                                               {"error", XF_GAPS_ERROR},
                                               {NULL, 0}};
static const xf_option_choice dup_choices[] = {{"error", XF_DUPS_ERROR},
                                               {"last", XF_DUPS_LAST},
                                               {"mean", XF_DUPS_MEAN},
                                               {NULL, 0}};
static const xf_option_choice domain_choices[] = {{"generic", XF_DOMAIN_GENERIC},
                                                  {"stock", XF_DOMAIN_STOCK},
                                                  {"weather", XF_DOMAIN_WEATHER},
                                                  {"energy", XF_DOMAIN_ENERGY},
                                                  {NULL, 0}};
static const xf_option_choice baseline_choices[] = {{"none", 0},
                                                    {"naive", 1},
                                                    {"seasonal", XF_BASELINE_SEASONAL},
                                                    {"local", XF_BASELINE_LOCAL},
                                                    {NULL, 0}};
static const xf_option_choice select_choices[] = {{"mase", XF_SELECT_MASE},
                                                  {"mse", XF_SELECT_MSE},
                                                  {NULL, 0}};
static const xf_option_choice selection_choices[] = {{"single", XF_SELECTION_SINGLE},
                                                     {"rolling", XF_SELECTION_ROLLING},
                                                     {NULL, 0}};
static const xf_option_choice blend_choices[] = {{"auto", XF_AUTO},
                                                 {"none", XF_BLEND_NONE},
                                                 {NULL, 0}};
static const xf_option_choice pilot_choices[] = {{"auto", XF_AUTO},
                                                 {"none", XF_PILOT_NONE},
                                                 {NULL, 0}};
static const xf_option_choice prior_choices[] = {{"none", XF_PRIOR_NONE},
                                                 {"auto", XF_AUTO},
                                                 {"domain", XF_PRIOR_DOMAIN},
                                                 {NULL, 0}};
static const xf_option_choice interval_choices[] = {{"split", XF_INTERVALS_SPLIT},
                                                    {"rolling", XF_INTERVALS_ROLLING},
                                                    {"aci", XF_INTERVALS_ACI},
                                                    {NULL, 0}};
static const xf_option_choice corrupt_choices[] = {{"retrain", 0}, {"skip", 1}, {NULL, 0}};

static const char data_hashed[] = "it changes the values read, which the retrain data "
                                  "fingerprint (store.series.N.hash) covers";
static const char retrain_not_hashed[] = "how retrain compares and keeps heads, not what a "
                                         "head is";

/* The order is the help order.  hash_pos 1..16 is the order of the
 * fingerprint's fields since the first store format: never change it. */
static const xf_option table[] = {
    /* ------------------------------------------------------------ CSV */
    {.name = "delimiter",
     .type = XF_OPT_CHAR,
     IN_CSV(delimiter),
     .dflt = "detected",
     .arg = "C",
     .help_group = "CSV",
     .help = "field separator: ',' ';' tab (\\t or 'tab') '|' or any\n"
             "single character (default: detected from the header)",
     .head_key = "data.delimiter",
     .hash = XF_OPT_HASH_RAW,
     .hash_pos = 12},
    {.name = "decimal",
     .type = XF_OPT_CHAR,
     IN_CSV(decimal),
     .chars = ".,",
     .dflt = ".",
     .arg = "C",
     .help_group = "CSV",
     .help = "decimal separator, '.' (default) or ',' (European files)",
     .head_key = "data.decimal",
     .hash = XF_OPT_HASH_RAW,
     .hash_pos = 13},
    {.name = "time-col",
     .ini_alias = "time",
     .type = XF_OPT_STRING,
     IN_CSV(time_col),
     .dflt = "detected",
     .arg = "NAME|N",
     .help_group = "CSV",
     .help = "time column (default: a column named date, time,\n"
             "timestamp, datetime, date_time, dt, ds, period, month\n"
             "or year, else the first column holding ISO-8601\n"
             "dates like 2024-01-31; give it for epoch columns)",
     .head_key = "data.time_col",
     .hash = XF_OPT_HASH_RAW,
     .hash_pos = 1},
    {.name = "time-format",
     .ini_alias = "time_format",
     .type = XF_OPT_STRING,
     IN_CSV(time_format),
     .dflt = "auto",
     .arg = "F",
     .help_group = "CSV",
     .help = "auto (default), iso, epoch (seconds), epoch_ms, or a\n"
             "strptime(3) format such as '%d/%m/%Y %H:%M'",
     .head_key = "data.time_format",
     .not_hashed = data_hashed},
    {.name = "target",
     .type = XF_OPT_STRING,
     .flags = XF_OPT_HEAD_FIXED,
     IN_CSV(targets),
     .dflt = "every numeric column",
     .arg = "COL[,COL..]",
     .help_group = "CSV",
     .help = "value columns to read (default: every column other\n"
             "than time and id whose values in the first 1000 rows\n"
             "are mostly numbers)",
     .head_key = "data.target",
     .hash = XF_OPT_HASH_RAW,
     .hash_pos = 2},
    {.name = "id-col",
     .ini_alias = "id",
     .type = XF_OPT_STRING,
     .flags = XF_OPT_HEAD_FIXED,
     IN_CSV(id_col),
     .dflt = "detected",
     .arg = "COL|none",
     .help_group = "CSV",
     .help = "long files: column holding the series id; one series\n"
             "per distinct id (default: detected when timestamps\n"
             "repeat and a text column makes them unique, else a\n"
             "wide file; 'none': one series, never detected)",
     .head_key = "data.id_col",
     .hash = XF_OPT_HASH_RAW,
     .hash_pos = 3},
    {.name = "na-values",
     .ini_alias = "na_values",
     .type = XF_OPT_STRING,
     IN_CSV(na_values),
     .dflt = ",NA,N/A,NaN,null,None,#N/A",
     .arg = "LIST",
     .help_group = "CSV",
     .help = "comma-separated missing-value tokens, case-insensitive\n"
             "(default: ',NA,N/A,NaN,null,None,#N/A'; the leading\n"
             "empty item means empty fields)",
     .head_key = "data.na_values",
     .not_hashed = data_hashed},
    {.name = "freq",
     .type = XF_OPT_FREQ,
     .flags = XF_OPT_HEAD_FIXED,
     IN_CSV(freq),
     .dflt = "inferred",
     .arg = "F",
     .help_group = "CSV",
     .help = "sampling frequency, e.g. 15s 30min 1h D W B M Q Y\n"
             "(default: inferred per series; B = business days)",
     .head_key = "data.freq",
     .hash = XF_OPT_HASH_RAW,
     .hash_pos = 4},
    {.name = "gaps",
     .type = XF_OPT_ENUM,
     IN_CSV(gaps),
     .choices = gap_choices,
     .dflt = "keep",
     .arg = "P",
     .help_group = "CSV",
     .help = "timestamps missing from the regular grid: keep\n"
             "(default: kept as missing values), interpolate\n"
             "(linear along the grid, also fills interior missing\n"
             "values) or error",
     .head_key = "data.gaps",
     .hash = XF_OPT_HASH_RAW,
     .hash_pos = 11},
    {.name = "max-gap-fill",
     .type = XF_OPT_INT,
     IN_CSV(max_gap_fill),
     .min = 0,
     .max = INT64_C(1000000000000),
     .dflt = "10000000",
     .arg = "N",
     .help_group = "CSV",
     .help = "most values gap filling may add to the grid, over all\n"
             "series of the file (default 10000000); a file that\n"
             "needs more is an error (check --freq first)",
     .not_in_head = "a bound on the reader's memory, not how values are read",
     .not_hashed = "a bound on the reader's memory: the values read do not depend on it"},
    {.name = "duplicates",
     .type = XF_OPT_ENUM,
     IN_CSV(duplicates),
     .choices = dup_choices,
     .dflt = "error",
     .arg = "P",
     .help_group = "CSV",
     .help = "rows with the same timestamp: error (default), last\n"
             "or mean",
     .head_key = "data.duplicates",
     .not_hashed = data_hashed},
    {.name = "tz",
     .type = XF_OPT_STRING,
     .flags = XF_OPT_HEAD_FIXED,
     IN_CSV(tz),
     .dflt = "UTC",
     .arg = "ZONE",
     .help_group = "CSV",
     .help = "time zone of timestamps without an offset, e.g.\n"
             "Europe/Berlin (system zoneinfo); calendar terms use\n"
             "its local time; forecasts are written with offsets",
     .head_key = "data.tz",
     .not_hashed = data_hashed},
    {.name = "holidays",
     .type = XF_OPT_PATH,
     IN_CSV(holidays),
     .dflt = "none",
     .arg = "FILE",
     .help_group = "CSV",
     .help = "holiday calendar (a YYYY-MM-DD date per line, optional\n"
             "name; datasets/holidays/): business-day series skip its\n"
             "dates; daily and finer series get holiday, day before,\n"
             "day after and bridge-day features",
     .head_key = "data.holidays",
     .hash = XF_OPT_HASH_CHANGED},
    /* ---------------------------------------------------------- model */
    {.name = "horizon",
     .type = XF_OPT_INT,
     IN_HEAD(horizon),
     .min = 1,
     .max = XF__LIM_HORIZON_MAX,
     .dflt = "by frequency",
     .arg = "H",
     .help_group = "Model",
     .help = "steps to forecast (default: one day of sub-daily data,\n"
             "14 days, 5 business days, 8 weeks, 12 months, ...)",
     .head_key = "head.horizon",
     .hash = XF_OPT_HASH_RAW,
     .hash_pos = 8},
    {.name = "domain",
     .type = XF_OPT_ENUM,
     IN_HEAD(domain),
     .choices = domain_choices,
     .dflt = "generic",
     .arg = "D",
     .help_group = "Model",
     .help = "generic, stock, weather, energy, or auto (the domain\n"
             "'xfcast inspect' suggests; the default of fit and\n"
             "backtest, said in their report): presets for the\n"
             "transform, calendar terms and seasonal baseline",
     .head_key = "head.domain",
     .hash = XF_OPT_HASH_TEXT,
     .hash_pos = 7},
    {.name = "encoder",
     .type = XF_OPT_LIST,
     IN_SOURCE(encoders),
     .dflt = "gru-base,tcn-base",
     .arg = "NAME|PATH",
     .help_group = "Model",
     .help = "frozen encoder whose embedding is a feature; repeat for\n"
             "several ('none' for no embedding). Default: gru-base\n"
             "and tcn-base, kept only when they beat the head\n"
             "without embeddings on the held-out origins. Names are\n"
             "looked up in $XFCAST_MODELS, the installed models\n"
             "directory and the source tree. Zero-shot (forecast\n"
             "without --head, backtest --zero-shot): one encoder\n"
             "with a pretraining head, default tcn-v3",
     .not_in_head = "the head records each encoder's own name and fingerprint "
                    "(encoder.N.*), which need not be the name or path given",
     .hash = XF_OPT_HASH_RAW,
     .hash_pos = 6},
    {.name = "covariate",
     .ini_alias = "covariates",
     .type = XF_OPT_LIST,
     IN_SOURCE(covariates),
     .dflt = "none",
     .arg = "COL",
     .help_group = "Model",
     .help = "a future-known covariate column (repeat or list with\n"
             "commas): its values at every forecast step are\n"
             "features; rows after the target's last value supply\n"
             "them when forecasting",
     .head_key = "covariate.",
     .hash = XF_OPT_HASH_RAW,
     .hash_pos = 5},
    {.name = "lags",
     .off_name = "no-lags",
     .off_text = "0",
     .type = XF_OPT_INT,
     IN_HEAD(n_lags),
     .min = 0,
     .max = XF__LIM_LAGS_MAX,
     .dflt = "by frequency",
     .arg = "N",
     .help_group = "Model",
     .help = "last values used as features (default by frequency;\n"
             "0 = none)",
     .head_key = "head.lags",
     .hash = XF_OPT_HASH_RAW,
     .hash_pos = 9},
    {.name = "baseline",
     .type = XF_OPT_ENUM,
     IN_HEAD(baseline),
     .choices = baseline_choices,
     .dflt = "by domain and lags",
     .arg = "B",
     .help_group = "Model",
     .help = "none, naive, seasonal or local: the head learns\n"
             "corrections to this forecast and shrinks towards it\n"
             "(default: naive for stock, seasonal when the lags\n"
             "cover a season); local: the local model of each\n"
             "origin's window (see --local-model), std scale.\n"
             "Zero-shot: the baseline the pretraining head's\n"
             "forecast may be blended with (default: the best of\n"
             "all on the last origins; none: the head alone)",
     .head_key = "head.baseline",
     .hash = XF_OPT_HASH_CHANGED},
    {.name = "seasonal-scale",
     .off_name = "std-scale",
     .off_text = "off",
     .type = XF_OPT_FLAG,
     IN_HEAD(seasonal_scale),
     .on_value = 1,
     .off_value = 0,
     .dflt = "on with a seasonal baseline",
     .help_group = "Model",
     .help = "normalise each origin by its window's mean absolute\n"
             "seasonal difference, the local MASE scale (default\n"
             "with a seasonal baseline); --std-scale: by its\n"
             "standard deviation (default without one)",
     .head_key = "head.seasonal_scale",
     .hash = XF_OPT_HASH_CHANGED},
    {.name = "select",
     .type = XF_OPT_ENUM,
     IN_HEAD(select),
     .choices = select_choices,
     .dflt = "mase",
     .arg = "mase|mse",
     .help_group = "Model",
     .help = "how the default configurations (with or without\n"
             "embeddings and seasonal baseline) are compared on the\n"
             "held-out origins: MASE (default) or squared error",
     .not_in_head = "it only decides between candidates during the fit",
     .hash = XF_OPT_HASH_CHANGED},
    {.name = "selection",
     .type = XF_OPT_ENUM,
     IN_HEAD(selection),
     .choices = selection_choices,
     .dflt = "rolling",
     .arg = "single|rolling",
     .help_group = "Model",
     .help = "how the configuration and penalty are chosen on the\n"
             "held-out origins: rolling (default): on 3 rolling\n"
             "windows, each scored by a model fitted on the origins\n"
             "before it, and a simpler configuration kept when within\n"
             "one standard error of the best; single: one split, the\n"
             "lowest kept",
     .not_in_head = "it only decides between candidates during the fit",
     .hash = XF_OPT_HASH_CHANGED},
    {.name = "prior",
     .type = XF_OPT_ENUM,
     IN_HEAD(prior),
     .choices = prior_choices,
     .dflt = "auto",
     .arg = "none|auto|domain",
     .help_group = "Model",
     .help = "what the ridge shrinks towards: none: the baseline;\n"
             "domain: a domain head fitted with the same features\n"
             "on generated series of the domain and frequency, so\n"
             "that with little data the forecast is the domain's\n"
             "and with more it follows the data (not with\n"
             "covariates or --shard; 1-3 s more per short fit);\n"
             "auto (default): domain when the series hold under\n"
             "1000 values in all (when it can be fitted), else none",
     .head_key = "head.prior",
     .hash = XF_OPT_HASH_CHANGED},
    {.name = "blend",
     .type = XF_OPT_ENUM,
     IN_HEAD(blend),
     .choices = blend_choices,
     .dflt = "auto",
     .arg = "auto|none",
     .help_group = "Model",
     .help = "auto (default): blend the head's forecast with naive,\n"
             "seasonal naive or the local window model (25-100%)\n"
             "when that lowers the held-out error (zero-shot: on\n"
             "the calibration origins; not with --shard); none:\n"
             "the head's own forecast",
     .not_in_head = "the head records the blend it chose (head.blend_baseline, head.blend_share)",
     .hash = XF_OPT_HASH_CHANGED},
    {.name = "pilot",
     .type = XF_OPT_ENUM,
     IN_HEAD(pilot),
     .choices = pilot_choices,
     .dflt = "auto",
     .arg = "auto|none",
     .help_group = "Model",
     .help = "auto (default): with 3000 origins or more, score the\n"
             "candidates on every k-th origin first (about 1000)\n"
             "and drop the embeddings when they score worse there\n"
             "by more than a standard error (not with --shard);\n"
             "none: every candidate on every origin",
     .not_in_head = "how the candidates were compared, not what the head does "
                    "(the fit report and valid.pilot say what the pilot found)",
     .hash = XF_OPT_HASH_CHANGED},
    {.name = "calendar",
     .off_name = "no-calendar",
     .off_text = "off",
     .type = XF_OPT_FLAG,
     IN_HEAD(calendar),
     .on_value = XF_AUTO,
     .off_value = 0,
     .dflt = "on",
     .help_group = "Model",
     .help = "calendar (Fourier) terms when there are timestamps\n"
             "(default; a period whose cycle the history does not\n"
             "span once is left out); --no-calendar: none",
     .head_key = "head.calendar",
     .hash = XF_OPT_HASH_RAW,
     .hash_pos = 16},
    {.name = "local-model",
     .off_name = "no-local-model",
     .off_text = "off",
     .type = XF_OPT_FLAG,
     IN_HEAD(local_model),
     .on_value = 1,
     .off_value = 0,
     .dflt = "kept when it lowers the held-out error",
     .help_group = "Model",
     .help = "add the forecasts of a local model of each origin's\n"
             "window as features: seasonal profiles of the season\n"
             "(and of the day in a week of sub-daily data) +\n"
             "exponential smoothing, fitted on that window alone.\n"
             "Default: tried on the best configuration and kept\n"
             "when it lowers the held-out error; --no-local-model:\n"
             "never",
     .head_key = "head.local_features",
     .hash = XF_OPT_HASH_CHANGED},
    {.name = "history",
     .off_text = "off",
     .type = XF_OPT_FLAG,
     IN_HEAD(history),
     .on_value = 1,
     .off_value = 0,
     .dflt = "off",
     .help_group = "Model",
     .help = "add two features placing the level and scale in the\n"
             "last 2048 values (default off)",
     .head_key = "head.history",
     .hash = XF_OPT_HASH_CHANGED},
    {.name = "penalty-per-step",
     .off_text = "off",
     .type = XF_OPT_FLAG,
     IN_HEAD(penalty_per_step),
     .on_value = 1,
     .off_value = 0,
     .dflt = "off",
     .help_group = "Model",
     .help = "choose the ridge penalty for each horizon step (default:\n"
             "one penalty for all steps)",
     .not_in_head = "the head records the penalties chosen, not how",
     .hash = XF_OPT_HASH_CHANGED},
    {.name = "log",
     .off_text = "off",
     .type = XF_OPT_FLAG,
     IN_HEAD(log_transform),
     .on_value = 1,
     .off_value = 0,
     .dflt = "stock domain with positive values",
     .help_group = "Model",
     .help = "model log values (default: on for the stock domain\n"
             "when every value is positive)",
     .head_key = "head.log",
     .hash = XF_OPT_HASH_CHANGED},
    {.name = "season",
     .type = XF_OPT_INT,
     IN_HEAD(season),
     .min = 1,
     .max = XF__LIM_SEASON_MAX,
     .dflt = "by frequency and domain",
     .arg = "M",
     .help_group = "Model",
     .help = "seasonal period for baselines and MASE (default by\n"
             "frequency and domain)",
     .head_key = "head.season",
     .hash = XF_OPT_HASH_RAW,
     .hash_pos = 10},
    {.name = "levels",
     .type = XF_OPT_LEVELS,
     IN_HEAD(levels),
     .dflt = "80,95",
     .arg = "L[,L..]",
     .help_group = "Model",
     .help = "prediction-interval levels in percent (default 80,95;\n"
             "'none' for no intervals)",
     .head_key = "head.levels",
     .hash = XF_OPT_HASH_RAW,
     .hash_pos = 15},
    {.name = "intervals",
     .type = XF_OPT_ENUM,
     IN_HEAD(intervals),
     .choices = interval_choices,
     .dflt = "aci",
     .arg = "split|rolling|aci",
     .help_group = "Model",
     .help = "split: the held-out residual quantiles of the fit;\n"
             "rolling: the same rescaled by the most recent\n"
             "out-of-sample errors as actuals arrive (backtest\n"
             "origins, retrain updates, forecasts from data grown\n"
             "since the fit); aci (default): rolling with the\n"
             "quantile level adapted to the misses",
     .head_key = "head.intervals",
     .hash = XF_OPT_HASH_CHANGED},
    {.name = "symmetric-intervals",
     .off_text = "off",
     .type = XF_OPT_FLAG,
     IN_HEAD(symmetric_intervals),
     .on_value = 1,
     .off_value = 0,
     .dflt = "off",
     .help_group = "Model",
     .help = "intervals symmetric about the forecast (quantiles of\n"
             "the absolute errors); default: separate quantiles of\n"
             "the lower and upper tails",
     .head_key = "head.symmetric",
     .hash = XF_OPT_HASH_CHANGED},
    {.name = "valid-fraction",
     .type = XF_OPT_DOUBLE,
     IN_HEAD(valid_fraction),
     .dmin = 0,
     .dmax = 1,
     .dflt = "0.2",
     .arg = "F",
     .help_group = "Model",
     .help = "share of the most recent origins held out to choose the\n"
             "penalty and calibrate intervals (default 0.2)",
     .not_in_head = "it only splits the origins during the fit",
     .hash = XF_OPT_HASH_CHANGED},
    {.name = "max-windows",
     .ini_alias = "max_windows",
     .type = XF_OPT_INT,
     IN_HEAD(max_windows),
     .min = XF__LIM_WINDOWS_MIN,
     .max = XF__LIM_WINDOWS_MAX,
     .dflt = "40000",
     .arg = "N",
     .help_group = "Model",
     .help = "at most N training origins (a stride is used above;\n"
             "default 40000)",
     .not_in_head = "the head records the stride it led to (head.stride)",
     .hash = XF_OPT_HASH_RAW,
     .hash_pos = 14},
    {.name = "threads",
     .type = XF_OPT_INT,
     .flags = XF_OPT_CLI_ONLY,
     IN_HEAD(n_threads),
     .min = 1,
     .max = XF__LIM_THREADS_MAX,
     .dflt = "the CPUs, at most 8",
     .arg = "N",
     .help_group = "Model",
     .help = "threads for the encoders (default: the CPUs, at most\n"
             "8; results do not depend on it)",
     .not_in_head = "results do not depend on it",
     .not_hashed = "results do not depend on it; retrain takes it from its own --threads"},
    /* ------------------------------------------------ retrain sources */
    {.name = "csv",
     .type = XF_OPT_PATH,
     .flags = XF_OPT_INI_ONLY,
     IN_SOURCE(csv),
     .dflt = "required",
     .arg = "PATH",
     .help = "the source's CSV file, relative to the INI file's directory",
     .not_in_head = "a head holds no data",
     .not_hashed = data_hashed},
    {.name = "holdout",
     .type = XF_OPT_INT,
     .flags = XF_OPT_INI_ONLY,
     IN_SOURCE(holdout),
     .min = 1,
     .max = XF__LIM_HOLDOUT_MAX,
     .dflt = "4 horizons",
     .arg = "N",
     .help = "values per series held out to compare challenger and champion",
     .not_in_head = retrain_not_hashed,
     .not_hashed = retrain_not_hashed},
    {.name = "tolerance",
     .type = XF_OPT_DOUBLE,
     .flags = XF_OPT_INI_ONLY | XF_OPT_DMIN_CLOSED,
     IN_SOURCE(tolerance),
     .dmin = 0,
     .dmax = 10,
     .dflt = "0.02",
     .arg = "X",
     .help = "relative MASE margin a challenger may lose by (0.02 = 2%)",
     .not_in_head = retrain_not_hashed,
     .not_hashed = retrain_not_hashed},
    {.name = "keep",
     .type = XF_OPT_INT,
     .flags = XF_OPT_INI_ONLY,
     IN_SOURCE(keep),
     .min = 1,
     .max = XF__LIM_KEEP_MAX,
     .dflt = "5",
     .arg = "N",
     .help = "versions kept in the store",
     .not_in_head = retrain_not_hashed,
     .not_hashed = retrain_not_hashed},
    {.name = "on-corrupt",
     .ini_alias = "on_corrupt",
     .type = XF_OPT_ENUM,
     .flags = XF_OPT_INI_ONLY,
     IN_SOURCE(on_corrupt_skip),
     .choices = corrupt_choices,
     .dflt = "retrain",
     .arg = "retrain|skip",
     .help = "a damaged champion is replaced (retrain) or fails the source (skip)",
     .not_in_head = retrain_not_hashed,
     .not_hashed = retrain_not_hashed},
};

#define N_TABLE (sizeof table / sizeof table[0])

const xf_option *xf_options(size_t *n)
{
    if (n != NULL)
        *n = N_TABLE;
    return table;
}

const xf_option *xf_option_find_cli(const char *arg, int *off)
{
    size_t i;
    *off = 0;
    if (arg == NULL || strncmp(arg, "--", 2) != 0)
        return NULL;
    arg += 2;
    for (i = 0; i < N_TABLE; i++) {
        const xf_option *o = &table[i];
        if (o->flags & XF_OPT_INI_ONLY)
            continue;
        if (strcmp(arg, o->name) == 0)
            return o;
        if ((o->off_name != NULL && strcmp(arg, o->off_name) == 0) ||
            (o->off_name == NULL && o->type == XF_OPT_FLAG && strncmp(arg, "no-", 3) == 0 &&
             strcmp(arg + 3, o->name) == 0)) {
            *off = 1;
            return o;
        }
    }
    return NULL;
}

const xf_option *xf_option_find_ini(const char *key)
{
    size_t i;
    for (i = 0; i < N_TABLE; i++) {
        const xf_option *o = &table[i];
        if (o->flags & XF_OPT_CLI_ONLY)
            continue;
        if (strcmp(key, o->name) == 0 || (o->ini_alias != NULL && strcmp(key, o->ini_alias) == 0))
            return o;
    }
    return NULL;
}

/* ---------------------------------------------------------- policies */

/* "a, b or c" into buf. */
static void choice_list(const xf_option_choice *c, char *buf, size_t n)
{
    size_t k, len = 0, count = 0;
    while (c[count].name != NULL)
        count++;
    buf[0] = '\0';
    for (k = 0; k < count && len < n; k++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s",
                                k == 0           ? ""
                                : k + 1 == count ? " or "
                                                 : ", ",
                                c[k].name);
}

static int choice_parse(const xf_option_choice *c, const char *text, int32_t *out)
{
    for (; c->name != NULL; c++)
        if (strcmp(text, c->name) == 0) {
            *out = c->value;
            return 0;
        }
    return -1;
}

static const char *choice_name(const xf_option_choice *c, int32_t v)
{
    for (; c->name != NULL; c++)
        if (c->value == v)
            return c->name;
    return NULL;
}

int xf_gap_policy_parse(const char *text, xf_gap_policy *out, xf_error *err)
{
    int32_t v;
    char list[64];
    if (text != NULL && choice_parse(gap_choices, text, &v) == 0) {
        *out = (xf_gap_policy)v;
        return XF_OK;
    }
    choice_list(gap_choices, list, sizeof list);
    return xf__fail(err, XF_EINVAL, 0, 0, "unknown gap policy '%s' (expected %s)",
                    text != NULL ? text : "", list);
}

int xf_dup_policy_parse(const char *text, xf_dup_policy *out, xf_error *err)
{
    int32_t v;
    char list[64];
    if (text != NULL && choice_parse(dup_choices, text, &v) == 0) {
        *out = (xf_dup_policy)v;
        return XF_OK;
    }
    choice_list(dup_choices, list, sizeof list);
    return xf__fail(err, XF_EINVAL, 0, 0, "unknown duplicates policy '%s' (expected %s)",
                    text != NULL ? text : "", list);
}

const char *xf_gap_policy_name(xf_gap_policy p)
{
    const char *s = choice_name(gap_choices, (int32_t)p);
    return s != NULL ? s : "unknown";
}

const char *xf_dup_policy_name(xf_dup_policy p)
{
    const char *s = choice_name(dup_choices, (int32_t)p);
    return s != NULL ? s : "unknown";
}

int xf_levels_parse(const char *text, double levels[XF_MAX_LEVELS], size_t *n, xf_error *err)
{
    double tmp[XF_MAX_LEVELS];
    size_t k = 0;
    const char *p = text;
    if (text == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "no levels given");
    if (strcmp(text, "none") == 0) {
        *n = 0;
        return XF_OK;
    }
    while (*p != '\0') {
        char buf[32], *end;
        size_t len = strcspn(p, ",");
        double lv;
        if (len == 0 || len >= sizeof buf || k >= XF_MAX_LEVELS)
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "expected up to %d percentages like 80,95 "
                            "(or none), not '%s'",
                            XF_MAX_LEVELS, text);
        memcpy(buf, p, len);
        buf[len] = '\0';
        lv = strtod(buf, &end);
        if (*end != '\0' || !(lv > 0 && lv < 100))
            return xf__fail(err, XF_EINVAL, 0, 0, "'%s' is not a percentage in (0, 100)", buf);
        if (xf__level_index(tmp, k, lv) < k) /* two columns lo80, two JSON keys "lo80" */
            return xf__fail(err, XF_EINVAL, 0, 0, "interval level %s is given twice in '%s'", buf,
                            text);
        tmp[k++] = lv;
        p += len + (p[len] == ',');
    }
    if (k == 0)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "expected up to %d percentages like 80,95 "
                        "(or none), not '%s'",
                        XF_MAX_LEVELS, text);
    memcpy(levels, tmp, k * sizeof *tmp);
    *n = k;
    return XF_OK;
}

/* ----------------------------------------------------------- limits */

int xf__limit_check(const char *name, int64_t v, int64_t lo, int64_t hi, xf_error *err)
{
    if (v > hi)
        return xf__fail(err, XF_EINVAL, 0, 0, "%s %lld exceeds the limit %lld", name, (long long)v,
                        (long long)hi);
    if (v < lo)
        return xf__fail(err, XF_EINVAL, 0, 0, "%s %lld is below the minimum %lld", name,
                        (long long)v, (long long)lo);
    return XF_OK;
}

/* One line of xf_limits_help. */
static size_t limit_line(char *buf, size_t n, size_t len, const char *name, const char *range,
                         const char *what)
{
    int k = what[0] != '\0' ? snprintf(len < n ? buf + len : NULL, len < n ? n - len : 0,
                                       "  %-17s %-15s %s\n", name, range, what)
                            : snprintf(len < n ? buf + len : NULL, len < n ? n - len : 0,
                                       "  %-17s %s\n", name, range);
    return len + (size_t)k;
}

size_t xf_limits_help(char *buf, size_t n)
{
    /* the limits that are not an option's range */
    static const struct {
        const char *name;
        int64_t lo, hi;
        const char *what;
    } extra[] = {
        {"levels", 0, XF_MAX_LEVELS, "interval levels, each in (0, 100) (head.levels)"},
        {"encoder", 0, XF_MAX_ENCODERS, "encoders per head (head.n_encoders)"},
        {"covariate", 0, XF__LIM_COVARIATES_MAX, "covariate columns per head (head.n_covariates)"},
        {"features", 1, XF__LIM_FEATURES_MAX, "feature columns per head (head.n_features)"},
        {"encoder size", 1, XF__LIM_ENC_SIZE_MAX, "an encoder's embedding and context"},
        {"pretrain horizon", 1, XF__LIM_PRETRAIN_HORIZON_MAX,
         "an encoder's pretraining head (pretrain --horizon)"},
        {"stride", 1, XF__LIM_STRIDE_MAX, "the origin stride a fit chose (head.stride)"},
        {"source name", 1, XF_STORE_NAME_MAX, "bytes: letters, digits, '.', '_' and '-'"},
        {"INI line", 0, XF__LIM_INI_LINE, "characters, without the line end"},
    };
    size_t i, len;
    char range[48], what[96];
    int k = snprintf(buf, n,
                     "Limits (the command line, the INI file of retrain, every fit and the\n"
                     "model loaders refuse the same values):\n");
    len = (size_t)k;
    for (i = 0; i < N_TABLE; i++) {
        const xf_option *o = &table[i];
        const char *where = (o->flags & XF_OPT_INI_ONLY)   ? "INI only"
                            : (o->flags & XF_OPT_CLI_ONLY) ? "command line only"
                                                           : "";
        if (o->type == XF_OPT_INT)
            snprintf(range, sizeof range, "%lld..%lld", (long long)o->min, (long long)o->max);
        else if (o->type == XF_OPT_DOUBLE)
            snprintf(range, sizeof range, "%c%g, %g)", (o->flags & XF_OPT_DMIN_CLOSED) ? '[' : '(',
                     o->dmin, o->dmax);
        else
            continue;
        if (o->head_key != NULL)
            snprintf(what, sizeof what, "%s%s(%s)", where, where[0] != '\0' ? " " : "",
                     o->head_key);
        else
            snprintf(what, sizeof what, "%s", where);
        len = limit_line(buf, n, len, o->name, range, what);
    }
    for (i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        snprintf(range, sizeof range, "%lld..%lld", (long long)extra[i].lo, (long long)extra[i].hi);
        len = limit_line(buf, n, len, extra[i].name, range, extra[i].what);
    }
    return len;
}

/* ------------------------------------------------------- set / get */

static void *field(const xf_option *o, const xf_option_target *t)
{
    char *base = NULL;
    switch (o->where) {
    case XF_OPT_IN_HEAD:
        base = (char *)t->head;
        break;
    case XF_OPT_IN_CSV:
        base = (char *)t->csv;
        break;
    case XF_OPT_IN_SOURCE:
        base = (char *)t->source;
        break;
    }
    return base != NULL ? base + o->offset : NULL;
}

/* Integer fields of 1 (char), 4 (int32_t and enums) or 8 bytes. */
static void put_int(void *p, size_t size, int64_t v)
{
    if (size == 1) {
        char c = (char)v;
        memcpy(p, &c, 1);
    } else if (size == 4) {
        int32_t x = (int32_t)v;
        memcpy(p, &x, 4);
    } else {
        memcpy(p, &v, 8);
    }
}

static int64_t get_int(const void *p, size_t size)
{
    if (size == 1) {
        char c;
        memcpy(&c, p, 1);
        return c;
    }
    if (size == 4) {
        int32_t x;
        memcpy(&x, p, 4);
        return x;
    }
    {
        int64_t x;
        memcpy(&x, p, 8);
        return x;
    }
}

static int set_owned(char **dst, const char *v)
{
    char *s = xf__strndup(v, strlen(v));
    if (s == NULL)
        return -1;
    free(*dst);
    *dst = s;
    return 0;
}

int xf_option_set(const xf_option *o, const char *as, const char *v, xf_option_target *t,
                  xf_error *err)
{
    void *p = field(o, t);
    char list[128];
    if (as == NULL)
        as = o->name;
    if (p == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "%s cannot be set here", as);
    if (v == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "%s needs a value", as);
    switch (o->type) {
    case XF_OPT_INT: {
        char *end;
        long long x;
        errno = 0;
        x = strtoll(v, &end, 10);
        if (errno == ERANGE && end != v && *end == '\0')
            return xf__fail(err, XF_EINVAL, 0, 0,
                            x > 0 ? "%s %s exceeds the limit %lld"
                                  : "%s %s is below the minimum %lld",
                            as, v, x > 0 ? (long long)o->max : (long long)o->min);
        if (errno != 0 || end == v || *end != '\0')
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "%s takes a whole number in %lld..%lld, "
                            "not '%s'",
                            as, (long long)o->min, (long long)o->max, v);
        if (xf__limit_check(as, x, o->min, o->max, err) != XF_OK)
            return XF_EINVAL;
        put_int(p, o->size, x);
        return XF_OK;
    }
    case XF_OPT_DOUBLE: {
        char *end;
        double x;
        int lo_ok;
        errno = 0;
        x = strtod(v, &end);
        lo_ok = (o->flags & XF_OPT_DMIN_CLOSED) ? x >= o->dmin : x > o->dmin;
        if (errno != 0 || end == v || *end != '\0' || !isfinite(x) || !lo_ok || !(x < o->dmax))
            return xf__fail(err, XF_EINVAL, 0, 0, "%s takes a number in %c%g, %g), not '%s'", as,
                            (o->flags & XF_OPT_DMIN_CLOSED) ? '[' : '(', o->dmin, o->dmax, v);
        memcpy(p, &x, sizeof x);
        return XF_OK;
    }
    case XF_OPT_FLAG:
        if (strcmp(v, "on") == 0)
            put_int(p, o->size, o->on_value);
        else if (strcmp(v, "off") == 0)
            put_int(p, o->size, o->off_value);
        else
            return xf__fail(err, XF_EINVAL, 0, 0, "%s takes on or off, not '%s'", as, v);
        return XF_OK;
    case XF_OPT_ENUM: {
        int32_t x;
        if (choice_parse(o->choices, v, &x) != 0) {
            choice_list(o->choices, list, sizeof list);
            return xf__fail(err, XF_EINVAL, 0, 0, "%s takes %s, not '%s'", as, list, v);
        }
        put_int(p, o->size, x);
        return XF_OK;
    }
    case XF_OPT_CHAR:
        if (o->chars == NULL) {
            char c;
            if (strcmp(v, "\\t") == 0 || strcmp(v, "tab") == 0 || strcmp(v, "TAB") == 0)
                c = '\t';
            else if (strlen(v) == 1 && v[0] != '"' && v[0] != '\n' && v[0] != '\r')
                c = v[0];
            else
                return xf__fail(err, XF_EINVAL, 0, 0,
                                "%s takes one character (or 'tab'), "
                                "not '%s'",
                                as, v);
            put_int(p, o->size, c);
        } else {
            size_t k, len = 0;
            if (strlen(v) == 1 && strchr(o->chars, v[0]) != NULL) {
                put_int(p, o->size, v[0]);
                return XF_OK;
            }
            for (k = 0; o->chars[k] != '\0' && len + 8 < sizeof list; k++)
                len += (size_t)snprintf(list + len, sizeof list - len, "%s'%c'",
                                        k == 0                    ? ""
                                        : o->chars[k + 1] == '\0' ? " or "
                                                                  : ", ",
                                        o->chars[k]);
            list[len] = '\0';
            return xf__fail(err, XF_EINVAL, 0, 0, "%s takes %s, not '%s'", as, list, v);
        }
        return XF_OK;
    case XF_OPT_FREQ:
    case XF_OPT_STRING:
    case XF_OPT_LIST:
    case XF_OPT_PATH:
        if (o->type == XF_OPT_FREQ) {
            xf_freq f;
            if (xf_freq_parse(v, &f, err) != XF_OK)
                return XF_EINVAL; /* kept as text once valid */
        }
        if (o->where != XF_OPT_IN_SOURCE) {
            const char *s = v;
            memcpy(p, &s, sizeof s);
            return XF_OK;
        }
        if (o->type == XF_OPT_PATH && v[0] != '/' && t->base_dir != NULL &&
            t->base_dir[0] != '\0') {
            size_t need = strlen(t->base_dir) + strlen(v) + 2;
            char *s = malloc(need), *old;
            if (s == NULL)
                return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            snprintf(s, need, "%s/%s", t->base_dir, v);
            memcpy(&old, p, sizeof old);
            free(old);
            memcpy(p, &s, sizeof s);
            return XF_OK;
        }
        if (set_owned((char **)p, v) != 0)
            return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        return XF_OK;
    case XF_OPT_LEVELS: {
        xf_head_options *h = t->head;
        xf_error e;
        if (o->where != XF_OPT_IN_HEAD || h == NULL)
            return xf__fail(err, XF_EINVAL, 0, 0, "%s cannot be set here", as);
        if (xf_levels_parse(v, h->levels, &h->n_levels, &e) != XF_OK)
            return xf__fail(err, XF_EINVAL, 0, 0, "%s: %s", as, e.message);
        return XF_OK;
    }
    }
    return xf__fail(err, XF_EINVAL, 0, 0, "%s: unknown option type %d", as, (int)o->type);
}

/* A double as the shortest %g text that reads back the same. */
static int fmt_double(char *buf, size_t n, double x)
{
    int prec;
    char tmp[40];
    for (prec = 6; prec < 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, x);
        if (strtod(tmp, NULL) == x)
            break;
    }
    return snprintf(buf, n, "%.*g", prec, x);
}

size_t xf_option_format(const xf_option *o, const xf_option_target *t, char *buf, size_t n)
{
    const void *p = field(o, t);
    char tmp[512];
    int k = 0;
    if (p == NULL)
        return xf__copy_out(buf, n, "", 0);
    switch (o->type) {
    case XF_OPT_INT:
        k = snprintf(tmp, sizeof tmp, "%lld", (long long)get_int(p, o->size));
        break;
    case XF_OPT_DOUBLE: {
        double x;
        memcpy(&x, p, sizeof x);
        k = fmt_double(tmp, sizeof tmp, x);
        break;
    }
    case XF_OPT_FLAG: {
        int64_t v = get_int(p, o->size);
        k = snprintf(tmp, sizeof tmp, "%s",
                     v == o->on_value    ? "on"
                     : v == o->off_value ? "off"
                                         : "auto");
        break;
    }
    case XF_OPT_ENUM: {
        int64_t v = get_int(p, o->size);
        const char *s = choice_name(o->choices, (int32_t)v);
        k = s != NULL ? snprintf(tmp, sizeof tmp, "%s", s)
                      : snprintf(tmp, sizeof tmp, "%lld", (long long)v);
        break;
    }
    case XF_OPT_CHAR: {
        char c = (char)get_int(p, o->size);
        k = c == '\t'   ? snprintf(tmp, sizeof tmp, "tab")
            : c == '\0' ? 0
                        : snprintf(tmp, sizeof tmp, "%c", c);
        tmp[k] = '\0';
        break;
    }
    case XF_OPT_STRING:
    case XF_OPT_FREQ:
    case XF_OPT_LIST:
    case XF_OPT_PATH: {
        const char *s;
        memcpy(&s, p, sizeof s);
        return xf__copy_out(buf, n, s != NULL ? s : "", s != NULL ? (int)strlen(s) : 0);
    }
    case XF_OPT_LEVELS: {
        const xf_head_options *h = t->head;
        size_t i;
        if (h->n_levels == 0)
            k = snprintf(tmp, sizeof tmp, "none");
        for (i = 0; i < h->n_levels && (size_t)k < sizeof tmp; i++) {
            k += snprintf(tmp + k, sizeof tmp - (size_t)k, "%s", i > 0 ? "," : "");
            if ((size_t)k < sizeof tmp)
                k += fmt_double(tmp + k, sizeof tmp - (size_t)k, h->levels[i]);
        }
        if ((size_t)k >= sizeof tmp)
            k = (int)sizeof tmp - 1;
        break;
    }
    }
    return xf__copy_out(buf, n, tmp, k);
}

int xf_option_head_text(const xf_option *o, const xf_xfm *mf, char *buf, size_t n, xf_error *err)
{
    char tmp[512];
    int k = 0;
    const char *s;
    const double *dv;
    const int64_t *iv;
    size_t m, i;
    int64_t v;
    if (o->head_key == NULL)
        return xf__fail(err, XF_ENOTFOUND, 0, 0, "the head file does not record %s: %s", o->name,
                        o->not_in_head != NULL ? o->not_in_head : "");
    if (o->type == XF_OPT_LIST) {
        /* one key per item: covariate.0, covariate.1, ... */
        for (i = 0;; i++) {
            char key[80];
            snprintf(key, sizeof key, "%s%zu", o->head_key, i);
            if (xf_xfm_get_str(mf, key, &s, NULL) != XF_OK)
                break;
            k += snprintf(tmp + k, sizeof tmp - (size_t)k, "%s%s", i > 0 ? "," : "", s);
            if ((size_t)k >= sizeof tmp)
                return xf__fail(err, XF_ERANGE, 0, 0, "%s: the head's list is too long", o->name);
        }
        if (i == 0)
            return xf__fail(err, XF_ENOTFOUND, 0, 0, "the head file has no %s0", o->head_key);
    } else if (xf_xfm_get_str(mf, o->head_key, &s, NULL) == XF_OK) {
        k = snprintf(tmp, sizeof tmp, "%s", s); /* a name (domain) */
    } else if (xf_xfm_get_f64_array(mf, o->head_key, &dv, &m, NULL) == XF_OK) {
        /* numbers (levels) */
        if (m == 0)
            k = snprintf(tmp, sizeof tmp, "none");
        for (i = 0; i < m && (size_t)k + 40 < sizeof tmp; i++) {
            k += snprintf(tmp + k, sizeof tmp - (size_t)k, "%s", i > 0 ? "," : "");
            k += fmt_double(tmp + k, sizeof tmp - (size_t)k, dv[i]);
        }
    } else if (xf_xfm_get_i64_array(mf, o->head_key, &iv, &m, NULL) == XF_OK) {
        /* a set of terms (calendar): on when any is used */
        int on = 0;
        for (i = 0; i < m; i++)
            on |= iv[i] != 0;
        k = snprintf(tmp, sizeof tmp, "%s", on ? "on" : "off");
    } else {
        int rc = xf_xfm_get_i64(mf, o->head_key, &v, err);
        if (rc != XF_OK)
            return rc;
        if (o->type == XF_OPT_FLAG) {
            /* the head records the resolved switch: 1 on, 0 off */
            k = snprintf(tmp, sizeof tmp, "%s", v != 0 ? "on" : "off");
        } else if (o->type == XF_OPT_ENUM) {
            s = choice_name(o->choices, (int32_t)v);
            /* the head records a seasonal baseline as its resolved period (> 1) */
            if (s == NULL && o->choices == baseline_choices && v > 1)
                s = "seasonal";
            k = s != NULL ? snprintf(tmp, sizeof tmp, "%s", s)
                          : snprintf(tmp, sizeof tmp, "%lld", (long long)v);
        } else {
            k = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
        }
    }
    if ((size_t)k >= sizeof tmp)
        k = (int)sizeof tmp - 1;
    xf__copy_out(buf, n, tmp, k);
    return XF_OK;
}

/* --------------------------------------------------- the data spec */

int xf_head_record_csv_options(xf_head *h, const xf_csv_options *opts, const xf_dataset *ds,
                               xf_error *err)
{
    xf_csv_options c;
    xf_option_target t;
    xf_xfm *meta = xf_head_meta_mut(h);
    char *cols = NULL, *big = NULL, *text, tmp[512], *abs_hol = NULL;
    size_t i, len = 0, need = 1;
    int rc = XF_OK;
    xf_csv_options_init(&c);
    XF__IMPORT_OPTIONS(c, opts, XF__CSV_OPTIONS_V1, xf_csv_options, err);
    if (ds != NULL) {
        /* what the reader decided, so that the spec reads the file alike */
        const char *tc = xf_dataset_time_column(ds);
        if (tc != NULL && tc[0] != '\0')
            c.time_col = tc;
        if (xf_dataset_delimiter(ds) != '\0')
            c.delimiter = xf_dataset_delimiter(ds);
        /* a file read wide is recorded as 'none' ("" would mean: detect an
         * id column when timestamps repeat, as a source's INI without one) */
        c.id_col = "none";
        for (i = 0; i < xf_dataset_n_columns(ds); i++) {
            if (xf_dataset_column_role(ds, i) == XF_COLUMN_ID)
                c.id_col = xf_dataset_column_name(ds, i);
            if (xf_dataset_column_role(ds, i) == XF_COLUMN_TARGET)
                need += strlen(xf_dataset_column_name(ds, i)) + 1;
        }
        if (need > 1) {
            if ((cols = malloc(need)) == NULL)
                return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            for (i = 0; i < xf_dataset_n_columns(ds); i++)
                if (xf_dataset_column_role(ds, i) == XF_COLUMN_TARGET)
                    len += (size_t)snprintf(cols + len, need - len, "%s%s", len > 0 ? "," : "",
                                            xf_dataset_column_name(ds, i));
            c.targets = cols;
        }
    }
    /* the calendar by its absolute path, so that the head finds it from
     * another directory (a store forecast, a cron job) */
    if (c.holidays != NULL && c.holidays[0] != '\0' && c.holidays[0] != '/' &&
        (abs_hol = realpath(c.holidays, NULL)) != NULL)
        c.holidays = abs_hol;
    memset(&t, 0, sizeof t);
    t.csv = &c;
    for (i = 0; i < N_TABLE && rc == XF_OK; i++) {
        const xf_option *o = &table[i];
        if (o->where != XF_OPT_IN_CSV || o->head_key == NULL)
            continue;
        if ((o->offset == offsetof(xf_csv_options, tz) && (c.tz == NULL || c.tz[0] == '\0')) ||
            (o->offset == offsetof(xf_csv_options, holidays) &&
             (c.holidays == NULL || c.holidays[0] == '\0')))
            continue; /* UTC, no calendar: no key, so that such heads stay as they were */
        /* as long as it is: a wide file's value columns may be many */
        need = xf_option_format(o, &t, NULL, 0) + 1;
        text = tmp;
        if (need > sizeof tmp) {
            if ((big = malloc(need)) == NULL) {
                rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
                break;
            }
            text = big;
        }
        xf_option_format(o, &t, text, need);
        if ((rc = xf_xfm_set_str(meta, o->head_key, text)) == XF_EINVAL)
            rc = XF_OK; /* not UTF-8 (a Latin-1 column name): left out, read as unset */
        else if (rc != XF_OK)
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        free(big);
        big = NULL;
    }
    free(cols);
    free(abs_hol);
    return rc;
}

int xf_head_csv_options(const xf_head *h, xf_csv_options *out, xf_error *err)
{
    xf_csv_options c;
    xf_option_target t;
    const xf_xfm *meta = xf_head_meta(h);
    size_t i, found = 0, size;
    int rc;
    xf_csv_options_init(&c);
    if ((rc = xf__options_import(&c, sizeof c, out, XF__CSV_OPTIONS_V1, "xf_csv_options",
                                 "xf_csv_options_init", err)) != XF_OK)
        return rc;
    size = out->struct_size;
    xf_csv_options_init(&c);
    memset(&t, 0, sizeof t);
    t.csv = &c;
    for (i = 0; i < N_TABLE; i++) {
        const xf_option *o = &table[i];
        const char *v;
        xf_error e;
        if (o->where != XF_OPT_IN_CSV || o->head_key == NULL ||
            xf_xfm_get_str(meta, o->head_key, &v, NULL) != XF_OK)
            continue;
        found++;
        if (v[0] == '\0')
            continue; /* unset: the default (detect, infer) */
        if (xf_option_set(o, o->head_key, v, &t, &e) != XF_OK)
            return xf__fail(err, XF_EINVAL, 0, 0, "the head's data spec: %s", e.message);
    }
    /* only the caller's struct_size bytes are its own */
    memcpy(out, &c, size);
    out->struct_size = size;
    if (found == 0)
        return xf__fail(err, XF_ENOTFOUND, 0, 0,
                        "the head records no data spec (saved by an older xfcast); give the "
                        "CSV options it was fitted with");
    return XF_OK;
}

/* ------------------------------------------------------------- help */

/* The left column of an option's help: "--lags N", "--log / --no-log"
 * (a flag's pair when it fits the column, else its on spelling: the help
 * text names the other). */
static void help_label(const xf_option *o, char *buf, size_t n)
{
    if (o->type != XF_OPT_FLAG) {
        snprintf(buf, n, "--%s %s", o->name, o->arg != NULL ? o->arg : "X");
        return;
    }
    if (o->off_name != NULL)
        snprintf(buf, n, "--%s / --%s", o->name, o->off_name);
    else
        snprintf(buf, n, "--%s / --no-%s", o->name, o->name);
    if (strlen(buf) > 20)
        snprintf(buf, n, "--%s", o->name);
}

size_t xf_options_help(const char *group, char *buf, size_t n)
{
    size_t i, len = 0;
    int k;
    k = snprintf(buf, n, "%s options:\n", group);
    len = (size_t)k;
    for (i = 0; i < N_TABLE; i++) {
        const xf_option *o = &table[i];
        char label[80];
        const char *h = o->help;
        if (o->help_group == NULL || strcmp(o->help_group, group) != 0 ||
            (o->flags & XF_OPT_INI_ONLY))
            continue;
        help_label(o, label, sizeof label);
        k = strlen(label) <= 20
                ? snprintf(len < n ? buf + len : NULL, len < n ? n - len : 0, "  %-20s ", label)
                : snprintf(len < n ? buf + len : NULL, len < n ? n - len : 0, "  %s\n%23s", label,
                           "");
        len += (size_t)k;
        while (*h != '\0') {
            size_t l = strcspn(h, "\n");
            k = snprintf(len < n ? buf + len : NULL, len < n ? n - len : 0, "%.*s\n", (int)l, h);
            len += (size_t)k;
            h += l;
            if (*h == '\n') {
                h++;
                k = snprintf(len < n ? buf + len : NULL, len < n ? n - len : 0, "%23s", "");
                len += (size_t)k;
            }
        }
    }
    return len;
}

/* ------------------------------------------------------ fingerprint */

static uint64_t fnv_str(uint64_t h, const char *s)
{
    return xf__fnv1a(h, s, strlen(s));
}

uint64_t xf__option_fingerprint(const xf_source *src)
{
    /* The text hashed is the fields at hash_pos 1, 2, ... joined by '|'
     * (strings as given, numbers as stored, a level count at its place and
     * the levels themselves after the last field), then "|NAME=TEXT" for
     * each option fingerprinted only when it differs from its default: the
     * layout every store written so far holds, byte for byte. */
    xf_option_target t, d;
    xf_head_options dh;
    xf_csv_options dc;
    xf_source ds, cur = *src; /* a shallow copy, read only */
    uint64_t h = XF__FNV_OFFSET;
    char tmp[512], dtmp[512];
    size_t i;
    int pos, max_pos = 0;
    memset(&t, 0, sizeof t);
    t.head = &cur.head;
    t.csv = &cur.csv_opts;
    t.source = &cur;
    for (i = 0; i < N_TABLE; i++)
        if (table[i].hash == XF_OPT_HASH_RAW || table[i].hash == XF_OPT_HASH_TEXT)
            max_pos = table[i].hash_pos > max_pos ? table[i].hash_pos : max_pos;
    for (pos = 1; pos <= max_pos; pos++) {
        const xf_option *o = NULL;
        const void *p;
        for (i = 0; i < N_TABLE && o == NULL; i++)
            if ((table[i].hash == XF_OPT_HASH_RAW || table[i].hash == XF_OPT_HASH_TEXT) &&
                table[i].hash_pos == pos)
                o = &table[i];
        if (pos > 1)
            h = fnv_str(h, "|");
        if (o == NULL || (p = field(o, &t)) == NULL)
            continue;
        if (o->hash == XF_OPT_HASH_TEXT) {
            xf_option_format(o, &t, tmp, sizeof tmp);
            h = fnv_str(h, tmp);
        } else if (o->type == XF_OPT_LEVELS) {
            snprintf(tmp, sizeof tmp, "%d", (int)src->head.n_levels);
            h = fnv_str(h, tmp);
        } else if (o->type == XF_OPT_STRING || o->type == XF_OPT_FREQ || o->type == XF_OPT_LIST ||
                   o->type == XF_OPT_PATH) {
            const char *s;
            memcpy(&s, p, sizeof s);
            h = fnv_str(h, s != NULL ? s : "");
        } else {
            snprintf(tmp, sizeof tmp, "%lld", (long long)get_int(p, o->size));
            h = fnv_str(h, tmp);
        }
    }
    for (i = 0; i < N_TABLE; i++)
        if (table[i].type == XF_OPT_LEVELS && table[i].hash == XF_OPT_HASH_RAW) {
            size_t k;
            for (k = 0; k < src->head.n_levels; k++) {
                snprintf(tmp, sizeof tmp, "|%g", src->head.levels[k]);
                h = fnv_str(h, tmp);
            }
        }
    xf_head_options_init(&dh);
    xf_csv_options_init(&dc);
    memset(&ds, 0, sizeof ds);
    d.head = &dh;
    d.csv = &dc;
    d.source = &ds;
    d.base_dir = NULL;
    for (i = 0; i < N_TABLE; i++) {
        if (table[i].hash != XF_OPT_HASH_CHANGED)
            continue;
        xf_option_format(&table[i], &t, tmp, sizeof tmp);
        xf_option_format(&table[i], &d, dtmp, sizeof dtmp);
        if (strcmp(tmp, dtmp) != 0) {
            h = fnv_str(h, "|");
            h = fnv_str(h, table[i].name);
            h = fnv_str(h, "=");
            h = fnv_str(h, tmp);
        }
    }
    return h;
}
