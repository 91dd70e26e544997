// The model artifact: exact round trips for the credit pipeline and for every
// stage alone, and one test per way a file can be untrustworthy, each checking
// that the message names the problem and where it is.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include <ctml/io.hpp>

#include "credit/credit_pipeline.hpp"

using namespace ctml;
namespace fs = std::filesystem;

namespace {

const frame<credit::training_schema>& credit_data() {
    static const auto data = read_csv<credit::training_schema>(CTML_TEST_DATA_DIR "/german_credit_data.csv");
    return data;
}
frame<credit::feature_schema> credit_features() { return credit_data().select<credit::feature_schema>(); }
const std::vector<int>& credit_labels() {
    static const auto y = label_encoder{}.fit(credit_data().column<"Risk">()).transform(credit_data().column<"Risk">());
    return y;
}

fs::path scratch(const std::string& name) {
    const auto dir = fs::temp_directory_path() / "ctml_artifact_tests";
    fs::create_directories(dir);
    return dir / name;
}

template <class Derived>
bool bitwise_equal(const Eigen::MatrixBase<Derived>& a, const Eigen::MatrixBase<Derived>& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.derived().data(), b.derived().data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}

using credit_model = decltype(credit::model().fit(std::declval<frame<credit::feature_schema>>(), label_span{}));

const credit_model& fitted_credit_model() {
    static const credit_model model = credit::model().fit(credit_features(), credit_labels());
    return model;
}

/// The credit artifact as editable JSON.
nlohmann::ordered_json credit_artifact_json() {
    const auto& model = fitted_credit_model();
    return nlohmann::ordered_json::parse(
        to_artifact_json(model, describe_training_data(credit_features(), model), {{"commit", "abc123"}}));
}

/// Loads `doc` as a credit model and returns the error message ("" if it loaded).
std::string load_error(const std::string& text) {
    try {
        (void)from_artifact_json<credit_model>(text, "model.json");
        return "";
    } catch (const artifact_error& e) {
        return e.what();
    }
}
std::string load_error(const nlohmann::ordered_json& doc) { return load_error(doc.dump()); }

}  // namespace

TEST_CASE("the credit model round-trips bit for bit", "[io][artifact]") {
    const auto& model = fitted_credit_model();
    const auto stats = describe_training_data(credit_features(), model);
    const auto path = scratch("credit.json");
    save(model, path, stats, {{"data_sha256", "0eb5e4b3"}, {"C", "1"}});
    CHECK_FALSE(fs::exists(fs::path(path).concat(".partial")));

    const auto artifact = load<credit_model>(path);
    CHECK(bitwise_equal(artifact.model.predict_proba(credit_features()), model.predict_proba(credit_features())));
    CHECK(bitwise_equal(artifact.model.last_step().coef(), model.last_step().coef()));
    CHECK(artifact.model.last_step().intercept() == model.last_step().intercept());
    for (std::size_t i = 0; i < 1000; i += 97)
        CHECK(artifact.model.predict_proba_row(credit_features().row(i)) == model.predict_proba_row(credit_features().row(i)));
    CHECK(artifact.statistics == stats);
    CHECK(artifact.lineage == lineage_map{{"data_sha256", "0eb5e4b3"}, {"C", "1"}});
    CHECK(artifact.library_version == version_string);
    CHECK(artifact.model.params() == model.params());
    CHECK(artifact.model.feature_names_out() == model.feature_names_out());
}

