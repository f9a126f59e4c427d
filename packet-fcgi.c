/* packet-fcgi.c
 * Routines for FastCGI dissection
 *
 * Implements the FastCGI Specification 1.0 (Open Market, 1996; Debian ships
 * it as /usr/share/doc/libfcgi-dev/fcgi-spec.html).  Section numbers in the
 * comments ("spec 3.3") refer to it; "RFC 3875" is the CGI 1.1 RFC, whose
 * section 6 defines the response that a Responder writes to FCGI_STDOUT.
 *
 * Wireshark - Network traffic analyzer
 * By Gerald Combs <gerald@wireshark.org>
 * Copyright 1998 Gerald Combs
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The file is laid out in layers, each using only those above it:
 *   1. declarations: fields, subtrees, expert infos, value strings, prefs
 *   2. the record header (spec 3.3) and what makes bytes a record
 *   3. requests and connections: the state kept across frames
 *   4. the Info column
 *   5. name-value pairs (spec 3.4): FCGI_PARAMS and both GET_VALUES records
 *   6. streams (spec 3.3, 5.3): reassembly, the CGI response, bodies
 *   7. one function per record body, and the record dissector
 *   8. framing: records in TCP, lost segments, the heuristic
 *   9. statistics and export objects
 *  10. registration
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
#include <epan/to_str.h>
#include <epan/dissectors/packet-http.h>
#include <epan/dissectors/packet-tcp.h>
#include <wsutil/pint.h>
#include <wsutil/strtoi.h>

#include "packet-fcgi.h"

void proto_register_fcgi(void);
void proto_reg_handoff_fcgi(void);

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

/* The record header and the bodies of the fixed-size records. */
static int hf_fcgi_version = -1;
static int hf_fcgi_type = -1;
static int hf_fcgi_id = -1;
static int hf_fcgi_content_length = -1;
static int hf_fcgi_padding_length = -1;
static int hf_fcgi_reserved = -1;
static int hf_fcgi_content_data = -1;
static int hf_fcgi_padding_data = -1;
static int hf_fcgi_skipped = -1;
static int hf_fcgi_end_of_stream = -1;
static int hf_fcgi_begin_request_role = -1;
static int hf_fcgi_begin_request_flags = -1;
static int hf_fcgi_begin_request_keep_conn = -1;
static int hf_fcgi_begin_request_reserved = -1;
static int hf_fcgi_end_request_app_status = -1;
static int hf_fcgi_end_request_protocol_status = -1;
static int hf_fcgi_end_request_reserved = -1;
static int hf_fcgi_unknown_type_type = -1;
static int hf_fcgi_unknown_type_reserved = -1;
/* Name-value pairs */
static int hf_fcgi_nv_name = -1;
static int hf_fcgi_nv_value = -1;
static int hf_fcgi_nv_begun_in = -1;
static int hf_fcgi_values_max_conns = -1;
static int hf_fcgi_values_max_reqs = -1;
static int hf_fcgi_values_mpxs_conns = -1;
/* The request, from its parameters */
static int hf_fcgi_request_method = -1;
static int hf_fcgi_request_uri = -1;
static int hf_fcgi_request_query_string = -1;
static int hf_fcgi_request_script_name = -1;
static int hf_fcgi_request_script_filename = -1;
static int hf_fcgi_request_host = -1;
static int hf_fcgi_request_content_type = -1;
static int hf_fcgi_request_content_length = -1;
static int hf_fcgi_request_remote_addr = -1;
static int hf_fcgi_request_number = -1;
static int hf_fcgi_prev_request_in = -1;
static int hf_fcgi_next_request_in = -1;
static int hf_fcgi_request_body = -1;
/* The response: the CGI response on FCGI_STDOUT, FCGI_STDERR */
static int hf_fcgi_response_code = -1;
static int hf_fcgi_response_phrase = -1;
static int hf_fcgi_response_content_type = -1;
static int hf_fcgi_response_content_length = -1;
static int hf_fcgi_response_content_encoding = -1;
static int hf_fcgi_response_location = -1;
static int hf_fcgi_response_header = -1;
static int hf_fcgi_response_body = -1;
static int hf_fcgi_response_for_uri = -1;
static int hf_fcgi_response_time = -1;
static int hf_fcgi_stderr = -1;
/* Links between the frames of a request */
static int hf_fcgi_request_in = -1;
static int hf_fcgi_response_in = -1;
static int hf_fcgi_time = -1;
/* Stream reassembly */
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
static gint ett_fcgi_header = -1;
static gint ett_fcgi_body = -1;
static gint ett_fcgi_nv = -1;
static gint ett_fcgi_nv_pairs = -1;
static gint ett_fcgi_stream = -1;
static gint ett_fcgi_response_headers = -1;
static gint ett_fcgi_fragment = -1;
static gint ett_fcgi_fragments = -1;

static expert_field ei_fcgi_version = EI_INIT;
static expert_field ei_fcgi_reserved = EI_INIT;
static expert_field ei_fcgi_end_request_reserved = EI_INIT;
static expert_field ei_fcgi_type_undefined = EI_INIT;
static expert_field ei_fcgi_app_record_null_id = EI_INIT;
static expert_field ei_fcgi_mgmt_record_id = EI_INIT;
static expert_field ei_fcgi_body_length = EI_INIT;
static expert_field ei_fcgi_nv_overrun = EI_INIT;
static expert_field ei_fcgi_nv_too_long = EI_INIT;
static expert_field ei_fcgi_truncated = EI_INIT;
static expert_field ei_fcgi_skipped = EI_INIT;
static expert_field ei_fcgi_stream_start_missing = EI_INIT;
static expert_field ei_fcgi_stream_hole = EI_INIT;
static expert_field ei_fcgi_not_begun_start = EI_INIT;
static expert_field ei_fcgi_not_begun = EI_INIT;
static expert_field ei_fcgi_unfinished = EI_INIT;
static expert_field ei_fcgi_protocol_status = EI_INIT;
static expert_field ei_fcgi_app_status = EI_INIT;
static expert_field ei_fcgi_stderr = EI_INIT;
static expert_field ei_fcgi_abort = EI_INIT;
static expert_field ei_fcgi_unknown_type_reply = EI_INIT;
static expert_field ei_fcgi_status_5xx = EI_INIT;
static expert_field ei_fcgi_status_4xx = EI_INIT;
static expert_field ei_fcgi_status_implied = EI_INIT;
static expert_field ei_fcgi_cgi_headers = EI_INIT;
static expert_field ei_fcgi_stream_after_end = EI_INIT;
static expert_field ei_fcgi_value_not_number = EI_INIT;

/* spec 8: record types.  The Info column uses the names without FCGI_. */
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

/* A name-value pair is kept across records while it is split; a pair
 * longer than this is not kept (it protects memory against a hostile
 * length of up to 2^31 bytes) and is shown as skipped, with an expert info. */
#define FCGI_MAX_SPLIT_PAIR (1024 * 1024)

/* The heuristic reads at most this many records of a segment. */
#define FCGI_HEUR_MAX_RECORDS 16

/* ======================================================================
 * 2. The record header (spec 3.3) and what makes bytes a record
 * ==================================================================== */

typedef struct {
    guint8  version;
    guint8  type;
    guint16 id;
    guint16 clen;       /* contentLength */
    guint8  plen;       /* paddingLength */
    guint8  reserved;
} fcgi_header_t;

/* spec 3.3: FCGI_Header, eight bytes. */
static void
fcgi_read_header(tvbuff_t *tvb, int offset, fcgi_header_t *h)
{
    const guint8 *p = tvb_get_ptr(tvb, offset, FCGI_HEADER_LEN);

    h->version  = p[0];
    h->type     = p[1];
    h->id       = pntoh16(p + 2);
    h->clen     = pntoh16(p + 4);
    h->plen     = p[6];
    h->reserved = p[7];
}

static guint
fcgi_record_len(const fcgi_header_t *h)
{
    return FCGI_HEADER_LEN + h->clen + h->plen;
}

static gboolean
fcgi_is_defined_type(guint8 type)
{
    return type >= FCGI_BEGIN_REQUEST && type <= FCGI_MAXTYPE;
}

/* spec 3.3: management records use the null request id; of the defined
 * types these are FCGI_GET_VALUES, FCGI_GET_VALUES_RESULT and
 * FCGI_UNKNOWN_TYPE. */
static gboolean
fcgi_is_management_type(guint8 type)
{
    return type == FCGI_GET_VALUES || type == FCGI_GET_VALUES_RESULT || type == FCGI_UNKNOWN_TYPE;
}

/* spec 3.3: what every record header must be, and dissect_fcgi_header
 * reports when it is not: version 1, a defined type, a zero reserved byte,
 * and the request id its type calls for (management records use the null
 * request id, application records never do). */
static gboolean
fcgi_header_keeps_rules(const fcgi_header_t *h)
{
    return h->version == FCGI_VERSION_1 && fcgi_is_defined_type(h->type) && h->reserved == 0 &&
           fcgi_is_management_type(h->type) == (h->id == FCGI_NULL_REQUEST_ID);
}

/* Where records are expected, bytes are taken for a record unless they
 * cannot be one: version 1 is the only version (spec 3.3), type 0 does not
 * exist.  Undefined types and odd lengths are records, with expert infos. */
static gboolean
fcgi_header_possible(const fcgi_header_t *h)
{
    return h->version == FCGI_VERSION_1 && h->type != 0;
}

/* Where a record boundary is not known (the heuristic, after a lost
 * segment), a header must be one that real peers send: a defined type,
 * zero reserved byte, the id its type calls for (spec 3.3), the body length
 * of the fixed-size types (spec 4.2, 5.1, 5.4, 5.5), no padding of an empty
 * record and at most the 7 bytes of padding that align a record (spec 3.3
 * recommends alignment; nginx, Apache, php-fpm and Go pad to 8 bytes). */
static gboolean
fcgi_header_well_formed(const fcgi_header_t *h)
{
    if (!fcgi_header_keeps_rules(h))
        return FALSE;
    if (h->plen > 7 || (h->clen == 0 && h->plen != 0))
        return FALSE;
    switch (h->type) {
    case FCGI_BEGIN_REQUEST:
    case FCGI_END_REQUEST:
    case FCGI_UNKNOWN_TYPE:
        return h->clen == 8;
    case FCGI_ABORT_REQUEST:
        return h->clen == 0;
    default:
        return TRUE;
    }
}

/* What a record's content says about the bytes being FastCGI. */
typedef enum {
    FCGI_CONTENT_WRONG,     /* contradicts the record type */
    FCGI_CONTENT_OPAQUE,    /* says nothing: stream bytes, or not all there */
    FCGI_CONTENT_PROVES     /* is what only this record type holds */
} fcgi_evidence_t;

/* Reads one name-value length (spec 3.4) from the avail bytes at p: one
 * byte when the high bit is clear, else four bytes with the high bit
 * masked off.  FALSE when the length does not fit in them.  Callers take
 * the bytes from the tvb once (tvb_get_ptr), not a byte at a time: every
 * pair of every request is read here. */
static gboolean
fcgi_read_nv_length(const guint8 *p, int avail, guint32 *len, int *size)
{
    if (avail < 1)
        return FALSE;
    if ((p[0] & 0x80) == 0) {
        *len = p[0];
        *size = 1;
        return TRUE;
    }
    if (avail < 4)
        return FALSE;
    *len = pntoh32(p) & 0x7fffffffU;
    *size = 4;
    return TRUE;
}

/* Reads a pair's name length and value length from the avail bytes at p.
 * Returns the size of the two (2 to 8 bytes), or 0 when they do not fit. */
static int
fcgi_read_nv_lengths(const guint8 *p, int avail, guint32 *nlen, guint32 *vlen)
{
    int nsize, vsize;

    if (!fcgi_read_nv_length(p, avail, nlen, &nsize) ||
        !fcgi_read_nv_length(p + nsize, avail - nsize, vlen, &vsize))
        return 0;
    return nsize + vsize;
}

/* Whether name-value pairs exactly fill [offset, end): every name
 * printable ASCII without spaces, as CGI variable names are. */
static gboolean
fcgi_pairs_fill(tvbuff_t *tvb, int offset, int end)
{
    const guint8 *p;
    int n = end - offset, pos = 0;

    if (n <= 0)
        return n == 0;
    p = tvb_get_ptr(tvb, offset, n);
    while (pos < n) {
        guint32 nlen, vlen;
        int hsize = fcgi_read_nv_lengths(p + pos, n - pos, &nlen, &vlen);
        int i;

        if (hsize == 0)
            return FALSE;
        pos += hsize;
        if (nlen == 0 || (guint64)nlen + vlen > (guint64)(n - pos))
            return FALSE;
        for (i = 0; i < (int)nlen; i++) {
            if (p[pos + i] <= ' ' || p[pos + i] >= 0x7f)
                return FALSE;
        }
        pos += (int)(nlen + vlen);
    }
    return TRUE;
}

/* Does the content at offset start like a CGI response header line
 * ("Name:" with a token name, RFC 3875 section 6.3)? */
static gboolean
fcgi_starts_like_cgi_header(tvbuff_t *tvb, int offset, int end)
{
    int i;

    for (i = offset; i < end && i - offset < 64; i++) {
        guint8 c = tvb_get_guint8(tvb, i);
        if (c == ':')
            return i - offset >= 2;
        if (!g_ascii_isalnum(c) && c != '-' && c != '_')
            return FALSE;
    }
    return FALSE;
}

/* The content of a well-formed record at offset, as far as the captured
 * bytes hold it. */
static fcgi_evidence_t
fcgi_content_evidence(tvbuff_t *tvb, int offset, const fcgi_header_t *h)
{
    int body = offset + FCGI_HEADER_LEN;
    int avail = MIN((int)h->clen, tvb_captured_length_remaining(tvb, body));

    switch (h->type) {
    case FCGI_BEGIN_REQUEST:
        /* spec 5.1: role 1-3, only FCGI_KEEP_CONN in flags, reserved zero */
        if (avail < FCGI_BEGIN_REQUEST_BODY_LEN)
            return FCGI_CONTENT_OPAQUE;
        if (tvb_get_ntohs(tvb, body) < FCGI_RESPONDER || tvb_get_ntohs(tvb, body) > FCGI_FILTER ||
            (tvb_get_guint8(tvb, body + 2) & ~FCGI_KEEP_CONN) != 0 ||
            tvb_get_ntohl(tvb, body + 3) != 0 || tvb_get_guint8(tvb, body + 7) != 0)
            return FCGI_CONTENT_WRONG;
        return FCGI_CONTENT_PROVES;
    case FCGI_END_REQUEST:
        /* spec 5.5: a defined protocol status.  The reserved bytes are not
         * read: php-fpm leaves its buffer's bytes there. */
        if (avail < FCGI_END_REQUEST_BODY_LEN)
            return FCGI_CONTENT_OPAQUE;
        return tvb_get_guint8(tvb, body + 4) <= FCGI_UNKNOWN_ROLE ? FCGI_CONTENT_PROVES : FCGI_CONTENT_WRONG;
    case FCGI_UNKNOWN_TYPE:
        /* spec 4.2: a type that is not a defined one, reserved zero */
        if (avail < FCGI_UNKNOWN_TYPE_BODY_LEN)
            return FCGI_CONTENT_OPAQUE;
        if ((tvb_get_guint8(tvb, body) != 0 && tvb_get_guint8(tvb, body) <= FCGI_MAXTYPE) ||
            tvb_get_ntoh24(tvb, body + 1) != 0 || tvb_get_ntohl(tvb, body + 4) != 0)
            return FCGI_CONTENT_WRONG;
        return FCGI_CONTENT_PROVES;
    case FCGI_PARAMS:
    case FCGI_GET_VALUES:
    case FCGI_GET_VALUES_RESULT:
        /* spec 3.4: pairs that exactly fill the content.  A PARAMS record
         * may end inside a pair (spec 5.2 makes PARAMS a stream); that
         * proves nothing either way. */
        if (h->clen == 0 || avail < h->clen)
            return FCGI_CONTENT_OPAQUE;
        if (fcgi_pairs_fill(tvb, body, body + avail))
            return FCGI_CONTENT_PROVES;
        return h->type == FCGI_PARAMS ? FCGI_CONTENT_OPAQUE : FCGI_CONTENT_WRONG;
    case FCGI_STDOUT:
        /* RFC 3875 6: a Responder's output starts with a header line. */
        if (h->clen > 0 && fcgi_starts_like_cgi_header(tvb, body, body + avail))
            return FCGI_CONTENT_PROVES;
        return FCGI_CONTENT_OPAQUE;
    default:
        return FCGI_CONTENT_OPAQUE;
    }
}

/* What the record at offset says about the bytes being FastCGI: a header
 * that is not well-formed, or content contradicting its type, is WRONG. */
static fcgi_evidence_t
fcgi_record_evidence(tvbuff_t *tvb, int offset, fcgi_header_t *h)
{
    fcgi_read_header(tvb, offset, h);
    if (!fcgi_header_well_formed(h))
        return FCGI_CONTENT_WRONG;
    return fcgi_content_evidence(tvb, offset, h);
}

/* ======================================================================
 * 3. Requests and connections: the state kept across frames
 *
 * The first pass decides, record by record, which request each record
 * belongs to and what it means for its streams, and keeps that per frame;
 * later passes (tshark -2, Wireshark's window) show what the first pass
 * decided, whatever order they visit frames in.
 * ==================================================================== */

/* The five byte streams of a request (spec 3.3, 5.2, 5.3, 6). */
enum fcgi_stream_index {
    FCGI_STREAM_PARAMS, FCGI_STREAM_STDIN, FCGI_STREAM_STDOUT,
    FCGI_STREAM_STDERR, FCGI_STREAM_DATA, FCGI_NUM_STREAMS
};

/* The record type of each stream. */
static const guint8 fcgi_stream_types[FCGI_NUM_STREAMS] = {
    FCGI_PARAMS, FCGI_STDIN, FCGI_STDOUT, FCGI_STDERR, FCGI_DATA
};

/* The stream a record type carries, or -1. */
static int
fcgi_stream_of_type(guint8 type)
{
    int i;

    for (i = 0; i < FCGI_NUM_STREAMS; i++) {
        if (fcgi_stream_types[i] == type)
            return i;
    }
    return -1;
}

static const char *
fcgi_type_short_name(guint8 type)
{
    const char *name = try_val_to_str(type, fcgi_record_types);
    return name ? name + 5 : NULL;      /* without "FCGI_" */
}

/* Stream flags, in fcgi_request_t's stream_flags (first pass, final once
 * the stream has ended) */
