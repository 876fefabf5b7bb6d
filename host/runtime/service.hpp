#pragma once
// The running service, everything `extcomm serve` starts. Members are declared in the order they are built,
// each after what it uses (store, plugins, transports, settings, outbox, people, senders, dispatcher,
// receipts, schedules, confirmations, API), so destruction runs in reverse and nothing outlives its parts.
// The API, the dispatcher and the ticks run between start() and stop(); stop() ends them in the order that
// loses nothing.
#include <sending/pipeline.hpp>
#include <agency/people_store.hpp>
#include <agency/settings_store.hpp>
#include <agency/staff_messages.hpp>
#include <authentication/verification_codes.hpp>
#include <api/api_context.hpp>
#include <api/api_server.hpp>
#include <common/clock.hpp>
#include <common/periodic.hpp>
#include <config/config.hpp>
#include <delivery/dispatcher.hpp>
#include <delivery/error_notices.hpp>
#include <delivery/stored_pauses.hpp>
#include <discussions/discussions.hpp>
#include <events/confirm_replies.hpp>
#include <events/confirm_token.hpp>
#include <events/confirmations.hpp>
#include <events/scheduler.hpp>
#include <events/service_events.hpp>
#include <triggers/records.hpp>
#include <triggers/rule_store.hpp>
#include <triggers/tasks.hpp>
#include <triggers/time_rules.hpp>
#include <http/http_engine.hpp>
#include <metrics/metrics.hpp>
#include <outbox/outbox.hpp>
#include <outbox/receipts.hpp>
#include <plugins/catalog.hpp>
#include <runtime/store_lock.hpp>
#include <runtime/transport_set.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <string>

namespace extcomm::host {

class Service {
public:
    // Loads the configuration and builds every part. nullptr when the service cannot run, the reason logged.
    static std::unique_ptr<Service> open(const std::string& config_file);
    ~Service();
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    // Listens, then delivers and ticks. False, the reason logged, when the API cannot listen.
    bool start();
    // No new requests; the scheduler finishes its batch; the ticks stop; deliveries in flight finish.
    void stop();

    const Config& config() const { return *config_; }
    std::uint16_t port() const { return api_->port(); }
    std::size_t transport_count() const { return transports_.transports.size(); }

private:
    Service() = default;
    bool open_store();
    void load_transports();
    bool open_settings();
    void open_people();
    bool open_delivery();
    void open_schedules();
    void purge_due();
    bool open_confirmations();
    bool open_verification_codes();

    std::optional<Config> config_;
    SystemClock clock_;
    std::optional<StoreLock> store_lock_;
    std::unique_ptr<Database> db_;
    PluginCatalog catalog_;
    std::unique_ptr<HttpEngine> engine_;
    TransportSet transports_;
    std::unique_ptr<agency::SettingsStore> settings_;
    std::unique_ptr<Outbox> outbox_;
    std::unique_ptr<agency::PeopleStore> people_;
    std::unique_ptr<sending::Pipeline> pipeline_;
    std::unique_ptr<agency::StaffMessages> staff_messages_;
    Metrics metrics_;
    std::unique_ptr<ErrorNotices> notices_; // none without error_notices.transport
    std::unique_ptr<StoredPauses> pauses_;
    std::unique_ptr<Dispatcher> dispatcher_;
    std::unique_ptr<Receipts> receipts_;
    std::unique_ptr<Periodic> background_; // late receipts, error-notice digests, settings from other hosts
    std::unique_ptr<events::ServiceEvents> service_events_;
    std::unique_ptr<triggers::RuleStore> rules_; // action trigger rules
    std::unique_ptr<triggers::Firing> firing_;   // and their evaluation on a change
    std::unique_ptr<triggers::Records> records_; // records, document templates; action triggers fire on their changes
    std::unique_ptr<triggers::Tasks> tasks_;     // workflow tasks (/v1/tasks)
    std::unique_ptr<events::Scheduler> scheduler_;
    std::unique_ptr<triggers::TimeRules> time_rules_; // time-based action triggers' rows, claimed on the scheduler's tick
    std::atomic<bool> stopping_{false};
    std::unique_ptr<Retention> retention_; // runs on the scheduler's tick
    TimeMs next_purge_ms_ = 0;
    std::unique_ptr<Periodic> scheduling_;
    std::unique_ptr<events::ConfirmTokens> confirm_tokens_;
    std::unique_ptr<events::Confirmations> confirmations_;
    std::unique_ptr<events::ConfirmReplies> confirm_replies_;
    std::unique_ptr<authentication::VerificationCodes> verification_codes_;
    std::unique_ptr<discussions::Discussions> discussions_; // links signed like confirm links
    std::unique_ptr<ApiContext> context_;
    std::unique_ptr<ApiServer> api_;
};

} // namespace extcomm::host
