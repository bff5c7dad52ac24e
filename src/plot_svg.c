/* plot_svg.c - forecast plots rendered as SVG (xfcast/plot.h).
 *
 * The picture is laid out top to bottom: title, legend (wrapped into rows),
 * plot area, x tick labels.  The y tick labels decide the left margin, so
 * they are computed before the x ticks, whose number depends on the plot
 * width.  The x labels take one line (dates) or two (times of day, with the
 * date under the first tick and wherever the date changes): the layout is
 * made for two lines, and made again for one when the ticks are dates.
 *
 * Text widths are estimated from per-character advances of common
 * sans-serif fonts; titles and axis labels that would not fit are cut and
 * end with "...".
 *
 * Numbers reach the document only through the formatters below: pixel
 * coordinates are rounded to 0.1 and written with integer arithmetic, and
 * tick labels pass through snprintf and then have whatever the locale uses
 * as decimal point replaced by '.', so the output is the same bytes in every
 * locale.  All values drawn lie inside the axis ranges by construction, so
 * no coordinate can be NaN or infinite.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "xfcast/plot.h"
#include "xf_internal.h"

#define PLOT_MIN_SIZE 100
#define PLOT_MAX_SIZE 10000
#define PLOT_YEAR_MIN (-99999) /* the years xf_time_from_civil accepts */
#define PLOT_YEAR_MAX 99999

#define FONT_PX 11.0         /* tick labels and legend */
#define TITLE_PX 14.0        /* title */
#define LEGEND_ROW_H 16.0    /* height of one legend row */
#define BOTTOM_MARGIN_2 44.0 /* below the plot, for two lines of x labels */
#define BOTTOM_MARGIN_1 30.0 /* ... for one line */
#define RIGHT_MARGIN 24.0    /* right of the plot, in pictures 300 pixels wide or more */
#define X_TICK_SPACING 90.0  /* pixels per x tick at least, so that dates fit */
#define Y_TICK_SPACING 45.0  /* pixels per y tick at least */
#define MAX_TICKS 10         /* most ticks on the time axis */
#define BAND_OPACITY 0.18    /* each band; nested bands add up, so narrower ones look darker */

#define COLOR_TEXT "#333333"
#define COLOR_AXIS "#555555"
#define COLOR_GRID "#e6e6e6"
#define COLOR_HISTORY "#333333"
#define COLOR_FORECAST "#1f77b4"
#define COLOR_ACTUAL "#d62728"
#define COLOR_ORIGIN "#888888"

/* ------------------------------------------------------------ output buffer */

/* A growing NUL-terminated string; after a failed allocation `oom` is set and
 * further writes are ignored, so that rendering code checks once at the end. */
typedef struct sbuf {
    char *p;    /* text, NUL-terminated once anything was written */
    size_t len; /* bytes used, without the NUL */
    size_t cap; /* bytes allocated */
    int oom;    /* an allocation failed */
} sbuf;

static void sb_putn(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (n > SIZE_MAX - 1 - b->len || xf__grow((void **)&b->p, &b->cap, b->len + n + 1, 1) != 0) {
        b->oom = 1;
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

static void sb_int(sbuf *b, long long v)
{
    char tmp[32];
    int k = snprintf(tmp, sizeof tmp, "%lld", v);
    sb_putn(b, tmp, (size_t)k);
}

/* v rounded to `dec` (0..3) decimals, without trailing zeros; |v| is kept
 * below 1e7, far outside any picture. */
static void sb_fixed(sbuf *b, double v, int dec)
{
    static const long long scale[4] = {1, 10, 100, 1000};
    char tmp[48];
    long long q, ip, fp;
    int k, digits = dec;
    if (!(v > -1e7))
        v = -1e7;
    if (!(v < 1e7))
        v = 1e7;
    q = llround(v * (double)scale[dec]);
    ip = llabs(q) / scale[dec];
    fp = llabs(q) % scale[dec];
    while (digits > 0 && fp % 10 == 0 && fp != 0) {
        fp /= 10;
        digits--;
    }
    if (fp == 0)
        k = snprintf(tmp, sizeof tmp, "%s%lld", q < 0 ? "-" : "", ip);
    else
        k = snprintf(tmp, sizeof tmp, "%s%lld.%0*lld", q < 0 ? "-" : "", ip, digits, fp);
    sb_putn(b, tmp, (size_t)k);
}

/* A pixel coordinate, to 0.1 pixel. */
static void sb_coord(sbuf *b, double v)
{
    sb_fixed(b, v, 1);
}

/* " name=\"v\"" with v a coordinate. */
static void sb_attr_coord(sbuf *b, const char *name, double v)
{
    sb_putn(b, " ", 1);
    sb_puts(b, name);
    sb_putn(b, "=\"", 2);
    sb_coord(b, v);
    sb_putn(b, "\"", 1);
}

/* ------------------------------------------------------------ text */

/* Decode the character at s (n > 0 bytes left) into *cp and return the
 * bytes it takes.  Anything that is not a character XML allows becomes
 * U+FFFD: a byte that starts no well-formed UTF-8 sequence (taking 1 byte),
 * or a complete sequence for a surrogate, U+FFFE or U+FFFF. */
static size_t utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
    uint32_t c = s[0], min;
    size_t len, i;
    *cp = 0xfffd;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        c &= 0x1f;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        c &= 0x0f;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        c &= 0x07;
        min = 0x10000;
    } else {
        return 1;
    }
    if (n < len)
        return 1;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 1;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff)
        return 1;
    if (!((c >= 0xd800 && c <= 0xdfff) || c == 0xfffe || c == 0xffff))
        *cp = c;
    return len;
}

/* Estimated advance of a character, in em, for common sans-serif fonts
 * (DejaVu Sans, Helvetica, Arial), rounded up so that texts fit. */
static double char_em(uint32_t cp)
{
    if (cp < 0x20 || cp == ' ')
        return 0.32;
    if (cp >= 0x80)
        return cp >= 0x2e80 ? 1.0 : 0.8; /* CJK and beyond are square */
    if (strchr("il.,:;'!|", (int)cp) != NULL)
        return 0.3;
    if (strchr("fjtrI()[]{}\"`/\\-", (int)cp) != NULL)
        return 0.42;
    if (strchr("mwMW@%", (int)cp) != NULL)
        return 0.95;
    if (cp >= 'A' && cp <= 'Z')
        return 0.75;
    return 0.62;
}

