// The store under several hosts: migrations applied once when hosts start together, and concurrent
// claims that never hand one message to two holders. Runs against SQLite and (the `.postgresql`
// variant) PostgreSQL; what only makes sense on a shared store is skipped on SQLite.
#include "store_fixture.hpp"

#include <store/migrations.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Data/Transaction.h>

#include <atomic>
#include <functional>
#include <future>
#include <set>
#include <thread>

namespace extcomm::testing {
namespace {

using Results = std::vector<std::pair<OutboundMessage, DeliveryResult>>;

TEST(DialectTest, PlaceholdersBecomeNumberedOnPostgreSQLOnly) {
    const char* portable = "UPDATE m SET a = ?, b = '?' WHERE c = ? AND d = \"odd?name\" AND e = 'it''s ?' LIMIT ?";
    EXPECT_EQ(to_dialect(Dialect::sqlite, portable), portable);
    EXPECT_EQ(to_dialect(Dialect::postgresql, portable),
              "UPDATE m SET a = $1, b = '?' WHERE c = $2 AND d = \"odd?name\" AND e = 'it''s ?' LIMIT $3");
}

// What a session promises at commit: SQLite's synchronous level, PostgreSQL's synchronous_commit.
std::string commit_promise(Database::Connection& c) {
    std::string value;
    if (c.dialect() == Dialect::sqlite) {
        int level = 0;
        c.session() << "PRAGMA synchronous", Poco::Data::Keywords::into(level), Poco::Data::Keywords::now;
        value = level == 2 ? "full" : level == 1 ? "normal" : std::to_string(level);
    } else {
        c.session() << "SHOW synchronous_commit", Poco::Data::Keywords::into(value), Poco::Data::Keywords::now;
    }
    return value;
}

TEST_F(StoreTest, ADeferredUnitOfWorkSkipsTheSyncAndLeavesTheSessionDurableAfterIt) {
    const bool sqlite = driver() == "sqlite";
    {
        auto c = db->connect(Durability::deferred);
        EXPECT_EQ(commit_promise(c), sqlite ? "normal" : "off");
        Poco::Data::Transaction tx(c.session());
        c.session() << "INSERT INTO settings_version (id, version) VALUES (2, 7)", Poco::Data::Keywords::now;
        tx.commit();
    }
    // Every session handed out afterwards (SQLite's one, or any of the pool's) makes durable commits again.
    for (int i = 0; i < 3; ++i) {
        auto c = db->connect();
        EXPECT_EQ(commit_promise(c), sqlite ? "full" : "on");
        long version = 0;
        c.session() << "SELECT version FROM settings_version WHERE id = 2", Poco::Data::Keywords::into(version),
            Poco::Data::Keywords::now;
        EXPECT_EQ(version, 7); // committed and visible, like any other commit
    }
}

TEST_F(StoreTest, AnAcceptanceWaitingForTheStoreGoesBeforeBookkeepingButNeverTwiceInARow) {
    if (driver() != "sqlite") GTEST_SKIP() << "PostgreSQL gives every caller a session of its own";
    auto spin_until = [](const std::function<bool()>& done) {
        while (!done()) std::this_thread::yield();
    };
    std::promise<void> let_go;
    std::atomic<bool> holding{false};
    std::thread holder([&] {
        auto c = db->connect(Durability::deferred); // a settlement has the connection
        holding = true;
        let_go.get_future().wait();
    });
    spin_until([&] { return holding.load(); });

    std::mutex m;
    std::vector<std::string> order;
    std::vector<std::thread> waiting;
    auto wait_for_turn = [&](Durability kind, const std::string& name) {
        const int before = db->waiting_for_turn();
        waiting.emplace_back([&, kind, name] {
            auto c = db->connect(kind);
            std::lock_guard lock(m);
            order.push_back(name);
        });
        spin_until([&] { return db->waiting_for_turn() == before + 1; });
    };
    wait_for_turn(Durability::deferred, "settle");
    wait_for_turn(Durability::deferred, "settle");
    wait_for_turn(Durability::durable, "accept");
    wait_for_turn(Durability::durable, "accept");
    let_go.set_value();
    holder.join();
    for (auto& t : waiting) t.join();
    EXPECT_EQ(order, (std::vector<std::string>{"accept", "settle", "accept", "settle"}));
}

// /metrics counts the whole message table: on SQLite that read must not wait for the writer nor keep it
// waiting, or every scrape of a large store would stall acceptances.
TEST_F(StoreTest, CountingTheWholeTableNeverWaitsForAWriterAndSeesOnlyWhatWasCommitted) {
    outbox->enqueue({sms("+15550100", "committed")});
    std::promise<void> let_go;
    std::promise<void> writing;
    std::thread writer([&] {
        auto c = db->connect(); // holds SQLite's one writer turn, a transaction open
        Poco::Data::Transaction tx(c.session());
        outbox->enqueue(c, {sms("+15550100", "not yet")});
        writing.set_value();
        let_go.get_future().wait();
        tx.rollback();
    });
    writing.get_future().wait();
    // On SQLite, a count in the writer's turn would wait here for ever (the writer waits for let_go).
    auto counts = outbox->count_by_state();
    auto depths = outbox->queue_depths();
    let_go.set_value();
    writer.join();
    EXPECT_EQ(counts[MessageState::queued], 1);
    EXPECT_EQ(depths["sms"], 1);
}

TEST_F(StoreTest, TheWriteAheadLogIsCheckpointedBesideTheWriters) {
    if (driver() != "sqlite") GTEST_SKIP() << "PostgreSQL checkpoints by itself";
    for (int i = 0; i < 20; ++i) {
        std::vector<NewMessage> batch(100, NewMessage{});
        for (auto& m : batch) {
            m.channel = Channel::sms;
            m.transport = "sms";
            m.to = "+15550100";
            m.body = std::string(500, 'x');
        }
        outbox->enqueue(std::move(batch));
    }
    // SQLite's own checkpoints are off (they would run inside a writer's commit); the store's
    // checkpointer copies the log into the database file on its own connection, so the file grows to
    // hold the ~1 MB of messages while nobody closes the store. Polled, not timed.
    {
        auto c = db->connect();
        int autocheckpoint = -1;
        c.session() << "PRAGMA wal_autocheckpoint", Poco::Data::Keywords::into(autocheckpoint), Poco::Data::Keywords::now;
        EXPECT_EQ(autocheckpoint, 0);
    }
    const std::filesystem::path file = store_options().path;
    for (int round = 0; round < 200 && std::filesystem::file_size(file) < 1'000'000; ++round)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_GE(std::filesystem::file_size(file), 1'000'000u);
}

// Under a steady stream of commits a checkpoint beside the writer never copies the whole WAL; left so, the
// WAL never starts over and grows by every commit, for as long as the stream lasts. Here a writer commits
// without a pause while checkpoints run at moments the test picks (after every few commits): the WAL file
// stays near what a few commits write, far below what the whole stream wrote.
TEST_F(StoreTest, UnderSteadyCommitsTheWriteAheadLogStartsOverInsteadOfGrowing) {
    if (driver() != "sqlite") GTEST_SKIP() << "PostgreSQL checkpoints by itself";
    constexpr int kRounds = 100, kCommitsPerRound = 5, kBatch = 50, kBody = 500;
    constexpr std::uintmax_t kBatchBytes = kBatch * kBody; // bodies alone: rows and indexes log ~2.5 times more
    std::atomic<int> commits{0};
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        while (!stop) {
            std::vector<NewMessage> batch(kBatch, sms("+61491570156", std::string(kBody, 'x')));
            outbox->enqueue(std::move(batch));
            commits.fetch_add(1);
            commits.notify_all();
        }
    });
    for (int round = 0; round < kRounds; ++round) {
        // Waits (no sleep) until the writer has committed kCommitsPerRound more since the last round.
        for (int seen = commits.load(); seen < (round + 1) * kCommitsPerRound; seen = commits.load())
            commits.wait(seen);
        db->checkpoint();
    }
    stop = true;
    writer.join();
    const auto written = static_cast<std::uintmax_t>(commits.load()) * kBatchBytes;
    const auto wal = std::filesystem::file_size(store_options().path + "-wal");
    EXPECT_LT(wal, written / 4) << "the WAL kept growing: " << wal << " bytes after " << commits.load()
                                << " commits of " << kBatchBytes << " bytes of message bodies each";
}

