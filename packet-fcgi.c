/* packet-fcgi.c
 * FastCGI dissector plugin for Wireshark.
 *
 * Implements the FastCGI Specification 1.0 (Open Market, 1996; Debian ships
 * it as /usr/share/doc/libfcgi-dev/fcgi-spec.html).  Section numbers in the
 * comments ("spec 3.3") refer to it; "RFC 3875" is the CGI 1.1 RFC, whose
 * section 6 defines the response that a Responder writes to FCGI_STDOUT.
 *
 * The file reads top-down:
 *   1. declarations: fields, subtrees, expert infos, value strings, prefs
 *   2. framing: record length, the TCP heuristic
 *   3. the record header
 *   4. one function per record body
 *   5. name-value pairs (PARAMS, GET_VALUES, GET_VALUES_RESULT)
 *   6. streams and request state: reassembly, CGI response, linking, Info
 *   7. tap and statistics
 *   8. registration and handoff, including the takeover of Wireshark's
 *      built-in FastCGI dissector
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "config.h"

#include <string.h>

#include <epan/packet.h>

#include <epan/conversation.h>
#include <epan/expert.h>
#include <epan/export_object.h>
#include <epan/prefs.h>
#include <epan/proto_data.h>
#include <epan/reassemble.h>
#include <epan/exceptions.h>
#include <epan/show_exception.h>
#include <epan/stats_tree.h>
#include <epan/strutil.h>
#include <epan/tap.h>
#include <epan/dissectors/packet-http.h>
#include <epan/dissectors/packet-tcp.h>
#include <wsutil/strtoi.h>

#include "packet-fcgi.h"

/* ======================================================================
 * 1. Declarations
 * ==================================================================== */

static int proto_fcgi = -1;
static dissector_handle_t fcgi_handle;
static dissector_handle_t media_handle_data;
static dissector_table_t media_type_table;
static int fcgi_tap = -1;
static int fcgi_eo_tap = -1;
static int fcgi_record_tap = -1;

/* Fields that Wireshark's built-in FastCGI dissector registers too.  When
 * the built-in is present the plugin uses its registrations (same names,
 * same types), so saved filters keep working; see section 8. */
static int hf_fcgi_version = -1;
static int hf_fcgi_type = -1;
static int hf_fcgi_id = -1;
static int hf_fcgi_content_length = -1;
static int hf_fcgi_padding_length = -1;
static int hf_fcgi_content_data = -1;
static int hf_fcgi_padding_data = -1;
static int hf_fcgi_begin_request_role = -1;
static int hf_fcgi_begin_request_flags = -1;
static int hf_fcgi_begin_request_keep_conn = -1;
static int hf_fcgi_end_request_app_status = -1;
static int hf_fcgi_end_request_protocol_status = -1;
static int hf_fcgi_nv_name = -1;

/* Fields only the plugin has. */
static int hf_fcgi_reserved = -1;
static int hf_fcgi_end_of_stream = -1;
static int hf_fcgi_begin_request_reserved = -1;
static int hf_fcgi_end_request_reserved = -1;
static int hf_fcgi_unknown_type_type = -1;
static int hf_fcgi_unknown_type_reserved = -1;
static int hf_fcgi_nv_name_length = -1;
static int hf_fcgi_nv_value_length = -1;
static int hf_fcgi_nv_value = -1;
static int hf_fcgi_values_max_conns = -1;
static int hf_fcgi_values_max_reqs = -1;
static int hf_fcgi_values_mpxs_conns = -1;
static int hf_fcgi_stderr_text = -1;
static int hf_fcgi_stderr = -1;
static int hf_fcgi_request_method = -1;
static int hf_fcgi_request_uri = -1;
static int hf_fcgi_request_script_name = -1;
static int hf_fcgi_request_script_filename = -1;
static int hf_fcgi_request_query_string = -1;
static int hf_fcgi_request_host = -1;
static int hf_fcgi_request_content_type = -1;
static int hf_fcgi_request_content_length = -1;
static int hf_fcgi_request_remote_addr = -1;
static int hf_fcgi_request_role = -1;
static int hf_fcgi_request_body = -1;
static int hf_fcgi_response_header = -1;
static int hf_fcgi_response_code = -1;
static int hf_fcgi_response_phrase = -1;
static int hf_fcgi_response_content_type = -1;
static int hf_fcgi_response_content_encoding = -1;
static int hf_fcgi_response_location = -1;
static int hf_fcgi_response_body = -1;
static int hf_fcgi_response_for_uri = -1;
static int hf_fcgi_request_in = -1;
static int hf_fcgi_response_in = -1;
static int hf_fcgi_time = -1;
static int hf_fcgi_stream_bytes = -1;
static int hf_fcgi_fragments = -1;
static int hf_fcgi_fragment = -1;
static int hf_fcgi_fragment_overlap = -1;
static int hf_fcgi_fragment_overlap_conflicts = -1;
static int hf_fcgi_fragment_multiple_tails = -1;
static int hf_fcgi_fragment_too_long_fragment = -1;
static int hf_fcgi_fragment_error = -1;
static int hf_fcgi_fragment_count = -1;
static int hf_fcgi_reassembled_in = -1;
static int hf_fcgi_reassembled_length = -1;
static int hf_fcgi_reassembled_data = -1;

static gint ett_fcgi = -1;
static gint ett_fcgi_body = -1;
static gint ett_fcgi_nv = -1;
static gint ett_fcgi_nv_pairs = -1;
static gint ett_fcgi_stream = -1;
static gint ett_fcgi_response_header = -1;
static gint ett_fcgi_fragment = -1;
static gint ett_fcgi_fragments = -1;

static expert_field ei_fcgi_version = EI_INIT;
static expert_field ei_fcgi_reserved = EI_INIT;
static expert_field ei_fcgi_type_undefined = EI_INIT;
static expert_field ei_fcgi_app_record_null_id = EI_INIT;
static expert_field ei_fcgi_mgmt_record_id = EI_INIT;
static expert_field ei_fcgi_body_length = EI_INIT;
static expert_field ei_fcgi_nv_overrun = EI_INIT;
static expert_field ei_fcgi_truncated = EI_INIT;
static expert_field ei_fcgi_not_begun_start = EI_INIT;
static expert_field ei_fcgi_not_begun = EI_INIT;
static expert_field ei_fcgi_protocol_status = EI_INIT;
static expert_field ei_fcgi_app_status = EI_INIT;
static expert_field ei_fcgi_stderr = EI_INIT;
static expert_field ei_fcgi_abort = EI_INIT;
static expert_field ei_fcgi_unknown_type_reply = EI_INIT;
static expert_field ei_fcgi_status_5xx = EI_INIT;
static expert_field ei_fcgi_status_4xx = EI_INIT;
static expert_field ei_fcgi_cgi_headers = EI_INIT;
static expert_field ei_fcgi_stream_after_end = EI_INIT;
static expert_field ei_fcgi_value_not_number = EI_INIT;

static const value_string fcgi_record_types[] = {
    { FCGI_BEGIN_REQUEST,     "FCGI_BEGIN_REQUEST" },
    { FCGI_ABORT_REQUEST,     "FCGI_ABORT_REQUEST" },
    { FCGI_END_REQUEST,       "FCGI_END_REQUEST" },
    { FCGI_PARAMS,            "FCGI_PARAMS" },
    { FCGI_STDIN,             "FCGI_STDIN" },
    { FCGI_STDOUT,            "FCGI_STDOUT" },
    { FCGI_STDERR,            "FCGI_STDERR" },
    { FCGI_DATA,              "FCGI_DATA" },
    { FCGI_GET_VALUES,        "FCGI_GET_VALUES" },
    { FCGI_GET_VALUES_RESULT, "FCGI_GET_VALUES_RESULT" },
    { FCGI_UNKNOWN_TYPE,      "FCGI_UNKNOWN_TYPE" },
    { 0, NULL }
};

/* The short names used in the Info column. */
static const value_string fcgi_record_short_names[] = {
    { FCGI_BEGIN_REQUEST,     "BEGIN_REQUEST" },
    { FCGI_ABORT_REQUEST,     "ABORT_REQUEST" },
    { FCGI_END_REQUEST,       "END_REQUEST" },
    { FCGI_PARAMS,            "PARAMS" },
    { FCGI_STDIN,             "STDIN" },
    { FCGI_STDOUT,            "STDOUT" },
    { FCGI_STDERR,            "STDERR" },
    { FCGI_DATA,              "DATA" },
    { FCGI_GET_VALUES,        "GET_VALUES" },
    { FCGI_GET_VALUES_RESULT, "GET_VALUES_RESULT" },
    { FCGI_UNKNOWN_TYPE,      "UNKNOWN_TYPE" },
    { 0, NULL }
};

static const value_string fcgi_roles[] = {
    { FCGI_RESPONDER,  "FCGI_RESPONDER" },
    { FCGI_AUTHORIZER, "FCGI_AUTHORIZER" },
    { FCGI_FILTER,     "FCGI_FILTER" },
    { 0, NULL }
};

static const value_string fcgi_protocol_statuses[] = {
    { FCGI_REQUEST_COMPLETE, "FCGI_REQUEST_COMPLETE" },
    { FCGI_CANT_MPX_CONN,    "FCGI_CANT_MPX_CONN" },
    { FCGI_OVERLOADED,       "FCGI_OVERLOADED" },
    { FCGI_UNKNOWN_ROLE,     "FCGI_UNKNOWN_ROLE" },
    { 0, NULL }
};

/* Preferences */
static gboolean fcgi_reassemble_bodies = TRUE;
static gboolean fcgi_decompress_body = TRUE;

static reassembly_table fcgi_stream_reassembly_table;

static const fragment_items fcgi_fragment_items = {
    &ett_fcgi_fragment,
    &ett_fcgi_fragments,
    &hf_fcgi_fragments,
    &hf_fcgi_fragment,
    &hf_fcgi_fragment_overlap,
    &hf_fcgi_fragment_overlap_conflicts,
    &hf_fcgi_fragment_multiple_tails,
    &hf_fcgi_fragment_too_long_fragment,
    &hf_fcgi_fragment_error,
    &hf_fcgi_fragment_count,
    &hf_fcgi_reassembled_in,
    &hf_fcgi_reassembled_length,
    &hf_fcgi_reassembled_data,
    "FastCGI stream records"
};

/* The five byte streams of a request (spec 3.3, 5.2, 5.3, 6). */
enum fcgi_stream_index {
    FCGI_STREAM_PARAMS, FCGI_STREAM_STDIN, FCGI_STREAM_STDOUT,
    FCGI_STREAM_STDERR, FCGI_STREAM_DATA, FCGI_NUM_STREAMS
};

static int
fcgi_stream_of_type(guint8 type)
{
    switch (type) {
    case FCGI_PARAMS: return FCGI_STREAM_PARAMS;
    case FCGI_STDIN:  return FCGI_STREAM_STDIN;
    case FCGI_STDOUT: return FCGI_STREAM_STDOUT;
    case FCGI_STDERR: return FCGI_STREAM_STDERR;
    case FCGI_DATA:   return FCGI_STREAM_DATA;
    default:          return -1;
    }
}

typedef struct {
    guint64 bytes;          /* content bytes seen so far (first pass) */
    guint32 reassembly_id;  /* unique in the file; 0 = no data reassembled */
    guint32 end_frame;      /* frame of the record that ended it, or 0 */
} fcgi_stream_t;

/* One request: spec 3.3 "the application keeps track of requests by their
 * request IDs", so a request lives from FCGI_BEGIN_REQUEST to
 * FCGI_END_REQUEST on one connection.  File scope. */
typedef struct fcgi_request {
    struct fcgi_request *next;     /* the connection's list of requests */
    guint16     id;
    guint16     role;
    guint8      protocol_status;
    guint32     conv_index;
    guint32     begin_frame;        /* 0: began before the capture */
    nstime_t    begin_ts;
    guint32     end_frame;
    nstime_t    end_ts;
    guint32     app_status;
    fcgi_stream_t streams[FCGI_NUM_STREAMS];
    /* From PARAMS */
    const char *method;
    const char *uri;
    const char *script_name;
    const char *content_type;
    /* From the CGI response on STDOUT (RFC 3875 section 6) */
    guint16     response_code;
} fcgi_request_t;

/* Where a record that never completed starts (see dissect_fcgi_tcp). */
typedef struct {
    guint32 frame;
    guint32 offset;
    guint32 length;
} fcgi_partial_t;

/* One connection.  File scope. */
typedef struct {
    fcgi_partial_t partial[2];  /* per direction */
    /* The requests in progress and, per id, the one that ended last (first
     * pass).  A connection has few at a time, so a list does. */
    fcgi_request_t *requests;
    guint32     conv_index;
    gboolean    seen_begin;     /* a FCGI_BEGIN_REQUEST was seen (first pass) */
    gboolean    seen_syn;       /* the capture has the connection's start */
    guint32     begun_active;   /* active requests whose beginning was seen */
    gboolean    multiplexed;    /* two requests were active at once (first pass) */
} fcgi_conv_t;

/* What the first pass learnt about one record, so that later passes show
 * the same thing whatever order frames are visited in. */
typedef struct {
    fcgi_request_t *req;        /* NULL for management records */
    guint16  flags;
} fcgi_record_info_t;

#define FCGI_REC_NOT_BEGUN       0x01  /* first record of a request never begun */
#define FCGI_REC_SHOW_ID         0x02  /* connection carries concurrent requests */
#define FCGI_REC_COMPLETES       0x04  /* this record completed its stream's reassembly */
#define FCGI_REC_AFTER_END       0x08  /* stream record after that stream ended */
#define FCGI_REC_REASSEMBLED     0x10  /* content went into a reassembly */
#define FCGI_REC_CAPTURE_START   0x20  /* no request had begun on the connection yet */
#define FCGI_REC_INLINE          0x40  /* the whole stream: its end follows in this segment */
#define FCGI_REC_STREAM_START    0x80  /* the first data record of its stream */
/* An FCGI_END_REQUEST that ends stream i, which its empty record did not
 * (php-fpm, for one, never sends the empty FCGI_STDOUT). */
#define FCGI_REC_ENDS_STREAM(i)  (0x100 << (i))

/* The records of one frame as kept in file scope, in the order in which
 * they are dissected (the same on every pass), in one small block: most
 * frames' records all belong to one request, which is then stored once. */
typedef struct {
    fcgi_request_t *req;        /* the request of every record, unless mixed */
    guint16 count;
    guint16 mixed;              /* 1: count fcgi_record_info_t follow the header */
    guint16 flags[];            /* not mixed: the flags of each record */
} fcgi_frame_info_t;

