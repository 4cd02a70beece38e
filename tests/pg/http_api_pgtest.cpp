// The HTTP API end to end: a real server on a loopback port, a real
// PostgreSQL, requests sent as raw bytes.
#include <catch2/catch.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "engine/admin_actions.hpp"
#include "engine/api.hpp"
#include "engine/openapi.hpp"
#include "tests/support/engine_harness.hpp"
#include "tests/support/raw_http.hpp"

using namespace sagaflow;
using namespace sagaflow::testing;

namespace {

const char* kAdmin = "admin-secret-1";
const char* kApi = "api-secret-1";

const char* kOrders = R"(
name: orders
version: 1
input:
  required: [order_id, amount]
  properties:
    order_id: {type: string, minLength: 1}
    amount: {type: integer, minimum: 1}
    charge_failures: {type: integer, default: 0}
steps:
  - id: reserve
    uses: core.noop
    with: {order: "${{ input.order_id }}"}
    compensate: {uses: core.noop, with: {release: "${{ input.order_id }}"}}
  - id: charge
    uses: core.fail
    with: {times: "${{ input.charge_failures }}", retryable: false}
    compensate: {uses: core.noop}
  - id: ship
    uses: core.noop
    with: {order: "${{ input.order_id }}"}
output:
  shipped: "${{ steps.ship.output.order }}"
)";

const char* kRefund = R"(
name: refund
version: 1
steps:
  - id: book
    uses: core.noop
    compensate:
      uses: core.fail
      with: {times: 1, message: "refund service down"}
      retry: {max_attempts: 1}
  - id: pay
    uses: core.fail
    with: {retryable: false}
)";

const char* kPausing = R"(
name: pausing
version: 1
steps:
  - id: lookup
    uses: core.fail
    with: {times: 1, retryable: false}
    on_failure: pause
  - id: use
    uses: core.noop
    with: {found: "${{ default(steps.lookup.output.id, 'none') }}"}
)";

const char* kLong = R"(
name: long
version: 1
steps:
  - id: made
    uses: core.noop
    compensate: {uses: core.noop}
  - id: wait
    uses: core.sleep
    with: {duration: 1m}
)";

const char* kWebhookOnly = R"(
name: hook_only
version: 1
triggers:
  - webhook: {source: stripe, events: [customer.deleted]}
steps:
  - {id: a, uses: core.noop}
)";

struct Api {
  EngineHarness harness{{{"orders.yaml", kOrders},
                         {"refund.yaml", kRefund},
                         {"pausing.yaml", kPausing},
                         {"long.yaml", kLong},
                         {"hook.yaml", kWebhookOnly}}};
  unsigned short port = harness.engine().http_port();

  RawResponse Post(const std::string& target, const Json& body, const char* token = kAdmin) {
    return SendJson(port, "POST", target, token, body);
  }
  RawResponse Get(const std::string& target, const char* token = kAdmin) {
    return SendJson(port, "GET", target, token);
  }
  std::string StartOrder(const Json& input) {
    const RawResponse response = Post("/v1/workflows/orders/runs", {{"input", input}}, kApi);
    REQUIRE(response.status == 202);
    return response.JsonBody()["id"];
  }
  Json WaitForStatus(const std::string& id, const std::string& status) {
    Json run;
    for (int i = 0; i < 500; ++i) {
      run = Get("/v1/runs/" + id).JsonBody();
      if (run["status"] == status) return run;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL("run " << id << " is " << run["status"] << ", not " << status << ": " << run.dump());
    return run;
  }
};

struct BadRequest {
  const char* name;
  std::string raw;  // the whole request
  int status;
  const char* code;
};

std::string Request(const std::string& method, const std::string& target, const std::string& token,
                    const std::string& content_type, const std::string& body,
                    const std::string& extra_headers = "") {
  std::string text = method + " " + target + " HTTP/1.1\r\nHost: x\r\n";
  if (!token.empty()) text += "Authorization: " + token + "\r\n";
  if (!content_type.empty()) text += "Content-Type: " + content_type + "\r\n";
  text += extra_headers;
  text += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  return text;
}

}  // namespace

