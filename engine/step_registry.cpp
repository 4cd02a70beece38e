#include "engine/step_registry.hpp"

#include <stdexcept>

namespace sagaflow {

const char* ParamTypeName(ParamType type) {
  switch (type) {
    case ParamType::kString:
      return "string";
    case ParamType::kInteger:
      return "integer";
    case ParamType::kNumber:
      return "number";
    case ParamType::kBoolean:
      return "boolean";
    case ParamType::kObject:
      return "object";
    case ParamType::kArray:
      return "array";
    case ParamType::kDuration:
      return "duration";
    case ParamType::kAny:
      return "any";
  }
  return "any";
}

const ParamSpec* StepType::FindParam(const std::string& param) const {
  for (const auto& spec : params) {
    if (spec.name == param) return &spec;
  }
  return nullptr;
}

void StepRegistry::Register(StepType type) {
  if (!type.changes_outside_state) type.changes_outside_state = ChangesOutsideState(true);
  const std::string name = type.name;
  if (!types_.emplace(name, std::move(type)).second) {
    throw std::logic_error("step type registered twice: " + name);
  }
}

const StepType* StepRegistry::Find(const std::string& name) const {
  auto it = types_.find(name);
  return it == types_.end() ? nullptr : &it->second;
}

std::vector<std::string> StepRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, type] : types_) names.push_back(name);
  return names;
}

std::function<bool(const Json&)> ChangesOutsideState(bool changes) {
  return [changes](const Json&) { return changes; };
}

}  // namespace sagaflow
