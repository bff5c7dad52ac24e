/* xfcast/xfm.h - the .xfm model file: a versioned binary container.
 *
 * Pretrained encoders, fitted regression heads and model-store entries are
 * all saved as .xfm files.  A file holds a `kind` string ("encoder",
 * "head", "store-entry"), typed key/value metadata and named tensors.  The
 * full specification is docs/model-format.md; in short (format version 1,
 * every integer little-endian, written and read byte by byte):
 *
 *   offset  size  field
 *   0       8     magic 89 58 46 4D 0D 0A 1A 0A ("\x89XFM\r\n\x1a\n")
 *   8       4     u32 format version (1)
 *   12      4     u32 length of the kind string
 *   16      8     u64 file size, trailer included
 *   24      8     u64 data offset: start of the tensor data (multiple of 64)
 *   32      4     u32 number of metadata entries
 *   36      4     u32 number of tensors
 *   40            kind (UTF-8, no NUL)
 *                 metadata entries: u32 key length, key, u32 type, value
 *                   (u32 | i64 | f64 | u32 length + UTF-8 string |
 *                    u64 count + count i64 | u64 count + count f64)
 *                 tensor directory: u32 name length, name, u32 dtype
 *                   (1 = f32, 2 = f64), u32 n_dims (0-8), n_dims i64 dims,
 *                   u64 absolute offset of the data (multiple of 64)
 *                 zero padding up to the data offset
 *   data offset   tensor data, row-major, each tensor 64-byte aligned
 *                 relative to the start of the file (the file can be mmapped)
 *   size - 4  4   u32 CRC32C (Castagnoli) of every byte before it
 *
 * Loading reads the whole file and checks, in this order: magic, version,
 * file size against the header, the CRC (so that accidental damage gets the
 * clearest message, "checksum mismatch"), then every count, length, offset
 * and shape against the file before anything is allocated from it (a CRC
 * guards against accidents, not against crafted files).  Unknown metadata
 * keys are kept (and saved again), so that old readers ignore what newer
 * writers add; unknown metadata types, unknown dtypes and duplicate keys or
 * tensor names are errors (XF_EFORMAT).
 *
 * Names (kind, keys, tensor names) are 1 to XF_XFM_MAX_NAME bytes of valid
 * UTF-8; string values are valid UTF-8 without NUL bytes.
 *
 * Thread safety: an xf_xfm has no hidden shared state; a const xf_xfm may be
 * read from many threads at once.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_XFM_H
#define XFCAST_XFM_H

#include <stddef.h>
#include <stdint.h>
#include "api.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define XF_XFM_VERSION 1u   /* the format version this build writes and reads */
#define XF_XFM_MAX_DIMS 8   /* most dimensions a tensor may have */
#define XF_XFM_MAX_NAME 255 /* longest kind, key or tensor name, in bytes */
#define XF_XFM_ALIGN 64     /* alignment of tensor data in the file, in bytes */

/* Metadata value types.  The numbers are written in files: never reuse one. */
typedef enum xf_xfm_type {
    XF_XFM_TYPE_U32 = 1,       /* uint32_t */
    XF_XFM_TYPE_I64 = 2,       /* int64_t */
    XF_XFM_TYPE_F64 = 3,       /* double (IEEE-754 binary64, kept bit-exact) */
    XF_XFM_TYPE_STR = 4,       /* UTF-8 string without NUL bytes */
    XF_XFM_TYPE_I64_ARRAY = 5, /* array of int64_t */
    XF_XFM_TYPE_F64_ARRAY = 6  /* array of double */
} xf_xfm_type;

/* Tensor element types.  The numbers are written in files. */
typedef enum xf_xfm_dtype {
    XF_XFM_DTYPE_F32 = 1, /* float (IEEE-754 binary32) */
    XF_XFM_DTYPE_F64 = 2  /* double (IEEE-754 binary64) */
} xf_xfm_dtype;

/* A model file in memory: kind, metadata and tensors. */
typedef struct xf_xfm xf_xfm;

/* ------------------------------------------------------------ lifecycle */

/* Create an empty model of the given kind (copied; 1 to XF_XFM_MAX_NAME
 * bytes of UTF-8).  On success *out owns the new object (free it with
 * xf_xfm_free).  Returns XF_OK, XF_EINVAL (bad kind) or XF_ENOMEM; *out is
 * NULL on failure. */
