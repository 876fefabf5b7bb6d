#include <agency/client_messages.hpp>
#include <agency/people_store.hpp>
#include <agency/settings_store.hpp>
#include <agency/worker_messages.hpp>
#include <api/api_server.hpp>
#include <api/confirm_links_api.hpp>
#include <api/settings_api.hpp>
#include <cli/commands.hpp>
#include <config/config.hpp>
#include <common/periodic.hpp>
#include <delivery/dispatcher.hpp>
#include <delivery/stored_pauses.hpp>
#include <delivery/error_notices.hpp>
#include <events/confirm_replies.hpp>
#include <events/confirmations.hpp>
#include <events/scheduler.hpp>
#include <events/service_events.hpp>
#include <http/http_engine.hpp>
#include <metrics/metrics.hpp>
#include <runtime/transport_set.hpp>
#include <runtime/store_lock.hpp>

#include <Poco/SHA2Engine.h>
#include <Poco/UUIDGenerator.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <iostream>

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

int serve(const std::string& config_file) {
    // Block the stop signals before any thread starts so that only sigwait below receives them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    ConfigResult loaded = load_config(config_file);
    for (const auto& p : loaded.problems) spdlog::error("configuration: {}", p.text());
    if (!loaded.config) return 2;
    const Config& config = *loaded.config;

    std::optional<StoreLock> store_lock;
    std::unique_ptr<Database> db;
    try {
        if (config.store.driver == "sqlite") store_lock.emplace(config.store.path);
        db = std::make_unique<Database>(config.store);
    } catch (const std::exception& e) {
        spdlog::error("store: {}", e.what());
        return 2;
    }

    PluginCatalog catalog = load_plugins(config.plugin_dir);
    for (const auto& p : catalog.plugins)
        spdlog::info("plugin {} {} loaded from {}", p->id, p->version, p->file.string());
    for (const auto& r : catalog.refused) spdlog::warn("plugin {} refused: {}", r.file.string(), r.reason);

    HttpEngine engine;
    TransportSet transports = create_transports(config, catalog, &engine);
    for (const auto& p : transports.problems) spdlog::error("transport left out: {}", p.text());
    for (const auto& t : transports.transports) spdlog::info("transport {} ready (plugin {})", t->name(), t->plugin().id);

    SystemClock clock;
    // The agency's settings: the store's, or on first start the configuration's `agency` object.
    std::unique_ptr<agency::SettingsStore> settings;
    try {
        settings = std::make_unique<agency::SettingsStore>(*db, clock);
        auto seeded = settings->seed(config.agency.is_null() ? boost::json::value(boost::json::object{}) : config.agency,
                                     settings_check(config, transports));
        if (auto* error = std::get_if<agency::FieldError>(&seeded)) {
            spdlog::error("configuration: {}: {}", error->field, error->reason);
            return 2;
        }
        if (std::get<bool>(seeded)) spdlog::info("agency settings stored from the configuration (first start)");
        else if (!config.agency.is_null())
            spdlog::info("agency settings: the store's are used (edit them through /v1/settings); the configuration's "
                         "`agency` object only seeds a store that has none");
    } catch (const std::exception& e) {
        spdlog::error("store: {}", e.what());
        return 2;
    }

    OutboxOptions outbox_options;
    outbox_options.default_max_age_ms = config.delivery.max_age_seconds * 1000;
    outbox_options.lease_ms = config.delivery.lease_seconds * 1000;
    Outbox outbox(*db, clock, outbox_options);
    // The embedded store is this process's alone (the lock file says so): whatever a previous run had
    // claimed and not settled died with it, and goes out again now.
    if (store_lock) outbox.release_all();

    // People and the messages they send (decisions and outbox rows commit together).
    agency::PeopleStore people(*db, clock);
    agency::DecisionLog decision_log(*db);
    agency::MaxAge max_age = [&config](const std::string& transport, const std::string& kind) -> TimeMs {
        return config.max_age_seconds(transport, kind) * 1000;
    };
    agency::WorkerMessages worker_messages(*db, people, decision_log, outbox, clock, max_age);
    agency::ClientMessages client_messages(*db, people, decision_log, outbox, clock, max_age);

    Metrics metrics;
    DispatcherOptions dispatcher_options;
    dispatcher_options.owner = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    dispatcher_options.poll_interval_ms = config.delivery.poll_interval_ms;
    // Error notices: permanent failures and paused transports, one digest per interval.
    std::unique_ptr<ErrorNotices> notices;
    if (!config.error_notices.transport.empty()) {
        auto mail = transports.find(config.error_notices.transport);
        if (!mail || !(mail->plugin().channels & EXTCOMM_CHANNEL_EMAIL)) {
            spdlog::error("configuration: error_notices.transport: '{}' is not a working email transport",
                          config.error_notices.transport);
            return 2;
        }
        ErrorNoticeOptions notice_options;
        notice_options.recipients = config.error_notices.recipients;
        // The members of the agency's error-notice worker category, as they are when a digest is due.
        notice_options.category_recipients = [&settings, &people] {
            std::string category = settings->current()->settings.general.error_notice_category;
            return category.empty() ? std::vector<std::string>{} : people.member_emails(category);
        };
        notice_options.transport = config.error_notices.transport;
        notice_options.interval_ms = config.error_notices.interval_seconds * 1000;
        notices = std::make_unique<ErrorNotices>(*db, outbox, clock, notice_options);
    }
    std::vector<DeliveryObserver*> observers{&metrics};
    if (notices) observers.push_back(notices.get());
    std::map<std::string, std::string> fingerprints;
    for (const auto& t : config.transports) fingerprints[t.name] = settings_fingerprint(t);
    StoredPauses pauses(*db, clock, fingerprints);
    Dispatcher dispatcher(outbox, clock, dispatcher_options, observers, &pauses);
    for (const auto& t : transports.transports) {
        std::string paused = pauses.reason_for(t->name());
        if (!paused.empty()) spdlog::warn("transport {} is still paused: {} (POST /v1/transports/{}/resume)", t->name(), paused, t->name());
        dispatcher.add(t, policy_of(config, *config.transport(t->name())), paused);
    }

    // Receipts and replies from webhooks; late receipts and error-notice digests on a background tick.
    Receipts receipts(*db, clock);
    if (notices) receipts.add_listener(static_cast<ReceiptListener*>(notices.get()));
    TimeMs tick_ms = std::clamp<TimeMs>(config.error_notices.interval_seconds * 250, 100, 1000);
    Periodic background(std::chrono::milliseconds(tick_ms), [&] {
        try {
            if (notices && notices->flush_due() > 0) dispatcher.wake();
            receipts.reconcile();
            settings->refresh(); // another host on the same store may have changed them
        } catch (const std::exception& e) {
            spdlog::error("background: {}", e.what());
        }
    });

    // Service events (PUT /v1/service-events/{id}) and the scheduler of their confirmations and reminders.
    // The schedules are rows in the store; the scheduler has its own tick (events.tick_ms) so that a long
    // run of due rows never holds up receipts or digests, claims events.batch rows per transaction and
    // claims again at once while batches come back full. It renders with the settings as they are then.
    events::ServiceEvents service_events(*db, people, outbox, clock);
    events::Scheduler scheduler(*db, people, outbox, clock, [&settings] { return settings->current(); });
    std::atomic<bool> stopping{false};
    Periodic scheduling(std::chrono::milliseconds(config.events.tick_ms), [&] {
        try {
            for (;;) {
                events::SchedulerRun run = scheduler.run_once(config.events.batch);
                if (run.enqueued > 0) dispatcher.wake();
                if (run.claimed < config.events.batch || stopping) break;
            }
        } catch (const std::exception& e) {
            spdlog::error("scheduler: {}", e.what()); // the rows stay; the next tick tries again
        }
    });

    // Confirm links (GET/POST /c/{token}) and "YES" by SMS. Links are signed with confirm_links.secret, else
    // with a key made once and kept in the store: links survive restarts and every host signs alike.
    std::string link_key = config.confirm_links.secret;
    if (link_key.empty()) {
        try {
            auto c = db->connect();
            link_key = events::stored_confirm_link_key(c, clock.now_ms());
        } catch (const std::exception& e) {
            spdlog::error("store: {}", e.what());
            return 2;
        }
    }
    const events::ConfirmTokens confirm_tokens(std::move(link_key));
    events::Confirmations confirmations(*db, people, outbox, clock, [&settings] { return settings->current(); });
    events::ConfirmReplies confirm_replies(confirmations);
    receipts.add_listener(static_cast<ReplyListener*>(&confirm_replies));
    if (config.confirm_links.base_url.empty())
        spdlog::info("confirm_links.base_url is not set: confirmations go without a confirm link "
                     "(a YES by SMS still confirms)");
    else
        scheduler.set_confirm_link([&config, &confirm_tokens, &clock](Database::Connection& c,
                                                                      const events::Schedule& s) {
            const std::string id = events::record_confirm_link(c, {s.event, s.recipient, s.event_start},
                                                               clock.now_ms());
            return confirm_link_url(config.confirm_links.base_url, confirm_tokens.issue(id));
        });

    ApiContext context{config, outbox, transports, dispatcher, metrics, &receipts};
    context.settings = settings.get();
    context.people = &people;
    context.decisions = &decision_log;
    context.worker_messages = &worker_messages;
    context.client_messages = &client_messages;
    context.service_events = &service_events;
    context.confirmations = &confirmations;
    context.confirm_tokens = &confirm_tokens;
    ApiServer api(context);
    try {
        api.start();
    } catch (const std::exception& e) {
        spdlog::error("http: cannot listen on {}:{}: {}", config.listen, config.port, e.what());
        return 2;
    }
    dispatcher.start();
    background.start();
    scheduling.start();
    // Tests and scripts read this line to find an ephemeral port.
    std::cout << "extcomm listening on http://" << config.listen << ":" << api.port() << std::endl;
    spdlog::info("serving on {}:{} with {} transport(s)", config.listen, api.port(), transports.transports.size());

    int signal = 0;
    sigwait(&stop_signals, &signal);
    spdlog::info("received {}: stopping", signal == SIGINT ? "SIGINT" : "SIGTERM");
    api.stop();        // no new messages
    stopping = true;   // the scheduler finishes its batch; due rows left wait in the store
    scheduling.stop();
    background.stop();
    dispatcher.stop(); // finish batches in flight, hand back the rest
    spdlog::info("stopped cleanly");
    return 0;
}

} // namespace extcomm::host
