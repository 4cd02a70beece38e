// Folds consecutive transitions of one run into the single Transition that
// has the same effect, so steps that change nothing outside the run (see
// Action::changes_outside_state) can share one commit. The rule that keeps
// this safe lives in the executor: the batch is committed before any step
// that touches the outside world runs, and before the run is let go.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/run_model.hpp"

namespace sagaflow {

class TransitionBatch {
 public:
  // Adds the transition that follows the ones already added. `status_before`
  // is the run's status before it (kept for the status-change metrics).
  void Add(Transition transition, const std::string& status_before);

  bool empty() const { return count_ == 0; }
  int count() const { return count_; }
  // The one transition equal to all added so far, applied in order.
  const Transition& merged() const { return merged_; }
  // Each added transition's (status before, status after).
  const std::vector<std::pair<std::string, std::string>>& status_changes() const {
    return status_changes_;
  }
  void Clear();

 private:
  Transition merged_;
  int count_ = 0;
  std::vector<std::pair<std::string, std::string>> status_changes_;
};

}  // namespace sagaflow
