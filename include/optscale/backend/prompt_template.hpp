// Prompt templates with {name} placeholders, filled in one pass: values are
// never re-scanned (a problem that contains "{response}" stays intact) and
// braces that name no known placeholder (\boxed{}) are kept as written.
#pragma once
#include <map>
#include <string>
#include <string_view>

namespace optscale::backend {

std::string render_template(std::string_view text, const std::map<std::string, std::string, std::less<>>& values);

// Turns the escapes \n, \t, \r and \\ of a command-line value into characters
// (so that `--step-separator '\n\n'` means two newlines); other backslashes stay.
std::string decode_escapes(std::string_view text);

}  // namespace optscale::backend
