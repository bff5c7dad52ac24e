#!/bin/sh
autoreconf -fiv "$@"
