#include "optscale/replay/svg_plot.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <regex>

#include "optscale/util/error.hpp"
#include "test_support.hpp"
#include "xml_check.hpp"

namespace optscale::replay {
namespace {

Plot sample_plot() {
  Plot plot;
  plot.title = "SIMULATED pool \u2014 accuracy vs tokens <n=8> & more";
  plot.subtitle = "subtitle with \"quotes\" and 'apostrophes'";
  plot.x_label = "mean tokens per problem";
  plot.y_label = "accuracy (%)";
  plot.y_scale = 100.0;
  PlotSeries bon;
  bon.name = "BoN n=1..4 (reference)";
  bon.reference = true;
  for (int n = 1; n <= 4; ++n) {
    PlotPoint p{1000.0 * n, 0.80 + 0.02 * n, std::nullopt, std::nullopt, "bon:n=" + std::to_string(n)};
    bon.line.push_back(p);
    bon.markers.push_back(p);
  }
  PlotSeries family;
  family.name = "optscale0 <tuned> & friends";
  for (int i = 0; i < 3; ++i) {
    PlotPoint p{1500.0 + 700.0 * i, 0.85 + 0.01 * i, 0.83 + 0.01 * i, 0.87 + 0.01 * i,
                "optscale0:n=" + std::to_string(8 << i) + ",target=0.95"};
    family.markers.push_back(p);
    family.line.push_back(p);
  }
  plot.series = {bon, family};
  for (int s = 0; s < 6; ++s) {  // every marker shape
    PlotSeries extra;
    extra.name = "shape " + std::to_string(s);
    extra.faint = s % 2 == 0;
    extra.markers.push_back(PlotPoint{2000.0 + 100 * s, 0.9, std::nullopt, std::nullopt, ""});
    plot.series.push_back(extra);
  }
  return plot;
}

TEST(SvgPlot, IsWellFormedXmlWithAnSvgRoot) {
  const std::string svg = render_svg(sample_plot());
  std::string root;
  EXPECT_EQ(testing::xml_problem(svg, &root), "");
  EXPECT_EQ(root, "svg");
  EXPECT_NE(svg.find("xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
}

TEST(SvgPlot, EscapesTextAndKeepsTitleLegendAndHoverLabels) {
  const std::string svg = render_svg(sample_plot());
  EXPECT_NE(svg.find("SIMULATED pool \u2014 accuracy vs tokens &lt;n=8&gt; &amp; more"), std::string::npos);
  EXPECT_NE(svg.find("&quot;quotes&quot;"), std::string::npos);
  EXPECT_NE(svg.find("optscale0 &lt;tuned&gt; &amp; friends"), std::string::npos);
  EXPECT_NE(svg.find("<title>optscale0:n=16,target=0.95</title>"), std::string::npos);
  EXPECT_NE(svg.find("BoN n=1..4 (reference)"), std::string::npos);
  EXPECT_NE(svg.find("stroke-dasharray"), std::string::npos);  // the reference curve
  EXPECT_NE(svg.find("(log scale)"), std::string::npos);
  // Two polylines (the BoN curve and the family), one per series with >= 2 line points.
  const std::regex polyline("<polyline ");
  EXPECT_EQ(std::distance(std::sregex_iterator(svg.begin(), svg.end(), polyline), std::sregex_iterator()), 2);
}

TEST(SvgPlot, ErrorBarsAreDrawnOnlyWhereIntervalsExist) {
  const std::string svg = render_svg(sample_plot());
  const std::regex bar("<path d=\"M");
  EXPECT_EQ(std::distance(std::sregex_iterator(svg.begin(), svg.end(), bar), std::sregex_iterator()), 3);
}

TEST(SvgPlot, PointsLandInsideThePlotArea) {
  Plot plot = sample_plot();
  plot.log_x = false;
  const std::string svg = render_svg(plot);
  EXPECT_EQ(testing::xml_problem(svg), "");
  const std::regex circle("<circle cx=\"([0-9.]+)\" cy=\"([0-9.]+)\"");
  int count = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), circle); it != std::sregex_iterator(); ++it) {
    const double x = std::stod((*it)[1]), y = std::stod((*it)[2]);
    EXPECT_GT(x, 0.0);
    EXPECT_LT(x, plot.width);
    EXPECT_GT(y, 0.0);
    EXPECT_LT(y, plot.height);
    ++count;
  }
  EXPECT_GT(count, 4);
}

TEST(SvgPlot, RejectsUndrawableInput) {
  Plot empty;
  EXPECT_THROW(render_svg(empty), Error);
  Plot bad = sample_plot();
  bad.series[1].markers[0].x = 0.0;  // log axis
  EXPECT_THROW(render_svg(bad), Error);
  bad = sample_plot();
  bad.series[1].markers[0].y = std::nan("");
  EXPECT_THROW(render_svg(bad), Error);
}

TEST(SvgPlot, SinglePointStillRenders) {
  Plot plot;
  plot.title = "one";
  PlotSeries s;
  s.name = "only";
  s.markers.push_back(PlotPoint{5000.0, 0.5, std::nullopt, std::nullopt, ""});
  plot.series.push_back(s);
  EXPECT_EQ(testing::xml_problem(render_svg(plot)), "");
}

// Where `needle` first occurs (npos fails the comparisons below).
std::size_t at(const std::string& svg, const std::string& needle) {
  const std::size_t where = svg.find(needle);
  EXPECT_NE(where, std::string::npos) << needle;
  return where;
}

TEST(SvgPlot, PointsAreDrawnAboveReferenceDotsAndLines) {
  // The reference series last in the list, a faint sweep before the bold
  // family: the drawing order must not follow the list.
  Plot plot = sample_plot();
  std::rotate(plot.series.begin(), plot.series.begin() + 1, plot.series.end());  // bon reference last
  PlotSeries faint;
  faint.name = "every configuration";
  faint.faint = true;
  faint.markers.push_back(PlotPoint{1500.0, 0.85, std::nullopt, std::nullopt, "faint point"});
  plot.series.push_back(faint);
  const std::string svg = render_svg(plot);
  EXPECT_EQ(testing::xml_problem(svg), "");
  const std::size_t reference_dot = at(svg, "<title>bon:n=1</title>");
  const std::size_t faint_dot = at(svg, "<title>faint point</title>");
  const std::size_t family_line = svg.find("<polyline", at(svg, "stroke-dasharray=\"6,4\" points=") + 1);
  const std::size_t bold_point = at(svg, "<title>optscale0:n=8,target=0.95</title>");
  EXPECT_LT(reference_dot, faint_dot);
  EXPECT_LT(faint_dot, bold_point);
  EXPECT_LT(family_line, bold_point);
  // The reference curve's own polyline comes first of all lines.
  EXPECT_LT(at(svg, "stroke-dasharray=\"6,4\" points="), faint_dot);
}

TEST(SvgPlot, AOnePointLineIsARingAndTheLegendPromisesNoLine) {
  Plot plot;
  plot.title = "front";
  PlotSeries cloud;
  cloud.name = "sweep";
  cloud.faint = true;
  cloud.color = "#4e79a7";
  cloud.markers = {PlotPoint{1000.0, 0.5, std::nullopt, std::nullopt, "a"},
                   PlotPoint{2000.0, 0.6, std::nullopt, std::nullopt, "b"}};
  PlotSeries front;
  front.name = "Pareto front";
  front.color = "#000000";
  front.line = {PlotPoint{1500.0, 0.7, std::nullopt, std::nullopt, "the front point"}};
  plot.series = {cloud, front};
  const std::string svg = render_svg(plot);
  EXPECT_EQ(testing::xml_problem(svg), "");
  EXPECT_EQ(svg.find("<polyline"), std::string::npos);
  // The point is drawn (a ring with its hover title) ...
  EXPECT_NE(svg.find("fill=\"none\" stroke=\"#000000\" stroke-width=\"2\"><title>the front point</title>"),
            std::string::npos)
      << svg;
  // ... and the legend shows no line sample (legend lines are the only
  // <line> elements with stroke-width 2).
  const std::regex legend_line("<line [^>]*stroke-width=\"2\"");
  EXPECT_EQ(std::distance(std::sregex_iterator(svg.begin(), svg.end(), legend_line), std::sregex_iterator()), 0);
  // Two points or more: a polyline and its legend line.
  plot.series[1].line.push_back(PlotPoint{3000.0, 0.8, std::nullopt, std::nullopt, ""});
  const std::string joined = render_svg(plot);
  EXPECT_NE(joined.find("<polyline"), std::string::npos);
  EXPECT_EQ(std::distance(std::sregex_iterator(joined.begin(), joined.end(), legend_line), std::sregex_iterator()), 1);
}

TEST(SvgPlot, AOnePointLineOnTheSeriesOwnMarkerIsNotRingedAgain) {
  Plot plot;
  plot.title = "one budget";
  PlotSeries tuned;
  tuned.name = "asc";
  const PlotPoint p{1500.0, 0.7, std::nullopt, std::nullopt, "asc n=8"};
  tuned.markers = {p};
  tuned.line = {p};
  plot.series = {tuned};
  const std::string svg = render_svg(plot);
  EXPECT_EQ(svg.find("r=\"7.50\" fill=\"none\""), std::string::npos) << svg;
}

TEST(SvgPlot, XmllintAcceptsItWhenInstalled) {
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) GTEST_SKIP() << "xmllint not installed";
  const auto dir = testing::make_temp_dir("svg-plot");
  const auto path = dir / "plot.svg";
  std::ofstream(path) << render_svg(sample_plot());
  EXPECT_EQ(std::system(("xmllint --noout '" + path.string() + "'").c_str()), 0);
  std::filesystem::remove_all(dir);
}

