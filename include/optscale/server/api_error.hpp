// Errors the proxy answers with, in the OpenAI error shape that client
// libraries parse: {"error":{"message","type","param","code"}}, with the HTTP
// status that says who is at fault (4xx: the request, 5xx: us or upstream).
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "optscale/util/error.hpp"

namespace optscale::server {

// A request the proxy refuses or could not serve. `message` is shown to the
// client, so it never contains keys or prompts.
class ApiError : public Error {
 public:
  ApiError(int status, std::string message, std::string code = {},
           std::optional<std::string> param = std::nullopt);
  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::optional<std::string>& param() const { return param_; }
  // Seconds a client should wait before retrying (429, 503); nullopt: none.
  std::optional<int> retry_after_s;

 private:
  int status_;
  std::string code_;
  std::optional<std::string> param_;
};

// OpenAI's `type` for a status: invalid_request_error (400, 404, 413, 422),
// authentication_error (401), permission_error (403), rate_limit_exceeded
// (429), timeout_error (504), upstream_error (502), server_error otherwise.
std::string_view error_type(int status);

// The JSON body for an error.
std::string error_body(int status, std::string_view message, std::string_view code = {},
                       const std::optional<std::string>& param = std::nullopt);
std::string error_body(const ApiError& error);

}  // namespace optscale::server
