// Small text helpers shared by configuration parsing and the HTTP steps.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sagaflow {

// ASCII lower case.
std::string Lower(std::string_view text);
// Without leading and trailing white space.
std::string_view Trim(std::string_view text);
// "a, b,,c" -> {"a", "b", "c"}: items trimmed, empty ones dropped.
std::vector<std::string> SplitComma(std::string_view text);

}  // namespace sagaflow
