/* plugin.c: entry points of the fcgi plugin (see doc/plugins.example/hello.c). */
#include "config.h"

#include "moduleinfo.h"
#include "packet-fcgi.h"

WS_DLL_PUBLIC_DEF const char plugin_version[] = PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
void proto_register_fcgi(void);
void proto_reg_handoff_fcgi(void);

#if FCGI_WS_AT_LEAST(4, 2)
/* 4.2 and later ask a plugin what it provides. */
#include <wsutil/plugins.h>

WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t
plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif

void
plugin_register(void)
{
    static proto_plugin plug;

    plug.register_protoinfo = proto_register_fcgi;
    plug.register_handoff = proto_reg_handoff_fcgi;
    proto_register_plugin(&plug);
}
