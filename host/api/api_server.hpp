#pragma once
// The HTTP API: HttpServer (event-driven, with deadlines and caps) in front of bearer-token authentication
// and the routes.
#include <api/api_context.hpp>
#include <http/http_server.hpp>

#include <memory>

namespace extcomm::host {

class ApiServer {
public:
    explicit ApiServer(ApiContext& context);
    ~ApiServer();
    void start();          // binds the configured address; throws when it cannot
    void stop();           // stops accepting and waits for requests in progress
    std::uint16_t port() const { return port_; }

private:
    ApiContext& context_;
    std::unique_ptr<HttpServer> server_;
    std::uint16_t port_ = 0;
};

} // namespace extcomm::host
