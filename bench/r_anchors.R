#!/usr/bin/env Rscript
# bench/r_anchors.R - reference ("anchor") forecasts from R's forecast
# package on exactly the windows that an xfcast backtest used, so that the
# two can be scored on the same rows (see bench/score.R).
#
# Usage:
#   Rscript bench/r_anchors.R --data DATA.csv [--time COL]
#       [--id COL --value COL] [--series ID[,ID..]] --origins F.csv
#       --period M [--methods auto.arima,ets,stlf,thetaf]
#       [--max-history N] [--levels 80,95] [--cores K]
#       [--time-limit SEC] --out-dir DIR
#
#   --data        the series, CSV.  Wide: a time column (--time, default the
#                 first column) and one numeric column per series; the
#                 series id is the column name; non-numeric columns are
#                 skipped.  Long: --id COL --value COL (and --time COL,
#                 default "timestamp"); a header with columns "id" and
#                 "value" is taken as long even without --id/--value.
#   --origins     an `xfcast backtest --forecasts-out` file: header
#                 id,origin,timestamp,step,actual,mean[,loL,hiL...].  Its
#                 distinct (id, origin) pairs are the windows; the horizon
#                 H is its largest step.
#   --series      only these ids (comma-separated); default all in F.csv.
#   --period      seasonal period M given to ts(frequency = M).
#   --methods     any of auto.arima, ets, stlf, thetaf (default all four).
#   --max-history at most this many points (the last ones, ending at the
#                 origin) are used per window; default 2000, because
#                 auto.arima on 10k+ points takes minutes per window.
#   --levels      prediction-interval levels in percent; default the
#                 levels of F.csv's loL/hiL columns, or 80,95 if it has none.
#   --cores       parallel::mclapply workers (default 1).
#   --time-limit  elapsed seconds allowed for one fit (default 0 = no limit);
#                 a fit that runs over it is killed and falls back to naive
#                 (counted as a timeout).  With a limit each fit runs in a
#                 forked child process.  auto.arima() at period 24 can take
#                 from under 1 s to minutes on similar windows.  Which fits
#                 time out depends on the machine, so a limit makes the
#                 output depend on it too.
#   --out-dir     DIR/<method>.csv is written per method, in F.csv's format:
#                 id,origin,timestamp,step,actual,mean,loL,hiL,...  with
#                 id, origin, timestamp and actual copied from F.csv's row
#                 for the same (id, origin, step), so the files join.
#
# Methods (forecast package; "seasonal" means M > 1 and history >= 2M):
#   auto.arima  auto.arima() with its stepwise defaults; ts frequency M when
#               seasonal, else 1.
#   ets         ets() with frequency M when seasonal and M <= 24, else 1.
#               ets() cannot model seasonality with M > 24, so for M > 24
#               and a window of more than 2M points "ets" uses stlf()
#               (STL + ETS) instead.
#   stlf        stlf() when M > 1 and history > 2M (stl() needs more than
#               two full periods), else non-seasonal ets().
#   thetaf      thetaf() with frequency M (it tests seasonality itself and
#               uses a multiplicative decomposition when seasonal).
# Missing values inside a window are filled with forecast::na.interp();
# leading missing values are dropped.  When a method fails on a window
# (an error, or no finite mean) the window falls back to naive (the last
# value, with random-walk intervals from rwf()), and the fallback is counted.
# One summary line per method goes to stderr: windows, fallbacks, seconds
# (sum of per-window fit time; wall time is printed at the end).
# The output is deterministic (no random numbers are used; see
# --time-limit for the one exception).
#
# Exit status: 0 success; 2 usage or input error (missing file, unknown
# column or id); 1 other runtime error.
#
# Copyright (C) 2026 the xfcast authors.
# SPDX-License-Identifier: GPL-3.0-or-later
# This program is free software: you can redistribute it and/or modify it
# under the terms of the GNU General Public License as published by the Free
# Software Foundation, either version 3 of the License, or (at your option)
# any later version.  It is distributed WITHOUT ANY WARRANTY; see COPYING.

PROG <- "r_anchors.R"

## ---------------------------------------------------------------------
## Messages and errors
## ---------------------------------------------------------------------

# Print a message to stderr prefixed with the program name.
note <- function(...) cat(PROG, ": ", ..., "\n", sep = "", file = stderr())

# Usage or input error: message naming the problem, exit status 2.
die <- function(...) {
  cat(PROG, ": error: ", ..., "\n", sep = "", file = stderr())
  quit(save = "no", status = 2)
}

