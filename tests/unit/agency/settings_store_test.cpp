// The settings store: sections and templates round-trip through the store, bad values are refused naming
// the field and change nothing, every change is audited, the first-start seed is stored once, and another
// "host" on the same store sees a change after refresh(). Runs on SQLite and (the .postgresql variant)
// PostgreSQL.
#include "store_fixture.hpp"

#include <agency/settings_store.hpp>
#include <rendering/renderer.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace extcomm::agency {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;
using rendering::MessageKind;

class SettingsStoreTest : public testing::StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        settings = std::make_unique<SettingsStore>(*db, clock);
        check.transports = std::map<std::string, std::set<Channel>>{{"mail", {Channel::email}}, {"sms", {Channel::sms}}};
    }
    void TearDown() override {
        settings.reset();
        StoreTest::TearDown();
    }
    // Reopens the store, as a restarted host would.
    void restart() {
        settings.reset();
        open();
        settings = std::make_unique<SettingsStore>(*db, clock);
    }
    SnapshotPtr put(SettingsSection section, const char* text) {
        auto result = settings->put_section(section, json::parse(text), check, actor);
        if (auto* error = std::get_if<FieldError>(&result)) ADD_FAILURE() << error->field << ": " << error->reason;
        return std::holds_alternative<SnapshotPtr>(result) ? std::get<SnapshotPtr>(result) : nullptr;
    }
    FieldError refused(SettingsSection section, const char* text) {
        auto result = settings->put_section(section, json::parse(text), check, actor);
        if (!std::holds_alternative<FieldError>(result)) {
            ADD_FAILURE() << "accepted: " << text;
            return {};
        }
        return std::get<FieldError>(result);
    }

    std::unique_ptr<SettingsStore> settings;
    SettingsCheck check;
    Actor actor{"jsmith", "penelope"};
};

TEST_F(SettingsStoreTest, DefaultsUntilSomethingIsStored) {
    auto now = settings->current();
    EXPECT_EQ(now->version, 0);
    EXPECT_FALSE(now->settings.email.enabled);
    EXPECT_EQ(now->settings.general.time_zone, "UTC");
    EXPECT_TRUE(now->templates.is_default(MessageKind::booking_notice, Channel::sms));
    EXPECT_TRUE(settings->audit(10).empty());
}

TEST_F(SettingsStoreTest, EverySectionRoundTripsThroughTheStore) {
    put(SettingsSection::general, R"({"error_notice_category": "admins", "sms_prefix": "Northside Counsel:",
        "time_zone": "Australia/Sydney", "country_calling_code": "61", "trunk_prefix": "0"})");
    put(SettingsSection::email, R"({"enabled": true, "transport": "mail", "authentication_uses_standard": false,
        "authentication_transport": "mail"})");
    put(SettingsSection::sms, R"({"enabled": true, "transport": "sms"})");
    put(SettingsSection::worker_delivery, R"({"enabled": true, "last_minute_booking_hours": 4, "notify_no_show": true,
        "detail_levels": {"alert": "subject-only", "discussion": "disallow"}})");
    put(SettingsSection::client_delivery, R"({"enabled": true, "email_footer": "Reply STOP to opt out.",
        "confirmation": {"enabled": true, "hours_before": 48, "sender_worker": "w-17", "include_return_message": true},
        "send_booking_notification": true, "send_reschedule_notification": true,
        "contexts": ["service-file", "billing-policy", "profile"]})");
    put(SettingsSection::privacy, R"({"hide_event_location": true, "hide_worker_last_name": true, "hide_site_name": true})");
    const json::object written = to_json(settings->current()->settings);

    restart();
    auto now = settings->current();
    EXPECT_EQ(to_json(now->settings), written);
    const AgencySettings& s = now->settings;
    EXPECT_EQ(s.general.sms_prefix, "Northside Counsel:");
    EXPECT_EQ(s.general.time_zone, "Australia/Sydney");
    EXPECT_EQ(s.general.error_notice_category, "admins");
    EXPECT_FALSE(s.email.authentication_uses_standard);
    EXPECT_EQ(s.sms.transport, "sms");
    EXPECT_EQ(s.worker_delivery.last_minute_booking_hours, 4);
    EXPECT_EQ(s.worker_delivery.detail_levels[static_cast<std::size_t>(rendering::CollaborationType::alert)],
              rendering::DetailLevel::subject_only);
    EXPECT_EQ(s.worker_delivery.detail_levels[static_cast<std::size_t>(rendering::CollaborationType::discussion)],
              rendering::DetailLevel::disallow);
    EXPECT_EQ(s.worker_delivery.detail_levels[static_cast<std::size_t>(rendering::CollaborationType::reminder)],
              rendering::DetailLevel::subject_and_body);
    EXPECT_EQ(s.client_delivery.confirmation.hours_before, 48);
    EXPECT_EQ(s.client_delivery.contexts,
              (std::set<ClientContext>{ClientContext::profile, ClientContext::service_file, ClientContext::billing_policy}));
    EXPECT_TRUE(s.privacy.hide_site_name);
    // What the renderer gets.
    auto render = now->render_settings();
    EXPECT_EQ(render.sms_prefix, "Northside Counsel:");
    EXPECT_EQ(render.email_footer, "Reply STOP to opt out.");
    EXPECT_TRUE(render.privacy.hide_event_location);
}

