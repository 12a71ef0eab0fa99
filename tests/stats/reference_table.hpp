// Reader for tests/data/truncated_normal_reference.tsv, the mpmath table made
// by tests/data/gen_truncated_normal_reference.py: one row per line, the
// first column naming the kind of row, '#' lines are comments.
#pragma once
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace optscale::testing {

struct ReferenceRow {
  std::vector<std::string> text;  // fields after the kind
  double number(std::size_t i) const {
    const std::string& t = text.at(i);
    if (t == "inf") return std::numeric_limits<double>::infinity();
    if (t == "-inf") return -std::numeric_limits<double>::infinity();
    return std::strtod(t.c_str(), nullptr);
  }
  long double long_number(std::size_t i) const {
    const std::string& t = text.at(i);
    if (t == "inf") return std::numeric_limits<long double>::infinity();
    if (t == "-inf") return -std::numeric_limits<long double>::infinity();
    return std::strtold(t.c_str(), nullptr);
  }
};

// Every row of the given kind, in file order; fails the test if there are none.
inline std::vector<ReferenceRow> reference_rows(const std::string& kind) {
  std::ifstream in(test_data_dir() / "truncated_normal_reference.tsv");
  EXPECT_TRUE(in.good()) << "missing tests/data/truncated_normal_reference.tsv";
  std::vector<ReferenceRow> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream fields(line);
    std::string first;
    std::getline(fields, first, '\t');
    if (first != kind) continue;
    ReferenceRow row;
    for (std::string field; std::getline(fields, field, '\t');) row.text.push_back(field);
    rows.push_back(std::move(row));
  }
  EXPECT_FALSE(rows.empty()) << "no '" << kind << "' rows in the reference table";
  return rows;
}

// |got - want| / max(floor, |want|), with matching infinities counting as 0.
inline double relative_error(double got, double want, double floor = 0.0) {
  if (std::isinf(want) || std::isinf(got)) {
    return got == want ? 0.0 : std::numeric_limits<double>::infinity();
  }
  const double scale = std::max(floor, std::fabs(want));
  if (scale == 0.0) return std::fabs(got) <= 1e-300 ? 0.0 : std::numeric_limits<double>::infinity();
  return std::fabs(got - want) / scale;
}

}  // namespace optscale::testing
