// The `file` transport: writes each message to a spool folder instead of sending it. The development
// and dry-run transport, and the embedded default. Built with the public SDK only.
// Invariants: two different keys never name the same file (file_name_of is injective); the spool folder
// is 0700 and every file in it 0600, since messages hold personal data (an existing, wider spool is
// narrowed when the transport is created, and the host's log says so).
#include <extcomm/sdk.hpp>

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
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

// A file name from a key, one name per key: ASCII letters, digits and '-' stay, every other byte becomes
// '_' and two hex digits ("a.b" -> "a_2Eb", "a_b" -> "a_5Fb", "a/b" -> "a_2Fb"). '_' only ever starts
// an escape, so the name decodes to exactly one key; no name starts with '.' (the temp files do).
std::string file_name_of(std::string_view key) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : key) {
        auto byte = static_cast<unsigned char>(c);
        bool plain = (byte < 0x80 && std::isalnum(byte)) || c == '-';
        if (plain) {
            out += c;
        } else {
            out += '_';
            out += hex[byte >> 4];
            out += hex[byte & 0xF];
        }
    }
    return out.empty() ? "_" : out;
}

constexpr auto kOwnerOnlyFile = fs::perms::owner_read | fs::perms::owner_write;
constexpr auto kOwnerOnlyFolder = fs::perms::owner_all;

// Narrows `path` to `wanted` when group or others have any access; returns whether it did. A sticky
// folder (/tmp, say) is shared by design and left as it is: the files in it are still narrowed.
bool narrow(const fs::path& path, fs::perms wanted) {
    std::error_code ec;
    auto current = fs::symlink_status(path, ec).permissions();
    if (ec || (current & fs::perms::sticky_bit) != fs::perms::none) return false;
    if ((current & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none) return false;
    fs::permissions(path, wanted, ec);
    return !ec;
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
        if (fs::create_directories(spool_, ec)) fs::permissions(spool_, kOwnerOnlyFolder, ec); // made here: 0700 at once
        if (ec) throw SettingsError("spool", "cannot create spool folder '" + spool_.string() + "': " + ec.message());
        make_owner_only();
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
    // The spool and what is in it readable by this user only; says what it changed.
    void make_owner_only() {
        std::size_t files = 0;
        bool folder = narrow(spool_, kOwnerOnlyFolder);
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(spool_, ec))
            if (entry.is_regular_file(ec) && narrow(entry.path(), kOwnerOnlyFile)) ++files;
        if (folder || files > 0)
            host().log(LogLevel::warn, "spool " + spool_.string() + " was readable by others: made owner-only (" +
                                             (folder ? "the folder and " : "") + std::to_string(files) + " files)");
    }

    // Writes `content` to a new owner-only file (0600 from its creation, whatever the umask allows).
    static bool write_file(const fs::path& path, const std::string& content) {
        int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, S_IRUSR | S_IWUSR);
        if (fd < 0) return false;
        bool ok = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0; // an old temp file keeps its mode through O_TRUNC
        for (std::size_t done = 0; ok && done < content.size();) {
            ssize_t n = ::write(fd, content.data() + done, content.size() - done);
            if (n < 0 && errno == EINTR) continue;
            ok = n > 0;
            if (ok) done += static_cast<std::size_t>(n);
        }
        return ::close(fd) == 0 && ok;
    }

    Result write(const Message& m) {
        bool eml = eml_ && m.channel == Channel::email;
        // The idempotency key names the file, so a resend overwrites instead of duplicating.
        std::string stem = file_name_of(m.idempotency_key.empty() ? m.id : m.idempotency_key);
        fs::path final_path = spool_ / (stem + (eml ? ".eml" : ".json"));
        fs::path tmp = spool_ / ("." + stem + ".tmp");
        if (!write_file(tmp, eml ? eml_of(m) : document_of(m))) return Result::retry("io", "cannot write " + tmp.string());
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
