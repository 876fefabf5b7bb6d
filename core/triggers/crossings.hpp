#pragma once
// When a time-based rule's crossing falls, and which crossings a record has (pure). Times are on the
// agency's clock (an IANA zone; unknown: UTC):
//   - a participant turns `age` at the start of that birthday; a 29 February birthday falls on 28
//     February in other years;
//   - a document is "not completed N days after creation" at the same time of day N calendar days after
//     its creation: its fields.created_at when the case-management system sends one (an ISO date: the
//     start of that day), else when extcomm first stored it.
// A crossing is keyed by (rule, record, individual): the participant, or the document's completed-for
// client ("" when none).
#include <triggers/catalogue.hpp>
#include <triggers/record_store.hpp>
#include <triggers/rule.hpp>

#include <common/clock.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace extcomm::triggers {

// nullopt: the birth date is not an ISO date.
std::optional<TimeMs> birthday_at(std::string_view birth_date, int age, std::string_view zone);
TimeMs not_completed_at(const StoredRecord& document, int days, std::string_view zone);

struct Crossing {
    std::string rule;
    std::string record;     // the firing log's key: "service-file/sf-1", "document/d-1"
    std::string individual; // a client id; "" = none
    Trigger trigger = Trigger::participant_turns_age;
    std::optional<TimeMs> due_at; // nullopt: not known yet (the participant has no birth date)

    bool same_key(const Crossing& other) const {
        return rule == other.rule && record == other.record && individual == other.individual;
    }
};

// Client id: birth date ("" = unknown); clients not in it are not stored yet (birth date unknown).
using BirthDates = std::unordered_map<std::string, std::string>;

// The clients a record's age rules watch: a service file's primary member and other members.
std::vector<std::string> participants(const Record& record);
// The crossings `rule` (time-based) watches on `record` as it is now: one per participant of a service
// file; one for a document of the rule's template while it is in progress; none otherwise.
std::vector<Crossing> crossings_of(const Rule& rule, const StoredRecord& record, const BirthDates& births,
                                   std::string_view zone);

} // namespace extcomm::triggers
