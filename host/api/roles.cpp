#include <api/roles.hpp>

#include <regex>
#include <vector>

namespace extcomm::host {
namespace {

struct RouteRole {
    const char* method; // "GET", "POST", "PUT", "DELETE"
    std::regex path;
    Role role;
};

const std::vector<RouteRole>& table() {
    static const std::vector<RouteRole> routes{
        {"POST", std::regex(R"(^/v1/messages$)"), Role::integration},
        {"PUT", std::regex(R"(^/v1/service-events/[^/]+$)"), Role::integration},
        {"PUT", std::regex(R"(^/v1/records/[^/]+/[^/]+$)"), Role::integration},
        {"PUT", std::regex(R"(^/v1/document-templates/[^/]+$)"), Role::integration},
        {"PUT", std::regex(R"(^/v1/(workers|worker-categories|clients|sites)/[^/]+$)"), Role::integration},
        {"PUT", std::regex(R"(^/v1/workers/[^/]+/presence$)"), Role::integration},
        {"POST", std::regex(R"(^/v1/(worker|client)-messages$)"), Role::integration},
        {"POST", std::regex(R"(^/v1/preview$)"), Role::integration},
        {"POST", std::regex(R"(^/v1/tasks(/[^/]+/completion)?$)"), Role::integration},
        {"POST", std::regex(R"(^/v1/verification-codes(/[^/]+/verify)?$)"), Role::integration},
        {"POST", std::regex(R"(^/v1/discussions(/[^/]+/messages)?$)"), Role::integration},
        {"DELETE", std::regex(R"(^/v1/records/[^/]+/[^/]+$)"), Role::integration},
    };
    return routes;
}

} // namespace

Role role_needed(const std::string& method, const std::string& path) {
    if (method == "GET" || method == "HEAD") return Role::viewer;
    for (const RouteRole& r : table())
        if (method == r.method && std::regex_match(path, r.path)) return r.role;
    return Role::admin;
}

} // namespace extcomm::host