XF_API int xf_xfm_new(const char *kind, xf_xfm **out);

/* Free a model and everything it owns.  NULL is a no-op. */
XF_API void xf_xfm_free(xf_xfm *mf);

/* Load a model file.  On success *out owns a new object; on failure *out is
 * NULL, err (may be NULL) holds a message that starts with `path`, and the
 * status is XF_EIO (cannot open or read, or not a regular file after
 * following links: a FIFO or /dev/zero fails at once), XF_ERANGE (larger
 * than 2 GiB, checked before reading), XF_EFORMAT (not a model file,
 * unsupported version, truncated, or structurally damaged), XF_ECHECKSUM
 * (the CRC does not match) or XF_ENOMEM. */
XF_API int xf_xfm_load(const char *path, xf_xfm **out, xf_error *err);

/* Load a model from `len` bytes at `buf` (borrowed; copied, so it may be
 * freed after the call and need not be aligned).  `name` is used as the
 * file name in messages (copied; NULL means "<memory>").  Statuses as for
 * xf_xfm_load, without XF_EIO. */
XF_API int xf_xfm_load_buffer(const void *buf, size_t len, const char *name, xf_xfm **out,
                              xf_error *err);

/* Save atomically: write PATH.tmp.PID in the same directory, flush, fsync
 * and close it, rename it over `path`, then fsync the directory.  On any
 * failure the temporary file is removed and an existing file at `path` is
 * left as it was (except when only the final directory sync fails: then the
 * new file is already in place, complete).  Returns XF_OK, XF_EIO (message
 * names the path and the failing step), XF_ERANGE (more than 2^32-1 entries)
 * or XF_ENOMEM. */
XF_API int xf_xfm_save(const xf_xfm *mf, const char *path, xf_error *err);

/* Serialise to memory, exactly the bytes xf_xfm_save would write.  On
 * success *out is a new buffer owned by the caller (release it with free())
 * and *len its size.  Returns XF_OK, XF_ERANGE or XF_ENOMEM. */
XF_API int xf_xfm_save_buffer(const xf_xfm *mf, void **out, size_t *len, xf_error *err);

/* --------------------------------------------------------- what it is */

/* The kind string.  Borrowed; valid until xf_xfm_free. */
XF_API const char *xf_xfm_kind(const xf_xfm *mf);

/* The format version of the file the model was loaded from, or
 * XF_XFM_VERSION for a model built with xf_xfm_new. */
XF_API uint32_t xf_xfm_format_version(const xf_xfm *mf);

/* Size in bytes and stored (verified) CRC32C of the file the model was
 * loaded from; both 0 for a model built with xf_xfm_new. */
XF_API uint64_t xf_xfm_file_size(const xf_xfm *mf);
XF_API uint32_t xf_xfm_file_crc32c(const xf_xfm *mf);

/* ------------------------------------------------------------ metadata */

/* Set a metadata value.  `key` (1 to XF_XFM_MAX_NAME bytes of UTF-8) and the
 * value are copied.  Setting an existing key replaces its value and type,
 * keeping its position; new keys are appended.  String values must be
 * valid UTF-8 shorter than 2^32 bytes; arrays may be empty (then the
 * pointer may be NULL).  Returns XF_OK, XF_EINVAL (bad key or value) or
 * XF_ENOMEM (the model is unchanged). */
XF_API int xf_xfm_set_u32(xf_xfm *mf, const char *key, uint32_t value);
XF_API int xf_xfm_set_i64(xf_xfm *mf, const char *key, int64_t value);
XF_API int xf_xfm_set_f64(xf_xfm *mf, const char *key, double value);
XF_API int xf_xfm_set_str(xf_xfm *mf, const char *key, const char *value);
XF_API int xf_xfm_set_i64_array(xf_xfm *mf, const char *key, const int64_t *values, size_t n);
XF_API int xf_xfm_set_f64_array(xf_xfm *mf, const char *key, const double *values, size_t n);

/* Get a metadata value by key.  Returns XF_OK, XF_ENOTFOUND when the key is
 * absent, or XF_EFORMAT when it holds another type (a file that does not
 * have the layout its reader expects is treated as a bad file, not as a
 * usage error); err (may be NULL) then names the model, the key and both
 * types.  *out is untouched on failure.  Strings and arrays are borrowed,
 * valid until the key is set again or the model is freed; an empty array
 * gives *n == 0 and a non-NULL pointer. */
