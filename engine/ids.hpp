// Random identifiers: run ids (UUID v4) and process ids for lease owners.
#pragma once

#include <string>

namespace sagaflow {

std::string NewUuid();
bool LooksLikeUuid(const std::string& text);

}  // namespace sagaflow
