/* kernel_vec.h - the vector types of one instance of a hand-written
 * encoder kernel (private; see kernel_cpu.h): included once inside each
 * instance, with KNAME (the instance's name suffixer), KVB (its vector width
 * in bytes) and KTARGET (its target attribute) defined, so it has no include
 * guard.  It defines KNAME(vf) (floats), KNAME(vi) and KNAME(vu) (signed
 * and unsigned 32-bit integers) of KVB bytes and their loads, stores and
 * splat.  Loads and stores go through memcpy: no alignment or aliasing
 * assumptions (this compiles to plain vector moves).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#if !defined(KNAME) || !defined(KVB) || !defined(KTARGET)
#error "kernel_vec.h is included inside a kernel instance (KNAME, KVB, KTARGET)"
#endif

typedef float KNAME(vf) __attribute__((vector_size(KVB)));
typedef int32_t KNAME(vi) __attribute__((vector_size(KVB)));
typedef uint32_t KNAME(vu) __attribute__((vector_size(KVB)));

static inline KTARGET KNAME(vf) KNAME(vload)(const float *p)
{
    KNAME(vf) v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline KTARGET void KNAME(vstore)(float *p, KNAME(vf) v)
{
    memcpy(p, &v, sizeof v);
}

static inline KTARGET KNAME(vf) KNAME(vsplat)(float c)
{
    return (KNAME(vf)){0} + c;
}
