#include "cli/KeygenCommand.h"

#include "cli/ArgParser.h"
#include "cli/CliIo.h"
#include "cli/ExitCodes.h"
#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyGeneration.h"
#include "core/crypto/KeyPolicy.h"
#include "core/crypto/SecretBytes.h"
#include "core/jose/Jwk.h"

#include <QFile>

namespace jwti {
namespace {

// Writes data to path, refusing to replace an existing file. A private key's file is created with mode 0600
// before any byte is written, so it is never readable by others, not even for a moment.
Result<void> writeNewFile(const QString& path, QByteArrayView data, bool isPrivate)
{
    QFile file(path);
    const QFileDevice::Permissions mode = isPrivate
        ? QFileDevice::ReadOwner | QFileDevice::WriteOwner
        : QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther;
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, mode)) {
        if (file.exists())
            return Result<void>::failure(ErrorCode::Io, QStringLiteral("%1 exists: not overwriting it").arg(path));
        return Result<void>::failure(ErrorCode::Io,
                                     QStringLiteral("cannot create %1: %2").arg(path, file.errorString()));
    }
    if (file.write(data.data(), data.size()) != data.size() || !file.flush()) {
        const QString reason = file.errorString();
        file.close();
        file.remove();
        return Result<void>::failure(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(path, reason));
    }
    file.close();
    return {};
}

} // namespace

QString keygenHelp()
{
    return QStringLiteral(
        "Usage: jwt-inspector keygen --alg ALG [--bits N] [--curve C] [--enc ENC] --out FILE [--public-out FILE]\n"
        "                            [--format pem|jwk] [--passphrase-file F]\n"
        "\n"
        "Generates a key for ALG from the system's random source. Signing: RSA 2048/3072/4096 (RS*, PS*), EC\n"
        "P-256/384/521 (ES256/384/512), secp256k1 (ES256K), Ed25519 (EdDSA), Ed448, or an HMAC secret (HS*,\n"
        "256/384/512 bits). Encryption (a JWE key-management ALG; the key is marked \"use\": \"enc\"): RSA for\n"
        "RSA-OAEP and RSA-OAEP-256, EC P-256/384/521 or X25519/X448 for ECDH-ES and ECDH-ES+A*KW, an AES key for\n"
        "A*KW and A*GCMKW, a dir key of the CEK size of --enc, a random password for PBES2-*.\n"
        "Prints the key's kid (on standard error when the key goes to standard output): a public key's RFC 7638\n"
        "thumbprint, a random id for a secret (its thumbprint would be a hash of the secret).\n"
        "\n"
        "Options:\n"
        "  --alg ALG              the algorithm the key is for (required)\n"
        "  --bits N               RSA modulus or HMAC secret size (default: RSA 2048, HMAC the hash size)\n"
        "  --curve C              ECDH-ES: P-256 (default), P-384, P-521, X25519 or X448\n"
        "  --enc ENC              dir: the content encryption the key is the CEK of (A128GCM, A256CBC-HS512, ...)\n"
        "  --out FILE             the private key (or secret), created with mode 0600; never overwritten.\n"
        "                         \"--out -\" prints it on standard output; without --out nothing is generated,\n"
        "                         so a private key is never printed by accident\n"
        "  --public-out FILE      the public key (not for secrets)\n"
        "  --format pem|jwk       PEM (PKCS#8 private, SPKI public) or JWK with kid, alg and use (default: pem;\n"
        "                         secrets: jwk)\n"
        "  --passphrase-file F    encrypt the PEM private key with this passphrase (AES-256-CBC, PBKDF2)\n"
        "  --help                 this text\n"
        "\n"
        "Exit: 0 generated, 2 bad usage, 3 I/O failure (an existing file is never replaced).\n");
}

int runKeygenCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err)
{
    Q_UNUSED(in);
    ArgParser parser(QStringLiteral("keygen"));
    parser.addValue(QStringLiteral("alg"));
    parser.addValue(QStringLiteral("bits"));
    parser.addValue(QStringLiteral("out"));
    parser.addValue(QStringLiteral("public-out"));
    parser.addValue(QStringLiteral("format"));
    parser.addValue(QStringLiteral("passphrase-file"));
    parser.addValue(QStringLiteral("curve"));
    parser.addValue(QStringLiteral("enc"));
    if (!parser.parse(args, err))
        return ExitUsage;
    if (parser.helpRequested()) {
        out << keygenHelp();
        return ExitOk;
    }
    if (!parser.positionals().isEmpty())
        return parser.usageError(err, QStringLiteral("unexpected argument %1").arg(parser.positionals().first()));
    if (!parser.isSet(QStringLiteral("alg")))
        return parser.usageError(err, QStringLiteral("--alg is required"));
    KeyRequest request;
    request.alg = parser.value(QStringLiteral("alg"));
    request.curve = parser.value(QStringLiteral("curve"));
    request.enc = parser.value(QStringLiteral("enc"));
    if (request.alg == QLatin1String("none"))
        return parser.usageError(err, QStringLiteral("alg none has no key"));
    const std::optional<KeyUse> use = algUse(request.alg);
    if (!use)
        return parser.usageError(err, QStringLiteral("unknown alg \"%1\"").arg(request.alg));
    if (parser.isSet(QStringLiteral("curve")) && !request.alg.startsWith(QLatin1String("ECDH-ES")))
        return parser.usageError(
            err, QStringLiteral("--curve goes with ECDH-ES algs; %1 decides its own key").arg(request.alg));
    if (parser.isSet(QStringLiteral("enc")) && request.alg != QLatin1String("dir"))
        return parser.usageError(err, QStringLiteral("--enc goes with --alg dir"));
    if (parser.isSet(QStringLiteral("bits"))) {
        const auto value = parseInteger(parser.value(QStringLiteral("bits")));
        if (!value || *value <= 0 || *value > 16384)
            return parser.usageError(err, QStringLiteral("--bits needs a positive number"));
        request.bits = int(*value);
    }
    auto spec = keySpecForRequest(request);
    if (!spec)
        return parser.usageError(err, spec.message());
    const bool isSecret = spec->type == KeyType::Oct;
    QString format = parser.value(QStringLiteral("format"));
    if (format.isEmpty())
        format = isSecret ? QStringLiteral("jwk") : QStringLiteral("pem");
    if (format != QLatin1String("pem") && format != QLatin1String("jwk"))
        return parser.usageError(err, QStringLiteral("--format is pem or jwk"));
    if (isSecret && format == QLatin1String("pem"))
        return parser.usageError(err, QStringLiteral("a secret has no PEM form: use --format jwk"));
    if (isSecret && parser.isSet(QStringLiteral("public-out")))
        return parser.usageError(err, QStringLiteral("a secret has no public part: drop --public-out"));
    if (parser.isSet(QStringLiteral("passphrase-file")) && format != QLatin1String("pem"))
        return parser.usageError(err, QStringLiteral("--passphrase-file encrypts PEM only: use --format pem"));
    if (!parser.isSet(QStringLiteral("out")))
        return parser.usageError(err,
                                 QStringLiteral("refusing to print a private key: give --out FILE "
                                                "(or --out - for standard output)"));
    const QString outPath = parser.value(QStringLiteral("out"));
    const QString publicPath = parser.value(QStringLiteral("public-out"));
    if (outPath.isEmpty())
        return parser.usageError(err, QStringLiteral("--out needs a file name"));
    if (!publicPath.isEmpty() && (publicPath == outPath || publicPath == QLatin1String("-")))
        return parser.usageError(err, QStringLiteral("--public-out needs its own file"));
    // Fail before the (possibly slow) generation when a file is in the way.
    if (outPath != QLatin1String("-") && QFile::exists(outPath))
        return parser.fail(err, QStringLiteral("%1 exists: not overwriting it").arg(outPath), ExitIo);
    if (!publicPath.isEmpty() && QFile::exists(publicPath))
        return parser.fail(err, QStringLiteral("%1 exists: not overwriting it").arg(publicPath), ExitIo);

    SecretBytes passphrase;
    if (parser.isSet(QStringLiteral("passphrase-file"))) {
        auto read = readSecretFile(parser.value(QStringLiteral("passphrase-file")), QStringLiteral("passphrase"));
        if (!read)
            return read.code() == ErrorCode::Usage ? parser.usageError(err, read.message())
                                                   : parser.fail(err, read.message(), exitCodeForError(read.code()));
        passphrase = *read;
    }

    auto generated = generateKeyForRequest(request);
    if (!generated)
        return parser.fail(err, generated.message(), ExitIo);
    Key key = *generated;
    const QString kid = defaultKid(key);
    key.metadata.kid = kid;
    key.metadata.alg = request.alg;
    // RFC 7517 §4.2: an encryption key says so, and no JOSE library will then sign with it.
    if (*use == KeyUse::Encryption)
        key.metadata.use = keyUseJwkName(KeyUse::Encryption);

    QByteArray privateText;
    if (format == QLatin1String("jwk")) {
        privateText = exportJwk(key, true);
    } else {
        auto pem = exportPrivatePem(key, passphrase);
        if (!pem)
            return parser.fail(err, pem.message(), ExitIo);
        privateText = *pem;
    }
    if (!privateText.endsWith('\n'))
        privateText += '\n';

    if (outPath == QLatin1String("-")) {
        out << QString::fromUtf8(privateText);
    } else if (auto written = writeNewFile(outPath, privateText, true); !written) {
        wipeBytes(privateText);
        return parser.fail(err, written.message(), ExitIo);
    }
    wipeBytes(privateText);

    if (!publicPath.isEmpty()) {
        QByteArray publicText
            = format == QLatin1String("jwk") ? exportJwk(key.publicOnly(), false) : exportPublicPem(key);
        if (!publicText.endsWith('\n'))
            publicText += '\n';
        if (auto written = writeNewFile(publicPath, publicText, false); !written)
            return parser.fail(err, written.message(), ExitIo);
    }
    // With the key itself on standard output, the kid goes to standard error, so the output stays one PEM or one
    // JWK that keys import - (or any JWK reader) accepts; a JWK carries the kid as its own member too.
    if (outPath == QLatin1String("-"))
        err << "kid " << kid << '\n';
    else
        out << kid << '\n';
    return ExitOk;
}

