/* fcgi-compat.h: every difference between the Wireshark releases the
 * plugin builds against (4.0 and 4.4), in one place.  The dissector uses
 * only the names defined here, never a version test of its own. */
#ifndef FCGI_COMPAT_H
#define FCGI_COMPAT_H

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto.h>

#define FCGI_WS_AT_LEAST(maj, min) \
    (WIRESHARK_VERSION_MAJOR > (maj) || \
     (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

#if FCGI_WS_AT_LEAST(4, 2)
/* 4.2 and later: C99 bool in callbacks, tvb_get_uint8 and friends. */
#include <wsutil/plugins.h>
#include <epan/dissectors/packet-media-type.h>
typedef bool fcgi_bool_t;
/* Variables of boolean preferences (prefs_register_bool_preference). */
typedef bool fcgi_pref_bool_t;
#define fcgi_get_u8(tvb, off) tvb_get_uint8((tvb), (off))
typedef media_content_info_t fcgi_media_info_t;
#define FCGI_MEDIA_REQUEST  MEDIA_CONTAINER_HTTP_REQUEST
#define FCGI_MEDIA_RESPONSE MEDIA_CONTAINER_HTTP_RESPONSE
#define fcgi_child_uncompress(parent, tvb, off, len) \
    tvb_child_uncompress_zlib((parent), (tvb), (off), (len))
/* 4.2 and later ask a plugin what it provides. */
#define FCGI_PLUGIN_DESCRIBE_DECL \
    WS_DLL_PUBLIC uint32_t plugin_describe(void); \
    uint32_t plugin_describe(void) { return WS_PLUGIN_DESC_DISSECTOR; }
#else
#include <epan/dissectors/packet-http.h>
typedef gboolean fcgi_bool_t;
typedef gboolean fcgi_pref_bool_t;
#define fcgi_get_u8(tvb, off) tvb_get_guint8((tvb), (off))
typedef http_message_info_t fcgi_media_info_t;
#define FCGI_MEDIA_REQUEST  HTTP_REQUEST
#define FCGI_MEDIA_RESPONSE HTTP_RESPONSE
#define fcgi_child_uncompress(parent, tvb, off, len) \
    tvb_child_uncompress((parent), (tvb), (off), (len))
#define FCGI_PLUGIN_DESCRIBE_DECL
#endif

#if FCGI_WS_AT_LEAST(4, 6)
/* 4.6: val_to_str() takes the allocator first (it was val_to_str_wmem());
 * dissector_try_string() is deprecated. */
#define fcgi_val_to_str(scope, val, vs, fmt) \
    val_to_str((scope), (val), (vs), (fmt))
#define fcgi_dissector_try_string(table, str, tvb, pinfo, tree, data) \
    dissector_try_string_with_data((table), (str), (tvb), (pinfo), (tree), true, (data))
#else
#define fcgi_val_to_str(scope, val, vs, fmt) \
    val_to_str_wmem((scope), (val), (vs), (fmt))
#define fcgi_dissector_try_string(table, str, tvb, pinfo, tree, data) \
    dissector_try_string((table), (str), (tvb), (pinfo), (tree), (data))
#endif

/* format_text() took unsigned characters before 4.2. */
#define fcgi_format_text(scope, str) \
    format_text((scope), (const void *)(str), strlen(str))

#endif /* FCGI_COMPAT_H */
