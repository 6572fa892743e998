#include "cli/VerifyCommand.h"

#include "cli/ArgParser.h"
#include "cli/BatchVerifier.h"
#include "cli/Cli.h"
#include "cli/CliIo.h"
#include "cli/KeySpecOptions.h"
#include "core/crypto/Signature.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jws.h"
#include "core/jose/Token.h"
#include "core/model/Verdict.h"

#include <QDateTime>

namespace jwti {
namespace {

// Exit codes by outcome: 0 valid; 1 invalid, not verified or unsecured (the token must not be trusted); 2 when the
// token cannot be read (or the usage is wrong, e.g. a payload supplied for a token that carries its own).
int exitCodeFor(const Verdict& verdict)
{
    switch (verdict.outcome) {
    case VerdictOutcome::Valid:
        return ExitOk;
    case VerdictOutcome::Malformed:
        return ExitUsage;
    case VerdictOutcome::Invalid:
    case VerdictOutcome::NotVerified:
    case VerdictOutcome::Unsecured:
        break;
    }
    return ExitInvalid;
}

// One line, whatever the reason's text holds.
QString oneLine(QString text)
{
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    return text;
}

// Reads verify's options into VerifyOptions; returns an exit code on a usage error.
std::optional<int> readOptions(const ArgParser& parser, QTextStream& err, VerifyOptions& options)
{
    options.alg = parser.value(QStringLiteral("alg"));
    if (!options.alg.isEmpty()) {
        const AlgInfo* alg = findAlg(options.alg);
        if (!alg)
            return parser.usageError(err, QStringLiteral("unknown alg \"%1\"").arg(options.alg));
        if (alg->scheme == SignatureScheme::None)
            return parser.usageError(err, QStringLiteral("alg none is never verified"));
    }
    options.claims.now = QDateTime::currentSecsSinceEpoch();
    if (parser.isSet(QStringLiteral("now"))) {
        const auto now = parseInteger(parser.value(QStringLiteral("now")));
        if (!now)
            return parser.usageError(err, QStringLiteral("--now needs seconds since the epoch"));
        options.claims.now = *now;
    }
    if (parser.isSet(QStringLiteral("leeway"))) {
        const auto leeway = parseInteger(parser.value(QStringLiteral("leeway")));
        if (!leeway || *leeway < 0)
            return parser.usageError(err, QStringLiteral("--leeway needs a number of seconds (0 or more)"));
        options.claims.leeway = *leeway;
    }
    options.claims.audiences = parser.values(QStringLiteral("aud"));
    options.claims.issuer = parser.value(QStringLiteral("iss"));
    options.kid = parser.value(QStringLiteral("kid"));
    return std::nullopt;
}

// The last line: "valid", or "invalid: REASON" ("invalid: not verified: REASON" when no key could decide).
QString lastLine(const Verdict& verdict)
{
    if (verdict.isValid())
        return QStringLiteral("valid");
    const QString reason = terminalSafe(oneLine(verdict.reason));
    if (verdict.outcome == VerdictOutcome::NotVerified)
        return QStringLiteral("invalid: not verified: ") + reason;
    return QStringLiteral("invalid: ") + reason;
}

int runBatch(const std::vector<Key>& keys, VerifyOptions options, bool json, int jobs, QIODevice& in, QTextStream& out)
{
    // Throughput matters here (DESIGN.md budget: >= 0.8x openssl speed): the keys are parsed once, and diagnosis and
    // explanations only come with --json: the plain line has no room for them, and diagnosis costs verifies of its own.
    options.diagnose = json;
    options.explain = json;
    BatchVerifier batch(keys, options, [json](const Verdict& verdict) {
        return json ? QString::fromUtf8(verdictToJson(verdict)) : lastLine(verdict);
    });
    return batch.run(in, out, jobs) ? ExitOk : ExitInvalid;
}

} // namespace

QString verifyHelp()
{
    return QStringLiteral(
               "Usage: jwt-inspector verify KEYSPEC [OPTIONS] [TOKEN|-]\n"
               "       jwt-inspector verify KEYSPEC [OPTIONS] --batch [--jobs N]\n"
               "\n"
               "Verifies a token's signature and its claims (exp and nbf with leeway; aud and iss when asked).\n"
               "The token is judged exactly as given, trimmed of surrounding whitespace only. The verdict's headline\n"
               "comes first, then every check (signature, alg-allowed, key-fits, exp, nbf, iat, aud, iss, crit, typ)\n"
               "with its state (passed, failed, not-checked, not-applicable), why it failed, and notes. The last line\n"
               "is \"valid\" or \"invalid: REASON\" (\"invalid: not verified: REASON\" when no key given could\n"
               "decide). With no TOKEN or \"-\", the token is read from standard input.\n"
               "\n"
               "Which keys are tried: a kid (--kid, else the token's) picks the keys with that kid; keys with another\n"
               "kid are not tried. Otherwise every key whose type, curve and JWK alg fit the header's alg is tried,\n"
               "the ones given on the command line first. A key that does not fit is never a failure. A keystore key\n"
               "tried only because it fits (no --kid, not picked by the token's kid) that does not verify gives\n"
               "\"not verified\", never \"invalid\": the token never said it was signed with it.\n"
               "\n"
               "An empty payload segment (header..signature) is a signature over the empty payload; it is a detached\n"
               "payload (RFC 7515 Appendix F) only when --payload-file supplies one.\n"
               "\n"
               "Several signatures (JWS JSON general serialization): each key is matched to the signatures it fits\n"
               "(kid, then alg and key type). The token is valid when at least one signature verifies with a given\n"
               "key and no signature that a given key fits fails to verify; every signature's own result is listed.\n"
               "\n")
        + KeySpecOptions::helpText()
        + QStringLiteral(
               "\n"
               "Options:\n"
               "  --alg ALG           the algorithm to require (default: the key's JWK alg, else the header's,\n"
               "                      which must fit the key); the header's alg must always equal it; none never "
               "verifies\n"
               "  --now UNIX          the clock for exp/nbf/iat, in seconds since the epoch (default: now)\n"
               "  --leeway S          seconds of clock skew allowed (default 0)\n"
               "  --aud A             an accepted audience; repeat for several\n"
               "  --iss I             the required issuer\n"
               "  --payload-file F    the payload of a detached-content token (RFC 7515 Appendix F), raw bytes\n"
               "  --batch             one token a line on standard input, one result a line on standard output\n"
               "                      (\"valid\" or \"invalid: REASON\"; with --json one verdict object a line),\n"
               "                      each exactly what verify prints for that token alone, in input order\n"
               "  --jobs N            with --batch: verify on N threads (default: the cores this process may use);\n"
               "                      the output keeps the input's order and memory stays flat however long it is\n"
               "  --json              print the verdict as one JSON object: valid, outcome, headline, reason, code,\n"
               "                      key {description, kid, provenance}, checks [{name, state, message}],\n"
               "                      signatures [{index, kid, alg, outcome, message}], diagnosis [{code,\n"
               "                      message}], notes\n"
               "  --help              this text\n"
               "\n"
               "Exit: 0 valid (batch: all valid), 1 invalid, not verified or unsecured (alg none), 2 malformed\n"
               "      token, bad usage or unusable key, 3 I/O or keychain failure.\n");
}

int runVerifyCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err)
{
    ArgParser parser(QStringLiteral("verify"));
    KeySpecOptions::add(parser);
    parser.addValue(QStringLiteral("alg"));
    parser.addValue(QStringLiteral("now"));
    parser.addValue(QStringLiteral("leeway"));
    parser.addValue(QStringLiteral("aud"), true);
    parser.addValue(QStringLiteral("iss"));
    parser.addValue(QStringLiteral("payload-file"));
    parser.addFlag(QStringLiteral("batch"));
    parser.addFlag(QStringLiteral("json"));
    parser.addValue(QStringLiteral("jobs"));
    if (!parser.parse(args, err))
        return ExitUsage;
    if (parser.helpRequested()) {
        out << verifyHelp();
        return ExitOk;
    }
    const bool batch = parser.isSet(QStringLiteral("batch"));
    const bool json = parser.isSet(QStringLiteral("json"));
    if (parser.positionals().size() > 1)
        return parser.usageError(err, QStringLiteral("give one token"));
    if (batch && !parser.positionals().isEmpty())
        return parser.usageError(err, QStringLiteral("--batch reads tokens from standard input: give no TOKEN"));
    int jobs = BatchVerifier::defaultJobs();
    if (parser.isSet(QStringLiteral("jobs"))) {
        if (!batch)
            return parser.usageError(err, QStringLiteral("--jobs goes with --batch"));
        const auto given = parseInteger(parser.value(QStringLiteral("jobs")));
        if (!given || *given < 1 || *given > 1024)
            return parser.usageError(err, QStringLiteral("--jobs needs a number of threads from 1 to 1024"));
        jobs = int(*given);
    }

    VerifyOptions options;
    if (auto code = readOptions(parser, err, options))
        return *code;
    if (parser.isSet(QStringLiteral("payload-file"))) {
        auto payload = readFileBytes(parser.value(QStringLiteral("payload-file")));
        if (!payload)
            return parser.fail(err, payload.message(), ExitIo);
        options.detachedPayload = *payload;
    }

    // One token is read before the keys, so that --keystore reads from the keychain only the secrets of keys with
    // the token's kid and for its alg. A batch holds many tokens: it loads every stored key once.
    QByteArray text;
    KeySpecOptions::KeyHints hints;
    if (!batch) {
        if (parser.positionals().isEmpty() || parser.positionals().first() == QLatin1String("-"))
            text = readAllInput(in);
        else
            text = parser.positionals().first().toUtf8();
        if (parser.isSet(QStringLiteral("keystore"))) {
            const Token token = decodeUnverified(QString::fromUtf8(text.trimmed()));
            // Several signatures may each have their own kid: no hint then, every fitting stored key is a candidate.
            if (token.signatures.size() == 1) {
                hints.kid = token.kid();
                hints.alg = token.alg();
            }
        }
    }

    auto keys = KeySpecOptions::load(parser, hints);
    QString noStoredKey;
    if (!keys && keys.code() == ErrorCode::KeyNotFound && parser.isSet(QStringLiteral("keystore"))
        && !parser.isSet(QStringLiteral("kid"))) {
        // No stored key has the token's kid or serves its alg: the store cannot say anything about this token, which
        // is a neutral fact of the verdict (not-verified), not a failure of the command.
        noStoredKey = keys.message();
        keys = std::vector<Key>();
    }
    if (!keys) {
        if (keys.code() == ErrorCode::Usage)
            return parser.usageError(err, keys.message());
        return parser.fail(err, keys.message(), exitCodeForError(keys.code()));
    }

    if (batch)
        return runBatch(*keys, options, json, jobs, in, out);

    Verdict verdict = computeVerdict(text.trimmed(), *keys, options);
    if (!noStoredKey.isEmpty() && verdict.outcome == VerdictOutcome::NotVerified)
        verdict.notes.prepend(QStringLiteral("Key store: %1").arg(noStoredKey));
    if (json) {
        out << QString::fromUtf8(verdictToJson(verdict)) << '\n';
        return exitCodeFor(verdict);
    }
    out << terminalSafe(oneLine(verdict.headline)) << '\n';
    for (const VerdictCheck& check : verdict.checks) {
        out << "  " << check.name << ": " << checkStateName(check.state);
        if (!check.message.isEmpty())
            out << " - " << terminalSafe(oneLine(check.message));
        out << '\n';
    }
    if (verdict.signatures.size() > 1) {
        for (const SignatureVerdict& signature : verdict.signatures)
            out << "Signature " << signature.index + 1 << " (" << terminalSafe(signature.alg)
                << (signature.kid.isEmpty() ? QString() : QStringLiteral(", kid ") + terminalSafe(signature.kid))
                << "): " << outcomeName(signature.outcome) << " - " << terminalSafe(oneLine(signature.message)) << '\n';
    }
    for (const Diagnosis& diagnosis : verdict.diagnosis)
        out << "Why it failed: " << diagnosis.code << ": " << terminalSafe(oneLine(diagnosis.message)) << '\n';
    for (const QString& note : verdict.notes)
        out << "Note: " << terminalSafe(oneLine(note)) << '\n';
    out << lastLine(verdict) << '\n';
    return exitCodeFor(verdict);
}

