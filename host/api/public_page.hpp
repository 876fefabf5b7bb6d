#pragma once
// The shell every public page shares (the confirm page, and every page a client opens from a link): one
// HTML head, one phone-sized stylesheet, and the headers that keep a link private. Invariants: the title is
// HTML-escaped here; `main_html` is written as given, so a caller builds it only from escaped values (a
// mustache template's {{ }} escapes); the stylesheet is inline and the CSP allows nothing else to load, so a
// page works without JavaScript and without any other request.
#include <Poco/Net/HTTPServerResponse.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace extcomm::host {

// The address of a public page: the configured base URL (without its trailing slashes), the page's route
// ("c" confirm, "d" discussion, "t" client task) and the link's token: "https://pen.example/t/<token>".
std::string public_page_url(const std::string& base_url, std::string_view route, const std::string& token);

// A moment as the pages show it, "Tue 3 Mar at 2:31pm" in `zone` (an IANA name); empty if the zone is unknown.
std::string page_when(std::int64_t at_ms, const std::string& zone);

// The whole page: the shell around `main_html`, the contents of <main>.
std::string public_page_html(const std::string& title, const std::string& main_html);

// Sends the page with Cache-Control: no-store (the link is the client's key: no cache keeps it), no referrer
// (no other site learns it), nosniff and a CSP that loads nothing, posts forms only to this origin and
// refuses every frame.
void send_public_page(Poco::Net::HTTPServerResponse& response, int status, const std::string& title,
                      const std::string& main_html);

// A page that only says what is wrong with the link (not valid, expired, done) and shows no data.
void send_public_problem(Poco::Net::HTTPServerResponse& response, int status, const std::string& title,
                         const std::string& text);

} // namespace extcomm::host
