/* test_encoder.c - GRU and TCN encoders: finite-difference gradient checks
 * of the backward passes (BPTT, convolution backward), invariance of the
 * embedding to batching, instance normalisation and configuration errors.
 * (Forward parity with PyTorch is tests/test_encoder_torch.c.)
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xfcast.h>

#include "encoder_internal.h"
#include "nn.h"
#include "testutil.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static double urand(void) /* splitmix64 -> [0, 1) */
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}

/* loss = sum(emb * R) evaluated in double */
static double loss_of(const xf_encoder *e, const float *x, size_t b, const float *R, float *emb,
                      float *scratch)
{
    size_t i, n = b * xf_encoder_embed_size(e);
    double l = 0;
    xf__encoder_forward(e, x, b, emb, NULL, scratch);
    for (i = 0; i < n; i++)
        l += (double)emb[i] * R[i];
    return l;
}

/* Central differences against the backward pass.  ReLU networks are only
 * piecewise smooth: where the one-sided slopes disagree the step crossed a
 * kink and the parameter is skipped (counted; at most 10% may be). */
static void gradcheck(xf_encoder *e, size_t b, float h, const char *what)
{
    size_t t = (size_t)xf_encoder_context(e), ne = xf_encoder_embed_size(e);
    size_t np = xf_encoder_n_params(e), i, worst_i = 0, checked = 0, kinks = 0;
    size_t ni = (size_t)xf_encoder_get_config(e)->n_inputs;
    float *x = malloc(b * t * ni * sizeof *x), *R = malloc(b * ne * sizeof *R);
    float *emb = malloc(b * ne * sizeof *emb), *grad = calloc(np, sizeof *grad);
    float *cache = malloc(xf__encoder_cache_size(e, b, t) * sizeof *cache);
    float *scratch = malloc(xf__encoder_scratch_size(e, b, t) * sizeof *scratch);
    float *p = xf_encoder_params_mut(e);
    double worst = 0, l0, gmax = 0;
    for (i = 0; i < b * t; i++) {
        x[ni * i] = (float)(2.0 * urand() - 1.0) * 1.7f;
        x[ni * i + 1] = urand() < 0.15 ? 0.0f : 1.0f;
        if (x[ni * i + 1] == 0.0f)
            x[ni * i] = 0.0f;
        if (ni > 2)
            x[ni * i + 2] = (float)(2.0 * urand() - 1.0);
    }
    for (i = 0; i < b * ne; i++)
        R[i] = (float)(2.0 * urand() - 1.0);
    xf__encoder_forward(e, x, b, emb, cache, scratch);
    xf__encoder_backward(e, x, b, R, cache, grad, scratch);
    l0 = loss_of(e, x, b, R, emb, scratch);
    for (i = 0; i < np; i++)
        gmax = fabs(grad[i]) > gmax ? fabs(grad[i]) : gmax;
    for (i = 0; i < np; i++) {
        float keep = p[i];
        double lp, lm, num, err, slope_p, slope_m;
        p[i] = keep + h;
        lp = loss_of(e, x, b, R, emb, scratch);
        p[i] = keep - h;
        lm = loss_of(e, x, b, R, emb, scratch);
        p[i] = keep;
        num = (lp - lm) / (2.0 * (double)h);
        slope_p = (lp - l0) / (double)h;
        slope_m = (l0 - lm) / (double)h;
        if (fabs(slope_p - slope_m) > 0.05 * (1e-2 + fabs(num)) + 10.0 * (double)h) {
            kinks++;
            continue;
        }
        /* float32 losses carry rounding noise of about 1e-7 of their size,
         * divided by h: measure errors against the gradient's overall scale */
        err = fabs(num - grad[i]) / (1e-2 * gmax + fabs(num));
        if (err > worst) {
            worst = err;
            worst_i = i;
        }
        checked++;
    }
    printf("%s: %zu parameters checked (%zu skipped at kinks), worst relative error %.2e "
           "(param %zu)\n",
           what, checked, kinks, worst, worst_i);
    CHECK_MSG(worst < 2e-2, "%s: gradient mismatch at parameter %zu (relative error %.3g)", what,
              worst_i, worst);
    CHECK_MSG(kinks * 10 <= np, "%s: %zu of %zu parameters at kinks", what, kinks, np);
    free(x);
    free(R);
    free(emb);
    free(grad);
    free(cache);
    free(scratch);
}