#define FCGI_STREAM_START_MISSING 0x01  /* its first bytes were not captured */
#define FCGI_STREAM_HOLE          0x02  /* bytes in its middle were not captured */
#define FCGI_STREAM_REASSEMBLED   0x04  /* records of it went into a reassembly */
#define FCGI_STREAM_HAS_DATA      0x08  /* a data record of it was seen */

/* A name-value pair that continues past the record it began in (spec 3.4
 * pairs form the PARAMS stream, which records cut anywhere).  The objects
 * are never changed once made, so records share them. */
typedef struct {
    const guint8 *data;     /* its bytes so far; NULL when it is too long to keep */
    guint32  len;           /* bytes so far */
    guint64  total;         /* its whole length, 0 while its lengths are not all there */
    guint32  begun_in;      /* frame of its first byte */
} fcgi_split_pair_t;

/* The content bytes of stream i of a request (the tap's; not kept for PARAMS) */
#define FCGI_STREAM_BYTES(req, i) ((req)->stream_bytes[(i) - 1])

/* What the first pass needs of a request only while it is in progress:
 * kept in its id's slot (fcgi_progress). */
typedef struct {
    guint32  gaps[2];                   /* the gap counts when it began */
    guint32  stream_gaps[FCGI_NUM_STREAMS];  /* the gap count at each stream's last record */
    const fcgi_split_pair_t *split;     /* PARAMS: a pair continuing */
} fcgi_progress_t;

/* One request: spec 3.3 "the application keeps track of requests by their
 * request IDs", so a request lives from FCGI_BEGIN_REQUEST to
 * FCGI_END_REQUEST on one connection.  File scope. */
typedef struct fcgi_request {
    gint64      begin_ns;               /* its FCGI_BEGIN_REQUEST's time, in ns since 1970 (8 bytes, not 16) */
    guint16     id;
    guint16     role;
    guint16     response_code;          /* from the CGI response (RFC 3875 6) */
    guint8      stream_flags[FCGI_NUM_STREAMS];  /* FCGI_STREAM_* of each stream */
    guint8      kept_present : 6;       /* bit i: kept parameter i came (fcgi_kept) */
    guint8      code_implied : 1;       /* the status is the one CGI implies */
    guint32     number;                 /* 1, 2, ... on its connection (conv->requests) */
    guint32     first_frame;            /* where it appears: its FCGI_BEGIN_REQUEST, or its first record */
    guint32     begin_frame;            /* 0: began before the capture */
    guint32     summary_frame;          /* the frame that shows method and URI */
    guint32     status_frame;           /* the frame that shows the status */
    guint32     end_frame;
    guint32     last_frame;             /* its last record: frame and index in it */
    guint32     last_record;
    guint32     first_record;           /* the index of its first record in first_frame */
    guint32     serial;                 /* 0, 1, ... in the capture: names its reassemblies */
    /* Its five streams (enum fcgi_stream_index) */
    guint32     stream_end[FCGI_NUM_STREAMS];     /* frame of the record that ended it, or 0 */
    guint64     stream_bytes[FCGI_NUM_STREAMS - 1];  /* content bytes seen so far, but of PARAMS (FCGI_STREAM_BYTES) */
    /* From PARAMS (RFC 3875 4.1): the parameters in enum fcgi_kept_param
     * order, each ending in NUL, in one allocation. */
    const char *kept;
} fcgi_request_t;

/* The parameters a request keeps for its summary, the tap and the body's
 * media type. */
enum fcgi_kept_param {
    FCGI_K_METHOD, FCGI_K_URI, FCGI_K_QUERY, FCGI_K_SCRIPT, FCGI_K_HOST, FCGI_K_CONTENT_TYPE, FCGI_NUM_K
};

/* A kept parameter of the request, or NULL when it did not come. */
static const char *
fcgi_kept(const fcgi_request_t *req, int k)
{
    const char *str = req->kept;
    int i;

    if (!(req->kept_present & (1u << k)))
        return NULL;
    for (i = 0; i < k; i++)
        str += strlen(str) + 1;
    return str;
}

/* A list that only grows, in file scope: segment k holds (1 << shift) << k
 * elements, so nothing is ever copied, moved or freed while a capture is
 * open.  (A wmem_array would grow by reallocation: every chunk it grows
 * out of stays in wmem's block allocator's recycler, which each later
 * file-scope allocation of every dissector then walks; on the glib heap the
 * copies leave holes.  bench/README.md, "Where the time goes".) */
#define FCGI_LIST_SEGMENTS 32

/* First segments: a connection's records (a request is a few), its
 * requests (one on a fresh connection), the requests of one id. */
#define FCGI_CONN_RECORDS_SHIFT  3
#define FCGI_CONN_REQUESTS_SHIFT 0
#define FCGI_ID_REQUESTS_SHIFT   2

typedef struct {
    guint32 count;
    guint8  shift;          /* the first segment holds 1 << shift elements */
    guint8  elem_size;
    void   *first;          /* segment 0 */
    void  **more;           /* segments 1 ...; allocated with segment 1 */
} fcgi_list_t;

static void
fcgi_list_init(fcgi_list_t *list, guint shift, gsize elem_size)
{
    list->count = 0;
    list->shift = (guint8)shift;
    list->elem_size = (guint8)elem_size;
    list->first = NULL;
    list->more = NULL;
}

/* The segment k that element i is in, and i's place in it. */
static guint32
fcgi_list_locate(const fcgi_list_t *list, guint32 i, guint *k)
{
    *k = g_bit_storage((i >> list->shift) + 1) - 1;
    return i - ((((guint32)1 << *k) - 1) << list->shift);
}

static void *
fcgi_list_at(const fcgi_list_t *list, guint32 i)
{
    guint k;
    guint32 offset = fcgi_list_locate(list, i, &k);
    char *segment = k == 0 ? (char *)list->first : (char *)list->more[k - 1];

    return segment + (gsize)offset * list->elem_size;
}

/* Room for one more element at the end; the caller fills it. */
static void *
fcgi_list_append(fcgi_list_t *list)
{
    guint32 i = list->count;
    guint k;

    if (fcgi_list_locate(list, i, &k) == 0) {
        /* The first element of segment k. */
        gsize size = ((gsize)list->elem_size << list->shift) << k;
        if (k == 0) {
            list->first = wmem_alloc(wmem_file_scope(), size);
        } else {
            if (!list->more)
                list->more = wmem_alloc0_array(wmem_file_scope(), void *, FCGI_LIST_SEGMENTS - 1);
            list->more[k - 1] = wmem_alloc(wmem_file_scope(), size);
        }
    }
    list->count++;
    return fcgi_list_at(list, i);
}

/* One direction of a connection (first pass). */
typedef struct {
    guint32  next_seq;      /* TCP sequence number after the last bytes seen */
    gboolean have_seq;
    guint32  gaps;          /* lost segments and skipped bytes so far */
    gboolean continuing;    /* the last bytes were the rest of a lost record */
    gboolean waiting;       /* for the record TCP is reassembling: */
    guint32  wait_start;    /* ... its TCP sequence numbers */
    guint32  wait_end;
    /* Bytes that were not a record, by TCP sequence number of where they
     * start, so every pass skips the same; NULL until it happens. */
    wmem_map_t *skips;
} fcgi_direction_t;

/* The requests of one request id on a connection: the one in progress,
 * the one that ended last (an Apache STDIN may end after it), and all of
 * them in the order they appeared (later passes find a record's request
 * there: fcgi_request_at, which fills the lists from conv->requests when
 * it needs them, fcgi_index_ids). */
typedef struct {
    fcgi_request_t *active;
    fcgi_progress_t progress;       /* of the active one (first pass) */
    fcgi_request_t *ended;
    fcgi_list_t     requests;       /* of fcgi_request_t *; only once the connection has several ids */
} fcgi_id_slot_t;

/* One connection.  File scope. */
typedef struct {
    fcgi_direction_t dir[2];
    /* Per request id, the request in progress and the one that ended last.
     * The first id used has its slot here: web servers that do not
     * multiplex use one id (nginx, Apache, lighttpd: 1) on every request
     * of a connection.  Other ids are found by their high and low byte
     * (pages of 256 slots, made as ids need them), from the second id on:
     * a lookup reads two pointers however many requests are open.  At
     * most 258 2-KiB allocations per connection, whatever its ids. */
    guint16     first_id;
    gboolean    have_first_id;
    fcgi_id_slot_t first_slot;
    fcgi_id_slot_t ***ids;      /* 256 pages of 256; NULL until needed */
    fcgi_list_t requests;           /* of fcgi_request_t *, in the order they appeared */
    guint32     ids_indexed;        /* how many of them are in their id's slot->requests */
    guint32     request_count;
    guint32     conv_index;
    gboolean    seen_begin;         /* an FCGI_BEGIN_REQUEST was seen */
    gboolean    seen_syn;           /* the capture has the connection's start */
    fcgi_list_t records;            /* of fcgi_stored_record_t, by frame */
    /* The pairs split across PARAMS records (few records continue one),
     * by the index in records of the record that continues it + 1. */
    wmem_map_t *splits;
} fcgi_conv_t;

/* What the first pass learnt about one record, while its frame is
 * dissected. */
typedef struct {
    fcgi_request_t *req;            /* NULL for management records */
    fcgi_progress_t *progress;      /* the request's, while it is in progress (first pass) */
    guint32  flags;
} fcgi_record_info_t;

/* ... and what is kept of it: each connection keeps its records in one
 * array, in the order they were dissected (frame by frame, the same on
 * every pass), 8 bytes each and no per-frame allocation; the request is
 * found again from the record's id (fcgi_request_at). */
typedef struct {
    guint32  frame;
    guint32  flags;
} fcgi_stored_record_t;

#define FCGI_REC_NOT_BEGUN       0x0001  /* first record of a request never begun */
#define FCGI_REC_CAPTURE_START   0x0002  /* ... and no request had begun on the connection */
#define FCGI_REC_AFTER_END       0x0004  /* stream record after that stream ended */
#define FCGI_REC_STREAM_START    0x0008  /* the first data record of its stream */
#define FCGI_REC_START_MISSING   0x0010  /* ... and the stream's start was not captured */
#define FCGI_REC_SPLIT           0x0020  /* PARAMS: continues a pair begun earlier (conv->splits) */
#define FCGI_REC_REASSEMBLED     0x0040  /* its content went into a reassembly */
#define FCGI_REC_SUMMARY         0x0080  /* it completes the request line (PARAMS) */
#define FCGI_REC_STATUS          0x0100  /* it shows the response status */
#define FCGI_REC_HAS_REQUEST     0x0200  /* stored: it belongs to a request */
/* The record ends stream i: an empty record, or FCGI_END_REQUEST for
 * streams the application did not end (php-fpm never sends the empty
 * FCGI_STDOUT) */
#define FCGI_REC_ENDS(i)         (0x0400u << (i))
/* ... and the stream's only data record is in the same frame, so that
 * record is the whole stream and nothing was reassembled. */
#define FCGI_REC_WHOLE_INLINE(i) (0x8000u << (i))

/* The first data record of a stream, while its frame is dissected: when
 * the stream ends in the same frame, it is the whole stream. */
typedef struct fcgi_pending {
    struct fcgi_pending *next;
    const fcgi_request_t *req;
    int       stream;
    tvbuff_t *tvb;
    guint32   record;       /* its index in the frame */
} fcgi_pending_t;

/* One dissection of one frame.  Packet scope. */
typedef struct {
    fcgi_conv_t   *conv;
    int            direction;
    struct tcpinfo *tcpinfo;    /* of the bytes tcp_dissect_pdus is working on */
    gboolean       after_gap;   /* those bytes follow bytes not captured */
    gboolean       waiting;     /* they end in a record TCP will reassemble: */
    guint32        wait_start;  /* ... its TCP sequence numbers */
    guint32        wait_end;
    guint          skip;        /* bytes before the record get_fcgi_pdu_len measured */
    gboolean       skip_lost;   /* ... which follow bytes not captured */
    /* The frame's records while it is dissected (first pass), and where
     * they are in conv->records: the first one's index, how many. */
    fcgi_record_info_t *recs;
    guint32        rec_count;
    guint32        rec_capacity;
    guint32        next_record;
    guint32        first_stored;
    guint32        stored_count;
    fcgi_pending_t *pending;
    /* The FCGI_END_REQUEST record being dissected: its statuses (spec 5.5). */
    guint32        app_status;
    guint32        protocol_status;
    /* Requests that got their link fields in this frame already. */
    wmem_list_t   *linked;
    /* Whether anyone wants the link fields, the header fields
     * (fcgi_fields_wanted). */
    guint8         links_wanted;
    guint8         header_wanted;
    /* The Info column: lower layers' text, the summaries, the records. */
    const char    *info_prefix;
    wmem_strbuf_t *summary;
    wmem_strbuf_t *records;
} fcgi_frame_state_t;

/* proto_data key */
#define FCGI_KEY_FRAME_STATE 0      /* packet scope: fcgi_frame_state_t */

static guint32 fcgi_next_serial;

static void
fcgi_init(void)
{
    fcgi_next_serial = 0;
}

/* Which way a segment goes on its connection: 0 or 1. */
static int
fcgi_direction(packet_info *pinfo)
{
    int cmp = cmp_address(&pinfo->src, &pinfo->dst);
    return (cmp > 0 || (cmp == 0 && pinfo->srcport > pinfo->destport)) ? 1 : 0;
}

static fcgi_conv_t *
fcgi_conversation(packet_info *pinfo)
{
    conversation_t *conversation = find_or_create_conversation(pinfo);
    fcgi_conv_t *conv = (fcgi_conv_t *)conversation_get_proto_data(conversation, proto_fcgi);

    if (!conv) {
        struct tcp_analysis *tcpd = get_tcp_conversation_data(conversation, pinfo);

        conv = wmem_new0(wmem_file_scope(), fcgi_conv_t);
        fcgi_list_init(&conv->records, FCGI_CONN_RECORDS_SHIFT, sizeof(fcgi_stored_record_t));
        fcgi_list_init(&conv->requests, FCGI_CONN_REQUESTS_SHIFT, sizeof(fcgi_request_t *));
        fcgi_list_init(&conv->first_slot.requests, FCGI_ID_REQUESTS_SHIFT, sizeof(fcgi_request_t *));
        conv->conv_index = tcpd ? tcpd->stream : conversation->conv_index;
        /* TCP's completeness bit 0x01 is "SYN seen" (packet-tcp.c). */
        conv->seen_syn = tcpd && (tcpd->conversation_completeness & 0x01);
        conversation_add_proto_data(conversation, proto_fcgi, conv);
    }
    return conv;
}

static fcgi_frame_state_t *
fcgi_frame_state(packet_info *pinfo)
{
    fcgi_frame_state_t *fs = (fcgi_frame_state_t *)p_get_proto_data(pinfo->pool, pinfo, proto_fcgi, FCGI_KEY_FRAME_STATE);

    if (!fs) {
        fs = wmem_new0(pinfo->pool, fcgi_frame_state_t);
        fs->conv = fcgi_conversation(pinfo);
        fs->direction = fcgi_direction(pinfo);
        if (!PINFO_FD_VISITED(pinfo))
            fs->first_stored = fs->conv->records.count;
        p_add_proto_data(pinfo->pool, pinfo, proto_fcgi, FCGI_KEY_FRAME_STATE, fs);
    }
    return fs;
}

/* The slot of request id on the connection; created when create is TRUE,
 * else NULL when the id was never seen. */
static fcgi_id_slot_t *
fcgi_id_slot(fcgi_conv_t *conv, guint16 id, gboolean create)
{
    fcgi_id_slot_t **page;

    if (conv->have_first_id && conv->first_id == id)
        return &conv->first_slot;
    if (!conv->have_first_id) {
        if (!create)
            return NULL;
        conv->have_first_id = TRUE;
        conv->first_id = id;
        return &conv->first_slot;
    }
    if (!conv->ids) {
        if (!create)
            return NULL;
        conv->ids = wmem_alloc0_array(wmem_file_scope(), fcgi_id_slot_t **, 256);
    }
    page = conv->ids[id >> 8];
    if (!page) {
        if (!create)
            return NULL;
        page = conv->ids[id >> 8] = wmem_alloc0_array(wmem_file_scope(), fcgi_id_slot_t *, 256);
    }
    if (!page[id & 0xff] && create) {
        page[id & 0xff] = wmem_new0(wmem_file_scope(), fcgi_id_slot_t);
        fcgi_list_init(&page[id & 0xff]->requests, FCGI_ID_REQUESTS_SHIFT, sizeof(fcgi_request_t *));
    }
    return page[id & 0xff];
}

/* The request with this id that is in progress, or NULL. */
static fcgi_request_t *
fcgi_find_request(fcgi_conv_t *conv, guint16 id)
{
    fcgi_id_slot_t *slot = fcgi_id_slot(conv, id, FALSE);

    return slot ? slot->active : NULL;
}

/* A request appears: with its FCGI_BEGIN_REQUEST (begun), or with a record
 * of a request that began before the capture or never.  A new
 * FCGI_BEGIN_REQUEST reuses the id: the connection forgets the requests
 * that had it (one still in progress never got its FCGI_END_REQUEST). */
static fcgi_request_t *
fcgi_new_request(packet_info *pinfo, fcgi_conv_t *conv, fcgi_id_slot_t *slot, guint16 id, guint32 rec_index,
                 gboolean begun)
{
    fcgi_request_t *req = wmem_new0(wmem_file_scope(), fcgi_request_t);

    if (begun) {
        slot->ended = NULL;
        conv->seen_begin = TRUE;
        req->begin_frame = pinfo->num;
        req->begin_ns = (gint64)pinfo->abs_ts.secs * 1000000000 + pinfo->abs_ts.nsecs;
    }
    slot->active = req;
    req->id = id;
    req->number = ++conv->request_count;
    req->serial = fcgi_next_serial++;
    req->first_frame = pinfo->num;
    req->first_record = rec_index;
    memset(&slot->progress, 0, sizeof(slot->progress));
    slot->progress.gaps[0] = conv->dir[0].gaps;
    slot->progress.gaps[1] = conv->dir[1].gaps;
    *(fcgi_request_t **)fcgi_list_append(&conv->requests) = req;
    return req;
}

/* spec 5.5: FCGI_END_REQUEST ends the request; its id is free again. */
static void
fcgi_end_request(packet_info *pinfo, fcgi_id_slot_t *slot, fcgi_request_t *req)
{
    req->end_frame = pinfo->num;
    if (slot->active == req)
        slot->active = NULL;
    slot->ended = req;
}

/* The request with this number on the connection, or NULL. */
static const fcgi_request_t *
fcgi_request_number(const fcgi_conv_t *conv, guint32 number)
{
    if (number == 0 || number > conv->requests.count)
        return NULL;
    return *(const fcgi_request_t **)fcgi_list_at(&conv->requests, number - 1);
}

