#include "cli/DecryptCommand.h"

#include "cli/ArgParser.h"
#include "cli/Cli.h"
#include "cli/CliIo.h"
#include "cli/DecodeCommand.h"
#include "cli/JweKeyOptions.h"
#include "core/crypto/KeyFormats.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwe.h"
#include "core/jose/Token.h"
#include "core/model/DecryptionVerdict.h"

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

QByteArray checksJson(const std::vector<VerdictCheck>& checks)
{
    QByteArray json = "[";
    for (std::size_t i = 0; i < checks.size(); ++i) {
        if (i)
            json += ',';
        json += "{\"name\":" + jsonString(checks[i].name) + ",\"state\":" + jsonString(checkStateName(checks[i].state))
            + ",\"message\":" + jsonString(checks[i].message) + '}';
    }
    return json + ']';
}

// The key that decided, with where it came from (the verdict's words), as verify --json says it.
QByteArray keyJson(const DecryptionVerdict& verdict)
{
    if (!verdict.key)
        return "null";
    return "{\"description\":" + jsonString(verdict.keyDescription) + ",\"kid\":"
        + jsonString(verdict.key->metadata.kid) + ",\"provenance\":" + jsonString(verdict.keyProvenance) + '}';
}

QByteArray decryptJson(const Jwe& jwe, const DecryptionVerdict& verdict)
{
    QByteArray json = "{\"decrypted\":";
    json += verdict.isDecrypted() ? "true" : "false";
    json += ",\"outcome\":" + jsonString(decryptionOutcomeName(verdict.outcome));
    json += ",\"headline\":" + jsonString(verdict.headline);
    json += ",\"reason\":" + jsonString(verdict.isDecrypted() ? QString() : verdict.reason);
    json += ",\"protected\":" + jsonOrNull(jwe.protectedHeader);
    json += ",\"unprotected\":" + jsonOrNull(jwe.sharedHeader);
    json += ",\"recipients\":[";
    for (size_t k = 0; k < jwe.recipients.size(); ++k) {
        if (k)
            json += ',';
        json += "{\"header\":" + jsonOrNull(jwe.recipients[k].header)
            + ",\"encrypted_key\":" + jsonString(QString::fromLatin1(jwe.recipients[k].encryptedKeyEncoded)) + '}';
    }
    json += "],\"recipient\":" + QByteArray::number(verdict.recipient);
    json += ",\"alg\":" + jsonString(verdict.alg) + ",\"enc\":" + jsonString(verdict.enc);
    json += ",\"key\":" + keyJson(verdict);
    json += ",\"checks\":" + checksJson(verdict.checks);
    json += ",\"notes\":[";
    for (qsizetype i = 0; i < verdict.notes.size(); ++i)
        json += (i ? "," : "") + jsonString(verdict.notes[i]);
    json += ']';
    if (verdict.isDecrypted())
        json += ",\"plaintext_b64u\":" + jsonString(QString::fromLatin1(Base64Url::encode(verdict.plaintext)));
    json += ",\"nested\":";
    if (verdict.nested != NestedKind::None)
        json += decodeJsonText(QString::fromUtf8(verdict.plaintext)).toUtf8();
    else
        json += "null";
    json += ",\"nested_verdict\":";
    json += verdict.innerVerdict ? verdictToJson(*verdict.innerVerdict) : QByteArray("null");
    json += '}';
    return json;
}

// The keys a nested JWS is verified with: never the decrypting key (another purpose, RFC 7517 §4.2).
Result<std::vector<Key>> readVerifyKeys(const QString& path)
{
    auto data = readFileBytes(path);
    if (!data)
        return data.error();
    QByteArray bytes = std::move(data).value();
    auto keys = importKeys(bytes);
    wipeBytes(bytes);
    if (!keys)
        return Error{keys.code(), QStringLiteral("--verify-key %1: %2").arg(path, keys.message())};
    for (Key& key : keys.value()) {
        key.metadata.provenance.kind = KeyProvenance::Kind::File;
        key.metadata.provenance.file = path;
        key.metadata.provenance.chosenByUser = true;
    }
    return keys;
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
               "Usage: jwt-inspector decrypt KEYSPEC [--json] [--alg ALG] [--verify-key F] [TOKEN|-]\n"
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
        + QStringLiteral("\n"
                         "Options:\n"
                         "  --json           one JSON object: decrypted, outcome, headline, reason, protected,\n"
                         "                   unprotected, recipients, recipient (the one that opened it), alg, enc,\n"
                         "                   key {description, kid, provenance}, checks [{name, state, message}],\n"
                         "                   notes, plaintext_b64u, nested (the decode of the plaintext when it is\n"
                         "                   itself a token, else null) and nested_verdict (its verify verdict)\n"
                         "  --alg ALG        refuse any other key management alg\n"
                         "  --verify-key F   verify a nested JWS with the keys of F (PEM, DER, JWK or JWKS); without\n"
                         "                   it the inner token is decoded and shown as not verified\n"
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
    parser.addValue(QStringLiteral("verify-key"));
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

    DecryptionExpectations expectations;
    expectations.kid = parser.value(QStringLiteral("kid"));
    if (parser.isSet(QStringLiteral("alg")))
        expectations.allowedAlgs = {parser.value(QStringLiteral("alg"))};
    if (parser.isSet(QStringLiteral("verify-key"))) {
        auto verifyKeys = readVerifyKeys(parser.value(QStringLiteral("verify-key")));
        if (!verifyKeys)
            return parser.fail(err, oneLine(verifyKeys.message()), exitCodeForError(verifyKeys.code()));
        expectations.verifyKeys = std::move(verifyKeys).value();
    }
    DecryptionVerdict verdict = computeDecryptionVerdict(*jwe, *keys, expectations);
    const int exitCode = verdict.isDecrypted() ? ExitOk : ExitInvalid;
    if (parser.isSet(QStringLiteral("json"))) // one object, whatever the outcome, as verify --json
        out << terminalSafeJson(QString::fromUtf8(decryptJson(*jwe, verdict))) << '\n';
    else if (verdict.isDecrypted())
        writeBytes(out, verdict.plaintext);
    else
        out << "invalid: " << oneLine(verdict.reason) << '\n';
    wipeBytes(verdict.plaintext);
    return exitCode;
}

} // namespace jwti
