#include "mie/io/pyliteral.h"

#include <gtest/gtest.h>

#include "mie/core/error.h"

using mie::io::parse_py_literal;
using nlohmann::json;

namespace {
std::string err(const std::string& s) {
  try {
    parse_py_literal(s);
  } catch (const mie::Error& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(PyLiteral, Scalars) {
  EXPECT_EQ(parse_py_literal("True"), json(true));
  EXPECT_EQ(parse_py_literal(" False "), json(false));
  EXPECT_TRUE(parse_py_literal("None").is_null());
  EXPECT_EQ(parse_py_literal("42"), json(42));
  EXPECT_EQ(parse_py_literal("-7"), json(-7));
  EXPECT_EQ(parse_py_literal("0x1F"), json(31));
  EXPECT_EQ(parse_py_literal("1_000"), json(1000));
  EXPECT_DOUBLE_EQ(parse_py_literal("1.5e3").get<double>(), 1500.0);
  EXPECT_DOUBLE_EQ(parse_py_literal(".25").get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(parse_py_literal("-2.").get<double>(), -2.0);
  EXPECT_TRUE(parse_py_literal("123456789012345678901234567890").is_number_float());
}

TEST(PyLiteral, Strings) {
  EXPECT_EQ(parse_py_literal(R"('it\'s')"), json("it's"));
  EXPECT_EQ(parse_py_literal(R"("it's")"), json("it's"));
  EXPECT_EQ(parse_py_literal(R"('a\\b\"c\nd\te')"), json("a\\b\"c\nd\te"));
  EXPECT_EQ(parse_py_literal(R"('\x41\u00e9\U0001F600')"), json("A\xC3\xA9\xF0\x9F\x98\x80"));
  EXPECT_EQ(parse_py_literal(R"('\101\0')").get<std::string>(), std::string("A\0", 2));
  EXPECT_EQ(parse_py_literal(R"('a' "b")"), json("ab"));
  EXPECT_EQ(parse_py_literal(R"(r'\d+')"), json("\\d+"));
  EXPECT_EQ(parse_py_literal("'''x'y'''"), json("x'y"));
  EXPECT_EQ(parse_py_literal(R"('\q')"), json("\\q"));
  EXPECT_EQ(parse_py_literal("'caf\xC3\xA9'"), json("caf\xC3\xA9"));
}

TEST(PyLiteral, Containers) {
  json j = parse_py_literal(
      "{'token': ['RT', \"'s\"], 'h': {'name': 'Bill', 'pos': [3, 5]}, 'shape': (36, 4), 'one': (36,), "
      "'empty': (), 'x': None, 1: 'int key',}");
  EXPECT_EQ(j["token"], json({"RT", "'s"}));
  EXPECT_EQ(j["h"]["pos"], json({3, 5}));
  EXPECT_EQ(j["shape"], json({36, 4}));
  EXPECT_EQ(j["one"], json({36}));
  EXPECT_EQ(j["empty"], json::array());
  EXPECT_TRUE(j["x"].is_null());
  EXPECT_EQ(j["1"], json("int key"));
  EXPECT_EQ(parse_py_literal("(5)"), json(5));
  EXPECT_EQ(parse_py_literal("[[], {}, [1, [2, (3,)]]]"), json::parse("[[], {}, [1, [2, [3]]]]"));
}

TEST(PyLiteral, ErrorsNameTheColumn) {
  EXPECT_NE(err("{'a': 1").find("column 8"), std::string::npos) << err("{'a': 1");
  EXPECT_NE(err("['a', 'b'").find("unterminated list"), std::string::npos);
  EXPECT_NE(err("{'a' 1}").find("column 6"), std::string::npos) << err("{'a' 1}");
  EXPECT_NE(err("'abc").find("column 1: unterminated string"), std::string::npos) << err("'abc");
  EXPECT_NE(err("[1, foo]").find("column 5: unknown name 'foo'"), std::string::npos) << err("[1, foo]");
  EXPECT_NE(err("[1] x").find("column 5"), std::string::npos);
  EXPECT_NE(err("'\\x4'").find("column"), std::string::npos);
  EXPECT_NE(err("'\\ud800'").find("not a valid code point"), std::string::npos);
  EXPECT_NE(err("{1, 2}").find("set literals"), std::string::npos);
  EXPECT_NE(err("{[1]: 2}").find("unhashable"), std::string::npos);
  EXPECT_NE(err("007").find("leading zeros"), std::string::npos);
  EXPECT_NE(err("").find("end of input"), std::string::npos);
  EXPECT_NE(err(std::string(1000, '[')).find("too deep"), std::string::npos);
  EXPECT_NE(err("'\xff'").find("UTF-8"), std::string::npos);
}
