// dense_rows: the rows of a dense feature matrix as logistic_objective sums
// them, a block at a time, in their own order.
#pragma once

#include <algorithm>
#include <span>

#include <Eigen/Core>

#include "ctml/detail/compensated_sum.hpp"
#include "ctml/linear_model/detail/row_values.hpp"

namespace ctml::detail {

class dense_rows {
public:
    explicit dense_rows(Eigen::Ref<const Eigen::MatrixXd> X) : X_(X) {}
    [[nodiscard]] Eigen::Index rows() const noexcept { return X_.rows(); }
    [[nodiscard]] Eigen::Index cols() const noexcept { return X_.cols(); }

    /// v (one value per row) in the order the blocks visit the rows: theirs.
    [[nodiscard]] row_values in_visit_order(const Eigen::Ref<const Eigen::VectorXd>& v) const {
        row_values out(static_cast<std::size_t>(v.size()));
        std::copy(v.data(), v.data() + v.size(), out.begin());
        return out;
    }

    /// z = X[r0 : r0 + n] · w
    void margins(const Eigen::Ref<const Eigen::VectorXd>& w, Eigen::Index r0, Eigen::Index n, Eigen::VectorXd& z) const {
        z.noalias() = X_.middleRows(r0, n) * w;
    }
    /// g[0 : d] += X[r0 : r0 + n]ᵀ · residual, and g[d] += Σ residual when `intercept`.
    void add_gradient(Eigen::Index r0, const Eigen::ArrayXd& residual, bool intercept, std::span<compensated_sum> g) const {
        const Eigen::VectorXd product = X_.middleRows(r0, residual.size()).transpose() * residual.matrix();
        for (Eigen::Index j = 0; j < cols(); ++j) g[static_cast<std::size_t>(j)].add(product(j));
        if (intercept) g[static_cast<std::size_t>(cols())].add(compensated_total(residual.data(), residual.size()));
    }
    /// Lower triangle of H += X̃ᵀ diag(h) X̃ with X̃ = [X, 1] (the 1 when `intercept`).
    void add_hessian(Eigen::Index r0, const Eigen::ArrayXd& h, bool intercept, Eigen::MatrixXd& H) const {
        // A rank update with [X, 1] · √h: half the work of the full product.
        const Eigen::Index d = cols(), n = h.size();
        weighted_.resize(n, d + (intercept ? 1 : 0));
        const Eigen::ArrayXd root = h.sqrt();
        weighted_.leftCols(d) = X_.middleRows(r0, n).array().colwise() * root;
        if (intercept) weighted_.col(d) = root.matrix();
        H.selfadjointView<Eigen::Lower>().rankUpdate(weighted_.transpose());
    }

private:
    Eigen::Ref<const Eigen::MatrixXd> X_;
    static inline thread_local Eigen::MatrixXd weighted_;
};

}  // namespace ctml::detail
