// The whole core layer (ctml::ctml): schema, frame, record, and -- as they
// land -- stages, pipelines, estimators, metrics and model selection.
// Core never includes I/O, network or database headers.
#pragma once

#include "ctml/schema/categorical_column.hpp"
#include "ctml/schema/column.hpp"
#include "ctml/schema/column_traits.hpp"
#include "ctml/schema/declared_category.hpp"
#include "ctml/schema/fixed_string.hpp"
#include "ctml/schema/frame.hpp"
#include "ctml/schema/frame_builder.hpp"
#include "ctml/schema/numeric_column.hpp"
#include "ctml/schema/record.hpp"
#include "ctml/schema/schema.hpp"
#include "ctml/version.hpp"