TEST(XmlCheck, CatchesMalformedDocuments) {
  EXPECT_NE(testing::xml_problem("<svg><g></svg>"), "");
  EXPECT_NE(testing::xml_problem("<svg a=\"1\" a=\"2\"/>"), "");
  EXPECT_NE(testing::xml_problem("<svg>a & b</svg>"), "");
  EXPECT_NE(testing::xml_problem("<svg x=1/>"), "");
  EXPECT_NE(testing::xml_problem("<svg/><svg/>"), "");
  EXPECT_NE(testing::xml_problem("<svg><title>a < b</title></svg>"), "");
  EXPECT_EQ(testing::xml_problem("<?xml version=\"1.0\"?>\n<svg a=\"&amp;\"><g/>t &#8212;</svg>\n"), "");
}

TEST(Ticks, LinearTicksAreNiceAndCoverTheRange) {
  // Span 14.7 over ~6 ticks: raw step 2.45, rounded up to the nice step 5.
  EXPECT_EQ(linear_ticks(83.2, 97.9, 6), (std::vector<double>{85, 90, 95}));
  // Span 11 over ~6: raw 1.83, nice step 2.
  EXPECT_EQ(linear_ticks(83.0, 94.0, 6), (std::vector<double>{84, 86, 88, 90, 92, 94}));
  EXPECT_EQ(linear_ticks(-0.05, 0.05, 2), (std::vector<double>{-0.05, 0.0, 0.05}));
}

TEST(Ticks, LogTicksUseOneTwoFive) {
  EXPECT_EQ(log_ticks(800, 60000), (std::vector<double>{1000, 2000, 5000, 10000, 20000, 50000}));
  // A narrower range uses every integer mantissa...
  EXPECT_EQ(log_ticks(11000, 39000), (std::vector<double>{20000, 30000}));
  // ...and one inside a single mantissa step falls back to linear ticks.
  EXPECT_EQ(log_ticks(11000, 19000), (std::vector<double>{12000, 14000, 16000, 18000}));
}

TEST(Ticks, CompactLabels) {
  EXPECT_EQ(compact_number(950), "950");
  EXPECT_EQ(compact_number(1500), "1.5k");
  EXPECT_EQ(compact_number(20000), "20k");
  EXPECT_EQ(compact_number(1.2e6), "1.2M");
  EXPECT_EQ(compact_number(0), "0");
}

TEST(XmlEscape, EscapesTheFiveCharactersAndDropsControls) {
  EXPECT_EQ(xml_escape("a<b>&\"'\x01"), "a&lt;b&gt;&amp;&quot;&apos; ");
}

}  // namespace
}  // namespace optscale::replay
