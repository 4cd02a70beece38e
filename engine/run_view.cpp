#include "engine/run_view.hpp"

#include <algorithm>
#include <map>

#include "engine/ids.hpp"
#include "engine/time_format.hpp"

namespace sagaflow {
namespace {

Json Time(const std::optional<TimePoint>& time) {
  return time ? Json(FormatIso(*time)) : Json();
}

// Attempt outcomes per (step, phase), read off the history.
std::map<std::pair<std::string, std::string>, Json> AttemptsFrom(
    const std::vector<HistoryEvent>& history) {
  std::map<std::pair<std::string, std::string>, Json> attempts;
  for (const auto& event : history) {
    if (!event.step_id || !event.phase || !event.attempt) continue;
    std::string outcome;
    if (event.type == "attempt_failed") outcome = "failed";
    if (event.type == "step_completed" || event.type == "compensation_completed")
      outcome = "completed";
    if (event.type == "step_failed" || event.type == "compensation_failed") outcome = "failed";
    if (event.type == "lease_taken_over") outcome = "unknown";
    if (outcome.empty()) continue;
    Json attempt{{"attempt", *event.attempt}, {"outcome", outcome}, {"at", FormatIso(event.at)}};
    if (event.data.contains("error")) attempt["error"] = event.data["error"];
    auto& list = attempts[{*event.step_id, PhaseName(*event.phase)}];
    if (list.is_null()) list = Json::array();
    // A final failure repeats the last attempt's failure; keep one entry.
    if (!list.empty() && list.back()["attempt"] == *event.attempt) {
      list.back() = attempt;
    } else {
      list.push_back(attempt);
    }
  }
  return attempts;
}

}  // namespace

Json RunSummaryJson(const RunRecord& run) {
  Json json{{"id", run.id},
            {"workflow", run.workflow},
            {"version", run.version},
            {"status", run.status},
            {"created_at", FormatIso(run.created_at)},
            {"updated_at", FormatIso(run.updated_at)},
            {"finished_at", Time(run.finished_at)}};
  if (run.attention_reason) json["reason"] = *run.attention_reason;
  if (!run.error.is_null()) json["error"] = run.error;
  if (run.current_step) {
    json["current_step"] = {{"id", *run.current_step}, {"phase", PhaseName(run.current_phase)}};
  }
  return json;
}

Json RunJson(const RunRecord& run, const std::vector<HistoryEvent>& history) {
  Json json = RunSummaryJson(run);
  json["input"] = run.input;
  json["output"] = run.output;
  json["error"] = run.error;
  json["trigger"] = run.trigger;
  json["reason"] = run.attention_reason ? Json(*run.attention_reason) : Json();
  json["pending_command"] = run.command;
  auto attempts = AttemptsFrom(history);
  std::vector<const StepRecord*> steps;
  for (const auto& step : run.steps) steps.push_back(&step);
  // Forward steps in the order they started, then compensations likewise.
  std::stable_sort(steps.begin(), steps.end(), [](const StepRecord* a, const StepRecord* b) {
    if (a->phase != b->phase) return a->phase == Phase::kForward;
    return a->started_at.value_or(TimePoint::max()) < b->started_at.value_or(TimePoint::max());
  });
  Json list = Json::array();
  for (const StepRecord* step : steps) {
    Json attempt_list = attempts[{step->step_id, PhaseName(step->phase)}];
    list.push_back({{"id", step->step_id},
                    {"phase", PhaseName(step->phase)},
                    {"status", step->status},
                    {"attempts", step->attempts},
                    {"params", step->params},
                    {"output", step->output},
                    {"error", step->error},
                    {"outcome_uncertain", step->uncertain},
                    {"started_at", Time(step->started_at)},
                    {"finished_at", Time(step->finished_at)},
                    {"attempt_history", attempt_list.is_null() ? Json::array() : attempt_list}});
  }
  json["steps"] = list;
  return json;
}

Json HistoryJson(const std::vector<HistoryEvent>& history) {
  Json list = Json::array();
  for (const auto& event : history) {
    Json item{{"id", event.id}, {"at", FormatIso(event.at)}, {"type", event.type}};
    if (event.step_id) item["step"] = *event.step_id;
    if (event.phase) item["phase"] = PhaseName(*event.phase);
    if (event.attempt) item["attempt"] = *event.attempt;
    item["data"] = event.data;
    list.push_back(item);
  }
  return list;
}

Json AuditJson(const AuditEntry& entry) {
  return Json{{"id", entry.id},
              {"at", FormatIso(entry.at)},
              {"actor", entry.actor},
              {"action", entry.action},
              {"run_id", entry.run_id ? Json(*entry.run_id) : Json()},
              {"reason", entry.reason},
              {"request", entry.request},
              {"outcome", entry.outcome}};
}

std::string EncodeRunCursor(const RunRecord& last) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(last.created_at.time_since_epoch())
          .count();
  const std::string plain = std::to_string(micros) + "." + last.id;
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : plain) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  return hex;
}

std::optional<std::pair<TimePoint, std::string>> DecodeRunCursor(const std::string& cursor) {
  if (cursor.size() % 2 != 0 || cursor.size() > 200) return std::nullopt;
  std::string plain;
  for (size_t i = 0; i < cursor.size(); i += 2) {
    const std::string byte = cursor.substr(i, 2);
    if (byte.find_first_not_of("0123456789abcdef") != std::string::npos) return std::nullopt;
    plain += static_cast<char>(std::stoi(byte, nullptr, 16));
  }
  const size_t dot = plain.find('.');
  if (dot == std::string::npos || dot == 0) return std::nullopt;
  const std::string micros = plain.substr(0, dot);
  const std::string id = plain.substr(dot + 1);
  if (micros.find_first_not_of("0123456789") != std::string::npos || micros.size() > 18 ||
      !LooksLikeUuid(id)) {
    return std::nullopt;
  }
  return std::make_pair(TimePoint(std::chrono::microseconds(std::stoll(micros))), id);
}

}  // namespace sagaflow