QString thumbprintHelp()
{
    return QStringLiteral("Usage: jwt-inspector thumbprint (KEYFILE | -) [--passphrase-file F]\n"
                          "\n"
                          "Prints the RFC 7638 JWK thumbprint (base64url SHA-256) of each key in KEYFILE (PEM, DER,\n"
                          "JWK or JWKS; - reads standard input), one a line. A private key's thumbprint is its\n"
                          "public key's.\n"
                          "\n"
                          "Options:\n"
                          "  --passphrase-file F    passphrase of an encrypted PKCS#8 key\n"
                          "  --help                 this text\n"
                          "\n"
                          "Exit: 0 ok, 2 bad usage or unreadable key, 3 I/O failure.\n");
}

int runThumbprintCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err)
{
    ArgParser parser(QStringLiteral("thumbprint"));
    parser.addValue(QStringLiteral("passphrase-file"));
    if (!parser.parse(args, err))
        return ExitUsage;
    if (parser.helpRequested()) {
        out << thumbprintHelp();
        return ExitOk;
    }
    if (parser.positionals().size() != 1)
        return parser.usageError(err, QStringLiteral("give one key file"));
    SecretBytes passphrase;
    if (parser.isSet(QStringLiteral("passphrase-file"))) {
        auto read = readSecretFile(parser.value(QStringLiteral("passphrase-file")), QStringLiteral("passphrase"));
        if (!read)
            return parser.fail(err, read.message(), exitCodeForError(read.code()));
        passphrase = *read;
    }
    const QString path = parser.positionals().first();
    QByteArray bytes;
    if (path == QLatin1String("-")) {
        bytes = readAllInput(in);
    } else {
        auto data = readFileBytes(path);
        if (!data)
            return parser.fail(err, terminalSafe(data.message()), ExitIo);
        bytes = std::move(data).value();
    }
    auto keys = importKeys(bytes, passphrase);
    wipeBytes(bytes);
    if (!keys)
        return parser.fail(err, terminalSafe(QStringLiteral("%1: %2").arg(path, keys.message())),
                           exitCodeForError(keys.code()));
    for (const Key& key : *keys)
        out << thumbprint(key) << '\n';
    return ExitOk;
}

} // namespace jwti