/* Estimated width in pixels of s at font size px, as sb_text writes it. */
static double text_width(const char *s, double px)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    double w = 0.0;
    uint32_t cp;
    while (i < n) {
        i += utf8_char(u + i, n - i, &cp);
        w += char_em(cp) * px;
    }
    return w;
}

/* Write s as XML character data (also safe inside a quoted attribute):
 * markup characters escaped, control characters as spaces, what is not a
 * character XML allows as U+FFFD.  A text estimated wider than max_px at
 * font size px is cut and ends with "...". */
static void sb_text(sbuf *b, const char *s, double max_px, double px)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    double limit = max_px, w = 0.0;
    uint32_t cp;
    if (text_width(s, px) > max_px)
        limit = max_px - 3.0 * char_em('.') * px;
    while (i < n) {
        size_t k = utf8_char(u + i, n - i, &cp);
        w += char_em(cp) * px;
        if (w > limit)
            break;
        if (cp == 0xfffd)
            sb_puts(b, "\xef\xbf\xbd");
        else if (cp < 0x20 || cp == 0x7f)
            sb_putn(b, " ", 1);
        else if (cp == '&')
            sb_puts(b, "&amp;");
        else if (cp == '<')
            sb_puts(b, "&lt;");
        else if (cp == '>')
            sb_puts(b, "&gt;");
        else if (cp == '"')
            sb_puts(b, "&quot;");
        else if (cp == '\'')
            sb_puts(b, "&apos;");
        else
            sb_putn(b, s + i, k);
        i += k;
    }
    if (i < n)
        sb_puts(b, "...");
}

/* Replace, in the output of snprintf's %f/%e, whatever the locale writes as
 * decimal point by '.' (in place). */
static void c_decimal_point(char *s)
{
    char *w = s;
    const char *r = s;
    while (*r != '\0') {
        if (strchr("0123456789+-eE", *r) != NULL) {
            *w++ = *r++;
        } else {
            *w++ = '.';
            while (*r != '\0' && strchr("0123456789+-eE", *r) == NULL)
                r++;
        }
    }
    *w = '\0';
}

/* Remove trailing zeros of a fraction (and a bare '.') from "12.500" or
 * "1.500e+07". */
static void trim_zeros(char *s)
{
    char *dot = strchr(s, '.'), *e, *end;
    size_t tail;
    if (dot == NULL)
        return;
    e = strpbrk(dot, "eE");
    end = e != NULL ? e : dot + strlen(dot);
    tail = strlen(end);
    while (end > dot + 1 && end[-1] == '0')
        end--;
    if (end == dot + 1)
        end = dot;
    memmove(end, e != NULL ? e : dot + strlen(dot), tail + 1);
}

/* A y tick value as text, with as many digits as the tick step needs. */
static void format_tick_value(char *buf, size_t n, double v, double step)
{
    double a = fabs(v);
    v += 0.0; /* -0 prints as 0 */
    if (a < 1e9 && step >= 1e-6) {
        int dec = (int)-floor(log10(step) + 1e-9);
        snprintf(buf, n, "%.*f", dec > 0 ? dec : 0, v);
    } else if (v == 0.0) {
        snprintf(buf, n, "0");
        return;
    } else {
        int prec = a > 0.0 ? (int)floor(log10(a / step) + 1e-9) + 1 : 0;
        prec = prec < 0 ? 0 : prec > 16 ? 16 : prec;
        snprintf(buf, n, "%.*e", prec, v);
    }
    c_decimal_point(buf);
    if (strpbrk(buf, "eE") != NULL)
        trim_zeros(buf);
}

/* An interval level as text: "80", "97.5". */
static void format_level(char *buf, size_t n, double level)
{
    snprintf(buf, n, "%.3f", level);
    c_decimal_point(buf);
    trim_zeros(buf);
}

/* ------------------------------------------------------------ time ticks */

typedef enum tick_kind {
    TK_SUBSEC, /* "hh:mm:ss.fff" over the date */
    TK_SEC,    /* "hh:mm:ss" over the date */
    TK_MIN,    /* "hh:mm" over the date (minutes and hours) */
    TK_DAY,    /* "YYYY-MM-DD" (days and weeks) */
    TK_MONTH,  /* "YYYY-MM" */
    TK_YEAR    /* "YYYY" */
} tick_kind;

#define US_SEC INT64_C(1000000)
#define US_MIN (60 * US_SEC)
#define US_HOUR (60 * US_MIN)
#define US_DAY XF_TIME_US_PER_DAY

/* Fixed tick steps, smallest first.  Steps up to a day are aligned on the
 * epoch (so on midnights); weeks on Mondays. */
static const int64_t fixed_steps[] = {
    1,           2,           5,           10,          20,          50,          100,
    200,         500,         1000,        2000,        5000,        10000,       20000,
    50000,       100000,      200000,      500000,      US_SEC,      2 * US_SEC,  5 * US_SEC,
    10 * US_SEC, 15 * US_SEC, 30 * US_SEC, US_MIN,      2 * US_MIN,  5 * US_MIN,  10 * US_MIN,
    15 * US_MIN, 30 * US_MIN, US_HOUR,     2 * US_HOUR, 3 * US_HOUR, 6 * US_HOUR, 12 * US_HOUR,
    US_DAY,      2 * US_DAY,  7 * US_DAY,  14 * US_DAY};
static const int32_t month_steps[] = {1, 2, 3, 6};
static const int32_t year_steps[] = {1, 2, 5}; /* times 10^k */
#define MONDAY_1970 (4 * US_DAY)               /* 1970-01-05 */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b != 0 && (a < 0) != (b < 0))
        q--;
    return q;
}

static int64_t ceil_div(int64_t a, int64_t b)
{
    return -floor_div(-a, b);
}

/* The chosen x ticks. */
typedef struct time_ticks {
    tick_kind kind;
    int64_t step;              /* microseconds (fixed kinds), months or years */
    size_t n;                  /* ticks */
    xf_time t[MAX_TICKS];      /* tick instants, increasing */
    char line1[MAX_TICKS][24]; /* first label line */
    char line2[MAX_TICKS][24]; /* second label line ("" = none) */
} time_ticks;

/* Month number of t counted from year 0 (January of year 0 = 0), and whether
 * t is exactly the start of that month. */
