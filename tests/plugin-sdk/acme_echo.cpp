// acme-echo: a minimal session transport. A session transport performs the send itself, blocking, on a
// host worker thread; this one "delivers" by answering at once with a provider id.
#include "acme_json.hpp"

#include <extcomm/sdk.hpp>

using namespace extcomm::sdk;

class AcmeEcho final : public Transport {
public:
    explicit AcmeEcho(const CreateContext& context)
        : Transport(context), prefix_(acme::string_member(context.settings_json, "prefix").value_or("echo")) {
        if (prefix_.empty()) throw SettingsError("prefix", "must not be empty");
    }

    static Descriptor describe() {
        return {"acme-echo", "Acme echo", "Acme Corp", "1.0.0", EXTCOMM_CHANNEL_EMAIL | EXTCOMM_CHANNEL_SMS,
                EXTCOMM_SEND_SESSION, EXTCOMM_CAP_UNICODE, 20, 0,
                R"({"type": "object", "additionalProperties": false,
                    "properties": {"prefix": {"type": "string", "default": "echo"}}})",
                "Accepts every message at once (an out-of-tree example)."};
    }

    std::vector<Result> send(const std::vector<Message>& messages) override {
        std::vector<Result> results;
        for (const Message& m : messages) {
            if (m.to.empty()) results.push_back(Result::rejected("no-recipient", "the message has no recipient"));
            else results.push_back(Result::accepted(prefix_ + "-" + std::string(m.id), "ok", "echoed"));
        }
        return results;
    }

private:
    std::string prefix_;
};

EXTCOMM_TRANSPORT(AcmeEcho)
