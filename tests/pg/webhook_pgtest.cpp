// Webhooks end to end: a real server on a loopback port, a real PostgreSQL,
// events signed by the test's own signer (tests/support/stripe_signer) and
// sent as raw HTTP. Covers the signature table, deduplication (sequential,
// concurrent, while the first run is still running, across a restart of
// the process), event-to-workflow mapping, generic sources and rate limits.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <set>
#include <thread>

#include "engine/engine.hpp"
#include "engine/ids.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/engine_harness.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/stripe_signer.hpp"

using namespace sagaflow;
using namespace sagaflow::testing;
namespace fs = std::filesystem;

namespace {

const std::string kCurrent = "whsec_current_9f8e7d6c5b4a";
const std::string kPrevious = "whsec_previous_0a1b2c3d4e5f";

const char* kSubscriptionSync = R"(
name: subscription_sync
version: 1
input:
  required: [subscription_id, customer_id, status]
  properties:
    subscription_id: {type: string, pattern: "^sub_"}
    customer_id: {type: string, pattern: "^cus_"}
    status: {type: string}
    plan: {type: [string, "null"]}
    period_end: {type: integer}
triggers:
  - webhook:
      source: stripe
      events: [customer.subscription.updated]
      input:
        subscription_id: "${{ event.data.object.id }}"
        customer_id: "${{ event.data.object.customer }}"
        status: "${{ event.data.object.status }}"
        plan: "${{ event.data.object.items.data[0].price.lookup_key }}"
        period_end: "${{ default(event.data.object.items.data[0].current_period_end, event.data.object.current_period_end) }}"
steps:
  - id: record
    uses: core.log
    with: {message: "${{ concat('subscription ', input.subscription_id, ' is ', input.status) }}"}
  - id: sync
    uses: core.noop
    with:
      customer: "${{ input.customer_id }}"
      plan: "${{ input.plan }}"
      period_end: "${{ input.period_end }}"
      event_type: "${{ event.type }}"
      previous_status: "${{ default(event.data.previous_attributes.status, 'unknown') }}"
output:
  customer: "${{ steps.sync.output.customer }}"
  plan: "${{ steps.sync.output.plan }}"
  period_end: "${{ steps.sync.output.period_end }}"
  event_type: "${{ steps.sync.output.event_type }}"
  previous_status: "${{ steps.sync.output.previous_status }}"
)";

const char* kCustomerOffboarding = R"(
name: customer_offboarding
version: 1
input:
  required: [customer_id]
  properties:
    customer_id: {type: string, pattern: "^cus_"}
    email: {type: string}
    tenant: {type: string}
triggers:
  - webhook:
      source: stripe
      events: [customer.deleted]
      input:
        customer_id: "${{ event.data.object.id }}"
        email: "${{ event.data.object.email }}"
        tenant: "${{ default(event.data.object.metadata.tenant, 'none') }}"
steps:
  - id: suspend
    uses: core.noop
    with: {tenant: "${{ input.tenant }}", reason: "${{ concat('stripe ', event.id) }}"}
  - id: notify
    uses: core.log
    with: {message: "${{ concat('offboarded ', input.customer_id) }}"}
output:
  tenant: "${{ steps.suspend.output.tenant }}"
  reason: "${{ steps.suspend.output.reason }}"
)";

// A second listener to customer.deleted: one event, two workflows.
const char* kChurnReport = R"(
name: churn_report
version: 1
triggers:
  - webhook: {source: stripe, events: [customer.deleted, customer.subscription.deleted]}
steps:
  - {id: count, uses: core.noop, with: {customer: "${{ event.data.object.id }}"}}
)";

// Listens to customer.deleted but needs a field the event lacks.
const char* kNeedsPhone = R"(
name: needs_phone
version: 1
input:
  required: [phone]
  properties: {phone: {type: string}}
triggers:
  - webhook: {source: stripe, events: [customer.deleted], input: {phone: "${{ event.data.object.phone }}"}}
steps:
  - {id: call, uses: core.noop}
)";

