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
        {2,
         "receipts, replies and error notices",
         {
             // Receipts name their message by the provider's id.
             "CREATE INDEX messages_provider_id ON messages (transport, provider_message_id)",
             // One row per distinct receipt (dedup_key: a repeated receipt is stored once). message_id is
             // '' while the message is not known yet (a receipt that overtook the settlement); applied is 0 until the
             // receipt has been applied to its message.
             R"(CREATE TABLE receipts (
                  dedup_key TEXT PRIMARY KEY,
                  message_id TEXT NOT NULL,
                  transport TEXT NOT NULL,
                  provider_message_id TEXT NOT NULL,
                  status TEXT NOT NULL,
                  provider_code TEXT NOT NULL,
                  provider_text TEXT NOT NULL,
                  occurred_at BIGINT NOT NULL,
                  received_at BIGINT NOT NULL,
                  applied INTEGER NOT NULL))",
             "CREATE INDEX receipts_message ON receipts (message_id)",
             "CREATE INDEX receipts_pending ON receipts (applied, received_at)",
             R"(CREATE TABLE replies (
                  dedup_key TEXT PRIMARY KEY,
                  transport TEXT NOT NULL,
                  sender TEXT NOT NULL,
                  text TEXT NOT NULL,
                  message_id TEXT NOT NULL,
                  provider_message_id TEXT NOT NULL,
                  provider_code TEXT NOT NULL,
                  provider_text TEXT NOT NULL,
                  occurred_at BIGINT NOT NULL,
                  received_at BIGINT NOT NULL))",
             "CREATE INDEX replies_message ON replies (message_id)",
             // What went wrong, until a digest email has reported it (digest_id set then).
             R"(CREATE TABLE error_notices (
                  id TEXT PRIMARY KEY,
                  kind TEXT NOT NULL,
                  message_id TEXT NOT NULL,
                  transport TEXT NOT NULL,
                  recipient TEXT NOT NULL,
                  code TEXT NOT NULL,
                  text TEXT NOT NULL,
                  occurred_at BIGINT NOT NULL,
                  digest_id TEXT))",
             "CREATE INDEX error_notices_digest ON error_notices (digest_id, occurred_at)",
         }},
        {3,
         "message kinds; transports paused until an operator resumes them",
         {
             "ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'message'",
             // A paused transport stays paused across restarts, unless its settings changed (the
             // fingerprint is a hash of them: the settings themselves may hold secrets).
             R"(CREATE TABLE transport_pauses (
                  transport TEXT PRIMARY KEY,
                  reason TEXT NOT NULL,
                  settings_fingerprint TEXT NOT NULL,
                  paused_at BIGINT NOT NULL))",
         }},
    };
    return all;
}

} // namespace extcomm
