/* packet-fcgi.h: FastCGI 1.0 protocol constants and the tap record of the
 * fcgi plugin.  Section numbers refer to the FastCGI Specification 1.0
 * (Open Market, 1996; /usr/share/doc/libfcgi-dev/fcgi-spec.html). */
#ifndef PACKET_FCGI_H
#define PACKET_FCGI_H

#include <glib.h>
#include <wsutil/nstime.h>

/* 8. Types and constants */
#define FCGI_HEADER_LEN         8
#define FCGI_VERSION_1          1

#define FCGI_BEGIN_REQUEST      1
#define FCGI_ABORT_REQUEST      2
#define FCGI_END_REQUEST        3
#define FCGI_PARAMS             4
#define FCGI_STDIN              5
#define FCGI_STDOUT             6
#define FCGI_STDERR             7
#define FCGI_DATA               8
#define FCGI_GET_VALUES         9
#define FCGI_GET_VALUES_RESULT 10
#define FCGI_UNKNOWN_TYPE      11
#define FCGI_MAXTYPE           FCGI_UNKNOWN_TYPE

#define FCGI_NULL_REQUEST_ID    0

/* 5.1 FCGI_BEGIN_REQUEST */
#define FCGI_BEGIN_REQUEST_BODY_LEN 8
#define FCGI_KEEP_CONN          0x01
#define FCGI_RESPONDER          1
#define FCGI_AUTHORIZER         2
#define FCGI_FILTER             3

/* 5.5 FCGI_END_REQUEST */
#define FCGI_END_REQUEST_BODY_LEN 8
#define FCGI_REQUEST_COMPLETE   0
#define FCGI_CANT_MPX_CONN      1
#define FCGI_OVERLOADED         2
#define FCGI_UNKNOWN_ROLE       3

/* 4.2 FCGI_UNKNOWN_TYPE */
#define FCGI_UNKNOWN_TYPE_BODY_LEN 8

/* 3.3: the largest record: header, 65535 content and 255 padding bytes. */
#define FCGI_MAX_RECORD_LEN (FCGI_HEADER_LEN + 0xffff + 0xff)

/* The tap record, queued on the "fcgi" tap once per finished request (in
 * the frame of its FCGI_END_REQUEST), and on later passes once per request
 * that never ended (in the frame of its last record).  Strings live in
 * file or packet scope. */
typedef struct _fcgi_tap_info {
    guint32     conv_index;         /* TCP stream index of the connection */
    guint16     request_id;
    guint16     role;               /* 0 when FCGI_BEGIN_REQUEST was not seen */
    const char *method;             /* REQUEST_METHOD, or NULL */
    const char *uri;                /* REQUEST_URI (else SCRIPT_NAME?QUERY_STRING), or NULL */
    const char *script_name;        /* SCRIPT_NAME, or NULL */
    const char *host;               /* HTTP_HOST, or NULL */
    guint16     response_code;      /* CGI status; 0 when no response headers */
    gboolean    code_implied;       /* no Status header: 200, or 302 for a Location */
    gboolean    unfinished;         /* never ended in the capture (later passes) */
    guint32     app_status;
    guint8      protocol_status;
    guint64     request_bytes;      /* STDIN (and DATA) content bytes */
    guint64     response_bytes;     /* STDOUT content bytes */
    guint64     stderr_bytes;
    gboolean    has_time;           /* both ends of the request were seen */
    nstime_t    duration;           /* FCGI_BEGIN_REQUEST to FCGI_END_REQUEST */
    guint32     begin_frame;        /* 0 when not seen */
    guint32     end_frame;
} fcgi_tap_info_t;

/* The record queued on the "fcgi_record" tap for every record; finished
 * points to the request's tap record in the frame that ends it. */
typedef struct _fcgi_record_tap_info {
    guint8                 type;
    const fcgi_tap_info_t *finished;
} fcgi_record_tap_info_t;

#endif /* PACKET_FCGI_H */