// Slow on purpose: a repeated delivery arrives while it still runs.
const char* kSlowSync = R"(
name: slow_sync
version: 1
triggers:
  - webhook: {source: stripe, events: [invoice.payment_failed]}
steps:
  - {id: wait, uses: core.sleep, with: {duration: 3s}}
  - {id: done, uses: core.noop}
)";

using Tweak = std::function<void(Config&)>;

// A database, a folder of workflows and an Engine serving HTTP on a free port.
struct HookServer {
  TestDatabase database;
  fs::path folder = MakeTempFolder("sagaflow-hooks");
  std::unique_ptr<Engine> engine;

  HookServer(std::initializer_list<std::pair<std::string, std::string>> workflows,
             const Tweak& tweak = {}) {
    for (const auto& [file, yaml] : workflows) std::ofstream(folder / file) << yaml;
    Config config;
    config.database_url = database.url();
    config.workflows_dir = folder.string();
    config.lease = std::chrono::seconds(2);
    config.workers = 4;
    config.shutdown_grace = std::chrono::seconds(5);
    config.owner = "hooks-" + NewUuid().substr(0, 8);
    config.listen = "127.0.0.1:0";
    config.tokens = "ops:admin:admin-secret-1,app:api:api-secret-1";
    config.stripe_webhook_secrets = kCurrent + "," + kPrevious;
    if (tweak) tweak(config);
    engine = std::make_unique<Engine>(config);
    engine->Start();
  }
  ~HookServer() {
    engine->Stop();
    fs::remove_all(folder);
  }

  unsigned short port() const { return engine->http_port(); }

  RawResponse Stripe(const std::string& body, const std::optional<std::string>& signature) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Content-Type", "application/json; charset=utf-8"}, {"User-Agent", "Stripe/1.0"}};
    if (signature) headers.emplace_back("Stripe-Signature", *signature);
    return Send(port(), "POST", "/webhooks/stripe", headers, body);
  }
  RawResponse SignedStripe(const Json& event, const std::string& secret = kCurrent) {
    const std::string body = event.dump();
    return Stripe(body, StripeSignature(body, secret, UnixNow()));
  }

  long long Count(const std::string& sql) { return std::stoll(database.Query(sql)); }
  long long Runs() { return Count("SELECT count(*) FROM runs"); }
  long long Events() { return Count("SELECT count(*) FROM webhook_events"); }

  RunRecord WaitFor(const std::string& id, const std::set<std::string>& statuses) {
    std::optional<RunRecord> run;
    for (int i = 0; i < 1000; ++i) {
      run = engine->store().GetRun(id);
      if (run && statuses.count(run->status)) return *run;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL("run " << id << " is " << (run ? run->status : "missing"));
    return {};
  }
};

Json Deleted(const std::string& event_id, const std::string& customer) {
  return StripeEvent(event_id, "customer.deleted",
                     StripeCustomer(customer, "ada@example.test", {{"tenant", "t-" + customer}}));
}

std::vector<std::string> RunIds(const RawResponse& response) {
  std::vector<std::string> ids;
  const Json body = response.JsonBody();  // keep it alive through the loop
  for (const auto& run : body["runs"]) ids.push_back(run["id"]);
  return ids;
}

unsigned short FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

void WaitHealthy(unsigned short port, ChildProcess& process) {
  for (int i = 0; i < 400; ++i) {
    try {
      if (Send(port, "GET", "/healthz").status == 200) return;
    } catch (const std::exception&) {
    }
    REQUIRE(process.Running());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL("the server on port " << port << " did not come up: " << process.Log());
}

}  // namespace

