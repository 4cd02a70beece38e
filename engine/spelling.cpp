#include "engine/spelling.hpp"

#include <algorithm>

namespace sagaflow {

size_t EditDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment distance over a full table; words are short.
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = 0;
  bool tied = false;
  for (const auto& candidate : candidates) {
    const size_t distance = EditDistance(word, candidate);
    if (best.empty() || distance < best_distance) {
      best = candidate;
      best_distance = distance;
      tied = false;
    } else if (distance == best_distance && candidate != best) {
      tied = true;
    }
  }
  // Two equally close candidates: a guess would mislead as often as help.
  if (best.empty() || tied) return std::string();
  // A typo is judged on what follows the shared beginning: "core.wait" is not
  // a slip for "core.fail", though the whole names are alike. A third of
  // that part, one to three edits: "retyr" -> "retry" but not "foo" -> "with".
  size_t shared = 0;
  while (shared < word.size() && shared < best.size() && word[shared] == best[shared]) ++shared;
  const size_t allowed = std::clamp<size_t>((word.size() - shared) / 3, 1, 3);
  // And something of the word must survive: "b" is no slip for "a".
  return best_distance <= allowed && best_distance < word.size() ? best : std::string();
}

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string match = ClosestMatch(word, candidates);
  return match.empty() ? std::string() : " (did you mean '" + match + "'?)";
}

}  // namespace sagaflow
