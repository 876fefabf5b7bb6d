#pragma once
// Shared facts for the rendering tests: one appointment at a Sydney site, rendered for a client.
#include <rendering/renderer.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <variant>

namespace extcomm::rendering::testing {

// Unix ms of a UTC wall-clock time.
inline TimeMs utc(int y, unsigned m, unsigned d, int h, int min) {
    using namespace std::chrono;
    const auto tp = sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min};
    return duration_cast<milliseconds>(tp.time_since_epoch()).count();
}

// Tue 3 Mar 2026, 2:30pm in Sydney (AEDT, UTC+11).
inline ServiceEventFacts appointment() {
    ServiceEventFacts e;
    e.start = utc(2026, 3, 3, 3, 30);
    e.original_start = utc(2026, 3, 2, 3, 30); // Mon 2 Mar, 2:30pm
    e.worker = {"Jane", "Smith"};
    e.site = {"Northside Clinic", "02 9999 0000", "Australia/Sydney"};
    e.location = "Room 4";
    e.confirm_link = "https://pen.example/c/Ab12";
    return e;
}

inline RenderSettings agency() {
    RenderSettings s;
    s.agency_time_zone = "Australia/Sydney";
    return s;
}

// Renders and fails the test with the reason when rendering was refused.
inline RenderedMessage rendered(const TemplateSet& templates, MessageKind kind, Channel channel, MessageFacts facts,
                                const RenderSettings& settings = agency()) {
    Renderer renderer(templates);
    auto out = renderer.render({kind, channel, std::move(facts)}, settings);
    if (auto* error = std::get_if<RenderError>(&out)) {
        ADD_FAILURE() << "render refused: " << error->field << ": " << error->reason;
        return {};
    }
    return std::get<RenderedMessage>(std::move(out));
}

inline RenderError refused(const TemplateSet& templates, MessageKind kind, Channel channel, MessageFacts facts,
                           const RenderSettings& settings = agency()) {
    Renderer renderer(templates);
    auto out = renderer.render({kind, channel, std::move(facts)}, settings);
    if (auto* error = std::get_if<RenderError>(&out)) return *error;
    ADD_FAILURE() << "rendered although it should be refused: " << std::get<RenderedMessage>(out).body;
    return {};
}

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

} // namespace extcomm::rendering::testing
