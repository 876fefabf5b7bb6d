#pragma once
// The templates an agency starts with: the seed's Penelope texts ("Appointment reminder: …",
// "Appointment rescheduled: …", "Confirm Appt: …") and plain texts in the same voice for the rest.
#include <outbox/message.hpp>
#include <rendering/message_kind.hpp>
#include <rendering/template.hpp>

namespace extcomm::rendering {

// Every default passes check_template (a unit test holds this).
MessageTemplate default_template(MessageKind kind, Channel channel);

} // namespace extcomm::rendering
