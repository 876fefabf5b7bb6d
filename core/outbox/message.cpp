#include <outbox/message.hpp>

#include <array>
#include <utility>

namespace extcomm {
namespace {

template <class E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view s) {
    for (const auto& [e, name] : table)
        if (name == s) return e;
    return std::nullopt;
}

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
    for (const auto& [v, name] : table)
        if (v == e) return name;
    return "unknown";
}

constexpr std::array<std::pair<Channel, std::string_view>, 2> kChannels{{{Channel::email, "email"}, {Channel::sms, "sms"}}};
constexpr std::array<std::pair<MessageState, std::string_view>, 7> kStates{{
    {MessageState::queued, "queued"},
    {MessageState::sending, "sending"},
    {MessageState::sent, "sent"},
    {MessageState::delivered, "delivered"},
    {MessageState::failed, "failed"},
    {MessageState::expired, "expired"},
    {MessageState::rejected, "rejected"},
}};
constexpr std::array<std::pair<Outcome, std::string_view>, 6> kOutcomes{{
    {Outcome::accepted, "accepted"},
    {Outcome::retry, "retry"},
    {Outcome::rejected, "rejected"},
    {Outcome::transport_failure, "transport_failure"},
    {Outcome::internal, "internal"},
    {Outcome::resend_alone, "resend_alone"},
}};

} // namespace

std::string_view to_string(Channel c) { return name_of(kChannels, c); }
std::optional<Channel> channel_from(std::string_view s) { return lookup(kChannels, s); }
std::string_view to_string(MessageState s) { return name_of(kStates, s); }
std::optional<MessageState> state_from(std::string_view s) { return lookup(kStates, s); }
std::string_view to_string(Outcome o) { return name_of(kOutcomes, o); }

bool is_final(MessageState s) {
    return s == MessageState::delivered || s == MessageState::failed || s == MessageState::expired ||
           s == MessageState::rejected;
}

} // namespace extcomm
