/* A plug-in built against a future ABI version. */
#include "translator/plugin/iovacheck_plugin.h"

static const iovacheck_plugin table = {IOVACHECK_PLUGIN_ABI_VERSION + 1,
                                       sizeof(iovacheck_plugin)};

const iovacheck_plugin *iovacheck_plugin_entry(void) { return &table; }