#define FCGI_FRAME_INFO_RECORDS(fi) \
    ((fcgi_record_info_t *)((guint8 *)(fi) + sizeof(fcgi_frame_info_t)))

/* Per dissection of one frame, in packet scope: the Info column text being
 * built and which requests already got their link fields in this frame. */
/* A record header, as the segment being dissected holds it. */
typedef struct {
    guint8  type;
    guint16 id;
    guint16 clen;
} fcgi_planned_t;

typedef struct {
    fcgi_conv_t   *conv;
    /* The complete records of the tvb tcp_dissect_pdus is working on (first
     * pass), and the index of the next one it hands over. */
    fcgi_planned_t *plan;
    guint32        plan_count;
    guint32        plan_next;
    guint32        next_record;
    /* The frame's records while it is dissected (see fcgi_track_record). */
    fcgi_record_info_t *recs;
    guint32        rec_count;
    guint32        rec_capacity;
    gboolean       recs_loaded;
    fcgi_frame_info_t *stored;
    wmem_strbuf_t *summary;
    wmem_strbuf_t *records;
    /* Requests that got their link fields in this frame already. */
    const void    *linked[8];
    guint32        linked_count;
} fcgi_frame_state_t;

static guint32 fcgi_next_reassembly_id;

/* ======================================================================
 * 2. Framing (spec 3.3: every record starts with an 8-byte header that
 *    gives the content and padding lengths)
 * ==================================================================== */

static int dissect_fcgi_record(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data);

static guint
get_fcgi_record_len(packet_info *pinfo _U_, tvbuff_t *tvb, int offset, void *data _U_)
{
    return FCGI_HEADER_LEN + tvb_get_ntohs(tvb, offset + 4) + tvb_get_guint8(tvb, offset + 6);
}

static fcgi_conv_t *fcgi_conversation(packet_info *pinfo, fcgi_frame_state_t *fs);
static void fcgi_update_info(packet_info *pinfo, fcgi_frame_state_t *fs);
static void fcgi_store_records(packet_info *pinfo, fcgi_frame_state_t *fs);
static fcgi_frame_state_t *fcgi_frame_state(packet_info *pinfo);

/* Which way a segment goes on its connection: 0 or 1. */
static int
fcgi_direction(packet_info *pinfo)
{
    int cmp = cmp_address(&pinfo->src, &pinfo->dst);
    return (cmp > 0 || (cmp == 0 && pinfo->srcport > pinfo->destport)) ? 1 : 0;
}

/* Notes the headers of the complete records at the start of tvb, in the
 * order tcp_dissect_pdus will hand them to dissect_fcgi_record, so that a
 * stream whose only data record is followed by its end in the same segment
 * (nginx's PARAMS, php-fpm's STDOUT) is shown without reassembly. */
#define FCGI_PLAN_MAX 256

static void
fcgi_plan_records(tvbuff_t *tvb, packet_info *pinfo, fcgi_frame_state_t *fs)
{
    guint len = tvb_captured_length(tvb);
    guint offset = 0;

    fs->plan = wmem_alloc_array(pinfo->pool, fcgi_planned_t, FCGI_PLAN_MAX);
    fs->plan_count = 0;
    fs->plan_next = 0;
    while (fs->plan_count < FCGI_PLAN_MAX && len - offset >= FCGI_HEADER_LEN) {
        fcgi_planned_t *p = &fs->plan[fs->plan_count];
        guint rec_len = get_fcgi_record_len(pinfo, tvb, offset, NULL);

        if (rec_len > len - offset)
            break;
        p->type = tvb_get_guint8(tvb, offset + 1);
        p->id = tvb_get_ntohs(tvb, offset + 2);
        p->clen = tvb_get_ntohs(tvb, offset + 4);
        fs->plan_count++;
        offset += rec_len;
    }
}

/* Whether the stream record at plan index i is followed, within a few
 * records of the same segment, by the end of its stream (an empty record of
 * its type or FCGI_END_REQUEST) with no other data of that stream between. */
static gboolean
fcgi_plan_stream_ends(const fcgi_frame_state_t *fs, guint32 i)
{
    const fcgi_planned_t *rec = &fs->plan[i];
    guint32 j;

    for (j = i + 1; j < fs->plan_count && j <= i + 16; j++) {
        const fcgi_planned_t *next = &fs->plan[j];
        if (next->id != rec->id)
            continue;
        if (next->type == FCGI_END_REQUEST)
            return TRUE;
        if (next->type == rec->type)
            return next->clen == 0;
    }
    return FALSE;
}

/* tcp_dissect_pdus waits for the rest of a record that a segment ends in;
 * when the capture ends first, it never arrives.  The first pass notes
 * where each direction's last incomplete record starts; a record still
 * incomplete after the first pass is shown as far as it goes, with an
 * expert info, whenever the frame is dissected again (Wireshark, tshark -2). */
static int
dissect_fcgi_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    fcgi_frame_state_t *fs = fcgi_frame_state(pinfo);
    fcgi_conv_t *conv = fcgi_conversation(pinfo, fs);
    fcgi_partial_t *partial = &conv->partial[fcgi_direction(pinfo)];
    guint32 length = tvb_reported_length(tvb);

    if (!PINFO_FD_VISITED(pinfo))
        fcgi_plan_records(tvb, pinfo, fs);
    pinfo->desegment_len = 0;
    /* The records get the frame's state as their data. */
    tcp_dissect_pdus(tvb, pinfo, tree, TRUE, FCGI_HEADER_LEN,
                     get_fcgi_record_len, dissect_fcgi_record, fs);
    if (!PINFO_FD_VISITED(pinfo) && fs->rec_count > 0)
        fcgi_store_records(pinfo, fs);
    fcgi_update_info(pinfo, fs);
    if (!PINFO_FD_VISITED(pinfo)) {
        partial->frame = 0;
        if (pinfo->desegment_len > 0 && pinfo->desegment_offset >= 0) {
            partial->frame = pinfo->num;
            partial->offset = pinfo->desegment_offset;
            partial->length = length;
        }
    } else if (partial->frame == pinfo->num && partial->length == length &&
               partial->offset < length && pinfo->desegment_len > 0) {
        dissect_fcgi_record(tvb_new_subset_remaining(tvb, partial->offset), pinfo, tree, fs);
    }
    return tvb_captured_length(tvb);
}

static gboolean
fcgi_is_management_type(guint8 type)
{
    /* spec 3.3: management records have request id 0; of the defined types
     * these are FCGI_GET_VALUES, FCGI_GET_VALUES_RESULT, FCGI_UNKNOWN_TYPE. */
    return type == FCGI_GET_VALUES || type == FCGI_GET_VALUES_RESULT ||
           type == FCGI_UNKNOWN_TYPE;
}

/* Reads one name-value length (spec 3.4): one byte when the high bit is
 * clear, else four bytes with the high bit masked off.  FALSE when the
 * length does not fit before end. */
static gboolean
fcgi_read_nv_length(tvbuff_t *tvb, int offset, int end, guint32 *len, int *size)
{
    guint8 first;

    if (offset >= end)
        return FALSE;
    first = tvb_get_guint8(tvb, offset);
    if ((first & 0x80) == 0) {
        *len = first;
        *size = 1;
        return TRUE;
    }
    if (end - offset < 4)
        return FALSE;
    *len = tvb_get_ntohl(tvb, offset) & 0x7fffffffU;
    *size = 4;
    return TRUE;
}

/* Heuristic check of name-value pairs in [offset, avail_end) of a record
 * whose content ends at content_end (which may lie past the bytes we
 * have).  Names must be printable ASCII without spaces. */
static gboolean
fcgi_heur_nv_pairs(tvbuff_t *tvb, int offset, int avail_end, int content_end)
{
    int pairs = 0;

    while (offset < avail_end) {
        guint32 nlen, vlen;
        int nsize, vsize, i;

        if (!fcgi_read_nv_length(tvb, offset, avail_end, &nlen, &nsize))
            return pairs > 0 || avail_end < content_end;
        if (!fcgi_read_nv_length(tvb, offset + nsize, avail_end, &vlen, &vsize))
            return pairs > 0 || avail_end < content_end;
        offset += nsize + vsize;
        if (nlen == 0 || (guint64)nlen + vlen > (guint64)(content_end - offset))
            return FALSE;
        for (i = 0; i < (int)nlen && offset + i < avail_end; i++) {
            guint8 c = tvb_get_guint8(tvb, offset + i);
            if (c <= ' ' || c >= 0x7f)
                return FALSE;
        }
        offset += nlen + vlen;
        pairs++;
    }
    return pairs > 0 || avail_end < content_end;
}

/* Does the content at offset look like the start of a CGI header line
 * ("Name:" with a token name, RFC 3875 section 6.3)? */
static gboolean
fcgi_heur_cgi_header(tvbuff_t *tvb, int offset, int avail_end)
{
    int i;

    for (i = offset; i < avail_end && i - offset < 64; i++) {
        guint8 c = tvb_get_guint8(tvb, i);
        if (c == ':')
            return i - offset >= 2;
        if (!g_ascii_isalnum(c) && c != '-' && c != '_')
            return FALSE;
    }
    return FALSE;
}

/* Checks one record header and as much of its body as the segment holds.
 * Returns the record length, or 0 when the bytes cannot be FastCGI. */
static guint
fcgi_heur_record(tvbuff_t *tvb, int offset, int avail, gboolean first)
{
    guint8  type, reserved, plen;
    guint16 id, clen;
    int     body = offset + FCGI_HEADER_LEN;
    int     avail_end = offset + avail;
    int     content_end;
    gboolean complete;

    if (tvb_get_guint8(tvb, offset) != FCGI_VERSION_1)
        return 0;
    type     = tvb_get_guint8(tvb, offset + 1);
    id       = tvb_get_ntohs(tvb, offset + 2);
    clen     = tvb_get_ntohs(tvb, offset + 4);
    plen     = tvb_get_guint8(tvb, offset + 6);
    reserved = tvb_get_guint8(tvb, offset + 7);
    if (reserved != 0 || type == 0 || type > FCGI_MAXTYPE)
        return 0;
    if (fcgi_is_management_type(type) != (id == FCGI_NULL_REQUEST_ID))
        return 0;
    content_end = body + clen;
    complete = avail >= FCGI_HEADER_LEN + clen + plen;

    switch (type) {
    case FCGI_BEGIN_REQUEST:
        /* spec 5.1: role 1-3, only FCGI_KEEP_CONN in flags, reserved zero */
        if (clen != FCGI_BEGIN_REQUEST_BODY_LEN || avail_end < content_end)
            return 0;
        if (tvb_get_ntohs(tvb, body) < FCGI_RESPONDER || tvb_get_ntohs(tvb, body) > FCGI_FILTER ||
            (tvb_get_guint8(tvb, body + 2) & ~FCGI_KEEP_CONN) != 0 ||
            tvb_get_ntohl(tvb, body + 3) != 0 || tvb_get_guint8(tvb, body + 7) != 0)
            return 0;
        break;
    case FCGI_END_REQUEST:
        /* spec 5.5: protocol status 0-3.  The reserved bytes are not
         * checked: php-fpm sends whatever its buffer held there. */
        if (clen != FCGI_END_REQUEST_BODY_LEN || avail_end < content_end)
            return 0;
        if (tvb_get_guint8(tvb, body + 4) > FCGI_UNKNOWN_ROLE)
            return 0;
        break;
    case FCGI_UNKNOWN_TYPE:
        /* spec 4.2: the type that was not understood, reserved zero */
        if (clen != FCGI_UNKNOWN_TYPE_BODY_LEN || avail_end < content_end)
            return 0;
        if ((tvb_get_guint8(tvb, body) != 0 && tvb_get_guint8(tvb, body) <= FCGI_MAXTYPE) ||
            tvb_get_ntoh24(tvb, body + 1) != 0 || tvb_get_ntohl(tvb, body + 4) != 0)
            return 0;
        break;
    case FCGI_ABORT_REQUEST:
        if (clen != 0)
            return 0;
        break;
    case FCGI_PARAMS:
    case FCGI_GET_VALUES:
    case FCGI_GET_VALUES_RESULT:
        if (clen > 0 && !fcgi_heur_nv_pairs(tvb, body, MIN(avail_end, content_end), content_end))
            return 0;
        break;
    default:
        /* STDIN, STDOUT, STDERR, DATA: content is opaque.  A record that
         * runs past the segment is only believed when it is the first and
         * starts a CGI response. */
        if (!complete && !(first && type == FCGI_STDOUT && fcgi_heur_cgi_header(tvb, body, avail_end)))
            return 0;
        break;
    }
    /* An empty stream record is never padded by real peers. */
    if (clen == 0 && plen != 0)
        return 0;
    return FCGI_HEADER_LEN + clen + plen;
}

/* The heuristic proper: the segment must start at a record boundary and
 * every record header in it must be valid (spec 3.3). */
static gboolean
fcgi_heur_check(tvbuff_t *tvb)
{
    int len = tvb_captured_length(tvb);
    int offset = 0;
    int records = 0;

    if (len < FCGI_HEADER_LEN)
        return FALSE;
    while (offset < len && records < 16) {
        int avail = len - offset;
        guint rec_len;

        if (avail < FCGI_HEADER_LEN) {
            /* The next header is cut by the segment end: what is there must
             * be a version 1 header of a known type. */
            return tvb_get_guint8(tvb, offset) == FCGI_VERSION_1 &&
                   (avail < 2 || (tvb_get_guint8(tvb, offset + 1) >= 1 &&
                                  tvb_get_guint8(tvb, offset + 1) <= FCGI_MAXTYPE));
        }
        rec_len = fcgi_heur_record(tvb, offset, avail, records == 0);
        if (rec_len == 0)
            return FALSE;
        offset += rec_len;
        records++;
    }
    return TRUE;
}

static gboolean
dissect_fcgi_heur_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    conversation_t *conversation;

    if (!fcgi_heur_check(tvb))
        return FALSE;
    /* From now on the whole connection is FastCGI, in both directions. */
    conversation = find_or_create_conversation(pinfo);
    /* From this frame on, so that frames before it stay as they were in
     * the first pass when they are dissected again. */
    conversation_set_dissector_from_frame_number(conversation, pinfo->num, fcgi_handle);
    dissect_fcgi_tcp(tvb, pinfo, tree, data);
    return TRUE;
}

/* ======================================================================
 * 3. The record header (spec 3.3)
 * ==================================================================== */

/* Section 6 keeps the state these functions read and write. */
static fcgi_record_info_t *fcgi_track_record(packet_info *pinfo, fcgi_frame_state_t *fs,
                                             guint8 type, guint16 id, guint16 clen);
static void fcgi_info_add_record(packet_info *pinfo, fcgi_frame_state_t *fs, guint8 type, guint16 id,
                                 gboolean end);