static int64_t month_index(xf_time t, int *at_start)
{
    xf_civil c;
    xf_time_to_civil(t, &c);
    *at_start = c.day == 1 && c.hour == 0 && c.minute == 0 && c.second == 0 && c.usec == 0;
    return (int64_t)c.year * 12 + c.month - 1;
}

static xf_time month_start(int64_t m, int *ok)
{
    xf_civil c;
    xf_time t = 0;
    memset(&c, 0, sizeof c);
    c.year = (int32_t)floor_div(m, 12);
    c.month = (int32_t)(m - floor_div(m, 12) * 12 + 1);
    c.day = 1;
    *ok = xf_time_from_civil(&c, &t) == XF_OK;
    return t;
}

/* ISO-8601 year: "2016", "0044", "-0044", "12345". */
static void format_year(char *buf, size_t n, int32_t year)
{
    snprintf(buf, n, "%s%04ld", year < 0 ? "-" : "", labs((long)year));
}

/* "2016-07-01", or "2016-07" without the day. */
static void format_date(char *buf, size_t n, const xf_civil *c, int with_day)
{
    char year[16];
    format_year(year, sizeof year, c->year);
    if (with_day)
        snprintf(buf, n, "%s-%02d-%02d", year, (int)c->month, (int)c->day);
    else
        snprintf(buf, n, "%s-%02d", year, (int)c->month);
}

/* Label the ticks for their kind. */
static void label_ticks(time_ticks *tk)
{
    size_t i;
    char prev_date[24] = "";
    int frac_digits = 6;
    int32_t usec_div = 1; /* 10^(6 - frac_digits) */
    int64_t s;
    for (s = tk->step; s >= 10 && frac_digits > 1; s /= 10) {
        frac_digits--;
        usec_div *= 10;
    }
    for (i = 0; i < tk->n; i++) {
        xf_civil c;
        char date[24];
        xf_time_to_civil(tk->t[i], &c);
        tk->line2[i][0] = '\0';
        switch (tk->kind) {
        case TK_YEAR:
            format_year(tk->line1[i], sizeof tk->line1[i], c.year);
            break;
        case TK_MONTH:
            format_date(tk->line1[i], sizeof tk->line1[i], &c, 0);
            break;
        case TK_DAY:
            format_date(tk->line1[i], sizeof tk->line1[i], &c, 1);
            break;
        default:
            if (tk->kind == TK_MIN)
                snprintf(tk->line1[i], sizeof tk->line1[i], "%02d:%02d", (int)c.hour,
                         (int)c.minute);
            else if (tk->kind == TK_SEC)
                snprintf(tk->line1[i], sizeof tk->line1[i], "%02d:%02d:%02d", (int)c.hour,
                         (int)c.minute, (int)c.second);
            else
                snprintf(tk->line1[i], sizeof tk->line1[i], "%02d:%02d:%02d.%0*d", (int)c.hour,
                         (int)c.minute, (int)c.second, frac_digits, (int)(c.usec / usec_div));
            format_date(date, sizeof date, &c, 1);
            if (strcmp(date, prev_date) != 0) {
                memcpy(tk->line2[i], date, sizeof date);
                memcpy(prev_date, date, sizeof date);
            }
            break;
        }
    }
}

/* One candidate tick step and the ticks it puts in [t0, t1]: tick j is at
 * unit (first + j) * step, a unit being a microsecond from `align`, a month
 * or a year. */
typedef struct tick_step {
    tick_kind kind;
    int64_t step;  /* microseconds, months or years */
    int64_t align; /* fixed steps: instant the ticks are multiples from */
    int64_t first; /* first tick, in steps */
    int64_t count; /* ticks in the range (may be 0) */
} tick_step;

#define N_FIXED_STEPS (sizeof fixed_steps / sizeof fixed_steps[0])
#define N_MONTH_STEPS (sizeof month_steps / sizeof month_steps[0])
#define N_YEAR_STEPS 19 /* 1, 2, 5 x 10^0 .. 10^6: at 10^6 years one tick at most */

/* Candidate i (0 .. N_FIXED_STEPS + N_MONTH_STEPS + N_YEAR_STEPS - 1), from
 * the smallest step to the largest. */
static void tick_candidate(size_t i, xf_time t0, xf_time t1, tick_step *c)
{
    int64_t lo, hi;
    int at_start, ignored;
    memset(c, 0, sizeof *c);
    if (i < N_FIXED_STEPS) {
        c->step = fixed_steps[i];
        c->align = c->step % (7 * US_DAY) == 0 ? MONDAY_1970 : 0;
        c->kind = c->step < US_SEC   ? TK_SUBSEC
                  : c->step < US_MIN ? TK_SEC
                  : c->step < US_DAY ? TK_MIN
                                     : TK_DAY;
        lo = t0 - c->align;
        hi = t1 - c->align;
    } else {
        /* Months from year 0, rounded up at t0 unless t0 starts a month. */
        lo = month_index(t0, &at_start);
        lo += !at_start;
        hi = month_index(t1, &ignored);
        i -= N_FIXED_STEPS;
        if (i < N_MONTH_STEPS) {
            c->kind = TK_MONTH;
            c->step = month_steps[i];
        } else {
            size_t k;
            i -= N_MONTH_STEPS;
            c->kind = TK_YEAR;
            c->step = year_steps[i % 3];
            for (k = i / 3; k > 0; k--)
                c->step *= 10;
            /* In years, rounded up unless lo is a January. */
            lo = ceil_div(lo, 12);
            hi = floor_div(hi, 12);
        }
    }
    c->first = ceil_div(lo, c->step);
    c->count = floor_div(hi, c->step) - c->first + 1;
    if (c->count < 0)
        c->count = 0;
}

/* Instant of tick j of c; 0 with *ok cleared where the calendar ends. */
static xf_time tick_time(const tick_step *c, int64_t j, int *ok)
{
    int64_t units = (c->first + j) * c->step;
    *ok = 1;
    if (c->kind == TK_MONTH)
        return month_start(units, ok);
    if (c->kind == TK_YEAR)
        return month_start(units * 12, ok);
    return c->align + units;
}

/* Choose the smallest step that gives at most max_ticks (>= 1) ticks in
 * [t0, t1] (t0 < t1), and place and label the ticks.  Should that step give
 * none (a short span between two calendar marks), every stride-th tick of
 * the previous, finer step is used instead, so that the axis is never bare. */
