// workday.* — reads from Workday's REST API
// ({host}/ccx/api/v1/{tenant}/workers/{id}), with a token from the tenant's
// refresh-token grant (the API client's id and secret in Basic auth).
// Worker fields vary per tenant; the output is the worker as Workday sends it.
#include "steps/builtin_steps.hpp"
#include "steps/declare.hpp"
#include "steps/http_call.hpp"
#include "steps/step_params.hpp"

namespace sagaflow {
namespace steps::workday {

StepResult GetWorker(const StepContext& ctx) {
  auto resolved = ResolveConnection(ctx, "workday");
  if (!resolved.connection) return resolved.failure;
  const std::string id = ParamText(ctx.params, "worker_id");
  if (id.empty()) return BadParameter("worker_id", "must not be empty");
  const std::string path =
      "/ccx/api/v1/" + Segment(resolved.connection->config().tenant) + "/workers/" + Segment(id);
  auto answer = CallApi(ctx, resolved.connection.get(), ApiRequest::Make("GET", path));
  if (!answer.ok()) return answer.failure;
  return StepResult::Completed(answer->json.is_object() ? answer->json : Json::object());
}

}  // namespace steps::workday

void RegisterWorkdaySteps(StepRegistry& registry) {
  RegisterDeclaredSteps(registry, "workday",
                        {
                            {"get_worker",
                             false,
                             "Reads a worker.",
                             {{"worker_id", ParamType::kString, true, nullptr, ""}},
                             "the worker: id, descriptor and the tenant's fields",
                             steps::workday::GetWorker},
                        });
}

}  // namespace sagaflow