TEST_F(SettingsStoreTest, APutReplacesTheWholeSectionAndLeftOutMembersTakeTheirDefaults) {
    put(SettingsSection::general, R"({"sms_prefix": "Acme:", "time_zone": "Europe/London"})");
    put(SettingsSection::general, R"({"sms_prefix": "Acme:"})");
    EXPECT_EQ(settings->current()->settings.general.time_zone, "UTC");
}

TEST_F(SettingsStoreTest, RefusedValuesNameTheFieldAndChangeNothing) {
    put(SettingsSection::general, R"({"sms_prefix": "Acme:"})");
    const auto before = settings->current();
    struct Case {
        SettingsSection section;
        const char* body;
        const char* field;
        const char* says;
    };
    const Case cases[] = {
        {SettingsSection::general, R"({"sms_prefix": "123456789012345678901"})", "general.sms_prefix", "at most 20 characters"},
        {SettingsSection::general, R"({"time_zone": "Mars/Base"})", "general.time_zone", "'Mars/Base' is not an IANA time zone"},
        {SettingsSection::general, R"({"country_calling_code": "061"})", "general.country_calling_code", "digits"},
        {SettingsSection::general, R"({"sms_prefix": 5})", "general.sms_prefix", "must be a string"},
        {SettingsSection::general, R"({"sms_prefx": "x"})", "general.sms_prefx", "not a setting"},
        {SettingsSection::general, R"([1])", "general", "JSON object"},
        {SettingsSection::email, R"({"enabled": true, "transport": "x"})", "email.transport", "no transport named 'x' carries email"},
        {SettingsSection::email, R"({"enabled": true, "transport": "sms"})", "email.transport", "no transport named 'sms' carries email"},
        {SettingsSection::email, R"({"enabled": true})", "email.transport", "is required"},
        {SettingsSection::email, R"({"enabled": true, "transport": "mail", "authentication_uses_standard": false})",
         "email.authentication_transport", "is required"},
        {SettingsSection::email, R"({"enabled": "yes"})", "email.enabled", "true or false"},
        {SettingsSection::sms, R"({"enabled": true, "transport": "mail"})", "sms.transport", "carries sms"},
        {SettingsSection::worker_delivery, R"({"detail_levels": {"alert": "everything"}})", "worker_delivery.detail_levels.alert",
         "must be one of subject-and-body, subject-only, disallow"},
        {SettingsSection::worker_delivery, R"({"detail_levels": {"memo": "disallow"}})", "worker_delivery.detail_levels.memo",
         "not a collaboration type"},
        {SettingsSection::worker_delivery, R"({"last_minute_booking_hours": -1})", "worker_delivery.last_minute_booking_hours",
         "between 0 and 720"},
        {SettingsSection::worker_delivery, R"({"last_minute_booking_hours": 1.5})", "worker_delivery.last_minute_booking_hours",
         "whole number"},
        {SettingsSection::client_delivery, R"({"confirmation": {"enabled": true}})", "client_delivery.confirmation.sender_worker",
         "is required"},
        {SettingsSection::client_delivery, R"({"confirmation": {"hours_before": 0}})", "client_delivery.confirmation.hours_before",
         "between 1 and 720"},
        {SettingsSection::client_delivery, R"({"contexts": ["profile", "fax"]})", "client_delivery.contexts[1]", "must be one of"},
        {SettingsSection::privacy, R"({"hide_site_name": 1})", "privacy.hide_site_name", "true or false"},
    };
    for (const Case& c : cases) {
        FieldError error = refused(c.section, c.body);
        EXPECT_EQ(error.field, c.field) << c.body;
        EXPECT_THAT(error.reason, HasSubstr(c.says)) << c.body;
    }
    EXPECT_EQ(settings->current(), before);
    EXPECT_EQ(settings->audit(100).size(), 1u);
    restart();
    EXPECT_EQ(settings->current()->settings.general.sms_prefix, "Acme:");
}

