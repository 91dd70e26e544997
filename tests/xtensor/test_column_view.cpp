// as_xtensor: numeric columns seen as xtensor expressions without copying.
// Expected values are computed by hand from the literals below.
#include <catch2/catch.hpp>

#include <cstdint>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include <xtensor/xmath.hpp>
#include <xtensor/xtensor.hpp>

#include <ctml/xtensor.hpp>

namespace {

using people = ctml::schema<ctml::column<"Age", int>, ctml::column<"Credit amount", double>,
                            ctml::column<"Sex", ctml::categorical>,
                            ctml::column<"Income", ctml::nullable<double>>>;

ctml::frame<people> make_people() {
    return ctml::frame<people>(ctml::numeric_column<int>({20, 30, 40, 50}),
                               ctml::numeric_column<double>({1000.0, 2000.0, 3000.0, 6000.0}),
                               ctml::categorical_column({0, 1, 0, 1}, {"male", "female"}),
                               ctml::numeric_column<double>({10.0, 0.0, 30.0, 40.0}, {0, 1, 0, 0}));
}

// T is what the argument expression yields: `const C&` for an lvalue, `C` for a temporary.
template <class T>
concept viewable = requires { ctml::as_xtensor(std::declval<T>()); };
template <class F>
concept age_viewable = requires { ctml::as_xtensor<"Age">(std::declval<F>()); };

}  // namespace

TEST_CASE("as_xtensor views a numeric column without copying", "[xtensor][column_view]") {
    const auto f = make_people();
    const auto& amount = f.column<"Credit amount">();
    const auto view = ctml::as_xtensor(amount);

    STATIC_REQUIRE(std::is_same_v<std::remove_const_t<decltype(view)>, ctml::xtensor_column_view<double>>);
    REQUIRE(view.dimension() == 1);
    REQUIRE(view.shape()[0] == 4);
    REQUIRE(view.size() == amount.size());
    REQUIRE(view.data() == amount.values().data());
    for (std::size_t i = 0; i < amount.size(); ++i) REQUIRE(view(i) == amount[i]);
}

TEST_CASE("as_xtensor views are read-only", "[xtensor][column_view]") {
    const auto f = make_people();
    auto view = ctml::as_xtensor(f.column<"Age">());
    STATIC_REQUIRE(std::is_const_v<std::remove_reference_t<decltype(view(0))>>);
    STATIC_REQUIRE(std::is_const_v<std::remove_pointer_t<decltype(view.data())>>);
    STATIC_REQUIRE(std::is_same_v<decltype(view)::value_type, int>);
}

TEST_CASE("xtensor reductions and expressions run on column views", "[xtensor][column_view]") {
    const auto f = make_people();
    const auto amount = ctml::as_xtensor(f.column<"Credit amount">());
    const auto age = ctml::as_xtensor(f.column<"Age">());

    REQUIRE(xt::sum(amount)() == Approx(12000.0));
    REQUIRE(xt::mean(amount)() == Approx(3000.0));
    REQUIRE(xt::sum(age)() == 140);
    REQUIRE(xt::mean(age)() == Approx(35.0));
    REQUIRE(xt::amax(age)() == 50);

    // A lazy expression mixing two columns, evaluated into an owning array.
    const xt::xtensor<double, 1> per_year = amount / xt::cast<double>(age);
    REQUIRE(per_year.size() == 4);
    REQUIRE(per_year(0) == Approx(50.0));
    REQUIRE(per_year(3) == Approx(120.0));

    // Population variance (ddof = 0), what standard_scaler uses: mean 3000,
    // squared deviations 4e6 + 1e6 + 0 + 9e6 = 14e6, / 4 = 3.5e6.
    REQUIRE(xt::variance(amount)() == Approx(3.5e6));
}

TEST_CASE("as_xtensor<Name>(frame) is the view of that column", "[xtensor][column_view]") {
    const auto f = make_people();
    const auto view = ctml::as_xtensor<"Age">(f);
    REQUIRE(view.data() == f.column<"Age">().values().data());
    REQUIRE(xt::sum(view)() == 140);
}

TEST_CASE("a view stays valid while any frame sharing the column is alive", "[xtensor][column_view]") {
    ctml::frame<people::select<"Credit amount">> selected;
    {
        const auto f = make_people();
        selected = f.select<"Credit amount">();
    }
    const auto view = ctml::as_xtensor<"Credit amount">(selected);
    REQUIRE(view.data() == selected.column<"Credit amount">().values().data());
    REQUIRE(xt::sum(view)() == Approx(12000.0));
}

TEST_CASE("as_xtensor refuses columns with missing values unless asked", "[xtensor][column_view]") {
    const auto f = make_people();
    const auto& income = f.column<"Income">();

    REQUIRE_THROWS_AS(ctml::as_xtensor(income), std::invalid_argument);
    REQUIRE_THROWS_WITH(ctml::as_xtensor(income), Catch::Contains("1 missing value") &&
                                                      Catch::Contains("include_missing_slots"));
    REQUIRE_THROWS_AS(ctml::as_xtensor<"Income">(f), std::invalid_argument);

    const auto raw = ctml::as_xtensor(income, ctml::include_missing_slots);
    REQUIRE(raw.data() == income.values().data());
    REQUIRE(raw(1) == 0.0);  // the missing slot holds T{}
    REQUIRE(xt::sum(raw)() == Approx(80.0));
    REQUIRE(ctml::as_xtensor<"Income">(f, ctml::include_missing_slots).size() == 4);

    // A nullable column with nothing missing views as usual.
    const ctml::numeric_column<double> complete({1.0, 2.0});
    REQUIRE(xt::sum(ctml::as_xtensor(complete))() == Approx(3.0));
}

TEST_CASE("as_xtensor of an empty column is an empty view", "[xtensor][column_view]") {
    const ctml::numeric_column<double> empty;
    const auto view = ctml::as_xtensor(empty);
    REQUIRE(view.size() == 0);
    REQUIRE(xt::sum(view)() == 0.0);
}

TEST_CASE("as_xtensor rejects temporaries and categorical columns at compile time", "[xtensor][column_view]") {
    // Temporaries would leave the view dangling: those overloads are deleted.
    STATIC_REQUIRE(viewable<const ctml::numeric_column<double>&>);
    STATIC_REQUIRE(!viewable<ctml::numeric_column<double>>);
    STATIC_REQUIRE(age_viewable<const ctml::frame<people>&>);
    STATIC_REQUIRE(!age_viewable<ctml::frame<people>>);
    // A categorical column holds codes, not numbers: no view (as_xtensor<"Sex">(f)
    // fails with a static_assert naming the column).
    STATIC_REQUIRE(!viewable<const ctml::categorical_column&>);
}
