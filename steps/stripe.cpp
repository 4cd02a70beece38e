// stripe.* — Customers and Subscriptions over Stripe's form-encoded API.
#include "steps/builtin_steps.hpp"
#include "steps/declare.hpp"

namespace sagaflow {

void RegisterStripeSteps(StepRegistry& registry) {
  using P = ParamType;
  const ParamSpec customer{"customer_id", P::kString, true, nullptr, "cus_…"};
  RegisterDeclaredSteps(
      registry, "stripe",
      {
          {"get_customer", false, "Reads a Customer.", {customer}},
          {"update_customer", true,
           "Merges metadata into a Customer; previous metadata is in the output.",
           {customer,
            {"metadata", P::kObject, false, nullptr, "keys to set; empty string removes a key"},
            {"email", P::kString, false, nullptr, ""},
            {"description", P::kString, false, nullptr, ""}}},
          {"get_subscription", false, "Reads a Subscription.",
           {{"subscription_id", P::kString, true, nullptr, "sub_…"}}},
      });
}

}  // namespace sagaflow
