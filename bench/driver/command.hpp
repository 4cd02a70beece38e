// Running a helper program (pgbench, wrk, perf) and reading its output.
#pragma once

#include <optional>
#include <string>

namespace bench {

// Runs `command` through /bin/sh; returns stdout and stderr together.
// Throws std::runtime_error when it exits non-zero.
std::string RunCommand(const std::string& command);

// The number after `label` in `text` (e.g. "tps = " -> 156.7), if present.
std::optional<double> NumberAfter(const std::string& text, const std::string& label);

// Single-quotes a string for the shell.
std::string ShellQuote(const std::string& text);

}  // namespace bench