TEST_CASE("bad requests get the right status and error code, and change nothing", "[http]") {
  Api api;
  const std::string admin = std::string("Bearer ") + kAdmin;
  const std::string app = std::string("Bearer ") + kApi;
  const std::string json = "application/json";
  const std::string start = "/v1/workflows/orders/runs";
  const std::string good = R"({"input": {"order_id": "o1", "amount": 5}})";

  // A finished run for wrong-state actions, and an idempotency key in use.
  const std::string done = api.StartOrder({{"order_id", "done"}, {"amount", 1}});
  api.WaitForStatus(done, "completed");
  REQUIRE(Send(api.port, "POST", start,
               {{"Authorization", app}, {"Content-Type", json}, {"Idempotency-Key", "key-1"}}, good)
              .status == 202);
  const std::string runs_before = api.harness.database().Query("SELECT count(*) FROM runs");

  const std::vector<BadRequest> cases = {
      {"malformed JSON", Request("POST", start, app, json, R"({"input": )"), 400, "malformed_json"},
      {"JSON that is not an object", Request("POST", start, app, json, "[1,2]"), 400,
       "malformed_json"},
      {"JSON with a trailing comma", Request("POST", start, app, json, R"({"input": {},})"), 400,
       "malformed_json"},
      {"wrong content type", Request("POST", start, app, "text/plain", good), 415,
       "unsupported_media_type"},
      {"form content type", Request("POST", start, app, "application/x-www-form-urlencoded", "a=b"),
       415, "unsupported_media_type"},
      {"body over the limit", Request("POST", start, app, json, std::string(1100 * 1024, ' ')), 413,
       "body_too_large"},
      {"unknown workflow", Request("POST", "/v1/workflows/nope/runs", app, json, good), 404,
       "unknown_workflow"},
      {"missing required input",
       Request("POST", start, app, json, R"({"input": {"order_id": "x"}})"), 400, "invalid_input"},
      {"input of the wrong type",
       Request("POST", start, app, json, R"({"input": {"order_id": "x", "amount": "5"}})"), 400,
       "invalid_input"},
      {"input below its minimum",
       Request("POST", start, app, json, R"({"input": {"order_id": "x", "amount": 0}})"), 400,
       "invalid_input"},
      {"input that is not an object", Request("POST", start, app, json, R"({"input": [1]})"), 400,
       "invalid_input"},
      {"unknown body field", Request("POST", start, app, json, R"({"inputs": {}})"), 400,
       "unknown_field"},
      {"workflow without an http trigger",
       Request("POST", "/v1/workflows/hook_only/runs", app, json, "{}"), 403, "no_http_trigger"},
      {"missing token", Request("GET", "/v1/runs", "", "", ""), 401, "unauthenticated"},
      {"wrong token", Request("GET", "/v1/runs", "Bearer nope-nope-nope", "", ""), 401,
       "unauthenticated"},
      {"basic auth instead of bearer", Request("GET", "/v1/runs", "Basic YWRtaW46eA==", "", ""),
       401, "unauthenticated"},
      {"api token on an admin route", Request("GET", "/admin/runs", app, "", ""), 403, "forbidden"},
      {"unknown route", Request("GET", "/v2/runs", admin, "", ""), 404, "not_found"},
      {"wrong method on a collection", Request("DELETE", "/v1/runs", admin, "", ""), 405,
       "method_not_allowed"},
      {"wrong method on start", Request("PUT", start, admin, json, good), 405,
       "method_not_allowed"},
      {"bad cursor", Request("GET", "/v1/runs?after=zzzz", admin, "", ""), 400, "bad_cursor"},
      {"forged cursor", Request("GET", "/v1/runs?after=31322e6e6f74", admin, "", ""), 400,
       "bad_cursor"},
      {"bad status filter", Request("GET", "/v1/runs?status=done", admin, "", ""), 400,
       "bad_status"},
      {"one bad status in a list", Request("GET", "/v1/runs?status=running,nope", admin, "", ""),
       400, "bad_status"},
      {"limit zero", Request("GET", "/v1/runs?limit=0", admin, "", ""), 400, "bad_limit"},
      {"limit over 500", Request("GET", "/v1/runs?limit=501", admin, "", ""), 400, "bad_limit"},
      {"limit not a number", Request("GET", "/v1/runs?limit=ten", admin, "", ""), 400, "bad_limit"},
      {"bad created_after", Request("GET", "/v1/runs?created_after=yesterday", admin, "", ""), 400,
       "bad_time"},
      {"run id that is not a uuid", Request("GET", "/v1/runs/123", admin, "", ""), 404,
       "run_not_found"},
      {"unknown run",
       Request("GET", "/v1/runs/9b2f0c1e-0000-4000-8000-000000000000", admin, "", ""), 404,
       "run_not_found"},
      {"unknown workflow definition", Request("GET", "/v1/workflows/nope", admin, "", ""), 404,
       "unknown_workflow"},
      {"action in the wrong state",
       Request("POST", "/admin/runs/" + done + "/resume", admin, json, R"({"reason": "try"})"), 409,
       "wrong_state"},
      {"dry run in the wrong state",
       Request("POST", "/admin/runs/" + done + "/retry-compensation?dry_run=true", admin, json,
               R"({"reason": "try"})"),
       409, "wrong_state"},
      {"action without a reason",
       Request("POST", "/admin/runs/" + done + "/cancel", admin, json, "{}"), 400,
       "reason_required"},
      {"action with an empty reason",
       Request("POST", "/admin/runs/" + done + "/cancel", admin, json, R"({"reason": ""})"), 400,
       "reason_required"},
      {"action on an unknown run",
       Request("POST", "/admin/runs/9b2f0c1e-0000-4000-8000-000000000000/pause", admin, json,
               R"({"reason": "x"})"),
       404, "run_not_found"},
      {"params given to skip",
       Request("POST", "/admin/runs/" + done + "/skip", admin, json,
               R"({"reason": "x", "params": {}})"),
       400, "bad_field"},
      {"idempotency key reused with another body",
       Request("POST", start, app, json, R"({"input": {"order_id": "o2", "amount": 5}})",
               "Idempotency-Key: key-1\r\n"),
       409, "idempotency_key_reused"},
      {"idempotency key too long",
       Request("POST", start, app, json, good,
               "Idempotency-Key: " + std::string(256, 'k') + "\r\n"),
       400, "bad_idempotency_key"},
      {"headers over the limit",
       Request("GET", "/v1/runs", admin, "", "", "X-Big: " + std::string(20000, 'a') + "\r\n"), 431,
       "headers_too_large"},
      {"URL over the limit",
       Request("GET", "/v1/runs?workflow=" + std::string(20000, 'w'), admin, "", ""), 431,
       "headers_too_large"},
      {"malformed percent-encoding", Request("GET", "/v1/runs?workflow=%zz", admin, "", ""), 400,
       "bad_target"},
      {"not HTTP at all", "HELLO THERE\r\n\r\n", 400, "bad_http"},
      {"bad audit cursor", Request("GET", "/admin/audit?after=abc", admin, "", ""), 400,
       "bad_cursor"},
  };
  REQUIRE(cases.size() >= 30);
  for (const auto& c : cases) {
    INFO(c.name);
    const RawResponse response = SendRaw(api.port, c.raw);
    CHECK(response.status == c.status);
    CHECK(response.ErrorCode() == c.code);
    CHECK(response.Header("Content-Type") == "application/json");
    CHECK(response.JsonBody()["error"]["message"].is_string());
    if (c.status == 405) CHECK_FALSE(response.Header("Allow").empty());
  }
  CHECK(api.harness.database().Query("SELECT count(*) FROM runs") == runs_before);
}

