// The io layer (ctml::io): the core plus typed CSV reading and writing
// (pandas' read_csv / to_csv with the dtypes fixed by a schema: csv_reader.hpp,
// csv_chunk_range.hpp, csv_writer.hpp) and the model artifact (save / load of
// fitted pipelines: model_artifact.hpp, docs/artifact.md).
// Examples: examples/credit/data_summary.cpp, examples/save_load.cpp.
#pragma once

#include "ctml/ctml.hpp"
#include "ctml/io/cell_parser.hpp"
#include "ctml/io/csv_chunk_range.hpp"
#include "ctml/io/csv_error.hpp"
#include "ctml/io/csv_options.hpp"
#include "ctml/io/csv_reader.hpp"
#include "ctml/io/csv_record_reader.hpp"
#include "ctml/io/csv_writer.hpp"
#include "ctml/io/artifact_error.hpp"
#include "ctml/io/atomic_file.hpp"
#include "ctml/io/model_artifact.hpp"
#include "ctml/io/pipeline_fingerprint.hpp"
#include "ctml/io/stage_codec.hpp"
