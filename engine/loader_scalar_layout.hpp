// Internal to the loader: where each byte of a scalar's value was written.
// yaml-cpp records only where a node starts, but expression and cron errors
// must point at one character inside a string, and quotes, escapes (\" or
// ''), line folding and block-scalar indentation move characters away from
// "start + offset".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/diagnostics.hpp"

namespace sagaflow::loader {

struct ScalarLayout {
  std::vector<SourceLocation> at;  // where each byte of the value was written
  bool closed = true;              // false: a quoted scalar that runs to the end of the file
};

// Lays `value` (the scalar's text as yaml-cpp decoded it) over `lines`,
// starting at the node's mark `start`. Returns nullopt when the source does
// not read as that value (e.g. a tag or anchor before the scalar); callers
// then fall back to the node's own location.
std::optional<ScalarLayout> LayOutScalar(const std::vector<std::string>& lines,
                                         SourceLocation start, const std::string& value);

}  // namespace sagaflow::loader