/* The time from the request's FCGI_BEGIN_REQUEST to this frame. */
static void
fcgi_time_since_begin(packet_info *pinfo, const fcgi_request_t *req, nstime_t *delta)
{
    nstime_t begin;

    begin.secs = (time_t)(req->begin_ns / 1000000000);
    begin.nsecs = (int)(req->begin_ns % 1000000000);
    if (begin.nsecs < 0) {
        begin.secs--;
        begin.nsecs += 1000000000;
    }
    nstime_delta(delta, &pinfo->abs_ts, &begin);
}

/* Keeps what the first pass learnt about the frame's records, at the end
 * of the connection's list (nothing else is dissected in between, so the
 * frame's records follow each other there); tcp_dissect_pdus may hand
 * the frame over more than once. */
static void
fcgi_store_records(packet_info *pinfo, fcgi_frame_state_t *fs)
{
    fcgi_conv_t *conv = fs->conv;
    fcgi_stored_record_t st;
    guint32 i;

    for (i = 0; i < fs->rec_count; i++) {
        st.frame = pinfo->num;
        st.flags = fs->recs[i].flags | (fs->recs[i].req ? FCGI_REC_HAS_REQUEST : 0);
        if (i < fs->stored_count)
            *(fcgi_stored_record_t *)fcgi_list_at(&conv->records, fs->first_stored + i) = st;
        else
            *(fcgi_stored_record_t *)fcgi_list_append(&conv->records) = st;
    }
    fs->stored_count = fs->rec_count;
}

/* Later passes: where the first pass stored the frame's records (the
 * list is in frame order: a binary search). */
static void
fcgi_find_stored_records(packet_info *pinfo, fcgi_frame_state_t *fs)
{
    const fcgi_list_t *recs = &fs->conv->records;
    guint32 lo = 0, hi = recs->count;

    while (lo < hi) {
        guint32 mid = lo + (hi - lo) / 2;
        if (((const fcgi_stored_record_t *)fcgi_list_at(recs, mid))->frame < pinfo->num)
            lo = mid + 1;
        else
            hi = mid;
    }
    fs->first_stored = lo;
    while (lo < recs->count && ((const fcgi_stored_record_t *)fcgi_list_at(recs, lo))->frame == pinfo->num)
        lo++;
    fs->stored_count = lo - fs->first_stored;
}

/* Later passes, on a connection with several ids: each id's requests, in
 * its slot.  The first pass does not need them, so they are made from
 * conv->requests here, the first time a later pass asks, and brought up
 * to date when the first pass has gone on since (a live capture). */
static void
fcgi_index_ids(fcgi_conv_t *conv)
{
    for (; conv->ids_indexed < conv->requests.count; conv->ids_indexed++) {
        fcgi_request_t *req = *(fcgi_request_t **)fcgi_list_at(&conv->requests, conv->ids_indexed);
        fcgi_id_slot_t *slot = fcgi_id_slot(conv, req->id, FALSE);

        if (slot)
            *(fcgi_request_t **)fcgi_list_append(&slot->requests) = req;
    }
}

/* Later passes: the request that record rec_index of the frame, of
 * request id, belongs to.  fcgi_track_record gives a record the request
 * of its id in progress, else the one that ended last, else a new one:
 * always the last of its id to appear up to that record. */
static fcgi_request_t *
fcgi_request_at(fcgi_conv_t *conv, guint16 id, guint32 frame, guint32 rec_index)
{
    fcgi_id_slot_t *slot = fcgi_id_slot(conv, id, FALSE);
    const fcgi_list_t *requests;
    guint32 lo = 0, hi;

    if (!slot)
        return NULL;
    /* While the connection uses one id, its requests are the id's. */
    if (conv->ids) {
        fcgi_index_ids(conv);
        requests = &slot->requests;
    } else {
        requests = &conv->requests;
    }
    hi = requests->count;
    while (lo < hi) {       /* the first request to appear after the record */
        guint32 mid = lo + (hi - lo) / 2;
        const fcgi_request_t *req = *(fcgi_request_t **)fcgi_list_at(requests, mid);
        if (req->first_frame < frame || (req->first_frame == frame && req->first_record <= rec_index))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 ? *(fcgi_request_t **)fcgi_list_at(requests, lo - 1) : NULL;
}

/* Later passes: the record the first pass stored at this index. */
static fcgi_record_info_t *
fcgi_stored_record(packet_info *pinfo, fcgi_frame_state_t *fs, guint32 rec_index, guint16 id)
{
    const fcgi_stored_record_t *st;
    fcgi_record_info_t *rec;

    if (rec_index == 0)
        fcgi_find_stored_records(pinfo, fs);
    if (rec_index >= fs->stored_count)
        return NULL;
    st = (const fcgi_stored_record_t *)fcgi_list_at(&fs->conv->records, fs->first_stored + rec_index);
    rec = wmem_new0(pinfo->pool, fcgi_record_info_t);
    rec->flags = st->flags;
    rec->req = (st->flags & FCGI_REC_HAS_REQUEST) ? fcgi_request_at(fs->conv, id, pinfo->num, rec_index) : NULL;
    return rec;
}

/* The key in conv->splits of the record being tracked or dissected: its
 * index in conv->records + 1 (the same on every pass). */
static gpointer
fcgi_split_key(const fcgi_frame_state_t *fs)
{
    return GUINT_TO_POINTER(fs->first_stored + fs->next_record);
}

/* The pair begun in an earlier PARAMS record that the record being
 * dissected continues, or NULL. */
static const fcgi_split_pair_t *
fcgi_split_pair(const fcgi_frame_state_t *fs, const fcgi_record_info_t *rec)
{
    if (!(rec->flags & FCGI_REC_SPLIT) || !fs->conv->splits)
        return NULL;
    return (const fcgi_split_pair_t *)wmem_map_lookup(fs->conv->splits, fcgi_split_key(fs));
}

/* First pass: the record being tracked continues a split pair. */
static void
fcgi_set_split_pair(fcgi_frame_state_t *fs, fcgi_record_info_t *rec, const fcgi_split_pair_t *split)
{
    if (!fs->conv->splits)
        fs->conv->splits = wmem_map_new(wmem_file_scope(), g_direct_hash, g_direct_equal);
    wmem_map_insert(fs->conv->splits, fcgi_split_key(fs), (void *)split);
    rec->flags |= FCGI_REC_SPLIT;
}

/* First pass: a stream record's place in its stream. */
static void
fcgi_track_stream(packet_info *pinfo, fcgi_frame_state_t *fs, fcgi_record_info_t *rec, int i, guint16 clen)
{
    fcgi_request_t *req = rec->req;
    fcgi_progress_t *progress = rec->progress;
    guint32 gaps = fs->conv->dir[fs->direction].gaps;
    gboolean started = (req->stream_flags[i] & FCGI_STREAM_HAS_DATA) != 0;

    if (req->stream_end[i]) {
        rec->flags |= FCGI_REC_AFTER_END;
        return;
    }
    if (clen == 0) {
        req->stream_end[i] = pinfo->num;
        rec->flags |= FCGI_REC_ENDS(i);
        return;
    }
    /* Bytes lost in this direction since the stream's last record (or
     * since the request began, for its first one).  (Data records go to
     * a request in progress: fcgi_track_record.) */
    if (progress && gaps != (started ? progress->stream_gaps[i] : progress->gaps[fs->direction]))
        req->stream_flags[i] |= started ? FCGI_STREAM_HOLE : FCGI_STREAM_START_MISSING;
    if (!started) {
        rec->flags |= FCGI_REC_STREAM_START;
        if (req->stream_flags[i] & FCGI_STREAM_START_MISSING)
            rec->flags |= FCGI_REC_START_MISSING;
    }
    if (progress)
        progress->stream_gaps[i] = gaps;
    req->stream_flags[i] |= FCGI_STREAM_HAS_DATA;
    if (i != FCGI_STREAM_PARAMS)
        FCGI_STREAM_BYTES(req, i) += clen;
}

/* First pass: decides which request a record belongs to and updates the
 * request's state (spec 3.3: a request id names one request from its
 * FCGI_BEGIN_REQUEST to its FCGI_END_REQUEST; ids are reused afterwards).
 * Later passes: what the first pass stored. */
static fcgi_record_info_t *
fcgi_track_record(packet_info *pinfo, fcgi_frame_state_t *fs, const fcgi_header_t *h)
{
    guint32 rec_index = fs->next_record++;
    fcgi_conv_t *conv = fs->conv;
    fcgi_record_info_t *rec;
    fcgi_request_t *req = NULL;
    fcgi_id_slot_t *slot;
    int stream, i;

    if (PINFO_FD_VISITED(pinfo))
        return fcgi_stored_record(pinfo, fs, rec_index, h->id);
    if (fs->rec_count == fs->rec_capacity) {
        fs->rec_capacity = fs->rec_capacity ? 2 * fs->rec_capacity : 8;
        fs->recs = (fcgi_record_info_t *)wmem_realloc(pinfo->pool, fs->recs,
                                                      fs->rec_capacity * sizeof(fcgi_record_info_t));
    }
    rec = &fs->recs[fs->rec_count++];
    memset(rec, 0, sizeof(*rec));

    /* Management records, and records with the null id, belong to no
     * request (spec 3.3). */
    if (h->id == FCGI_NULL_REQUEST_ID || h->type == 0 || fcgi_is_management_type(h->type))
        return rec;

    /* Every record of a defined type belongs to a request (its id's
     * slot is made for it); others only to one in progress. */
    slot = fcgi_id_slot(conv, h->id, fcgi_is_defined_type(h->type));
    if (!slot)
        return rec;
    if (h->type == FCGI_BEGIN_REQUEST) {
        req = fcgi_new_request(pinfo, conv, slot, h->id, rec_index, TRUE);
    } else {
        req = slot->active;
        if (!req && h->clen == 0 && (h->type == FCGI_STDIN || h->type == FCGI_PARAMS || h->type == FCGI_DATA)) {
            /* Apache's mod_proxy_fcgi ends STDIN only after the response:
             * the empty record belongs to the request that just ended. */
            req = slot->ended;
        }
        if (!req && fcgi_is_defined_type(h->type)) {
            /* A request that began before the capture did, or never. */
            req = fcgi_new_request(pinfo, conv, slot, h->id, rec_index, FALSE);
            rec->flags |= FCGI_REC_NOT_BEGUN;
            if (!conv->seen_begin && !conv->seen_syn)
                rec->flags |= FCGI_REC_CAPTURE_START;
        }
    }
    if (!req)
        return rec;
    rec->req = req;
    if (slot->active == req)
        rec->progress = &slot->progress;
    req->last_frame = pinfo->num;
    req->last_record = rec_index;
    stream = fcgi_stream_of_type(h->type);
    if (stream == FCGI_STREAM_PARAMS && rec->progress && rec->progress->split)
        fcgi_set_split_pair(fs, rec, rec->progress->split);
    if (stream >= 0) {
        fcgi_track_stream(pinfo, fs, rec, stream, h->clen);
    } else if (h->type == FCGI_END_REQUEST && !req->end_frame) {
        /* spec 5.5: FCGI_END_REQUEST ends the request, and with it any
         * stream the application did not end with an empty record. */
        for (i = 0; i < FCGI_NUM_STREAMS; i++) {
            if ((req->stream_flags[i] & FCGI_STREAM_HAS_DATA) && !req->stream_end[i]) {
                req->stream_end[i] = pinfo->num;
                rec->flags |= FCGI_REC_ENDS(i);
            }
        }
        fcgi_end_request(pinfo, slot, req);
    }
    return rec;
}

/* The request line HTTP would show: REQUEST_URI, else the script with its
 * query string. */
static const char *
fcgi_request_target(wmem_allocator_t *scope, const fcgi_request_t *req)
{
    const char *uri = fcgi_kept(req, FCGI_K_URI);
    const char *script_name, *query_string;

    if (uri)
        return uri;
    script_name = fcgi_kept(req, FCGI_K_SCRIPT);
    query_string = fcgi_kept(req, FCGI_K_QUERY);
    if (script_name && query_string && *query_string)
        return wmem_strdup_printf(scope, "%s?%s", script_name, query_string);
    return script_name;
}

/* The tap record of a request, in the frame that ends it, or in the frame
 * of its last record when it never ended (known on later passes). */
static void
fcgi_queue_taps(packet_info *pinfo, const fcgi_frame_state_t *fs, const fcgi_request_t *req, guint8 type,
                gboolean unfinished)
{
    fcgi_tap_info_t *ti = NULL;

    if (req && ((type == FCGI_END_REQUEST && req->end_frame == pinfo->num) || unfinished)) {
        ti = wmem_new0(pinfo->pool, fcgi_tap_info_t);
        ti->conv_index = fs->conv->conv_index;
        ti->request_id = req->id;
        ti->role = req->role;
        ti->method = fcgi_kept(req, FCGI_K_METHOD);
        ti->uri = fcgi_request_target(pinfo->pool, req);
        ti->script_name = fcgi_kept(req, FCGI_K_SCRIPT);
        ti->host = fcgi_kept(req, FCGI_K_HOST);
        ti->response_code = req->response_code;
        ti->code_implied = req->code_implied;
        if (type == FCGI_END_REQUEST) {
            ti->app_status = fs->app_status;
            ti->protocol_status = fs->protocol_status;
        }
        ti->unfinished = unfinished;
        ti->request_bytes = FCGI_STREAM_BYTES(req, FCGI_STREAM_STDIN) + FCGI_STREAM_BYTES(req, FCGI_STREAM_DATA);
        ti->response_bytes = FCGI_STREAM_BYTES(req, FCGI_STREAM_STDOUT);
        ti->stderr_bytes = FCGI_STREAM_BYTES(req, FCGI_STREAM_STDERR);
        ti->begin_frame = req->begin_frame;
        ti->end_frame = req->end_frame;
        if (req->begin_frame && !unfinished) {
            ti->has_time = TRUE;
            fcgi_time_since_begin(pinfo, req, &ti->duration);
        }
        tap_queue_packet(fcgi_tap, pinfo, ti);
    }
    if (have_tap_listener(fcgi_record_tap)) {
        fcgi_record_tap_info_t *rt = wmem_new0(pinfo->pool, fcgi_record_tap_info_t);
        rt->type = type;
        rt->finished = ti;
        tap_queue_packet(fcgi_record_tap, pinfo, rt);
    }
}

/* Export Objects: every whole response body, named after the request URI
 * as HTTP names its objects. */
typedef struct {
    const char *filename;
    const char *content_type;
    const char *hostname;
    const guint8 *data;
    size_t len;
} fcgi_eo_t;

/* A file name from the wire, made safe: the last path component of the
 * URI with its query (else of the script), with no '/', '\\' or "..". */
static const char *
fcgi_eo_filename(packet_info *pinfo, const fcgi_conv_t *conv, const fcgi_request_t *req)
{
    const char *source = fcgi_request_target(pinfo->pool, req);
    char *name, *c;
    const char *query;
    size_t path_len;

    if (!source || !*source)
        return wmem_strdup_printf(pinfo->pool, "request-%u-%u", conv->conv_index, req->id);
    query = strchr(source, '?');
    path_len = query ? (size_t)(query - source) : strlen(source);
    for (c = (char *)source + path_len; c > source && c[-1] != '/'; c--)
        ;
    name = wmem_strdup(pinfo->pool, c);
    for (c = name; *c; c++) {
        if (*c == '\\' || *c == '/' || (guchar)*c < ' ' || *c == 0x7f)
            *c = '_';
    }
    while (strstr(name, "..") != NULL)
        name = g_strdelimit(name, ".", '_');
    if (!*name || *name == '?')
        name = wmem_strdup_printf(pinfo->pool, "index%s", name);
    return name;
}

static void
fcgi_queue_export_object(packet_info *pinfo, const fcgi_conv_t *conv, const fcgi_request_t *req,
                         const char *content_type, tvbuff_t *body)
{
    fcgi_eo_t *eo = wmem_new0(pinfo->pool, fcgi_eo_t);

    eo->filename = fcgi_eo_filename(pinfo, conv, req);
    eo->content_type = content_type;
    eo->hostname = fcgi_kept(req, FCGI_K_HOST);
    eo->len = tvb_captured_length(body);
    eo->data = tvb_get_ptr(body, 0, (gint)eo->len);
    tap_queue_packet(fcgi_eo_tap, pinfo, eo);
}

/* ======================================================================
 * 4. The Info column: what the frame means for HTTP-minded readers
 *    ("GET /x", "200 OK (text/html)"), then every record with its request
 *    id in brackets, the way HTTP/2 writes its stream ids.  The records
 *    add to it; dissect_fcgi_tcp writes it once they are done.
 * ==================================================================== */

/* Adds "TYPE[id]", and " end" after an empty stream record. */
static void
fcgi_info_add_record(packet_info *pinfo, fcgi_frame_state_t *fs, const fcgi_header_t *h, gboolean end_of_stream)
{
    /* At most ", GET_VALUES_RESULT[65535]" (26 bytes; ", STDOUT[65535] end",
     * ", TYPE_255[65535]" are shorter): every record of every frame, so
     * made here and appended at once, without printf. */
    char text[48];
    char *p = text;
    const char *name;

    if (!pinfo->cinfo)
        return;
    if (!fs->records)
        fs->records = wmem_strbuf_new(pinfo->pool, "");
    else
        p = g_stpcpy(p, ", ");
    name = fcgi_type_short_name(h->type);
    if (name) {
        p = g_stpcpy(p, name);
    } else {
        p = g_stpcpy(p, "TYPE_");
        guint32_to_str_buf(h->type, p, (gsize)(text + sizeof(text) - p));
        p += strlen(p);
    }
    *p++ = '[';
    guint32_to_str_buf(h->id, p, (gsize)(text + sizeof(text) - p));
    p += strlen(p);
    p = g_stpcpy(p, end_of_stream ? "] end" : "]");
    wmem_strbuf_append_len(fs->records, text, (gsize)(p - text));
}

/* Starts the next part of the frame's summary ("GET /x", "200 OK ...");
 * the caller appends to the buffer returned.  NULL when no columns are
 * being filled. */
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

/* Whether the len bytes at p are printable ASCII (0x20-0x7e), which
 * tvb_get_string_enc() (ENC_ASCII, ENC_UTF_8) and format_text() leave
 * byte for byte as they are.  Parameters and CGI headers nearly always
 * are. */
static gboolean
fcgi_printable(const guint8 *p, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (p[i] < 0x20 || p[i] > 0x7e)
            return FALSE;
    }
    return TRUE;
}

/* Text from the wire into the summary: as it is when it is printable,
 * else through format_text. */
