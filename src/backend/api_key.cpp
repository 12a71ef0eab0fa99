#include "optscale/backend/api_key.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "optscale/util/error.hpp"
#include "optscale/util/input_file.hpp"

namespace optscale::backend {

std::string load_api_key(const std::optional<std::filesystem::path>& file, const std::string& env_var) {
  if (file) {
    std::ifstream in = open_for_reading(*file, "API key file");
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string key = buffer.str();
    while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back()))) key.pop_back();
    std::size_t start = 0;
    while (start < key.size() && std::isspace(static_cast<unsigned char>(key[start]))) ++start;
    key.erase(0, start);
    if (key.empty()) throw Error("API key file " + file->string() + ": is empty");
    if (key.find_first_of("\r\n") != std::string::npos)
      throw Error("API key file " + file->string() + ": holds more than one line");
    return key;
  }
  if (!env_var.empty()) {
    if (const char* value = std::getenv(env_var.c_str()); value && *value) return value;
  }
  return {};
}

}  // namespace optscale::backend
