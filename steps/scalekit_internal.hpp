// Shared by the scalekit.* handlers (steps/scalekit_*.cpp): the handlers
// themselves and the helpers for Scalekit's metadata and response shapes.
// Pure helpers; handlers are thread-safe like every step.
#pragma once

#include <string>
#include <vector>

#include "engine/json.hpp"
#include "engine/step.hpp"
#include "steps/http_call.hpp"

namespace sagaflow::steps::scalekit {

StepResult CreateOrganization(const StepContext& ctx);
StepResult GetOrganization(const StepContext& ctx);
StepResult GetOrganizationByExternalId(const StepContext& ctx);
StepResult FindOrganizationByDomain(const StepContext& ctx);
StepResult UpdateOrganization(const StepContext& ctx);
StepResult DeleteOrganization(const StepContext& ctx);
StepResult CreateUserAndMembership(const StepContext& ctx);
StepResult GetUserByExternalId(const StepContext& ctx);
StepResult UpdateUser(const StepContext& ctx);
StepResult DeleteMembership(const StepContext& ctx);
StepResult AddMembership(const StepContext& ctx);

// Metadata to set on create: string values only; null and "" leave a key out.
Json CleanMetadata(const Json& metadata);

// Merging `changes` into `current` (Scalekit metadata is string to string):
// null or "" removes a key, anything else is set as text. `previous` holds
// the prior value of every key whose value changes (null when it had none),
// which is exactly what a compensation passes back to restore it.
struct MetadataMerge {
  Json merged = Json::object();
  Json previous = Json::object();
  bool changed() const { return !previous.empty(); }
};
MetadataMerge MergeMetadata(const Json& current, const Json& changes);

// `body[key]` when the response wraps the resource (`{"organization": …}`).
Json Unwrap(const Json& body, const char* key);

// Roles as Scalekit wants them: [{"name": …}] from names or objects.
Json Roles(const Json& roles);

// Whether `resource.create_time` is no earlier than `since` (a minute of
// clock skew allowed): then a retry may adopt it as what its earlier,
// unanswered attempt created.
bool CreatedSince(const Json& resource, TimePoint since);

// The missing_ok answer of a lookup that found nothing.
Json NotFound();

}  // namespace sagaflow::steps::scalekit