## ---------------------------------------------------------------------
## Command line
## ---------------------------------------------------------------------

# Parse "--opt value" and "--opt=value" into a named list.  `known` lists
# the accepted option names (without "--").
parse_args <- function(args, known) {
  out <- list()
  i <- 1L
  while (i <= length(args)) {
    a <- args[i]
    if (!startsWith(a, "--")) die("unexpected argument '", a, "'")
    a <- substring(a, 3L)
    if (grepl("=", a, fixed = TRUE)) {
      key <- sub("=.*$", "", a)
      val <- sub("^[^=]*=", "", a)
    } else {
      key <- a
      if (key %in% c("help")) { val <- "1" } else {
        if (i == length(args)) die("option --", key, " needs a value")
        i <- i + 1L
        val <- args[i]
      }
    }
    if (!(key %in% known)) die("unknown option --", key)
    out[[key]] <- val
    i <- i + 1L
  }
  out
}

# Split "a,b,c" into a character vector, dropping empty parts.
split_list <- function(s) {
  v <- trimws(strsplit(s, ",", fixed = TRUE)[[1]])
  v[nzchar(v)]
}

## ---------------------------------------------------------------------
## Timestamps and data files: parse_time(), read_data() (bench/r_common.R)
## ---------------------------------------------------------------------
local({
  self <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
  source(file.path(dirname(self), "r_common.R"))
})
# Read an xfcast forecasts file, every column as text (so that fields can be
# copied verbatim).  Returns the data frame and the levels of its loL/hiL
# columns.
read_forecasts <- function(path) {
  if (!file.exists(path)) die("forecasts file '", path, "' not found")
  f <- tryCatch(
    utils::read.csv(path, check.names = FALSE, stringsAsFactors = FALSE,
                    colClasses = "character", na.strings = character(0)),
    error = function(e) die("cannot read forecasts file '", path, "': ",
                            conditionMessage(e)))
  for (cn in c("id", "origin", "timestamp", "step", "actual", "mean"))
    if (!(cn %in% names(f)))
      die("column '", cn, "' not found in forecasts file '", path, "'")
  st <- suppressWarnings(as.integer(f$step))
  if (anyNA(st) || any(st < 1L))
    die("forecasts file '", path, "': column 'step' must hold integers >= 1")
  f$step <- st
  lo <- sub("^lo", "", grep("^lo[0-9.]+$", names(f), value = TRUE))
  lv <- lo[paste0("hi", lo) %in% names(f)]
  list(f = f, levels = lv)
}

## ---------------------------------------------------------------------
## Forecasting one window
## ---------------------------------------------------------------------

# Prepare a window: drop leading NAs, fill the rest with na.interp().
# Returns a numeric vector without NAs (possibly empty).
prep_history <- function(x, M) {
  first <- which(!is.na(x))
  if (!length(first)) return(numeric(0))
  x <- x[first[1]:length(x)]
  if (anyNA(x)) {
    freq <- if (M > 1 && length(x) > 2 * M) M else 1
    y <- tryCatch(as.numeric(forecast::na.interp(stats::ts(x, frequency = freq))),
                  error = function(e) NULL)
    if (is.null(y) || anyNA(y))
      y <- stats::approx(seq_along(x), x, xout = seq_along(x), rule = 2)$y
    x <- y
  }
  x
}

# Turn a forecast object into an H x (1 + 2L) matrix: mean, then lo, hi per
# level (levels as given, which are sorted ascending).  The interval
# columns are picked by name ("80%") when present, else by position.
fc_matrix <- function(fc, H, levels) {
  m <- matrix(NA_real_, H, 1L + 2L * length(levels))
  m[, 1] <- as.numeric(fc$mean)[seq_len(H)]
  lo <- as.matrix(fc$lower); hi <- as.matrix(fc$upper)
  for (j in seq_along(levels)) {
    nm <- paste0(levels[j], "%")
    k <- if (!is.null(colnames(lo)) && nm %in% colnames(lo)) match(nm, colnames(lo)) else j
    if (k <= ncol(lo)) {
      m[, 2L * j] <- as.numeric(lo[seq_len(H), k])
      m[, 2L * j + 1L] <- as.numeric(hi[seq_len(H), k])
    }
  }
  m
}

