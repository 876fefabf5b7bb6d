#include <store/migrations.hpp>

namespace extcomm {

// Times are Unix milliseconds (BIGINT). Text columns hold UTF-8.
const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all{
        {1,
         "outbox: messages and their delivery attempts",
         {
             R"(CREATE TABLE messages (
                  id TEXT PRIMARY KEY,
                  idempotency_key TEXT NOT NULL UNIQUE,
                  channel TEXT NOT NULL,
                  transport TEXT NOT NULL,
                  recipient TEXT NOT NULL,
                  subject TEXT NOT NULL,
                  body TEXT NOT NULL,
                  html_body TEXT NOT NULL,
                  metadata TEXT NOT NULL,
                  state TEXT NOT NULL,
                  attempts INTEGER NOT NULL,
                  created_at BIGINT NOT NULL,
                  run_at BIGINT NOT NULL,
                  expires_at BIGINT NOT NULL,
                  lease_owner TEXT,
                  lease_until BIGINT,
                  provider_message_id TEXT NOT NULL,
                  last_code TEXT NOT NULL,
                  last_text TEXT NOT NULL,
                  updated_at BIGINT NOT NULL))",
             "CREATE INDEX messages_due ON messages (transport, state, run_at)",
             "CREATE INDEX messages_lease ON messages (lease_owner)",
             R"(CREATE TABLE attempts (
                  message_id TEXT NOT NULL REFERENCES messages (id),
                  number INTEGER NOT NULL,
                  at BIGINT NOT NULL,
                  outcome TEXT NOT NULL,
                  provider_code TEXT NOT NULL,
                  provider_text TEXT NOT NULL,
                  provider_message_id TEXT NOT NULL,
                  PRIMARY KEY (message_id, number)))",
         }},
    };
    return all;
}

} // namespace extcomm
