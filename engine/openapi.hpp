// The OpenAPI 3 document of the whole HTTP API, served at /openapi.json.
// A test checks that every route the router answers is in it.
#pragma once

#include <string>

namespace sagaflow {

const std::string& OpenApiDocument();

}  // namespace sagaflow