static void
fcgi_info_append_text(packet_info *pinfo, wmem_strbuf_t *info, const char *text)
{
    size_t len = strlen(text);

    if (fcgi_printable((const guint8 *)text, len))
        wmem_strbuf_append_len(info, text, len);
    else
        wmem_strbuf_append(info, format_text_string(pinfo->pool, (const guchar *)text));
}

static void
fcgi_update_info(packet_info *pinfo, fcgi_frame_state_t *fs)
{
    const char *info;

    if (!fs->records)
        return;
    if (!fs->info_prefix) {
        /* What lower layers put before the fence ("[TCP Previous segment
         * not captured] ", ...) stays in front, as with every dissector. */
        const char *prefix;

        col_clear(pinfo->cinfo, COL_INFO);
        prefix = col_get_text(pinfo->cinfo, COL_INFO);
        fs->info_prefix = wmem_strdup(pinfo->pool, prefix ? prefix : "");
    }
    /* The text covers every record of the frame: it replaces what earlier
     * PDUs of the frame wrote behind tcp_dissect_pdus's fences. */
    col_clear_fence(pinfo->cinfo, COL_INFO);
    /* Once per frame: no printf here either. */
    if (fs->summary)
        info = wmem_strconcat(pinfo->pool, fs->info_prefix, wmem_strbuf_get_str(fs->summary), " [",
                              wmem_strbuf_get_str(fs->records), "]", (char *)NULL);
    else
        info = wmem_strconcat(pinfo->pool, fs->info_prefix, wmem_strbuf_get_str(fs->records), (char *)NULL);
    col_add_str(pinfo->cinfo, COL_INFO, info);
}

/* ======================================================================
 * 5. Name-value pairs (spec 3.4): FCGI_PARAMS and both GET_VALUES records
 * ==================================================================== */

/* A complete pair, in the tvb that holds it whole. */
typedef struct {
    tvbuff_t *tvb;
    const guint8 *name;     /* its name's bytes, in the tvb's data */
    int      start;
    int      name_offset;
    guint32  name_len;
    int      value_offset;
    guint32  value_len;
} fcgi_nv_t;

typedef void (*fcgi_nv_cb_t)(packet_info *pinfo, proto_tree *tree, const fcgi_nv_t *nv, void *cb_data);

/* Reads the pair at offset; FALSE when it does not end before end. */
static gboolean
fcgi_read_pair(tvbuff_t *tvb, int offset, int end, fcgi_nv_t *nv)
{
    guint32 nlen, vlen;
    int hsize;          /* size of the two length fields */
    int n = end - offset;
    const guint8 *p;

    if (n <= 0)
        return FALSE;
    p = tvb_get_ptr(tvb, offset, n);
    hsize = fcgi_read_nv_lengths(p, n, &nlen, &vlen);
    if (hsize == 0 || (guint64)nlen + vlen > (guint64)(n - hsize))
        return FALSE;
    nv->tvb = tvb;
    nv->name = p + hsize;
    nv->start = offset;
    nv->name_offset = offset + hsize;
    nv->name_len = nlen;
    nv->value_offset = nv->name_offset + (int)nlen;
    nv->value_len = vlen;
    return TRUE;
}

static int
fcgi_pair_end(const fcgi_nv_t *nv)
{
    return nv->value_offset + (int)nv->value_len;
}

/* A string of the packet as tvb_get_string_enc() gives it with encoding
 * (ENC_UTF_8 or ENC_ASCII): copied at once when it is printable
 * (fcgi_printable) instead of decoded byte by byte, and *printable tells
 * that it needs no formatting for display. */
static const char *
fcgi_get_string(wmem_allocator_t *scope, tvbuff_t *tvb, int offset, guint32 len, guint encoding, gboolean *printable)
{
    const guint8 *p = tvb_get_ptr(tvb, offset, (int)len);
    gboolean is_printable = fcgi_printable(p, len);

    if (printable)
        *printable = is_printable;
    if (!is_printable)
        return (const char *)tvb_get_string_enc(scope, tvb, offset, (int)len, encoding);
    return wmem_strndup(scope, (const char *)p, len);
}

/* A string field, as proto_tree_add_item(tree, hf, tvb, offset, len,
 * encoding) adds it, through fcgi_get_string() when the tree is shown
 * (otherwise proto_tree_add_item() reads nothing unless a filter asks). */
static inline proto_item *
fcgi_add_string_item(proto_tree *tree, packet_info *pinfo, int hf, tvbuff_t *tvb, int offset, int len, guint encoding)
{
    if (!tree || !PTREE_DATA(tree)->visible || len <= 0 || !tvb_bytes_exist(tvb, offset, len))
        return proto_tree_add_item(tree, hf, tvb, offset, len, encoding);
    return proto_tree_add_string(tree, hf, tvb, offset, len,
                                 fcgi_get_string(pinfo->pool, tvb, offset, (guint32)len, encoding, NULL));
}

/* Whether pairs are shown, or asked for by a filter or a column. */
static gboolean
fcgi_pairs_wanted(proto_tree *tree)
{
    return tree && (PTREE_DATA(tree)->visible ||
                    proto_field_is_referenced(tree, hf_fcgi_nv_name) || proto_field_is_referenced(tree, hf_fcgi_nv_value));
}

/* One pair, one line, as HTTP shows a header line and Wireshark's own
 * FastCGI dissector a pair: fcgi.nv_name over the whole pair, shown as
 * "NAME = VALUE".  The value is there for filters and columns as a hidden
 * item below it (as HTTP's http.request.line), so -V and the tree show one
 * line per pair; len(fcgi.nv_value) filters on its length.  Without a
 * shown tree only what a filter asks for is added. */
static proto_tree *
fcgi_add_pair(packet_info *pinfo, proto_tree *tree, const fcgi_nv_t *nv)
{
    proto_item *ti;
    proto_tree *pair_tree;
    const char *name, *value;
    gboolean name_printable, value_printable;

    if (!tree)
        return NULL;
    if (!fcgi_pairs_wanted(tree))
        return tree;
    name = fcgi_get_string(pinfo->pool, nv->tvb, nv->name_offset, nv->name_len, ENC_UTF_8, &name_printable);
    value = fcgi_get_string(pinfo->pool, nv->tvb, nv->value_offset, nv->value_len, ENC_UTF_8, &value_printable);
    if (PTREE_DATA(tree)->visible) {
        ti = proto_tree_add_string_format(tree, hf_fcgi_nv_name, nv->tvb, nv->start, fcgi_pair_end(nv) - nv->start,
                                          name, "%s = %s",
                                          name_printable ? name : tvb_format_text(pinfo->pool, nv->tvb, nv->name_offset,
                                                                                  nv->name_len),
                                          value_printable ? value : tvb_format_text(pinfo->pool, nv->tvb, nv->value_offset,
                                                                                    nv->value_len));
        pair_tree = proto_item_add_subtree(ti, ett_fcgi_nv);
    } else {
        pair_tree = tree;
        proto_tree_add_string(pair_tree, hf_fcgi_nv_name, nv->tvb, nv->name_offset, nv->name_len, name);
    }
    ti = proto_tree_add_string(pair_tree, hf_fcgi_nv_value, nv->tvb, nv->value_offset, nv->value_len, value);
    proto_item_set_hidden(ti);
    return pair_tree;
}

/* The pairs in [offset, end) of tvb: each complete one is shown under tree
 * (when there is one) and given to cb.  Returns where the first pair that
 * does not end before end starts (end when they all do). */
static int
dissect_nv_pairs(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, int offset, int end,
                 fcgi_nv_cb_t cb, void *cb_data, guint *count)
{
    fcgi_nv_t nv;

    while (offset < end && fcgi_read_pair(tvb, offset, end, &nv)) {
        proto_tree *pair_tree = fcgi_add_pair(pinfo, tree, &nv);
        if (cb)
            cb(pinfo, pair_tree, &nv, cb_data);
        if (count)
            (*count)++;
        offset = fcgi_pair_end(&nv);
    }
    return offset;
}

/* Whether a pair's name is name.  Every pair of every request comes here
 * and most are not: the length first, then the first byte, in place, then
 * the rest. */
static gboolean
fcgi_nv_name_is(const fcgi_nv_t *nv, const char *name, guint32 name_len)
{
    if (nv->name_len != name_len || name_len == 0)
        return nv->name_len == name_len;
    return nv->name[0] == (guint8)name[0] && memcmp(nv->name, name, name_len) == 0;
}

/* spec 4.1: the values FCGI_GET_VALUES_RESULT reports are numbers. */
static void
fcgi_get_values_result_cb(packet_info *pinfo, proto_tree *tree, const fcgi_nv_t *nv, void *cb_data _U_)
{
    static const struct { const char *name; guint32 len; int *hf; } vars[] = {
        { "FCGI_MAX_CONNS",  14, &hf_fcgi_values_max_conns },
        { "FCGI_MAX_REQS",   13, &hf_fcgi_values_max_reqs },
        { "FCGI_MPXS_CONNS", 15, &hf_fcgi_values_mpxs_conns },
    };
    guint32 number;
    guint i;

    for (i = 0; i < G_N_ELEMENTS(vars); i++) {
        if (!fcgi_nv_name_is(nv, vars[i].name, vars[i].len))
            continue;
        if (ws_strtou32((const char *)tvb_get_string_enc(pinfo->pool, nv->tvb, nv->value_offset, nv->value_len, ENC_ASCII),
                        NULL, &number))
            proto_tree_add_uint(tree, *vars[i].hf, nv->tvb, nv->value_offset, nv->value_len, number);
        else
            proto_tree_add_expert(tree, pinfo, &ei_fcgi_value_not_number, nv->tvb, nv->value_offset, nv->value_len);
        return;
    }
}

/* --- FCGI_PARAMS (spec 5.2; the variables are CGI's, RFC 3875 4.1) --- */

/* The parameters shown as the request's summary, in that order. */
enum {
    FCGI_P_METHOD, FCGI_P_URI, FCGI_P_QUERY, FCGI_P_SCRIPT, FCGI_P_FILENAME, FCGI_P_HOST,
    FCGI_P_CONTENT_TYPE, FCGI_P_CONTENT_LENGTH, FCGI_P_REMOTE_ADDR, FCGI_NUM_P
};

static const struct {
    const char *name;
    guint32 name_len;
    int *hf;
} fcgi_request_params[FCGI_NUM_P] = {
    { "REQUEST_METHOD",  14, &hf_fcgi_request_method },
    { "REQUEST_URI",     11, &hf_fcgi_request_uri },
    { "QUERY_STRING",    12, &hf_fcgi_request_query_string },
    { "SCRIPT_NAME",     11, &hf_fcgi_request_script_name },
    { "SCRIPT_FILENAME", 15, &hf_fcgi_request_script_filename },
    { "HTTP_HOST",        9, &hf_fcgi_request_host },
    { "CONTENT_TYPE",    12, &hf_fcgi_request_content_type },
    { "CONTENT_LENGTH",  14, &hf_fcgi_request_content_length },
    { "REMOTE_ADDR",     11, &hf_fcgi_request_remote_addr },
};

/* The summary parameters one record holds (the last of a repeated one). */
typedef struct {
    fcgi_nv_t found[FCGI_NUM_P];
    gboolean  have[FCGI_NUM_P];
} fcgi_params_t;

/* The summary parameters by the length of their names, each list ended by
 * FCGI_NUM_P, made from fcgi_request_params at registration: every pair of
 * every request is compared only with the names of its length (at most
 * three, most pairs none). */
#define FCGI_P_MAX_NAME_LEN 15
static guint8 fcgi_params_by_length[FCGI_P_MAX_NAME_LEN + 1][FCGI_NUM_P + 1];

static void
fcgi_index_request_params(void)
{
    guint n[FCGI_P_MAX_NAME_LEN + 1] = { 0 };
    guint i;

    memset(fcgi_params_by_length, FCGI_NUM_P, sizeof(fcgi_params_by_length));
    for (i = 0; i < FCGI_NUM_P; i++) {
        guint32 len = fcgi_request_params[i].name_len;
        /* Every name is at most FCGI_P_MAX_NAME_LEN long (a longer one
         * would never be found: the summary tests would fail). */
        if (len <= FCGI_P_MAX_NAME_LEN)
            fcgi_params_by_length[len][n[len]++] = (guint8)i;
    }
}

static void
fcgi_params_cb(packet_info *pinfo _U_, proto_tree *tree _U_, const fcgi_nv_t *nv, void *cb_data)
{
    fcgi_params_t *p = (fcgi_params_t *)cb_data;
    const guint8 *i;

    if (nv->name_len > FCGI_P_MAX_NAME_LEN)
        return;
    for (i = fcgi_params_by_length[nv->name_len]; *i < FCGI_NUM_P; i++) {
        if (fcgi_nv_name_is(nv, fcgi_request_params[*i].name, fcgi_request_params[*i].name_len)) {
            p->found[*i] = *nv;
            p->have[*i] = TRUE;
            return;
        }
    }
}

/* First pass: the request keeps what its summary, the tap and the body's
 * media type need; a later PARAMS record's value replaces an earlier one. */
static void
fcgi_keep_params(packet_info *pinfo, fcgi_request_t *req, const fcgi_params_t *p)
{
    static const int param_of[FCGI_NUM_K] = {
        FCGI_P_METHOD, FCGI_P_URI, FCGI_P_QUERY, FCGI_P_SCRIPT, FCGI_P_HOST, FCGI_P_CONTENT_TYPE
    };
    const char *value[FCGI_NUM_K];
    size_t len[FCGI_NUM_K], total = 0;
    guint8 present = 0;
    gboolean changed = FALSE;
    char *kept;
    int k;

    for (k = 0; k < FCGI_NUM_K; k++) {
        const fcgi_nv_t *nv = &p->found[param_of[k]];
        if (p->have[param_of[k]]) {
            value[k] = fcgi_get_string(pinfo->pool, nv->tvb, nv->value_offset, nv->value_len, ENC_UTF_8, NULL);
            changed = TRUE;
        } else {
            value[k] = fcgi_kept(req, k);
        }
    }
    if (!changed)
        return;
    /* The query string is kept only to make the URI when there is no
     * REQUEST_URI (fcgi_request_target). */
    if (value[FCGI_K_URI])
        value[FCGI_K_QUERY] = NULL;
    for (k = 0; k < FCGI_NUM_K; k++) {
        if (value[k])
            present |= 1u << k;
        len[k] = value[k] ? strlen(value[k]) : 0;
        total += len[k] + 1;
    }
    kept = (char *)wmem_alloc(wmem_file_scope(), total);
    for (total = 0, k = 0; k < FCGI_NUM_K; k++) {
        memcpy(kept + total, value[k] ? value[k] : "", len[k] + 1);
        total += len[k] + 1;
    }
    if (req->kept)
        wmem_free(wmem_file_scope(), (void *)req->kept);
    req->kept = kept;
    req->kept_present = present;
}

/* The request fields a record holds, as HTTP shows its request line first. */
static void
fcgi_add_request_fields(packet_info *pinfo, proto_tree *tree, const fcgi_params_t *p)
{
    guint i;

    for (i = 0; i < FCGI_NUM_P; i++) {
        const fcgi_nv_t *nv = &p->found[i];
        guint64 length;

        if (!p->have[i])
            continue;
        if (i != FCGI_P_CONTENT_LENGTH)
            fcgi_add_string_item(tree, pinfo, *fcgi_request_params[i].hf, nv->tvb, nv->value_offset, (int)nv->value_len,
                                 ENC_UTF_8|ENC_NA);
        /* Read only when it is shown or asked for, as the response's. */
        else if (proto_field_is_referenced(tree, hf_fcgi_request_content_length) &&
                 ws_strtou64(fcgi_get_string(pinfo->pool, nv->tvb, nv->value_offset, nv->value_len, ENC_ASCII, NULL),
                             NULL, &length))
            proto_tree_add_uint64(tree, hf_fcgi_request_content_length, nv->tvb, nv->value_offset, nv->value_len, length);
    }
}

/* The split pair's bytes so far followed by this record's content, as one
 * tvb (shown as its own data source). */
static tvbuff_t *
fcgi_join_split_pair(tvbuff_t *tvb, packet_info *pinfo, const fcgi_split_pair_t *split, int avail)
{
    guint8 *joined = (guint8 *)wmem_alloc(pinfo->pool, split->len + avail);
    tvbuff_t *jtvb;

    memcpy(joined, split->data, split->len);
    tvb_memcpy(tvb, joined + split->len, 0, avail);
    jtvb = tvb_new_child_real_data(tvb, joined, split->len + avail, split->len + avail);
    add_new_data_source(pinfo, jtvb, "Name-value pair");
    return jtvb;
}

/* First pass: what is known of a pair that continues past this record:
 * its bytes (when not too long) and, once its lengths are there, its
 * whole length. */
static const fcgi_split_pair_t *
fcgi_new_split_pair(tvbuff_t *tvb, int offset, int end, guint32 begun_in, const fcgi_split_pair_t *before)
{
    fcgi_split_pair_t *split = wmem_new0(wmem_file_scope(), fcgi_split_pair_t);
    guint32 nlen, vlen;

    split->begun_in = begun_in;
    split->len = (before ? before->len : 0) + (end - offset);
    split->total = before ? before->total : 0;
    if (split->total <= FCGI_MAX_SPLIT_PAIR && (!before || before->data)) {
        guint8 *data = (guint8 *)wmem_alloc(wmem_file_scope(), split->len);
        guint32 kept = before ? before->len : 0;
        if (kept)
            memcpy(data, before->data, kept);
        tvb_memcpy(tvb, data + kept, offset, end - offset);
        split->data = data;
    }
    /* Its lengths, once they are all there: records may cut them too, and
     * while they are not, its bytes are kept (a total of 0 is kept). */
    if (!split->total && split->data) {
        int hsize = fcgi_read_nv_lengths(split->data, (int)split->len, &nlen, &vlen);
        if (hsize > 0)
            split->total = (guint64)hsize + nlen + vlen;
    }
    return split;
}

/* The pair begun in an earlier record that this record continues (spec
 * 3.4 pairs form a stream that records may cut anywhere).  Shown once,
 * whole, where it completes.  Returns where this record's own pairs
 * start; *goes_on tells that the pair goes on past this record. */
