#include "optscale/replay/svg_plot.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "optscale/util/error.hpp"

namespace optscale::replay {
namespace {

// Tableau 10: distinguishable, colour-blind-aware.
constexpr std::array<const char*, 10> kPalette = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
                                                  "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                                                  "#9c755f", "#17becf"};
constexpr const char* kReferenceColor = "#7f7f7f";

std::string num(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

struct Frame {
  double left, top, right, bottom;   // plot area in pixels
  double x_lo, x_hi, y_lo, y_hi;     // data range (x in log10 when log_x)
  bool log_x;
  double px(double x) const {
    const double v = log_x ? std::log10(x) : x;
    return left + (v - x_lo) / (x_hi - x_lo) * (right - left);
  }
  double py(double y) const { return bottom - (y - y_lo) / (y_hi - y_lo) * (bottom - top); }
};

// A marker symbol centred at (x, y) with radius r; the shape cycles with
// the series index so series stay apart in grey-scale prints too. `title`
// (hover text) becomes a child element when not empty.
std::string marker(int shape, double x, double y, double r, const std::string& style,
                   const std::string& title = "") {
  std::ostringstream out;
  std::string element;
  switch (shape % 5) {
    case 0:
      element = "circle";
      out << "<circle cx=\"" << num(x) << "\" cy=\"" << num(y) << "\" r=\"" << num(r) << "\" ";
      break;
    case 1:
      element = "rect";
      out << "<rect x=\"" << num(x - r) << "\" y=\"" << num(y - r) << "\" width=\"" << num(2 * r)
          << "\" height=\"" << num(2 * r) << "\" ";
      break;
    case 2:  // triangle up
      element = "polygon";
      out << "<polygon points=\"" << num(x) << "," << num(y - 1.2 * r) << " " << num(x + 1.1 * r) << ","
          << num(y + 0.8 * r) << " " << num(x - 1.1 * r) << "," << num(y + 0.8 * r) << "\" ";
      break;
    case 3:  // diamond
      element = "polygon";
      out << "<polygon points=\"" << num(x) << "," << num(y - 1.3 * r) << " " << num(x + 1.3 * r) << ","
          << num(y) << " " << num(x) << "," << num(y + 1.3 * r) << " " << num(x - 1.3 * r) << ","
          << num(y) << "\" ";
      break;
    default:  // triangle down
      element = "polygon";
      out << "<polygon points=\"" << num(x) << "," << num(y + 1.2 * r) << " " << num(x + 1.1 * r) << ","
          << num(y - 0.8 * r) << " " << num(x - 1.1 * r) << "," << num(y - 0.8 * r) << "\" ";
      break;
  }
  out << style;
  if (title.empty()) out << "/>\n";
  else out << "><title>" << xml_escape(title) << "</title></" << element << ">\n";
  return out.str();
}

void check_point(const PlotPoint& p, bool log_x, const std::string& series) {
  require(std::isfinite(p.x) && std::isfinite(p.y), [&] { return "plot series '" + series + "'"; },
          [&] { return "point (" + num(p.x) + ", " + num(p.y) + ") is not finite"; });
  require(!log_x || p.x > 0.0, [&] { return "plot series '" + series + "'"; },
          [&] { return "x = " + num(p.x) + " cannot go on a log axis"; });
}

}  // namespace

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // Control characters other than tab/newline are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') out += ' ';
        else out += c;
    }
  }
  return out;
}

std::vector<double> linear_ticks(double lo, double hi, int target_count) {
  if (!(hi > lo)) return {lo};
  const double raw = (hi - lo) / std::max(1, target_count);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * magnitude;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  // Multiples of the step, each computed afresh (accumulating would drift).
  const double first = std::ceil(lo / step - 1e-9);
  for (double k = first; k * step <= hi + 1e-9 * step; k += 1.0)
    ticks.push_back(k == 0.0 ? 0.0 : k * step);
  return ticks;
}

std::vector<double> log_ticks(double lo, double hi) {
  std::vector<double> ticks;
  if (!(lo > 0.0) || !(hi > lo)) return ticks;
  auto collect = [&](std::initializer_list<double> mantissas) {
    ticks.clear();
    for (int k = static_cast<int>(std::floor(std::log10(lo))); k <= static_cast<int>(std::ceil(std::log10(hi))); ++k)
      for (double m : mantissas) {
        const double t = m * std::pow(10.0, k);
        if (t >= lo * (1 - 1e-12) && t <= hi * (1 + 1e-12)) ticks.push_back(t);
      }
  };
  collect({1.0, 2.0, 5.0});
  if (ticks.size() < 3) collect({1, 2, 3, 4, 5, 6, 7, 8, 9});
  if (ticks.size() < 2) ticks = linear_ticks(lo, hi, 4);
  return ticks;
}

