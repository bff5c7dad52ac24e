/* options_internal.h - what the library, not its users, takes from the
 * option table (src/options.c; not installed).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_OPTIONS_INTERNAL_H
#define XF_OPTIONS_INTERNAL_H

#include <stdint.h>
#include "xfcast/options.h"
#include "xfcast/retrain.h"

/* The retrain configuration fingerprint of a source: FNV-1a over the
 * options the table marks as fingerprinted (see xf_option_hash), so that
 * an edited INI section makes `xfcast retrain` refit instead of update.
 * The value for a configuration that sets only options fingerprinted
 * since the first store format is the one those stores recorded. */
uint64_t xf__option_fingerprint(const xf_source *src);

#endif /* XF_OPTIONS_INTERNAL_H */
