// The artifact knows no stage by name: a stage defined here, in a test, saves
// and loads through the generic codec as soon as it models the stage protocol.
// It is at version 2 and reads its version-1 files through upgrade().
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include <boost/hana/adapt_struct.hpp>
#include <boost/hana/define_struct.hpp>
#include <nlohmann/json.hpp>

#include <ctml/io.hpp>

#include "support/sklearn_fixture.hpp"

namespace test_stage {

using namespace ctml;

enum class centre { mean, midrange };
constexpr auto enum_names(centre) {
    return std::to_array<enum_name<centre>>({{centre::mean, "mean"}, {centre::midrange, "midrange"}});
}

template <class In>
class fitted_centerer;

/// Subtracts a per-feature centre and multiplies by `gain`: a stage only this test knows.
struct centerer {
    static constexpr stage_kind kind = stage_kind::transformer;
    static constexpr std::string_view stage_name = "test_centerer";
    centre method = centre::mean;
    double gain = 1.0;
    [[nodiscard]] bool operator==(const centerer&) const = default;
    template <table In>
    [[nodiscard]] fitted_centerer<In> fit(const In& x) const {
        return fitted_centerer<In>::learn(*this, x);
    }
};

}  // namespace test_stage

BOOST_HANA_ADAPT_STRUCT(test_stage::centerer, method, gain);

namespace test_stage {

template <class In>
class fitted_centerer {
public:
    static constexpr int width = dynamic_width;
    static constexpr int version = 2;  // version 2 added `rows`
    using params_type = centerer;
    using output_type = feature_matrix<>;

    struct state_type {
        BOOST_HANA_DEFINE_STRUCT(state_type, (Eigen::RowVectorXd, centres), (std::size_t, rows), (std::vector<std::string>, notes));
    };

    static fitted_centerer learn(const centerer& p, const In& x) {
        state_type s{Eigen::RowVectorXd(x.cols()), static_cast<std::size_t>(x.rows()), {"fitted in a test"}};
        for (Eigen::Index j = 0; j < x.cols(); ++j)
            s.centres(j) = p.method == centre::mean ? x.col(j).mean() : (x.col(j).minCoeff() + x.col(j).maxCoeff()) / 2;
        return restore(p, std::move(s));
    }
    static fitted_centerer restore(const centerer& p, state_type s) {
        if (!(p.gain > 0)) throw invalid_state(centerer::stage_name, "params.gain", "gain must be positive");
        if (s.centres.size() == 0) throw invalid_state(centerer::stage_name, "state.centres", "needs a centre");
        return fitted_centerer(p, std::move(s));
    }
    /// Version 1 did not record the row count.
    static void upgrade(int from, centerer&, state_type& s) {
        if (from == 1) s.notes.push_back("upgraded from version 1");
    }

    [[nodiscard]] const centerer& params() const { return params_; }
    [[nodiscard]] const state_type& state() const { return state_; }
    [[nodiscard]] int n_features_in() const { return static_cast<int>(state_.centres.size()); }
    [[nodiscard]] int n_features_out() const { return static_cast<int>(state_.centres.size()); }
    [[nodiscard]] output_type transform(const In& x) const {
        output_type out(x.rows(), x.cols());
        transform_into(x, out);
        return out;
    }
    void transform_into(const In& x, feature_block out) const {
        out = ((x.rowwise() - state_.centres) * params_.gain);
    }
    void transform_row_into(const feature_row<>& r, feature_row_block out) const {
        out = (r - state_.centres) * params_.gain;
    }
    [[nodiscard]] std::vector<feature_origin> feature_origins(std::span<const feature_origin> inputs) const {
        return {inputs.begin(), inputs.end()};
    }

private:
    fitted_centerer(const centerer& p, state_type s) : params_(p), state_(std::move(s)) {}
    centerer params_;
    state_type state_;
};

}  // namespace test_stage

using namespace ctml;

TEST_CASE("a stage defined only in a test round-trips through the generic codec", "[io][artifact]") {
    STATIC_REQUIRE(fitted_stage<test_stage::fitted_centerer<feature_matrix<>>>);
    const feature_matrix<> x =
        standard_scaler{}.fit(test_support::credit_data().select<"Age", "Duration">()).transform(
            test_support::credit_data().select<"Age", "Duration">());
    const auto model = (test_stage::centerer{.method = test_stage::centre::midrange, .gain = 2.5} | logistic_regression{})
                           .fit(x, test_support::credit_labels());
    using fitted = decltype(model);
    const auto text = to_artifact_json(model, training_statistics{});
    const auto doc = nlohmann::ordered_json::parse(text);
    CHECK(doc["steps"][0]["stage"] == "test_centerer");
    CHECK(doc["steps"][0]["version"] == 2);
    CHECK(doc["steps"][0]["params"]["method"] == "midrange");

    const auto loaded = from_artifact_json<fitted>(text, "model.json").model;
    CHECK(loaded.params() == model.params());
    const auto a = model.predict_proba(x), b = loaded.predict_proba(x);
    CHECK(std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0);
    CHECK(loaded.step<0>().state().notes == std::vector<std::string>{"fitted in a test"});

    const auto error = [&](const nlohmann::ordered_json& d) {
        try {
            (void)from_artifact_json<fitted>(d.dump(), "model.json");
            return std::string();
        } catch (const artifact_error& e) {
            return std::string(e.what());
        }
    };
    SECTION("a version-1 step is read through upgrade(), its missing members at their defaults") {
        auto old = doc;
        old["steps"][0]["version"] = 1;
        old["steps"][0]["state"].erase("rows");
        const auto upgraded = from_artifact_json<fitted>(old.dump(), "model.json").model;
        CHECK(upgraded.step<0>().state().rows == 0);
        CHECK(upgraded.step<0>().state().notes.back() == "upgraded from version 1");
    }
    SECTION("a newer step version, an unknown enum name and a broken invariant are refused by path") {
        auto d = doc;
        d["steps"][0]["version"] = 3;
        CHECK_THAT(error(d), Catch::Contains("steps[0].version: test_centerer version 3 is newer than this build reads (2)"));
        d = doc;
        d["steps"][0]["params"]["method"] = "median";
        CHECK_THAT(error(d), Catch::Contains("steps[0].params.method: expected one of \"mean\", \"midrange\", found \"median\""));
        d = doc;
        d["steps"][0]["params"]["gain"] = 0.0;
        CHECK_THAT(error(d), Catch::Contains("steps[0].params.gain: gain must be positive"));
        d = doc;
        d["steps"][0]["state"].erase("rows");  // at the current version every member is required
        CHECK_THAT(error(d), Catch::Contains("steps[0].state: missing field \"rows\""));
    }
}
