// The step-type registry: every `uses:` name a workflow may write, with the
// parameters it takes (checked when a definition loads), whether it changes
// outside state (and so needs `compensate:`), and the handler that runs it.
//
// The registry is filled once at start-up (see steps/builtin_steps.cpp, the
// one visible list of built-in families) and read-only afterwards, so any
// thread may read it.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "engine/json.hpp"
#include "engine/step.hpp"

namespace sagaflow {

enum class ParamType { kString, kInteger, kNumber, kBoolean, kObject, kArray, kDuration, kAny };
const char* ParamTypeName(ParamType type);

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kAny;
  bool required = false;
  Json default_value;  // null: no default
  std::string description;
};

struct StepType {
  std::string name;  // "family.action"
  std::string description;
  std::vector<ParamSpec> params;
  // core.noop takes any parameters at all.
  bool accepts_any_params = false;
  // Whether running it changes outside state, given its (unresolved) `with:`.
  // Most types answer the same for any parameters; http.request looks at its
  // method. A read-only step needs no compensation.
  std::function<bool(const Json& with)> changes_outside_state;
  StepHandler handler;

  const ParamSpec* FindParam(const std::string& param) const;
};

class StepRegistry {
 public:
  // Registering the same name twice is a programming error and throws.
  void Register(StepType type);

  const StepType* Find(const std::string& name) const;
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, StepType> types_;
};

// Convenience for type declarations: always/never changes outside state.
std::function<bool(const Json&)> ChangesOutsideState(bool changes);

}  // namespace sagaflow
