#pragma once
// What the service-event tests on the store share: the agency's settings (email on `mail`, SMS on `sms`,
// Worker Delivery on, calling code 61), the people, the sending pipeline, the service events and the Scheduler, a clock at an
// hour before kNow while the test saves its people (so consent predates bookings made at kNow), and
// small builders of workers and events.
#include "store_fixture.hpp"

#include <agency/people_store.hpp>
#include <agency/settings_store.hpp>
#include <events/scheduler.hpp>
#include <events/service_events.hpp>
#include <sending/pipeline.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace extcomm::events::testing {

constexpr TimeMs kMinute = 60'000;
constexpr TimeMs kHour = 60 * kMinute;
constexpr TimeMs kNow = 1'789'862'400'000; // 2026-09-20 00:00 UTC (Sydney on AEST, +10)

class EventsTest : public extcomm::testing::StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        clock.set(kNow - kHour);
        snapshot = std::make_shared<agency::SettingsSnapshot>();
        make();
        auto& s = snapshot->settings;
        s.general.country_calling_code = "61";
        s.email = {true, "mail", true, ""};
        s.sms = {true, "sms"};
        s.worker_delivery.enabled = true;
    }
    void TearDown() override {
        scheduler.reset();
        events.reset();
        people.reset();
        pipeline.reset();
        StoreTest::TearDown();
    }
    // (Re)builds what sits on the store; after open() this is the "restarted host".
    void make() {
        people = std::make_unique<agency::PeopleStore>(*db, clock);
        pipeline = std::make_unique<sending::Pipeline>(*db, *outbox);
        events = std::make_unique<ServiceEvents>(*pipeline, *people, clock);
        scheduler = std::make_unique<Scheduler>(*pipeline, *people, clock, [this] { return snapshot; });
    }

    // A worker named after their id (last name Lee) with the event notification channels given.
    static agency::Worker worker(const std::string& id, agency::ChannelChoice event_notifications) {
        agency::Worker w;
        w.id = id;
        w.first_name = id;
        w.last_name = "Lee";
        w.email = id + "@agency.example";
        w.mobile = "0491570100";
        w.message_settings.event_notifications = event_notifications;
        return w;
    }
    void put(const agency::Worker& w) {
        ASSERT_TRUE(std::holds_alternative<agency::Saved>(people->put_worker(w, snapshot->settings.general)));
    }
    void put(const agency::ClientUpdate& u) {
        ASSERT_TRUE((std::holds_alternative<std::pair<agency::Saved, agency::Client>>(
            people->put_client(u, snapshot->settings.general))));
    }
    // A one-hour event of Ana (primary) and Ben with Jo, booked now.
    ServiceEvent event(const std::string& id, TimeMs start) const {
        ServiceEvent e;
        e.id = id;
        e.start = start;
        e.end = start + kHour;
        e.workers = {{"ana", true}, {"ben", false}};
        e.clients = {{"jo", true}};
        e.booked_at = clock.now_ms();
        return e;
    }
    long queued() { return outbox->count_by_state()[MessageState::queued]; }
    // The message log's decisions about a worker or a client, newest first.
    std::vector<sending::Decision> decisions_of(const std::string& worker, const std::string& client = "") {
        sending::DecisionFilter filter;
        filter.worker = worker;
        filter.client = client;
        return pipeline->log().find(filter);
    }

    std::shared_ptr<agency::SettingsSnapshot> snapshot;
    std::unique_ptr<agency::PeopleStore> people;
    std::unique_ptr<sending::Pipeline> pipeline;
    std::unique_ptr<ServiceEvents> events;
    std::unique_ptr<Scheduler> scheduler;
};

} // namespace extcomm::events::testing
