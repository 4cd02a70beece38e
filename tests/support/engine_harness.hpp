// An in-process engine for tests: a fresh test database, the given workflow
// files written to a temporary folder, and the real Engine (store, catalog,
// executor) started on them with short leases. Helpers start runs, wait for
// states and send operator commands the way the HTTP layer does.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "tests/support/test_database.hpp"

namespace sagaflow::testing {

struct HarnessOptions {
  std::chrono::milliseconds lease{2000};
  int workers = 4;
  bool start = true;  // false: only the database and the files
  std::string tokens = "ops:admin:admin-secret-1,app:api:api-secret-1";
};

class EngineHarness {
 public:
  // `workflows` maps file names to YAML text.
  explicit EngineHarness(std::initializer_list<std::pair<const std::string, std::string>> workflows,
                         HarnessOptions options = {});
  ~EngineHarness();

  void Start();
  void Stop();
  // Replaces a workflow file and starts the engine again (a redeploy).
  void Redeploy(const std::string& file, const std::string& yaml);

  Engine& engine() { return *engine_; }
  TestDatabase& database() { return database_; }
  const std::filesystem::path& folder() const { return folder_; }

  std::string StartRun(const std::string& workflow, const Json& input = Json::object());
  // Polls until the run reaches one of `statuses`; fails the test on timeout.
  RunRecord WaitFor(const std::string& run_id, const std::set<std::string>& statuses,
                    std::chrono::milliseconds timeout = std::chrono::seconds(20));
  std::vector<HistoryEvent> History(const std::string& run_id);
  // Event types in order, optionally only those of `types`.
  std::vector<std::string> EventTrail(const std::string& run_id,
                                      const std::set<std::string>& types = {});
  // "type:step" for events of the given types, in order.
  std::vector<std::string> StepTrail(const std::string& run_id, const std::set<std::string>& types);
  CommandResult Command(const std::string& run_id, const std::string& action,
                        const std::vector<std::string>& allowed, Json extra = Json::object());

 private:
  TestDatabase database_;
  HarnessOptions options_;
  std::filesystem::path folder_;
  std::unique_ptr<Engine> engine_;
};

// A fresh temporary folder, removed by the caller when it wants.
std::filesystem::path MakeTempFolder(const std::string& prefix);
// Lines of a text file (empty when it does not exist).
std::vector<std::string> ReadLines(const std::filesystem::path& file);

}  // namespace sagaflow::testing