TEST_CASE("start over HTTP, the same Idempotency-Key returns the same run", "[http]") {
  Api api;
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Authorization", std::string("Bearer ") + kApi},
      {"Content-Type", "application/json"},
      {"Idempotency-Key", "order-77"}};
  const std::string body = R"({"input": {"order_id": "o77", "amount": 3}})";
  const RawResponse first = Send(api.port, "POST", "/v1/workflows/orders/runs", headers, body);
  const RawResponse again = Send(api.port, "POST", "/v1/workflows/orders/runs", headers, body);
  REQUIRE(first.status == 202);
  CHECK(first.Header("Location") == "/v1/runs/" + first.JsonBody()["id"].get<std::string>());
  CHECK(again.status == 200);
  CHECK(again.JsonBody()["id"] == first.JsonBody()["id"]);
  CHECK(again.JsonBody()["created"] == false);
  const Json run = api.WaitForStatus(first.JsonBody()["id"], "completed");
  CHECK(run["output"] == Json{{"shipped", "o77"}});
  CHECK(run["input"]["charge_failures"] == 0);  // the schema's default was applied
  REQUIRE(run["steps"].size() == 3);
  CHECK(run["steps"][0]["id"] == "reserve");
  CHECK(run["steps"][0]["params"] == Json{{"order", "o77"}});
  CHECK(run["steps"][0]["attempt_history"][0]["outcome"] == "completed");
}

