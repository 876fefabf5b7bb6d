#include <events/confirm_replies.hpp>
#include <common/log_text.hpp>
#include <common/masking.hpp>

#include <spdlog/spdlog.h>

#include <cctype>
#include <string>

namespace extcomm::events {

bool is_confirming_reply(std::string_view text) {
    auto skip = [](unsigned char ch) { return std::isspace(ch) || std::ispunct(ch); };
    std::size_t begin = 0, end = text.size();
    while (begin < end && skip(static_cast<unsigned char>(text[begin]))) ++begin;
    while (end > begin && skip(static_cast<unsigned char>(text[end - 1]))) --end;
    std::string word;
    for (std::size_t i = begin; i < end; ++i)
        word += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
    return word == "YES" || word == "Y";
}

void ConfirmReplies::on_reply(const StoredReply& reply) {
    if (!is_confirming_reply(reply.text)) {
        // People read replies in the message log; the service log keeps no client's words.
        spdlog::info("reply from {} on {} is not a confirmation: left for the message log", loggable(masked_address(reply.from)),
                     reply.transport);
        return;
    }
    try {
        auto result = confirmations_.confirm_reply(reply);
        if (!result)
            spdlog::info("confirming reply from {} on {}: no pending confirmation for that number",
                         loggable(masked_address(reply.from)), reply.transport);
        else if (result->outcome == ConfirmOutcome::already_confirmed)
            spdlog::info("confirming reply from {}: {} was confirmed already", loggable(masked_address(reply.from)),
                         result->confirmation ? result->confirmation->event : std::string("the event"));
    } catch (const std::exception& e) {
        spdlog::error("confirming reply from {}: {}", loggable(masked_address(reply.from)), e.what());
    }
}

} // namespace extcomm::events
