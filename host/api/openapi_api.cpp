#include <api/http_io.hpp>
#include <api/openapi_api.hpp>

namespace extcomm::host {

// Generated from config/openapi.json by CMake.
extern const char* const kOpenApiText;

const boost::json::value& openapi_document() {
    static const boost::json::value document = boost::json::parse(kOpenApiText);
    return document;
}

void get_openapi(Poco::Net::HTTPServerResponse& response) { send_json(response, 200, openapi_document()); }

} // namespace extcomm::host
