#!/bin/sh
# Writes datasets/holidays/nyse.csv and datasets/holidays/england-wales.csv
# (or the same names under $1): every date from the published rules for
# 2000-2026, plus the special one-off dates listed below with their reason.
# Needs only a POSIX sh and awk. Format: header "date,name", one YYYY-MM-DD
# date and a name per line, sorted by date.
set -eu
out=${1:-$(dirname "$0")/holidays}
mkdir -p "$out"
awk -v out="$out" '
function dn(y, m, d,   a, yy, mm) { # days since 1970-01-01 (proleptic Gregorian)
  a = (m <= 2); yy = y - a; mm = m + 12 * a - 3
  return 365 * yy + int(yy / 4) - int(yy / 100) + int(yy / 400) + int((153 * mm + 2) / 5) + d - 719469
}
function wd(n) { return ((n % 7) + 7 + 4) % 7 }   # 0 = Sunday
function ymd(n,   z, era, doe, yoe, y, doy, mp, d, m) {
  z = n + 719468; era = int(z / 146097); doe = z - era * 146097
  yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
  y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
  mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
  m = mp < 10 ? mp + 3 : mp - 9
  return sprintf("%04d-%02d-%02d", y + (m <= 2), m, d)
}
function nth(y, m, w, k,   n) { n = dn(y, m, 1); n += (w - wd(n) + 7) % 7; return n + 7 * (k - 1) }
function last(y, m, w,   n) { n = dn(y, m + 1, 1) - 1; if (m == 12) n = dn(y, 12, 31); return n - (wd(n) - w + 7) % 7 }
function easter(y,   a, b, c, d, e, f, g, h, i, k, l, mm, m, dd) { # Anonymous Gregorian algorithm
  a = y % 19; b = int(y / 100); c = y % 100; d = int(b / 4); e = b % 4; f = int((b + 8) / 25)
  g = int((b - f + 1) / 3); h = (19 * a + b - d - g + 15) % 30; i = int(c / 4); k = c % 4
  l = (32 + 2 * e + 2 * i - h - k) % 7; mm = int((a + 11 * h + 22 * l) / 451)
  m = int((h + l - 7 * mm + 114) / 31); dd = (h + l - 7 * mm + 114) % 31 + 1
  return dn(y, m, dd)
}
function us_obs(n) { return wd(n) == 6 ? n - 1 : (wd(n) == 0 ? n + 1 : n) } # Sat -> Fri, Sun -> Mon
function add(f, n, name) { L[f, n] = name }
BEGIN {
  for (y = 2000; y <= 2026; y++) {
    # NYSE (Rule 7.2): a holiday on Saturday is observed on the Friday before,
    # except New Year Day (no closure on the Friday, 31 December); one on
    # Sunday on the Monday after.
    n = dn(y, 1, 1); if (wd(n) == 0) n++; if (wd(n) != 6) add("nyse", n, "New Year'"'"'s Day")
    add("nyse", nth(y, 1, 1, 3), "Martin Luther King Jr. Day")        # since 1998
    add("nyse", nth(y, 2, 1, 3), "Washington'"'"'s Birthday")
    add("nyse", easter(y) - 2, "Good Friday")
    add("nyse", last(y, 5, 1), "Memorial Day")
    if (y >= 2022) add("nyse", us_obs(dn(y, 6, 19)), "Juneteenth")
    add("nyse", us_obs(dn(y, 7, 4)), "Independence Day")
    add("nyse", nth(y, 9, 1, 1), "Labor Day")
    add("nyse", nth(y, 11, 4, 4), "Thanksgiving Day")
    add("nyse", us_obs(dn(y, 12, 25)), "Christmas Day")
    # England and Wales (Banking and Financial Dealings Act 1971 and the
    # yearly royal proclamations): a holiday on a weekend moves to the next
    # free weekday.
    n = dn(y, 1, 1); n += (wd(n) == 6) ? 2 : (wd(n) == 0); add("ew", n, "New Year'"'"'s Day")
    add("ew", easter(y) - 2, "Good Friday"); add("ew", easter(y) + 1, "Easter Monday")
    if (y != 2020) add("ew", nth(y, 5, 1, 1), "Early May bank holiday")
    if (y != 2002 && y != 2012 && y != 2022) add("ew", last(y, 5, 1), "Spring bank holiday")
    add("ew", last(y, 8, 1), "Summer bank holiday")
    c = dn(y, 12, 25); b = c + 1
    if (wd(c) == 6) { c += 2; b += 2 } else if (wd(c) == 0) { c += 2 } else if (wd(c) == 5) { b += 2 }
    add("ew", c, "Christmas Day"); add("ew", b, "Boxing Day")
  }
  # Special NYSE full-day closures.
  for (d = 11; d <= 14; d++) add("nyse", dn(2001, 9, d), "closed after the 11 September attacks")
  add("nyse", dn(2004, 6, 11), "National Day of Mourning for Ronald Reagan")
  add("nyse", dn(2007, 1, 2), "National Day of Mourning for Gerald Ford")
  add("nyse", dn(2012, 10, 29), "Hurricane Sandy"); add("nyse", dn(2012, 10, 30), "Hurricane Sandy")
  add("nyse", dn(2018, 12, 5), "National Day of Mourning for George H. W. Bush")
  add("nyse", dn(2025, 1, 9), "National Day of Mourning for Jimmy Carter")
  # Special England and Wales bank holidays (royal proclamations).
  add("ew", dn(2002, 6, 3), "Golden Jubilee of Elizabeth II")
  add("ew", dn(2002, 6, 4), "Spring bank holiday (moved for the Golden Jubilee)")
  add("ew", dn(2011, 4, 29), "Wedding of Prince William and Catherine Middleton")
  add("ew", dn(2012, 6, 4), "Spring bank holiday (moved for the Diamond Jubilee)")
  add("ew", dn(2012, 6, 5), "Diamond Jubilee of Elizabeth II")
  add("ew", dn(2020, 5, 8), "Early May bank holiday (moved for VE Day 75)")
  add("ew", dn(2022, 6, 2), "Spring bank holiday (moved for the Platinum Jubilee)")
  add("ew", dn(2022, 6, 3), "Platinum Jubilee of Elizabeth II")
  add("ew", dn(2022, 9, 19), "State Funeral of Elizabeth II")
  add("ew", dn(2023, 5, 8), "Coronation of Charles III")
  lo = dn(2000, 1, 1); hi = dn(2026, 12, 31)
  split("nyse ew", F, " "); split("nyse.csv england-wales.csv", N, " ")
  for (i = 1; i <= 2; i++) {
    path = out "/" N[i]; print "date,name" > path
    for (n = lo; n <= hi; n++) if ((F[i], n) in L) print ymd(n) "," L[F[i], n] > path
    close(path)
  }
}'
