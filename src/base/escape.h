// Making guest-controlled text (names from a binary: imports, exports, the name section,
// component names) safe to print on a terminal or put into an error message.
#pragma once

#include <string>
#include <string_view>

namespace rill {

/// {s} with every byte a terminal could act on written as an escape: C0 controls and DEL
/// (`\n`, `\r`, `\t`, else `\xNN`, so ESC is `\x1b`), C1 controls and the Unicode bidi and
/// line/paragraph separators (`\u{NN}`), each byte of invalid UTF-8 (`\xNN`), and `\` itself
/// (`\\`), so the result names exactly one input. Printable ASCII and valid UTF-8 otherwise
/// pass through unchanged. Use it where a name goes into a message.
std::string escape_name(std::string_view s);

/// {s}, a whole message or listing, made terminal-safe at output: as escape_name, but '\n'
/// stays a line break and '\' is left alone, so text whose names were already escaped passes
/// through unchanged (a last line of defence for a path that forgot escape_name).
std::string terminal_safe(std::string_view s);

}  // namespace rill