static void choose_time_ticks(xf_time t0, xf_time t1, size_t max_ticks, time_ticks *tk)
{
    const size_t n_cand = N_FIXED_STEPS + N_MONTH_STEPS + N_YEAR_STEPS;
    tick_step c, prev;
    int64_t j, stride = 1;
    size_t i;
    int ok;
    if (max_ticks > MAX_TICKS)
        max_ticks = MAX_TICKS;
    memset(tk, 0, sizeof *tk);
    memset(&prev, 0, sizeof prev);
    for (i = 0; i < n_cand; i++) {
        tick_candidate(i, t0, t1, &c);
        if (c.count <= (int64_t)max_ticks)
            break;
        prev = c;
    }
    if (c.count == 0 && prev.count > 0) {
        c = prev;
        stride = ceil_div(c.count, (int64_t)max_ticks);
    }
    tk->kind = c.kind;
    tk->step = c.step;
    for (j = 0; j < c.count && tk->n < max_ticks; j += stride) {
        xf_time t = tick_time(&c, j, &ok);
        if (ok)
            tk->t[tk->n++] = t;
    }
    label_ticks(tk);
}

/* ------------------------------------------------------------ layout */

/* The layout of one picture. */
typedef struct plot {
    const xf_plot_data *d;                   /* what is drawn (borrowed) */
    double w, h;                             /* picture size */
    double left, top;                        /* plot area origin */
    double pw, ph;                           /* plot area size */
    xf_time t0, t1;                          /* x axis range, t0 < t1 */
    double ymin, ymax;                       /* y axis range, ymin < ymax */
    double yhalf;                            /* ymax / 2 - ymin / 2 (never overflows) */
    size_t n_yticks;                         /* y ticks */
    double ytick[2 * MAX_TICKS + 2];         /* their values */
    char ylabel[2 * MAX_TICKS + 2][40];      /* their labels */
    time_ticks xt;                           /* x ticks */
    size_t order[XF_PLOT_MAX_LEVELS];        /* levels, widest first */
    char level_text[XF_PLOT_MAX_LEVELS][32]; /* "80", in the caller's order */
    int show_title;                          /* title drawn above the plot */
    size_t legend_rows;                      /* 0 = no legend */
} plot;

static double px_x(const plot *p, xf_time t)
{
    return p->left + (double)(t - p->t0) / (double)(p->t1 - p->t0) * p->pw;
}

static double px_y(const plot *p, double v)
{
    return p->top + (p->ymax / 2.0 - v / 2.0) / p->yhalf * p->ph;
}

/* 1, 2 or 5 times a power of ten, at least x (x > 0). */
static double nice_step(double x)
{
    double e = floor(log10(x)), f = x / pow(10.0, e), step;
    step = (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0) * pow(10.0, e);
    return isfinite(step) && step > 0.0 ? step : DBL_MAX;
}

/* The next 1, 2 or 5 times a power of ten below step. */
static double finer_step(double step)
{
    double e = floor(log10(step) + 1e-9), m = step / pow(10.0, e);
    return m > 4.5 ? 2.0 * pow(10.0, e) : m > 1.5 ? pow(10.0, e) : 5.0 * pow(10.0, e - 1.0);
}

static void include_values(const double *v, size_t n, double *lo, double *hi, size_t *n_finite)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (!isfinite(v[i]))
            continue;
        if (v[i] < *lo)
            *lo = v[i];
        if (v[i] > *hi)
            *hi = v[i];
        (*n_finite)++;
    }
}

/* The y range of all finite values; returns how many there are. */
static size_t value_range(const xf_plot_data *d, double *lo, double *hi)
{
    size_t n = 0, l;
    *lo = HUGE_VAL;
    *hi = -HUGE_VAL;
    if (d->n_history > 0)
        include_values(d->history_y, d->n_history, lo, hi, &n);
    if (d->n_forecast > 0) {
        include_values(d->mean, d->n_forecast, lo, hi, &n);
        if (d->actual != NULL)
            include_values(d->actual, d->n_forecast, lo, hi, &n);
        for (l = 0; l < d->n_levels; l++) {
            include_values(d->lo + l * d->n_forecast, d->n_forecast, lo, hi, &n);
            include_values(d->hi + l * d->n_forecast, d->n_forecast, lo, hi, &n);
        }
    }
    return n;
}

/* The y axis: the values' range padded by 5% on each side (a constant
 * series gets +-10% of its value, or +-1 around zero), and its ticks. */
static void layout_y(plot *p, double lo, double hi)
{
    double mid = lo / 2.0 + hi / 2.0, pad, step, k0, k1;
    size_t target, i;
    int tries;
    if (hi - lo < 1e-290 || hi - lo <= fmax(fabs(lo), fabs(hi)) * 1e-12) {
        pad = fabs(mid) * 0.1;
        if (!(pad >= 1e-290))
            pad = 1.0;
        p->ymin = mid - pad;
        p->ymax = mid + pad;
    } else {
        pad = (hi / 2.0 - lo / 2.0) * 0.1;
        p->ymin = lo - pad;
        p->ymax = hi + pad;
    }
    p->ymin = fmax(p->ymin, -DBL_MAX);
    p->ymax = fmin(p->ymax, DBL_MAX);
    p->yhalf = p->ymax / 2.0 - p->ymin / 2.0;

    target = (size_t)(p->ph / Y_TICK_SPACING);
    target = target < 2 ? 2 : target > MAX_TICKS ? MAX_TICKS : target;
    step = nice_step(p->yhalf / (double)target * 2.0);
    /* A step near the whole range can leave a single tick in it: refine
     * until there are two. */
    for (tries = 0; tries < 4; tries++) {
        k0 = ceil(p->ymin / step);
        k1 = floor(p->ymax / step);
        p->n_yticks = 0;
        /* k0 and k1 are small whole numbers relative to 2^53: the range is
         * at least 1e-12 of its magnitude wide, and step a fraction of it. */
        for (i = 0; i < sizeof p->ytick / sizeof p->ytick[0] && k0 + (double)i <= k1; i++) {
            double v = (k0 + (double)i) * step;
            if (v < p->ymin || v > p->ymax)
                continue;
            p->ytick[p->n_yticks] = v;
            format_tick_value(p->ylabel[p->n_yticks], sizeof p->ylabel[0], v, step);
            p->n_yticks++;
        }
        if (p->n_yticks >= 2)
            break;
        step = finer_step(step);
    }
}