static void fcgi_add_request_links(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                                   fcgi_frame_state_t *fs, const fcgi_request_t *req, guint8 type);
static void dissect_fcgi_stream_record(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                                       proto_item *record_item, fcgi_frame_state_t *fs,
                                       fcgi_record_info_t *rec, guint8 type, guint16 id,
                                       guint16 clen, int avail);
static void dissect_fcgi_unended_streams(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                                         fcgi_frame_state_t *fs, fcgi_record_info_t *rec);
static void fcgi_queue_taps(packet_info *pinfo, const fcgi_request_t *req, guint8 type);
static void fcgi_queue_export_object(packet_info *pinfo, const fcgi_request_t *req,
                                     const char *content_type, tvbuff_t *body);

typedef struct {
    guint8  version;
    guint8  type;
    guint16 id;
    guint16 clen;
    guint8  plen;
} fcgi_header_t;

static void
dissect_fcgi_header(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, fcgi_header_t *h)
{
    proto_item *ti;
    guint32 reserved;

    ti = proto_tree_add_item(tree, hf_fcgi_version, tvb, 0, 1, ENC_BIG_ENDIAN);
    if (h->version != FCGI_VERSION_1)
        expert_add_info_format(pinfo, ti, &ei_fcgi_version,
                               "FastCGI version %u; only version 1 (FCGI_VERSION_1) is defined", h->version);
    ti = proto_tree_add_item(tree, hf_fcgi_type, tvb, 1, 1, ENC_BIG_ENDIAN);
    if (h->type == 0 || h->type > FCGI_MAXTYPE)
        expert_add_info_format(pinfo, ti, &ei_fcgi_type_undefined,
                               "Record type %u is not defined by FastCGI 1.0", h->type);
    ti = proto_tree_add_item(tree, hf_fcgi_id, tvb, 2, 2, ENC_BIG_ENDIAN);
    if (h->type >= 1 && h->type <= FCGI_MAXTYPE) {
        /* spec 3.3: management records use the null request id, and the
         * application records never do. */
        if (fcgi_is_management_type(h->type) && h->id != FCGI_NULL_REQUEST_ID)
            expert_add_info(pinfo, ti, &ei_fcgi_mgmt_record_id);
        else if (!fcgi_is_management_type(h->type) && h->id == FCGI_NULL_REQUEST_ID)
            expert_add_info(pinfo, ti, &ei_fcgi_app_record_null_id);
    }
    proto_tree_add_item(tree, hf_fcgi_content_length, tvb, 4, 2, ENC_BIG_ENDIAN);
    proto_tree_add_item(tree, hf_fcgi_padding_length, tvb, 6, 1, ENC_BIG_ENDIAN);
    ti = proto_tree_add_item_ret_uint(tree, hf_fcgi_reserved, tvb, 7, 1, ENC_BIG_ENDIAN, &reserved);
    if (reserved != 0)
        expert_add_info(pinfo, ti, &ei_fcgi_reserved);
}

/* Flags an expert info when reserved body bytes are not zero. */
static void
fcgi_check_reserved(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, int hf, int offset, int len)
{
    proto_item *ti = proto_tree_add_item(tree, hf, tvb, offset, len, ENC_NA);
    int i;

    for (i = 0; i < len; i++) {
        if (tvb_get_guint8(tvb, offset + i) != 0) {
            expert_add_info(pinfo, ti, &ei_fcgi_reserved);
            return;
        }
    }
}

/* A body that must be exactly len bytes long (spec 4.2, 5.1, 5.4, 5.5).
 * Returns FALSE, after an expert info, when the record's content length
 * or the captured bytes do not allow decoding it. */
static gboolean
fcgi_check_body_length(packet_info *pinfo, proto_item *ti, guint16 clen, int avail, guint16 want)
{
    if (clen != want) {
        expert_add_info_format(pinfo, ti, &ei_fcgi_body_length,
                               "Content length is %u; the body of this record type is %u bytes", clen, want);
    }
    return avail >= want;
}

/* ======================================================================
 * 4. Record bodies, one function each
 * ==================================================================== */

/* spec 5.1: FCGI_BEGIN_REQUEST {role, flags, reserved[5]} */
static void
dissect_begin_request_body(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *ti,
                           fcgi_record_info_t *rec, guint16 clen, int avail)
{
    static int * const flags[] = { &hf_fcgi_begin_request_keep_conn, NULL };
    guint32 role;

    if (!fcgi_check_body_length(pinfo, ti, clen, avail, FCGI_BEGIN_REQUEST_BODY_LEN))
        return;
    proto_tree_add_item_ret_uint(tree, hf_fcgi_begin_request_role, tvb, 0, 2, ENC_BIG_ENDIAN, &role);
    proto_tree_add_bitmask(tree, tvb, 2, hf_fcgi_begin_request_flags, ett_fcgi_body, flags, ENC_BIG_ENDIAN);
    fcgi_check_reserved(tvb, pinfo, tree, hf_fcgi_begin_request_reserved, 3, 5);
    if (!PINFO_FD_VISITED(pinfo) && rec && rec->req) {
        rec->req->role = (guint16)role;
    }
}

/* spec 5.4: FCGI_ABORT_REQUEST has no body */
static void
dissect_abort_request_body(packet_info *pinfo, proto_item *ti, guint16 clen, int avail)
{
    fcgi_check_body_length(pinfo, ti, clen, avail, 0);
    expert_add_info(pinfo, ti, &ei_fcgi_abort);
}

/* spec 5.5: FCGI_END_REQUEST {appStatus, protocolStatus, reserved[3]} */
static void
dissect_end_request_body(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *ti,
                         fcgi_record_info_t *rec, guint16 clen, int avail)
{
    proto_item *item;
    guint32 app_status, protocol_status;

    if (!fcgi_check_body_length(pinfo, ti, clen, avail, FCGI_END_REQUEST_BODY_LEN))
        return;
    item = proto_tree_add_item_ret_uint(tree, hf_fcgi_end_request_app_status, tvb, 0, 4, ENC_BIG_ENDIAN, &app_status);
    if (app_status != 0)
        expert_add_info_format(pinfo, item, &ei_fcgi_app_status,
                               "The application exited with status %u", app_status);
    item = proto_tree_add_item_ret_uint(tree, hf_fcgi_end_request_protocol_status, tvb, 4, 1, ENC_BIG_ENDIAN, &protocol_status);
    if (protocol_status != FCGI_REQUEST_COMPLETE)
        expert_add_info_format(pinfo, item, &ei_fcgi_protocol_status,
                               "The application rejected the request: %s",
                               val_to_str_const(protocol_status, fcgi_protocol_statuses, "unknown protocol status"));
    fcgi_check_reserved(tvb, pinfo, tree, hf_fcgi_end_request_reserved, 5, 3);
    if (!PINFO_FD_VISITED(pinfo) && rec && rec->req) {
        rec->req->app_status = app_status;
        rec->req->protocol_status = (guint8)protocol_status;
    }
}

/* spec 4.2: FCGI_UNKNOWN_TYPE {type, reserved[7]} */
static void
dissect_unknown_type_body(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *ti,
                          guint16 clen, int avail)
{
    guint32 type;

    if (!fcgi_check_body_length(pinfo, ti, clen, avail, FCGI_UNKNOWN_TYPE_BODY_LEN))
        return;
    proto_tree_add_item_ret_uint(tree, hf_fcgi_unknown_type_type, tvb, 0, 1, ENC_BIG_ENDIAN, &type);
    fcgi_check_reserved(tvb, pinfo, tree, hf_fcgi_unknown_type_reserved, 1, 7);
    expert_add_info_format(pinfo, ti, &ei_fcgi_unknown_type_reply,
                           "The application does not understand management record type %u", type);
}

/* A record type FastCGI 1.0 does not define: its content as bytes. */
static void
dissect_undefined_body(tvbuff_t *tvb, proto_tree *tree, int avail)
{
    if (avail > 0)
        proto_tree_add_item(tree, hf_fcgi_content_data, tvb, 0, avail, ENC_NA);
}

/* ======================================================================
 * 5. Name-value pairs (spec 3.4), one parser for FCGI_PARAMS and both
 *    FCGI_GET_VALUES records
 * ==================================================================== */

/* Whether a filter (display filter, -e, colouring rule) names the field. */
static gboolean
fcgi_filtered(int hf)
{
    return proto_registrar_get_nth(hf)->ref_type != HF_REF_TYPE_NONE;
}

/* Whether items added to tree are shown (not only primed for a filter). */
static gboolean
fcgi_tree_visible(proto_tree *tree)
{
    return tree && PTREE_DATA(tree)->visible;
}

/* Called for every complete pair with the offsets and lengths of its name
 * and value; it fetches what it needs (most pairs need nothing). */
typedef struct {
    int     name_offset;
    guint32 name_len;
    int     value_offset;
    guint32 value_len;
} fcgi_nv_t;

typedef void (*fcgi_nv_cb_t)(tvbuff_t *tvb, packet_info *pinfo, proto_tree *pair_tree,
                            const fcgi_nv_t *nv, void *cb_data);

/* Whether the name bytes of a pair (len of them at bytes) are name. */
static gboolean
fcgi_name_is(const guint8 *bytes, guint32 len, const char *name, guint32 name_len)
{
    return len == name_len && bytes[0] == (guint8)name[0] && bytes[len - 1] == (guint8)name[len - 1] &&
           memcmp(bytes, name, len) == 0;
}

static const char *
fcgi_nv_value(tvbuff_t *tvb, packet_info *pinfo, const fcgi_nv_t *nv)
{
    return (const char *)tvb_get_string_enc(pinfo->pool, tvb, nv->value_offset, nv->value_len, ENC_UTF_8);
}

static void
dissect_nv_pairs(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, int offset, int end,
                 fcgi_nv_cb_t cb, void *cb_data)
{
    /* A request has some 30 pairs: their items are added only when the tree
     * is shown or a filter asks for them.  The lengths are shown when one
     * uses the 4-byte encoding; 1-byte ones (the length of what follows) are
     * hidden items, there for filters and -e but not printed. */
    gboolean visible = fcgi_tree_visible(tree);
    gboolean lengths = tree && (fcgi_filtered(hf_fcgi_nv_name_length) || fcgi_filtered(hf_fcgi_nv_value_length));
    gboolean items = visible || lengths ||
                     (tree && (fcgi_filtered(hf_fcgi_nv_name) || fcgi_filtered(hf_fcgi_nv_value)));

    while (offset < end) {
        proto_item *pair_item;
        proto_tree *pair_tree;
        fcgi_nv_t nv;
        guint32 nlen, vlen;
        int nsize, vsize;
        int start = offset;

        if (!fcgi_read_nv_length(tvb, offset, end, &nlen, &nsize) ||
            !fcgi_read_nv_length(tvb, offset + nsize, end, &vlen, &vsize) ||
            (guint64)nlen + vlen > (guint64)(end - offset - nsize - vsize)) {
            proto_tree_add_expert_format(tree, pinfo, &ei_fcgi_nv_overrun, tvb, start, end - start,
                                         "Name-value pair lengths run past the end of the content "
                                         "(%d bytes left)", end - start);
            return;
        }
        offset += nsize + vsize;
        pair_item = NULL;
        pair_tree = NULL;
        nv.name_offset = offset;
        nv.name_len = nlen;
        nv.value_offset = offset + (int)nlen;
        nv.value_len = vlen;
        if (items) {
            /* The pair is its name's item, over the whole pair, reading
             * "NAME = VALUE" as the built-in's does, with the value below. */
            pair_item = proto_tree_add_string(tree, hf_fcgi_nv_name, tvb, start, nsize + vsize + nlen + vlen,
                                              (const char *)tvb_get_string_enc(pinfo->pool, tvb, offset, nlen, ENC_UTF_8));
            pair_tree = proto_item_add_subtree(pair_item, ett_fcgi_nv);
            if (visible)
                proto_item_set_text(pair_item, "%s = %s",
                                    tvb_format_text(pinfo->pool, tvb, nv.name_offset, nlen),
                                    tvb_format_text(pinfo->pool, tvb, nv.value_offset, vlen));
            if (lengths || visible) {
                proto_item *n = proto_tree_add_uint(pair_tree, hf_fcgi_nv_name_length, tvb, start, nsize, nlen);
                proto_item *v = proto_tree_add_uint(pair_tree, hf_fcgi_nv_value_length, tvb, start + nsize, vsize, vlen);
                if (nsize == 1 && vsize == 1) {
                    proto_item_set_hidden(n);
                    proto_item_set_hidden(v);
                }
            }
            proto_tree_add_item(pair_tree, hf_fcgi_nv_value, tvb, offset + nlen, vlen, ENC_UTF_8);
        }
        /* What the callback adds goes under the pair, or, when the pair
         * items are skipped, under the pairs' parent. */
        if (cb)
            cb(tvb, pinfo, items ? pair_tree : tree, &nv, cb_data);
        offset += nlen + vlen;
    }
}

/* spec 4.1: the values FCGI_GET_VALUES_RESULT reports are numbers. */
static void
fcgi_get_values_result_cb(tvbuff_t *tvb, packet_info *pinfo, proto_tree *pair_tree,
                          const fcgi_nv_t *nv, void *cb_data _U_)
{
    const guint8 *name;
    int hf;
    guint32 number;

    if (nv->name_len == 0)
        return;
    name = tvb_get_ptr(tvb, nv->name_offset, nv->name_len);
    if (fcgi_name_is(name, nv->name_len, "FCGI_MAX_CONNS", 14))
        hf = hf_fcgi_values_max_conns;
    else if (fcgi_name_is(name, nv->name_len, "FCGI_MAX_REQS", 13))
        hf = hf_fcgi_values_max_reqs;
    else if (fcgi_name_is(name, nv->name_len, "FCGI_MPXS_CONNS", 15))
        hf = hf_fcgi_values_mpxs_conns;
    else
        return;
    if (ws_strtou32(fcgi_nv_value(tvb, pinfo, nv), NULL, &number))
        proto_tree_add_uint(pair_tree, hf, tvb, nv->value_offset, nv->value_len, number);
    else
        proto_tree_add_expert(pair_tree, pinfo, &ei_fcgi_value_not_number, tvb, nv->value_offset, nv->value_len);
}

/* spec 4.1: FCGI_GET_VALUES and FCGI_GET_VALUES_RESULT */
static void
dissect_get_values_body(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, guint8 type, int avail)
{
    proto_tree *pairs = proto_tree_add_subtree(tree, tvb, 0, avail, ett_fcgi_nv_pairs, NULL,
                                               type == FCGI_GET_VALUES ? "Variables asked for"
                                                                       : "Variables and values");
    dissect_nv_pairs(tvb, pinfo, pairs, 0, avail,
                     type == FCGI_GET_VALUES_RESULT ? fcgi_get_values_result_cb : NULL, NULL);
}

