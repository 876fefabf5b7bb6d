#include <cli/commands.hpp>
#include <runtime/service.hpp>

#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>

namespace extcomm::host {

// Exit codes: 0 after a clean stop on SIGINT or SIGTERM, 2 when the service cannot start.
int serve(const std::string& config_file) {
    // Block the stop signals before any thread starts so that only sigwait below receives them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    auto service = Service::open(config_file);
    if (!service || !service->start()) return 2;
    const Config& config = service->config();
    // Tests and scripts read this line to find an ephemeral port.
    std::cout << "extcomm listening on http://" << config.listen << ":" << service->port() << std::endl;
    spdlog::info("serving on {}:{} with {} transport(s)", config.listen, service->port(), service->transport_count());

    int signal = 0;
    sigwait(&stop_signals, &signal);
    spdlog::info("received {}: stopping", signal == SIGINT ? "SIGINT" : "SIGTERM");
    service->stop();
    spdlog::info("stopped cleanly");
    return 0;
}

} // namespace extcomm::host