/* Legend entries, in order, as texts; returns how many. */
static size_t legend_entries(const plot *p, const char *text[], char buf[][48], int kind[])
{
    const xf_plot_data *d = p->d;
    size_t n = 0, l;
    if (d->n_history > 0) {
        kind[n] = 0;
        text[n++] = "history";
    }
    if (d->n_forecast > 0) {
        kind[n] = 1;
        text[n++] = "forecast";
    }
    /* Narrowest level first, as the shading goes from dark to light. */
    for (l = d->n_levels; l-- > 0;) {
        snprintf(buf[l], 48, "%s%% interval", p->level_text[p->order[l]]);
        kind[n] = 3 + (int)p->order[l];
        text[n++] = buf[l];
    }
    if (d->actual != NULL && d->n_forecast > 0) {
        kind[n] = 2;
        text[n++] = "actual";
    }
    return n;
}

static double legend_entry_width(const char *text)
{
    return 18.0 + 5.0 + text_width(text, FONT_PX) + 16.0;
}

/* Rows the legend needs when wrapped at the picture width. */
static size_t legend_rows(const plot *p)
{
    const char *text[XF_PLOT_MAX_LEVELS + 3];
    char buf[XF_PLOT_MAX_LEVELS][48];
    int kind[XF_PLOT_MAX_LEVELS + 3];
    size_t n = legend_entries(p, text, buf, kind), i, rows = 1;
    double x = 10.0;
    for (i = 0; i < n; i++) {
        double ew = legend_entry_width(text[i]);
        if (x > 10.0 && x + ew > p->w - 10.0) {
            rows++;
            x = 10.0;
        }
        x += ew;
    }
    return rows;
}

static double top_margin(const plot *p)
{
    return (p->show_title ? 28.0 : 8.0) + (double)p->legend_rows * LEGEND_ROW_H + 8.0;
}

static void layout(plot *p, double lo, double hi)
{
    const xf_plot_data *d = p->d;
    double maxw = 0.0, right = p->w >= 300 ? RIGHT_MARGIN : 8.0;
    size_t i, j, max_xticks;
    int pass;

    /* x range: every timestamp; a single instant gets a day around it. */
    p->t0 = d->n_history > 0 ? d->history_t[0] : d->forecast_t[0];
    p->t1 = d->n_forecast > 0 ? d->forecast_t[d->n_forecast - 1] : d->history_t[d->n_history - 1];
    if (p->t0 == p->t1) {
        p->t0 -= US_DAY / 2;
        p->t1 += US_DAY / 2;
    }

    /* Levels, widest first (stable, so equal levels keep the caller's order). */
    for (i = 0; i < d->n_levels; i++) {
        format_level(p->level_text[i], sizeof p->level_text[i], d->levels[i]);
        for (j = i; j > 0 && d->levels[p->order[j - 1]] < d->levels[i]; j--)
            p->order[j] = p->order[j - 1];
        p->order[j] = i;
    }

    /* Vertical: title, legend, plot, x labels; drop the legend and then the
     * title when the picture is too short for them. */
    p->show_title = 1;
    p->legend_rows = legend_rows(p);
    if (p->h - top_margin(p) - BOTTOM_MARGIN_2 < 60.0)
        p->legend_rows = 0;
    if (p->h - top_margin(p) - BOTTOM_MARGIN_2 < 20.0)
        p->show_title = 0;
    p->top = top_margin(p);

    /* Room for two lines of x labels first; when the ticks turn out to be
     * dates (one line), lay out again with the smaller margin, and go back
     * should that change the ticks to times of day. */
    for (pass = 0; pass < 3; pass++) {
        double bottom = pass == 1 ? BOTTOM_MARGIN_1 : BOTTOM_MARGIN_2;
        p->ph = fmax(p->h - p->top - bottom, 10.0);

        /* The y labels decide the left margin. */
        layout_y(p, lo, hi);
        maxw = 0.0;
        for (i = 0; i < p->n_yticks; i++)
            maxw = fmax(maxw, text_width(p->ylabel[i], FONT_PX));
        p->left = fmin(8.0 + (d->y_label != NULL ? 18.0 : 0.0) + maxw + 8.0, p->w * 0.4);
        p->pw = fmax(p->w - p->left - right, 10.0);

        max_xticks = (size_t)(p->pw / X_TICK_SPACING);
        choose_time_ticks(p->t0, p->t1, max_xticks < 1 ? 1 : max_xticks, &p->xt);
        if ((pass == 0 && p->xt.kind < TK_DAY) || (pass == 1 && p->xt.kind >= TK_DAY))
            break;
    }
}

/* ------------------------------------------------------------ drawing */

/* A line through (t[i], y[i]), broken at missing values; an isolated point
 * becomes a zero-length segment, which round caps show as a dot.  When
 * `join` is set the line starts at (jx, jy). */
static void path_line(sbuf *b, const plot *p, const xf_time *t, const double *y, size_t n, int join,
                      double jx, double jy)
{
    size_t i, run = 0;
    if (join) {
        sb_putn(b, "M", 1);
        sb_coord(b, jx);
        sb_putn(b, " ", 1);
        sb_coord(b, jy);
        run = 1;
    }
    for (i = 0; i < n; i++) {
        if (!isfinite(y[i])) {
            if (run == 1)
                sb_puts(b, "h0");
            run = 0;
            continue;
        }
        sb_puts(b, run == 0 ? "M" : run == 1 ? "L" : " ");
        sb_coord(b, px_x(p, t[i]));
        sb_putn(b, " ", 1);
        sb_coord(b, px_y(p, y[i]));
        run++;
    }
    if (run == 1)
        sb_puts(b, "h0");
}

static void line_element(sbuf *b, const plot *p, const char *cls, const char *color,
                         const char *width, const xf_time *t, const double *y, size_t n, int join,
                         double jx, double jy)
{
    sb_puts(b, "<path class=\"");
    sb_puts(b, cls);
    sb_puts(b, "\" fill=\"none\" stroke=\"");
    sb_puts(b, color);
    sb_puts(b, "\" stroke-width=\"");
    sb_puts(b, width);
    sb_puts(b, "\" stroke-linejoin=\"round\" stroke-linecap=\"round\" d=\"");
    path_line(b, p, t, y, n, join, jx, jy);
    sb_puts(b, "\"/>\n");
}

