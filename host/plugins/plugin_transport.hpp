#pragma once
// A configured transport: a loaded plugin with its settings, adapted to the delivery engine. Session
// plugins send on the calling worker thread; HTTP-codec plugins encode, the host's HTTP engine performs
// the requests, and the plugin decodes the answers. No plugin instance is ever called from two threads
// at once (R4): concurrent batches each borrow an instance of their own, made on demand.
#include <config/config.hpp>
#include <delivery/transport.hpp>
#include <plugins/catalog.hpp>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace extcomm::host {

class HttpEngine;

// The outcome of creating a transport: a transport or the reason there is none.
struct TransportOrError;

class PluginTransport final : public extcomm::Transport {
public:
    ~PluginTransport() override;

    // Creates the plugin instance for `config` (settings must already have passed the plugin's schema).
    // `engine` is required for HTTP-codec plugins.
    static TransportOrError create(const TransportConfig& config, std::shared_ptr<const Plugin> plugin,
                                   HttpEngine* engine);
    // The plugin's own checks of `config` (it creates an instance and destroys it, as `create` would start
    // it): the reason `create` would give, or "". For check-config, which must refuse what serve refuses.
    static std::string check(const TransportConfig& config, std::shared_ptr<const Plugin> plugin);

    const std::string& name() const override { return name_; }
    unsigned max_batch() const override { return plugin_->capabilities.max_batch_size; }
    const Plugin& plugin() const { return *plugin_; }
    std::vector<DeliveryResult> deliver(const std::vector<OutboundMessage>& messages) override;

    // Whether the plugin parses webhooks and reports delivery receipts or replies through them.
    bool takes_webhooks() const;
    // A provider's webhook call as the API received it (the query without the host's secret).
    struct WebhookCall {
        std::string method, path, query;
        std::vector<std::pair<std::string, std::string>> headers;
        std::string body;
    };
    // What the plugin found: a reply, or a delivery state (none when its status means nothing to the host).
    struct WebhookUpdate {
        bool reply = false;
        std::optional<MessageState> state;
        std::string message_id, provider_message_id, provider_code, provider_text, from, text;
        std::int64_t occurred_at_ms = 0;
    };
    // Hands a provider's webhook call to the plugin. Returns the HTTP status to answer and the updates.
    int parse_webhook(const WebhookCall& call, std::vector<WebhookUpdate>& updates);

private:
    PluginTransport(std::string name, std::shared_ptr<const Plugin> plugin, HttpEngine* engine);
    std::vector<DeliveryResult> deliver_session(const std::vector<OutboundMessage>& messages);
    std::vector<DeliveryResult> deliver_codec(const std::vector<OutboundMessage>& messages, bool may_split);

    // An instance borrowed for one call; given back when the borrow ends.
    class Borrowed {
    public:
        Borrowed(PluginTransport& owner, extcomm_instance* instance) : owner_(owner), instance_(instance) {}
        ~Borrowed() { owner_.give_back(instance_); }
        Borrowed(const Borrowed&) = delete;
        Borrowed& operator=(const Borrowed&) = delete;
        extcomm_instance* get() const { return instance_; }

    private:
        PluginTransport& owner_;
        extcomm_instance* instance_;
    };
    Borrowed borrow();
    void give_back(extcomm_instance* instance);
    // Asks the plugin for one more instance; fills `error` and returns nullptr when it refuses.
    extcomm_instance* new_instance(extcomm_error& error);
    // The first instance, kept idle: "" or why the plugin refused it, naming the setting.
    std::string first_instance(const TransportConfig& config);

    std::string name_;
    std::shared_ptr<const Plugin> plugin_; // pins the library for as long as any instance lives
    std::string settings_json_;
    std::mutex instances_mutex_;
    std::condition_variable instance_returned_;
    std::vector<extcomm_instance*> idle_, all_;
    extcomm_host_services services_{};
    HttpEngine* engine_ = nullptr;
    std::uint32_t http_client_ = 0;
};

struct TransportOrError {
    std::shared_ptr<PluginTransport> transport;
    std::string error; // "transports[1].settings.spool: cannot create ..."
};

} // namespace extcomm::host
