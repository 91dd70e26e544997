// The xtensor interop layer (ctml::xtensor): zero-copy views between frames
// and xtensor arrays, in both directions.
//   - as_xtensor(column)              numeric column -> read-only 1-D xtensor view;
//   - frame_from_xtensor<Schema>(...) xtensor arrays (moved in) -> frame.
// Brings the core (ctml/ctml.hpp) too. Tests: tests/xtensor/.
#pragma once

#include "ctml/ctml.hpp"
#include "ctml/xtensor/column_view.hpp"
#include "ctml/xtensor/frame_from_xtensor.hpp"
