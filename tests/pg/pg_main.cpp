// Catch2's main for the tests that need PostgreSQL and sagaflow processes.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
