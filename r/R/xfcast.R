# xfcast.R - fitting, forecasting, saving and updating heads from R.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.


# Signal the package's error condition (called from C as well).
.xf_stop <- function(message, code = "XF_EINVAL") {
    stop(structure(class = c("xfcast_error", "error", "condition"),
                   list(message = message, call = NULL, code = code)))
}

# Model options given in `...`: R names (underscores allowed) to the INI
# keys of the option table, values to its text.
.xf_opts <- function(args) {
    if (length(args) == 0)
        return(character(0))
    nm <- names(args)
    if (is.null(nm) || any(nm == ""))
        .xf_stop("model options in ... must be named (see xfcast_options())", "XF_EINVAL")
    val <- vapply(args, function(v) {
        if (is.logical(v) && length(v) == 1 && !is.na(v)) return(if (v) "on" else "off")
        if (inherits(v, c("Date", "POSIXct"))) return(.xf_fmt_time(v))
        if (is.numeric(v)) return(paste(format(v, digits = 15, scientific = FALSE,
                                               trim = TRUE), collapse = ","))
        paste(as.character(v), collapse = ",")
    }, "")
    stats::setNames(val, gsub("_", "-", nm))
}

# Where encoders are looked for, in order.
xfcast_model_dirs <- function() {
    d <- c(Sys.getenv("XFCAST_MODELS"), getOption("xfcast.models", ""),
           .Call(rxf_modeldir))
    unique(d[nzchar(d)])
}

.xf_find_encoder <- function(spec) {
    if (grepl("/", spec, fixed = TRUE) || grepl("\\.xfm$", spec)) {
        if (!file.exists(spec))
            .xf_stop(sprintf("encoder file '%s' not found", spec), "XF_ENOTFOUND")
        return(normalizePath(spec))
    }
    for (d in xfcast_model_dirs()) {
        p <- file.path(d, paste0(spec, ".xfm"))
        if (file.exists(p))
            return(normalizePath(p))
    }
    .xf_stop(sprintf("encoder '%s' not found in %s; give its path, or set XFCAST_MODELS",
                     spec, paste(c("$XFCAST_MODELS", xfcast_model_dirs()), collapse = ", ")),
             "XF_ENOTFOUND")
}

.xf_encoder_paths <- function(encoders) {
    encoders <- setdiff(as.character(encoders), "none")
    vapply(encoders, .xf_find_encoder, "", USE.NAMES = FALSE)
}

.xf_level <- function(level) {
    if (is.null(level) || length(level) == 0)
        return(numeric(0))
    level <- as.numeric(level)
    if (all(level > 0 & level < 1))
        level <- 100 * level
    level
}

.xf_fit <- function(y, h, domain, encoders, enc_given, level, xreg, time, dots, zeroshot) {
    info <- .xf_data(y, time, xreg)
    opts <- .xf_opts(dots)
    if (!is.null(domain))
        opts <- c(domain = domain, opts)
    if (!is.null(info$season) && !"season" %in% names(opts))
        opts <- c(opts, season = as.character(info$season))
    h <- if (is.null(h)) NA_integer_ else as.integer(h)
    ptr <- .Call(rxf_fit, .xf_panel_spec(info), opts, .xf_level(level), h,
                 .xf_encoder_paths(encoders), enc_given, zeroshot)
    structure(list(ptr = ptr, data = info, opts = opts,
                   seen = .xf_seen(info, opts),
                   call = match.call(sys.function(-1), sys.call(-1))),
              class = "xfcast")
}

# Values of each series up to its last observed one (what a head fitted on
# the data has seen), named by series id, as the library counts them.
.xf_seen <- function(info, opts = character(0)) {
    copts <- opts[names(opts) %in% c("gaps", "duplicates", "freq", "tz", "holidays")]
    .Call(rxf_observed, .xf_panel_spec(info), copts)
}

# Fit an xfcast head.
xfcast <- function(y, h = NULL, domain = "generic", encoders = c("gru-base", "tcn-base"),
                   level = c(80, 95), xreg = NULL, time = NULL, ...) {
    .xf_fit(y, h, domain, encoders, !missing(encoders), level, xreg, time, list(...), FALSE)
}

# Zero-shot: forecast with an encoder's pretraining head.
xfcast_zero_shot <- function(y, h = NULL, encoder = "tcn-v3", level = c(80, 95),
                             time = NULL, ...) {
    fit <- .xf_fit(y, h, NULL, encoder[1], TRUE, level, NULL, time, list(...), TRUE)
    fc <- forecast.xfcast(fit, h = h)
    fc
}

