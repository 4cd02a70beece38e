// From a verified webhook event to the runs it starts: which workflows
// listen (their webhook triggers), and each one's input, evaluated over
// `event` and checked against the workflow's input schema.
//
// A workflow starts at most one run per event (its first matching trigger).
// An event type matches a trigger that lists it, or "*". A trigger whose
// input cannot be evaluated or does not pass the schema starts nothing and
// is reported in `rejected`; the others still start. Pure functions over
// immutable definitions; safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "engine/definition.hpp"
#include "engine/store.hpp"
#include "engine/webhook_config.hpp"

namespace sagaflow {

struct WebhookEvent {
  std::string source;
  std::string id;
  std::string type;
  Json payload;  // the parsed body
};

struct WebhookPlan {
  std::vector<WebhookRun> runs;
  Json rejected = Json::array();  // [{workflow, version, message, details?}]
};

bool TriggerListensTo(const WebhookTrigger& trigger, const std::string& source,
                      const std::string& type);

// `env` is what expressions read as env.*.
WebhookPlan PlanWebhookRuns(const std::vector<DefinitionPtr>& definitions,
                            const WebhookEvent& event, const Json& env);

// "workflow 'x' listens to webhook source 'y', which is not configured", one
// line per such trigger, for a warning at start-up.
std::vector<std::string> UnconfiguredWebhookSources(const std::vector<DefinitionPtr>& definitions,
                                                    const WebhookConfig& config);

}  // namespace sagaflow