/* A new encoder of configuration c (seed), its weights scaled by `gain`,
 * through gradcheck. */
static void gradcheck_new(const xf_encoder_config *c, uint64_t seed, float gain, size_t b, float h,
                          const char *what)
{
    xf_encoder *e = NULL;
    xf_error err;
    CHECK_MSG(xf_encoder_new(c, seed, &e, &err) == XF_OK, "%s: %s", what, err.message);
    if (e) {
        float *p = xf_encoder_params_mut(e);
        size_t i;
        for (i = 0; gain != 1.0f && i < xf_encoder_n_params(e); i++)
            p[i] *= gain;
        gradcheck(e, b, h, what);
    }
    xf_encoder_free(e);
}

static void test_gradients(void)
{
    xf_encoder_config c;
    xf_encoder_config_init(&c, XF_ARCH_GRU);
    c.context = 9;
    c.n_hidden = 5;
    c.n_layers = 2;
    /* bigger weights than the default init exercise saturation */
    gradcheck_new(&c, 7, 2.5f, 3, 1e-2f, "GRU 2x5, 9 steps");
    c.n_layers = 1;
    c.n_inputs = 3; /* with the seasonal-difference channel */
    gradcheck_new(&c, 14, 1.0f, 3, 1e-2f, "GRU 1x5, 9 steps, 3 inputs");
    xf_encoder_config_init(&c, XF_ARCH_TCN);
    c.context = 16;
    c.n_channels = 4;
    c.n_blocks = 3;
    c.kernel_size = 3;
    gradcheck_new(&c, 11, 1.0f, 2, 1e-3f, "TCN 4ch x 3 blocks, k3, 16 steps");
    c.kernel_size = 2;
    c.n_blocks = 4;
    gradcheck_new(&c, 12, 1.0f, 2, 1e-3f, "TCN 4ch x 4 blocks, k2, 16 steps");
    c.n_inputs = 3;
    gradcheck_new(&c, 13, 1.0f, 2, 1e-3f, "TCN 4ch x 4 blocks, k2, 16 steps, 3 inputs");
}

