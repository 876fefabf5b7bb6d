// extcomm transport SDK: a header-only C++17 layer over transport.h.
//
// A transport derives from extcomm::sdk::Transport, provides a static `describe()` and a constructor
// taking (const CreateContext&), and exports itself with EXTCOMM_TRANSPORT(ClassName). The shims below
// are the only code that crosses the C boundary; they catch every exception (rule R12).
#ifndef EXTCOMM_SDK_HPP
#define EXTCOMM_SDK_HPP

#include <extcomm/transport.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace extcomm::sdk {

inline std::string_view view(extcomm_str s) { return s.data ? std::string_view(s.data, s.size) : std::string_view(); }
inline extcomm_str str(std::string_view s) { return extcomm_str{s.data(), s.size()}; }

enum class Channel : uint32_t { email = EXTCOMM_CHANNEL_EMAIL, sms = EXTCOMM_CHANNEL_SMS };

enum class Outcome : uint32_t {
    accepted = EXTCOMM_OUTCOME_ACCEPTED,
    retry = EXTCOMM_OUTCOME_RETRY,
    rejected = EXTCOMM_OUTCOME_REJECTED,
    transport_failure = EXTCOMM_OUTCOME_TRANSPORT_FAILURE,
    internal = EXTCOMM_OUTCOME_INTERNAL,
    resend_alone = EXTCOMM_OUTCOME_RESEND_ALONE,
};

// A read-only view of one message; valid for the duration of the call.
struct Message {
    Channel channel;
    std::string_view id, idempotency_key, to, subject, body, html_body, metadata_json;
    uint32_t attempt;

    static Message from(const extcomm_message& m) {
        return Message{static_cast<Channel>(m.channel), view(m.id), view(m.idempotency_key), view(m.to),
                       view(m.subject), view(m.body), view(m.html_body), view(m.metadata_json), m.attempt};
    }
};

struct Result {
    Outcome outcome = Outcome::internal;
    std::string provider_message_id, provider_code, provider_text;
    uint32_t retry_after_ms = 0;

    static Result accepted(std::string provider_id, std::string code = {}, std::string text = {}) {
        return {Outcome::accepted, std::move(provider_id), std::move(code), std::move(text), 0};
    }
    static Result retry(std::string code, std::string text, uint32_t after_ms = 0) {
        return {Outcome::retry, {}, std::move(code), std::move(text), after_ms};
    }
    static Result rejected(std::string code, std::string text) {
        return {Outcome::rejected, {}, std::move(code), std::move(text), 0};
    }
    static Result transport_failure(std::string code, std::string text) {
        return {Outcome::transport_failure, {}, std::move(code), std::move(text), 0};
    }
    static Result resend_alone(std::string code, std::string text) {
        return {Outcome::resend_alone, {}, std::move(code), std::move(text), 0};
    }
    static Result internal(std::string text) { return {Outcome::internal, {}, "internal", std::move(text), 0}; }
};

struct Header {
    std::string name, value;
};

inline std::string_view find_header(const std::vector<Header>& headers, std::string_view name) {
    for (const auto& h : headers) {
        if (h.name.size() == name.size() &&
            std::equal(h.name.begin(), h.name.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            }))
            return h.value;
    }
    return {};
}

struct HttpRequest {
    std::string method = "POST";
    std::string url;
    std::vector<Header> headers;
    std::string body;
    std::vector<uint32_t> message_indices; // into the messages given to encode
    std::string context;                   // opaque to the host, handed back to decode
};

struct HttpResponse {
    int status = 0;
    std::vector<Header> headers;
    std::string body;
    std::string_view header(std::string_view name) const { return find_header(headers, name); }
};

// What encode produces: requests, and messages settled without a request (e.g. an invalid number).
struct Encoded {
    std::vector<HttpRequest> requests;
    std::vector<std::pair<uint32_t, Result>> settled;
};

struct WebhookRequest {
    std::string_view method, path, query, body;
    std::vector<Header> headers;
    std::string_view header(std::string_view name) const { return find_header(headers, name); }
};

