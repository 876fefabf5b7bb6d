#include <agency/client_messages.hpp>

#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>

#include <stdexcept>

namespace extcomm::agency {

std::variant<sending::SentRequest, FieldError> ClientMessages::send(const SettingsSnapshot& snapshot,
                                                                    const ClientMessageRequest& request) try {
    auto c = pipeline_.database().connect();
    Poco::Data::Transaction tx(c.session());
    auto client = people_.client(c, request.client);
    if (!client) return FieldError{"client", "no client '" + request.client + "'"};
    sending::Intent intent;
    intent.kind = rendering::MessageKind::client_message;
    if (!request.idempotency_key.empty()) intent.idempotency_key = "client-message:" + request.idempotency_key;
    intent.about = std::string(to_string(request.context));
    intent.subject = request.subject;
    intent.client = request.client;
    intent.recipients.emplace_back(std::move(*client));
    intent.facts = rendering::ClientMessageFacts{request.subject, request.body};
    intent.context = request.context;
    intent.channel = request.channel;
    intent.metadata = {{"context", intent.about}};
    sending::SentRequest sent = sending::send(pipeline_, c, snapshot, intent, clock_.now_ms());
    tx.commit();
    return sent;
} catch (const Poco::Exception& e) {
    throw std::runtime_error("store: " + e.displayText());
}

} // namespace extcomm::agency