/* The embedding of a window must not depend on the batch it is in. */
static void test_batching(xf_arch arch, int32_t n_inputs)
{
    xf_encoder_config c;
    xf_encoder *e = NULL;
    xf_encoder_workspace *w1 = NULL, *w7 = NULL, *wn = NULL;
    xf_error err;
    size_t n = 100, t, ne, i;
    float *win, *e1, *e7, *en, *norm;
    xf_encoder_config_init(&c, arch);
    c.context = 96;
    c.n_blocks = 6;
    c.n_hidden = 24;
    c.n_channels = 32; /* as tcn-base: with 12 the GEMMs' row blocks happened to agree */
    c.n_inputs = n_inputs;
    CHECK(xf_encoder_new(&c, 3, &e, &err) == XF_OK);
    if (e == NULL)
        return;
    t = (size_t)xf_encoder_context(e);
    ne = xf_encoder_embed_size(e);
    win = malloc(n * t * sizeof *win);
    e1 = malloc(n * ne * sizeof *e1);
    e7 = malloc(n * ne * sizeof *e7);
    en = malloc(n * ne * sizeof *en);
    norm = malloc(n * 2 * sizeof *norm);
    for (i = 0; i < n * t; i++)
        win[i] = (float)(100.0 + 20.0 * sin((double)i * 0.37) + 5.0 * urand());
    for (i = 0; i < 10; i++)
        win[3 * t + 5 + i] = NAN; /* a missing stretch */
    for (i = 0; i < t; i++)
        win[5 * t + i] = 42.0f; /* a constant window */
    CHECK(xf_encoder_workspace_new(e, 1, &w1, &err) == XF_OK);
    CHECK(xf_encoder_workspace_new(e, 7, &w7, &err) == XF_OK);
    CHECK(xf_encoder_workspace_new(e, n, &wn, &err) == XF_OK);
    if (n_inputs > 2) /* the seasonal difference at a period of 12 */
        CHECK(xf_encoder_workspace_set_period(w1, 12, &err) == XF_OK &&
              xf_encoder_workspace_set_period(w7, 12, &err) == XF_OK &&
              xf_encoder_workspace_set_period(wn, 12, &err) == XF_OK);
    CHECK(xf_encoder_embed(e, w1, win, n, e1, NULL, &err) == XF_OK);
    CHECK(xf_encoder_embed(e, w7, win, n, e7, norm, &err) == XF_OK);
    CHECK(xf_encoder_embed(e, wn, win, n, en, NULL, &err) == XF_OK);
    CHECK_MSG(memcmp(e7, en, n * ne * sizeof *e1) == 0, "arch %d: batch 7 vs n differ", arch);
    CHECK_MSG(memcmp(e1, e7, n * ne * sizeof *e1) == 0, "arch %d: batch 1 vs 7 differ", arch);
    CHECK_MSG(memcmp(e1, en, n * ne * sizeof *e1) == 0, "arch %d: batch 1 vs %zu differ", arch, n);
    /* nor on its place in the groups of 32 the windows go through: the
     * same windows from the second on, each one place earlier (the TCN's
     * GEMMs round a row by its position in their row blocks) */
    {
        float *es = malloc(n * ne * sizeof *es);
        size_t bad = 0, k;
        CHECK(es != NULL && xf_encoder_embed(e, wn, win + t, n - 1, es, NULL, &err) == XF_OK);
        for (k = 0; es != NULL && k < (n - 1) * ne; k++)
            bad += es[k] != en[ne + k];
        CHECK_MSG(bad == 0, "arch %d: %zu embedding values change with the window's place", arch,
                  bad);
        free(es);
    }
    /* the same with 1, 2 and 3 encoder threads (BLAS single-threaded, as
     * xfcast runs it: OpenBLAS itself sums in another order when it splits
     * one product over threads) */
    xf_blas_set_threads(1);
    CHECK(xf_encoder_embed(e, w7, win, n, e1, NULL, &err) == XF_OK);
    CHECK(xf_encoder_workspace_set_threads(w7, 2, &err) == XF_OK);
    CHECK(xf_encoder_embed(e, w7, win, n, en, NULL, &err) == XF_OK);
    CHECK_MSG(memcmp(e1, en, n * ne * sizeof *e1) == 0, "arch %d: 1 vs 2 threads differ", arch);
    CHECK(xf_encoder_workspace_set_threads(w7, 3, &err) == XF_OK);
    CHECK(xf_encoder_embed(e, w7, win, n, en, NULL, &err) == XF_OK);
    CHECK_MSG(memcmp(e1, en, n * ne * sizeof *e1) == 0, "arch %d: 1 vs 3 threads differ", arch);
    CHECK_INT(xf_encoder_workspace_set_threads(w7, 0, &err), XF_EINVAL);
    CHECK_NEAR(norm[2 * 5], 42.0, 1e-5);
    CHECK_NEAR(norm[2 * 5 + 1], 1.0, 0);
    for (i = 0; i < n * ne; i++)
        CHECK_MSG(isfinite(e7[i]), "embedding %zu not finite", i);
    /* a workspace of another encoder is refused */
    {
        xf_encoder *other = NULL;
        CHECK(xf_encoder_new(&c, 4, &other, &err) == XF_OK);
        CHECK_INT(xf_encoder_embed(other, w1, win, 1, e1, NULL, &err), XF_EINVAL);
        xf_encoder_free(other);
    }
    xf_encoder_workspace_free(w1);
    xf_encoder_workspace_free(w7);
    xf_encoder_workspace_free(wn);
    xf_encoder_free(e);
    free(win);
    free(e1);
    free(e7);
    free(en);
    free(norm);
}

