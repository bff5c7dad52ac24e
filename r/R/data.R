# data.R - R series to the form the C glue reads (src/xfcast_r.c,
# build_panel): CSV text for series with timestamps (read by libxfcast's
# own CSV reader, so R data and a CSV file of the same rows give the same
# panel), arrays for series without.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.

# ts frequency -> libxfcast frequency.  Monthly, quarterly and yearly series
# get their timestamps from the ts itself; the others need a start time
# (argument `time`, or the attribute "xfcast_start") to have timestamps.
.xf_ts_freqs <- data.frame(
    frequency = c(1, 4, 12, 52, 52.18, 5, 7, 365, 365.25, 24, 168, 8760, 8766,
                  48, 336, 17520, 17532, 96, 672),
    freq = c("Y", "Q", "M", "W", "W", "B", "D", "D", "D", "1h", "1h", "1h", "1h",
             "30min", "30min", "30min", "30min", "15min", "15min"),
    stringsAsFactors = FALSE)

.xf_map_freq <- function(f) {
    i <- which(abs(.xf_ts_freqs$frequency - f) < 1e-6)
    if (length(i) == 0) NULL else .xf_ts_freqs$freq[i[1]]
}

.xf_step_seconds <- c("1h" = 3600, "30min" = 1800, "15min" = 900)

# Numbers as text that reads back as the same double: 15 significant digits
# when they do (the values of a CSV file read into R, so that they reach
# the library as the text it would have read), else 17.
.xf_fmt_num <- function(x) {
    x <- as.numeric(x)
    s <- sprintf("%.15g", x)
    long <- is.finite(x) & suppressWarnings(as.numeric(s)) != x
    s[long] <- sprintf("%.17g", x[long])
    s[!is.finite(x)] <- ""
    s
}

.xf_fmt_time <- function(t) {
    if (inherits(t, "Date"))
        format(t, "%Y-%m-%d")
    else
        format(as.POSIXct(t), "%Y-%m-%dT%H:%M:%SZ", tz = "UTC")
}

.xf_quote <- function(s) {
    s <- as.character(s)
    q <- grepl("[\",\r\n]", s)
    s[q] <- paste0("\"", gsub("\"", "\"\"", s[q]), "\"")
    s
}

# Timestamps of n steps from a start, on frequency `freq`.
.xf_seq_times <- function(start, freq, n) {
    if (freq %in% names(.xf_step_seconds)) {
        start <- as.POSIXct(start, tz = "UTC")
        return(start + .xf_step_seconds[[freq]] * (seq_len(n) - 1))
    }
    start <- as.Date(start)
    switch(freq,
        D = start + (seq_len(n) - 1),
        W = start + 7 * (seq_len(n) - 1),
        M = seq(start, by = "month", length.out = n),
        Q = seq(start, by = "quarter", length.out = n),
        Y = seq(start, by = "year", length.out = n),
        B = {
            d <- seq(start, by = "day", length.out = ceiling(n * 7 / 5) + 7)
            d <- d[as.POSIXlt(d)$wday %in% 1:5]
            d[seq_len(n)]
        })
}

# The timestamps of a ts, or NULL when they cannot be known.
.xf_ts_times <- function(y, freq, start) {
    n <- length(y)
    if (!is.null(start))
        return(.xf_seq_times(start, freq, n))
    if (freq %in% c("M", "Q", "Y")) {
        tsp0 <- stats::tsp(y)[1]
        year <- floor(tsp0 + 1e-8)
        per <- round((tsp0 - year) * stats::frequency(y))
        month <- switch(freq, M = per + 1, Q = 3 * per + 1, Y = 1)
        return(.xf_seq_times(as.Date(sprintf("%04d-%02d-01", year, month)), freq, n))
    }
    NULL
}

