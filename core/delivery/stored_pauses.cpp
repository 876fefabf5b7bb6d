#include <delivery/stored_pauses.hpp>
#include <common/log_text.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <spdlog/spdlog.h>

using namespace Poco::Data::Keywords;

namespace extcomm {

StoredPauses::StoredPauses(Database& db, const Clock& clock, std::map<std::string, std::string> fingerprints)
    : db_(db), clock_(clock), fingerprints_(std::move(fingerprints)) {}

std::string StoredPauses::reason_for(const std::string& transport) {
    std::string name = transport;
    auto c = db_.connect();
    Poco::Data::Statement select(c.session());
    select << c.sql("SELECT reason, settings_fingerprint FROM transport_pauses WHERE transport = ?"), use(name), now;
    Poco::Data::RecordSet rs(select);
    if (rs.rowCount() == 0) return {};
    std::string reason = rs.value(0, 0).convert<std::string>();
    if (rs.value(1, 0).convert<std::string>() == fingerprints_[transport]) return reason;
    c.session() << c.sql("DELETE FROM transport_pauses WHERE transport = ?"), use(name), now;
    spdlog::info("transport {}: settings changed since it was paused ({}); resuming", transport, loggable(reason));
    return {};
}

void StoredPauses::paused(const std::string& transport, const std::string& reason) {
    try {
        std::string name = transport, why = reason, fingerprint = fingerprints_[transport];
        TimeMs at = clock_.now_ms();
        auto c = db_.connect();
        c.session() << c.sql("INSERT INTO transport_pauses (transport, reason, settings_fingerprint, paused_at) "
                             "VALUES (?, ?, ?, ?) ON CONFLICT (transport) DO UPDATE SET reason = excluded.reason, "
                             "settings_fingerprint = excluded.settings_fingerprint, paused_at = excluded.paused_at"),
            use(name), use(why), use(fingerprint), use(at), now;
    } catch (const Poco::Exception& e) {
        // The pause holds in this process; only its memory across a restart is lost.
        spdlog::error("transport {}: the pause could not be stored: {}", transport, e.displayText());
    }
}

void StoredPauses::resumed(const std::string& transport) {
    try {
        std::string name = transport;
        auto c = db_.connect();
        c.session() << c.sql("DELETE FROM transport_pauses WHERE transport = ?"), use(name), now;
    } catch (const Poco::Exception& e) {
        spdlog::error("transport {}: the resume could not be stored: {}", transport, e.displayText());
    }
}

} // namespace extcomm
