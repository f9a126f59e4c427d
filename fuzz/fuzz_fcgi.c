/* fuzz_fcgi.c: libFuzzer harness for the fcgi dissector plugin.
 *
 * packet-fcgi.c is compiled into this file (so ASan/UBSan instrument it and
 * the harness can reach its statics) and registered as a plugin before
 * epan_init(); the rest of Wireshark is the installed libwireshark.  Each
 * input becomes one TCP connection, Ethernet/IPv4/TCP frames built here,
 * dissected like "tshark -2 -V" does a file: a first pass over all frames,
 * a second pass with a visible tree whose every item label is formatted,
 * columns filled and taps listening (the plugin's two statistics trees,
 * Export Objects, and listeners that read every tap record).  TCP
 * desegmentation, tcp_dissect_pdus, the plugin's heuristic, its record,
 * stream reassembly and request tracking code all run.
 *
 * Checks: ASan and UBSan on the plugin and harness, WIRESHARK_ABORT_ON_
 * DISSECTOR_BUG (DISSECTOR_ASSERT, proto_tree misuse), wmem "simple" (one
 * malloc per allocation), Export Objects file names without '/', and with
 * FUZZ_FCGI_CHECK_COLUMNS=1 that no FCGI frame leaves the Info column
 * read-only.  The other heuristic dissectors of "tcp" and TLS are disabled
 * (crashes of their own in 4.0.17); FUZZ_FCGI_ALL_HEURISTICS=1 keeps the
 * heuristics, FUZZ_FCGI_DISABLE=a,b disables more protocols,
 * FUZZ_FCGI_VERBOSE=1 prints every frame's Protocol and Info columns.
 *
 * Input format (fuzz/make-seeds.py writes it from the captures):
 *
 *   flags byte, then segments separated by the 5-byte marker
 *   "\xf0SEG" + control byte.  The first segment has no marker and control 0.
 *
 *   flags  bit 0  the first pass builds a tree too (tshark -2 does not)
 *          bit 1  no second pass (one pass with tree, like tshark without -2)
 *          bit 2  server port 9001, decoded as fcgi ("-d tcp.port==9001,fcgi");
 *                 else 9000, where only the heuristic finds FastCGI
 *          bit 3  fcgi.reassemble_bodies:FALSE
 *          bit 4  no TCP handshake (the capture starts mid-connection)
 *          bit 5  tcp.reassemble_out_of_order:TRUE
 *          bit 6  tcp.try_heuristic_first:TRUE
 *          bit 7  fcgi.decompress_body:FALSE
 *   control bit 0  direction: 0 client->server, 1 server->client
 *          bit 1  retransmission: the segment starts where the previous
 *                 segment of its direction started (overlap)
 *          bit 2  gap: skip 1 sequence number first (data missing)
 *          bit 3  FIN after the segment
 *          bit 4  RST instead of data flags
 *
 * At most FUZZ_MAX_FRAMES frames are built; the rest of the input is ignored.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "../packet-fcgi.c"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <epan/column.h>
#include <epan/column-info.h>
#include <epan/disabled_protos.h>
#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <epan/export_object.h>
#include <epan/frame_data.h>
#include <epan/prefs.h>
#include <epan/stats_tree_priv.h>
#include <epan/tap.h>
#include <epan/timestamp.h>
#include <wiretap/wtap.h>
#include <wsutil/filesystem.h>
#include <wsutil/privileges.h>
#include <wsutil/report_message.h>
#include <wsutil/wslog.h>

#define FUZZ_MAX_FRAMES   256
#define FUZZ_SERVER_PORT  9000
#define FUZZ_FORCED_PORT  9001
#define FUZZ_CLIENT_PORT  50123
#define ETH_LEN   14
#define IP_LEN    20
#define TCP_LEN   20
#define HDRS_LEN  (ETH_LEN + IP_LEN + TCP_LEN)

static const guint8 seg_marker[4] = { 0xf0, 'S', 'E', 'G' };

typedef struct {
    guint8  *data;
    guint32  len;
    frame_data fd;
    wtap_rec rec;
} fuzz_frame_t;

struct packet_provider_data {
    fuzz_frame_t *frames;
    guint32 count;
};

static column_info fuzz_cinfo;
static gboolean fuzz_have_cinfo;
static guint64 fuzz_tap_sink;
/* FUZZ_FCGI_VERBOSE=1: print the columns of every frame of the last pass. */
static gboolean fuzz_verbose;
/* FUZZ_FCGI_CHECK_COLUMNS=1: abort when an FCGI frame leaves the Info column
 * read-only (off by default while that bug is open, see fuzz/README.md). */
