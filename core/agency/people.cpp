#include <common/enum_names.hpp>
#include <common/iso_date.hpp>
#include <agency/people.hpp>
#include <outbox/recipient.hpp>
#include <rendering/local_time.hpp>

#include <extcomm/phone.hpp>

#include <algorithm>
#include <set>

namespace extcomm::agency {
namespace {

std::string trimmed(std::string_view s) {
    auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    auto last = s.find_last_not_of(" \t");
    return std::string(s.substr(first, last - first + 1));
}

std::string indexed(const std::string& name, std::size_t i) { return name + "[" + std::to_string(i) + "]"; }

// The consent for one channel after an update (see apply_client_update).
std::variant<Consent, FieldError> next_consent(const Consent& stored, const std::optional<std::string>& via,
                                               const std::vector<ContactEntry>& contacts, Channel channel,
                                               const std::string& field, TimeMs now) {
    auto entry_named = [&](const std::string& id) -> const ContactEntry* {
        for (const auto& e : contacts)
            if (e.id == id) return &e;
        return nullptr;
    };
    std::string chosen;
    if (via) {
        chosen = trimmed(*via);
        if (chosen.empty()) return Consent{};
        const ContactEntry* entry = entry_named(chosen);
        if (!entry) return FieldError{field, "names no contact entry of this client ('" + chosen + "')"};
        if (entry->channel != channel)
            return FieldError{field, "'" + chosen + "' is " + (entry->channel == Channel::email ? "an email address" : "a mobile number") +
                                         ", not " + (channel == Channel::email ? "an email address" : "a mobile number")};
        if (!entry->in_use)
            return FieldError{field, "'" + chosen + "' is not in use: only entries marked in use can be chosen"};
    } else {
        // Kept as it was, unless its entry went away or was marked not in use: then consent is withdrawn.
        if (!stored.given()) return Consent{};
        const ContactEntry* entry = entry_named(stored.entry);
        if (!entry || !entry->in_use || entry->channel != channel) return Consent{};
        chosen = stored.entry;
    }
    const ContactEntry* entry = entry_named(chosen);
    if (stored.given() && stored.entry == chosen && stored.address == entry->address) return stored;
    return Consent{chosen, entry->address, now};
}

} // namespace

namespace {
constexpr EnumNames<ChannelChoice, 4> kChoiceNames{{"none", "email", "sms", "both"}};
} // namespace

std::string_view to_string(ChannelChoice choice) { return kChoiceNames(choice); }
std::optional<ChannelChoice> channel_choice_from(std::string_view name) { return kChoiceNames.parse(name); }

std::vector<Channel> channels_of(ChannelChoice choice) {
    switch (choice) {
    case ChannelChoice::none: return {};
    case ChannelChoice::email: return {Channel::email};
    case ChannelChoice::sms: return {Channel::sms};
    case ChannelChoice::both: return {Channel::email, Channel::sms};
    }
    return {};
}

bool is_valid_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
}

std::variant<std::string, FieldError> normalise_phone(std::string_view input, const GeneralSettings& general,
                                                      const std::string& field) {
    phone::NumberOptions options;
    options.default_country_code = general.country_calling_code;
    options.trunk_prefix = general.trunk_prefix;
    auto result = phone::normalise_number(input, options);
    if (auto* number = std::get_if<phone::E164>(&result)) return number->with_plus();
    std::string reason = std::get<phone::NumberError>(result).text;
    // The SDK speaks of the destination number; here it is the number being entered.
    if (reason.rfind("the destination number", 0) == 0) reason.replace(0, 22, "the number");
    if (general.country_calling_code.empty() && reason.find("international format") != std::string::npos)
        reason += " (or set the agency's country calling code for national numbers)";
    return FieldError{field, reason};
}

std::variant<std::string, FieldError> check_email(std::string_view input, const std::string& field) {
    std::string address = trimmed(input);
    if (std::string problem = recipient_problem(Channel::email, address); !problem.empty())
        return FieldError{field, problem};
    return address;
}

