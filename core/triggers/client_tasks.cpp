#include <triggers/client_tasks.hpp>
#include <triggers/task_store.hpp>

#include <events/confirm_token.hpp>

namespace extcomm::triggers {
namespace {

constexpr TimeMs kDayMs = 86'400'000;

sending::Intent client_task_intent(const Task& task, agency::Client client, const agency::ClientTaskSettings& settings,
                                   const std::string& link) {
    sending::Intent intent;
    const bool engage = *task.delivery == agency::TaskDelivery::engage;
    intent.kind = engage ? rendering::MessageKind::client_task_engage : rendering::MessageKind::client_task_client_connect;
    intent.idempotency_key = "client-task:" + task.id;
    intent.about = task.id;
    intent.subject = task.title;
    intent.client = client.id;
    intent.recipients.emplace_back(std::move(client));
    intent.facts = rendering::ClientTaskFacts{task.title, engage ? task.message : std::string(), task.due_at,
                                              engage ? link : std::string(), engage ? std::string() : settings.portal_url};
    intent.channel = Channel::email; // a task's page or portal is reached from an email
    if (task.context) intent.context = task.context;
    intent.metadata = {{"task", task.id}};
    if (!task.rule.empty()) intent.metadata["rule"] = task.rule;
    if (!task.record.empty()) intent.metadata["record"] = task.record;
    return intent;
}

} // namespace

std::optional<std::string> client_unreachable(const agency::AgencySettings& settings, const std::string& id,
                                              const std::optional<agency::Client>& client, const TaskLinkUrl& link_url) {
    if (id.empty()) return "no client to assign the task to";
    if (!client) return "no client '" + id + "'";
    if (!settings.client_delivery.enabled) return std::string("Client Delivery is disabled for the agency");
    if (!client->email.given()) return "client '" + id + "' has no consented email address in use";
    if (settings.client_delivery.client_tasks.delivery == agency::TaskDelivery::engage && !link_url)
        return std::string("this service has no public address for task links (confirm_links.base_url)");
    return std::nullopt;
}

ClientTaskSent send_client_task(Database::Connection& c, sending::Batch& batch, Task task, agency::Client client,
                                const TaskLinkUrl& link_url, TimeMs now) {
    const agency::ClientTaskSettings& settings = batch.snapshot().settings.client_delivery.client_tasks;
    task.assignee = {AssigneeType::client, client.id};
    task.delivery = settings.delivery;
    const bool engage = settings.delivery == agency::TaskDelivery::engage;
    const std::string link_id = engage ? events::new_confirm_link_id() : std::string();
    ClientTaskSent sent{insert_task(c, std::move(task), now, link_id), 0};
    sent.request = batch.add(client_task_intent(sent.task, std::move(client), settings, engage ? link_url(link_id) : ""));
    return sent;
}

TimeMs link_expires_at(const Task& task, const agency::AgencySettings& settings) {
    return task.due_at + settings.client_delivery.client_tasks.link_grace_days * kDayMs;
}

} // namespace extcomm::triggers