/* One interval band: a closed outline over each run of steps where both
 * bounds are finite; a run of one step becomes a bar 6 pixels wide. */
static void band_element(sbuf *b, const plot *p, size_t level, double opacity)
{
    const xf_plot_data *d = p->d;
    const double *lo = d->lo + level * d->n_forecast, *hi = d->hi + level * d->n_forecast;
    size_t i = 0, a, k;
    sb_puts(b, "<path class=\"interval\" data-level=\"");
    sb_puts(b, p->level_text[level]);
    sb_puts(b, "\" fill=\"" COLOR_FORECAST "\" fill-opacity=\"");
    sb_fixed(b, opacity, 3);
    sb_puts(b, "\" stroke=\"none\" d=\"");
    while (i < d->n_forecast) {
        if (!isfinite(lo[i]) || !isfinite(hi[i])) {
            i++;
            continue;
        }
        a = i;
        while (i < d->n_forecast && isfinite(lo[i]) && isfinite(hi[i]))
            i++;
        if (i - a == 1) {
            double x = px_x(p, d->forecast_t[a]);
            sb_putn(b, "M", 1);
            sb_coord(b, x - 3.0);
            sb_putn(b, " ", 1);
            sb_coord(b, px_y(p, hi[a]));
            sb_putn(b, "H", 1);
            sb_coord(b, x + 3.0);
            sb_putn(b, "V", 1);
            sb_coord(b, px_y(p, lo[a]));
            sb_putn(b, "H", 1);
            sb_coord(b, x - 3.0);
            sb_putn(b, "Z", 1);
            continue;
        }
        for (k = a; k < i; k++) {
            sb_puts(b, k == a ? "M" : k == a + 1 ? "L" : " ");
            sb_coord(b, px_x(p, d->forecast_t[k]));
            sb_putn(b, " ", 1);
            sb_coord(b, px_y(p, hi[k]));
        }
        for (k = i; k-- > a;) {
            sb_putn(b, " ", 1);
            sb_coord(b, px_x(p, d->forecast_t[k]));
            sb_putn(b, " ", 1);
            sb_coord(b, px_y(p, lo[k]));
        }
        sb_putn(b, "Z", 1);
    }
    sb_puts(b, "\"/>\n");
}

/* <text x=".." y=".."[ extra]>escaped text</text> */
static void text_element(sbuf *b, double x, double y, const char *extra, const char *text)
{
    sb_puts(b, "<text");
    sb_attr_coord(b, "x", x);
    sb_attr_coord(b, "y", y);
    if (extra != NULL && extra[0] != '\0') {
        sb_putn(b, " ", 1);
        sb_puts(b, extra);
    }
    sb_putn(b, ">", 1);
    sb_text(b, text, HUGE_VAL, FONT_PX);
    sb_puts(b, "</text>\n");
}

static void hline(sbuf *b, double x1, double x2, double y)
{
    sb_puts(b, "<line");
    sb_attr_coord(b, "x1", x1);
    sb_attr_coord(b, "y1", y);
    sb_attr_coord(b, "x2", x2);
    sb_attr_coord(b, "y2", y);
    sb_puts(b, "/>\n");
}

static void vline(sbuf *b, double x, double y1, double y2)
{
    sb_puts(b, "<line");
    sb_attr_coord(b, "x1", x);
    sb_attr_coord(b, "y1", y1);
    sb_attr_coord(b, "x2", x);
    sb_attr_coord(b, "y2", y2);
    sb_puts(b, "/>\n");
}

/* Opacity that `stacked` nested bands of BAND_OPACITY add up to. */
static double stacked_opacity(size_t stacked)
{
    return 1.0 - pow(1.0 - BAND_OPACITY, (double)stacked);
}

static void draw_legend(sbuf *b, const plot *p)
{
    const char *text[XF_PLOT_MAX_LEVELS + 3];
    char buf[XF_PLOT_MAX_LEVELS][48];
    int kind[XF_PLOT_MAX_LEVELS + 3];
    size_t n = legend_entries(p, text, buf, kind), i, r;
    double x = 10.0, y = (p->show_title ? 28.0 : 8.0) + LEGEND_ROW_H / 2.0;
    sb_puts(b, "<g class=\"legend\">\n");
    for (i = 0; i < n; i++) {
        double ew = legend_entry_width(text[i]);
        if (x > 10.0 && x + ew > p->w - 10.0) {
            x = 10.0;
            y += LEGEND_ROW_H;
        }
        if (kind[i] >= 3) {
            size_t level = (size_t)(kind[i] - 3), rank = 0;
            for (r = 0; r < p->d->n_levels; r++)
                if (p->order[r] == level)
                    rank = r;
            sb_puts(b, "<rect");
            sb_attr_coord(b, "x", x + 2.0);
            sb_attr_coord(b, "y", y - 5.0);
            sb_puts(b, " width=\"14\" height=\"10\" fill=\"" COLOR_FORECAST "\" fill-opacity=\"");
            sb_fixed(b, stacked_opacity(rank + 1), 3);
            sb_puts(b, "\"/>\n");
        } else {
            static const char *const colors[3] = {COLOR_HISTORY, COLOR_FORECAST, COLOR_ACTUAL};
            sb_puts(b, "<line");
            sb_attr_coord(b, "x1", x);
            sb_attr_coord(b, "y1", y);
            sb_attr_coord(b, "x2", x + 18.0);
            sb_attr_coord(b, "y2", y);
            sb_puts(b, " stroke=\"");
            sb_puts(b, colors[kind[i]]);
            sb_puts(b, kind[i] == 1 ? "\" stroke-width=\"2\"/>\n" : "\" stroke-width=\"1.5\"/>\n");
        }
        text_element(b, x + 23.0, y + 4.0, NULL, text[i]);
        x += ew;
    }
    sb_puts(b, "</g>\n");
}