static void test_normalise(void)
{
    float w[6] = {1, 2, NAN, 3, 4, 5}, x[12], mean, sd;
    xf__normalise_window(w, 6, x, &mean, &sd);
    CHECK_NEAR(mean, 3.0, 1e-6);
    CHECK_NEAR(sd, sqrt(2.0), 1e-6);
    CHECK_NEAR(x[0], -2.0 / sqrt(2.0), 1e-6);
    CHECK(x[1] == 1.0f);
    CHECK(x[4] == 0.0f && x[5] == 0.0f); /* missing: value 0, mask 0 */
    {
        float allnan[3] = {NAN, NAN, NAN}, y[6];
        xf__normalise_window(allnan, 3, y, &mean, &sd);
        CHECK(mean == 0.0f && sd == 1.0f && y[0] == 0.0f && y[1] == 0.0f);
    }
}

/* The seasonal-difference channel (n_inputs 3): its values, its period,
 * per-window periods, files and the refusals. */
static void test_season_input(void)
{
    float w[8] = {1, 2, 4, NAN, 5, 6, 9, 7}, x[24], x2[16], mean, sd, m2, s2;
    xf_encoder_config c;
    xf_encoder *e = NULL, *back = NULL, *two = NULL;
    xf_encoder_workspace *ws = NULL, *ws2 = NULL;
    xf_error err;
    size_t i, t, ne, n = 40;
    float *win = NULL, *a = NULL, *b = NULL, *d = NULL;
    int32_t per[40];
    char path[] = "/tmp/xf_test_encoder_XXXXXX";
    int fd;
    /* values: the two channels as before, then x[i] - x[i - 3] where both
     * are observed, 0 before the first period and next to the gap */
    xf__encoder_input(w, 8, 3, 3, x, &mean, &sd);
    xf__normalise_window(w, 8, x2, &m2, &s2);
    CHECK(mean == m2 && sd == s2);
    for (i = 0; i < 8; i++) {
        float want = 0.0f;
        if (i >= 3 && !isnan(w[i]) && !isnan(w[i - 3]))
            want = x2[2 * i] - x2[2 * (i - 3)];
        CHECK(x[3 * i] == x2[2 * i] && x[3 * i + 1] == x2[2 * i + 1]);
        CHECK_MSG(fabsf(x[3 * i + 2] - want) < 1e-6f, "step %zu: %g, want %g", i, x[3 * i + 2],
                  want);
    }
    CHECK(x[3 * 3 + 2] == 0.0f && x[3 * 6 + 2] == 0.0f); /* next to the gap */
    CHECK_NEAR(x[3 * 4 + 2], (5.0 - 2.0) / sd, 1e-5);
    /* period 1: the first difference */
    xf__encoder_input(w, 8, 3, 1, x, &mean, &sd);
    CHECK_NEAR(x[3 * 1 + 2], (2.0 - 1.0) / sd, 1e-6);

    xf_encoder_config_init(&c, XF_ARCH_TCN);
    c.context = 64;
    c.n_blocks = 5;
    c.n_channels = 8;
    c.n_inputs = 4;
    CHECK_INT(xf_encoder_new(&c, 5, &e, &err), XF_EINVAL);
    CHECK_MSG(strstr(err.message, "input channels is 4; it must be 2..3") != NULL, "%s",
              err.message);
    c.n_inputs = 3;
    CHECK(xf_encoder_new(&c, 5, &e, &err) == XF_OK);
    c.n_inputs = 2;
    CHECK(xf_encoder_new(&c, 5, &two, &err) == XF_OK);
    if (e == NULL || two == NULL)
        goto done;
    CHECK_INT(xf_encoder_get_config(e)->n_inputs, 3);
    CHECK(xf_encoder_fingerprint(e) != xf_encoder_fingerprint(two));
    t = (size_t)xf_encoder_context(e);
    ne = xf_encoder_embed_size(e);
    win = malloc(n * t * sizeof *win);
    a = malloc(n * ne * sizeof *a);
    b = malloc(n * ne * sizeof *b);
    d = malloc(n * ne * sizeof *d);
    if (win == NULL || a == NULL || b == NULL || d == NULL)
        goto done;
    for (i = 0; i < n * t; i++)
        win[i] = (float)(10.0 * sin((double)i * 2.0 * M_PI / 12.0) + urand());
    CHECK(xf_encoder_workspace_new(e, 8, &ws, &err) == XF_OK);
    CHECK(xf_encoder_workspace_new(two, 8, &ws2, &err) == XF_OK);
    if (ws == NULL || ws2 == NULL)
        goto done;
    CHECK_INT(xf_encoder_workspace_set_period(ws, 0, &err), XF_EINVAL);
    /* the period changes a 3-input encoder's embeddings, not a 2-input one's */
    CHECK(xf_encoder_embed(e, ws, win, n, a, NULL, &err) == XF_OK); /* period 1 */
    CHECK(xf_encoder_workspace_set_period(ws, 12, &err) == XF_OK);
    CHECK(xf_encoder_embed(e, ws, win, n, b, NULL, &err) == XF_OK);
    CHECK(memcmp(a, b, n * ne * sizeof *a) != 0);
    CHECK(xf_encoder_embed(two, ws2, win, n, a, NULL, &err) == XF_OK);
    CHECK(xf_encoder_workspace_set_period(ws2, 12, &err) == XF_OK);
    CHECK(xf_encoder_embed(two, ws2, win, n, d, NULL, &err) == XF_OK);
    CHECK(memcmp(a, d, n * ne * sizeof *a) == 0);
    /* a period per window: each window as with the workspace's period */
    for (i = 0; i < n; i++)
        per[i] = i % 2 ? 12 : 1;
    CHECK(xf__encoder_embed_periods(e, ws, win, n, per, d, NULL, &err) == XF_OK);
    CHECK(xf_encoder_workspace_set_period(ws, 1, &err) == XF_OK);
    CHECK(xf_encoder_embed(e, ws, win, n, a, NULL, &err) == XF_OK);
    for (i = 0; i < n; i++)
        CHECK_MSG(memcmp(d + i * ne, (i % 2 ? b : a) + i * ne, ne * sizeof *a) == 0, "window %zu",
                  i);
    /* a file keeps the channels: the same embeddings after a round trip */
    fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        close(fd);
        CHECK_MSG(xf_encoder_save(e, path, &err) == XF_OK, "%s", err.message);
        CHECK_MSG(xf_encoder_load(path, &back, &err) == XF_OK, "%s", err.message);
        remove(path);
    }
    if (back != NULL) {
        xf_encoder_workspace *wb = NULL;
        CHECK_INT(xf_encoder_get_config(back)->n_inputs, 3);
        CHECK(xf_encoder_fingerprint(back) == xf_encoder_fingerprint(e));
        CHECK(xf_encoder_workspace_new(back, 8, &wb, &err) == XF_OK &&
              xf_encoder_workspace_set_period(wb, 12, &err) == XF_OK &&
              xf_encoder_embed(back, wb, win, n, d, NULL, &err) == XF_OK);
        CHECK(memcmp(b, d, n * ne * sizeof *b) == 0);
        xf_encoder_workspace_free(wb);
    }
