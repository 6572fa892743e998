#include "cli/JweKeyOptions.h"

#include "cli/CliIo.h"
#include "cli/KeysCommand.h"
#include "core/crypto/SecretBytes.h"

#include <QTextStream>

namespace jwti {
namespace JweKeyOptions {
namespace {

// Decrypting needs the private half, which KeySpecOptions' verify keys never read: the stored encryption keys are
// loaded here, narrowed by kid and set first, so no other key's secret leaves the keychain.
Result<std::vector<Key>> loadStored(ArgParser& parser, const KeySpecOptions::KeyHints& hints)
{
    for (const QString& other :
         {QStringLiteral("key"), QStringLiteral("jwks"), QStringLiteral("secret"), QStringLiteral("secret-hex"),
          QStringLiteral("secret-b64"), QStringLiteral("secret-file")}) {
        if (parser.isSet(other))
            return Error{ErrorCode::Usage, QStringLiteral("give one key source, not --keystore and --%1").arg(other)};
    }
    const bool kidGiven = parser.isSet(QStringLiteral("kid"));
    QStringList skipped;
    auto keys = loadKeystoreDecryptionKeys(kidGiven ? parser.value(QStringLiteral("kid")) : hints.kid,
                                           parser.value(QStringLiteral("set")), &skipped);
    QTextStream warnings(stderr);
    for (const QString& problem : skipped)
        warnings << "jwt-inspector: warning: skipped " << terminalSafe(problem) << "\n";
    // A key named with --kid is chosen: its failure makes the token fail. Otherwise stored keys are only tried where
    // they fit (or where the token's own kid picks them, which the verdict weighs itself).
    if (keys) {
        for (Key& key : keys.value())
            key.metadata.provenance.chosenByUser = kidGiven;
    }
    return keys;
}

} // namespace

void add(ArgParser& parser)
{
    KeySpecOptions::add(parser);
    parser.addValue(QStringLiteral("password-file"));
    parser.addValue(QStringLiteral("set"));
}

QString helpText()
{
    return KeySpecOptions::helpText()
        + QStringLiteral("  --password-file F       instead of the above: a PBES2 password, the file's bytes (one\n"
                         "                          trailing newline ignored)\n"
                         "  --set SET               with --keystore: only the keys of this key set\n"
                         "  A secret (--secret*) is an AES key-wrap, AES-GCM key-wrap or dir key of its length.\n"
                         "  --keystore offers the stored encryption keys (their alg is a JWE alg) with their private\n"
                         "  part; the token's kid picks among them, as verify picks.\n");
}

Result<std::vector<Key>> load(ArgParser& parser, const KeySpecOptions::KeyHints& hints)
{
    if (parser.isSet(QStringLiteral("set")) && !parser.isSet(QStringLiteral("keystore")))
        return Error{ErrorCode::Usage, QStringLiteral("--set goes with --keystore")};
    if (parser.isSet(QStringLiteral("keystore")) && !parser.isSet(QStringLiteral("password-file")))
        return loadStored(parser, hints);
    if (!parser.isSet(QStringLiteral("password-file")))
        return KeySpecOptions::load(parser, hints);
    for (const QString& other :
         {QStringLiteral("key"), QStringLiteral("jwks"), QStringLiteral("secret"), QStringLiteral("secret-hex"),
          QStringLiteral("secret-b64"), QStringLiteral("secret-file"), QStringLiteral("keystore")}) {
        if (parser.isSet(other))
            return Error{ErrorCode::Usage,
                         QStringLiteral("give one key source, not --password-file and --%1").arg(other)};
    }
    const QString path = parser.value(QStringLiteral("password-file"));
    auto password = readSecretFile(path, QStringLiteral("password"));
    if (!password)
        return password.error();
    Key key = Key::fromSecret(std::move(password).value());
    key.metadata.source = path;
    key.metadata.provenance.kind = KeyProvenance::Kind::File;
    key.metadata.provenance.file = path;
    key.metadata.provenance.chosenByUser = true;
    return std::vector<Key>{key};
}

} // namespace JweKeyOptions
} // namespace jwti
