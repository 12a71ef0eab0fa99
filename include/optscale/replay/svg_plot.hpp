// A small SVG scatter/line plot writer (no dependencies): axes with ticks,
// markers with optional vertical error bars and hover titles, polylines,
// a legend and a title. The output is standalone SVG 1.1 that browsers and
// rsvg-convert render.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace optscale::replay {

struct PlotPoint {
  double x = 0.0, y = 0.0;
  std::optional<double> y_lo, y_hi;  // error bar, drawn when both are present
  std::string label;                 // hover text (the SVG <title> of the marker)
};

struct PlotSeries {
  std::string name;                  // legend entry
  std::vector<PlotPoint> markers;    // drawn as symbols
  std::vector<PlotPoint> line;       // drawn as a polyline, in the given order
  bool reference = false;            // grey, dashed, small markers (e.g. the BoN curve)
  bool faint = false;                // markers drawn light, its line thin (e.g. every grid point)
  std::optional<std::string> color;  // "#rrggbb"; default: from the palette by series index
  std::optional<int> shape;          // marker symbol (0..4); default: by series index
};

struct Plot {
  std::string title;
  std::string subtitle;
  std::string x_label, y_label;
  bool log_x = true;                 // tokens span decades: log scale by default
  double y_scale = 1.0;              // multiply y for display (100: fractions as percent)
  int width = 1080, height = 620;
  std::vector<PlotSeries> series;
};

// Renders the plot. Throws optscale::Error when there is nothing to draw,
// a coordinate is not finite, or log_x is set and an x is not > 0.
std::string render_svg(const Plot& plot);

// The plots in one row, each drawn as render_svg draws it (one SVG whose
// <title> joins theirs). Throws as render_svg does, and for no plots.
std::string render_side_by_side(const std::vector<Plot>& plots);

// Escapes &, <, >, " and ' for XML text and attribute values.
std::string xml_escape(const std::string& text);

// Tick positions: "nice" steps (1, 2, 5 x 10^k) covering [lo, hi] on a
// linear axis; 1, 2, 5 x 10^k inside [lo, hi] on a log axis (at least the
// decade bounds when the range is narrow).
std::vector<double> linear_ticks(double lo, double hi, int target_count = 6);
std::vector<double> log_ticks(double lo, double hi);

// "950", "1.5k", "22k", "1.2M": compact tick labels.
std::string compact_number(double value);

}  // namespace optscale::replay
