#include <runtime/service.hpp>
#include <common/log_text.hpp>

#include <api/client_task_page.hpp>
#include <api/confirm_links_api.hpp>
#include <api/discussion_page.hpp>
#include <api/settings_api.hpp>
#include <events/confirmation_store.hpp>
#include <store/stored_key.hpp>

#include <Poco/SHA2Engine.h>
#include <Poco/UUIDGenerator.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace extcomm::host {
namespace {

TransportPolicy policy_of(const Config& config, const TransportConfig& t) {
    TransportPolicy policy;
    policy.concurrency = t.delivery.concurrency;
    policy.rate_per_second = t.delivery.rate_per_second;
    policy.retry.max_attempts = t.delivery.max_attempts > 0 ? t.delivery.max_attempts : config.delivery.max_attempts;
    policy.retry.base_delay_ms = config.delivery.retry_base_ms;
    policy.retry.max_delay_ms = std::max(config.delivery.retry_max_ms, config.delivery.retry_base_ms);
    policy.breaker.failure_threshold = t.delivery.breaker_failures;
    policy.breaker.open_ms = t.delivery.breaker_open_seconds * 1000;
    policy.breaker.max_open_ms = t.delivery.breaker_max_open_seconds * 1000;
    for (const auto& [kind, budget] : t.delivery.kinds)
        if (budget.max_attempts > 0) policy.retry.max_attempts_by_kind[kind] = budget.max_attempts;
    return policy;
}

// A digest of what makes a transport work: when it changes, a remembered pause is lifted.
std::string settings_fingerprint(const TransportConfig& t) {
    Poco::SHA2Engine sha256;
    sha256.update(t.plugin + "\n" + boost::json::serialize(t.settings));
    return Poco::DigestEngine::digestToHex(sha256.digest());
}

} // namespace

std::unique_ptr<Service> Service::open(const std::string& config_file) {
    ConfigResult loaded = load_config(config_file);
    for (const auto& p : loaded.problems) spdlog::error("configuration: {}", loggable(p.text()));
    for (const auto& w : loaded.warnings) spdlog::warn("configuration: {}", loggable(w.text()));
    if (!loaded.config) return nullptr;
    std::unique_ptr<Service> service(new Service());
    service->config_ = std::move(loaded.config);
    if (!service->open_store()) return nullptr;
    service->load_transports();
    if (!service->open_settings()) return nullptr;
    service->open_people();
    if (!service->open_delivery()) return nullptr;
    service->open_schedules();
    if (!service->open_confirmations()) return nullptr;
    if (!service->open_verification_codes()) return nullptr;
    service->context_ = std::make_unique<ApiContext>(ApiContext{
        *service->config_, *service->outbox_, service->transports_, *service->dispatcher_, service->metrics_,
        *service->receipts_, *service->settings_, *service->people_, service->pipeline_->log(), *service->staff_messages_,
        *service->service_events_, *service->confirmations_, *service->confirm_tokens_, *service->records_,
        *service->rules_, *service->tasks_, *service->verification_codes_, *service->discussions_});
    service->api_ = std::make_unique<ApiServer>(*service->context_);
    return service;
}

Service::~Service() = default;

bool Service::open_store() {
    try {
        if (config_->store.driver == "sqlite") store_lock_.emplace(config_->store.path);
        db_ = std::make_unique<Database>(config_->store);
        return true;
    } catch (const std::exception& e) {
        spdlog::error("store: {}", e.what());
        return false;
    }
}

void Service::load_transports() {
    catalog_ = load_plugins(config_->plugin_dir);
    for (const auto& p : catalog_.plugins)
        spdlog::info("plugin {} {} loaded from {}", p->id, loggable(p->version), loggable(p->file.string()));
    for (const auto& r : catalog_.refused) spdlog::warn("plugin {} refused: {}", loggable(r.file.string()), loggable(r.reason));
    engine_ = std::make_unique<HttpEngine>();
    transports_ = create_transports(*config_, catalog_, engine_.get());
    for (const auto& p : transports_.problems) spdlog::error("transport left out: {}", loggable(p.text()));
    for (const auto& t : transports_.transports) spdlog::info("transport {} ready (plugin {})", t->name(), t->plugin().id);
}

