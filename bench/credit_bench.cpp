// Google Benchmark programs for the credit pipeline: fit on the 800-row
// training split and on 1,000,000 rows (credit/resampled_credit.hpp, the same
// data the 1M-row convergence test fits), one record -> predict_proba (learned and declared
// categories), a 1000-row frame -> predict_proba, and parsing + checking the
// model artifact (from memory, so disk speed does not enter). CI runs each for one
// short iteration only, to prove they build and run; figures come from
// running this binary on a quiet machine (see docs/benchmarks.md).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <ctml/ctml.hpp>
#include <ctml/io.hpp>

#include "credit/credit_pipeline.hpp"
#include "credit/resampled_credit.hpp"
#include "credit/score_response.hpp"
#include "hand_scorer.hpp"

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

// The zero-overhead reference: the same model as straight-line code (hand_scorer.hpp).
void one_record_hand_written(benchmark::State& state) {
    const auto& f = fixture();
    const auto features = f.data.select<credit::feature_schema>();
    const auto fitted = credit::model().fit(features, f.y);
    const bench::hand_scorer scorer(fitted);
    const auto row = features.row(1);
    for (auto _ : state) {
        auto p = scorer.predict_proba(row);
        benchmark::DoNotOptimize(p);
    }
}
BENCHMARK(one_record_hand_written)->Unit(benchmark::kNanosecond);

void one_record_learned_categories_features_only(benchmark::State& state) {
    const auto& f = fixture();
    const auto features = f.data.select<credit::feature_schema>();
    const auto fitted = credit::model().fit(features, f.y);
    const auto row = features.row(1);
    for (auto _ : state) {
        auto p = fitted.predict_proba_row(row);
        benchmark::DoNotOptimize(p);
    }
}
BENCHMARK(one_record_learned_categories_features_only)->Unit(benchmark::kNanosecond);

// Scaling curves: rows resampled from the data set (as fit_1m_rows), 10^3 .. 10^6.
const credit::resampled_credit& resampled(std::size_t rows) {
    static std::map<std::size_t, credit::resampled_credit> cache;
    auto it = cache.find(rows);
    if (it == cache.end()) it = cache.emplace(rows, credit::resample_credit(fixture().data, fixture().y, rows)).first;
    return it->second;
}

void fit_scaling(benchmark::State& state) {
    const auto& data = resampled(static_cast<std::size_t>(state.range(0)));
    const auto model = credit::model();
    for (auto _ : state) {
        auto fitted = model.fit(data.x, data.y);
        benchmark::DoNotOptimize(fitted);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(fit_scaling)->RangeMultiplier(10)->Range(1000, 1'000'000)->Unit(benchmark::kMillisecond);

void predict_proba_scaling(benchmark::State& state) {
    const auto& data = resampled(static_cast<std::size_t>(state.range(0)));
    const auto fitted = credit::model().fit(resampled(1000).x, resampled(1000).y);
    for (auto _ : state) {
        auto p = fitted.predict_proba(data.x);
        benchmark::DoNotOptimize(p.data());
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(predict_proba_scaling)->RangeMultiplier(10)->Range(1000, 1'000'000)->Unit(benchmark::kMillisecond);

// From the files ctml_bench_data writes (the peer reads the same ones): set CTML_BENCH_DATA.
std::filesystem::path bench_file(benchmark::State& state, const char* name) {
    const char* dir = std::getenv("CTML_BENCH_DATA");
    if (!dir || !std::filesystem::exists(std::filesystem::path(dir) / name)) {
        state.SkipWithError("set CTML_BENCH_DATA to a directory written by ctml_bench_data");
        return {};
    }
    return std::filesystem::path(dir) / name;
}

void csv_1m_rows_to_frame(benchmark::State& state) {
    const auto path = bench_file(state, "credit_1m.csv");
    if (path.empty()) return;
    for (auto _ : state) {
        auto frame = read_csv<credit::training_schema>(path);
        benchmark::DoNotOptimize(frame);
    }
    state.SetItemsProcessed(state.iterations() * 1'000'000);
}
BENCHMARK(csv_1m_rows_to_frame)->Unit(benchmark::kMillisecond);

// The 1M-row scoring file's features, read once for the benchmarks that score them; null
// (and the benchmark skipped) without CTML_BENCH_DATA.
const frame<credit::feature_schema>* scoring_rows_1m(benchmark::State& state) {
    static std::optional<frame<credit::feature_schema>> rows;
    if (!rows) {
        const auto path = bench_file(state, "credit_1m.csv");
        if (path.empty()) return nullptr;
        rows = read_csv<credit::training_schema>(path).select<credit::feature_schema>();
    }
    return &*rows;
}

void in_memory_1m_rows(benchmark::State& state) {
    const auto* rows = scoring_rows_1m(state);
    if (rows == nullptr) return;
    const auto& big = *rows;
    const auto& f = fixture();
    const auto fitted = credit::model().fit(f.data.select<credit::feature_schema>(), f.y);
    for (auto _ : state) {
        auto p = fitted.predict_proba(big);
        benchmark::DoNotOptimize(p.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(big.rows()));
}
BENCHMARK(in_memory_1m_rows)->Unit(benchmark::kMillisecond);

// The zero-overhead reference for the same frame: hand_scorer's one pass over the columns.
void in_memory_1m_rows_hand_written(benchmark::State& state) {
    const auto* rows = scoring_rows_1m(state);
    if (rows == nullptr) return;
    const auto& big = *rows;
    const auto& f = fixture();
    const auto fitted = credit::model().fit(f.data.select<credit::feature_schema>(), f.y);
    const bench::hand_scorer scorer(fitted);
    for (auto _ : state) {
        auto p = scorer.predict_proba(big);
        benchmark::DoNotOptimize(p.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(big.rows()));
}
BENCHMARK(in_memory_1m_rows_hand_written)->Unit(benchmark::kMillisecond);

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

// One POST /score request body -> response body, as credit-serve does it
// (parse, score, serialize; no network): the service's own work per request,
// with the body bench/compare.py gives wrk.
void post_score_body_to_response(benchmark::State& state) {
    const auto& f = fixture();
    const auto fitted = credit::model().fit(f.data.select<credit::feature_schema>(), f.y);
    const std::string body =
        R"({"data": {"Age": [20], "Sex": ["male"], "Job": [0], "Housing": ["own"], "Saving accounts": ["little"],)"
        R"( "Checking account": ["little"], "Credit amount": [100], "Duration": [48], "Purpose": ["radio/TV"]}})";
    const missing_token_set missing({"NA"});
    std::size_t rows = 0;
    for (auto _ : state) {
        auto response = credit::score_response(fitted, body, missing, rows);
        benchmark::DoNotOptimize(response.data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(post_score_body_to_response)->Unit(benchmark::kNanosecond);

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
