// stripe.* — Customers and Subscriptions over Stripe's form-encoded API.
//
// update_customer always sends the step's Idempotency-Key (stable across
// attempts), so a retry after a lost answer is replayed by Stripe rather than
// applied twice. Stripe merges metadata and deletes a key set to "", so the
// output's `previous_metadata` maps every key the step set to its prior
// value, or "" when it had none: passing it back as `metadata` restores the
// customer exactly.
#include "steps/builtin_steps.hpp"
#include "steps/declare.hpp"
#include "steps/http_call.hpp"
#include "steps/step_params.hpp"

namespace sagaflow {
namespace steps::stripe {
namespace {

std::string CustomerPath(const std::string& id) {
  return "/v1/customers/" + Segment(id);
}

}  // namespace

StepResult GetCustomer(const StepContext& ctx) {
  auto resolved = ResolveConnection(ctx, "stripe");
  if (!resolved.connection) return resolved.failure;
  const std::string id = ParamText(ctx.params, "customer_id");
  if (id.empty()) return BadParameter("customer_id", "must not be empty");
  auto answer = CallApi(ctx, resolved.connection.get(), ApiRequest::Make("GET", CustomerPath(id)));
  if (!answer.ok()) return answer.failure;
  return StepResult::Completed(answer->json);
}

StepResult UpdateCustomer(const StepContext& ctx) {
  auto resolved = ResolveConnection(ctx, "stripe");
  if (!resolved.connection) return resolved.failure;
  Connection* connection = resolved.connection.get();
  const std::string id = ParamText(ctx.params, "customer_id");
  if (id.empty()) return BadParameter("customer_id", "must not be empty");

  auto current = CallApi(ctx, connection, ApiRequest::Make("GET", CustomerPath(id)));
  if (!current.ok()) return current.failure;
  const Json customer = current->json.is_object() ? current->json : Json::object();
  const Json metadata_before = customer.value("metadata", Json::object());

  FormFields form;
  Json previous_metadata = Json::object();
  const Json metadata = ParamObject(ctx.params, "metadata");
  for (const auto& [key, value] : metadata.items()) {
    const Json text = MetadataText(value);
    form.emplace_back("metadata[" + key + "]", text.is_string() ? text.get<std::string>() : "");
    previous_metadata[key] = metadata_before.contains(key) && metadata_before[key].is_string()
                                 ? metadata_before[key]
                                 : Json("");
  }
  Json previous = Json::object();
  for (const char* field : {"email", "description"}) {
    if (!HasParam(ctx.params, field)) continue;
    form.emplace_back(field, ParamText(ctx.params, field));
    previous[field] = customer.contains(field) ? customer[field] : Json();
  }
  if (form.empty()) {
    Json unchanged = customer;
    unchanged["previous_metadata"] = previous_metadata;
    unchanged["previous"] = previous;
    return StepResult::Completed(unchanged);
  }
  ApiRequest update = ApiRequest::Make("POST", CustomerPath(id));
  update.form = form;
  update.form_keep_brackets = true;
  update.send_idempotency_key = true;
  auto answer = CallApi(ctx, connection, update);
  if (!answer.ok()) return answer.failure;
  Json result = answer->json.is_object() ? answer->json : customer;
  result["previous_metadata"] = previous_metadata;
  result["previous"] = previous;
  if (answer->Header("idempotent-replayed") == "true") result["idempotent_replayed"] = true;
  return StepResult::Completed(result);
}

StepResult GetSubscription(const StepContext& ctx) {
  auto resolved = ResolveConnection(ctx, "stripe");
  if (!resolved.connection) return resolved.failure;
  const std::string id = ParamText(ctx.params, "subscription_id");
  if (id.empty()) return BadParameter("subscription_id", "must not be empty");
  auto answer = CallApi(ctx, resolved.connection.get(),
                        ApiRequest::Make("GET", "/v1/subscriptions/" + Segment(id)));
  if (!answer.ok()) return answer.failure;
  Json subscription = answer->json.is_object() ? answer->json : Json::object();
  // Since API 2025-03-31 the period end lives on the item; older versions
  // have it on the subscription. Read the item first.
  const Json items = subscription.value("items", Json::object()).value("data", Json::array());
  if (!items.empty() && items[0].is_object() && items[0].contains("current_period_end")) {
    subscription["current_period_end"] = items[0]["current_period_end"];
  }
  return StepResult::Completed(subscription);
}

}  // namespace steps::stripe

void RegisterStripeSteps(StepRegistry& registry) {
  namespace st = steps::stripe;
  using P = ParamType;
  const ParamSpec customer{"customer_id", P::kString, true, nullptr, "cus_…"};
  RegisterDeclaredSteps(
      registry, "stripe",
      {
          {"get_customer",
           false,
           "Reads a Customer.",
           {customer},
           "the Customer object",
           st::GetCustomer},
          {"update_customer",
           true,
           "Merges metadata into a Customer (form-encoded, always with the step's "
           "Idempotency-Key).",
           {customer,
            {"metadata", P::kObject, false, nullptr, "keys to set; \"\" or null removes a key"},
            {"email", P::kString, false, nullptr, ""},
            {"description", P::kString, false, nullptr, ""}},
           "the updated Customer plus previous_metadata {key: prior value, \"\" when absent} and "
           "previous {email?, description?}",
           st::UpdateCustomer},
          {"get_subscription",
           false,
           "Reads a Subscription.",
           {{"subscription_id", P::kString, true, nullptr, "sub_…"}},
           "the Subscription, with current_period_end taken from its first item when there",
           st::GetSubscription},
      });
}

}  // namespace sagaflow