TEST_CASE("training statistics describe the training data", "[io][artifact]") {
    const auto stats = describe_training_data(credit_features(), fitted_credit_model());
    CHECK(stats.rows == 1000);
    REQUIRE(stats.numeric.size() == 4);
    const auto& age = stats.numeric[0];
    CHECK(age.name == "Age");
    CHECK(age.count == 1000);
    CHECK(age.min == 19);
    CHECK(age.max == 75);
    CHECK(age.mean == Approx(35.546));
    REQUIRE(age.decile_edges.size() == 11);
    CHECK(age.decile_edges.front() == 19);
    CHECK(age.decile_edges.back() == 75);
    std::size_t total = 0;
    for (auto c : age.decile_counts) total += c;
    CHECK(total == 1000);
    REQUIRE(stats.categorical.size() == 5);
    const auto& saving = stats.categorical[2];
    CHECK(saving.name == "Saving accounts");
    CHECK(saving.missing == 183);
    CHECK(saving.frequencies.front() == std::pair<std::string, std::size_t>{"little", 603});
    REQUIRE(stats.features.size() == 26);
    CHECK(stats.features[0].name == "num__Age");
    CHECK(stats.features[0].mean == Approx(0.0).margin(1e-12));  // scaled Age is centred
    CHECK(stats.features[4].mean == Approx(0.31));               // share of "female"
}

TEST_CASE("every stage alone round-trips bit for bit", "[io][artifact]") {
    const auto numbers = credit_data().select<"Age", "Job", "Credit amount", "Duration">();
    const auto categories = credit_data().select<"Sex", "Housing", "Saving accounts", "Checking account", "Purpose">();

    const auto check = [](const std::string& name, const auto& fitted, const auto& input) {
        INFO(name);
        const auto path = scratch(name + ".json");
        save(fitted, path, training_statistics{});
        const auto loaded = load<std::remove_cvref_t<decltype(fitted)>>(path).model;
        const auto a = fitted.transform(input);
        const auto b = loaded.transform(input);
        if constexpr (frame_type<std::remove_cvref_t<decltype(a)>>) {
            for (std::size_t i = 0; i < a.rows(); ++i) REQUIRE(a.row(i) == b.row(i));
        } else {
            CHECK(bitwise_equal(a, b));
        }
        CHECK(loaded.params() == fitted.params());
    };
    check("standard_scaler", make_pipeline(standard_scaler{.with_mean = false}).fit(numbers), numbers);
    check("min_max_scaler", make_pipeline(min_max_scaler{.range_min = -1, .range_max = 2}).fit(numbers), numbers);
    check("simple_imputer", make_pipeline(simple_imputer{.strategy = impute_strategy::most_frequent}).fit(categories),
          categories);
    check("simple_imputer_numeric", make_pipeline(simple_imputer{.strategy = impute_strategy::median}).fit(numbers),
          numbers);
    const auto imputed = simple_imputer{.strategy = impute_strategy::constant}.fit(categories).transform(categories);
    check("one_hot_encoder", make_pipeline(one_hot_encoder{.handle_unknown = unknown_category::ignore}).fit(imputed), imputed);
    check("column_transformer",
          make_pipeline(column_transformer{remainder_passthrough, on<"Age">("age", min_max_scaler{})}).fit(numbers),
          numbers);

    const feature_matrix<> features = credit::preprocessing().fit(credit_features()).transform(credit_features());
    const auto lr = make_pipeline(logistic_regression{.C = 0.5, .class_weight = class_weighting::balanced})
                        .fit(features, credit_labels());
    save(lr, scratch("logistic_regression.json"), training_statistics{});
    const auto lr_loaded = load<std::remove_cvref_t<decltype(lr)>>(scratch("logistic_regression.json")).model;
    CHECK(bitwise_equal(lr_loaded.predict_proba(features), lr.predict_proba(features)));
    CHECK(lr_loaded.params() == lr.params());
}

TEST_CASE("a pipeline with declared categories round-trips with its compile-time width", "[io][artifact]") {
    using declared = schema<column<"Sex", categories<"female", "male">>,
                            column<"Saving accounts", nullable<categories<"little", "missing", "moderate", "quite rich", "rich">>>>;
    const auto data = read_csv<declared>(CTML_TEST_DATA_DIR "/german_credit_data.csv");
    const auto model = (column_transformer{on<"Sex", "Saving accounts">(
                            "cat", simple_imputer{.strategy = impute_strategy::constant} | one_hot_encoder{})} |
                        logistic_regression{})
                           .fit(data, credit_labels());
    save(model, scratch("declared.json"), describe_training_data(data, model));
    const auto loaded = load<decltype(model)>(scratch("declared.json")).model;
    STATIC_REQUIRE(std::remove_cvref_t<decltype(loaded.last_step())>::coef_type::ColsAtCompileTime == 7);
    CHECK(bitwise_equal(loaded.predict_proba(data), model.predict_proba(data)));
}