# The forecast generic (the forecast package's, when it is installed).
forecast <- function(object, ...) UseMethod("forecast")

.xf_forecast_raw <- function(object, h, xreg, level, newdata) {
    info <- if (is.null(newdata)) object$data else .xf_data(newdata$y, newdata$time,
                                                                newdata$xreg)
    if (is.null(info))
        .xf_stop(paste("no data to forecast from: give y to xfcast_load(), or",
                       "newdata = list(y = ...) to forecast()"), "XF_EINVAL")
    hh <- if (is.null(h)) .Call(rxf_info, object$ptr)$horizon else as.integer(h)
    info <- .xf_extend(info, hh, xreg)
    cov <- .Call(rxf_info, object$ptr)$covariates
    if (!is.null(xreg) && ncol(as.matrix(xreg)) > length(cov))
        .xf_stop(sprintf("xreg has %d columns; the head was fitted with %d covariates%s",
                         ncol(as.matrix(xreg)), length(cov),
                         if (length(cov)) paste0(" (", paste(cov, collapse = ", "), ")") else ""),
                 "XF_EINVAL")
    copts <- object$opts[names(object$opts) %in% c("gaps", "duplicates", "freq", "tz",
                                                     "holidays")]
    raw <- .Call(rxf_forecast, object$ptr, .xf_panel_spec(info, cov), hh,
                 if (is.null(level)) NULL else .xf_level(level), copts)
    list(raw = raw, info = info, h = hh)
}

# Forecast with a fitted head.
forecast.xfcast <- function(object, h = NULL, xreg = NULL, level = NULL, newdata = NULL, ...) {
    r <- .xf_forecast_raw(object, h, xreg, level, newdata)
    raw <- r$raw
    info <- if (is.null(newdata)) object$data else .xf_data(newdata$y, newdata$time)
    method <- .xf_method(object)
    one <- function(j) {
        L <- length(raw$level)
        lo <- matrix(raw$lower[, , j], ncol = L)
        hi <- matrix(raw$upper[, , j], ncol = L)
        colnames(lo) <- colnames(hi) <- paste0(raw$level, "%")
        tm <- if (is.null(raw$time)) NULL else .xf_as_time(raw$time[, j], info$times)
        list(mean = raw$mean[, j], lower = lo, upper = hi, time = tm, id = raw$ids[j])
    }
    if (info$kind == "frame") {
        out <- lapply(seq_along(raw$ids), function(j) {
            p <- one(j)
            x <- info$y[info$id == p$id]
            x <- x[seq_len(max(which(!is.na(x)), 0))]
            .xf_forecast_object(p, stats::ts(x), method, raw$level, object, p$id)
        })
        names(out) <- raw$ids
        return(structure(out, class = "xfcast_forecasts"))
    }
    p <- one(1)
    x <- info$x
    if (!stats::is.ts(x))
        x <- stats::ts(as.numeric(x))
    .xf_forecast_object(p, x, method, raw$level, object, deparse(substitute(object))[1])
}

.xf_as_time <- function(sec, like) {
    t <- as.POSIXct(sec, origin = "1970-01-01", tz = "UTC")
    if (inherits(like, "Date") || (is.null(like) && all(sec %% 86400 == 0)))
        as.Date(t)
    else
        t
}

.xf_forecast_object <- function(p, x, method, level, fit, series) {
    x <- stats::as.ts(x)
    f <- stats::frequency(x)
    start <- stats::tsp(x)[2] + 1 / f
    mk <- function(v) stats::ts(v, start = start, frequency = f)
    lower <- mk(p$lower)
    upper <- mk(p$upper)
    mean <- mk(p$mean)
    if (inherits(x, "msts")) {
        attr(mean, "msts") <- attr(x, "msts")
        class(mean) <- c("msts", "ts")
    }
    # in-sample one-step forecasts are not computed (one forecast per
    # origin): fitted values are NA, so that accuracy() on the training set
    # gives NA where it needs them and its test-set measures are complete
    fitted <- x
    fitted[] <- NA_real_
    structure(list(method = method, model = fit, level = level, mean = mean,
                   lower = lower, upper = upper, x = x, fitted = fitted,
                   residuals = fitted, series = series,
                   time = p$time, id = p$id),
              class = c("forecast", "xfcast_forecast"))
}

.xf_method <- function(object) {
    i <- .Call(rxf_info, object$ptr)
    enc <- if (length(i$encoders)) paste(i$encoders, collapse = "+") else "no embeddings"
    if (isTRUE(i$zeroshot))
        sprintf("xfcast zero-shot (%s)", enc)
    else
        sprintf("xfcast (%s, %s)", i$domain, enc)
}

