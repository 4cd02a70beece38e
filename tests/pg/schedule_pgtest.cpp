// Cron schedules end to end, on a scaled test clock (SAGAFLOW_TEST_CLOCK_*)
// so many virtual minutes pass in a few real seconds: three `sagaflow serve`
// processes sharing ticks, catch-up after every process was down, a
// daylight-saving day, and the listing, pause and resume over HTTP.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <pqxx/pqxx>
#include <regex>
#include <thread>

#include "engine/engine.hpp"
#include "engine/ids.hpp"
#include "engine/schedule_clock.hpp"
#include "engine/time_format.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/engine_harness.hpp"
#include "tests/support/raw_http.hpp"

using namespace sagaflow;
using namespace sagaflow::testing;
namespace fs = std::filesystem;

namespace {

const char* kAdmin = "admin-secret-1";
const char* kApi = "api-secret-1";

double RealNow() {
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

double Unix(const std::string& iso) {
  auto time = ParseTimestamp(iso);
  REQUIRE(time);
  return std::chrono::duration<double>(time->time_since_epoch()).count();
}

// The three numbers every process of a test shares.
struct TestClock {
  double epoch;
  double origin;
  double speed;

  ScheduleClock Virtual() const { return ScheduleClock::Scaled(epoch, origin, speed); }
  std::map<std::string, std::string> Env() const {
    return {{"SAGAFLOW_TEST_CLOCK_EPOCH", std::to_string(epoch)},
            {"SAGAFLOW_TEST_CLOCK_ORIGIN", std::to_string(origin)},
            {"SAGAFLOW_TEST_CLOCK_SPEED", std::to_string(speed)}};
  }
  void Apply(Config& config) const {
    config.test_clock_epoch = epoch;
    config.test_clock_origin = origin;
    config.test_clock_speed = speed;
  }
  // Sleeps in real time until the virtual clock shows `when`.
  void SleepUntil(TimePoint when) const {
    std::this_thread::sleep_for(Virtual().RealDelayUntil(when));
  }
};

unsigned short FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

// A database, a workflow folder and `sagaflow serve` processes on it.
struct Scene {
  TestDatabase database;
  fs::path workflows = MakeTempFolder("sagaflow-sched-wf");
  fs::path scratch = MakeTempFolder("sagaflow-sched-out");

  ~Scene() {
    fs::remove_all(workflows);
    fs::remove_all(scratch);
  }

  void Workflow(const std::string& file, const std::string& yaml) {
    std::ofstream(workflows / file) << yaml;
  }

  struct Server {
    std::unique_ptr<ChildProcess> process;
    unsigned short port = 0;
  };

  Server Serve(const std::string& name, const TestClock& clock) {
    Server server;
    server.port = FreePort();
    auto env = ServeEnvironment(database.url(), workflows.string(), "2s");
    env["SAGAFLOW_LISTEN"] = "127.0.0.1:" + std::to_string(server.port);
    for (const auto& [key, value] : clock.Env()) env[key] = value;
    server.process =
        std::make_unique<ChildProcess>(std::vector<std::string>{SAGAFLOW_BINARY, "serve"}, env,
                                       (scratch / (name + ".log")).string());
    for (int i = 0; i < 400; ++i) {
      try {
        if (Send(server.port, "GET", "/readyz").status == 200) return server;
      } catch (const std::exception&) {
      }
      REQUIRE(server.process->Running());
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    FAIL("serve did not come up: " << server.process->Log());
    return server;
  }

  // Fire times of a schedule's runs, oldest first, as ISO strings.
  std::vector<std::string> Fires(const std::string& workflow) {
    std::vector<std::string> fires;
    pqxx::connection c(database.url());
    pqxx::nontransaction tx(c);
    for (const auto& row :
         tx.exec_params("SELECT trigger->>'fire_at' FROM runs WHERE workflow = $1 "
                        "ORDER BY (trigger->>'fire_at')::timestamptz",
                        workflow)) {
      fires.push_back(row[0].c_str());
    }
    return fires;
  }

  long long Count(const std::string& sql) { return std::stoll(database.Query(sql)); }

  void WaitForFires(const std::string& workflow, size_t count, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (Fires(workflow).size() < count && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(Fires(workflow).size() >= count);
  }
};

// One metric sample from Prometheus text, 0 when absent.
double Sample(const std::string& text, const std::string& name_and_labels) {
  const size_t at = text.find("\n" + name_and_labels + " ");
  if (at == std::string::npos) return 0;
  return std::stod(text.substr(at + name_and_labels.size() + 2));
}

std::vector<std::string> Between(const std::vector<std::string>& fires, TimePoint after,
                                 TimePoint upto) {
  std::vector<std::string> out;
  for (const auto& fire : fires) {
    const TimePoint t = *ParseTimestamp(fire);
    if (t > after && t <= upto) out.push_back(fire);
  }
  return out;
}

TimePoint FloorMinute(TimePoint t) {
  return std::chrono::floor<std::chrono::minutes>(t);
}

// An engine in this process on the test clock, for the HTTP routes.
struct Local {
  TestDatabase database;
  fs::path folder = MakeTempFolder("sagaflow-sched-local");
  std::unique_ptr<Engine> engine;
  TestClock clock;

  Local(std::initializer_list<std::pair<std::string, std::string>> workflows, TestClock test_clock)
      : clock(test_clock) {
    for (const auto& [file, yaml] : workflows) std::ofstream(folder / file) << yaml;
    Start();
  }
  ~Local() {
    Stop();
    fs::remove_all(folder);
  }
  void Start() {
    Config config;
    config.database_url = database.url();
    config.workflows_dir = folder.string();
    config.lease = std::chrono::seconds(2);
    config.workers = 4;
    config.owner = "sched-" + NewUuid().substr(0, 8);
    config.listen = "127.0.0.1:0";
    config.tokens = "ops:admin:admin-secret-1,app:api:api-secret-1";
    clock.Apply(config);
    engine = std::make_unique<Engine>(config);
    engine->Start();
  }
  void Stop() {
    if (engine) engine->Stop();
    engine.reset();
  }
  unsigned short port() { return engine->http_port(); }
  long long Runs(const std::string& workflow) {
    return std::stoll(
        database.Query("SELECT count(*) FROM runs WHERE workflow = '" + workflow + "'"));
  }
};

Json FindSchedule(const Json& listing, const std::string& id) {
  for (const auto& schedule : listing["schedules"]) {
    if (schedule["id"] == id) return schedule;
  }
  FAIL("no schedule " << id << " in " << listing.dump());
  return {};
}

}  // namespace

TEST_CASE("three processes share a schedule: exactly one run per tick", "[schedule][processes]") {
  Scene scene;
  scene.Workflow("ticker.yaml", R"(
name: ticker
version: 1
input:
  required: [at]
  properties: {at: {type: string}}
triggers:
  - schedule: {cron: "* * * * *", input: {at: "${{ now }}"}, catch_up: all}
steps:
  - {id: a, uses: core.noop, with: {at: "${{ input.at }}"}}
)");
  // One virtual minute every 1.5 real seconds, starting mid-minute.
  const TestClock clock{Unix("2026-05-01T10:00:20Z"), RealNow(), 40};
  std::vector<Scene::Server> servers;
  for (int i = 0; i < 3; ++i) servers.push_back(scene.Serve("serve" + std::to_string(i), clock));
  scene.WaitForFires("ticker", 6, std::chrono::seconds(30));
  // Scrape before stopping: each process's view of the ticks it handled.
  double started = 0;
  double taken = 0;
  int processes_that_started = 0;
  for (auto& server : servers) {
    const std::string metrics = Send(server.port, "GET", "/metrics").body;
    const double mine =
        Sample(metrics, "sagaflow_schedule_ticks_total{schedule=\"ticker:0\",outcome=\"started\"}");
    started += mine;
    taken +=
        Sample(metrics,
               "sagaflow_schedule_ticks_total{schedule=\"ticker:0\",outcome=\"already_started\"}");
    if (mine > 0) ++processes_that_started;
  }
  for (auto& server : servers) server.process->Signal(SIGTERM);
  for (auto& server : servers) CHECK(server.process->Wait(std::chrono::seconds(10)) == 0);

  const auto fires = scene.Fires("ticker");
  INFO(fires.size() << " ticks");
  REQUIRE(fires.size() >= 6);
  // One run per tick, ticks one minute apart with none missing in between.
  CHECK(scene.Count("SELECT count(*) FROM schedule_ticks") == static_cast<long long>(fires.size()));
  CHECK(scene.Count("SELECT count(DISTINCT trigger->>'fire_at') FROM runs") ==
        static_cast<long long>(fires.size()));
  for (size_t i = 1; i < fires.size(); ++i) {
    INFO(fires[i - 1] << " -> " << fires[i]);
    CHECK(*ParseTimestamp(fires[i]) - *ParseTimestamp(fires[i - 1]) == std::chrono::minutes(1));
  }
  // Each run got the input of its own tick: `now` is the fire time.
  CHECK(scene.Count("SELECT count(*) FROM runs WHERE (input->>'at')::timestamptz <> "
                    "(trigger->>'fire_at')::timestamptz") == 0);
  // Every process tried the ticks; the database let one of them start each.
  CHECK(started <= static_cast<double>(fires.size()));
  CHECK(started >=
        static_cast<double>(fires.size()) - 1);  // the last tick may land after the scrape
  CHECK(taken >= started);
  CHECK(processes_that_started >= 1);
  CHECK(scene.Count("SELECT count(*) FROM runs WHERE status = 'completed'") ==
        static_cast<long long>(fires.size()));
}

TEST_CASE("catch-up after every process was down follows each trigger's catch_up",
          "[schedule][catch_up]") {
  Scene scene;
  for (const std::string policy : {"none", "last", "all"}) {
    scene.Workflow(policy + ".yaml", "name: cu_" + policy +
                                         "\nversion: 1\ntriggers:\n"
                                         "  - schedule: {cron: \"* * * * *\", catch_up: " +
                                         policy +
                                         "}\n"
                                         "steps:\n  - {id: a, uses: core.noop}\n");
  }
  // One virtual minute every 3 real seconds.
  const TestClock clock{Unix("2026-05-01T10:00:10Z"), RealNow(), 20};
  {
    auto first = scene.Serve("first", clock);
    scene.WaitForFires("cu_none", 2, std::chrono::seconds(30));
    // Stop half-way between ticks, so all three saw the same last one.
    clock.SleepUntil(FloorMinute(clock.Virtual().Now()) + std::chrono::seconds(30));
    first.process->Signal(SIGTERM);
    REQUIRE(first.process->Wait(std::chrono::seconds(10)) == 0);
  }
  // The last tick before the outage, the same for all three.
  const auto before = scene.Fires("cu_all");
  const TimePoint last = *ParseTimestamp(before.back());
  CHECK(scene.Fires("cu_none").back() == before.back());
  CHECK(scene.Fires("cu_last").back() == before.back());
  // Down for at least four ticks; come back at :10 of a minute, so no tick
  // falls due while the process starts.
  const TimePoint back = FloorMinute(last) + std::chrono::minutes(5) + std::chrono::seconds(10);
  clock.SleepUntil(back);
  const TimePoint restart = clock.Virtual().Now();
  auto second = scene.Serve("second", clock);
  const TimePoint ready = clock.Virtual().Now();
  INFO("last " << FormatIso(last) << ", restart " << FormatIso(restart) << ", ready "
               << FormatIso(ready));
  REQUIRE(FloorMinute(ready) == FloorMinute(restart));
  const TimePoint missed_newest = FloorMinute(restart);
  const long long missed = (missed_newest - last) / std::chrono::minutes(1);
  REQUIRE(missed >= 4);
  // One on-time tick after the restart for everyone.
  scene.WaitForFires("cu_none", before.size() + 1, std::chrono::seconds(15));
  scene.WaitForFires("cu_last", before.size() + 2, std::chrono::seconds(15));
  scene.WaitForFires("cu_all", before.size() + static_cast<size_t>(missed) + 1,
                     std::chrono::seconds(15));
  second.process->Signal(SIGTERM);
  CHECK(second.process->Wait(std::chrono::seconds(10)) == 0);

  const TimePoint next_tick = missed_newest + std::chrono::minutes(1);
  // none: nothing for the outage; the schedule simply carries on.
  CHECK(Between(scene.Fires("cu_none"), last, restart).empty());
  CHECK(Between(scene.Fires("cu_none"), restart, next_tick).size() == 1);
  // last: one run, for the newest missed tick.
  CHECK(Between(scene.Fires("cu_last"), last, restart) ==
        std::vector<std::string>{FormatIso(missed_newest)});
  CHECK(Between(scene.Fires("cu_last"), restart, next_tick).size() == 1);
  // all: every missed tick, in order.
  const auto all = Between(scene.Fires("cu_all"), last, restart);
  REQUIRE(all.size() == static_cast<size_t>(missed));
  for (long long i = 0; i < missed; ++i) {
    CHECK(all[i] == FormatIso(last + std::chrono::minutes(i + 1)));
  }
  CHECK(Between(scene.Fires("cu_all"), restart, next_tick).size() == 1);
  // Still one run per tick.
  CHECK(scene.Count("SELECT count(*) FROM runs") ==
        scene.Count("SELECT count(*) FROM schedule_ticks"));
}

TEST_CASE("a daylight-saving day: a skipped time fires once, a repeated one once",
          "[schedule][dst]") {
  const char* kSpring = R"(
name: spring
version: 1
triggers:
  - schedule: {cron: "30 2 * * *", timezone: America/New_York, catch_up: all}
  - schedule: {cron: "*/30 * * * *", timezone: America/New_York, catch_up: all}
steps:
  - {id: a, uses: core.noop}
)";
  const char* kFall = R"(
name: fall
version: 1
triggers:
  - schedule: {cron: "30 1 * * *", timezone: America/New_York, catch_up: all}
  - schedule: {cron: "*/30 * * * *", timezone: America/New_York, catch_up: all}
steps:
  - {id: a, uses: core.noop}
)";
  auto fires = [](Local& local, const std::string& schedule) {
    std::vector<std::string> out;
    pqxx::connection c(local.database.url());
    pqxx::nontransaction tx(c);
    for (const auto& row : tx.exec_params(
             "SELECT fire_at FROM schedule_ticks WHERE schedule_id = $1 ORDER BY fire_at",
             schedule)) {
      out.push_back(FormatIso(*ParseTimestamp(row[0].c_str())));
    }
    return out;
  };
  // catch_up: all so that a stalled scheduler thread (a virtual minute is
  // 17 real ms here) still shows every tick rather than the newest.
  SECTION("spring forward: 02:30 does not exist on 2026-03-08 and fires at 03:00 EDT") {
    // 04:00Z is 23:00 EST the day before; one virtual hour per real second.
    const TestClock clock{Unix("2026-03-08T04:00:00Z"), RealNow(), 3600};
    Local local({{"spring.yaml", kSpring}}, clock);
    clock.SleepUntil(*ParseTimestamp("2026-03-08T09:10:00Z"));  // 05:10 EDT
    local.Stop();
    CHECK(fires(local, "spring:0") == std::vector<std::string>{"2026-03-08T07:00:00.000Z"});
    // */30: 01:00, 01:30 EST, the gap's 02:00 and 02:30 once at 03:00 EDT, then 03:30 ...
    const auto half_hours = fires(local, "spring:1");
    const auto window = Between(half_hours, *ParseTimestamp("2026-03-08T05:50:00Z"),
                                *ParseTimestamp("2026-03-08T08:00:00Z"));
    CHECK(window == std::vector<std::string>{"2026-03-08T06:00:00.000Z", "2026-03-08T06:30:00.000Z",
                                             "2026-03-08T07:00:00.000Z", "2026-03-08T07:30:00.000Z",
                                             "2026-03-08T08:00:00.000Z"});
  }
  SECTION("fall back: 01:30 happens twice on 2026-11-01 and fires once") {
    // 02:00Z is 22:00 EDT the day before.
    const TestClock clock{Unix("2026-11-01T02:00:00Z"), RealNow(), 3600};
    Local local({{"fall.yaml", kFall}}, clock);
    clock.SleepUntil(*ParseTimestamp("2026-11-01T08:10:00Z"));  // 03:10 EST
    local.Stop();
    CHECK(fires(local, "fall:0") == std::vector<std::string>{"2026-11-01T05:30:00.000Z"});
    // The repeated hour (06:00Z and 06:30Z, 01:00 and 01:30 EST) is not run again.
    const auto window = Between(fires(local, "fall:1"), *ParseTimestamp("2026-11-01T04:50:00Z"),
                                *ParseTimestamp("2026-11-01T07:30:00Z"));
    CHECK(window == std::vector<std::string>{"2026-11-01T05:00:00.000Z", "2026-11-01T05:30:00.000Z",
                                             "2026-11-01T07:00:00.000Z",
                                             "2026-11-01T07:30:00.000Z"});
  }
}

TEST_CASE("GET /v1/schedules; an admin pauses and resumes a schedule", "[schedule][admin]") {
  const char* kTicker = R"(
name: ticker
version: 2
triggers:
  - schedule: {cron: "* * * * *", timezone: Europe/Paris, catch_up: all}
steps:
  - {id: a, uses: core.noop}
)";
  const char* kBroken = R"(
name: broken
version: 1
input:
  required: [region]
  properties: {region: {type: string}}
triggers:
  - schedule: {cron: "*/2 * * * *", input: {}}
steps:
  - {id: a, uses: core.noop}
)";
  // One virtual minute per real second.
  const TestClock clock{Unix("2026-05-01T10:00:30Z"), RealNow(), 60};
  Local local({{"ticker.yaml", kTicker}, {"broken.yaml", kBroken}}, clock);
  auto list = [&] {
    const RawResponse response = SendJson(local.port(), "GET", "/v1/schedules", kApi);
    REQUIRE(response.status == 200);
    return response.JsonBody();
  };
  auto admin = [&](const std::string& target, const Json& body, const char* token = kAdmin) {
    return SendJson(local.port(), "POST", target, token, body);
  };
  Json ticker = FindSchedule(list(), "ticker:0");
  CHECK(ticker["workflow"] == "ticker");
  CHECK(ticker["version"] == 2);
  CHECK(ticker["cron"] == "* * * * *");
  CHECK(ticker["timezone"] == "Europe/Paris");
  CHECK(ticker["catch_up"] == "all");
  CHECK(ticker["paused"] == false);
  CHECK(ticker["next_fire_at"].is_string());

  while (local.Runs("ticker") < 2) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ticker = FindSchedule(list(), "ticker:0");
  CHECK(ticker["last_fire_at"].is_string());
  CHECK(ticker["last_run_id"].is_string());
  CHECK(*ParseTimestamp(ticker["next_fire_at"].get<std::string>()) >
        *ParseTimestamp(ticker["last_fire_at"].get<std::string>()));
  // A tick whose input does not pass the schema starts nothing and says why.
  while (FindSchedule(list(), "broken:0")["last_error"].is_null()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(FindSchedule(list(), "broken:0")["last_error"].get<std::string>().find("region") !=
        std::string::npos);
  CHECK(local.Runs("broken") == 0);

  // Mistakes first.
  CHECK(admin("/admin/schedules/ticker:0/pause", Json::object()).ErrorCode() == "reason_required");
  CHECK(admin("/admin/schedules/nope:0/pause", {{"reason", "x"}}).status == 404);
  CHECK(admin("/admin/schedules/ticker:0/pause", {{"reason", "x"}}, kApi).status == 403);
  CHECK(SendJson(local.port(), "GET", "/v1/schedules", "").status == 401);
  CHECK(admin("/admin/schedules/ticker:0/resume", {{"reason", "x"}}).status == 409);

  const RawResponse paused = admin("/admin/schedules/ticker:0/pause", {{"reason", "maintenance"}});
  CHECK(paused.status == 200);
  const TimePoint paused_at = local.engine->scheduler().Now();
  const long long runs_at_pause = local.Runs("ticker");
  ticker = FindSchedule(list(), "ticker:0");
  CHECK(ticker["paused"] == true);
  CHECK(ticker["paused_by"] == "ops");
  CHECK(ticker["pause_reason"] == "maintenance");
  CHECK(ticker["next_fire_at"].is_null());
  CHECK(admin("/admin/schedules/ticker:0/pause", {{"reason", "again"}}).status == 409);
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));  // three ticks or more
  CHECK(local.Runs("ticker") <= runs_at_pause + 1);              // at most a tick already under way

  // A restart while paused catches nothing up.
  local.Stop();
  local.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  CHECK(local.Runs("ticker") <= runs_at_pause + 1);

  CHECK(admin("/admin/schedules/ticker:0/resume", {{"reason", "done"}}).status == 200);
  const TimePoint resumed_at = local.engine->scheduler().Now();
  const long long runs_at_resume = local.Runs("ticker");
  while (local.Runs("ticker") < runs_at_resume + 2) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // Restart after the resume: catch_up all must not bring the paused ticks back.
  local.Stop();
  local.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  pqxx::connection c(local.database.url());
  pqxx::nontransaction tx(c);
  const auto during_pause = tx.exec_params(
      "SELECT count(*) FROM schedule_ticks WHERE schedule_id = 'ticker:0' "
      "AND fire_at > $1::timestamptz + interval '1 minute' AND fire_at <= $2::timestamptz",
      FormatIso(paused_at), FormatIso(resumed_at));
  CHECK(during_pause[0][0].as<long long>() == 0);

  const Json audit = SendJson(local.port(), "GET", "/admin/audit?limit=20", kAdmin).JsonBody();
  std::vector<std::string> actions;
  for (const auto& entry : audit["entries"]) {
    actions.push_back(entry["action"].get<std::string>() + ":" +
                      entry["outcome"].get<std::string>());
  }
  CHECK(std::find(actions.begin(), actions.end(), "pause-schedule:accepted") != actions.end());
  CHECK(std::find(actions.begin(), actions.end(), "pause-schedule:refused") != actions.end());
  CHECK(std::find(actions.begin(), actions.end(), "resume-schedule:accepted") != actions.end());
}
