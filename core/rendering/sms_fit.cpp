#include <rendering/sms_fit.hpp>

namespace extcomm::rendering {

SmsText measure_sms(std::string_view text) {
    SmsText out;
    if (auto info = sms::analyse(text)) {
        out.encoding = info->encoding;
        out.characters = info->characters;
        out.units = info->units;
        out.segments = info->parts;
    }
    return out;
}

std::optional<std::string> check_sms_prefix(std::string_view prefix) {
    auto cps = sms::decode_utf8(prefix);
    if (!cps) return "the SMS prefix is not valid UTF-8";
    if (cps->size() > kMaxSmsPrefixCharacters)
        return "the SMS prefix has " + std::to_string(cps->size()) + " characters; at most " +
               std::to_string(kMaxSmsPrefixCharacters) + " are allowed";
    for (char32_t c : *cps)
        if (c == '\n' || c == '\r') return "the SMS prefix must be one line";
    return std::nullopt;
}

std::string with_sms_prefix(std::string_view prefix, std::string_view text) {
    if (prefix.empty()) return std::string(text);
    std::string out(prefix);
    if (out.back() != ' ') out += ' ';
    out += text;
    return out;
}

bool fits_sms(std::string_view prefix, std::string_view text, std::size_t max_parts) {
    return measure_sms(with_sms_prefix(prefix, text)).segments <= max_parts;
}

std::string cut_sms_to_fit(std::string_view prefix, std::string_view text, std::size_t max_parts) {
    const std::string lead = with_sms_prefix(prefix, "");
    const auto lead_cps = sms::decode_utf8(lead).value_or(std::vector<char32_t>{});
    std::string best;
    std::size_t best_characters = 0;
    for (sms::Encoding encoding : {sms::Encoding::gsm7, sms::Encoding::ucs2}) {
        std::size_t lead_units = 0;
        bool carried = true;
        for (char32_t c : lead_cps) {
            std::size_t cost = sms::units_of(c, encoding);
            if (cost == 0) carried = false; // the prefix itself needs UCS-2
            lead_units += cost;
        }
        const std::size_t capacity = sms::capacity(encoding, max_parts);
        if (!carried || lead_units > capacity) continue;
        std::string cut = sms::cut_to_units(text, encoding, capacity - lead_units).value_or(std::string());
        while (!cut.empty() && (cut.back() == ' ' || cut.back() == '\n' || cut.back() == '\r')) cut.pop_back();
        const std::size_t characters = measure_sms(cut).characters;
        if (characters > best_characters || best.empty()) {
            best = std::move(cut);
            best_characters = characters;
        }
    }
    return best;
}

} // namespace extcomm::rendering
