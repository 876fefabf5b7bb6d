#pragma once
// A secret made once, at random, and kept in the store (a one-row table `(id, secret, created_at)`), so
// that what it signs or hashes survives restarts and every host sharing the store uses the same one.
#include <common/clock.hpp>
#include <store/database.hpp>

#include <string>
#include <string_view>

namespace extcomm {

// The secret in `table` (64 hex digits, 256 bits from the system's CSPRNG); the first caller ever makes it.
// `table` is one of the schema's key tables, never input.
std::string stored_key(Database::Connection& c, std::string_view table, TimeMs created_at);

} // namespace extcomm
