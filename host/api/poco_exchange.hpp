#pragma once
// The handlers are written against Poco's server request and response; the server is HttpServer. This
// runs a Poco handler on a request HttpServer has read in full (the body is a string stream) and turns
// what the handler sent (buffered, never streamed) into HttpServer's answer, when the handler returns; or
// later, when the handler took its answer over with answer_later (it answers once its commit is done).
#include <http/http_server.hpp>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <functional>

namespace extcomm::host {

void run_poco_handler(Poco::Net::HTTPRequestHandler& handler, HttpRequest& request, const HttpPeer& client,
                      const HttpPeer& local, const HttpAnswer& answer);
// Writes an answer on a fresh Poco response and gives it: callable once, from any thread.
using LaterAnswer = std::function<void(const std::function<void(Poco::Net::HTTPServerResponse&)>& write)>;
// Inside a handler run by run_poco_handler: the request is answered by calling the result, not when the
// handler returns (what the handler wrote on `response` is dropped). Called at most once per request.
LaterAnswer answer_later(Poco::Net::HTTPServerResponse& response);
// The answer `write` gives on a Poco response (e.g. send_error): the server's own refusals look like the handlers'.
HttpResponse poco_answer(const std::function<void(Poco::Net::HTTPServerResponse&)>& write);

} // namespace extcomm::host
