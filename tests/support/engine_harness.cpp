#include "tests/support/engine_harness.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "engine/ids.hpp"

namespace sagaflow::testing {

std::filesystem::path MakeTempFolder(const std::string& prefix) {
  auto folder = std::filesystem::temp_directory_path() / (prefix + "-" + NewUuid().substr(0, 8));
  std::filesystem::create_directories(folder);
  return folder;
}

std::vector<std::string> ReadLines(const std::filesystem::path& file) {
  std::vector<std::string> lines;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

EngineHarness::EngineHarness(
    std::initializer_list<std::pair<const std::string, std::string>> workflows,
    HarnessOptions options)
    : options_(options), folder_(MakeTempFolder("sagaflow-workflows")) {
  for (const auto& [file, yaml] : workflows) std::ofstream(folder_ / file) << yaml;
  if (options_.start) Start();
}

EngineHarness::~EngineHarness() {
  Stop();
  std::filesystem::remove_all(folder_);
}

void EngineHarness::Start() {
  Config config;
  config.database_url = database_.url();
  config.workflows_dir = folder_.string();
  config.lease = options_.lease;
  config.workers = options_.workers;
  config.shutdown_grace = std::chrono::seconds(5);
  config.owner = "test-" + NewUuid().substr(0, 8);
  config.listen = "127.0.0.1:0";
  config.tokens = options_.tokens;
  engine_ = std::make_unique<Engine>(config);
  engine_->Start();
}

void EngineHarness::Stop() {
  if (engine_) engine_->Stop();
  engine_.reset();
}

void EngineHarness::Redeploy(const std::string& file, const std::string& yaml) {
  Stop();
  std::ofstream(folder_ / file) << yaml;
  Start();
}

std::string EngineHarness::StartRun(const std::string& workflow, const Json& input) {
  DefinitionPtr definition = engine_->catalog().Latest(workflow);
  REQUIRE(definition);
  NewRun run;
  run.id = NewUuid();
  run.workflow = workflow;
  run.version = definition->version;
  run.input = input;
  run.trigger = Json{{"kind", "test"}};
  return engine_->executor().StartRun(run).id;
}

RunRecord EngineHarness::WaitFor(const std::string& run_id, const std::set<std::string>& statuses,
                                 std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::optional<RunRecord> run;
  while (std::chrono::steady_clock::now() < deadline) {
    run = engine_->store().GetRun(run_id);
    if (run && statuses.count(run->status)) return *run;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::string wanted;
  for (const auto& s : statuses) wanted += s + " ";
  FAIL("run " << run_id << " did not reach [" << wanted << "] in time; it is "
              << (run ? run->status : std::string("missing")));
  return {};
}

std::vector<HistoryEvent> EngineHarness::History(const std::string& run_id) {
  return engine_->store().History(run_id);
}

std::vector<std::string> EngineHarness::EventTrail(const std::string& run_id,
                                                   const std::set<std::string>& types) {
  std::vector<std::string> trail;
  for (const auto& event : History(run_id)) {
    if (types.empty() || types.count(event.type)) trail.push_back(event.type);
  }
  return trail;
}

std::vector<std::string> EngineHarness::StepTrail(const std::string& run_id,
                                                  const std::set<std::string>& types) {
  std::vector<std::string> trail;
  for (const auto& event : History(run_id)) {
    if (types.count(event.type)) trail.push_back(event.type + ":" + event.step_id.value_or(""));
  }
  return trail;
}

CommandResult EngineHarness::Command(const std::string& run_id, const std::string& action,
                                     const std::vector<std::string>& allowed, Json extra) {
  CommandRequest request;
  request.run_id = run_id;
  request.action = action;
  request.allowed_statuses = allowed;
  request.actor = "tester";
  request.reason = "test " + action;
  request.command = extra;
  request.command["action"] = action;
  request.command["actor"] = request.actor;
  request.command["reason"] = request.reason;
  return engine_->store().RequestCommand(request);
}

}  // namespace sagaflow::testing
