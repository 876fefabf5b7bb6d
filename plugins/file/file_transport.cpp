// The `file` transport: writes each message to a spool folder instead of sending it. The development
// and dry-run transport, and the embedded default. Built with the public SDK only.
#include <extcomm/sdk.hpp>

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace extcomm::sdk;

constexpr const char* kSchema = R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "additionalProperties": false,
  "required": ["spool"],
  "properties": {
    "spool": {"type": "string", "minLength": 1, "description": "Folder the messages are written to; created if missing."},
    "format": {"enum": ["json", "eml"], "default": "json", "description": "json: one JSON document per message; eml: RFC 5322 file for email (SMS stays JSON)."}
  }
})";

// A file name from the message id: ids are ours, but keep the name safe whatever they hold.
std::string safe_name(std::string_view id) {
    std::string out;
    for (char c : id) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return out.empty() ? "message" : out;
}

std::string eml_of(const Message& m) {
    // A minimal RFC 5322 rendering for eyeballing in a mail client; the SMTP transport does real MIME.
    std::string out = "To: " + std::string(m.to) + "\r\nSubject: " + std::string(m.subject) +
                      "\r\nMessage-ID: <" + std::string(m.id) + "@extcomm.file>\r\nMIME-Version: 1.0\r\n"
                      "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
    return out + std::string(m.body) + "\r\n";
}

class FileTransport final : public Transport {
public:
    explicit FileTransport(const CreateContext& context) : Transport(context) {
        json::object settings = json::parse(context.settings_json).as_object();
        spool_ = std::string(settings.at("spool").as_string());
        if (auto* f = settings.if_contains("format")) eml_ = f->as_string() == "eml";
        std::error_code ec;
        fs::create_directories(spool_, ec);
        if (ec) throw SettingsError("spool", "cannot create spool folder '" + spool_.string() + "': " + ec.message());
    }

    static Descriptor describe() {
        return {"file", "File spool", "extcomm", "1.0.0", EXTCOMM_CHANNEL_EMAIL | EXTCOMM_CHANNEL_SMS,
                EXTCOMM_SEND_SESSION, EXTCOMM_CAP_UNICODE | EXTCOMM_CAP_IDEMPOTENCY_KEY | EXTCOMM_CAP_HTML, 100, 0,
                kSchema, "Writes each message to a local folder (development, dry runs)."};
    }

    std::vector<Result> send(const std::vector<Message>& messages) override {
        std::vector<Result> results;
        results.reserve(messages.size());
        for (const Message& m : messages) results.push_back(write(m));
        return results;
    }

private:
    Result write(const Message& m) {
        bool eml = eml_ && m.channel == Channel::email;
        // The idempotency key names the file, so a resend overwrites instead of duplicating.
        std::string stem = safe_name(m.idempotency_key.empty() ? m.id : m.idempotency_key);
        fs::path final_path = spool_ / (stem + (eml ? ".eml" : ".json"));
        fs::path tmp = spool_ / ("." + stem + ".tmp");
        std::string content = eml ? eml_of(m) : document_of(m);
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            out << content;
            out.flush();
            if (!out) return Result::retry("io", "cannot write " + tmp.string());
        }
        std::error_code ec;
        fs::rename(tmp, final_path, ec); // atomic: a reader never sees half a message
        if (ec) return Result::retry("io", "cannot rename into " + final_path.string() + ": " + ec.message());
        return Result::accepted(final_path.filename().string(), "written", final_path.string());
    }

    static std::string document_of(const Message& m) {
        json::object doc;
        doc["id"] = m.id;
        doc["idempotency_key"] = m.idempotency_key;
        doc["channel"] = m.channel == Channel::email ? "email" : "sms";
        doc["to"] = m.to;
        doc["subject"] = m.subject;
        doc["body"] = m.body;
        if (!m.html_body.empty()) doc["html_body"] = m.html_body;
        doc["attempt"] = m.attempt;
        json::value metadata = json::object();
        if (!m.metadata_json.empty()) {
            std::error_code ec;
            auto parsed = json::parse(m.metadata_json, ec);
            if (!ec) metadata = std::move(parsed);
        }
        doc["metadata"] = std::move(metadata);
        return json::serialize(doc) + "\n";
    }

    fs::path spool_;
    bool eml_ = false;
};

} // namespace

EXTCOMM_TRANSPORT(FileTransport)
