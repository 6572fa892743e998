#include "VerifyCommand.h"

#include "ArgParser.h"
#include "Cli.h"
#include "CliIo.h"
#include "KeySpecOptions.h"
#include "crypto/Signature.h"
#include "jose/Base64Url.h"
#include "jose/Jws.h"
#include "jose/Token.h"

#include <QDateTime>

namespace jwti {
namespace {

// Errors that mean the token itself could not be read: exit 2 rather than 1.
bool isMalformedInput(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Usage:
    case ErrorCode::MalformedToken:
    case ErrorCode::Base64:
    case ErrorCode::Json:
    case ErrorCode::HeaderInvalid:
    case ErrorCode::PayloadInvalid:
        return true;
    default:
        return false;
    }
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

QString verifyLine(QByteArrayView line, const std::vector<Key>& keys, const VerifyOptions& options, bool& allValid)
{
    auto token = parseStrict(line.trimmed());
    if (!token) {
        allValid = false;
        return QStringLiteral("invalid: ") + oneLine(token.message());
    }
    const VerifyResult result = verifyToken(*token, keys, options);
    if (result.valid)
        return {};
    allValid = false;
    return QStringLiteral("invalid: ") + oneLine(result.reason);
}

int runBatch(const std::vector<Key>& keys, const VerifyOptions& options, QIODevice& in, QTextStream& out)
{
    // Throughput matters here (DESIGN.md budget: ≥ 0.8× openssl speed): the keys are parsed once, standard input is
    // read in large chunks (asking the device for atEnd() or a line at a time costs a system call or two per token),
    // and the output is buffered by the stream and flushed every few thousand lines.
    // One prepared verifier per (alg, key) for the whole batch: the key checks and OpenSSL set-up run once, not per
    // token; every per-signature check still runs for each token.
    const VerifierReuseScope reuseVerifiers;
    bool allValid = true;
    int pending = 0;
    QByteArray buffer;
    qsizetype consumed = 0;
    constexpr qsizetype kChunk = 1 << 16;
    auto emitLine = [&](QByteArrayView line) {
        const QString failure = verifyLine(line, keys, options, allValid);
        if (failure.isEmpty())
            out << "valid\n";
        else
            out << failure << '\n';
        if (++pending == 4096) {
            out.flush();
            pending = 0;
        }
    };
    for (;;) {
        const qsizetype kept = buffer.size() - consumed;
        if (consumed > 0) {
            buffer.remove(0, consumed);
            consumed = 0;
        }
        buffer.resize(kept + kChunk);
        const qint64 got = in.read(buffer.data() + kept, kChunk);
        buffer.resize(kept + std::max<qint64>(got, 0));
        if (got <= 0)
            break;
        qsizetype newline;
        while ((newline = buffer.indexOf('\n', consumed)) >= 0) {
            emitLine(QByteArrayView(buffer).sliced(consumed, newline - consumed));
            consumed = newline + 1;
        }
    }
    // A last line without its newline is still a token.
    if (consumed < buffer.size())
        emitLine(QByteArrayView(buffer).sliced(consumed));
    out.flush();
    return allValid ? ExitOk : ExitInvalid;
}

} // namespace

QString verifyHelp()
{
    return QStringLiteral(
               "Usage: jwt-inspector verify KEYSPEC [OPTIONS] [TOKEN|-]\n"
               "       jwt-inspector verify KEYSPEC [OPTIONS] --batch\n"
               "\n"
               "Verifies a token's signature and its claims (exp and nbf with leeway; aud and iss when asked).\n"
               "The token is judged exactly as given, trimmed of surrounding whitespace only. The last line printed "
               "is\n"
               "\"valid\" or \"invalid: REASON\". With no TOKEN or \"-\", the token is read from standard input.\n"
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
               "  --help              this text\n"
               "\n"
               "Exit: 0 valid (batch: all valid), 1 invalid, 2 malformed token, bad usage or unusable key,\n"
               "      3 I/O or keychain failure.\n");
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
    if (!parser.parse(args, err))
        return ExitUsage;
    if (parser.helpRequested()) {
        out << verifyHelp();
        return ExitOk;
    }
    const bool batch = parser.isSet(QStringLiteral("batch"));
    if (parser.positionals().size() > 1)
        return parser.usageError(err, QStringLiteral("give one token"));
    if (batch && !parser.positionals().isEmpty())
        return parser.usageError(err, QStringLiteral("--batch reads tokens from standard input: give no TOKEN"));

    VerifyOptions options;
    if (auto code = readOptions(parser, err, options))
        return *code;
    if (parser.isSet(QStringLiteral("payload-file"))) {
        auto payload = readFileBytes(parser.value(QStringLiteral("payload-file")));
        if (!payload)
            return parser.fail(err, payload.message(), ExitIo);
        options.detachedPayload = *payload;
    }

    auto keys = KeySpecOptions::load(parser);
    if (!keys) {
        if (keys.code() == ErrorCode::Usage)
            return parser.usageError(err, keys.message());
        return parser.fail(err, keys.message(), exitCodeForError(keys.code()));
    }

    if (batch)
        return runBatch(*keys, options, in, out);

    QByteArray text;
    if (parser.positionals().isEmpty() || parser.positionals().first() == QLatin1String("-"))
        text = readAllInput(in);
    else
        text = parser.positionals().first().toUtf8();

    auto token = parseStrict(text.trimmed());
    if (!token) {
        out << "invalid: " << oneLine(token.message()) << '\n';
        return ExitUsage;
    }
    const VerifyResult result = verifyToken(*token, *keys, options);
    if (result.valid) {
        for (const SignatureCheck& check : result.signatures) {
            if (check.valid)
                out << (result.signatures.size() > 1 ? QStringLiteral("signature %1: ").arg(check.signatureIndex + 1)
                                                     : QString())
                    << check.message << '\n';
        }
        out << "valid\n";
        return ExitOk;
    }
    out << "invalid: " << oneLine(result.reason) << '\n';
    return isMalformedInput(result.code) ? ExitUsage : ExitInvalid;
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
