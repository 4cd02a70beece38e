// salesforce.* — Accounts and Contacts over the Salesforce REST API
// ({instance_url}/services/data/v{api_version}/sobjects/…), with an OAuth
// client-credentials token from the org's My Domain host.
//
// Updates read the fields they are about to change first and return them as
// `previous` (a field without a value reads as null), so a compensation
// passes `previous` back as `fields` to restore them — null clears a field,
// which is what it was. PATCH answers 204 with no body.
#include "steps/builtin_steps.hpp"
#include "steps/declare.hpp"
#include "steps/http_call.hpp"
#include "steps/step_params.hpp"

namespace sagaflow {
namespace steps::salesforce {
namespace {

std::string RecordPath(const Connection& connection, const std::string& object,
                       const std::string& id) {
  return "/services/data/v" + connection.config().api_version + "/sobjects/" + object + "/" +
         Segment(id);
}

std::string FieldList(const Json& names) {
  std::string list;
  for (const auto& name : names) {
    if (name.is_string()) list += (list.empty() ? "" : ",") + name.get<std::string>();
  }
  return list;
}

StepResult GetRecord(const StepContext& ctx, const std::string& object, const char* id_param) {
  auto resolved = ResolveConnection(ctx, "salesforce");
  if (!resolved.connection) return resolved.failure;
  const std::string id = ParamText(ctx.params, id_param);
  if (id.empty()) return BadParameter(id_param, "must not be empty");
  ApiRequest request = ApiRequest::Make("GET", RecordPath(*resolved.connection, object, id));
  if (const std::string fields = FieldList(ctx.params.value("fields", Json::array()));
      !fields.empty()) {
    request.query = {{"fields", fields}};
  }
  auto answer = CallApi(ctx, resolved.connection.get(), request);
  if (!answer.ok()) return answer.failure;
  return StepResult::Completed(answer->json.is_object() ? answer->json : Json::object());
}

StepResult UpdateRecord(const StepContext& ctx, const std::string& object, const char* id_param) {
  auto resolved = ResolveConnection(ctx, "salesforce");
  if (!resolved.connection) return resolved.failure;
  Connection* connection = resolved.connection.get();
  const std::string id = ParamText(ctx.params, id_param);
  if (id.empty()) return BadParameter(id_param, "must not be empty");
  const Json fields = ParamObject(ctx.params, "fields");
  if (fields.empty()) return BadParameter("fields", "name at least one field to set");
  const std::string path = RecordPath(*connection, object, id);

  Json names = Json::array();
  for (const auto& [name, value] : fields.items()) names.push_back(name);
  ApiRequest read = ApiRequest::Make("GET", path);
  read.query = {{"fields", FieldList(names)}};
  auto current = CallApi(ctx, connection, read);
  if (!current.ok()) return current.failure;
  Json previous = Json::object();
  for (const auto& [name, value] : fields.items()) {
    previous[name] =
        current->json.is_object() && current->json.contains(name) ? current->json[name] : Json();
  }

  auto updated = CallApi(ctx, connection, ApiRequest::Make("PATCH", path, fields));
  if (!updated.ok()) return updated.failure;
  return StepResult::Completed(Json{{"id", id}, {"fields", fields}, {"previous", previous}});
}

}  // namespace

StepResult GetAccount(const StepContext& ctx) {
  return GetRecord(ctx, "Account", "account_id");
}
StepResult UpdateAccount(const StepContext& ctx) {
  return UpdateRecord(ctx, "Account", "account_id");
}
StepResult GetContact(const StepContext& ctx) {
  return GetRecord(ctx, "Contact", "contact_id");
}
StepResult UpdateContact(const StepContext& ctx) {
  return UpdateRecord(ctx, "Contact", "contact_id");
}

}  // namespace steps::salesforce

void RegisterSalesforceSteps(StepRegistry& registry) {
  namespace sf = steps::salesforce;
  using P = ParamType;
  const ParamSpec fields_read{"fields", P::kArray, false, nullptr, "field names to read"};
  const ParamSpec fields_write{"fields", P::kObject, true, nullptr, "field name -> new value"};
  RegisterDeclaredSteps(registry, "salesforce",
                        {
                            {"get_account",
                             false,
                             "Reads an Account.",
                             {{"account_id", P::kString, true, nullptr, "001…"}, fields_read},
                             "the record: Id, the fields asked for (all when none), attributes",
                             sf::GetAccount},
                            {"update_account",
                             true,
                             "Updates Account fields.",
                             {{"account_id", P::kString, true, nullptr, "001…"}, fields_write},
                             "{id, fields, previous: {field: prior value or null}}",
                             sf::UpdateAccount},
                            {"get_contact",
                             false,
                             "Reads a Contact.",
                             {{"contact_id", P::kString, true, nullptr, "003…"}, fields_read},
                             "the record: Id, the fields asked for (all when none), attributes",
                             sf::GetContact},
                            {"update_contact",
                             true,
                             "Updates Contact fields.",
                             {{"contact_id", P::kString, true, nullptr, "003…"}, fields_write},
                             "{id, fields, previous: {field: prior value or null}}",
                             sf::UpdateContact},
                        });
}

}  // namespace sagaflow
