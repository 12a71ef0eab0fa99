#include "optscale/mock/mock_personality.hpp"

#include <stdexcept>

#include "optscale/mock/mock_service.hpp"

namespace optscale::mock {

void apply_mock_personality(std::string_view name, MockOptions& options) {
  options.personality = std::string(name);
  if (name == "vllm") {
    options.choice_tokens = false;
    options.max_model_len = options.max_model_len > 0 ? options.max_model_len : 4096;
    options.tokenize = MockTokenize::prompt_field;
    options.routes = MockRoutes::vllm;
  } else if (name == "llama.cpp") {
    options.choice_tokens = false;
    options.usage_first_choice_only = true;
    options.logprobs_count_tokens = true;
    options.slots = options.slots > 0 ? options.slots : 4;
    options.any_model = true;  // one model per server: the request's name is not checked
    options.tokenize = MockTokenize::content_field;
    options.routes = MockRoutes::llama_cpp;
  } else if (name == "sglang") {
    options.choice_tokens = false;
    options.classify_one_logit = true;
    options.any_model = true;  // its Python OpenAI routes do not check the name
    options.tokenize = MockTokenize::prompt_field;
    options.routes = MockRoutes::sglang;
  } else if (name == "ollama") {
    options.choice_tokens = false;
    options.max_choices = 1;
    options.routes = MockRoutes::ollama;
  } else {
    throw std::invalid_argument("--personality '" + std::string(name) +
                                "': expected vllm, llama.cpp, sglang or ollama");
  }
}

long long mock_token_count(std::string_view text) {
  long long tokens = 0;
  std::size_t stretch = 0;  // bytes since the last tag
  auto close_stretch = [&] {
    tokens += static_cast<long long>((stretch + 3) / 4);
    stretch = 0;
  };
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '<') {
      const std::size_t end = text.find('>', i);
      if (end != std::string_view::npos && end - i <= 32 &&
          text.substr(i, end - i).find_first_of(" \n\t") == std::string_view::npos) {
        close_stretch();
        ++tokens;
        i = end + 1;
        continue;
      }
    }
    ++stretch;
    ++i;
  }
  close_stretch();
  return tokens;
}

}  // namespace optscale::mock