# Save a head to a .xfm file.
xfcast_save <- function(fit, path) {
    stopifnot(inherits(fit, "xfcast"))
    .Call(rxf_save, fit$ptr, path.expand(path))
    invisible(path)
}

.xf_attach <- function(ptr, encoders) {
    names <- .Call(rxf_head_encoders, ptr)
    paths <- if (is.null(encoders)) .xf_encoder_paths(names) else .xf_encoder_paths(encoders)
    .Call(rxf_attach, ptr, paths)
    ptr
}

# Load a head saved by xfcast_save() or `xfcast fit`.
xfcast_load <- function(path, y = NULL, xreg = NULL, time = NULL, encoders = NULL) {
    ptr <- .xf_attach(.Call(rxf_load, path.expand(path)), encoders)
    info <- if (is.null(y)) NULL else .xf_data(y, time, xreg)
    structure(list(ptr = ptr, data = info, opts = character(0),
                   seen = if (is.null(info)) NULL else .xf_seen(info),
                   call = match.call()),
              class = "xfcast")
}

# Exact incremental update of a head with new observations.
xfcast_update <- function(fit, new_y, xreg = NULL, time = NULL) {
    stopifnot(inherits(fit, "xfcast"))
    if (is.null(fit$data))
        .xf_stop("this head has no data attached: load it with xfcast_load(path, y)",
                 "XF_EINVAL")
    old <- fit$data
    if (old$kind == "frame") {
        if (!is.data.frame(new_y))
            .xf_stop("the head was fitted on a data frame: give the new rows as one",
                     "XF_EINVAL")
        # each series' rows up to its last observed value (rows of future
        # covariates after it are replaced by the new rows)
        pos <- stats::ave(seq_len(nrow(old$x)), old$id, FUN = seq_along)
        kept <- old$x[pos <= fit$seen[old$id], , drop = FALSE]
        both <- rbind(kept, new_y[names(old$x)])
        info <- .xf_data(both, xreg = if (is.null(old$xreg)) NULL else colnames(old$xreg))
    } else {
        nv <- as.numeric(new_y)
        ts_old <- old$x
        y <- c(old$y[seq_len(fit$seen[1])], nv)
        if (stats::is.ts(ts_old))
            y <- stats::ts(y, start = stats::start(ts_old), frequency = stats::frequency(ts_old))
        if (inherits(ts_old, "msts")) {
            attr(y, "msts") <- attr(ts_old, "msts")
            class(y) <- c("msts", "ts")
        }
        if (!is.null(attr(ts_old, "xfcast_start")))
            attr(y, "xfcast_start") <- attr(ts_old, "xfcast_start")
        xr <- NULL
        if (!is.null(old$xreg)) {
            if (is.null(xreg))
                .xf_stop("the head has covariates: give their values for the new observations in xreg",
                         "XF_EINVAL")
            xr <- rbind(old$xreg[seq_len(fit$seen[1]), , drop = FALSE],
                        .xf_check_xreg(xreg, length(nv), sprintf("new_y has %d values", length(nv))))
        }
        tm <- if (!is.null(time) || is.null(old$times) || old$kind == "ts") NULL else
            c(old$times[seq_len(fit$seen[1])], time)
        if (old$kind == "vector" && !is.null(old$times) && is.null(time))
            .xf_stop("the data have timestamps: give those of the new observations in time",
                     "XF_EINVAL")
        info <- .xf_data(y, tm, xr)
    }
    # the update changes a head in place: work on a copy, so that `fit`
    # stays the head it was
    f <- tempfile(fileext = ".xfm")
    on.exit(unlink(f))
    .Call(rxf_save, fit$ptr, f)
    fit$ptr <- .xf_attach(.Call(rxf_load, f), NULL)
    added <- .Call(rxf_update, fit$ptr, .xf_panel_spec(info, .Call(rxf_info, fit$ptr)$covariates),
                   fit$seen)
    fit$data <- info
    fit$seen <- .xf_seen(info, fit$opts)
    attr(fit, "origins_added") <- added
    fit
}

# Read a CSV file as the command-line tool does (libxfcast's reader: time
# column, frequency, missing values and policies detected the same way):
# a data frame with id, time and value columns, one series per id.
xfcast_read_csv <- function(path, ...) {
    r <- .Call(rxf_read_csv, path.expand(path), .xf_opts(list(...)))
    tm <- .xf_as_time(r$time, NULL)
    data.frame(id = r$id, time = tm, value = r$value, stringsAsFactors = FALSE)
}

