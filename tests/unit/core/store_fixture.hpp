#pragma once
// A fresh store and a clock the test moves by hand. The store is a SQLite file in a temporary folder, or,
// when EXTCOMM_TEST_STORE=postgresql (the `.postgresql` variants: extcomm_add_gtest(... BOTH_STORES)), a
// fresh database on a private PostgreSQL server started for the test process: every test that uses
// this fixture runs against both drivers.
#include "postgres_server.hpp"

#include <outbox/outbox.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

namespace extcomm::testing {

class StoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        folder_ = std::filesystem::temp_directory_path() /
                  ("extcomm-core-" + std::to_string(std::random_device{}()) + "-" + std::to_string(::getpid()));
        std::filesystem::create_directories(folder_);
        if (driver() == "postgresql") database_ = PostgresServer::shared().create_database();
        open();
    }
    void TearDown() override {
        outbox.reset();
        db.reset();
        std::filesystem::remove_all(folder_);
    }
    // The store this test process runs against: sqlite (default) or postgresql.
    static std::string driver() {
        const char* env = std::getenv("EXTCOMM_TEST_STORE");
        return env && *env ? env : "sqlite";
    }
    // Options that open this test's store (again, from another "host" or after a "restart").
    StoreOptions store_options() const {
        StoreOptions options;
        options.driver = driver();
        options.path = (folder_ / "extcomm.db").string();
        if (!database_.empty()) options.connection = PostgresServer::shared().connection(database_);
        return options;
    }
    void open() {
        outbox.reset();
        db.reset();
        db = std::make_unique<Database>(store_options());
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
    std::string database_; // postgresql
};

} // namespace extcomm::testing
