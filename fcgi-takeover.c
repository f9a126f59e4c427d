/* fcgi-takeover.c: the plugin's registration layer.
 *
 * packet-fcgi.c registers the way an in-tree dissector does:
 * proto_register_protocol("FastCGI", "FCGI", "fcgi"), all its fields,
 * register_dissector("fcgi"), prefs_register_protocol(),
 * dissector_add_uint_range_with_preference("tcp.port", "") and a
 * heuristic.  Inside Wireshark's tree that is all it takes.  As a plugin,
 * Wireshark's own minimal FastCGI dissector is already there, with the
 * same protocol, 13 of the same field names, the dissector name "fcgi", a
 * "tcp.port" Decode As entry and the "fcgi.tcp.port" preference;
 * registering any of these names again is fatal and deregistering them
 * crashes.  fcgi-compat.h therefore sends those calls here, and this file
 * takes the built-in over:
 *
 *  - proto_register_protocol() returns the built-in's protocol id;
 *  - proto_register_field_array() adopts the built-in's registration of a
 *    field with the same name and type (saved filters keep working) and
 *    registers the others under that protocol;
 *  - register_dissector() makes an unnamed handle: "fcgi" stays the
 *    built-in's name (nothing in Wireshark looks it up);
 *  - prefs_register_protocol() creates the "fcgi" preference module before
 *    the built-in's handoff runs, so the built-in puts its "tcp.port"
 *    preference into it, and gives the module the apply callback below;
 *  - dissector_add_uint_range_with_preference() (the handoff, after the
 *    built-in's) puts the plugin's handle in place of the built-in's in the
 *    table's Decode As list, which "-d tcp.port==N,fcgi" and the lists of
 *    the GUI's Decode As dialog are built from;
 *  - the apply callback moves every entry of that table that points at the
 *    built-in's handle over to the plugin's.  Every other way of pointing
 *    a port at FastCGI (-o fcgi.tcp.port, the preferences file, a saved
 *    decode_as_entries file, the GUI's Decode As dialog and Preferences)
 *    looks the handle up by its description "FCGI"; Wireshark 4.6 answers
 *    that from a map only dissector_add_for_decode_as() fills, so the
 *    built-in's handle.  Each of those paths then marks the "fcgi" module
 *    changed and applies preferences, which runs the callback before any
 *    packet is dissected.
 *
 * It also bridges two differences between Wireshark releases that are
 * types, not names (4.2 moved callbacks and preferences from gboolean to
 * C99 bool): a trampoline for the heuristic and shadow variables for the
 * boolean preferences.
 *
 * This file includes Wireshark's headers directly, not fcgi-compat.h, so
 * the calls below are Wireshark's own functions.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>

#include "fcgi-takeover.h"

#define FCGI_TAKEOVER_WS_AT_LEAST(maj, min) \
    (WIRESHARK_VERSION_MAJOR > (maj) || \
     (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

/* The built-in's protocol id while it is taken over, else -1. */
static int builtin_proto = -1;
/* The plugin's handle, as given to the port table. */
static dissector_handle_t plugin_handle;
/* Names of the dissector tables whose entries must point at the plugin. */
static GSList *taken_tables;
/* The dissector's own apply callback, if it gave one. */
static void (*dissector_apply_cb)(void);

int
fcgi_takeover_register_protocol(const char *name, const char *short_name, const char *filter_name)
{
    int id = proto_get_id_by_filter_name(filter_name);

    if (id != -1) {
        builtin_proto = id;
        return id;
    }
    return proto_register_protocol(name, short_name, filter_name);
}

void
fcgi_takeover_register_field_array(int proto, hf_register_info *hf, int num_records)
{
    int i;

    if (builtin_proto == -1 || proto != builtin_proto) {
        proto_register_field_array(proto, hf, num_records);
        return;
    }
    /* One by one, so that each registration points into the caller's
     * static array as Wireshark requires.  A name the built-in registered
     * with another type is registered again, which Wireshark reports. */
    for (i = 0; i < num_records; i++) {
        int id = proto_registrar_get_id_byname(hf[i].hfinfo.abbrev);

        if (id >= 0 && proto_registrar_get_parent(id) == proto &&
            proto_registrar_get_ftype(id) == hf[i].hfinfo.type)
            *hf[i].p_id = id;
        else
            proto_register_field_array(proto, &hf[i], 1);
    }
}