// The agency's settings: the store's, or on first start the configuration's `agency` object.
bool Service::open_settings() {
    const Config& config = *config_;
    try {
        settings_ = std::make_unique<agency::SettingsStore>(*db_, clock_);
        auto seeded = settings_->seed(config.agency.is_null() ? boost::json::value(boost::json::object{}) : config.agency,
                                      settings_check(*config_, transports_));
        if (auto* error = std::get_if<FieldError>(&seeded)) {
            spdlog::error("configuration: {}: {}", error->field, error->reason);
            return false;
        }
        if (std::get<bool>(seeded)) spdlog::info("agency settings stored from the configuration (first start)");
        else if (!config.agency.is_null())
            spdlog::info("agency settings: the store's are used (edit them through /v1/settings); the configuration's "
                         "`agency` object only seeds a store that has none");
        return true;
    } catch (const std::exception& e) {
        spdlog::error("store: {}", e.what());
        return false;
    }
}

// The outbox; people and the messages they send (decisions and outbox rows commit together).
void Service::open_people() {
    OutboxOptions outbox_options;
    outbox_options.default_max_age_ms = config_->delivery.max_age_seconds * 1000;
    outbox_options.lease_ms = config_->delivery.lease_seconds * 1000;
    outbox_ = std::make_unique<Outbox>(*db_, clock_, outbox_options);
    // The embedded store is this process's alone (the lock file says so): whatever a previous run had
    // claimed and not settled died with it, and goes out again now.
    if (store_lock_) outbox_->release_all();
    people_ = std::make_unique<agency::PeopleStore>(*db_, clock_);
    // Every sender hands its intents to the one sending pipeline (decide, render, enqueue, log).
    pipeline_ = std::make_unique<sending::Pipeline>(
        *db_, *outbox_, [&config = *config_](const std::string& transport, const std::string& kind) -> TimeMs {
            return config.max_age_seconds(transport, kind) * 1000;
        });
    staff_messages_ = std::make_unique<agency::StaffMessages>(*pipeline_, *people_, clock_);
}

// Error notices, the dispatcher and its transports, receipts and the background tick.
bool Service::open_delivery() {
    const Config& config = *config_;
    // Error notices: permanent failures and paused transports, one digest per interval.
    if (!config.error_notices.transport.empty()) {
        auto mail = transports_.find(config.error_notices.transport);
        if (!mail || !mail->plugin().carries(Channel::email)) {
            spdlog::error("configuration: error_notices.transport: '{}' is not a working email transport",
                          config.error_notices.transport);
            return false;
        }
        ErrorNoticeOptions notice_options;
        notice_options.recipients = config.error_notices.recipients;
        // The members of the agency's error-notice worker category, as they are when a digest is due.
        notice_options.category_members = [this] {
            std::string category = settings_->current()->settings.general.error_notice_category;
            return category.empty() ? std::vector<agency::Worker>{} : people_->members_of(category);
        };
        notice_options.settings = [this] { return settings_->current(); };
        notice_options.transport = config.error_notices.transport;
        notice_options.interval_ms = config.error_notices.interval_seconds * 1000;
        notices_ = std::make_unique<ErrorNotices>(*pipeline_, clock_, notice_options);
    }
    std::vector<DeliveryObserver*> observers{&metrics_};
    if (notices_) observers.push_back(notices_.get());
    std::map<std::string, std::string> fingerprints;
    for (const auto& t : config.transports) fingerprints[t.name] = settings_fingerprint(t);
    pauses_ = std::make_unique<StoredPauses>(*db_, clock_, fingerprints);
    DispatcherOptions dispatcher_options;
    dispatcher_options.owner = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    dispatcher_options.poll_interval_ms = config.delivery.poll_interval_ms;
    dispatcher_ = std::make_unique<Dispatcher>(*outbox_, clock_, dispatcher_options, observers, pauses_.get());
    for (const auto& t : transports_.transports) {
        std::string paused = pauses_->reason_for(t->name());
        if (!paused.empty()) spdlog::warn("transport {} is still paused: {} (POST /v1/transports/{}/resume)", t->name(), paused, t->name());
        dispatcher_->add(t, policy_of(config, *config.transport(t->name())), paused);
    }

    // Receipts and replies from webhooks; late receipts and error-notice digests on a background tick.
    receipts_ = std::make_unique<Receipts>(*db_, clock_);
    if (notices_) receipts_->add_listener(static_cast<ReceiptListener*>(notices_.get()));
    TimeMs tick_ms = std::clamp<TimeMs>(config.error_notices.interval_seconds * 250, 100, 1000);
    background_ = std::make_unique<Periodic>(std::chrono::milliseconds(tick_ms), [this] {
        try {
            if (notices_ && notices_->flush_due() > 0) dispatcher_->wake();
            receipts_->reconcile();
            settings_->refresh(); // another host on the same store may have changed them
        } catch (const std::exception& e) {
            spdlog::error("background: {}", e.what());
        }
    });
    return true;
}

