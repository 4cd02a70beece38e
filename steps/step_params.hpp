// Small helpers the SaaS step handlers share for reading their resolved
// parameters and shaping outputs. Header-only, pure; any thread.
#pragma once

#include <string>

#include "engine/json.hpp"
#include "engine/step.hpp"
#include "steps/http_client.hpp"

namespace sagaflow::steps {

// A parameter as text: "" when absent or null; numbers and booleans as
// their JSON text.
inline std::string ParamText(const Json& params, const char* name) {
  auto it = params.find(name);
  if (it == params.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

inline bool ParamBool(const Json& params, const char* name, bool fallback) {
  auto it = params.find(name);
  if (it == params.end() || !it->is_boolean()) return fallback;
  return it->get<bool>();
}

// The parameter when it is an object, else an empty object.
inline Json ParamObject(const Json& params, const char* name) {
  auto it = params.find(name);
  if (it == params.end() || !it->is_object()) return Json::object();
  return *it;
}

inline bool HasParam(const Json& params, const char* name) {
  auto it = params.find(name);
  return it != params.end() && !it->is_null();
}

inline StepResult BadParameter(const std::string& name, const std::string& why) {
  return StepResult::Final("bad_parameter", name + ": " + why);
}

// A value as a metadata string: strings as they are, numbers and booleans as
// JSON text, objects and arrays as compact JSON; null stays null.
inline Json MetadataText(const Json& value) {
  if (value.is_null() || value.is_string()) return value;
  if (value.is_number_float()) {
    const double x = value.get<double>();
    if (x == static_cast<double>(static_cast<long long>(x))) {
      return std::to_string(static_cast<long long>(x));
    }
  }
  return value.dump();
}

// One path segment, percent-encoded.
inline std::string Segment(const std::string& text) {
  return UrlEncode(text);
}

}  // namespace sagaflow::steps
