// scikit-learn's NotFittedError as a compile error: an unfitted stage has no
// usable transform(), and the diagnostic names the stage.
// expect: standard_scaler is not fitted -- call fit.. first
#include <ctml/ctml.hpp>

using numbers = ctml::schema<ctml::column<"Age", int>, ctml::column<"Duration", int>>;

int main() {
    const ctml::frame<numbers> frame;
#ifdef CTML_MUST_NOT_COMPILE
    ctml::standard_scaler{}.transform(frame);
    return 0;
#else
    const auto z = ctml::standard_scaler{}.fit(frame).transform(frame);
    return static_cast<int>(z.rows());
#endif
}