static int
dissect_split_pair(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const fcgi_split_pair_t *split,
                   int avail, fcgi_nv_cb_t cb, void *cb_data, guint *count, gboolean *goes_on)
{
    proto_item *ti;

    *goes_on = FALSE;
    if (split->data) {
        tvbuff_t *jtvb = fcgi_join_split_pair(tvb, pinfo, split, avail);
        fcgi_nv_t nv;

        if (fcgi_read_pair(jtvb, 0, split->len + avail, &nv)) {
            proto_tree *pair_tree = fcgi_add_pair(pinfo, tree, &nv);
            if (pair_tree) {
                ti = proto_tree_add_uint(pair_tree, hf_fcgi_nv_begun_in, tvb, 0, 0, split->begun_in);
                proto_item_set_generated(ti);
            }
            if (cb)
                cb(pinfo, pair_tree, &nv, cb_data);
            (*count)++;
            return fcgi_pair_end(&nv) - (int)split->len;
        }
    } else if (split->total - split->len <= (guint64)avail) {
        int rest = (int)(split->total - split->len);
        if (tree)
            proto_tree_add_expert_format(tree, pinfo, &ei_fcgi_nv_too_long, tvb, 0, rest,
                                     "Name-value pair of %" G_GUINT64_FORMAT " bytes begun in frame %u: "
                                     "longer than the %u bytes kept, not shown",
                                     split->total, split->begun_in, FCGI_MAX_SPLIT_PAIR);
        return rest;
    }
    if (tree)
        proto_tree_add_bytes_format(tree, hf_fcgi_content_data, tvb, 0, avail, NULL,
                                    "Part of a name-value pair begun in frame %u", split->begun_in);
    *goes_on = TRUE;
    return avail;
}

/* spec 5.2: one FCGI_PARAMS record of a request.  Its complete pairs are
 * shown here, the request's summary parameters first; the request line
 * is known as soon as method and URI have arrived. */
static void
dissect_params_body(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, fcgi_frame_state_t *fs,
                    fcgi_record_info_t *rec, int avail)
{
    fcgi_request_t *req = rec->req;
    const fcgi_split_pair_t *split = fcgi_split_pair(fs, rec);
    fcgi_params_t p;
    proto_tree *pairs;
    guint count = 0;
    int offset = 0, rest;
    gboolean goes_on = FALSE;

    /* Collect the summary parameters, then show them, then the pairs. */
    memset(&p, 0, sizeof(p));
    if (split)
        offset = dissect_split_pair(tvb, pinfo, NULL, split, avail, fcgi_params_cb, &p, &count, &goes_on);
    rest = goes_on ? avail : dissect_nv_pairs(tvb, pinfo, NULL, offset, avail, fcgi_params_cb, &p, &count);
    if (!PINFO_FD_VISITED(pinfo)) {
        fcgi_keep_params(pinfo, req, &p);
        if (rec->progress) {
            if (goes_on)
                rec->progress->split = fcgi_new_split_pair(tvb, 0, avail, split->begun_in, split);
            else if (rest < avail)
                rec->progress->split = fcgi_new_split_pair(tvb, rest, avail, pinfo->num, NULL);
            else
                rec->progress->split = NULL;
        }
        if (!req->summary_frame && (req->kept_present & (1u << FCGI_K_METHOD)) &&
            (req->kept_present & (1u << FCGI_K_URI))) {
            req->summary_frame = pinfo->num;
            rec->flags |= FCGI_REC_SUMMARY;
        }
    }
    fcgi_add_request_fields(pinfo, tree, &p);
    if (!tree)
        return;
    pairs = proto_tree_add_subtree_format(tree, tvb, 0, avail, ett_fcgi_nv_pairs, NULL, "Parameters (%u)", count);
    if (split)
        dissect_split_pair(tvb, pinfo, pairs, split, avail, NULL, NULL, &count, &goes_on);
    if (!goes_on && fcgi_pairs_wanted(pairs))
        dissect_nv_pairs(tvb, pinfo, pairs, offset, avail, NULL, NULL, NULL);
    if (rest < avail)
        proto_tree_add_bytes_format(pairs, hf_fcgi_content_data, tvb, rest, avail - rest, NULL,
                                    "Name-value pair continued in the next PARAMS record (%d bytes here)",
                                    avail - rest);
}

/* The empty FCGI_PARAMS record that ends the stream. */
static void
dissect_params_end(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, fcgi_frame_state_t *fs,
                   fcgi_record_info_t *rec)
{
    fcgi_request_t *req = rec->req;
    const fcgi_split_pair_t *split = fcgi_split_pair(fs, rec);

    if (split)
        proto_tree_add_expert_format(tree, pinfo, &ei_fcgi_nv_overrun, tvb, 0, 0,
                                     "Name-value pair begun in frame %u runs past the end of the PARAMS stream",
                                     split->begun_in);
    if (!PINFO_FD_VISITED(pinfo)) {
        if (rec->progress)
            rec->progress->split = NULL;
        if (!req->summary_frame &&
            (req->kept_present & ((1u << FCGI_K_METHOD) | (1u << FCGI_K_URI) | (1u << FCGI_K_SCRIPT)))) {
            req->summary_frame = pinfo->num;
            rec->flags |= FCGI_REC_SUMMARY;
        }
    }
}

/* ======================================================================
 * 6. Streams (spec 3.3, 5.3): reassembly, the CGI response, bodies
 * ==================================================================== */

/* --- Bodies to the media_type table, as HTTP hands them on --- */

/* A Content-Type's media type, lower case, without its parameters, and
 * where the parameters start (RFC 7231 3.1.1.1: "type/subtype; params"). */
static char *
fcgi_media_type(wmem_allocator_t *scope, const char *content_type, const char **params)
{
    const char *semi = strchr(content_type, ';');
    char *media_type = wmem_ascii_strdown(scope, content_type, semi ? (gssize)(semi - content_type) : -1);

    if (params)
        *params = semi ? semi + 1 + strspn(semi + 1, " \t") : NULL;
    return g_strstrip(media_type);
}

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
    dissector_handle_t handle = NULL;
    char *media_type = NULL;
    gboolean writable;

    memset(&info, 0, sizeof(info));
    info.type = is_request ? HTTP_REQUEST : HTTP_RESPONSE;
    if (content_type) {
        media_type = fcgi_media_type(pinfo->pool, content_type, &info.media_str);
        if (*media_type)
            handle = dissector_get_string_handle(media_type_table, media_type);
    }
    if (!handle)
        handle = media_handle_data;
    /* Bodies are most of the work: when no one looks at the body's
     * protocol and no tap listens, they are skipped. */
    if (!proto_field_is_referenced(tree, dissector_handle_get_protocol_index(handle)) &&
        !tap_listeners_require_dissection() && !have_filtering_tap_listeners())
        return;
    /* The columns stay ours: the Info column already names the status and
     * the media type, and the record list follows it. */
    writable = col_get_writable(pinfo->cinfo, -1);
    col_set_writable(pinfo->cinfo, -1, FALSE);
    fcgi_call_media(handle == media_handle_data ? NULL : media_type, tvb, pinfo, tree, &info);
    col_set_writable(pinfo->cinfo, -1, writable);
}

/* --- Which records make a stream whole --- */

/* The first data record kept for stream i of the request in this frame,
 * taken off the list; NULL when there is none. */
static fcgi_pending_t *
fcgi_take_pending(fcgi_frame_state_t *fs, const fcgi_request_t *req, int i)
{
    fcgi_pending_t **link;

    for (link = &fs->pending; *link; link = &(*link)->next) {
        fcgi_pending_t *p = *link;
        if (p->req == req && p->stream == i) {
            *link = p->next;
            return p;
        }
    }
    return NULL;
}

/* The reassembly of stream i of the request (one per request and stream,
 * and TCP's addresses and ports in its key). */
static guint32
fcgi_reassembly_id(const fcgi_request_t *req, int i)
{
    return req->serial * FCGI_NUM_STREAMS + (guint32)i;
}

/* That id is unique in the capture, so it is the whole key: the addresses
 * and ports that addresses_ports_reassembly_table_functions would copy,
 * hash and compare on every record would add nothing.  The key is the id
 * plus one in a pointer, never NULL, and owns no memory. */
static gpointer
fcgi_reassembly_key(const packet_info *pinfo _U_, const guint32 id, const void *data _U_)
{
    return GSIZE_TO_POINTER((gsize)id + 1);
}

static void
fcgi_reassembly_free_key(gpointer key _U_)
{
}

static const reassembly_table_functions fcgi_reassembly_functions = {
    g_direct_hash,
    g_direct_equal,
    fcgi_reassembly_key,        /* temporary key */
    fcgi_reassembly_key,        /* persistent key */
    fcgi_reassembly_free_key,
    fcgi_reassembly_free_key
};

static void
fcgi_reassembly_add(tvbuff_t *tvb, packet_info *pinfo, fcgi_request_t *req, int i)
{
    req->stream_flags[i] |= FCGI_STREAM_REASSEMBLED;
    fragment_add_seq_next(&fcgi_stream_reassembly_table, tvb, 0, pinfo, fcgi_reassembly_id(req, i), NULL,
                          tvb_captured_length(tvb), TRUE);
}

/* First pass: a kept first record whose stream did not end in its frame
 * goes into the reassembly after all. */
static void
fcgi_flush_pending(packet_info *pinfo, fcgi_frame_state_t *fs, fcgi_pending_t *p)
{
    fcgi_record_info_t *rec = &fs->recs[p->record];

    fcgi_reassembly_add(p->tvb, pinfo, rec->req, p->stream);
    rec->flags |= FCGI_REC_REASSEMBLED;
}

/* A data record of STDIN, STDOUT or DATA with its content all there: the
 * first is kept aside (the stream may end in this frame, and then this
 * record is the whole stream); the others go into the reassembly. */
static void
fcgi_stream_data(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, fcgi_frame_state_t *fs,
                 fcgi_record_info_t *rec, int i)
{
    proto_item *ti;

    if (rec->flags & FCGI_REC_STREAM_START) {
        if (!PINFO_FD_VISITED(pinfo) || !(rec->flags & FCGI_REC_REASSEMBLED)) {
            fcgi_pending_t *p = wmem_new(pinfo->pool, fcgi_pending_t);
            p->req = rec->req;
            p->stream = i;
            p->tvb = tvb;
            p->record = fs->next_record - 1;
            p->next = fs->pending;
            fs->pending = p;
        }
    } else if (!PINFO_FD_VISITED(pinfo)) {
        fcgi_pending_t *p = fcgi_take_pending(fs, rec->req, i);
        if (p)
            fcgi_flush_pending(pinfo, fs, p);
        fcgi_reassembly_add(tvb, pinfo, rec->req, i);
        rec->flags |= FCGI_REC_REASSEMBLED;
    }
    if ((rec->flags & FCGI_REC_REASSEMBLED) && rec->req->stream_end[i] && PINFO_FD_VISITED(pinfo)) {
        ti = proto_tree_add_uint(tree, hf_fcgi_reassembled_in, tvb, 0, 0, rec->req->stream_end[i]);
        proto_item_set_generated(ti);
    }
}

/* The whole stream i, in the record that ends it (an empty record or
 * FCGI_END_REQUEST), or NULL. */
static tvbuff_t *
fcgi_stream_whole(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, fcgi_frame_state_t *fs,
                  fcgi_record_info_t *rec, int i)
{
    fcgi_pending_t *p = fcgi_take_pending(fs, rec->req, i);
    fragment_head *head = NULL;

    if (!PINFO_FD_VISITED(pinfo)) {
        if (p) {
            rec->flags |= FCGI_REC_WHOLE_INLINE(i);
            return p->tvb;
        }
        if (rec->req->stream_flags[i] & FCGI_STREAM_REASSEMBLED)
            head = fragment_end_seq_next(&fcgi_stream_reassembly_table, pinfo, fcgi_reassembly_id(rec->req, i), NULL);
    } else if (rec->flags & FCGI_REC_WHOLE_INLINE(i)) {
        return p ? p->tvb : NULL;
    } else if (rec->req->stream_flags[i] & FCGI_STREAM_REASSEMBLED) {
        head = fragment_get_reassembled_id(&fcgi_stream_reassembly_table, pinfo, fcgi_reassembly_id(rec->req, i));
    }
    if (!head)
        return NULL;
    return process_reassembled_data(tvb, 0, pinfo, "Reassembled FastCGI stream", head, &fcgi_fragment_items,
                                    NULL, tree);
}

/* --- STDOUT: the CGI response (RFC 3875 section 6) --- */

typedef struct {
    int offset;     /* of the line */
    int len;        /* without its end */
    int colon;      /* offset of the colon, or -1 */
} fcgi_cgi_line_t;

/* The header fields the response summary shows (RFC 3875 6.3). */
enum { FCGI_H_STATUS, FCGI_H_CONTENT_TYPE, FCGI_H_CONTENT_LENGTH, FCGI_H_CONTENT_ENCODING,
       FCGI_H_LOCATION, FCGI_NUM_H };

static const char * const fcgi_cgi_header_names[FCGI_NUM_H] = {
    "Status", "Content-Type", "Content-Length", "Content-Encoding", "Location"
};

typedef struct {
    wmem_array_t *lines;
    int  value_offset[FCGI_NUM_H];      /* -1: header absent */
    int  value_len[FCGI_NUM_H];
    guint   status_line;                /* index of the Status line */
    guint16 code;
    gboolean implied;                   /* no Status header */
    int  body_offset;
} fcgi_cgi_response_t;

/* Reads the header block at the start of tvb, line by line on the tvb.
 * FALSE when no empty line ends it. */
static gboolean
fcgi_read_cgi_headers(tvbuff_t *tvb, packet_info *pinfo, fcgi_cgi_response_t *r)
{
    int offset = 0, next, h;
    int len = tvb_captured_length(tvb);

    r->lines = wmem_array_new(pinfo->pool, sizeof(fcgi_cgi_line_t));
    for (h = 0; h < FCGI_NUM_H; h++)
        r->value_offset[h] = -1;
    while (offset < len) {
        fcgi_cgi_line_t line;
        int linelen = tvb_find_line_end(tvb, offset, -1, &next, FALSE);

        if (linelen < 0 || (next == len && tvb_get_guint8(tvb, len - 1) != '\n'))
            return FALSE;
        if (linelen == 0) {
            r->body_offset = next;
            return TRUE;
        }
        line.offset = offset;
        line.len = linelen;
        line.colon = tvb_find_guint8(tvb, offset, linelen, ':');
        for (h = 0; line.colon > offset && h < FCGI_NUM_H; h++) {
            size_t name_len = strlen(fcgi_cgi_header_names[h]);
            if ((size_t)(line.colon - offset) == name_len &&
                tvb_strncaseeql(tvb, offset, fcgi_cgi_header_names[h], name_len) == 0) {
                int value = tvb_skip_wsp(tvb, line.colon + 1, offset + linelen - line.colon - 1);
                r->value_offset[h] = value;
                r->value_len[h] = MAX(tvb_skip_wsp_return(tvb, offset + linelen) - value, 0);
                if (h == FCGI_H_STATUS)
                    r->status_line = wmem_array_get_count(r->lines);
                break;
            }
        }
        wmem_array_append_one(r->lines, line);
        offset = next;
    }
    return FALSE;
}

static const char *
fcgi_cgi_value(tvbuff_t *tvb, packet_info *pinfo, const fcgi_cgi_response_t *r, int h)
{
    if (r->value_offset[h] < 0)
        return NULL;
    return fcgi_get_string(pinfo->pool, tvb, r->value_offset[h], (guint32)r->value_len[h], ENC_ASCII, NULL);
}

/* RFC 3875 6.3.3: "Status: 404 Not Found"; FALSE unless three digits. */
static gboolean
fcgi_cgi_status(tvbuff_t *tvb, const fcgi_cgi_response_t *r, guint16 *code)
{
    int offset = r->value_offset[FCGI_H_STATUS];
    int i;

    if (r->value_len[FCGI_H_STATUS] < 3 ||
        (r->value_len[FCGI_H_STATUS] > 3 && tvb_get_guint8(tvb, offset + 3) != ' '))
        return FALSE;
    *code = 0;
    for (i = 0; i < 3; i++) {
        guint8 c = tvb_get_guint8(tvb, offset + i);
        if (!g_ascii_isdigit(c))
            return FALSE;
        *code = (guint16)(*code * 10 + (c - '0'));
    }
    return TRUE;
}

/* The response summary first, as HTTP shows its status line: status,
 * content type and length; then the header lines; then the body. */
