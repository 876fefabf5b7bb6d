#include <agency/channels.hpp>
#include <agency/person_decisions.hpp>
#include <agency/worker_messages.hpp>
#include <rendering/renderer.hpp>

#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>
#include <Poco/UUIDGenerator.h>

#include <set>
#include <stdexcept>

namespace extcomm::agency {
std::vector<Decision> decide_worker_message(const AgencySettings& settings, const Worker& worker,
                                            rendering::CollaborationType type) {
    std::string type_name(rendering::display_name(type));
    if (!settings.worker_delivery.enabled)
        return {skipped(worker, std::nullopt, SkipReason::worker_delivery_disabled,
                        "Worker Delivery is disabled for the agency")};
    if (settings.render_settings().detail_level(type) == rendering::DetailLevel::disallow)
        return {skipped(worker, std::nullopt, SkipReason::detail_level_disallow,
                        "the agency's Delivery Details disallow " + type_name + " messages")};
    ChannelChoice choice = worker.message_settings.channel(type);
    if (choice == ChannelChoice::none)
        return {skipped(worker, std::nullopt, SkipReason::not_chosen,
                        "the worker's message settings receive " + type_name + " messages on no channel")};
    if (worker.message_settings.only_when_offline && worker.presence.online)
        return {skipped(worker, std::nullopt, SkipReason::online,
                        "the worker is logged in and receives messages only when not logged in")};
    std::vector<Decision> out;
    for (Channel channel : channels_of(choice)) {
        if (auto unavailable = channel_unavailable(settings, channel)) {
            out.push_back(skipped(worker, channel, unavailable->reason, unavailable->text));
        } else if (worker.address(channel).empty()) {
            out.push_back(skipped(worker, channel, SkipReason::no_address,
                                  std::string("the worker has no ") + address_name(channel)));
        } else {
            Decision d;
            d.recipient = Recipient::worker;
            d.recipient_id = worker.id;
            d.channel = channel;
            d.sent = true;
            d.to = worker.address(channel);
            out.push_back(std::move(d));
        }
    }
    return out;
}

std::variant<SendResult, FieldError> WorkerMessages::send(const AgencySettings& settings,
                                                          const rendering::TemplateSet& templates,
                                                          const WorkerMessageRequest& request) try {
    TimeMs now_ms = clock_.now_ms();
    SendResult result;
    MessageRequest& stored = result.request;
    stored.id = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    stored.kind = "worker-message";
    stored.about = std::string(rendering::to_string(request.type));
    stored.subject = request.subject;
    stored.created_at = now_ms;
    std::string key = request.idempotency_key.empty() ? stored.id : "worker-message:" + request.idempotency_key;

    auto c = db_.connect();
    Poco::Data::Transaction tx(c.session());
    if (auto known = log_.insert_request(c, stored, key)) {
        // A retried call: the first answer, nothing sent again.
        result.request = log_.request(c, *known).value_or(stored);
        result.decisions = log_.of_request(c, *known);
        result.replayed = true;
        return result;
    }

    // The recipients: workers named, then the members of the categories named, each once.
    std::vector<Worker> workers;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < request.workers.size(); ++i) {
        auto worker = people_.worker(c, request.workers[i]);
        if (!worker) return FieldError{"workers[" + std::to_string(i) + "]", "no worker '" + request.workers[i] + "'"};
        if (seen.insert(worker->id).second) workers.push_back(std::move(*worker));
    }
    for (std::size_t i = 0; i < request.categories.size(); ++i) {
        std::vector<Worker> members = people_.workers_in(c, request.categories[i]);
        if (members.empty()) {
            // An unknown category is a mistake; an empty one is only worth saying in the answer.
            std::int64_t known = 0;
            std::string id = request.categories[i];
            c.session() << c.sql("SELECT COUNT(*) FROM worker_categories WHERE id = ?"), Poco::Data::Keywords::use(id),
                Poco::Data::Keywords::into(known), Poco::Data::Keywords::now;
            if (known == 0)
                return FieldError{"categories[" + std::to_string(i) + "]",
                                  "no worker category '" + request.categories[i] + "'"};
        }
        for (Worker& w : members)
            if (seen.insert(w.id).second) workers.push_back(std::move(w));
    }

    rendering::Renderer renderer(templates);
    rendering::RenderSettings render_settings = settings.render_settings();
    std::vector<Decision> decisions;
    std::vector<NewMessage> messages;
    std::vector<std::size_t> sent_at; // decisions[sent_at[i]] is messages[i]
    for (const Worker& worker : workers) {
        for (Decision& d : decide_worker_message(settings, worker, request.type)) {
            d.request_id = stored.id;
            d.decided_at = now_ms;
            if (d.sent) {
                Channel channel = *d.channel;
                auto rendered = renderer.render(
                    {rendering::MessageKind::collaboration_message, channel,
                     rendering::CollaborationFacts{request.type, request.subject, request.body}},
                    render_settings);
                if (auto* error = std::get_if<rendering::RenderError>(&rendered)) {
                    d.sent = false;
                    d.reason = SkipReason::render_failed;
                    d.reason_text = "the message could not be rendered: " + error->field + " " + error->reason;
                } else {
                    auto& r = std::get<rendering::RenderedMessage>(rendered);
                    NewMessage m;
                    m.channel = channel;
                    m.kind = "collaboration_message";
                    m.transport = transport_for(settings, channel);
                    m.to = d.to;
                    m.subject = std::move(r.subject);
                    m.body = std::move(r.body);
                    m.html_body = std::move(r.html_body);
                    // Ids are [A-Za-z0-9._-] and type names [a-z-]: nothing to escape.
                    m.metadata_json = R"({"request":")" + stored.id + R"(","worker":")" + worker.id + R"(","type":")" +
                                      stored.about + R"("})";
                    m.idempotency_key = "worker-message:" + stored.id + ":" + worker.id + ":" + std::string(to_string(channel));
                    if (max_age_) {
                        TimeMs age = max_age_(m.transport, m.kind);
                        if (age > 0) m.expires_at = now_ms + age;
                    }
                    sent_at.push_back(decisions.size());
                    messages.push_back(std::move(m));
                }
            }
            decisions.push_back(std::move(d));
        }
    }
    auto enqueued = outbox_.enqueue(c, std::move(messages));
    for (std::size_t i = 0; i < enqueued.size() && i < sent_at.size(); ++i) decisions[sent_at[i]].message_id = enqueued[i].id;
    log_.insert(c, decisions);
    tx.commit();
    result.decisions = std::move(decisions);
    return result;
} catch (const Poco::Exception& e) {
    throw std::runtime_error("store: " + e.displayText());
}

} // namespace extcomm::agency
