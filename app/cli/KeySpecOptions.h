#pragma once

#include "cli/ArgParser.h"
#include "core/crypto/Key.h"
#include "core/jose/Result.h"

#include <vector>

namespace jwti {

// KEYSPEC (DESIGN.md "Command line"), shared by verify, verify-signature and sign:
//   --key FILE [--passphrase-file F] | --jwks FILE | --secret TEXT | --secret-hex HEX | --secret-b64 B64URL
//   | --secret-file FILE | --keystore [--kid KID]
namespace KeySpecOptions {

// Registers the options above (and --kid) on parser.
void add(ArgParser& parser);

// The help lines describing them.
QString helpText();

// What the token says about its key, for a caller that has read the token before the keys: with --keystore, only
// stored keys with this kid (unless --kid names one) and for this alg (unless --alg names one) are loaded, so no
// other key's secret is read from the keychain.
struct KeyHints
{
    QString kid;
    QString alg;
};

// Reads the keys the options name; exactly one source must be given. Secrets given on the command line are wiped
// from the parser and from every buffer that held them once imported. Errors: Usage (no source, two sources),
// Io (unreadable file), Keychain, or the key import's own error; the message never contains secret material.
Result<std::vector<Key>> load(ArgParser& parser, const KeyHints& hints = {});

} // namespace KeySpecOptions
} // namespace jwti
