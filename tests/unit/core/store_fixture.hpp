#pragma once
// A fresh SQLite store in a temporary folder, and a clock the test moves by hand.
#include <outbox/outbox.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>

namespace extcomm::testing {

class StoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        folder_ = std::filesystem::temp_directory_path() /
                  ("extcomm-core-" + std::to_string(std::random_device{}()) + "-" + std::to_string(::getpid()));
        std::filesystem::create_directories(folder_);
        open();
    }
    void TearDown() override {
        outbox.reset();
        db.reset();
        std::filesystem::remove_all(folder_);
    }
    void open() {
        outbox.reset();
        db.reset();
        StoreOptions options;
        options.path = (folder_ / "extcomm.db").string();
        db = std::make_unique<Database>(options);
        outbox = std::make_unique<Outbox>(*db, clock, outbox_options);
    }
    static NewMessage sms(std::string to = "+61491570156", std::string body = "Appointment reminder") {
        NewMessage m;
        m.channel = Channel::sms;
        m.transport = "sms";
        m.to = std::move(to);
        m.body = std::move(body);
        return m;
    }

    ManualClock clock{1'800'000'000'000};
    OutboxOptions outbox_options;
    std::unique_ptr<Database> db;
    std::unique_ptr<Outbox> outbox;

private:
    std::filesystem::path folder_;
};

} // namespace extcomm::testing
