// schemas/workflow.schema.json: it compiles with Dialect::Full, every shipped
// workflows/*.yaml file satisfies it, and typical mistakes are rejected with
// exact messages. YAML is read with yaml-cpp and converted to JSON here.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "engine/input_schema.hpp"

#ifndef SAGAFLOW_SOURCE_DIR
#define SAGAFLOW_SOURCE_DIR "."
#endif

using sagaflow::Dialect;
using sagaflow::InputSchema;
using sagaflow::Json;

namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = SAGAFLOW_SOURCE_DIR;

// A plain scalar resolved by the YAML 1.2 core schema: int, then float, then
// true/false/null; anything else is a string.
Json plain_scalar(const std::string& text) {
  static const std::regex kInt("[-+]?[0-9]+");
  static const std::regex kOctal("0o[0-7]+");
  static const std::regex kHex("0x[0-9a-fA-F]+");
  static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  static const std::regex kInfinity(R"([-+]?\.(inf|Inf|INF))");
  static const std::regex kNan(R"(\.(nan|NaN|NAN))");
  if (std::regex_match(text, kInt) || std::regex_match(text, kOctal) ||
      std::regex_match(text, kHex)) {
    const bool negative = text[0] == '-';
    const std::size_t sign = (text[0] == '-' || text[0] == '+') ? 1 : 0;
    int base = 10;
    std::size_t start = sign;
    if (text.rfind("0o", 0) == 0) base = 8, start = 2;
    if (text.rfind("0x", 0) == 0) base = 16, start = 2;
    std::uint64_t magnitude = 0;
    const char* end = text.data() + text.size();
    if (std::from_chars(text.data() + start, end, magnitude, base).ptr == end) {
      if (!negative) return Json(magnitude);
      if (magnitude <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1) {
        return Json(static_cast<std::int64_t>(0 - magnitude));
      }
    }
    return Json(std::stod(text));  // too large for 64 bits
  }
  if (std::regex_match(text, kFloat)) return Json(std::stod(text));
  if (std::regex_match(text, kInfinity)) {
    return Json(text[0] == '-' ? -INFINITY : INFINITY);
  }
  if (std::regex_match(text, kNan)) return Json(NAN);
  if (text == "true" || text == "True" || text == "TRUE") return Json(true);
  if (text == "false" || text == "False" || text == "FALSE") return Json(false);
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return Json(nullptr);
  }
  return Json(text);
}

Json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Json out = Json::object();
      for (const auto& entry : node) out[entry.first.Scalar()] = yaml_to_json(entry.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      Json out = Json::array();
      for (const auto& item : node) out.push_back(yaml_to_json(item));
      return out;
    }
    case YAML::NodeType::Scalar:
      // Quoted scalars carry the tag "!" and stay strings, as does an explicit !!str.
      if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") return Json(node.Scalar());
      return plain_scalar(node.Scalar());
    default:  // Null and Undefined
      return Json(nullptr);
  }
}

std::vector<std::string> texts(const std::vector<sagaflow::Violation>& violations) {
  std::vector<std::string> out;
  for (const auto& v : violations) out.push_back(sagaflow::to_string(v));
  return out;
}

const InputSchema& workflow_schema() {
  static const InputSchema schema = [] {
    std::ifstream file(kSourceDir / "schemas" / "workflow.schema.json");
    REQUIRE(file.good());
    const Json document = Json::parse(file, nullptr, false);
    REQUIRE_FALSE(document.is_discarded());
    auto compiled = InputSchema::compile(document, Dialect::Full);
    std::vector<std::string> problems;
    for (const auto& p : compiled.problems) problems.push_back(sagaflow::to_string(p));
    INFO(Json(problems).dump(2));
    REQUIRE(compiled.ok());
    return compiled.schema;
  }();
  return schema;
}

}  // namespace

TEST_CASE("workflow schema: the YAML converter follows the core schema", "[workflow_schema]") {
  const Json converted = yaml_to_json(YAML::Load(R"Y(
int: 42
negative: -7
hex: 0x1F
float: 2.5
exponent: 1e3
yes_is_text: yes
bool: true
null_word: null
tilde: ~
empty:
quoted_int: "42"
quoted_bool: 'true'
duration: 30s
version_text: 1.2.3
)Y"));
  const Json expected = Json::parse(R"J({
    "int": 42, "negative": -7, "hex": 31, "float": 2.5, "exponent": 1000.0,
    "yes_is_text": "yes", "bool": true, "null_word": null, "tilde": null, "empty": null,
    "quoted_int": "42", "quoted_bool": "true", "duration": "30s", "version_text": "1.2.3"})J");
  CHECK(converted == expected);
}

