#!/usr/bin/env Rscript
# bench/score.R - score several forecast files (xfcast's --forecasts-out
# format, or bench/r_anchors.R output) on their common rows, next to two
# baselines computed here from the data: naive and seasonal naive.
#
# Usage:
#   Rscript bench/score.R --data DATA.csv [--time COL] [--id COL --value COL]
#       --period M --train-end TIME [--scale-period M2] [--per-series]
#       [--tsv FILE] LABEL=FILE.csv [LABEL=FILE.csv ...]
#
#   --data         the series, CSV, wide or long (as for bench/r_anchors.R:
#                  wide = a time column, default the first, and one numeric
#                  column per series named by its id; long = --id/--value
#                  columns, time column --time, default "timestamp").
#   --period       seasonal period M of the "snaive" baseline.
#   --train-end    last timestamp of the training part; the MASE scale of a
#                  series is mean |x_t - x_{t-M2}| over its values with
#                  timestamps <= TIME (pairs with a missing value skipped),
#                  M2 = --scale-period, default --period.  Lags count rows
#                  of the series, not clock time.
#   --per-series   also print one table per series id.
#   --tsv FILE     also write rows "method<TAB>series<TAB>metric<TAB>value"
#                  (series "all" or an id; metrics n, MAE, RMSE, MSE, sMAPE,
#                  MASE, covL) to FILE.
#   LABEL=FILE     a forecasts file with header
#                  id,origin,timestamp,step,actual,mean[,loL,hiL...].
#
# Rows: the files are inner-joined on (id, origin, step); origins are
# compared as instants, so "2016-07-01" and "2016-07-01T00:00:00Z" match.
# Rows that some file lacks are dropped with a warning.  A row is scored
# when its actual (the first finite one among the files) is finite and
# every file and baseline has a finite mean there, so every method is
# scored on the same rows.
#
# Baselines, on the same rows, from the data:
#   naive   the last (non-missing) value at or before the origin;
#   snaive  x[k + step - M * ceil(step / M)], k = the origin's row: the value
#           one season before the target, within the history; when that value
#           is missing it steps back M more, and when it runs off the start
#           it uses naive.
#
# Metrics, averaged over the scored rows: MAE, RMSE, MSE, sMAPE
# (100/n * sum 200|y-f|/(|y|+|f|), a row counting 0 when y = f = 0), MASE
# (mean of |y-f| / scale of the row's series; rows of series whose scale
# is 0 or undefined are left out of MASE, with a warning), and coverage for
# each level L with loL/hiL columns (percent of actuals in [loL, hiL],
# over rows where both bounds are finite).  The table has one coverage
# column per level found in any file; "-" where a method lacks it.
# The markdown table goes to stdout; notes and warnings go to stderr.
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

PROG <- "score.R"

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

# Parse "--opt value", "--opt=value", flags and positional arguments.
# Returns list(opts = named list, pos = character vector).
parse_args <- function(args, known, flags) {
  opts <- list()
  pos <- character(0)
  i <- 1L
  while (i <= length(args)) {
    a <- args[i]
    if (!startsWith(a, "--")) {
      pos <- c(pos, a)
      i <- i + 1L
      next
    }
    a <- substring(a, 3L)
    if (grepl("=", a, fixed = TRUE)) {
      key <- sub("=.*$", "", a)
      val <- sub("^[^=]*=", "", a)
    } else if (a %in% flags) {
      key <- a
      val <- "1"
    } else {
      key <- a
      if (!(key %in% known)) die("unknown option --", key)
      if (i == length(args)) die("option --", key, " needs a value")
      i <- i + 1L
      val <- args[i]
    }
    if (!(key %in% c(known, flags))) die("unknown option --", key)
    opts[[key]] <- val
    i <- i + 1L
  }
  list(opts = opts, pos = pos)
}

## ---------------------------------------------------------------------
## Timestamps and data files: parse_time(), read_data() (bench/r_common.R)
## ---------------------------------------------------------------------
local({
  self <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
  source(file.path(dirname(self), "r_common.R"))
})
## ---------------------------------------------------------------------
## Forecast files
## ---------------------------------------------------------------------

