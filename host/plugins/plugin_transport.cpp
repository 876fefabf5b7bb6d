#include <plugins/plugin_transport.hpp>
#include <common/log_text.hpp>

#include <http/http_engine.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace extcomm::host {
namespace {

extcomm_str str(const std::string& s) { return extcomm_str{s.data(), s.size()}; }
std::string text(extcomm_str s) { return s.data ? std::string(s.data, s.size) : std::string(); }

void log_from_plugin(void* ctx, uint32_t level, extcomm_str message) {
    const auto* name = static_cast<const std::string*>(ctx);
    auto lvl = level >= EXTCOMM_LOG_ERROR ? spdlog::level::err
               : level == EXTCOMM_LOG_WARN ? spdlog::level::warn
               : level == EXTCOMM_LOG_INFO ? spdlog::level::info
                                           : spdlog::level::debug;
    spdlog::log(lvl, "transport {}: {}", *name, loggable(std::string_view(message.data ? message.data : "", message.size)));
}

extcomm_message c_message(const OutboundMessage& m) {
    extcomm_message c{};
    c.struct_size = sizeof c;
    c.channel = m.channel == Channel::email ? EXTCOMM_CHANNEL_EMAIL : EXTCOMM_CHANNEL_SMS;
    c.id = str(m.id);
    c.idempotency_key = str(m.idempotency_key);
    c.to = str(m.to);
    c.subject = str(m.subject);
    c.body = str(m.body);
    c.html_body = str(m.html_body);
    c.metadata_json = str(m.metadata_json);
    c.attempt = static_cast<uint32_t>(std::max(1, m.attempts));
    return c;
}

extcomm_result blank_result() {
    extcomm_result r{};
    r.struct_size = sizeof r;
    r.outcome = EXTCOMM_OUTCOME_INTERNAL;
    return r;
}

DeliveryResult result_of(const extcomm_result& r) {
    Outcome outcome = r.outcome <= EXTCOMM_OUTCOME_RESEND_ALONE ? static_cast<Outcome>(r.outcome) : Outcome::internal;
    auto bounded = [](const char* s, std::size_t cap) { return std::string(s, strnlen(s, cap)); };
    return DeliveryResult{outcome, bounded(r.provider_message_id, sizeof r.provider_message_id),
                          bounded(r.provider_code, sizeof r.provider_code),
                          bounded(r.provider_text, sizeof r.provider_text), r.retry_after_ms};
}

DeliveryResult internal(const std::string& why) { return {Outcome::internal, "", "internal", why, 0}; }

// A request the plugin emitted, copied so it outlives the plugin's call.
struct EncodedRequest {
    std::string method, url, body, context;
    std::vector<std::pair<std::string, std::string>> headers;
    std::vector<uint32_t> indices;
};

// What encode produced [R9]. Every message ends up in at most one request or settlement: a request that
// carries a message already carried or settled is refused (the plugin's encode then fails and nothing of
// the call is sent), and a second settlement of a message is ignored.
struct EncodeCollector {
    std::vector<EncodedRequest> requests;
    std::vector<std::pair<uint32_t, DeliveryResult>> settled;
    std::size_t count = 0;
    std::vector<bool> taken; // per message: carried or settled already

