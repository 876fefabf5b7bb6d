#include <api/poco_exchange.hpp>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/SocketAddress.h>

#include <fstream>
#include <optional>
#include <stdexcept>
#include <sstream>

namespace extcomm::host {
namespace {

namespace http = boost::beast::http;
using Poco::Net::HTTPServerResponse;

// What the handler sends is kept until it returns; the server writes it then.
class BufferedResponse final : public HTTPServerResponse {
public:
    BufferedResponse() = default;
    explicit BufferedResponse(const HttpAnswer& answer) : answer_(answer) {}

    void sendContinue() override {} // HttpServer answers Expect: 100-continue before reading a body
    std::ostream& send() override {
        sent_ = true;
        return body_;
    }
    void sendFile(const std::string& path, const std::string& media_type) override {
        std::ifstream file(path, std::ios::binary);
        if (!file) throw Poco::FileNotFoundException(path);
        setContentType(media_type);
        send() << file.rdbuf();
    }
    void sendBuffer(const void* buffer, std::size_t length) override {
        send().write(static_cast<const char*>(buffer), static_cast<std::streamsize>(length));
    }
    void redirect(const std::string& uri, HTTPStatus status) override {
        setStatusAndReason(status);
        set("Location", uri);
        send();
    }
    void requireAuthentication(const std::string& realm) override {
        setStatusAndReason(HTTP_UNAUTHORIZED);
        set("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
        send();
    }
    bool sent() const override { return sent_; }

    // answer_later: the answer is the handler's to give.
    const HttpAnswer& defer() {
        if (!answer_) throw std::logic_error("answer_later outside run_poco_handler");
        sent_ = deferred_ = true;
        return *answer_;
    }
    bool deferred() const { return deferred_; }

    // The server frames the answer (Content-Length, Connection) itself.
    HttpResponse answer() const {
        HttpResponse out;
        out.result(static_cast<unsigned>(getStatus()));
        for (const auto& [name, value] : *this)
            if (Poco::icompare(name, "Content-Length") != 0 && Poco::icompare(name, "Connection") != 0 &&
                Poco::icompare(name, "Transfer-Encoding") != 0)
                out.insert(name, value);
        out.body() = body_.str();
        return out;
    }

private:
    std::ostringstream body_;
    bool sent_ = false;
    bool deferred_ = false;
    std::optional<HttpAnswer> answer_;
};

class ReadRequest final : public Poco::Net::HTTPServerRequest {
public:
    ReadRequest(HttpRequest& request, const HttpPeer& client, const HttpPeer& local, HTTPServerResponse& response)
        : body_(std::move(request.body())), client_(client.address, client.port), local_(local.address, local.port),
          response_(response) {
        setMethod(std::string(request.method_string()));
        setURI(std::string(request.target()));
        setVersion(request.version() == 10 ? HTTP_1_0 : HTTP_1_1);
        for (const auto& field : request) add(std::string(field.name_string()), std::string(field.value()));
    }
    std::istream& stream() override { return body_; }
    const Poco::Net::SocketAddress& clientAddress() const override { return client_; }
    const Poco::Net::SocketAddress& serverAddress() const override { return local_; }
    const Poco::Net::HTTPServerParams& serverParams() const override {
        static const Poco::AutoPtr<Poco::Net::HTTPServerParams> params(new Poco::Net::HTTPServerParams);
        return *params;
    }
    HTTPServerResponse& response() const override { return response_; }
    bool secure() const override { return false; }

private:
    std::istringstream body_;
    Poco::Net::SocketAddress client_, local_;
    HTTPServerResponse& response_;
};

} // namespace

void run_poco_handler(Poco::Net::HTTPRequestHandler& handler, HttpRequest& request, const HttpPeer& client,
                      const HttpPeer& local, const HttpAnswer& answer) {
    BufferedResponse response(answer);
    ReadRequest read(request, client, local, response);
    handler.handleRequest(read, response);
    if (!response.deferred()) answer(response.answer());
}

LaterAnswer answer_later(HTTPServerResponse& response) {
    return [answer = dynamic_cast<BufferedResponse&>(response).defer()](const std::function<void(HTTPServerResponse&)>& write) {
        answer(poco_answer(write));
    };
}

HttpResponse poco_answer(const std::function<void(HTTPServerResponse&)>& write) {
    BufferedResponse response;
    write(response);
    return response.answer();
}

} // namespace extcomm::host
