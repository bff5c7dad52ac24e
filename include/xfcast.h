/* xfcast.h - umbrella header of the xfcast library.
 *
 *     #include <xfcast.h>      link with: pkg-config --libs xfcast
 *
 * The ABI rule.  A program built against one release's headers keeps
 * working with a later libxfcast.so of the same SONAME:
 *   - only functions declared XF_API in these headers are exported
 *     (include/xfcast/api.h; make check compares the export list with the
 *     headers), and none of them is removed or changes its signature;
 *   - handles are opaque (xf_head, xf_dataset, ...): their layout is free;
 *   - the option structs the caller fills (xf_csv_options, xf_corpus_options,
 *     xf_encoder_config, xf_head_options, xf_backtest_options,
 *     xf_plot_options, xf_pretrain_options, xf_retrain_options) begin with
 *     `size_t struct_size`, set by their _init function, which a program
 *     must call before setting fields.  New fields are only appended; the
 *     library reads the caller's struct_size bytes over its defaults, so an
 *     older program gets the defaults of the fields it does not know, and
 *     refuses (XF_EINVAL) a struct_size of 0 or one larger than its own;
 *   - enum values and status codes keep their numbers; new ones are added;
 *   - structs the library fills for the caller (xf_error, xf_series_stats,
 *     xf_backtest_result, xf_retrain_report, ...), structs embedded by value
 *     in another (xf_head_options in xf_backtest_options and xf_source,
 *     xf_encoder_config in xf_pretrain_options) and xf_source (returned as an
 *     array) change layout only with a new SONAME (libtool current bumped,
 *     age reset).
 * XF_VERSION_NUMBER (version.h) tells at compile time, xf_version_number()
 * at run time, which release a program has.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_H
#define XFCAST_H

#include "xfcast/error.h"
#include "xfcast/time.h"
#include "xfcast/freq.h"
#include "xfcast/dataset.h"
#include "xfcast/xfm.h"
#include "xfcast/corpus.h"
#include "xfcast/encoder.h"
#include "xfcast/pretrain.h"
#include "xfcast/panel.h"
#include "xfcast/head.h"
#include "xfcast/backtest.h"
#include "xfcast/plot.h"
#include "xfcast/store.h"
#include "xfcast/retrain.h"
#include "xfcast/version.h"

#endif /* XFCAST_H */