static void draw(sbuf *b, const plot *p)
{
    const xf_plot_data *d = p->d;
    double bottom = p->top + p->ph, right = p->left + p->pw;
    size_t i, last = SIZE_MAX;
    const char *title = d->title != NULL ? d->title : "forecast";

    sb_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"");
    sb_int(b, (long long)p->w);
    sb_puts(b, "\" height=\"");
    sb_int(b, (long long)p->h);
    sb_puts(b, "\" viewBox=\"0 0 ");
    sb_int(b, (long long)p->w);
    sb_putn(b, " ", 1);
    sb_int(b, (long long)p->h);
    sb_puts(b, "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"11\" "
               "fill=\"" COLOR_TEXT "\">\n<title>");
    sb_text(b, title, HUGE_VAL, FONT_PX);
    sb_puts(b, "</title>\n<rect class=\"background\" width=\"100%\" height=\"100%\" "
               "fill=\"#ffffff\"/>\n");

    /* Grid. */
    sb_puts(b, "<g class=\"grid\" stroke=\"" COLOR_GRID "\" stroke-width=\"1\" "
               "shape-rendering=\"crispEdges\">\n");
    for (i = 0; i < p->n_yticks; i++)
        hline(b, p->left, right, px_y(p, p->ytick[i]));
    for (i = 0; i < p->xt.n; i++)
        vline(b, px_x(p, p->xt.t[i]), p->top, bottom);
    sb_puts(b, "</g>\n");

    /* Data: bands, widest first, then the lines. */
    for (i = 0; i < d->n_levels; i++)
        band_element(b, p, p->order[i], BAND_OPACITY);
    if (d->n_forecast > 0) {
        double x = px_x(p, d->n_history > 0 ? d->history_t[d->n_history - 1] : d->forecast_t[0]);
        sb_puts(b, "<line class=\"forecast-start\"");
        sb_attr_coord(b, "x1", x);
        sb_attr_coord(b, "y1", p->top);
        sb_attr_coord(b, "x2", x);
        sb_attr_coord(b, "y2", bottom);
        sb_puts(b, " stroke=\"" COLOR_ORIGIN "\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>\n");
    }
    if (d->n_history > 0) {
        line_element(b, p, "history", COLOR_HISTORY, "1.5", d->history_t, d->history_y,
                     d->n_history, 0, 0.0, 0.0);
        for (i = d->n_history; i-- > 0;)
            if (isfinite(d->history_y[i])) {
                last = i;
                break;
            }
    }
    if (d->n_forecast > 0) {
        int join = last != SIZE_MAX && isfinite(d->mean[0]);
        line_element(b, p, "forecast", COLOR_FORECAST, "2", d->forecast_t, d->mean, d->n_forecast,
                     join, join ? px_x(p, d->history_t[last]) : 0.0,
                     join ? px_y(p, d->history_y[last]) : 0.0);
        if (d->actual != NULL)
            line_element(b, p, "actual", COLOR_ACTUAL, "1.5", d->forecast_t, d->actual,
                         d->n_forecast, 0, 0.0, 0.0);
    }

    /* Axes: lines, ticks, labels. */
    sb_puts(b, "<g class=\"x-axis\">\n<g stroke=\"" COLOR_AXIS "\" stroke-width=\"1\" "
               "shape-rendering=\"crispEdges\">\n");
    hline(b, p->left, right, bottom);
    for (i = 0; i < p->xt.n; i++)
        vline(b, px_x(p, p->xt.t[i]), bottom, bottom + 5.0);
    sb_puts(b, "</g>\n");
    for (i = 0; i < p->xt.n; i++) {
        double x = px_x(p, p->xt.t[i]);
        double hw = text_width(p->xt.line1[i], FONT_PX) / 2.0;
        /* Keep the label inside the picture. */
        double xl = fmin(fmax(x, hw + 2.0), p->w - hw - 2.0);
        text_element(b, xl, bottom + 18.0, "text-anchor=\"middle\"", p->xt.line1[i]);
        if (p->xt.line2[i][0] != '\0') {
            hw = text_width(p->xt.line2[i], FONT_PX) / 2.0;
            xl = fmin(fmax(x, hw + 2.0), p->w - hw - 2.0);
            text_element(b, xl, bottom + 32.0, "text-anchor=\"middle\"", p->xt.line2[i]);
        }
    }
    sb_puts(b, "</g>\n<g class=\"y-axis\">\n<g stroke=\"" COLOR_AXIS "\" stroke-width=\"1\" "
               "shape-rendering=\"crispEdges\">\n");
    vline(b, p->left, p->top, bottom);
    for (i = 0; i < p->n_yticks; i++)
        hline(b, p->left - 5.0, p->left, px_y(p, p->ytick[i]));
    sb_puts(b, "</g>\n");
    for (i = 0; i < p->n_yticks; i++)
        text_element(b, p->left - 8.0, px_y(p, p->ytick[i]) + 4.0, "text-anchor=\"end\"",
                     p->ylabel[i]);
    if (d->y_label != NULL) {
        double cy = p->top + p->ph / 2.0;
        sb_puts(b, "<text class=\"y-label\" x=\"14\"");
        sb_attr_coord(b, "y", cy);
        sb_puts(b, " text-anchor=\"middle\" transform=\"rotate(-90 14 ");
        sb_coord(b, cy);
        sb_puts(b, ")\">");
        sb_text(b, d->y_label, p->ph, FONT_PX);
        sb_puts(b, "</text>\n");
    }
    sb_puts(b, "</g>\n");

    if (p->show_title) {
        sb_puts(b, "<text class=\"title\" x=\"10\" y=\"19\" font-size=\"14\" "
                   "font-weight=\"bold\">");
        sb_text(b, title, p->w - 20.0, TITLE_PX * 1.1); /* bold */
        sb_puts(b, "</text>\n");
    }
    if (p->legend_rows > 0)
        draw_legend(b, p);
    sb_puts(b, "</svg>\n");
}

/* ------------------------------------------------------------ checks */

static int check_times(const char *what, const xf_time *t, size_t n, xf_time lo, xf_time hi,
                       xf_error *err)
{
    size_t i;
    char a[48], b[48];
    for (i = 0; i < n; i++) {
        if (t[i] < lo || t[i] > hi)
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "plot: %s timestamp [%zu] (%lld us) is outside the years %d..%d", what,
                            i, (long long)t[i], PLOT_YEAR_MIN, PLOT_YEAR_MAX);
        if (i > 0 && t[i] <= t[i - 1]) {
            xf_time_format(t[i - 1], 0, a, sizeof a);
            xf_time_format(t[i], 0, b, sizeof b);
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "plot: %s timestamps do not increase: [%zu] %s is not after "
                            "[%zu] %s",
                            what, i, b, i - 1, a);
        }
    }
    return XF_OK;
}