dissector_handle_t
fcgi_takeover_register_dissector(const char *name, dissector_t dissector, int proto)
{
    dissector_handle_t builtin = find_dissector(name);

    if (builtin && dissector_handle_get_protocol_index(builtin) == proto)
        return create_dissector_handle(dissector, proto);
    return register_dissector(name, dissector, proto);
}

/* Points every entry of the taken tables that holds the built-in's handle
 * at the plugin's handle instead. */
static void
collect_builtin_entry(const char *table_name _U_, ftenum_t selector_type _U_, void *key,
                      void *value, void *user_data)
{
    dissector_handle_t handle = dtbl_entry_get_handle((dtbl_entry_t *)value);
    GSList **keys = (GSList **)user_data;

    if (handle && handle != plugin_handle && dissector_handle_get_protocol_index(handle) == builtin_proto)
        *keys = g_slist_prepend(*keys, key);
}

static void
retarget_builtin_entries(void)
{
    GSList *t, *keys, *k;

    for (t = taken_tables; t; t = t->next) {
        const char *table_name = (const char *)t->data;

        keys = NULL;
        dissector_table_foreach(table_name, collect_builtin_entry, &keys);
        for (k = keys; k; k = k->next)
            dissector_change_uint(table_name, GPOINTER_TO_UINT(k->data), plugin_handle);
        g_slist_free(keys);
    }
}

#if FCGI_TAKEOVER_WS_AT_LEAST(4, 2)
/* A boolean preference: Wireshark writes the bool, the dissector reads its
 * gboolean, which the apply callback brings up to date. */
typedef struct {
    bool      value;
    gboolean *var;
} bool_shadow_t;

static GSList *bool_shadows;

static void
copy_bool_shadows(void)
{
    GSList *l;

    for (l = bool_shadows; l; l = l->next) {
        bool_shadow_t *s = (bool_shadow_t *)l->data;
        *s->var = s->value ? TRUE : FALSE;
    }
}

void
fcgi_compat_register_bool_preference(module_t *module, const char *name, const char *title,
                                     const char *description, gboolean *var)
{
    bool_shadow_t *s = wmem_new(wmem_epan_scope(), bool_shadow_t);

    s->value = *var != FALSE;
    s->var = var;
    bool_shadows = g_slist_prepend(bool_shadows, s);
    prefs_register_bool_preference(module, name, title, description, &s->value);
}

/* The heuristic is called through this, which returns its answer as bool. */
static fcgi_heur_dissector_40_t heur_dissector;

static bool
heur_trampoline(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return heur_dissector(tvb, pinfo, tree, data) != FALSE;
}

void
fcgi_compat_heur_dissector_add(const char *list_name, fcgi_heur_dissector_40_t dissector,
                               const char *display_name, const char *internal_name,
                               int proto, heuristic_enable_e enable)
{
    /* One trampoline, so one heuristic: the dissector registers one. */
    ws_assert(heur_dissector == NULL || heur_dissector == dissector);
    heur_dissector = dissector;
    heur_dissector_add(list_name, heur_trampoline, display_name, internal_name, proto, enable);
}
#else
static void
copy_bool_shadows(void)
{
}
#endif

static void
takeover_apply(void)
{
    copy_bool_shadows();
    if (builtin_proto != -1)
        retarget_builtin_entries();
    if (dissector_apply_cb)
        dissector_apply_cb();
}

module_t *
fcgi_takeover_register_prefs(int proto, void (*apply_cb)(void))
{
    dissector_apply_cb = apply_cb;
    return prefs_register_protocol(proto, takeover_apply);
}