    static int32_t emit(void* ctx, const extcomm_http_request* r) {
        auto* self = static_cast<EncodeCollector*>(ctx);
        if (!r || (r->message_count && !r->message_indices)) return EXTCOMM_ERR_INTERNAL;
        EncodedRequest out{text(r->method), text(r->url), text(r->body), text(r->context), {}, {}};
        for (std::size_t i = 0; i < r->header_count; ++i)
            out.headers.emplace_back(text(r->headers[i].name), text(r->headers[i].value));
        for (std::size_t i = 0; i < r->message_count; ++i) {
            uint32_t index = r->message_indices[i];
            // A plugin bug, not ours to send: an unknown message, or one sent or settled already.
            if (index >= self->count || self->taken[index]) return EXTCOMM_ERR_INTERNAL;
            if (std::find(out.indices.begin(), out.indices.end(), index) != out.indices.end()) return EXTCOMM_ERR_INTERNAL;
            out.indices.push_back(index);
        }
        for (uint32_t index : out.indices) self->taken[index] = true;
        self->requests.push_back(std::move(out));
        return EXTCOMM_OK;
    }
    static void settle(void* ctx, uint32_t index, const extcomm_result* r) {
        auto* self = static_cast<EncodeCollector*>(ctx);
        if (!r || index >= self->count || self->taken[index]) return;
        self->taken[index] = true;
        self->settled.emplace_back(index, result_of(*r));
    }
};

std::optional<MessageState> state_of(extcomm_delivery_status status) {
    switch (status) {
    case EXTCOMM_STATUS_SENT: return MessageState::sent;
    case EXTCOMM_STATUS_DELIVERED: return MessageState::delivered;
    case EXTCOMM_STATUS_FAILED: return MessageState::failed;
    case EXTCOMM_STATUS_EXPIRED: return MessageState::expired;
    case EXTCOMM_STATUS_REJECTED: return MessageState::rejected;
    }
    return std::nullopt;
}

struct UpdateCollector {
    std::vector<PluginTransport::WebhookUpdate>* out;
    static void emit(void* ctx, const extcomm_status_update* u) {
        auto* self = static_cast<UpdateCollector*>(ctx);
        const bool reply = u->kind == EXTCOMM_UPDATE_REPLY;
        std::optional<MessageState> state;
        if (u->kind == EXTCOMM_UPDATE_STATUS) state = state_of(static_cast<extcomm_delivery_status>(u->status));
        self->out->push_back({reply, state, text(u->message_id), text(u->provider_message_id), text(u->provider_code),
                              text(u->provider_text), text(u->from), text(u->text), u->occurred_at_ms});
    }
};

// Connection trouble is the host's to judge, never the plugin's: always worth another try.
DeliveryResult result_of_failure(const HttpReply& reply) {
    return DeliveryResult{Outcome::retry, "", std::string("http-") + to_string(reply.failure), reply.error, 0};
}

} // namespace

PluginTransport::PluginTransport(std::string name, std::shared_ptr<const Plugin> plugin, HttpEngine* engine)
    : name_(std::move(name)), plugin_(std::move(plugin)), engine_(engine) {
    services_.struct_size = sizeof services_;
    services_.host_ctx = &name_;
    services_.log = &log_from_plugin;
}

PluginTransport::~PluginTransport() {
    for (extcomm_instance* instance : all_) {
        try {
            plugin_->api.destroy(instance);
        } catch (...) {
            // R12 forbids it; a destructor must not let it through either.
        }
    }
}

extcomm_instance* PluginTransport::new_instance(extcomm_error& error) {
    extcomm_create_args args{};
    args.struct_size = sizeof args;
    args.transport_name = str(name_);
    args.settings_json = str(settings_json_);
    args.host = &services_;
    error = extcomm_error{};
    error.struct_size = sizeof error;
    extcomm_instance* instance = nullptr;
    int32_t rc = EXTCOMM_ERR_INTERNAL;
    try {
        rc = plugin_->api.create(&args, &instance, &error);
    } catch (...) {
        // A plugin not built with the SDK let an exception out; it is refused all the same.
        std::snprintf(error.text, sizeof error.text, "create threw an exception");
    }
    if (rc != EXTCOMM_OK) return nullptr;
    if (instance) {
        std::lock_guard lock(instances_mutex_);
        all_.push_back(instance);
    }
    return instance;
}

PluginTransport::Borrowed PluginTransport::borrow() {
    std::unique_lock lock(instances_mutex_);
    if (idle_.empty()) {
        lock.unlock();
        extcomm_error error;
        if (extcomm_instance* fresh = new_instance(error)) return Borrowed(*this, fresh);
        // The plugin made the first instance but refuses another now: share the ones there are.
        spdlog::warn("transport {}: could not create another instance ({}); waiting for a free one", name_,
                     loggable(std::string_view(error.text, strnlen(error.text, sizeof error.text))));
        lock.lock();
        instance_returned_.wait(lock, [&] { return !idle_.empty(); });
    }
    extcomm_instance* instance = idle_.back();
    idle_.pop_back();
    return Borrowed(*this, instance);
}