# Read one forecasts file.  Returns a data frame with id, origin (parsed),
# step, actual, mean, key (id/origin/step), and a list of interval bounds
# per level: list("80" = list(lo =, hi =), ...).
read_fc_file <- function(path, label) {
  if (!file.exists(path)) die("forecasts file '", path, "' (", label, ") not found")
  f <- tryCatch(
    utils::read.csv(path, check.names = FALSE, stringsAsFactors = FALSE,
                    colClasses = "character", na.strings = character(0)),
    error = function(e) die("cannot read forecasts file '", path, "': ",
                            conditionMessage(e)))
  for (cn in c("id", "origin", "step", "actual", "mean"))
    if (!(cn %in% names(f)))
      die("column '", cn, "' not found in forecasts file '", path, "'")
  num <- function(v) suppressWarnings(as.numeric(v))
  st <- suppressWarnings(as.integer(f$step))
  if (anyNA(st) || any(st < 1L))
    die("forecasts file '", path, "': column 'step' must hold integers >= 1")
  ot <- parse_time(f$origin)
  bad <- which(is.na(ot))
  if (length(bad)) die("forecasts file '", path, "': cannot parse origin '",
                       f$origin[bad[1]], "'")
  key <- paste(f$id, sprintf("%.6f", ot), st, sep = "\r")
  lo <- sub("^lo", "", grep("^lo[0-9.]+$", names(f), value = TRUE))
  lv <- lo[paste0("hi", lo) %in% names(f)]
  ints <- lapply(lv, function(l) list(lo = num(f[[paste0("lo", l)]]),
                                      hi = num(f[[paste0("hi", l)]])))
  names(ints) <- lv
  dup <- duplicated(key)
  if (any(dup)) {
    note("warning: ", label, " ('", path, "') has ", sum(dup),
         " duplicate (id, origin, step) rows; keeping the first of each")
  }
  keep <- !dup
  list(id = f$id[keep], origin = ot[keep], step = st[keep],
       actual = num(f$actual)[keep], mean = num(f$mean)[keep],
       key = key[keep],
       ints = lapply(ints, function(b) list(lo = b$lo[keep], hi = b$hi[keep])),
       n = sum(keep))
}

## ---------------------------------------------------------------------
## Metrics
## ---------------------------------------------------------------------

# Point metrics of forecasts f for actuals y; scale is the MASE scale per
# row (NA where undefined).
point_metrics <- function(y, f, scale) {
  e <- y - f
  ae <- abs(e)
  den <- abs(y) + abs(f)
  sm <- ifelse(den == 0, 0, 200 * ae / den)
  ok <- is.finite(scale) & scale > 0
  c(n = length(y), MAE = mean(ae), RMSE = sqrt(mean(e^2)), MSE = mean(e^2),
    sMAPE = mean(sm),
    MASE = if (any(ok)) mean(ae[ok] / scale[ok]) else NA_real_)
}

# Coverage in percent of y inside [lo, hi], over rows with finite bounds.
coverage <- function(y, lo, hi) {
  ok <- is.finite(lo) & is.finite(hi)
  if (!any(ok)) return(NA_real_)
  100 * mean(y[ok] >= lo[ok] & y[ok] <= hi[ok])
}

# Number formatting for the markdown table.
fmt_metric <- function(v) {
  if (is.null(v) || length(v) == 0L || !is.finite(v)) return("-")
  if (abs(v) >= 1000) sprintf("%.1f", v) else sprintf("%.4g", v)
}
fmt_cov <- function(v) if (is.null(v) || !is.finite(v)) "-" else sprintf("%.1f", v)

## ---------------------------------------------------------------------
## Main
## ---------------------------------------------------------------------