TEST_CASE("Stripe signature table: only a valid signature starts anything", "[webhook]") {
  HookServer server({{"offboarding.yaml", kCustomerOffboarding}});
  const long long now = UnixNow();
  int n = 0;
  auto event = [&] {
    const std::string k = std::to_string(++n);
    return Deleted("evt_table_" + k, "cus_T" + k);
  };

  struct Case {
    std::string name;
    std::string body;
    std::optional<std::string> signature;
    int status;
    std::string code;  // "" for success
  };
  std::vector<Case> cases;
  auto add = [&](std::string name, std::string body, std::optional<std::string> signature,
                 int status, std::string code = "") {
    cases.push_back(
        {std::move(name), std::move(body), std::move(signature), status, std::move(code)});
  };
  {
    const std::string body = event().dump();
    add("valid", body, StripeSignature(body, kCurrent, now), 200);
  }
  {
    const std::string body = event().dump();
    std::string tampered = body;
    tampered.replace(tampered.find("ada@"), 4, "eve@");
    add("tampered body", tampered, StripeSignature(body, kCurrent, now), 400, "invalid_signature");
  }
  {
    const std::string body = event().dump();
    const std::string signature = StripeSignature(body, kCurrent, now);
    add("tampered timestamp", body,
        "t=" + std::to_string(now + 1) + signature.substr(signature.find(',')), 400,
        "invalid_signature");
  }
  {
    const std::string body = event().dump();
    add("expired (6 minutes old)", body, StripeSignature(body, kCurrent, now - 360), 400,
        "invalid_signature");
  }
  {
    const std::string body = event().dump();
    add("four minutes old: within the tolerance", body, StripeSignature(body, kCurrent, now - 240),
        200);
  }
  {
    const std::string body = event().dump();
    add("future timestamp within tolerance", body, StripeSignature(body, kCurrent, now + 120), 200);
  }
  {
    const std::string body = event().dump();
    add("several v1 entries, one valid", body,
        StripeSignature(body, std::vector<std::string>{"whsec_stale", kCurrent, "whsec_other"},
                        now),
        200);
  }
  {
    const std::string body = event().dump();
    add("several v1 entries, none valid", body,
        StripeSignature(body, std::vector<std::string>{"whsec_stale", "whsec_other"}, now), 400,
        "invalid_signature");
  }
  add("missing header", event().dump(), std::nullopt, 400, "invalid_signature");
  {
    const std::string body = event().dump();
    add("malformed header", body, "v1=" + HmacHex(kCurrent, std::to_string(now) + "." + body), 400,
        "invalid_signature");
    add("malformed timestamp", body, "t=yesterday,v1=" + HmacHex(kCurrent, "x"), 400,
        "invalid_signature");
    add("garbage header", body, "hello", 400, "invalid_signature");
  }
  {
    const std::string body = event().dump();
    add("wrong secret", body, StripeSignature(body, "whsec_someone_else", now), 400,
        "invalid_signature");
  }
  {
    const std::string body = event().dump();
    add("rolled secret: signed with the previous one", body, StripeSignature(body, kPrevious, now),
        200);
  }
  {
    const std::string body = event().dump();
    add("re-serialised body", Json::parse(body).dump(2), StripeSignature(body, kCurrent, now), 400,
        "invalid_signature");
  }
  add("empty body, signed", "", StripeSignature("", kCurrent, now), 400, "malformed_event");
  add("empty body, unsigned", "", std::nullopt, 400, "invalid_signature");
  add("signed body that is not an event", "[1,2]", StripeSignature("[1,2]", kCurrent, now), 400,
      "malformed_event");
  {
    Json no_id = event();
    no_id.erase("id");
    const std::string body = no_id.dump();
    add("signed event without an id", body, StripeSignature(body, kCurrent, now), 400,
        "malformed_event");
  }
  {
    Json big = event();
    big["data"]["object"]["metadata"]["padding"] = std::string(1100 * 1024, 'x');
    const std::string body = big.dump();
    add("oversized body", body, StripeSignature(body, kCurrent, now), 413, "body_too_large");
  }

  for (const auto& c : cases) {
    INFO(c.name);
    const long long runs_before = server.Runs();
    const long long events_before = server.Events();
    const RawResponse response = server.Stripe(c.body, c.signature);
    CHECK(response.status == c.status);
    CHECK(response.Header("Content-Type") == "application/json");
    if (c.status == 200) {
      CHECK(response.JsonBody()["duplicate"] == false);
      CHECK(response.JsonBody()["runs"].size() == 1);
      CHECK(server.Runs() == runs_before + 1);
      CHECK(server.Events() == events_before + 1);
    } else {
      CHECK(response.ErrorCode() == c.code);
      CHECK(response.JsonBody()["error"]["message"].is_string());
      CHECK(server.Runs() == runs_before);
      CHECK(server.Events() == events_before);
      // Nothing about the secrets or the expected signature leaks.
      CHECK(response.body.find("whsec") == std::string::npos);
      CHECK(
          response.body.find(HmacHex(kCurrent, std::to_string(now) + "." + c.body).substr(0, 16)) ==
          std::string::npos);
    }
  }
  CHECK(server.Runs() == 5);
}

