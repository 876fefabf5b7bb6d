#include <api/api_server.hpp>
#include <cli/commands.hpp>
#include <config/config.hpp>
#include <delivery/dispatcher.hpp>
#include <http/http_engine.hpp>
#include <metrics/metrics.hpp>
#include <runtime/transport_set.hpp>
#include <runtime/store_lock.hpp>

#include <Poco/UUIDGenerator.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>

namespace extcomm::host {

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
    OutboxOptions outbox_options;
    outbox_options.default_max_age_ms = config.delivery.max_age_seconds * 1000;
    outbox_options.lease_ms = config.delivery.lease_seconds * 1000;
    Outbox outbox(*db, clock, outbox_options);
    // The embedded store is this process's alone (the lock file says so): whatever a previous run had
    // claimed and not settled died with it, and goes out again now.
    if (store_lock) outbox.release_all();

    Metrics metrics;
    DispatcherOptions dispatcher_options;
    dispatcher_options.owner = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    dispatcher_options.poll_interval_ms = config.delivery.poll_interval_ms;
    dispatcher_options.retry.max_attempts = config.delivery.max_attempts;
    std::vector<std::shared_ptr<Transport>> workers(transports.transports.begin(), transports.transports.end());
    Dispatcher dispatcher(outbox, clock, workers, dispatcher_options, &metrics);

    ApiContext context{config, outbox, transports, dispatcher, metrics};
    ApiServer api(context);
    try {
        api.start();
    } catch (const std::exception& e) {
        spdlog::error("http: cannot listen on {}:{}: {}", config.listen, config.port, e.what());
        return 2;
    }
    dispatcher.start();
    // Tests and scripts read this line to find an ephemeral port.
    std::cout << "extcomm listening on http://" << config.listen << ":" << api.port() << std::endl;
    spdlog::info("serving on {}:{} with {} transport(s)", config.listen, api.port(), transports.transports.size());

    int signal = 0;
    sigwait(&stop_signals, &signal);
    spdlog::info("received {}: stopping", signal == SIGINT ? "SIGINT" : "SIGTERM");
    api.stop();        // no new messages
    dispatcher.stop(); // finish batches in flight, hand back the rest
    spdlog::info("stopped cleanly");
    return 0;
}

} // namespace extcomm::host
