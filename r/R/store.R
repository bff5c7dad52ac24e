# store.R - backtests, the model store and retraining from R.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.

# Backtest: fit on the data before `test_start` (a 0-based value index per
# series), forecast every `stride` steps after it, and score.
xfcast_backtest <- function(y, h = NULL, test_start, domain = "generic",
                            encoders = c("gru-base", "tcn-base"), level = c(80, 95),
                            xreg = NULL, time = NULL, stride = NULL, zero_shot = FALSE, ...) {
    info <- .xf_data(y, time, xreg)
    if (missing(test_start) || length(test_start) != 1 || !is.numeric(test_start))
        .xf_stop("test_start (the 0-based index of the first test value) is required",
                 "XF_EINVAL")
    opts <- c(domain = domain, .xf_opts(list(...)))
    if (!is.null(info$season) && !"season" %in% names(opts))
        opts <- c(opts, season = as.character(info$season))
    r <- .Call(rxf_backtest, .xf_panel_spec(info), opts, .xf_level(level),
               if (is.null(h)) NA_integer_ else as.integer(h),
               .xf_encoder_paths(if (zero_shot) encoders[1] else encoders),
               !missing(encoders) || zero_shot, as.numeric(test_start),
               if (is.null(stride)) NA_integer_ else as.integer(stride), isTRUE(zero_shot))
    rows <- r$rows
    df <- data.frame(id = rows$id, stringsAsFactors = FALSE)
    has_t <- !is.null(info$times)
    df$origin <- if (has_t) .xf_as_time(rows$origin, info$times) else rows$origin
    df$step <- as.integer(rows$step)
    df$time <- if (has_t) .xf_as_time(rows$time, info$times) else rows$time
    df$actual <- rows$actual
    df$mean <- rows$mean
    for (l in seq_along(r$level)) {
        df[[paste0("lo", r$level[l])]] <- rows$lower[, l]
        df[[paste0("hi", r$level[l])]] <- rows$upper[, l]
    }
    m <- as.data.frame(r$metrics)
    names(m) <- c("mae", "rmse", "smape", "mase", "n", paste0("coverage", r$level))
    m <- cbind(method = c("xfcast", "naive", "snaive"), m)
    attr(df, "metrics") <- m
    attr(df, "season") <- r$season
    df
}

# A model store (the directory `xfcast retrain` and `xfcast store` use).
xfcast_store <- function(path) {
    path <- path.expand(path)
    s <- list(path = path)
    s$list <- function() {
        r <- .Call(rxf_store_list, path)
        data.frame(name = r[[1]], current = r[[2]], pinned = r[[3]],
                   stringsAsFactors = FALSE)
    }
    s$load <- function(name, version = 0, encoders = NULL) {
        ptr <- .xf_attach(.Call(rxf_store_load, path, name, as.numeric(version)), encoders)
        structure(list(ptr = ptr, data = NULL, opts = character(0), seen = NULL,
                       call = sys.call()), class = "xfcast")
    }
    s$forecast <- function(name, y, h = NULL, xreg = NULL, time = NULL, level = NULL,
                           version = 0) {
        fit <- s$load(name, version)
        forecast.xfcast(fit, h = h, level = level,
                        newdata = list(y = y, time = time, xreg = NULL), xreg = xreg)
    }
    s$rollback <- function(name, version = 0)
        invisible(.Call(rxf_store_rollback, path, name, as.numeric(version)))
    structure(s, class = "xfcast_store")
}

print.xfcast_store <- function(x, ...) {
    cat("xfcast model store at", x$path, "\n")
    if (dir.exists(x$path)) print(x$list(), row.names = FALSE)
    invisible(x)
}

# Retrain the sources of an INI configuration into a store (as `xfcast
# retrain --config CONFIG --store STORE`).
xfcast_retrain <- function(config, store, force = FALSE, dry_run = FALSE) {
    if (inherits(store, "xfcast_store"))
        store <- store$path
    config <- path.expand(config)
    src <- .Call(rxf_sources, config)
    paths <- lapply(src[[2]], function(e) .xf_encoder_paths(trimws(strsplit(e, ",")[[1]])))
    r <- .Call(rxf_retrain, config, path.expand(store), paths, isTRUE(force), isTRUE(dry_run))
    as.data.frame(r, stringsAsFactors = FALSE)
}
