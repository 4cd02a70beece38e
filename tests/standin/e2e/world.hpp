// An engine on a fresh test database running every shipped workflow, with
// its connections pointed at the stand-in (tests/standin/fixture.hpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/standin/fixture.hpp"
#include "tests/support/engine_harness.hpp"

namespace sagaflow::standin_test {

std::string WorkflowText(const std::string& file);

// ResetWorld(), then an engine with workflows/*.yaml loaded.
std::unique_ptr<testing::EngineHarness> StartEngine();

// Starts a run and waits for one of `statuses`.
RunRecord RunToEnd(testing::EngineHarness& engine, const std::string& workflow, const Json& input,
                   const std::set<std::string>& statuses = {"completed", "compensated", "failed",
                                                            "stuck", "paused"});

// Step ids of the given history event type, in order.
std::vector<std::string> StepsWith(testing::EngineHarness& engine, const std::string& run_id,
                                   const std::string& type);

// The Scalekit organization / user in the stand-in's state, or null.
Json OrgByExternalId(const Json& state, const std::string& external_id);
Json UserByExternalId(const Json& state, const std::string& external_id);
Json RecordById(const Json& records, const std::string& id_key, const std::string& id);

}  // namespace sagaflow::standin_test
