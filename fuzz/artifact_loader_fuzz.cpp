// libFuzzer target for the model-artifact loader: any bytes, read as the
// credit model. artifact_error is the expected way to say no; any other
// exception, crash or sanitizer report is a finding. Seed it with a real
// artifact (examples/save_load writes one) so mutations reach the deep checks.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <ctml/io.hpp>

#include "credit/credit_pipeline.hpp"

namespace {
using credit_model = decltype(credit::model().fit(std::declval<ctml::frame<credit::feature_schema>>(), ctml::label_span{}));
const std::string source = "fuzz.json";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auto artifact =
            ctml::from_artifact_json<credit_model>(std::string_view(reinterpret_cast<const char*>(data), size), source);
        // A file that loads must also score: exercise the restored state.
        ctml::record<credit::feature_schema> row;
        row.set<"Sex">(std::string("male")).set<"Housing">(std::string("own")).set<"Purpose">(std::string("car"));
        (void)artifact.model.predict_proba_row(row);
    } catch (const ctml::artifact_error&) {
    } catch (const std::invalid_argument&) {
        // Scoring the fixed row may meet categories the fuzzed model lacks: a clear error, not a finding.
    }
    return 0;
}