TEST_CASE("without Stripe secrets the Stripe route is refused", "[webhook]") {
  HookServer server({{"offboarding.yaml", kCustomerOffboarding}},
                    [](Config& config) { config.stripe_webhook_secrets = ""; });
  const std::string body = Deleted("evt_nosecret", "cus_1").dump();
  const RawResponse response = server.Stripe(body, StripeSignature(body, kCurrent, UnixNow()));
  CHECK(response.status == 404);
  CHECK(response.ErrorCode() == "unknown_webhook_source");
  CHECK(server.Runs() == 0);
}

TEST_CASE("a repeated delivery starts nothing new, even while the first run still runs",
          "[webhook][dedupe]") {
  HookServer server({{"slow.yaml", kSlowSync}});
  const Json event = StripeEvent("evt_repeat_1", "invoice.payment_failed",
                                 {{"id", "in_1"}, {"object", "invoice"}});
  const RawResponse first = server.SignedStripe(event);
  REQUIRE(first.status == 200);
  CHECK(first.JsonBody()["duplicate"] == false);
  const auto ids = RunIds(first);
  REQUIRE(ids.size() == 1);
  CHECK(first.JsonBody()["runs"][0]["workflow"] == "slow_sync");
  // The answer came after the run was recorded, not after it finished.
  const auto stored = server.engine->store().GetRun(ids[0]);
  REQUIRE(stored);
  CHECK(stored->status != "completed");

  // Stripe signs each retry afresh; the event id is what repeats.
  for (int i = 0; i < 3; ++i) {
    const RawResponse again = server.SignedStripe(event, i % 2 ? kPrevious : kCurrent);
    CHECK(again.status == 200);
    CHECK(again.JsonBody()["duplicate"] == true);
    CHECK(RunIds(again) == ids);
    CHECK(again.JsonBody()["received_at"] == first.JsonBody()["received_at"]);
  }
  CHECK(server.engine->store().GetRun(ids[0])->status != "completed");
  CHECK(server.Runs() == 1);
  CHECK(server.WaitFor(ids[0], {"completed"}).status == "completed");
  CHECK(server.SignedStripe(event).JsonBody()["duplicate"] == true);
  CHECK(server.Runs() == 1);
  CHECK(server.Events() == 1);
}

TEST_CASE("concurrent deliveries of one event start one run", "[webhook][dedupe]") {
  HookServer server({{"offboarding.yaml", kCustomerOffboarding}, {"churn.yaml", kChurnReport}});
  for (int round = 0; round < 3; ++round) {
    const Json event =
        Deleted("evt_burst_" + std::to_string(round), "cus_B" + std::to_string(round));
    const std::string body = event.dump();
    const long long runs_before = server.Runs();
    constexpr int kSenders = 12;
    std::vector<RawResponse> responses(kSenders);
    std::vector<std::thread> senders;
    for (int i = 0; i < kSenders; ++i) {
      senders.emplace_back([&, i] {
        responses[i] = server.Stripe(body, StripeSignature(body, kCurrent, UnixNow()));
      });
    }
    for (auto& sender : senders) sender.join();
    int firsts = 0;
    std::set<std::vector<std::string>> answers;
    for (const auto& response : responses) {
      REQUIRE(response.status == 200);
      if (response.JsonBody()["duplicate"] == false) ++firsts;
      answers.insert(RunIds(response));
    }
    CHECK(firsts == 1);
    CHECK(answers.size() == 1);           // every delivery reports the same runs
    CHECK(answers.begin()->size() == 2);  // offboarding and churn report
    CHECK(server.Runs() == runs_before + 2);
  }
  CHECK(server.Events() == 3);
}