static gboolean fuzz_check_columns;

/* --- epan's packet provider -------------------------------------------- */

static const nstime_t *
fuzz_get_frame_ts(struct packet_provider_data *prov, guint32 frame_num)
{
    if (frame_num == 0 || frame_num > prov->count)
        return NULL;
    return &prov->frames[frame_num - 1].fd.abs_ts;
}

static const char *
fuzz_get_interface_name(struct packet_provider_data *prov _U_, guint32 interface_id _U_)
{
    return "fuzz0";
}

static const char *
fuzz_get_interface_description(struct packet_provider_data *prov _U_, guint32 interface_id _U_)
{
    return NULL;
}

static wtap_block_t
fuzz_get_modified_block(struct packet_provider_data *prov _U_, const frame_data *fd _U_)
{
    return NULL;
}

static const struct packet_provider_funcs fuzz_funcs = {
    fuzz_get_frame_ts, fuzz_get_interface_name, fuzz_get_interface_description,
    fuzz_get_modified_block,
};

/* --- taps: read everything the plugin hands to its listeners ------------- */

static void
fuzz_touch_string(const char *s)
{
    if (s)
        fuzz_tap_sink += strlen(s);
}

static tap_packet_status
fuzz_fcgi_tap_packet(void *tapdata _U_, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                     const void *data, tap_flags_t flags _U_)
{
    const fcgi_tap_info_t *ti = (const fcgi_tap_info_t *)data;

    fuzz_touch_string(ti->method);
    fuzz_touch_string(ti->uri);
    fuzz_touch_string(ti->script_name);
    fuzz_tap_sink += ti->request_bytes + ti->response_bytes + ti->stderr_bytes + ti->response_code;
    return TAP_PACKET_DONT_REDRAW;
}

static tap_packet_status
fuzz_record_tap_packet(void *tapdata _U_, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                       const void *data, tap_flags_t flags _U_)
{
    const fcgi_record_tap_info_t *rt = (const fcgi_record_tap_info_t *)data;

    fuzz_tap_sink += rt->type;
    if (rt->finished)
        fuzz_touch_string(rt->finished->uri);
    return TAP_PACKET_DONT_REDRAW;
}

static void
fuzz_eo_add_entry(void *gui_data _U_, export_object_entry_t *entry)
{
    size_t i;

    fuzz_touch_string(entry->filename);
    fuzz_touch_string(entry->content_type);
    fuzz_touch_string(entry->hostname);
    for (i = 0; i < entry->payload_len; i++)
        fuzz_tap_sink += entry->payload_data[i];
    if (strchr(entry->filename, '/') || strcmp(entry->filename, "..") == 0) {
        fprintf(stderr, "fuzz_fcgi: unsafe export object file name \"%s\"\n", entry->filename);
        abort();
    }
    eo_free_entry(entry);
}

static export_object_entry_t *
fuzz_eo_get_entry(void *gui_data _U_, int row _U_)
{
    return NULL;
}

static export_object_list_t fuzz_eo_list = { fuzz_eo_add_entry, fuzz_eo_get_entry, NULL };

static void
fuzz_register_taps(void)
{
    register_eo_t *eo = get_eo_by_name("fcgi");
    GString *err;

    err = register_tap_listener("fcgi", &fuzz_tap_sink, NULL, TL_REQUIRES_NOTHING, NULL,
                                fuzz_fcgi_tap_packet, NULL, NULL);
    if (!err)
        err = register_tap_listener("fcgi_record", &fuzz_tap_sink, NULL, TL_REQUIRES_NOTHING, NULL,
                                    fuzz_record_tap_packet, NULL, NULL);
    if (!err && eo)
        err = register_tap_listener(get_eo_tap_listener_name(eo), &fuzz_eo_list, NULL, TL_REQUIRES_NOTHING,
                                    NULL, get_eo_packet_func(eo), NULL, NULL);
    if (err) {
        fprintf(stderr, "fuzz_fcgi: cannot register a tap listener: %s\n", err->str);
        abort();
    }
    if (!eo) {
        fprintf(stderr, "fuzz_fcgi: no \"fcgi\" export object\n");
        abort();
    }
}

