/*
 * extcomm transport ABI: the contract between the extcomm host and a transport plugin.
 *
 * This header is the single source of truth. It is C (C99 and C++17 compatible), depends on the
 * C standard library only, and is what a shared object must speak to be loaded by extcomm.
 * The numbered rules in plugin-api/README.md say what each side MUST and MAY do; the comments here
 * point at them as [Rn].
 *
 * Stability: every struct that crosses the boundary starts with `struct_size` [R3]. Structs and
 * function tables are append-only; a reader uses a field only if `struct_size` covers it.
 */
#ifndef EXTCOMM_TRANSPORT_H
#define EXTCOMM_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Interface versions this header describes. A host offers a range; a plugin picks one [R2]. */
#define EXTCOMM_INTERFACE_VERSION_MIN 1u
#define EXTCOMM_INTERFACE_VERSION 1u

/* The one symbol a plugin exports [R1]. */
#define EXTCOMM_ENTRY_SYMBOL "extcomm_transport_entry"

#if defined(_WIN32)
#define EXTCOMM_EXPORT __declspec(dllexport)
#else
#define EXTCOMM_EXPORT __attribute__((visibility("default")))
#endif

/* A UTF-8 string that is not necessarily NUL-terminated. data may be NULL only when size is 0. */
typedef struct extcomm_str {
    const char* data;
    size_t size;
} extcomm_str;

/* Channels are bits so a plugin can serve both (the `file` transport does). */
typedef enum extcomm_channel {
    EXTCOMM_CHANNEL_EMAIL = 1u << 0,
    EXTCOMM_CHANNEL_SMS = 1u << 1
} extcomm_channel;

/* How the plugin sends [R8]. */
typedef enum extcomm_send_mode {
    /* The plugin speaks the protocol itself, blocking, on a host worker thread (SMTP, SMPP). */
    EXTCOMM_SEND_SESSION = 1,
    /* The plugin turns messages into HTTP requests and responses into results; the host does the I/O. */
    EXTCOMM_SEND_HTTP_CODEC = 2
} extcomm_send_mode;

/* Capability flags (descriptor.capabilities.flags). */
#define EXTCOMM_CAP_UNICODE (1u << 0)          /* non-GSM / non-ASCII text is delivered intact */
#define EXTCOMM_CAP_DELIVERY_RECEIPTS (1u << 1) /* parse_webhook understands delivery receipts */
#define EXTCOMM_CAP_IDEMPOTENCY_KEY (1u << 2)  /* a resend with the same key is not sent twice */
#define EXTCOMM_CAP_REPLIES (1u << 3)          /* parse_webhook understands inbound replies */
#define EXTCOMM_CAP_HTML (1u << 4)             /* an HTML alternative body is delivered */

typedef struct extcomm_capabilities {
    uint32_t struct_size;
    uint32_t flags;           /* EXTCOMM_CAP_* */
    uint32_t max_batch_size;  /* messages per send/encode call; >= 1 */
    uint32_t max_body_length; /* characters; 0 = no limit the plugin knows of */
} extcomm_capabilities;

/* What a plugin says about itself [R5]. Static storage owned by the plugin, valid until unload. */
typedef struct extcomm_descriptor {
    uint32_t struct_size;
    const char* id;           /* stable, lower-case, [a-z0-9-]+ e.g. "bulksms" */
    const char* name;         /* display name */
    const char* vendor;
    const char* version;      /* semantic version of the plugin */
    uint32_t channels;        /* extcomm_channel bits */
    uint32_t send_mode;       /* extcomm_send_mode */
    const extcomm_capabilities* capabilities;
    const char* settings_schema; /* JSON Schema (draft 7) of the transport's `settings` object */
    const char* description;  /* one line; may be NULL */
} extcomm_descriptor;

/* One message to deliver. Host-owned; valid for the duration of the call only [R10]. */
typedef struct extcomm_message {
    uint32_t struct_size;
    uint32_t channel;            /* one extcomm_channel bit */
    extcomm_str id;              /* extcomm's message id (put it in provider metadata where possible) */
    extcomm_str idempotency_key; /* the same on every attempt of this message */
    extcomm_str to;              /* E.164 number (sms) or RFC 5321 address (email), as stored */
    extcomm_str subject;         /* may be empty */
    extcomm_str body;            /* text body */
    extcomm_str html_body;       /* may be empty */
    extcomm_str metadata_json;   /* a JSON object, may be empty */
    uint32_t attempt;            /* 1 for the first attempt */
} extcomm_message;

