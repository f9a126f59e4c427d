/* fcgi-takeover.h: the plugin's registration layer (fcgi-takeover.c).
 *
 * packet-fcgi.c registers the way an in-tree dissector does.  Built as a
 * plugin, fcgi-compat.h redirects those registration calls here, where they
 * take over Wireshark's own built-in FastCGI dissector when it is present
 * and bridge the API differences between Wireshark releases that C's type
 * rules do not let a macro bridge (callback return and variable types).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef FCGI_TAKEOVER_H
#define FCGI_TAKEOVER_H

#include <glib.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>

/* A heuristic dissector as Wireshark 4.0 declares one (gboolean result). */
typedef gboolean (*fcgi_heur_dissector_40_t)(tvbuff_t *tvb, packet_info *pinfo,
                                             proto_tree *tree, void *data);

/* proto_register_protocol(): the built-in's protocol id when it exists. */
int fcgi_takeover_register_protocol(const char *name, const char *short_name,
                                    const char *filter_name);

/* proto_register_field_array(): fields the built-in registered already,
 * with the same name and type, are adopted; the others are registered. */
void fcgi_takeover_register_field_array(int proto, hf_register_info *hf, int num_records);

/* register_dissector(): a handle of its own when the built-in owns the name. */
dissector_handle_t fcgi_takeover_register_dissector(const char *name, dissector_t dissector,
                                                    int proto);

/* prefs_register_protocol(): one preference module, shared with the
 * built-in, whose apply callback keeps every port pointing at the plugin. */
module_t *fcgi_takeover_register_prefs(int proto, void (*apply_cb)(void));

/* dissector_add_uint_range_with_preference(): with a built-in, the plugin's
 * handle takes the built-in's place in the table's Decode As list. */
void fcgi_takeover_add_uint_range_with_preference(const char *table_name, const char *range_str,
                                                  dissector_handle_t handle);

/* heur_dissector_add() with a 4.0-style heuristic (4.2 and later want bool). */
void fcgi_compat_heur_dissector_add(const char *list_name, fcgi_heur_dissector_40_t dissector,
                                    const char *display_name, const char *internal_name,
                                    int proto, heuristic_enable_e enable);

/* prefs_register_bool_preference() with a 4.0-style gboolean variable
 * (4.2 and later want bool). */
void fcgi_compat_register_bool_preference(module_t *module, const char *name, const char *title,
                                          const char *description, gboolean *var);

#endif /* FCGI_TAKEOVER_H */
