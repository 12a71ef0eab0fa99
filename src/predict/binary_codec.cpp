#include "optscale/predict/binary_codec.hpp"

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "optscale/util/error.hpp"

namespace optscale::predict {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int decode_char(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::uint32_t to_little_endian(std::uint32_t v) {
  if constexpr (std::endian::native == std::endian::big) {
    v = ((v & 0xffu) << 24) | ((v & 0xff00u) << 8) | ((v >> 8) & 0xff00u) | (v >> 24);
  }
  return v;
}

std::string encode_base64(const std::string& bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) |
                            (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                            static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string decode_base64(std::string_view text, const std::string& where) {
  require(text.size() % 4 == 0, where, "base64 length is not a multiple of 4");
  std::string bytes;
  bytes.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::array<int, 4> d{};
    int padding = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text[i + k];
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        ++padding;
        continue;
      }
      if (padding != 0) throw Error(where + ": base64 padding in the middle of a group");
      d[k] = decode_char(c);
      if (d[k] < 0) {
        throw Error(where + ": invalid base64 character at offset " + std::to_string(i + k));
      }
    }
    const std::uint32_t n = (d[0] << 18) | (d[1] << 12) | (d[2] << 6) | d[3];
    bytes += static_cast<char>((n >> 16) & 0xff);
    if (padding < 2) bytes += static_cast<char>((n >> 8) & 0xff);
    if (padding < 1) bytes += static_cast<char>(n & 0xff);
  }
  return bytes;
}

std::string words_to_bytes(std::span<const std::uint32_t> words) {
  std::string bytes(words.size() * 4, '\0');
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::uint32_t le = to_little_endian(words[i]);
    std::memcpy(bytes.data() + 4 * i, &le, 4);
  }
  return bytes;
}

std::vector<std::uint32_t> bytes_to_words(std::string_view text, std::size_t expected_count,
                                          const std::string& where) {
  const std::string bytes = decode_base64(text, where);
  require(bytes.size() == expected_count * 4, where,
          [&] { return "expected " + std::to_string(expected_count) + " 32-bit values, found " +
              std::to_string(bytes.size()) + " bytes"; });
  std::vector<std::uint32_t> words(expected_count);
  for (std::size_t i = 0; i < expected_count; ++i) {
    std::uint32_t le;
    std::memcpy(&le, bytes.data() + 4 * i, 4);
    words[i] = to_little_endian(le);
  }
  return words;
}

}  // namespace

std::string encode_floats(std::span<const float> values) {
  std::vector<std::uint32_t> words(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) words[i] = std::bit_cast<std::uint32_t>(values[i]);
  return encode_base64(words_to_bytes(words));
}

std::string encode_uint32s(std::span<const std::uint32_t> values) {
  return encode_base64(words_to_bytes(values));
}

std::vector<float> decode_floats(std::string_view text, std::size_t expected_count,
                                 const std::string& where) {
  const auto words = bytes_to_words(text, expected_count, where);
  std::vector<float> values(expected_count);
  for (std::size_t i = 0; i < expected_count; ++i) {
    values[i] = std::bit_cast<float>(words[i]);
    if (!std::isfinite(values[i])) {
      throw Error(where + ": non-finite value at index " + std::to_string(i));
    }
  }
  return values;
}

std::vector<std::uint32_t> decode_uint32s(std::string_view text, std::size_t expected_count,
                                          const std::string& where) {
  return bytes_to_words(text, expected_count, where);
}

}  // namespace optscale::predict
