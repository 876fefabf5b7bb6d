#include <agency/channels.hpp>
#include <agency/recipient_rules.hpp>
#include <events/worker_notice_batch.hpp>

#include <Poco/UUIDGenerator.h>
#include <boost/json.hpp>

namespace extcomm::events {
namespace {

// The outbox names kinds with underscores ("last_minute_booking"), the API with hyphens.
std::string outbox_kind(rendering::MessageKind kind) {
    std::string name(rendering::to_string(kind));
    for (char& ch : name)
        if (ch == '-') ch = '_';
    return name;
}

} // namespace

void WorkerNoticeBatch::add(const WorkerNoticeRequest& request) {
    WorkerNotice notice;
    notice.kind = request.kind;
    agency::MessageRequest& stored = notice.request;
    stored.id = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    stored.kind = std::string(rendering::to_string(request.kind));
    stored.about = request.event;
    stored.client = request.client;
    stored.created_at = now_;
    if (auto known = log_.insert_request(c_, stored, request.idempotency_key)) {
        // Sent before (a repeated PUT, a schedule run again after a crash): the first notice, nothing new.
        notice.request = log_.request(c_, *known).value_or(stored);
        notice.decisions = log_.of_request(c_, *known);
        notice.replayed = true;
        notices_.push_back(std::move(notice));
        return;
    }

    const rendering::RenderSettings render_settings = settings_.render_settings();
    const std::size_t index = notices_.size();
    for (const agency::Worker& worker : request.workers) {
        for (agency::Decision& d : agency::decide_worker_event_notification(settings_, worker, request.kind)) {
            d.request_id = stored.id;
            d.decided_at = now_;
            if (d.sent) {
                const Channel channel = *d.channel;
                auto rendered = renderer_.render({request.kind, channel, request.facts}, render_settings);
                if (auto* error = std::get_if<rendering::RenderError>(&rendered)) {
                    d.sent = false;
                    d.reason = agency::SkipReason::render_failed;
                    d.reason_text = "the message could not be rendered: " + error->field + " " + error->reason;
                } else {
                    auto& r = std::get<rendering::RenderedMessage>(rendered);
                    NewMessage m;
                    m.channel = channel;
                    m.kind = outbox_kind(request.kind);
                    m.transport = agency::transport_for(settings_, channel);
                    m.to = d.to;
                    m.subject = std::move(r.subject);
                    m.body = std::move(r.body);
                    m.html_body = std::move(r.html_body);
                    boost::json::object metadata{
                        {"request", stored.id}, {"event", request.event}, {"worker", worker.id}};
                    if (!request.client.empty()) metadata["client"] = request.client;
                    m.metadata_json = boost::json::serialize(metadata);
                    m.idempotency_key =
                        request.idempotency_key + ":" + worker.id + ":" + std::string(to_string(channel));
                    m.expires_at = request.expires_at;
                    sent_.push_back({index, notice.decisions.size(), messages_.size()});
                    messages_.push_back(std::move(m));
                }
            }
            notice.decisions.push_back(std::move(d));
        }
    }
    notices_.push_back(std::move(notice));
}

void WorkerNoticeBatch::record(const std::vector<OutboundMessage>& enqueued) {
    if (recorded_) return;
    recorded_ = true;
    for (const Sent& s : sent_)
        if (s.message < enqueued.size()) notices_[s.notice].decisions[s.decision].message_id = enqueued[s.message].id;
    for (const WorkerNotice& notice : notices_)
        if (!notice.replayed) log_.insert(c_, notice.decisions);
}

} // namespace extcomm::events
