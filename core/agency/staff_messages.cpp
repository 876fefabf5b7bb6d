#include <agency/staff_messages.hpp>

#include <set>

namespace extcomm::agency {

std::variant<std::vector<Worker>, FieldError> StaffMessages::recipients(Database::Connection& c,
                                                                          const WorkerMessageRequest& request) {
    std::vector<Worker> workers;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < request.workers.size(); ++i) {
        auto worker = people_.worker(c, request.workers[i]);
        if (!worker) return FieldError{"workers[" + std::to_string(i) + "]", "no worker '" + request.workers[i] + "'"};
        if (seen.insert(worker->id).second) workers.push_back(std::move(*worker));
    }
    for (std::size_t i = 0; i < request.categories.size(); ++i) {
        // An unknown category is a mistake; an empty one is only worth saying in the answer.
        if (!people_.category_exists(c, request.categories[i]))
            return FieldError{"categories[" + std::to_string(i) + "]", "no worker category '" + request.categories[i] + "'"};
        for (Worker& w : people_.workers_in(c, request.categories[i]))
            if (seen.insert(w.id).second) workers.push_back(std::move(w));
    }
    return workers;
}

std::variant<sending::SentRequest, FieldError> StaffMessages::send(const SettingsSnapshot& snapshot,
                                                                    const WorkerMessageRequest& request) {
    return sending::send_built(pipeline_, snapshot, clock_.now_ms(),
                               [&](Database::Connection& c) -> std::variant<sending::Intent, FieldError> {
        auto workers = recipients(c, request);
        if (auto* error = std::get_if<FieldError>(&workers)) return *error;
        sending::Intent intent;
        intent.kind = rendering::MessageKind::collaboration_message;
        if (!request.idempotency_key.empty()) intent.idempotency_key = "collaboration-message:" + request.idempotency_key;
        intent.about = std::string(rendering::to_string(request.type));
        intent.subject = request.subject;
        for (Worker& w : std::get<std::vector<Worker>>(workers)) intent.recipients.emplace_back(std::move(w));
        intent.facts = rendering::CollaborationFacts{request.type, request.subject, request.body};
        intent.metadata = {{"type", intent.about}};
        return intent;
    });
}

std::variant<sending::SentRequest, FieldError> StaffMessages::send(const SettingsSnapshot& snapshot,
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