void PluginTransport::give_back(extcomm_instance* instance) {
    {
        std::lock_guard lock(instances_mutex_);
        idle_.push_back(instance);
    }
    instance_returned_.notify_one();
}

std::string PluginTransport::first_instance(const TransportConfig& config) {
    settings_json_ = boost::json::serialize(config.settings);
    extcomm_error error;
    extcomm_instance* first = new_instance(error);
    if (first) {
        idle_.push_back(first);
        return {};
    }
    std::string field(error.field, strnlen(error.field, sizeof error.field));
    std::string why(error.text, strnlen(error.text, sizeof error.text));
    std::string where = field.empty() ? config.path : config.path + ".settings." + field;
    return where + ": plugin '" + plugin_->id + "' refused to create the transport: " +
           (why.empty() ? "no reason given" : why);
}

namespace {

HttpClientOptions client_options(const TransportConfig& config) {
    HttpClientOptions options;
    options.max_concurrency = config.http.max_concurrency;
    options.connect_timeout = config.http.connect_timeout;
    options.total_timeout = config.http.timeout;
    options.verify_tls = config.http.verify_tls;
    options.ca_file = config.http.ca_file;
    options.name = config.name;
    return options;
}

} // namespace

std::string PluginTransport::check(const TransportConfig& config, std::shared_ptr<const Plugin> plugin) {
    const bool codec = plugin->send_mode == EXTCOMM_SEND_HTTP_CODEC;
    PluginTransport t(config.name, std::move(plugin), nullptr);
    if (std::string refused = t.first_instance(config); !refused.empty()) return refused; // the instance goes with `t`
    if (std::string problem = codec ? client_options_problem(client_options(config)) : ""; !problem.empty())
        return config.path + ".http.ca_file: " + problem;
    return {};
}

TransportOrError PluginTransport::create(const TransportConfig& config, std::shared_ptr<const Plugin> plugin,
                                         HttpEngine* engine) {
    std::shared_ptr<PluginTransport> t(new PluginTransport(config.name, plugin, engine));
    if (std::string refused = t->first_instance(config); !refused.empty()) return {nullptr, refused};
    if (plugin->send_mode == EXTCOMM_SEND_HTTP_CODEC) {
        if (!engine) return {nullptr, config.path + ": HTTP-codec transport needs the host's HTTP engine"};
        try {
            t->http_client_ = engine->add_client(client_options(config));
        } catch (const std::exception& e) {
            return {nullptr, config.path + ".http.ca_file: " + e.what()};
        }
    }
    return {t, {}};
}

std::vector<DeliveryResult> PluginTransport::deliver(const std::vector<OutboundMessage>& messages) {
    if (messages.empty()) return {};
    return plugin_->send_mode == EXTCOMM_SEND_SESSION ? deliver_session(messages) : deliver_codec(messages, true);
}

std::vector<DeliveryResult> PluginTransport::deliver_session(const std::vector<OutboundMessage>& messages) {
    std::vector<extcomm_message> in;
    in.reserve(messages.size());
    for (const auto& m : messages) in.push_back(c_message(m));
    std::vector<extcomm_result> out(messages.size(), blank_result());
    try {
        auto instance = borrow();
        plugin_->api.send(instance.get(), in.data(), in.size(), out.data());
    } catch (...) {
        return std::vector<DeliveryResult>(messages.size(), internal("send threw an exception"));
    }
    std::vector<DeliveryResult> results;
    results.reserve(out.size());
    for (const auto& r : out) results.push_back(result_of(r));
    return results;
}