TEST_CASE("a failure over HTTP is compensated; listing filters and pages", "[http]") {
  Api api;
  const std::string failed =
      api.StartOrder({{"order_id", "bad"}, {"amount", 1}, {"charge_failures", 5}});
  const Json run = api.WaitForStatus(failed, "compensated");
  CHECK(run["error"]["step"] == "charge");
  std::vector<std::string> ids = {failed};
  for (int i = 0; i < 4; ++i)
    ids.push_back(api.StartOrder({{"order_id", "p" + std::to_string(i)}, {"amount", 1}}));
  for (size_t i = 1; i < ids.size(); ++i) api.WaitForStatus(ids[i], "completed");

  const Json compensated = api.Get("/v1/runs?status=compensated").JsonBody();
  REQUIRE(compensated["runs"].size() == 1);
  CHECK(compensated["runs"][0]["id"] == failed);

  // Pages of two, newest first, cover every run exactly once.
  std::vector<std::string> seen;
  std::string target = "/v1/runs?workflow=orders&limit=2";
  for (int page = 0; page < 5; ++page) {
    const Json body = api.Get(target).JsonBody();
    for (const auto& item : body["runs"]) seen.push_back(item["id"]);
    if (body["next"].is_null()) break;
    target = "/v1/runs?workflow=orders&limit=2&after=" + body["next"].get<std::string>();
  }
  std::vector<std::string> expected(ids.rbegin(), ids.rend());
  CHECK(seen == expected);
}

TEST_CASE("operators find a stuck run, dry-run and retry its compensation", "[http][admin]") {
  Api api;
  const std::string id =
      api.Post("/v1/workflows/refund/runs", Json::object(), kApi).JsonBody()["id"];
  api.WaitForStatus(id, "stuck");
  const Json stuck = api.Get("/admin/runs?status=stuck").JsonBody();
  REQUIRE(stuck["runs"].size() == 1);
  CHECK(stuck["runs"][0]["id"] == id);
  CHECK(stuck["runs"][0]["reason"] == "compensation of 'book' failed: refund service down");
  CHECK(api.Get("/admin/runs").JsonBody()["runs"].size() == 1);  // default: needs a person

  const Json dry =
      api.Post("/admin/runs/" + id + "/retry-compensation?dry_run=true", {{"reason", "check"}})
          .JsonBody();
  CHECK(dry["runs_again"] == Json::array({"book"}));
  CHECK(dry["then_compensates"] == Json::array());
  const RawResponse accepted =
      api.Post("/admin/runs/" + id + "/retry-compensation", {{"reason", "service is back"}});
  CHECK(accepted.status == 202);
  api.WaitForStatus(id, "compensated");
  // What ran matches the dry run: book's compensation, once more, and nothing else.
  const Json history = api.Get("/admin/runs/" + id + "/history").JsonBody()["events"];
  std::vector<std::string> after_retry;
  bool retried = false;
  for (const auto& event : history) {
    if (event["type"] == "compensation_retried") retried = true;
    if (retried && event["type"] == "compensation_completed") after_retry.push_back(event["step"]);
  }
  CHECK(after_retry == std::vector<std::string>{"book"});
  const Json audit = api.Get("/admin/audit").JsonBody()["entries"];
  REQUIRE(audit.size() >= 1);
  CHECK(audit[0]["actor"] == "ops");
  CHECK(audit[0]["action"] == "retry-compensation");
  CHECK(audit[0]["reason"] == "service is back");
  CHECK(audit[0]["run_id"] == id);
  CHECK(audit[0]["outcome"] == "accepted");
}

