/* fcgi-compat.h: what turns packet-fcgi.c, an in-tree dissector written
 * against Wireshark 4.0's API, into the plugin for Wireshark 4.0 to 4.6.
 *
 * packet-fcgi.c includes "config.h" first, as every file in Wireshark's
 * tree does; the plugin's build generates that config.h, which includes
 * this header and nothing else.  So this header is seen only by the plugin
 * build, and packet-fcgi.c carries no plugin code and no version test.
 *
 * It does two things:
 *  1. maps the 4.0 names packet-fcgi.c uses to later releases' names, as
 *     macros when only the name changed, through fcgi-takeover.c when the
 *     type changed (a macro cannot turn a gboolean callback into a bool
 *     one);
 *  2. sends the registration calls that would collide with Wireshark's
 *     built-in FastCGI dissector to fcgi-takeover.c, which takes the
 *     built-in over (see there).
 * Each macro below is defined after the header declaring the function it
 * replaces, so those declarations are not rewritten.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef FCGI_COMPAT_H
#define FCGI_COMPAT_H

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <epan/stats_tree.h>
#include <epan/strutil.h>
#include <epan/tvbuff.h>

#include "fcgi-takeover.h"

#define FCGI_WS_AT_LEAST(maj, min) \
    (WIRESHARK_VERSION_MAJOR > (maj) || \
     (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

/* ---- 1. Wireshark 4.0 names on later releases ------------------------ */

#if FCGI_WS_AT_LEAST(4, 2)
/* 4.2 renamed the glib-typed accessors and moved the HTTP message info
 * that media dissectors receive into packet-media-type.h. */
#include <epan/dissectors/packet-media-type.h>
#include <epan/dissectors/packet-http.h>

#undef tvb_get_guint8
#define tvb_get_guint8(tvb, offset) tvb_get_uint8((tvb), (offset))
#include <wsutil/to_str.h>
#undef guint32_to_str_buf
#define guint32_to_str_buf(u, buf, buf_len) uint32_to_str_buf((u), (buf), (buf_len))
#undef tvb_find_guint8
#define tvb_find_guint8(tvb, offset, maxlength, needle) tvb_find_uint8((tvb), (offset), (maxlength), (needle))

#ifndef HTTP_REQUEST
typedef media_content_info_t http_message_info_t;
#define HTTP_REQUEST  MEDIA_CONTAINER_HTTP_REQUEST
#define HTTP_RESPONSE MEDIA_CONTAINER_HTTP_RESPONSE
#endif

#undef tvb_child_uncompress
#define tvb_child_uncompress(parent, tvb, offset, length) \
    tvb_child_uncompress_zlib((parent), (tvb), (offset), (length))

/* format_text_string() takes char since 4.2, unsigned char before. */
static inline char *
fcgi_format_text_string(wmem_allocator_t *scope, const guchar *string)
{
    return format_text_string(scope, (const char *)string);
}
#define format_text_string(scope, string) fcgi_format_text_string((scope), (string))

/* Heuristics return bool and boolean preferences are bool since 4.2. */
#define heur_dissector_add(list, dissector, display_name, internal_name, proto, enable) \
    fcgi_compat_heur_dissector_add((list), (dissector), (display_name), (internal_name), \
                                   (proto), (enable))
#define prefs_register_bool_preference(module, name, title, description, var) \
    fcgi_compat_register_bool_preference((module), (name), (title), (description), (var))
#endif

#if FCGI_WS_AT_LEAST(4, 6)
/* 4.6: val_to_str() takes the allocator first (it was val_to_str_wmem());
 * dissector_try_string() became dissector_try_string_with_data(). */
#undef val_to_str_wmem
#undef dissector_try_string
#define val_to_str_wmem(scope, val, vs, fmt) val_to_str((scope), (val), (vs), (fmt))
#define dissector_try_string(table, string, tvb, pinfo, tree, data) \
    dissector_try_string_with_data((table), (string), (tvb), (pinfo), (tree), true, (data))
/* 4.6 names the big-endian readers by signedness: pntoh16 is pntohu16,
 * pntoh32 pntohu32. */
#include <wsutil/pint.h>
#define pntoh16(p) pntohu16(p)
#define pntoh32(p) pntohu32(p)
/* 4.6 no longer exports HTTP's status phrases: the takeover file has them. */
#define vals_http_status_code fcgi_compat_http_status_phrases
extern const value_string fcgi_compat_http_status_phrases[];
#endif

/* ---- 2. Registration: taking over the built-in ---------------------- */

#define proto_register_protocol(name, short_name, filter_name) \
    fcgi_takeover_register_protocol((name), (short_name), (filter_name))
#define proto_register_field_array(proto, hf, num_records) \
    fcgi_takeover_register_field_array((proto), (hf), (num_records))
#define register_dissector(name, dissector, proto) \
    fcgi_takeover_register_dissector((name), (dissector), (proto))
#define prefs_register_protocol(proto, apply_cb) \
    fcgi_takeover_register_prefs((proto), (apply_cb))
#define dissector_add_uint_range_with_preference(table_name, range_str, handle) \
    fcgi_takeover_add_uint_range_with_preference((table_name), (range_str), (handle))

/* The GUI's Statistics menu shows the trees of plugins only when they are
 * registered as a plugin's (stats_tree_cfg.plugin). */
#define stats_tree_register(tapname, abbr, name, flags, packet, init, cleanup) \
    stats_tree_register_plugin((tapname), (abbr), (name), (flags), (packet), (init), (cleanup))

#endif /* FCGI_COMPAT_H */
