// The JSON value type used across sagaflow: run inputs, step parameters and
// outputs, history events and HTTP bodies are all nlohmann::json values.
#pragma once

#include <nlohmann/json.hpp>

namespace sagaflow {
using Json = nlohmann::json;
}  // namespace sagaflow