TEST_CASE("a repeated delivery after the process restarted starts nothing new",
          "[webhook][dedupe][restart]") {
  TestDatabase database;
  const fs::path folder = MakeTempFolder("sagaflow-hooks-restart");
  std::ofstream(folder / "slow.yaml") << kSlowSync;
  const unsigned short port = FreePort();
  auto serve = [&](const std::string& name) {
    auto env = ServeEnvironment(database.url(), folder.string(), "1s");
    env["SAGAFLOW_LISTEN"] = "127.0.0.1:" + std::to_string(port);
    env["SAGAFLOW_STRIPE_WEBHOOK_SECRETS"] = kCurrent;
    auto process =
        std::make_unique<ChildProcess>(std::vector<std::string>{SAGAFLOW_BINARY, "serve"}, env,
                                       (folder / (name + ".log")).string());
    WaitHealthy(port, *process);
    return process;
  };
  auto deliver = [&](const Json& event) {
    const std::string body = event.dump();
    return Send(port, "POST", "/webhooks/stripe",
                {{"Content-Type", "application/json"},
                 {"Stripe-Signature", StripeSignature(body, kCurrent, UnixNow())}},
                body);
  };
  const Json event = StripeEvent("evt_restart_1", "invoice.payment_failed",
                                 {{"id", "in_7"}, {"object", "invoice"}});
  std::vector<std::string> ids;
  {
    auto first = serve("first");
    const RawResponse response = deliver(event);
    REQUIRE(response.status == 200);
    ids = RunIds(response);
    REQUIRE(ids.size() == 1);
    first->Signal(SIGKILL);  // mid-run: the sleep step is still waiting
    REQUIRE(first->Wait(std::chrono::seconds(5)) == -SIGKILL);
  }
  auto second = serve("second");
  const RawResponse again = deliver(event);
  CHECK(again.status == 200);
  CHECK(again.JsonBody()["duplicate"] == true);
  CHECK(RunIds(again) == ids);
  CHECK(database.Query("SELECT count(*) FROM runs") == "1");
  // The run itself carries on in the new process.
  PgStore store(database.url(), 1);
  std::string status;
  for (int i = 0; i < 500 && status != "completed"; ++i) {
    status = store.GetRun(ids[0])->status;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(status == "completed");
  second->Signal(SIGTERM);
  CHECK(second->Wait(std::chrono::seconds(10)) == 0);
  fs::remove_all(folder);
}

TEST_CASE("events map to workflows by their triggers", "[webhook]") {
  HookServer server({{"offboarding.yaml", kCustomerOffboarding},
                     {"churn.yaml", kChurnReport},
                     {"phone.yaml", kNeedsPhone},
                     {"subs.yaml", kSubscriptionSync}});
  SECTION("an event no workflow listens to is recorded and answered 200") {
    const RawResponse response = server.SignedStripe(
        StripeEvent("evt_unheard", "invoice.paid", {{"id", "in_2"}, {"object", "invoice"}}));
    CHECK(response.status == 200);
    CHECK(response.JsonBody()["runs"] == Json::array());
    CHECK(server.Runs() == 0);
    CHECK(server.database.Query(
              "SELECT event_type FROM webhook_events WHERE event_id = 'evt_unheard'") ==
          "invoice.paid");
    CHECK(server.SignedStripe(StripeEvent("evt_unheard", "invoice.paid", Json::object()))
              .JsonBody()["duplicate"] == true);
  }
  SECTION("one event starts several workflows; a trigger whose input fails starts nothing") {
    const RawResponse response = server.SignedStripe(Deleted("evt_many", "cus_M1"));
    REQUIRE(response.status == 200);
    std::set<std::string> workflows;
    const Json body = response.JsonBody();
    for (const auto& run : body["runs"]) workflows.insert(run["workflow"]);
    CHECK(workflows == std::set<std::string>{"customer_offboarding", "churn_report"});
    const Json rejected = response.JsonBody()["rejected"];
    REQUIRE(rejected.size() == 1);
    CHECK(rejected[0]["workflow"] == "needs_phone");
    CHECK(server.Runs() == 2);
    for (const auto& id : RunIds(response)) {
      CHECK(server.WaitFor(id, {"completed", "compensated"}).status == "completed");
    }
  }
}

TEST_CASE("signed Stripe events run workflows end to end", "[webhook][e2e]") {
  HookServer server({{"offboarding.yaml", kCustomerOffboarding}, {"subs.yaml", kSubscriptionSync}});
  const long long period_end = UnixNow() + 30 * 86400;
  const Json updated =
      StripeEvent("evt_1QsubUpd", "customer.subscription.updated",
                  StripeSubscription("sub_1Q9x", "cus_Q42", "past_due", "pro_monthly", period_end),
                  Json{{"status", "active"}});
  const RawResponse sub = server.SignedStripe(updated);
  REQUIRE(sub.status == 200);
  REQUIRE(RunIds(sub).size() == 1);
  const RunRecord sub_run = server.WaitFor(RunIds(sub)[0], {"completed", "compensated", "stuck"});
  CHECK(sub_run.status == "completed");
  CHECK(sub_run.workflow == "subscription_sync");
  CHECK(sub_run.input["status"] == "past_due");
  CHECK(sub_run.output == Json{{"customer", "cus_Q42"},
                               {"plan", "pro_monthly"},
                               {"period_end", period_end},
                               {"event_type", "customer.subscription.updated"},
                               {"previous_status", "active"}});
  CHECK(sub_run.trigger["kind"] == "webhook");
  CHECK(sub_run.trigger["event_id"] == "evt_1QsubUpd");

  const RawResponse gone = server.SignedStripe(
      StripeEvent("evt_1QcusDel", "customer.deleted",
                  StripeCustomer("cus_Q42", "ada@acme.test", {{"tenant", "acme"}})),
      kPrevious);
  REQUIRE(gone.status == 200);
  REQUIRE(RunIds(gone).size() == 1);
  const RunRecord gone_run = server.WaitFor(RunIds(gone)[0], {"completed", "compensated", "stuck"});
  CHECK(gone_run.status == "completed");
  CHECK(gone_run.output == Json{{"tenant", "acme"}, {"reason", "stripe evt_1QcusDel"}});
  bool logged = false;
  for (const auto& event : server.engine->store().History(gone_run.id)) {
    if (event.data.dump().find("offboarded cus_Q42") != std::string::npos) logged = true;
  }
  CHECK(logged);
}

TEST_CASE("generic webhook sources: header or body ids, plain or timestamped signatures",
          "[webhook][generic]") {
  const fs::path sources = MakeTempFolder("sagaflow-sources") / "sources.json";
  std::ofstream(sources) << R"({
    "billing": {
      "secrets": ["billing-new", "billing-old"],
      "signature_header": "X-Billing-Signature",
      "signature_prefix": "sha256=",
      "event_id": {"header": "X-Billing-Delivery"},
      "event_type": {"header": "X-Billing-Event"}
    },
    "crm": {
      "secrets": ["crm-key"],
      "timestamp_header": "X-Timestamp",
      "tolerance": "60s",
      "event_id": {"path": "event.id"},
      "event_type": {"path": "$.event.kind"}
    }
  })";
  HookServer server({{"billing.yaml", R"(
name: billing_paid
version: 1
triggers:
  - webhook: {source: billing, events: [invoice.paid], input: {invoice: "${{ event.invoice }}"}}
steps:
  - {id: a, uses: core.noop, with: {invoice: "${{ input.invoice }}"}}
)"},
                     {"crm.yaml", R"(
name: crm_any
version: 1
triggers:
  - webhook: {source: crm, events: ["*"], input: {kind: "${{ event.event.kind }}"}}
steps:
  - {id: a, uses: core.noop}
)"}},
                    [&](Config& config) { config.webhook_sources_file = sources.string(); });
  const std::string billing_body = R"({"invoice":"inv_1","amount":1200})";
  auto billing = [&](const std::string& body, const std::optional<std::string>& signature,
                     const std::string& delivery, const std::string& type = "invoice.paid") {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Content-Type", "application/json"}, {"X-Billing-Event", type}};
    if (!delivery.empty()) headers.emplace_back("X-Billing-Delivery", delivery);
    if (signature) headers.emplace_back("X-Billing-Signature", *signature);
    return Send(server.port(), "POST", "/webhooks/billing", headers, body);
  };
  auto crm = [&](const std::string& body, const std::string& key, long long t,
                 std::optional<std::string> timestamp = std::nullopt) {
    const std::string stamp = timestamp.value_or(std::to_string(t));
    return Send(server.port(), "POST", "/webhooks/crm",
                {{"Content-Type", "application/json"},
                 {"X-Timestamp", stamp},
                 {"X-Signature", HmacHex(key, std::to_string(t) + "." + body)}},
                body);
  };
  const std::string good = "sha256=" + HmacHex("billing-new", billing_body);
  const std::string crm_body = R"({"event":{"id":"c-77","kind":"contact.merged"}})";
  const long long now = UnixNow();
  struct Case {
    std::string name;
    std::function<RawResponse()> send;
    int status;
    std::string code;
    int new_runs;
  };
  const std::vector<Case> cases = {
      {"billing: valid", [&] { return billing(billing_body, good, "d-1"); }, 200, "", 1},
      {"billing: same delivery id again", [&] { return billing(billing_body, good, "d-1"); }, 200,
       "", 0},
      {"billing: rolled secret",
       [&] {
         return billing(billing_body, "sha256=" + HmacHex("billing-old", billing_body), "d-2");
       },
       200, "", 1},
      {"billing: an event type nobody listens to",
       [&] { return billing(billing_body, good, "d-3", "invoice.voided"); }, 200, "", 0},
      {"billing: wrong secret",
       [&] { return billing(billing_body, "sha256=" + HmacHex("nope", billing_body), "d-4"); }, 400,
       "invalid_signature", 0},
      {"billing: tampered body",
       [&] { return billing(R"({"invoice":"inv_2","amount":1200})", good, "d-5"); }, 400,
       "invalid_signature", 0},
      {"billing: no prefix",
       [&] { return billing(billing_body, HmacHex("billing-new", billing_body), "d-6"); }, 400,
       "invalid_signature", 0},
      {"billing: missing signature", [&] { return billing(billing_body, std::nullopt, "d-7"); },
       400, "invalid_signature", 0},
      {"billing: missing delivery id", [&] { return billing(billing_body, good, ""); }, 400,
       "malformed_event", 0},
      {"crm: valid, id from the body", [&] { return crm(crm_body, "crm-key", now); }, 200, "", 1},
      {"crm: same id again", [&] { return crm(crm_body, "crm-key", now + 1); }, 200, "", 0},
      {"crm: expired timestamp",
       [&] { return crm(R"({"event":{"id":"c-78"}})", "crm-key", now - 120); }, 400,
       "invalid_signature", 0},
      {"crm: timestamp not the one signed",
       [&] { return crm(R"({"event":{"id":"c-79"}})", "crm-key", now, std::to_string(now - 1)); },
       400, "invalid_signature", 0},
      {"crm: no event id in the body",
       [&] { return crm(R"({"event":{"kind":"x"}})", "crm-key", now); }, 400, "malformed_event", 0},
      {"unknown source",
       [&] {
         return Send(server.port(), "POST", "/webhooks/nope", {{"X-Signature", "00"}}, "{}");
       },
       404, "unknown_webhook_source", 0},
      {"wrong method", [&] { return Send(server.port(), "GET", "/webhooks/billing"); }, 405,
       "method_not_allowed", 0},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const long long before = server.Runs();
    const RawResponse response = c.send();
    CHECK(response.status == c.status);
    CHECK(response.ErrorCode() == c.code);
    CHECK(server.Runs() == before + c.new_runs);
    CHECK(response.body.find("billing-new") == std::string::npos);
    CHECK(response.body.find("crm-key") == std::string::npos);
  }
  CHECK(server.database.Query("SELECT input->>'kind' FROM runs WHERE workflow = 'crm_any'") ==
        "contact.merged");
  CHECK(server.Count("SELECT count(*) FROM webhook_events WHERE source = 'billing'") == 3);
  fs::remove_all(sources.parent_path());
}

