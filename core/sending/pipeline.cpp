#include <sending/pipeline.hpp>
#include <sending/rules.hpp>

#include <Poco/UUIDGenerator.h>


namespace extcomm::sending {
namespace {

// The render step of one decision: the rendered message, or the decision turned into render_failed.
std::optional<rendering::RenderedMessage> render(const agency::SettingsSnapshot& snapshot, const Intent& intent,
                                                 Decision& d) {
    if (!d.sent) return std::nullopt;
    const rendering::Renderer renderer(snapshot.templates);
    auto rendered = renderer.render({intent.kind, *d.channel, intent.facts}, snapshot.render_settings());
    if (auto* error = std::get_if<rendering::RenderError>(&rendered)) {
        d.sent = false;
        d.reason = SkipReason::render_failed;
        d.reason_text = "the message could not be rendered: " + error->field + " " + error->reason;
        return std::nullopt;
    }
    return std::get<rendering::RenderedMessage>(std::move(rendered));
}

std::string new_id() { return Poco::UUIDGenerator::defaultGenerator().createRandom().toString(); }

} // namespace

bool SentRequest::any_sent() const {
    for (const Decision& d : decisions)
        if (d.sent) return true;
    return false;
}

std::vector<Planned> plan(const agency::SettingsSnapshot& snapshot, const Intent& intent, const Addressee& recipient) {
    std::vector<Planned> out;
    for (Decision& d : decide(snapshot.settings, intent, recipient)) {
        auto message = render(snapshot, intent, d);
        out.push_back({std::move(d), std::move(message)});
    }
    return out;
}

std::size_t Batch::add(const Intent& intent) {
    // Decide and render first (pure): a request refused as a whole is stored with its refusal.
    std::vector<Planned> planned;
    for (const Addressee& recipient : intent.recipients)
        for (Planned& p : plan(snapshot_, intent, recipient)) planned.push_back(std::move(p));
    SentRequest sent;
    MessageRequest& request = sent.request;
    request.id = new_id();
    request.kind = std::string(rendering::to_string(intent.kind));
    request.about = intent.about;
    request.subject = intent.subject;
    request.client = intent.client;
    request.created_at = now_;
    std::vector<Decision> decisions;
    for (const Planned& p : planned) decisions.push_back(p.decision);
    if (auto refused = refusal_of(intent, decisions)) {
        request.refusal_code = std::string(to_string(refused->reason));
        request.refusal = refused->text;
        if (refused->mixed) request.refusal_code = "no-usable-channel";
    }
    DecisionLog& log = pipeline_.log();
    const std::string key = intent.idempotency_key.empty() ? request.id : intent.idempotency_key;
    if (auto known = log.insert_request(c_, request, key)) {
        // Handled before (a retried call, a repeated PUT, a run repeated after a crash): nothing new.
        sent.request = log.request(c_, *known).value_or(request);
        sent.decisions = log.of_request(c_, *known);
        sent.replayed = true;
        requests_.push_back(std::move(sent));
        return requests_.size() - 1;
    }
    const std::size_t index = requests_.size();
    for (Planned& p : planned) {
        p.decision.request_id = request.id;
        p.decision.decided_at = now_;
        if (p.message) {
            pending_.push_back({index, sent.decisions.size()});
            messages_.push_back(message_of(intent, sent, p.decision, std::move(*p.message)));
            messages_.back().idempotency_key =
                key + ":" + p.decision.recipient_id + ":" + std::string(to_string(*p.decision.channel));
        }
        sent.decisions.push_back(std::move(p.decision));
    }
    requests_.push_back(std::move(sent));
    return index;
}

NewMessage Batch::message_of(const Intent& intent, const SentRequest& sent, const Decision& d,
                             rendering::RenderedMessage rendered) const {
    NewMessage m;
    m.channel = *d.channel;
    m.kind = std::string(rendering::to_string(intent.kind));
    m.transport = transport_of(snapshot_.settings, intent, m.channel);
    m.to = d.to;
    m.subject = std::move(rendered.subject);
    m.body = std::move(rendered.body);
    m.html_body = std::move(rendered.html_body);
    boost::json::object metadata = intent.metadata;
    metadata["request"] = sent.request.id;
    metadata[to_string(d.recipient)] = d.recipient_id;
    m.metadata_json = boost::json::serialize(metadata);
    m.expires_at = intent.expires_at;
    m.priority = intent.priority;
    m.secret_body = intent.secret_body;
    if (m.expires_at == 0)
        if (TimeMs age = pipeline_.max_age(m.transport, m.kind); age > 0) m.expires_at = now_ + age;
    return m;
}

const std::vector<OutboundMessage>& Batch::enqueue() {
    if (done_) return enqueued_;
    done_ = true;
    if (!messages_.empty()) enqueued_ = pipeline_.outbox().enqueue(c_, std::move(messages_));
    for (std::size_t i = 0; i < pending_.size() && i < enqueued_.size(); ++i)
        requests_[pending_[i].request].decisions[pending_[i].decision].message_id = enqueued_[i].id;
    std::vector<Decision> decisions;
    for (const SentRequest& r : requests_)
        if (!r.replayed) decisions.insert(decisions.end(), r.decisions.begin(), r.decisions.end());
    pipeline_.log().insert(c_, decisions);
    return enqueued_;
}

SentRequest send(Pipeline& pipeline, Database::Connection& c, const agency::SettingsSnapshot& snapshot,
                 const Intent& intent, TimeMs now) {
    Batch batch(pipeline, c, snapshot, now);
    const std::size_t i = batch.add(intent);
    batch.enqueue();
    return batch.request(i);
}

} // namespace extcomm::sending