class SharedStoreTest : public StoreTest {
protected:
    // `n` hosts on this test's store. On PostgreSQL each is a Database of its own (its own pool, as
    // separate processes would have); SQLite is one process's store, so its "hosts" share the one.
    std::vector<Database*> hosts(int n) {
        std::vector<Database*> out;
        for (int i = 0; i < n; ++i) {
            if (driver() == "sqlite") {
                out.push_back(db.get());
            } else {
                others_.push_back(std::make_unique<Database>(store_options()));
                out.push_back(others_.back().get());
            }
        }
        return out;
    }

private:
    std::vector<std::unique_ptr<Database>> others_;
};

TEST_F(SharedStoreTest, HostsStartingTogetherApplyEachMigrationOnce) {
    if (driver() == "sqlite") GTEST_SKIP() << "an embedded store is opened by one process (store lock file)";
    // A database nobody has migrated yet, and three hosts opening it at the same moment.
    StoreOptions options = store_options();
    options.connection = PostgresServer::shared().connection(PostgresServer::shared().create_database());
    std::atomic<int> ready{0};
    std::vector<std::string> errors(3);
    std::vector<std::unique_ptr<Database>> opened(3);
    std::vector<std::thread> starters;
    for (int i = 0; i < 3; ++i) {
        starters.emplace_back([&, i] {
            ++ready;
            while (ready < 3) std::this_thread::yield(); // start together
            try {
                opened[i] = std::make_unique<Database>(options);
            } catch (const std::exception& e) {
                errors[i] = e.what();
            }
        });
    }
    for (auto& t : starters) t.join();
    for (int i = 0; i < 3; ++i) EXPECT_EQ(errors[i], "") << "host " << i;
    ASSERT_TRUE(opened[0]);
    auto c = opened[0]->connect();
    Poco::Data::Statement select(c.session());
    select << "SELECT version, COUNT(*) FROM schema_migrations GROUP BY version ORDER BY version", Poco::Data::Keywords::now;
    Poco::Data::RecordSet rs(select);
    ASSERT_EQ(rs.rowCount(), migrations().size());
    for (std::size_t row = 0; row < rs.rowCount(); ++row)
        EXPECT_EQ(rs.value(1, row).convert<int>(), 1) << "version " << rs.value(0, row).convert<int>();
}

