#include <runtime/store_lock.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace extcomm::host {

StoreLock::StoreLock(const std::string& store_path) {
    std::filesystem::path path(store_path + ".lock");
    // A folder made here is the service user's only, like the store it will hold (store/database.cpp).
    if (path.has_parent_path() && std::filesystem::create_directories(path.parent_path()))
        std::filesystem::permissions(path.parent_path(), std::filesystem::perms::owner_all);
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
    // The kernel drops the lock when the process dies, kill -9 included.
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd_);
        throw std::runtime_error(store_path + " is in use by another extcomm process (lock " + path.string() + ")");
    }
}

StoreLock::~StoreLock() {
    if (fd_ >= 0) ::close(fd_);
}

} // namespace extcomm::host