std::optional<FieldError> normalise_worker(Worker& worker, const GeneralSettings& general) {
    if (trimmed(worker.first_name).empty()) return FieldError{"first_name", "is required"};
    worker.first_name = trimmed(worker.first_name);
    worker.last_name = trimmed(worker.last_name);
    if (!trimmed(worker.email).empty()) {
        auto checked = check_email(worker.email, "email");
        if (auto* error = std::get_if<FieldError>(&checked)) return *error;
        worker.email = std::get<std::string>(checked);
    } else {
        worker.email.clear();
    }
    if (!trimmed(worker.mobile).empty()) {
        auto number = normalise_phone(worker.mobile, general, "mobile");
        if (auto* error = std::get_if<FieldError>(&number)) return *error;
        worker.mobile = std::get<std::string>(number);
    } else {
        worker.mobile.clear();
    }
    std::set<std::string> seen;
    std::vector<std::string> categories;
    for (std::size_t i = 0; i < worker.categories.size(); ++i) {
        if (!is_valid_id(worker.categories[i]))
            return FieldError{indexed("categories", i), "is not a worker category id (1 to 64 of A-Z a-z 0-9 . _ -)"};
        if (seen.insert(worker.categories[i]).second) categories.push_back(worker.categories[i]);
    }
    worker.categories = std::move(categories);
    const auto& s = worker.message_settings;
    if (s.reminder_minutes < 0 || s.reminder_minutes > 10080)
        return FieldError{"message_settings.reminder_minutes", "must be 0 (none) to 10080 (a week)"};
    if (s.first_event_reminder_minutes < 0 || s.first_event_reminder_minutes > 10080)
        return FieldError{"message_settings.first_event_reminder_minutes", "must be 0 (none) to 10080 (a week)"};
    return std::nullopt;
}

std::optional<FieldError> normalise_site(Site& site, const GeneralSettings& general) {
    site.name = trimmed(site.name);
    if (site.name.empty()) return FieldError{"name", "is required"};
    // Checked like any number, but kept as written: messages show it to people ("03 9000 0000"), and
    // nothing is sent to it.
    site.phone = trimmed(site.phone);
    if (!site.phone.empty()) {
        auto number = normalise_phone(site.phone, general, "phone");
        if (auto* error = std::get_if<FieldError>(&number)) return *error;
    }
    site.time_zone = trimmed(site.time_zone);
    if (!site.time_zone.empty() && !rendering::is_known_time_zone(site.time_zone))
        return FieldError{"time_zone", "'" + site.time_zone + "' is not an IANA time zone (e.g. Australia/Sydney)"};
    return std::nullopt;
}

std::variant<Client, FieldError> apply_client_update(const std::optional<Client>& stored, ClientUpdate update,
                                                     const GeneralSettings& general, TimeMs now) {
    Client client;
    client.id = update.id;
    client.name = trimmed(update.name);
    if (client.name.empty()) return FieldError{"name", "is required"};
    if (!update.birth_date.empty() && !is_iso_date(update.birth_date))
        return FieldError{"birth_date", "must be a date as YYYY-MM-DD"};
    client.birth_date = std::move(update.birth_date);
    client.agency_fields = std::move(update.agency_fields);
    std::set<std::string> ids;
    for (std::size_t i = 0; i < update.contacts.size(); ++i) {
        ContactEntry entry = update.contacts[i];
        std::string at = indexed("contacts", i);
        if (!is_valid_id(entry.id)) return FieldError{at + ".id", "is required: 1 to 64 of A-Z a-z 0-9 . _ -"};
        if (!ids.insert(entry.id).second) return FieldError{at + ".id", "'" + entry.id + "' is used by another entry"};
        if (entry.channel == Channel::email) {
            auto checked = check_email(entry.address, at + ".address");
            if (auto* error = std::get_if<FieldError>(&checked)) return *error;
            entry.address = std::get<std::string>(checked);
        } else {
            auto number = normalise_phone(entry.address, general, at + ".address");
            if (auto* error = std::get_if<FieldError>(&number)) return *error;
            entry.address = std::get<std::string>(number);
        }
        client.contacts.push_back(std::move(entry));
    }
    auto email = next_consent(stored ? stored->email : Consent{}, update.email_via, client.contacts, Channel::email,
                              "email_via", now);
    if (auto* error = std::get_if<FieldError>(&email)) return *error;
    auto sms = next_consent(stored ? stored->sms : Consent{}, update.sms_via, client.contacts, Channel::sms, "sms_via", now);
    if (auto* error = std::get_if<FieldError>(&sms)) return *error;
    client.email = std::get<Consent>(email);
    client.sms = std::get<Consent>(sms);
    client.updated_at = now;
    return client;
}

} // namespace extcomm::agency