TEST_F(SharedStoreTest, ConcurrentClaimsNeverHandOneMessageToTwoHolders) {
    constexpr int kMessages = 600;
    std::vector<NewMessage> batch;
    for (int i = 0; i < kMessages; ++i) batch.push_back(sms("+614915" + std::to_string(10000 + i)));
    outbox->enqueue(batch);

    // Three hosts, two workers each, claiming small batches and settling them, until nothing is due.
    auto dbs = hosts(3);
    std::vector<std::unique_ptr<Outbox>> outboxes;
    for (Database* d : dbs) outboxes.push_back(std::make_unique<Outbox>(*d, clock, outbox_options));
    std::mutex mutex;
    std::multiset<std::string> claimed;
    std::vector<std::string> errors;
    std::vector<std::thread> workers;
    for (int w = 0; w < 6; ++w) {
        workers.emplace_back([&, w] {
            Outbox& mine = *outboxes[static_cast<std::size_t>(w % 3)];
            std::string owner = "host-" + std::to_string(w % 3) + "/sms/" + std::to_string(w);
            try {
                for (;;) {
                    auto got = mine.claim("sms", owner, 25);
                    if (got.empty()) return;
                    Results results;
                    {
                        std::lock_guard lock(mutex);
                        for (const auto& m : got) {
                            claimed.insert(m.id);
                            results.push_back({m, DeliveryResult{Outcome::accepted, "p", "ok", "", 0}});
                        }
                    }
                    mine.settle(owner, results, RetryPolicy{});
                }
            } catch (const std::exception& e) {
                std::lock_guard lock(mutex);
                errors.push_back(e.what());
            }
        });
    }
    for (auto& t : workers) t.join();
    EXPECT_TRUE(errors.empty()) << errors.front();
    EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kMessages)); // each handed out once...
    EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), claimed.size()); // ...to one holder
    EXPECT_EQ(outbox->count_by_state()[MessageState::sent], kMessages);
}