# Timestamps after the last of `times` (h of them), from the data's step.
.xf_future_times <- function(times, h) {
    n <- length(times)
    if (n < 2)
        .xf_stop("cannot extend a series of fewer than two timestamps", "XF_EDATA")
    if (inherits(times, "Date")) {
        d <- as.numeric(times[n] - times[n - 1])
        freq <- if (d == 1) "D" else if (d == 7) "W" else if (d >= 28 && d <= 31) "M"
                else if (d >= 89 && d <= 92) "Q" else if (d >= 365 && d <= 366) "Y"
                else if (d == 3 && as.POSIXlt(times[n])$wday == 1) "B" else NA
        if (is.na(freq))
            return(times[n] + d * seq_len(h))
        if (freq == "B" || (freq == "D" && all(as.POSIXlt(times)$wday %in% 1:5) && n > 5))
            freq <- "B"
        return(.xf_seq_times(times[n], freq, h + 1)[-1])
    }
    step <- as.numeric(times[n]) - as.numeric(times[n - 1])
    times[n] + step * seq_len(h)
}

.xf_check_xreg <- function(xreg, n, what) {
    if (is.null(xreg))
        return(NULL)
    if (is.vector(xreg) && is.numeric(xreg))
        xreg <- matrix(xreg, ncol = 1)
    xreg <- as.matrix(xreg)
    if (!is.numeric(xreg))
        .xf_stop("xreg must be numeric", "XF_EINVAL")
    if (nrow(xreg) != n)
        .xf_stop(sprintf("xreg has %d rows; %s", nrow(xreg), what), "XF_EINVAL")
    if (is.null(colnames(xreg)))
        colnames(xreg) <- paste0("xreg", seq_len(ncol(xreg)))
    colnames(xreg) <- make.names(colnames(xreg), unique = TRUE)
    bad <- colnames(xreg) %in% c("time", "id", "value")
    colnames(xreg)[bad] <- paste0(colnames(xreg)[bad], "_")
    xreg
}

# Describe R data: the list build_panel() reads, plus what forecast() needs
# to shape its result (kind, the ts attributes, the times).
.xf_data <- function(y, time = NULL, xreg = NULL) {
    if (is.data.frame(y))
        return(.xf_data_frame(y, xreg))
    if (!is.numeric(y))
        .xf_stop("y must be a ts, a numeric vector or a data frame", "XF_EINVAL")
    n <- length(y)
    if (n == 0)
        .xf_stop("y is empty", "XF_EINVAL")
    xreg <- .xf_check_xreg(xreg, n, sprintf("y has %d values", n))
    info <- list(kind = "vector", n = n, x = y, xreg = xreg, freq = NULL, times = NULL,
                 season = NULL)
    if (stats::is.ts(y)) {
        info$kind <- "ts"
        f <- stats::frequency(y)
        info$freq <- .xf_map_freq(f)
        if (is.null(info$freq) && f > 1)
            info$season <- round(f)
        start <- if (!is.null(time)) time[1] else attr(y, "xfcast_start")
        if (!is.null(info$freq))
            info$times <- .xf_ts_times(y, info$freq, start)
        if (!is.null(info$freq) && is.null(info$times))
            warning(sprintf(paste0("a ts of frequency %g has no start time (argument time, or ",
                                   "attribute \"xfcast_start\"; window() drops it): fitted ",
                                   "without timestamps or calendar terms"), f),
                    call. = FALSE)
    } else if (!is.null(time)) {
        if (!inherits(time, c("Date", "POSIXct")))
            .xf_stop("time must be a Date or POSIXct vector", "XF_EINVAL")
        if (length(time) != n)
            .xf_stop(sprintf("time has %d values; y has %d", length(time), n), "XF_EINVAL")
        info$times <- time
    }
    info$y <- as.numeric(y)
    info$ids <- "y"
    info
}

