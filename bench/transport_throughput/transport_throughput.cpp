// Messages per second through one configured transport, without the outbox: the host's own classes load
// the plugin folder (load_plugins), create the transport (create_transports -> PluginTransport::create)
// on the host's HttpEngine, and N messages go through PluginTransport::deliver.
//
//   transport_throughput --config FILE --transport NAME [-n 20000] [--mode MODE] [--parallel K]
//
// Modes:
//   dispatcher  what the host's Dispatcher does with the default transports[].delivery.concurrency 1:
//               one worker per transport calls deliver() with chunks of the plugin's max batch size,
//               one chunk after the other.
//   parallel    K workers (--parallel, default 4) each calling deliver() with max-batch chunks: the
//               Dispatcher with delivery.concurrency K (K batches in flight per transport).
//   whole       one deliver() of all N messages: the in-flight window never drains between chunks.
//   engine      the raw engine limit: the plugin's requests for all N messages are encoded first (not
//               timed), then submitted to the HttpEngine at once; no encode/decode in the timing.
//
// Prints one line of key=value pairs (bench/run parses it).
#include <config/config.hpp>
#include <http/http_engine.hpp>
#include <plugins/catalog.hpp>
#include <plugins/plugin_transport.hpp>
#include <runtime/transport_set.hpp>

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace extcomm;
using namespace extcomm::host;
using Steady = std::chrono::steady_clock;

// Messages shaped like real reminders: a UUID id (as the outbox makes), a +E.164 number, one GSM-7 part.
std::vector<OutboundMessage> make_messages(std::size_t n, const std::string& transport) {
    std::vector<OutboundMessage> out(n);
    char id[64];
    for (std::size_t i = 0; i < n; ++i) {
        OutboundMessage& m = out[i];
        std::snprintf(id, sizeof id, "6d1f%04x-7b2c-4e1a-9c3d-%012zx", static_cast<unsigned>(i & 0xffff), i);
        m.id = id;
        m.idempotency_key = id;
        m.channel = Channel::sms;
        m.transport = transport;
        m.to = "+1555" + std::to_string(1000000 + i % 9000000);
        m.body = "Reminder: your appointment with Dr Rivera is tomorrow at 10:00. Reply STOP to opt out.";
        m.metadata_json = "{}";
        m.attempts = 1;
    }
    return out;
}

struct Tally {
    std::atomic<std::size_t> accepted{0}, other{0};
    std::string first_problem;
    std::mutex mutex;

    void add(const std::vector<DeliveryResult>& results) {
        for (const auto& r : results) {
            if (r.outcome == Outcome::accepted) {
                ++accepted;
            } else {
                ++other;
                std::lock_guard lock(mutex);
                if (first_problem.empty())
                    first_problem = std::string(to_string(r.outcome)) + " " + r.provider_code + " " + r.provider_text;
            }
        }
    }
};

// Chunks of `batch` from a shared cursor, delivered by `workers` threads.
void deliver_chunks(PluginTransport& t, const std::vector<OutboundMessage>& all, std::size_t batch, unsigned workers,
                    Tally& tally) {
    std::atomic<std::size_t> cursor{0};
    auto work = [&] {
        for (;;) {
            std::size_t start = cursor.fetch_add(batch);
            if (start >= all.size()) return;
            std::vector<OutboundMessage> chunk(all.begin() + static_cast<std::ptrdiff_t>(start),
                                               all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), start + batch)));
            tally.add(t.deliver(chunk));
        }
    };
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < workers; ++i) threads.emplace_back(work);
    work();
    for (auto& th : threads) th.join();
}

// The plugin's requests for `messages`, through the C ABI on an instance of our own.
std::vector<HttpCall> encode_all(const Plugin& plugin, const TransportConfig& config,
                                 const std::vector<OutboundMessage>& messages) {
    static std::string name = config.name;
    extcomm_host_services services{};
    services.struct_size = sizeof services;
    services.host_ctx = &name;
    services.log = [](void*, uint32_t, extcomm_str) {};
    std::string settings = boost::json::serialize(config.settings);
    extcomm_create_args args{};
    args.struct_size = sizeof args;
    args.transport_name = {name.data(), name.size()};
    args.settings_json = {settings.data(), settings.size()};
    args.host = &services;
    extcomm_error error{};
    error.struct_size = sizeof error;
    extcomm_instance* instance = nullptr;
    if (plugin.api.create(&args, &instance, &error) != EXTCOMM_OK) throw std::runtime_error("create failed");

    std::vector<HttpCall> calls;
    auto str = [](const std::string& s) { return extcomm_str{s.data(), s.size()}; };
    auto text = [](extcomm_str s) { return s.data ? std::string(s.data, s.size) : std::string(); };
    struct Ctx {
        std::vector<HttpCall>* calls;
        decltype(text) to_text;
    } ctx{&calls, text};
    extcomm_encode_sink sink{sizeof(extcomm_encode_sink), &ctx,
                             [](void* c, const extcomm_http_request* r) -> int32_t {
                                 auto* self = static_cast<Ctx*>(c);
                                 HttpCall call{self->to_text(r->method), self->to_text(r->url), {}, self->to_text(r->body)};
                                 for (std::size_t i = 0; i < r->header_count; ++i)
                                     call.headers.emplace_back(self->to_text(r->headers[i].name),
                                                               self->to_text(r->headers[i].value));
                                 self->calls->push_back(std::move(call));
                                 return EXTCOMM_OK;
                             },
                             [](void*, uint32_t, const extcomm_result*) {}};
    const std::size_t batch = std::max(1u, plugin.capabilities.max_batch_size);
    for (std::size_t start = 0; start < messages.size(); start += batch) {
        std::vector<extcomm_message> in;
        for (std::size_t i = start; i < std::min(messages.size(), start + batch); ++i) {
            const OutboundMessage& m = messages[i];
            extcomm_message c{};
            c.struct_size = sizeof c;
            c.channel = EXTCOMM_CHANNEL_SMS;
            c.id = str(m.id);
            c.idempotency_key = str(m.idempotency_key);
            c.to = str(m.to);
            c.body = str(m.body);
            c.metadata_json = str(m.metadata_json);
            c.attempt = 1;
            in.push_back(c);
        }
        if (plugin.api.encode(instance, in.data(), in.size(), &sink) != EXTCOMM_OK) throw std::runtime_error("encode failed");
    }
    plugin.api.destroy(instance);
    return calls;
}

