#pragma once
// The dispatcher's PauseBook kept in the store: a transport paused for bad credentials or no credit
// stays paused across restarts until an operator resumes it or changes its settings.
#include <delivery/dispatcher.hpp>
#include <store/database.hpp>

#include <map>
#include <string>

namespace extcomm {

class StoredPauses final : public PauseBook {
public:
    // `fingerprints`: for each transport, a digest of its current settings.
    StoredPauses(Database& db, const Clock& clock, std::map<std::string, std::string> fingerprints);

    // Why `transport` is paused, or empty. A pause recorded under other settings is forgotten: the
    // operator changed the configuration, which is one of the two ways to resume.
    std::string reason_for(const std::string& transport);

    void paused(const std::string& transport, const std::string& reason) override;
    void resumed(const std::string& transport) override;

private:
    Database& db_;
    const Clock& clock_;
    std::map<std::string, std::string> fingerprints_;
};

} // namespace extcomm
