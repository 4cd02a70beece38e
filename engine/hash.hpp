// SHA-256 as lowercase hex, for content hashes and request fingerprints.
#pragma once

#include <string>

namespace sagaflow {

std::string Sha256Hex(const std::string& text);

}  // namespace sagaflow
