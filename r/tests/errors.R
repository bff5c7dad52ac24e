# errors.R - bad input is an R condition of class xfcast_error carrying
# libxfcast's message: an all-NA series, h beyond the head's horizon, xreg
# of the wrong width, a model option the option table does not know or a
# value it refuses.  Runs without encoders (encoders = "none").
library(xfcast)

expect_xf_error <- function(expr, pattern) {
    e <- tryCatch({ expr; NULL }, error = function(e) e)
    if (is.null(e))
        stop("no error; expected one matching '", pattern, "'")
    if (!inherits(e, "xfcast_error"))
        stop("error of class ", paste(class(e), collapse = "/"), ", not xfcast_error: ",
             conditionMessage(e))
    if (!grepl(pattern, conditionMessage(e)))
        stop("message '", conditionMessage(e), "' does not match '", pattern, "'")
    cat("errors.R: ", conditionMessage(e), "\n", sep = "")
}

set.seed(1)
y <- ts(10 + sin(2 * pi * (1:600) / 24) + rnorm(600, sd = 0.1), frequency = 24)
attr(y, "xfcast_start") <- as.POSIXct("2024-01-01", tz = "UTC")
x <- cbind(temp = rnorm(600))

na <- ts(rep(NA_real_, 300), frequency = 24)
attr(na, "xfcast_start") <- attr(y, "xfcast_start")
expect_xf_error(xfcast(na, h = 6, encoders = "none"), "too little data")
fit <- xfcast(y, h = 6, encoders = "none", xreg = x)
stopifnot(inherits(fit, "xfcast"))
expect_xf_error(forecast(fit, h = 12, xreg = cbind(temp = rnorm(12))), "horizon")
expect_xf_error(forecast(fit, h = 6, xreg = cbind(rnorm(6), rnorm(6))),
                "xreg has 2 columns; the head was fitted with 1")
expect_xf_error(forecast(fit, h = 6), "covariate 'temp' has no value at forecast step 1")
expect_xf_error(xfcast(y, h = 6, encoders = "none", lagz = 3), "unknown option 'lagz'")
expect_xf_error(xfcast(y, h = 6, encoders = "none", lags = -3), "lags -3 is below the minimum 0")
expect_xf_error(xfcast(y, h = 6, encoders = "none", level = c(80, 120)), "120")
expect_xf_error(xfcast(y, h = 6, encoders = "no-such-encoder"), "not found")
expect_xf_error(xfcast_load(tempfile(fileext = ".xfm")), ".")
expect_xf_error(xfcast(y, h = 6, encoders = "none", delimiter = ";"), "does not apply")

# a good forecast with the right xreg
fc <- forecast(fit, h = 6, xreg = cbind(temp = rnorm(6)))
stopifnot(length(fc$mean) == 6, all(is.finite(fc$mean)), all(fc$lower[, 1] <= fc$mean),
          all(fc$mean <= fc$upper[, 1]), all(fc$lower[, 2] <= fc$lower[, 1]))
cat("errors.R: ok\n")