/* The record dissector called by tcp_dissect_pdus for every record; data
 * is the frame's state. */
static int
dissect_fcgi_record(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    fcgi_frame_state_t *fs = (fcgi_frame_state_t *)data;
    fcgi_record_info_t *rec;
    fcgi_header_t h;
    proto_item *ti;
    proto_tree *fcgi_tree;
    tvbuff_t *body_tvb;
    int reported, avail, body_len;

    h.version = tvb_get_guint8(tvb, 0);
    h.type    = tvb_get_guint8(tvb, 1);
    h.id      = tvb_get_ntohs(tvb, 2);
    h.clen    = tvb_get_ntohs(tvb, 4);
    h.plen    = tvb_get_guint8(tvb, 6);

    /* Never trust the lengths: a record cut by the end of the capture (or
     * by the snapshot length) is decoded as far as it goes. */
    reported = tvb_reported_length_remaining(tvb, FCGI_HEADER_LEN);
    body_len = MIN((int)h.clen, reported);
    avail    = MIN(body_len, tvb_captured_length_remaining(tvb, FCGI_HEADER_LEN));

    col_set_str(pinfo->cinfo, COL_PROTOCOL, "FCGI");
    rec = fcgi_track_record(pinfo, fs, h.type, h.id, h.clen);

    ti = proto_tree_add_item(tree, proto_fcgi, tvb, 0, -1, ENC_NA);
    fcgi_tree = proto_item_add_subtree(ti, ett_fcgi);
    if (fcgi_tree_visible(fcgi_tree))
        proto_item_append_text(ti, ", %s, Request ID %u",
                               val_to_str_wmem(pinfo->pool, h.type, fcgi_record_types, "Unknown record type %u"), h.id);
    dissect_fcgi_header(tvb, pinfo, fcgi_tree, &h);
    if (avail < (int)h.clen || tvb_captured_length(tvb) < FCGI_HEADER_LEN + (guint)h.clen + h.plen)
        expert_add_info_format(pinfo, ti, &ei_fcgi_truncated,
                               "Record truncated: %u content and %u padding bytes announced, %d captured",
                               h.clen, h.plen, tvb_captured_length_remaining(tvb, FCGI_HEADER_LEN));

    body_tvb = tvb_new_subset_length(tvb, FCGI_HEADER_LEN, body_len);
    switch (h.type) {
    case FCGI_BEGIN_REQUEST:
        dissect_begin_request_body(body_tvb, pinfo, fcgi_tree, ti, rec, h.clen, avail);
        break;
    case FCGI_ABORT_REQUEST:
        dissect_abort_request_body(pinfo, ti, h.clen, avail);
        break;
    case FCGI_END_REQUEST:
        dissect_end_request_body(body_tvb, pinfo, fcgi_tree, ti, rec, h.clen, avail);
        if (rec && rec->req)
            dissect_fcgi_unended_streams(body_tvb, pinfo, fcgi_tree, fs, rec);
        break;
    case FCGI_PARAMS:
    case FCGI_STDIN:
    case FCGI_STDOUT:
    case FCGI_STDERR:
    case FCGI_DATA:
        dissect_fcgi_stream_record(body_tvb, pinfo, fcgi_tree, ti, fs, rec, h.type, h.id, h.clen, avail);
        break;
    case FCGI_GET_VALUES:
    case FCGI_GET_VALUES_RESULT:
        dissect_get_values_body(body_tvb, pinfo, fcgi_tree, h.type, avail);
        break;
    case FCGI_UNKNOWN_TYPE:
        dissect_unknown_type_body(body_tvb, pinfo, fcgi_tree, ti, h.clen, avail);
        break;
    default:
        dissect_undefined_body(body_tvb, fcgi_tree, avail);
        break;
    }
    if (h.plen > 0 && tvb_captured_length_remaining(tvb, FCGI_HEADER_LEN + h.clen) > 0)
        proto_tree_add_item(fcgi_tree, hf_fcgi_padding_data, tvb, FCGI_HEADER_LEN + h.clen,
                            MIN((int)h.plen, tvb_captured_length_remaining(tvb, FCGI_HEADER_LEN + h.clen)), ENC_NA);

    if (rec && rec->req) {
        if (rec->flags & FCGI_REC_NOT_BEGUN)
            expert_add_info(pinfo, ti, (rec->flags & FCGI_REC_CAPTURE_START) ? &ei_fcgi_not_begun_start
                                                                              : &ei_fcgi_not_begun);
        fcgi_add_request_links(tvb, pinfo, fcgi_tree, fs, rec->req, h.type);
    }
    /* Stream records add their own label (the end of a stream is marked). */
    if (fcgi_stream_of_type(h.type) < 0)
        fcgi_info_add_record(pinfo, fs, h.type, h.id, FALSE);
    fcgi_queue_taps(pinfo, rec ? rec->req : NULL, h.type);
    return tvb_captured_length(tvb);
}

/* ======================================================================
 * 6. Streams and request state
 * ==================================================================== */

/* proto_data keys */
#define FCGI_KEY_FRAME_INFO  0      /* file scope: fcgi_frame_info_t */
#define FCGI_KEY_FRAME_STATE 1      /* packet scope: fcgi_frame_state_t */

static fcgi_frame_state_t *
fcgi_frame_state(packet_info *pinfo)
{
    fcgi_frame_state_t *fs = (fcgi_frame_state_t *)p_get_proto_data(pinfo->pool, pinfo, proto_fcgi, FCGI_KEY_FRAME_STATE);

    if (!fs) {
        fs = wmem_new0(pinfo->pool, fcgi_frame_state_t);
        p_add_proto_data(pinfo->pool, pinfo, proto_fcgi, FCGI_KEY_FRAME_STATE, fs);
    }
    return fs;
}

static fcgi_conv_t *
fcgi_conversation(packet_info *pinfo, fcgi_frame_state_t *fs)
{
    conversation_t *conversation;
    fcgi_conv_t *conv;

    if (fs->conv)
        return fs->conv;
    conversation = find_or_create_conversation(pinfo);
    conv = (fcgi_conv_t *)conversation_get_proto_data(conversation, proto_fcgi);
    if (!conv) {
        struct tcp_analysis *tcpd = get_tcp_conversation_data(conversation, pinfo);

        conv = wmem_new0(wmem_file_scope(), fcgi_conv_t);
        conv->conv_index = tcpd ? tcpd->stream : conversation->conv_index;
        /* TCP's completeness bit 0x01 is "SYN seen" (packet-tcp.c). */
        conv->seen_syn = tcpd && (tcpd->conversation_completeness & 0x01);
        conversation_add_proto_data(conversation, proto_fcgi, conv);
    }
    fs->conv = conv;
    return conv;
}

static fcgi_request_t *
fcgi_new_request(packet_info *pinfo, fcgi_conv_t *conv, guint16 id, gboolean begun)
{
    fcgi_request_t *req = wmem_new0(wmem_file_scope(), fcgi_request_t);

    req->id = id;
    req->conv_index = conv->conv_index;
    if (begun) {
        req->begin_frame = pinfo->num;
        req->begin_ts = pinfo->abs_ts;
    }
    req->next = conv->requests;
    conv->requests = req;
    return req;
}

/* The request with this id that is in progress (ended FALSE) or that ended
 * last (ended TRUE), or NULL. */
static fcgi_request_t *
fcgi_find_request(const fcgi_conv_t *conv, guint16 id, gboolean ended)
{
    fcgi_request_t *req;

    for (req = conv->requests; req; req = req->next) {
        if (req->id == id && (req->end_frame != 0) == ended)
            return req;
    }
    return NULL;
}

/* Ended requests are kept only for a late empty STDIN (Apache); a client
 * that numbers its requests on and on must not make the list grow. */
#define FCGI_KEEP_ENDED 4

static void
fcgi_prune_ended(fcgi_conv_t *conv)
{
    fcgi_request_t **link = &conv->requests;
    int kept = 0;

    while (*link) {
        fcgi_request_t *req = *link;
        if (req->end_frame && ++kept > FCGI_KEEP_ENDED)
            *link = req->next;
        else
            link = &req->next;
    }
}

/* A new FCGI_BEGIN_REQUEST reuses id: the connection forgets the requests
 * that had it (one still in progress never got its FCGI_END_REQUEST). */
static void
fcgi_forget_requests(fcgi_conv_t *conv, guint16 id)
{
    fcgi_request_t **link = &conv->requests;

    while (*link) {
        fcgi_request_t *req = *link;
        if (req->id == id) {
            if (!req->end_frame && req->begin_frame)
                conv->begun_active--;
            *link = req->next;
        } else {
            link = &req->next;
        }
    }
}

/* Keeps what the first pass learnt about the frame's records (called once
 * tcp_dissect_pdus is done with a segment). */
static void
fcgi_store_records(packet_info *pinfo, fcgi_frame_state_t *fs)
{
    fcgi_frame_info_t *fi;
    gboolean mixed = FALSE;
    guint32 i;

    for (i = 1; i < fs->rec_count; i++)
        mixed |= fs->recs[i].req != fs->recs[0].req;
    fi = (fcgi_frame_info_t *)wmem_realloc(wmem_file_scope(), fs->stored, sizeof(fcgi_frame_info_t) +
                                           fs->rec_count * (mixed ? sizeof(fcgi_record_info_t) : sizeof(guint16)));
    fi->req = mixed ? NULL : fs->recs[0].req;
    fi->count = (guint16)fs->rec_count;
    fi->mixed = mixed;
    for (i = 0; i < fs->rec_count; i++) {
        if (mixed)
            FCGI_FRAME_INFO_RECORDS(fi)[i] = fs->recs[i];
        else
            fi->flags[i] = fs->recs[i].flags;
    }
    if (fi != fs->stored)
        p_set_proto_data(wmem_file_scope(), pinfo, proto_fcgi, FCGI_KEY_FRAME_INFO, fi);
    fs->stored = fi;
}

static void
fcgi_load_records(packet_info *pinfo, fcgi_frame_state_t *fs)
{
    fcgi_frame_info_t *fi = (fcgi_frame_info_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_fcgi, FCGI_KEY_FRAME_INFO);
    guint32 i;

    fs->recs_loaded = TRUE;
    if (!fi)
        return;
    fs->rec_count = fi->count;
    fs->recs = wmem_alloc_array(pinfo->pool, fcgi_record_info_t, fi->count);
    for (i = 0; i < fi->count; i++) {
        if (fi->mixed) {
            fs->recs[i] = FCGI_FRAME_INFO_RECORDS(fi)[i];
        } else {
            fs->recs[i].req = fi->req;
            fs->recs[i].flags = fi->flags[i];
        }
    }
}

/* First pass: decides which request a record belongs to and updates the
 * request's state (spec 3.3: a request id names one request from its
 * FCGI_BEGIN_REQUEST to its FCGI_END_REQUEST; ids are reused afterwards).
 * Later passes: returns what the first pass stored. */
static fcgi_record_info_t *
fcgi_track_record(packet_info *pinfo, fcgi_frame_state_t *fs, guint8 type, guint16 id,
                  guint16 clen)
{
    guint32 index = fs->next_record++;
    fcgi_record_info_t *rec;
    fcgi_conv_t *conv;
    fcgi_request_t *req = NULL;
    guint32 planned = fs->plan_next++;
    int stream;

    if (PINFO_FD_VISITED(pinfo)) {
        if (!fs->recs_loaded)
            fcgi_load_records(pinfo, fs);
        return index < fs->rec_count ? &fs->recs[index] : NULL;
    }
    if (fs->rec_count == fs->rec_capacity) {
        if (fs->rec_capacity >= G_MAXUINT16 / 2)
            return NULL;    /* 32767 records in one frame: not tracked further */
        fs->rec_capacity = fs->rec_capacity ? 2 * fs->rec_capacity : 8;
        fs->recs = (fcgi_record_info_t *)wmem_realloc(pinfo->pool, fs->recs,
                                                      fs->rec_capacity * sizeof(fcgi_record_info_t));
    }
    rec = &fs->recs[fs->rec_count++];
    memset(rec, 0, sizeof(*rec));

    /* Management records and records of undefined types with the null id
     * belong to no request. */
    if (id == FCGI_NULL_REQUEST_ID || type == 0 || fcgi_is_management_type(type))
        return rec;

    conv = fcgi_conversation(pinfo, fs);
    if (type == FCGI_BEGIN_REQUEST) {
        fcgi_forget_requests(conv, id);
        conv->begun_active++;
        req = fcgi_new_request(pinfo, conv, id, TRUE);
        conv->seen_begin = TRUE;
    } else {
        req = fcgi_find_request(conv, id, FALSE);
        if (!req && clen == 0 && (type == FCGI_STDIN || type == FCGI_PARAMS || type == FCGI_DATA)) {
            /* Apache's mod_proxy_fcgi ends STDIN only after the response:
             * the empty record belongs to the request that just ended. */
            req = fcgi_find_request(conv, id, TRUE);
        }
        if (!req && type <= FCGI_MAXTYPE) {
            /* A request that began before the capture did, or never. */
            req = fcgi_new_request(pinfo, conv, id, FALSE);
            rec->flags |= FCGI_REC_NOT_BEGUN;
            if (!conv->seen_begin && !conv->seen_syn)
                rec->flags |= FCGI_REC_CAPTURE_START;
        }
    }
    if (!req)
        return rec;
    rec->req = req;
    /* Requests seen only in part (begun before the capture, or never) do
     * not make a connection multiplexed. */
    if (conv->begun_active > 1)
        conv->multiplexed = TRUE;
    if (conv->multiplexed)
        rec->flags |= FCGI_REC_SHOW_ID;

    stream = fcgi_stream_of_type(type);
    if (stream >= 0) {
        fcgi_stream_t *s = &req->streams[stream];

        if (s->bytes == 0 && clen > 0)
            rec->flags |= FCGI_REC_STREAM_START;
        if (s->end_frame)
            rec->flags |= FCGI_REC_AFTER_END;
        else if (clen > 0 && s->bytes == 0 && planned < fs->plan_count &&
                 fs->plan[planned].type == type && fs->plan[planned].id == id &&
                 fcgi_plan_stream_ends(fs, planned))
            rec->flags |= FCGI_REC_INLINE;
        if (clen > 0) {
            s->bytes += clen;
        } else if (!s->end_frame) {
            s->end_frame = pinfo->num;
        }
    } else if (type == FCGI_END_REQUEST) {
        for (stream = 0; stream < FCGI_NUM_STREAMS; stream++) {
            if (req->streams[stream].bytes > 0 && !req->streams[stream].end_frame) {
                req->streams[stream].end_frame = pinfo->num;
                rec->flags |= FCGI_REC_ENDS_STREAM(stream);
            }
        }
        if (!req->end_frame) {
            req->end_frame = pinfo->num;
            req->end_ts = pinfo->abs_ts;
            if (req->begin_frame)
                conv->begun_active--;
            fcgi_prune_ended(conv);
        }
    }
    return rec;
}

