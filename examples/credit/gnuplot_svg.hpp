// Plots for the model report, drawn by gnuplot (Debian gnuplot-nox) as SVG and
// returned ready to inline in HTML. Each plot is a script plus named data
// files written to a scratch directory; gnuplot runs as a real process, and a
// failure (gnuplot missing, a script error) is an error naming it, with
// gnuplot's own message -- never a silently empty plot.
#pragma once

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <sys/wait.h>

namespace credit {

class gnuplot_svg {
public:
    /// Plots are made in `scratch`, which must exist and is left to the caller to remove.
    explicit gnuplot_svg(std::filesystem::path scratch) : scratch_(std::move(scratch)) {}

    /// A data file for the next plot; rows of whitespace-separated fields. Strings with
    /// spaces are quoted with quote(), which gnuplot reads as one field.
    void data(const std::string& name, const std::string& rows) {
        std::ofstream out(scratch_ / name, std::ios::binary);
        out << rows;
        if (!out) throw std::runtime_error((scratch_ / name).string() + ": cannot write plot data");
    }

    /// Runs `script` (data files named as given to data()) at width × height and returns the <svg> element.
    [[nodiscard]] std::string plot(const std::string& name, const std::string& script, int width = 640, int height = 360) {
        const auto svg = scratch_ / (name + ".svg");
        const auto log = scratch_ / (name + ".log");
        {
            std::ofstream gp(scratch_ / (name + ".gp"), std::ios::binary);
            gp << "set terminal svg size " << width << "," << height << " dynamic noenhanced font 'sans,11'\n"
               << "set output '" << svg.string() << "'\n"
               << "set border lc rgb '#555555'\nset key noautotitle\n"
               << script << "\nunset output\n";
        }
        const std::string command = "cd '" + scratch_.string() + "' && gnuplot '" + name + ".gp' >'" + log.string() + "' 2>&1";
        const int status = std::system(command.c_str());
        const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (code == 127) throw std::runtime_error("gnuplot is not installed (Debian: apt-get install gnuplot-nox)");
        if (code != 0) throw std::runtime_error("gnuplot failed on the " + name + " plot: " + read(log));
        ++count_;
        std::string text = read(svg);
        // Inline SVG needs the element alone, without the XML prolog and DOCTYPE.
        const auto start = text.find("<svg");
        if (start == std::string::npos) throw std::runtime_error("gnuplot wrote no SVG for the " + name + " plot");
        // "dynamic" leaves only a viewBox, and an SVG without a width collapses inside a
        // flex row: give it its natural size (CSS max-width still scales it down).
        return "<svg width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) + "\"" +
               text.substr(start + 4);
    }

    /// How many plots have been made.
    [[nodiscard]] std::size_t count() const noexcept { return count_; }

    /// A string field for a data file: double-quoted, inner quotes made single.
    [[nodiscard]] static std::string quote(std::string text) {
        for (auto& c : text)
            if (c == '"') c = '\'';
        return "\"" + text + "\"";
    }

private:
    static std::string read(const std::filesystem::path& p) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }

    std::filesystem::path scratch_;
    std::size_t count_ = 0;
};

}  // namespace credit