struct StatusUpdate {
    extcomm_update_kind kind = EXTCOMM_UPDATE_STATUS;
    extcomm_delivery_status status = EXTCOMM_STATUS_SENT;
    std::string message_id, provider_message_id, provider_code, provider_text;
    int64_t occurred_at_ms = 0;
    std::string from, text; // replies
};

struct WebhookResult {
    int http_status = 200;
    std::vector<StatusUpdate> updates;
};

// Thrown from a constructor when settings are unusable; `field` is the JSON path inside settings.
struct SettingsError : std::runtime_error {
    std::string field;
    SettingsError(std::string field_, const std::string& what) : std::runtime_error(what), field(std::move(field_)) {}
};

enum class LogLevel : uint32_t { debug = EXTCOMM_LOG_DEBUG, info = EXTCOMM_LOG_INFO, warn = EXTCOMM_LOG_WARN, error = EXTCOMM_LOG_ERROR };

// The host's services as a plugin sees them.
class Host {
public:
    explicit Host(const extcomm_host_services* services) : services_(services) {}
    void log(LogLevel level, std::string_view text) const {
        if (services_ && services_->log) services_->log(services_->host_ctx, static_cast<uint32_t>(level), str(text));
    }

private:
    const extcomm_host_services* services_;
};

struct CreateContext {
    std::string_view transport_name;
    std::string_view settings_json;
    Host host;
};

// Base class of a transport. Override `send` (session transports) or `encode` + `decode` (HTTP codec
// transports), and optionally `parse_webhook`.
class Transport {
public:
    explicit Transport(const CreateContext& context) : host_(context.host), name_(context.transport_name) {}
    virtual ~Transport() = default;
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

    virtual std::vector<Result> send(const std::vector<Message>& messages) {
        return std::vector<Result>(messages.size(), Result::internal("this transport does not implement send"));
    }
    virtual Encoded encode(const std::vector<Message>& messages) {
        Encoded out;
        for (uint32_t i = 0; i < messages.size(); ++i)
            out.settled.emplace_back(i, Result::internal("this transport does not implement encode"));
        return out;
    }
    // `messages` are those the request carried, in request order; return one result for each.
    virtual std::vector<Result> decode(const HttpRequest& request, const std::vector<Message>& messages,
                                       const HttpResponse& response) {
        (void)request, (void)response;
        return std::vector<Result>(messages.size(), Result::internal("this transport does not implement decode"));
    }
    virtual WebhookResult parse_webhook(const WebhookRequest& request) {
        (void)request;
        return WebhookResult{404, {}};
    }

protected:
    const Host& host() const { return host_; }
    const std::string& transport_name() const { return name_; }

private:
    Host host_;
    std::string name_;
};

// Plain data describing a transport; turned into the C descriptor by the export macro.
struct Descriptor {
    const char* id;
    const char* name;
    const char* vendor;
    const char* version;
    uint32_t channels;
    extcomm_send_mode send_mode;
    uint32_t capability_flags;
    uint32_t max_batch_size;
    uint32_t max_body_length;
    const char* settings_schema;
    const char* description;
};

namespace detail {

inline void copy_to(char* dst, size_t cap, std::string_view src) {
    size_t n = std::min(cap - 1, src.size());
    std::memcpy(dst, src.data(), n);
    dst[n] = '\0';
}

inline void fill(extcomm_result& out, const Result& in) {
    out.outcome = static_cast<uint32_t>(in.outcome);
    out.retry_after_ms = in.retry_after_ms;
    copy_to(out.provider_message_id, sizeof out.provider_message_id, in.provider_message_id);
    copy_to(out.provider_code, sizeof out.provider_code, in.provider_code);
    copy_to(out.provider_text, sizeof out.provider_text, in.provider_text);
}


inline std::vector<Message> messages_of(const extcomm_message* messages, size_t count) {
    std::vector<Message> out;
    out.reserve(count);
    for (size_t i = 0; i < count; ++i) out.push_back(Message::from(messages[i]));
    return out;
}

inline std::vector<Header> headers_of(const extcomm_header* headers, size_t count) {
    std::vector<Header> out;
    out.reserve(count);
    for (size_t i = 0; i < count; ++i) out.push_back({std::string(view(headers[i].name)), std::string(view(headers[i].value))});
    return out;
}

inline std::string what_of(std::exception_ptr e) {
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        return std::string("plugin threw: ") + ex.what();
    } catch (...) {
        return "plugin threw a non-standard exception";
    }
}

