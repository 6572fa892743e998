#include "cli/DecryptCommand.h"

#include "cli/ArgParser.h"
#include "cli/Cli.h"
#include "cli/CliIo.h"
#include "cli/DecodeCommand.h"
#include "cli/JweKeyOptions.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwe.h"
#include "core/jose/Token.h"

namespace jwti {
namespace {

QByteArray jsonString(const QString& text)
{
    return jsonQuote(text);
}

QByteArray jsonOrNull(const std::optional<JsonValue>& value)
{
    return value ? value->toCompactJson() : QByteArray("null");
}

QString oneLine(QString text)
{
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return terminalSafe(text);
}

// A decrypted payload that is itself a token: "cty": "JWT" says so (RFC 7519 §5.2); a JWS or JWE without it is
// recognised too, as the window does.
bool isNestedToken(const JweDecryption& decrypted)
{
    if (decrypted.cty.compare(QLatin1String("JWT"), Qt::CaseInsensitive) == 0)
        return true;
    const bool ascii = std::all_of(decrypted.plaintext.begin(), decrypted.plaintext.end(),
                                   [](char c) { return c > 0x20 && c < 0x7f; });
    if (!ascii || decrypted.plaintext.isEmpty())
        return false;
    const Token token = decodeUnverified(QString::fromLatin1(decrypted.plaintext));
    return token.errors.empty() && token.kind != TokenKind::Malformed && token.kind != TokenKind::Empty;
}

QByteArray decryptJson(const Jwe& jwe, const JweDecryption& decrypted)
{
    QByteArray json = "{\"protected\":" + jsonOrNull(jwe.protectedHeader);
    json += ",\"unprotected\":" + jsonOrNull(jwe.sharedHeader);
    json += ",\"recipients\":[";
    for (size_t k = 0; k < jwe.recipients.size(); ++k) {
        if (k)
            json += ',';
        json += "{\"header\":" + jsonOrNull(jwe.recipients[k].header)
            + ",\"encrypted_key\":" + jsonString(QString::fromLatin1(jwe.recipients[k].encryptedKeyEncoded)) + '}';
    }
    json += "],\"recipient\":" + QByteArray::number(decrypted.recipient);
    json += ",\"alg\":" + jsonString(decrypted.alg) + ",\"enc\":" + jsonString(decrypted.enc);
    json += ",\"key\":"
        + jsonString(decrypted.key.metadata.source.isEmpty() ? decrypted.key.description()
                                                             : decrypted.key.metadata.source);
    json += ",\"plaintext_b64u\":" + jsonString(QString::fromLatin1(Base64Url::encode(decrypted.plaintext)));
    json += ",\"nested\":";
    if (isNestedToken(decrypted))
        json += decodeJsonText(QString::fromUtf8(decrypted.plaintext)).toUtf8();
    else
        json += "null";
    json += '}';
    return json;
}

// The plaintext exactly as decrypted: bytes, not text, so nothing is transcoded or added.
void writeBytes(QTextStream& out, const QByteArray& bytes)
{
    out.flush();
    if (QIODevice* device = out.device())
        device->write(bytes);
    else
        out << QString::fromLatin1(bytes);
}

} // namespace

QString decryptHelp()
{
    return QStringLiteral(
               "Usage: jwt-inspector decrypt KEYSPEC [--json] [--alg ALG] [TOKEN|-]\n"
               "\n"
               "Decrypts a JWE (compact, or JSON flattened or general) and prints the plaintext bytes exactly,\n"
               "with nothing added. With no TOKEN or \"-\", the token is read from standard input. Every\n"
               "recipient is tried with every key that fits it; the token's kid picks among several keys.\n"
               "Algorithms: RSA-OAEP, RSA-OAEP-256, RSA1_5 (legacy, decrypt only), A128KW/A192KW/A256KW, dir,\n"
               "ECDH-ES(+A128KW/+A192KW/+A256KW) on P-256/384/521 and X25519/X448, A128GCMKW/A192GCMKW/A256GCMKW,\n"
               "PBES2-HS256+A128KW/-HS384+A192KW/-HS512+A256KW; A128CBC-HS256/A192CBC-HS384/A256CBC-HS512,\n"
               "A128GCM/A192GCM/A256GCM; zip DEF (at most 16 MiB inflated).\n"
               "\n")
        + JweKeyOptions::helpText()
        + QStringLiteral(
               "\n"
               "Options:\n"
               "  --json           one JSON object: protected, unprotected, recipients, recipient (the one\n"
               "                   that opened it), alg, enc, key, plaintext_b64u, and nested: the decode of\n"
               "                   the plaintext when it is itself a token (cty JWT), else null\n"
               "  --alg ALG        refuse any other key management alg\n"
               "  --help           this text\n"
               "\n"
               "Exit: 0 decrypted, 1 \"invalid: REASON\" (does not decrypt or authenticate, or refused),\n"
               "      2 malformed token or bad usage, 3 I/O or keychain failure.\n");
}

int runDecryptCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err)
{
    ArgParser parser(QStringLiteral("decrypt"));
    JweKeyOptions::add(parser);
    parser.addFlag(QStringLiteral("json"));
    parser.addValue(QStringLiteral("alg"));
    if (!parser.parse(args, err))
        return ExitUsage;
    if (parser.helpRequested()) {
        out << decryptHelp();
        return ExitOk;
    }
    if (parser.positionals().size() > 1)
        return parser.usageError(err, QStringLiteral("give one token"));
    const QByteArray text = parser.positionals().isEmpty() || parser.positionals().first() == QLatin1String("-")
        ? readAllInput(in)
        : parser.positionals().first().toUtf8();

    auto jwe = parseJwe(text);
    if (!jwe)
        return parser.fail(err, oneLine(jwe.message()), ExitUsage);

    // With --keystore only stored keys with the token's kid are read from the keychain (as verify does).
    KeySpecOptions::KeyHints hints;
    if (jwe->recipients.size() == 1)
        hints.kid = jwe->headerString(0, u"kid");
    auto keys = JweKeyOptions::load(parser, hints);
    if (!keys) {
        if (keys.code() == ErrorCode::Usage)
            return parser.usageError(err, keys.message());
        if (keys.code() == ErrorCode::KeyNotFound) {
            out << "invalid: " << oneLine(keys.message()) << '\n';
            return ExitInvalid;
        }
        return parser.fail(err, oneLine(keys.message()), exitCodeForError(keys.code()));
    }

    JweDecryptOptions options;
    options.kid = parser.value(QStringLiteral("kid"));
    if (parser.isSet(QStringLiteral("alg")))
        options.allowedAlgs = {parser.value(QStringLiteral("alg"))};
    auto decrypted = decryptJwe(*jwe, *keys, options);
    if (!decrypted) {
        out << "invalid: " << oneLine(decrypted.message()) << '\n';
        return ExitInvalid;
    }
    if (parser.isSet(QStringLiteral("json")))
        out << terminalSafeJson(QString::fromUtf8(decryptJson(*jwe, *decrypted))) << '\n';
    else
        writeBytes(out, decrypted->plaintext);
    wipeBytes(decrypted.value().plaintext);
    return ExitOk;
}

} // namespace jwti