/* The Info column: what the frame means for HTTP-minded readers ("GET /x",
 * "200 OK (text/html)"), then every record with its request id.  The
 * records add to it; dissect_fcgi_tcp writes it once they are done. */
static void
fcgi_update_info(packet_info *pinfo, fcgi_frame_state_t *fs)
{
    if (!fs->records)
        return;
    /* tcp_dissect_pdus sets a fence after a reassembled record; the text
     * here covers every record of the frame, so it replaces all of it. */
    col_clear_fence(pinfo->cinfo, COL_INFO);
    if (fs->summary) {
        col_add_str(pinfo->cinfo, COL_INFO, wmem_strbuf_get_str(fs->summary));
        col_append_str(pinfo->cinfo, COL_INFO, " [");
        col_append_str(pinfo->cinfo, COL_INFO, wmem_strbuf_get_str(fs->records));
        col_append_str(pinfo->cinfo, COL_INFO, "]");
    } else {
        col_add_str(pinfo->cinfo, COL_INFO, wmem_strbuf_get_str(fs->records));
    }
}

static void
fcgi_strbuf_append_uint(wmem_strbuf_t *buf, guint32 value)
{
    char digits[10];
    int n = 0;

    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    while (n > 0)
        wmem_strbuf_append_c(buf, digits[--n]);
}

/* Adds "TYPE id" (with " end" for an empty stream record) to the list. */
static void
fcgi_info_add_record(packet_info *pinfo, fcgi_frame_state_t *fs, guint8 type, guint16 id, gboolean end)
{
    const char *name;

    if (!pinfo->cinfo)
        return;
    if (!fs->records)
        fs->records = wmem_strbuf_new(pinfo->pool, "");
    else
        wmem_strbuf_append(fs->records, ", ");
    name = try_val_to_str(type, fcgi_record_short_names);
    if (name) {
        wmem_strbuf_append(fs->records, name);
    } else {
        wmem_strbuf_append(fs->records, "TYPE_");
        fcgi_strbuf_append_uint(fs->records, type);
    }
    wmem_strbuf_append_c(fs->records, ' ');
    fcgi_strbuf_append_uint(fs->records, id);
    if (end)
        wmem_strbuf_append(fs->records, " end");
}

/* Starts the next part of the frame's summary ("GET /x", "200 OK ..."):
 * the caller appends to the buffer returned, then calls
 * fcgi_info_summary_done.  NULL when no columns are being filled. */
static wmem_strbuf_t *
fcgi_info_summary(packet_info *pinfo, fcgi_frame_state_t *fs)
{
    if (!pinfo->cinfo)
        return NULL;
    if (!fs->summary)
        fs->summary = wmem_strbuf_new(pinfo->pool, "");
    else
        wmem_strbuf_append(fs->summary, ", ");
    return fs->summary;
}

static void
fcgi_info_summary_done(wmem_strbuf_t *buf, const fcgi_record_info_t *rec)
{
    if (rec->flags & FCGI_REC_SHOW_ID) {
        wmem_strbuf_append(buf, " (request ");
        fcgi_strbuf_append_uint(buf, rec->req->id);
        wmem_strbuf_append_c(buf, ')');
    }
}

static gboolean
fcgi_is_response_type(guint8 type)
{
    return type == FCGI_STDOUT || type == FCGI_STDERR || type == FCGI_END_REQUEST;
}

/* Links between the two halves of a request, as HTTP has them: the frame
 * of FCGI_BEGIN_REQUEST in every response frame, the frame of
 * FCGI_END_REQUEST in every request frame, once per frame and request. */
static void
fcgi_add_request_links(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                       fcgi_frame_state_t *fs, const fcgi_request_t *req, guint8 type)
{
    proto_item *ti;
    guint32 i;

    if (type == FCGI_END_REQUEST && req->begin_frame && req->end_frame == pinfo->num) {
        nstime_t delta;

        nstime_delta(&delta, &req->end_ts, &req->begin_ts);
        ti = proto_tree_add_time(tree, hf_fcgi_time, tvb, 0, 0, &delta);
        proto_item_set_generated(ti);
    }
    for (i = 0; i < fs->linked_count; i++) {
        if (fs->linked[i] == req)
            return;
    }
    if (fs->linked_count < G_N_ELEMENTS(fs->linked))
        fs->linked[fs->linked_count++] = req;
    if (fcgi_is_response_type(type)) {
        if (req->begin_frame) {
            ti = proto_tree_add_uint(tree, hf_fcgi_request_in, tvb, 0, 0, req->begin_frame);
            proto_item_set_generated(ti);
        }
        if (req->uri) {
            ti = proto_tree_add_string(tree, hf_fcgi_response_for_uri, tvb, 0, 0, req->uri);
            proto_item_set_generated(ti);
        }
    } else if (req->end_frame && req->end_frame != pinfo->num) {
        ti = proto_tree_add_uint(tree, hf_fcgi_response_in, tvb, 0, 0, req->end_frame);
        proto_item_set_generated(ti);
    }
}

/* --- PARAMS (spec 5.2; the variables are CGI's, RFC 3875 section 4.1) --- */

typedef struct {
    int hf;
    int offset;
    guint32 len;
} fcgi_param_ref_t;

typedef struct {
    fcgi_param_ref_t refs[9];
    int n;
    const char *method, *uri, *script_name, *query_string, *content_type;
} fcgi_params_t;

/* The parameters shown as request fields; those with a slot are also kept
 * for the request (Info column, tap, body dissection). */
static const struct {
    const char *name;
    guint32 name_len;
    int *hf;
    size_t slot;        /* offset of a const char * in fcgi_params_t, or 0 */
} fcgi_request_params[] = {
    { "REQUEST_METHOD",  14, &hf_fcgi_request_method,         offsetof(fcgi_params_t, method) },
    { "REQUEST_URI",     11, &hf_fcgi_request_uri,            offsetof(fcgi_params_t, uri) },
    { "SCRIPT_NAME",     11, &hf_fcgi_request_script_name,    offsetof(fcgi_params_t, script_name) },
    { "SCRIPT_FILENAME", 15, &hf_fcgi_request_script_filename, 0 },
    { "QUERY_STRING",    12, &hf_fcgi_request_query_string,   offsetof(fcgi_params_t, query_string) },
    { "HTTP_HOST",        9, &hf_fcgi_request_host,           0 },
    { "CONTENT_TYPE",    12, &hf_fcgi_request_content_type,   offsetof(fcgi_params_t, content_type) },
    { "CONTENT_LENGTH",  14, &hf_fcgi_request_content_length, 0 },
    { "REMOTE_ADDR",     11, &hf_fcgi_request_remote_addr,    0 },
};

static void
fcgi_params_cb(tvbuff_t *tvb, packet_info *pinfo, proto_tree *pair_tree _U_,
               const fcgi_nv_t *nv, void *cb_data)
{
    fcgi_params_t *p = (fcgi_params_t *)cb_data;
    const guint8 *name;
    guint i;

    if (nv->name_len < 9 || nv->name_len > 15)
        return;
    name = tvb_get_ptr(tvb, nv->name_offset, nv->name_len);
    for (i = 0; i < G_N_ELEMENTS(fcgi_request_params); i++) {
        if (!fcgi_name_is(name, nv->name_len, fcgi_request_params[i].name, fcgi_request_params[i].name_len))
            continue;
        if (p->n < (int)G_N_ELEMENTS(p->refs)) {
            p->refs[p->n].hf = *fcgi_request_params[i].hf;
            p->refs[p->n].offset = nv->value_offset;
            p->refs[p->n].len = nv->value_len;
            p->n++;
        }
        if (fcgi_request_params[i].slot)
            *(const char **)((char *)p + fcgi_request_params[i].slot) = fcgi_nv_value(tvb, pinfo, nv);
        return;
    }
}

static void
dissect_params_stream(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                      fcgi_frame_state_t *fs, fcgi_record_info_t *rec)
{
    fcgi_request_t *req = rec->req;
    fcgi_params_t p;
    proto_tree *pairs;
    proto_item *ti;
    wmem_strbuf_t *info;
    const char *target;
    int i;

    memset(&p, 0, sizeof(p));
    pairs = proto_tree_add_subtree(tree, tvb, 0, -1, ett_fcgi_nv_pairs, NULL, "Parameters");
    dissect_nv_pairs(tvb, pinfo, pairs, 0, tvb_reported_length(tvb), fcgi_params_cb, &p);

    for (i = 0; i < p.n; i++) {
        if (p.refs[i].hf == hf_fcgi_request_content_length) {
            guint64 length;
            char *text = (char *)tvb_get_string_enc(pinfo->pool, tvb, p.refs[i].offset, p.refs[i].len, ENC_ASCII);
            if (ws_strtou64(text, NULL, &length))
                proto_tree_add_uint64(tree, hf_fcgi_request_content_length, tvb, p.refs[i].offset, p.refs[i].len, length);
        } else {
            proto_tree_add_item(tree, p.refs[i].hf, tvb, p.refs[i].offset, p.refs[i].len, ENC_UTF_8);
        }
    }
    if (req->role) {
        ti = proto_tree_add_uint(tree, hf_fcgi_request_role, tvb, 0, 0, req->role);
        proto_item_set_generated(ti);
    }

    /* The request line HTTP would show: REQUEST_URI, else the script with
     * its query string. */
    target = p.uri;
    if (!target && p.script_name)
        target = (p.query_string && *p.query_string)
                 ? wmem_strdup_printf(pinfo->pool, "%s?%s", p.script_name, p.query_string)
                 : p.script_name;
    if (!PINFO_FD_VISITED(pinfo)) {
        req->method = p.method ? wmem_strdup(wmem_file_scope(), p.method) : NULL;
        req->uri = target ? wmem_strdup(wmem_file_scope(), target) : NULL;
        req->script_name = p.script_name ? wmem_strdup(wmem_file_scope(), p.script_name) : NULL;
        req->content_type = p.content_type ? wmem_strdup(wmem_file_scope(), p.content_type) : NULL;
    }
    if ((p.method || target) && (info = fcgi_info_summary(pinfo, fs)) != NULL) {
        if (p.method)
            wmem_strbuf_append(info, format_text_string(pinfo->pool, (const guchar *)p.method));
        if (p.method && target)
            wmem_strbuf_append_c(info, ' ');
        if (target)
            wmem_strbuf_append(info, format_text_string(pinfo->pool, (const guchar *)target));
        fcgi_info_summary_done(info, rec);
    }
}

/* --- Bodies to the media_type table, as HTTP hands them on --- */

/* A body that breaks its dissector must not take the columns or the
 * frame's later records with it. */
static void
fcgi_call_media(const char *media_type, tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                http_message_info_t *info)
{
    TRY {
        if (!media_type || !dissector_try_string(media_type_table, media_type, tvb, pinfo, tree, info))
            call_dissector(media_handle_data, tvb, pinfo, tree);
    }
    CATCH_NONFATAL_ERRORS {
        show_exception(tvb, pinfo, tree, EXCEPT_CODE, GET_MESSAGE);
    }
    ENDTRY;
}

static void
fcgi_dissect_media(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const char *content_type,
                   gboolean is_request)
{
    http_message_info_t info;
    dissector_handle_t handle;
    char *media_type = NULL;
    const char *params = NULL;

    memset(&info, 0, sizeof(info));
    info.type = is_request ? HTTP_REQUEST : HTTP_RESPONSE;
    if (content_type) {
        const char *semi = strchr(content_type, ';');
        media_type = wmem_ascii_strdown(pinfo->pool, content_type,
                                        semi ? (gssize)(semi - content_type) : -1);
        g_strstrip(media_type);
        if (semi) {
            params = semi + 1;
            while (*params == ' ' || *params == '\t')
                params++;
        }
    }
    info.media_str = params;
    handle = (media_type && *media_type) ? dissector_get_string_handle(media_type_table, media_type) : NULL;
    if (!handle)
        handle = media_handle_data;
    /* Bodies are most of the work: when the tree is not shown, no filter
     * asks for the body's protocol and no tap listens, they are skipped. */
    if (!fcgi_tree_visible(tree) && !tap_listeners_require_dissection() && !have_filtering_tap_listeners() &&
        !proto_field_is_referenced(tree, dissector_handle_get_protocol_index(handle)))
        return;
    /* The columns stay ours: the Info column already names the status and
     * the media type, and the record list follows it. */
    col_set_writable(pinfo->cinfo, -1, FALSE);
    fcgi_call_media(handle == media_handle_data ? NULL : media_type, tvb, pinfo, tree, &info);
    col_set_writable(pinfo->cinfo, -1, TRUE);
}

/* --- STDOUT: the CGI response (RFC 3875 section 6) --- */

typedef struct {
    guint16 code;
    proto_item *code_item;      /* the Status header's code, if there is one */
    const char *phrase;
    const char *content_type;
    const char *content_encoding;
    int body_offset;
} fcgi_cgi_response_t;

/* Parses the CGI header block at the start of tvb.  Returns FALSE when no
 * empty line ends it within tvb. */