TEST_F(SettingsStoreTest, APrefixOfExactlyTwentyCharactersIsAccepted) {
    put(SettingsSection::general, R"({"sms_prefix": "12345678901234567890"})");
    put(SettingsSection::general, R"({"sms_prefix": "Café €uro Ø 45678901"})"); // 20 characters, not 20 bytes
    EXPECT_EQ(settings->current()->settings.general.sms_prefix, "Café €uro Ø 45678901");
}

TEST_F(SettingsStoreTest, APrefixOutsideGsm7IsRefused) {
    auto refused = settings->put_section(SettingsSection::general, json::parse(R"({"sms_prefix": "Northside ☺"})"),
                                         SettingsCheck{}, actor);
    ASSERT_TRUE(std::holds_alternative<FieldError>(refused));
    EXPECT_EQ(std::get<FieldError>(refused).field, "general.sms_prefix");
    EXPECT_THAT(std::get<FieldError>(refused).reason, HasSubstr("GSM-7"));
    EXPECT_EQ(settings->current()->settings.general.sms_prefix, "");
    put(SettingsSection::general, R"({"sms_prefix": "Northside: €5 [info]"})"); // extension characters are GSM-7
}

TEST_F(SettingsStoreTest, EveryChangeIsAuditedWithWhoWhenAndWhatNewestFirst) {
    put(SettingsSection::general, R"({"sms_prefix": "Acme:"})");
    clock.advance(60'000);
    actor = {"mlee", "admin-console"};
    put(SettingsSection::client_delivery, R"({"confirmation": {"hours_before": 48}})");
    put(SettingsSection::client_delivery, R"({"confirmation": {"hours_before": 48}})"); // no change: no entry

    auto entries = settings->audit(10);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].target, "client_delivery");
    EXPECT_EQ(entries[0].actor, "mlee");
    EXPECT_EQ(entries[0].token, "admin-console");
    EXPECT_EQ(entries[0].at, clock.now_ms());
    EXPECT_EQ(entries[0].changes, (json::object{{"confirmation.hours_before", {{"from", 24}, {"to", 48}}}}));
    EXPECT_EQ(entries[1].target, "general");
    EXPECT_EQ(entries[1].actor, "jsmith");
    EXPECT_EQ(entries[1].changes, (json::object{{"sms_prefix", {{"from", ""}, {"to", "Acme:"}}}}));
    EXPECT_GT(entries[0].id, entries[1].id);
    EXPECT_EQ(settings->current()->version, entries[0].id);

    auto older = settings->audit(10, entries[0].id);
    ASSERT_EQ(older.size(), 1u);
    EXPECT_EQ(older[0].id, entries[1].id);
    EXPECT_EQ(settings->audit(1).size(), 1u);
}