/* The plugin's two statistics trees (tshark -z fcgi,tree -z fcgi_scripts,tree),
 * new for every input. */
static stats_tree *fuzz_stats[2];

static void
fuzz_stats_trees_start(void)
{
    static const char *const abbr[2] = { "fcgi", "fcgi_scripts" };
    int i;

    for (i = 0; i < 2; i++) {
        stats_tree_cfg *cfg = stats_tree_get_cfg_by_abbr(abbr[i]);
        GString *err;

        if (!cfg) {
            fprintf(stderr, "fuzz_fcgi: no statistics tree \"%s\"\n", abbr[i]);
            abort();
        }
        fuzz_stats[i] = stats_tree_new(cfg, NULL, NULL);
        err = register_tap_listener(cfg->tapname, fuzz_stats[i], NULL, cfg->flags, stats_tree_reset,
                                    stats_tree_packet, NULL, NULL);
        if (err) {
            fprintf(stderr, "fuzz_fcgi: statistics tree \"%s\": %s\n", abbr[i], err->str);
            abort();
        }
        if (cfg->init)
            cfg->init(fuzz_stats[i]);
    }
}

static void
fuzz_stats_trees_stop(void)
{
    int i;

    for (i = 0; i < 2; i++) {
        remove_tap_listener(fuzz_stats[i]);
        stats_tree_free(fuzz_stats[i]);
        fuzz_stats[i] = NULL;
    }
}

/* --- initialisation, once ------------------------------------------------ */

/* Only the plugin's heuristic looks at TCP payloads: the other heuristic
 * dissectors of the "tcp" list are not the fuzz target, and some crash on
 * their own in 4.0.17 (see fuzz/README.md). FUZZ_FCGI_ALL_HEURISTICS=1
 * keeps them all. */
static void
fuzz_only_fcgi_heuristic(const gchar *table_name _U_, struct heur_dtbl_entry *entry, gpointer user_data _U_)
{
    if (strcmp(entry->short_name, "fcgi_tcp") != 0)
        entry->enabled = FALSE;
}

/* Wireshark ignores WIRESHARK_DATA_DIR and friends when started as root,
 * and the fuzzer usually runs as root.  This definition interposes
 * libwsutil's (the binary is linked with --export-dynamic), so that the
 * data directory set up by fuzz_data_dir() is used. */
gboolean started_with_special_privs(void);
gboolean
started_with_special_privs(void)
{
    return FALSE;
}

/* Every epan_new() (one per input) reloads the name resolution files;
 * manuf, services and enterprises.tsv are 4 MB and make that cost 0.2 s.
 * A private copy of the data directory (symbolic links) without them keeps
 * everything else. */
static void
fuzz_data_dir(void)
{
    static const char *const skip[] = { "manuf", "services", "enterprises.tsv", "wka", NULL };
    const char *sys = "/usr/share/wireshark";
    char *dir = g_strdup_printf("%s/fuzz_fcgi-data.%u", g_get_tmp_dir(), (unsigned)getuid());
    GDir *d;
    const char *name;

    if (g_getenv("WIRESHARK_DATA_DIR") || !g_file_test(sys, G_FILE_TEST_IS_DIR)) {
        g_free(dir);
        return;
    }
    g_mkdir_with_parents(dir, 0755);
    d = g_dir_open(sys, 0, NULL);
    while (d && (name = g_dir_read_name(d)) != NULL) {
        char *target, *link;
        int i, skipped = 0;

        for (i = 0; skip[i]; i++)
            skipped |= strcmp(name, skip[i]) == 0;
        if (skipped)
            continue;
        target = g_build_filename(sys, name, NULL);
        link = g_build_filename(dir, name, NULL);
        if (!g_file_test(link, G_FILE_TEST_EXISTS))
            (void)symlink(target, link);
        g_free(target);
        g_free(link);
    }
    if (d)
        g_dir_close(d);
    g_setenv("WIRESHARK_DATA_DIR", dir, 1);
    g_free(dir);
}

