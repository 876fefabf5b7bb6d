// The benchmarks' stand-in SMS provider on 127.0.0.1: fast (one epoll thread, keep-alive), faithful
// enough on the wire for the real plugins to accept its answers, and counting every message that
// arrives so a benchmark measures arrival at the provider.
//
//   standin --mode clickatell|bulksms|json [--port 0]
//
//   clickatell  POST /http/sendmsg (form) -> 200 text/plain "ID: <32 hex>" (one line per number in `to`,
//               "ID: <id> To: <n>", when several are comma-separated), as providers.md §2a.
//   bulksms     POST .../messages (JSON array of SubmissionEntry) -> 201 JSON array of one Message per
//               recipient, echoing `to`, `body`, `userSuppliedId`, as providers.md §1.
//   json        any POST -> 200 small JSON (the engine micro-benchmark's answer).
//   any mode    GET /_count -> {"messages":N,"requests":R,"connections":C,"first_ns":..,"last_ns":..}
//               (CLOCK_REALTIME ns of the first and latest message), POST /_reset zeroes the counts.
//   clickatell  GET /_codes -> {"<number>": ns, ...}: when a verification code ("verification code" in the
//               text) last arrived for each number (bench/verification_codes.py).
//
// Prints "standin listening on http://127.0.0.1:<port>" first, then runs until SIGTERM/SIGINT and prints
// the counts on the way out.
#include "standin_server.hpp"

#include <boost/json.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <string>

namespace {

using extcomm::bench::StandIn;
using extcomm::bench::StandInReply;
using extcomm::bench::StandInRequest;
namespace json = boost::json;

std::int64_t realtime_ns() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

struct Counts {
    std::uint64_t messages = 0, requests = 0, next_id = 1;
    std::int64_t first_ns = 0, last_ns = 0;
    json::object codes; // number -> CLOCK_REALTIME ns of its latest verification code

    void arrived(std::uint64_t n) {
        if (n == 0) return;
        std::int64_t now = realtime_ns();
        if (messages == 0) first_ns = now;
        last_ns = now;
        messages += n;
    }
};

std::string url_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string form_field(std::string_view form, std::string_view name) {
    std::size_t pos = 0;
    while (pos <= form.size()) {
        std::size_t amp = form.find('&', pos);
        if (amp == std::string_view::npos) amp = form.size();
        std::string_view pair = form.substr(pos, amp - pos);
        if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=')
            return url_decode(pair.substr(name.size() + 1));
        pos = amp + 1;
    }
    return {};
}

StandInReply clickatell(Counts& counts, const StandInRequest& req) {
    if (req.method != "POST" || req.path() != "/http/sendmsg")
        return {404, "text/plain", "ERR: 101, Invalid or missing parameters"};
    std::string to = form_field(req.body, "to");
    if (to.empty() || form_field(req.body, "text").empty())
        return {200, "text/plain", "ERR: 101, Invalid or missing parameters"};
    std::vector<std::string> numbers;
    for (std::size_t pos = 0; pos <= to.size();) {
        std::size_t comma = to.find(',', pos);
        if (comma == std::string::npos) comma = to.size();
        numbers.push_back(to.substr(pos, comma - pos));
        pos = comma + 1;
    }
    counts.arrived(numbers.size());
    if (form_field(req.body, "text").find("verification code") != std::string::npos)
        for (const auto& n : numbers) counts.codes[n] = realtime_ns();
    std::string body;
    char id[40];
    for (const auto& n : numbers) {
        std::snprintf(id, sizeof id, "%016llx%016llx", 0x5eedULL, static_cast<unsigned long long>(counts.next_id++));
        if (!body.empty()) body += '\n';
        body += "ID: ";
        body += id;
        if (numbers.size() > 1) body += " To: " + n;
    }
    return {200, "text/plain", body};
}

std::string quoted(const json::value& v) { return json::serialize(v); }

// The recipients of one SubmissionEntry: `to` may be a string, an object or an array of either.
void recipients(const json::value& to, std::vector<std::string>& out) {
    if (to.is_string()) {
        out.emplace_back(to.as_string());
    } else if (to.is_object()) {
        if (auto* a = to.as_object().if_contains("address"); a && a->is_string()) out.emplace_back(a->as_string());
    } else if (to.is_array()) {
        for (const auto& v : to.as_array()) recipients(v, out);
    }
}

StandInReply bulksms_error(int status, const char* fragment, const char* title, const std::string& detail) {
    json::object e{{"type", std::string("https://developer.bulksms.com/json/v1/errors#") + fragment},
                   {"title", title}, {"status", status}, {"detail", detail}};
    return {status, "application/json", json::serialize(e)};
}

StandInReply bulksms(Counts& counts, const std::string& date, const StandInRequest& req) {
    std::string_view path = req.path();
    if (req.method != "POST" || path.size() < 9 || path.substr(path.size() - 9) != "/messages")
        return bulksms_error(404, "not-found", "Not Found", "no such resource");
    std::error_code ec;
    json::value doc = json::parse(req.body, ec);
    if (ec) return bulksms_error(400, "bad-request", "Bad Request", "invalid JSON: " + ec.message());
    if (doc.is_object()) doc = json::array{doc};
    if (!doc.is_array()) return bulksms_error(400, "bad-request", "Bad Request", "expected an array of SubmissionEntry");
    std::string body = "[";
    std::uint64_t submitted = 0;
    std::string submission = "1-" + std::to_string(100000000000000000ULL + counts.next_id);
    std::vector<std::string> to;
    for (const auto& entry : doc.as_array()) {
        if (!entry.is_object()) return bulksms_error(400, "bad-request", "Bad Request", "an entry is not an object");
        const json::object& o = entry.as_object();
        to.clear();
        if (auto* t = o.if_contains("to")) recipients(*t, to);
        const json::value* text = o.if_contains("body");
        if (to.empty() || !text || !text->is_string())
            return bulksms_error(400, "bad-request", "Bad Request", "`to` and `body` are required");
        std::string encoding = "TEXT";
        if (auto* e = o.if_contains("encoding"); e && e->is_string()) encoding = std::string(e->as_string());
        for (const auto& number : to) {
            if (submitted++) body += ',';
            body += R"({"id":")" + std::to_string(4000000000ULL + counts.next_id++) + R"(","type":"SENT","from":"","to":)";
            body += quoted(json::string(number));
            body += R"(,"body":)" + quoted(*text);
            body += R"(,"encoding":")" + encoding + R"(","protocolId":0,"messageClass":2)";
            if (auto* u = o.if_contains("userSuppliedId"); u && u->is_string()) body += R"(,"userSuppliedId":)" + quoted(*u);
            body += R"(,"submission":{"id":")" + submission + R"(","date":")" + date +
                    R"("},"status":{"id":"ACCEPTED.null","type":"ACCEPTED","subtype":null}})";
        }
    }
    body += ']';
    counts.arrived(submitted);
    return {201, "application/json", body};
}

