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
        {4,
         "agency settings and templates, and the audit of their changes",
         {
             // One row: how many changes were ever made. Writers update it first, which serialises them on
             // PostgreSQL (row lock) and numbers the audit entries; hosts compare it to see whether their
             // cached settings are stale.
             "CREATE TABLE settings_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)",
             "INSERT INTO settings_version (id, version) VALUES (1, 0)",
             // One JSON object per section (general, email, ...), as GET /v1/settings/{section} shows it.
             R"(CREATE TABLE agency_settings (
                  section TEXT PRIMARY KEY,
                  value TEXT NOT NULL,
                  updated_at BIGINT NOT NULL))",
             // The agency's own templates; a (kind, channel) without a row uses the default text.
             R"(CREATE TABLE agency_templates (
                  kind TEXT NOT NULL,
                  channel TEXT NOT NULL,
                  subject TEXT NOT NULL,
                  body TEXT NOT NULL,
                  html_body TEXT NOT NULL,
                  updated_at BIGINT NOT NULL,
                  PRIMARY KEY (kind, channel)))",
             // Who (the person named by the caller, the API token's name), when, what (a JSON diff).
             R"(CREATE TABLE settings_audit (
                  id BIGINT PRIMARY KEY,
                  at BIGINT NOT NULL,
                  actor TEXT NOT NULL,
                  token TEXT NOT NULL,
                  target TEXT NOT NULL,
                  changes TEXT NOT NULL))",
         }},
        {5,
         "people (workers, worker categories, clients and their consent, sites) and the message log's decisions",
         {
             // Message settings live on the worker row; the channel per collaboration type is one of
             // none|email|sms|both, in rendering::kAllCollaborationTypes order, comma-separated.
             R"(CREATE TABLE workers (
                  id TEXT PRIMARY KEY,
                  first_name TEXT NOT NULL,
                  last_name TEXT NOT NULL,
                  email TEXT NOT NULL,
                  mobile TEXT NOT NULL,
                  collaboration_channels TEXT NOT NULL,
                  event_notifications TEXT NOT NULL,
                  only_when_offline INTEGER NOT NULL,
                  reminder_minutes INTEGER NOT NULL,
                  first_event_reminder_minutes INTEGER NOT NULL,
                  notify_when_client_confirms INTEGER NOT NULL,
                  online INTEGER NOT NULL,
                  online_since BIGINT NOT NULL,
                  updated_at BIGINT NOT NULL))",
             R"(CREATE TABLE worker_categories (
                  id TEXT PRIMARY KEY,
                  name TEXT NOT NULL,
                  updated_at BIGINT NOT NULL))",
             R"(CREATE TABLE worker_category_members (
                  category_id TEXT NOT NULL REFERENCES worker_categories (id),
                  worker_id TEXT NOT NULL REFERENCES workers (id),
                  position INTEGER NOT NULL,
                  PRIMARY KEY (category_id, worker_id)))",
             "CREATE INDEX worker_category_members_worker ON worker_category_members (worker_id)",
             // Consent per channel: the contact entry chosen ('' = none) and when that choice was saved.
             R"(CREATE TABLE clients (
                  id TEXT PRIMARY KEY,
                  name TEXT NOT NULL,
                  email_entry TEXT NOT NULL,
                  email_address TEXT NOT NULL,
                  email_consented_at BIGINT NOT NULL,
                  sms_entry TEXT NOT NULL,
                  sms_address TEXT NOT NULL,
                  sms_consented_at BIGINT NOT NULL,
                  updated_at BIGINT NOT NULL))",
             R"(CREATE TABLE client_contacts (
                  client_id TEXT NOT NULL REFERENCES clients (id),
                  entry_id TEXT NOT NULL,
                  position INTEGER NOT NULL,
                  channel TEXT NOT NULL,
                  address TEXT NOT NULL,
                  in_use INTEGER NOT NULL,
                  PRIMARY KEY (client_id, entry_id)))",
             R"(CREATE TABLE sites (
                  id TEXT PRIMARY KEY,
                  name TEXT NOT NULL,
                  phone TEXT NOT NULL,
                  address TEXT NOT NULL,
                  time_zone TEXT NOT NULL,
                  updated_at BIGINT NOT NULL))",
             // Messages people send (worker messages, client messages), one row per request; the
             // idempotency key makes a retried API call return the first answer instead of sending again.
             R"(CREATE TABLE message_requests (
                  id TEXT PRIMARY KEY,
                  idempotency_key TEXT NOT NULL UNIQUE,
                  kind TEXT NOT NULL,
                  about TEXT NOT NULL,
                  subject TEXT NOT NULL,
                  client_id TEXT NOT NULL,
                  refusal_code TEXT NOT NULL,
                  refusal TEXT NOT NULL,
                  created_at BIGINT NOT NULL))",
             // The message log's decisions: per request, recipient and channel ('' = every channel),
             // sent (with the outbox message) or skipped with the reason.
             R"(CREATE TABLE decisions (
                  request_id TEXT NOT NULL REFERENCES message_requests (id),
                  position INTEGER NOT NULL,
                  recipient_kind TEXT NOT NULL,
                  recipient_id TEXT NOT NULL,
                  channel TEXT NOT NULL,
                  outcome TEXT NOT NULL,
                  reason_code TEXT NOT NULL,
                  reason TEXT NOT NULL,
                  recipient TEXT NOT NULL,
                  message_id TEXT NOT NULL,
                  decided_at BIGINT NOT NULL,
                  PRIMARY KEY (request_id, position)))",
             "CREATE INDEX decisions_recipient ON decisions (recipient_kind, recipient_id, decided_at)",
         }},
        {6,
         "service events (current and previous version) and the schedules of confirmations and reminders",
         {
             // The event as last received (JSON, events/service_event_json.hpp) and the version before it
             // ('' when first seen): what changed decides what happened.
             R"(CREATE TABLE service_events (
                  id TEXT PRIMARY KEY,
                  current_event TEXT NOT NULL,
                  previous_event TEXT NOT NULL,
                  start_at BIGINT NOT NULL,
                  status TEXT NOT NULL,
                  updated_at BIGINT NOT NULL))",
             // One row per pending confirmation or reminder, keyed so that a reschedule moves it and a
             // cancellation removes it; run_at is UTC ms. A row is deleted in the transaction that
             // enqueues its messages.
             R"(CREATE TABLE event_schedules (
                  event_id TEXT NOT NULL,
                  recipient_id TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  run_at BIGINT NOT NULL,
                  event_start BIGINT NOT NULL,
                  PRIMARY KEY (event_id, recipient_id, kind)))",
             "CREATE INDEX event_schedules_due ON event_schedules (run_at)",
         }},
        {7,
         "confirmations of service events (confirm links, SMS replies) and the key confirm links are signed with",
         {
             // One row per (event, client, start) once the confirmation went out or the client confirmed:
             // a moved event asks again (another start, another row). confirmed_at is 0 until confirmed;
             // via is 'link' or 'sms' then.
             R"(CREATE TABLE event_confirmations (
                  event_id TEXT NOT NULL,
                  client_id TEXT NOT NULL,
                  event_start BIGINT NOT NULL,
                  sent_at BIGINT NOT NULL,
                  confirmed_at BIGINT NOT NULL,
                  via TEXT NOT NULL,
                  PRIMARY KEY (event_id, client_id, event_start)))",
             // A "YES" by SMS: the client's pending confirmations, soonest event first.
             "CREATE INDEX event_confirmations_client ON event_confirmations (client_id, confirmed_at, event_start)",
             // ... found from the number it came from.
             "CREATE INDEX clients_sms_address ON clients (sms_address)",
             // Made once when the configuration sets no confirm_links.secret; shared by every host on the store.
             R"(CREATE TABLE confirm_link_key (
                  id INTEGER PRIMARY KEY,
                  secret TEXT NOT NULL,
                  created_at BIGINT NOT NULL))",
         }},
        {8,
         "outbox indexes hold only the rows their queries look for",
         {
             // A settled message leaves the claim and lease indexes and a message without a provider id
             // is not in that index: a settlement then removes two index entries and adds one, instead of
             // moving three. Queries repeat an index's WHERE term where the database must see it to use
             // the index (SQLite matches terms, it does not prove them).
             "DROP INDEX messages_due",
             "CREATE INDEX messages_due ON messages (transport, state, run_at) WHERE state IN ('queued', 'sending')",
             "DROP INDEX messages_lease",
             "CREATE INDEX messages_lease ON messages (lease_owner) WHERE lease_owner IS NOT NULL",
             "DROP INDEX messages_provider_id",
             "CREATE INDEX messages_provider_id ON messages (transport, provider_message_id) WHERE provider_message_id <> ''",
         }},
        {9,
         "confirm links by a random id; sites keep their phone number as entered",
         {
             // A confirm link's token carries only its id (events/confirm_token.hpp): what the link points at
             // is here, written in the transaction that enqueues its confirmation. event_start is when the
             // link expires (the row stays: it answers an old link with "expired" rather than "not valid").
             R"(CREATE TABLE confirm_links (
                  id TEXT PRIMARY KEY,
                  event_id TEXT NOT NULL,
                  client_id TEXT NOT NULL,
                  event_start BIGINT NOT NULL,
                  created_at BIGINT NOT NULL))",
             // sites.phone now holds the number as people wrote it ("03 9000 0000"), checked but not
             // rewritten, because messages show it as it is; numbers stored before are E.164, which stay
             // valid and are shown so until the site is saved again. Nothing sends to a site's phone.
         }},
        {10,
         "one spelling of every message kind",
         {
             // The outbox spelled kinds with underscores ("booking_notice") where settings, templates and
             // the API use hyphens; the message log called collaboration messages "worker-message".
             "UPDATE messages SET kind = REPLACE(kind, '_', '-') WHERE kind <> REPLACE(kind, '_', '-')",
             "UPDATE message_requests SET kind = 'collaboration-message' WHERE kind = 'worker-message'",
             "UPDATE message_requests SET idempotency_key = 'collaboration-message:' || SUBSTR(idempotency_key, 16) "
             "WHERE idempotency_key LIKE 'worker-message:%'",
         }},
        {11,
         "records, document templates, action triggers and their firing log; clients' birth date and agency fields",
         {
             // The current and previous version of each record the case-management system PUTs (the API's
             // form, JSON); version counts the changes, so a firing names the version it was about.
             R"(CREATE TABLE records (
                  kind TEXT NOT NULL,
                  id TEXT NOT NULL,
                  version BIGINT NOT NULL,
                  current_record TEXT NOT NULL,
                  previous_record TEXT NOT NULL,
                  updated_at BIGINT NOT NULL,
                  PRIMARY KEY (kind, id)))",
             R"(CREATE TABLE document_templates (
                  id TEXT PRIMARY KEY,
                  template TEXT NOT NULL,
                  updated_at BIGINT NOT NULL))",
             "ALTER TABLE clients ADD COLUMN birth_date TEXT NOT NULL DEFAULT ''",
             "ALTER TABLE clients ADD COLUMN agency_fields TEXT NOT NULL DEFAULT '{}'",
             // Server-assigned numbers: rule ids ("at-12") and the firing log's order. Taking one locks its
             // row (PostgreSQL), so numbers never collide between hosts.
             "CREATE TABLE trigger_counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
             "INSERT INTO trigger_counters (name, value) VALUES ('rule', 0)",
             "INSERT INTO trigger_counters (name, value) VALUES ('firing', 0)",
             // One row per rule; the rule is its API form (JSON). trigger_name and template_id are fixed once
             // created, so the rules a change may fire are found by index.
             R"(CREATE TABLE action_triggers (
                  id TEXT PRIMARY KEY,
                  trigger_name TEXT NOT NULL,
                  template_id TEXT NOT NULL,
                  enabled INTEGER NOT NULL,
                  rule TEXT NOT NULL,
                  created_at BIGINT NOT NULL,
                  updated_at BIGINT NOT NULL))",
             "CREATE INDEX action_triggers_firing ON action_triggers (trigger_name, template_id, enabled)",
             // One row per rule whose trigger matched a change: whether it fired, and the whole entry (JSON:
             // criteria outcomes, actions, recipients' decisions). record is "<kind>/<id>".
             R"(CREATE TABLE trigger_firings (
                  seq BIGINT PRIMARY KEY,
                  rule_id TEXT NOT NULL,
                  record TEXT NOT NULL,
                  fired_at BIGINT NOT NULL,
                  entry TEXT NOT NULL))",
             "CREATE INDEX trigger_firings_rule ON trigger_firings (rule_id, seq)",
             "CREATE INDEX trigger_firings_record ON trigger_firings (record, seq)",
         }},
        {12,
         "workflow tasks and the error log of action triggers",
         {
             // One row per task; the task is its stored form (JSON, triggers/task.hpp). state is 'open' or
             // 'completed' ("overdue" is read from due_at); seq orders and pages them ("t-<seq>").
             R"(CREATE TABLE tasks (
                  seq BIGINT PRIMARY KEY,
                  id TEXT NOT NULL UNIQUE,
                  assignee_type TEXT NOT NULL,
                  assignee_id TEXT NOT NULL,
                  state TEXT NOT NULL,
                  due_at BIGINT NOT NULL,
                  created_at BIGINT NOT NULL,
                  task TEXT NOT NULL))",
             "CREATE INDEX tasks_assignee ON tasks (assignee_type, assignee_id, seq)",
             "CREATE INDEX tasks_state ON tasks (state, due_at)",
             "INSERT INTO trigger_counters (name, value) VALUES ('task', 0)",
             // An action that had nobody to go to; its error notice is in error_notices.
             R"(CREATE TABLE trigger_errors (
                  seq BIGINT PRIMARY KEY,
                  rule_id TEXT NOT NULL,
                  rule_name TEXT NOT NULL,
                  record TEXT NOT NULL,
                  reason TEXT NOT NULL,
                  occurred_at BIGINT NOT NULL))",
             "INSERT INTO trigger_counters (name, value) VALUES ('error', 0)",
         }},
        {13,
         "verification codes, their daily counts and key; authentication messages claimed first, bodies erased",
         {
             // One row per code sent: only a keyed hash of the code (authentication/code.hpp), never the
             // code. state: pending | used | superseded | locked. message_id: the outbox message that
             // carries it, withdrawn when a newer code supersedes it while still queued.
             R"(CREATE TABLE verification_codes (
                  id TEXT PRIMARY KEY,
                  worker_id TEXT NOT NULL,
                  purpose TEXT NOT NULL,
                  channel TEXT NOT NULL,
                  code_hash TEXT NOT NULL,
                  state TEXT NOT NULL,
                  wrong_attempts INTEGER NOT NULL,
                  message_id TEXT NOT NULL,
                  created_at BIGINT NOT NULL,
                  expires_at BIGINT NOT NULL))",
             "CREATE INDEX verification_codes_worker ON verification_codes (worker_id, purpose, state)",
             // Codes per agency-local day ('YYYY-MM-DD'), per worker and in total (worker_id ''): the row is
             // locked while a code is counted (PostgreSQL), so hosts sharing the store count together.
             // alerted is 1 once the limit's alert went out that day.
             R"(CREATE TABLE verification_code_counts (
                  day TEXT NOT NULL,
                  worker_id TEXT NOT NULL,
                  codes INTEGER NOT NULL,
                  alerted INTEGER NOT NULL,
                  PRIMARY KEY (day, worker_id)))",
             // The key codes are hashed with: made once, shared by every host on the store.
             R"(CREATE TABLE verification_code_key (
                  id INTEGER PRIMARY KEY,
                  secret TEXT NOT NULL,
                  created_at BIGINT NOT NULL))",
             // priority 1: claimed before the transport's other messages (authentication messages).
             // secret_body 1: the body holds a secret: never shown, erased at the message's final state.
             "ALTER TABLE messages ADD COLUMN priority INTEGER NOT NULL DEFAULT 0",
             "ALTER TABLE messages ADD COLUMN secret_body INTEGER NOT NULL DEFAULT 0",
             "CREATE INDEX messages_priority ON messages (transport, run_at) WHERE priority > 0 AND state = 'queued'",
         }},
        {15,
         "retention: the columns old records are purged by, indexed; unknown receipts looked at with backoff",
         {
             // A receipt whose message is not known yet is looked at again at next_check_at (1 s, then
             // doubling up to an hour; outbox/receipts.cpp); checks counts the looks. 0: due now.
             "ALTER TABLE receipts ADD COLUMN checks INTEGER NOT NULL DEFAULT 0",
             "ALTER TABLE receipts ADD COLUMN next_check_at BIGINT NOT NULL DEFAULT 0",
             "DROP INDEX receipts_pending",
             "CREATE INDEX receipts_pending ON receipts (next_check_at) WHERE applied = 0",
             "CREATE INDEX receipts_unknown_age ON receipts (received_at) WHERE applied = 0",
             // What store/retention.cpp deletes by, oldest first, in small batches.
             "CREATE INDEX receipts_applied_age ON receipts (received_at) WHERE applied = 1",
             "CREATE INDEX replies_age ON replies (received_at)",
             "CREATE INDEX messages_settled_age ON messages (updated_at) WHERE state NOT IN ('queued', 'sending')",
             "CREATE INDEX message_requests_age ON message_requests (created_at)",
             "CREATE INDEX trigger_firings_age ON trigger_firings (fired_at)",
             "CREATE INDEX settings_audit_age ON settings_audit (at)",
             // GET /v1/message-log without a filter reads the newest decisions first.
             "CREATE INDEX decisions_newest ON decisions (decided_at)",
         }},
        {16,
         "time-based action triggers: their pending crossings as rows the scheduler claims",
         {
             // One row per (rule, record, individual): the next crossing of a time-based rule ("turns 18",
             // "not completed 7 days after creation"). due_at NULL: not known yet (no birth date); such a
             // row is re-keyed when the date arrives. A row goes when it fires or is logged missed, and
             // with its rule (disabled, deleted) or record (closed) (triggers/time_rules.hpp).
             R"(CREATE TABLE trigger_due (
                  rule_id TEXT NOT NULL,
                  record TEXT NOT NULL,
                  individual TEXT NOT NULL,
                  trigger_name TEXT NOT NULL,
                  due_at BIGINT,
                  PRIMARY KEY (rule_id, record, individual)))",
             "CREATE INDEX trigger_due_at ON trigger_due (due_at) WHERE due_at IS NOT NULL",
             "CREATE INDEX trigger_due_record ON trigger_due (record)",
             "CREATE INDEX trigger_due_individual ON trigger_due (individual)",
             // When extcomm first stored the record: a document without fields.created_at was created then.
             // 0: stored before this column (its updated_at stands in).
             "ALTER TABLE records ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0",
         }},
        {17,
         "client tasks: their link, their documents' answers, the overdue notice",
         {
             // A client task's link id (events/confirm_token.hpp, purpose client_task): the page finds its
             // task by it. NULL for worker tasks.
             "ALTER TABLE tasks ADD COLUMN link_id TEXT",
             "CREATE UNIQUE INDEX tasks_link ON tasks (link_id)",
             // 1 once the overdue task's workers were told: claimed by the UPDATE that sets it, so one host tells them.
             "ALTER TABLE tasks ADD COLUMN overdue_noticed INTEGER NOT NULL DEFAULT 0",
             "CREATE INDEX tasks_overdue ON tasks (assignee_type, overdue_noticed, state, due_at)",
             // One row per document of a client task: its answers (JSON, question id -> value), saved and
             // then submitted once: the key makes one row, and submitting sets submitted_at only while it is 0.
             R"(CREATE TABLE task_documents (
                  task_id TEXT NOT NULL,
                  template_id TEXT NOT NULL,
                  answers TEXT NOT NULL,
                  saved_at BIGINT NOT NULL,
                  submitted_at BIGINT NOT NULL,
                  PRIMARY KEY (task_id, template_id)))",
         }},
        {18,
         "discussions with clients: their threads and the links clients reply through",
         {
             // workers: a JSON array of worker ids (who gets the client's replies). context: where staff
             // started it (Client Delivery > Client Communications).
             R"(CREATE TABLE discussions (
                  seq BIGINT PRIMARY KEY,
                  id TEXT NOT NULL UNIQUE,
                  client_id TEXT NOT NULL,
                  context TEXT NOT NULL,
                  subject TEXT NOT NULL,
                  workers TEXT NOT NULL,
                  created_at BIGINT NOT NULL))",
             // author_type: 'worker' | 'client'; seq orders a thread (numbers shared by every discussion).
             R"(CREATE TABLE discussion_messages (
                  seq BIGINT PRIMARY KEY,
                  discussion_id TEXT NOT NULL,
                  author_type TEXT NOT NULL,
                  author_id TEXT NOT NULL,
                  body TEXT NOT NULL,
                  created_at BIGINT NOT NULL))",
             "CREATE INDEX discussion_messages_thread ON discussion_messages (discussion_id, seq)",
             // One row per link emailed to the client, by the random id its token carries; a link opens
             // its discussion until 30 days after sent_at (discussions/discussions.hpp).
             R"(CREATE TABLE discussion_links (
                  id TEXT PRIMARY KEY,
                  discussion_id TEXT NOT NULL,
                  sent_at BIGINT NOT NULL))",
             "INSERT INTO trigger_counters (name, value) VALUES ('discussion', 0)",
             "INSERT INTO trigger_counters (name, value) VALUES ('discussion-message', 0)",
         }},
        {19,
         "retention: confirm links purged by their event's start",
         {
             "CREATE INDEX confirm_links_by_start ON confirm_links (event_start)",
         }},
        {20,
         "discussions: a worker's message keyed by the caller's idempotency key",
         {
             // NULL for messages posted without a key (and the client's, from the page): never a duplicate.
             "ALTER TABLE discussion_messages ADD COLUMN idempotency_key TEXT",
             "CREATE UNIQUE INDEX discussion_messages_key ON discussion_messages (idempotency_key) "
             "WHERE idempotency_key IS NOT NULL",
         }},
        {21,
         "action triggers: a time rule's rows planned a page of records at a time",
         {
             // One row per time rule whose rows are being planned (triggers/time_rules.hpp): records after
             // `after_record` are still to do, in `zone`, for crossings after `since`.
             R"(CREATE TABLE trigger_planning (
                  rule_id TEXT PRIMARY KEY,
                  zone TEXT NOT NULL,
                  since BIGINT NOT NULL,
                  after_record TEXT NOT NULL))",
         }},
    };
    return all;
}

} // namespace extcomm
