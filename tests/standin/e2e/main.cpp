// Catch2's main for the end-to-end runs of the shipped workflows against the
// stand-in (they need the test PostgreSQL, like pg_tests).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
