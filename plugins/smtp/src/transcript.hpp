// What the server answered during one delivery, read from the protocol lines libcurl reports, so a
// result can carry the server's own code and words and be classified by where it failed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace extcomm::smtp {

// Where in the SMTP dialogue a reply came.
enum class Stage { greeting, ehlo, starttls, auth, mail, rcpt, data, end_of_data, quit };

std::string_view name_of(Stage stage);

struct Reply {
    int code = 0;
    std::string enhanced; // RFC 3463 class.subject.detail, e.g. "5.1.1"; empty when the server gave none
    std::string text;     // the reply's words, lines joined by spaces, without codes

    // "550 5.1.1", or "550" without an enhanced code.
    std::string provider_code() const;
};

class Transcript {
public:
    // Starts a new delivery: a reused connection begins with MAIL, a new one with the greeting.
    void begin();
    // A command line libcurl sent. Only its verb is looked at: AUTH continuation lines carry
    // credentials and are neither kept nor parsed.
    void sent(std::string_view line);
    // Reply text libcurl received (one or more lines).
    void received(std::string_view text);

    Stage stage() const { return stage_; }
    // The first reply of this delivery that refused something (4yz or 5yz), and where it came.
    const std::optional<Reply>& failure() const { return failure_; }
    Stage failure_stage() const { return failure_stage_; }
    // The reply to the end of the message data, when the server took it.
    const std::optional<Reply>& acceptance() const { return acceptance_; }

private:
    void complete(Reply reply);

    Stage stage_ = Stage::greeting;
    Reply pending_;
    std::string partial_line_;
    std::optional<Reply> failure_;
    Stage failure_stage_ = Stage::greeting;
    std::optional<Reply> acceptance_;
};

} // namespace extcomm::smtp
