// The route table of roles (host/api/roles.hpp) and the OpenAPI document agree: every operation that
// needs a token names, in x-extcomm-role, the role the server enforces for it.
#include <api/openapi_api.hpp>
#include <api/roles.hpp>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <regex>

namespace extcomm::host {
namespace {

std::string example_path(const std::string& templated) {
    return std::regex_replace(templated, std::regex(R"(\{[^}]+\})"), "x1");
}

TEST(Roles, TheDocumentNamesTheRoleTheServerEnforcesForEveryOperation) {
    const auto& doc = openapi_document().as_object();
    int checked = 0;
    for (const auto& [path, item] : doc.at("paths").as_object()) {
        for (const auto& [method, op_value] : item.as_object()) {
            const auto& op = op_value.as_object();
            std::string verb(method);
            for (char& c : verb) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            if (op.contains("security")) continue; // public: its own authority (a webhook's secret, a link)
            ASSERT_TRUE(op.contains("x-extcomm-role")) << verb << " " << path;
            const std::string documented(op.at("x-extcomm-role").as_string());
            EXPECT_EQ(documented, to_string(role_needed(verb, example_path(std::string(path))))) << verb << " " << path;
            EXPECT_TRUE(op.at("responses").as_object().contains("403")) << verb << " " << path;
            ++checked;
        }
    }
    EXPECT_GT(checked, 20);
}

TEST(Roles, ReadingIsForEveryRoleChangingSettingsForAdminsOnly) {
    EXPECT_EQ(role_needed("GET", "/v1/settings/general"), Role::viewer);
    EXPECT_EQ(role_needed("PUT", "/v1/settings/general"), Role::admin);
    EXPECT_EQ(role_needed("POST", "/v1/transports/sms/resume"), Role::admin);
    EXPECT_EQ(role_needed("POST", "/v1/messages"), Role::integration);
    EXPECT_EQ(role_needed("PUT", "/v1/service-events/ev-1"), Role::integration);
    EXPECT_EQ(role_needed("DELETE", "/v1/anything-new"), Role::admin); // not in the table: admin
    EXPECT_TRUE(allows(Role::admin, Role::integration));
    EXPECT_FALSE(allows(Role::viewer, Role::integration));
}

} // namespace
} // namespace extcomm::host
