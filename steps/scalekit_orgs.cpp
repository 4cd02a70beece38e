// scalekit.* organization handlers (see steps/scalekit.cpp for the decisions).
#include <algorithm>

#include "engine/text.hpp"
#include "steps/scalekit_internal.hpp"
#include "steps/step_params.hpp"

namespace sagaflow::steps::scalekit {
namespace {

const std::string kOrgs = "/api/v1/organizations";

StepResult Found(Json resource) {
  resource["found"] = true;
  return StepResult::Completed(std::move(resource));
}

// GET that may find nothing: `missing_ok` turns 404 into {found: false}.
StepResult Lookup(const StepContext& ctx, const std::string& path, const char* key) {
  auto resolved = ResolveConnection(ctx, "scalekit");
  if (!resolved.connection) return resolved.failure;
  const bool missing_ok = ParamBool(ctx.params, "missing_ok", false);
  ApiRequest request = ApiRequest::Make("GET", path);
  if (missing_ok) request.also_accept = {404};
  auto answer = CallApi(ctx, resolved.connection.get(), request);
  if (!answer.ok()) return answer.failure;
  if (answer->status == 404) return StepResult::Completed(NotFound());
  return Found(Unwrap(answer->json, key));
}

}  // namespace

StepResult CreateOrganization(const StepContext& ctx) {
  auto resolved = ResolveConnection(ctx, "scalekit");
  if (!resolved.connection) return resolved.failure;
  Connection* connection = resolved.connection.get();
  const std::string display_name = ParamText(ctx.params, "display_name");
  if (display_name.empty()) return BadParameter("display_name", "must not be empty");
  const std::string external_id = ParamText(ctx.params, "external_id");

  if (ctx.attempt > 1 && !external_id.empty()) {
    // An earlier attempt may have created it without our hearing back.
    ApiRequest lookup = ApiRequest::Make("GET", kOrgs + ":external/" + Segment(external_id));
    lookup.also_accept = {404};
    auto found = CallApi(ctx, connection, lookup);
    if (!found.ok()) return found.failure;
    if (found->status != 404) {
      Json org = Unwrap(found->json, "organization");
      if (CreatedSince(org, ctx.first_started_at)) return StepResult::Completed(org);
    }
  }

  Json body{{"display_name", display_name}};
  if (!external_id.empty()) body["external_id"] = external_id;
  const Json metadata = CleanMetadata(ParamObject(ctx.params, "metadata"));
  if (!metadata.empty()) body["metadata"] = metadata;
  if (const std::string region = ParamText(ctx.params, "region_code"); !region.empty()) {
    body["region_code"] = region;
  }
  auto created = CallApi(ctx, connection, ApiRequest::Make("POST", kOrgs, body));
  if (!created.ok()) return created.failure;
  return StepResult::Completed(Unwrap(created->json, "organization"));
}

StepResult GetOrganization(const StepContext& ctx) {
  const std::string id = ParamText(ctx.params, "organization_id");
  if (id.empty()) return BadParameter("organization_id", "must not be empty");
  return Lookup(ctx, kOrgs + "/" + Segment(id), "organization");
}

StepResult GetOrganizationByExternalId(const StepContext& ctx) {
  const std::string id = ParamText(ctx.params, "external_id");
  if (id.empty()) return BadParameter("external_id", "must not be empty");
  return Lookup(ctx, kOrgs + ":external/" + Segment(id), "organization");
}

// There is no "organization of a domain" route: search, then confirm each
// candidate by its own domain list.
StepResult FindOrganizationByDomain(const StepContext& ctx) {
  auto resolved = ResolveConnection(ctx, "scalekit");
  if (!resolved.connection) return resolved.failure;
  Connection* connection = resolved.connection.get();
  std::string domain = ParamText(ctx.params, "domain");
  if (domain.empty()) {
    const std::string email = ParamText(ctx.params, "email");
    const auto at = email.rfind('@');
    if (at == std::string::npos || at + 1 == email.size()) {
      return BadParameter("domain", "give a domain, or an email address to take it from");
    }
    domain = email.substr(at + 1);
  }
  domain = Lower(domain);

  std::string page_token;
  for (int page = 0; page < 20; ++page) {
    ApiRequest search = ApiRequest::Make("GET", kOrgs + ":search");
    search.query = {{"query", domain}, {"page_size", "50"}};
    if (!page_token.empty()) search.query.emplace_back("page_token", page_token);
    auto found = CallApi(ctx, connection, search);
    if (!found.ok()) return found.failure;
    const Json organizations = found->json.value("organizations", Json::array());
    for (const auto& org : organizations) {
      const std::string id = org.value("id", "");
      if (id.empty()) continue;
      auto domains =
          CallApi(ctx, connection, ApiRequest::Make("GET", kOrgs + "/" + Segment(id) + "/domains"));
      if (!domains.ok()) return domains.failure;
      for (const auto& entry : domains->json.value("domains", Json::array())) {
        if (Lower(entry.value("domain", "")) == domain) {
          Json result = org;
          result["domain"] = domain;
          return Found(std::move(result));
        }
      }
    }
    page_token = found->json.value("next_page_token", "");
    if (page_token.empty() || organizations.empty()) break;
  }
  if (ParamBool(ctx.params, "missing_ok", false)) {
    Json none = NotFound();
    none["domain"] = domain;
    return StepResult::Completed(none);
  }
  return StepResult::Final("NOT_FOUND", "scalekit: no organization owns the domain " + domain);
}

StepResult UpdateOrganization(const StepContext& ctx) {
  auto resolved = ResolveConnection(ctx, "scalekit");
  if (!resolved.connection) return resolved.failure;
  Connection* connection = resolved.connection.get();
  const std::string id = ParamText(ctx.params, "organization_id");
  if (id.empty()) return BadParameter("organization_id", "must not be empty");
  const std::string path = kOrgs + "/" + Segment(id);

  auto current = CallApi(ctx, connection, ApiRequest::Make("GET", path));
  if (!current.ok()) return current.failure;
  const Json org = Unwrap(current->json, "organization");

  Json body = Json::object();
  Json previous{{"metadata", Json::object()}};
  std::vector<std::string> mask;
  for (const char* field : {"display_name", "external_id"}) {
    if (!HasParam(ctx.params, field)) continue;
    const Json wanted = ctx.params[field];
    const Json before = org.contains(field) ? org[field] : Json();
    if (wanted == before) continue;
    body[field] = wanted;
    previous[field] = before;
    mask.push_back(field);
  }
  const MetadataMerge merge =
      MergeMetadata(org.value("metadata", Json::object()), ParamObject(ctx.params, "metadata"));
  if (merge.changed()) {
    body["metadata"] = merge.merged;
    previous["metadata"] = merge.previous;
    mask.push_back("metadata");
  }
  if (mask.empty()) {
    Json unchanged = org;
    unchanged["previous"] = previous;
    return StepResult::Completed(unchanged);
  }
  std::string update_mask;
  for (const auto& field : mask) update_mask += (update_mask.empty() ? "" : ",") + field;
  ApiRequest patch = ApiRequest::Make("PATCH", path, body);
  patch.query = {{"update_mask", update_mask}};
  auto updated = CallApi(ctx, connection, patch);
  if (!updated.ok()) return updated.failure;
  Json result = Unwrap(updated->json, "organization");
  if (result.empty()) result = org;  // a body-less answer: report what we know
  result["previous"] = previous;
  return StepResult::Completed(result);
}

StepResult DeleteOrganization(const StepContext& ctx) {
  const std::string id = ParamText(ctx.params, "organization_id");
  if (id.empty()) {
    return StepResult::Completed(
        Json{{"organization_id", nullptr}, {"deleted", false}, {"reason", "no organization id"}});
  }
  auto resolved = ResolveConnection(ctx, "scalekit");
  if (!resolved.connection) return resolved.failure;
  ApiRequest request = ApiRequest::Make("DELETE", kOrgs + "/" + Segment(id));
  request.also_accept = {404};
  auto answer = CallApi(ctx, resolved.connection.get(), request);
  if (!answer.ok()) return answer.failure;
  return StepResult::Completed(Json{{"organization_id", id}, {"deleted", answer->status != 404}});
}

}  // namespace sagaflow::steps::scalekit
