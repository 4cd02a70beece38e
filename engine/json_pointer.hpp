// Turns a JSON pointer into the dotted path users read in messages:
// ("with", "/items/0/id") -> "with.items[0].id".
#pragma once

#include <string>

namespace sagaflow {

std::string DottedPath(const std::string& base, const std::string& pointer);

}  // namespace sagaflow
