// mie/io/pyliteral.h — a small recursive-descent parser for Python literals (MNRE, MORE, .npy).
//
//   nlohmann::json j = mie::io::parse_py_literal("{'token': ['a', \"b's\"], 'pos': (3, 5), 'x': None}");
//   j["pos"][1] == 5;   // tuples become arrays, None -> null, True/False -> booleans
//
// Supported: dict, list, tuple (incl. "(1,)" and "()"), set literals are rejected; str with single
// or double quotes (optionally r/R-prefixed, triple quotes too) and escapes \\ \' \" \n \t \r \b \f
// \v \a \0-\777 (octal) \xHH \uHHHH \UHHHHHHHH and backslash-newline; adjacent strings concatenate;
// int (decimal, 0x/0o/0b, underscores; beyond int64 -> double), float (incl. exponent, inf/nan
// via float('inf') are NOT supported), True/False/None; trailing commas. Dict keys must be
// str, int, float, bool or None (non-str keys become their Python repr string).
// Errors throw mie::Error("column N: ...") with the 1-based byte column; readers add file:line.
// Thread safety: pure function.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace mie::io {

nlohmann::json parse_py_literal(std::string_view text);

}  // namespace mie::io
