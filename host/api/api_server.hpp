#pragma once
// The HTTP API: Poco's HTTP server, bearer-token authentication, and the routes.
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServer.h>

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
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    std::uint16_t port_ = 0;
};

} // namespace extcomm::host