static void
fuzz_report(const char *fmt, va_list ap)
{
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

static void fuzz_open_failure(const char *f _U_, int e _U_, gboolean w _U_) { }
static void fuzz_rw_failure(const char *f _U_, int e _U_) { }

static void
fuzz_set_pref(const char *name, gboolean value)
{
    char buf[128];
    char *errmsg = NULL;

    snprintf(buf, sizeof(buf), "%s:%s", name, value ? "TRUE" : "FALSE");
    if (prefs_set_pref(buf, &errmsg) != PREFS_SET_OK) {
        fprintf(stderr, "fuzz_fcgi: cannot set %s%s%s\n", buf, errmsg ? ": " : "", errmsg ? errmsg : "");
        abort();
    }
    g_free(errmsg);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc _U_, char ***argv)
{
    static const struct report_message_routines routines = {
        fuzz_report, fuzz_report, fuzz_open_failure, fuzz_rw_failure, fuzz_rw_failure,
        NULL, NULL, NULL, NULL, NULL,
    };
    static proto_plugin plug;
    e_prefs *prefs_p;

    /* As fuzzshark: one malloc per wmem allocation, so that ASan sees every
     * overrun; abort on DISSECTOR_ASSERT and dissector bugs. */
    g_setenv("WIRESHARK_DEBUG_WMEM_OVERRIDE", "simple", 0);
    g_setenv("G_SLICE", "always-malloc", 0);
    g_setenv("WIRESHARK_ABORT_ON_DISSECTOR_BUG", "1", 0);
    /* No personal preferences or plugins of whoever runs this. */
    g_setenv("WIRESHARK_CONFIG_DIR", "/nonexistent-fuzz-fcgi", 0);
    g_setenv("XDG_CONFIG_HOME", "/nonexistent-fuzz-fcgi", 0);
    fuzz_data_dir();

    ws_log_init("fuzz_fcgi", NULL);
    ws_log_set_level(LOG_LEVEL_CRITICAL);
    init_process_policies();
    g_free(configuration_init((*argv)[0], NULL));
    init_report_message("fuzz_fcgi", &routines);
    timestamp_set_type(TS_RELATIVE);
    timestamp_set_precision(TS_PREC_AUTO);
    timestamp_set_seconds_type(TS_SECONDS_DEFAULT);
    wtap_init(FALSE);

    /* What plugin.c does when epan loads fcgi.so. */
    plug.register_protoinfo = proto_register_fcgi;
    plug.register_handoff = proto_reg_handoff_fcgi;
    proto_register_plugin(&plug);

    if (!epan_init(NULL, NULL, FALSE)) {
        fprintf(stderr, "fuzz_fcgi: epan_init failed\n");
        abort();
    }
    prefs_p = epan_load_settings();
    prefs_apply_all();
    build_column_format_array(&fuzz_cinfo, prefs_p->num_cols, TRUE);
    fuzz_have_cinfo = TRUE;

    /* Built-in dissectors with known crashes of their own, which would stop
     * the fuzzer (Wireshark 4.0.17: packet-tls.c:2386 failed assertion
     * "fh", see fuzz/README.md), plus any named in FUZZ_FCGI_DISABLE
     * (comma-separated filter names).  TLS is also reached through port
     * numbers, so it is disabled outright. */
    {
        char **names = g_strsplit_set(g_getenv("FUZZ_FCGI_DISABLE") ? g_getenv("FUZZ_FCGI_DISABLE") : "",
                                      ", ", -1);
        int i;

        proto_disable_proto_by_name("tls");
        for (i = 0; names[i]; i++) {
            if (*names[i])
                proto_disable_proto_by_name(names[i]);
        }
        g_strfreev(names);
    }

    if (!g_getenv("FUZZ_FCGI_ALL_HEURISTICS"))
        heur_dissector_table_foreach("tcp", fuzz_only_fcgi_heuristic, NULL);

    /* "-d tcp.port==9001,fcgi" */
    dissector_change_uint("tcp.port", FUZZ_FORCED_PORT, fcgi_handle);
    fuzz_register_taps();
    fuzz_verbose = g_getenv("FUZZ_FCGI_VERBOSE") != NULL;
    fuzz_check_columns = g_getenv("FUZZ_FCGI_CHECK_COLUMNS") != NULL;
    return 0;
}

/* --- frames -------------------------------------------------------------- */

typedef struct {
    guint32 next_seq[2];    /* per direction */
    guint32 last_seq[2];
    guint16 port[2];
    guint32 count;
    guint32 usec;
    fuzz_frame_t *frames;
} fuzz_conn_t;

#define FZ_FIN 0x01
#define FZ_SYN 0x02
#define FZ_RST 0x04
#define FZ_PSH 0x08
#define FZ_ACK 0x10

static void
fuzz_add_frame(fuzz_conn_t *c, int dir, guint8 tcp_flags, guint32 seq, const guint8 *payload, guint32 len)
{
    fuzz_frame_t *f;
    guint8 *p;
    guint32 total = HDRS_LEN + len;
    guint32 ack = (tcp_flags & FZ_ACK) ? c->next_seq[!dir] : 0;
    guint32 i, sum = 0;

    if (c->count >= FUZZ_MAX_FRAMES)
        return;
    f = &c->frames[c->count++];
    /* Exactly the frame, so that ASan catches reads past it. */
    p = f->data = (guint8 *)g_malloc(total);
    f->len = total;
    /* Ethernet */
    memcpy(p, dir ? "\x02\0\0\0\0\x01" "\x02\0\0\0\0\x02" : "\x02\0\0\0\0\x02" "\x02\0\0\0\0\x01", 12);
    p[12] = 0x08; p[13] = 0x00;
    /* IPv4, 10.0.0.1 client, 10.0.0.2 server */
    p += ETH_LEN;
    p[0] = 0x45; p[1] = 0;
    p[2] = (guint8)((IP_LEN + TCP_LEN + len) >> 8); p[3] = (guint8)(IP_LEN + TCP_LEN + len);
    p[4] = (guint8)(c->count >> 8); p[5] = (guint8)c->count;
    p[6] = 0x40; p[7] = 0; p[8] = 64; p[9] = 6; p[10] = 0; p[11] = 0;
    memcpy(p + 12, dir ? "\x0a\0\0\x02\x0a\0\0\x01" : "\x0a\0\0\x01\x0a\0\0\x02", 8);
    for (i = 0; i < IP_LEN; i += 2)
        sum += (guint32)(p[i] << 8 | p[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    p[10] = (guint8)(~sum >> 8); p[11] = (guint8)~sum;
    /* TCP, no options; the checksum is not verified by default */
    p += IP_LEN;
    p[0] = (guint8)(c->port[dir] >> 8); p[1] = (guint8)c->port[dir];
    p[2] = (guint8)(c->port[!dir] >> 8); p[3] = (guint8)c->port[!dir];
    p[4] = (guint8)(seq >> 24); p[5] = (guint8)(seq >> 16); p[6] = (guint8)(seq >> 8); p[7] = (guint8)seq;
    p[8] = (guint8)(ack >> 24); p[9] = (guint8)(ack >> 16); p[10] = (guint8)(ack >> 8); p[11] = (guint8)ack;
    p[12] = 0x50; p[13] = tcp_flags;
    p[14] = 0xff; p[15] = 0xff;
    p[16] = p[17] = p[18] = p[19] = 0;
    if (len)
        memcpy(p + TCP_LEN, payload, len);

    memset(&f->rec, 0, sizeof(f->rec));
    f->rec.rec_type = REC_TYPE_PACKET;
    f->rec.presence_flags = WTAP_HAS_TS | WTAP_HAS_CAP_LEN;
    f->rec.tsprec = WTAP_TSPREC_USEC;
    c->usec += 1000;
    f->rec.ts.secs = 1700000000 + c->usec / 1000000;
    f->rec.ts.nsecs = (int)(c->usec % 1000000) * 1000;
    f->rec.rec_header.packet_header.caplen = total;
    f->rec.rec_header.packet_header.len = total;
    f->rec.rec_header.packet_header.pkt_encap = WTAP_ENCAP_ETHERNET;
}

static void
fuzz_add_segment(fuzz_conn_t *c, guint8 control, const guint8 *payload, guint32 len)
{
    int dir = control & 1;
    guint32 seq;

    if (control & 0x04)
        c->next_seq[dir]++;
    seq = (control & 0x02) ? c->last_seq[dir] : c->next_seq[dir];
    if (control & 0x10) {
        fuzz_add_frame(c, dir, FZ_RST | FZ_ACK, seq, payload, len);
    } else if (len > 0 || !(control & 0x08)) {
        fuzz_add_frame(c, dir, FZ_ACK | (len ? FZ_PSH : 0), seq, payload, len);
    }
    c->last_seq[dir] = seq;
    if (seq + len - c->next_seq[dir] < 0x80000000U)
        c->next_seq[dir] = seq + len;
    if (control & 0x08) {
        fuzz_add_frame(c, dir, FZ_FIN | FZ_ACK, c->next_seq[dir], NULL, 0);
        c->next_seq[dir]++;
    }
}

static const guint8 *
fuzz_find_marker(const guint8 *p, const guint8 *end)
{
    while (end - p >= (ptrdiff_t)sizeof(seg_marker) + 1) {
        const guint8 *m = (const guint8 *)memchr(p, seg_marker[0], (size_t)(end - p - sizeof(seg_marker)));
        if (!m)
            return NULL;
        if (memcmp(m, seg_marker, sizeof(seg_marker)) == 0)
            return m;
        p = m + 1;
    }
    return NULL;
}

/* --- dissection ---------------------------------------------------------- */

static void
fuzz_walk_tree(proto_node *node, gpointer data)
{
    field_info *fi = PNODE_FINFO(node);

    if (fi) {
        if (fi->rep) {
            fuzz_tap_sink += strlen(fi->rep->representation);
        } else {
            gchar label[ITEM_LABEL_LENGTH];
            proto_item_fill_label(fi, label);
            fuzz_tap_sink += strlen(label);
        }
    }
    proto_tree_children_foreach(node, fuzz_walk_tree, data);
}


static void
fuzz_print_columns(const frame_data *fd)
{
    int i;

    fprintf(stderr, "%4u", fd->num);
    for (i = 0; i < fuzz_cinfo.num_cols; i++) {
        int fmt = fuzz_cinfo.columns[i].col_fmt;
        if (fmt == COL_PROTOCOL || fmt == COL_INFO)
            fprintf(stderr, "  %s", fuzz_cinfo.columns[i].col_data ? fuzz_cinfo.columns[i].col_data : "");
    }
    fputc('\n', stderr);
}

static gboolean
fuzz_frame_is_fcgi(epan_dissect_t *edt)
{
    wmem_list_frame_t *l;

    for (l = wmem_list_head(edt->pi.layers); l; l = wmem_list_frame_next(l)) {
        if (GPOINTER_TO_INT(wmem_list_frame_data(l)) == proto_fcgi)
            return TRUE;
    }
    return FALSE;
}

static void
fuzz_pass(epan_t *epan, struct packet_provider_data *prov, gboolean tree, gboolean first)
{
    epan_dissect_t *edt = epan_dissect_new(epan, tree, tree);
    const frame_data *ref = NULL, *prev_dis = NULL;
    nstime_t elapsed;
    guint32 i, cum_bytes = 0;

    nstime_set_zero(&elapsed);
    for (i = 0; i < prov->count; i++) {
        fuzz_frame_t *f = &prov->frames[i];

        if (first)
            frame_data_init(&f->fd, i + 1, &f->rec, 0, cum_bytes);
        frame_data_set_before_dissect(&f->fd, &elapsed, &ref, prev_dis);
        if (tree && fuzz_have_cinfo)
            col_custom_prime_edt(edt, &fuzz_cinfo);
        epan_dissect_run_with_taps(edt, WTAP_FILE_TYPE_SUBTYPE_UNKNOWN, &f->rec,
                                   tvb_new_real_data(f->data, f->len, f->len), &f->fd,
                                   tree && fuzz_have_cinfo ? &fuzz_cinfo : NULL);
        if (first)
            frame_data_set_after_dissect(&f->fd, &cum_bytes);
        if (tree) {
            if (fuzz_have_cinfo) {
                if (fuzz_check_columns && !col_get_writable(&fuzz_cinfo, COL_INFO) &&
                    fuzz_frame_is_fcgi(edt)) {
                    /* The plugin makes the columns read-only around the
                     * body's dissector and must make them writable again. */
                    fprintf(stderr, "fuzz_fcgi: frame %u: the Info column was left read-only\n", f->fd.num);
                    abort();
                }
                epan_dissect_fill_in_columns(edt, FALSE, TRUE);
                if (fuzz_verbose)
                    fuzz_print_columns(&f->fd);
            }
            fuzz_walk_tree(edt->tree, NULL);
        }
        prev_dis = &f->fd;
        epan_dissect_reset(edt);
    }
    epan_dissect_free(edt);
}

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);

int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
    static guint8 last_flags = 0;
    static gboolean first_input = TRUE;
    fuzz_frame_t frames[FUZZ_MAX_FRAMES];
    fuzz_conn_t c;
    struct packet_provider_data prov;
    const guint8 *p, *end;
    guint8 flags, control;
    epan_t *epan;
    guint32 i;

    if (len < 1)
        return 0;
    flags = buf[0];
    if (first_input || ((flags ^ last_flags) & 0xe8)) {
        fuzz_set_pref("fcgi.reassemble_bodies", !(flags & 0x08));
        fuzz_set_pref("tcp.reassemble_out_of_order", (flags & 0x20) != 0);
        fuzz_set_pref("tcp.try_heuristic_first", (flags & 0x40) != 0);
        fuzz_set_pref("fcgi.decompress_body", !(flags & 0x80));
        prefs_apply_all();
        last_flags = flags;
        first_input = FALSE;
    }

    memset(&c, 0, sizeof(c));
    c.frames = frames;
    c.port[0] = FUZZ_CLIENT_PORT;
    c.port[1] = (flags & 0x04) ? FUZZ_FORCED_PORT : FUZZ_SERVER_PORT;
    c.next_seq[0] = c.last_seq[0] = 0x10000000;
    c.next_seq[1] = c.last_seq[1] = 0x20000000;
    if (!(flags & 0x10)) {
        fuzz_add_frame(&c, 0, FZ_SYN, c.next_seq[0], NULL, 0);
        c.next_seq[0]++;
        fuzz_add_frame(&c, 1, FZ_SYN | FZ_ACK, c.next_seq[1], NULL, 0);
        c.next_seq[1]++;
        fuzz_add_frame(&c, 0, FZ_ACK, c.next_seq[0], NULL, 0);
        c.last_seq[0] = c.next_seq[0];
        c.last_seq[1] = c.next_seq[1];
    }
    p = buf + 1;
    end = buf + len;
    control = 0;
    while (p <= end && c.count < FUZZ_MAX_FRAMES) {
        const guint8 *m = fuzz_find_marker(p, end);
        const guint8 *seg_end = m ? m : end;

        fuzz_add_segment(&c, control, p, (guint32)(seg_end - p));
        if (!m)
            break;
        control = m[sizeof(seg_marker)];
        p = m + sizeof(seg_marker) + 1;
    }

    prov.frames = frames;
    prov.count = c.count;
    epan = epan_new(&prov, &fuzz_funcs);
    fuzz_stats_trees_start();
    if (flags & 0x02) {
        fuzz_pass(epan, &prov, TRUE, TRUE);
    } else {
        fuzz_pass(epan, &prov, (flags & 0x01) != 0, TRUE);
        fuzz_pass(epan, &prov, TRUE, FALSE);
    }
    for (i = 0; i < c.count; i++) {
        frame_data_destroy(&frames[i].fd);
        g_free(frames[i].data);
    }
    fuzz_stats_trees_stop();
    epan_free(epan);
    return 0;
}
