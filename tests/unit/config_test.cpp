// Configuration precedence: config file, then environment, then flags.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "engine/config.hpp"

using sagaflow::Config;

namespace {

std::string WriteFile(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace

TEST_CASE("config file, environment and flags override in that order", "[config]") {
  const std::string file = WriteFile("sagaflow-config-test.conf",
                                     "# comment\nSAGAFLOW_LISTEN=127.0.0.1:7000\n"
                                     "SAGAFLOW_WORKERS=3\nSAGAFLOW_LEASE=5s\n");
  unsetenv("SAGAFLOW_LISTEN");
  setenv("SAGAFLOW_WORKERS", "5", 1);
  Config config;
  REQUIRE_FALSE(config.Load({"--config", file, "--lease", "7s"}));
  CHECK(config.listen == "127.0.0.1:7000");  // from the file
  CHECK(config.workers == 5);                // the environment wins over the file
  CHECK(config.lease == std::chrono::seconds(7));  // a flag wins over both
  unsetenv("SAGAFLOW_WORKERS");
}

TEST_CASE("bad configuration is reported with where it came from", "[config]") {
  struct Case {
    std::string text;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"SAGAFLOW_LISTENN=1\n", ":1: expected NAME=value with a known setting name such as SAGAFLOW_LISTEN"},
      {"\nnot a setting\n", ":2: expected NAME=value with a known setting name such as SAGAFLOW_LISTEN"},
      {"SAGAFLOW_WORKERS=zero\n", ":1: SAGAFLOW_WORKERS: expected a positive integer, got 'zero'"},
      {"SAGAFLOW_LEASE=soon\n", ":1: SAGAFLOW_LEASE: expected a duration like 30s, got 'soon'"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const std::string file = WriteFile("sagaflow-config-bad.conf", c.text);
    Config config;
    const auto error = config.Load({"--config", file});
    REQUIRE(error);
    CHECK(*error == file + c.error);
  }
  Config config;
  CHECK(*config.Load({"--config", "/nonexistent/sagaflow.conf"}) ==
        "cannot read the config file /nonexistent/sagaflow.conf");
  CHECK(*config.Load({"--workers", "-1"}) == "--workers: expected a positive integer, got '-1'");
  CHECK(*config.Load({"--nope", "1"}) == "unknown option --nope");
}