TEST_F(SettingsStoreTest, TemplatesAreSetCheckedAuditedAndResetToTheDefault) {
    auto result = settings->put_template(MessageKind::booking_notice, Channel::sms,
                                         json::parse(R"({"body": "Booked: {{date}} at {{time}}{{#site}}, {{site}}{{/site}}"})"),
                                         SettingsCheck{}, actor);
    ASSERT_TRUE(std::holds_alternative<SnapshotPtr>(result));
    EXPECT_FALSE(settings->current()->templates.is_default(MessageKind::booking_notice, Channel::sms));

    restart();
    EXPECT_EQ(settings->current()->templates.get(MessageKind::booking_notice, Channel::sms).body,
              "Booked: {{date}} at {{time}}{{#site}}, {{site}}{{/site}}");

    auto entries = settings->audit(10);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].target, "templates.booking-notice.sms");
    EXPECT_EQ(entries[0].changes.at("default"), (json::value{{"from", true}, {"to", false}}));

    settings->reset_template(MessageKind::booking_notice, Channel::sms, actor);
    EXPECT_TRUE(settings->current()->templates.is_default(MessageKind::booking_notice, Channel::sms));
    restart();
    EXPECT_TRUE(settings->current()->templates.is_default(MessageKind::booking_notice, Channel::sms));
    EXPECT_EQ(settings->audit(10).size(), 2u);
}

TEST_F(SettingsStoreTest, AChangeThatWouldCutTheConfirmLinkIsRefusedNamingTheField) {
    SettingsCheck check;
    check.confirm_link_characters = 61; // "https://agency.example.org/extcomm/c/" and a 24-character token
    const auto links_on = json::parse(R"({"enabled": true, "confirmation": {"enabled": true, "sender_worker": "sam",
                                         "include_return_message": true}})");
    ASSERT_TRUE(std::holds_alternative<SnapshotPtr>(
        settings->put_section(SettingsSection::client_delivery, links_on, check, actor)));
    // The default template with a 20-character prefix fits (150 characters on the longest date)…
    ASSERT_TRUE(std::holds_alternative<SnapshotPtr>(settings->put_section(
        SettingsSection::general, json::parse(R"({"sms_prefix": "Northside Counsel 01"})"), check, actor)));
    // …a longer template does not.
    auto refused = settings->put_template(
        MessageKind::confirmation_with_link, Channel::sms,
        json::parse(R"({"body": "Please confirm your appointment on {{date}} at {{time}}: {{confirm_link}} )"
                    R"((or reply YES to this message)."})"),
        check, actor);
    ASSERT_TRUE(std::holds_alternative<FieldError>(refused));
    EXPECT_EQ(std::get<FieldError>(refused).field, "templates.confirmation-with-link.sms.body");
    EXPECT_THAT(std::get<FieldError>(refused).reason, HasSubstr("would not fit one SMS"));
    EXPECT_TRUE(settings->current()->templates.is_default(MessageKind::confirmation_with_link, Channel::sms));
    // A longer link: the prefix that no longer leaves it room is refused, naming it.
    check.confirm_link_characters = 75;
    auto prefix = settings->put_section(SettingsSection::general,
                                        json::parse(R"({"sms_prefix": "Northside Counsel 02"})"), check, actor);
    ASSERT_TRUE(std::holds_alternative<FieldError>(prefix));
    EXPECT_EQ(std::get<FieldError>(prefix).field, "general.sms_prefix");
    EXPECT_EQ(settings->current()->settings.general.sms_prefix, "Northside Counsel 01");
}

