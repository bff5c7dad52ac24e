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
 *     `size_t struct_size`, set by their _init, which a program must call
 *     before setting fields.  Each _init is a macro passing the caller's
 *     sizeof to xf_<struct>_init_sized, which writes only that many bytes
 *     (a newer library never writes past an older program's struct); the
 *     function of the _init name itself writes the struct of libtool
 *     version 3.  New fields are only appended; the
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
 * Names.  A handle is made by xf_<type>_new and freed by xf_<type>_free
 * (NULL is a no-op); one with a file or directory behind it is opened and
 * closed (xf_store_open/_close), read and written with _load/_save.  Getters
 * are xf_<type>_<noun> (xf_head_horizon), xf_<type>_get_<noun> where the
 * noun is also a type name (xf_encoder_get_config), and _mut for the
 * writable form.  Every call that can fail returns an XF_* status and takes
 * an `xf_error *` (may be NULL), except: the time and frequency parsers and
 * calendar arithmetic (time.h, freq.h: pure, on the CSV reader's hot path;
 * the caller adds the file and line), xf_corpus_series (allocation-free hot
 * path; fails only on invalid arguments), xf_xfm_find_tensor (a lookup:
 * XF_ENOTFOUND), and the .xfm builders (xf_xfm_new, _set_*, _add_tensor_*,
 * xf_encoder_set_meta_*, xf_encoder_set_head) whose only failures are out
 * of memory or a bad key/shape, XF_ENOMEM/XF_EINVAL; xf_xfm_save refuses a
 * model on which a set failed for want of memory.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_H
#define XFCAST_H

#include "xfcast/error.h"
#include "xfcast/time.h"
#include "xfcast/tz.h"
#include "xfcast/freq.h"
#include "xfcast/dataset.h"
#include "xfcast/xfm.h"
#include "xfcast/corpus.h"
#include "xfcast/encoder.h"
#include "xfcast/pretrain.h"
#include "xfcast/panel.h"
#include "xfcast/head.h"
#include "xfcast/head_stats.h"
#include "xfcast/backtest.h"
#include "xfcast/plot.h"
#include "xfcast/store.h"
#include "xfcast/retrain.h"
#include "xfcast/options.h"
#include "xfcast/fileio.h"
#include "xfcast/version.h"

#endif /* XFCAST_H */
