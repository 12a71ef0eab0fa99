#include "optscale/server/api_error.hpp"

#include <nlohmann/json.hpp>

namespace optscale::server {

ApiError::ApiError(int status, std::string message, std::string code, std::optional<std::string> param)
    : Error(std::move(message)), status_(status), code_(std::move(code)), param_(std::move(param)) {}

std::string_view error_type(int status) {
  switch (status) {
    case 400:
    case 404:
    case 405:
    case 413:
    case 415:
    case 422:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 429:
      return "rate_limit_exceeded";
    case 502:
      return "upstream_error";
    case 504:
      return "timeout_error";
    default:
      return "server_error";
  }
}

std::string error_body(int status, std::string_view message, std::string_view code,
                       const std::optional<std::string>& param) {
  nlohmann::json error = {{"message", message},
                          {"type", error_type(status)},
                          {"param", param ? nlohmann::json(*param) : nlohmann::json(nullptr)},
                          {"code", code.empty() ? nlohmann::json(nullptr) : nlohmann::json(code)}};
  // Upstream messages may carry bytes that are not UTF-8; replace rather than throw.
  return nlohmann::json{{"error", std::move(error)}}.dump(-1, ' ', false,
                                                          nlohmann::json::error_handler_t::replace);
}

std::string error_body(const ApiError& error) {
  return error_body(error.status(), error.what(), error.code(), error.param());
}

}  // namespace optscale::server
