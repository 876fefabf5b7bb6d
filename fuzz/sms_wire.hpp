#pragma once
// What the SMS transports' fuzz targets share: an input is an HTTP exchange written as text, so a seed is
// a provider's documented callback or answer as it would arrive:
//
//   webhook <METHOD> <path>[?<query>]          or        response <status>
//   <Name>: <value>                                      <Name>: <value>
//   (empty line)                                         (empty line)
//   <body>                                               <body>
//
// A webhook goes to the plugin's webhook parser; a response is decoded against each request the codec
// encodes for two fixed messages, with the messages it carried. Beyond not crashing, both answer what
// the host relies on (transport.h): decode gives one result per message the request carried; a
// webhook's status is an HTTP status and every update it yields names the message (ours or the
// provider's id) or, for a reply, the sender.
#include "invariant.hpp"

#include <extcomm/sdk.hpp>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace extcomm::fuzz {

struct WireInput {
    bool webhook = false;
    std::string method, path, query;
    int status = 0;
    std::vector<sdk::Header> headers;
    std::string body;

    sdk::WebhookRequest webhook_request() const { return {method, path, query, body, headers}; }
    sdk::HttpResponse response() const { return {status, headers, body}; }
};

inline std::string_view next_line(std::string_view& text) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

// Nothing when the first line is neither form (libFuzzer then moves on).
inline std::optional<WireInput> read_wire_input(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    WireInput in;
    std::string_view first = next_line(text);
    if (first.starts_with("webhook ")) {
        first.remove_prefix(8);
        const auto space = first.find(' ');
        if (space == std::string_view::npos) return std::nullopt;
        in.webhook = true;
        in.method = first.substr(0, space);
        const std::string_view target = first.substr(space + 1);
        const auto question = target.find('?');
        in.path = target.substr(0, question);
        if (question != std::string_view::npos) in.query = target.substr(question + 1);
    } else if (first.starts_with("response ")) {
        first.remove_prefix(9);
        if (std::from_chars(first.data(), first.data() + first.size(), in.status).ec != std::errc()) return std::nullopt;
        if (in.status < 100 || in.status > 599) return std::nullopt; // status 0 never reaches decode
    } else {
        return std::nullopt;
    }
    for (std::string_view line = next_line(text); !line.empty(); line = next_line(text)) {
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) return std::nullopt;
        std::string_view value = line.substr(colon + 1);
        while (value.starts_with(' ')) value.remove_prefix(1);
        in.headers.push_back({std::string(line.substr(0, colon)), std::string(value)});
    }
    in.body = text;
    return in;
}

// Two messages to numbers every provider takes, with the keys the codecs turn into their client ids.
inline const std::vector<sdk::Message>& two_messages() {
    static const std::vector<sdk::Message> messages{
        {sdk::Channel::sms, "m1", "key0001", "+61412345678", "", "Hello from the clinic", "", "", 1},
        {sdk::Channel::sms, "m2", "key0002", "+61412345679", "", "Appointment reminder: Tue 3 Mar", "", "", 2}};
    return messages;
}

// What decode is handed with a request: the messages it carried, in its order (transport.h).
inline std::vector<sdk::Message> carried(const sdk::HttpRequest& request) {
    std::vector<sdk::Message> out;
    for (uint32_t index : request.message_indices) out.push_back(two_messages().at(index));
    return out;
}

inline void check_results(const sdk::HttpRequest& request, const std::vector<sdk::Result>& results) {
    require(results.size() == request.message_indices.size(), "decode gives one result per message it carried");
}

inline void check_webhook(const sdk::WebhookResult& result) {
    require(result.http_status >= 100 && result.http_status <= 599, "a webhook answers an HTTP status");
    for (const auto& update : result.updates) {
        if (update.kind == EXTCOMM_UPDATE_REPLY) require(!update.from.empty(), "a reply names its sender");
        else require(!update.message_id.empty() || !update.provider_message_id.empty(), "a receipt names its message");
    }
}

// One input through a plugin: `parse(webhook_request)` for a webhook; for a response, `decode(request,
// carried messages, response)` of each request `encode()` makes of two_messages().
template <class Parse, class Encode, class Decode>
int run_wire(const uint8_t* data, size_t size, Parse parse, Encode encode, Decode decode) {
    auto input = read_wire_input(data, size);
    if (!input) return 0;
    if (input->webhook) {
        check_webhook(parse(input->webhook_request()));
        return 0;
    }
    for (const auto& request : encode().requests) check_results(request, decode(request, carried(request), input->response()));
    return 0;
}

} // namespace extcomm::fuzz
