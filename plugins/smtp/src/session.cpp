#include "session.hpp"

#include <mutex>
#include <stdexcept>

namespace extcomm::smtp {

namespace {

void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string url_of(const Settings& s) {
    std::string host = s.host.find(':') != std::string::npos ? "[" + s.host + "]" : s.host; // IPv6 literal
    // libcurl takes the EHLO name from the URL's path.
    return std::string(s.encryption == Encryption::tls ? "smtps://" : "smtp://") + host + ":" + std::to_string(s.port) +
           "/" + s.ehlo_name;
}

template <class T>
void set(CURL* curl, CURLoption option, T value) {
    if (CURLcode rc = curl_easy_setopt(curl, option, value); rc != CURLE_OK)
        throw std::runtime_error(std::string("libcurl option refused: ") + curl_easy_strerror(rc));
}

} // namespace

Session::Session(const Settings& s) : url_(url_of(s)) {
    init_curl_once();
    curl_ = curl_easy_init();
    if (!curl_) throw std::runtime_error("libcurl could not create a handle");
    set(curl_, CURLOPT_URL, url_.c_str());
    set(curl_, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    set(curl_, CURLOPT_NOSIGNAL, 1L);
    set(curl_, CURLOPT_ERRORBUFFER, error_);
    set(curl_, CURLOPT_CONNECTTIMEOUT, s.connect_timeout_seconds);
    set(curl_, CURLOPT_SERVER_RESPONSE_TIMEOUT, s.response_timeout_seconds);
    // A server that stops reading the message data would otherwise hold the worker for ever.
    set(curl_, CURLOPT_LOW_SPEED_LIMIT, 1L);
    set(curl_, CURLOPT_LOW_SPEED_TIME, s.response_timeout_seconds);
    // STARTTLS is required, never opportunistic: if the server does not offer it, nothing is sent.
    set(curl_, CURLOPT_USE_SSL, s.encryption == Encryption::none ? static_cast<long>(CURLUSESSL_NONE)
                                                                  : static_cast<long>(CURLUSESSL_ALL));
    set(curl_, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    set(curl_, CURLOPT_SSL_VERIFYPEER, s.verify_tls ? 1L : 0L);
    set(curl_, CURLOPT_SSL_VERIFYHOST, s.verify_tls ? 2L : 0L);
    if (!s.ca_file.empty()) set(curl_, CURLOPT_CAINFO, s.ca_file.c_str());
    if (!s.username.empty()) {
        set(curl_, CURLOPT_USERNAME, s.username.c_str());
        set(curl_, CURLOPT_PASSWORD, s.password.c_str());
        if (s.auth_mechanism == AuthMechanism::plain) login_options_ = "AUTH=PLAIN";
        else if (s.auth_mechanism == AuthMechanism::login) login_options_ = "AUTH=LOGIN";
        if (!login_options_.empty()) set(curl_, CURLOPT_LOGIN_OPTIONS, login_options_.c_str());
    }
    set(curl_, CURLOPT_UPLOAD, 1L);
    set(curl_, CURLOPT_READFUNCTION, &Session::read_message);
    set(curl_, CURLOPT_READDATA, this);
    // The protocol lines come through the debug callback: they carry the server's codes and words.
    set(curl_, CURLOPT_DEBUGFUNCTION, &Session::on_protocol_line);
    set(curl_, CURLOPT_DEBUGDATA, this);
    set(curl_, CURLOPT_VERBOSE, 1L);
}

Session::~Session() { curl_easy_cleanup(curl_); }

Attempt Session::deliver(std::string_view mail_from, std::string_view recipient, std::string_view message) {
    transcript_.begin();
    error_[0] = '\0';
    payload_ = message;
    offset_ = 0;
    std::string from = "<" + std::string(mail_from) + ">";
    curl_slist* recipients = curl_slist_append(nullptr, ("<" + std::string(recipient) + ">").c_str());
    if (!recipients) throw std::runtime_error("out of memory");
    set(curl_, CURLOPT_MAIL_FROM, from.c_str());
    set(curl_, CURLOPT_MAIL_RCPT, recipients);
    set(curl_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    CURLcode rc = curl_easy_perform(curl_);
    set(curl_, CURLOPT_MAIL_RCPT, static_cast<curl_slist*>(nullptr));
    curl_slist_free_all(recipients);

    Attempt attempt;
    attempt.curl = rc;
    attempt.curl_error = error_;
    attempt.failure = transcript_.failure();
    attempt.failure_stage = transcript_.failure_stage();
    attempt.acceptance = transcript_.acceptance();
    return attempt;
}

size_t Session::read_message(char* buffer, size_t size, size_t count, void* self) {
    auto* session = static_cast<Session*>(self);
    size_t n = std::min(size * count, session->payload_.size() - session->offset_);
    session->payload_.copy(buffer, n, session->offset_);
    session->offset_ += n;
    return n;
}

int Session::on_protocol_line(CURL*, curl_infotype type, char* data, size_t size, void* self) {
    auto* session = static_cast<Session*>(self);
    if (type == CURLINFO_HEADER_IN) session->transcript_.received(std::string_view(data, size));
    else if (type == CURLINFO_HEADER_OUT) session->transcript_.sent(std::string_view(data, size));
    return 0;
}

} // namespace extcomm::smtp