// Service events (PUT /v1/service-events/{id}) and the scheduler of their confirmations and reminders, and
// of time-based action triggers (triggers/time_rules.hpp), whose rows it claims after the schedules.
// The schedules are rows in the store; the scheduler has its own tick (events.tick_ms) so that a long
// run of due rows never holds up receipts or digests, claims events.batch rows per transaction and
// claims again at once while batches come back full. It renders with the settings as they are then.
void Service::open_schedules() {
    rules_ = std::make_unique<triggers::RuleStore>(*db_, *people_, clock_);
    firing_ = std::make_unique<triggers::Firing>(*rules_, *people_);
    firing_->set_on_errors([this] {
        if (notices_) notices_->noticed(); // the error log's entries are in the next digest
    });
    tasks_ = std::make_unique<triggers::Tasks>(*pipeline_, *people_, *firing_, clock_);
    service_events_ = std::make_unique<events::ServiceEvents>(*pipeline_, *people_, clock_, firing_.get());
    records_ = std::make_unique<triggers::Records>(*pipeline_, *people_, *firing_, clock_);
    scheduler_ = std::make_unique<events::Scheduler>(*pipeline_, *people_, clock_, [this] { return settings_->current(); });
    time_rules_ = std::make_unique<triggers::TimeRules>(*pipeline_, *people_, *rules_, *firing_, clock_,
                                                        [this] { return settings_->current(); },
                                                        TimeMs{config_->events.catch_up_hours} * 3'600'000);
    rules_->set_on_change([this](Database::Connection& c, const std::optional<triggers::Rule>& before,
                                 const std::optional<triggers::Rule>& after,
                                 TimeMs now) { time_rules_->rule_changed(c, before, after, now); });
    records_->set_time_rules(time_rules_.get());
    settings_->set_on_section_change([this](Database::Connection& c, agency::SettingsSection section,
                                            const boost::json::object& changes, TimeMs at) {
        if (section != agency::SettingsSection::general) return;
        if (const auto* zone = changes.if_contains("time_zone"))
            time_rules_->zone_changed(c, std::string(zone->at("to").as_string()), at);
    });
    retention_ = std::make_unique<Retention>(*db_, clock_, config_->retention_days);
    scheduling_ = std::make_unique<Periodic>(std::chrono::milliseconds(config_->events.tick_ms), [this] {
        const int batch = config_->events.batch;
        try {
            for (;;) {
                events::SchedulerRun run = scheduler_->run_once(batch);
                if (run.enqueued > 0) dispatcher_->wake();
                if (run.claimed < batch || stopping_) break;
            }
            if (tasks_->tell_overdue(*settings_->current()) > 0) dispatcher_->wake();
            for (;;) {
                triggers::TimeRun run = time_rules_->run_once(batch);
                if (run.enqueued > 0) dispatcher_->wake();
                if (run.claimed < batch || stopping_) break;
            }
            purge_due();
        } catch (const std::exception& e) {
            spdlog::error("scheduler: {}", e.what()); // the rows stay; the next tick tries again
        }
    });
}

