// Fuzzes the one JSON member reader (common/json_reader.hpp) through its real users, the readers of API
// bodies: action trigger rules (rule_from_api), service events (PUT /v1/service-events/{id}), document
// templates and each section of the agency's settings. An input is the reader's name on the first line
// ("action-trigger", "service-event", "document-template", or a settings section: "general",
// "client_delivery", …), then the body. Invariants: a refusal names a field and says why; what a reader
// accepts, written back in the API's form, is accepted again and written the same (a round trip).
#include "invariant.hpp"

#include <agency/settings_json.hpp>
#include <events/service_event_json.hpp>
#include <triggers/document_template.hpp>
#include <triggers/rule.hpp>

#include <boost/json.hpp>

#include <string>
#include <string_view>
#include <variant>

using namespace extcomm;
namespace json = boost::json;

namespace {

// Runs `read` on the body, then again on what `write` makes of its answer.
template <class Read, class Write>
void check_reader(const json::value& body, Read read, Write write) {
    auto first = read(body);
    if (auto* error = std::get_if<FieldError>(&first)) {
        fuzz::require(!error->field.empty() && !error->reason.empty(), "a refusal names a field and says why");
        return;
    }
    const json::object written = write(std::get<0>(first));
    auto second = read(json::value(written));
    fuzz::require(second.index() == 0, "what was accepted, written back, is accepted again");
    fuzz::require(write(std::get<0>(second)) == written, "what was accepted reads back the same");
}

// The API's form as a body: the id is the route's, not the body's.
json::object without_id(json::object o) {
    o.erase("id");
    return o;
}

void check_settings_section(agency::SettingsSection section, const json::value& body) {
    const agency::SettingsCheck unchecked;
    auto read = [&](const json::value& v) -> std::variant<agency::AgencySettings, FieldError> {
        agency::AgencySettings settings;
        if (auto error = agency::read_section(section, v, unchecked, settings)) return *error;
        return settings;
    };
    check_reader(body, read, [&](const agency::AgencySettings& s) { return agency::to_json(s, section); });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto newline = text.find('\n');
    if (newline == std::string_view::npos) return 0;
    const std::string_view reader = text.substr(0, newline);
    std::error_code ec;
    const json::value body = json::parse(text.substr(newline + 1), ec);
    if (ec) return 0;
    if (reader == "action-trigger") {
        check_reader(body, triggers::rule_from_api, [](const triggers::Rule& rule) { return triggers::to_json(rule); });
    } else if (reader == "service-event") {
        check_reader(
            body, [](const json::value& v) { return events::service_event_from_api(v, "ev-1"); },
            [](const events::ServiceEvent& e) { return without_id(events::to_api_json(e)); });
    } else if (reader == "document-template") {
        check_reader(
            body, [](const json::value& v) { return triggers::document_template_from_api("dt-1", v); },
            [](const triggers::DocumentTemplate& t) { return without_id(triggers::to_json(t)); });
    } else if (auto section = agency::settings_section_from(reader)) {
        check_settings_section(*section, body);
    }
    return 0;
}
