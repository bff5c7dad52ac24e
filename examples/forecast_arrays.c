/* forecast_arrays.c - forecasting from in-memory arrays with libxfcast.
 *
 * What analytics code does with the library: put series that are already in
 * memory into a panel, fit a ridge head on a frozen pretrained encoder,
 * save and reload the head, and forecast with prediction intervals.
 *
 *   cc forecast_arrays.c $(pkg-config --cflags --libs xfcast) -o forecast_arrays
 *   ./forecast_arrays /usr/share/xfcast/models/gru-base.xfm
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <xfcast.h>

#define N 2000 /* hourly values per series */
#define N_SERIES 3
#define PI 3.14159265358979323846

int main(int argc, char **argv)
{
    const char *enc_path = argc > 1 ? argv[1] : "models/gru-base.xfm";
    const char *head_path = argc > 2 ? argv[2] : "example-head.xfm";
    xf_error err;
    xf_encoder *enc = NULL;
    xf_panel *panel = NULL;
    xf_head *head = NULL, *loaded = NULL;
    xf_head_workspace *ws = NULL;
    xf_head_options opts;
    xf_freq hourly;
    static double y[N];
    static xf_time t[N];
    double mean[24], lo[2 * 24], hi[2 * 24];
    xf_time when[24];
    char id[16], ts[40];
    int s, k, status = 1;

    /* 1. the frozen encoder */
    if (xf_encoder_load(enc_path, &enc, &err) != XF_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    /* 2. a panel of three hourly series with a daily cycle (no CSV needed) */
    if (xf_freq_parse("1h", &hourly, &err) != XF_OK || xf_panel_new(NULL, 0, &panel, &err) != XF_OK)
        goto fail;
    for (s = 0; s < N_SERIES; s++) {
        for (k = 0; k < N; k++) {
            t[k] = (xf_time)(1704067200LL + 3600LL * k) * 1000000; /* from 2024-01-01 */
            y[k] = 100.0 * (s + 1) + 20.0 * sin(2 * PI * k / 24.0) + 0.05 * k +
                   3.0 * sin(0.37 * k * (s + 2));
        }
        snprintf(id, sizeof id, "meter-%d", s + 1);
        if (xf_panel_add_series(panel, id, N, t, hourly, y, NULL, &err) != XF_OK)
            goto fail;
    }
    /* 3. fit one head over all series (horizon 24, intervals 80% and 95%) */
    xf_head_options_init(&opts);
    opts.horizon = 24;
    opts.domain = XF_DOMAIN_ENERGY;
    opts.max_windows = 3000;
    if (xf_head_fit(panel, &enc, 1, &opts, &head, &err) != XF_OK)
        goto fail;
    /* 4. save it, load it back and give it its encoder (checked by fingerprint) */
    if (xf_head_save(head, head_path, &err) != XF_OK ||
        xf_head_load(head_path, &loaded, &err) != XF_OK ||
        xf_head_attach_encoders(loaded, &enc, 1, &err) != XF_OK)
        goto fail;
    /* 5. forecast each series from its last value; one workspace per thread */
    if (xf_head_workspace_new(loaded, &ws, &err) != XF_OK)
        goto fail;
    printf("id,timestamp,step,mean,lo80,hi80,lo95,hi95\n");
    for (s = 0; s < N_SERIES; s++) {
        if (xf_head_forecast(loaded, ws, panel, (size_t)s, SIZE_MAX, 24, when, mean, lo, hi,
                             &err) != XF_OK)
            goto fail;
        for (k = 0; k < 24; k++) {
            xf_time_format(when[k], 0, ts, sizeof ts);
            printf("%s,%s,%d,%.3f,%.3f,%.3f,%.3f,%.3f\n", xf_panel_series_id(panel, (size_t)s), ts,
                   k + 1, mean[k], lo[k], hi[k], lo[24 + k], hi[24 + k]);
        }
    }
    status = 0;
    goto done;
fail:
    fprintf(stderr, "forecast_arrays: %s (%s)\n", err.message, xf_strerror(err.code));
done:
    xf_head_workspace_free(ws);
    xf_head_free(loaded);
    xf_head_free(head);
    xf_panel_free(panel);
    xf_encoder_free(enc);
    return status;
}
