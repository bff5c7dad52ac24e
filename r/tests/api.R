# api.R - save/load, exact update, backtest, zero-shot, the options table,
# print/summary, a model store with retrain, list, forecast and rollback;
# and, when the forecast package is installed, accuracy(), autoplot() and
# plot() on xfcast's forecasts.
library(xfcast)
src <- Sys.getenv("XF_SRCDIR")
if (!nzchar(Sys.getenv("XFCAST_MODELS")) && nzchar(src))
    Sys.setenv(XFCAST_MODELS = file.path(src, "models"))
have_encoders <- any(file.exists(file.path(xfcast_model_dirs(), "gru-base.xfm")))

set.seed(2)
n <- 700
y <- ts(50 + 5 * sin(2 * pi * (1:n) / 24) + cumsum(rnorm(n, sd = 0.2)), frequency = 24)
attr(y, "xfcast_start") <- as.POSIXct("2024-01-01", tz = "UTC")
train <- window(y, end = c(27, 24))
attr(train, "xfcast_start") <- attr(y, "xfcast_start") # window() drops it
test <- window(y, start = c(28, 1), end = c(28, 24))

fit <- xfcast(train, h = 24, encoders = "none", lags = 48)
out <- capture.output(print(fit), s <- summary(fit), print(s))
stopifnot(any(grepl("horizon 24", out)), any(grepl("coverage", out)),
          is.data.frame(s$candidates), nrow(s$candidates) >= 1, length(s$coverage) == 2)
fc <- forecast(fit, h = 24)
stopifnot(inherits(fc, "forecast"), length(fc$mean) == 24, identical(fc$level, c(80, 95)),
          abs(tsp(fc$mean)[1] - tsp(test)[1]) < 1e-9, inherits(fc$time, "POSIXct"),
          identical(format(fc$time[1], "%Y-%m-%d %H:%M", tz = "UTC"), "2024-01-28 00:00"))
fc90 <- forecast(fit, h = 12, level = 90)
stopifnot(identical(fc90$level, 90), ncol(fc90$upper) == 1,
          identical(forecast(fit, h = 12)$level, c(80, 95))) # the head keeps its levels

# save and load: the same forecasts
f <- tempfile(fileext = ".xfm")
xfcast_save(fit, f)
g <- xfcast_load(f, train)
stopifnot(isTRUE(all.equal(as.numeric(forecast(g, h = 24)$mean), as.numeric(fc$mean),
                           tolerance = 1e-12)))

# exact update: origins added, forecasts from the grown series' end
u <- xfcast_update(fit, as.numeric(test))
stopifnot(attr(u, "origins_added") == 24, u$seen == length(train) + 24)
fu <- forecast(u, h = 6)
stopifnot(abs(tsp(fu$mean)[1] - (tsp(test)[2] + 1 / 24)) < 1e-9, all(is.finite(fu$mean)))

# a data frame of two series: one global head, updated with new rows
tm <- seq(as.POSIXct("2024-01-01", tz = "UTC"), by = "hour", length.out = 400)
df <- rbind(data.frame(id = "a", time = tm, value = as.numeric(y)[1:400]),
            data.frame(id = "b", time = tm, value = 2 * as.numeric(y)[1:400]))
fd <- xfcast(df[df$time < tm[351], ], h = 12, encoders = "none", lags = 48)
stopifnot(identical(fd$seen, c(a = 350, b = 350)))
fdf <- forecast(fd)
stopifnot(inherits(fdf, "xfcast_forecasts"), identical(names(fdf), c("a", "b")),
          nrow(as.data.frame(fdf)) == 24)
fd2 <- xfcast_update(fd, df[df$time >= tm[351], ])
stopifnot(attr(fd2, "origins_added") == 100, identical(fd2$seen, c(a = 400, b = 400)),
          identical(fd$seen, c(a = 350, b = 350)))
stopifnot(forecast(fd2)$a$time[1] == tm[400] + 3600)