std::string compact_number(double value) {
  const double a = std::fabs(value);
  char buffer[32];
  auto trimmed = [&](double v, const char* suffix) {
    std::snprintf(buffer, sizeof buffer, std::fabs(v - std::round(v)) < 1e-9 ? "%.0f%s" : "%.1f%s", v, suffix);
    return std::string(buffer);
  };
  if (a >= 1e6) return trimmed(value / 1e6, "M");
  if (a >= 1e3) return trimmed(value / 1e3, "k");
  if (a >= 1 || a == 0) return trimmed(value, "");
  std::snprintf(buffer, sizeof buffer, "%.3g", value);
  return buffer;
}

std::string render_svg(const Plot& plot) {
  double x_min = INFINITY, x_max = -INFINITY, y_min = INFINITY, y_max = -INFINITY;
  std::size_t point_count = 0;
  for (const PlotSeries& series : plot.series) {
    for (const auto* points : {&series.markers, &series.line}) {
      for (const PlotPoint& p : *points) {
        check_point(p, plot.log_x, series.name);
        ++point_count;
        x_min = std::min(x_min, p.x);
        x_max = std::max(x_max, p.x);
        y_min = std::min({y_min, p.y, p.y_lo.value_or(p.y)});
        y_max = std::max({y_max, p.y, p.y_hi.value_or(p.y)});
      }
    }
  }
  require(point_count > 0, "plot", "no points to draw");
  const double ys = plot.y_scale;
  y_min *= ys;
  y_max *= ys;

  // Legend width from the longest entry (about 6.6 px per character at 12 px).
  std::size_t longest = 0;
  for (const PlotSeries& series : plot.series) longest = std::max(longest, series.name.size());
  const double legend_width = std::min(340.0, 46.0 + 6.6 * static_cast<double>(longest));

  Frame f{};
  f.left = 78;
  f.top = plot.subtitle.empty() ? 56 : 74;
  f.right = plot.width - legend_width - 24;
  f.bottom = plot.height - 62;
  f.log_x = plot.log_x;
  if (plot.log_x) {
    f.x_lo = std::log10(x_min) - 0.06;
    f.x_hi = std::log10(x_max) + 0.06;
  } else {
    const double pad = x_max > x_min ? 0.05 * (x_max - x_min) : std::max(1.0, 0.05 * std::fabs(x_max));
    f.x_lo = x_min - pad;
    f.x_hi = x_max + pad;
  }
  const double y_pad = y_max > y_min ? 0.06 * (y_max - y_min) : std::max(0.5, 0.02 * std::fabs(y_max));
  f.y_lo = y_min - y_pad;
  f.y_hi = y_max + y_pad;

  std::ostringstream svg;
  svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" << plot.width
      << "\" height=\"" << plot.height << "\" viewBox=\"0 0 " << plot.width << " " << plot.height
      << "\" font-family=\"Helvetica, Arial, sans-serif\">\n";
  svg << "<title>" << xml_escape(plot.title) << "</title>\n";
  svg << "<rect x=\"0\" y=\"0\" width=\"" << plot.width << "\" height=\"" << plot.height
      << "\" fill=\"#ffffff\"/>\n";
  svg << "<text x=\"" << num(plot.width / 2.0) << "\" y=\"26\" text-anchor=\"middle\" font-size=\"17\" "
         "font-weight=\"bold\">"
      << xml_escape(plot.title) << "</text>\n";
  if (!plot.subtitle.empty())
    svg << "<text x=\"" << num(plot.width / 2.0) << "\" y=\"48\" text-anchor=\"middle\" font-size=\"12\" "
           "fill=\"#444444\">"
        << xml_escape(plot.subtitle) << "</text>\n";

  // Grid, ticks and tick labels.
  svg << "<g font-size=\"11\" fill=\"#333333\">\n";
  const std::vector<double> xt =
      plot.log_x ? log_ticks(std::pow(10.0, f.x_lo), std::pow(10.0, f.x_hi)) : linear_ticks(f.x_lo, f.x_hi);
  for (double t : xt) {
    const double x = f.px(t);
    svg << "<line x1=\"" << num(x) << "\" y1=\"" << num(f.top) << "\" x2=\"" << num(x) << "\" y2=\""
        << num(f.bottom) << "\" stroke=\"#e6e6e6\"/>\n";
    svg << "<line x1=\"" << num(x) << "\" y1=\"" << num(f.bottom) << "\" x2=\"" << num(x) << "\" y2=\""
        << num(f.bottom + 5) << "\" stroke=\"#333333\"/>\n";
    svg << "<text x=\"" << num(x) << "\" y=\"" << num(f.bottom + 18) << "\" text-anchor=\"middle\">"
        << compact_number(t) << "</text>\n";
  }
  for (double t : linear_ticks(f.y_lo, f.y_hi)) {
    const double y = f.py(t);
    svg << "<line x1=\"" << num(f.left) << "\" y1=\"" << num(y) << "\" x2=\"" << num(f.right) << "\" y2=\""
        << num(y) << "\" stroke=\"#e6e6e6\"/>\n";
    svg << "<line x1=\"" << num(f.left - 5) << "\" y1=\"" << num(y) << "\" x2=\"" << num(f.left)
        << "\" y2=\"" << num(y) << "\" stroke=\"#333333\"/>\n";
    char label[32];
    std::snprintf(label, sizeof label, "%g", std::round(t * 1e6) / 1e6);
    svg << "<text x=\"" << num(f.left - 8) << "\" y=\"" << num(y + 4) << "\" text-anchor=\"end\">" << label
        << "</text>\n";
  }
  svg << "</g>\n";
  svg << "<rect x=\"" << num(f.left) << "\" y=\"" << num(f.top) << "\" width=\"" << num(f.right - f.left)
      << "\" height=\"" << num(f.bottom - f.top) << "\" fill=\"none\" stroke=\"#333333\"/>\n";
  svg << "<text x=\"" << num((f.left + f.right) / 2) << "\" y=\"" << num(plot.height - 22.0)
      << "\" text-anchor=\"middle\" font-size=\"13\">" << xml_escape(plot.x_label)
      << (plot.log_x ? " (log scale)" : "") << "</text>\n";
  svg << "<text transform=\"translate(22," << num((f.top + f.bottom) / 2)
      << ") rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">" << xml_escape(plot.y_label)
      << "</text>\n";

  // Series, in layers so nothing hides what it should not: reference series
  // (e.g. the BoN curve) at the bottom, then every faint marker, then the
  // other series' lines, then error bars and bold markers on top. A line of
  // one point is drawn as a ring around that point (nothing to join).
  auto color_of = [&](std::size_t i) -> std::string {
    const PlotSeries& series = plot.series[i];
    return series.reference ? kReferenceColor : series.color ? *series.color : kPalette[i % kPalette.size()];
  };
  auto shape_of = [&](std::size_t i) {
    const PlotSeries& series = plot.series[i];
    return series.reference ? 0 : series.shape.value_or(static_cast<int>(i));
  };
  auto ring = [&](std::size_t i, double x, double y, double r, const std::string& label) {
    return marker(0, x, y, r, "fill=\"none\" stroke=\"" + color_of(i) + "\" stroke-width=\"2\"", label);
  };
  // A one-point line with none of the series' markers on its point: drawn
  // as a ring (with a marker there, the point is drawn already).
  auto lone_point = [&](std::size_t i) {
    const PlotSeries& series = plot.series[i];
    if (series.line.size() != 1) return false;
    const PlotPoint& p = series.line.front();
    return std::none_of(series.markers.begin(), series.markers.end(),
                        [&](const PlotPoint& m) { return m.x == p.x && m.y == p.y; });
  };
  auto draw_line = [&](std::size_t i) {
    const PlotSeries& series = plot.series[i];
    if (lone_point(i)) {
      const PlotPoint& p = series.line.front();
      svg << ring(i, f.px(p.x), f.py(p.y * ys), 7.5, p.label.empty() ? series.name : p.label);
      return;
    }
    if (series.line.size() < 2) return;
    svg << "<polyline fill=\"none\" stroke=\"" << color_of(i) << "\" stroke-width=\""
        << (series.reference ? "1.5" : series.faint ? "1" : "2") << "\""
        << (series.reference ? " stroke-dasharray=\"6,4\"" : series.faint ? " stroke-opacity=\"0.6\"" : "")
        << " points=\"";
    for (const PlotPoint& p : series.line) svg << num(f.px(p.x)) << "," << num(f.py(p.y * ys)) << " ";
    svg << "\"/>\n";
  };
  auto draw_markers = [&](std::size_t i) {
    const PlotSeries& series = plot.series[i];
    const std::string color = color_of(i);
    const double r = series.reference ? 2.5 : series.faint ? 3.0 : 4.5;
    const std::string style = series.faint ? "fill=\"" + color + "\" fill-opacity=\"0.25\" stroke=\"none\""
                                           : "fill=\"" + color + "\" stroke=\"#ffffff\" stroke-width=\"0.8\"";
    for (const PlotPoint& p : series.markers) {
      const double x = f.px(p.x), y = f.py(p.y * ys);
      if (p.y_lo && p.y_hi) {
        const double y1 = f.py(*p.y_lo * ys), y2 = f.py(*p.y_hi * ys);
        svg << "<path d=\"M" << num(x) << "," << num(y1) << "V" << num(y2) << "M" << num(x - 3) << ","
            << num(y1) << "H" << num(x + 3) << "M" << num(x - 3) << "," << num(y2) << "H" << num(x + 3)
            << "\" stroke=\"" << color << "\" stroke-width=\"1\" stroke-opacity=\"0.5\" fill=\"none\"/>\n";
      }
      svg << marker(shape_of(i), x, y, r, style, p.label);
    }
  };
  svg << "<g class=\"reference\">\n";
  for (std::size_t i = 0; i < plot.series.size(); ++i)
    if (plot.series[i].reference) {
      draw_line(i);
      draw_markers(i);
    }
  svg << "</g>\n<g class=\"faint\">\n";
  for (std::size_t i = 0; i < plot.series.size(); ++i)
    if (!plot.series[i].reference && plot.series[i].faint) draw_markers(i);
  svg << "</g>\n<g class=\"lines\">\n";
  for (std::size_t i = 0; i < plot.series.size(); ++i)
    if (!plot.series[i].reference) draw_line(i);
  svg << "</g>\n<g class=\"points\">\n";
  for (std::size_t i = 0; i < plot.series.size(); ++i)
    if (!plot.series[i].reference && !plot.series[i].faint) draw_markers(i);
  svg << "</g>\n";

  // Legend: a line sample only for a series whose line is drawn as one; a
  // ring for a lone one-point line.
  const double lx = f.right + 18;
  double ly = f.top + 8;
  svg << "<g font-size=\"12\">\n";
  for (std::size_t i = 0; i < plot.series.size(); ++i) {
    const PlotSeries& series = plot.series[i];
    const std::string color = color_of(i);
    if (series.line.size() >= 2)
      svg << "<line x1=\"" << num(lx) << "\" y1=\"" << num(ly) << "\" x2=\"" << num(lx + 26) << "\" y2=\""
          << num(ly) << "\" stroke=\"" << color << "\" stroke-width=\"" << (series.faint ? "1" : "2") << "\""
          << (series.reference ? " stroke-dasharray=\"6,4\"" : series.faint ? " stroke-opacity=\"0.6\"" : "")
          << "/>\n";
    else if (lone_point(i))
      svg << ring(i, lx + 13, ly, 7.5, "");
    if (!series.markers.empty())
      svg << marker(shape_of(i), lx + 13, ly, series.reference ? 2.5 : 4.5,
                    series.faint ? "fill=\"" + color + "\" fill-opacity=\"0.35\""
                                 : "fill=\"" + color + "\" stroke=\"#ffffff\" stroke-width=\"0.8\"");
    svg << "<text x=\"" << num(lx + 34) << "\" y=\"" << num(ly + 4) << "\">" << xml_escape(series.name)
        << "</text>\n";
    ly += 20;
  }
  svg << "</g>\n</svg>\n";
  return svg.str();
}

std::string render_side_by_side(const std::vector<Plot>& plots) {
  if (plots.empty()) throw Error("plot: no plots to draw side by side");
  const std::string root = "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" ";
  int width = 0, height = 0;
  std::string title, body;
  for (const Plot& plot : plots) {
    std::string one = render_svg(plot);
    one.erase(0, one.find(root));  // the XML declaration
    one.replace(0, root.size(), "<svg x=\"" + std::to_string(width) + "\" y=\"0\" ");
    body += one;
    title += (title.empty() ? "" : " | ") + plot.title;
    width += plot.width;
    height = std::max(height, plot.height);
  }
  std::ostringstream svg;
  svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << root << "width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << " "
      << height << "\">\n<title>" << xml_escape(title) << "</title>\n"
      << body << "</svg>\n";
  return svg.str();
}

}  // namespace optscale::replay