/* Per-message outcome [R11]. The host's policy (retry, give up, pause) lives in the host. */
typedef enum extcomm_outcome {
    EXTCOMM_OUTCOME_ACCEPTED = 0,          /* the provider took it; provider_message_id set if known */
    EXTCOMM_OUTCOME_RETRY = 1,             /* transient; try again later (retry_after_ms may hint) */
    EXTCOMM_OUTCOME_REJECTED = 2,          /* permanent for this message: invalid number, bad mailbox */
    EXTCOMM_OUTCOME_TRANSPORT_FAILURE = 3, /* the transport cannot send: credentials, credit, config */
    EXTCOMM_OUTCOME_INTERNAL = 4,          /* the plugin failed (bug, exception); treated as retry */
    EXTCOMM_OUTCOME_RESEND_ALONE = 5       /* the provider refused the whole batch because of another
                                              message: resend this one on its own, no attempt counted */
} extcomm_outcome;

#define EXTCOMM_PROVIDER_ID_MAX 128
#define EXTCOMM_PROVIDER_CODE_MAX 64
#define EXTCOMM_PROVIDER_TEXT_MAX 512

/* Host-allocated result slots, zero-filled, that the plugin fills in [R10]. Strings are NUL-terminated
 * and truncated to fit. */
typedef struct extcomm_result {
    uint32_t struct_size;
    uint32_t outcome;        /* extcomm_outcome */
    uint32_t retry_after_ms; /* with RETRY: the provider's hint; 0 = none */
    char provider_message_id[EXTCOMM_PROVIDER_ID_MAX];
    char provider_code[EXTCOMM_PROVIDER_CODE_MAX]; /* the provider's own code, e.g. "105", "550 5.1.1" */
    char provider_text[EXTCOMM_PROVIDER_TEXT_MAX]; /* the provider's own words */
} extcomm_result;

typedef struct extcomm_header {
    extcomm_str name;
    extcomm_str value;
} extcomm_header;

/* An HTTP request produced by a codec plugin. Plugin-owned while being emitted; the host copies it. */
typedef struct extcomm_http_request {
    uint32_t struct_size;
    extcomm_str method; /* "POST", "GET" */
    extcomm_str url;    /* absolute URL */
    const extcomm_header* headers;
    size_t header_count;
    extcomm_str body;
    /* Which of the messages given to encode this request carries (indices into that array). */
    const uint32_t* message_indices;
    size_t message_count;
    /* Opaque to the host; handed back to decode (e.g. the order of numbers in the request). */
    extcomm_str context;
} extcomm_http_request;

/* The provider's answer as the host received it. status 0 never reaches decode: the host handles
 * connection failures and timeouts itself. */
typedef struct extcomm_http_response {
    uint32_t struct_size;
    int32_t status;
    const extcomm_header* headers;
    size_t header_count;
    extcomm_str body;
} extcomm_http_response;

/* Where encode puts its output (host-implemented). */
typedef struct extcomm_encode_sink {
    uint32_t struct_size;
    void* host_ctx;
    /* Emit one request. Returns 0 on success. */
    int32_t (*emit_request)(void* host_ctx, const extcomm_http_request* request);
    /* Settle a message without sending it (e.g. invalid number found while encoding). */
    void (*settle)(void* host_ctx, uint32_t message_index, const extcomm_result* result);
} extcomm_encode_sink;

/* An inbound webhook call addressed to this transport (POST /v1/webhooks/{transport}). */
typedef struct extcomm_webhook_request {
    uint32_t struct_size;
    extcomm_str method;
    extcomm_str path;  /* without the query */
    extcomm_str query; /* raw query string, without '?' */
    const extcomm_header* headers;
    size_t header_count;
    extcomm_str body;
} extcomm_webhook_request;

typedef enum extcomm_update_kind {
    EXTCOMM_UPDATE_STATUS = 1, /* a delivery receipt */
    EXTCOMM_UPDATE_REPLY = 2   /* an inbound message from the recipient */
} extcomm_update_kind;

typedef enum extcomm_delivery_status {
    EXTCOMM_STATUS_SENT = 1,      /* handed on by the provider, not yet on the handset */
    EXTCOMM_STATUS_DELIVERED = 2, /* final: on the handset / in the mailbox */
    EXTCOMM_STATUS_FAILED = 3,    /* final: could not be delivered */
    EXTCOMM_STATUS_EXPIRED = 4,   /* final: the provider gave up on time */
    EXTCOMM_STATUS_REJECTED = 5   /* final: refused (blocked, invalid, no credit) */
} extcomm_delivery_status;

