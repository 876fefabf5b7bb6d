// The `smtp` transport: delivers email to an SMTP server (submission with STARTTLS, implicit TLS, or a
// local relay), one connection per batch. Built with the public SDK only.
#include "address.hpp"
#include "message_check.hpp"
#include "message_composer.hpp"
#include "outcome.hpp"
#include "session.hpp"
#include "settings.hpp"

#include <extcomm/sdk.hpp>

#include <chrono>
#include <optional>

namespace {

using namespace extcomm::sdk;
namespace smtp = extcomm::smtp;

class SmtpTransport final : public Transport {
public:
    explicit SmtpTransport(const CreateContext& context)
        : Transport(context), settings_(smtp::parse_settings(context.settings_json)),
          sender_{settings_.from_address, settings_.from_name, settings_.reply_to} {}

    static Descriptor describe() {
        return {"smtp", "SMTP", "extcomm", "1.0.0", EXTCOMM_CHANNEL_EMAIL, EXTCOMM_SEND_SESSION,
                EXTCOMM_CAP_UNICODE | EXTCOMM_CAP_HTML | EXTCOMM_CAP_IDEMPOTENCY_KEY, 50, 0, smtp::settings_schema,
                "Email through an SMTP server: STARTTLS or implicit TLS, AUTH PLAIN/LOGIN, MIME with HTML."};
    }

    std::vector<Result> send(const std::vector<Message>& messages) override {
        std::vector<Result> results(messages.size());
        std::vector<size_t> sendable;
        for (size_t i = 0; i < messages.size(); ++i) {
            if (auto refusal = smtp::check_message(messages[i])) results[i] = std::move(*refusal);
            else sendable.push_back(i);
        }
        if (sendable.empty()) return results; // nothing worth a connection

        smtp::Session session(settings_);
        std::optional<Result> batch_failure;
        for (size_t i : sendable) {
            if (batch_failure) {
                results[i] = *batch_failure;
                continue;
            }
            results[i] = deliver(session, messages[i], batch_failure);
        }
        if (batch_failure && batch_failure->outcome == Outcome::transport_failure)
            host().log(LogLevel::error, "smtp transport '" + transport_name() + "' cannot send: " +
                                            batch_failure->provider_code + " " + batch_failure->provider_text);
        return results;
    }

private:
    Result deliver(smtp::Session& session, const Message& m, std::optional<Result>& batch_failure) {
        std::string message_id = smtp::message_id_for(m.idempotency_key, m.id, smtp::domain_of(settings_.from_address));
        smtp::Letter letter{m.id, m.to, m.subject, m.body, m.html_body};
        std::string bytes = smtp::compose_message(sender_, letter, message_id, std::chrono::system_clock::now(),
                                                  settings_.body_encoding);
        smtp::Attempt attempt = session.deliver(settings_.from_address, m.to, bytes);
        Result result = smtp::outcome_of(attempt, message_id.substr(1, message_id.size() - 2));
        if (smtp::fails_whole_batch(attempt)) batch_failure = result;
        return result;
    }

    smtp::Settings settings_;
    smtp::Sender sender_;
};

} // namespace

EXTCOMM_TRANSPORT(SmtpTransport)
