#include <store/stored_key.hpp>

#include <Poco/Data/Statement.h>
#include <Poco/DigestEngine.h>
#include <Poco/RandomStream.h>

#include <array>

using namespace Poco::Data::Keywords;

namespace extcomm {

std::string stored_key(Database::Connection& c, std::string_view table, TimeMs created_at) {
    std::array<char, 32> random{};
    Poco::RandomInputStream().read(random.data(), random.size());
    std::string candidate = Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(random.begin(), random.end()));
    TimeMs at = created_at;
    const std::string name(table);
    // The first host to get here stores its key; every other one (and every later start) reads that one.
    c.session() << c.sql("INSERT INTO " + name + " (id, secret, created_at) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING"),
        use(candidate), use(at), now;
    std::string key;
    c.session() << c.sql("SELECT secret FROM " + name + " WHERE id = 1"), into(key), now;
    return key;
}

} // namespace extcomm