// One C result per message from what send or decode returned; a short answer settles the rest as internal.
inline int32_t fill_results(extcomm_result* results, size_t count, const std::vector<Result>& out) {
    for (size_t i = 0; i < count; ++i)
        fill(results[i], i < out.size() ? out[i] : Result::internal("plugin returned too few results"));
    return EXTCOMM_OK;
}

// Inside a catch: every message of the call settled as internal, with what was thrown.
inline int32_t fail_results(extcomm_result* results, size_t count) {
    std::string why = what_of(std::current_exception());
    for (size_t i = 0; i < count; ++i) fill(results[i], Result::internal(why));
    return EXTCOMM_ERR_INTERNAL;
}

// The C shims for transport type T. Every entry catches everything: nothing unwinds into the host.
template <class T>
struct Shims {
    static Transport* self(extcomm_instance* i) { return reinterpret_cast<Transport*>(i); }

    static int32_t create(const extcomm_create_args* args, extcomm_instance** out, extcomm_error* error) {
        try {
            CreateContext context{view(args->transport_name), view(args->settings_json), Host(args->host)};
            Transport* t = new T(context);
            *out = reinterpret_cast<extcomm_instance*>(t);
            return EXTCOMM_OK;
        } catch (const SettingsError& e) {
            copy_to(error->field, sizeof error->field, e.field);
            copy_to(error->text, sizeof error->text, e.what());
            return EXTCOMM_ERR_INVALID_SETTINGS;
        } catch (...) {
            copy_to(error->text, sizeof error->text, what_of(std::current_exception()));
            return EXTCOMM_ERR_INTERNAL;
        }
    }

    static void destroy(extcomm_instance* instance) {
        try {
            delete self(instance);
        } catch (...) {
        }
    }

    static int32_t send(extcomm_instance* instance, const extcomm_message* messages, size_t count,
                        extcomm_result* results) {
        try {
            return fill_results(results, count, self(instance)->send(messages_of(messages, count)));
        } catch (...) {
            return fail_results(results, count);
        }
    }

    static int32_t encode(extcomm_instance* instance, const extcomm_message* messages, size_t count,
                          const extcomm_encode_sink* sink) {
        try {
            Encoded encoded = self(instance)->encode(messages_of(messages, count));
            for (auto& [index, result] : encoded.settled) {
                extcomm_result r{};
                r.struct_size = sizeof r;
                fill(r, result);
                sink->settle(sink->host_ctx, index, &r);
            }
            for (const HttpRequest& req : encoded.requests) {
                std::vector<extcomm_header> headers;
                for (const auto& h : req.headers) headers.push_back({str(h.name), str(h.value)});
                extcomm_http_request c{};
                c.struct_size = sizeof c;
                c.method = str(req.method);
                c.url = str(req.url);
                c.headers = headers.data();
                c.header_count = headers.size();
                c.body = str(req.body);
                c.message_indices = req.message_indices.data();
                c.message_count = req.message_indices.size();
                c.context = str(req.context);
                if (sink->emit_request(sink->host_ctx, &c) != EXTCOMM_OK) return EXTCOMM_ERR_INTERNAL;
            }
            return EXTCOMM_OK;
        } catch (...) {
            return EXTCOMM_ERR_INTERNAL; // the host settles every message of the call as internal
        }
    }

