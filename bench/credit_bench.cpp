// Google Benchmark programs for the credit pipeline: fit on the 800-row
// training split and on 1,000,000 rows (credit/resampled_credit.hpp, the same
// data the 1M-row convergence test fits), one record -> predict_proba (learned and declared
// categories), a 1000-row frame -> predict_proba, and parsing + checking the
// model artifact (from memory, so disk speed does not enter). CI runs each for one
// short iteration only, to prove they build and run; figures come from
// running this binary on a quiet machine (see docs/benchmarks.md).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include <ctml/ctml.hpp>
#include <ctml/io.hpp>

#include "credit/credit_pipeline.hpp"
#include "credit/resampled_credit.hpp"

namespace {

using namespace ctml;

// Declared categories (sorted, "missing" included for the nullable columns):
// the compile-time-width path.
using declared_schema = schema<
    column<"Age", std::int64_t>, column<"Sex", categories<"female", "male">>, column<"Job", std::int64_t>,
    column<"Housing", categories<"free", "own", "rent">>,
    column<"Saving accounts", nullable<categories<"little", "missing", "moderate", "quite rich", "rich">>>,
    column<"Checking account", nullable<categories<"little", "missing", "moderate", "rich">>>,
    column<"Credit amount", std::int64_t>, column<"Duration", std::int64_t>,
    column<"Purpose", categories<"business", "car", "domestic appliances", "education", "furniture/equipment",
                                 "radio/TV", "repairs", "vacation/others">>>;

struct credit_fixture {
    frame<credit::training_schema> data = read_csv<credit::training_schema>(CTML_DATASET);
    frame<declared_schema> declared = read_csv<declared_schema>(CTML_DATASET);
    std::vector<int> y = label_encoder{}.fit(data.column<"Risk">()).transform(data.column<"Risk">());
    split_indices split = train_test_split(y, {.test_size = 0.2, .seed = 42});
    frame<credit::training_schema> train = data.take(split.train);
    std::vector<int> y_train = take(y, split.train);
};

const credit_fixture& fixture() {
    static const credit_fixture f;
    return f;
}

void fit_800_rows(benchmark::State& state) {
    const auto& f = fixture();
    const auto model = credit::model();
    for (auto _ : state) {
        auto fitted = model.fit(f.train, f.y_train);
        benchmark::DoNotOptimize(fitted);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(f.train.rows()));
}
BENCHMARK(fit_800_rows)->Unit(benchmark::kMicrosecond);

void fit_1m_rows(benchmark::State& state) {
    const auto& f = fixture();
    static const auto big = credit::resample_credit(f.data, f.y, 1'000'000);
    const auto model = credit::model();
    int iterations = 0;
    for (auto _ : state) {
        auto fitted = model.fit(big.x, big.y);
        iterations = fitted.last_step().n_iter();
        benchmark::DoNotOptimize(fitted);
    }
    state.counters["newton_steps"] = iterations;
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(big.x.rows()));
}
BENCHMARK(fit_1m_rows)->Unit(benchmark::kMillisecond)->Iterations(1);

void one_record_learned_categories(benchmark::State& state) {
    const auto& f = fixture();
    const auto fitted = credit::model().fit(f.data, f.y);
    const auto row = f.data.row(1);
    for (auto _ : state) {
        auto p = fitted.predict_proba_row(row);
        benchmark::DoNotOptimize(p);
    }
}
BENCHMARK(one_record_learned_categories)->Unit(benchmark::kNanosecond);

void one_record_declared_categories(benchmark::State& state) {
    const auto& f = fixture();
    const auto fitted = credit::model().fit(f.declared, f.y);
    const auto row = f.declared.row(1);
    for (auto _ : state) {
        auto p = fitted.predict_proba_row(row);
        benchmark::DoNotOptimize(p);
    }
}
BENCHMARK(one_record_declared_categories)->Unit(benchmark::kNanosecond);

void frame_1000_rows(benchmark::State& state) {
    const auto& f = fixture();
    const auto fitted = credit::model().fit(f.data, f.y);
    for (auto _ : state) {
        auto p = fitted.predict_proba(f.data);
        benchmark::DoNotOptimize(p.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(f.data.rows()));
}
BENCHMARK(frame_1000_rows)->Unit(benchmark::kMicrosecond);

void load_credit_artifact(benchmark::State& state) {
    const auto& f = fixture();
    const auto features = f.data.select<credit::feature_schema>();
    const auto fitted = credit::model().fit(features, f.y);
    const std::string text = to_artifact_json(fitted, describe_training_data(features, fitted));
    for (auto _ : state) {
        auto artifact = from_artifact_json<decltype(fitted)>(text, "bench");
        benchmark::DoNotOptimize(artifact);
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(load_credit_artifact)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
