// `sagaflow start` and `sagaflow runs …`: the HTTP API from a terminal.
// Readable tables by default, the API's JSON with --json.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "engine/cli/api_client.hpp"
#include "engine/cli/commands.hpp"

namespace sagaflow::cli {
namespace {

struct Options {
  std::string url;
  bool json = false;
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;  // --name value
  bool dry_run = false;
};

// Flags that take a value; everything else starting with -- is a switch.
const std::vector<std::string> kValued = {"url",    "input",          "workflow", "status",
                                          "limit",  "after",          "reason",   "output",
                                          "params", "idempotency-key"};

std::optional<Options> ParseOptions(const std::vector<std::string>& args, std::string& error) {
  Options options;
  const char* env_url = std::getenv("SAGAFLOW_URL");
  options.url = env_url ? env_url : "http://127.0.0.1:8080";
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--json") {
      options.json = true;
    } else if (arg == "--dry-run") {
      options.dry_run = true;
    } else if (arg.rfind("--", 0) == 0) {
      const std::string name = arg.substr(2);
      if (std::find(kValued.begin(), kValued.end(), name) == kValued.end()) {
        error = "unknown option " + arg;
        return std::nullopt;
      }
      if (i + 1 >= args.size()) {
        error = arg + " needs a value";
        return std::nullopt;
      }
      options.values[name] = args[++i];
    } else {
      options.positional.push_back(arg);
    }
  }
  if (options.values.count("url")) options.url = options.values["url"];
  return options;
}

ApiClient Client(const Options& options) {
  const char* token = std::getenv("SAGAFLOW_TOKEN");
  return ApiClient(options.url, token ? token : "");
}

// Prints an API failure and returns the exit code for it.
int Failed(const ApiResult& result) {
  if (result.status == 0) {
    std::cerr << "sagaflow: cannot reach the server: " << result.transport_error << "\n";
    return 1;
  }
  if (result.body.is_object() && result.body.contains("error")) {
    const Json& error = result.body["error"];
    std::cerr << "sagaflow: " << result.status << " " << error.value("code", "") << ": "
              << error.value("message", "") << "\n";
    if (error.contains("details")) std::cerr << error["details"].dump(2) << "\n";
  } else {
    std::cerr << "sagaflow: HTTP " << result.status << "\n";
  }
  return 1;
}

std::string Cell(const Json& value) {
  if (value.is_null()) return "-";
  return value.is_string() ? value.get<std::string>() : value.dump();
}

void PrintRunTable(const Json& runs) {
  std::cout << std::left << std::setw(38) << "ID" << std::setw(28) << "WORKFLOW" << std::setw(14)
            << "STATUS" << std::setw(26) << "CREATED"
            << "REASON\n";
  for (const auto& run : runs) {
    std::cout << std::setw(38) << Cell(run["id"]) << std::setw(28)
              << (Cell(run["workflow"]) + " v" + Cell(run["version"])) << std::setw(14)
              << Cell(run["status"]) << std::setw(26) << Cell(run["created_at"])
              << (run.contains("reason") ? Cell(run["reason"]) : "") << "\n";
  }
}

void PrintRun(const Json& run) {
  std::cout << "run       " << Cell(run["id"]) << "\n"
            << "workflow  " << Cell(run["workflow"]) << " v" << Cell(run["version"]) << "\n"
            << "status    " << Cell(run["status"]) << "\n";
  if (!run["reason"].is_null()) std::cout << "reason    " << Cell(run["reason"]) << "\n";
  if (!run["error"].is_null()) std::cout << "error     " << run["error"].dump() << "\n";
  if (!run["output"].is_null()) std::cout << "output    " << run["output"].dump() << "\n";
  std::cout << "\n"
            << std::left << std::setw(24) << "STEP" << std::setw(12) << "PHASE" << std::setw(12)
            << "STATUS" << std::setw(10) << "ATTEMPTS"
            << "ERROR\n";
  for (const auto& step : run["steps"]) {
    std::cout << std::setw(24) << Cell(step["id"]) << std::setw(12) << Cell(step["phase"])
              << std::setw(12) << Cell(step["status"]) << std::setw(10) << Cell(step["attempts"])
              << (step["error"].is_null() ? "" : step["error"].value("message", "")) << "\n";
  }
}

void PrintHistory(const Json& events) {
  for (const auto& event : events) {
    std::cout << Cell(event["at"]) << "  " << std::left << std::setw(26) << Cell(event["type"])
              << (event.contains("step") ? Cell(event["step"]) : "")
              << (event.contains("attempt") ? " #" + Cell(event["attempt"]) : "") << "  "
              << event["data"].dump() << "\n";
  }
}

int Show(const Options& options, const ApiResult& result, void (*print)(const Json&)) {
  if (result.status < 200 || result.status >= 300) return Failed(result);
  if (options.json) {
    std::cout << result.body.dump(2) << "\n";
  } else {
    print(result.body);
  }
  return 0;
}