int usage() {
    std::cerr << "usage: transport_throughput --config FILE --transport NAME [-n N] "
                 "[--mode dispatcher|parallel|whole|engine] [--parallel K]\n";
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    std::string config_file, name, mode = "dispatcher";
    std::size_t n = 20000;
    unsigned parallel = 4;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
        if (a == "--config") config_file = next();
        else if (a == "--transport") name = next();
        else if (a == "-n") n = std::stoul(next());
        else if (a == "--mode") mode = next();
        else if (a == "--parallel") parallel = static_cast<unsigned>(std::stoul(next()));
        else return usage();
    }
    if (config_file.empty() || name.empty() || n == 0 || parallel == 0) return usage();
    if (mode != "dispatcher" && mode != "parallel" && mode != "whole" && mode != "engine") return usage();

    ConfigResult loaded = load_config(config_file);
    for (const auto& p : loaded.problems) std::cerr << "configuration: " << p.text() << "\n";
    if (!loaded.config) return 2;
    const Config& config = *loaded.config;
    PluginCatalog catalog = load_plugins(config.plugin_dir);
    HttpEngine engine;
    TransportSet set = create_transports(config, catalog, &engine, name);
    for (const auto& p : set.problems) std::cerr << "transport: " << p.text() << "\n";
    auto transport = set.find(name);
    if (!transport) return 2;
    const TransportConfig* tc = config.transport(name);

    auto messages = make_messages(n, name);
    const std::size_t batch = std::max(1u, transport->max_batch());
    Tally tally;
    std::size_t requests = 0;
    double seconds = 0;

    if (mode == "engine") {
        auto calls = encode_all(transport->plugin(), *tc, messages);
        requests = calls.size();
        HttpClientOptions options;
        options.name = name + "-raw";
        options.max_concurrency = tc->http.max_concurrency;
        auto client = engine.add_client(options);
        std::mutex mutex;
        std::condition_variable cv;
        std::size_t left = calls.size(), ok = 0;
        auto t0 = Steady::now();
        for (auto& call : calls) {
            engine.submit(client, std::move(call), [&](HttpReply reply) {
                std::lock_guard lock(mutex);
                if (reply.failure == HttpFailure::none && reply.status >= 200 && reply.status < 300) ++ok;
                if (--left == 0) cv.notify_one();
            });
        }
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return left == 0; });
        seconds = std::chrono::duration<double>(Steady::now() - t0).count();
        // Accepted messages: every message of a 2xx request (the stand-in accepts them all).
        tally.accepted = ok == requests ? n : ok * (n / std::max<std::size_t>(1, requests));
    } else {
        auto t0 = Steady::now();
        if (mode == "whole") tally.add(transport->deliver(messages));
        else deliver_chunks(*transport, messages, batch, mode == "parallel" ? parallel : 1, tally);
        seconds = std::chrono::duration<double>(Steady::now() - t0).count();
    }
    auto stats = engine.stats(0);
    std::printf("transport=%s plugin=%s mode=%s n=%zu max_batch=%zu max_concurrency=%u workers=%u accepted=%zu "
                "not_accepted=%zu seconds=%.3f messages_per_s=%.0f http_requests=%zu connections=%llu\n",
                name.c_str(), transport->plugin().id.c_str(), mode.c_str(), n, batch, tc->http.max_concurrency,
                mode == "parallel" ? parallel : 1, tally.accepted.load(), tally.other.load(), seconds,
                static_cast<double>(n) / seconds,
                mode == "engine" ? requests : static_cast<std::size_t>(stats.submitted),
                static_cast<unsigned long long>(mode == "engine" ? engine.stats(1).connections_opened
                                                                  : stats.connections_opened));
    if (!tally.first_problem.empty()) std::fprintf(stderr, "first problem: %s\n", tally.first_problem.c_str());
    return tally.accepted == n ? 0 : 1;
}
