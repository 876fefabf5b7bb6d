// A service event as the API takes it (PUT /v1/service-events/{id}): ISO 8601 times with their offsets,
// and every refusal naming its field.
#include <events/service_event_json.hpp>

#include <gtest/gtest.h>

namespace extcomm::events {
namespace {

constexpr TimeMs kStart = 1'772'508'600'000; // 2026-03-03T03:30:00Z = 14:30 at +11:00

boost::json::object body() {
    return boost::json::parse(R"({"start": "2026-03-03T14:30:00+11:00", "end": "2026-03-03T15:30:00+11:00",
        "status": "booked", "workers": [{"id": "ana", "primary": true}, {"id": "ben"}], "clients": [{"id": "jo"}],
        "site": "north", "location": "Room 2", "service_file": "sf-1", "first_event": true, "group": false,
        "booked_at": "2026-03-01T09:00:00+11:00"})")
        .as_object();
}

std::string refused(const boost::json::object& o, std::string* reason = nullptr) {
    auto parsed = service_event_from_api(o, "ev1");
    auto* error = std::get_if<FieldError>(&parsed);
    if (!error) return "(accepted)";
    if (reason) *reason = error->reason;
    return error->field;
}

TEST(ServiceEventApiJson, ReadsEveryMemberWithTheOffsetsGiven) {
    auto parsed = service_event_from_api(body(), "ev1");
    ASSERT_TRUE(std::holds_alternative<ServiceEvent>(parsed)) << std::get<FieldError>(parsed).field;
    const auto& e = std::get<ServiceEvent>(parsed);
    EXPECT_EQ(e.id, "ev1");
    EXPECT_EQ(e.start, kStart);
    EXPECT_EQ(e.end, kStart + 3'600'000);
    EXPECT_EQ(e.start_offset_minutes, 660);
    EXPECT_EQ(e.status, EventStatus::booked);
    ASSERT_EQ(e.workers.size(), 2u);
    EXPECT_EQ(e.primary_worker(), "ana");
    ASSERT_EQ(e.clients.size(), 1u);
    EXPECT_TRUE(e.clients[0].primary); // the only client is the primary
    EXPECT_EQ(e.site, "north");
    EXPECT_EQ(e.location, "Room 2");
    EXPECT_TRUE(e.first_event);
    EXPECT_EQ(e.booked_at, kStart - 2 * 86'400'000 + (9 - 14) * 3'600'000 - 1'800'000);

    // Shown back as given.
    auto shown = to_api_json(e);
    EXPECT_EQ(shown["start"].as_string(), "2026-03-03T14:30:00+11:00");
    EXPECT_EQ(shown["end"].as_string(), "2026-03-03T15:30:00+11:00");
}

TEST(ServiceEventApiJson, TimesInEveryFormPenelopeMaySend) {
    EXPECT_EQ(parse_offset_time("2026-03-03T03:30:00Z")->at, kStart);
    EXPECT_EQ(parse_offset_time("2026-03-03T14:30:00+1100")->offset_minutes, 660);
    EXPECT_EQ(parse_offset_time("2026-03-02T22:30:00-05:00")->at, kStart);
    EXPECT_EQ(parse_offset_time("2026-03-02T22:30:00-05:00")->offset_minutes, -300);
    EXPECT_EQ(parse_offset_time("2026-03-03T14:30+11:00")->at, kStart);
    EXPECT_EQ(parse_offset_time("2026-03-03T14:30:00.250+11:00")->at, kStart + 250);
    EXPECT_FALSE(parse_offset_time("2026-03-03T14:30:00"));       // no offset: which 14:30?
    EXPECT_FALSE(parse_offset_time("2026-03-03 14:30:00+11:00")); // not ISO 8601
    EXPECT_FALSE(parse_offset_time("2026-02-30T14:30:00+11:00"));
    EXPECT_FALSE(parse_offset_time("2026-03-03T14:30:00+11:00 "));
    EXPECT_EQ(format_offset_time(kStart, 660), "2026-03-03T14:30:00+11:00");
    EXPECT_EQ(format_offset_time(kStart + 250, -300), "2026-03-02T22:30:00.250-05:00");
    EXPECT_EQ(format_offset_time(kStart, 0), "2026-03-03T03:30:00+00:00");
}

TEST(ServiceEventApiJson, TimesOnlyInSaneYearsWithRealOffsets) {
    EXPECT_TRUE(parse_offset_time("1900-01-01T00:00:00+00:00"));
    EXPECT_TRUE(parse_offset_time("2200-12-31T23:59:00+00:00"));
    EXPECT_TRUE(parse_offset_time("2026-03-03T14:30:00+10:59"));
    EXPECT_TRUE(parse_offset_time("2026-03-03T14:30:00-18:00"));
    for (const char* wrong : {"0000-03-03T14:30:00+11:00", "-001-03-03T14:30:00+11:00", "9999-03-03T14:30:00+11:00",
                              "1899-12-31T23:59:00+00:00", "2201-01-01T00:00:00+00:00",
                              // Read as an hour more by date::parse, but no clock shows 60 minutes.
                              "2026-03-03T14:30:00+10:60", "2026-03-03T14:30:00+1060", "2026-03-03T14:30:00+18:01",
                              "2026-03-03T14:30:00+19:00"})
        EXPECT_FALSE(parse_offset_time(wrong)) << wrong;
    // The year as written counts, not the UTC one.
    EXPECT_TRUE(parse_offset_time("2200-12-31T23:00:00-05:00"));
}

// Found by fuzz/json_members: date::parse read seconds it had not parsed (undefined behaviour, caught by
// Clang's UBSan when the stack held a NaN) for times without seconds and for garbled ones; those are now
// told apart before date::parse sees them.
TEST(ServiceEventApiJson, TimesWithGarbledMinutesOrSecondsAreRefused) {
    EXPECT_FALSE(parse_offset_time("2026-03-03T14:311:00+11:00"));
    EXPECT_FALSE(parse_offset_time("2026-03-03T14:30:+11:00"));
    EXPECT_FALSE(parse_offset_time("2026-03-03T14:30:0x+11:00"));
    EXPECT_FALSE(parse_offset_time("2026-03-03T14:3+11:00"));
    EXPECT_FALSE(parse_offset_time("2026-03-03T14:30:00.2500+11:00"));
    EXPECT_EQ(parse_offset_time("2026-03-03T14:30+11")->at, kStart);
    EXPECT_EQ(parse_offset_time("2026-03-03T03:30z")->at, kStart);
}

// Found by fuzz/json_members: a member named "" was refused naming no field at all.
TEST(ServiceEventApiJson, AMemberWithAnEmptyNameIsRefusedNamingTheBody) {
    auto o = body();
    o[""] = "north";
    std::string reason;
    EXPECT_EQ(refused(o, &reason), "body");
    EXPECT_EQ(reason, "has a member with an empty name");
}

TEST(ServiceEventApiJson, EveryRefusalNamesTheField) {
    std::string reason;
    auto without = [](const char* key) {
        auto o = body();
        o.erase(key);
        return o;
    };
    auto with = [](const char* key, boost::json::value v) {
        auto o = body();
        o[key] = std::move(v);
        return o;
    };
    EXPECT_EQ(refused(without("start")), "start");
    EXPECT_EQ(refused(without("end")), "end");
    EXPECT_EQ(refused(without("status")), "status");
    EXPECT_EQ(refused(without("workers")), "workers");
    EXPECT_EQ(refused(without("clients")), "clients");
    EXPECT_EQ(refused(without("booked_at")), "(accepted)"); // ServiceEvents::put fills it in
    EXPECT_EQ(refused(with("start", "tomorrow"), &reason), "start");
    EXPECT_NE(reason.find("ISO 8601"), std::string::npos);
    EXPECT_EQ(refused(with("end", "2026-03-03T14:00:00+11:00"), &reason), "end");
    EXPECT_EQ(reason, "must not be before start");
    EXPECT_EQ(refused(with("booked_at", 12)), "booked_at");
    EXPECT_EQ(refused(with("status", "postponed"), &reason), "status");
    EXPECT_NE(reason.find("no-show"), std::string::npos);
    EXPECT_EQ(refused(with("workers", boost::json::array{})), "workers");
    EXPECT_EQ(refused(with("workers", boost::json::parse(R"([{"id": "ana"}, {"id": "ben"}])")), &reason), "workers");
    EXPECT_EQ(reason, "must have exactly one primary (has 0)");
    EXPECT_EQ(refused(with("workers", boost::json::parse(R"([{"id": "ana", "primary": true}, {"id": "ana"}])"))),
              "workers[1].id");
    EXPECT_EQ(refused(with("workers", boost::json::parse(R"([{"id": "a b", "primary": true}])"))), "workers[0].id");
    EXPECT_EQ(refused(with("clients", boost::json::parse(R"([{"id": "jo", "primary": "yes"}])"))), "clients[0].primary");
    EXPECT_EQ(refused(with("clients", boost::json::parse(R"([{"id": "jo", "role": "x"}])"))), "clients[0].role");
    EXPECT_EQ(refused(with("clients", boost::json::parse(R"(["jo"])"))), "clients[0]");
    EXPECT_EQ(refused(with("site", "no such/site")), "site");
    EXPECT_EQ(refused(with("group", "no")), "group");
    EXPECT_EQ(refused(with("colour", "red")), "colour");
    auto first = without("service_file");
    EXPECT_EQ(refused(first), "first_event");
    auto parsed = service_event_from_api(boost::json::value("x"), "ev1");
    EXPECT_EQ(std::get<FieldError>(parsed).field, "body");
}

} // namespace
} // namespace extcomm::events
