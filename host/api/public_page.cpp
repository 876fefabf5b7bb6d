#include <api/http_io.hpp>
#include <api/public_page.hpp>

#include <rendering/local_time.hpp>

#include <kainjow/mustache.hpp>

namespace extcomm::host {
namespace {

namespace mustache = kainjow::mustache;

// Readable without any stylesheet; the inline rules only make it comfortable on a phone. Colours meet
// WCAG 2.1 AA contrast (4.5:1 for text) on their backgrounds; focus stays visible.
constexpr const char* kShell = R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{{title}}</title>
<style>
body{margin:0;padding:1rem;background:#f4f5f7;color:#1d2430;
font:1.05rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:30rem;margin:0 auto;background:#fff;border-radius:.75rem;padding:1.25rem 1.5rem;
box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.35rem;margin:.25rem 0 1rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
dt{font-weight:600;margin-top:.75rem}
dd{margin:0}
label,legend{display:block;font-weight:600;margin-top:1rem}
input,select,textarea{box-sizing:border-box;width:100%;margin-top:.25rem;padding:.6rem;font:inherit;
border:1px solid #5f6b7a;border-radius:.4rem}
input[type=radio],input[type=checkbox]{width:auto;margin-right:.5rem}
fieldset{border:0;padding:0;margin:0}
.choice{display:block;font-weight:400;margin-top:.25rem}
.help{color:#4a5566;font-size:.95rem;margin:.25rem 0 0}
.error{color:#b00020;font-weight:600;margin:.25rem 0 0}
button{width:100%;margin-top:1.5rem;padding:.9rem;border:0;border-radius:.5rem;background:#1f5fbf;color:#fff;
font-size:1.1rem}
button.secondary{background:#fff;color:#1f5fbf;border:2px solid #1f5fbf}
:focus-visible{outline:3px solid #1d2430;outline-offset:2px}
.note{color:#4a5566}
</style>
</head>
<body>
<main>
<h1>{{title}}</h1>
{{{main}}}</main>
</body>
</html>
)";

} // namespace

std::string public_page_url(const std::string& base_url, std::string_view route, const std::string& token) {
    std::string base = base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/" + std::string(route) + "/" + token;
}

std::string page_when(std::int64_t at_ms, const std::string& zone) {
    auto local = rendering::local_date_time(at_ms, zone);
    if (auto* t = std::get_if<rendering::LocalDateTime>(&local)) return t->date + " at " + t->time;
    return {};
}

std::string public_page_html(const std::string& title, const std::string& main_html) {
    mustache::data data{mustache::data::type::object};
    data.set("title", title);
    data.set("main", main_html);
    mustache::mustache shell{std::string(kShell)}; // render() is not const: one per page (a small parse)
    return shell.render(data);
}

void send_public_page(Poco::Net::HTTPServerResponse& response, int status, const std::string& title,
                      const std::string& main_html) {
    response.set("Cache-Control", "no-store");
    response.set("Referrer-Policy", "no-referrer");
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Content-Security-Policy",
                 "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
    send_text(response, status, "text/html; charset=utf-8", public_page_html(title, main_html));
}

void send_public_problem(Poco::Net::HTTPServerResponse& response, int status, const std::string& title,
                         const std::string& text) {
    mustache::mustache tmpl{std::string("<p>{{text}}</p>\n")};
    mustache::data data{mustache::data::type::object};
    data.set("text", text);
    send_public_page(response, status, title, tmpl.render(data));
}

} // namespace extcomm::host