# Fit `method` on history x (no NAs) with period M; forecast H steps.
fit_method <- function(method, x, M, H, levels) {
  n <- length(x)
  seasonal <- M > 1 && n >= 2 * M
  y <- function(freq) stats::ts(x, frequency = freq)
  fc <- switch(method,
    "auto.arima" = {
      fit <- forecast::auto.arima(y(if (seasonal) M else 1))
      forecast::forecast(fit, h = H, level = levels)
    },
    "ets" = {
      if (seasonal && M > 24 && n > 2 * M) {
        # ets() ignores seasonality above frequency 24: use STL + ETS.
        forecast::stlf(y(M), h = H, level = levels)
      } else {
        fit <- forecast::ets(y(if (seasonal && M <= 24) M else 1))
        forecast::forecast(fit, h = H, level = levels)
      }
    },
    "stlf" = {
      if (M > 1 && n > 2 * M) {
        forecast::stlf(y(M), h = H, level = levels)
      } else {
        forecast::forecast(forecast::ets(y(1)), h = H, level = levels)
      }
    },
    "thetaf" = forecast::thetaf(y(if (M > 1) M else 1), h = H, level = levels),
    stop("unknown method ", method))
  fc_matrix(fc, H, levels)
}

# Naive fallback: last value; random-walk intervals from rwf() when it
# works, else none.
naive_matrix <- function(x, H, levels) {
  m <- matrix(NA_real_, H, 1L + 2L * length(levels))
  if (!length(x)) return(m)
  r <- tryCatch(suppressWarnings(
                  fc_matrix(forecast::rwf(stats::ts(x), h = H, level = levels),
                            H, levels)),
                error = function(e) NULL)
  if (!is.null(r)) return(r)
  m[, 1] <- x[length(x)]
  m
}

# Evaluate fun() with an elapsed-time limit in seconds (0 = none).  With a
# limit, fun() runs in a forked child (parallel::mcparallel) that is killed
# when it overruns; this works even inside auto.arima(), whose internal
# try() calls would swallow an R-level setTimeLimit() error.
with_time_limit <- function(fun, limit) {
  if (limit <= 0) return(fun())
  job <- parallel::mcparallel(fun(), silent = TRUE)
  res <- parallel::mccollect(job, wait = FALSE, timeout = limit)
  if (is.null(res)) {
    tools::pskill(job$pid, tools::SIGKILL)
    suppressWarnings(parallel::mccollect(job, wait = TRUE))
    stop(sprintf("time limit of %g s exceeded", limit))
  }
  r <- res[[1]]
  if (inherits(r, "try-error")) stop(conditionMessage(attr(r, "condition")))
  if (is.null(r)) stop("the fit's child process died")
  r
}

# Run every method on one window.  Returns a list per method of
# list(m = matrix, fallback = TRUE/FALSE, timeout = TRUE/FALSE, secs,
# err = message or NULL).
run_window <- function(x, methods, M, H, levels, time_limit) {
  res <- lapply(methods, function(meth) {
    t0 <- proc.time()[["elapsed"]]
    err <- NULL
    m <- if (length(x) >= 1L) tryCatch({
      r <- with_time_limit(function()
        suppressWarnings(suppressMessages(fit_method(meth, x, M, H, levels))),
        time_limit)
      if (!all(is.finite(r[, 1]))) stop("non-finite forecast mean")
      r
    }, error = function(e) {
      err <<- conditionMessage(e)
      NULL
    }) else { err <- "empty history"; NULL }
    fb <- is.null(m)
    if (fb) m <- naive_matrix(x, H, levels)
    list(m = m, fallback = fb,
         timeout = fb && grepl("^time limit", err),
         err = err, secs = proc.time()[["elapsed"]] - t0)
  })
  names(res) <- methods
  res
}

## ---------------------------------------------------------------------
## Output
## ---------------------------------------------------------------------

# Quote a CSV field when it holds a comma, quote or line break.
csv_field <- function(v) {
  v <- as.character(v)
  q <- grepl("[\",\r\n]", v)
  v[q] <- paste0("\"", gsub("\"", "\"\"", v[q], fixed = TRUE), "\"")
  v
}

# Format numbers for the CSV; NA and non-finite values become empty fields.
fmt_num <- function(v) {
  out <- sprintf("%.10g", v)
  out[!is.finite(v)] <- ""
  out
}

## ---------------------------------------------------------------------
## Main
## ---------------------------------------------------------------------

