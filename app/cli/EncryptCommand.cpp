#include "cli/EncryptCommand.h"

#include "cli/ArgParser.h"
#include "cli/Cli.h"
#include "cli/CliIo.h"
#include "cli/JweKeyOptions.h"
#include "core/jose/Jwe.h"

namespace jwti {

QString encryptHelp()
{
    return QStringLiteral(
               "Usage: jwt-inspector encrypt KEYSPEC --alg ALG --enc ENC [OPTIONS] (PAYLOAD | -)\n"
               "\n"
               "Encrypts the payload's bytes (the argument as UTF-8, or standard input with \"-\", exactly) and\n"
               "prints a compact JWE. The header is alg, enc, then zip, kid, cty, then what the alg adds (epk,\n"
               "apu/apv, iv/tag, p2s/p2c). A public key is enough for RSA and ECDH-ES.\n"
               "ALG: RSA-OAEP, RSA-OAEP-256, A128KW, A192KW, A256KW, dir, ECDH-ES, ECDH-ES+A128KW,\n"
               "     ECDH-ES+A192KW, ECDH-ES+A256KW, A128GCMKW, A192GCMKW, A256GCMKW, PBES2-HS256+A128KW,\n"
               "     PBES2-HS384+A192KW, PBES2-HS512+A256KW (RSA1_5 is refused: decrypt only)\n"
               "ENC: A128CBC-HS256, A192CBC-HS384, A256CBC-HS512, A128GCM, A192GCM, A256GCM\n"
               "\n")
        + JweKeyOptions::helpText()
        + QStringLiteral("\n"
                         "Options:\n"
                         "  --alg ALG        the key management algorithm (required)\n"
                         "  --enc ENC        the content encryption (required)\n"
                         "  --zip DEF        compress the payload first (RFC 7516 §4.1.3)\n"
                         "  --kid K          the header's kid (also picks the key from a JWKS or the key store);\n"
                         "                   default: the key's own kid, if it has one\n"
                         "  --cty C          the header's cty: JWT for a signed token inside (sign, then encrypt)\n"
                         "  --p2c N          PBES2 iterations, 1000 to 1,000,000 (default 310000)\n"
                         "  --help           this text\n"
                         "\n"
                         "Exit: 0 encrypted, 2 bad usage, payload or key, 3 I/O or keychain failure.\n");
}

int runEncryptCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err)
{
    ArgParser parser(QStringLiteral("encrypt"));
    JweKeyOptions::add(parser);
    parser.addValue(QStringLiteral("alg"));
    parser.addValue(QStringLiteral("enc"));
    parser.addValue(QStringLiteral("zip"));
    parser.addValue(QStringLiteral("cty"));
    parser.addValue(QStringLiteral("p2c"));
    if (!parser.parse(args, err))
        return ExitUsage;
    if (parser.helpRequested()) {
        out << encryptHelp();
        return ExitOk;
    }
    if (!parser.isSet(QStringLiteral("alg")) || !parser.isSet(QStringLiteral("enc")))
        return parser.usageError(err, QStringLiteral("--alg and --enc are required"));
    if (parser.positionals().size() != 1)
        return parser.usageError(err, QStringLiteral("give the payload (or \"-\" for standard input)"));
    const QString zip = parser.value(QStringLiteral("zip"));
    if (parser.isSet(QStringLiteral("zip")) && zip != QLatin1String("DEF"))
        return parser.usageError(err, QStringLiteral("--zip takes DEF, the one compression JWE defines"));
    JweEncryptOptions options;
    options.alg = parser.value(QStringLiteral("alg"));
    options.enc = parser.value(QStringLiteral("enc"));
    options.zip = zip;
    options.cty = parser.value(QStringLiteral("cty"));
    if (parser.isSet(QStringLiteral("p2c"))) {
        const auto count = parseInteger(parser.value(QStringLiteral("p2c")));
        if (!count || *count < 1000 || *count > 1000000)
            return parser.usageError(err, QStringLiteral("--p2c takes 1000 to 1,000,000 iterations"));
        options.p2c = static_cast<int>(*count);
    }

    const QString payloadArg = parser.positionals().first();
    QByteArray payload = payloadArg == QLatin1String("-") ? readAllInput(in) : payloadArg.toUtf8();

    const QString kid = parser.value(QStringLiteral("kid"));
    KeySpecOptions::KeyHints hints;
    hints.kid = kid;
    auto keys = JweKeyOptions::load(parser, hints);
    if (!keys) {
        if (keys.code() == ErrorCode::Usage)
            return parser.usageError(err, keys.message());
        return parser.fail(err, terminalSafe(keys.message()), exitCodeForError(keys.code()));
    }
    std::vector<const Key*> candidates;
    for (const Key& key : *keys) {
        if (keys->size() == 1 || kid.isEmpty() || key.metadata.kid == kid)
            candidates.push_back(&key);
    }
    if (candidates.empty())
        return parser.fail(err, QStringLiteral("no key with kid \"%1\"").arg(terminalSafe(kid)), ExitUsage);
    if (candidates.size() > 1)
        return parser.usageError(
            err, QStringLiteral("the key source holds %1 keys: pick one with --kid").arg(candidates.size()));
    const Key& key = *candidates.front();
    options.kid = kid.isEmpty() ? key.metadata.kid : kid;

    auto token = encryptJwe(payload, key, options);
    wipeBytes(payload);
    if (!token)
        return parser.fail(err, terminalSafe(token.message()), exitCodeForError(token.code()));
    out << QString::fromLatin1(*token) << '\n';
    return ExitOk;
}

} // namespace jwti
