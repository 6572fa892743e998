#include "cli/KeygenCommand.h"

#include "cli/ArgParser.h"
#include "cli/CliIo.h"
#include "cli/ExitCodes.h"
#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyGeneration.h"
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
        "Usage: jwt-inspector keygen --alg ALG [--bits N] --out FILE [--public-out FILE] [--format pem|jwk]\n"
        "                            [--passphrase-file F]\n"
        "\n"
        "Generates a key for ALG from the system's random source: RSA 2048/3072/4096 (RS*, PS*), EC P-256/384/521\n"
        "(ES256/384/512), secp256k1 (ES256K), Ed25519 (EdDSA), Ed448, or an HMAC secret (HS*, 256/384/512 bits).\n"
        "Prints the key's kid, its RFC 7638 thumbprint (on standard error when the key goes to standard output).\n"
        "\n"
        "Options:\n"
        "  --alg ALG              the algorithm the key is for (required)\n"
        "  --bits N               RSA modulus or HMAC secret size (default: RSA 2048, HMAC the hash size)\n"
        "  --out FILE             the private key (or secret), created with mode 0600; never overwritten.\n"
        "                         \"--out -\" prints it on standard output; without --out nothing is generated,\n"
        "                         so a private key is never printed by accident\n"
        "  --public-out FILE      the public key (not for HMAC)\n"
        "  --format pem|jwk       PEM (PKCS#8 private, SPKI public) or JWK with kid and alg (default: pem; HMAC: "
        "jwk)\n"
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
    const QString algName = parser.value(QStringLiteral("alg"));
    const AlgInfo* alg = findAlg(algName);
    if (!alg)
        return parser.usageError(err, QStringLiteral("unknown alg \"%1\"").arg(algName));
    if (alg->scheme == SignatureScheme::None)
        return parser.usageError(err, QStringLiteral("alg none has no key"));
    int bits = 0;
    if (parser.isSet(QStringLiteral("bits"))) {
        const auto value = parseInteger(parser.value(QStringLiteral("bits")));
        if (!value || *value <= 0 || *value > 16384)
            return parser.usageError(err, QStringLiteral("--bits needs a positive number"));
        bits = int(*value);
    }
    const bool isHmac = alg->scheme == SignatureScheme::Hmac;
    QString format = parser.value(QStringLiteral("format"));
    if (format.isEmpty())
        format = isHmac ? QStringLiteral("jwk") : QStringLiteral("pem");
    if (format != QLatin1String("pem") && format != QLatin1String("jwk"))
        return parser.usageError(err, QStringLiteral("--format is pem or jwk"));
    if (isHmac && format == QLatin1String("pem"))
        return parser.usageError(err, QStringLiteral("an HMAC secret has no PEM form: use --format jwk"));
    if (isHmac && parser.isSet(QStringLiteral("public-out")))
        return parser.usageError(err, QStringLiteral("an HMAC secret has no public part: drop --public-out"));
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

    auto spec = keySpecForAlg(*alg, bits);
    if (!spec)
        return parser.usageError(err, spec.message());
    auto generated = generateKey(*spec);
    if (!generated)
        return parser.fail(err, generated.message(), ExitIo);
    Key key = *generated;
    const QString kid = thumbprint(key);
    key.metadata.kid = kid;
    key.metadata.alg = alg->displayName();

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
