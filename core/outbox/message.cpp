#include <common/enum_names.hpp>
#include <outbox/message.hpp>

#include <iterator>

namespace extcomm {
namespace {

constexpr EnumNames<Channel, 2> kChannels{{"email", "sms"}};
constexpr EnumNames<MessageState, std::size(kAllMessageStates)> kStates{{"queued", "sending", "sent", "delivered", "failed", "expired", "rejected"}};
constexpr EnumNames<Outcome, 6> kOutcomes{
    {"accepted", "retry", "rejected", "transport_failure", "internal", "resend_alone"}};

} // namespace

std::string_view to_string(Channel c) { return kChannels(c); }
std::optional<Channel> channel_from(std::string_view s) { return kChannels.parse(s); }
std::string_view to_string(MessageState s) { return kStates(s); }
std::optional<MessageState> state_from(std::string_view s) { return kStates.parse(s); }
std::string_view to_string(Outcome o) { return kOutcomes(o); }

bool is_final(MessageState s) {
    return s == MessageState::delivered || s == MessageState::failed || s == MessageState::expired ||
           s == MessageState::rejected;
}

} // namespace extcomm
