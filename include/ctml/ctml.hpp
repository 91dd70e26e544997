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

#include "ctml/compose/column_group.hpp"
#include "ctml/compose/column_transformer.hpp"
#include "ctml/linear_model/logistic_objective.hpp"
#include "ctml/linear_model/logistic_regression.hpp"
#include "ctml/linear_model/solvers.hpp"
#include "ctml/pipeline/concepts.hpp"
#include "ctml/pipeline/feature_matrix.hpp"
#include "ctml/pipeline/fitted_pipeline.hpp"
#include "ctml/pipeline/pipeline.hpp"
#include "ctml/preprocessing/label_encoder.hpp"
#include "ctml/preprocessing/min_max_scaler.hpp"
#include "ctml/preprocessing/one_hot_encoder.hpp"
#include "ctml/preprocessing/simple_imputer.hpp"
#include "ctml/preprocessing/standard_scaler.hpp"