static gboolean
dissect_cgi_headers(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, fcgi_cgi_response_t *r)
{
    int offset = 0, next;
    gboolean location = FALSE;
    gboolean have_status = FALSE;
    int len = tvb_captured_length(tvb);

    while (offset < len) {
        int linelen = tvb_find_line_end(tvb, offset, -1, &next, FALSE);
        proto_item *hdr_item;
        proto_tree *hdr_tree;
        char *line, *colon, *value;

        if (linelen < 0 || next > len || (next == len && tvb_get_guint8(tvb, len - 1) != '\n'))
            return FALSE;   /* no line end: the block is not complete */
        if (linelen == 0) {
            r->body_offset = next;
            if (!have_status) {
                /* RFC 3875 6.2.3: a Location without Status is a client
                 * redirect (302); otherwise the default is 200. */
                r->code = location ? 302 : 200;
                r->phrase = location ? "Found" : "OK";
            }
            return TRUE;
        }
        hdr_item = proto_tree_add_item_ret_string(tree, hf_fcgi_response_header, tvb, offset, linelen,
                                                  ENC_ASCII, pinfo->pool, (const guint8 **)&line);
        hdr_tree = proto_item_add_subtree(hdr_item, ett_fcgi_response_header);
        colon = strchr(line, ':');
        if (colon) {
            int value_offset;

            *colon = '\0';
            value = colon + 1;
            while (*value == ' ' || *value == '\t')
                value++;
            value_offset = offset + (int)(value - line);
            if (g_ascii_strcasecmp(line, "Status") == 0) {
                guint32 code;
                char digits[4];

                if (strlen(value) >= 3 && g_ascii_isdigit(value[0]) && g_ascii_isdigit(value[1]) &&
                    g_ascii_isdigit(value[2]) && (value[3] == '\0' || value[3] == ' ')) {
                    memcpy(digits, value, 3);
                    digits[3] = '\0';
                    code = (guint32)strtoul(digits, NULL, 10);
                    r->code = (guint16)code;
                    r->phrase = value[3] ? g_strstrip(value + 4) : "";
                    have_status = TRUE;
                    r->code_item = proto_tree_add_uint(hdr_tree, hf_fcgi_response_code, tvb, value_offset, 3, code);
                    proto_tree_add_string(hdr_tree, hf_fcgi_response_phrase, tvb, value_offset + MIN(4, (int)strlen(value)),
                                          (int)strlen(value) > 4 ? linelen - (value_offset - offset) - 4 : 0, r->phrase);
                } else {
                    expert_add_info_format(pinfo, hdr_item, &ei_fcgi_cgi_headers,
                                           "Status header without a three-digit status code");
                }
            } else if (g_ascii_strcasecmp(line, "Content-Type") == 0) {
                r->content_type = value;
                proto_tree_add_string(hdr_tree, hf_fcgi_response_content_type, tvb, value_offset,
                                      linelen - (value_offset - offset), value);
            } else if (g_ascii_strcasecmp(line, "Content-Encoding") == 0) {
                r->content_encoding = value;
                proto_tree_add_string(hdr_tree, hf_fcgi_response_content_encoding, tvb, value_offset,
                                      linelen - (value_offset - offset), value);
            } else if (g_ascii_strcasecmp(line, "Location") == 0) {
                location = TRUE;
                proto_tree_add_string(hdr_tree, hf_fcgi_response_location, tvb, value_offset,
                                      linelen - (value_offset - offset), value);
            }
        } else {
            expert_add_info_format(pinfo, hdr_item, &ei_fcgi_cgi_headers, "CGI header line without a colon");
        }
        offset = next;
    }
    return FALSE;
}

static void
dissect_stdout_stream(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                      fcgi_frame_state_t *fs, fcgi_record_info_t *rec)
{
    fcgi_request_t *req = rec->req;
    fcgi_cgi_response_t r;
    wmem_strbuf_t *info;
    proto_item *ti;
    tvbuff_t *body;
    int body_len;

    memset(&r, 0, sizeof(r));
    /* A response that began before the capture may be seen from its middle:
     * look for headers only where its start looks like one. */
    if (req->begin_frame || fcgi_heur_cgi_header(tvb, 0, tvb_captured_length(tvb))) {
        if (!dissect_cgi_headers(tvb, pinfo, tree, &r)) {
            proto_tree_add_expert(tree, pinfo, &ei_fcgi_cgi_headers, tvb, 0, 0);
            r.body_offset = 0;
        }
    }
    if (r.code) {
        ti = r.code_item;
        if (!ti) {
            /* No Status header: the status CGI implies (RFC 3875 6.2). */
            ti = proto_tree_add_uint(tree, hf_fcgi_response_code, tvb, 0, 0, r.code);
            proto_item_set_generated(ti);
            proto_item_set_generated(proto_tree_add_string(tree, hf_fcgi_response_phrase, tvb, 0, 0, r.phrase));
        }
        if (r.code >= 500 && r.code <= 599)
            expert_add_info_format(pinfo, ti, &ei_fcgi_status_5xx, "Server error: %u %s", r.code, r.phrase);
        else if (r.code >= 400 && r.code <= 499)
            expert_add_info_format(pinfo, ti, &ei_fcgi_status_4xx, "Client error: %u %s", r.code, r.phrase);
        if (!PINFO_FD_VISITED(pinfo)) {
            req->response_code = r.code;
        }
        if ((info = fcgi_info_summary(pinfo, fs)) != NULL) {
            fcgi_strbuf_append_uint(info, r.code);
            wmem_strbuf_append_c(info, ' ');
            wmem_strbuf_append(info, format_text_string(pinfo->pool, (const guchar *)r.phrase));
            if (r.content_type) {
                /* As HTTP shows it: the media type without its parameters. */
                char *media_type = wmem_strndup(pinfo->pool, r.content_type, strcspn(r.content_type, ";"));
                wmem_strbuf_append(info, " (");
                wmem_strbuf_append(info, format_text_string(pinfo->pool, (const guchar *)g_strstrip(media_type)));
                wmem_strbuf_append_c(info, ')');
            }
            fcgi_info_summary_done(info, rec);
        }
    }

    body_len = tvb_reported_length_remaining(tvb, r.body_offset);
    if (body_len <= 0)
        return;
    body = tvb_new_subset_length(tvb, r.body_offset, body_len);
    proto_tree_add_item(tree, hf_fcgi_response_body, body, 0, body_len, ENC_NA);
    fcgi_queue_export_object(pinfo, req, r.content_type, body);
    if (fcgi_decompress_body && r.content_encoding &&
        (g_ascii_strcasecmp(r.content_encoding, "gzip") == 0 ||
         g_ascii_strcasecmp(r.content_encoding, "x-gzip") == 0 ||
         g_ascii_strcasecmp(r.content_encoding, "deflate") == 0)) {
        tvbuff_t *plain = tvb_child_uncompress(tvb, body, 0, body_len);
        if (plain) {
            add_new_data_source(pinfo, plain, "Uncompressed body");
            body = plain;
        }
    }
    fcgi_dissect_media(body, pinfo, tree, r.content_type, FALSE);
}

/* --- STDERR: text (spec 5.3) --- */

static void
dissect_stderr_stream(tvbuff_t *tvb, proto_tree *tree)
{
    proto_tree_add_item(tree, hf_fcgi_stderr, tvb, 0, tvb_reported_length(tvb), ENC_UTF_8);
}

/* Shows a complete stream: PARAMS as pairs, STDIN as the request body,
 * STDOUT as the CGI response, STDERR as text, DATA as the filter's file. */
static void
dissect_fcgi_stream_content(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                            fcgi_frame_state_t *fs, fcgi_record_info_t *rec, guint8 type)
{
    proto_item *ti;

    ti = proto_tree_add_uint64(tree, hf_fcgi_stream_bytes, tvb, 0, 0, tvb_reported_length(tvb));
    proto_item_set_generated(ti);
    switch (type) {
    case FCGI_PARAMS:
        dissect_params_stream(tvb, pinfo, tree, fs, rec);
        break;
    case FCGI_STDIN:
        proto_tree_add_item(tree, hf_fcgi_request_body, tvb, 0, -1, ENC_NA);
        fcgi_dissect_media(tvb, pinfo, tree, rec->req->content_type, TRUE);
        break;
    case FCGI_STDOUT:
        dissect_stdout_stream(tvb, pinfo, tree, fs, rec);
        break;
    case FCGI_STDERR:
        dissect_stderr_stream(tvb, tree);
        break;
    default:
        call_dissector(media_handle_data, tvb, pinfo, tree);
        break;
    }
}

static void
dissect_fcgi_whole_stream(tvbuff_t *whole, packet_info *pinfo, proto_tree *tree,
                          fcgi_frame_state_t *fs, fcgi_record_info_t *rec, guint8 type)
{
    proto_tree *stream_tree = proto_tree_add_subtree_format(tree, whole, 0, -1, ett_fcgi_stream, NULL,
                                                            "%s stream (%u bytes)",
                                                            val_to_str_const(type, fcgi_record_short_names, "?"),
                                                            tvb_reported_length(whole));
    dissect_fcgi_stream_content(whole, pinfo, stream_tree, fs, rec, type);
}

/* Feeds one stream record to the reassembly of its stream (spec 3.3: a
 * stream is a series of records ended by an empty one).  Returns the whole
 * stream in the record that completes it, else NULL. */
/* Ends the reassembly of stream s in this record (flag tells which kind of
 * ending it is) and returns the whole stream, or NULL. */
static tvbuff_t *
fcgi_complete_stream(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, fcgi_record_info_t *rec,
                     fcgi_stream_t *s, guint16 flag)
{
    fragment_head *head = NULL;

    if (!s->reassembly_id)
        return NULL;
    if (!PINFO_FD_VISITED(pinfo)) {
        head = fragment_add_seq_next(&fcgi_stream_reassembly_table, tvb, 0, pinfo, s->reassembly_id,
                                     NULL, 0, FALSE);
        if (!head)
            rec->flags &= ~flag;
    } else if (rec->flags & flag) {
        head = fragment_get_reassembled_id(&fcgi_stream_reassembly_table, pinfo, s->reassembly_id);
    }
    if (!head)
        return NULL;
    return process_reassembled_data(tvb, 0, pinfo, "Reassembled FastCGI stream", head,
                                    &fcgi_fragment_items, NULL, tree);
}

static tvbuff_t *
fcgi_reassemble_stream(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, fcgi_record_info_t *rec,
                       fcgi_stream_t *s, guint16 clen, int avail)
{
    if (!PINFO_FD_VISITED(pinfo) && !(rec->flags & FCGI_REC_AFTER_END)) {
        if (clen > 0 && avail == clen) {
            if (!s->reassembly_id)
                s->reassembly_id = ++fcgi_next_reassembly_id;
            fragment_add_seq_next(&fcgi_stream_reassembly_table, tvb, 0, pinfo, s->reassembly_id,
                                  NULL, clen, TRUE);
            rec->flags |= FCGI_REC_REASSEMBLED;
        } else if (clen == 0 && s->end_frame == pinfo->num) {
            rec->flags |= FCGI_REC_COMPLETES;
        }
    }
    if (clen == 0 && (rec->flags & FCGI_REC_COMPLETES))
        return fcgi_complete_stream(tvb, pinfo, tree, rec, s, FCGI_REC_COMPLETES);
    if ((rec->flags & FCGI_REC_REASSEMBLED) && s->end_frame) {
        proto_item *ti = proto_tree_add_uint(tree, hf_fcgi_reassembled_in, tvb, 0, 0, s->end_frame);
        proto_item_set_generated(ti);
    }
    return NULL;
}

/* spec 5.2, 5.3, 6: FCGI_PARAMS, FCGI_STDIN, FCGI_STDOUT, FCGI_STDERR and
 * FCGI_DATA records. */
static void
dissect_fcgi_stream_record(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *record_item,
                           fcgi_frame_state_t *fs, fcgi_record_info_t *rec, guint8 type, guint16 id,
                           guint16 clen, int avail)
{
    const char *name = val_to_str_const(type, fcgi_record_short_names, "?");
    fcgi_stream_t *s = NULL;
    tvbuff_t *whole = NULL;
    gboolean reassemble = (type == FCGI_PARAMS || fcgi_reassemble_bodies);

    if (rec && rec->req)
        s = &rec->req->streams[fcgi_stream_of_type(type)];

    if (clen == 0) {
        proto_item *ti = proto_tree_add_boolean(tree, hf_fcgi_end_of_stream, tvb, 0, 0, TRUE);
        proto_item_set_generated(ti);
        proto_item_append_text(record_item, " (end of %s stream)", name);
        fcgi_info_add_record(pinfo, fs, type, id, TRUE);
    } else {
        fcgi_info_add_record(pinfo, fs, type, id, FALSE);
        if (avail > 0)
            proto_tree_add_item(tree, hf_fcgi_content_data, tvb, 0, avail, ENC_NA);
        if (type == FCGI_STDERR && avail > 0) {
            proto_item *ti = proto_tree_add_item(tree, hf_fcgi_stderr_text, tvb, 0, avail, ENC_UTF_8);
            expert_add_info(pinfo, ti, &ei_fcgi_stderr);
        }
    }
    if (!s)
        return;
    if (rec->flags & FCGI_REC_AFTER_END)
        expert_add_info_format(pinfo, record_item, &ei_fcgi_stream_after_end,
                               "%s record after the end of the request's %s stream", name, name);

    if (rec->flags & FCGI_REC_INLINE) {
        whole = tvb;
    } else if (reassemble) {
        whole = fcgi_reassemble_stream(tvb, pinfo, tree, rec, s, clen, avail);
    } else if (clen > 0 && avail > 0) {
        /* Without reassembly each record is shown on its own; the CGI
         * headers are read from the first STDOUT record. */
        tvbuff_t *part = tvb_new_subset_length_caplen(tvb, 0, avail, avail);
        if (type == FCGI_STDOUT && (rec->flags & FCGI_REC_STREAM_START))
            dissect_stdout_stream(part, pinfo, tree, fs, rec);
        else if (type == FCGI_STDERR)
            dissect_stderr_stream(part, tree);
        else if (type == FCGI_STDIN && (rec->flags & FCGI_REC_STREAM_START) &&
                 avail == (int)rec->req->streams[FCGI_STREAM_STDIN].bytes)
            fcgi_dissect_media(part, pinfo, tree, rec->req->content_type, TRUE);
    }
    if (whole)
        dissect_fcgi_whole_stream(whole, pinfo, tree, fs, rec, type);
}

/* spec 5.5: FCGI_END_REQUEST ends the request, and with it any stream the
 * application did not end with an empty record. */
static void
dissect_fcgi_unended_streams(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                             fcgi_frame_state_t *fs, fcgi_record_info_t *rec)
{
    static const guint8 stream_types[FCGI_NUM_STREAMS] = {
        FCGI_PARAMS, FCGI_STDIN, FCGI_STDOUT, FCGI_STDERR, FCGI_DATA
    };
    int i;

    for (i = 0; i < FCGI_NUM_STREAMS; i++) {
        tvbuff_t *whole;

        if (!(rec->flags & FCGI_REC_ENDS_STREAM(i)))
            continue;
        if (i == FCGI_STREAM_PARAMS || fcgi_reassemble_bodies) {
            whole = fcgi_complete_stream(tvb, pinfo, tree, rec, &rec->req->streams[i], FCGI_REC_ENDS_STREAM(i));
            if (whole)
                dissect_fcgi_whole_stream(whole, pinfo, tree, fs, rec, stream_types[i]);
        }
    }
}

/* ======================================================================
 * 7. Tap, statistics and export objects
 * ==================================================================== */

