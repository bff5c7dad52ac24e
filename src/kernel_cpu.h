/* kernel_cpu.h - which vector instance of the hand-written encoder kernels
 * (gru_kernel.c, tcn_kernel.c) this CPU runs (private).
 *
 * Each kernel is compiled once per CPU target by including its file into
 * itself (AVX2+FMA and AVX-512F, with GCC's or clang's target attribute) and
 * picks its instance at run time by xf__kernel_isa.  Elsewhere (another CPU
 * family or compiler) there is no instance and the encoders run their BLAS
 * paths.  kernel_vec.h gives an instance its vector type.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_KERNEL_CPU_H
#define XF_KERNEL_CPU_H

#if defined(__GNUC__) && defined(__x86_64__)
#define XF_KERNEL_X86_CLONES 1
#else
#define XF_KERNEL_X86_CLONES 0
#endif

enum { XF__ISA_NONE = 0, XF__ISA_AVX2 = 1, XF__ISA_AVX512 = 2 };

/* The widest instance this CPU can run: XF__ISA_AVX512 (avx512f, avx2 and
 * fma), XF__ISA_AVX2 (avx2 and fma) or XF__ISA_NONE. */
static inline int xf__kernel_isa(void)
{
#if XF_KERNEL_X86_CLONES
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma"))
        return XF__ISA_NONE;
    return __builtin_cpu_supports("avx512f") ? XF__ISA_AVX512 : XF__ISA_AVX2;
#else
    return XF__ISA_NONE;
#endif
}

#endif /* XF_KERNEL_CPU_H */