TEST_F(SharedStoreTest, ADeadHostsLeasesGoToAnotherHostWhenTheyRunOut) {
    outbox->enqueue({sms(), sms(), sms()});
    auto dbs = hosts(2);
    Outbox a(*dbs[0], clock, outbox_options), b(*dbs[1], clock, outbox_options);
    ASSERT_EQ(a.claim("sms", "host-a/sms/0", 10).size(), 3u);
    EXPECT_TRUE(b.claim("sms", "host-b/sms/0", 10).empty()); // alive leases are respected
    clock.advance(outbox_options.lease_ms - 1);
    EXPECT_TRUE(b.claim("sms", "host-b/sms/0", 10).empty());
    clock.advance(2); // host-a never settled: its leases ran out
    auto taken = b.claim("sms", "host-b/sms/0", 10);
    ASSERT_EQ(taken.size(), 3u);
    for (const auto& m : taken) EXPECT_EQ(m.attempts, 2);
}

TEST_F(SharedStoreTest, AClaimSkipsRowsAnotherHostHoldsInsteadOfWaiting) {
    if (driver() == "sqlite") GTEST_SKIP() << "SQLite serialises all store access on one session";
    outbox->enqueue({sms(), sms()});
    auto dbs = hosts(1);
    // Hold a claim's row locks open in one session (as a host in the middle of a claim would)...
    auto holder = db->connect();
    Poco::Data::Transaction tx(holder.session());
    holder.session() << "SELECT id FROM messages FOR UPDATE", Poco::Data::Keywords::now;
    // ...another host's claim skips the locked rows instead of waiting for them.
    Outbox other(*dbs[0], clock, outbox_options);
    EXPECT_TRUE(other.claim("sms", "host-b/sms/0", 10).empty());
    tx.rollback();
    EXPECT_EQ(other.claim("sms", "host-b/sms/0", 10).size(), 2u);
}

// The store holds personal data and the confirm links' signing key: nobody but the service user may read
// it, whether the service made it or found it made wider by an older release.
TEST_F(StoreTest, TheSqliteStoreIsReadableByTheServiceUserOnly) {
    if (driver() != "sqlite") GTEST_SKIP() << "PostgreSQL's files are the server's";
    namespace fs = std::filesystem;
    const fs::path file = store_options().path;
    auto mode_of = [](const fs::path& p) { return fs::status(p).permissions() & fs::perms::mask; };
    const auto owner_only = fs::perms::owner_read | fs::perms::owner_write;
    outbox->enqueue({sms()}); // the WAL and its index exist now
    for (const char* suffix : {"", "-wal", "-shm"}) {
        fs::path p = file.string() + suffix;
        ASSERT_TRUE(fs::exists(p)) << p;
        EXPECT_EQ(mode_of(p), owner_only) << p;
    }
    outbox.reset();
    db.reset();
    fs::permissions(file, owner_only | fs::perms::group_read | fs::perms::others_read);
    open();
    EXPECT_EQ(mode_of(file), owner_only);
    EXPECT_EQ(outbox->queue_depths()["sms"], 1) << "the narrowed store still holds its message";
}

} // namespace
} // namespace extcomm::testing