TEST_F(SettingsStoreTest, TemplatesThatDoNotParseOrUseUnknownVariablesAreRefusedWithTheReason) {
    struct Case {
        MessageKind kind;
        Channel channel;
        const char* body;
        const char* field;
        std::vector<const char*> says;
    };
    const Case cases[] = {
        {MessageKind::booking_notice, Channel::sms, R"({"body": "Appointment reminder: {{clinet}}"})",
         "templates.booking-notice.sms.body", {"line 1, column", "clinet", "date"}},
        {MessageKind::booking_notice, Channel::sms, R"({"body": "{{#site}}at {{site}}"})", "templates.booking-notice.sms.body",
         {"site"}},
        {MessageKind::booking_notice, Channel::sms, R"({"subject": "x", "body": "{{date}}"})",
         "templates.booking-notice.sms.subject", {"no subject"}},
        {MessageKind::confirmation, Channel::email, R"({"body": "{{date}}"})", "templates.confirmation.email.subject",
         {"needs a subject"}},
        {MessageKind::booking_notice, Channel::sms, R"({"body": 3})", "templates.booking-notice.sms.body", {"must be a string"}},
        {MessageKind::booking_notice, Channel::sms, R"({"text": "x"})", "templates.booking-notice.sms.text", {"not a setting"}},
    };
    for (const Case& c : cases) {
        auto result = settings->put_template(c.kind, c.channel, json::parse(c.body), SettingsCheck{}, actor);
        ASSERT_TRUE(std::holds_alternative<FieldError>(result)) << c.body;
        const auto& error = std::get<FieldError>(result);
        EXPECT_EQ(error.field, c.field) << c.body;
        for (const char* s : c.says) EXPECT_THAT(error.reason, HasSubstr(s)) << c.body;
    }
    EXPECT_TRUE(settings->audit(10).empty());
    EXPECT_EQ(settings->current()->version, 0);
}

TEST_F(SettingsStoreTest, AChangeTakesEffectForMessagesRenderedAfterIt) {
    rendering::RenderRequest request{MessageKind::booking_notice, Channel::sms,
                                     rendering::ServiceEventFacts{1'800'000'000'000, 0, {"Jo", "Bloggs"}, {"Northside", "", ""}, "", ""}};
    auto before = settings->current();
    put(SettingsSection::general, R"({"sms_prefix": "Acme:"})");
    put(SettingsSection::privacy, R"({"hide_site_name": true})");
    auto after = settings->current();
    auto old_text = std::get<rendering::RenderedMessage>(rendering::Renderer(before->templates).render(request, before->render_settings()));
    auto new_text = std::get<rendering::RenderedMessage>(rendering::Renderer(after->templates).render(request, after->render_settings()));
    EXPECT_THAT(old_text.body, HasSubstr("Northside"));
    EXPECT_EQ(old_text.body.rfind("Acme: ", 0), std::string::npos);
    EXPECT_EQ(new_text.body.rfind("Acme: ", 0), 0u);
    EXPECT_EQ(new_text.body.find("Northside"), std::string::npos);
}

TEST_F(SettingsStoreTest, TheConfigurationSeedsTheStoreOnFirstStartOnly) {
    auto seeded = settings->seed(json::parse(R"({"general": {"sms_prefix": "Acme:", "error_notice_category": "admins"},
        "privacy": {"hide_site_name": true},
        "templates": {"booking-notice": {"sms": {"body": "Booked {{date}} {{time}}"}}}})"),
                                 check);
    ASSERT_TRUE(std::holds_alternative<bool>(seeded));
    EXPECT_TRUE(std::get<bool>(seeded));
    EXPECT_EQ(settings->current()->settings.general.error_notice_category, "admins");
    auto entries = settings->audit(10);
    ASSERT_EQ(entries.size(), 3u);
    for (const auto& e : entries) EXPECT_EQ(e.actor, "configuration");

    put(SettingsSection::general, R"({"sms_prefix": "Changed:"})");
    restart();
    auto again = settings->seed(json::parse(R"({"general": {"sms_prefix": "Acme:"}})"), check);
    EXPECT_FALSE(std::get<bool>(again));
    EXPECT_EQ(settings->current()->settings.general.sms_prefix, "Changed:");
    EXPECT_FALSE(settings->current()->templates.is_default(MessageKind::booking_notice, Channel::sms));
    // A transport that is not running at a later start does not stop it: the store's settings count.
    auto transport_down = settings->seed(json::parse(R"({"email": {"enabled": true, "transport": "mail-2"}})"), check);
    ASSERT_TRUE(std::holds_alternative<bool>(transport_down));
    EXPECT_FALSE(std::get<bool>(transport_down));
}

TEST_F(SettingsStoreTest, ABadSeedNamesTheFieldUnderAgencyAndStoresNothing) {
    const std::pair<const char*, const char*> cases[] = {
        {R"({"general": {"sms_prefix": "123456789012345678901"}})", "agency.general.sms_prefix"},
        {R"({"genral": {}})", "agency.genral"},
        {R"({"email": {"enabled": true, "transport": "nope"}})", "agency.email.transport"},
        {R"({"templates": {"booking-notice": {"sms": {"body": "{{clinet}}"}}}})", "agency.templates.booking-notice.sms.body"},
        {R"({"templates": {"memo": {}}})", "agency.templates.memo"},
    };
    for (const auto& [text, field] : cases) {
        auto result = settings->seed(json::parse(text), check);
        ASSERT_TRUE(std::holds_alternative<FieldError>(result)) << text;
        EXPECT_EQ(std::get<FieldError>(result).field, field);
    }
    EXPECT_EQ(settings->current()->version, 0);
}

TEST_F(SettingsStoreTest, AnotherHostSeesAChangeAfterRefresh) {
    SettingsStore other(*db, clock); // a second host's cache on the same store
    EXPECT_FALSE(other.refresh());
    put(SettingsSection::general, R"({"sms_prefix": "Acme:"})");
    EXPECT_EQ(other.current()->settings.general.sms_prefix, "");
    EXPECT_TRUE(other.refresh());
    EXPECT_EQ(other.current()->settings.general.sms_prefix, "Acme:");
    EXPECT_FALSE(other.refresh());
}

TEST_F(SettingsStoreTest, ASnapshotStaysWhatItWasWhileANewOneIsPublished) {
    auto held = settings->current();
    put(SettingsSection::general, R"({"sms_prefix": "Acme:"})");
    EXPECT_EQ(held->settings.general.sms_prefix, "");
    EXPECT_EQ(settings->current()->settings.general.sms_prefix, "Acme:");
}

} // namespace
} // namespace extcomm::agency