XF_API int xf_xfm_get_u32(const xf_xfm *mf, const char *key, uint32_t *out, xf_error *err);
XF_API int xf_xfm_get_i64(const xf_xfm *mf, const char *key, int64_t *out, xf_error *err);
XF_API int xf_xfm_get_f64(const xf_xfm *mf, const char *key, double *out, xf_error *err);
XF_API int xf_xfm_get_str(const xf_xfm *mf, const char *key, const char **out, xf_error *err);
XF_API int xf_xfm_get_i64_array(const xf_xfm *mf, const char *key, const int64_t **out, size_t *n,
                                xf_error *err);
XF_API int xf_xfm_get_f64_array(const xf_xfm *mf, const char *key, const double **out, size_t *n,
                                xf_error *err);

/* Iterate over the metadata in file (insertion) order; i < xf_xfm_n_meta().
 * Keys are borrowed.  Out-of-range indices give NULL / 0. */
XF_API size_t xf_xfm_n_meta(const xf_xfm *mf);
XF_API const char *xf_xfm_meta_key(const xf_xfm *mf, size_t i);
XF_API xf_xfm_type xf_xfm_meta_type(const xf_xfm *mf, size_t i);

/* "u32", "i64", "f64", "str", "i64[]", "f64[]"; "?" for other values.
 * Static strings. */
XF_API const char *xf_xfm_type_name(xf_xfm_type type);

/* ------------------------------------------------------------- tensors */

/* Add a tensor of n_dims (0 to XF_XFM_MAX_DIMS; 0 is a scalar) dimensions
 * `dims` (each >= 0), whose row-major data (product of dims elements) is
 * copied; `data` may be NULL only when a dimension is 0.  Name rules as for
 * keys.  Returns XF_OK, XF_EINVAL (bad or duplicate name, too many
 * dimensions, negative dimension, NULL data), XF_ERANGE (the shape has more
 * elements than memory can address) or XF_ENOMEM (the model is unchanged). */
XF_API int xf_xfm_add_tensor_f32(xf_xfm *mf, const char *name, size_t n_dims, const int64_t *dims,
                                 const float *data);
XF_API int xf_xfm_add_tensor_f64(xf_xfm *mf, const char *name, size_t n_dims, const int64_t *dims,
                                 const double *data);

/* Tensors in file (insertion) order; i < xf_xfm_n_tensors().  Pointers are
 * borrowed, valid until xf_xfm_free; the data is 64-byte aligned in memory,
 * host byte order, and holds xf_xfm_tensor_n_elems() float or double values
 * as the dtype says.  Out-of-range indices give NULL / 0. */
XF_API size_t xf_xfm_n_tensors(const xf_xfm *mf);
XF_API const char *xf_xfm_tensor_name(const xf_xfm *mf, size_t i);
XF_API xf_xfm_dtype xf_xfm_tensor_dtype(const xf_xfm *mf, size_t i);
XF_API size_t xf_xfm_tensor_n_dims(const xf_xfm *mf, size_t i);
XF_API const int64_t *xf_xfm_tensor_dims(const xf_xfm *mf, size_t i);
XF_API size_t xf_xfm_tensor_n_elems(const xf_xfm *mf, size_t i);
XF_API const void *xf_xfm_tensor_data(const xf_xfm *mf, size_t i);

/* Find a tensor by name: XF_OK and *index, or XF_ENOTFOUND. */
XF_API int xf_xfm_find_tensor(const xf_xfm *mf, const char *name, size_t *index);

/* "f32", "f64"; "?" for other values.  Static strings. */
XF_API const char *xf_xfm_dtype_name(xf_xfm_dtype dtype);

/* Bytes per element: 4, 8, or 0 for an unknown dtype. */
XF_API size_t xf_xfm_dtype_size(xf_xfm_dtype dtype);

/* ------------------------------------------------------------ checksum */

/* CRC32C (Castagnoli, reflected polynomial 0x82F63B78, initial value and
 * final xor 0xFFFFFFFF) of `len` bytes, continuing from `crc`: start with
 * crc = 0 and feed the result back to checksum data in pieces.
 * xf_crc32c(0, "123456789", 9) == 0xE3069283. */
XF_API uint32_t xf_crc32c(uint32_t crc, const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_XFM_H */