std::vector<DeliveryResult> PluginTransport::deliver_codec(const std::vector<OutboundMessage>& messages,
                                                           bool may_split) {
    std::vector<extcomm_message> in;
    in.reserve(messages.size());
    for (const auto& m : messages) in.push_back(c_message(m));

    EncodeCollector collector;
    collector.count = messages.size();
    collector.taken.assign(messages.size(), false);
    extcomm_encode_sink sink{sizeof(extcomm_encode_sink), &collector, &EncodeCollector::emit, &EncodeCollector::settle};
    int32_t rc = EXTCOMM_ERR_INTERNAL;
    try {
        auto instance = borrow();
        rc = plugin_->api.encode(instance.get(), in.data(), in.size(), &sink);
    } catch (...) {
    }
    std::vector<DeliveryResult> results(messages.size(), internal("the plugin neither sent nor settled this message"));
    if (rc != EXTCOMM_OK) return std::vector<DeliveryResult>(messages.size(), internal("encode failed"));
    for (auto& [index, result] : collector.settled) results[index] = std::move(result);

    std::vector<HttpCall> calls;
    calls.reserve(collector.requests.size());
    for (const auto& r : collector.requests) calls.push_back(HttpCall{r.method, r.url, r.headers, r.body});
    std::vector<HttpReply> replies = engine_->perform(http_client_, std::move(calls));

    std::vector<std::size_t> resend_alone;
    for (std::size_t k = 0; k < collector.requests.size(); ++k) {
        const EncodedRequest& req = collector.requests[k];
        const HttpReply& reply = replies[k];
        if (reply.failure != HttpFailure::none) {
            for (uint32_t i : req.indices) results[i] = result_of_failure(reply);
            continue;
        }
        std::vector<extcomm_header> req_headers, resp_headers;
        for (const auto& [n, v] : req.headers) req_headers.push_back({str(n), str(v)});
        for (const auto& [n, v] : reply.headers) resp_headers.push_back({str(n), str(v)});
        extcomm_http_request c_req{sizeof(extcomm_http_request), str(req.method), str(req.url), req_headers.data(),
                                   req_headers.size(), str(req.body), req.indices.data(), req.indices.size(),
                                   str(req.context)};
        extcomm_http_response c_resp{sizeof(extcomm_http_response), static_cast<int32_t>(reply.status),
                                     resp_headers.data(), resp_headers.size(), str(reply.body)};
        std::vector<extcomm_message> carried;
        for (uint32_t i : req.indices) carried.push_back(in[i]);
        std::vector<extcomm_result> out(req.indices.size(), blank_result());
        try {
            auto instance = borrow();
            plugin_->api.decode(instance.get(), &c_req, carried.data(), &c_resp, out.data());
        } catch (...) {
            out.assign(req.indices.size(), blank_result());
        }
        for (std::size_t j = 0; j < req.indices.size(); ++j) {
            results[req.indices[j]] = result_of(out[j]);
            if (results[req.indices[j]].outcome == Outcome::resend_alone) resend_alone.push_back(req.indices[j]);
        }
    }
    // The provider refused a batch because of one message (MessageMedia is all-or-nothing): each
    // innocent message goes again on its own; alone, a refusal is the message's own.
    for (std::size_t i : resend_alone) {
        if (may_split && messages.size() > 1) {
            results[i] = deliver_codec({messages[i]}, false).front();
        } else {
            results[i].outcome = Outcome::rejected;
        }
    }
    return results;
}

bool PluginTransport::takes_webhooks() const {
    constexpr std::uint32_t kInbound = EXTCOMM_CAP_DELIVERY_RECEIPTS | EXTCOMM_CAP_REPLIES;
    return plugin_->api.parse_webhook && (plugin_->capabilities.flags & kInbound);
}

int PluginTransport::parse_webhook(const WebhookCall& call, std::vector<WebhookUpdate>& updates) {
    if (!plugin_->api.parse_webhook) return 404;
    std::vector<extcomm_header> headers;
    for (const auto& [name, value] : call.headers) headers.push_back(extcomm_header{str(name), str(value)});
    const extcomm_webhook_request request{sizeof(extcomm_webhook_request), str(call.method), str(call.path),
                                          str(call.query), headers.empty() ? nullptr : headers.data(),
                                          headers.size(), str(call.body)};
    UpdateCollector collector{&updates};
    extcomm_update_sink sink{sizeof(extcomm_update_sink), &collector, &UpdateCollector::emit};
    try {
        auto instance = borrow();
        return plugin_->api.parse_webhook(instance.get(), &request, &sink);
    } catch (...) {
        return 500;
    }
}

} // namespace extcomm::host