static int check_data(const xf_plot_data *d, const xf_plot_options *o, xf_error *err)
{
    xf_civil c;
    xf_time tmin = 0, tmax = 0;
    size_t l;
    int rc;

    if (o->width < PLOT_MIN_SIZE || o->width > PLOT_MAX_SIZE)
        return xf__fail(err, XF_EINVAL, 0, 0, "plot width %ld is out of range %d..%d",
                        (long)o->width, PLOT_MIN_SIZE, PLOT_MAX_SIZE);
    if (o->height < PLOT_MIN_SIZE || o->height > PLOT_MAX_SIZE)
        return xf__fail(err, XF_EINVAL, 0, 0, "plot height %ld is out of range %d..%d",
                        (long)o->height, PLOT_MIN_SIZE, PLOT_MAX_SIZE);
    if (d->n_history == 0 && d->n_forecast == 0)
        return xf__fail(err, XF_EINVAL, 0, 0, "plot: nothing to draw (no history and no forecast)");
    if (d->n_history > 0 && (d->history_t == NULL || d->history_y == NULL))
        return xf__fail(err, XF_EINVAL, 0, 0, "plot: n_history is %zu but %s is NULL", d->n_history,
                        d->history_t == NULL ? "history_t" : "history_y");
    if (d->n_forecast > 0 && (d->forecast_t == NULL || d->mean == NULL))
        return xf__fail(err, XF_EINVAL, 0, 0, "plot: n_forecast is %zu but %s is NULL",
                        d->n_forecast, d->forecast_t == NULL ? "forecast_t" : "mean");
    if (d->n_levels > XF_PLOT_MAX_LEVELS)
        return xf__fail(err, XF_EINVAL, 0, 0, "plot: %zu interval levels; at most %d are drawn",
                        d->n_levels, XF_PLOT_MAX_LEVELS);
    if (d->n_levels > 0 && d->n_forecast == 0)
        return xf__fail(err, XF_EINVAL, 0, 0, "plot: %zu interval levels but no forecast steps",
                        d->n_levels);
    if (d->n_levels > 0 && (d->levels == NULL || d->lo == NULL || d->hi == NULL))
        return xf__fail(err, XF_EINVAL, 0, 0, "plot: n_levels is %zu but %s is NULL", d->n_levels,
                        d->levels == NULL ? "levels"
                        : d->lo == NULL   ? "lo"
                                          : "hi");
    if (d->n_levels > 0 && d->n_forecast > SIZE_MAX / d->n_levels)
        return xf__fail(err, XF_EINVAL, 0, 0, "plot: %zu levels x %zu steps overflow", d->n_levels,
                        d->n_forecast);
    for (l = 0; l < d->n_levels; l++)
        if (!(d->levels[l] > 0.0 && d->levels[l] < 100.0))
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "plot: interval level [%zu] is %g; it must be in (0, 100) percent", l,
                            d->levels[l]);

    memset(&c, 0, sizeof c);
    c.year = PLOT_YEAR_MIN;
    c.month = 1;
    c.day = 1;
    xf_time_from_civil(&c, &tmin);
    c.year = PLOT_YEAR_MAX;
    c.month = 12;
    c.day = 31;
    c.hour = 23;
    c.minute = 59;
    c.second = 59;
    c.usec = 999999;
    xf_time_from_civil(&c, &tmax);
    if ((rc = check_times("history", d->history_t, d->n_history, tmin, tmax, err)) != XF_OK ||
        (rc = check_times("forecast", d->forecast_t, d->n_forecast, tmin, tmax, err)) != XF_OK)
        return rc;
    if (d->n_history > 0 && d->n_forecast > 0 &&
        d->forecast_t[0] <= d->history_t[d->n_history - 1]) {
        char a[48], b[48];
        xf_time_format(d->history_t[d->n_history - 1], 0, a, sizeof a);
        xf_time_format(d->forecast_t[0], 0, b, sizeof b);
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "plot: the first forecast timestamp %s is not after the last history "
                        "timestamp %s",
                        b, a);
    }
    return XF_OK;
}

/* ------------------------------------------------------------ public API */

static void plot_options_defaults(xf_plot_options *o)
{
    if (o == NULL)
        return;
    memset(o, 0, sizeof *o);
    o->struct_size = sizeof *o;
    o->width = 900;
    o->height = 420;
}

void xf_plot_options_init_sized(xf_plot_options *o, size_t size)
{
    xf_plot_options d;
    if (o == NULL)
        return;
    plot_options_defaults(&d);
    xf__init_sized(o, &d, sizeof d, size);
}

/* The function itself, for programs that call it without the header's
 * macro: the struct as of libtool version 3. */
void(xf_plot_options_init)(xf_plot_options *o)
{
    xf_plot_options_init_sized(o, XF__PLOT_OPTIONS_V3);
}

int xf_plot_svg(const xf_plot_data *d, const xf_plot_options *opt, char **out, size_t *len,
                xf_error *err)
{
    xf_plot_options defaults;
    plot *p;
    sbuf b;
    double lo, hi;
    int rc;

    if (out != NULL)
        *out = NULL;
    if (len != NULL)
        *len = 0;
    if (d == NULL || out == NULL || len == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "xf_plot_svg: NULL %s",
                        d == NULL     ? "data"
                        : out == NULL ? "output pointer"
                                      : "length pointer");
    xf_plot_options_init(&defaults);
    if (opt == NULL)
        opt = &defaults;
    XF__IMPORT_OPTIONS(defaults, opt, XF__PLOT_OPTIONS_V1, xf_plot_options, err);
    if ((rc = check_data(d, opt, err)) != XF_OK)
        return rc;
    if (value_range(d, &lo, &hi) == 0)
        return xf__fail(err, XF_EDATA, 0, 0,
                        "plot: no finite value among %zu history points and %zu forecast steps",
                        d->n_history, d->n_forecast);

    /* The layout holds every label: a few kilobytes, kept off the stack. */
    p = calloc(1, sizeof *p);
    if (p == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "plot: out of memory");
    p->d = d;
    p->w = opt->width;
    p->h = opt->height;
    layout(p, lo, hi);

    memset(&b, 0, sizeof b);
    draw(&b, p);
    free(p);
    if (b.oom) {
        free(b.p);
        return xf__fail(err, XF_ENOMEM, 0, 0,
                        "plot: out of memory writing the SVG of %zu history points and %zu "
                        "forecast steps",
                        d->n_history, d->n_forecast);
    }
    *out = b.p;
    *len = b.len;
    return XF_OK;
}
