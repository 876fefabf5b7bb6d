#pragma once
// Client tasks: a New Document or Check List workflow sent to a client, by a rule ("assigned to client (if
// possible)") or by staff. Whether a task can go to the client is one question asked alike by both
// (client_unreachable); the task is then stored with a fresh link id and its message added to the
// caller's batch, in the caller's transaction:
//   - Engage: an email whose subject is the title, with the rich-text message and the link to the task's
//     page (/t/{token}; the token is the link id, signed for LinkPurpose::client_task);
//   - ClientConnect: an email saying a task waits in the agency's ClientConnect portal, with its address
//     and no document content; the case-management system reports completion (POST /v1/tasks/{id}/completion).
// A link works until the task's due date plus the agency's grace days (link_expires_at).
#include <triggers/task.hpp>

#include <agency/people.hpp>
#include <sending/pipeline.hpp>

#include <functional>
#include <optional>
#include <string>

namespace extcomm::triggers {

// The address of a client task's page from its link id; empty (no function) when this service has no
// public address.
using TaskLinkUrl = std::function<std::string(const std::string& link_id)>;

// Why a task cannot go to client `id` now, in the words of the firing log; nothing when it can. In order:
// no such client; Client Delivery off; no consented email address in use; Engage without a public address.
std::optional<std::string> client_unreachable(const agency::AgencySettings& settings, const std::string& id,
                                              const std::optional<agency::Client>& client, const TaskLinkUrl& link_url);

struct ClientTaskSent {
    Task task;
    std::size_t request = 0; // its message in the batch
};

// Stores `task` for `client` (reachable: client_unreachable said nothing) with its delivery and a link id,
// and adds its Engage or ClientConnect message to the batch.
ClientTaskSent send_client_task(Database::Connection& c, sending::Batch& batch, Task task, agency::Client client,
                                const TaskLinkUrl& link_url, TimeMs now);

// The last moment a client task's link opens its page.
TimeMs link_expires_at(const Task& task, const agency::AgencySettings& settings);

} // namespace extcomm::triggers