void
fcgi_takeover_add_uint_range_with_preference(const char *table_name, const char *range_str,
                                             dissector_handle_t handle)
{
    GSList *l;
    gboolean replaced = FALSE;

    plugin_handle = handle;
    if (builtin_proto == -1 || dissector_handle_get_protocol_index(handle) != builtin_proto) {
        dissector_add_uint_range_with_preference(table_name, range_str, handle);
        return;
    }
    /* The built-in registered the "<table>" preference of the module and
     * its handle in the Decode As list (in its handoff, before this one).
     * dissector_table_get_dissector_handles() returns the table's own list;
     * replacing the element in place keeps its position and avoids the
     * duplicate-description check of dissector_add_for_decode_as().  The
     * built-in registers no default port: a default range of the plugin's
     * own would have no preference to live in, so there is none. */
    ws_assert(range_str == NULL || range_str[0] == '\0');
    for (l = dissector_table_get_dissector_handles(find_dissector_table(table_name)); l; l = l->next) {
        dissector_handle_t h = (dissector_handle_t)l->data;
        if (h != handle && dissector_handle_get_protocol_index(h) == builtin_proto) {
            l->data = handle;
            replaced = TRUE;
        }
    }
    if (!replaced)
        dissector_add_for_decode_as(table_name, handle);
    if (!g_slist_find_custom(taken_tables, table_name, (GCompareFunc)strcmp))
        taken_tables = g_slist_prepend(taken_tables, g_strdup(table_name));
}

#if FCGI_TAKEOVER_WS_AT_LEAST(4, 6)
/* The phrases of the HTTP status codes (RFC 9110 15), as Wireshark 4.0 to
 * 4.4 export them in vals_http_status_code; 4.6 keeps that table to
 * itself. */
const value_string fcgi_compat_http_status_phrases[] = {
    { 100, "Continue" },
    { 101, "Switching Protocols" },
    { 102, "Processing" },
    { 103, "Early Hints" },
    { 199, "Informational - Others" },
    { 200, "OK" },
    { 201, "Created" },
    { 202, "Accepted" },
    { 203, "Non-authoritative Information" },
    { 204, "No Content" },
    { 205, "Reset Content" },
    { 206, "Partial Content" },
    { 207, "Multi-Status" },
    { 208, "Already Reported" },
    { 226, "IM Used" },
    { 299, "Success - Others" },
    { 300, "Multiple Choices" },
    { 301, "Moved Permanently" },
    { 302, "Found" },
    { 303, "See Other" },
    { 304, "Not Modified" },
    { 305, "Use Proxy" },
    { 307, "Temporary Redirect" },
    { 308, "Permanent Redirect" },
    { 399, "Redirection - Others" },
    { 400, "Bad Request" },
    { 401, "Unauthorized" },
    { 402, "Payment Required" },
    { 403, "Forbidden" },
    { 404, "Not Found" },
    { 405, "Method Not Allowed" },
    { 406, "Not Acceptable" },
    { 407, "Proxy Authentication Required" },
    { 408, "Request Time-out" },
    { 409, "Conflict" },
    { 410, "Gone" },
    { 411, "Length Required" },
    { 412, "Precondition Failed" },
    { 413, "Request Entity Too Large" },
    { 414, "Request-URI Too Long" },
    { 415, "Unsupported Media Type" },
    { 416, "Requested Range Not Satisfiable" },
    { 417, "Expectation Failed" },
    { 418, "I'm a teapot" },
    { 421, "Misdirected Request" },
    { 422, "Unprocessable Entity" },
    { 423, "Locked" },
    { 424, "Failed Dependency" },
    { 425, "Too Early" },
    { 426, "Upgrade Required" },
    { 428, "Precondition Required" },
    { 429, "Too Many Requests" },
    { 431, "Request Header Fields Too Large" },
    { 451, "Unavailable For Legal Reasons" },
    { 499, "Client Error - Others" },
    { 500, "Internal Server Error" },
    { 501, "Not Implemented" },
    { 502, "Bad Gateway" },
    { 503, "Service Unavailable" },
    { 504, "Gateway Time-out" },
    { 505, "HTTP Version not supported" },
    { 506, "Variant Also Negotiates" },
    { 507, "Insufficient Storage" },
    { 508, "Loop Detected" },
    { 510, "Not Extended" },
    { 511, "Network Authentication Required" },
    { 599, "Server Error - Others" },
    { 0, NULL }
};
#endif
