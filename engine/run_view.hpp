// JSON views of runs, steps, history and audit entries for the HTTP API and
// the CLI. Pure functions.
#pragma once

#include <vector>

#include "engine/json.hpp"
#include "engine/run_model.hpp"
#include "engine/store.hpp"

namespace sagaflow {

// The run with each step and its attempts (from the history).
Json RunJson(const RunRecord& run, const std::vector<HistoryEvent>& history);
// A listing row: no steps, no input.
Json RunSummaryJson(const RunRecord& run);
Json HistoryJson(const std::vector<HistoryEvent>& history);
Json AuditJson(const AuditEntry& entry);

// Opaque paging cursors for run listings.
std::string EncodeRunCursor(const RunRecord& last);
std::optional<std::pair<TimePoint, std::string>> DecodeRunCursor(const std::string& cursor);

}  // namespace sagaflow
