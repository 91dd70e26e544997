// numeric_column<T> and its builder: contiguous values, explicit missing mask,
// Eigen view without a copy.
#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include <ctml/schema/numeric_column.hpp>

TEST_CASE("numeric_column holds its values contiguously", "[schema][numeric_column]") {
    const ctml::numeric_column<double> c({1.5, 2.5, 4.0});
    REQUIRE(c.size() == 3);
    REQUIRE(c[0] == 1.5);
    REQUIRE(c[2] == 4.0);
    REQUIRE(c.values().size() == 3);
    REQUIRE(&c.values()[1] == c.values().data() + 1);
    REQUIRE_FALSE(c.has_missing());
    REQUIRE(c.missing_count() == 0);
    REQUIRE(c.missing_mask().empty());
    REQUIRE_FALSE(c.is_missing(1));
    STATIC_REQUIRE(std::is_same_v<ctml::numeric_column<int>::value_type, int>);
}

TEST_CASE("a default numeric_column is empty", "[schema][numeric_column]") {
    const ctml::numeric_column<int> c;
    REQUIRE(c.size() == 0);
    REQUIRE(c.values().empty());
    REQUIRE_FALSE(c.has_missing());
    REQUIRE(c.as_eigen().size() == 0);
}

TEST_CASE("numeric_column counts missing values from its mask", "[schema][numeric_column]") {
    const ctml::numeric_column<int> c({20, 0, 40, 0}, {0, 1, 0, 1});
    REQUIRE(c.has_missing());
    REQUIRE(c.missing_count() == 2);
    REQUIRE(c.is_missing(1));
    REQUIRE(c.is_missing(3));
    REQUIRE_FALSE(c.is_missing(0));
    REQUIRE(c.missing_mask().size() == 4);

    // Any non-zero flag means missing; an all-zero mask means none.
    const ctml::numeric_column<int> flags({1, 2, 3}, {0, 7, 255});
    REQUIRE(flags.missing_count() == 2);
    const ctml::numeric_column<int> none({1, 2}, {0, 0});
    REQUIRE_FALSE(none.has_missing());
    REQUIRE_FALSE(none.is_missing(0));
}

TEST_CASE("numeric_column rejects a mask of the wrong length", "[schema][numeric_column]") {
    REQUIRE_THROWS_AS(ctml::numeric_column<double>({1.0, 2.0}, {0}), std::invalid_argument);
    REQUIRE_THROWS_WITH(ctml::numeric_column<double>({1.0, 2.0}, {0, 0, 1}),
                        "ctml::numeric_column: the missing mask has 3 entries for 2 values");
    REQUIRE_THROWS_AS(ctml::numeric_column<double>(std::vector<double>{}, {1}), std::invalid_argument);
}

TEST_CASE("as_eigen views the values without copying", "[schema][numeric_column]") {
    const ctml::numeric_column<double> c({1.0, 2.0, 3.0, 6.0});
    const auto v = c.as_eigen();
    REQUIRE(v.data() == c.values().data());
    REQUIRE(v.size() == 4);
    REQUIRE(v.sum() == 12.0);
    REQUIRE(v.mean() == 3.0);
    REQUIRE(v(3) == 6.0);

    const ctml::numeric_column<int> ints({1, 2, 3});
    REQUIRE(ints.as_eigen().data() == ints.values().data());
    REQUIRE(ints.as_eigen().cast<double>().mean() == 2.0);
}

TEST_CASE("copies of a numeric_column share their values", "[schema][numeric_column]") {
    const ctml::numeric_column<double> a({1.0, 2.0}, {0, 1});
    const ctml::numeric_column<double> b = a;
    REQUIRE(b.values().data() == a.values().data());
    REQUIRE(b.missing_mask().data() == a.missing_mask().data());
    REQUIRE(b.missing_count() == 1);
    REQUIRE(&b.buffer() != &a.buffer());
    REQUIRE(b.buffer().data() == a.buffer().data());
}

TEST_CASE("numeric_column adopts a shared_buffer as it is", "[schema][numeric_column]") {
    // The aliasing constructor is how foreign arrays (xtensor) become columns.
    auto owner = std::make_shared<std::vector<double>>(std::vector<double>{5.0, 6.0, 7.0});
    const ctml::detail::shared_buffer<double> view(owner, owner->data() + 1, 2);
    const ctml::numeric_column<double> c(view, {});
    REQUIRE(c.values().data() == owner->data() + 1);
    REQUIRE(c.size() == 2);
    REQUIRE(c[0] == 6.0);
    owner.reset();  // the column's buffer keeps the vector alive
    REQUIRE(c[1] == 7.0);
}

TEST_CASE("numeric_column_builder creates a mask only once a value is missing", "[schema][numeric_column]") {
    ctml::numeric_column_builder<double> complete;
    complete.reserve(2);
    complete.push_back(1.0);
    complete.push_back(2.0);
    REQUIRE(complete.size() == 2);
    const auto c = std::move(complete).finish();
    REQUIRE(c.size() == 2);
    REQUIRE(c.missing_mask().empty());

    ctml::numeric_column_builder<int> b;
    b.push_back(1);
    b.push_back(2);
    b.push_back_missing();
    b.push_back(4);
    b.push_back_missing();
    REQUIRE(b.size() == 5);
    const auto m = std::move(b).finish();
    REQUIRE(m.size() == 5);
    REQUIRE(m.missing_count() == 2);
    REQUIRE(m.missing_mask().size() == 5);
    REQUIRE_FALSE(m.is_missing(0));
    REQUIRE_FALSE(m.is_missing(1));
    REQUIRE(m.is_missing(2));
    REQUIRE_FALSE(m.is_missing(3));
    REQUIRE(m.is_missing(4));
    REQUIRE(m[3] == 4);
    REQUIRE(m[2] == 0);  // a missing slot holds T{}

    ctml::numeric_column_builder<double> first_missing;
    first_missing.push_back_missing();
    first_missing.push_back(3.0);
    const auto f = std::move(first_missing).finish();
    REQUIRE(f.is_missing(0));
    REQUIRE_FALSE(f.is_missing(1));
    REQUIRE(f[1] == 3.0);
}