TEST_CASE("pause, resume, skip and cancel over HTTP, each audited", "[http][admin]") {
  Api api;
  // on_failure: pause -> dry run -> resume -> completed
  const std::string paused =
      api.Post("/v1/workflows/pausing/runs", Json::object(), kApi).JsonBody()["id"];
  api.WaitForStatus(paused, "paused");
  const Json dry =
      api.Post("/admin/runs/" + paused + "/resume?dry_run=true", {{"reason", "look"}}).JsonBody();
  CHECK(dry["runs_again"] == Json::array({"lookup"}));
  CHECK(dry["then_runs"] == Json::array({"use"}));
  CHECK(api.Post("/admin/runs/" + paused + "/resume", {{"reason", "fixed upstream"}}).status ==
        202);
  api.WaitForStatus(paused, "completed");

  // skip with an output that later steps read
  const std::string skipped =
      api.Post("/v1/workflows/pausing/runs", Json::object(), kApi).JsonBody()["id"];
  api.WaitForStatus(skipped, "paused");
  CHECK(api.Post("/admin/runs/" + skipped + "/skip",
                 {{"reason", "found by hand"}, {"output", {{"id", "org_9"}}}})
            .status == 202);
  const Json run = api.WaitForStatus(skipped, "completed");
  CHECK(run["steps"][1]["output"] == Json{{"found", "org_9"}});

  // cancel a waiting run: what completed is compensated
  const std::string waiting =
      api.Post("/v1/workflows/long/runs", Json::object(), kApi).JsonBody()["id"];
  api.WaitForStatus(waiting, "running");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const Json cancel_dry =
      api.Post("/admin/runs/" + waiting + "/cancel?dry_run=true", {{"reason", "customer left"}})
          .JsonBody();
  CHECK(cancel_dry["compensates"] == Json::array({"made"}));
  CHECK(api.Post("/admin/runs/" + waiting + "/cancel", {{"reason", "customer left"}}).status ==
        202);
  api.WaitForStatus(waiting, "cancelled");

  // pause an operator-paused run again: wrong state now
  CHECK(api.Post("/admin/runs/" + waiting + "/pause", {{"reason", "late"}}).status == 409);

  const Json audit = api.Get("/admin/audit?limit=10").JsonBody()["entries"];
  std::vector<std::string> actions;
  for (const auto& entry : audit)
    actions.push_back(entry["action"].get<std::string>() + ":" +
                      entry["outcome"].get<std::string>());
  CHECK(actions == std::vector<std::string>{"pause:refused", "cancel:accepted", "skip:accepted",
                                            "resume:accepted"});
}

TEST_CASE("/metrics is Prometheus text and its counters move", "[http][metrics]") {
  Api api;
  auto scrape = [&] {
    const RawResponse response = Send(api.port, "GET", "/metrics");
    REQUIRE(response.status == 200);
    std::map<std::string, double> samples;
    const std::regex sample(
        R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? )"
        R"((-?[0-9.eE+-]+|\+Inf|NaN)$)");
    const std::regex comment(R"(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$)");
    std::istringstream lines(response.body);
    for (std::string line; std::getline(lines, line);) {
      INFO(line);
      if (line.rfind("#", 0) == 0) {
        CHECK(std::regex_match(line, comment));
        continue;
      }
      std::smatch match;
      REQUIRE(std::regex_match(line, match, sample));
      samples[match[1].str() + match[2].str()] = match[3] == "+Inf" ? 1e300 : std::stod(match[3]);
    }
    return samples;
  };
  auto before = scrape();
  const std::string id = api.StartOrder({{"order_id", "m1"}, {"amount", 2}});
  api.WaitForStatus(id, "completed");
  auto after = scrape();
  const std::string completed = "sagaflow_runs_completed_total{workflow=\"orders\"}";
  CHECK(after[completed] == before[completed] + 1);
  const std::string attempts =
      "sagaflow_step_attempts_total{step_type=\"core.noop\",outcome=\"completed\"}";
  CHECK(after[attempts] >= before[attempts] + 2);
  CHECK(after.count("sagaflow_runs{status=\"stuck\"}") == 1);
  CHECK(after.count(
            "sagaflow_http_request_duration_seconds_count{route=\"/v1/workflows/{name}/runs\"}") ==
        1);
}

TEST_CASE("health, readiness and the OpenAPI document cover every route", "[http]") {
  Api api;
  CHECK(Send(api.port, "GET", "/healthz").status == 200);
  const RawResponse ready = Send(api.port, "GET", "/readyz");
  CHECK(ready.status == 200);
  CHECK(ready.JsonBody()["checks"]["migrations"] == "ok");
  const Json openapi = Send(api.port, "GET", "/openapi.json").JsonBody();
  REQUIRE(openapi.is_object());
  CHECK(openapi["openapi"] == "3.0.3");
  Router router = BuildRouter(api.harness.engine(), TokenAuth());
  REQUIRE(router.routes().size() >= 18);
  for (const auto& route : router.routes()) {
    INFO(route.method << " " << route.pattern);
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    CHECK(openapi["paths"].contains(route.pattern));
    CHECK(openapi["paths"][route.pattern].contains(method));
  }
}