# The model options xfcast() takes in `...`.
xfcast_options <- function() {
    o <- as.data.frame(.Call(rxf_options), stringsAsFactors = FALSE)
    o[o$applies_to %in% c("model", "data"), ]
}

# Version of the libxfcast the package runs on.
xfcast_version <- function() .Call(rxf_version)

print.xfcast <- function(x, ...) {
    i <- .Call(rxf_info, x$ptr)
    cat(.xf_method(x), "\n", sep = "")
    cat(sprintf("  horizon %d, season %d, levels %s, %s features\n", i$horizon, i$season,
                paste(i$level, collapse = ","), format(i$n_features)))
    if (length(i$covariates))
        cat("  covariates:", paste(i$covariates, collapse = ", "), "\n")
    cov <- .xf_coverage(i)
    if (length(cov))
        cat("  held-out coverage:", paste(sprintf("%s%% -> %.1f%%", names(cov), cov),
                                          collapse = ", "), "\n")
    invisible(x)
}

.xf_coverage <- function(i) {
    k <- grep("^coverage\\.", names(i$meta), value = TRUE)
    v <- vapply(i$meta[k], function(z) as.numeric(z), 0)
    if (length(v) && all(v <= 1 + 1e-9)) v <- 100 * v
    stats::setNames(v, sub("^coverage\\.", "", k))
}

.xf_candidates <- function(i) {
    k <- grep("^valid\\.[a-z]+\\.", names(i$meta), value = TRUE)
    if (length(k) == 0)
        return(NULL)
    data.frame(candidate = sub("^valid\\.[a-z]+\\.", "", k),
               score = sub("^valid\\.([a-z]+)\\..*", "\\1", k),
               value = vapply(i$meta[k], function(z) as.numeric(z), 0),
               row.names = NULL, stringsAsFactors = FALSE)
}

summary.xfcast <- function(object, ...) {
    i <- .Call(rxf_info, object$ptr)
    structure(list(method = .xf_method(object), info = i, candidates = .xf_candidates(i),
                   coverage = .xf_coverage(i)), class = "summary.xfcast")
}

print.summary.xfcast <- function(x, ...) {
    cat(x$method, "\n\n", sep = "")
    cat(x$info$description, "\n", sep = "")
    if (!is.null(x$candidates)) {
        cat("\nCandidates (held-out score, lower is better):\n")
        print(x$candidates, row.names = FALSE)
    }
    if (length(x$coverage)) {
        cat("\nHeld-out interval coverage:\n")
        print(data.frame(level = paste0(names(x$coverage), "%"),
                         coverage = sprintf("%.1f%%", x$coverage)), row.names = FALSE)
    }
    invisible(x)
}

print.xfcast_forecast <- function(x, ...) {
    cat(x$method, "\n", sep = "")
    print(as.data.frame.xfcast_forecast(x), row.names = FALSE)
    invisible(x)
}

as.data.frame.xfcast_forecast <- function(x, ...) {
    df <- data.frame(step = seq_along(x$mean))
    if (!is.null(x$time)) df$time <- x$time
    df$mean <- as.numeric(x$mean)
    for (l in seq_along(x$level)) {
        df[[paste0("lo", x$level[l])]] <- as.numeric(x$lower[, l])
        df[[paste0("hi", x$level[l])]] <- as.numeric(x$upper[, l])
    }
    df
}

as.data.frame.xfcast_forecasts <- function(x, ...) {
    do.call(rbind, lapply(names(x), function(i) cbind(id = i, as.data.frame.xfcast_forecast(x[[i]]))))
}

print.xfcast_forecasts <- function(x, ...) {
    cat(length(x), "series forecast by", x[[1]]$method, "\n")
    print(utils::head(as.data.frame.xfcast_forecasts(x), 20), row.names = FALSE)
    invisible(x)
}

plot.xfcast_forecast <- function(x, ...) {
    n <- length(x$x)
    tt <- stats::time(x$x)
    tf <- stats::time(x$mean)
    L <- length(x$level)
    graphics::plot(c(tt, tf), c(x$x, rep(NA, length(tf))), type = "l",
                   ylim = range(c(x$x, x$lower, x$upper), na.rm = TRUE),
                   xlab = "Time", ylab = "", main = paste("Forecasts from", x$method), ...)
    for (l in rev(seq_len(L)))
        graphics::polygon(c(tf, rev(tf)), c(x$lower[, l], rev(x$upper[, l])),
                          col = grDevices::gray(0.6 + 0.3 * (l - 1) / max(L, 1)), border = NA)
    graphics::lines(tf, x$mean, col = "blue", lwd = 2)
    invisible(x)
}
