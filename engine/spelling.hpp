// "Did you mean" suggestions for misspelt keys, step types and names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sagaflow {

// Edit distance (insert, delete, substitute, swap of neighbours).
size_t EditDistance(std::string_view a, std::string_view b);

// The closest candidate when it is close enough to be a plausible typo,
// otherwise an empty string.
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "" — ready to append to a message.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace sagaflow