main <- function() {
  known <- c("data", "time", "id", "value", "period", "train-end",
             "scale-period", "tsv")
  pa <- parse_args(commandArgs(trailingOnly = TRUE), known,
                   flags = c("per-series", "help"))
  a <- pa$opts
  if (!is.null(a[["help"]])) {
    cat("usage: Rscript bench/score.R --data DATA.csv [--time COL]",
        "[--id COL --value COL] --period M --train-end TIME",
        "[--scale-period M2] [--per-series] [--tsv FILE]",
        "LABEL=FILE.csv [LABEL=FILE.csv ...]\n")
    quit(save = "no", status = 0)
  }
  for (req in c("data", "period", "train-end"))
    if (is.null(a[[req]])) die("missing required option --", req)
  M <- suppressWarnings(as.integer(a[["period"]]))
  if (is.na(M) || M < 1L) die("--period must be an integer >= 1")
  M2 <- suppressWarnings(as.integer(if (is.null(a[["scale-period"]])) M else a[["scale-period"]]))
  if (is.na(M2) || M2 < 1L) die("--scale-period must be an integer >= 1")
  train_end <- parse_time(a[["train-end"]])
  if (is.na(train_end)) die("cannot parse --train-end '", a[["train-end"]], "'")

  # LABEL=FILE arguments.
  if (!length(pa$pos)) die("no LABEL=FILE.csv arguments")
  if (!all(grepl("^[^=]+=.+$", pa$pos)))
    die("argument '", pa$pos[!grepl("^[^=]+=.+$", pa$pos)][1],
        "' is not LABEL=FILE.csv")
  labels <- sub("=.*$", "", pa$pos)
  paths <- sub("^[^=]*=", "", pa$pos)
  if (any(duplicated(labels))) die("label '", labels[duplicated(labels)][1],
                                   "' is given twice")
  if (any(labels %in% c("naive", "snaive")))
    die("labels 'naive' and 'snaive' are reserved for the baselines")
  files <- lapply(seq_along(labels), function(i) read_fc_file(paths[i], labels[i]))
  names(files) <- labels

  d <- read_data(a[["data"]], a[["time"]], a[["id"]], a[["value"]])

  # Inner join on (id, origin, step), in the first file's row order.
  common <- Reduce(intersect, lapply(files, function(f) f$key))
  note(length(common), " common (id, origin, step) rows in ", length(files),
       " file(s)")
  for (lb in labels) {
    extra <- files[[lb]]$n - length(common)
    if (extra > 0L)
      note("warning: ", lb, " has ", extra, " of ", files[[lb]]$n,
           " rows that other files lack; they are not scored")
  }
  if (!length(common)) die("the files have no (id, origin, step) rows in common")
  rows <- lapply(files, function(f) match(common, f$key))
  f1 <- files[[1]]; r1 <- rows[[1]]
  id <- f1$id[r1]; origin <- f1$origin[r1]; step <- f1$step[r1]

  miss <- setdiff(unique(id), d$ids)
  if (length(miss)) die("series '", miss[1], "' of the forecasts not found in '",
                        a[["data"]], "' (series: ", paste(head(d$ids, 20), collapse = ", "), ")")

  # Actual: the first finite one among the files; note disagreements.
  act <- matrix(NA_real_, length(common), length(files))
  for (j in seq_along(files)) act[, j] <- files[[j]]$actual[rows[[j]]]
  y <- act[, 1]
  for (j in seq_along(files)[-1]) {
    fill <- !is.finite(y) & is.finite(act[, j])
    y[fill] <- act[fill, j]
  }
  differ <- 0L
  for (j in seq_along(files)[-1]) {
    both <- is.finite(act[, 1]) & is.finite(act[, j])
    differ <- differ + sum(abs(act[both, 1] - act[both, j]) >
                           1e-6 * pmax(1, abs(act[both, 1])))
  }
  if (differ) note("warning: ", differ, " actual value(s) differ between files; ",
                   "using the first file's (", labels[1], ")")

  # Baselines and cross-checks against the data, series by series.
  naive <- snaive <- scale <- data_y <- rep(NA_real_, length(common))
  inexact <- 0L
  for (sid in unique(id)) {
    s <- d$series[[sid]]
    r <- which(id == sid)
    k <- findInterval(origin[r], s$t)
    inexact <- inexact + sum(k == 0L | s$t[pmax(k, 1L)] != origin[r])
    x <- s$x
    # Last non-missing value at or before each row (carried forward).
    pos <- cummax(ifelse(is.na(x), 0L, seq_along(x)))
    locf <- ifelse(pos > 0L, x[pmax(pos, 1L)], NA_real_)
    kk <- pmax(k, 1L)
    naive[r] <- ifelse(k >= 1L, locf[kk], NA_real_)
    idx <- k + step[r] - M * ceiling(step[r] / M)
    repeat {
      back <- idx >= 1L & is.na(x[pmax(idx, 1L)])
      if (!any(back)) break
      idx[back] <- idx[back] - M
    }
    snaive[r] <- ifelse(idx >= 1L, x[pmax(idx, 1L)], naive[r])
    tgt <- k + step[r]
    data_y[r] <- ifelse(tgt <= length(x), x[pmin(tgt, length(x))], NA_real_)
    # MASE scale from the training part.
    tr <- x[s$t <= train_end]
    sc <- if (length(tr) > M2) mean(abs(diff(tr, lag = M2)), na.rm = TRUE) else NA_real_
    if (!is.finite(sc) || sc <= 0) {
      note("warning: series '", sid, "': MASE scale is ",
           if (is.finite(sc)) "0" else "undefined (too few training values)",
           "; its rows are left out of MASE")
      sc <- NA_real_
    }
    scale[r] <- sc
  }
  if (inexact) note("warning: ", inexact, " row(s) have an origin that is not a ",
                    "timestamp of the series; used the last row before it")
  both <- is.finite(y) & is.finite(data_y)
  mism <- sum(abs(y[both] - data_y[both]) > 1e-6 * pmax(1, abs(data_y[both])))
  if (mism) note("warning: ", mism, " of ", sum(both), " actual value(s) differ ",
                 "from the data value at origin row + step")

  # Rows scored: finite actual and finite mean in every method.
  means <- c(list(naive = naive, snaive = snaive),
             lapply(seq_along(files), function(j) files[[j]]$mean[rows[[j]]]))
  names(means) <- c("naive", "snaive", labels)
  use <- is.finite(y)
  note(sum(!use), " common row(s) without a finite actual")
  for (m in names(means)) {
    nf <- use & !is.finite(means[[m]])
    if (any(nf)) note("warning: ", m, " has no finite mean on ", sum(nf),
                      " row(s) with an actual; those rows are not scored")
    use <- use & is.finite(means[[m]])
  }
  if (!any(use)) die("no rows to score (no finite actual with finite forecasts)")
  note(sum(use), " row(s) scored, ", length(unique(id[use])), " series; ",
       sum(use & !is.finite(scale)), " of them without a MASE scale")

  # Levels: every level found in any file, ascending.
  lvs <- unique(unlist(lapply(files, function(f) names(f$ints))))
  lvs <- lvs[order(as.numeric(lvs))]
  ints <- lapply(seq_along(files), function(j) {
    lapply(files[[j]]$ints, function(b) list(lo = b$lo[rows[[j]]], hi = b$hi[rows[[j]]]))
  })
  names(ints) <- labels
  for (lb in labels) for (l in names(ints[[lb]])) {
    b <- ints[[lb]][[l]]
    nb <- sum(use & !(is.finite(b$lo) & is.finite(b$hi)))
    if (nb) note("warning: ", lb, ": ", nb, " scored row(s) lack a finite ",
                 l, "% interval; coverage is over the others")
  }

  # Metrics per method for a subset of rows.
  score_rows <- function(sel) {
    out <- lapply(names(means), function(m) {
      v <- point_metrics(y[sel], means[[m]][sel], scale[sel])
      cv <- vapply(lvs, function(l) {
        b <- if (m %in% labels) ints[[m]][[l]] else NULL
        if (is.null(b)) NA_real_ else coverage(y[sel], b$lo[sel], b$hi[sel])
      }, numeric(1))
      if (length(lvs)) names(cv) <- paste0("cov", lvs)
      c(v, cv)
    })
    names(out) <- names(means)
    out
  }
  covcols <- if (length(lvs)) paste0("cov", lvs) else character(0)
  table_md <- function(sc) {
    hdr <- c("method", "MAE", "RMSE", "sMAPE", "MASE", covcols)
    lines <- c(paste0("| ", paste(hdr, collapse = " | "), " |"),
               paste0("|", paste(c("---", rep("---:", length(hdr) - 1L)), collapse = "|"), "|"))
    for (m in names(sc)) {
      v <- sc[[m]]
      cells <- c(m, fmt_metric(v[["MAE"]]), fmt_metric(v[["RMSE"]]),
                 fmt_metric(v[["sMAPE"]]), fmt_metric(v[["MASE"]]),
                 vapply(covcols, function(cn) fmt_cov(v[[cn]]), ""))
      lines <- c(lines, paste0("| ", paste(cells, collapse = " | "), " |"))
    }
    lines
  }

  all_sc <- score_rows(use)
  writeLines(table_md(all_sc))
  per <- list()
  for (sid in unique(id[use])) per[[sid]] <- score_rows(use & id == sid)
  if (!is.null(a[["per-series"]])) {
    for (sid in names(per)) {
      cat("\n#### series ", sid, " (", sum(use & id == sid), " rows)\n\n", sep = "")
      writeLines(table_md(per[[sid]]))
    }
  }

  if (!is.null(a[["tsv"]])) {
    tsv_rows <- function(sc, series) {
      unlist(lapply(names(sc), function(m) {
        v <- sc[[m]]
        v <- v[is.finite(v)]
        if (!length(v)) return(character(0))
        paste(m, series, names(v), sprintf("%.10g", v), sep = "\t")
      }))
    }
    out <- c("method\tseries\tmetric\tvalue", tsv_rows(all_sc, "all"))
    for (sid in names(per)) out <- c(out, tsv_rows(per[[sid]], sid))
    ok <- tryCatch({ writeLines(out, a[["tsv"]]); TRUE }, error = function(e) FALSE,
                   warning = function(w) FALSE)
    if (!ok) die("cannot write --tsv file '", a[["tsv"]], "'")
    note("wrote ", a[["tsv"]])
  }
  invisible(0)
}

main()
