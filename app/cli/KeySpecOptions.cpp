#include "cli/KeySpecOptions.h"

#include "cli/CliIo.h"
#include "cli/KeysCommand.h"
#include "core/crypto/KeyFormats.h"
#include "core/crypto/SecretBytes.h"

#include <QTextStream>

namespace jwti {
namespace KeySpecOptions {
namespace {

const QStringList kSources = {
    QStringLiteral("key"),        QStringLiteral("secret"),      QStringLiteral("secret-hex"),
    QStringLiteral("secret-b64"), QStringLiteral("secret-file"), QStringLiteral("keystore"),
    QStringLiteral("jwks"),
};

using Keys = std::vector<Key>;

// Keys given on the command line are the user's own choice: a signature they do not verify makes the token invalid.
KeyProvenance typedHere()
{
    KeyProvenance provenance;
    provenance.kind = KeyProvenance::Kind::Typed;
    provenance.chosenByUser = true;
    return provenance;
}

KeyProvenance fromFile(const QString& path)
{
    KeyProvenance provenance;
    provenance.kind = KeyProvenance::Kind::File;
    provenance.chosenByUser = true;
    provenance.file = path;
    return provenance;
}

Result<Keys> one(Result<Key> key, const QString& source, const KeyProvenance& provenance)
{
    if (!key)
        return key.error();
    Key value = *key;
    value.metadata.source = source;
    value.metadata.provenance = provenance;
    return Keys{value};
}

Result<Keys> secretFromText(ArgParser& parser, const QString& option, SecretEncoding encoding)
{
    QByteArray bytes = parser.value(option).toUtf8();
    parser.wipe(option);
    auto key = importSecret(bytes, encoding);
    wipeBytes(bytes);
    if (!key)
        return Error{key.code(), QStringLiteral("--%1: %2").arg(option, key.message())};
    return one(std::move(key), QStringLiteral("--%1").arg(option), typedHere());
}

} // namespace

void add(ArgParser& parser)
{
    for (const QString& source : kSources) {
        if (source == QLatin1String("keystore"))
            parser.addFlag(source);
        else
            parser.addValue(source);
    }
    parser.addValue(QStringLiteral("passphrase-file"));
    parser.addValue(QStringLiteral("kid"));
}

QString helpText()
{
    return QStringLiteral(
        "Key (exactly one):\n"
        "  --key FILE              PEM (PKCS#1, PKCS#8, encrypted PKCS#8, SEC1, SPKI, X.509), DER, JWK or JWKS\n"
        "  --passphrase-file F     passphrase of an encrypted PKCS#8 key (one trailing newline ignored)\n"
        "  --secret TEXT           HMAC secret as UTF-8 text (other users can read a command line:\n"
        "                          prefer --secret-file)\n"
        "  --secret-hex HEX        HMAC secret as hex\n"
        "  --secret-b64 B64URL     HMAC secret as base64url (or base64)\n"
        "  --secret-file FILE      HMAC secret as the file's raw bytes; nothing is trimmed except one\n"
        "                          trailing newline (\\n)\n"
        "  --jwks FILE             a JWKS file (an issuer's keys); the token's kid, or --kid, picks\n"
        "  --keystore              keys kept in the OS keychain (jwt-inspector keys)\n"
        "  --kid KID               pick the key with this kid (from a JWKS or the keystore)\n");
}

Result<std::vector<Key>> load(ArgParser& parser, const KeyHints& hints)
{
    QStringList given;
    for (const QString& source : kSources) {
        if (parser.isSet(source))
            given << QStringLiteral("--") + source;
    }
    if (given.isEmpty())
        return Error{ErrorCode::Usage,
                     QStringLiteral("no key given: use --key, --jwks, --secret, --secret-hex, "
                                    "--secret-b64, --secret-file or --keystore")};
    if (given.size() > 1)
        return Error{ErrorCode::Usage,
                     QStringLiteral("give one key source, not %1").arg(given.join(QLatin1String(" and ")))};
    if (parser.isSet(QStringLiteral("passphrase-file")) && !parser.isSet(QStringLiteral("key")))
        return Error{ErrorCode::Usage, QStringLiteral("--passphrase-file goes with --key")};

    if (parser.isSet(QStringLiteral("secret"))) {
        QTextStream(stderr) << "jwt-inspector: warning: a secret given with --secret can be read by other users "
                               "(ps, /proc) and stays in shell history; prefer --secret-file\n";
        return secretFromText(parser, QStringLiteral("secret"), SecretEncoding::Text);
    }
    if (parser.isSet(QStringLiteral("secret-hex")))
        return secretFromText(parser, QStringLiteral("secret-hex"), SecretEncoding::Hex);
    if (parser.isSet(QStringLiteral("secret-b64")))
        return secretFromText(parser, QStringLiteral("secret-b64"), SecretEncoding::Base64);

    if (parser.isSet(QStringLiteral("secret-file"))) {
        const QString path = parser.value(QStringLiteral("secret-file"));
        auto secret = readSecretFile(path, QStringLiteral("secret"));
        if (!secret)
            return secret.error();
        auto key = importSecret(secret->view(), SecretEncoding::Text);
        if (!key)
            return Error{key.code(), QStringLiteral("%1: %2").arg(path, key.message())};
        return one(std::move(key), path, fromFile(path));
    }

    if (parser.isSet(QStringLiteral("keystore"))) {
        QStringList skipped;
        const bool kidGiven = parser.isSet(QStringLiteral("kid"));
        const QString kid = kidGiven ? parser.value(QStringLiteral("kid")) : hints.kid;
        const QString alg = parser.isSet(QStringLiteral("alg")) ? parser.value(QStringLiteral("alg")) : hints.alg;
        auto keys = loadKeystoreKeys(kid, alg, &skipped);
        // One unreadable key is reported for itself; the others still verify.
        QTextStream warnings(stderr);
        for (const QString& problem : skipped)
            warnings << "jwt-inspector: warning: skipped " << terminalSafe(problem) << "\n";
        // A key the user named with --kid is chosen, not merely tried: its failure makes the token invalid. Without
        // --kid the stored keys are only tried where they fit (or where the token's own kid picks them, which the
        // verdict weighs itself), and a failure of a key merely tried proves nothing.
        if (keys) {
            for (Key& key : keys.value())
                key.metadata.provenance.chosenByUser = kidGiven;
        }
        return keys;
    }

    const bool jwksOnly = parser.isSet(QStringLiteral("jwks"));
    const QString path = parser.value(jwksOnly ? QStringLiteral("jwks") : QStringLiteral("key"));
    SecretBytes passphrase;
    if (parser.isSet(QStringLiteral("passphrase-file"))) {
        auto data = readFileBytes(parser.value(QStringLiteral("passphrase-file")));
        if (!data)
            return data.error();
        QByteArray bytes = std::move(data).value();
        if (bytes.endsWith('\n'))
            bytes.chop(1);
        passphrase = SecretBytes(bytes);
        wipeBytes(bytes);
    }
    auto data = readFileBytes(path);
    if (!data)
        return data.error();
    QByteArray bytes = std::move(data).value();
    auto keys = importKeys(bytes, passphrase);
    // The file may hold a private key: do not leave its bytes behind.
    wipeBytes(bytes);
    if (!keys) {
        if (keys.code() == ErrorCode::PassphraseRequired)
            return Error{keys.code(),
                         QStringLiteral("%1: the key is encrypted: give its passphrase with "
                                        "--passphrase-file")
                             .arg(path)};
        return Error{keys.code(), QStringLiteral("%1: %2").arg(path, keys.message())};
    }
    if (keys->empty())
        return Error{ErrorCode::KeyInvalid, QStringLiteral("%1: no key found").arg(path)};
    // --jwks names a key set (importKeys marks its entries "JWKS entry N"): a single key or a PEM there is a mistake
    // worth saying, not a key to use silently.
    if (jwksOnly && !keys->front().metadata.source.startsWith(QLatin1String("JWKS entry")))
        return Error{
            ErrorCode::KeyInvalid,
            QStringLiteral("%1: not a JWKS (a JSON object with a \"keys\" array); use --key for one key").arg(path)};
    for (std::size_t i = 0; i < keys->size(); ++i) {
        keys.value()[i].metadata.provenance = fromFile(path);
        if (keys.value()[i].metadata.source.isEmpty())
            keys.value()[i].metadata.source
                = keys->size() == 1 ? path : QStringLiteral("%1 key %2").arg(path).arg(i + 1);
    }
    return keys;
}

} // namespace KeySpecOptions
} // namespace jwti