.xf_data_frame <- function(df, xreg) {
    nm <- names(df)
    tcol <- intersect(c("time", "date", "timestamp", "ds", "datetime"), nm)
    if (length(tcol) == 0) {
        isT <- vapply(df, function(c) inherits(c, c("Date", "POSIXct")), TRUE)
        tcol <- nm[isT]
    }
    if (length(tcol) == 0)
        .xf_stop("the data frame needs a time column (time, date, timestamp or ds)",
                 "XF_EINVAL")
    vcol <- intersect(c("value", "y"), nm)
    if (length(vcol) == 0)
        .xf_stop("the data frame needs a value column (value or y)", "XF_EINVAL")
    if (!is.null(xreg) && !is.character(xreg))
        .xf_stop("with a data frame, xreg names its covariate columns", "XF_EINVAL")
    miss <- setdiff(xreg, nm)
    if (length(miss) > 0)
        .xf_stop(sprintf("covariate column '%s' is not in the data frame", miss[1]),
                 "XF_ENOTFOUND")
    times <- df[[tcol[1]]]
    if (!inherits(times, c("Date", "POSIXct")))
        times <- if (all(grepl("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", times))) as.Date(times)
                 else as.POSIXct(times, tz = "UTC")
    ids <- if ("id" %in% nm) as.character(df[["id"]]) else rep("y", nrow(df))
    xr <- if (length(xreg) > 0) as.matrix(df[xreg]) else NULL
    list(kind = "frame", n = nrow(df), y = as.numeric(df[[vcol[1]]]), times = times,
         id = ids, has_id = "id" %in% nm, ids = unique(ids), xreg = xr, freq = NULL,
         season = NULL, x = df)
}

# The list build_panel() reads for the data in `info`, with `cov` the
# covariate columns the panel carries.
.xf_panel_spec <- function(info, cov = colnames(info$xreg)) {
    if (is.null(info$times)) {
        covs <- NULL
        if (length(cov) > 0) {
            # a covariate the data lack is all NA: the library names it
            m <- vapply(cov, function(c) if (c %in% colnames(info$xreg))
                as.double(info$xreg[, c]) else rep(NA_real_, length(info$y)),
                numeric(length(info$y)))
            covs <- list(matrix(m, nrow = length(info$y)))
        }
        return(list(values = list(info$y), ids = info$ids, freq = info$freq, cov = cov,
                    covs = covs))
    }
    cols <- list(.xf_fmt_time(info$times))
    header <- "time"
    has_id <- isTRUE(info$has_id)
    if (has_id) {
        cols <- c(cols, list(.xf_quote(info$id)))
        header <- c(header, "id")
    }
    cols <- c(cols, list(.xf_fmt_num(info$y)))
    header <- c(header, "value")
    for (c in cov) {
        v <- if (c %in% colnames(info$xreg)) info$xreg[, c] else NULL
        if (is.null(v))
            next # absent: the library names it
        cols <- c(cols, list(.xf_fmt_num(v)))
        header <- c(header, c)
    }
    lines <- do.call(paste, c(cols, sep = ","))
    list(csv = paste(c(paste(header, collapse = ","), lines, ""), collapse = "\n"),
         targets = paste(c("value", intersect(cov, colnames(info$xreg))), collapse = ","),
         id_col = if (has_id) "id" else "none", cov = cov)
}

# The data extended by h future rows (NA values) carrying xreg.
.xf_extend <- function(info, h, xreg) {
    if (is.null(xreg))
        return(info)
    if (info$kind == "frame")
        .xf_stop("with a data frame, give the future covariates as rows after each series' last value (value NA) in newdata",
                 "XF_EINVAL")
    xreg <- .xf_check_xreg(xreg, nrow(as.matrix(xreg)), "")
    if (nrow(xreg) < h)
        .xf_stop(sprintf("xreg has %d rows; h = %d needs as many", nrow(xreg), h), "XF_EINVAL")
    xreg <- xreg[seq_len(h), , drop = FALSE]
    old <- info$xreg
    if (!is.null(old) && ncol(old) == ncol(xreg))
        colnames(xreg) <- colnames(old)
    if (!is.null(info$times))
        info$times <- c(info$times, .xf_future_times(info$times, h))
    info$y <- c(info$y, rep(NA_real_, h))
    info$xreg <- if (!is.null(old) && ncol(old) == ncol(xreg)) rbind(old, xreg) else
        rbind(matrix(NA_real_, info$n, ncol(xreg), dimnames = list(NULL, colnames(xreg))), xreg)
    info
}
