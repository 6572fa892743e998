#pragma once

namespace jwti {

// What every command's exit status means (DESIGN.md), the one contract scripts rely on:
// 0 valid/ok · 1 invalid (signature, claims, decryption) · 2 usage or malformed input · 3 keychain or I/O failure.
enum CliExit { ExitOk = 0, ExitInvalid = 1, ExitUsage = 2, ExitIo = 3 };

} // namespace jwti