TEST_CASE("an artifact of one pipeline type does not load as another", "[io][artifact]") {
    // Same stages, but fitted on the training schema (with Sno and Risk): a different input type.
    using other_model = decltype(credit::model().fit(std::declval<frame<credit::training_schema>>(), label_span{}));
    STATIC_REQUIRE(pipeline_fingerprint<other_model> != pipeline_fingerprint<credit_model>);
    const auto path = scratch("credit_for_other.json");
    save(fitted_credit_model(), path, training_statistics{});
    CHECK_THROWS_WITH(load<other_model>(path),
                      Catch::Contains("holds a different pipeline type") &&
                          Catch::Contains("this program expects: frame{Sno:int64,Age:int64") &&
                          Catch::Contains("the artifact holds:   frame{Age:int64"));
    // A different routing is a different type too.
    using rerouted = decltype((column_transformer{on<"Age">("num", standard_scaler{})} | logistic_regression{})
                                  .fit(std::declval<frame<credit::feature_schema>>(), label_span{}));
    CHECK_THROWS_WITH(load<rerouted>(path), Catch::Contains("on<Age>(standard_scaler)"));
}

TEST_CASE("loading refuses untrustworthy files and says why", "[io][artifact]") {
    const auto good = credit_artifact_json();
    REQUIRE(load_error(good).empty());
    const auto edited = [&](const std::function<void(nlohmann::ordered_json&)>& edit) {
        auto doc = good;
        edit(doc);
        return load_error(doc);
    };
    const auto scaler_state = [](nlohmann::ordered_json& doc) -> nlohmann::ordered_json& {
        return doc["steps"][0]["groups"][0]["steps"][0]["state"];
    };

    SECTION("a newer format version") {
        CHECK_THAT(edited([](auto& d) { d["format_version"] = 3; }),
                   Catch::Contains("format_version: format version 3 is newer than this build reads (2)"));
    }
    SECTION("a newer step version") {
        CHECK_THAT(edited([](auto& d) { d["steps"][1]["version"] = 7; }),
                   Catch::Contains("steps[1].version: logistic_regression version 7 is newer than this build reads (1)"));
    }
    SECTION("truncated or syntactically broken JSON") {
        const std::string text = good.dump();
        CHECK_THAT(load_error(text.substr(0, text.size() / 2)), Catch::Contains("broken or truncated"));
        std::string broken = text;
        broken[broken.find(':')] = ';';
        CHECK_THAT(load_error(broken), Catch::Contains("model.json: not a valid artifact"));
        CHECK_THAT(load_error(std::string()), Catch::Contains("broken or truncated"));
    }
    SECTION("not an artifact at all") {
        CHECK_THAT(load_error(std::string("[1, 2]")), Catch::Contains("expected a JSON object"));
        CHECK_THAT(edited([](auto& d) { d["format"] = "pickle"; }), Catch::Contains("format: not a ctml model artifact"));
    }
    SECTION("missing fields") {
        CHECK_THAT(edited([&](auto& d) { scaler_state(d).erase("mean"); }),
                   Catch::Contains("steps[0].groups[0].steps[0].state: missing field \"mean\""));
        CHECK_THAT(edited([](auto& d) { d.erase("steps"); }), Catch::Contains("missing field \"steps\""));
        CHECK_THAT(edited([](auto& d) { d["steps"][1].erase("params"); }),
                   Catch::Contains("steps[1]: missing field \"params\""));
    }
    SECTION("arrays of the wrong length") {
        CHECK_THAT(edited([&](auto& d) { scaler_state(d)["scale"].erase(3); }),
                   Catch::Contains("steps[0].groups[0].steps[0].state.scale: expected an array of 4 elements, found 3"));
        CHECK_THAT(edited([](auto& d) { d["steps"][1]["state"]["coef"].erase(0); }),
                   Catch::Contains("model.json: steps[1]: logistic_regression expects 25 features but step 0 "
                                   "(column_transformer) makes 26"));
        CHECK_THAT(edited([](auto& d) { d["steps"].erase(1); }), Catch::Contains("steps: expected an array of 2 elements, found 1"));
    }
    SECTION("non-finite numbers") {
        CHECK_THAT(edited([&](auto& d) { scaler_state(d)["mean"][2] = nullptr; }),
                   Catch::Contains("state.mean[2]: expected a finite number, found null"));
        std::string text = good.dump();
        const std::string intercept = "\"intercept\":";
        const auto at = text.find(intercept) + intercept.size();
        text.replace(at, text.find(',', at) - at, "1e999");
        CHECK_THAT(load_error(text), Catch::Contains("not a valid artifact") && Catch::Contains("number overflow"));
    }
    SECTION("a scale of zero") {
        CHECK_THAT(edited([&](auto& d) { scaler_state(d)["scale"][1] = 0.0; }),
                   Catch::Contains("state.scale[1]: a scale must be positive"));
    }
    SECTION("categories out of order or duplicated") {
        const auto encoder_state = [](nlohmann::ordered_json& d) -> nlohmann::ordered_json& {
            return d["steps"][0]["groups"][1]["steps"][0]["steps"][1]["state"]["categories"];
        };
        CHECK_THAT(edited([&](auto& d) { std::swap(encoder_state(d)[4][0], encoder_state(d)[4][1]); }),
                   Catch::Contains("categories[4][1]: categories are out of order (\"car\" before \"business\")"));
        CHECK_THAT(edited([&](auto& d) { encoder_state(d)[1][1] = "free"; }),
                   Catch::Contains("categories[1][1]: category \"free\" is duplicated"));
    }
    SECTION("hyperparameters and routing that do not fit this program") {
        CHECK_THAT(edited([](auto& d) { d["steps"][1]["params"]["solver"] = "sag"; }),
                   Catch::Contains("params.solver: expected one of \"newton\", \"lbfgs\", found \"sag\""));
        CHECK_THAT(edited([](auto& d) { d["steps"][0]["groups"][0]["params"]["columns"][0] = "Sno"; }),
                   Catch::Contains("groups[0].params.columns: the group routes other columns"));
        CHECK_THAT(edited([](auto& d) { d["steps"][1]["params"]["tol"] = -1.0; }),
                   Catch::Contains("steps[1].params.tol: tol must be a positive finite number"));
        CHECK_THAT(edited([](auto& d) { d["steps"][1]["params"]["max_iter"] = 0; }),
                   Catch::Contains("steps[1].params.max_iter: max_iter must be at least 1"));
        CHECK_THAT(edited([](auto& d) { d["steps"][0]["params"]["remainder"] = "passthrough"; }),
                   Catch::Contains("steps[0].params.remainder: this program's column_transformer has remainder drop"));
        CHECK_THAT(edited([](auto& d) { d["steps"][0]["groups"][1]["params"]["name"] = "num"; }),
                   Catch::Contains("two groups are named \"num\""));
        CHECK_THAT(edited([](auto& d) { d["lineage"]["commit"] = 42; }),
                   Catch::Contains("lineage.commit: expected a string, found 42"));
        CHECK_THAT(edited([](auto& d) { d["feature_names_out"][0] = "age"; }),
                   Catch::Contains("feature_names_out: does not match"));
    }
}

TEST_CASE("loading a file that is not there says so", "[io][artifact]") {
    CHECK_THROWS_WITH(load<credit_model>(scratch("absent.json")), Catch::Contains("absent.json: cannot open the artifact"));
}