static void
dissect_cgi_response(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, fcgi_frame_state_t *fs,
                     fcgi_record_info_t *rec, gboolean whole, gboolean start_missing, gboolean hole)
{
    fcgi_request_t *req = rec->req;
    fcgi_cgi_response_t r;
    const char *phrase = NULL, *content_type, *content_encoding;
    proto_item *ti, *code_item = NULL;
    proto_tree *hdr_tree;
    wmem_strbuf_t *info;
    tvbuff_t *body;
    int body_len;
    guint i;

    memset(&r, 0, sizeof(r));
    if (start_missing) {
        /* Body bytes, not header lines: one note instead of one per line. */
        proto_tree_add_expert(tree, pinfo, &ei_fcgi_stream_start_missing, tvb, 0, 0);
    } else if (req->begin_frame || fcgi_starts_like_cgi_header(tvb, 0, tvb_captured_length(tvb))) {
        /* A response that began before the capture may be seen from its
         * middle: headers are read only where its start looks like one. */
        if (!fcgi_read_cgi_headers(tvb, pinfo, &r)) {
            proto_tree_add_expert(tree, pinfo, &ei_fcgi_cgi_headers, tvb, 0, 0);
            r.body_offset = 0;
            r.lines = NULL;
        } else if (r.value_offset[FCGI_H_STATUS] < 0) {
            /* RFC 3875 6.2.3: a Location without Status is a client
             * redirect, which the web server sends as 302; otherwise the
             * status is 200 (6.3.3). */
            r.code = r.value_offset[FCGI_H_LOCATION] >= 0 ? 302 : 200;
            r.implied = TRUE;
        } else if (!fcgi_cgi_status(tvb, &r, &r.code)) {
            r.code = 0;
        }
    }
    if (hole)
        proto_tree_add_expert(tree, pinfo, &ei_fcgi_stream_hole, tvb, 0, 0);

    content_type = fcgi_cgi_value(tvb, pinfo, &r, FCGI_H_CONTENT_TYPE);
    content_encoding = fcgi_cgi_value(tvb, pinfo, &r, FCGI_H_CONTENT_ENCODING);
    body_len = tvb_reported_length_remaining(tvb, r.body_offset);
    if (r.code) {
        if (r.implied) {
            phrase = val_to_str_const(r.code, vals_http_status_code, "");
            code_item = proto_tree_add_uint_format_value(tree, hf_fcgi_response_code, tvb, 0, 0, r.code,
                                                         "%u (implied: %s)", r.code,
                                                         r.code == 302 ? "Location without Status, RFC 3875 6.2.3"
                                                                       : "no Status header, RFC 3875 6.3.3");
            proto_item_set_generated(code_item);
            proto_item_set_generated(proto_tree_add_string(tree, hf_fcgi_response_phrase, tvb, 0, 0, phrase));
            if (r.code == 302)
                expert_add_info(pinfo, code_item, &ei_fcgi_status_implied);
        } else {
            int offset = r.value_offset[FCGI_H_STATUS];
            int phrase_offset = offset + MIN(4, r.value_len[FCGI_H_STATUS]);
            int phrase_len = r.value_len[FCGI_H_STATUS] - (phrase_offset - offset);

            code_item = proto_tree_add_uint(tree, hf_fcgi_response_code, tvb, offset, 3, r.code);
            if (phrase_len > 0) {
                proto_tree_add_item_ret_string(tree, hf_fcgi_response_phrase, tvb, phrase_offset, phrase_len,
                                               ENC_ASCII, pinfo->pool, (const guint8 **)&phrase);
            } else {
                phrase = val_to_str_const(r.code, vals_http_status_code, "");
                proto_item_set_generated(proto_tree_add_string(tree, hf_fcgi_response_phrase, tvb, 0, 0, phrase));
            }
        }
        if (r.code >= 500 && r.code <= 599)
            expert_add_info_format(pinfo, code_item, &ei_fcgi_status_5xx, "Server error: %u %s", r.code, phrase);
        else if (r.code >= 400 && r.code <= 499)
            expert_add_info_format(pinfo, code_item, &ei_fcgi_status_4xx, "Client error: %u %s", r.code, phrase);
        if (!PINFO_FD_VISITED(pinfo)) {
            req->response_code = r.code;
            req->code_implied = r.implied ? 1 : 0;
            req->status_frame = pinfo->num;
            rec->flags |= FCGI_REC_STATUS;
        }
        if ((info = fcgi_info_summary(pinfo, fs)) != NULL) {
            char number[11];

            guint32_to_str_buf(r.code, number, sizeof(number));
            wmem_strbuf_append(info, number);
            wmem_strbuf_append_c(info, ' ');
            fcgi_info_append_text(pinfo, info, phrase);
            if (content_type) {
                /* As HTTP shows it: the media type without its parameters. */
                wmem_strbuf_append(info, " (");
                fcgi_info_append_text(pinfo, info, fcgi_media_type(pinfo->pool, content_type, NULL));
                wmem_strbuf_append_c(info, ')');
            }
        }
    }
    if (content_type)
        fcgi_add_string_item(tree, pinfo, hf_fcgi_response_content_type, tvb, r.value_offset[FCGI_H_CONTENT_TYPE],
                             r.value_len[FCGI_H_CONTENT_TYPE], ENC_ASCII|ENC_NA);
    if (r.value_offset[FCGI_H_CONTENT_LENGTH] >= 0) {
        guint64 length;
        /* Read only when it is shown or asked for. */
        if (proto_field_is_referenced(tree, hf_fcgi_response_content_length) &&
            ws_strtou64(fcgi_cgi_value(tvb, pinfo, &r, FCGI_H_CONTENT_LENGTH), NULL, &length))
            proto_tree_add_uint64(tree, hf_fcgi_response_content_length, tvb, r.value_offset[FCGI_H_CONTENT_LENGTH],
                                  r.value_len[FCGI_H_CONTENT_LENGTH], length);
    } else if (whole && body_len > 0) {
        ti = proto_tree_add_uint64(tree, hf_fcgi_response_content_length, tvb, r.body_offset, body_len, body_len);
        proto_item_set_generated(ti);
    }

    if (r.lines && wmem_array_get_count(r.lines) > 0) {
        hdr_tree = proto_tree_add_subtree_format(tree, tvb, 0, r.body_offset, ett_fcgi_response_headers, NULL,
                                                 "CGI headers (%u)", wmem_array_get_count(r.lines));
        for (i = 0; i < wmem_array_get_count(r.lines); i++) {
            const fcgi_cgi_line_t *line = (const fcgi_cgi_line_t *)wmem_array_index(r.lines, i);
            ti = fcgi_add_string_item(hdr_tree, pinfo, hf_fcgi_response_header, tvb, line->offset, line->len,
                                      ENC_ASCII|ENC_NA);
            if (line->colon < 0)
                expert_add_info_format(pinfo, ti, &ei_fcgi_cgi_headers, "CGI header line without a colon");
            else if (i == r.status_line && r.value_offset[FCGI_H_STATUS] >= 0 && !r.code)
                expert_add_info_format(pinfo, ti, &ei_fcgi_cgi_headers, "Status header without a three-digit status code");
        }
        if (r.value_offset[FCGI_H_LOCATION] >= 0)
            fcgi_add_string_item(hdr_tree, pinfo, hf_fcgi_response_location, tvb, r.value_offset[FCGI_H_LOCATION],
                                 r.value_len[FCGI_H_LOCATION], ENC_ASCII|ENC_NA);
        if (content_encoding)
            fcgi_add_string_item(hdr_tree, pinfo, hf_fcgi_response_content_encoding, tvb,
                                 r.value_offset[FCGI_H_CONTENT_ENCODING], r.value_len[FCGI_H_CONTENT_ENCODING], ENC_ASCII|ENC_NA);
    }

    if (body_len <= 0)
        return;
    body = tvb_new_subset_length(tvb, r.body_offset, body_len);
    proto_tree_add_item(tree, hf_fcgi_response_body, body, 0, body_len, ENC_NA);
    if (whole && !start_missing && !hole && have_tap_listener(fcgi_eo_tap))
        fcgi_queue_export_object(pinfo, fs->conv, req, content_type, body);
    if (fcgi_decompress_body && content_encoding &&
        (g_ascii_strcasecmp(content_encoding, "gzip") == 0 || g_ascii_strcasecmp(content_encoding, "x-gzip") == 0 ||
         g_ascii_strcasecmp(content_encoding, "deflate") == 0)) {
        tvbuff_t *plain = tvb_child_uncompress(tvb, body, 0, body_len);
        if (plain) {
            add_new_data_source(pinfo, plain, "Uncompressed body");
            body = plain;
        }
    }
    fcgi_dissect_media(body, pinfo, tree, start_missing ? NULL : content_type, FALSE);
}

/* Shows a whole stream: STDIN as the request body, STDOUT as the CGI
 * response, DATA as the file of an FCGI_FILTER request (spec 6.4). */
static void
dissect_fcgi_whole_stream(tvbuff_t *whole, packet_info *pinfo, proto_tree *tree, fcgi_frame_state_t *fs,
                          fcgi_record_info_t *rec, int i)
{
    guint8 flags = rec->req->stream_flags[i];
    proto_tree *stream_tree = proto_tree_add_subtree_format(tree, whole, 0, -1, ett_fcgi_stream, NULL,
                                                            "%s stream (%u bytes)", fcgi_type_short_name(fcgi_stream_types[i]),
                                                            tvb_reported_length(whole));

    switch (i) {
    case FCGI_STREAM_STDIN:
        if (flags & (FCGI_STREAM_START_MISSING | FCGI_STREAM_HOLE))
            proto_tree_add_expert(stream_tree, pinfo, (flags & FCGI_STREAM_HOLE) ? &ei_fcgi_stream_hole
                                                                                  : &ei_fcgi_stream_start_missing,
                                  whole, 0, 0);
        proto_tree_add_item(stream_tree, hf_fcgi_request_body, whole, 0, -1, ENC_NA);
        fcgi_dissect_media(whole, pinfo, stream_tree, fcgi_kept(rec->req, FCGI_K_CONTENT_TYPE), TRUE);
        break;
    case FCGI_STREAM_STDOUT:
        dissect_cgi_response(whole, pinfo, stream_tree, fs, rec, TRUE, (flags & FCGI_STREAM_START_MISSING) != 0,
                             (flags & FCGI_STREAM_HOLE) != 0);
        break;
    default:
        call_dissector(media_handle_data, whole, pinfo, stream_tree);
        break;
    }
}

/* ======================================================================
 * 7. One function per record body, and the record dissector
 * ==================================================================== */

/* A body that must be exactly want bytes long (spec 4.2, 5.1, 5.4, 5.5).
 * FALSE, after an expert info, when the record's content length or the
 * captured bytes do not allow decoding it. */
static gboolean
fcgi_check_body_length(packet_info *pinfo, proto_item *ti, guint16 clen, int avail, guint16 want)
{
    if (clen != want)
        expert_add_info_format(pinfo, ti, &ei_fcgi_body_length,
                               "Content length is %u; the body of this record type is %u bytes", clen, want);
    return avail >= want;
}

/* Reserved bytes of a body, with ei when they are not zero. */
static void
fcgi_add_reserved(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, int hf, int offset, int len,
                  expert_field *ei)
{
    proto_item *ti = proto_tree_add_item(tree, hf, tvb, offset, len, ENC_NA);
    int i;

    for (i = 0; i < len; i++) {
        if (tvb_get_guint8(tvb, offset + i) != 0) {
            expert_add_info(pinfo, ti, ei);
            return;
        }
    }
}

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
    fcgi_add_reserved(tvb, pinfo, tree, hf_fcgi_begin_request_reserved, 3, 5, &ei_fcgi_reserved);
    if (rec && rec->req && !PINFO_FD_VISITED(pinfo))
        rec->req->role = (guint16)role;
    if (tree && PTREE_DATA(tree)->visible)
        proto_item_append_text(ti, ", %s", val_to_str_const(role, fcgi_roles, "unknown role"));
}

/* spec 5.4: FCGI_ABORT_REQUEST has no body */
static void
dissect_abort_request_body(packet_info *pinfo, proto_item *ti, guint16 clen, int avail)
{
    fcgi_check_body_length(pinfo, ti, clen, avail, 0);
    expert_add_info(pinfo, ti, &ei_fcgi_abort);
}

/* spec 5.5: FCGI_END_REQUEST {appStatus, protocolStatus, reserved[3]}, and
 * the streams it ends */
static void
dissect_end_request_body(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *ti,
                         fcgi_frame_state_t *fs, fcgi_record_info_t *rec, guint16 clen, int avail)
{
    proto_item *item;
    guint32 app_status, protocol_status;
    int i;

    if (rec && rec->req) {
        for (i = 0; i < FCGI_NUM_STREAMS; i++) {
            tvbuff_t *whole;
            if ((rec->flags & FCGI_REC_ENDS(i)) && (whole = fcgi_stream_whole(tvb, pinfo, tree, fs, rec, i)) != NULL)
                dissect_fcgi_whole_stream(whole, pinfo, tree, fs, rec, i);
        }
    }
    fs->app_status = 0;
    fs->protocol_status = FCGI_REQUEST_COMPLETE;
    if (!fcgi_check_body_length(pinfo, ti, clen, avail, FCGI_END_REQUEST_BODY_LEN))
        return;
    item = proto_tree_add_item_ret_uint(tree, hf_fcgi_end_request_app_status, tvb, 0, 4, ENC_BIG_ENDIAN, &app_status);
    if (app_status != 0)
        expert_add_info_format(pinfo, item, &ei_fcgi_app_status, "The application exited with status %u", app_status);
    item = proto_tree_add_item_ret_uint(tree, hf_fcgi_end_request_protocol_status, tvb, 4, 1, ENC_BIG_ENDIAN,
                                        &protocol_status);
    if (protocol_status != FCGI_REQUEST_COMPLETE)
        expert_add_info_format(pinfo, item, &ei_fcgi_protocol_status, "The application rejected the request: %s",
                               val_to_str_const(protocol_status, fcgi_protocol_statuses, "unknown protocol status"));
    /* php-fpm leaves its buffer's bytes here: a Chat, not a warning. */
    fcgi_add_reserved(tvb, pinfo, tree, hf_fcgi_end_request_reserved, 5, 3, &ei_fcgi_end_request_reserved);
    fs->app_status = app_status;
    fs->protocol_status = protocol_status;
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
    fcgi_add_reserved(tvb, pinfo, tree, hf_fcgi_unknown_type_reserved, 1, 7, &ei_fcgi_reserved);
    expert_add_info_format(pinfo, ti, &ei_fcgi_unknown_type_reply,
                           "The application does not understand record type %u", type);
}

/* spec 4.1: FCGI_GET_VALUES and FCGI_GET_VALUES_RESULT, one record each */
static void
dissect_get_values_body(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, guint8 type, int avail)
{
    proto_tree *pairs = proto_tree_add_subtree(tree, tvb, 0, avail, ett_fcgi_nv_pairs, NULL,
                                               type == FCGI_GET_VALUES ? "Variables asked for"
                                                                       : "Variables and values");
    int rest = dissect_nv_pairs(tvb, pinfo, pairs, 0, avail,
                                type == FCGI_GET_VALUES_RESULT ? fcgi_get_values_result_cb : NULL, NULL, NULL);

    if (rest < avail)
        proto_tree_add_expert_format(pairs, pinfo, &ei_fcgi_nv_overrun, tvb, rest, avail - rest,
                                     "Name-value pair lengths run past the end of the content (%d bytes left)",
                                     avail - rest);
}

/* spec 5.2: FCGI_PARAMS.  Records of a request show their pairs; one with
 * the null id (no request) is read as a single record. */
static void
dissect_params_record(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, fcgi_frame_state_t *fs,
                      fcgi_record_info_t *rec, guint16 clen, int avail)
{
    if (!rec || !rec->req) {
        if (clen > 0)
            dissect_get_values_body(tvb, pinfo, tree, FCGI_GET_VALUES, avail);
    } else if (clen > 0) {
        dissect_params_body(tvb, pinfo, tree, fs, rec, avail);
    } else {
        dissect_params_end(tvb, pinfo, tree, fs, rec);
    }
}

/* spec 5.3, 6: FCGI_STDIN, FCGI_STDOUT, FCGI_STDERR and FCGI_DATA records:
 * their content, and the whole stream in the record that ends it. */
static void
dissect_stream_record(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *ti,
                      fcgi_frame_state_t *fs, fcgi_record_info_t *rec, const fcgi_header_t *h, int avail)
{
    int i = fcgi_stream_of_type(h->type);
    tvbuff_t *whole;

    if (h->type == FCGI_STDERR) {
        /* Text the application writes as it goes: shown per record. */
        if (avail > 0)
            expert_add_info(pinfo, proto_tree_add_item(tree, hf_fcgi_stderr, tvb, 0, avail, ENC_UTF_8|ENC_NA),
                            &ei_fcgi_stderr);
    } else if (avail > 0) {
        proto_tree_add_item(tree, hf_fcgi_content_data, tvb, 0, avail, ENC_NA);
    }
    if (!rec || !rec->req)
        return;
    if (rec->flags & FCGI_REC_AFTER_END)
        expert_add_info_format(pinfo, ti, &ei_fcgi_stream_after_end, "%s record after the end of the request's %s stream",
                               fcgi_type_short_name(h->type), fcgi_type_short_name(h->type));
    if (h->type == FCGI_STDERR || (rec->flags & FCGI_REC_AFTER_END))
        return;
    if (h->clen == 0) {
        if ((rec->flags & FCGI_REC_ENDS(i)) && (whole = fcgi_stream_whole(tvb, pinfo, tree, fs, rec, i)) != NULL)
            dissect_fcgi_whole_stream(whole, pinfo, tree, fs, rec, i);
    } else if (fcgi_reassemble_bodies && avail == h->clen) {
        fcgi_stream_data(tvb, pinfo, tree, fs, rec, i);
    } else if (h->type == FCGI_STDOUT && (rec->flags & FCGI_REC_STREAM_START) && avail > 0) {
        /* Without reassembly each record is shown on its own; the CGI
         * headers are read from the first STDOUT record. */
        dissect_cgi_response(tvb_new_subset_length_caplen(tvb, 0, avail, avail), pinfo, tree, fs, rec, FALSE,
                             (rec->flags & FCGI_REC_START_MISSING) != 0, FALSE);
    }
}

/* Whether the request's links were added in this frame already. */
static gboolean
fcgi_linked_already(packet_info *pinfo, fcgi_frame_state_t *fs, const fcgi_request_t *req)
{
    if (!fs->linked)
        fs->linked = wmem_list_new(pinfo->pool);
    else if (wmem_list_find(fs->linked, (void *)req))
        return TRUE;
    wmem_list_prepend(fs->linked, (void *)req);
    return FALSE;
}

/* Whether anyone sees the tree, or a filter, column or field output asks
 * for one of the fields; worked out once per frame into *wanted (0: not
 * known yet, 1: no, 2: yes).  Fields no one wants need not be added. */
static gboolean
fcgi_fields_wanted(proto_tree *tree, int * const *fields, guint n, guint8 *wanted)
{
    guint f;

    if (!*wanted) {
        for (f = 0; f < n && !proto_field_is_referenced(tree, *fields[f]); f++)
            ;
        *wanted = f < n ? 2 : 1;
    }
    return *wanted == 2;
}

/* A frame number for a link, with the frame or the one before it. */
static void
fcgi_add_link(proto_tree *tree, int hf, tvbuff_t *tvb, guint32 frame)
{
    if (frame)
        proto_item_set_generated(proto_tree_add_uint(tree, hf, tvb, 0, 0, frame));
}

/* The frame that shows a request's method and URI (else its beginning),
 * and the one that shows its status (else its end). */
static guint32
fcgi_request_frame(const fcgi_request_t *req)
{
    return req->summary_frame ? req->summary_frame : req->begin_frame;
}

static guint32
fcgi_response_frame(const fcgi_request_t *req)
{
    return req->status_frame ? req->status_frame : req->end_frame;
}

/* Links between the two halves of a request, as HTTP has them: the frame
 * that shows the request and the one that shows its status point at each
 * other, the other frames of the request at them; the request's place on
 * its connection; the time to the status and to the end. */