main <- function() {
  known <- c("data", "time", "id", "value", "series", "origins", "period",
             "methods", "max-history", "levels", "cores", "time-limit",
             "out-dir", "help")
  a <- parse_args(commandArgs(trailingOnly = TRUE), known)
  if (!is.null(a[["help"]])) {
    cat("usage: Rscript bench/r_anchors.R --data DATA.csv [--time COL]",
        "[--id COL --value COL] [--series ID[,ID..]] --origins F.csv",
        "--period M [--methods auto.arima,ets,stlf,thetaf]",
        "[--max-history N] [--levels 80,95] [--cores K] [--time-limit SEC]",
        "--out-dir DIR\n")
    quit(save = "no", status = 0)
  }
  for (req in c("data", "origins", "period", "out-dir"))
    if (is.null(a[[req]])) die("missing required option --", req)
  # Load forecast quietly (it prints a note about quantmod's S3 methods).
  if (!suppressMessages(suppressWarnings(requireNamespace("forecast", quietly = TRUE))))
    die("the R package 'forecast' is not installed")

  M <- suppressWarnings(as.integer(a[["period"]]))
  if (is.na(M) || M < 1L) die("--period must be an integer >= 1")
  maxh <- suppressWarnings(as.integer(if (is.null(a[["max-history"]])) "2000" else a[["max-history"]]))
  if (is.na(maxh) || maxh < 1L) die("--max-history must be an integer >= 1")
  cores <- suppressWarnings(as.integer(if (is.null(a[["cores"]])) "1" else a[["cores"]]))
  if (is.na(cores) || cores < 1L) die("--cores must be an integer >= 1")
  tlim <- suppressWarnings(as.numeric(if (is.null(a[["time-limit"]])) "0" else a[["time-limit"]]))
  if (is.na(tlim) || tlim < 0) die("--time-limit must be a number >= 0")
  all_methods <- c("auto.arima", "ets", "stlf", "thetaf")
  methods <- if (is.null(a[["methods"]])) all_methods else split_list(a[["methods"]])
  unk <- setdiff(methods, all_methods)
  if (length(unk)) die("unknown method '", unk[1], "' (known: ",
                       paste(all_methods, collapse = ", "), ")")
  if (!length(methods)) die("--methods is empty")
  methods <- unique(methods)

  fc <- read_forecasts(a[["origins"]])
  f <- fc$f
  if (!is.null(a[["levels"]])) {
    lv_txt <- split_list(a[["levels"]])
  } else if (length(fc$levels)) {
    lv_txt <- fc$levels
  } else {
    lv_txt <- c("80", "95")
  }
  lv <- suppressWarnings(as.numeric(lv_txt))
  if (!length(lv) || anyNA(lv) || any(lv <= 0 | lv >= 100))
    die("--levels must be numbers between 0 and 100")
  o <- order(lv); lv <- lv[o]; lv_txt <- lv_txt[o]
  keep_lv <- !duplicated(lv); lv <- lv[keep_lv]; lv_txt <- lv_txt[keep_lv]

  d <- read_data(a[["data"]], a[["time"]], a[["id"]], a[["value"]])

  # Restrict to --series; every id must exist in the data.
  if (!is.null(a[["series"]])) {
    want <- split_list(a[["series"]])
    miss <- setdiff(want, d$ids)
    if (length(miss)) die("series '", miss[1], "' not found in '", a[["data"]],
                          "' (series: ", paste(head(d$ids, 20), collapse = ", "), ")")
    absent <- setdiff(want, f$id)
    if (length(absent)) note("warning: no forecasts for series ",
                             paste(absent, collapse = ", "), " in '", a[["origins"]], "'")
    f <- f[f$id %in% want, , drop = FALSE]
  }
  miss <- setdiff(unique(f$id), d$ids)
  if (length(miss)) die("series '", miss[1], "' of '", a[["origins"]],
                        "' not found in '", a[["data"]], "' (series: ",
                        paste(head(d$ids, 20), collapse = ", "), ")")
  if (!nrow(f)) die("no forecast rows to reproduce")

  # Distinct (id, origin) windows in order of first appearance.
  pair_key <- paste(f$id, f$origin, sep = "\r")
  upair <- !duplicated(pair_key)
  pairs <- data.frame(id = f$id[upair], origin = f$origin[upair],
                      stringsAsFactors = FALSE)
  H <- max(f$step)
  otime <- parse_time(pairs$origin)
  bad <- which(is.na(otime))
  if (length(bad)) die("cannot parse origin '", pairs$origin[bad[1]],
                       "' in '", a[["origins"]], "'")

  # History per window: the last maxh values with time <= origin.
  nw <- nrow(pairs)
  inexact <- 0L
  hist <- vector("list", nw)
  for (i in seq_len(nw)) {
    s <- d$series[[pairs$id[i]]]
    k <- findInterval(otime[i], s$t)
    if (k == 0L || s$t[k] != otime[i]) inexact <- inexact + 1L
    hist[[i]] <- if (k >= 1L) prep_history(s$x[max(1L, k - maxh + 1L):k], M) else numeric(0)
  }
  if (inexact)
    note("warning: ", inexact, " origin(s) are not timestamps of their series; ",
         "used the last value before each")
  note(nw, " windows (", length(unique(pairs$id)), " series), H = ", H,
       ", period ", M, ", max history ", maxh, ", levels ",
       paste(lv_txt, collapse = ","), ", methods ",
       paste(methods, collapse = ","), ", cores ", cores)
  if (M > 24 && "ets" %in% methods)
    note("note: period ", M, " > 24: method 'ets' uses stlf() on seasonal windows")

  # Run the windows in chunks (progress after each chunk, ~10 lines).
  t_wall <- proc.time()[["elapsed"]]
  res <- vector("list", nw)
  nchunk <- min(nw, 10L)
  chunks <- split(seq_len(nw), ceiling(seq_len(nw) * nchunk / nw))
  done <- 0L
  for (ch in chunks) {
    work <- function(i) run_window(hist[[i]], methods, M, H, lv, tlim)
    r <- if (cores > 1L) parallel::mclapply(ch, work, mc.cores = cores)
         else lapply(ch, work)
    failed <- vapply(r, function(z) inherits(z, "try-error") || is.null(z), logical(1))
    if (any(failed)) {
      cat(PROG, ": error: a worker failed: ",
          as.character(r[[which(failed)[1]]]), "\n", sep = "", file = stderr())
      quit(save = "no", status = 1)
    }
    res[ch] <- r
    done <- done + length(ch)
    if (nchunk > 1L)
      note("progress: ", done, "/", nw, " windows, ",
           round(proc.time()[["elapsed"]] - t_wall, 1), " s")
  }

  # Write one file per method, rows in F.csv's order.
  dir.create(a[["out-dir"]], recursive = TRUE, showWarnings = FALSE)
  if (!dir.exists(a[["out-dir"]])) die("cannot create directory '", a[["out-dir"]], "'")
  widx <- match(pair_key, paste(pairs$id, pairs$origin, sep = "\r"))
  header <- c("id", "origin", "timestamp", "step", "actual", "mean",
              as.vector(rbind(paste0("lo", lv_txt), paste0("hi", lv_txt))))
  for (meth in methods) {
    vals <- t(vapply(seq_len(nrow(f)), function(r) {
      res[[widx[r]]][[meth]]$m[f$step[r], ]
    }, numeric(1L + 2L * length(lv))))
    if (length(lv) == 0L) vals <- matrix(vals, ncol = 1L)
    cols <- list(csv_field(f$id), csv_field(f$origin), csv_field(f$timestamp),
                 as.character(f$step), csv_field(f$actual))
    for (j in seq_len(ncol(vals))) cols[[length(cols) + 1L]] <- fmt_num(vals[, j])
    lines <- c(paste(header, collapse = ","), do.call(paste, c(cols, sep = ",")))
    out <- file.path(a[["out-dir"]], paste0(meth, ".csv"))
    tmp <- paste0(out, ".tmp")
    writeLines(lines, tmp)
    if (!file.rename(tmp, out)) die("cannot write '", out, "'")
    fb <- vapply(res, function(z) z[[meth]]$fallback, logical(1))
    secs <- sum(vapply(res, function(z) z[[meth]]$secs, numeric(1)))
    to <- vapply(res, function(z) z[[meth]]$timeout, logical(1))
    note(sprintf("method %-10s windows %d fallbacks %d (timeouts %d) seconds %.1f (%.2f per window) -> %s",
                 meth, nw, sum(fb), sum(to), secs, secs / nw, out))
    if (any(fb)) {
      e <- res[[which(fb)[1]]][[meth]]$err
      note("  first fallback (", pairs$id[which(fb)[1]], " @ ",
           pairs$origin[which(fb)[1]], "): ", e)
    }
  }
  note(sprintf("done: wall %.1f s", proc.time()[["elapsed"]] - t_wall))
  invisible(0)
}

main()
