#include "tests/standin/fixture.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <memory>
#include <stdexcept>

#include "steps/builtin_steps.hpp"
#include "steps/circuit_breaker.hpp"
#include "steps/connections.hpp"
#include "steps/http_client.hpp"

namespace sagaflow::standin_test {

StandinProcess::StandinProcess(const std::vector<std::string>& extra_args) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> args = {SAGAFLOW_STANDIN_BINARY, "--listen", "127.0.0.1:0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive the test
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string line;
  pollfd fd{out[0], POLLIN, 0};
  while (line.find('\n') == std::string::npos) {
    if (poll(&fd, 1, 10'000) <= 0) break;
    char buffer[256];
    const ssize_t n = read(out[0], buffer, sizeof buffer);
    if (n <= 0) break;
    line.append(buffer, static_cast<size_t>(n));
  }
  close(out[0]);
  const std::string marker = "listening on ";
  const auto at = line.find(marker);
  if (at == std::string::npos) {
    throw std::runtime_error("sagaflow-standin did not start: " + line);
  }
  url_ = line.substr(at + marker.size());
  url_ = url_.substr(0, url_.find_first_of("\r\n"));
}

StandinProcess::~StandinProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

StandinProcess& Standin() {
  static std::unique_ptr<StandinProcess> process = std::make_unique<StandinProcess>();
  return *process;
}

Json Control(const std::string& method, const std::string& route, const Json& body) {
  steps::HttpRequest request;
  request.method = method;
  request.url = StandinUrl() + "/_control" + route;
  request.proxy = steps::ProxySettings{};
  if (!body.is_null()) {
    request.body = body.dump();
    request.headers = {{"Content-Type", "application/json"}};
  }
  const auto response = steps::SendHttp(request);
  INFO(method << " " << route << ": " << response.error_message << " " << response.body);
  REQUIRE(response.status >= 200);
  REQUIRE(response.status < 300);
  return Json::parse(response.body);
}

Json TestConnections(const std::string& url) {
  const Json breaker{{"failure_threshold", 3}, {"cool_down", "300ms"}};
  const Json timeouts{{"connect", "2s"}, {"tls", "2s"}, {"total", "2s"}};
  return Json{{"connections",
               {{"scalekit",
                 {{"base_url", url},
                  {"auth", {{"client_id", "skc_standin"}, {"client_secret", "standin-secret"}}},
                  {"breaker", breaker},
                  {"timeouts", timeouts}}},
                {"salesforce",
                 {{"base_url", url},
                  {"auth", {{"client_id", "sf_standin"}, {"client_secret", "standin-secret"}}},
                  {"breaker", breaker},
                  {"timeouts", timeouts}}},
                {"stripe",
                 {{"base_url", url},
                  {"auth", {{"token", "sk_test_standin"}}},
                  {"breaker", breaker},
                  {"timeouts", timeouts}}},
                {"workday",
                 {{"base_url", url},
                  {"tenant", "acme"},
                  {"auth",
                   {{"client_id", "wd_standin"},
                    {"client_secret", "standin-secret"},
                    {"refresh_token", "standin-refresh-token"}}},
                  {"breaker", breaker},
                  {"timeouts", timeouts}}},
                {"features",
                 {{"base_url", url + "/features"}, {"breaker", breaker}, {"timeouts", timeouts}}},
                {"notifications",
                 {{"base_url", url + "/hooks"}, {"breaker", breaker}, {"timeouts", timeouts}}},
                {"hooks",
                 {{"base_url", url + "/hooks"},
                  {"auth", {{"type", "bearer"}, {"token", "hook-token"}}},
                  {"breaker", breaker},
                  {"timeouts", timeouts}}}}}};
}

void ResetWorld() {
  Control("POST", "/reset");
  steps::BreakerRegistry::Global().ResetForTest();
  const steps::EnvLookup no_env = [](const std::string&) { return std::optional<std::string>(); };
  steps::InstallConnections(steps::ConnectionSet::FromJson(TestConnections(StandinUrl()), no_env));
}

Json State() {
  return Control("GET", "/state?timestamps=false");
}

Json Requests(const std::string& system) {
  return Control("GET", "/requests" + (system.empty() ? "" : "?system=" + system))["requests"];
}

int CountRequests(const std::string& system, const std::string& method,
                  const std::string& path_prefix) {
  int count = 0;
  for (const auto& entry : Requests(system)) {
    if (!method.empty() && entry["method"] != method) continue;
    if (entry["path"].get<std::string>().rfind(path_prefix, 0) != 0) continue;
    ++count;
  }
  return count;
}

Json AddFault(const Json& fault) {
  return Control("POST", "/faults", fault);
}

StepResult RunStep(const std::string& type, const Json& params, const StepRun& run) {
  const StepType* step = BuiltinStepRegistry().Find(type);
  REQUIRE(step != nullptr);
  StepContext ctx;
  ctx.run_id = "run_test";
  ctx.workflow = "test";
  ctx.step_id = "step";
  ctx.attempt = run.attempt;
  ctx.idempotency_key = run.idempotency_key;
  ctx.params = params;
  ctx.now = Clock::now();
  ctx.first_started_at = run.first_started_at.value_or(ctx.now);
  ctx.deadline = ctx.now + run.timeout;
  ctx.log = [](const std::string&) {};
  return step->handler(ctx);
}

StepRun Attempt(int n, TimePoint started) {
  StepRun run;
  run.attempt = n;
  run.first_started_at = started;
  return run;
}

StepRun WithTimeout(std::chrono::milliseconds timeout) {
  StepRun run;
  run.timeout = timeout;
  return run;
}

const char* KindName(StepResult::Kind kind) {
  switch (kind) {
    case StepResult::Kind::kCompleted:
      return "completed";
    case StepResult::Kind::kRetryableFailure:
      return "retryable";
    case StepResult::Kind::kFinalFailure:
      return "final";
    case StepResult::Kind::kWaitUntil:
      return "wait";
  }
  return "?";
}

Json MustComplete(const StepResult& result) {
  INFO(KindName(result.kind) << " " << result.error_code << ": " << result.message);
  REQUIRE(result.kind == StepResult::Kind::kCompleted);
  return result.output;
}

}  // namespace sagaflow::standin_test