TEST_CASE("workflow schema: compiles with the full dialect", "[workflow_schema]") {
  workflow_schema();
}

TEST_CASE("workflow schema: every shipped workflow satisfies it", "[workflow_schema]") {
  const InputSchema& schema = workflow_schema();
  std::vector<fs::path> files;
  const fs::path folder = kSourceDir / "workflows";
  if (fs::is_directory(folder)) {
    for (const auto& entry : fs::directory_iterator(folder)) {
      const auto extension = entry.path().extension();
      if (entry.is_regular_file() && (extension == ".yaml" || extension == ".yml")) {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  INFO("looked in " << folder.string());
  REQUIRE_FALSE(files.empty());
  for (const fs::path& file : files) {
    INFO("file: " << file.string());
    const Json workflow = yaml_to_json(YAML::LoadFile(file.string()));
    CHECK(texts(schema.validate(workflow)) == std::vector<std::string>{});
  }
}

namespace {

// The example of DESIGN.md, which uses every kind of trigger.
constexpr const char* kDesignExample = R"Y(
name: customer_onboarding
version: 1
description: Create the Scalekit org and admin, link Salesforce and Stripe.
input:
  required: [company_name, admin_email, stripe_customer_id, salesforce_account_id]
  properties:
    company_name: {type: string, minLength: 1}
    admin_email: {type: string, format: email}
    plan_type: {type: string, enum: [free, pro, enterprise], default: free}
    stripe_customer_id: {type: string, pattern: "^cus_[A-Za-z0-9]+$"}
triggers:
  - http: {}
  - webhook: {source: stripe, events: [customer.created], input: {stripe_customer_id: "${{ event.data.object.id }}"}}
  - schedule: {cron: "*/15 * * * *", input: {}}
defaults:
  retry: {max_attempts: 5, initial_interval: 1s, max_interval: 60s, multiplier: 2, jitter: 0.2}
  timeout: 30s
steps:
  - id: create_org
    uses: scalekit.create_organization
    with:
      display_name: "${{ input.company_name }}"
      external_id: "${{ input.stripe_customer_id }}"
      metadata: {plan_type: "${{ input.plan_type }}", onboarding_status: pending}
    compensate:
      uses: scalekit.delete_organization
      with: {organization_id: "${{ steps.create_org.output.id }}"}
  - id: notify_sales
    uses: http.request
    when: "${{ input.plan_type == 'enterprise' }}"
    with: {method: POST, url: "${{ env.SALES_HOOK_URL }}", json: {org: "${{ steps.create_org.output.id }}"}}
    compensate: none
    on_failure: continue
output:
  organization_id: "${{ steps.create_org.output.id }}"
)Y";

struct WorkflowCase {
  const char* name;
  const char* yaml;
  std::vector<std::string> expected;
};

const std::vector<WorkflowCase> kWorkflowCases = {
    {"the DESIGN.md example", kDesignExample, {}},
    {"the smallest workflow", "name: demo\nversion: 1\nsteps: [{id: a, uses: core.noop}]\n", {}},
    {"every trigger option",
     R"Y(
name: demo
version: 2
triggers:
  - http:
  - schedule: {cron: "0 9 * * 1-5", timezone: Europe/Paris, catch_up: last}
  - webhook: {source: crm, events: [account.updated, account.created]}
steps:
  - id: a
    description: wait a little
    uses: core.sleep
    with: {duration: 5s}
    retry: {max_attempts: 1}
    timeout: 250ms
    compensate: {uses: core.log, with: {message: undo}, retry: {jitter: 0}, timeout: 1m}
    on_failure: pause
)Y",
     {}},
    {"an unknown top-level key",
     "name: demo\nversion: 1\nstpes: [{id: a, uses: core.noop}]\n",
     {"$: missing required property 'steps'",
      "$.stpes: unknown property 'stpes'; did you mean 'steps'?"}},
    {"an unknown step key",
     "name: demo\nversion: 1\nsteps: [{id: a, uses: core.noop, compensation: none}]\n",
     {"$.steps[0].compensation: unknown property 'compensation'; did you mean 'compensate'?"}},
    {"a bad duration",
     "name: demo\nversion: 1\nsteps: [{id: a, uses: core.noop, timeout: 30 sec}]\n",
     {"$.steps[0].timeout: '30 sec' does not match pattern '^[0-9]+(ms|s|m|h)$'"}},
    {"a duration written as a number",
     "name: demo\nversion: 1\ndefaults: {timeout: 30}\nsteps: [{id: a, uses: core.noop}]\n",
     {"$.defaults.timeout: expected string, got integer"}},
    {"retry mistakes",
     R"Y(
name: demo
version: 1
defaults:
  retry: {max_attempt: 3, multiplier: 0.5, jitter: 2, max_interval: 1 minute}
steps: [{id: a, uses: core.noop, retry: {max_attempts: 0}}]
)Y",
     {"$.defaults.retry.jitter: 2 is greater than the maximum 1",
      "$.defaults.retry.max_attempt: unknown property 'max_attempt'; did you mean 'max_attempts'?",
      "$.defaults.retry.max_interval: '1 minute' does not match pattern '^[0-9]+(ms|s|m|h)$'",
      "$.defaults.retry.multiplier: 0.5 is less than the minimum 1",
      "$.steps[0].retry.max_attempts: 0 is less than the minimum 1"}},
    {"compensate neither none nor an action",
     R"Y(
name: demo
version: 1
steps:
  - {id: a, uses: core.noop, compensate: nothing}
  - {id: b, uses: core.noop, compensate: {with: {}}}
  - {id: c, uses: core.noop, compensate: [core.noop]}
)Y",
     {"$.steps[0].compensate: must equal 'none', got 'nothing'",
      "$.steps[1].compensate: missing required property 'uses'",
      "$.steps[2].compensate: expected object, got array"}},
    {"header mistakes",
     "name: Demo-Flow\nversion: 0\nsteps: []\n",
     {"$.name: 'Demo-Flow' does not match pattern '^[a-z0-9_]+$'",
      "$.steps: expected at least 1 item, got 0", "$.version: 0 is less than the minimum 1"}},
    {"a quoted version is a string",
     "name: demo\nversion: \"1\"\nsteps: [{id: a, uses: core.noop}]\n",
     {"$.version: expected integer, got string"}},
    {"step mistakes",
     R"Y(
name: demo
version: 1
steps:
  - {id: A, uses: noop, on_failure: retry}
  - {uses: core.noop}
)Y",
     {"$.steps[0].id: 'A' does not match pattern '^[a-z0-9_]+$'",
      "$.steps[0].on_failure: 'retry' is not one of compensate, pause, continue",
      "$.steps[0].uses: 'noop' does not match pattern '^[a-z0-9_]+\\.[a-z0-9_]+$'",
      "$.steps[1]: missing required property 'id'"}},
    {"trigger mistakes",
     R"Y(
name: demo
version: 1
triggers:
  - cron: "* * * * *"
  - {http: {}, schedule: {cron: "* * * * *"}}
  - http: {path: /x}
  - webhook: {source: stripe, events: []}
  - schedule: {cron: "0 * * * *", catch_up: sometimes}
steps: [{id: a, uses: core.noop}]
)Y",
     {"$.triggers[0].cron: unknown property 'cron'",
      "$.triggers[1]: expected at most 1 property, got 2",
      "$.triggers[2].http.path: unknown property 'path'",
      "$.triggers[3].webhook.events: expected at least 1 item, got 0",
      "$.triggers[4].schedule.catch_up: 'sometimes' is not one of none, last, all"}},
    {"input schema mistakes",
     R"Y(
name: demo
version: 1
input:
  properties:
    company_name: {type: string, minLenght: 1}
    plan: {type: strng, format: emial}
steps: [{id: a, uses: core.noop}]
)Y",
     {"$.input.properties.company_name.minLenght: unknown property 'minLenght'; did you mean "
      "'minLength'?",
      "$.input.properties.plan.format: 'emial' is not one of email, uri, date-time, uuid",
      "$.input.properties.plan.type: 'strng' is not one of string, number, integer, boolean, "
      "object, array, 'null'"}},
};

}  // namespace

TEST_CASE("workflow schema: inline workflows", "[workflow_schema]") {
  const InputSchema& schema = workflow_schema();
  for (const WorkflowCase& c : kWorkflowCases) {
    INFO("case: " << c.name);
    const Json workflow = yaml_to_json(YAML::Load(c.yaml));
    CHECK(texts(schema.validate(workflow)) == c.expected);
  }
}
