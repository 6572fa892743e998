#pragma once

#include "core/crypto/SecretBytes.h"
#include "core/jose/Result.h"

#include <QByteArray>
#include <QIODevice>
#include <QString>
#include <optional>

namespace jwti {

// File and stream helpers shared by the sub-commands. Failures are Io errors naming the file.
Result<QByteArray> readFileBytes(const QString& path);
QByteArray readAllInput(QIODevice& in);

// A secret kept in a file (a key's passphrase, a PBES2 password, an HMAC secret as text): its bytes without the one
// line ending an editor adds ("\n" or "\r\n"), read into memory that is wiped. An empty one is a usage error that
// names what the file was for ("the passphrase file F is empty").
Result<SecretBytes> readSecretFile(const QString& path, const QString& what);

// Strict hex (even length, 0-9a-fA-F, nothing else); nullopt when it is not.
std::optional<QByteArray> decodeHex(QByteArrayView text);

// The exit code for an error: I/O and keychain failures 3, everything else about the input 2.
int exitCodeForError(ErrorCode code);

// Text that came from a token, a key file or the keychain, made safe to print on a terminal: C0 and C1 control
// characters, DEL and the bidirectional controls are written as \xHH or \u{HHHH}, so the text can neither move the
// cursor, retitle or recolour the terminal, nor reorder what is printed after it.
QString terminalSafe(QStringView text);

// JSON text made safe for a terminal in the same way: DEL, C1 and bidirectional controls (which JSON allows raw inside
// strings, the only place they can occur) and C0 controls other than the line breaks between members become \u
// escapes, so the JSON means exactly the same. For every JSON the commands print that holds text from outside.
QString terminalSafeJson(const QString& json);

// A whole-number command-line value ("--now 1516239022"); nullopt when it is not one.
std::optional<qint64> parseInteger(const QString& text);

} // namespace jwti
