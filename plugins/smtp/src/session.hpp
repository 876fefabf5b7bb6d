// One SMTP connection, kept open across the messages of a batch, driven by libcurl.
#pragma once

#include "outcome.hpp"
#include "settings.hpp"
#include "transcript.hpp"

#include <curl/curl.h>

#include <string>
#include <string_view>

namespace extcomm::smtp {

class Session {
public:
    explicit Session(const Settings& settings);
    ~Session(); // says QUIT and closes the connection
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Sends one message (MAIL FROM, RCPT TO, DATA) on the open connection, connecting first if there is
    // none (the first message, or after the server closed it).
    Attempt deliver(std::string_view mail_from, std::string_view recipient, std::string_view message);

private:
    static size_t read_message(char* buffer, size_t size, size_t count, void* self);
    static int on_protocol_line(CURL* handle, curl_infotype type, char* data, size_t size, void* self);

    CURL* curl_ = nullptr;
    Transcript transcript_;
    char error_[CURL_ERROR_SIZE] = {};
    std::string url_;
    std::string login_options_;
    std::string_view payload_;
    size_t offset_ = 0;
};

} // namespace extcomm::smtp
