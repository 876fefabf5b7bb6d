// People's contact details and clients' consent: normalised at entry, refused with the reason, consent
// only through in-use entries and dated when it was given.
#include <agency/people.hpp>

#include <gtest/gtest.h>

namespace extcomm::agency {
namespace {

GeneralSettings australia() {
    GeneralSettings g;
    g.country_calling_code = "61";
    g.trunk_prefix = "0";
    return g;
}

TEST(PhoneNumbers, NationalNumbersGetTheAgencysCallingCode) {
    auto n = normalise_phone("0491 570 156", australia(), "mobile");
    ASSERT_TRUE(std::holds_alternative<std::string>(n));
    EXPECT_EQ(std::get<std::string>(n), "+61491570156");
}

TEST(PhoneNumbers, InternationalNumbersStayWhatTheyAre) {
    for (const char* typed : {"+61 491 570 156", "0061491570156", "(+61) 491-570-156"}) {
        auto n = normalise_phone(typed, australia(), "mobile");
        ASSERT_TRUE(std::holds_alternative<std::string>(n)) << typed;
        EXPECT_EQ(std::get<std::string>(n), "+61491570156") << typed;
    }
}

TEST(PhoneNumbers, InvalidNumbersAreRefusedNamingTheFieldWithTheReason) {
    for (const char* typed : {"0491 57O 156", "+61+491570156", "12", "+0491570156", "+1234567890123456"}) {
        auto n = normalise_phone(typed, australia(), "contacts[2].address");
        ASSERT_TRUE(std::holds_alternative<FieldError>(n)) << typed;
        EXPECT_EQ(std::get<FieldError>(n).field, "contacts[2].address");
        EXPECT_EQ(std::get<FieldError>(n).reason.rfind("the number", 0), 0u) << std::get<FieldError>(n).reason;
    }
}

TEST(PhoneNumbers, WithoutACallingCodeNationalNumbersAreRefusedSayingWhatToSet) {
    auto n = normalise_phone("0491 570 156", GeneralSettings{}, "mobile");
    ASSERT_TRUE(std::holds_alternative<FieldError>(n));
    EXPECT_NE(std::get<FieldError>(n).reason.find("country calling code"), std::string::npos);
}

TEST(Workers, ContactDetailsAreNormalisedAndBadOnesRefused) {
    Worker w;
    w.id = "w1";
    w.first_name = " Sam ";
    w.email = " sam@example.org ";
    w.mobile = "0491570156";
    ASSERT_FALSE(normalise_worker(w, australia()));
    EXPECT_EQ(w.first_name, "Sam");
    EXPECT_EQ(w.email, "sam@example.org");
    EXPECT_EQ(w.mobile, "+61491570156");

    Worker bad = w;
    bad.email = "sam at example.org";
    auto error = normalise_worker(bad, australia());
    ASSERT_TRUE(error);
    EXPECT_EQ(error->field, "email");

    bad = w;
    bad.mobile = "call me";
    error = normalise_worker(bad, australia());
    ASSERT_TRUE(error);
    EXPECT_EQ(error->field, "mobile");

    bad = w;
    bad.message_settings.reminder_minutes = -5;
    error = normalise_worker(bad, australia());
    ASSERT_TRUE(error);
    EXPECT_EQ(error->field, "message_settings.reminder_minutes");
}

TEST(Sites, TimeZoneMustBeKnownAndPhoneIsCheckedButKeptAsWritten) {
    Site s{"s1", "Central", " 02 9999 0000 ", "1 Main St", "Australia/Sydney", 0};
    ASSERT_FALSE(normalise_site(s, australia()));
    EXPECT_EQ(s.phone, "02 9999 0000"); // shown to clients as the agency writes it
    Site not_a_number = s;
    not_a_number.phone = "call reception";
    auto bad = normalise_site(not_a_number, australia());
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->field, "phone");
    s.time_zone = "Mars/Olympus";
    auto error = normalise_site(s, australia());
    ASSERT_TRUE(error);
    EXPECT_EQ(error->field, "time_zone");
}

ClientUpdate jo() {
    ClientUpdate u;
    u.id = "c1";
    u.name = "Jo Client";
    u.contacts = {{"home", Channel::email, "jo@example.org", true},
                  {"work", Channel::email, "jo@work.example.org", true},
                  {"mobile", Channel::sms, "0491 570 156", true},
                  {"old-mobile", Channel::sms, "0491 570 157", false}};
    return u;
}

Client applied(const std::optional<Client>& stored, ClientUpdate u, TimeMs now) {
    auto r = apply_client_update(stored, std::move(u), australia(), now);
    if (auto* e = std::get_if<FieldError>(&r)) ADD_FAILURE() << e->field << ": " << e->reason;
    return std::get<Client>(r);
}

TEST(Consent, ChoosingAnInUseEntryIsConsentDatedNow) {
    ClientUpdate u = jo();
    u.email_via = "home";
    u.sms_via = "mobile";
    Client c = applied(std::nullopt, u, 1000);
    EXPECT_EQ(c.email.entry, "home");
    EXPECT_EQ(c.email.address, "jo@example.org");
    EXPECT_EQ(c.email.consented_at, 1000);
    EXPECT_EQ(c.sms.address, "+61491570156");
    EXPECT_EQ(c.sms.consented_at, 1000);
    EXPECT_EQ(c.contacts[2].address, "+61491570156");
}

TEST(Consent, BlankMeansNoConsent) {
    ClientUpdate u = jo();
    u.email_via = "";
    Client c = applied(std::nullopt, u, 1000);
    EXPECT_FALSE(c.email.given());
    EXPECT_FALSE(c.sms.given()); // never chosen
}

TEST(Consent, UnchangedChoiceKeepsItsTimeAChangedOneIsDatedAgain) {
    ClientUpdate u = jo();
    u.email_via = "home";
    Client first = applied(std::nullopt, u, 1000);
    Client again = applied(first, u, 2000);
    EXPECT_EQ(again.email.consented_at, 1000);
    u.email_via = "work";
    Client moved = applied(again, u, 3000);
    EXPECT_EQ(moved.email.entry, "work");
    EXPECT_EQ(moved.email.consented_at, 3000);
    // The same entry with another address is a new consent: it is another destination.
    ClientUpdate readdressed = u;
    readdressed.contacts[1].address = "jo@new.example.org";
    Client c = applied(moved, readdressed, 4000);
    EXPECT_EQ(c.email.address, "jo@new.example.org");
    EXPECT_EQ(c.email.consented_at, 4000);
}

TEST(Consent, OmittingTheChoiceKeepsIt) {
    ClientUpdate u = jo();
    u.sms_via = "mobile";
    Client first = applied(std::nullopt, u, 1000);
    ClientUpdate contacts_only = jo(); // email_via and sms_via absent
    Client c = applied(first, contacts_only, 2000);
    EXPECT_EQ(c.sms.entry, "mobile");
    EXPECT_EQ(c.sms.consented_at, 1000);
}

TEST(Consent, AnEntryNotInUseCannotBeChosen) {
    ClientUpdate u = jo();
    u.sms_via = "old-mobile";
    auto r = apply_client_update(std::nullopt, u, australia(), 1000);
    ASSERT_TRUE(std::holds_alternative<FieldError>(r));
    EXPECT_EQ(std::get<FieldError>(r).field, "sms_via");
    EXPECT_NE(std::get<FieldError>(r).reason.find("not in use"), std::string::npos);
}

TEST(Consent, MarkingTheChosenEntryNotInUseWithdrawsConsent) {
    ClientUpdate u = jo();
    u.sms_via = "mobile";
    Client first = applied(std::nullopt, u, 1000);
    ClientUpdate unmarked = jo();
    unmarked.contacts[2].in_use = false;
    Client c = applied(first, unmarked, 2000);
    EXPECT_FALSE(c.sms.given());
    EXPECT_EQ(c.sms.consented_at, 0);
    // Removing the entry does the same.
    Client again = applied(std::nullopt, u, 1000);
    ClientUpdate removed = jo();
    removed.contacts.erase(removed.contacts.begin() + 2);
    EXPECT_FALSE(applied(again, removed, 2000).sms.given());
}

TEST(Consent, TheChoiceMustNameAnEntryOfThatChannel) {
    ClientUpdate u = jo();
    u.email_via = "mobile";
    auto r = apply_client_update(std::nullopt, u, australia(), 1000);
    ASSERT_TRUE(std::holds_alternative<FieldError>(r));
    EXPECT_EQ(std::get<FieldError>(r).field, "email_via");
    u.email_via = "nowhere";
    r = apply_client_update(std::nullopt, u, australia(), 1000);
    ASSERT_TRUE(std::holds_alternative<FieldError>(r));
    EXPECT_EQ(std::get<FieldError>(r).field, "email_via");
}

TEST(Consent, BadEntriesAreRefusedNamingTheEntry) {
    ClientUpdate u = jo();
    u.contacts[1].address = "not an address";
    auto r = apply_client_update(std::nullopt, u, australia(), 1000);
    ASSERT_TRUE(std::holds_alternative<FieldError>(r));
    EXPECT_EQ(std::get<FieldError>(r).field, "contacts[1].address");

    u = jo();
    u.contacts[3].address = "049157015x";
    r = apply_client_update(std::nullopt, u, australia(), 1000);
    ASSERT_TRUE(std::holds_alternative<FieldError>(r));
    EXPECT_EQ(std::get<FieldError>(r).field, "contacts[3].address");

    u = jo();
    u.contacts[1].id = "home";
    r = apply_client_update(std::nullopt, u, australia(), 1000);
    ASSERT_TRUE(std::holds_alternative<FieldError>(r));
    EXPECT_EQ(std::get<FieldError>(r).field, "contacts[1].id");
}

} // namespace
} // namespace extcomm::agency
