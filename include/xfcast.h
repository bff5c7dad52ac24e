/* xfcast.h - umbrella header of the xfcast library.
 *
 *     #include <xfcast.h>      link with: pkg-config --libs xfcast
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
#include "xfcast/options.h"
#include "xfcast/fileio.h"
#include "xfcast/version.h"

#endif /* XFCAST_H */