done:
    xf_encoder_workspace_free(ws);
    xf_encoder_workspace_free(ws2);
    xf_encoder_free(back);
    xf_encoder_free(two);
    xf_encoder_free(e);
    free(win);
    free(a);
    free(b);
    free(d);
}

static void test_config_errors(void)
{
    xf_encoder_config c;
    xf_encoder *e = NULL;
    xf_error err;
    xf_encoder_config_init(&c, XF_ARCH_TCN);
    c.n_blocks = 6; /* receptive field 253 < 512 */
    CHECK_INT(xf_encoder_new(&c, 1, &e, &err), XF_EINVAL);
    CHECK(strstr(err.message, "receptive field 253 is shorter than the context 512") != NULL);
    CHECK(e == NULL);
    xf_encoder_config_init(&c, XF_ARCH_GRU);
    c.n_hidden = 0;
    CHECK_INT(xf_encoder_new(&c, 1, &e, &err), XF_EINVAL);
    CHECK(strstr(err.message, "hidden size is 0") != NULL);
    c.n_hidden = 8;
    c.arch = (xf_arch)9;
    CHECK_INT(xf_encoder_new(&c, 1, &e, &err), XF_EINVAL);
    xf_encoder_config_init(&c, XF_ARCH_GRU);
    CHECK(xf_encoder_new(&c, 1, &e, &err) == XF_OK);
    if (e) {
        /* 3*64*2 + 3*64*64 + 2*3*64 */
        CHECK_INT(xf_encoder_n_params(e), 384 + 12288 + 384);
        CHECK_INT(xf_encoder_embed_size(e), 64);
    }
    xf_encoder_free(e);
    xf_encoder_free(NULL);
    xf_encoder_workspace_free(NULL);
}

