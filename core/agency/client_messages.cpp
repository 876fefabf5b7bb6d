#include <agency/client_messages.hpp>


namespace extcomm::agency {

std::variant<sending::SentRequest, FieldError> ClientMessages::send(const SettingsSnapshot& snapshot,
                                                                    const ClientMessageRequest& request) {
    return sending::send_built(pipeline_, snapshot, clock_.now_ms(),
                               [&](Database::Connection& c) -> std::variant<sending::Intent, FieldError> {
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
        return intent;
    });
}

} // namespace extcomm::agency
