// Triggers: `http: {}`, `webhook: {source, events, input}` and
// `schedule: {cron, timezone, input, catch_up}`.
#include <algorithm>
#include <filesystem>
#include <iterator>

#include "engine/loader_context.hpp"
#include "engine/loader_parts.hpp"
#include "engine/spelling.hpp"
#include "engine/yaml_value.hpp"

namespace sagaflow::loader {
namespace {

// Zone names in the same folder as `name` ("Europe/Pariss" -> Europe/*), for
// a "did you mean" on a misspelt time zone.
std::vector<std::string> NeighbourZones(const std::string& name) {
  namespace fs = std::filesystem;
  std::vector<std::string> names;
  if (name.find("..") != std::string::npos || name.empty() || name[0] == '/') return names;
  const fs::path folder = fs::path(name).parent_path();
  std::error_code error;
  for (const auto& entry :
       fs::directory_iterator(fs::path(TimeZone::kDefaultRoot) / folder, error)) {
    const std::string zone = (folder / entry.path().filename()).string();
    if (zone != name && entry.is_regular_file(error)) names.push_back(zone);
  }
  return names;
}

std::optional<WebhookTrigger> ReadWebhook(Context& ctx, const YAML::Node& node,
                                          const std::string& path) {
  if (!ExpectMap(ctx, node, path)) return std::nullopt;
  const std::vector<std::string> keys = {"source", "events", "input"};
  CheckKeys(ctx, node, path, keys);
  WebhookTrigger webhook;
  bool ok = true;  // read on after a problem: report every one at once
  const YAML::Node source = Find(node, "source");
  if (!source.IsDefined()) {
    MissingKey(ctx, node, path, "source", keys);
    ok = false;
  } else if (auto text = ExpectString(ctx, source, JoinPath(path, "source"))) {
    webhook.source = *text;
  } else {
    ok = false;
  }
  const YAML::Node events = Find(node, "events");
  if (!events.IsDefined()) {
    MissingKey(ctx, node, path, "events", keys);
    ok = false;
  } else if (ExpectSequence(ctx, events, JoinPath(path, "events"))) {
    if (events.size() == 0) {
      ctx.Error(events, JoinPath(path, "events"), "list at least one event");
      ok = false;
    }
    for (size_t i = 0; i < events.size(); ++i) {
      if (auto event = ExpectString(ctx, events[i], path + ".events[" + std::to_string(i) + "]")) {
        webhook.events.push_back(*event);
      } else {
        ok = false;
      }
    }
  } else {
    ok = false;
  }
  if (const YAML::Node input = Find(node, "input"); input.IsDefined()) {
    if (!ExpectMap(ctx, input, JoinPath(path, "input"))) return std::nullopt;
    auto compiled = CompileValue(ctx, input, JoinPath(path, "input"));
    if (!compiled) return std::nullopt;
    webhook.input = *compiled;
  } else {
    // No mapping: the event's data object becomes the input.
    webhook.input = CompiledValue::compile(Json("${{ event.data.object }}")).value();
  }
  if (!ok) return std::nullopt;
  return webhook;
}

std::optional<ScheduleTrigger> ReadSchedule(Context& ctx, const YAML::Node& node,
                                            const std::string& path) {
  if (!ExpectMap(ctx, node, path)) return std::nullopt;
  const std::vector<std::string> keys = {"cron", "timezone", "input", "catch_up"};
  CheckKeys(ctx, node, path, keys);
  ScheduleTrigger schedule;
  bool ok = true;
  const YAML::Node cron = Find(node, "cron");
  if (!cron.IsDefined()) {
    MissingKey(ctx, node, path, "cron", keys);
    ok = false;
  } else if (auto text = ExpectString(ctx, cron, JoinPath(path, "cron"))) {
    auto parsed = CronSchedule::parse(*text);
    if (parsed) {
      schedule.cron_text = *text;
      schedule.cron = std::make_shared<CronSchedule>(parsed.value());
    } else {
      ctx.diagnostics.Error(ctx.LocationInside(cron, parsed.error().column),
                            JoinPath(path, "cron") + ": " + parsed.error().message);
      ok = false;
    }
  } else {
    ok = false;
  }
  schedule.timezone_name = "UTC";
  if (const YAML::Node zone = Find(node, "timezone"); zone.IsDefined()) {
    if (auto name = ExpectString(ctx, zone, JoinPath(path, "timezone"))) {
      auto loaded = TimeZone::load(*name);
      if (loaded) {
        schedule.timezone_name = *name;
        schedule.timezone = loaded.value();
      } else {
        ctx.Error(zone, JoinPath(path, "timezone"),
                  loaded.error().message + DidYouMean(*name, NeighbourZones(*name)));
        ok = false;
      }
    }
  }
  if (const YAML::Node input = Find(node, "input"); input.IsDefined()) {
    if (ExpectMap(ctx, input, JoinPath(path, "input"))) {
      if (auto compiled = CompileValue(ctx, input, JoinPath(path, "input"))) {
        schedule.input = *compiled;
      } else {
        ok = false;
      }
    }
  } else {
    schedule.input = CompiledValue::compile(Json::object()).value();
  }
  if (const YAML::Node catch_up = Find(node, "catch_up"); catch_up.IsDefined()) {
    const auto text = ExpectString(ctx, catch_up, JoinPath(path, "catch_up"));
    if (text == "none") {
      schedule.catch_up = CatchUp::kNone;
    } else if (text == "last") {
      schedule.catch_up = CatchUp::kLast;
    } else if (text == "all") {
      schedule.catch_up = CatchUp::kAll;
    } else if (text) {
      ctx.Error(catch_up, JoinPath(path, "catch_up"),
                "'" + *text + "' is not one of none, last, all" +
                    DidYouMean(*text, {"none", "last", "all"}));
    }
  }
  if (!ok) return std::nullopt;
  return schedule;
}

}  // namespace

std::vector<Trigger> ReadTriggers(Context& ctx, const YAML::Node& node) {
  std::vector<Trigger> triggers;
  if (!node.IsDefined()) {
    triggers.push_back({});  // a workflow without triggers can be started over HTTP
    return triggers;
  }
  if (!ExpectSequence(ctx, node, "triggers")) return triggers;
  const std::vector<std::string> kinds = {"http", "webhook", "schedule"};
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string path = "triggers[" + std::to_string(i) + "]";
    const YAML::Node item = node[i];
    if (item.IsMap() && item.size() > 1) {
      // Two triggers written as one list item, or a kind's settings written
      // beside it instead of indented under it.
      const std::string first = item.begin()->first.Scalar();
      const YAML::Node extra = std::next(item.begin())->first;
      const bool is_kind = std::find(kinds.begin(), kinds.end(), extra.Scalar()) != kinds.end();
      ctx.Error(extra, path,
                is_kind
                    ? "a trigger has one kind, but this one has " + std::to_string(item.size()) +
                          " keys; start each trigger with its own '- '"
                    : "'" + extra.Scalar() + "' is not a trigger kind; settings of the " + first +
                          " trigger go indented under `" + first + ":`");
      continue;
    }
    if (!item.IsMap() || item.size() != 1) {
      ctx.Error(item, path,
                "expected a trigger such as `- http: {}`, `- webhook: {...}` or "
                "`- schedule: {...}`, got " +
                    Describe(item));
      continue;
    }
    const YAML::Node key = item.begin()->first;
    const YAML::Node body = item.begin()->second;
    const std::string kind = key.Scalar();
    const std::string where = JoinPath(path, kind);
    Trigger trigger;
    if (kind == "http") {
      trigger.kind = Trigger::Kind::kHttp;
      if (!body.IsNull() && !(body.IsMap() && body.size() == 0)) {
        ctx.Error(body, where, "takes no settings; write `http: {}`");
        continue;
      }
    } else if (kind == "webhook") {
      auto webhook = ReadWebhook(ctx, body, where);
      if (!webhook) continue;
      trigger.kind = Trigger::Kind::kWebhook;
      trigger.webhook = *webhook;
    } else if (kind == "schedule") {
      auto schedule = ReadSchedule(ctx, body, where);
      if (!schedule) continue;
      trigger.kind = Trigger::Kind::kSchedule;
      trigger.schedule = *schedule;
    } else {
      ctx.Error(key, where,
                "unknown trigger '" + kind + "'" + DidYouMean(kind, kinds) +
                    "; expected http, webhook or schedule");
      continue;
    }
    triggers.push_back(std::move(trigger));
  }
  return triggers;
}

}  // namespace sagaflow::loader