# backtest: a data frame of forecasts with actuals, metrics attached
bt <- xfcast_backtest(y, h = 24, test_start = 600, encoders = "none", lags = 48)
m <- attr(bt, "metrics")
stopifnot(is.data.frame(bt), all(c("id", "origin", "step", "time", "actual", "mean", "lo80",
                                   "hi95") %in% names(bt)),
          nrow(bt) == 4 * 24, all(bt$step %in% 1:24), identical(m$method[1], "xfcast"),
          all(is.finite(m$mase)))

# the option table
o <- xfcast_options()
stopifnot(all(c("lags", "season", "baseline", "gaps") %in% o$name))

# zero-shot (needs the bundled encoders)
if (have_encoders) {
    z <- xfcast_zero_shot(train, h = 12)
    stopifnot(inherits(z, "forecast"), length(z$mean) == 12, grepl("zero-shot", z$method))
} else cat("api.R: zero-shot skipped (no encoders found)\n")

# a store: retrain from an INI configuration, list, forecast, rollback
dir <- tempfile("xf_store")
dir.create(dir)
csv <- file.path(dir, "load.csv")
write_data <- function(k)
    utils::write.csv(data.frame(timestamp = format(seq(as.POSIXct("2024-01-01", tz = "UTC"),
                                                       by = "hour", length.out = k),
                                                   "%Y-%m-%dT%H:%M:%SZ"),
                                load = as.numeric(y)[seq_len(k)]), csv, row.names = FALSE)
write_data(600)
cfg <- file.path(dir, "sources.conf")
writeLines(c("[load]", "csv = load.csv", "horizon = 24", "lags = 48", "encoder = none"), cfg)
st <- xfcast_store(file.path(dir, "store"))
r1 <- xfcast_retrain(cfg, st)
stopifnot(identical(r1$outcome, "promoted"), r1$version == 1)
write_data(650)
r2 <- xfcast_retrain(cfg, st)
stopifnot(identical(r2$outcome, "updated"), r2$version == 2)
l <- st$list()
stopifnot(identical(l$name, "load"), l$current == 2)
sf <- st$forecast("load", window(y, end = c(28, 2)), h = 24,
                  time = attr(y, "xfcast_start"))
stopifnot(inherits(sf, "forecast"), length(sf$mean) == 24)
stopifnot(st$rollback("load") == 1, st$list()$current == 1, st$list()$pinned == 1)
unlink(dir, recursive = TRUE)

# the bundled taylor_ts: its start time gives timestamps
stopifnot(length(taylor_ts) == 4032, frequency(taylor_ts) == 336,
          inherits(attr(taylor_ts, "xfcast_start"), "POSIXct"))
w <- tryCatch(xfcast:::.xf_data(window(taylor_ts, end = c(2, 1))), warning = function(w) w)
stopifnot(inherits(w, "warning"), grepl("no start time", conditionMessage(w)))

# the forecast package: accuracy(), autoplot(), plot()
if (requireNamespace("forecast", quietly = TRUE)) {
    a <- forecast::accuracy(fc, test)
    stopifnot(is.matrix(a), "Test set" %in% rownames(a), all(is.finite(a["Test set", "MAE"])))
    fc2 <- forecast::forecast(fit, h = 24) # the forecast package's generic dispatches here
    stopifnot(isTRUE(all.equal(fc2$mean, fc$mean)))
    if (requireNamespace("ggplot2", quietly = TRUE)) {
        p <- ggplot2::autoplot(fc)
        stopifnot(inherits(p, "ggplot"))
        grDevices::pdf(NULL)
        print(p)
        grDevices::dev.off()
    }
    grDevices::pdf(NULL)
    plot(fc)
    grDevices::dev.off()
    cat("api.R: accuracy(), autoplot() and plot() accept the forecast\n")
} else {
    cat("api.R: forecast package not installed: accuracy()/autoplot() checks skipped\n")
    grDevices::pdf(NULL)
    plot(fc)
    grDevices::dev.off()
}
cat("api.R: ok\n")
