#pragma once
// "YES" by SMS: a client answering the confirmation SMS confirms the appointment, as the confirm link does.
// Listens to the replies the transports' webhooks store (Receipts::add_listener). Any other reply is left
// for people to read in the message log; the service log notes it without its text.
#include <events/confirmations.hpp>
#include <outbox/receipts.hpp>

#include <string_view>

namespace extcomm::events {

// "YES" or "Y" in any case, with whitespace and punctuation around it ("yes.", " Y!", "Yes "); nothing else
// ("yes please", "no", "y y").
bool is_confirming_reply(std::string_view text);

class ConfirmReplies final : public ReplyListener {
public:
    explicit ConfirmReplies(Confirmations& confirmations) : confirmations_(confirmations) {}

    // On the webhook's thread; never throws (a store failure is logged: the reply itself is stored).
    void on_reply(const StoredReply& reply) override;

private:
    Confirmations& confirmations_;
};

} // namespace extcomm::events