// Retention rides on the scheduler's tick, after the due schedules: one batch of each kind per tick while
// some kind's batches come back full (a backlog drains a batch at a time, between other writers' turns),
// else a look once a minute.
void Service::purge_due() {
    const TimeMs now_ms = clock_.now_ms();
    if (now_ms < next_purge_ms_) return;
    next_purge_ms_ = retention_->purge_once().full ? now_ms : now_ms + 60'000;
}

// Confirm links (GET/POST /c/{token}) and "YES" by SMS. Links are signed with confirm_links.secret, else
// with a key made once and kept in the store: links survive restarts and every host signs alike.
bool Service::open_confirmations() {
    const Config& config = *config_;
    std::string link_key = config.confirm_links.secret;
    if (link_key.empty()) {
        try {
            auto c = db_->connect();
            link_key = events::stored_confirm_link_key(c, clock_.now_ms());
        } catch (const std::exception& e) {
            spdlog::error("store: {}", e.what());
            return false;
        }
    }
    confirm_tokens_ = std::make_unique<events::ConfirmTokens>(std::move(link_key));
    confirmations_ = std::make_unique<events::Confirmations>(*pipeline_, *people_, clock_,
                                                             [this] { return settings_->current(); });
    confirm_replies_ = std::make_unique<events::ConfirmReplies>(*confirmations_);
    discussions_ = std::make_unique<discussions::Discussions>(*pipeline_, *people_, clock_, [this](const std::string& id) {
        return discussion_link_url(config_->confirm_links.base_url, confirm_tokens_->issue(id, events::LinkPurpose::discussion));
    });
    receipts_->add_listener(static_cast<ReplyListener*>(confirm_replies_.get()));
    if (config.confirm_links.base_url.empty()) {
        spdlog::info("confirm_links.base_url is not set: confirmations go without a confirm link "
                     "(a YES by SMS still confirms), and Engage tasks go to the workers instead of the client");
        return true;
    }
    // Client tasks' pages share the links' key and address; their tokens are signed for their purpose.
    firing_->set_task_links([this](const std::string& link_id) {
        return client_task_url(config_->confirm_links.base_url, confirm_tokens_->issue(link_id, events::LinkPurpose::client_task));
    });
    scheduler_->set_confirm_link([this](Database::Connection& c, const events::Schedule& s) {
        const std::string id = events::record_confirm_link(c, {s.event, s.recipient, s.event_start}, clock_.now_ms());
        return confirm_link_url(config_->confirm_links.base_url, confirm_tokens_->issue(id));
    });
    return true;
}

// Verification codes: hashed with a key made once and kept in the store (every host hashes alike), sent
// only while their transport can send now (the caller offers the other channel otherwise).
bool Service::open_verification_codes() {
    std::string key;
    try {
        auto c = db_->connect();
        key = stored_key(c, "verification_code_key", clock_.now_ms());
    } catch (const std::exception& e) {
        spdlog::error("store: {}", e.what());
        return false;
    }
    auto unavailable = [this](const std::string& transport) -> std::string {
        if (!transports_.find(transport)) return "is not running (not configured here, or its plugin was not loaded)";
        for (const TransportStatus& s : dispatcher_->status()) {
            if (s.name != transport) continue;
            if (s.paused) return "is paused: " + s.paused_reason;
            if (s.breaker == "open") return "is failing (circuit breaker open): " + s.last_error;
        }
        return "";
    };
    verification_codes_ = std::make_unique<authentication::VerificationCodes>(*pipeline_, *people_, clock_,
                                                                              std::move(key), std::move(unavailable));
    return true;
}

bool Service::start() {
    try {
        api_->start();
    } catch (const std::exception& e) {
        spdlog::error("http: cannot listen on {}:{}: {}", config_->listen, config_->port, e.what());
        return false;
    }
    dispatcher_->start();
    background_->start();
    scheduling_->start();
    return true;
}

void Service::stop() {
    api_->stop();      // no new messages
    stopping_ = true;  // the scheduler finishes its batch; due rows left wait in the store
    scheduling_->stop();
    background_->stop();
    dispatcher_->stop(); // finish batches in flight, hand back the rest
}

} // namespace extcomm::host