TEST_CASE("rate limits answer 429 with Retry-After, do no work, recover and show in /metrics",
          "[webhook][rate_limit]") {
  HookServer server(
      {{"offboarding.yaml", kCustomerOffboarding},
       {"orders.yaml", "name: orders\nversion: 1\nsteps:\n  - {id: a, uses: core.noop}\n"}},
      [](Config& config) {
        config.webhook_rate_limit = 1;
        config.webhook_rate_burst = 3;
        config.start_rate_limit = 1;
        config.start_rate_burst = 2;
      });
  SECTION("webhooks, per client address") {
    int n = 0;
    auto deliver = [&] {
      const std::string k = std::to_string(++n);
      return server.SignedStripe(Deleted("evt_rl_" + k, "cus_R" + k));
    };
    for (int i = 0; i < 3; ++i) REQUIRE(deliver().status == 200);
    const long long runs = server.Runs();
    const long long events = server.Events();
    const RawResponse limited = deliver();
    CHECK(limited.status == 429);
    CHECK(limited.ErrorCode() == "rate_limited");
    const int retry_after = std::stoi(limited.Header("Retry-After"));
    CHECK(retry_after >= 1);
    CHECK(retry_after <= 2);
    // Refused before anything: not even an unsigned request gets checked.
    CHECK(server.Stripe("{}", std::nullopt).status == 429);
    CHECK(server.Runs() == runs);
    CHECK(server.Events() == events);
    std::this_thread::sleep_for(std::chrono::seconds(retry_after) + std::chrono::milliseconds(100));
    CHECK(deliver().status == 200);
    const RawResponse metrics = Send(server.port(), "GET", "/metrics");
    CHECK(metrics.body.find("sagaflow_rate_limit_per_second{limit=\"webhooks\"} 1") !=
          std::string::npos);
    CHECK(metrics.body.find("sagaflow_rate_limit_burst{limit=\"webhooks\"} 3") !=
          std::string::npos);
    CHECK(metrics.body.find("sagaflow_rate_limited_total{limit=\"webhooks\"}") !=
          std::string::npos);
  }
  SECTION("run starts, per token") {
    auto start = [&](const char* token) {
      return SendJson(server.port(), "POST", "/v1/workflows/orders/runs", token,
                      Json{{"input", Json::object()}});
    };
    CHECK(start("api-secret-1").status == 202);
    CHECK(start("api-secret-1").status == 202);
    const long long runs = server.Runs();
    const RawResponse limited = start("api-secret-1");
    CHECK(limited.status == 429);
    CHECK(limited.Header("Retry-After") == "1");
    CHECK(server.Runs() == runs);
    // Another token has its own bucket.
    CHECK(start("admin-secret-1").status == 202);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    CHECK(start("api-secret-1").status == 202);
    const RawResponse metrics = Send(server.port(), "GET", "/metrics");
    CHECK(metrics.body.find("sagaflow_rate_limit_per_second{limit=\"start_run\"} 1") !=
          std::string::npos);
    CHECK(metrics.body.find("sagaflow_rate_limited_total{limit=\"start_run\"}") !=
          std::string::npos);
  }
}