/* The TCN's inference kernel (tcn_kernel.c) against the training forward
 * (tcn.c's GEMMs, run with a cache) on shapes that exercise its padding and
 * tails: channels not a multiple of its panels, 2 to 4 taps, 2 and 3
 * inputs, contexts whose grids end in a partial block of points.  The two
 * sum in different orders: equal to rounding. */
static void test_tcn_kernel(void)
{
    static const int32_t shapes[][5] = {
        /* channels, blocks, kernel, inputs, context */
        {32, 6, 2, 2, 96}, {5, 4, 3, 2, 33}, {40, 3, 4, 3, 17}, {64, 3, 2, 3, 9}, {1, 9, 2, 2, 512},
    };
    size_t si;
    if (!xf__tcn_infer_available()) {
        printf("tcn kernel: no instance for this CPU (the BLAS path runs): not tested\n");
        return;
    }
    for (si = 0; si < sizeof shapes / sizeof shapes[0]; si++) {
        xf_encoder_config c;
        xf_encoder *e = NULL;
        xf_error err;
        size_t b = 5, t, ne, ni, i;
        float *x, *ek, *eb, *cache, *scratch;
        double worst = 0, emax = 0;
        xf_encoder_config_init(&c, XF_ARCH_TCN);
        c.n_channels = shapes[si][0];
        c.n_blocks = shapes[si][1];
        c.kernel_size = shapes[si][2];
        c.n_inputs = shapes[si][3];
        c.context = shapes[si][4];
        CHECK_MSG(xf_encoder_new(&c, 11 + si, &e, &err) == XF_OK, "shape %zu: %s", si, err.message);
        if (e == NULL)
            continue;
        t = (size_t)c.context;
        ne = xf_encoder_embed_size(e);
        ni = (size_t)c.n_inputs;
        x = malloc(b * t * ni * sizeof *x);
        ek = malloc(b * ne * sizeof *ek);
        eb = malloc(b * ne * sizeof *eb);
        cache = malloc(xf__encoder_cache_size(e, b, t) * sizeof *cache);
        scratch = malloc(xf__encoder_scratch_size(e, b, t) * sizeof *scratch);
        for (i = 0; i < b * t * ni; i++)
            x[i] = (float)(2.0 * urand() - 1.0);
        xf__encoder_forward(e, x, b, ek, NULL, scratch);  /* the kernel */
        xf__encoder_forward(e, x, b, eb, cache, scratch); /* tcn.c's GEMMs */
        for (i = 0; i < b * ne; i++) {
            emax = fmax(emax, fabs(eb[i]));
            worst = fmax(worst, fabs((double)ek[i] - eb[i]));
        }
        printf("tcn kernel, %d channels x %d blocks, kernel %d, %d inputs, context %d: max |kernel "
               "- blas| %.2e (max |emb| %.3g)\n",
               c.n_channels, c.n_blocks, c.kernel_size, c.n_inputs, c.context, worst, emax);
        CHECK_MSG(emax > 0 && worst <= 1e-5 * (1.0 + emax), "shape %zu: kernel differs by %g", si,
                  worst);
        free(x);
        free(ek);
        free(eb);
        free(cache);
        free(scratch);
        xf_encoder_free(e);
    }
}

int main(void)
{
    test_gradients();
    test_tcn_kernel();
    test_batching(XF_ARCH_GRU, 2);
    test_batching(XF_ARCH_TCN, 2);
    test_batching(XF_ARCH_GRU, 3);
    test_batching(XF_ARCH_TCN, 3);
    test_normalise();
    test_season_input();
    test_config_errors();
    return tu_report("test_encoder");
}
