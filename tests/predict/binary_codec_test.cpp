#include "optscale/predict/binary_codec.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "optscale/util/error.hpp"

namespace optscale::predict {
namespace {

TEST(BinaryCodec, KnownEncodings) {
  // 1.0f is 0x3f800000, little-endian bytes 00 00 80 3f.
  EXPECT_EQ(encode_floats(std::vector<float>{1.0f}), "AACAPw==");
  EXPECT_EQ(encode_uint32s(std::vector<std::uint32_t>{1u, 0x01020304u}), "AQAAAAQDAgE=");
  EXPECT_EQ(encode_floats(std::vector<float>{}), "");
}

TEST(BinaryCodec, RoundTripsEveryLengthModuloThree) {
  for (std::size_t n = 0; n < 7; ++n) {
    std::vector<float> floats;
    std::vector<std::uint32_t> words;
    for (std::size_t i = 0; i < n; ++i) {
      floats.push_back(static_cast<float>(i) * -1.25e-3f + 3.5f);
      words.push_back(static_cast<std::uint32_t>(0xfedcba98u - 977u * i));
    }
    EXPECT_EQ(decode_floats(encode_floats(floats), n, "test"), floats);
    EXPECT_EQ(decode_uint32s(encode_uint32s(words), n, "test"), words);
  }
}

TEST(BinaryCodec, RejectsMalformedInput) {
  EXPECT_THROW(decode_floats("AACAPw=", 1, "w"), Error);     // length not a multiple of 4
  EXPECT_THROW(decode_floats("AAC*Pw==", 1, "w"), Error);    // bad character
  EXPECT_THROW(decode_floats("AACAPw==", 2, "w"), Error);    // wrong count
  EXPECT_THROW(decode_floats("A=CAPw==", 1, "w"), Error);    // padding inside
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_THROW(decode_floats(encode_floats(std::vector<float>{inf}), 1, "w"), Error);
  try {
    decode_floats("AAC*Pw==", 1, "model.json: heads.mu");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("model.json: heads.mu"), std::string::npos);
  }
}

}  // namespace
}  // namespace optscale::predict