QString verifySignatureHelp()
{
    return QStringLiteral("Usage: jwt-inspector verify-signature --alg ALG KEYSPEC (--input-hex HEX | --input-file F)\n"
                          "                                      (--sig-hex HEX | --sig B64URL)\n"
                          "\n"
                          "Verifies one raw signature over raw bytes (no token), as a JWS verifier does after\n"
                          "splitting a token: ECDSA signatures are raw r||s. Prints \"valid\" or \"invalid: "
                          "REASON\".\n"
                          "\n")
        + KeySpecOptions::helpText()
        + QStringLiteral("\n"
                         "Options:\n"
                         "  --alg ALG           the JWS algorithm (required)\n"
                         "  --input-hex HEX     the signed bytes, in hex\n"
                         "  --input-file F      the signed bytes, a file's raw content\n"
                         "  --sig-hex HEX       the signature, in hex\n"
                         "  --sig B64URL        the signature, in base64url\n"
                         "  --help              this text\n"
                         "\n"
                         "Exit: 0 valid, 1 invalid, 2 bad usage or unusable key, 3 I/O failure.\n");
}

int runVerifySignatureCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err)
{
    Q_UNUSED(in);
    ArgParser parser(QStringLiteral("verify-signature"));
    KeySpecOptions::add(parser);
    parser.addValue(QStringLiteral("alg"));
    parser.addValue(QStringLiteral("input-hex"));
    parser.addValue(QStringLiteral("input-file"));
    parser.addValue(QStringLiteral("sig-hex"));
    parser.addValue(QStringLiteral("sig"));
    if (!parser.parse(args, err))
        return ExitUsage;
    if (parser.helpRequested()) {
        out << verifySignatureHelp();
        return ExitOk;
    }
    if (!parser.positionals().isEmpty())
        return parser.usageError(err, QStringLiteral("unexpected argument %1").arg(parser.positionals().first()));
    if (!parser.isSet(QStringLiteral("alg")))
        return parser.usageError(err, QStringLiteral("--alg is required"));
    const AlgInfo* alg = findAlg(parser.value(QStringLiteral("alg")));
    if (!alg)
        return parser.usageError(err, QStringLiteral("unknown alg \"%1\"").arg(parser.value(QStringLiteral("alg"))));
    if (alg->scheme == SignatureScheme::None)
        return parser.usageError(err, QStringLiteral("alg none has no signature to verify"));
    if (parser.isSet(QStringLiteral("input-hex")) == parser.isSet(QStringLiteral("input-file")))
        return parser.usageError(err, QStringLiteral("give exactly one of --input-hex and --input-file"));
    if (parser.isSet(QStringLiteral("sig-hex")) == parser.isSet(QStringLiteral("sig")))
        return parser.usageError(err, QStringLiteral("give exactly one of --sig-hex and --sig"));

    QByteArray input;
    if (parser.isSet(QStringLiteral("input-hex"))) {
        const auto bytes = decodeHex(parser.value(QStringLiteral("input-hex")).toLatin1());
        if (!bytes)
            return parser.usageError(err, QStringLiteral("--input-hex is not hex"));
        input = *bytes;
    } else {
        auto bytes = readFileBytes(parser.value(QStringLiteral("input-file")));
        if (!bytes)
            return parser.fail(err, bytes.message(), ExitIo);
        input = *bytes;
    }
    QByteArray signature;
    if (parser.isSet(QStringLiteral("sig-hex"))) {
        const auto bytes = decodeHex(parser.value(QStringLiteral("sig-hex")).toLatin1());
        if (!bytes)
            return parser.usageError(err, QStringLiteral("--sig-hex is not hex"));
        signature = *bytes;
    } else {
        const Base64Decoded decoded = Base64Url::decode(parser.value(QStringLiteral("sig")).toLatin1());
        if (!decoded.ok())
            return parser.usageError(
                err, QStringLiteral("--sig is not canonical base64url: %1").arg(decoded.issues.front().message));
        signature = decoded.bytes;
    }

    auto keys = KeySpecOptions::load(parser);
    if (!keys) {
        if (keys.code() == ErrorCode::Usage)
            return parser.usageError(err, keys.message());
        return parser.fail(err, keys.message(), exitCodeForError(keys.code()));
    }
    const QString kid = parser.value(QStringLiteral("kid"));
    std::vector<const Key*> candidates;
    for (const Key& key : *keys) {
        if (kid.isEmpty() || key.metadata.kid == kid)
            candidates.push_back(&key);
    }
    if (candidates.empty())
        return parser.fail(err, QStringLiteral("no key with kid \"%1\"").arg(kid), ExitUsage);
    if (candidates.size() > 1)
        return parser.usageError(
            err, QStringLiteral("the key file holds %1 keys: pick one with --kid").arg(candidates.size()));
    const Key& key = *candidates.front();
    if (auto fits = checkKeyFitsAlg(*alg, key, KeyPurpose::Verify); !fits) {
        out << "invalid: " << oneLine(fits.message()) << '\n';
        return ExitInvalid;
    }
    auto verified = verifyBytes(*alg, key, input, signature);
    if (!verified) {
        out << "invalid: " << oneLine(verified.message()) << '\n';
        return ExitInvalid;
    }
    out << "valid\n";
    return ExitOk;
}

} // namespace jwti
