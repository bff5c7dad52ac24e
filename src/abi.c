/* abi.c - option structs across library versions: see abi.h.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <string.h>

#include "abi.h"
#include "xf_internal.h"

int xf__options_import(void *dst, size_t dst_size, const void *src, size_t min_size,
                       const char *type, const char *init, xf_error *err)
{
    size_t size;
    memcpy(&size, src, sizeof size);
    if (size < min_size || size > dst_size)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "%s.struct_size is %zu; this library reads sizes %zu to %zu (set it "
                        "with %s())",
                        type, size, min_size, dst_size, init);
    if (src == dst) /* a check only: the struct is the caller's */
        return XF_OK;
    memcpy(dst, src, size);
    memcpy(dst, &dst_size, sizeof dst_size);
    return XF_OK;
}

void xf__init_sized(void *dst, const void *d, size_t full, size_t size)
{
    size_t n = size < full ? size : full;
    memcpy(dst, d, n);
    if (n >= sizeof(size_t))
        memcpy(dst, &n, sizeof n); /* struct_size, the first field */
}