static void
fcgi_add_request_links(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, fcgi_frame_state_t *fs,
                       const fcgi_record_info_t *rec, guint8 type)
{
    static int * const link_fields[] = {
        &hf_fcgi_request_number, &hf_fcgi_prev_request_in, &hf_fcgi_next_request_in, &hf_fcgi_begin_request_role,
        &hf_fcgi_response_time, &hf_fcgi_time, &hf_fcgi_request_in, &hf_fcgi_response_for_uri, &hf_fcgi_response_in
    };
    const fcgi_request_t *req = rec->req;
    nstime_t delta;
    proto_item *ti;

    /* Generated fields only: not worked out when no one wants them. */
    if (!fcgi_fields_wanted(tree, link_fields, G_N_ELEMENTS(link_fields), &fs->links_wanted))
        return;
    if (rec->flags & (FCGI_REC_SUMMARY | FCGI_REC_STATUS)) {
        const fcgi_request_t *prev = fcgi_request_number(fs->conv, req->number - 1);
        const fcgi_request_t *next = fcgi_request_number(fs->conv, req->number + 1);

        ti = proto_tree_add_uint(tree, hf_fcgi_request_number, tvb, 0, 0, req->number);
        proto_item_append_text(ti, " of %u on this connection", fs->conv->request_count);
        proto_item_set_generated(ti);
        if (prev)
            fcgi_add_link(tree, hf_fcgi_prev_request_in, tvb, prev->first_frame);
        if (next)
            fcgi_add_link(tree, hf_fcgi_next_request_in, tvb, next->first_frame);
    }
    if ((rec->flags & FCGI_REC_SUMMARY) && req->role && req->begin_frame != pinfo->num)
        proto_item_set_generated(proto_tree_add_uint(tree, hf_fcgi_begin_request_role, tvb, 0, 0, req->role));
    if ((rec->flags & FCGI_REC_STATUS) && req->begin_frame) {
        fcgi_time_since_begin(pinfo, req, &delta);
        proto_item_set_generated(proto_tree_add_time(tree, hf_fcgi_response_time, tvb, 0, 0, &delta));
    }
    if (type == FCGI_END_REQUEST && req->begin_frame && req->end_frame == pinfo->num) {
        fcgi_time_since_begin(pinfo, req, &delta);
        proto_item_set_generated(proto_tree_add_time(tree, hf_fcgi_time, tvb, 0, 0, &delta));
    }
    if (fcgi_linked_already(pinfo, fs, req))
        return;
    if (type == FCGI_STDOUT || type == FCGI_STDERR || type == FCGI_END_REQUEST) {
        if (fcgi_request_frame(req) != pinfo->num)
            fcgi_add_link(tree, hf_fcgi_request_in, tvb, fcgi_request_frame(req));
        if (req->kept_present & ((1u << FCGI_K_URI) | (1u << FCGI_K_SCRIPT)))
            proto_item_set_generated(proto_tree_add_string(tree, hf_fcgi_response_for_uri, tvb, 0, 0,
                                                           fcgi_request_target(pinfo->pool, req)));
    } else if (fcgi_response_frame(req) != pinfo->num) {
        fcgi_add_link(tree, hf_fcgi_response_in, tvb, fcgi_response_frame(req));
    }
}

/* spec 3.3: the header, in a subtree of its own after the body.  A header
 * that keeps the rules, when no one wants its fields, adds nothing: not
 * even the stand-ins proto_tree_add_item() returns for fields no one asks
 * for (six fields and the subtree, on every record). */
static void
dissect_fcgi_header(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, fcgi_frame_state_t *fs,
                    const fcgi_header_t *h)
{
    static int * const header_fields[] = {
        &hf_fcgi_version, &hf_fcgi_type, &hf_fcgi_id, &hf_fcgi_content_length, &hf_fcgi_padding_length,
        &hf_fcgi_reserved
    };
    proto_tree *hdr_tree;
    proto_item *ti;

    if (fcgi_header_keeps_rules(h) &&
        !fcgi_fields_wanted(tree, header_fields, G_N_ELEMENTS(header_fields), &fs->header_wanted))
        return;
    hdr_tree = proto_tree_add_subtree(tree, tvb, 0, FCGI_HEADER_LEN, ett_fcgi_header, NULL, "Header");
    ti = proto_tree_add_item(hdr_tree, hf_fcgi_version, tvb, 0, 1, ENC_BIG_ENDIAN);
    if (h->version != FCGI_VERSION_1)
        expert_add_info_format(pinfo, ti, &ei_fcgi_version,
                               "FastCGI version %u; only version 1 (FCGI_VERSION_1) is defined", h->version);
    ti = proto_tree_add_item(hdr_tree, hf_fcgi_type, tvb, 1, 1, ENC_BIG_ENDIAN);
    if (!fcgi_is_defined_type(h->type))
        expert_add_info_format(pinfo, ti, &ei_fcgi_type_undefined, "Record type %u is not defined by FastCGI 1.0",
                               h->type);
    ti = proto_tree_add_item(hdr_tree, hf_fcgi_id, tvb, 2, 2, ENC_BIG_ENDIAN);
    /* spec 3.3: management records use the null request id, and the
     * application records never do. */
    if (fcgi_is_defined_type(h->type) && fcgi_is_management_type(h->type) != (h->id == FCGI_NULL_REQUEST_ID))
        expert_add_info(pinfo, ti, h->id ? &ei_fcgi_mgmt_record_id : &ei_fcgi_app_record_null_id);
    proto_tree_add_item(hdr_tree, hf_fcgi_content_length, tvb, 4, 2, ENC_BIG_ENDIAN);
    proto_tree_add_item(hdr_tree, hf_fcgi_padding_length, tvb, 6, 1, ENC_BIG_ENDIAN);
    ti = proto_tree_add_item(hdr_tree, hf_fcgi_reserved, tvb, 7, 1, ENC_BIG_ENDIAN);
    if (h->reserved != 0)
        expert_add_info(pinfo, ti, &ei_fcgi_reserved);
}

/* One record (spec 3.3): tvb starts at its header. */
static int
dissect_fcgi_record(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, fcgi_frame_state_t *fs)
{
    fcgi_record_info_t *rec;
    fcgi_header_t h;
    proto_item *ti;
    proto_tree *fcgi_tree;
    tvbuff_t *body_tvb;
    int body_len, avail;
    gboolean unfinished = FALSE, end_of_stream;
    wmem_strbuf_t *info;

    fcgi_read_header(tvb, 0, &h);
    /* Never trust the lengths: a record cut by the end of the capture (or
     * by the snapshot length) is decoded as far as it goes. */
    body_len = MIN((int)h.clen, tvb_reported_length_remaining(tvb, FCGI_HEADER_LEN));
    avail    = MIN(body_len, tvb_captured_length_remaining(tvb, FCGI_HEADER_LEN));

    col_set_str(pinfo->cinfo, COL_PROTOCOL, "FCGI");
    rec = fcgi_track_record(pinfo, fs, &h);

    ti = proto_tree_add_item(tree, proto_fcgi, tvb, 0, -1, ENC_NA);
    fcgi_tree = proto_item_add_subtree(ti, ett_fcgi);
    if (tree && PTREE_DATA(tree)->visible) {
        const char *name = try_val_to_str(h.type, fcgi_record_types);
        if (name)
            proto_item_append_text(ti, ", %s, Request ID %u", name, h.id);
        else
            proto_item_append_text(ti, ", Type %u, Request ID %u", h.type, h.id);
    }
    if (avail < (int)h.clen || tvb_captured_length(tvb) < fcgi_record_len(&h))
        expert_add_info_format(pinfo, ti, &ei_fcgi_truncated,
                               "Record truncated: %u content and %u padding bytes announced, %d captured",
                               h.clen, h.plen, tvb_captured_length_remaining(tvb, FCGI_HEADER_LEN));
    if (rec && rec->req && (rec->flags & FCGI_REC_NOT_BEGUN))
        expert_add_info(pinfo, ti, (rec->flags & FCGI_REC_CAPTURE_START) ? &ei_fcgi_not_begun_start
                                                                          : &ei_fcgi_not_begun);

    body_tvb = tvb_new_subset_length(tvb, FCGI_HEADER_LEN, body_len);
    switch (h.type) {
    case FCGI_BEGIN_REQUEST:
        dissect_begin_request_body(body_tvb, pinfo, fcgi_tree, ti, rec, h.clen, avail);
        break;
    case FCGI_ABORT_REQUEST:
        dissect_abort_request_body(pinfo, ti, h.clen, avail);
        break;
    case FCGI_END_REQUEST:
        dissect_end_request_body(body_tvb, pinfo, fcgi_tree, ti, fs, rec, h.clen, avail);
        break;
    case FCGI_PARAMS:
        dissect_params_record(body_tvb, pinfo, fcgi_tree, fs, rec, h.clen, avail);
        break;
    case FCGI_STDIN:
    case FCGI_STDOUT:
    case FCGI_STDERR:
    case FCGI_DATA:
        dissect_stream_record(body_tvb, pinfo, fcgi_tree, ti, fs, rec, &h, avail);
        break;
    case FCGI_GET_VALUES:
    case FCGI_GET_VALUES_RESULT:
        dissect_get_values_body(body_tvb, pinfo, fcgi_tree, h.type, avail);
        break;
    case FCGI_UNKNOWN_TYPE:
        dissect_unknown_type_body(body_tvb, pinfo, fcgi_tree, ti, h.clen, avail);
        break;
    default:
        /* A type FastCGI 1.0 does not define: its content as bytes. */
        if (avail > 0)
            proto_tree_add_item(fcgi_tree, hf_fcgi_content_data, body_tvb, 0, avail, ENC_NA);
        break;
    }
    if (rec && (rec->flags & FCGI_REC_SUMMARY) && (info = fcgi_info_summary(pinfo, fs)) != NULL) {
        const char *target = fcgi_request_target(pinfo->pool, rec->req);
        const char *method = fcgi_kept(rec->req, FCGI_K_METHOD);
        if (method)
            fcgi_info_append_text(pinfo, info, method);
        if (method && target)
            wmem_strbuf_append_c(info, ' ');
        if (target)
            fcgi_info_append_text(pinfo, info, target);
    }
    if (h.plen > 0 && tvb_captured_length_remaining(tvb, FCGI_HEADER_LEN + h.clen) > 0)
        proto_tree_add_item(fcgi_tree, hf_fcgi_padding_data, tvb, FCGI_HEADER_LEN + h.clen,
                            MIN((int)h.plen, tvb_captured_length_remaining(tvb, FCGI_HEADER_LEN + h.clen)), ENC_NA);

    if (rec && rec->req) {
        const fcgi_request_t *req = rec->req;
        /* Known once the first pass has seen the whole capture. */
        unfinished = PINFO_FD_VISITED(pinfo) && !req->end_frame && req->last_frame == pinfo->num &&
                     req->last_record == fs->next_record - 1;
        if (unfinished)
            expert_add_info(pinfo, ti, &ei_fcgi_unfinished);
        fcgi_add_request_links(tvb, pinfo, fcgi_tree, fs, rec, h.type);
    }
    dissect_fcgi_header(tvb, pinfo, fcgi_tree, fs, &h);
    end_of_stream = fcgi_stream_of_type(h.type) >= 0 && h.clen == 0;
    fcgi_info_add_record(pinfo, fs, &h, end_of_stream);
    if (end_of_stream)
        proto_item_set_generated(proto_tree_add_boolean(fcgi_tree, hf_fcgi_end_of_stream, tvb, 0, 0, TRUE));
    if (tree && PTREE_DATA(tree)->visible) {
        /* The record's line says what it means, as HTTP's request line does. */
        if (end_of_stream)
            proto_item_append_text(ti, " (end of stream)");
        if (rec && (rec->flags & FCGI_REC_SUMMARY)) {
            const char *method = fcgi_kept(rec->req, FCGI_K_METHOD);
            proto_item_append_text(ti, ": %s %s", method ? method : "", fcgi_request_target(pinfo->pool, rec->req));
        }
        if (rec && (rec->flags & FCGI_REC_STATUS))
            proto_item_append_text(ti, ": %u %s", rec->req->response_code,
                                   val_to_str_const(rec->req->response_code, vals_http_status_code, ""));
    }
    fcgi_queue_taps(pinfo, fs, rec ? rec->req : NULL, h.type, unfinished);
    return tvb_captured_length(tvb);
}

/* ======================================================================
 * 8. Framing: records in TCP (spec 3.3: every record starts with an
 *    8-byte header that gives its length), lost segments, the heuristic
 * ==================================================================== */

/* Whether the record header at offset is confirmed by more than its own
 * bytes: content only that record type holds, a well-formed header right
 * after it, or a request id in progress on the connection. */
static gboolean
fcgi_header_confirmed(tvbuff_t *tvb, int offset, fcgi_conv_t *conv)
{
    fcgi_header_t h, next;
    fcgi_evidence_t evidence = fcgi_record_evidence(tvb, offset, &h);
    int after;

    if (evidence != FCGI_CONTENT_OPAQUE)
        return evidence == FCGI_CONTENT_PROVES;
    after = offset + (int)fcgi_record_len(&h);
    if (tvb_captured_length_remaining(tvb, after) >= FCGI_HEADER_LEN) {
        fcgi_read_header(tvb, after, &next);
        if (fcgi_header_well_formed(&next))
            return TRUE;
    }
    return h.id != FCGI_NULL_REQUEST_ID && fcgi_find_request(conv, h.id) != NULL;
}

/* How many bytes at offset come before the next record boundary: 0 where a
 * record starts, as it does but after lost bytes; else bytes that cannot be
 * a record (the rest of one whose start was not captured, or not FastCGI
 * 1.0) up to the next confirmed header, or to the end of the bytes.  The
 * first pass decides, by TCP sequence number, and every later pass skips
 * the same; *lost tells whether the bytes follow bytes not captured. */
static guint
fcgi_bytes_before_record(packet_info *pinfo, tvbuff_t *tvb, int offset, fcgi_frame_state_t *fs, gboolean *lost)
{
    fcgi_direction_t *dir = &fs->conv->dir[fs->direction];
    gboolean keyed = fs->tcpinfo != NULL;
    guint32 key = keyed ? fs->tcpinfo->seq + (guint32)offset : 0;
    int len = tvb_captured_length(tvb);
    fcgi_header_t h;
    guint skip, stored;
    int p;

    *lost = FALSE;
    if (keyed && dir->skips && (stored = GPOINTER_TO_UINT(wmem_map_lookup(dir->skips, GUINT_TO_POINTER(key)))) != 0) {
        *lost = stored & 1;
        return stored >> 1;
    }
    if (keyed && PINFO_FD_VISITED(pinfo))
        return 0;
    /* After lost bytes a header must be confirmed; elsewhere it is taken
     * unless it cannot be one. */
    *lost = offset == 0 && (fs->after_gap || dir->continuing);
    fcgi_read_header(tvb, offset, &h);
    if (*lost ? fcgi_header_confirmed(tvb, 0, fs->conv) : fcgi_header_possible(&h)) {
        *lost = FALSE;
        if (!PINFO_FD_VISITED(pinfo))
            dir->continuing = FALSE;
        return 0;
    }
    skip = (guint)tvb_reported_length_remaining(tvb, offset);
    for (p = offset + 1; p + FCGI_HEADER_LEN <= len; p++) {
        p = tvb_find_guint8(tvb, p, len - FCGI_HEADER_LEN + 1 - p, FCGI_VERSION_1);
        if (p < 0)
            break;
        if (fcgi_header_confirmed(tvb, p, fs->conv)) {
            skip = (guint)(p - offset);
            break;
        }
    }
    if (!PINFO_FD_VISITED(pinfo)) {
        /* Lost bytes that run to the end: the next ones continue them. */
        dir->continuing = *lost && skip == (guint)tvb_reported_length_remaining(tvb, offset);
        /* Bytes of this direction were not understood: every stream in
         * progress learns it at its next record (fcgi_track_stream). */
        dir->gaps++;
        if (keyed) {
            if (!dir->skips)
                dir->skips = wmem_map_new(wmem_file_scope(), g_direct_hash, g_direct_equal);
            wmem_map_insert(dir->skips, GUINT_TO_POINTER(key), GUINT_TO_POINTER(skip << 1 | (guint)*lost));
        }
    }
    return skip;
}

/* tcp_dissect_pdus's length of the PDU at offset: the bytes before the
 * next record boundary, if any, and the record. */
static guint
get_fcgi_pdu_len(packet_info *pinfo, tvbuff_t *tvb, int offset, void *data)
{
    fcgi_frame_state_t *fs = (fcgi_frame_state_t *)data;
    fcgi_header_t h;
    guint len;

    fs->skip = fcgi_bytes_before_record(pinfo, tvb, offset, fs, &fs->skip_lost);
    if (fs->skip >= (guint)tvb_reported_length_remaining(tvb, offset))
        return fs->skip;
    fcgi_read_header(tvb, offset + fs->skip, &h);
    len = fs->skip + fcgi_record_len(&h);
    if (len > (guint)tvb_reported_length_remaining(tvb, offset) && pinfo->can_desegment && fs->tcpinfo &&
        !PINFO_FD_VISITED(pinfo)) {
        /* TCP will hand it over whole once its last segment is there. */
        fs->waiting = TRUE;
        fs->wait_start = fs->tcpinfo->seq + (guint32)offset;
        fs->wait_end = fs->wait_start + len;
    }
    return len;
}

/* Bytes that are not a record: the rest of one whose start was lost
 * (a "Continuation", as HTTP calls body bytes without their headers), or
 * bytes that are not FastCGI 1.0 where a record should start. */
static void
dissect_fcgi_skipped(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, fcgi_frame_state_t *fs, guint len,
                     gboolean lost)
{
    proto_item *ti = proto_tree_add_item(tree, proto_fcgi, tvb, 0, len, ENC_NA);
    proto_tree *skipped_tree = proto_item_add_subtree(ti, ett_fcgi);
    const char *what = lost ? "Continuation" : "Not a record";
    proto_item *item;

    col_set_str(pinfo->cinfo, COL_PROTOCOL, "FCGI");
    proto_item_append_text(ti, ", %s", what);
    item = proto_tree_add_item(skipped_tree, hf_fcgi_skipped, tvb, 0, len, ENC_NA);
    if (lost)
        expert_add_info_format(pinfo, item, &ei_fcgi_skipped,
                               "%u bytes that are not a record: the rest of one whose start was not captured", len);
    else
        expert_add_info_format(pinfo, item, &ei_fcgi_skipped,
                               "%u bytes that are not a FastCGI 1.0 record where a record header was expected "
                               "(version %u, type %u)", len, tvb_get_guint8(tvb, 0),
                               len > 1 ? tvb_get_guint8(tvb, 1) : 0);
    if (pinfo->cinfo) {
        if (!fs->records)
            fs->records = wmem_strbuf_new(pinfo->pool, "");
        else
            wmem_strbuf_append(fs->records, ", ");
        wmem_strbuf_append_printf(fs->records, "%s (%u bytes)", what, len);
    }
}

/* What tcp_dissect_pdus hands over: a record, after the bytes that
 * get_fcgi_pdu_len found before it. */
static int
dissect_fcgi_pdu(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    fcgi_frame_state_t *fs = (fcgi_frame_state_t *)data;
    guint skip = fs->skip;

    fs->skip = 0;
    if (skip > 0) {
        dissect_fcgi_skipped(tvb_new_subset_length(tvb, 0, skip), pinfo, tree, fs, skip, fs->skip_lost);
        if (skip >= tvb_reported_length(tvb))
            return tvb_captured_length(tvb);
        tvb = tvb_new_subset_remaining(tvb, skip);
    }
    return (int)skip + dissect_fcgi_record(tvb, pinfo, tree, fs);
}

/* First pass: the bytes of direction before TCP sequence number seq
 * have gone by.  When seen is TRUE they were all seen (or will be, in a
 * record TCP reassembles); else bytes past those seen were not captured:
 * FALSE then, and the streams of that direction learn it at their next
 * record (fcgi_track_stream). */
