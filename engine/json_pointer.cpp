#include "engine/json_pointer.hpp"

namespace sagaflow {

std::string DottedPath(const std::string& base, const std::string& pointer) {
  std::string path = base;
  size_t start = 1;
  while (!pointer.empty() && start <= pointer.size()) {
    size_t slash = pointer.find('/', start);
    if (slash == std::string::npos) slash = pointer.size();
    std::string segment = pointer.substr(start, slash - start);
    for (size_t i = 0; (i = segment.find('~', i)) != std::string::npos; ++i) {
      segment.replace(i, 2, segment.compare(i, 2, "~1") == 0 ? "/" : "~");
    }
    const bool index =
        !segment.empty() && segment.find_first_not_of("0123456789") == std::string::npos;
    path += index ? "[" + segment + "]" : (path.empty() ? "" : ".") + segment;
    start = slash + 1;
  }
  return path;
}

}  // namespace sagaflow
