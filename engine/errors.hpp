// Typed runtime faults. Bugs are std::logic_error; bad definitions are
// Diagnostics; these are the faults of a running engine that callers handle:
// a database that went away, a lease taken over, a conflicting write.
#pragma once

#include <stdexcept>
#include <string>

namespace sagaflow {

// The database could not be reached or the connection broke; retry later.
class StoreUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Another process claimed the run since we did; drop it without writing.
class LeaseLost : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The write contradicts what is stored (e.g. a changed definition under an
// existing version, an idempotency key reused with another request).
class Conflict : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A serialization failure or deadlock; the same work may simply be retried.
class RetryableStoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace sagaflow