static gboolean
fcgi_reached(fcgi_conv_t *conv, int direction, guint32 seq, gboolean seen)
{
    fcgi_direction_t *dir = &conv->dir[direction];
    gboolean lost = FALSE;

    if (!dir->have_seq || (gint32)(seq - dir->next_seq) > 0) {
        lost = dir->have_seq && !seen;
        dir->next_seq = seq;
        dir->have_seq = TRUE;
    }
    if (lost)
        dir->gaps++;
    return !lost;
}

/* First pass: were bytes of this direction lost before these?  TCP hands
 * over data in sequence, so data that starts past the last byte seen, or
 * past what the other side had acknowledged, follows segments that were
 * not captured ("[TCP Previous segment not captured]"); so does data past
 * the end of a record TCP was reassembling but never completed (a segment
 * of it was lost).  An acknowledgment of bytes never seen means the other
 * direction lost some ("[TCP ACKed unseen segment]").  The first bytes of
 * a connection whose start is not in the capture may start anywhere. */
static void
fcgi_check_sequence(packet_info *pinfo, tvbuff_t *tvb, fcgi_frame_state_t *fs)
{
    const struct tcpinfo *tcpinfo = fs->tcpinfo;
    fcgi_direction_t *dir = &fs->conv->dir[fs->direction];

    fs->after_gap = FALSE;
    fs->waiting = FALSE;
    if (PINFO_FD_VISITED(pinfo) || !tcpinfo)
        return;
    if (tcpinfo->is_reassembled) {
        /* The record TCP was reassembling, whole. */
        if (dir->waiting && tcpinfo->seq == dir->wait_start)
            dir->waiting = FALSE;
        fcgi_reached(fs->conv, fs->direction, tcpinfo->seq + tvb_reported_length(tvb), TRUE);
        return;
    }
    if (dir->waiting && (gint32)(tcpinfo->seq - dir->wait_end) >= 0) {
        dir->waiting = FALSE;
        dir->gaps++;
        fs->after_gap = TRUE;
    }
    if (!dir->have_seq)
        fs->after_gap = !fs->conv->seen_syn;
    if (!fcgi_reached(fs->conv, fs->direction, tcpinfo->seq, FALSE))
        fs->after_gap = TRUE;
    fcgi_reached(fs->conv, fs->direction, tcpinfo->seq + tvb_reported_length(tvb), TRUE);
    if (tcpinfo->flags & TH_ACK)
        fcgi_reached(fs->conv, 1 - fs->direction, tcpinfo->lastackseq, FALSE);
}

/* tcp_dissect_pdus waits for the rest of a record that a segment ends in.
 * When the capture ends first, the record is not shown, as with every
 * dissector on TCP: a single pass cannot know that the rest will not
 * come, and both passes show the same.  The request it belonged to is
 * reported as never ended on the second pass, on its last record. */
static int
dissect_fcgi_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    fcgi_frame_state_t *fs = fcgi_frame_state(pinfo);
    fcgi_direction_t *dir = &fs->conv->dir[fs->direction];
    fcgi_pending_t *p;

    fs->tcpinfo = (struct tcpinfo *)data;
    fcgi_check_sequence(pinfo, tvb, fs);
    pinfo->desegment_len = 0;
    tcp_dissect_pdus(tvb, pinfo, tree, TRUE, FCGI_HEADER_LEN, get_fcgi_pdu_len, dissect_fcgi_pdu, fs);
    if (!PINFO_FD_VISITED(pinfo)) {
        if (fs->waiting) {
            /* Its bytes are accounted for; TCP shows them to no one. */
            dir->waiting = TRUE;
            dir->wait_start = fs->wait_start;
            dir->wait_end = fs->wait_end;
            fcgi_reached(fs->conv, fs->direction, fs->wait_end, TRUE);
        }
        /* Kept first records whose stream did not end here go into their
         * reassembly. */
        while ((p = fs->pending) != NULL) {
            fs->pending = p->next;
            fcgi_flush_pending(pinfo, fs, p);
        }
        if (fs->rec_count > 0)
            fcgi_store_records(pinfo, fs);
    }
    fs->pending = NULL;
    fcgi_update_info(pinfo, fs);
    return tvb_captured_length(tvb);
}

/* The heuristic: bytes are claimed as FastCGI only on evidence (spec 3.3,
 * 4, 5): the segment starts at a record boundary, every record header in
 * it is well-formed and none of their contents contradicts its type, and
 * either one record's content proves its type or two records follow each
 * other.  A lone empty stream record, or a lone stream record of any
 * bytes, is not enough: the next segment gets another chance. */
static gboolean
fcgi_heur_check(tvbuff_t *tvb)
{
    int len = tvb_captured_length(tvb);
    int offset = 0, records = 0;
    gboolean proven = FALSE;

    while (records < FCGI_HEUR_MAX_RECORDS && len - offset >= FCGI_HEADER_LEN) {
        fcgi_header_t h;
        fcgi_evidence_t evidence = fcgi_record_evidence(tvb, offset, &h);

        if (evidence == FCGI_CONTENT_WRONG)
            return FALSE;
        proven |= evidence == FCGI_CONTENT_PROVES;
        records++;
        if (fcgi_record_len(&h) > (guint)(len - offset))
            return proven || records >= 2;
        offset += (int)fcgi_record_len(&h);
    }
    if (offset < len && len - offset < FCGI_HEADER_LEN) {
        /* A header cut by the segment end: version 1 and a defined type. */
        if (tvb_get_guint8(tvb, offset) != FCGI_VERSION_1 ||
            (len - offset >= 2 && !fcgi_is_defined_type(tvb_get_guint8(tvb, offset + 1))))
            return FALSE;
    }
    return proven || records >= 2;
}

static gboolean
dissect_fcgi_heur_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    conversation_t *conversation;

    if (!fcgi_heur_check(tvb))
        return FALSE;
    /* From this frame on the whole connection is FastCGI, in both
     * directions; frames before it stay as they were. */
    conversation = find_or_create_conversation(pinfo);
    conversation_set_dissector_from_frame_number(conversation, pinfo->num, fcgi_handle);
    dissect_fcgi_tcp(tvb, pinfo, tree, data);
    return TRUE;
}

/* ======================================================================
 * 9. Statistics and export objects
 * ==================================================================== */

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

/* -z fcgi,tree: records, requests, roles, methods, response codes grouped
 * by class as HTTP's packet counter groups them, protocol statuses. */
static int st_node_records = -1;
static int st_node_requests = -1;

static const char st_str_records[]    = "FastCGI records by type";
static const char st_str_requests[]   = "FastCGI requests";
static const char st_str_unfinished[] = "Unfinished (never ended in the capture)";
static const char st_str_roles[]      = "Roles";
static const char st_str_methods[]    = "Request methods";
static const char st_str_codes[]      = "Response codes";
static const char st_str_statuses[]   = "END_REQUEST protocol statuses";

static void
fcgi_stats_tree_init(stats_tree *st)
{
    st_node_records  = stats_tree_create_node(st, st_str_records, 0, STAT_DT_INT, TRUE);
    st_node_requests = stats_tree_create_node(st, st_str_requests, 0, STAT_DT_INT, TRUE);
}

/* "2xx: Success", as HTTP's statistics name the classes (RFC 9110 15). */
static const char *
fcgi_status_class(guint16 code)
{
    switch (code / 100) {
    case 1:  return "1xx: Informational";
    case 2:  return "2xx: Success";
    case 3:  return "3xx: Redirection";
    case 4:  return "4xx: Client Error";
    case 5:  return "5xx: Server Error";
    default: return "Other";
    }
}

static tap_packet_status
fcgi_stats_tree_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt _U_,
                       const void *p, tap_flags_t flags _U_)
{
    const fcgi_record_tap_info_t *rt = (const fcgi_record_tap_info_t *)p;
    const fcgi_tap_info_t *ti = rt->finished;
    int node;

    tick_stat_node(st, st_str_records, 0, FALSE);
    if (try_val_to_str(rt->type, fcgi_record_types))
        tick_stat_node(st, val_to_str_const(rt->type, fcgi_record_types, ""), st_node_records, FALSE);
    else
        tick_stat_node(st, wmem_strdup_printf(pinfo->pool, "Undefined type %u", rt->type), st_node_records, FALSE);
    if (!ti)
        return TAP_PACKET_REDRAW;
    tick_stat_node(st, st_str_requests, 0, FALSE);
    if (ti->unfinished)
        tick_stat_node(st, st_str_unfinished, st_node_requests, FALSE);
    node = tick_stat_node(st, st_str_roles, st_node_requests, TRUE);
    tick_stat_node(st, ti->role ? val_to_str_const(ti->role, fcgi_roles, "Unknown role")
                                : "(FCGI_BEGIN_REQUEST not seen)", node, FALSE);
    node = tick_stat_node(st, st_str_methods, st_node_requests, TRUE);
    tick_stat_node(st, ti->method ? ti->method : "(none)", node, FALSE);
    node = tick_stat_node(st, st_str_codes, st_node_requests, TRUE);
    if (ti->response_code) {
        node = tick_stat_node(st, fcgi_status_class(ti->response_code), node, TRUE);
        tick_stat_node(st, wmem_strdup_printf(pinfo->pool, "%u %s%s", ti->response_code,
                                              val_to_str_const(ti->response_code, vals_http_status_code, ""),
                                              ti->code_implied ? " (implied)" : ""), node, FALSE);
    } else {
        tick_stat_node(st, "(no CGI response)", node, FALSE);
    }
    if (!ti->unfinished) {
        node = tick_stat_node(st, st_str_statuses, st_node_requests, TRUE);
        tick_stat_node(st, val_to_str_const(ti->protocol_status, fcgi_protocol_statuses, "Unknown status"), node, FALSE);
    }
    return TAP_PACKET_REDRAW;
}

/* -z fcgi_scripts,tree: requests and response time per script, in whole
 * microseconds so that average, minimum and maximum read alike. */
static int st_node_scripts = -1;
static const char st_str_scripts[] = "Response time by script (microseconds)";

static void
fcgi_scripts_tree_init(stats_tree *st)
{
    st_node_scripts = stats_tree_create_node(st, st_str_scripts, 0, STAT_DT_INT, TRUE);
}

static tap_packet_status
fcgi_scripts_tree_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                         const void *p, tap_flags_t flags _U_)
{
    const fcgi_tap_info_t *ti = (const fcgi_tap_info_t *)p;
    const char *script = ti->script_name ? ti->script_name : (ti->uri ? ti->uri : "(unknown)");
    int us;

    if (!ti->has_time)
        return TAP_PACKET_DONT_REDRAW;
    us = (int)(ti->duration.secs * 1000000 + ti->duration.nsecs / 1000);
    avg_stat_node_add_value_int(st, st_str_scripts, 0, TRUE, us);
    avg_stat_node_add_value_int(st, script, st_node_scripts, FALSE, us);
    return TAP_PACKET_REDRAW;
}

/* ======================================================================
 * 10. Registration and handoff
 *
 * As in Wireshark's own tree.  Built as a plugin, fcgi-compat.h sends the
 * calls that meet Wireshark's built-in FastCGI dissector to
 * fcgi-takeover.c, which takes it over.
 * ==================================================================== */

void
proto_register_fcgi(void)
{
    static hf_register_info hf[] = {
        /* The fields of the FastCGI dissector Wireshark had before this
         * one, with their names and types, so that saved filters work. */
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
        /* The others */
        { &hf_fcgi_skipped,
          { "Continuation", "fcgi.skipped", FT_BYTES, BASE_NONE, NULL, 0x0,
            "Bytes that are not a record: the rest of one whose start was not captured", HFILL } },
        { &hf_fcgi_nv_begun_in,
          { "Pair begun in frame", "fcgi.nv_begun_in", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "Frame of the PARAMS record in which a pair split across records begins (spec 3.4)", HFILL } },
        { &hf_fcgi_request_number,
          { "Request number", "fcgi.request.number", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Place of the request among the requests of its connection (1, 2, ...)", HFILL } },
        { &hf_fcgi_prev_request_in,
          { "Previous request in frame", "fcgi.prev_request_in", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "Frame in which the previous request on the same connection appears (its FCGI_BEGIN_REQUEST)", HFILL } },
        { &hf_fcgi_next_request_in,
          { "Next request in frame", "fcgi.next_request_in", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "Frame in which the next request on the same connection appears (its FCGI_BEGIN_REQUEST)", HFILL } },
        { &hf_fcgi_response_content_length,
          { "Content Length", "fcgi.response.content_length", FT_UINT64, BASE_DEC, NULL, 0x0,
            "Content-Length header of the CGI response, else the length of its body", HFILL } },
        { &hf_fcgi_response_time,
          { "Time since request", "fcgi.response.time", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
            "Seconds from FCGI_BEGIN_REQUEST to the frame that shows the response status", HFILL } },
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
        { &hf_fcgi_stderr,
          { "STDERR", "fcgi.stderr", FT_STRING, BASE_NONE, NULL, 0x0,
            "Text the application wrote to FCGI_STDERR, one record's worth (spec 5.3)", HFILL } },
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
        { &hf_fcgi_request_body,
          { "Request body", "fcgi.request.body", FT_BYTES, BASE_NONE, NULL, 0x0,
            "The whole FCGI_STDIN stream: the body of the HTTP request", HFILL } },
        { &hf_fcgi_response_header,
          { "Response header", "fcgi.response.header", FT_STRING, BASE_NONE, NULL, 0x0,
            "A CGI response header line on FCGI_STDOUT (RFC 3875 6.3)", HFILL } },
        { &hf_fcgi_response_code,
          { "Status Code", "fcgi.response.code", FT_UINT16, BASE_DEC, NULL, 0x0,
            "HTTP status of the response: from Status:, else implied: 302 for a Location, else 200 (RFC 3875 6.2.3, 6.3.3)", HFILL } },
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
            "Frame that shows the method and URI of this request (else its FCGI_BEGIN_REQUEST)", HFILL } },
        { &hf_fcgi_response_in,
          { "Response in frame", "fcgi.response_in", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
            "Frame that shows the response status of this request (else its FCGI_END_REQUEST)", HFILL } },
        { &hf_fcgi_time,
          { "Request duration", "fcgi.time", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
            "Seconds from FCGI_BEGIN_REQUEST to FCGI_END_REQUEST", HFILL } },
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
            "Number of the stream's records with content (not the empty one that ends it)", HFILL } },
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
        { &ei_fcgi_end_request_reserved,
          { "fcgi.end_request.reserved.nonzero", PI_PROTOCOL, PI_CHAT,
            "Reserved bytes of FCGI_END_REQUEST are not zero (php-fpm and php-cgi leave bytes of their buffer there)", EXPFILL } },
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
        { &ei_fcgi_nv_too_long,
          { "fcgi.nv.too_long", PI_UNDECODED, PI_NOTE, "Name-value pair too long to keep across records", EXPFILL } },
        { &ei_fcgi_truncated,
          { "fcgi.truncated", PI_MALFORMED, PI_ERROR, "Record truncated", EXPFILL } },
        { &ei_fcgi_skipped,
          { "fcgi.skipped", PI_SEQUENCE, PI_WARN,
            "Bytes that are not a record: the rest of one whose start was not captured", EXPFILL } },
        { &ei_fcgi_stream_start_missing,
          { "fcgi.stream.start_missing", PI_SEQUENCE, PI_WARN,
            "The start of this stream was not captured: no CGI headers are read from it", EXPFILL } },
        { &ei_fcgi_stream_hole,
          { "fcgi.stream.incomplete", PI_SEQUENCE, PI_WARN,
            "Bytes of this stream were not captured: it is incomplete", EXPFILL } },
        { &ei_fcgi_unfinished,
          { "fcgi.request.unfinished", PI_SEQUENCE, PI_WARN,
            "The request never ended in the capture (no FCGI_END_REQUEST): its last record", EXPFILL } },
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
          { "fcgi.abort_request", PI_SEQUENCE, PI_WARN, "The web server aborted the request", EXPFILL } },
        { &ei_fcgi_unknown_type_reply,
          { "fcgi.unknown_type.reply", PI_PROTOCOL, PI_NOTE,
            "The application did not understand a record type", EXPFILL } },
        { &ei_fcgi_status_implied,
          { "fcgi.response.code.implied", PI_RESPONSE_CODE, PI_CHAT,
            "Status implied: a Location without Status, which the web server sends as 302 (RFC 3875 6.2.3)", EXPFILL } },
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
    static gint *ett[] = {
        &ett_fcgi,
        &ett_fcgi_header,
        &ett_fcgi_body,
        &ett_fcgi_nv,
        &ett_fcgi_nv_pairs,
        &ett_fcgi_stream,
        &ett_fcgi_response_headers,
        &ett_fcgi_fragment,
        &ett_fcgi_fragments,
    };
    module_t *fcgi_module;
    expert_module_t *expert_fcgi;

    proto_fcgi = proto_register_protocol("FastCGI", "FCGI", "fcgi");
    proto_register_field_array(proto_fcgi, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_fcgi = expert_register_protocol(proto_fcgi);
    expert_register_field_array(expert_fcgi, ei, array_length(ei));

    fcgi_module = prefs_register_protocol(proto_fcgi, NULL);
    prefs_register_bool_preference(fcgi_module, "reassemble_bodies",
        "Reassemble STDIN, STDOUT and DATA streams",
        "Whether request and response bodies spread over several FastCGI records are "
        "reassembled and shown whole in the frame of the record that ends the stream, "
        "and exported whole (File > Export Objects > FCGI lists no body when this is off). "
        "Parameters and STDERR are shown per record either way. "
        "Turn this off to save memory on huge captures.",
        &fcgi_reassemble_bodies);
    prefs_register_bool_preference(fcgi_module, "decompress_body",
        "Uncompress gzip and deflate response bodies",
        "Whether a response body with Content-Encoding gzip or deflate is shown uncompressed as well.",
        &fcgi_decompress_body);

    fcgi_handle = register_dissector("fcgi", dissect_fcgi_tcp, proto_fcgi);

    reassembly_table_register(&fcgi_stream_reassembly_table, &fcgi_reassembly_functions);
    register_init_routine(fcgi_init);
    fcgi_index_request_params();

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
    media_handle_data = find_dissector_add_dependency("data", proto_fcgi);

    /* No well-known port: php-fpm's 9000 belongs to another dissector.
     * FastCGI on any port is found by content, or by Decode As. */
    dissector_add_uint_range_with_preference("tcp.port", "", fcgi_handle);
    heur_dissector_add("tcp", dissect_fcgi_heur_tcp, "FastCGI over TCP", "fcgi_tcp",
                       proto_fcgi, HEURISTIC_ENABLE);
}