static void
fcgi_queue_taps(packet_info *pinfo, const fcgi_request_t *req, guint8 type)
{
    fcgi_record_tap_info_t *rt;
    fcgi_tap_info_t *ti = NULL;

    if (req && type == FCGI_END_REQUEST && req->end_frame == pinfo->num) {
        ti = wmem_new0(pinfo->pool, fcgi_tap_info_t);
        ti->conv_index = req->conv_index;
        ti->request_id = req->id;
        ti->role = req->role;
        ti->method = req->method;
        ti->uri = req->uri;
        ti->script_name = req->script_name;
        ti->response_code = req->response_code;
        ti->app_status = req->app_status;
        ti->protocol_status = req->protocol_status;
        ti->request_bytes = req->streams[FCGI_STREAM_STDIN].bytes + req->streams[FCGI_STREAM_DATA].bytes;
        ti->response_bytes = req->streams[FCGI_STREAM_STDOUT].bytes;
        ti->stderr_bytes = req->streams[FCGI_STREAM_STDERR].bytes;
        ti->begin_frame = req->begin_frame;
        ti->end_frame = req->end_frame;
        if (req->begin_frame) {
            ti->has_time = TRUE;
            nstime_delta(&ti->time, &req->end_ts, &req->begin_ts);
        }
        tap_queue_packet(fcgi_tap, pinfo, ti);
    }
    if (have_tap_listener(fcgi_record_tap)) {
        rt = wmem_new0(pinfo->pool, fcgi_record_tap_info_t);
        rt->type = type;
        rt->finished = ti;
        tap_queue_packet(fcgi_record_tap, pinfo, rt);
    }
}

/* Export Objects: every response body, named after the request. */
typedef struct {
    const char *filename;
    const char *content_type;
    const char *hostname;
    const guint8 *data;
    size_t len;
} fcgi_eo_t;

/* A file name from the wire, made safe: the last path component of the
 * script (or URI without its query), with no '/', '\\' or "..". */
static const char *
fcgi_eo_filename(packet_info *pinfo, const fcgi_request_t *req)
{
    const char *source = req->script_name ? req->script_name : req->uri;
    char *name, *slash, *c;

    if (!source || !*source)
        return wmem_strdup_printf(pinfo->pool, "request-%u-%u", req->conv_index, req->id);
    name = wmem_strdup(pinfo->pool, source);
    if ((c = strchr(name, '?')) != NULL)
        *c = '\0';
    slash = strrchr(name, '/');
    if (slash)
        name = slash + 1;
    for (c = name; *c; c++) {
        if (*c == '\\' || *c == '/' || (guchar)*c < ' ' || *c == 0x7f)
            *c = '_';
    }
    while (strstr(name, "..") != NULL)
        name = g_strdelimit(name, ".", '_');
    if (!*name)
        name = wmem_strdup(pinfo->pool, "index");
    return name;
}

static void
fcgi_queue_export_object(packet_info *pinfo, const fcgi_request_t *req, const char *content_type,
                         tvbuff_t *body)
{
    fcgi_eo_t *eo;

    if (!have_tap_listener(fcgi_eo_tap))
        return;
    eo = wmem_new0(pinfo->pool, fcgi_eo_t);
    eo->filename = fcgi_eo_filename(pinfo, req);
    eo->content_type = content_type;
    eo->hostname = NULL;
    eo->len = tvb_captured_length(body);
    eo->data = tvb_get_ptr(body, 0, (gint)eo->len);
    tap_queue_packet(fcgi_eo_tap, pinfo, eo);
}

static tap_packet_status
fcgi_eo_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
               tap_flags_t flags _U_)
{
    export_object_list_t *object_list = (export_object_list_t *)tapdata;
    const fcgi_eo_t *eo = (const fcgi_eo_t *)data;
    export_object_entry_t *entry;

    if (!eo)
        return TAP_PACKET_DONT_REDRAW;
    entry = g_new0(export_object_entry_t, 1);
    entry->pkt_num = pinfo->num;
    entry->hostname = g_strdup(eo->hostname ? eo->hostname : "");
    entry->content_type = g_strdup(eo->content_type ? eo->content_type : "");
    entry->filename = g_strdup(eo->filename);
    entry->payload_len = eo->len;
    entry->payload_data = (guint8 *)g_memdup2(eo->data, eo->len);
    object_list->add_entry(object_list->gui_data, entry);
    return TAP_PACKET_REDRAW;
}

/* -z fcgi,tree: records, roles, methods, response codes and statuses. */
static int st_node_records = -1;
static int st_node_requests = -1;
static int st_node_roles = -1;
static int st_node_methods = -1;
static int st_node_codes = -1;
static int st_node_statuses = -1;

static const char st_str_records[]  = "FastCGI records by type";
static const char st_str_requests[] = "FastCGI requests";
static const char st_str_roles[]    = "Roles";
static const char st_str_methods[]  = "Request methods";
static const char st_str_codes[]    = "Response codes";
static const char st_str_statuses[] = "END_REQUEST protocol statuses";

static void
fcgi_stats_tree_init(stats_tree *st)
{
    st_node_records  = stats_tree_create_node(st, st_str_records, 0, STAT_DT_INT, TRUE);
    st_node_requests = stats_tree_create_node(st, st_str_requests, 0, STAT_DT_INT, TRUE);
    st_node_roles    = stats_tree_create_node(st, st_str_roles, st_node_requests, STAT_DT_INT, TRUE);
    st_node_methods  = stats_tree_create_node(st, st_str_methods, st_node_requests, STAT_DT_INT, TRUE);
    st_node_codes    = stats_tree_create_node(st, st_str_codes, st_node_requests, STAT_DT_INT, TRUE);
    st_node_statuses = stats_tree_create_node(st, st_str_statuses, st_node_requests, STAT_DT_INT, TRUE);
}

static tap_packet_status
fcgi_stats_tree_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt _U_,
                       const void *p, tap_flags_t flags _U_)
{
    const fcgi_record_tap_info_t *rt = (const fcgi_record_tap_info_t *)p;
    const fcgi_tap_info_t *ti = rt->finished;
    char code[16];

    tick_stat_node(st, st_str_records, 0, FALSE);
    tick_stat_node(st, val_to_str_wmem(pinfo->pool, rt->type, fcgi_record_types, "Undefined type %u"), st_node_records, FALSE);
    if (!ti)
        return TAP_PACKET_REDRAW;
    tick_stat_node(st, st_str_requests, 0, FALSE);
    tick_stat_node(st, st_str_roles, st_node_requests, FALSE);
    tick_stat_node(st, ti->role ? val_to_str_wmem(pinfo->pool, ti->role, fcgi_roles, "Role %u") : "(not seen)", st_node_roles, FALSE);
    tick_stat_node(st, st_str_methods, st_node_requests, FALSE);
    tick_stat_node(st, ti->method ? ti->method : "(none)", st_node_methods, FALSE);
    tick_stat_node(st, st_str_codes, st_node_requests, FALSE);
    if (ti->response_code)
        snprintf(code, sizeof(code), "%u", ti->response_code);
    else
        g_strlcpy(code, "(none)", sizeof(code));
    tick_stat_node(st, code, st_node_codes, FALSE);
    tick_stat_node(st, st_str_statuses, st_node_requests, FALSE);
    tick_stat_node(st, val_to_str_wmem(pinfo->pool, ti->protocol_status, fcgi_protocol_statuses, "Status %u"), st_node_statuses, FALSE);
    return TAP_PACKET_REDRAW;
}

/* -z fcgi_scripts,tree: requests and response time per script. */
static int st_node_scripts = -1;
static const char st_str_scripts[] = "Response time by script (ms)";

static void
fcgi_scripts_tree_init(stats_tree *st)
{
    st_node_scripts = stats_tree_create_node(st, st_str_scripts, 0, STAT_DT_FLOAT, TRUE);
}

static tap_packet_status
fcgi_scripts_tree_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                         const void *p, tap_flags_t flags _U_)
{
    const fcgi_tap_info_t *ti = (const fcgi_tap_info_t *)p;
    const char *script = ti->script_name ? ti->script_name : (ti->uri ? ti->uri : "(unknown)");
    float ms;

    if (!ti->has_time)
        return TAP_PACKET_DONT_REDRAW;
    ms = (float)(nstime_to_sec(&ti->time) * 1000.0);
    avg_stat_node_add_value_float(st, st_str_scripts, 0, TRUE, ms);
    avg_stat_node_add_value_float(st, script, st_node_scripts, FALSE, ms);
    return TAP_PACKET_REDRAW;
}

/* ======================================================================
 * 8. Registration and handoff
 *
 * As in Wireshark's own tree.  Built as a plugin, fcgi-compat.h sends the
 * calls that meet Wireshark's built-in FastCGI dissector to
 * fcgi-takeover.c, which takes it over.
 * ==================================================================== */

/* The fields of the FastCGI dissector Wireshark had before this one, with
 * their names and types, so that saved filters keep working. */
static hf_register_info hf_inherited[] = {
    { &hf_fcgi_version,
      { "Version", "fcgi.version", FT_UINT8, BASE_DEC, NULL, 0x0,
        "FastCGI protocol version of the record (spec 3.3: FCGI_VERSION_1)", HFILL } },
    { &hf_fcgi_type,
      { "Type", "fcgi.type", FT_UINT8, BASE_DEC, VALS(fcgi_record_types), 0x0,
        "Record type (spec 3.3, 8)", HFILL } },
    { &hf_fcgi_id,
      { "Request ID", "fcgi.id", FT_UINT16, BASE_DEC, NULL, 0x0,
        "Request the record belongs to; 0 for management records (spec 3.3)", HFILL } },
    { &hf_fcgi_content_length,
      { "Content Length", "fcgi.content.length", FT_UINT16, BASE_DEC, NULL, 0x0,
        "Number of content bytes in the record", HFILL } },
    { &hf_fcgi_padding_length,
      { "Padding Length", "fcgi.padding.length", FT_UINT8, BASE_DEC, NULL, 0x0,
        "Number of padding bytes after the content", HFILL } },
    { &hf_fcgi_content_data,
      { "Content Data", "fcgi.content.data", FT_BYTES, BASE_NONE, NULL, 0x0,
        "Content bytes of the record", HFILL } },
    { &hf_fcgi_padding_data,
      { "Padding Data", "fcgi.padding.data", FT_BYTES, BASE_NONE, NULL, 0x0,
        "Padding bytes of the record", HFILL } },
    { &hf_fcgi_begin_request_role,
      { "Role", "fcgi.begin_request.role", FT_UINT16, BASE_DEC, VALS(fcgi_roles), 0x0,
        "Role the web server expects the application to play (spec 5.1)", HFILL } },
    { &hf_fcgi_begin_request_flags,
      { "Flags", "fcgi.begin_request.flags", FT_UINT8, BASE_HEX, NULL, 0x0,
        "FCGI_BEGIN_REQUEST flags (spec 5.1)", HFILL } },
    { &hf_fcgi_begin_request_keep_conn,
      { "FCGI_KEEP_CONN", "fcgi.begin_request.keep_conn", FT_BOOLEAN, 8, NULL, FCGI_KEEP_CONN,
        "The application keeps the connection open after the request (spec 5.1)", HFILL } },
    { &hf_fcgi_end_request_app_status,
      { "Application Status", "fcgi.end_request.app_status", FT_UINT32, BASE_DEC, NULL, 0x0,
        "Exit status of the application for the request (spec 5.5)", HFILL } },
    { &hf_fcgi_end_request_protocol_status,
      { "Protocol Status", "fcgi.end_request.protocol_status", FT_UINT32, BASE_DEC,
        VALS(fcgi_protocol_statuses), 0x0, "Protocol-level status of the request (spec 5.5)", HFILL } },
    { &hf_fcgi_nv_name,
      { "NV Pair name", "fcgi.nv_name", FT_STRING, BASE_NONE, NULL, 0x0,
        "Name of a name-value pair (spec 3.4)", HFILL } },
};

