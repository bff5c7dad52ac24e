/* activ.h - vectorised activation functions for the encoder kernels
 * (private).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_ACTIV_H
#define XF_ACTIV_H

#include <stddef.h>

/* x[i] = 1 / (1 + exp(-x[i])), in place; relative error below 3e-7. */
void xf__sigmoid_v(float *x, size_t n);
/* x[i] = tanh(x[i]), in place; absolute error below 3e-7. */
void xf__tanh_v(float *x, size_t n);

#endif /* XF_ACTIV_H */