StandInReply small_json(Counts& counts, const StandInRequest&) {
    counts.arrived(1);
    return {200, "application/json", R"({"apiMessageId":"abc123","accepted":true,"to":"15550001"})"};
}

std::string count_json(const Counts& c, std::uint64_t connections) {
    return json::serialize(json::object{{"messages", c.messages}, {"requests", c.requests}, {"connections", connections},
                                        {"first_ns", c.first_ns}, {"last_ns", c.last_ns}});
}

int usage() {
    std::cerr << "usage: standin --mode clickatell|bulksms|json [--port N]\n";
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    std::string mode;
    int port = 0;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--mode" && i + 1 < argc) mode = argv[++i];
        else if (a == "--port" && i + 1 < argc) port = std::atoi(argv[++i]);
        else return usage();
    }
    if (mode != "clickatell" && mode != "bulksms" && mode != "json") return usage();

    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    char date[40];
    std::time_t t = std::time(nullptr);
    std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S+00:00", std::gmtime(&t));
    const std::string submission_date = date;

    Counts counts; // touched only on the server thread until it is stopped
    std::atomic<StandIn*> self{nullptr};
    StandIn server(
        [&](const StandInRequest& req) -> StandInReply {
            if (req.path() == "/_count" && req.method == "GET")
                return {200, "application/json", count_json(counts, self.load() ? self.load()->connections() : 0)};
            if (req.path() == "/_codes" && req.method == "GET")
                return {200, "application/json", json::serialize(counts.codes)};
            if (req.path() == "/_reset" && req.method == "POST") {
                counts = Counts{};
                return {200, "application/json", "{}"};
            }
            ++counts.requests;
            if (mode == "clickatell") return clickatell(counts, req);
            if (mode == "bulksms") return bulksms(counts, submission_date, req);
            return small_json(counts, req);
        },
        static_cast<std::uint16_t>(port));
    self = &server;
    std::cout << "standin listening on " << server.base_url() << std::endl;

    int signal = 0;
    sigwait(&stop_signals, &signal);
    server.stop();
    std::cout << "standin (" << mode << "): " << count_json(counts, server.connections()) << std::endl;
    return 0;
}
