#pragma once
// The handlers are written against Poco's server request and response; the server is HttpServer. This
// runs a Poco handler on a request HttpServer has read in full (the body is a string stream) and turns
// what the handler sent (buffered, never streamed) into HttpServer's answer.
#include <http/http_server.hpp>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <functional>

namespace extcomm::host {

HttpResponse run_poco_handler(Poco::Net::HTTPRequestHandler& handler, HttpRequest& request, const HttpPeer& client,
                              const HttpPeer& local);
// The answer `write` gives on a Poco response (e.g. send_error): the server's own refusals look like the handlers'.
HttpResponse poco_answer(const std::function<void(Poco::Net::HTTPServerResponse&)>& write);

} // namespace extcomm::host
