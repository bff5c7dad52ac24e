/* placeholder */
#include <config.h>
typedef int xf_placeholder_xfm;