    static int32_t decode(extcomm_instance* instance, const extcomm_http_request* request,
                          const extcomm_message* messages, const extcomm_http_response* response,
                          extcomm_result* results) {
        size_t count = request->message_count;
        try {
            HttpRequest req;
            req.method = std::string(view(request->method));
            req.url = std::string(view(request->url));
            req.headers = headers_of(request->headers, request->header_count);
            req.body = std::string(view(request->body));
            req.message_indices.assign(request->message_indices, request->message_indices + count);
            req.context = std::string(view(request->context));
            HttpResponse resp{response->status, headers_of(response->headers, response->header_count),
                              std::string(view(response->body))};
            return fill_results(results, count, self(instance)->decode(req, messages_of(messages, count), resp));
        } catch (...) {
            return fail_results(results, count);
        }
    }

    static int32_t parse_webhook(extcomm_instance* instance, const extcomm_webhook_request* request,
                                 const extcomm_update_sink* sink) {
        try {
            WebhookRequest req{view(request->method), view(request->path), view(request->query), view(request->body),
                               headers_of(request->headers, request->header_count)};
            WebhookResult result = self(instance)->parse_webhook(req);
            for (const StatusUpdate& u : result.updates) {
                extcomm_status_update c{};
                c.struct_size = sizeof c;
                c.kind = u.kind;
                c.status = u.status;
                c.message_id = str(u.message_id);
                c.provider_message_id = str(u.provider_message_id);
                c.provider_code = str(u.provider_code);
                c.provider_text = str(u.provider_text);
                c.occurred_at_ms = u.occurred_at_ms;
                c.from = str(u.from);
                c.text = str(u.text);
                sink->emit_update(sink->host_ctx, &c);
            }
            return result.http_status;
        } catch (...) {
            return 500;
        }
    }
};

template <class T>
struct Registration {
    static const Descriptor& described() {
        static const Descriptor d = T::describe();
        return d;
    }
    static const extcomm_capabilities* capabilities() {
        static const extcomm_capabilities c{sizeof(extcomm_capabilities), described().capability_flags,
                                            described().max_batch_size, described().max_body_length};
        return &c;
    }
    static const extcomm_descriptor* descriptor() {
        const Descriptor& d = described();
        static const extcomm_descriptor c{sizeof(extcomm_descriptor), d.id, d.name, d.vendor, d.version,
                                          d.channels, static_cast<uint32_t>(d.send_mode), capabilities(),
                                          d.settings_schema, d.description};
        return &c;
    }
    static const extcomm_transport_api* api() {
        static const extcomm_transport_api a{
            sizeof(extcomm_transport_api), descriptor(), &Shims<T>::create, &Shims<T>::destroy,
            described().send_mode == EXTCOMM_SEND_SESSION ? &Shims<T>::send : nullptr,
            described().send_mode == EXTCOMM_SEND_HTTP_CODEC ? &Shims<T>::encode : nullptr,
            described().send_mode == EXTCOMM_SEND_HTTP_CODEC ? &Shims<T>::decode : nullptr,
            &Shims<T>::parse_webhook};
        return &a;
    }
    static int32_t entry(extcomm_negotiation* n) {
        try {
            if (!n || n->struct_size < sizeof(extcomm_negotiation)) return EXTCOMM_ERR_UNSUPPORTED;
            if (n->host_max_version < EXTCOMM_INTERFACE_VERSION || n->host_min_version > EXTCOMM_INTERFACE_VERSION)
                return EXTCOMM_ERR_UNSUPPORTED;
            n->chosen_version = EXTCOMM_INTERFACE_VERSION;
            n->api = api();
            return EXTCOMM_OK;
        } catch (...) {
            return EXTCOMM_ERR_INTERNAL;
        }
    }
};

} // namespace detail
} // namespace extcomm::sdk

// Export transport class T from this shared object. Use exactly once per .so.
#define EXTCOMM_TRANSPORT(T)                                                                             \
    extern "C" EXTCOMM_EXPORT int32_t extcomm_transport_entry(extcomm_negotiation* negotiation) {         \
        return ::extcomm::sdk::detail::Registration<T>::entry(negotiation);                               \
    }

#endif // EXTCOMM_SDK_HPP
