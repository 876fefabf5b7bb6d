#pragma once
// An embedded (SQLite) store belongs to one process: a second `extcomm serve` on the same file would
// take over the first one's claims. An exclusive lock on "<store>.lock" makes that an error instead.
#include <string>

namespace extcomm::host {

class StoreLock {
public:
    explicit StoreLock(const std::string& store_path); // throws std::runtime_error when held elsewhere
    ~StoreLock();
    StoreLock(const StoreLock&) = delete;
    StoreLock& operator=(const StoreLock&) = delete;

private:
    int fd_ = -1;
};

} // namespace extcomm::host
