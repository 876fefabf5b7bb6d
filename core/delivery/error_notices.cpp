#include <common/enum_names.hpp>
#include <common/log_text.hpp>
#include <common/masking.hpp>
#include <delivery/error_notices.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>
#include <Poco/UUIDGenerator.h>
#include <spdlog/spdlog.h>

#include <cstdio>

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;

namespace extcomm {
namespace {

constexpr EnumNames<NoticeKind, 4> kKinds{{"message_rejected", "message_failed", "transport_paused", "action_unassigned"}};

NoticeKind kind_from(std::string_view s) { return kKinds.parse(s).value_or(NoticeKind::message_failed); }

// How a digest says what happened.
std::string_view what_happened(NoticeKind kind) {
    switch (kind) {
    case NoticeKind::message_rejected: return "refused for good (check the recipient's number or address)";
    case NoticeKind::message_failed: return "not delivered after every attempt";
    case NoticeKind::transport_paused: return "transport paused (it sends nothing until its configuration is fixed)";
    case NoticeKind::action_unassigned: return "an action trigger's action had nobody to go to (GET /v1/errors)";
    }
    return "not delivered";
}

// Provider texts go into an email as one line of bounded length.
std::string one_line(std::string_view s, std::size_t max = 300) {
    std::string out;
    for (char c : s) {
        if (out.size() >= max) {
            out += "...";
            break;
        }
        out += (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
    }
    return out;
}

// Provider texts often repeat the address ("The phone number +27... is not valid"): mask it there too.
std::string scrubbed(std::string text, const std::string& address) {
    if (address.empty()) return text;
    std::string masked = masked_address(address);
    auto replace_all = [&](const std::string& needle, const std::string& with) {
        if (needle.size() < 4) return;
        for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + with.size()))
            text.replace(at, needle.size(), with);
    };
    replace_all(address, masked);
    if (address[0] == '+') replace_all(address.substr(1), masked.substr(1)); // "27001234567" without its '+'
    return text;
}

// FNV-1a: the same pending notices give the same digest id, so a digest enqueued just before a crash
// (and not yet marked as sent) is not enqueued twice after the restart.
std::string digest_id_of(const std::vector<std::string>& ids) {
    std::uint64_t h = 1469598103934665603ULL;
    for (const auto& id : ids) {
        for (unsigned char c : id) h = (h ^ c) * 1099511628211ULL;
        h = (h ^ 0x1f) * 1099511628211ULL;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string new_id() { return Poco::UUIDGenerator::defaultGenerator().createRandom().toString(); }

} // namespace

std::string_view to_string(NoticeKind kind) { return kKinds(kind); }

void store_error_notice(Database::Connection& c, const ErrorNotice& n, const std::string& id_in) {
    std::string id = id_in, kind(to_string(n.kind)), message_id = n.message_id, transport = n.transport,
                recipient = n.recipient, code = one_line(n.code, 100), text = one_line(n.text);
    TimeMs at = n.occurred_at;
    c.session() << c.sql("INSERT INTO error_notices (id, kind, message_id, transport, recipient, code, text, occurred_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"),
        use(id), use(kind), use(message_id), use(transport), use(recipient), use(code), use(text), bind(at), now;
}

ErrorNotices::ErrorNotices(sending::Pipeline& pipeline, const Clock& clock, ErrorNoticeOptions options)
    : db_(pipeline.database()), pipeline_(pipeline), clock_(clock), options_(std::move(options)),
      last_digest_at_(clock.now_ms()) {}

bool ErrorNotices::is_notice(const OutboundMessage& message) {
    return message.kind == rendering::to_string(rendering::MessageKind::error_notice_digest) ||
           message.idempotency_key.compare(0, kKeyPrefix.size(), kKeyPrefix) == 0;
}

void ErrorNotices::record(const ErrorNotice& n, const std::string& id_in) {
    try {
        std::string id = id_in, kind(to_string(n.kind)), transport = n.transport;
        {
            auto c = db_.connect();
            auto& s = c.session();
            if (n.kind == NoticeKind::transport_paused) {
                // A transport that keeps being paused before anyone read the digest is listed once.
                std::int64_t waiting = 0;
                s << c.sql("SELECT COUNT(*) FROM error_notices WHERE kind = ? AND transport = ? AND digest_id IS NULL"),
                    use(kind), use(transport), into(waiting), now;
                if (waiting > 0) return;
            }
            store_error_notice(c, n, id);
        }
        maybe_pending_ = true;
    } catch (const Poco::Exception& e) {
        spdlog::error("error notice ({} {}) could not be stored: {}", to_string(n.kind),
                      n.message_id.empty() ? n.transport : n.message_id, e.displayText());
    } catch (const std::exception& e) {
        // The delivery goes on; only the notice is lost, and the message's own state still tells.
        spdlog::error("error notice ({} {}) could not be stored: {}", to_string(n.kind),
                      n.message_id.empty() ? n.transport : n.message_id, e.what());
    }
}

void ErrorNotices::on_attempt(const OutboundMessage& message, const DeliveryResult& result, MessageState ended_in,
                              TimeMs now_ms) {
    bool exhausted = ended_in == MessageState::failed;
    if (ended_in != MessageState::rejected && !exhausted) return;
    if (is_notice(message)) {
        spdlog::error("error-notice digest {} to {} could not be delivered on transport {}: {} {}", message.id,
                      masked_address(message.to), message.transport, loggable(result.provider_code),
                      loggable(result.provider_text));
        return;
    }
    NoticeKind kind = exhausted ? NoticeKind::message_failed : NoticeKind::message_rejected;
    std::string text = scrubbed(result.provider_text, message.to);
    if (exhausted) text = "gave up after " + std::to_string(message.attempts) + " attempts; last: " + text;
    record(ErrorNotice{kind, message.id, message.transport, masked_address(message.to), result.provider_code, text, now_ms},
           std::string(to_string(kind)) + ":" + message.id);
}

void ErrorNotices::on_receipt(const OutboundMessage& message, const Receipt& receipt, TimeMs now_ms) {
    if (receipt.status != MessageState::failed && receipt.status != MessageState::rejected) return;
    if (is_notice(message)) {
        spdlog::error("error-notice digest {} to {} was not delivered: {} {}", message.id, masked_address(message.to),
                      loggable(receipt.provider_code), loggable(receipt.provider_text));
        return;
    }
    // Not delivered for good after the provider took it: as actionable as a refusal (bad number, bounce).
    record(ErrorNotice{NoticeKind::message_rejected, message.id, message.transport, masked_address(message.to),
                       receipt.provider_code, scrubbed(receipt.provider_text, message.to), now_ms},
           "message_rejected:" + message.id);
}

void ErrorNotices::transport_paused(const std::string& name, const std::string& reason) {
    record(ErrorNotice{NoticeKind::transport_paused, "", name, "", "paused", reason, clock_.now_ms()},
           "transport_paused:" + name + ":" + new_id());
}

void ErrorNotices::on_transport_paused(const std::string& transport, const std::string& reason, TimeMs now_ms) {
    record(ErrorNotice{NoticeKind::transport_paused, "", transport, "", "paused", reason, now_ms},
           "transport_paused:" + transport + ":" + new_id());
}

namespace {

// The notices not reported yet, oldest first, with their ids.
std::pair<std::vector<ErrorNotice>, std::vector<std::string>> unreported(Database::Connection& c) {
    Statement select(c.session());
    select << c.sql("SELECT kind, message_id, transport, recipient, code, text, occurred_at, id FROM error_notices "
                    "WHERE digest_id IS NULL ORDER BY occurred_at, id"),
        now;
    RecordSet rs(select);
    std::pair<std::vector<ErrorNotice>, std::vector<std::string>> out;
    for (std::size_t row = 0; row < rs.rowCount(); ++row) {
        auto text = [&](std::size_t col) { return rs.value(col, row).convert<std::string>(); };
        out.first.push_back(ErrorNotice{kind_from(text(0)), text(1), text(2), text(3), text(4), text(5),
                                        rs.value(6, row).convert<std::int64_t>()});
        out.second.push_back(text(7));
    }
    return out;
}

// What the digest's template is rendered from: the notices, transport pauses first, at most `max_items`.
rendering::ErrorDigestFacts digest_facts(const std::vector<ErrorNotice>& notices, std::size_t max_items) {
    rendering::ErrorDigestFacts facts;
    for (NoticeKind kind : {NoticeKind::transport_paused, NoticeKind::action_unassigned, NoticeKind::message_rejected,
                            NoticeKind::message_failed})
        for (const ErrorNotice& n : notices) {
            if (n.kind != kind) continue;
            if (facts.notices.size() >= max_items) {
                ++facts.not_listed;
                continue;
            }
            facts.notices.push_back({std::string(what_happened(kind)), n.recipient, n.transport,
                                     (n.code.empty() || kind == NoticeKind::transport_paused ? "" : n.code + " ") + n.text,
                                     n.occurred_at, n.message_id});
        }
    return facts;
}

} // namespace

std::vector<ErrorNotice> ErrorNotices::pending() {
    auto c = db_.connect();
    return unreported(c).first;
}

std::size_t ErrorNotices::flush_due() {
    std::lock_guard flushing(flush_mutex_);
    TimeMs now_ms = clock_.now_ms();
    if (now_ms - last_digest_at_ < options_.interval_ms) return 0;
    if (!maybe_pending_.exchange(false)) return 0;
    try {
        auto [notices, ids] = [&] {
            auto c = db_.connect(); // released before the digest takes its own (one connection at a time on SQLite)
            return unreported(c);
        }();
        if (notices.empty()) return 0;
        std::size_t sent = send_digest(notices, ids);
        last_digest_at_ = now_ms;
        return sent;
    } catch (const Poco::Exception& e) {
        maybe_pending_ = true; // try again on the next call
        throw std::runtime_error("store: " + e.displayText());
    } catch (...) {
        maybe_pending_ = true;
        throw;
    }
}

// One digest to every recipient, and the notices marked as reported in it, in one transaction.
std::size_t ErrorNotices::send_digest(const std::vector<ErrorNotice>& notices, const std::vector<std::string>& ids) {
    sending::Intent intent;
    intent.kind = rendering::MessageKind::error_notice_digest;
    const std::string digest = digest_id_of(ids);
    intent.idempotency_key = std::string(kKeyPrefix) + digest;
    intent.about = digest;
    if (options_.category_members)
        for (agency::Worker& w : options_.category_members()) intent.recipients.emplace_back(std::move(w));
    for (const std::string& address : options_.recipients) intent.recipients.emplace_back(sending::OperatorAddress{address});
    intent.facts = digest_facts(notices, options_.max_items);
    intent.transport = options_.transport;
    intent.metadata = {{"digest_id", digest}};
    auto c = db_.connect();
    Poco::Data::Transaction tx(c.session());
    const sending::SentRequest sent = sending::send(pipeline_, c, *options_.settings(), intent, clock_.now_ms());
    if (!sent.any_sent()) {
        spdlog::warn("{} error notice(s) waiting, but nobody to send them to: the error-notice worker category has no "
                     "member with an email address and error_notices has no recipients (the message log says why)",
                     notices.size());
        maybe_pending_ = true; // the category may get members: ask again an interval later
        return 0;
    }
    std::string id_of_digest = digest;
    for (std::string id : ids)
        c.session() << c.sql("UPDATE error_notices SET digest_id = ? WHERE id = ?"), use(id_of_digest), use(id), now;
    tx.commit();
    std::size_t emails = 0;
    for (const sending::Decision& d : sent.decisions) emails += d.sent ? 1 : 0;
    spdlog::info("error-notice digest {} ({} notice(s)) enqueued for {} recipient(s)", digest, notices.size(), emails);
    return emails;
}

} // namespace extcomm
