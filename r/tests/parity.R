# parity.R - on the bundled datasets, the R package's forecasts are the
# CLI's: a head fitted in R forecasts what `xfcast fit` + `xfcast forecast
# DATA --head H` print, and a head fitted by the CLI, loaded in R,
# forecasts the same from the same data.  Needs the xfcast source tree
# (XF_SRCDIR) and the CLI (XFCAST), as make check gives them; skipped
# without.
library(xfcast)
src <- Sys.getenv("XF_SRCDIR")
cli <- Sys.getenv("XFCAST")
if (!nzchar(src) || !nzchar(cli) || !file.exists(cli)) {
    cat("parity.R: skipped (XF_SRCDIR and XFCAST not set)\n")
    quit(save = "no")
}
if (!nzchar(Sys.getenv("XFCAST_MODELS")))
    Sys.setenv(XFCAST_MODELS = file.path(src, "models"))
tmp <- tempfile("xf_parity")
dir.create(tmp)

run_cli <- function(args) {
    out <- system2(cli, args, stdout = TRUE, stderr = FALSE)
    st <- attr(out, "status")
    if (!is.null(st) && st != 0)
        stop("xfcast ", paste(args, collapse = " "), " exited ", st)
    if (length(out) == 0) NULL else utils::read.csv(text = out, stringsAsFactors = FALSE)
}

same <- function(r, c, what) {
    rel <- max(abs(r - c) / pmax(abs(c), 1e-300))
    if (!(rel < 1e-9))
        stop(sprintf("%s: R and the CLI differ (max relative difference %g)", what, rel))
    cat(sprintf("parity.R: %s: %d values agree (max relative difference %.2g)\n", what,
                length(c), rel))
}

check <- function(name, fc_r, csv, fit_args) {
    head <- file.path(tmp, paste0(name, ".xfm"))
    run_cli(c("fit", csv, "-o", head, "-q", fit_args))
    c1 <- run_cli(c("forecast", csv, "--head", head, "-q"))
    r <- if (inherits(fc_r, "forecast")) as.data.frame(fc_r) else as.data.frame(fc_r)
    same(r$mean, c1$mean, paste(name, "mean"))
    same(c(r$lo80, r$hi80, r$lo95, r$hi95), c(c1$lo80, c1$hi80, c1$lo95, c1$hi95),
         paste(name, "intervals"))
    if (!is.null(r$time))
        stopifnot(identical(format(r$time[1], "%Y-%m-%d"), substr(c1$timestamp[1], 1, 10)))
    head
}

# The values are read with xfcast_read_csv() (libxfcast's reader) so that R
# has the very doubles the CLI reads (R's read.csv() may round decimal text
# one ulp away); the CLI prints 10 significant digits.
read_xf <- function(f, ...) xfcast_read_csv(file.path(src, "datasets", f), ...)

# 1. taylor: a half-hourly msts (frequency 336) with its start time
d <- read_xf("taylor-halfhourly.csv")
d$demand <- d$value
taylor <- ts(d$demand, frequency = 336)
attr(taylor, "xfcast_start") <- as.POSIXct("2000-06-05", tz = "UTC")
fit <- xfcast(taylor, h = 48)
fc <- forecast(fit, h = 48)
stopifnot(inherits(fc, "forecast"), length(fc$mean) == 48, frequency(fc$mean) == 336,
          abs(tsp(fc$mean)[1] - (tsp(taylor)[2] + 1 / 336)) < 1e-9)
head <- check("taylor", fc, file.path(src, "datasets", "taylor-halfhourly.csv"),
              c("--horizon", "48", "--domain", "generic"))
# the CLI's head loaded in R forecasts the same
g <- xfcast_load(head, taylor)
stopifnot(isTRUE(all.equal(as.numeric(forecast(g, h = 48)$mean), as.numeric(fc$mean),
                           tolerance = 1e-12)))
cat("parity.R: taylor: the CLI's head loaded in R forecasts the same\n")

# 2. S&P 500 closes: a numeric vector with business-day dates, stock domain
s <- read_xf("sp500-2000.csv", target = "close")
fit <- xfcast(s$value, domain = "stock", time = s$time)
fc <- forecast(fit)
invisible(check("sp500", fc, file.path(src, "datasets", "sp500-2000.csv"),
      c("--domain", "stock", "--target", "close")))

# 3. Seattle weather: a data frame with id, time and value columns (two
# series, one global head), daily
long <- read_xf("seattle-weather.csv", target = "temp_max,temp_min")
stopifnot(inherits(long$time, "Date"))
fit <- xfcast(long, domain = "weather")
fc <- forecast(fit)
stopifnot(inherits(fc, "xfcast_forecasts"), identical(names(fc), c("temp_max", "temp_min")),
          inherits(fc[["temp_max"]], "forecast"))
invisible(check("seattle", fc, file.path(src, "datasets", "seattle-weather.csv"),
      c("--domain", "weather", "--target", "temp_max,temp_min")))
unlink(tmp, recursive = TRUE)
cat("parity.R: ok\n")
