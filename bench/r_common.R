# r_common.R - what bench/r_anchors.R and bench/score.R share: parsing
# timestamps and reading the data CSV (wide or long) into series.
# Sourced by both; they define note() and die() first.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.

## ---------------------------------------------------------------------
## Timestamps
## ---------------------------------------------------------------------

# Parse timestamps to seconds since 1970-01-01 UTC (numeric).  Accepts
# YYYY-MM-DD, YYYY-MM-DD[T ]HH:MM[:SS[.fff]] with an optional Z or +-HH[:MM]
# offset (no offset = read as UTC), or plain numbers (time indexes).  The
# same instant written in two styles ("2016-07-01" and
# "2016-07-01T00:00:00Z") parses to the same value.  Returns NA where a
# string cannot be parsed.
parse_time <- function(s) {
  s <- trimws(as.character(s))
  n <- length(s)
  out <- rep(NA_real_, n)
  re <- paste0("^([0-9]{4})-([0-9]{2})-([0-9]{2})",
               "(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2}(?:\\.[0-9]*)?))?)?",
               " *(Z|z|[+-][0-9]{2}(?::?[0-9]{2})?)?$")
  m <- regexpr(re, s, perl = TRUE)
  ok <- !is.na(m) & m > 0L
  if (any(ok)) {
    st <- attr(m, "capture.start")[ok, , drop = FALSE]
    ln <- attr(m, "capture.length")[ok, , drop = FALSE]
    so <- s[ok]
    grp <- function(k) substring(so, st[, k], st[, k] + ln[, k] - 1L)
    day <- as.Date(paste(grp(1), grp(2), grp(3), sep = "-"),
                   format = "%Y-%m-%d")
    num0 <- function(v) { r <- suppressWarnings(as.numeric(v)); r[is.na(r)] <- 0; r }
    hh <- num0(grp(4)); mi <- num0(grp(5)); ss <- num0(grp(6))
    tz <- grp(7)
    off <- rep(0, length(so))
    has <- nzchar(tz) & toupper(tz) != "Z"
    if (any(has)) {
      d <- gsub(":", "", substring(tz[has], 2L), fixed = TRUE)
      oh <- as.numeric(substring(d, 1L, 2L))
      om <- ifelse(nchar(d) >= 4L, as.numeric(substring(d, 3L, 4L)), 0)
      sg <- ifelse(substring(tz[has], 1L, 1L) == "-", -1, 1)
      off[has] <- sg * (oh * 3600 + om * 60)
    }
    bad_clock <- hh > 24 | mi > 59 | ss >= 61
    v <- as.numeric(day) * 86400 + hh * 3600 + mi * 60 + ss - off
    v[bad_clock] <- NA_real_
    out[ok] <- v
  }
  rest <- !ok & nzchar(s)
  if (any(rest)) {
    v <- suppressWarnings(as.numeric(s[rest]))
    out[rest] <- v
  }
  out
}

## ---------------------------------------------------------------------
## Reading the data
## ---------------------------------------------------------------------

# Read the series file into a list with `ids` and `series`, a named list of
# list(t = parsed times (sorted), x = numeric values).
read_data <- function(path, time_col, id_col, value_col) {
  if (!file.exists(path)) die("data file '", path, "' not found")
  # Every column is read as text; numbers are converted below, so that
  # ids such as "007" and the time column keep their spelling.
  df <- tryCatch(
    utils::read.csv(path, check.names = FALSE, stringsAsFactors = FALSE,
                    colClasses = "character",
                    na.strings = c("", "NA", "NaN", "nan", "null"),
                    strip.white = TRUE),
    error = function(e) die("cannot read data file '", path, "': ",
                            conditionMessage(e)))
  cols <- names(df)
  if (nrow(df) == 0L) die("data file '", path, "' has no rows")
  need_col <- function(col, opt) {
    if (!(col %in% cols))
      die("column '", col, "' (", opt, ") not found in '", path,
          "'; columns: ", paste(cols, collapse = ", "))
  }
  # Long format when asked for, or when the header has "id" and "value".
  long <- !is.null(id_col) || !is.null(value_col)
  if (!long && all(c("id", "value") %in% cols)) {
    long <- TRUE
    note("'", path, "' has columns id and value: read as a long file")
  }
  if (long) {
    if (is.null(id_col)) id_col <- "id"
    if (is.null(value_col)) value_col <- "value"
    if (is.null(time_col))
      time_col <- if ("timestamp" %in% cols) "timestamp" else
        setdiff(cols, c(id_col, value_col))[1]
    need_col(id_col, "--id"); need_col(value_col, "--value")
    need_col(time_col, "--time")
    val <- df[[value_col]]
    if (!is.numeric(val)) {
      v2 <- suppressWarnings(as.numeric(val))
      bad <- which(is.na(v2) & !is.na(val))
      if (length(bad))
        die("value column '", value_col, "' of '", path,
            "' is not numeric (row ", bad[1], ": '", val[bad[1]], "')")
      val <- v2
    }
    ids_all <- as.character(df[[id_col]])
    tms <- df[[time_col]]
    ids <- unique(ids_all)
    groups <- split(seq_len(nrow(df)), factor(ids_all, levels = ids))
    raw <- lapply(groups, function(r) list(t = tms[r], x = as.numeric(val[r])))
  } else {
    if (is.null(time_col)) time_col <- cols[1]
    need_col(time_col, "--time")
    conv <- lapply(cols, function(cn)
      if (cn == time_col) NULL else utils::type.convert(df[[cn]], as.is = TRUE))
    num <- vapply(conv, is.numeric, logical(1))
    names(conv) <- cols
    ids <- setdiff(cols[num], time_col)
    skipped <- setdiff(cols[!num], time_col)
    if (length(skipped))
      note("skipping non-numeric column(s) of '", path, "': ",
           paste(skipped, collapse = ", "))
    if (!length(ids)) die("no numeric series columns in '", path, "'")
    tms <- df[[time_col]]
    raw <- lapply(ids, function(cn) list(t = tms, x = as.numeric(conv[[cn]])))
    names(raw) <- ids
  }
  # Parse and sort times once per series.
  series <- lapply(names(raw), function(id) {
    s <- raw[[id]]
    tt <- parse_time(s$t)
    bad <- which(is.na(tt))
    if (length(bad))
      die("time column '", time_col, "' of '", path,
          "': cannot parse '", s$t[bad[1]], "' (series '", id, "')")
    o <- order(tt)
    tt <- tt[o]; x <- s$x[o]
    dup <- duplicated(tt)
    if (any(dup)) {
      note("warning: series '", id, "' has ", sum(dup),
           " duplicate timestamp(s); keeping the first of each")
      tt <- tt[!dup]; x <- x[!dup]
    }
    list(t = tt, x = x)
  })
  names(series) <- names(raw)
  list(ids = names(series), series = series)
}