/* One fact parsed from a webhook. Plugin-owned while being emitted; the host copies it. */
typedef struct extcomm_status_update {
    uint32_t struct_size;
    uint32_t kind;                   /* extcomm_update_kind */
    uint32_t status;                 /* extcomm_delivery_status (kind STATUS) */
    extcomm_str message_id;          /* extcomm's id if the provider echoes it, else empty */
    extcomm_str provider_message_id; /* the provider's id, else empty */
    extcomm_str provider_code;
    extcomm_str provider_text;
    int64_t occurred_at_ms;          /* Unix time in ms per the provider; 0 = unknown */
    extcomm_str from;                /* kind REPLY: the sender's number/address */
    extcomm_str text;                /* kind REPLY: what they wrote */
} extcomm_status_update;

typedef struct extcomm_update_sink {
    uint32_t struct_size;
    void* host_ctx;
    void (*emit_update)(void* host_ctx, const extcomm_status_update* update);
} extcomm_update_sink;

typedef enum extcomm_log_level {
    EXTCOMM_LOG_DEBUG = 0,
    EXTCOMM_LOG_INFO = 1,
    EXTCOMM_LOG_WARN = 2,
    EXTCOMM_LOG_ERROR = 3
} extcomm_log_level;

/* Services the host lends to a plugin [R6]. Append-only; check struct_size before using a field
 * added after version 1. */
typedef struct extcomm_host_services {
    uint32_t struct_size;
    void* host_ctx;
    void (*log)(void* host_ctx, uint32_t level, extcomm_str text);
} extcomm_host_services;

/* A fixed-size error a plugin fills on create failure. */
#define EXTCOMM_ERROR_TEXT_MAX 512
typedef struct extcomm_error {
    uint32_t struct_size;
    char field[128]; /* JSON path into settings, e.g. "port"; empty when not about one field */
    char text[EXTCOMM_ERROR_TEXT_MAX];
} extcomm_error;

typedef struct extcomm_create_args {
    uint32_t struct_size;
    extcomm_str transport_name;  /* the operator's name for this instance, e.g. "smtp-main" */
    extcomm_str settings_json;   /* the validated `settings` object */
    const extcomm_host_services* host;
} extcomm_create_args;

typedef struct extcomm_instance extcomm_instance; /* opaque, plugin-owned */

/* Return codes of the table's functions. */
#define EXTCOMM_OK 0
#define EXTCOMM_ERR_INVALID_SETTINGS 1
#define EXTCOMM_ERR_INTERNAL 2
#define EXTCOMM_ERR_UNSUPPORTED 3

/* The plugin's function table [R4]. Static storage owned by the plugin. Optional entries may be NULL. */
typedef struct extcomm_transport_api {
    uint32_t struct_size;
    const extcomm_descriptor* descriptor;

    int32_t (*create)(const extcomm_create_args* args, extcomm_instance** out, extcomm_error* error);
    void (*destroy)(extcomm_instance* instance);

    /* EXTCOMM_SEND_SESSION: send `count` messages (count <= max_batch_size), fill `results[i]`. */
    int32_t (*send)(extcomm_instance* instance, const extcomm_message* messages, size_t count,
                    extcomm_result* results);

    /* EXTCOMM_SEND_HTTP_CODEC: turn messages into requests. Every message must end up in exactly one
     * emitted request or be settled. Must not block or do I/O. */
    int32_t (*encode)(extcomm_instance* instance, const extcomm_message* messages, size_t count,
                      const extcomm_encode_sink* sink);
    /* EXTCOMM_SEND_HTTP_CODEC: turn the response to `request` into one result per message it carried:
     * `messages` and `results` are in the order of request->message_indices. */
    int32_t (*decode)(extcomm_instance* instance, const extcomm_http_request* request,
                      const extcomm_message* messages, const extcomm_http_response* response,
                      extcomm_result* results);

    /* Optional: parse a provider webhook into updates. Returns the HTTP status the host should answer
     * (200 when understood, 400 when the body is not the provider's). */
    int32_t (*parse_webhook)(extcomm_instance* instance, const extcomm_webhook_request* request,
                             const extcomm_update_sink* sink);
} extcomm_transport_api;

/* Negotiation [R2]: the host says what it speaks; the plugin answers with one version and its table. */
typedef struct extcomm_negotiation {
    uint32_t struct_size;
    uint32_t host_min_version;
    uint32_t host_max_version;
    uint32_t chosen_version;             /* out */
    const extcomm_transport_api* api;    /* out */
} extcomm_negotiation;

/* The entry symbol's type. Returns EXTCOMM_OK, or EXTCOMM_ERR_UNSUPPORTED when no version fits. */
typedef int32_t (*extcomm_entry_fn)(extcomm_negotiation* negotiation);

#ifdef __cplusplus
}
#endif

#endif /* EXTCOMM_TRANSPORT_H */
