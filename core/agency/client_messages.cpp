#include <agency/channels.hpp>
#include <agency/person_decisions.hpp>
#include <agency/client_messages.hpp>
#include <rendering/renderer.hpp>

#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>
#include <Poco/UUIDGenerator.h>

#include <stdexcept>

namespace extcomm::agency {
ClientPlan decide_client_message(const AgencySettings& settings, const Client& client, ClientContext context,
                                 std::optional<Channel> channel) {
    ClientPlan plan;
    auto refuse = [&](SkipReason reason, std::string text) {
        plan.refusal_code = std::string(to_string(reason));
        plan.refusal = text;
        plan.decisions.push_back(skipped(client, channel, reason, std::move(text)));
        return plan;
    };
    if (!settings.client_delivery.enabled)
        return refuse(SkipReason::client_delivery_disabled, "Client Delivery is disabled for the agency");
    if (!settings.client_delivery.contexts.contains(context))
        return refuse(SkipReason::context_not_allowed,
                      "the agency does not allow staff to start client messages from '" +
                          std::string(to_string(context)) + "' (Client Delivery > Client Communications)");
    std::vector<Channel> channels = channel ? std::vector<Channel>{*channel} : std::vector<Channel>{Channel::email, Channel::sms};
    std::string reasons;
    for (Channel ch : channels) {
        const char* name = ch == Channel::email ? "email" : "SMS";
        Decision d = decision_for(client, ch);
        if (auto unavailable = channel_unavailable(settings, ch)) {
            d.reason = unavailable->reason;
            d.reason_text = unavailable->text;
        } else if (!client.consent(ch).given()) {
            d.reason = SkipReason::no_consent;
            d.reason_text = std::string("the client has not consented to ") + name + " (" + name +
                            " communication via is blank)";
        } else {
            d.sent = true;
        }
        if (!d.sent) {
            if (!reasons.empty()) reasons += "; ";
            reasons += d.reason_text;
        }
        plan.decisions.push_back(std::move(d));
    }
    bool any = false;
    for (const auto& d : plan.decisions) any |= d.sent;
    if (!any) {
        bool same = true;
        for (const auto& d : plan.decisions) same &= d.reason == plan.decisions.front().reason;
        plan.refusal_code = same ? std::string(to_string(*plan.decisions.front().reason)) : "no-usable-channel";
        plan.refusal = reasons;
    }
    return plan;
}

std::variant<SendResult, FieldError> ClientMessages::send(const AgencySettings& settings,
                                                          const rendering::TemplateSet& templates,
                                                          const ClientMessageRequest& request) try {
    TimeMs now_ms = clock_.now_ms();
    SendResult result;
    MessageRequest& stored = result.request;
    stored.id = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    stored.kind = "client-message";
    stored.about = std::string(to_string(request.context));
    stored.subject = request.subject;
    stored.client = request.client;
    stored.created_at = now_ms;
    std::string key = request.idempotency_key.empty() ? stored.id : "client-message:" + request.idempotency_key;

    auto c = db_.connect();
    Poco::Data::Transaction tx(c.session());
    auto client = people_.client(c, request.client);
    if (!client) return FieldError{"client", "no client '" + request.client + "'"};
    ClientPlan plan = decide_client_message(settings, *client, request.context, request.channel);
    stored.refusal_code = plan.refusal_code;
    stored.refusal = plan.refusal;
    if (auto known = log_.insert_request(c, stored, key)) {
        result.request = log_.request(c, *known).value_or(stored);
        result.decisions = log_.of_request(c, *known);
        result.replayed = true;
        return result;
    }

    rendering::Renderer renderer(templates);
    rendering::RenderSettings render_settings = settings.render_settings();
    std::vector<NewMessage> messages;
    std::vector<std::size_t> sent_at;
    for (std::size_t i = 0; i < plan.decisions.size(); ++i) {
        Decision& d = plan.decisions[i];
        d.request_id = stored.id;
        d.decided_at = now_ms;
        if (!d.sent) continue;
        Channel channel = *d.channel;
        auto rendered = renderer.render({rendering::MessageKind::client_message, channel,
                                         rendering::ClientMessageFacts{request.subject, request.body}},
                                        render_settings);
        if (auto* error = std::get_if<rendering::RenderError>(&rendered)) {
            d.sent = false;
            d.reason = SkipReason::render_failed;
            d.reason_text = "the message could not be rendered: " + error->field + " " + error->reason;
            continue;
        }
        auto& r = std::get<rendering::RenderedMessage>(rendered);
        NewMessage m;
        m.channel = channel;
        m.kind = "client_message";
        m.transport = transport_for(settings, channel);
        m.to = d.to;
        m.subject = std::move(r.subject);
        m.body = std::move(r.body);
        m.html_body = std::move(r.html_body);
        m.metadata_json = R"({"request":")" + stored.id + R"(","client":")" + client->id + R"(","context":")" +
                          stored.about + R"("})";
        m.idempotency_key = "client-message:" + stored.id + ":" + client->id + ":" + std::string(to_string(channel));
        if (max_age_) {
            TimeMs age = max_age_(m.transport, m.kind);
            if (age > 0) m.expires_at = now_ms + age;
        }
        sent_at.push_back(i);
        messages.push_back(std::move(m));
    }
    if (messages.empty() && stored.refusal.empty()) {
        // Every channel failed to render: nothing goes out, which the caller hears as a refusal.
        std::string reasons;
        for (const auto& d : plan.decisions)
            if (!d.sent) reasons += (reasons.empty() ? "" : "; ") + d.reason_text;
        stored.refusal_code = std::string(to_string(SkipReason::render_failed));
        stored.refusal = reasons;
        c.session() << c.sql("UPDATE message_requests SET refusal_code = ?, refusal = ? WHERE id = ?"),
            Poco::Data::Keywords::use(stored.refusal_code), Poco::Data::Keywords::use(stored.refusal),
            Poco::Data::Keywords::use(stored.id), Poco::Data::Keywords::now;
    }
    auto enqueued = outbox_.enqueue(c, std::move(messages));
    for (std::size_t i = 0; i < enqueued.size() && i < sent_at.size(); ++i)
        plan.decisions[sent_at[i]].message_id = enqueued[i].id;
    log_.insert(c, plan.decisions);
    tx.commit();
    result.decisions = std::move(plan.decisions);
    return result;
} catch (const Poco::Exception& e) {
    throw std::runtime_error("store: " + e.displayText());
}

} // namespace extcomm::agency