Json ReadInput(const std::string& source, std::string& error) {
  std::stringstream text;
  if (source == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream file(source);
    if (!file) {
      error = "cannot read " + source;
      return nullptr;
    }
    text << file.rdbuf();
  }
  Json input = Json::parse(text.str(), nullptr, false);
  if (input.is_discarded() || !input.is_object()) {
    error = source + " does not hold a JSON object";
    return nullptr;
  }
  return input;
}

}  // namespace

int Start(const std::vector<std::string>& args) {
  std::string error;
  auto options = ParseOptions(args, error);
  if (!options || options->positional.size() != 1) {
    std::cerr << "usage: sagaflow start WORKFLOW [--input FILE|-] [--idempotency-key KEY] "
                 "[--url URL] [--json]\n"
              << (error.empty() ? "" : "sagaflow: " + error + "\n");
    return 2;
  }
  Json input = Json::object();
  if (options->values.count("input")) {
    input = ReadInput(options->values["input"], error);
    if (input.is_null()) {
      std::cerr << "sagaflow: " << error << "\n";
      return 2;
    }
  }
  std::vector<std::string> headers;
  if (options->values.count("idempotency-key")) {
    headers.push_back("Idempotency-Key: " + options->values["idempotency-key"]);
  }
  const ApiResult result = Client(*options).Call(
      "POST", "/v1/workflows/" + QueryEscape(options->positional[0]) + "/runs",
      Json{{"input", input}}, headers);
  return Show(*options, result, [](const Json& body) { std::cout << Cell(body["id"]) << "\n"; });
}

int Runs(const std::vector<std::string>& args) {
  std::string error;
  auto options = ParseOptions(args, error);
  const std::string usage =
      "usage: sagaflow runs list [--workflow W] [--status S] [--limit N] [--after CURSOR]\n"
      "       sagaflow runs stuck\n"
      "       sagaflow runs show|history ID\n"
      "       sagaflow runs resume|retry-compensation|skip|cancel|pause|mark-resolved ID\n"
      "                 --reason WHY [--params JSON] [--output JSON] [--dry-run]\n"
      "options: --url URL (or SAGAFLOW_URL), --json; the token comes from SAGAFLOW_TOKEN\n";
  if (!options || options->positional.empty()) {
    std::cerr << usage << (error.empty() ? "" : "sagaflow: " + error + "\n");
    return 2;
  }
  const std::string command = options->positional[0];
  const ApiClient client = Client(*options);
  if (command == "list" || command == "stuck") {
    std::string query =
        "?limit=" + QueryEscape(options->values.count("limit") ? options->values["limit"] : "50");
    for (const char* key : {"workflow", "status", "after"}) {
      if (options->values.count(key))
        query += std::string("&") + key + "=" + QueryEscape(options->values[key]);
    }
    const std::string base = command == "stuck" ? "/admin/runs" : "/v1/runs";
    const ApiResult result = client.Call("GET", base + query);
    return Show(*options, result, [](const Json& body) {
      PrintRunTable(body["runs"]);
      if (!body["next"].is_null()) std::cout << "more: --after " << Cell(body["next"]) << "\n";
    });
  }
  if (options->positional.size() != 2) {
    std::cerr << usage;
    return 2;
  }
  const std::string id = QueryEscape(options->positional[1]);
  if (command == "show") return Show(*options, client.Call("GET", "/v1/runs/" + id), PrintRun);
  if (command == "history") {
    return Show(*options, client.Call("GET", "/admin/runs/" + id + "/history"),
                [](const Json& body) { PrintHistory(body["events"]); });
  }
  static const std::vector<std::string> kActions = {
      "resume", "retry-compensation", "skip", "cancel", "pause", "mark-resolved"};
  if (std::find(kActions.begin(), kActions.end(), command) == kActions.end()) {
    std::cerr << "sagaflow: unknown runs command '" << command << "'\n" << usage;
    return 2;
  }
  if (!options->values.count("reason")) {
    std::cerr << "sagaflow: " << command
              << " needs --reason WHY (it is recorded in the audit log)\n";
    return 2;
  }
  Json body{{"reason", options->values["reason"]}};
  for (const char* key : {"params", "output"}) {
    if (!options->values.count(key)) continue;
    Json value = Json::parse(options->values[key], nullptr, false);
    if (value.is_discarded()) {
      std::cerr << "sagaflow: --" << key << " is not valid JSON\n";
      return 2;
    }
    body[key] = value;
  }
  const std::string path =
      "/admin/runs/" + id + "/" + command + (options->dry_run ? "?dry_run=true" : "");
  return Show(*options, client.Call("POST", path, body),
              [](const Json& answer) { std::cout << answer.dump(2) << "\n"; });
}

}  // namespace sagaflow::cli
