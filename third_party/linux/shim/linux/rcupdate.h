/* The kernel's <linux/rcupdate.h>, as far as the verbatim kernel text needs it: see kshim.h. */
#include "third_party/linux/shim/kshim.h"