static hf_register_info hf[] = {
    { &hf_fcgi_reserved,
      { "Reserved", "fcgi.reserved", FT_UINT8, BASE_HEX, NULL, 0x0,
        "Reserved header byte; zero in FastCGI 1.0 (spec 3.3)", HFILL } },
    { &hf_fcgi_end_of_stream,
      { "End of stream", "fcgi.end_of_stream", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
        "An empty stream record, which ends the stream (spec 3.3)", HFILL } },
    { &hf_fcgi_begin_request_reserved,
      { "Reserved", "fcgi.begin_request.reserved", FT_BYTES, BASE_NONE, NULL, 0x0,
        "Reserved bytes of FCGI_BEGIN_REQUEST; zero in FastCGI 1.0 (spec 5.1)", HFILL } },
    { &hf_fcgi_end_request_reserved,
      { "Reserved", "fcgi.end_request.reserved", FT_BYTES, BASE_NONE, NULL, 0x0,
        "Reserved bytes of FCGI_END_REQUEST; zero in FastCGI 1.0 (spec 5.5)", HFILL } },
    { &hf_fcgi_unknown_type_type,
      { "Unknown Type", "fcgi.unknown_type.type", FT_UINT8, BASE_DEC, NULL, 0x0,
        "Management record type the application did not understand (spec 4.2)", HFILL } },
    { &hf_fcgi_unknown_type_reserved,
      { "Reserved", "fcgi.unknown_type.reserved", FT_BYTES, BASE_NONE, NULL, 0x0,
        "Reserved bytes of FCGI_UNKNOWN_TYPE; zero in FastCGI 1.0 (spec 4.2)", HFILL } },
    { &hf_fcgi_nv_name_length,
      { "Name length", "fcgi.nv_name_length", FT_UINT32, BASE_DEC, NULL, 0x0,
        "Length of the name, in the 1- or 4-byte encoding (spec 3.4)", HFILL } },
    { &hf_fcgi_nv_value_length,
      { "Value length", "fcgi.nv_value_length", FT_UINT32, BASE_DEC, NULL, 0x0,
        "Length of the value, in the 1- or 4-byte encoding (spec 3.4)", HFILL } },
    { &hf_fcgi_nv_value,
      { "NV Pair value", "fcgi.nv_value", FT_STRING, BASE_NONE, NULL, 0x0,
        "Value of a name-value pair (spec 3.4)", HFILL } },
    { &hf_fcgi_values_max_conns,
      { "FCGI_MAX_CONNS", "fcgi.values.max_conns", FT_UINT32, BASE_DEC, NULL, 0x0,
        "Maximum concurrent transport connections the application accepts (spec 4.1)", HFILL } },
    { &hf_fcgi_values_max_reqs,
      { "FCGI_MAX_REQS", "fcgi.values.max_reqs", FT_UINT32, BASE_DEC, NULL, 0x0,
        "Maximum concurrent requests the application accepts (spec 4.1)", HFILL } },
    { &hf_fcgi_values_mpxs_conns,
      { "FCGI_MPXS_CONNS", "fcgi.values.mpxs_conns", FT_UINT32, BASE_DEC, NULL, 0x0,
        "1 if the application multiplexes connections, else 0 (spec 4.1)", HFILL } },
    { &hf_fcgi_stderr_text,
      { "STDERR text", "fcgi.stderr_text", FT_STRING, BASE_NONE, NULL, 0x0,
        "Content of one FCGI_STDERR record as text (spec 5.3)", HFILL } },
    { &hf_fcgi_stderr,
      { "STDERR output", "fcgi.stderr", FT_STRING, BASE_NONE, NULL, 0x0,
        "Everything the application wrote to FCGI_STDERR for the request", HFILL } },
    { &hf_fcgi_request_method,
      { "Request Method", "fcgi.request.method", FT_STRING, BASE_NONE, NULL, 0x0,
        "REQUEST_METHOD parameter (RFC 3875 4.1.12)", HFILL } },
    { &hf_fcgi_request_uri,
      { "Request URI", "fcgi.request.uri", FT_STRING, BASE_NONE, NULL, 0x0,
        "REQUEST_URI parameter: the URI the client asked the web server for", HFILL } },
    { &hf_fcgi_request_script_name,
      { "Script Name", "fcgi.request.script_name", FT_STRING, BASE_NONE, NULL, 0x0,
        "SCRIPT_NAME parameter (RFC 3875 4.1.13)", HFILL } },
    { &hf_fcgi_request_script_filename,
      { "Script File Name", "fcgi.request.script_filename", FT_STRING, BASE_NONE, NULL, 0x0,
        "SCRIPT_FILENAME parameter: the file the application runs", HFILL } },
    { &hf_fcgi_request_query_string,
      { "Query String", "fcgi.request.query_string", FT_STRING, BASE_NONE, NULL, 0x0,
        "QUERY_STRING parameter (RFC 3875 4.1.7)", HFILL } },
    { &hf_fcgi_request_host,
      { "Host", "fcgi.request.host", FT_STRING, BASE_NONE, NULL, 0x0,
        "HTTP_HOST parameter: the Host header of the HTTP request", HFILL } },
    { &hf_fcgi_request_content_type,
      { "Content Type", "fcgi.request.content_type", FT_STRING, BASE_NONE, NULL, 0x0,
        "CONTENT_TYPE parameter: media type of the request body (RFC 3875 4.1.3)", HFILL } },
    { &hf_fcgi_request_content_length,
      { "Content Length", "fcgi.request.content_length", FT_UINT64, BASE_DEC, NULL, 0x0,
        "CONTENT_LENGTH parameter: size of the request body (RFC 3875 4.1.2)", HFILL } },
    { &hf_fcgi_request_remote_addr,
      { "Remote Address", "fcgi.request.remote_addr", FT_STRING, BASE_NONE, NULL, 0x0,
        "REMOTE_ADDR parameter: address of the HTTP client (RFC 3875 4.1.8)", HFILL } },
    { &hf_fcgi_request_role,
      { "Role", "fcgi.request.role", FT_UINT16, BASE_DEC, VALS(fcgi_roles), 0x0,
        "Role of the request, from its FCGI_BEGIN_REQUEST", HFILL } },
    { &hf_fcgi_request_body,
      { "Request body", "fcgi.request.body", FT_BYTES, BASE_NONE, NULL, 0x0,
        "The whole FCGI_STDIN stream: the body of the HTTP request", HFILL } },
    { &hf_fcgi_response_header,
      { "Response header", "fcgi.response.header", FT_STRING, BASE_NONE, NULL, 0x0,
        "A CGI response header line on FCGI_STDOUT (RFC 3875 6.3)", HFILL } },
    { &hf_fcgi_response_code,
      { "Status Code", "fcgi.response.code", FT_UINT16, BASE_DEC, NULL, 0x0,
        "HTTP status of the response: from Status:, else 302 for a redirect, else 200 (RFC 3875 6.3.3)", HFILL } },
    { &hf_fcgi_response_phrase,
      { "Status Phrase", "fcgi.response.phrase", FT_STRING, BASE_NONE, NULL, 0x0,
        "Reason phrase of the response status", HFILL } },
    { &hf_fcgi_response_content_type,
      { "Content Type", "fcgi.response.content_type", FT_STRING, BASE_NONE, NULL, 0x0,
        "Content-Type header of the CGI response (RFC 3875 6.3.1)", HFILL } },
    { &hf_fcgi_response_content_encoding,
      { "Content Encoding", "fcgi.response.content_encoding", FT_STRING, BASE_NONE, NULL, 0x0,
        "Content-Encoding header of the CGI response", HFILL } },
    { &hf_fcgi_response_location,
      { "Location", "fcgi.response.location", FT_STRING, BASE_NONE, NULL, 0x0,
        "Location header of the CGI response (RFC 3875 6.3.2)", HFILL } },
    { &hf_fcgi_response_body,
      { "Response body", "fcgi.response.body", FT_BYTES, BASE_NONE, NULL, 0x0,
        "FCGI_STDOUT after the CGI headers: the body of the HTTP response", HFILL } },
    { &hf_fcgi_response_for_uri,
      { "Response for URI", "fcgi.response_for.uri", FT_STRING, BASE_NONE, NULL, 0x0,
        "Request URI of the request this frame answers", HFILL } },
    { &hf_fcgi_request_in,
      { "Request in frame", "fcgi.request_in", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
        "Frame with the FCGI_BEGIN_REQUEST of this request", HFILL } },
    { &hf_fcgi_response_in,
      { "Response in frame", "fcgi.response_in", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
        "Frame with the FCGI_END_REQUEST of this request", HFILL } },
    { &hf_fcgi_time,
      { "Time since request", "fcgi.time", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
        "Seconds from FCGI_BEGIN_REQUEST to FCGI_END_REQUEST", HFILL } },
    { &hf_fcgi_stream_bytes,
      { "Stream length", "fcgi.stream.length", FT_UINT64, BASE_DEC, NULL, 0x0,
        "Number of content bytes in the whole stream", HFILL } },
    { &hf_fcgi_fragments,
      { "Stream records", "fcgi.fragments", FT_NONE, BASE_NONE, NULL, 0x0,
        "The records a stream was reassembled from", HFILL } },
    { &hf_fcgi_fragment,
      { "Stream record", "fcgi.fragment", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
        "Frame of one record of the stream", HFILL } },
    { &hf_fcgi_fragment_overlap,
      { "Overlap", "fcgi.fragment.overlap", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
        "Stream record overlaps other records", HFILL } },
    { &hf_fcgi_fragment_overlap_conflicts,
      { "Conflicting data in overlap", "fcgi.fragment.overlap.conflicts", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
        "Overlapping stream records hold different data", HFILL } },
    { &hf_fcgi_fragment_multiple_tails,
      { "Multiple tail records", "fcgi.fragment.multiple_tails", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
        "More than one record ended the stream", HFILL } },
    { &hf_fcgi_fragment_too_long_fragment,
      { "Record too long", "fcgi.fragment.too_long_fragment", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
        "Stream record holds data past the end of the stream", HFILL } },
    { &hf_fcgi_fragment_error,
      { "Reassembly error", "fcgi.fragment.error", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
        "Reassembling the stream failed", HFILL } },
    { &hf_fcgi_fragment_count,
      { "Record count", "fcgi.fragment.count", FT_UINT32, BASE_DEC, NULL, 0x0,
        "Number of records in the stream", HFILL } },
    { &hf_fcgi_reassembled_in,
      { "Reassembled in", "fcgi.reassembled.in", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
        "Frame in which the stream is shown whole", HFILL } },
    { &hf_fcgi_reassembled_length,
      { "Reassembled length", "fcgi.reassembled.length", FT_UINT32, BASE_DEC, NULL, 0x0,
        "Length of the reassembled stream", HFILL } },
    { &hf_fcgi_reassembled_data,
      { "Reassembled data", "fcgi.reassembled.data", FT_BYTES, BASE_NONE, NULL, 0x0,
        "Content of the reassembled stream", HFILL } },
};

static ei_register_info ei[] = {
    { &ei_fcgi_version,
      { "fcgi.version.unknown", PI_PROTOCOL, PI_WARN, "Version is not FCGI_VERSION_1", EXPFILL } },
    { &ei_fcgi_reserved,
      { "fcgi.reserved.nonzero", PI_PROTOCOL, PI_WARN, "Reserved bytes are not zero", EXPFILL } },
    { &ei_fcgi_type_undefined,
      { "fcgi.type.undefined", PI_UNDECODED, PI_WARN, "Record type not defined by FastCGI 1.0", EXPFILL } },
    { &ei_fcgi_app_record_null_id,
      { "fcgi.id.null", PI_PROTOCOL, PI_WARN,
        "Application record with the null request id 0 (spec 3.3)", EXPFILL } },
    { &ei_fcgi_mgmt_record_id,
      { "fcgi.id.management", PI_PROTOCOL, PI_WARN,
        "Management record with a non-zero request id (spec 3.3)", EXPFILL } },
    { &ei_fcgi_body_length,
      { "fcgi.content.length.invalid", PI_MALFORMED, PI_ERROR,
        "Content length does not fit the record type", EXPFILL } },
    { &ei_fcgi_nv_overrun,
      { "fcgi.nv.overrun", PI_MALFORMED, PI_ERROR,
        "Name-value pair lengths run past the end of the content", EXPFILL } },
    { &ei_fcgi_truncated,
      { "fcgi.truncated", PI_MALFORMED, PI_ERROR, "Record truncated", EXPFILL } },
    { &ei_fcgi_not_begun_start,
      { "fcgi.request.not_begun.capture_start", PI_SEQUENCE, PI_NOTE,
        "Record for a request that began before the capture", EXPFILL } },
    { &ei_fcgi_not_begun,
      { "fcgi.request.not_begun", PI_SEQUENCE, PI_WARN,
        "Record for a request that was never begun with FCGI_BEGIN_REQUEST", EXPFILL } },
    { &ei_fcgi_protocol_status,
      { "fcgi.end_request.protocol_status.failed", PI_RESPONSE_CODE, PI_WARN,
        "Protocol status is not FCGI_REQUEST_COMPLETE", EXPFILL } },
    { &ei_fcgi_app_status,
      { "fcgi.end_request.app_status.nonzero", PI_RESPONSE_CODE, PI_NOTE,
        "Non-zero application status", EXPFILL } },
    { &ei_fcgi_stderr,
      { "fcgi.stderr.output", PI_PROTOCOL, PI_NOTE, "The application wrote to FCGI_STDERR", EXPFILL } },
    { &ei_fcgi_abort,
      { "fcgi.abort_request", PI_SEQUENCE, PI_NOTE, "The web server aborted the request", EXPFILL } },
    { &ei_fcgi_unknown_type_reply,
      { "fcgi.unknown_type.reply", PI_PROTOCOL, PI_NOTE,
        "The application did not understand a management record", EXPFILL } },
    { &ei_fcgi_status_5xx,
      { "fcgi.response.code.server_error", PI_RESPONSE_CODE, PI_WARN, "Server error status (5xx)", EXPFILL } },
    { &ei_fcgi_status_4xx,
      { "fcgi.response.code.client_error", PI_RESPONSE_CODE, PI_NOTE, "Client error status (4xx)", EXPFILL } },
    { &ei_fcgi_cgi_headers,
      { "fcgi.response.header.malformed", PI_MALFORMED, PI_WARN,
        "CGI response headers are malformed or not terminated by an empty line", EXPFILL } },
    { &ei_fcgi_stream_after_end,
      { "fcgi.stream.after_end", PI_SEQUENCE, PI_WARN, "Stream record after the end of its stream", EXPFILL } },
    { &ei_fcgi_value_not_number,
      { "fcgi.values.not_number", PI_PROTOCOL, PI_WARN, "Management variable value is not a number", EXPFILL } },
};

void
proto_register_fcgi(void)
{
    static gint *ett[] = {
        &ett_fcgi,
        &ett_fcgi_body,
        &ett_fcgi_nv,
        &ett_fcgi_nv_pairs,
        &ett_fcgi_stream,
        &ett_fcgi_response_header,
        &ett_fcgi_fragment,
        &ett_fcgi_fragments,
    };
    module_t *fcgi_module;
    expert_module_t *expert_fcgi;

    proto_fcgi = proto_register_protocol("FastCGI", "FCGI", "fcgi");
    proto_register_field_array(proto_fcgi, hf_inherited, array_length(hf_inherited));
    proto_register_field_array(proto_fcgi, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_fcgi = expert_register_protocol(proto_fcgi);
    expert_register_field_array(expert_fcgi, ei, array_length(ei));

    fcgi_module = prefs_register_protocol(proto_fcgi, NULL);
    prefs_register_bool_preference(fcgi_module, "reassemble_bodies",
        "Reassemble STDIN, STDOUT, STDERR and DATA streams",
        "Whether request and response bodies spread over several FastCGI records are "
        "reassembled and shown whole in the frame of the record that ends the stream. "
        "PARAMS are always reassembled. Turn this off to save memory on huge captures.",
        &fcgi_reassemble_bodies);
    prefs_register_bool_preference(fcgi_module, "decompress_body",
        "Uncompress gzip and deflate response bodies",
        "Whether a response body with Content-Encoding gzip or deflate is shown uncompressed as well.",
        &fcgi_decompress_body);

    fcgi_handle = register_dissector("fcgi", dissect_fcgi_tcp, proto_fcgi);

    reassembly_table_register(&fcgi_stream_reassembly_table, &addresses_ports_reassembly_table_functions);

    fcgi_tap = register_tap("fcgi");
    fcgi_record_tap = register_tap("fcgi_record");
    fcgi_eo_tap = register_export_object(proto_fcgi, fcgi_eo_packet, NULL);
    stats_tree_register("fcgi_record", "fcgi", "FastCGI/Records and Requests", 0,
                        fcgi_stats_tree_packet, fcgi_stats_tree_init, NULL);
    stats_tree_register("fcgi", "fcgi_scripts", "FastCGI/Response Time by Script", 0,
                        fcgi_scripts_tree_packet, fcgi_scripts_tree_init, NULL);
}

void
proto_reg_handoff_fcgi(void)
{
    media_type_table = find_dissector_table("media_type");
    media_handle_data = find_dissector("data");

    /* No well-known port: php-fpm's 9000 belongs to another dissector.
     * FastCGI on any port is found by content, or by Decode As. */
    dissector_add_uint_range_with_preference("tcp.port", "", fcgi_handle);
    heur_dissector_add("tcp", dissect_fcgi_heur_tcp, "FastCGI over TCP", "fcgi_tcp",
                       proto_fcgi, HEURISTIC_ENABLE);
}
