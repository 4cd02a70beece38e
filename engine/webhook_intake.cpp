#include "engine/webhook_intake.hpp"

#include <algorithm>

#include "engine/ids.hpp"

namespace sagaflow {

bool TriggerListensTo(const WebhookTrigger& trigger, const std::string& source,
                      const std::string& type) {
  if (trigger.source != source) return false;
  return std::any_of(trigger.events.begin(), trigger.events.end(),
                     [&](const std::string& event) { return event == type || event == "*"; });
}

WebhookPlan PlanWebhookRuns(const std::vector<DefinitionPtr>& definitions,
                            const WebhookEvent& event, const Json& env) {
  WebhookPlan plan;
  const Json scope{{"event", event.payload}, {"env", env}};
  const EvalContext ctx{scope};
  for (const auto& definition : definitions) {
    const auto trigger = std::find_if(
        definition->triggers.begin(), definition->triggers.end(), [&](const Trigger& t) {
          return t.kind == Trigger::Kind::kWebhook &&
                 TriggerListensTo(t.webhook, event.source, event.type);
        });
    if (trigger == definition->triggers.end()) continue;
    Json rejection{{"workflow", definition->name}, {"version", definition->version}};
    auto rendered = trigger->webhook.input.render(ctx);
    if (!rendered) {
      const ExprError& error = rendered.error();
      rejection["message"] = "the trigger's input could not be evaluated: " + error.message;
      if (!error.pointer.empty()) rejection["details"] = {{"path", error.pointer}};
      plan.rejected.push_back(std::move(rejection));
      continue;
    }
    Json input = std::move(rendered).value();
    if (!input.is_object()) {
      rejection["message"] = "the trigger's input is not a JSON object";
      plan.rejected.push_back(std::move(rejection));
      continue;
    }
    auto checked = definition->input_schema->check_input(std::move(input));
    if (!checked.ok()) {
      Json details = Json::array();
      for (const auto& violation : checked.violations) {
        details.push_back({{"path", violation.path}, {"message", violation.message}});
      }
      rejection["message"] =
          "the input does not pass the workflow's schema: " + to_string(checked.violations.front());
      rejection["details"] = details;
      plan.rejected.push_back(std::move(rejection));
      continue;
    }
    plan.runs.push_back(
        WebhookRun{NewUuid(), definition->name, definition->version, std::move(checked.value)});
  }
  return plan;
}

std::vector<std::string> UnconfiguredWebhookSources(const std::vector<DefinitionPtr>& definitions,
                                                    const WebhookConfig& config) {
  std::vector<std::string> problems;
  for (const auto& definition : definitions) {
    for (const auto& trigger : definition->triggers) {
      if (trigger.kind != Trigger::Kind::kWebhook) continue;
      const std::string& source = trigger.webhook.source;
      const bool configured =
          source == "stripe" ? !config.stripe_secrets.empty() : config.sources.count(source) > 0;
      if (!configured) {
        problems.push_back("workflow '" + definition->name + "' listens to webhook source '" +
                           source + "', which is not configured; it will not start from it");
      }
    }
  }
  return problems;
}

}  // namespace sagaflow
