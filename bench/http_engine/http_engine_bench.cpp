// Requests per second through the HTTP engine against a local keep-alive stand-in on 127.0.0.1.
//
// The stand-in (bench/standin/standin_server.hpp, shared with bench/run) is a single-threaded epoll
// HTTP/1.1 server answering every request with a small JSON body (like an SMS provider's "accepted"),
// so the figures measure the engine, not the server.
// Run: ./http_engine_bench  (add --benchmark_min_time=2 for steadier figures)
#include <http/http_engine.hpp>

#include <benchmark/benchmark.h>

#include "../standin/standin_server.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

using namespace extcomm::host;

namespace {

// The shared stand-in (bench/standin/standin_server.hpp) answering every request like an SMS provider's
// "accepted", so the figures measure the engine, not the server.
class StandIn : public extcomm::bench::StandIn {
public:
    StandIn()
        : extcomm::bench::StandIn([](const extcomm::bench::StandInRequest&) {
              return extcomm::bench::StandInReply{200, "application/json",
                                                  R"({"apiMessageId":"abc123","accepted":true,"to":"15550001"})"};
          }) {}
};

HttpCall sms_call(const std::string& url) {
    HttpCall call;
    call.url = url;
    call.headers = {{"Content-Type", "application/json"},
                    {"Accept", "application/json"},
                    {"Authorization", "Basic dXNlcjpwYXNzd29yZA=="}};
    call.body = R"({"messages":[{"content":"Reminder: your appointment is tomorrow at 10:00.","destination_number":"+15550001","format":"SMS"}]})";
    return call;
}

// One request per message, `max_concurrency` in flight, submitted from one producer thread.
void BM_OneRequestPerMessage(benchmark::State& state) {
    StandIn server;
    HttpEngine engine;
    HttpClientOptions options;
    options.name = "bench";
    options.max_concurrency = static_cast<unsigned>(state.range(0));
    auto client = engine.add_client(options);
    const HttpCall call = sms_call(server.url());
    constexpr int batch = 2000;

    std::mutex mutex;
    std::condition_variable cv;
    int left = 0;
    std::atomic<std::uint64_t> failures{0};
    for (auto _ : state) {
        {
            std::lock_guard lock(mutex);
            left = batch;
        }
        for (int i = 0; i < batch; ++i) {
            engine.submit(client, call, [&](HttpReply reply) {
                if (reply.status != 200) ++failures;
                std::lock_guard lock(mutex);
                if (--left == 0) cv.notify_one();
            });
        }
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return left == 0; });
    }
    state.SetItemsProcessed(state.iterations() * batch);
    auto s = engine.stats(client);
    state.counters["failures"] = static_cast<double>(failures.load());
    state.counters["connections"] = static_cast<double>(s.connections_opened);
}
BENCHMARK(BM_OneRequestPerMessage)->Arg(1)->Arg(8)->Arg(32)->Arg(128)->UseRealTime()->Unit(benchmark::kMillisecond);

// Several transports at once (4 clients x 16 slots) against the same stand-in.
void BM_FourClients(benchmark::State& state) {
    StandIn server;
    HttpEngine engine;
    std::vector<HttpClientId> clients;
    for (int i = 0; i < 4; ++i) {
        HttpClientOptions options;
        options.name = "bench-" + std::to_string(i);
        options.max_concurrency = 16;
        clients.push_back(engine.add_client(options));
    }
    const HttpCall call = sms_call(server.url());
    constexpr int batch = 2000;
    std::mutex mutex;
    std::condition_variable cv;
    int left = 0;
    for (auto _ : state) {
        {
            std::lock_guard lock(mutex);
            left = batch;
        }
        for (int i = 0; i < batch; ++i) {
            engine.submit(clients[static_cast<std::size_t>(i) % clients.size()], call, [&](HttpReply) {
                std::lock_guard lock(mutex);
                if (--left == 0) cv.notify_one();
            });
        }
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return left == 0; });
    }
    state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_FourClients)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
