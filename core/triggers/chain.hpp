#pragma once
// Loop protection: the chain of rule firings that led to a change. A change made by a trigger's own output
// (a task it created, completed; a client's submitted document, whose record is the one its task was
// made for: Subject::loop_record) carries the chain of the firing that made that output, each link
// "rule@record", oldest first. Such a change never fires a rule
// already in its chain for the same record, and a chain kMaxChainDepth links long fires nothing (logged).
#include <cstddef>
#include <string>
#include <vector>

namespace extcomm::triggers {

using Chain = std::vector<std::string>;

inline constexpr std::size_t kMaxChainDepth = 4;

inline std::string chain_link(const std::string& rule, const std::string& record) { return rule + "@" + record; }

} // namespace extcomm::triggers
